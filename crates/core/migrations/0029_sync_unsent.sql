-- An import's new profiles wait for their undo window as ids, not as ops (issue 13: capturing
-- each created row's op — its body, what this device knows of it, an outbox row and its
-- indexes — cost a connected import a third of its time). As for the initial push's range
-- (SYNC.md §8), a change to such a profile makes no op: its create goes up with the profile
-- as it is when the window closes (or at "Sync now"), consent included, and an undo removes it
-- as if the store were not connected. Deleting the profile forgets it here.
CREATE TABLE sync_unsent (
    profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
    job        INTEGER NOT NULL,          -- the import job that created it
    origin     TEXT NOT NULL,             -- import | paste (the create's origin)
    held_until INTEGER NOT NULL           -- when its undo window closes (ms since the epoch)
);
