//! The life of a background job, shared by import jobs and exports: a row in its table that is
//! `queued`, claimed as `running`, finished as `done`, `failed` or `cancelled`; claimed again
//! when the process that ran it is gone; run as the user who asked for it. Each kind keeps
//! its own table and columns — this is only the lifecycle both follow, written once.
//!
//! # Claims and leases
//!
//! The app and the command line may open the same store at once (`pdesk jobs --run` while the
//! app is open), and the app's workers and the CLI each start by looking for interrupted jobs.
//! So a job is never run because it *looks* abandoned: it is run by the one store handle that
//! **claimed** it. A claim is one `UPDATE … WHERE` that takes a job only if it is `queued`, or
//! `running` under a lease that has passed; it writes the handle's runner name
//! (`store::runner`: program, host, pid, a random token) and `lease_until`, both from the
//! store's [`Clock`](crate::clock::Clock). SQLite runs one writer at a time, so of two
//! processes claiming the same job, one wins and the other is told who holds it
//! ([`Error::Conflict`]: "Import job 3 is being run by another Profile Desk (pdesk on host X,
//! pid N)").
//!
//! The runner renews its lease as each import transaction opens and commits, and after every
//! export chunk, always with a `WHERE runner = <me>`; a renewal, a commit of rows or a finish
//! that finds another runner on the row fails and changes nothing — a paused process whose
//! lease passed and whose job someone else took cannot write rows twice or finish the job.
//! (The import's renewal runs inside the transaction that writes the rows, and SQLite's write
//! lock makes that check and the commit one step.)
//!
//! **The lease is [`LEASE`], 60 seconds.** A batch of an import (5,000 rows) or a chunk of an
//! export (2,000 rows) takes a second or two, and the longest step between renewals — the
//! first pass over a 50,000-row file, or waiting on another writer for at most the 15 s busy
//! timeout — stays well inside it, so a live runner never loses its job. And a job whose
//! process crashed is free a minute later at most: the app's workers look at the queue at start
//! and every minute (`IDLE_RECHECK`), `pdesk jobs --run` whenever it is run. An expired job is
//! claimed directly (it is "next" like a queued one); [`JobQueue::requeue_interrupted`] only
//! puts expired ones back to `queued` so that lists show them waiting.

use rusqlite::{params, Connection, OptionalExtension};
use time::{Duration, OffsetDateTime};

use crate::clock::format;
use crate::error::{Error, Result};
use crate::store::{runner_label, Runner};

/// How long a claim holds without renewal (see the module doc for the choice).
pub const LEASE: Duration = Duration::seconds(60);

/// Why a job failed (or paused), as its row keeps it: the English sentence (`error`: the
/// CLI's, and the UI's fallback) and the error's IPC code and details (`error_code`,
/// `error_details`, migration 0026), which the job panel and the report word the sentence
/// from in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JobError {
    pub message: String,
    pub code: &'static str,
    pub details: serde_json::Value,
}

impl From<&Error> for JobError {
    fn from(e: &Error) -> JobError {
        JobError {
            message: e.to_string(),
            code: e.code(),
            details: e.details(),
        }
    }
}

impl JobError {
    /// A stop of Profile Desk itself (code `internal`), worded from `reason` and `params` as a
    /// refusal is ([`crate::error::Said`]).
    pub(crate) fn internal(
        reason: &'static str,
        params: serde_json::Value,
        message: String,
    ) -> JobError {
        JobError {
            details: crate::error::Said::new(reason, params, "").details(),
            code: "internal",
            message,
        }
    }

    /// The details column's text (`NULL` for none).
    fn details_text(&self) -> Option<String> {
        (!self.details.is_null()).then(|| self.details.to_string())
    }
}

/// A job whose worker stopped on an internal error (`noun`: `import`, `export`; `what`: the
/// panic's own words).
pub(crate) fn panic_error(noun: &'static str, what: &str) -> JobError {
    JobError::internal(
        "jobPanicked",
        serde_json::json!({ "job": noun, "what": what }),
        format!(
            "Profile Desk stopped this {noun} after an internal error ({what}); the worker was \
             restarted. Start the {noun} again; if it stops again, send this message to \
             support."
        ),
    )
}

