//! The streaming sheet reader: calamine's cell reader (`Xlsx::worksheet_cells_reader`), never a
//! whole-sheet `Range` — a 1.6 KB file with cells A1 and XFD1048576 makes `worksheet_range`
//! allocate 512 GiB and abort the process. Cells are capped as they stream: a value beyond
//! column 200, a cell over 32,767 characters, more data rows than the limit. Only one row is
//! held at a time.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use super::cell::{cell_ref, Cell, RowNumber};
use super::guard::{inspect_open, is_size_lie, size_lie, FileLimits, RowCount, XlsxInfo};
use super::refusal::{display_name, ImportRefusal};

/// Most columns a file may have values in (A to GR). Customer files have 10–40 columns.
pub const MAX_COLUMNS: u32 = 200;
/// Longest cell text accepted, in characters: Excel's own limit per cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The outcome of [`read_sheet`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadSummary {
    /// What the guard found.
    pub info: XlsxInfo,
    /// The sheet that was read (the only one with data).
    pub sheet: String,
    /// The column names, trimmed and in NFC, in column order from A.
    pub headers: Vec<String>,
    /// The Excel row number of the header row (1 unless rows above it are empty).
    pub header_row: RowNumber,
    /// Data rows read (non-empty rows after the header).
    pub data_rows: u32,
    /// The Excel row number of the last data row read (the header row if there was none).
    pub last_row: RowNumber,
    /// True when the callback stopped the reading before the end.
    pub stopped: bool,
}

/// Headers, a sample of rows and the total row count, for the mapping grid.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub file_name: String,
    pub sheet: String,
    pub headers: Vec<String>,
    pub header_row: RowNumber,
    /// The first data rows with their Excel row numbers, each as wide as `headers`.
    pub rows: Vec<(RowNumber, Vec<Cell>)>,
    /// Data rows in the whole file (non-empty rows after the header).
    pub total_rows: u32,
}

/// Reads the one sheet with data of `path`, after the guard: calls `on_row` first with the
/// header row (validated: no empty name, no name twice), then with every non-empty data row in
/// order, each as wide as the header (missing cells are [`Cell::Empty`]). Row numbers are the
/// Excel row numbers users see; empty rows are skipped but keep their numbers.
///
/// Rows are delivered as they are read, so a refusal found later (row 50,001, a value in a
/// column with no name) comes after earlier rows were delivered: callers that apply rows run
/// [`preview`] first, which reads the whole file, or treat rows as provisional until `Ok`.
/// `on_row` returning `Break` stops the reading (`stopped` in the summary).
pub fn read_sheet(
    path: &Path,
    limits: &FileLimits,
    mut on_row: impl FnMut(RowNumber, &[Cell]) -> ControlFlow<()>,
) -> Result<ReadSummary, ImportRefusal> {
    let mut workbook = OpenWorkbook::open(path, limits, RowCount::Skip)?;
    let sheet = workbook.data_sheet()?;
    let mut rows = RowAssembler::new(workbook.info.file_name.clone(), *limits);
    let flow = workbook.for_each_cell(&sheet, |row, col, value| {
        rows.cell(row, col, value, &mut on_row)
    })?;
    let stopped = flow.is_break() && !rows.counting_only();
    rows.finish(&mut on_row)?;
    Ok(ReadSummary {
        info: workbook.info,
        sheet,
        headers: rows.headers,
        header_row: rows.header_row,
        data_rows: rows.data_rows as u32,
        last_row: rows.last_row,
        stopped,
    })
}

