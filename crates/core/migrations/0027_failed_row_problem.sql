-- Why a row failed, as data (issue 16): its first validation error (code, params, the English
-- sentence) and how many more it had, as JSON `{ first, more }`, so the failed-rows file's
-- Reason column is worded in the language of whoever saves it (jobs/row_reason.rs). `reason`
-- keeps the English sentence: the CLI's, and the file's for rows failed before this column.
-- Cleared with `original` and `value` when the row's person is deleted (it quotes the cell).
ALTER TABLE import_job_rows ADD COLUMN problem TEXT;
