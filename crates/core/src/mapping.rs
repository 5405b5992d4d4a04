//! The mapping grid's rules (SPEC 4.1): which catalogue field each source column feeds —
//! suggested automatically by name (ignoring case, spaces, punctuation and Vietnamese
//! diacritics), by the field's synonyms, by sniffing the values, or by the last mapping used
//! for the same headers — and the conditions a mapping must meet before an import may run.

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::{Actor, Permission};
use crate::error::Result;
use crate::model::{FieldDef, FieldKind};
use crate::store::Store;
use pdesk_normalize::{fold_for_search, parse_date, read_phone_cell, validate_email, PhoneRegion};

/// Share of sampled non-empty values that must parse as the target type for no warning (SPEC:
/// 95%).
pub const TYPE_FIT_SHARE: f64 = 0.95;
/// Below this share most sampled values do not fit: the mapping is wrong and is refused.
pub const TYPE_FIT_REFUSED: f64 = 0.5;
/// Share of sampled values that must look like e-mails/phones/dates for value sniffing.
const SNIFF_SHARE: f64 = 0.8;

/// One source column as the mapping grid shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SourceColumn {
    /// 0-based position in the file or paste.
    pub index: u32,
    /// The header (files) or "Column 3" (paste, which has no header row).
    pub header: String,
    /// A few sample values as text.
    pub samples: Vec<String>,
    /// The header is not the source's but made up ("Column 3": a paste without a header row,
    /// or a blank cell in its header row): the UI names the column in its own language, and
    /// the failed-rows file in the reader's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub generated: bool,
}

/// Why a target was suggested, shown as the row's status in the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum SuggestionReason {
    /// The last mapping used for the same set of headers.
    Remembered,
    /// The header is the field's name or label.
    SameName,
    /// The header is one of the field's synonyms.
    Synonym,
    /// The values look like e-mails, phones or dates.
    Values,
    /// Nothing fitted: "Do not import".
    NoMatch,
}

/// The target of one source column (`None` = do not import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    pub column: u32,
    pub target: Option<String>,
    pub reason: SuggestionReason,
}

/// A condition the mapping fails; `column` names the source column when one is at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MappingProblem {
    /// `unknownField`, `typeMisfits`, `typeMismatch`, `mappedTwice`, `identificationUnmapped`,
    /// `mandatoryUnmapped`.
    pub code: String,
    pub column: Option<u32>,
    /// The sentence in English: what the CLI prints, and the UI's fallback.
    pub message: String,
    /// A warning does not stop Confirm: some sampled values do not fit, but most do (the rows
    /// whose value still does not fit fail with the reason).
    pub warning: bool,
    /// What the sentence needs, by name, so the UI words it in its language from `code` and
    /// these: the column's `header`, the field's `key`, `label` and `kind`, the `sampled` and
    /// `fits` counts with up to three `samples` that do not fit, the `headers` of the columns
    /// mapping one field twice. Empty (and left out of JSON) for a sentence without any.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[cfg_attr(feature = "ts", ts(type = "{ [key in string]?: unknown }", optional))]
    pub params: serde_json::Map<String, serde_json::Value>,
}

impl MappingProblem {
    fn new(code: &str, column: Option<u32>, message: String, params: Value) -> Self {
        MappingProblem {
            code: code.into(),
            column,
            message,
            warning: false,
            params: match params {
                Value::Object(map) => map,
                _ => serde_json::Map::new(),
            },
        }
    }
}

/// A header folded for comparison: `Số điện thoại` → `sodienthoai`, `E-mail` → `email`.
pub fn header_key(text: &str) -> String {
    fold_for_search(text).replace(' ', "")
}

fn field_names(field: &FieldDef) -> (Vec<String>, Vec<String>) {
    let own = vec![header_key(&field.key), header_key(&field.label)];
    let synonyms = field.synonyms.iter().map(|s| header_key(s)).collect();
    (own, synonyms)
}

