-- pdesk-server's schema, version 1. Portable on purpose: TEXT and BIGINT only (JSON documents
-- as text), composite primary keys instead of AUTOINCREMENT/SERIAL, no triggers, so SQLite,
-- PostgreSQL, Citus and CockroachDB run it as is (docs/sync/server.md, "Scale-out").

-- Key/value facts about this database: the epoch (rotated on restore), the config and its
-- version, the GC floors.
CREATE TABLE IF NOT EXISTS server_meta (
    k TEXT PRIMARY KEY,
    v TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    active        BIGINT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS devices (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    platform   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT,
    revoked_at TEXT
);

-- Only SHA-256 hashes of tokens are stored. A refresh token is `live` until presented once,
-- then `spent`; a spent one presented again revokes its device (token theft).
CREATE TABLE IF NOT EXISTS refresh_tokens (
    hash       TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS access_tokens (
    hash       TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- One copy of a client database; `last_seq` is kept forever (duplicate detection survives GC).
CREATE TABLE IF NOT EXISTS replicas (
    id         TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL,
    last_seq   BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

-- What each op was answered: replaying it returns the same result, and a different body under
-- a seq the server has is `seq_reused`.
CREATE TABLE IF NOT EXISTS receipts (
    replica   TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    op_id     TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    result    TEXT NOT NULL,
    at_ms     BIGINT NOT NULL,
    PRIMARY KEY (replica, seq)
);
-- An op sent again under another replica (a laptop restored from a backup) is found by its id.
CREATE INDEX IF NOT EXISTS receipts_by_op ON receipts (op_id);

-- A profile's current state (`data`: the wire's ProfileFields; `meta`: field versions, the
-- HLC stamp of each field's last writer, the OR-set tags of list values). A deleted profile
-- stays as a tombstone row (`deleted` = 1) until GC; `merged_into` names a merge's survivor.
CREATE TABLE IF NOT EXISTS profiles (
    gid         TEXT PRIMARY KEY,
    bucket      BIGINT NOT NULL,
    rev         BIGINT NOT NULL,
    data        TEXT NOT NULL,
    meta        TEXT NOT NULL,
    review_open BIGINT NOT NULL,
    deleted     BIGINT NOT NULL,
    merged_into TEXT,
    tombstone   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_ms  BIGINT,
    origin_replica TEXT,
    origin_seq  BIGINT
);
CREATE INDEX IF NOT EXISTS profiles_by_bucket ON profiles (bucket, gid);

-- Match keys: kind `phone` (E.164), `email` (match key), `code` (customer code) of live
-- profiles; `phone~`, `email~`, `code~` of recently deleted ones (a create matching them is
-- reviewed, SYNC.md §5.2). Not unique: a review's "create new" keeps two profiles on one key.
CREATE TABLE IF NOT EXISTS identifiers (
    kind TEXT NOT NULL,
    k    TEXT NOT NULL,
    gid  TEXT NOT NULL,
    PRIMARY KEY (kind, k, gid)
);
CREATE INDEX IF NOT EXISTS identifiers_by_gid ON identifiers (gid);

-- Append-only: inserted once per event id, never updated.
CREATE TABLE IF NOT EXISTS consent_events (
    event_id    TEXT PRIMARY KEY,
    gid         TEXT NOT NULL,
    channel     TEXT NOT NULL,
    status      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT,
    source      TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_by_gid ON consent_events (gid);

CREATE TABLE IF NOT EXISTS reviews (
    id    TEXT PRIMARY KEY,
    gid   TEXT NOT NULL,
    rev   BIGINT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_by_gid ON reviews (gid);

CREATE TABLE IF NOT EXISTS conflicts (
    id    TEXT PRIMARY KEY,
    gid   TEXT NOT NULL,
    rev   BIGINT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conflicts_by_gid ON conflicts (gid);

-- CRM objects linked to a profile (accounts, opportunities, tickets, tasks), delivered inside
-- the profile's state; a merge moves them to the survivor, a delete removes them.
CREATE TABLE IF NOT EXISTS links (
    id         TEXT PRIMARY KEY,
    gid        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS links_by_gid ON links (gid);

-- The change feed: one entry per synced object at its latest position. A change upserts its
-- object's entry with the partition's next cseq, assigned at the end of the transaction
-- (while the partition's head row is locked), so positions follow commit order and a cursor
-- never skips a late commit.
CREATE TABLE IF NOT EXISTS feed (
    kind TEXT NOT NULL,
    id   TEXT NOT NULL,
    part BIGINT NOT NULL,
    cseq BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS feed_by_position ON feed (part, cseq);

CREATE TABLE IF NOT EXISTS partition_heads (
    part BIGINT PRIMARY KEY,
    cseq BIGINT NOT NULL
);

-- Σ xxh3(gid ‖ rev) mod 2⁶⁴ of the live profiles per bucket (stored as the wrapped i64).
CREATE TABLE IF NOT EXISTS buckets (
    b   BIGINT PRIMARY KEY,
    sum BIGINT NOT NULL
);
