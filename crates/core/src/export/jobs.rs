//! Exports as rows of `export_jobs`: direct ones written at once, background ones queued and run
//! by the worker (through the shared job lifecycle), their outcome audited, listed, cancelled
//! and copied with "Save as…".

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};

use super::pipeline::write_workbook;
use super::write::{default_file_name, offset_of, safe_file_name};
use super::{ExportJob, ExportProgress, ExportRequest, ExportStatus};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::files::{self, TempFile};
use crate::job_queue::{JobError, EXPORTS};
use crate::list::PositionIds;
use crate::model::{FieldDef, Lang};
use crate::store::Store;

impl Store {
    /// Writes the export at `out` at once (the user picked the path). Refused over the
    /// direct-export limit: larger exports run in the background ([`Store::queue_export`]).
    pub fn export_direct(
        &mut self,
        actor: &Actor,
        request: &ExportRequest,
        out: &Path,
    ) -> Result<ExportJob> {
        actor.require(Permission::ProfileExport)?;
        let fields = self.export_fields(request)?;
        let ids = self.export_ids(actor, request)?;
        let limit = self.limits_config()?.export_direct_rows;
        if ids.len() as u64 > u64::from(limit) {
            return Err(Error::limit(
                "exportTooLargeForDirect",
                serde_json::json!({ "limit": limit, "rows": ids.len() }),
                format!(
                    "An export of more than {limit} rows runs in the background ({} rows here)",
                    ids.len()
                ),
            ));
        }
        // Claimed as it is written down: no other process ever sees it unclaimed.
        let id = self.insert_export(actor, request, false, ids.len() as u32)?;
        // Where it goes is known from the start, so a sweep after a crash finds its `.part`.
        self.conn.execute(
            "UPDATE export_jobs SET file_path = ?2 WHERE id = ?1",
            params![id, out.display().to_string()],
        )?;
        let result = self.write_export_file(id, &ids, &fields, request, out, &mut |_| {
            ControlFlow::Continue(())
        });
        self.finish_export(actor, id, request, out, result)
    }

    /// Writes export down: a background one `queued`, a direct one already `running`, claimed
    /// by this store in the same statement (so another process's recovery never takes it for
    /// an interrupted one).
    fn insert_export(
        &self,
        actor: &Actor,
        request: &ExportRequest,
        background: bool,
        rows: u32,
    ) -> Result<i64> {
        let now = self.now_utc();
        let (status, runner, lease) = if background {
            ("queued", None, None)
        } else {
            (
                "running",
                Some(self.runner().as_str()),
                Some(crate::clock::format(now + crate::job_queue::LEASE)),
            )
        };
        self.conn.execute(
            "INSERT INTO export_jobs(status, background, request, description, fields, created_by,
                                     created_at, total_rows, runner, lease_until, started_at)
             VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?10, CASE WHEN ?9 IS NULL THEN NULL ELSE ?6 END)",
            params![
                background,
                serde_json::to_string(request).unwrap_or_default(),
                self.export_description(request, Lang::En)?,
                request.fields.as_str(),
                actor.name,
                crate::clock::format(now),
                rows,
                status,
                runner,
                lease
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Writes export `id` to a `.part` file of this store's own and renames it into place, so
    /// a crash or a cancel never leaves a half-written file under the final name. The lease is
    /// renewed after every chunk and once more before the rename: a writer that lost the
    /// export (another process took it over) stops, removes only its own `.part` and never
    /// renames over the other's file.
    fn write_export_file(
        &self,
        id: i64,
        ids: &PositionIds,
        fields: &[FieldDef],
        request: &ExportRequest,
        out: &Path,
        progress: &mut dyn FnMut(u32) -> ControlFlow<()>,
    ) -> Result<Option<u32>> {
        if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::store::private_file::create_dir_all(dir)?;
        }
        // Named after the job and this runner (`part_path`): the start-up sweep finds it when the
        // job is no longer running, and holds it while this writer lives (`files`).
        let part = TempFile::claim(part_path(out, id, self.runner().token()))?;
        let mut lost = None;
        let mut renewal = Every::default();
        let mut heartbeat = |done: u32| {
            let now = self.now_utc();
            if !renewal.due(now) {
                return progress(done);
            }
            match EXPORTS.renew(&self.conn, id, self.runner(), now) {
                Ok(()) => progress(done),
                Err(e) => {
                    lost = Some(e);
                    ControlFlow::Break(())
                }
            }
        };
        let written = write_workbook(
            self,
            ids,
            fields,
            offset_of(&request.query),
            part.path(),
            &mut heartbeat,
        );
        let written = match (written, lost) {
            (_, Some(e)) => Err(e),
            (Ok(Some(n)), None) => EXPORTS
                .renew(&self.conn, id, self.runner(), self.now_utc())
                .map(|()| Some(n)),
            (other, None) => other,
        };
        // Published only when whole; dropped (removed) otherwise.
        if let Ok(Some(_)) = written {
            part.publish(out)?;
        }
        written
    }