/// Whether a pasted first row is column names rather than a customer (the seed's "Do not
/// paste column names", which people do anyway). Cells are compared with the fields' keys,
/// labels and synonyms, folded as headers are (the synonyms carry the Vietnamese names: "Họ
/// và tên", "SĐT"). Column names when no cell holds what only a customer row holds (an
/// e-mail, a number of seven digits or more) and most filled cells, or at least two, are such
/// names (sheets also have columns of their own: "Nguồn", "Ngày mua"). One name among a
/// customer's values ("Hà Nội", "ghi chú") is not enough.
pub fn looks_like_header(cells: &[String], fields: &[FieldDef]) -> bool {
    let names: std::collections::HashSet<String> = mappable(fields)
        .flat_map(|f| {
            let (own, synonyms) = field_names(f);
            own.into_iter().chain(synonyms)
        })
        .collect();
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let named = filled
        .iter()
        .filter(|c| names.contains(&header_key(c)))
        .count();
    let holds_a_value = filled
        .iter()
        .any(|c| c.contains('@') || c.chars().filter(char::is_ascii_digit).count() >= 7);
    !holds_a_value && (named * 2 > filled.len() || named >= 2)
}

/// Fields a column may be mapped to: visible, not system-maintained.
fn mappable(fields: &[FieldDef]) -> impl Iterator<Item = &FieldDef> {
    fields
        .iter()
        .filter(|f| !f.hidden && f.kind != FieldKind::System)
}

/// Does `value` parse as a value of `kind`? (Empty values are not counted by callers.)
pub fn fits_kind(kind: FieldKind, value: &str, region: &PhoneRegion, field: &FieldDef) -> bool {
    let items = || {
        value
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    match kind {
        FieldKind::Phones => {
            let cell = read_phone_cell(value, region);
            cell.problems.is_empty() && !cell.numbers.is_empty()
        }
        FieldKind::Emails => items().all(|e| validate_email(e).is_ok()),
        FieldKind::Date => parse_date(value.split(' ').next().unwrap_or(value)).is_ok(),
        FieldKind::Number => value.replace([',', ' '], "").parse::<f64>().is_ok(),
        FieldKind::Boolean => matches!(
            fold_for_search(value).as_str(),
            "yes" | "y" | "true" | "1" | "co" | "x" | "no" | "n" | "false" | "0" | "khong"
        ),
        FieldKind::Select | FieldKind::MultiSelect => {
            let t = fold_for_search(value);
            field.key == "gender" && ["nam", "nu", "khac", "m", "f"].contains(&t.as_str())
                || field
                    .options
                    .iter()
                    .any(|o| fold_for_search(&o.value) == t || fold_for_search(&o.label) == t)
                || (kind == FieldKind::MultiSelect && items().count() > 1)
        }
        _ => true,
    }
}

/// Value sniffing: the field a column's samples look like, if they clearly look like one.
fn sniff(column: &SourceColumn, fields: &[FieldDef], region: &PhoneRegion) -> Option<String> {
    let values: Vec<&str> = column
        .samples
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if values.is_empty() {
        return None;
    }
    let share = |pred: &dyn Fn(&str) -> bool| {
        values.iter().filter(|v| pred(v)).count() as f64 / values.len() as f64
    };
    let find = |kind: FieldKind| {
        mappable(fields)
            .find(|f| f.kind == kind)
            .map(|f| f.key.clone())
    };
    if share(&|v| validate_email(v).is_ok()) >= SNIFF_SHARE {
        return find(FieldKind::Emails);
    }
    let phone_like = |v: &str| {
        v.chars().filter(char::is_ascii_digit).count() >= 8 && {
            let cell = read_phone_cell(v, region);
            cell.problems.is_empty() && !cell.numbers.is_empty()
        }
    };
    if share(&phone_like) >= SNIFF_SHARE {
        return find(FieldKind::Phones);
    }
    if share(&|v| parse_date(v.split(' ').next().unwrap_or(v)).is_ok()) >= SNIFF_SHARE {
        return find(FieldKind::Date);
    }
    None
}

/// Suggests a target for every column: same name, then synonyms, then value sniffing. A
/// single-value field is suggested for one column only (the first); list fields may take
/// several (two phone columns both feed `phones`).
pub fn suggest(
    columns: &[SourceColumn],
    fields: &[FieldDef],
    region: &PhoneRegion,
) -> Vec<ColumnMapping> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(columns.len());
    for column in columns {
        let key = header_key(&column.header);
        let mut pick: Option<(String, SuggestionReason)> = None;
        if !key.is_empty() {
            for field in mappable(fields) {
                let (own, synonyms) = field_names(field);
                let free = field.kind.is_list() || !taken.contains(&field.key);
                if !free {
                    continue;
                }
                if own.contains(&key) {
                    pick = Some((field.key.clone(), SuggestionReason::SameName));
                    break;
                }
                if pick.is_none() && synonyms.contains(&key) {
                    pick = Some((field.key.clone(), SuggestionReason::Synonym));
                }
            }
        }
        if pick.is_none() {
            pick = sniff(column, fields, region)
                .filter(|k| {
                    let list = fields.iter().any(|f| &f.key == k && f.kind.is_list());
                    list || !taken.contains(k)
                })
                .map(|k| (k, SuggestionReason::Values));
        }
        let (target, reason) = match pick {
            Some((k, r)) => (Some(k), r),
            None => (None, SuggestionReason::NoMatch),
        };
        if let Some(t) = &target {
            taken.push(t.clone());
        }
        out.push(ColumnMapping {
            column: column.index,
            target,
            reason,
        });
    }
    out
}

