//! Why an import row failed, as the failed-rows file's Reason column says it in the reader's
//! language.
//!
//! A failed row keeps its first validation error (code and params) and how many more it had
//! (`import_job_rows.problem`, migration 0027), so the file is worded when it is written, in
//! the language of whoever saves it — not in the language of whoever ran the job. English is
//! the core's own sentence ([`FieldError::message`], what the CLI prints); Vietnamese is worded
//! here from the code and params, as the UI words the same errors in its catalogue
//! (`ui/src/shell/fieldErrors.ts`, `ui/src/shell/messages.ts`: keep the two saying the same).
//! Only the errors a row of an import can have are here (`pdesk_rule::validate` on a create;
//! the guards' blocked values never fail a row); any other code, or params missing, keeps the
//! English sentence rather than a blank.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::and_more;
use crate::model::{count_in, FieldError, Lang};
use crate::profiles::delete::REDACTED;
use pdesk_rule::catalogue::builtin_name;

/// What a failed row keeps of its validation: the first error and how many followed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RowProblem {
    pub first: FieldError,
    pub more: usize,
}

impl RowProblem {
    /// The Reason cell in `lang`.
    pub(crate) fn text(&self, lang: Lang) -> String {
        let first = match lang {
            Lang::En => self.first.message.clone(),
            Lang::Vi => vi(&self.first).unwrap_or_else(|| self.first.message.clone()),
        };
        and_more(first, self.more, lang)
    }
}

/// A reason kept only as its English sentence (a row failed before migration 0027), or the
/// mark of a row whose person was deleted since, in `lang`.
pub(crate) fn stored_reason(stored: String, lang: Lang) -> String {
    match lang {
        Lang::Vi if stored == REDACTED => "[đã xóa]".into(),
        _ => stored,
    }
}

type Params = BTreeMap<String, String>;

fn param<'a>(p: &'a Params, name: &str) -> Option<&'a str> {
    p.get(name).map(String::as_str)
}

fn number(p: &Params, name: &str) -> Option<u64> {
    param(p, name)?.parse().ok()
}

fn n(p: &Params, name: &str) -> Option<String> {
    number(p, name).map(|v| count_in(Lang::Vi, v))
}

/// The field as a Vietnamese reader knows it: a built-in field still under its English
/// default name takes its Vietnamese name; any other label is shown as stored.
fn label(error: &FieldError) -> Option<String> {
    let stored = param(&error.params, "label")?;
    let key = error.field.split('.').next().unwrap_or(&error.field);
    Some(match builtin_name(key, Lang::En) {
        Some(en) if en == stored => builtin_name(key, Lang::Vi).unwrap_or(stored).to_string(),
        _ => stored.to_string(),
    })
}

/// The error in Vietnamese, or `None` when this code or its params have no words here.
fn vi(e: &FieldError) -> Option<String> {
    let p = &e.params;
    let value = || param(p, "value");
    Some(match e.code.as_str() {
        "identificationRequired" => {
            "Hồ sơ cần ít nhất một thông tin định danh: họ và tên, số điện thoại hoặc email".into()
        }
        "required" => format!("{} là bắt buộc", label(e)?),
        "readOnly" => format!("{} do ứng dụng tự điền", label(e)?),
        "severalValues" => format!(
            "{} chỉ nhận một giá trị, nhưng có {} giá trị",
            label(e)?,
            n(p, "given")?
        ),
        "tooManyValues" => format!(
            "{} có tối đa {} giá trị (đã nhập {})",
            label(e)?,
            n(p, "max")?,
            n(p, "given")?
        ),
        "tooLong" => format!(
            "{} tối đa {} ký tự (hiện có {})",
            label(e)?,
            n(p, "max")?,
            n(p, "given")?
        ),
        "invalidOption" => format!(
            "“{}” không phải là một lựa chọn của {}",
            value()?,
            label(e)?
        ),
        "invalidNumber" => format!("“{}” không phải là số", value()?),
        "invalidBoolean" => format!("“{}” không phải là có hoặc không", value()?),
        "invalidPhone" => format!(
            "“{}” không phải là số điện thoại: {}",
            value()?,
            phone_reason(p)?
        ),
        "invalidEmail" => format!(
            "“{}” không phải là địa chỉ email hợp lệ: {}",
            value()?,
            email_reason(p)?
        ),
        "invalidDate" => date_reason(value()?.trim(), p)?,
        _ => return None,
    })
}

