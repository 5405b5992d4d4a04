-- Undo must not revert what happened after an import (issue 15). Each applied row records
-- where the profile it touched stood right after the row: the newest history entry and the
-- newest consent record of that profile. A profile with a newer entry or record was changed
-- since (edited, merged, consent recorded, updated again) and undo leaves it alone. Each row
-- also records the newest consent record of the whole store before it ran, so that undo can
-- tell the consent records the job wrote from the ones the profile had before.
-- Rows written before this migration have no marks; undo then compares times instead.

ALTER TABLE import_job_rows ADD COLUMN history_mark INTEGER;
ALTER TABLE import_job_rows ADD COLUMN consent_mark INTEGER;
ALTER TABLE import_job_rows ADD COLUMN consent_from INTEGER;