/// The mapping conditions (SPEC 4.1), checked before Confirm: at least one identification
/// field mapped; every mandatory field mapped; no single-value field mapped twice; each
/// mapped column's sampled values fit the target type (95%).
pub fn check_mapping(
    columns: &[SourceColumn],
    mapping: &[ColumnMapping],
    fields: &[FieldDef],
    region: &PhoneRegion,
) -> Vec<MappingProblem> {
    let mut problems = Vec::new();
    let header = |c: u32| {
        columns
            .iter()
            .find(|s| s.index == c)
            .map(|s| s.header.clone())
            .unwrap_or_default()
    };
    let mut counts: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for m in mapping {
        let Some(target) = m.target.as_deref() else {
            continue;
        };
        let Some(field) = mappable(fields).find(|f| f.key == target) else {
            let header = header(m.column);
            problems.push(MappingProblem::new(
                "unknownField",
                Some(m.column),
                format!("Column “{header}” is mapped to an unknown field “{target}”"),
                json!({ "header": header, "key": target }),
            ));
            continue;
        };
        counts.entry(&field.key).or_default().push(m.column);
        let Some(column) = columns.iter().find(|c| c.index == m.column) else {
            continue;
        };
        let values: Vec<&str> = column
            .samples
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if values.is_empty() {
            continue;
        }
        let fit = values
            .iter()
            .filter(|v| fits_kind(field.kind, v, region, field))
            .count();
        let share = fit as f64 / values.len() as f64;
        if share < TYPE_FIT_SHARE {
            let misfits: Vec<&str> = values
                .iter()
                .filter(|v| !fits_kind(field.kind, v, region, field))
                .take(3)
                .copied()
                .collect();
            let quoted: Vec<String> = misfits.iter().map(|v| format!("“{v}”")).collect();
            let warning = share >= TYPE_FIT_REFUSED;
            let message = if warning {
                format!(
                    "{} of {} sampled values of column “{}” do not fit {} ({}), e.g. {}; rows whose value does not fit will fail with the reason",
                    values.len() - fit,
                    values.len(),
                    column.header,
                    field.label,
                    kind_words(field.kind),
                    quoted.join(", ")
                )
            } else {
                format!(
                    "Only {fit} of {} sampled values of column “{}” fit {} ({}), e.g. not {}; check the mapping",
                    values.len(),
                    column.header,
                    field.label,
                    kind_words(field.kind),
                    quoted.join(", ")
                )
            };
            problems.push(MappingProblem {
                warning,
                ..MappingProblem::new(
                    if warning {
                        "typeMisfits"
                    } else {
                        "typeMismatch"
                    },
                    Some(m.column),
                    message,
                    json!({
                        "header": column.header,
                        "key": field.key,
                        "label": field.label,
                        "kind": field.kind,
                        "sampled": values.len(),
                        "fits": fit,
                        "samples": misfits,
                    }),
                )
            });
        }
    }
    for (key, cols) in &counts {
        let field = fields.iter().find(|f| f.key == *key);
        if cols.len() > 1 && !field.is_some_and(|f| f.kind.is_list()) {
            let headers: Vec<String> = cols.iter().map(|c| header(*c)).collect();
            let quoted: Vec<String> = headers.iter().map(|h| format!("“{h}”")).collect();
            let label = field.map(|f| f.label.as_str()).unwrap_or(key);
            problems.push(MappingProblem::new(
                "mappedTwice",
                cols.get(1).copied(),
                format!(
                    "{label} holds one value but is mapped from {} columns ({}); map only one",
                    cols.len(),
                    quoted.join(", ")
                ),
                json!({ "key": key, "label": label, "headers": headers }),
            ));
        }
    }
    if !["full_name", "phones", "emails"]
        .iter()
        .any(|k| counts.contains_key(k))
    {
        problems.push(MappingProblem::new(
            "identificationUnmapped",
            None,
            "Map at least one identification field: full name, phone or e-mail".into(),
            Value::Null,
        ));
    }
    for f in mappable(fields).filter(|f| f.mandatory) {
        if !counts.contains_key(f.key.as_str()) {
            problems.push(MappingProblem::new(
                "mandatoryUnmapped",
                None,
                format!("{} is mandatory; map a column to it", f.label),
                json!({ "key": f.key, "label": f.label }),
            ));
        }
    }
    problems
}

