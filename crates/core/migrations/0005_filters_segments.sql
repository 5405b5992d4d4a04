-- Filters and saved segments (SPEC 2).

-- The current consent per profile and channel (the newest record), kept by a trigger so that a
-- consent filter is one index lookup instead of a "latest record" scan of the history.
CREATE TABLE consent_current (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    channel    TEXT NOT NULL,
    status     TEXT NOT NULL,
    PRIMARY KEY (profile_id, channel)
) WITHOUT ROWID;
CREATE INDEX consent_current_status ON consent_current(channel, status, profile_id);
INSERT INTO consent_current(profile_id, channel, status)
    SELECT profile_id, channel, status FROM consent_records
     WHERE id IN (SELECT MAX(id) FROM consent_records GROUP BY profile_id, channel);
CREATE TRIGGER consent_records_current AFTER INSERT ON consent_records BEGIN
    INSERT INTO consent_current(profile_id, channel, status)
        VALUES (new.profile_id, new.channel, new.status)
        ON CONFLICT(profile_id, channel) DO UPDATE SET status = excluded.status;
END;

-- Narrow indexes for the common filters: counts read them instead of the wide table.
CREATE INDEX profiles_birthday ON profiles(birthday) WHERE birthday IS NOT NULL;
CREATE INDEX profiles_gender ON profiles(gender);
-- (Equal keys are in id order, so a filtered first page walks the index newest first.)
CREATE INDEX profiles_source ON profiles(source_kind);
CREATE INDEX profiles_company ON profiles(company) WHERE company IS NOT NULL;

-- Saved segments: a named filter (search, conditions, sort) with the displayed columns, per user.
CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,            -- JSON ListQuery (search, filter, sort)
    columns    TEXT NOT NULL,            -- JSON [field key]
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, name COLLATE NOCASE)
);
