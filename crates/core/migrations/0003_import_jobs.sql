-- Import jobs (SPEC 4.1, 4.2): a persistent queue of confirmed files and pastes. Each job
-- commits in bounded transactions; every transaction records the rows it applied together
-- with the profile changes, so a crash never leaves a job half-applied without a record.

CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('file', 'paste')),
    file_name   TEXT NOT NULL,            -- shown in the report; "Pasted data" for pastes
    file_path   TEXT,                     -- files: read again when the job runs or resumes
    paste_text  TEXT,                     -- pastes: the pasted text, for the same reason
    settings    TEXT NOT NULL,            -- JSON: columns, mapping, consent, merge policy
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'undone')),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    total_rows  INTEGER NOT NULL DEFAULT 0,
    rows_done   INTEGER NOT NULL DEFAULT 0,   -- data rows applied and committed: the resume point
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    reviews     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT
);
CREATE INDEX import_jobs_status ON import_jobs(status, id);

-- One row per applied source row: its outcome, the profile it touched, and what undo needs.
CREATE TABLE import_job_rows (
    job_id       INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
    row_number   INTEGER NOT NULL,         -- the Excel row number (files) or line (pastes)
    outcome      TEXT NOT NULL CHECK (outcome IN ('created', 'updated', 'duplicate', 'review', 'failed')),
    profile_id   INTEGER,                  -- no foreign key: the profile may be deleted later
    matched_by   TEXT,
    duplicate_of INTEGER,                  -- the earlier row of the same file it merged with
    review_id    INTEGER,
    column_name  TEXT,                     -- failed rows: the column at fault
    value        TEXT,
    reason       TEXT,
    original     TEXT,                     -- failed rows: the row's cells (JSON), for the fix-up file
    before       TEXT,                     -- updates: the profile before (JSON), for undo
    PRIMARY KEY (job_id, row_number)
) WITHOUT ROWID;
CREATE INDEX import_job_rows_profile ON import_job_rows(profile_id) WHERE profile_id IS NOT NULL;
