//! Export to .xlsx (SPEC 4.3): the current filter or segment (or the selected rows), with the
//! displayed or all fields, streamed from the store into a file written by our own writer
//! (`pipeline`): the rows are read in chunks on one thread while other threads turn each
//! chunk into sheet XML and deflate it, so memory stays flat for a million rows and
//! compression runs beside the reading, on every core (issue 18).
//!
//! Up to the direct-export limit (1,000 rows by default) the file is written at once where
//! the user chose; above it the export is a job in `export_jobs` that a background worker
//! runs (and resumes — from the start, the file is rewritten — after a restart), writing into
//! the app's exports folder, from where "Save as…" copies it. Every export, direct or not, is
//! a row of `export_jobs` and an audit entry (who, filter, fields, rows, destination).
//!
//! The file: a header row of field labels (frozen), columns sized to the first rows, dates as
//! Excel dates, phones and codes as text, list fields joined with `, `; a text that starts
//! with `=`, `+`, `-`, `@`, tab or CR gets the quote-prefix format, so Excel never reads it as
//! a formula (strings are written as inline strings; no `<f>` is ever written).

mod container;
pub(crate) mod jobs;
mod pipeline;
mod plan;
mod sheet;
mod template;
mod write;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::filter::ListQuery;
use crate::model::ProfileId;

pub use template::{template_columns, template_file_name, TemplateColumn, TemplateFormat};
pub use write::{column_kind, needs_quote_prefix, peer_cell, write_text_cell, ColumnKind};

/// Data rows per worksheet: Excel's 1,048,576 rows less the header. Longer exports continue
/// on further sheets, each with its header.
pub const SHEET_ROWS: u32 = 1_048_575;
/// Most selected rows one export may name.
pub const MAX_SELECTED: usize = 100_000;

/// Which fields an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ExportFields {
    /// The list's displayed columns, in their order.
    Displayed,
    /// Every visible field of the catalogue, custom fields included.
    All,
}

pdesk_normalize::text_enum!(pub ExportFields {
    Displayed => "displayed",
    All => "all",
});

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// The list's search, filter and sort (the rows and their order).
    pub query: ListQuery,
    pub fields: ExportFields,
    /// The displayed columns (used with `Displayed`).
    pub columns: Vec<String>,
    /// Only these profiles (the selection), when given; in the query's order otherwise.
    #[serde(default)]
    pub ids: Option<Vec<ProfileId>>,
}

/// What the export dialog shows before the user confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ExportPlan {
    pub rows: u32,
    /// The direct-export limit: more rows run in the background.
    pub direct_limit: u32,
    pub background: bool,
    /// The column labels, in order.
    pub columns: Vec<String>,
    /// The filter in words.
    pub description: String,
    /// A suggested file name ("Profiles 2026-11-28 143005.xlsx").
    pub file_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ExportStatus {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

pdesk_normalize::text_enum!(ExportStatus {
    Queued => "queued",
    Running => "running",
    Done => "done",
    Failed => "failed",
    Cancelled => "cancelled",
} else Failed);

/// An export as the exports list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ExportJob {
    pub id: i64,
    pub status: ExportStatus,
    /// Ran in the background (over the direct-export limit).
    pub background: bool,
    pub description: String,
    pub fields: ExportFields,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub total_rows: u32,
    pub rows_done: u32,
    /// Where the file is (the user's choice, or the exports folder).
    pub path: Option<String>,
    pub file_bytes: Option<u64>,
    /// Why the export failed, in English: the CLI's sentence, and the UI's fallback.
    pub error: Option<String>,
    /// The error's IPC code and details (`{ reason, ...params }`), for the UI to word it;
    /// `None`/`null` without an error, and for exports that failed before migration 0026.
    pub error_code: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub error_details: serde_json::Value,
}

impl ExportJob {
    /// Why the job failed (or paused) in `lang`, for the e-mail and the OS notification
    /// ([`crate::job_failure`]); `None` without an error.
    pub fn error_in(&self, lang: crate::model::Lang) -> Option<String> {
        crate::job_failure::stored_failure(lang, self.error.as_deref(), &self.error_details)
    }

    /// The columns of `export_jobs` [`ExportJob::from_row`] reads, in its order.
    const COLUMNS: &'static str =
        "id, status, background, description, fields, created_by, created_at, started_at,
         finished_at, total_rows, rows_done, file_path, file_bytes, error, error_code,
         error_details";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(ExportJob {
            id: r.get(0)?,
            status: ExportStatus::parse(&r.get::<_, String>(1)?),
            background: r.get(2)?,
            description: r.get(3)?,
            fields: ExportFields::parse(&r.get::<_, String>(4)?).unwrap_or(ExportFields::All),
            created_by: r.get(5)?,
            created_at: r.get(6)?,
            started_at: r.get(7)?,
            finished_at: r.get(8)?,
            total_rows: r.get(9)?,
            rows_done: r.get(10)?,
            path: r.get(11)?,
            file_bytes: r.get::<_, Option<i64>>(12)?.map(|b| b.max(0) as u64),
            error: r.get(13)?,
            error_code: r.get(14)?,
            error_details: crate::job_queue::stored_details(r.get(15)?),
        })
    }

    /// The file's name without its folder.
    pub fn file_name(&self) -> Option<String> {
        self.path.as_deref().and_then(|p| {
            Path::new(p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
    }
}

/// Progress of a running export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    pub job_id: i64,
    pub rows_done: u32,
    pub total_rows: u32,
}
