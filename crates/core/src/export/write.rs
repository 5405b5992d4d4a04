//! The file itself: cells typed from display text, the workbook written on a thread of its
//! own while the rows are read, columns sized, sheets continued past Excel's row limit; and the
//! file names exports get.

use std::ops::ControlFlow;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use time::{Date, Month, OffsetDateTime, UtcOffset};

use super::SHEET_ROWS;
use crate::error::{Error, Result};
use crate::filter::ListQuery;
use crate::list::PhoneText;
use crate::model::{FieldDef, FieldKind, ProfileId, ProfileRow};
use crate::store::Store;

/// Rows read from the store per query (and between progress reports / cancel checks).
pub(super) const CHUNK: usize = 2_000;
/// Column widths follow the longest value of the first rows.
const WIDTH_SAMPLE: usize = 100;

/// A cell's value as the file holds it.
enum Value<'a> {
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

fn cell_value<'a>(kind: ColumnKind, text: &'a str, offset: UtcOffset) -> Value<'a> {
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

struct Formats {
    header: Format,
    date: Format,
    datetime: Format,
    quoted: Format,
}

fn xlsx(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Internal(format!("writing {}: {e}", path.display()))
}

/// Writes `ids` (in order) with `fields` as columns into a new workbook at `path`. Calls
/// `progress(rows_done)` after each chunk; `Break` stops and returns `None` (nothing left at
/// `path`). Returns the rows written.
///
/// Reading the rows from the store and writing the cells each take about half of an export,
/// so they run side by side: this thread reads chunks (the store's connection stays here, for
/// `progress` too) and a writer thread owns the workbook. At most [`CHUNKS_IN_FLIGHT`] chunks
/// wait between them, which keeps memory flat; the reported progress is the rows read.
pub(super) fn write_workbook(
    store: &Store,
    ids: &[ProfileId],
    fields: &[FieldDef],
    offset: UtcOffset,
    path: &Path,
    progress: &mut dyn FnMut(u32) -> ControlFlow<()>,
) -> Result<Option<u32>> {
    let keys: Vec<String> = fields.iter().map(|f| f.key.clone()).collect();
    let level = store.memos.with(|l: &mut DeflateLevel| l.0)?;
    let (chunks, received) = std::sync::mpsc::sync_channel::<Batch>(CHUNKS_IN_FLIGHT);
    // Each row is read once, in id order: measured on 1,000,000 rows, a 16 MB cache instead of
    // the store's 64 MB takes 25 MB off the export's peak memory and no time.
    store.with_page_cache(16 * 1024, || {
        std::thread::scope(|scope| {
            let writer = scope.spawn(|| write_rows(received, fields, offset, level, path));
            let mut read: u32 = 0;
            let mut outcome = Ok(Some(()));
            for chunk in ids.chunks(CHUNK) {
                let rows = match store.rows_for(chunk, &keys, PhoneText::AsTyped) {
                    Ok(rows) => rows,
                    Err(e) => {
                        outcome = Err(e);
                        break;
                    }
                };
                read += rows.len() as u32;
                if chunks.send(Batch::Rows(rows)).is_err() {
                    break; // The writer failed; joining it below gives its error.
                }
                if progress(read).is_break() {
                    outcome = Ok(None);
                    break;
                }
            }
            if matches!(outcome, Ok(Some(()))) {
                let _ = chunks.send(Batch::Finish);
            }
            // Without `Finish` the writer stops without saving.
            drop(chunks);
            let written = writer.join().map_err(|_| {
                Error::Internal(format!("the writer of {} panicked", path.display()))
            })?;
            match outcome {
                Ok(Some(())) => written,
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            }
        })
    })
}

/// Chunks read but not yet written, at most.
const CHUNKS_IN_FLIGHT: usize = 2;

/// What the reading thread sends the writer.
enum Batch {
    Rows(Vec<ProfileRow>),
    /// Every row was sent: save the workbook.
    Finish,
}

