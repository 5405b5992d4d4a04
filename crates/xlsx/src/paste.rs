//! The paste parser (SPEC 4.2): the text Excel and Google Sheets put on the clipboard. Tab
//! separates cells, `\n` or `\r\n` separates rows; a cell holding a tab, line break or quote
//! is wrapped in `"` with `""` for a quote. A trailing line break is not a row, empty rows are
//! dropped, ragged rows are padded. No header row: columns are mapped by position.

use super::reader::MAX_COLUMNS;
use pdesk_normalize::clean_text;
use pdesk_normalize::display::count;

/// Most rows one paste may hold (SPEC 4.2).
pub const DEFAULT_MAX_PASTE_ROWS: usize = 1_000;

/// Why pasted text is refused; nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error(
        "You pasted {} rows; at most {} rows can be pasted at once",
        count(*rows as u64),
        count(*limit as u64)
    )]
    TooManyRows { rows: usize, limit: usize },

    #[error(
        "You pasted {} columns; at most {} columns can be pasted at once",
        count(*columns as u64),
        count(*limit as u64)
    )]
    TooManyColumns { columns: usize, limit: usize },
}

impl PasteError {
    /// Stable machine code the UI branches on.
    pub fn code(&self) -> &'static str {
        match self {
            PasteError::TooManyRows { .. } => "tooManyRows",
            PasteError::TooManyColumns { .. } => "tooManyColumns",
        }
    }
}

/// Parses clipboard text into rows of cells (trimmed, NFC), all as wide as the widest row.
/// Rows whose cells are all empty are dropped; more than `max_rows` remaining rows, or a value
/// beyond column 200, refuses the whole paste with the count.
pub fn parse_paste(text: &str, max_rows: usize) -> Result<Vec<Vec<String>>, PasteError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut non_empty_rows = 0usize;
    let mut width = 0usize;
    let mut row: Vec<String> = Vec::new();
    let mut pos = 0usize;
    let len = text.len();
    while pos < len {
        let (raw, next) = field(text, pos);
        row.push(clean_text(&raw));
        pos = next;
        // `pos` is at the delimiter that ended the field, or at the end.
        let end_of_row = match text.as_bytes().get(pos) {
            Some(b'\t') => {
                pos += 1;
                // A tab at the very end still opens one (empty) last cell.
                if pos == len {
                    row.push(String::new());
                }
                false
            }
            Some(b'\r') => {
                pos += if text.as_bytes().get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                true
            }
            Some(b'\n') => {
                pos += 1;
                true
            }
            _ => true,
        };
        if end_of_row {
            end_row(
                &mut row,
                &mut rows,
                &mut non_empty_rows,
                &mut width,
                max_rows,
            )?;
        }
    }
    if !row.is_empty() {
        end_row(
            &mut row,
            &mut rows,
            &mut non_empty_rows,
            &mut width,
            max_rows,
        )?;
    }
    if non_empty_rows > max_rows {
        return Err(PasteError::TooManyRows {
            rows: non_empty_rows,
            limit: max_rows,
        });
    }
    for r in &mut rows {
        r.resize(width, String::new());
    }
    Ok(rows)
}

/// Closes a row: trailing empty cells go, an empty row is dropped, rows past the limit are
/// only counted (so the refusal can say how many there were).
fn end_row(
    row: &mut Vec<String>,
    rows: &mut Vec<Vec<String>>,
    non_empty_rows: &mut usize,
    width: &mut usize,
    max_rows: usize,
) -> Result<(), PasteError> {
    let mut cells = std::mem::take(row);
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    if cells.is_empty() {
        return Ok(());
    }
    if cells.len() > MAX_COLUMNS as usize {
        return Err(PasteError::TooManyColumns {
            columns: cells.len(),
            limit: MAX_COLUMNS as usize,
        });
    }
    *non_empty_rows += 1;
    if *non_empty_rows <= max_rows {
        *width = (*width).max(cells.len());
        rows.push(cells);
    }
    Ok(())
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r')
}