/// A stored job's error code and details (columns `error_code`, `error_details`), as the
/// summaries give them: `Value::Null` for none, or for a job that failed before migration
/// 0026.
pub(crate) fn stored_details(text: Option<String>) -> serde_json::Value {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// The SQL condition of a job whose claim has passed (or that has none), given `?now`.
fn expired(now_param: &str) -> String {
    format!("(lease_until IS NULL OR lease_until < {now_param})")
}

/// One kind of background job: its table and how users name it.
pub(crate) struct JobQueue {
    /// `import_jobs`, `export_jobs`.
    table: &'static str,
    /// How a sentence starts with one job ("Import job", "Export").
    title: &'static str,
    /// How a sentence names one job ("import job", "export").
    noun: &'static str,
    /// What a row must also meet to be run by the worker (`1`: every row).
    runnable: &'static str,
    /// What else a running job that is sent back to the queue resets.
    requeue_reset: &'static str,
}

/// Import jobs resume after their last committed transaction: nothing to reset.
pub(crate) const IMPORTS: JobQueue = JobQueue {
    table: "import_jobs",
    title: "Import job",
    noun: "import job",
    runnable: "1",
    requeue_reset: "",
};

/// Only background exports are queued; one runs again from the start after a crash.
pub(crate) const EXPORTS: JobQueue = JobQueue {
    table: "export_jobs",
    title: "Export",
    noun: "export",
    runnable: "background",
    requeue_reset: ", rows_done = 0",
};

impl JobQueue {
    /// Sends the jobs whose runner is gone (left `running`, lease passed) back to the queue;
    /// how many. Jobs another live process runs are left alone.
    pub(crate) fn requeue_interrupted(
        &self,
        conn: &Connection,
        now: OffsetDateTime,
    ) -> Result<usize> {
        let condition = format!(
            "status = 'running' AND {} AND {}",
            self.runnable,
            expired("?1")
        );
        // Looked at first: an UPDATE takes the write lock even when it matches nothing, and a
        // process that only came to look (`pdesk jobs --run` beside a running import) would
        // wait behind every transaction of the job it must leave alone.
        let any: bool = conn.query_row(
            &format!(
                "SELECT EXISTS(SELECT 1 FROM {} WHERE {condition})",
                self.table
            ),
            [format(now)],
            |r| r.get(0),
        )?;
        if !any {
            return Ok(0);
        }
        Ok(conn.execute(
            &format!(
                "UPDATE {} SET status = 'queued', runner = NULL, lease_until = NULL{}
                  WHERE {condition}",
                self.table, self.requeue_reset,
            ),
            [format(now)],
        )?)
    }

    /// The oldest job that may be claimed: queued, or running under a lease that passed.
    pub(crate) fn next_queued(
        &self,
        conn: &Connection,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        Ok(conn
            .query_row(
                &format!(
                    "SELECT id FROM {} WHERE (status = 'queued' OR (status = 'running' AND {}))
                        AND {} ORDER BY id LIMIT 1",
                    self.table,
                    expired("?1"),
                    self.runnable
                ),
                [format(now)],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The name of the user who asked for job `id` (the worker runs it as them).
    pub(crate) fn owner(&self, conn: &Connection, id: i64) -> Result<String> {
        conn.query_row(
            &format!("SELECT created_by FROM {} WHERE id = ?1", self.table),
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| self.not_found(id))
    }

    /// Refuses to run a job that is no longer queued or running (`status` as stored).
    pub(crate) fn ensure_runnable(&self, id: i64, status: &str) -> Result<()> {
        match status {
            "queued" | "running" => Ok(()),
            _ => Err(Error::conflict(
                "jobNotRunnable",
                self.params(id, serde_json::json!({ "status": status })),
                format!("{} {id} is {status}; it cannot run again", self.title),
            )),
        }
    }

    /// Claims job `id` for `runner` and marks it running, in one statement: only a queued job,
    /// a running one whose lease passed, or one `runner` already holds. `started_at` keeps the
    /// first start of a resumed job. Refused with who holds it when another live runner does.
    pub(crate) fn claim(
        &self,
        conn: &Connection,
        id: i64,
        runner: &Runner,
        now: OffsetDateTime,
    ) -> Result<()> {
        let claimed = conn.execute(
            &format!(
                "UPDATE {} SET status = 'running', runner = ?2, lease_until = ?3,
                        started_at = COALESCE(started_at, ?4)
                  WHERE id = ?1 AND (status = 'queued'
                        OR (status = 'running' AND (runner = ?2 OR {})))",
                self.table,
                expired("?4")
            ),
            params![id, runner.as_str(), format(now + LEASE), format(now)],
        )?;
        if claimed == 1 {
            return Ok(());
        }
        let (status, holder): (String, Option<String>) = conn
            .query_row(
                &format!("SELECT status, runner FROM {} WHERE id = ?1", self.table),
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| self.not_found(id))?;
        self.ensure_runnable(id, &status)?;
        Err(self.held_by(id, holder.as_deref()))
    }

    /// Extends `runner`'s lease on job `id` by [`LEASE`] from `now`; refused (nothing changes)
    /// when `runner` no longer holds the job.
    pub(crate) fn renew(
        &self,
        conn: &Connection,
        id: i64,
        runner: &Runner,
        now: OffsetDateTime,
    ) -> Result<()> {
        let renewed = conn.execute(
            &format!(
                "UPDATE {} SET lease_until = ?3
                  WHERE id = ?1 AND runner = ?2 AND status = 'running'",
                self.table
            ),
            params![id, runner.as_str(), format(now + LEASE)],
        )?;
        if renewed == 1 {
            Ok(())
        } else {
            Err(self.lost(conn, id))
        }
    }

    /// Records how job `id` ended: `status` is `done`, `failed` or `cancelled`, `error` the
    /// reason of a failure; the claim is released. Refused (nothing changes) when `runner` no
    /// longer holds the job.
    pub(crate) fn finish(
        &self,
        conn: &Connection,
        id: i64,
        runner: &Runner,
        status: &str,
        at: &str,
        error: Option<&JobError>,
    ) -> Result<()> {
        let finished = conn.execute(
            &format!(
                "UPDATE {} SET status = ?3, finished_at = ?4, error = ?5, error_code = ?6,
                        error_details = ?7, runner = NULL, lease_until = NULL
                  WHERE id = ?1 AND runner = ?2 AND status = 'running'",
                self.table
            ),
            params![
                id,
                runner.as_str(),
                status,
                at,
                error.map(|e| &e.message),
                error.map(|e| e.code),
                error.and_then(JobError::details_text)
            ],
        )?;
        if finished == 1 {
            Ok(())
        } else {
            Err(self.lost(conn, id))
        }
    }

    /// Puts job `id`, which `runner` holds, back in the queue with `error` as the reason it
    /// stopped (a full or failing disk): it resumes after its last commit when it runs again.
    /// Refused (nothing changes) when `runner` no longer holds the job.
    pub(crate) fn release(
        &self,
        conn: &Connection,
        id: i64,
        runner: &Runner,
        error: &JobError,
    ) -> Result<()> {
        let released = conn.execute(
            &format!(
                "UPDATE {} SET status = 'queued', runner = NULL, lease_until = NULL, error = ?3,
                        error_code = ?4, error_details = ?5
                  WHERE id = ?1 AND runner = ?2 AND status = 'running'",
                self.table
            ),
            params![
                id,
                runner.as_str(),
                error.message,
                error.code,
                error.details_text()
            ],
        )?;
        if released == 1 {
            Ok(())
        } else {
            Err(self.lost(conn, id))
        }
    }

    /// Fails job `id` that `runner`'s worker was on when it stopped on an internal error (a
    /// panic): queued (it never started) or running under `runner`; whether it was. A job
    /// another runner holds is left alone. Failed, not queued again: a job that makes the
    /// worker panic would otherwise do it again at every restart.
    pub(crate) fn fail_abandoned(
        &self,
        conn: &Connection,
        id: i64,
        runner: &Runner,
        at: &str,
        error: &JobError,
    ) -> Result<bool> {
        Ok(conn.execute(
            &format!(
                "UPDATE {} SET status = 'failed', finished_at = ?3, error = ?4, error_code = ?5,
                        error_details = ?6, runner = NULL, lease_until = NULL
                  WHERE id = ?1 AND (status = 'queued' OR (status = 'running' AND runner = ?2))",
                self.table
            ),
            params![
                id,
                runner.as_str(),
                at,
                error.message,
                error.code,
                error.details_text()
            ],
        )? == 1)
    }

    /// Cancels job `id` if it is still queued; whether it was.
    pub(crate) fn cancel_queued(&self, conn: &Connection, id: i64, at: &str) -> Result<bool> {
        Ok(conn.execute(
            &format!(
                "UPDATE {} SET status = 'cancelled', finished_at = ?2 WHERE id = ?1 AND status = 'queued'",
                self.table
            ),
            params![id, at],
        )? == 1)
    }

    /// A refusal's parameters about job `id`: its kind (`import`, `export`), its id and `more`.
    fn params(&self, id: i64, more: serde_json::Value) -> serde_json::Value {
        let mut params = serde_json::json!({
            "job": self.table.trim_end_matches("_jobs"),
            "id": id,
        });
        if let (Some(map), serde_json::Value::Object(more)) = (params.as_object_mut(), more) {
            map.extend(more);
        }
        params
    }

    /// The refusal for a job id that does not exist.
    pub(crate) fn not_found(&self, id: i64) -> Error {
        Error::not_found(
            "noJob",
            self.params(id, serde_json::Value::Null),
            format!("There is no {} {id}", self.noun),
        )
    }

    /// The refusal for a job another runner holds.
    fn held_by(&self, id: i64, holder: Option<&str>) -> Error {
        let runner = runner_label(holder.unwrap_or("unknown"));
        Error::conflict(
            "jobHeldByOther",
            self.params(id, serde_json::json!({ "runner": runner })),
            format!(
                "{} {id} is being run by another Profile Desk ({runner})",
                self.title
            ),
        )
    }

    /// The refusal for a runner that lost job `id` (its lease passed and another took it, or
    /// the job ended meanwhile).
    fn lost(&self, conn: &Connection, id: i64) -> Error {
        let now: Option<(String, Option<String>)> = conn
            .query_row(
                &format!("SELECT status, runner FROM {} WHERE id = ?1", self.table),
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ok()
            .flatten();
        match now {
            None => self.not_found(id),
            Some((status, Some(holder))) if status == "running" => {
                let runner = runner_label(&holder);
                Error::conflict(
                    "jobTakenOver",
                    self.params(id, serde_json::json!({ "runner": runner })),
                    format!(
                        "{} {id} was taken over by another Profile Desk ({runner}): this one \
                         stopped without writing more",
                        self.title
                    ),
                )
            }
            Some((status, _)) => Error::conflict(
                "jobEndedMeanwhile",
                self.params(id, serde_json::json!({ "status": status })),
                format!(
                    "{} {id} is {status}: this run stopped without writing more",
                    self.title
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;

    /// One queued import job on an in-memory store; its id.
    fn queued(conn: &Connection) -> i64 {
        conn.execute(
            "INSERT INTO import_jobs(kind, file_name, settings, status, created_by, created_at)
             VALUES ('paste', 'Pasted data', '{}', 'queued', 'admin', 'x')",
            [],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    fn status(conn: &Connection, id: i64) -> (String, Option<String>) {
        conn.query_row(
            "SELECT status, runner FROM import_jobs WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    }

    #[test]
    fn a_claim_is_exclusive_and_only_its_runner_renews_or_finishes_it() {
        let store = crate::Store::open_in_memory().unwrap();
        let conn = &store.conn;
        let now = FakeClock::START;
        let (a, b) = (Runner::new(), Runner::new());
        let id = queued(conn);
        IMPORTS
            .claim(conn, id, &a, now)
            .expect("a claims the queued job");
        let e = IMPORTS.claim(conn, id, &b, now).unwrap_err();
        assert!(
            e.to_string()
                .contains("is being run by another Profile Desk"),
            "{e}"
        );
        assert!(
            IMPORTS.renew(conn, id, &b, now).is_err(),
            "b cannot renew a's claim"
        );
        assert!(
            IMPORTS
                .finish(
                    conn,
                    id,
                    &b,
                    "failed",
                    "t",
                    Some(&JobError::from(&Error::Internal("no".into())))
                )
                .is_err(),
            "b cannot finish a's job"
        );
        assert_eq!(
            status(conn, id),
            ("running".into(), Some(a.as_str().into()))
        );
        IMPORTS
            .claim(conn, id, &a, now)
            .expect("a claiming again is a renewal");
        // a renews until a minute after `now + 50 s`: b still waits at `now + 100 s`.
        IMPORTS
            .renew(conn, id, &a, now + Duration::seconds(50))
            .unwrap();
        assert!(IMPORTS
            .claim(conn, id, &b, now + Duration::seconds(100))
            .is_err());
        assert_eq!(
            IMPORTS
                .next_queued(conn, now + Duration::seconds(100))
                .unwrap(),
            None
        );
        // a is gone: its lease passes, b takes the job, a can no longer finish it.
        let later = now + Duration::seconds(111);
        assert_eq!(IMPORTS.next_queued(conn, later).unwrap(), Some(id));
        IMPORTS
            .claim(conn, id, &b, later)
            .expect("the lease passed");
        assert!(IMPORTS.renew(conn, id, &a, later).is_err());
        let e = IMPORTS.finish(conn, id, &a, "done", "t", None).unwrap_err();
        assert!(
            e.to_string()
                .contains("was taken over by another Profile Desk"),
            "{e}"
        );
        IMPORTS.finish(conn, id, &b, "done", "t", None).unwrap();
        assert_eq!(
            status(conn, id),
            ("done".into(), None),
            "finished and released"
        );
    }
}
