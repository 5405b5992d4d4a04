-- Exports (SPEC 4.3) and the e-mails sent about exports and imports (SPEC 4.1, 4.3, 7.1).

-- Every export, written at once (direct) or by the background worker. A background export
-- interrupted by a crash goes back to the queue and is written again from the start.
CREATE TABLE export_jobs (
    id          INTEGER PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    background  INTEGER NOT NULL,
    request     TEXT NOT NULL,            -- JSON ExportRequest (query, fields, columns, ids)
    description TEXT NOT NULL,            -- the filter in words
    fields      TEXT NOT NULL CHECK (fields IN ('displayed', 'all')),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    total_rows  INTEGER NOT NULL DEFAULT 0,
    rows_done   INTEGER NOT NULL DEFAULT 0,
    file_path   TEXT,
    file_bytes  INTEGER,
    error       TEXT
);
CREATE INDEX export_jobs_status ON export_jobs(status, id);

-- The result e-mail of a job: sent, failed (with the reason, retried on demand) or skipped
-- (no SMTP configured, no address). Failures never change the job's own status.
CREATE TABLE job_mail (
    job_kind   TEXT NOT NULL CHECK (job_kind IN ('import', 'export')),
    job_id     INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    recipient  TEXT,
    detail     TEXT,                      -- why it failed or was skipped; what was attached
    attempts   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (job_kind, job_id)
) WITHOUT ROWID;