/// Reads the field starting at `start`; returns its raw text and the position of the
/// delimiter (or end) after it. A field is quoted when it starts with `"` and its closing quote
/// is followed by a delimiter or the end; anything else (`"hi" he said`, an unclosed quote) is
/// taken literally, as Excel copies such cells unquoted.
fn field(text: &str, start: usize) -> (String, usize) {
    let bytes = text.as_bytes();
    if bytes.get(start) == Some(&b'"') {
        let mut out = String::new();
        let mut i = start + 1;
        while let Some(offset) = text[i..].find('"') {
            let quote = i + offset;
            out.push_str(&text[i..quote]);
            match bytes.get(quote + 1) {
                Some(b'"') => {
                    out.push('"');
                    i = quote + 2;
                }
                None => return (out, quote + 1),
                Some(&b) if is_delimiter(b) => return (out, quote + 1),
                Some(_) => break,
            }
        }
    }
    let end = bytes[start..]
        .iter()
        .position(|&b| is_delimiter(b))
        .map_or(bytes.len(), |p| start + p);
    (text[start..end].to_string(), end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// Serialises a grid the way Excel and Google Sheets copy it.
    fn excel_copy(grid: &[Vec<String>]) -> String {
        let mut out = String::new();
        for row in grid {
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    if c.contains(['\t', '\n', '\r', '"']) {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.clone()
                    }
                })
                .collect();
            out.push_str(&cells.join("\t"));
            out.push_str("\r\n");
        }
        out
    }

    /// What the parser should give back for a grid: cells cleaned, trailing empty cells and
    /// empty rows dropped, rows padded to the widest.
    fn expected(grid: &[Vec<String>]) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = grid
            .iter()
            .map(|r| {
                let mut cells: Vec<String> = r.iter().map(|c| clean_text(c)).collect();
                while cells.last().is_some_and(|c| c.is_empty()) {
                    cells.pop();
                }
                cells
            })
            .filter(|r| !r.is_empty())
            .collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for r in &mut rows {
            r.resize(width, String::new());
        }
        rows
    }

    #[test]
    fn excel_copy_with_quoted_cells() {
        let text =
            "Name\tNote\tPhone\r\nAn\t\"two\nlines\"\t0912\r\nBình\t\"say \"\"hi\"\"\"\t\r\n";
        assert_eq!(
            parse_paste(text, 1_000).expect("valid paste"),
            grid(&[
                &["Name", "Note", "Phone"],
                &["An", "two\nlines", "0912"],
                &["Bình", "say \"hi\"", ""],
            ]),
            "quoted cells keep line breaks and quotes; the trailing line break is not a row"
        );
    }

    #[test]
    fn ragged_rows_padded_and_empty_rows_dropped() {
        let text = "a\tb\tc\n\nd\n \t \ne\tf";
        assert_eq!(
            parse_paste(text, 1_000).expect("valid paste"),
            grid(&[&["a", "b", "c"], &["d", "", ""], &["e", "f", ""]]),
            "padding to the widest row; blank rows go; no trailing newline needed"
        );
    }

    #[test]
    fn literal_quotes_that_are_not_quoting() {
        assert_eq!(
            parse_paste("\"hi\" he said\tx\n", 10).expect("valid"),
            grid(&[&["\"hi\" he said", "x"]]),
            "a quote not closing the cell is text"
        );
        assert_eq!(
            parse_paste("\"open\tx\n", 10).expect("valid"),
            grid(&[&["\"open", "x"]]),
            "an unclosed quote is text"
        );
    }

    #[test]
    fn cells_are_trimmed_and_nfc() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(
            parse_paste(&format!("  {decomposed} \t x "), 10).expect("valid"),
            grid(&[&["Nguyễn", "x"]]),
            "trim + NFC, as for files"
        );
    }

    #[test]
    fn too_many_rows_refused_with_the_count() {
        let text = "x\n".repeat(1_001);
        let err = parse_paste(&text, DEFAULT_MAX_PASTE_ROWS).expect_err("1,001 rows > 1,000");
        assert_eq!(
            err.to_string(),
            "You pasted 1,001 rows; at most 1,000 rows can be pasted at once",
            "the message says the limit and the count"
        );
        assert_eq!(err.code(), "tooManyRows", "stable code");
        let ok = parse_paste(&"x\n".repeat(1_000), DEFAULT_MAX_PASTE_ROWS).expect("at the limit");
        assert_eq!(ok.len(), 1_000, "exactly the limit is accepted");
        let blank_lines = format!("{}\n\n\n", "x\n".repeat(1_000));
        assert!(
            parse_paste(&blank_lines, DEFAULT_MAX_PASTE_ROWS).is_ok(),
            "empty lines do not count as rows"
        );
    }

    #[test]
    fn too_many_columns_refused() {
        let text = vec!["v"; 201].join("\t");
        let err = parse_paste(&text, 10).expect_err("201 columns > 200");
        assert_eq!(err.code(), "tooManyColumns", "stable code");
    }

    #[test]
    fn empty_text_is_no_rows() {
        assert_eq!(parse_paste("", 10), Ok(vec![]), "nothing pasted");
        assert_eq!(parse_paste("\r\n\n", 10), Ok(vec![]), "only line breaks");
    }

    fn cell_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 ]{0,8}",
            "[\t\n\r\" a-z]{0,6}",
            "\\PC{0,6}",
            Just("\"".to_string()),
            Just(String::new()),
            Just("Nguyễn Văn Đặng".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn excel_copies_round_trip(
            grid in prop::collection::vec(prop::collection::vec(cell_strategy(), 0..6), 0..8)
        ) {
            let parsed = parse_paste(&excel_copy(&grid), 1_000);
            prop_assert_eq!(
                parsed,
                Ok(expected(&grid)),
                "what Excel copies is what the parser gives back, modulo trim"
            );
        }

        #[test]
        fn never_panics(text in "\\PC{0,200}|[\t\n\r\"ab ]{0,200}") {
            let _ = parse_paste(&text, 5);
        }

        #[test]
        fn rows_are_rectangular(text in "[\t\n\r\"ab ]{0,200}") {
            if let Ok(rows) = parse_paste(&text, 1_000) {
                let width = rows.first().map_or(0, Vec::len);
                prop_assert!(rows.iter().all(|r| r.len() == width), "every row as wide");
                prop_assert!(
                    rows.iter().all(|r| r.iter().any(|c| !c.is_empty())),
                    "no empty row"
                );
            }
        }
    }
}
