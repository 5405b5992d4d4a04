-- Profile Desk schema, version 1. Migrations are append-only: never edit a released file,
-- add the next number instead.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Users, roles and permissions (SPEC 7.2).
CREATE TABLE permissions (
    key         TEXT PRIMARY KEY,
    description TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE roles (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    builtin INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE role_permissions (
    role_id    INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    permission TEXT NOT NULL REFERENCES permissions(key),
    PRIMARY KEY (role_id, permission)
) WITHOUT ROWID;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role_id       INTEGER NOT NULL REFERENCES roles(id),
    password_hash TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- Per-user remembered preferences (column chooser, ...).
CREATE TABLE user_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Field catalogue (SPEC 1, 7.1). Built-in fields have columns on `profiles` or list tables;
-- custom fields keep their values in `profile_custom_values`.
CREATE TABLE fields (
    key       TEXT PRIMARY KEY,
    label     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    builtin   INTEGER NOT NULL DEFAULT 0,
    mandatory INTEGER NOT NULL DEFAULT 0,
    displayed INTEGER NOT NULL DEFAULT 0,
    hidden    INTEGER NOT NULL DEFAULT 0,
    position  INTEGER NOT NULL,
    options   TEXT NOT NULL DEFAULT '[]',
    synonyms  TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;

-- Profiles. The id only grows (AUTOINCREMENT never reuses), so id order is creation order and
-- "newest first" is a walk down the primary key.
CREATE TABLE profiles (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name     TEXT,
    name_key      TEXT,             -- folded name (lower case, no diacritics, đ→d) for search
    gender        TEXT,
    birthday      TEXT,             -- yyyy-mm-dd
    address       TEXT,
    city          TEXT,
    company       TEXT,
    job_title     TEXT,
    customer_code TEXT,
    code_key      TEXT,             -- trimmed customer code, the match key
    note          TEXT,
    source_kind   TEXT NOT NULL,    -- manual | file | paste | sync
    source_detail TEXT,             -- file name for imports
    source_job    INTEGER,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);
CREATE INDEX profiles_code_key ON profiles(code_key) WHERE code_key IS NOT NULL;
CREATE INDEX profiles_city ON profiles(city) WHERE city IS NOT NULL;
-- A narrow index over every profile: date filters, and a cheap walk over all ids (the list's
-- position index and counts read it instead of the wide table).
CREATE INDEX profiles_created_at ON profiles(created_at);
CREATE INDEX profiles_updated_at ON profiles(updated_at);

CREATE TABLE profile_phones (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,   -- 0 is the primary phone
    raw        TEXT NOT NULL,      -- as typed
    e164       TEXT NOT NULL,      -- the match key
    PRIMARY KEY (profile_id, position)
) WITHOUT ROWID;
CREATE INDEX profile_phones_e164 ON profile_phones(e164, profile_id);

CREATE TABLE profile_emails (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    raw        TEXT NOT NULL,
    email_key  TEXT NOT NULL,      -- trimmed, lower-cased
    PRIMARY KEY (profile_id, position)
) WITHOUT ROWID;
CREATE INDEX profile_emails_key ON profile_emails(email_key, profile_id);

CREATE TABLE profile_tags (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    tag        TEXT NOT NULL,
    PRIMARY KEY (profile_id, position)
) WITHOUT ROWID;

CREATE TABLE profile_custom_values (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    field_key  TEXT NOT NULL REFERENCES fields(key) ON UPDATE CASCADE,
    value      TEXT NOT NULL,      -- JSON: string, number, bool or array of strings
    PRIMARY KEY (profile_id, field_key)
) WITHOUT ROWID;
CREATE INDEX profile_custom_values_field ON profile_custom_values(field_key);

-- Accent-insensitive name search: a contentless FTS5 index over the folded name, kept in step
-- by triggers so that every write path (create, merge, edit, delete, import) updates it.
-- Prefix indexes up to 7 characters cover whole Vietnamese syllables, so type-ahead on a
-- common name (`nguyen`*, 40% of profiles) reads one doclist instead of merging many.
CREATE VIRTUAL TABLE profile_search USING fts5(
    name_key,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5 6 7'
);
CREATE TRIGGER profiles_search_insert AFTER INSERT ON profiles
WHEN new.name_key IS NOT NULL BEGIN
    INSERT INTO profile_search(rowid, name_key) VALUES (new.id, new.name_key);
END;
CREATE TRIGGER profiles_search_update AFTER UPDATE OF name_key ON profiles
WHEN old.name_key IS NOT new.name_key BEGIN
    DELETE FROM profile_search WHERE rowid = old.id;
    INSERT INTO profile_search(rowid, name_key)
        SELECT new.id, new.name_key WHERE new.name_key IS NOT NULL;
END;
CREATE TRIGGER profiles_search_delete AFTER DELETE ON profiles BEGIN
    DELETE FROM profile_search WHERE rowid = old.id;
END;

-- Consent (SPEC 1): append-only per profile and channel; the newest record is current.
CREATE TABLE consent_channels (
    key      TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    builtin  INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE consent_records (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL REFERENCES consent_channels(key),
    status      TEXT NOT NULL CHECK (status IN ('granted', 'denied', 'unknown')),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX consent_records_profile ON consent_records(profile_id, channel, id);
CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records BEGIN
    SELECT RAISE(ABORT, 'consent history is append-only');
END;

-- Linked CRM objects (SPEC 1 "Links").
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE profile_accounts (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, account_id)
) WITHOUT ROWID;
CREATE TABLE profile_opportunities (
    profile_id     INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, opportunity_id)
) WITHOUT ROWID;
CREATE TABLE profile_tickets (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, ticket_id)
) WITHOUT ROWID;
CREATE TABLE profile_tasks (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, task_id)
) WITHOUT ROWID;

-- Profile history: created, updated (merge by the synchronization rule), edited, consent.
CREATE TABLE profile_history (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    matched_by  TEXT,
    changes     TEXT NOT NULL DEFAULT '[]'   -- JSON [{field, before, after}]
);
CREATE INDEX profile_history_profile ON profile_history(profile_id, id);

-- Merge review (SPEC 6): incoming data that matched several different profiles.
CREATE TABLE merge_reviews (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    source      TEXT NOT NULL,      -- JSON Source
    incoming    TEXT NOT NULL,      -- JSON of the validated incoming profile
    candidates  TEXT NOT NULL,      -- JSON [{profileId, label, matchedBy}]
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution  TEXT
);
CREATE INDEX merge_reviews_open ON merge_reviews(status, id);

-- Audit log (SPEC 1): append-only and hash-chained; each entry stores the previous hash.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    details   TEXT NOT NULL,       -- JSON, never full personal data
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
