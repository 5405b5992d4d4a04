-- Why a job's e-mail was not sent, as a code the report and `pdesk --json` show beside the
-- sentence in `detail`: notConfigured, noAddress, domainNotAllowed, keychainUnavailable,
-- jobNotFinished, serverRefused, serverUnreachable, error (NULL once sent, and for e-mails
-- recorded before this version).
ALTER TABLE job_mail ADD COLUMN reason TEXT;