    /// Records the outcome of a write: done (with its audit entry, in the same transaction),
    /// cancelled or failed.
    fn finish_export(
        &mut self,
        actor: &Actor,
        id: i64,
        request: &ExportRequest,
        out: &Path,
        result: Result<Option<u32>>,
    ) -> Result<ExportJob> {
        let now = self.now();
        match result {
            Ok(Some(rows)) => {
                let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
                let names = self.export_names(&request.query)?;
                let runner = self.runner().clone();
                let tx = self.conn.transaction()?;
                let description: String = tx.query_row(
                    "SELECT description FROM export_jobs WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                EXPORTS.finish(&tx, id, &runner, "done", &now, None)?;
                tx.execute(
                    "UPDATE export_jobs SET rows_done = ?2, total_rows = ?2, file_path = ?3,
                            file_bytes = ?4
                      WHERE id = ?1",
                    params![id, rows, out.display().to_string(), bytes as i64],
                )?;
                crate::audit::append(
                    &tx,
                    &now,
                    actor,
                    "export",
                    &format!("export:{id}"),
                    serde_json::json!({
                        "filter": description,
                        // The filter as data too: the audit log words it in the reader's
                        // language (`filter` stays for the CLI and the log's .xlsx).
                        "query": request.query,
                        "selected": request.ids.as_ref().map(Vec::len),
                        "names": names,
                        "fields": request.fields.as_str(),
                        "columns": request.columns,
                        "rows": rows,
                        "destination": out.display().to_string(),
                    }),
                )?;
                tx.commit()?;
            }
            Ok(None) => {
                EXPORTS.finish(&self.conn, id, self.runner(), "cancelled", &now, None)?;
            }
            Err(e) => {
                // A writer that lost the export finishes nothing: `finish` refuses it.
                EXPORTS.finish(
                    &self.conn,
                    id,
                    self.runner(),
                    "failed",
                    &now,
                    Some(&JobError::from(&e)),
                )?;
                return Err(e);
            }
        }
        self.export_job(actor, id)
    }

    /// Queues a background export; the worker runs it ([`Store::run_export`]).
    pub fn queue_export(&mut self, actor: &Actor, request: &ExportRequest) -> Result<ExportJob> {
        actor.require(Permission::ProfileExport)?;
        self.export_fields(request)?;
        let rows = self.export_ids(actor, request)?.len() as u32;
        let id = self.insert_export(actor, request, true, rows)?;
        self.export_job(actor, id)
    }

    /// The folder background exports are written to: `exports/` next to the database.
    pub fn exports_dir(&self) -> PathBuf {
        self.path()
            .parent()
            .map(|p| p.join("exports"))
            .unwrap_or_else(|| PathBuf::from("exports"))
    }

    /// Runs (or, after a restart, runs again from the start) background export `id`,
    /// reporting progress after every chunk; `Break` from the callback cancels it.
    pub fn run_export(
        &mut self,
        actor: &Actor,
        id: i64,
        mut progress: impl FnMut(ExportProgress) -> ControlFlow<()>,
    ) -> Result<ExportJob> {
        actor.require(Permission::ProfileExport)?;
        let (status, request): (String, String) = self
            .conn
            .query_row(
                "SELECT status, request FROM export_jobs WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| EXPORTS.not_found(id))?;
        EXPORTS.ensure_runnable(id, &status)?;
        let request: ExportRequest = serde_json::from_str(&request)
            .map_err(|e| Error::Internal(format!("export {id}: {e}")))?;
        // Claimed before anything is decided or written (`job_queue`, "Claims and leases").
        EXPORTS.claim(&self.conn, id, self.runner(), self.now_utc())?;
        let prepared = self
            .export_fields(&request)
            .and_then(|f| Ok((f, self.export_ids(actor, &request)?)));
        let (fields, ids) = match prepared {
            Ok(v) => v,
            Err(e) => {
                // The catalogue or the filter no longer fits: the job fails with the reason.
                let out = self.exports_dir().join(id.to_string()).join("export.xlsx");
                return self.finish_export(actor, id, &request, &out, Err(e));
            }
        };
        let total = ids.len() as u32;
        // One folder per export keeps names unique and the file's own name clean.
        let name = safe_file_name(&default_file_name(
            self.now_utc(),
            offset_of(&request.query),
            Some(id),
        ));
        let out = self.exports_dir().join(id.to_string()).join(name);
        self.conn.execute(
            "UPDATE export_jobs SET total_rows = ?2, rows_done = 0, file_path = ?3
              WHERE id = ?1 AND runner = ?4",
            params![id, total, out.display().to_string(), self.runner().as_str()],
        )?;
        let _ = progress(ExportProgress {
            job_id: id,
            rows_done: 0,
            total_rows: total,
        });
        // The resume point is only informative (a restart writes the file again from the top),
        // but it lets another process show how far the export got.
        let mut recorded = Every::default();
        let mut record_progress = |done: u32| -> ControlFlow<()> {
            if recorded.due(self.now_utc()) {
                let _ = self.conn.execute(
                    "UPDATE export_jobs SET rows_done = ?2 WHERE id = ?1 AND runner = ?3",
                    params![id, done, self.runner().as_str()],
                );
            }
            progress(ExportProgress {
                job_id: id,
                rows_done: done,
                total_rows: total,
            })
        };
        let result =
            self.write_export_file(id, &ids, &fields, &request, &out, &mut record_progress);
        if !matches!(result, Ok(Some(_))) {
            // Cancelled or failed: the export's folder holds nothing (remove_dir keeps a
            // folder that is not empty).
            if let Some(dir) = out.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        }
        self.finish_export(actor, id, &request, &out, result)
    }

    /// Exports left `running` by a process that is gone (their lease passed) go back to the
    /// queue (they run again from the start); exports another live process writes are left
    /// alone (`job_queue`, "Claims and leases").
    pub fn recover_interrupted_exports(&self) -> Result<usize> {
        let now = self.now_utc();
        Ok(EXPORTS.requeue_interrupted(&self.conn, now)? + self.conn.execute(
            // A direct export interrupted mid-write has no file: it failed.
            "UPDATE export_jobs SET status = 'failed', error = 'Profile Desk stopped while writing the file',
                    error_code = 'internal', error_details = '{\"reason\":\"exportInterrupted\"}',
                    runner = NULL, lease_until = NULL
              WHERE status IN ('running', 'queued') AND NOT background
                AND (lease_until IS NULL OR lease_until < ?1)",
            [crate::clock::format(now)],
        )?)
    }

    /// The oldest background export this store may claim: queued, or left running by a process
    /// that is gone.
    pub fn next_queued_export(&self) -> Result<Option<i64>> {
        EXPORTS.next_queued(&self.conn, self.now_utc())
    }

    /// Fails export `id`, which this store's worker was on when it stopped on an internal error,
    /// with `what` in its message; the export as it now is. Its `.part` is removed by the next
    /// start's sweep if the unwinding did not remove it.
    pub fn fail_export_after_panic(&self, id: i64, what: &str) -> Result<ExportJob> {
        self.recover_after_panic();
        EXPORTS.fail_abandoned(
            &self.conn,
            id,
            self.runner(),
            &self.now(),
            &crate::job_queue::panic_error("export", what),
        )?;
        let owner = self.export_owner(id)?;
        self.export_job(&owner, id)
    }

    /// The user who asked for export `id` (the worker runs it as them).
    pub fn export_owner(&self, id: i64) -> Result<Actor> {
        let owner = EXPORTS.owner(&self.conn, id)?;
        self.actor(Some(&owner))
    }

    pub fn export_job(&self, actor: &Actor, id: i64) -> Result<ExportJob> {
        actor.require(Permission::ProfileExport)?;
        self.exports_where("WHERE id = ?1", params![id])?
            .pop()
            .ok_or_else(|| EXPORTS.not_found(id))
    }

    /// Every export, newest first.
    pub fn export_jobs(&self, actor: &Actor) -> Result<Vec<ExportJob>> {
        actor.require(Permission::ProfileExport)?;
        self.exports_where("ORDER BY id DESC LIMIT 500", [])
    }

    fn exports_where(&self, clause: &str, p: impl rusqlite::Params) -> Result<Vec<ExportJob>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM export_jobs {clause}",
            ExportJob::COLUMNS
        ))?;
        let rows = stmt.query_map(p, ExportJob::from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cancels a queued export at once; a running one is returned still running (its worker
    /// stops it after the current chunk, when the caller signals it).
    pub fn cancel_export(&mut self, actor: &Actor, id: i64) -> Result<ExportJob> {
        let job = self.export_job(actor, id)?;
        match job.status {
            ExportStatus::Queued => {
                EXPORTS.cancel_queued(&self.conn, id, &self.now())?;
                self.export_job(actor, id)
            }
            ExportStatus::Running => Ok(job),
            other => Err(Error::conflict(
                "exportNotCancellable",
                serde_json::json!({ "id": id, "status": other.as_str() }),
                format!(
                    "Export {id} is {}; only queued or running exports can be cancelled",
                    other.as_str()
                ),
            )),
        }
    }

    /// "Save as…": copies a finished export's file to `dest` (audited: a new destination).
    pub fn save_export_copy(&mut self, actor: &Actor, id: i64, dest: &Path) -> Result<ExportJob> {
        let job = self.export_job(actor, id)?;
        let source = match (&job.status, &job.path) {
            (ExportStatus::Done, Some(p)) => PathBuf::from(p),
            _ => {
                return Err(Error::conflict(
                    "exportNotFinished",
                    serde_json::json!({ "id": id }),
                    format!("Export {id} has no finished file to save"),
                ))
            }
        };
        if !source.exists() {
            return Err(Error::not_found(
                "exportFileGone",
                serde_json::json!({ "id": id, "path": source.display().to_string() }),
                format!(
                    "The file of export {id} is no longer at {}",
                    source.display()
                ),
            ));
        }
        if source != dest {
            files::write_then_publish(dest, files::hidden_temp(dest, "copy"), |temp| {
                std::fs::copy(&source, temp)?;
                Ok(())
            })?;
        }
        let at = self.now();
        let tx = self.conn.transaction()?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "export.save",
            &format!("export:{id}"),
            serde_json::json!({ "rows": job.rows_done, "destination": dest.display().to_string() }),
        )?;
        tx.commit()?;
        Ok(job)
    }
}

/// The temporary file export `id` is written to by the runner with `token`, next to `out`:
/// `<out>.export-<id>.<token>.part`. The job's id lets the start-up sweep tell whose it is; the
/// runner's token keeps a writer that lost the job from writing into its successor's file.
pub(crate) fn part_path(out: &Path, id: i64, token: &str) -> PathBuf {
    PathBuf::from(format!("{}.{}{token}.part", out.display(), part_prefix(id)))
}

/// What the name of every temporary file of export `id` has after its destination's name.
pub(crate) fn part_prefix(id: i64) -> String {
    format!(".export-{id}.")
}

/// How often a running export writes to its record (its lease, the rows done) at most: after
/// every chunk it was a thousand commits on a million rows, each fsynced (`synchronous =
/// FULL`), 0.9 s measured on the thread that reads the rows. The lease (a minute) is renewed
/// well within its time; the callers still hear of every chunk.
const RECORD_EVERY: time::Duration = time::Duration::seconds(1);

/// Says when [`RECORD_EVERY`] passed on the store's clock since it last said so (and the
/// first time).
#[derive(Default)]
struct Every {
    last: Option<time::OffsetDateTime>,
}

impl Every {
    fn due(&mut self, now: time::OffsetDateTime) -> bool {
        let due = self.last.is_none_or(|last| now - last >= RECORD_EVERY);
        if due {
            self.last = Some(now);
        }
        due
    }
}
