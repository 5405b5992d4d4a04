-- What the status chip says about sync (issue 13): the kind of the last error (offline, sign
-- in again, server busy, refused, failed) beside its words, when the next try is, and how far
-- this computer's clock is from the server's.
ALTER TABLE sync_state ADD COLUMN last_error_kind TEXT;
ALTER TABLE sync_state ADD COLUMN next_attempt_at TEXT;
ALTER TABLE sync_state ADD COLUMN clock_offset_ms INTEGER NOT NULL DEFAULT 0;
