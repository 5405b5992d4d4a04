//! "Separate each sheet into its own file", done for the user: one `.xlsx` per sheet with data,
//! saved next to the original as `<stem> - <sheet name>.xlsx`, never over an existing file.
//! Cells stream from calamine's cell reader into rust_xlsxwriter's constant-memory mode, so no
//! sheet is ever held; text stays text, numbers numbers and dates dates.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::cell::Cell;
use super::guard::FileLimits;
use super::reader::OpenWorkbook;
use super::refusal::ImportRefusal;

/// Writes one `.xlsx` per sheet with data of `path` next to it and returns their paths, in
/// workbook order (empty when the file has fewer than two sheets with data: nothing to split).
/// The same guard and caps as an import apply to the original. On failure, the files written
/// so far are removed.
pub fn split_sheets(path: &Path, limits: &FileLimits) -> Result<Vec<PathBuf>, ImportRefusal> {
    let mut workbook = OpenWorkbook::open(path, limits, crate::guard::RowCount::Skip)?;
    let sheets = workbook.sheets_with_data()?;
    if sheets.len() < 2 {
        return Ok(Vec::new());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workbook".to_string());

    let file_name = workbook.info.file_name.clone();
    let mut written: Vec<PathBuf> = Vec::with_capacity(sheets.len());
    for (index, (sheet, _hidden)) in sheets.iter().enumerate() {
        let result = new_file(dir, &stem, sheet, index, &file_name).and_then(|(target, file)| {
            written.push(target.clone());
            write_sheet(&mut workbook, sheet, file, &target).map(|()| target)
        });
        if let Err(e) = result {
            for done in &written {
                let _ = fs::remove_file(done);
            }
            return Err(e);
        }
    }
    Ok(written)
}

/// Creates `<stem> - <sheet>.xlsx` in `dir`, or `… (2).xlsx`, `… (3).xlsx` when taken. The
/// file is created with `create_new`, so an existing file is never overwritten, even one that
/// appears meanwhile.
fn new_file(
    dir: &Path,
    stem: &str,
    sheet: &str,
    index: usize,
    file_name: &str,
) -> Result<(PathBuf, File), ImportRefusal> {
    let mut name = sanitize(sheet);
    if name.is_empty() {
        name = format!("Sheet {}", index + 1);
    }
    let base = format!("{stem} - {name}");
    for n in 1..=1_000 {
        let candidate = if n == 1 {
            dir.join(format!("{base}.xlsx"))
        } else {
            dir.join(format!("{base} ({n}).xlsx"))
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(write_failed(file_name, &candidate, e.to_string())),
        }
    }
    Err(write_failed(
        file_name,
        &dir.join(format!("{base}.xlsx")),
        "a thousand files of that name exist".to_string(),
    ))
}

fn write_failed(file_name: &str, target: &Path, detail: String) -> ImportRefusal {
    ImportRefusal::WriteFailed {
        file: file_name.to_string(),
        target: target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        detail,
    }
}

/// A sheet name as part of a file name: characters no file system accepts become `_`, no
/// trailing dots or spaces (Windows drops them), at most 100 characters.
fn sanitize(sheet: &str) -> String {
    let cleaned: String = sheet
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(100)
        .collect();
    cleaned.trim().trim_end_matches(['.', ' ']).to_string()
}

fn write_sheet(
    workbook: &mut OpenWorkbook,
    sheet: &str,
    file: File,
    target: &Path,
) -> Result<(), ImportRefusal> {
    let file_name = workbook.info.file_name.clone();
    let write_error = |e: XlsxError| write_failed(&file_name, target, e.to_string());
    let mut out = Workbook::new();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let datetime_format = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    let mut error: Option<XlsxError> = None;
    let mut last_row = 0;
    {
        let worksheet = out
            .add_worksheet_with_constant_memory()
            .map_err(write_error)?;
        worksheet.set_name(sheet).map_err(write_error)?;
        let _flow = workbook.for_each_cell(sheet, |row, col, value| {
            // Constant-memory mode writes rows in order; a file whose rows go back is broken.
            if row < last_row {
                return Err(ImportRefusal::Damaged {
                    file: file_name.clone(),
                    detail: format!("row {} comes after row {}", row + 1, last_row + 1),
                });
            }
            last_row = row;
            // Columns are capped at 200 by the reader, so they fit a u16.
            let col = col as u16;
            let written = match Cell::from_calamine(value) {
                Cell::Empty => Ok(()),
                Cell::Text(t) | Cell::Error(t) => worksheet.write_string(row, col, t).map(|_| ()),
                Cell::Number(n) => worksheet.write_number(row, col, n).map(|_| ()),
                Cell::Bool(b) => worksheet.write_boolean(row, col, b).map(|_| ()),
                Cell::Date(d) => {
                    ExcelDateTime::from_ymd(d.year() as u16, d.month().into(), d.day())
                        .and_then(|x| {
                            worksheet.write_datetime_with_format(row, col, x, &date_format)
                        })
                        .map(|_| ())
                }
                Cell::DateTime(dt) => {
                    let (d, t) = (dt.date(), dt.time());
                    ExcelDateTime::from_ymd(d.year() as u16, d.month().into(), d.day())
                        .and_then(|x| {
                            x.and_hms_milli(
                                t.hour().into(),
                                t.minute(),
                                t.second(),
                                t.millisecond(),
                            )
                        })
                        .and_then(|x| {
                            worksheet.write_datetime_with_format(row, col, x, &datetime_format)
                        })
                        .map(|_| ())
                }
            };
            Ok(match written {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    error = Some(e);
                    ControlFlow::Break(())
                }
            })
        })?;
    }
    if let Some(e) = error {
        return Err(write_error(e));
    }
    out.save_to_writer(BufWriter::new(file))
        .map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_in_file_names() {
        assert_eq!(sanitize("Khách hàng"), "Khách hàng", "Unicode stays");
        assert_eq!(sanitize("a/b:c*d?"), "a_b_c_d_", "reserved characters go");
        assert_eq!(sanitize("Q1. "), "Q1", "no trailing dot or space");
    }
}
