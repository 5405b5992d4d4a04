//! The import template ("Download template"; the vendor's help: "Recommended to use the sample
//! file"): a one-sheet .xlsx made from the current field catalogue, which imports with no change
//! to the mapping the import suggests.
//!
//! One column per field a user can import (visible, not system-maintained), in catalogue
//! order. Its header is the field's name in the chosen language ([`field_name`]: a built-in
//! field still named as a new catalogue names it in English or Vietnamese — both are its name
//! or synonym —, a renamed or custom field as its label); a mandatory field's header is bold
//! and ends in ` *` (the mapping ignores punctuation). Each header carries a note with what the
//! column takes and an example; the header row is frozen; phone and customer-code columns are
//! text (`@`), so a typed `0377920611` keeps its leading zero, date columns show dd/mm/yyyy.
//! No example row: anything below the header would be imported as a customer.
//!
//! Before writing, the headers go through the import's own suggestion ([`mapping::suggest`]);
//! a header that would land on another field (a custom field named like a built-in's synonym)
//! falls back to the field's stored label, which is its own name.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, XlsxError};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::mapping::{self, SourceColumn};
use crate::model::{FieldDef, FieldKind, Lang};
use crate::store::Store;
use pdesk_normalize::PhoneRegion;
use pdesk_rule::catalogue::{field_name, IDENTIFIERS};

/// One column of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateColumn {
    /// The field it feeds.
    pub key: String,
    /// The header as written (with ` *` when mandatory).
    pub header: String,
    pub mandatory: bool,
    /// The header's note: what the column takes, with an example.
    pub note: String,
    /// How its cells are formatted.
    pub format: TemplateFormat,
}

/// The number format of a template column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    General,
    /// Text (`@`): what is typed stays as typed (leading zeros, `+84`).
    Text,
    /// dd/mm/yyyy.
    Date,
}

/// The file name the save dialog suggests.
pub fn template_file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Profile import template.xlsx",
        Lang::Vi => "Tệp mẫu nhập khách hàng.xlsx",
    }
}

/// The sheet's name.
fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Profiles",
        Lang::Vi => "Khách hàng",
    }
}

/// The words of the notes, per language.
struct Words {
    required: &'static str,
    identifier: &'static str,
    example: &'static str,
    phones: &'static str,
    emails: &'static str,
    date: &'static str,
    number: &'static str,
    boolean: &'static str,
    one_of: &'static str,
    some_of: &'static str,
    tags: &'static str,
    long_text: &'static str,
    text: &'static str,
    code: &'static str,
    gender_aliases: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        required: "Required: every row needs a value.",
        identifier: "Each row needs a full name, a phone or an e-mail.",
        example: "Example",
        phones: "0912 345 678 or +84 912 345 678; several separated by ;",
        emails: "An e-mail address; several separated by ;",
        date: "A date as dd/mm/yyyy (or a date cell)",
        number: "A number",
        boolean: "Yes or No",
        one_of: "One of",
        some_of: "One or more of (separated by ;)",
        tags: "Labels separated by ;",
        long_text: "Free text",
        text: "Text",
        code: "Text, kept as typed (leading zeros too)",
        gender_aliases: "",
    };
    const VI: Words = Words {
        required: "Bắt buộc: mỗi dòng phải có giá trị.",
        identifier: "Mỗi dòng cần có họ tên, số điện thoại hoặc email.",
        example: "Ví dụ",
        phones: "0912 345 678 hoặc +84 912 345 678; nhiều số cách nhau bằng ;",
        emails: "Địa chỉ email; nhiều địa chỉ cách nhau bằng ;",
        date: "Ngày dạng dd/mm/yyyy (hoặc ô kiểu ngày)",
        number: "Một số",
        boolean: "Có hoặc Không",
        one_of: "Một trong",
        some_of: "Một hoặc nhiều giá trị trong (cách nhau bằng ;)",
        tags: "Các nhãn cách nhau bằng ;",
        long_text: "Văn bản tự do",
        text: "Văn bản",
        code: "Văn bản, giữ nguyên như khi gõ (kể cả số 0 ở đầu)",
        gender_aliases: " (hoặc Nam, Nữ, Khác)",
    };
    match lang {
        Lang::En => &EN,
        Lang::Vi => &VI,
    }
}

