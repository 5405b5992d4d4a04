//! After a job: the failed rows (for the "fix and re-upload" file) and undo.

use std::path::Path;

use rusqlite::OptionalExtension;

use super::{FailedRow, FailedRows, ImportSettings, JobStatus, JobSummary};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::Source;
use crate::profiles::search_index::SearchIndex;
use crate::profiles::storage::{self, Stamp};
use crate::profiles::ValidProfile;
use crate::store::Store;

impl Store {
    /// The failed rows of a job with their original cells and the reason, for the "fix and
    /// re-upload" file.
    pub fn failed_rows(&self, actor: &Actor, id: i64) -> Result<FailedRows> {
        actor.require(Permission::ProfileView)?;
        let settings: String = self
            .conn
            .query_row(
                "SELECT settings FROM import_jobs WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| crate::job_queue::IMPORTS.not_found(id))?;
        let settings: ImportSettings =
            serde_json::from_str(&settings).map_err(|e| Error::Internal(e.to_string()))?;
        let headers = settings.columns.iter().map(|c| c.header.clone()).collect();
        let mut stmt = self.conn.prepare(
            "SELECT row_number, original, reason FROM import_job_rows
              WHERE job_id = ?1 AND outcome = 'failed' ORDER BY row_number",
        )?;
        let rows = stmt.query_map([id], |r| {
            let original: Option<String> = r.get(1)?;
            Ok(FailedRow {
                row: r.get(0)?,
                cells: original
                    .and_then(|o| serde_json::from_str(&o).ok())
                    .unwrap_or_default(),
                reason: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            })
        })?;
        Ok(FailedRows {
            headers,
            rows: rows.collect::<rusqlite::Result<_>>()?,
        })
    }

    /// Undo import (SPEC 4.1): profiles the job created are removed and profiles it updated
    /// get their previous values back, newest change first, in one transaction; audited.
    pub fn undo_job(&mut self, actor: &Actor, id: i64) -> Result<JobSummary> {
        actor.require(Permission::ProfileImport)?;
        let job = self.job(actor, id)?;
        if !matches!(
            job.status,
            JobStatus::Done | JobStatus::Cancelled | JobStatus::Failed
        ) {
            return Err(Error::Conflict(format!(
                "Import job {id} is {:?}; only a finished job can be undone",
                job.status
            )));
        }
        let at = self.now();
        let stamp = Stamp {
            at: &at,
            actor: &actor.name,
        };
        let tx = self.conn.transaction()?;
        let mut search = SearchIndex::deferred();
        let changes: Vec<ChangedRow> = tx
            .prepare(&format!(
                "SELECT {} FROM import_job_rows
                  WHERE job_id = ?1 AND outcome IN ('created', 'updated', 'duplicate')
                  ORDER BY row_number DESC",
                ChangedRow::COLUMNS
            ))?
            .query_map([id], ChangedRow::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let (mut removed, mut restored) = (0u32, 0u32);
        for ChangedRow {
            outcome,
            profile_id: profile,
            before,
        } in changes
        {
            let Some(profile) = profile else { continue };
            let exists: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM profiles WHERE id = ?1)",
                [profile],
                |r| r.get(0),
            )?;
            if !exists {
                continue;
            }
            if let Some(before) = before.and_then(|b| serde_json::from_str::<ValidProfile>(&b).ok())
            {
                let current = storage::load(&tx, profile)?;
                storage::update(&tx, profile, &current, &before, &stamp, &mut search)?;
                let changes = crate::profiles::diff(&current, &before);
                storage::record_history(
                    &tx,
                    profile,
                    &stamp,
                    "undone",
                    &Source::Manual,
                    None,
                    &changes,
                )?;
                restored += 1;
            } else if outcome == "created" {
                storage::delete(&tx, profile, &mut search)?;
                removed += 1;
            }
        }
        tx.execute(
            "UPDATE import_jobs SET status = 'undone' WHERE id = ?1",
            [id],
        )?;
        // Nothing of the job is imported any more: its open merge reviews go with it.
        crate::profiles::review::discard_reviews_of_undone_job(&tx, &at, actor, id)?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "import.undo",
            &format!("job:{id}"),
            serde_json::json!({ "file": job.file_name, "removed": removed, "restored": restored }),
        )?;
        search.flush(&tx)?;
        tx.commit()?;
        self.touched();
        self.job(actor, id)
    }

    /// Writes the failed rows of job `id` as an .xlsx at `out`: the original columns plus a
    /// "Reason" column, every cell as text (codes and phones keep their leading zeros), so the
    /// user can fix the rows and upload the file again. Returns how many rows were written.
    pub fn write_failed_rows(&self, actor: &Actor, id: i64, out: &Path) -> Result<usize> {
        let FailedRows { headers, rows } = self.failed_rows(actor, id)?;
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let xlsx = |e: rust_xlsxwriter::XlsxError| {
            Error::Internal(format!("writing {}: {e}", out.display()))
        };
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx)?;
        let reason_col = headers.len() as u16;
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, h, &bold)
                .map_err(xlsx)?;
        }
        sheet
            .write_string_with_format(0, reason_col, "Reason", &bold)
            .map_err(xlsx)?;
        for (i, failed) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, value) in failed.cells.iter().enumerate().take(headers.len()) {
                sheet.write_string(r, c as u16, value).map_err(xlsx)?;
            }
            sheet
                .write_string(r, reason_col, &failed.reason)
                .map_err(xlsx)?;
        }
        workbook.save(out).map_err(xlsx)?;
        Ok(rows.len())
    }
}

/// A row of a job that changed a profile, as undoing the job reads it.
struct ChangedRow {
    /// `created`, `updated` or `duplicate`.
    outcome: String,
    profile_id: Option<i64>,
    /// The profile before the row changed it (JSON), when it updated one.
    before: Option<String>,
}

impl ChangedRow {
    /// The columns of `import_job_rows` [`ChangedRow::from_row`] reads, in its order.
    const COLUMNS: &'static str = "outcome, profile_id, before";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            outcome: r.get(0)?,
            profile_id: r.get(1)?,
            before: r.get(2)?,
        })
    }
}