/// The header row, the first `sample_rows` data rows and the number of data rows of `path`,
/// for the mapping step. Only the header and the sample are read as cells (every rule checked
/// on them); the rows are counted by the guard's scan of the sheet, which parses no cell
/// (issue 18: a 50,000-row file's full read took as long as polars reading it). The rules on
/// the rows after the sample (a cell too large, a value beyond the named columns) are checked
/// by the dry run and the job, which read every row. The row limit is checked here on the
/// count, which can only be too high (a row of white-space shared strings; see `scan`).
pub fn preview(
    path: &Path,
    limits: &FileLimits,
    sample_rows: usize,
) -> Result<Preview, ImportRefusal> {
    let mut workbook = OpenWorkbook::open(path, limits, RowCount::Count)?;
    let sheet = workbook.data_sheet()?;
    let mut rows = Vec::with_capacity(sample_rows.min(1_000));
    let mut assembler = RowAssembler::new(workbook.info.file_name.clone(), *limits);
    let mut header_seen = false;
    let mut on_row = |number: RowNumber, cells: &[Cell]| {
        if !std::mem::replace(&mut header_seen, true) {
            return ControlFlow::Continue(());
        }
        rows.push((number, cells.to_vec()));
        if rows.len() < sample_rows {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    };
    let flow = workbook.for_each_cell(&sheet, |row, col, value| {
        assembler.cell(row, col, value, &mut on_row)
    })?;
    if flow.is_continue() {
        // The sheet ended within the sample: its last row, and the header's checks.
        assembler.finish(&mut on_row)?;
    }
    let counted = workbook
        .info
        .sheets
        .iter()
        .find(|s| s.name == sheet)
        .and_then(|s| s.rows_with_values)
        .unwrap_or(0);
    // The header is the first row with a value; the scan counts at least as many rows as the
    // reader delivered.
    let total_rows = counted.saturating_sub(1).max(rows.len() as u64);
    if total_rows > u64::from(limits.max_rows) {
        return Err(ImportRefusal::TooManyRows {
            file: workbook.info.file_name,
            rows: total_rows,
            exact: true,
            limit: limits.max_rows,
        });
    }
    Ok(Preview {
        file_name: workbook.info.file_name,
        sheet,
        headers: assembler.headers,
        header_row: assembler.header_row,
        rows,
        total_rows: total_rows as u32,
    })
}

/// A workbook that passed the guard, opened by calamine on the same file handle.
pub(crate) struct OpenWorkbook {
    pub(crate) xlsx: Xlsx<BufReader<File>>,
    pub(crate) info: XlsxInfo,
}

impl OpenWorkbook {
    pub(crate) fn open(
        path: &Path,
        limits: &FileLimits,
        rows: RowCount,
    ) -> Result<Self, ImportRefusal> {
        let file_name = display_name(path);
        let unreadable = |source| ImportRefusal::Unreadable {
            file: file_name.clone(),
            source,
        };
        let mut file = File::open(path).map_err(unreadable)?;
        let info = inspect_open(&mut file, &file_name, limits, rows)?;
        file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
        let xlsx = Xlsx::new(BufReader::new(file)).map_err(|e| refusal(&file_name, e))?;
        Ok(OpenWorkbook { xlsx, info })
    }

    fn file_name(&self) -> &str {
        &self.info.file_name
    }

    /// The worksheets holding at least one non-empty cell, in workbook order, with hidden ones
    /// marked (for the several-sheets message). Each sheet is streamed only up to its first
    /// value, so an empty default "Sheet2" costs nothing.
    pub(crate) fn sheets_with_data(&mut self) -> Result<Vec<(String, bool)>, ImportRefusal> {
        let sheets: Vec<(String, bool)> = self
            .xlsx
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
            .collect();
        let mut with_data = Vec::new();
        for (name, hidden) in sheets {
            let found = self.for_each_cell(&name, |_, _, _| Ok(ControlFlow::Break(())));
            // Caps (columns, cell size) are the data sheet's business, checked when it is read.
            let has_data = match found {
                Ok(flow) => flow.is_break(),
                Err(ImportRefusal::TooManyColumns { .. } | ImportRefusal::CellTooLarge { .. }) => {
                    true
                }
                Err(e) => return Err(e),
            };
            if has_data {
                with_data.push((name, hidden));
            }
        }
        Ok(with_data)
    }

    /// The one sheet with data; refuses a workbook with none or with several.
    pub(crate) fn data_sheet(&mut self) -> Result<String, ImportRefusal> {
        let mut sheets = self.sheets_with_data()?;
        match sheets.len() {
            0 => Err(ImportRefusal::Empty {
                file: self.file_name().to_string(),
            }),
            1 => Ok(sheets.remove(0).0),
            _ => Err(ImportRefusal::SeveralSheets {
                file: self.file_name().to_string(),
                sheets: sheets
                    .into_iter()
                    .map(|(name, hidden)| {
                        if hidden {
                            format!("{name} (hidden)")
                        } else {
                            name
                        }
                    })
                    .collect(),
            }),
        }
    }

    /// Streams the cells of `sheet` in file order as (0-based row, 0-based column, value),
    /// refusing a value beyond [`MAX_COLUMNS`] or longer than [`MAX_CELL_CHARS`] before the
    /// callback sees it. Empty cells and cells of white space only are skipped.
    pub(crate) fn for_each_cell(
        &mut self,
        sheet: &str,
        mut on_cell: impl FnMut(u32, u32, &DataRef<'_>) -> Result<ControlFlow<()>, ImportRefusal>,
    ) -> Result<ControlFlow<()>, ImportRefusal> {
        let file_name = self.info.file_name.clone();
        let part = self
            .info
            .sheets
            .iter()
            .find(|s| s.name == sheet)
            .map_or("", |s| s.part.as_str())
            .to_string();
        let mut reader = match self.xlsx.worksheet_cells_reader(sheet) {
            Ok(reader) => reader,
            // A sheet typed as a worksheet that is not one holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => return Ok(ControlFlow::Continue(())),
            Err(e) => return Err(refusal_in(&file_name, &part, e)),
        };
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => return Ok(ControlFlow::Continue(())),
                Err(e) => return Err(refusal_in(&file_name, &part, e)),
            };
            let value = cell.get_value();
            if is_blank(value) {
                continue;
            }
            let (row, col) = cell.get_position();
            if col >= MAX_COLUMNS {
                return Err(ImportRefusal::TooManyColumns {
                    file: file_name,
                    cell: cell_ref(col, row.saturating_add(1)),
                    limit: MAX_COLUMNS,
                });
            }
            match value {
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                    check_length(s, &file_name, row, col)?
                }
                DataRef::SharedString(s) => check_length(s, &file_name, row, col)?,
                _ => {}
            }
            if on_cell(row, col, value)?.is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
    }
}

