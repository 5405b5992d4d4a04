-- Why a job failed, as data (issue 16): the error's IPC code (`conflict`, `importRefused`,
-- `internal`…) and details (`{ reason, ...params }` for a refusal, a refused file's details),
-- so the job panel, the report and the exports list word it in the reader's language.
-- `error` keeps the English sentence: the CLI's, and the fallback for jobs that failed before
-- these columns.
ALTER TABLE import_jobs ADD COLUMN error_code TEXT;
ALTER TABLE import_jobs ADD COLUMN error_details TEXT;
ALTER TABLE export_jobs ADD COLUMN error_code TEXT;
ALTER TABLE export_jobs ADD COLUMN error_details TEXT;