fn kind_words(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Phones => "phone numbers",
        FieldKind::Emails => "e-mail addresses",
        FieldKind::Date => "dates: dd/mm/yyyy, yyyy-mm-dd or Excel dates",
        FieldKind::Number => "numbers",
        FieldKind::Boolean => "yes/no",
        FieldKind::Select | FieldKind::MultiSelect => "one of the options",
        _ => "text",
    }
}

/// Identifies a set of headers regardless of order, case and accents.
fn header_set_id(columns: &[SourceColumn]) -> String {
    let mut keys: Vec<String> = columns.iter().map(|c| header_key(&c.header)).collect();
    keys.sort();
    let mut h = Sha256::new();
    for k in &keys {
        h.update(k.as_bytes());
        h.update([0]);
    }
    format!("mapping.{}", hex::encode(&h.finalize()[..12]))
}

impl Store {
    /// The suggestion for `columns`: the last mapping used for the same headers when there is
    /// one (and its fields still exist), else the automatic suggestion.
    pub fn suggest_mapping(
        &self,
        actor: &Actor,
        columns: &[SourceColumn],
    ) -> Result<Vec<ColumnMapping>> {
        actor.require(Permission::ProfileImport)?;
        let fields = self.fields()?;
        let region = self.sync_settings()?.region;
        let mut suggestion = suggest(columns, &fields, region);
        let saved: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM user_prefs WHERE user_id = ?1 AND key = ?2",
                (actor.user_id, header_set_id(columns)),
                |r| r.get(0),
            )
            .optional()?;
        let saved: BTreeMap<String, Option<String>> = saved
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        if !saved.is_empty() {
            for m in &mut suggestion {
                let Some(column) = columns.iter().find(|c| c.index == m.column) else {
                    continue;
                };
                if let Some(target) = saved.get(&header_key(&column.header)) {
                    let exists = target
                        .as_ref()
                        .is_none_or(|t| mappable(&fields).any(|f| &f.key == t));
                    if exists {
                        m.target = target.clone();
                        m.reason = SuggestionReason::Remembered;
                    }
                }
            }
        }
        Ok(suggestion)
    }

    /// Remembers the mapping used for this set of headers, for the next file like it.
    pub fn remember_mapping(
        &self,
        actor: &Actor,
        columns: &[SourceColumn],
        mapping: &[ColumnMapping],
    ) -> Result<()> {
        let by_header: BTreeMap<String, Option<String>> = mapping
            .iter()
            .filter_map(|m| {
                let c = columns.iter().find(|c| c.index == m.column)?;
                Some((header_key(&c.header), m.target.clone()))
            })
            .collect();
        self.conn.execute(
            "INSERT INTO user_prefs(user_id, key, value) VALUES (?1, ?2, ?3)
             ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value",
            (
                actor.user_id,
                header_set_id(columns),
                serde_json::to_string(&by_header).unwrap_or_default(),
            ),
        )?;
        Ok(())
    }

    /// The mapping step's check for a person about to import (needs `profile.import`).
    pub fn check_mapping(
        &self,
        actor: &Actor,
        columns: &[SourceColumn],
        mapping: &[ColumnMapping],
    ) -> Result<Vec<MappingProblem>> {
        actor.require(Permission::ProfileImport)?;
        self.mapping_problems(columns, mapping)
    }

    /// The mapping conditions against the current catalogue and settings (for the job
    /// operations, which checked their actor already).
    pub(crate) fn mapping_problems(
        &self,
        columns: &[SourceColumn],
        mapping: &[ColumnMapping],
    ) -> Result<Vec<MappingProblem>> {
        let fields = self.fields()?;
        Ok(check_mapping(
            columns,
            mapping,
            &fields,
            self.sync_settings()?.region,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<FieldDef> {
        let store = Store::open_in_memory().expect("store");
        store.fields().expect("catalogue")
    }

    fn vn() -> &'static PhoneRegion {
        PhoneRegion::by_iso("VN").expect("VN")
    }

    fn col(index: u32, header: &str, samples: &[&str]) -> SourceColumn {
        SourceColumn {
            index,
            header: header.into(),
            samples: samples.iter().map(|s| s.to_string()).collect(),
            generated: false,
        }
    }

    fn targets(m: &[ColumnMapping]) -> Vec<Option<&str>> {
        m.iter().map(|c| c.target.as_deref()).collect()
    }

    #[test]
    fn a_first_row_of_column_names_is_told_from_a_customer() {
        let f = fields();
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        for header in [
            row(&["Họ và tên", "SĐT", "Email"]),
            row(&["Ho va ten", "So dien thoai"]),
            row(&["Full name", "Phone", "Ghi chú", ""]),
            row(&["Họ tên", "SĐT", "Nguồn", "Ngày mua", "Sản phẩm"]),
            row(&["Họ và tên"]),
        ] {
            assert!(looks_like_header(&header, &f), "{header:?}");
        }
        for customer in [
            row(&["Nguyễn Thị Lan", "0377920611 (Zalo)", "lan@shop.vn"]),
            row(&["Hà Nội", "ghi chú"]),
            row(&["Tên", "0912345678", "Email"]),
            row(&["Trần Văn Bình", "0912345678 / 0987654321"]),
            row(&["", ""]),
        ] {
            assert!(!looks_like_header(&customer, &f), "{customer:?}");
        }
    }

    #[test]
    fn vietnamese_and_english_headers_map_by_name_and_synonym() {
        let cols = [
            col(0, "Họ và tên", &[]),
            col(1, "Số điện thoại", &[]),
            col(2, "SĐT", &[]),
            col(3, "E-mail", &[]),
            col(4, "Ngày sinh", &[]),
            col(5, "Full Name", &[]),
            col(6, "Mobile", &[]),
            col(7, "Ghi chú", &[]),
            col(8, "Something else", &[]),
        ];
        let m = suggest(&cols, &fields(), vn());
        assert_eq!(
            targets(&m),
            [
                Some("full_name"),
                Some("phones"),
                Some("phones"),
                Some("emails"),
                Some("birthday"),
                None,
                Some("phones"),
                Some("note"),
                None
            ],
            "synonyms ignore case, spaces, punctuation and diacritics; a second name column \
             is not suggested (full name holds one value); phones may take several columns"
        );
        assert_eq!(
            m[5].reason,
            SuggestionReason::NoMatch,
            "the second name column is left out"
        );
        assert_eq!(
            m[3].reason,
            SuggestionReason::Synonym,
            "E-mail is a synonym of E-mails"
        );
    }

    #[test]
    fn values_suggest_when_headers_say_nothing() {
        let cols = [
            col(0, "Column 1", &["an@x.vn", "binh@y.com", "c@z.vn"]),
            col(
                1,
                "Column 2",
                &["0912345678", "+84 987 654 321", "0333.444.555"],
            ),
            col(2, "Column 3", &["05/09/1990", "1988-01-02", "12/12/2000"]),
            col(3, "Column 4", &["Hà Nội", "Huế", "Vinh"]),
        ];
        let m = suggest(&cols, &fields(), vn());
        assert_eq!(
            targets(&m),
            [Some("emails"), Some("phones"), Some("birthday"), None],
            "e-mails, phones and dates are sniffed from values; plain text is not guessed"
        );
        assert!(
            m.iter()
                .take(3)
                .all(|c| c.reason == SuggestionReason::Values),
            "reason: values"
        );
    }

    #[test]
    fn conditions_block_a_bad_mapping_and_say_why() {
        let f = fields();
        let cols = [
            col(0, "Tên", &["A", "B"]),
            col(1, "Tên 2", &["C", "D"]),
            col(2, "DOB", &["x", "y"]),
        ];
        let mapping = [
            ColumnMapping {
                column: 0,
                target: Some("city".into()),
                reason: SuggestionReason::SameName,
            },
            ColumnMapping {
                column: 1,
                target: Some("city".into()),
                reason: SuggestionReason::SameName,
            },
            ColumnMapping {
                column: 2,
                target: Some("birthday".into()),
                reason: SuggestionReason::Synonym,
            },
        ];
        let codes: Vec<String> = check_mapping(&cols, &mapping, &f, vn())
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(
            codes,
            ["typeMismatch", "mappedTwice", "identificationUnmapped"],
            "dates that are not dates, a single-value field twice, and no identifier"
        );
        let good = [ColumnMapping {
            column: 0,
            target: Some("full_name".into()),
            reason: SuggestionReason::SameName,
        }];
        assert!(
            check_mapping(&cols, &good, &f, vn()).is_empty(),
            "a name column alone is enough"
        );
    }

    #[test]
    fn a_problem_carries_what_its_sentence_needs_beside_the_english() {
        let mut f = fields();
        if let Some(city) = f.iter_mut().find(|d| d.key == "city") {
            city.mandatory = true;
        }
        let cols = [
            col(0, "SĐT", &["0912345678", "gọi sau", "x", "0987654321"]),
            col(1, "Tên", &["An"]),
            col(2, "Tên 2", &["Bình"]),
        ];
        let to = |column: u32, target: &str| ColumnMapping {
            column,
            target: Some(target.into()),
            reason: SuggestionReason::SameName,
        };
        let mapping = [
            to(0, "phones"),
            to(1, "full_name"),
            to(2, "full_name"),
            to(3, "nope"),
        ];
        let problems = check_mapping(&cols, &mapping, &f, vn());
        let said: Vec<(String, Value)> = problems
            .iter()
            .map(|p| (p.code.clone(), Value::Object(p.params.clone())))
            .collect();
        assert_eq!(
            said,
            [
                (
                    "typeMisfits".to_string(),
                    json!({ "header": "SĐT", "key": "phones", "label": "Phones", "kind": "phones",
                            "sampled": 4, "fits": 2, "samples": ["gọi sau", "x"] })
                ),
                (
                    "unknownField".to_string(),
                    json!({ "header": "", "key": "nope" })
                ),
                (
                    "mappedTwice".to_string(),
                    json!({ "key": "full_name", "label": "Full name", "headers": ["Tên", "Tên 2"] })
                ),
                (
                    "mandatoryUnmapped".to_string(),
                    json!({ "key": "city", "label": "City" })
                ),
            ],
            "counts, samples, headers and the field's key and label, as data"
        );
        assert!(
            problems[0]
                .message
                .contains("2 of 4 sampled values of column “SĐT”"),
            "the English stays for the CLI: {}",
            problems[0].message
        );
        let none = check_mapping(&cols, &[], &f, vn());
        let json = serde_json::to_value(&none[0]).expect("json");
        assert_eq!(none[0].code, "identificationUnmapped");
        assert!(
            json.get("params").is_none(),
            "a sentence without params sends none: {json}"
        );
    }

    #[test]
    fn the_last_mapping_for_the_same_headers_is_offered_first() {
        let store = Store::open_in_memory().expect("store");
        let admin = store.actor(None).expect("admin");
        let cols = [col(0, "Tên KH", &[]), col(1, "Điện thoại", &[])];
        let first = store.suggest_mapping(&admin, &cols).expect("suggest");
        assert_eq!(
            targets(&first),
            [None, Some("phones")],
            "Tên KH is not a known synonym"
        );
        let chosen = [
            ColumnMapping {
                column: 0,
                target: Some("full_name".into()),
                reason: SuggestionReason::NoMatch,
            },
            ColumnMapping {
                column: 1,
                target: Some("phones".into()),
                reason: SuggestionReason::Synonym,
            },
        ];
        store
            .remember_mapping(&admin, &cols, &chosen)
            .expect("remember");
        let reordered = [col(0, "điện thoại", &[]), col(1, "TÊN KH", &[])];
        let again = store.suggest_mapping(&admin, &reordered).expect("suggest");
        assert_eq!(
            targets(&again),
            [Some("phones"), Some("full_name")],
            "same headers, any order/case"
        );
        assert!(
            again
                .iter()
                .all(|m| m.reason == SuggestionReason::Remembered),
            "marked as remembered"
        );
    }
}
