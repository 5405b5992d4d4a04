-- Job ownership (issue 15): the app and the command line may share a store, so a job is run by
-- the one process that claimed it. `runner` names the claiming store handle ("pdesk on host X,
-- pid N #token"); `lease_until` (store clock, same text format as every timestamp) is how long
-- the claim holds without renewal. The runner renews it after every transaction or chunk; a
-- job whose lease passed (its runner is gone) may be claimed by another. Both are NULL while
-- the job is not running; a `running` job from before this migration has none: it is free.
ALTER TABLE import_jobs ADD COLUMN runner TEXT;
ALTER TABLE import_jobs ADD COLUMN lease_until TEXT;
ALTER TABLE export_jobs ADD COLUMN runner TEXT;
ALTER TABLE export_jobs ADD COLUMN lease_until TEXT;
