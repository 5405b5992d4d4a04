-- What an import job's shared keys were found under (issue 18): a digest of the field
-- catalogue, the phone region, the rule's guards and the job's settings. A job confirmed right
-- after its dry run takes the dry run's keys with this basis, and a resumed job its own first
-- run's, instead of reading the whole file once more before its first row; any change of the
-- basis means they are found again.
ALTER TABLE import_jobs ADD COLUMN shared_keys_basis TEXT;
