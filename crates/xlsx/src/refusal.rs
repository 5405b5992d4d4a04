//! Why a file is refused. Every message names the file and the rule, in words a user can act
//! on; `code()` is the stable string the UI branches on (e.g. it offers "split sheets" on
//! `severalSheets`).

use pdesk_normalize::display::{bytes, count};

/// A file that is refused as a whole: nothing from it is imported, other files go on.
#[derive(Debug, thiserror::Error)]
pub enum ImportRefusal {
    /// The content is not an `.xlsx` workbook, whatever the extension says.
    #[error("\"{file}\" is not an Excel .xlsx file (it looks like {looks_like})")]
    NotXlsx { file: String, looks_like: String },

    /// The file is larger than the per-file size limit.
    #[error("\"{file}\" is {}; the limit is {} per file", bytes(*size), bytes(*limit))]
    TooLarge { file: String, size: u64, limit: u64 },

    /// More data rows than the per-file row limit. `rows` is exact when `exact`, else a lower
    /// bound (counting stopped there to keep the refusal fast).
    #[error(
        "\"{file}\" has {}{} data rows; the limit is {} rows per file (the header row is not counted)",
        if *exact { "" } else { "more than " },
        count(*rows),
        count(u64::from(*limit))
    )]
    TooManyRows {
        file: String,
        rows: u64,
        exact: bool,
        limit: u32,
    },

    /// More than one sheet holds data; the app offers to split them into one file each.
    #[error(
        "\"{file}\" has {} sheets with data ({}): separate each sheet into its own file",
        sheets.len(),
        sheets.join(", ")
    )]
    SeveralSheets { file: String, sheets: Vec<String> },

    /// A column has no name in the header row (`cell` is e.g. `C1`).
    #[error(
        "\"{file}\": the column name in {cell} is empty; the first row must hold the column names"
    )]
    EmptyHeader { file: String, cell: String },

    /// Two columns have the same name (compared trimmed and ignoring case).
    #[error("\"{file}\": the column name \"{name}\" appears twice ({first} and {second})")]
    DuplicateHeader {
        file: String,
        name: String,
        first: String,
        second: String,
    },

    /// The workbook has no data at all (no header row).
    #[error("\"{file}\" is empty: the first row must hold the column names")]
    Empty { file: String },

    /// A part of the package would inflate beyond a cap, or at a ratio only a zip bomb has.
    #[error("\"{file}\" was refused as a possible zip bomb: {detail}")]
    ZipBomb {
        file: String,
        part: String,
        detail: String,
    },

    /// An Office file encrypted with a password.
    #[error(
        "\"{file}\" is password-protected: open it in Excel, remove the password \
         (File > Info > Protect Workbook) and save it again"
    )]
    Encrypted { file: String },

    /// A zip that cannot be read: truncated, corrupt, or an unreadable workbook.
    #[error("\"{file}\" is damaged or truncated and cannot be read ({detail})")]
    Damaged { file: String, detail: String },

    /// A value in a column beyond the column cap.
    #[error(
        "\"{file}\" has a value in {cell}, beyond the limit of {} columns per file",
        count(u64::from(*limit))
    )]
    TooManyColumns {
        file: String,
        cell: String,
        limit: u32,
    },

    /// A cell longer than Excel's own limit.
    #[error(
        "\"{file}\": the cell {cell} holds more than {} characters, the limit per cell \
         (Excel's own limit)",
        count(*limit as u64)
    )]
    CellTooLarge {
        file: String,
        cell: String,
        limit: usize,
    },

    /// Splitting the sheets into files failed while writing one of them (no space, no
    /// permission in the folder…); the files written so far were removed.
    #[error("\"{file}\" could not be split: writing \"{target}\" failed ({detail})")]
    WriteFailed {
        file: String,
        target: String,
        detail: String,
    },

    /// The file could not be opened or read (missing, no permission, disk error).
    #[error("\"{file}\" could not be read: {source}")]
    Unreadable {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

impl ImportRefusal {
    /// Stable machine code the UI branches on.
    pub fn code(&self) -> &'static str {
        match self {
            ImportRefusal::NotXlsx { .. } => "notXlsx",
            ImportRefusal::TooLarge { .. } => "tooLarge",
            ImportRefusal::TooManyRows { .. } => "tooManyRows",
            ImportRefusal::SeveralSheets { .. } => "severalSheets",
            ImportRefusal::EmptyHeader { .. } => "emptyHeader",
            ImportRefusal::DuplicateHeader { .. } => "duplicateHeader",
            ImportRefusal::Empty { .. } => "empty",
            ImportRefusal::ZipBomb { .. } => "zipBomb",
            ImportRefusal::Encrypted { .. } => "encrypted",
            ImportRefusal::Damaged { .. } => "damaged",
            ImportRefusal::TooManyColumns { .. } => "tooManyColumns",
            ImportRefusal::CellTooLarge { .. } => "cellTooLarge",
            ImportRefusal::WriteFailed { .. } => "writeFailed",
            ImportRefusal::Unreadable { .. } => "unreadable",
        }
    }

    /// The file name the refusal is about (as shown in messages).
    pub fn file(&self) -> &str {
        match self {
            ImportRefusal::NotXlsx { file, .. }
            | ImportRefusal::TooLarge { file, .. }
            | ImportRefusal::TooManyRows { file, .. }
            | ImportRefusal::SeveralSheets { file, .. }
            | ImportRefusal::EmptyHeader { file, .. }
            | ImportRefusal::DuplicateHeader { file, .. }
            | ImportRefusal::Empty { file }
            | ImportRefusal::ZipBomb { file, .. }
            | ImportRefusal::Encrypted { file }
            | ImportRefusal::Damaged { file, .. }
            | ImportRefusal::TooManyColumns { file, .. }
            | ImportRefusal::CellTooLarge { file, .. }
            | ImportRefusal::WriteFailed { file, .. }
            | ImportRefusal::Unreadable { file, .. } => file,
        }
    }

    /// Everything the message says, as data (the `details` of the IPC error shape, kept with a
    /// refused upload): the file and each number, cell and name of the sentence, so the UI
    /// words the refusal in its own language (issue 16) — and offers "split sheets" on
    /// `sheets`. `detail` is the system's or parser's own text, shown as is.
    pub fn details(&self) -> serde_json::Value {
        use serde_json::json;
        let file = self.file();
        match self {
            ImportRefusal::NotXlsx { looks_like, .. } => {
                json!({ "file": file, "looksLike": looks_like })
            }
            ImportRefusal::TooLarge { size, limit, .. } => {
                json!({ "file": file, "size": size, "limit": limit })
            }
            ImportRefusal::TooManyRows {
                rows, exact, limit, ..
            } => json!({ "file": file, "rows": rows, "exact": exact, "limit": limit }),
            ImportRefusal::SeveralSheets { sheets, .. } => {
                json!({ "file": file, "sheets": sheets })
            }
            ImportRefusal::EmptyHeader { cell, .. } => json!({ "file": file, "cell": cell }),
            ImportRefusal::DuplicateHeader {
                name,
                first,
                second,
                ..
            } => json!({ "file": file, "name": name, "cells": [first, second] }),
            ImportRefusal::Empty { .. } | ImportRefusal::Encrypted { .. } => {
                json!({ "file": file })
            }
            ImportRefusal::ZipBomb { part, detail, .. } => {
                json!({ "file": file, "part": part, "detail": detail })
            }
            ImportRefusal::Damaged { detail, .. } => json!({ "file": file, "detail": detail }),
            ImportRefusal::TooManyColumns { cell, limit, .. } => {
                json!({ "file": file, "cell": cell, "limit": limit })
            }
            ImportRefusal::CellTooLarge { cell, limit, .. } => {
                json!({ "file": file, "cell": cell, "limit": limit })
            }
            ImportRefusal::WriteFailed { target, detail, .. } => {
                json!({ "file": file, "target": target, "detail": detail })
            }
            ImportRefusal::Unreadable { source, .. } => {
                json!({ "file": file, "detail": source.to_string() })
            }
        }
    }
}

/// The name a path is shown by in messages: its file name, else the whole path.
pub(crate) fn display_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
