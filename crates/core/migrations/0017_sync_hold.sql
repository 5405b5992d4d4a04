-- Imported changes wait for an undo window before they go up, and a copy of the database can
-- change its replica (issue 13; SYNC.md §3 "Undo import", §9 F7).
--
-- The outbox is rebuilt (SQLite cannot change a CHECK): `id` is now the order of capture; an
-- op gets its `replica_id` and gap-free `seq` when it is released — at once, or for an
-- import's ops when the undo window closes — so a held op never blocks the ops after it; and
-- the ops of an earlier replica (before a restore) keep theirs, `(replica_id, seq)` unique.
CREATE TABLE sync_outbox_new (
    id         INTEGER PRIMARY KEY,
    seq        INTEGER,
    replica_id TEXT,
    op_id      TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    gid        TEXT,
    body       TEXT NOT NULL,
    hlc        INTEGER NOT NULL,
    source_job INTEGER,
    state      TEXT NOT NULL
               CHECK (state IN ('held', 'pending', 'inflight', 'acked', 'rejected')),
    -- held: when the undo window closes (ms since the epoch).
    held_until INTEGER,
    attempts   INTEGER NOT NULL DEFAULT 0,
    result     TEXT,
    acked_at   TEXT,
    CHECK ((state = 'held') = (seq IS NULL)),
    UNIQUE (replica_id, seq)
);
INSERT INTO sync_outbox_new(id, seq, replica_id, op_id, kind, gid, body, hlc, source_job, state,
                            attempts, result, acked_at)
SELECT seq, seq, replica_id, op_id, kind, gid, body, hlc, source_job, state, attempts, result,
       acked_at
  FROM sync_outbox;
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_new RENAME TO sync_outbox;
CREATE INDEX sync_outbox_state ON sync_outbox(state, replica_id, seq);
CREATE INDEX sync_outbox_open_gid ON sync_outbox(gid)
    WHERE state IN ('held', 'pending', 'inflight');
CREATE INDEX sync_outbox_held_job ON sync_outbox(source_job, gid) WHERE state = 'held';

-- How long an import's changes are held so "Undo import" still works (minutes; 0: sent at
-- once).
ALTER TABLE sync_state ADD COLUMN import_hold_minutes INTEGER NOT NULL DEFAULT 10;