/// The writer thread of [`write_workbook`]: cells of the rows it receives, then the file at
/// `path` on [`Batch::Finish`]; `None` (and no file) if the sender goes away before that.
fn write_rows(
    received: std::sync::mpsc::Receiver<Batch>,
    fields: &[FieldDef],
    offset: UtcOffset,
    level: u8,
    path: &Path,
) -> Result<Option<u32>> {
    let err = xlsx(path);
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        quoted: Format::new().set_quote_prefix(),
    };
    let kinds: Vec<ColumnKind> = fields.iter().map(column_kind).collect();
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(level);
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // The writer's row buffers go next to the file (not a RAM-backed /tmp).
        workbook.set_tempdir(dir).map_err(&err)?;
    }
    let mut widths: Vec<usize> = fields.iter().map(|f| f.label.chars().count()).collect();
    let new_sheet = |workbook: &mut Workbook, number: usize| -> Result<usize> {
        let ws = workbook
            .add_worksheet_with_constant_memory()
            .map_err(&err)?;
        let name = if number == 1 {
            "Profiles".to_string()
        } else {
            format!("Profiles {number}")
        };
        ws.set_name(name).map_err(&err)?;
        for (c, f) in fields.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, &f.label, &formats.header)
                .map_err(&err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(&err)?;
        Ok(number - 1)
    };
    let mut written: u32 = 0;
    let mut sheet_row: u32 = 0;
    let mut sheets = 0usize;
    loop {
        let rows = match received.recv() {
            Ok(Batch::Rows(rows)) => rows,
            Ok(Batch::Finish) => break,
            Err(_) => return Ok(None),
        };
        for row in &rows {
            if sheets == 0 || sheet_row >= SHEET_ROWS {
                sheets += 1;
                new_sheet(&mut workbook, sheets)?;
                sheet_row = 0;
            }
            let ws = workbook.worksheet_from_index(sheets - 1).map_err(&err)?;
            sheet_row += 1;
            for (c, field) in fields.iter().enumerate() {
                let Some(text) = row.cells.get(&field.key).filter(|t| !t.is_empty()) else {
                    continue;
                };
                let col = c as u16;
                if (written as usize) < WIDTH_SAMPLE {
                    widths[c] = widths[c].max(text.chars().count());
                }
                match cell_value(kinds[c], text, offset) {
                    Value::Text(t) if needs_quote_prefix(t) => {
                        ws.write_string_with_format(sheet_row, col, t, &formats.quoted)
                    }
                    Value::Text(t) => ws.write_string(sheet_row, col, t),
                    Value::Serial(s, false) => {
                        ws.write_number_with_format(sheet_row, col, s, &formats.date)
                    }
                    Value::Serial(s, true) => {
                        ws.write_number_with_format(sheet_row, col, s, &formats.datetime)
                    }
                    Value::Number(n) => ws.write_number(sheet_row, col, n),
                    Value::Bool(b) => ws.write_boolean(sheet_row, col, b),
                }
                .map_err(&err)?;
            }
            written += 1;
        }
    }
    if sheets == 0 {
        // No rows: the header alone.
        sheets = 1;
        new_sheet(&mut workbook, 1)?;
    }
    for i in 0..sheets {
        let ws = workbook.worksheet_from_index(i).map_err(&err)?;
        size_columns(ws, &kinds, &widths).map_err(&err)?;
    }
    // Owner-only (issue 15): the file holds customers.
    let file = crate::store::private_file::create(path)?;
    workbook.save_to_writer(file).map_err(&err)?;
    Ok(Some(written))
}

/// Deflate level of the saved file. Level 3 instead of zlib's default 6: measured on a
/// 1,000,000-row export (one thread), 16.2 s instead of 20.1 s for a file 12% larger (94 MB
/// instead of 84 MB); level 1 gains only 0.4 s more, for a file 50% larger. The benchmark
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

fn size_columns(
    ws: &mut Worksheet,
    kinds: &[ColumnKind],
    widths: &[usize],
) -> std::result::Result<(), XlsxError> {
    for (c, (kind, chars)) in kinds.iter().zip(widths).enumerate() {
        let width = match kind {
            ColumnKind::Date => 12.0,
            ColumnKind::Timestamp => 17.0,
            _ => (*chars as f64 + 2.0).clamp(8.0, 60.0),
        };
        ws.set_column_width(c as u16, width)?;
    }
    Ok(())
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