/// Why a phone is not one (crates/normalize/src/phone.rs, `PhoneProblem::params`).
fn phone_reason(p: &Params) -> Option<String> {
    Some(match param(p, "reason")? {
        "empty" => "chưa nhập gì".into(),
        "letters" => "có chữ cái".into(),
        "otherCharacters" => "có ký tự không phải chữ số hay dấu phân cách".into(),
        "noDigits" => "không có chữ số nào".into(),
        "oldPrefix" => format!(
            "số có 11 chữ số như số di động trước năm 2018, nhưng {} không phải là đầu số cũ \
             nào đã được chuyển sang 10 chữ số",
            param(p, "prefix")?
        ),
        reason @ ("tooShort" | "tooLong") => {
            let advice = match (reason, param(p, "advice")) {
                ("tooLong", Some("several")) => {
                    "; nếu đây là nhiều số, hãy ngăn cách chúng bằng dấu gạch chéo hoặc dấu chấm phẩy"
                }
                ("tooLong", Some("foreign")) => "; số nước ngoài cần viết kèm dấu + và mã quốc gia",
                _ => "",
            };
            format!(
                "số quá {}: {} chữ số, trong khi {} ở {} có {}{advice}",
                if reason == "tooShort" {
                    "ngắn"
                } else {
                    "dài"
                },
                n(p, "typed")?,
                match param(p, "kind")? {
                    "landline" => "số cố định",
                    "mobile" => "số di động",
                    _ => "số điện thoại",
                },
                place(p)?,
                expected_digits(p)?
            )
        }
        "notInPlan" => format!(
            "số không khớp với quy hoạch đánh số của {}; số nước ngoài cần viết kèm dấu + và mã \
             quốc gia",
            place(p)?
        ),
        "unknownPlan" => {
            "mã quốc gia hoặc độ dài không khớp với quy hoạch đánh số nào đã biết".into()
        }
        _ => return None,
    })
}

/// "Việt Nam (vùng VN)", or "Việt Nam (+84)" for a number written with `+`.
fn place(p: &Params) -> Option<String> {
    let iso = param(p, "region")?;
    // The regions' names are the UI's (Intl.DisplayNames); the core knows its own region's.
    let name = if iso == "VN" { "Việt Nam" } else { iso };
    Some(match param(p, "intl") {
        Some("true") => format!("{name} (+{})", param(p, "callingCode")?),
        _ if name == iso => format!("vùng {iso}"),
        _ => format!("{name} (vùng {iso})"),
    })
}

/// "10 chữ số, kể cả số 0 ở đầu", "9 đến 11 chữ số sau +65".
fn expected_digits(p: &Params) -> Option<String> {
    let (min, max) = (n(p, "min")?, n(p, "max")?);
    let digits = if min == max {
        format!("{min} chữ số")
    } else {
        format!("{min} đến {max} chữ số")
    };
    Some(match (param(p, "intl"), param(p, "trunk")) {
        (Some("true"), _) => format!("{digits} sau +{}", param(p, "callingCode")?),
        (_, Some(trunk)) => format!("{digits}, kể cả số {trunk} ở đầu"),
        _ => digits,
    })
}

/// Why an e-mail address is not one (crates/normalize/src/email.rs, `EmailProblem::code`).
fn email_reason(p: &Params) -> Option<String> {
    Some(match param(p, "reason")? {
        "empty" => "chưa nhập gì".into(),
        "tooLong" => format!("dài quá {} ký tự", n(p, "max")?),
        "spaces" => "có dấu cách".into(),
        "noAt" => "thiếu ký tự @".into(),
        "badLocalPart" => "phần trước @ trống, quá dài hoặc có thêm một ký tự @".into(),
        "misplacedDot" => "phần trước @ có dấu chấm sai vị trí".into(),
        "noDotInDomain" => "tên miền sau @ không có dấu chấm".into(),
        "badDomain" => "tên miền sau @ không hợp lệ".into(),
        _ => return None,
    })
}

