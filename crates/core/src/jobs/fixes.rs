//! Fix before Confirm (issue 16): after the dry run the user may correct a cell of a row that
//! would fail (or go to merge review) and leave rows out, for this import only — the file is
//! never written. The fixes travel in [`super::ImportSettings::fixes`], so the dry run that
//! checks them, the job that applies them and a resumed run all see the same rows; the rows
//! they touch are counted in the job (`fixed`, `excluded`).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Error, Result};
use crate::mapping::SourceColumn;
use pdesk_normalize::display::count as thousands;

/// At most this many fixed cells and left-out rows in one import: the review step lists a few
/// hundred rows, and a file with more problems than this wants fixing at its source.
pub const MAX_FIXES: usize = 5_000;
/// A fixed cell holds at most what an Excel cell can.
pub const MAX_FIX_CHARS: usize = 32_767;
/// All fixed cells together: the fixes are kept with the job's settings.
pub const MAX_FIXES_TOTAL_CHARS: usize = 1_000_000;

/// The user's corrections of one import's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RowFixes {
    /// Cells to import with another value than the source's.
    #[serde(default)]
    pub cells: Vec<CellFix>,
    /// Rows (Excel row numbers, or a paste's line numbers) left out of the import.
    #[serde(default)]
    pub excluded: Vec<u32>,
}

/// One cell imported with the value the user typed on the review step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct CellFix {
    /// Excel row number (files) or line number (pastes), as the dry run lists it.
    pub row: u32,
    /// Source column index ([`SourceColumn::index`]).
    pub column: u32,
    pub value: String,
}

