-- The outbox's look-ups stay indexed however many ops an import holds (issue 13). Read from the
-- query plans of 0017: an undo looked up each profile's ops of the job by scanning the whole
-- outbox, and the next batch walked a replica's acknowledged ops (kept 30 days) to find the
-- waiting ones. (Releasing one profile's held ops uses the open ops' gid index.)
DROP INDEX sync_outbox_held_job;
CREATE INDEX sync_outbox_job ON sync_outbox(source_job, gid) WHERE source_job IS NOT NULL;
CREATE INDEX sync_outbox_open ON sync_outbox(replica_id, seq) WHERE state IN ('pending', 'inflight');