/// Why a text is not a date (crates/normalize/src/date.rs, `DateError::params`).
fn date_reason(text: &str, p: &Params) -> Option<String> {
    Some(match param(p, "reason")? {
        "format" => format!(
            "“{text}” không phải là ngày: hãy viết theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ \
             05/09/1990"
        ),
        "noSuchMonth" => format!(
            "“{text}” không phải là ngày: không có tháng {} (ngày viết trước tháng: dd/mm/yyyy)",
            number(p, "month")?
        ),
        "noSuchDay" => format!(
            "“{text}” không phải là ngày có thật: tháng {} năm {} chỉ có {} ngày",
            number(p, "month")?,
            number(p, "year")?,
            number(p, "days")?
        ),
        "year" => format!("“{text}” không phải là ngày: năm phải từ 1800 đến 2200"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldDef, ProfileInput};
    use pdesk_normalize::PhoneRegion;

    /// The errors `validate` gives for `values` on a create, with the built-in catalogue.
    fn errors(values: &[(&str, &str)]) -> Vec<FieldError> {
        let fields: Vec<FieldDef> = pdesk_rule::catalogue::default_fields();
        let mut input = ProfileInput::default();
        for (k, v) in values {
            input = input.with(k, v);
        }
        let vn = PhoneRegion::by_iso("VN").expect("VN is a known region");
        pdesk_rule::validate(&input, &fields, vn, true).expect_err("refused")
    }

    fn said(values: &[(&str, &str)]) -> Vec<String> {
        errors(values)
            .into_iter()
            .map(|e| vi(&e).unwrap_or_else(|| panic!("no Vietnamese words for {e:?}")))
            .collect()
    }

    #[test]
    fn a_rows_phone_email_and_date_problems_read_in_vietnamese() {
        assert_eq!(
            said(&[("full_name", "An"), ("phones", "09o3 456 789")]),
            ["“09o3 456 789” không phải là số điện thoại: có chữ cái"]
        );
        assert_eq!(
            said(&[("full_name", "An"), ("phones", "0912 345")]),
            [
                "“0912 345” không phải là số điện thoại: số quá ngắn: 7 chữ số, trong khi số di \
              động ở Việt Nam (vùng VN) có 10 chữ số, kể cả số 0 ở đầu"
            ]
        );
        assert_eq!(
            said(&[("full_name", "An"), ("emails", "lan.gmail.com")]),
            ["“lan.gmail.com” không phải là địa chỉ email hợp lệ: thiếu ký tự @"]
        );
        assert_eq!(
            said(&[("full_name", "An"), ("birthday", "31/02/1990")]),
            ["“31/02/1990” không phải là ngày có thật: tháng 2 năm 1990 chỉ có 28 ngày"]
        );
        assert_eq!(
            said(&[("full_name", "An"), ("gender", "robot")]),
            ["“robot” không phải là một lựa chọn của Giới tính"]
        );
        assert_eq!(
            said(&[("city", "Hà Nội")]),
            ["Hồ sơ cần ít nhất một thông tin định danh: họ và tên, số điện thoại hoặc email"]
        );
    }

    #[test]
    fn english_is_the_cores_sentence_and_more_problems_are_counted_in_each_language() {
        let problem = RowProblem {
            first: errors(&[("full_name", "An"), ("emails", "lan.gmail.com")]).remove(0),
            more: 2,
        };
        assert_eq!(
            problem.text(Lang::En),
            format!("{} (and 2 more problems)", problem.first.message)
        );
        assert!(problem
            .text(Lang::Vi)
            .ends_with("thiếu ký tự @ (và 2 lỗi khác)"));
    }

    /// Every code `validate` can give a row (its sources, read as the UI's test reads them)
    /// has Vietnamese words here; `unknownField` cannot reach a row (the mapping is checked).
    #[test]
    fn every_code_of_a_rows_validation_has_vietnamese_words() {
        let source = include_str!("../../../rule/src/validate.rs");
        let source = &source[..source.find("#[cfg(test)]").expect("a test module")];
        // The code is the literal among the first arguments of each error made: after
        // `FieldError::new(` (the field first: "identification") or `labelled(`.
        let mut codes = std::collections::BTreeSet::new();
        for marker in ["FieldError::new(", "labelled("] {
            for (at, _) in source.match_indices(marker) {
                let args = &source[at + marker.len()..(at + 160).min(source.len())];
                let args = args.split("format!").next().unwrap_or(args);
                codes.extend(
                    args.split('"')
                        .skip(1)
                        .step_by(2)
                        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()))
                        .filter(|s| !["identification", "label"].contains(s)),
                );
            }
        }
        assert!(
            codes.contains("invalidPhone") && codes.contains("required"),
            "{codes:?}"
        );
        for code in codes.iter().filter(|c| **c != "unknownField") {
            let error = FieldError::new("full_name", code, "English".into())
                .with("label", "Full name")
                .with("value", "x")
                .with("given", 3)
                .with("max", 2)
                .with("reason", "format");
            assert!(
                vi(&error).is_some() || matches!(*code, "invalidPhone" | "invalidEmail"),
                "no Vietnamese words for {code}"
            );
        }
    }

    #[test]
    fn a_code_without_vietnamese_words_keeps_the_english_sentence() {
        let problem = RowProblem {
            // (Not through `FieldError::new`: the UI's test reads those calls for real codes.)
            first: FieldError {
                field: "x".into(),
                code: "somethingNew".into(),
                message: "Something new went wrong".into(),
                params: Default::default(),
            },
            more: 0,
        };
        assert_eq!(problem.text(Lang::Vi), "Something new went wrong");
    }
}
