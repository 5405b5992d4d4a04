-- Sync with a remote CDP (issue 13; SYNC.md §3, docs/sync/client.md). Append-only, like the
-- others.
--
-- Every profile gets a global id (UUIDv7), the id it has on every device and on the server;
-- the local integer id stays for keyset paging. Profiles written before this migration get one
-- now.
ALTER TABLE profiles ADD COLUMN gid TEXT;
UPDATE profiles SET gid = pdesk_uuid7();
CREATE UNIQUE INDEX profiles_gid ON profiles(gid);

-- Consent events keep the id they have everywhere, so a pulled event is stored once. The
-- records written before this migration get theirs now (the append-only trigger is lifted for
-- this one statement and put back as it was).
ALTER TABLE consent_records ADD COLUMN event_id TEXT;
DROP TRIGGER consent_records_no_update;
UPDATE consent_records SET event_id = pdesk_uuid7();
CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records BEGIN
    SELECT RAISE(ABORT, 'consent history is append-only');
END;
CREATE UNIQUE INDEX consent_records_event ON consent_records(event_id) WHERE event_id IS NOT NULL;

-- The connection to a server: one row while connected, none otherwise. Ops are captured only
-- while it exists. The refresh token is never here (the OS keychain keeps it).
CREATE TABLE sync_state (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    server_url         TEXT NOT NULL,
    user_name          TEXT NOT NULL,
    device_id          TEXT NOT NULL,
    device_name        TEXT NOT NULL,
    replica_id         TEXT NOT NULL,
    next_seq           INTEGER NOT NULL DEFAULT 1,
    hlc                INTEGER NOT NULL DEFAULT 0,
    -- initial_push: the profiles held before connecting go up as creates; snapshot: the
    -- server's profiles come down page by page; pull: the change feed from the cursor.
    phase              TEXT NOT NULL DEFAULT 'initial_push'
                       CHECK (phase IN ('initial_push', 'snapshot', 'pull')),
    initial_after      INTEGER NOT NULL DEFAULT 0,   -- the last local id sent by the initial push
    initial_upto       INTEGER NOT NULL DEFAULT 0,   -- the last local id held when connecting
    server_epoch       TEXT,
    snapshot_watermark TEXT,
    snapshot_after     TEXT,
    cursor             TEXT,
    config_version     INTEGER NOT NULL DEFAULT 0,
    paused             INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    last_sync_at       TEXT,
    connected_at       TEXT NOT NULL,
    connected_by       TEXT NOT NULL
);

-- One semantic op per local change, appended in the change's transaction; `seq` is gap-free
-- per replica. `body` is the op's JSON without its envelope (seq, op_id, hlc), so a retry
-- sends the same bytes.
CREATE TABLE sync_outbox (
    seq        INTEGER PRIMARY KEY,
    replica_id TEXT NOT NULL,
    op_id      TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    gid        TEXT,
    body       TEXT NOT NULL,
    hlc        INTEGER NOT NULL,
    source_job INTEGER,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'inflight', 'acked', 'rejected')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    result     TEXT,
    acked_at   TEXT
);
CREATE INDEX sync_outbox_state ON sync_outbox(state, seq);
CREATE INDEX sync_outbox_open_gid ON sync_outbox(gid) WHERE state IN ('pending', 'inflight');

-- What this device knows of each profile's server state: its rev, its field versions (sent
-- back as base_fv) and the OR-set tags of its list values (a removal names the tags it saw).
CREATE TABLE sync_known (
    gid   TEXT PRIMARY KEY,
    rev   INTEGER NOT NULL,
    fv    TEXT NOT NULL,
    lists TEXT NOT NULL
) WITHOUT ROWID;

-- A server state that arrived while the profile still had ops on their way up: the row
-- keeps showing the local edits, and the state is applied once those ops are answered (when
-- the answer itself carries no newer state).
CREATE TABLE sync_base (
    gid   TEXT PRIMARY KEY,
    rev   INTEGER NOT NULL,
    state TEXT NOT NULL
) WITHOUT ROWID;

-- A create the server merged into another profile: where the old gid went.
CREATE TABLE sync_id_map (
    from_gid TEXT PRIMARY KEY,
    to_gid   TEXT NOT NULL,
    at       TEXT NOT NULL
) WITHOUT ROWID;

-- Ops the server refused: listed for the user, never dropped silently.
CREATE TABLE sync_rejections (
    op_id  TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    gid    TEXT,
    code   TEXT NOT NULL,
    detail TEXT NOT NULL,
    at     TEXT NOT NULL
) WITHOUT ROWID;

-- Concurrent edits of one field that the server's policy decided: the losing value is kept
-- for the user to review.
CREATE TABLE sync_conflicts (
    id     TEXT PRIMARY KEY,
    gid    TEXT NOT NULL,
    field  TEXT NOT NULL,
    kept   TEXT NOT NULL,
    lost   TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    at     TEXT NOT NULL
) WITHOUT ROWID;
