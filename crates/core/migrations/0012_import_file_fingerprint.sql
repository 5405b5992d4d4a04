-- A queued or interrupted file import resumes by row number from its path: the file must be the
-- one that was confirmed. Its size and SHA-256 are recorded when the job is queued and checked
-- every time the job starts or resumes (NULL for pastes and for jobs queued before this version).
ALTER TABLE import_jobs ADD COLUMN file_size INTEGER;
ALTER TABLE import_jobs ADD COLUMN file_sha256 TEXT;