fn check_length(s: &str, file_name: &str, row: u32, col: u32) -> Result<(), ImportRefusal> {
    // Bytes bound characters from above: only long texts are counted.
    if s.len() > MAX_CELL_CHARS && s.chars().count() > MAX_CELL_CHARS {
        return Err(ImportRefusal::CellTooLarge {
            file: file_name.to_string(),
            cell: cell_ref(col, row.saturating_add(1)),
            limit: MAX_CELL_CHARS,
        });
    }
    Ok(())
}

/// A value that counts as no data: empty, or text of white space only.
fn is_blank(value: &DataRef<'_>) -> bool {
    match value {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A calamine error as a refusal.
pub(crate) fn refusal(file_name: &str, error: XlsxError) -> ImportRefusal {
    refusal_in(file_name, "", error)
}

/// A calamine error while reading `part` (empty when unknown) as a refusal.
fn refusal_in(file_name: &str, part: &str, error: XlsxError) -> ImportRefusal {
    let message = error.to_string();
    if is_size_lie(&message) {
        return size_lie(file_name, part);
    }
    match error {
        XlsxError::Password => ImportRefusal::Encrypted {
            file: file_name.to_string(),
        },
        XlsxError::Zip(e) => super::guard::damaged_zip(file_name, e),
        other => ImportRefusal::Damaged {
            file: file_name.to_string(),
            detail: other.to_string(),
        },
    }
}

/// Turns the stream of cells into rows: validates the header row, fills sparse rows, skips
/// empty ones, counts data rows against the limit.
struct RowAssembler {
    file_name: String,
    limits: FileLimits,
    headers: Vec<String>,
    header_row: RowNumber,
    have_header: bool,
    /// The row being filled (0-based), if any.
    current: Option<u32>,
    pending: Vec<Cell>,
    pending_non_empty: bool,
    data_rows: u64,
    last_row: RowNumber,
    /// Past the row limit: rows are only counted, up to `count_until`.
    count_until: u64,
}

impl RowAssembler {
    fn new(file_name: String, limits: FileLimits) -> Self {
        let max = u64::from(limits.max_rows);
        RowAssembler {
            file_name,
            limits,
            headers: Vec::new(),
            header_row: 0,
            have_header: false,
            current: None,
            pending: Vec::new(),
            pending_non_empty: false,
            data_rows: 0,
            last_row: 0,
            // Counting past the limit costs time; twice the limit is plenty to say how far
            // over a file is, and keeps the refusal of a huge file fast.
            count_until: max.saturating_mul(2).max(max + 1),
        }
    }

    fn counting_only(&self) -> bool {
        self.data_rows > u64::from(self.limits.max_rows)
    }

    fn cell(
        &mut self,
        row: u32,
        col: u32,
        value: &DataRef<'_>,
        on_row: &mut impl FnMut(RowNumber, &[Cell]) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, ImportRefusal> {
        if let Some(current) = self.current {
            if row < current {
                return Err(ImportRefusal::Damaged {
                    file: self.file_name.clone(),
                    detail: format!("row {} comes after row {}", row + 1, current + 1),
                });
            }
            if row > current && self.flush(on_row)?.is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        self.current = Some(row);
        let col = col as usize;
        if self.have_header {
            if col >= self.headers.len() {
                // A value in a column with no name.
                return Err(ImportRefusal::EmptyHeader {
                    file: self.file_name.clone(),
                    cell: cell_ref(col as u32, self.header_row),
                });
            }
            if self.counting_only() {
                self.pending_non_empty = true;
                return Ok(ControlFlow::Continue(()));
            }
        } else if col >= self.pending.len() {
            self.pending.resize(col + 1, Cell::Empty);
        }
        self.pending[col] = Cell::from_calamine(value);
        self.pending_non_empty = true;
        Ok(ControlFlow::Continue(()))
    }

    /// Ends the current row: the header row is validated and delivered; a data row is counted
    /// and delivered (or only counted past the limit).
    fn flush(
        &mut self,
        on_row: &mut impl FnMut(RowNumber, &[Cell]) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, ImportRefusal> {
        let Some(current) = self.current.take() else {
            return Ok(ControlFlow::Continue(()));
        };
        if !std::mem::take(&mut self.pending_non_empty) {
            return Ok(ControlFlow::Continue(()));
        }
        let number = current + 1;
        if !self.have_header {
            self.header_row = number;
            self.last_row = number;
            self.headers = validate_header(&self.file_name, number, &self.pending)?;
            self.have_header = true;
            let names: Vec<Cell> = self.headers.iter().cloned().map(Cell::Text).collect();
            self.pending.iter_mut().for_each(|c| *c = Cell::Empty);
            return Ok(on_row(number, &names));
        }
        self.data_rows += 1;
        if self.counting_only() {
            return Ok(if self.data_rows > self.count_until {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            });
        }
        self.last_row = number;
        let flow = on_row(number, &self.pending);
        self.pending.iter_mut().for_each(|c| *c = Cell::Empty);
        Ok(flow)
    }

    /// After the last cell: delivers the last row and applies the row limit.
    fn finish(
        &mut self,
        on_row: &mut impl FnMut(RowNumber, &[Cell]) -> ControlFlow<()>,
    ) -> Result<(), ImportRefusal> {
        // Past the limit this only counts the last row.
        let _ = self.flush(on_row)?;
        if !self.have_header {
            return Err(ImportRefusal::Empty {
                file: self.file_name.clone(),
            });
        }
        if self.counting_only() {
            let exact = self.data_rows <= self.count_until;
            return Err(ImportRefusal::TooManyRows {
                file: self.file_name.clone(),
                rows: if exact {
                    self.data_rows
                } else {
                    self.count_until
                },
                exact,
                limit: self.limits.max_rows,
            });
        }
        Ok(())
    }
}

/// Header names from the first non-empty row: every column from A to the last named one must
/// have a name, and no name may appear twice (compared trimmed and ignoring case).
fn validate_header(
    file_name: &str,
    row: RowNumber,
    cells: &[Cell],
) -> Result<Vec<String>, ImportRefusal> {
    let mut headers = Vec::with_capacity(cells.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(cells.len());
    for (col, cell) in cells.iter().enumerate() {
        let name = cell.to_text();
        if name.is_empty() {
            return Err(ImportRefusal::EmptyHeader {
                file: file_name.to_string(),
                cell: cell_ref(col as u32, row),
            });
        }
        if let Some(first) = seen.insert(name.to_lowercase(), col) {
            return Err(ImportRefusal::DuplicateHeader {
                file: file_name.to_string(),
                name,
                first: cell_ref(first as u32, row),
                second: cell_ref(col as u32, row),
            });
        }
        headers.push(name);
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file the fuzzer made: a damaged cell reference (`r="DnlineStr"`) overflowed calamine's
    /// cell-reference arithmetic, which panicked in debug builds (the workspace now builds
    /// calamine without overflow checks, as a release build does). Read or refused, never a
    /// panic, and no row wider than the column cap.
    #[test]
    fn a_damaged_cell_reference_is_read_or_refused_without_a_panic() {
        let file = std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
        )
        .join("../../fuzz/regressions/xlsx_reader/calamine-cell-reference-overflow.xlsx");
        assert!(file.exists());
        let _ = read_sheet(&file, &FileLimits::default(), |_, cells| {
            assert!(cells.len() <= MAX_COLUMNS as usize);
            std::ops::ControlFlow::Continue(())
        });
    }
}
