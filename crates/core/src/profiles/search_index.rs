//! Writes to the name search index (`profile_search`, a contentless FTS5 table over the folded
//! name). `storage.rs` reports every change of a profile's name key here; deletes are handled
//! by a trigger (migrations 0001 and 0006 say why inserts and updates are not).
//!
//! Single changes (the create form, an edit) are written at once. A bulk writer (an import)
//! collects its changes and writes them in one go just before each commit: FTS5 flushes its
//! pending terms to disk at every statement savepoint, so indexing row by row amid the other
//! writes would make one tiny index segment per profile.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::model::ProfileId;

/// Where name-key changes go (part of a writer's [`super::writes::Writes`]).
pub(crate) enum SearchIndex {
    /// Write each change at once.
    Immediate,
    /// Collect changes until [`SearchIndex::flush`]: profile → (whether it had an index entry
    /// before the first collected change, its latest name key).
    Deferred(HashMap<ProfileId, (bool, Option<String>)>),
}

impl SearchIndex {
    pub fn deferred() -> SearchIndex {
        SearchIndex::Deferred(HashMap::new())
    }

    /// Profile `id`'s name key changes from `old` to `new` (`None`: no name).
    pub fn changed(
        &mut self,
        conn: &Connection,
        id: ProfileId,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        match self {
            SearchIndex::Immediate => write(conn, id, old.is_some(), new),
            SearchIndex::Deferred(pending) => {
                let entry = pending.entry(id).or_insert((old.is_some(), None));
                entry.1 = new.map(str::to_string);
                Ok(())
            }
        }
    }

    /// Profile `id` was deleted (the delete trigger removed its index entry): a change still
    /// collected for it must not bring the entry back.
    pub fn deleted(&mut self, id: ProfileId) {
        if let SearchIndex::Deferred(pending) = self {
            pending.remove(&id);
        }
    }

    /// Writes the collected changes (nothing to do when immediate). Call inside the bulk
    /// writer's transaction, before it commits.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        let SearchIndex::Deferred(pending) = self else {
            return Ok(());
        };
        let mut changes: Vec<(ProfileId, (bool, Option<String>))> = pending.drain().collect();
        // FTS5 appends ascending rowids most cheaply.
        changes.sort_unstable_by_key(|(id, _)| *id);
        for (id, (had_entry, new)) in changes {
            write(conn, id, had_entry, new.as_deref())?;
        }
        Ok(())
    }
}

/// Replaces profile `id`'s index entry: the old one goes (if it had one), the new one comes
/// (if it has a name).
fn write(conn: &Connection, id: ProfileId, had_entry: bool, new: Option<&str>) -> Result<()> {
    if had_entry {
        conn.prepare_cached("DELETE FROM profile_search WHERE rowid = ?1")?
            .execute([id])?;
    }
    if let Some(key) = new {
        conn.prepare_cached("INSERT INTO profile_search(rowid, name_key) VALUES (?1, ?2)")?
            .execute(rusqlite::params![id, key])?;
    }
    Ok(())
}