impl RowFixes {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.excluded.is_empty()
    }

    /// Refuses fixes the import cannot take: too many, a value longer than a cell holds, or a
    /// column the source does not have. The message names the rule, the row and the column.
    pub fn check(&self, columns: &[SourceColumn]) -> Result<()> {
        let count = self.cells.len() + self.excluded.len();
        if count > MAX_FIXES {
            return Err(Error::limit(
                "fixesTooMany",
                json!({ "fixes": count, "limit": MAX_FIXES }),
                format!(
                    "Too many fixes for one import: {} fixed cells and left-out rows, the limit \
                     is {}. Correct the file itself and upload it again",
                    thousands(count as u64),
                    thousands(MAX_FIXES as u64)
                ),
            ));
        }
        let total: usize = self.cells.iter().map(|f| f.value.chars().count()).sum();
        if total > MAX_FIXES_TOTAL_CHARS {
            return Err(Error::limit(
                "fixesTooLong",
                json!({ "characters": total, "limit": MAX_FIXES_TOTAL_CHARS }),
                format!(
                    "The fixed cells hold {} characters in all; one import's fixes hold at most {}",
                    thousands(total as u64),
                    thousands(MAX_FIXES_TOTAL_CHARS as u64)
                ),
            ));
        }
        for fix in &self.cells {
            let Some(column) = columns.iter().find(|c| c.index == fix.column) else {
                return Err(Error::conflict(
                    "fixUnknownColumn",
                    json!({ "row": fix.row, "column": fix.column + 1 }),
                    format!(
                        "The fix of row {} is for column {}, which the source does not have",
                        fix.row,
                        fix.column + 1
                    ),
                ));
            };
            let chars = fix.value.chars().count();
            if chars > MAX_FIX_CHARS {
                return Err(Error::limit(
                    "fixCellTooLong",
                    json!({ "row": fix.row, "header": column.header, "characters": chars,
                            "limit": MAX_FIX_CHARS }),
                    format!(
                        "The fix of row {}, column “{}” is {chars} characters long; a cell holds \
                         at most {MAX_FIX_CHARS}",
                        fix.row, column.header
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The fixes ready for the reading thread: looked up once per row.
#[derive(Debug, Default)]
pub(crate) struct Fixes {
    cells: HashMap<u32, Vec<(usize, String)>>,
    excluded: HashSet<u32>,
}

/// What the fixes did to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fixed {
    /// The row is imported as the source has it.
    No,
    /// At least one of its cells holds the user's value.
    Cells,
    /// The user left the row out.
    Excluded,
}

impl Fixes {
    pub fn new(fixes: &RowFixes) -> Self {
        let mut cells: HashMap<u32, Vec<(usize, String)>> = HashMap::new();
        for fix in &fixes.cells {
            cells
                .entry(fix.row)
                .or_default()
                .push((fix.column as usize, fix.value.clone()));
        }
        Fixes {
            cells,
            excluded: fixes.excluded.iter().copied().collect(),
        }
    }

    /// Applies the fixes of `row` to its `cells` (a later fix of the same cell wins).
    pub fn apply(&self, row: u32, cells: &mut Vec<String>) -> Fixed {
        if self.excluded.contains(&row) {
            return Fixed::Excluded;
        }
        let Some(fixes) = self.cells.get(&row) else {
            return Fixed::No;
        };
        for (column, value) in fixes {
            if cells.len() <= *column {
                cells.resize(column + 1, String::new());
            }
            cells[*column] = value.clone();
        }
        Fixed::Cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(index: u32, header: &str) -> SourceColumn {
        SourceColumn {
            index,
            header: header.into(),
            samples: Vec::new(),
            generated: false,
        }
    }

    fn fix(row: u32, column: u32, value: &str) -> CellFix {
        CellFix {
            row,
            column,
            value: value.into(),
        }
    }

    #[test]
    fn a_fixed_cell_replaces_the_source_value_and_a_short_row_grows_to_hold_it() {
        let fixes = Fixes::new(&RowFixes {
            cells: vec![fix(3, 1, "0903 456 789"), fix(4, 3, "Hà Nội")],
            excluded: vec![5],
        });
        let mut three = vec!["Lan".to_string(), "09o3 456 789".to_string()];
        assert_eq!(fixes.apply(3, &mut three), Fixed::Cells);
        assert_eq!(three, ["Lan", "0903 456 789"]);
        let mut four = vec!["Minh".to_string()];
        assert_eq!(fixes.apply(4, &mut four), Fixed::Cells);
        assert_eq!(four, ["Minh", "", "", "Hà Nội"]);
        let mut five = vec!["Hoa".to_string()];
        assert_eq!(fixes.apply(5, &mut five), Fixed::Excluded);
        let mut six = vec!["Tuấn".to_string()];
        assert_eq!(fixes.apply(6, &mut six), Fixed::No);
        assert_eq!(six, ["Tuấn"]);
    }

    #[test]
    fn fixes_are_refused_past_their_limits_with_the_row_and_column_named() {
        let columns = [column(0, "Họ và tên"), column(1, "SĐT")];
        let ok = RowFixes {
            cells: vec![fix(2, 1, "0903 456 789")],
            excluded: vec![7],
        };
        assert!(ok.check(&columns).is_ok());

        let unknown = RowFixes {
            cells: vec![fix(2, 5, "x")],
            excluded: Vec::new(),
        };
        let err = unknown.check(&columns).unwrap_err().to_string();
        assert!(err.contains("row 2") && err.contains("column 6"), "{err}");

        let long = RowFixes {
            cells: vec![fix(9, 0, &"a".repeat(MAX_FIX_CHARS + 1))],
            excluded: Vec::new(),
        };
        let err = long.check(&columns).unwrap_err();
        assert_eq!(err.code(), "limit");
        assert!(
            err.to_string().contains("row 9, column “Họ và tên”"),
            "{err}"
        );

        let heavy = RowFixes {
            cells: (0..40)
                .map(|row| fix(row, 0, &"b".repeat(MAX_FIX_CHARS)))
                .collect(),
            excluded: Vec::new(),
        };
        let err = heavy.check(&columns).unwrap_err();
        assert!(err.to_string().contains("at most 1,000,000"), "{err}");

        let many = RowFixes {
            cells: Vec::new(),
            excluded: (1..=MAX_FIXES as u32 + 1).collect(),
        };
        let err = many.check(&columns).unwrap_err();
        assert_eq!(err.code(), "limit");
        assert!(err.to_string().contains("limit is 5,000"), "{err}");
    }
}
