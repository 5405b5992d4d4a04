-- Merge reviews the server opened (issue 13; SYNC.md §5.2): a create that matched several
-- customers on the server (or one deleted recently, or past a guard) is stored there under its
-- own gid, flagged, and waits for a person on any device. Here they are listed beside the
-- local merge reviews and decided with a `review.resolve` op; the server's merge (or "keep
-- separate") comes back through the pull like any other change.
CREATE TABLE sync_reviews (
    id          TEXT PRIMARY KEY,
    rev         INTEGER NOT NULL,          -- the server's rev of the review (the op's base_rev)
    gid         TEXT NOT NULL,             -- the customer held for review
    label       TEXT,                      -- its label when last here (shown masked once gone)
    candidates  TEXT NOT NULL,             -- JSON [gid] of the customers it matched
    reason      TEXT NOT NULL,             -- the server's word: several_matches, deleted_recently, …
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    decision    TEXT,                      -- attach | create_new | merge_all (server's or ours)
    target      TEXT,                      -- the gid chosen here (attach, merge_all)
    decided_by  TEXT,                      -- who decided (here, or as the server says)
    decided_at  TEXT,                      -- when a person here decided; NULL: not here
    at          TEXT NOT NULL              -- first known here
) WITHOUT ROWID;
CREATE INDEX sync_reviews_status ON sync_reviews(status, at);