/// An example value of `field`, when one helps.
fn example(field: &FieldDef, lang: Lang) -> Option<String> {
    let vi = lang == Lang::Vi;
    let text = match (field.key.as_str(), field.kind) {
        ("full_name", _) => "Nguyễn Văn An",
        ("address", _) => "12 Lý Thường Kiệt, Hoàn Kiếm",
        ("city", _) => "Hà Nội",
        ("company", _) => "Công ty TNHH Minh Phát",
        ("job_title", _) => "Trưởng phòng kinh doanh",
        ("customer_code", _) => "KH000123",
        ("note", _) if vi => "Khách quen, thích liên hệ qua Zalo",
        ("note", _) => "Regular customer, prefers Zalo",
        ("gender", FieldKind::Select) if vi => "Nữ",
        (_, FieldKind::Phones) => "0912 345 678; +84 377 920 611",
        (_, FieldKind::Emails) => "nguyen.an@example.com",
        (_, FieldKind::Date) => "02/12/1990",
        (_, FieldKind::Number) => "1500000",
        (_, FieldKind::Boolean) if vi => "Có",
        (_, FieldKind::Boolean) => "Yes",
        (_, FieldKind::Tags) => "VIP; Đại lý",
        (_, FieldKind::Select) => return field.options.first().map(|o| o.label.clone()),
        (_, FieldKind::MultiSelect) => {
            let labels: Vec<&str> = field.options.iter().take(2).map(|o| &*o.label).collect();
            return (!labels.is_empty()).then(|| labels.join("; "));
        }
        _ => return None,
    };
    Some(text.to_string())
}

