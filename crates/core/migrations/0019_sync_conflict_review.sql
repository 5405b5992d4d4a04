-- Conflict review (issue 13): each side of a field conflict with who set it, when and on which
-- device, as the server delivers them; which side was this store's own (`ours`), and the import
-- job whose op it was — what "Keep all server values for import #N" decides at once.
ALTER TABLE sync_conflicts ADD COLUMN kept_by TEXT;
ALTER TABLE sync_conflicts ADD COLUMN lost_by TEXT;
ALTER TABLE sync_conflicts ADD COLUMN kept_at TEXT;
ALTER TABLE sync_conflicts ADD COLUMN lost_at TEXT;
ALTER TABLE sync_conflicts ADD COLUMN kept_device TEXT;
ALTER TABLE sync_conflicts ADD COLUMN lost_device TEXT;
ALTER TABLE sync_conflicts ADD COLUMN ours TEXT CHECK (ours IN ('kept', 'lost'));
ALTER TABLE sync_conflicts ADD COLUMN job INTEGER;
-- The review lists open conflicts by profile; the bulk decision finds an import's.
CREATE INDEX sync_conflicts_open ON sync_conflicts(status, gid);
CREATE INDEX sync_conflicts_job ON sync_conflicts(job) WHERE job IS NOT NULL;
