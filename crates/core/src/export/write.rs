//! Cells typed from display text (the file itself is written by `pipeline`), the deflate
//! level, and the file names exports get.

use rust_xlsxwriter::Format;
use time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::error::Result;
use crate::filter::ListQuery;
use crate::model::{FieldDef, FieldKind};

/// Rows read from the store per query (and between progress reports / cancel checks): also
/// the rows of one piece of sheet XML deflated on its own (about 0.7 MB of XML).
pub(super) const CHUNK: usize = 1_000;

/// A cell's value as the file holds it.
pub(super) enum Value<'a> {
    Text(&'a str),
    /// An Excel serial date (days since 1899-12-30) with the date or date-time format.
    Serial(f64, bool),
    Number(f64),
    Bool(bool),
}

/// How a column's display text becomes a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Date,
    Timestamp,
    Number,
    Boolean,
}

impl ColumnKind {
    /// One letter per kind, for the benchmark's peer file.
    pub fn code(self) -> &'static str {
        match self {
            ColumnKind::Text => "s",
            ColumnKind::Date => "d",
            ColumnKind::Timestamp => "t",
            ColumnKind::Number => "n",
            ColumnKind::Boolean => "b",
        }
    }
}

/// A cell as the benchmark's Python peer writes it: the same value as [`cell_value`] gives
/// the export (dates as Excel serial numbers, booleans as 1/0).
pub fn peer_cell(kind: ColumnKind, text: &str, offset: UtcOffset) -> String {
    match cell_value(kind, text, offset) {
        Value::Text(t) => t.to_string(),
        Value::Serial(s, _) | Value::Number(s) => s.to_string(),
        Value::Bool(b) => if b { "1" } else { "0" }.to_string(),
    }
}

/// How the export writes `field`'s cells.
pub fn column_kind(field: &FieldDef) -> ColumnKind {
    match field.kind {
        FieldKind::Date => ColumnKind::Date,
        FieldKind::Number => ColumnKind::Number,
        FieldKind::Boolean => ColumnKind::Boolean,
        FieldKind::System if field.key.ends_with("_at") => ColumnKind::Timestamp,
        _ => ColumnKind::Text,
    }
}

/// A text Excel could read as a formula (or that starts with a control character).
pub fn needs_quote_prefix(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Writes `text` as a text cell that stays text when someone edits it in Excel: a value
/// starting with `=`, `+`, `-`, `@` or a control character gets Excel's quote prefix (the
/// failed-rows and audit files hold cells typed by others).
pub fn write_text_cell(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    text: &str,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if needs_quote_prefix(text) {
        sheet.write_string_with_format(row, col, text, &Format::new().set_quote_prefix())?;
    } else {
        sheet.write_string(row, col, text)?;
    }
    Ok(())
}

fn excel_epoch() -> Date {
    Date::from_calendar_date(1899, Month::December, 30).unwrap_or(Date::MIN)
}

fn date_serial(d: Date) -> f64 {
    (d - excel_epoch()).whole_days() as f64
}

/// A stored UTC timestamp as a local Excel date-time.
fn timestamp_serial(text: &str, offset: UtcOffset) -> Option<f64> {
    let t = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    let local = t.to_offset(offset);
    let seconds = f64::from(local.hour()) * 3600.0
        + f64::from(local.minute()) * 60.0
        + f64::from(local.second());
    Some(date_serial(local.date()) + seconds / 86_400.0)
}

pub(super) fn cell_value<'a>(kind: ColumnKind, text: &'a str, offset: UtcOffset) -> Value<'a> {
    match kind {
        ColumnKind::Date => match Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        ) {
            Ok(d) => Value::Serial(date_serial(d), false),
            Err(_) => Value::Text(text),
        },
        ColumnKind::Timestamp => match timestamp_serial(text, offset) {
            Some(s) => Value::Serial(s, true),
            None => Value::Text(text),
        },
        ColumnKind::Number => match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Value::Number(n),
            _ => Value::Text(text),
        },
        ColumnKind::Boolean => match text {
            "Yes" => Value::Bool(true),
            "No" => Value::Bool(false),
            _ => Value::Text(text),
        },
        ColumnKind::Text => Value::Text(text),
    }
}

/// Deflate level of the saved file. Level 3 instead of zlib's default 6: measured on a
/// 1,000,000-row export with the pipelined writer on 2 cores (BENCHMARKS.md, 2026-12-05),
/// 5.3 s instead of 7.5 s for a file 12% larger (94.6 MB instead of 84.8 MB). The benchmark
/// measures both levels in each run ([`DeflateLevel`]).
pub const ZIP_LEVEL: u8 = 3;

/// The deflate level this store's exports save with: [`ZIP_LEVEL`] unless the benchmark set
/// another to compare ([`crate::Store::set_export_deflate_level`]). Not a user setting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeflateLevel(pub u8);

impl Default for DeflateLevel {
    fn default() -> Self {
        DeflateLevel(ZIP_LEVEL)
    }
}

impl crate::store::Store {
    /// Saves this store's next exports with deflate `level` (1–9) instead of [`ZIP_LEVEL`]:
    /// the benchmark's level-6 figure (zlib's and XlsxWriter's default) beside the default's.
    pub fn set_export_deflate_level(&self, level: u8) -> Result<()> {
        self.memos
            .with(|l: &mut DeflateLevel| *l = DeflateLevel(level.clamp(1, 9)))
    }
}

/// A file name safe on every OS: no path separators or reserved characters.
pub(super) fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.').to_string();
    if trimmed.is_empty() {
        "Profiles".into()
    } else {
        trimmed.chars().take(120).collect()
    }
}

/// "Profiles 2026-11-28 143005.xlsx" (`now` in local time, to the second), and for a
/// background export "Profiles 2026-11-28 143005 #7.xlsx": two exports started in the same
/// minute (or second) never suggest or get the same name (issue 16), even once saved to the
/// same folder.
pub(super) fn default_file_name(
    now: OffsetDateTime,
    offset: UtcOffset,
    job: Option<i64>,
) -> String {
    let t = now.to_offset(offset);
    format!(
        "Profiles {:04}-{:02}-{:02} {:02}{:02}{:02}{}.xlsx",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        job.map(|id| format!(" #{id}")).unwrap_or_default()
    )
}

pub(super) fn offset_of(query: &ListQuery) -> UtcOffset {
    UtcOffset::from_whole_seconds(query.utc_offset_minutes.clamp(-16 * 60, 16 * 60) * 60)
        .unwrap_or(UtcOffset::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn exports_in_the_same_minute_get_different_names() {
        let ict = UtcOffset::from_hms(7, 0, 0).unwrap();
        let first = default_file_name(datetime!(2026-11-28 07:30:05 UTC), ict, None);
        assert_eq!(
            first, "Profiles 2026-11-28 143005.xlsx",
            "local time, seconds"
        );
        assert_ne!(
            first,
            default_file_name(datetime!(2026-11-28 07:30:41 UTC), ict, None),
            "a direct export later in the same minute"
        );
        let (a, b) = (
            default_file_name(datetime!(2026-11-28 07:30:05 UTC), ict, Some(7)),
            default_file_name(datetime!(2026-11-28 07:30:05 UTC), ict, Some(8)),
        );
        assert_eq!(a, "Profiles 2026-11-28 143005 #7.xlsx");
        assert_ne!(a, b, "background exports started in the same second");
    }
}