/// What `field`'s column takes, in words.
fn format_line(field: &FieldDef, lang: Lang) -> String {
    let w = words(lang);
    let options = || {
        field
            .options
            .iter()
            .map(|o| o.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match field.kind {
        FieldKind::Phones => w.phones.into(),
        FieldKind::Emails => w.emails.into(),
        FieldKind::Date => w.date.into(),
        FieldKind::Number => w.number.into(),
        FieldKind::Boolean => w.boolean.into(),
        FieldKind::Select if field.key == "gender" => {
            format!("{}: {}{}", w.one_of, options(), w.gender_aliases)
        }
        FieldKind::Select => format!("{}: {}", w.one_of, options()),
        FieldKind::MultiSelect => format!("{}: {}", w.some_of, options()),
        FieldKind::Tags => w.tags.into(),
        FieldKind::LongText => w.long_text.into(),
        _ if field.key == "customer_code" => w.code.into(),
        _ => w.text.into(),
    }
}

fn cell_format(field: &FieldDef) -> TemplateFormat {
    match field.kind {
        FieldKind::Phones => TemplateFormat::Text,
        FieldKind::Date => TemplateFormat::Date,
        _ if field.key == "customer_code" => TemplateFormat::Text,
        _ => TemplateFormat::General,
    }
}

/// The template's columns for `fields` (the whole catalogue, in order) in `lang`: the fields a
/// column may be mapped to, each under a header the import's suggestion maps back to it.
pub fn template_columns(
    fields: &[FieldDef],
    lang: Lang,
    region: &PhoneRegion,
) -> Vec<TemplateColumn> {
    let importable: Vec<&FieldDef> = fields
        .iter()
        .filter(|f| !f.hidden && f.kind != FieldKind::System)
        .collect();
    let mut names: Vec<String> = importable
        .iter()
        .map(|f| field_name(f, lang).to_string())
        .collect();
    // A name the suggestion gives to another field (a custom field labelled like a built-in's
    // synonym) falls back to the stored label, the field's own name; twice at most, since a
    // fallback can free the other column's name.
    for _ in 0..2 {
        let columns: Vec<SourceColumn> = names
            .iter()
            .enumerate()
            .map(|(i, name)| SourceColumn {
                index: i as u32,
                header: name.clone(),
                samples: Vec::new(),
                generated: false,
            })
            .collect();
        let suggested = mapping::suggest(&columns, fields, region);
        let mut changed = false;
        for (i, m) in suggested.iter().enumerate() {
            let field = importable[i];
            if m.target.as_deref() != Some(field.key.as_str()) && names[i] != field.label {
                names[i] = field.label.clone();
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let w = words(lang);
    importable
        .iter()
        .zip(names)
        .map(|(field, name)| {
            let mut note = vec![name.clone()];
            if field.mandatory {
                note.push(w.required.into());
            }
            note.push(format_line(field, lang));
            if let Some(e) = example(field, lang) {
                note.push(format!("{}: {e}", w.example));
            }
            if IDENTIFIERS.contains(&field.key.as_str()) {
                note.push(w.identifier.into());
            }
            TemplateColumn {
                key: field.key.clone(),
                header: if field.mandatory {
                    format!("{name} *")
                } else {
                    name
                },
                mandatory: field.mandatory,
                note: note.join("\n"),
                format: cell_format(field),
            }
        })
        .collect()
}

/// Writes `columns` as the template workbook into `temp`.
fn write_workbook(columns: &[TemplateColumn], lang: Lang, temp: &Path) -> Result<()> {
    let err = |e: XlsxError| Error::Internal(format!("writing {}: {e}", temp.display()));
    let header = Format::new()
        .set_background_color(Color::RGB(0xE8EEF7))
        .set_border_bottom(FormatBorder::Thin);
    let mandatory = header.clone().set_bold();
    // Excel's built-in Text format (49, "@"): the one its Format Cells dialog names Text.
    let text = Format::new().set_num_format_index(49);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(lang)).map_err(err)?;
    for (c, column) in columns.iter().enumerate() {
        let col = c as u16;
        match column.format {
            TemplateFormat::Text => {
                sheet.set_column_format(col, &text).map_err(err)?;
            }
            TemplateFormat::Date => {
                sheet.set_column_format(col, &date).map_err(err)?;
            }
            TemplateFormat::General => {}
        }
        let format = if column.mandatory {
            &mandatory
        } else {
            &header
        };
        sheet
            .write_string_with_format(0, col, &column.header, format)
            .map_err(err)?;
        let lines = column.note.lines().count() as u32;
        let note = Note::new(&column.note)
            .add_author_prefix(false)
            .set_width(260)
            .set_height(20 + 16 * lines.max(2));
        sheet.insert_note(0, col, &note).map_err(err)?;
        let width = column.header.chars().count().max(12) as f64 + 4.0;
        sheet.set_column_width(col, width.min(40.0)).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    workbook.save(temp).map_err(err)
}

impl Store {
    /// Writes the import template of the current catalogue in `lang` at `out` (never half a
    /// file under that name; owner-only like every file Profile Desk writes). For users who
    /// may import; audited. Returns the columns written.
    pub fn write_import_template(&self, actor: &Actor, lang: Lang, out: &Path) -> Result<usize> {
        actor.require(Permission::ProfileImport)?;
        let fields = self.fields()?;
        let region = self.sync_settings()?.region;
        let columns = template_columns(&fields, lang, region);
        crate::files::write_then_publish(out, crate::files::hidden_temp(out, ""), |temp| {
            write_workbook(&columns, lang, temp)
        })?;
        crate::audit::append(
            &self.conn,
            &self.now(),
            actor,
            "import.template",
            "template",
            serde_json::json!({
                "language": lang.as_str(),
                "columns": columns.len(),
                "destination": out.display().to_string(),
            }),
        )?;
        Ok(columns.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn() -> &'static PhoneRegion {
        PhoneRegion::by_iso("VN").expect("Vietnam")
    }

    #[test]
    fn the_default_catalogue_gives_one_column_per_builtin_named_in_the_language() {
        let fields = pdesk_rule::catalogue::default_fields();
        let vi = template_columns(&fields, Lang::Vi, vn());
        let headers: Vec<&str> = vi.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "Họ và tên",
                "Số điện thoại",
                "Email",
                "Giới tính",
                "Ngày sinh",
                "Địa chỉ",
                "Tỉnh/Thành phố",
                "Công ty",
                "Chức vụ",
                "Mã khách hàng",
                "Nhãn",
                "Ghi chú"
            ],
            "catalogue order, Vietnamese names"
        );
        let en = template_columns(&fields, Lang::En, vn());
        assert_eq!(en[1].header, "Phones");
        assert_eq!(en[1].format, TemplateFormat::Text, "phones stay text");
        assert_eq!(en[4].format, TemplateFormat::Date, "birthday is a date");
        assert_eq!(
            en[9].format,
            TemplateFormat::Text,
            "customer code stays text"
        );
        assert_eq!(en[0].format, TemplateFormat::General);
        assert!(
            en[1]
                .note
                .contains("0912 345 678 or +84 912 345 678; several separated by ;"),
            "{}",
            en[1].note
        );
        assert!(vi[4].note.contains("dd/mm/yyyy"), "{}", vi[4].note);
        assert!(
            vi[3]
                .note
                .contains("Male, Female, Other, Unknown (hoặc Nam, Nữ, Khác)"),
            "the options: {}",
            vi[3].note
        );
    }

    #[test]
    fn a_colliding_custom_label_sends_the_builtin_back_to_its_own_name() {
        let mut fields = pdesk_rule::catalogue::default_fields();
        let mut custom = fields[0].clone();
        custom.key = "nhan_noi_bo".into();
        custom.label = "Nhãn".into();
        custom.builtin = false;
        custom.synonyms.clear();
        custom.position = 200;
        fields.push(custom);
        let vi = template_columns(&fields, Lang::Vi, vn());
        let header = |key: &str| vi.iter().find(|c| c.key == key).unwrap().header.clone();
        assert_eq!(header("tags"), "Tags", "the built-in takes its own label");
        assert_eq!(header("nhan_noi_bo"), "Nhãn", "the custom field its label");
    }
}
