//! The life of a background job, shared by import jobs and exports: a row in its table that is
//! `queued`, claimed as `running`, finished as `done`, `failed` or `cancelled`; sent back to the
//! queue when the app stopped while it ran; run as the user who asked for it. Each kind keeps
//! its own table and columns — this is only the lifecycle both follow, written once.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};

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
    /// Sends the jobs a crash left `running` back to the queue; how many.
    pub(crate) fn requeue_interrupted(&self, conn: &Connection) -> Result<usize> {
        Ok(conn.execute(
            &format!(
                "UPDATE {} SET status = 'queued'{} WHERE status = 'running' AND {}",
                self.table, self.requeue_reset, self.runnable
            ),
            [],
        )?)
    }

    /// The oldest job waiting to run.
    pub(crate) fn next_queued(&self, conn: &Connection) -> Result<Option<i64>> {
        Ok(conn
            .query_row(
                &format!(
                    "SELECT id FROM {} WHERE status = 'queued' AND {} ORDER BY id LIMIT 1",
                    self.table, self.runnable
                ),
                [],
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
            _ => Err(Error::Conflict(format!(
                "{} {id} is {status}; it cannot run again",
                self.title
            ))),
        }
    }

    /// Marks job `id` running; `started_at` keeps the first start of a resumed job.
    pub(crate) fn start(&self, conn: &Connection, id: i64, at: &str) -> Result<()> {
        conn.execute(
            &format!(
                "UPDATE {} SET status = 'running', started_at = COALESCE(started_at, ?2) WHERE id = ?1",
                self.table
            ),
            params![id, at],
        )?;
        Ok(())
    }

    /// Records how job `id` ended: `status` is `done`, `failed` or `cancelled`, `error` the
    /// reason of a failure.
    pub(crate) fn finish(
        &self,
        conn: &Connection,
        id: i64,
        status: &str,
        at: &str,
        error: Option<&str>,
    ) -> Result<()> {
        conn.execute(
            &format!(
                "UPDATE {} SET status = ?2, finished_at = ?3, error = ?4 WHERE id = ?1",
                self.table
            ),
            params![id, status, at, error],
        )?;
        Ok(())
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

    /// The refusal for a job id that does not exist.
    pub(crate) fn not_found(&self, id: i64) -> Error {
        Error::NotFound(format!("There is no {} {id}", self.noun))
    }
}
