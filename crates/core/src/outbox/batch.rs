//! A bulk writer's ops (an import's), collected through its transaction and written together
//! just before it commits, as its search-index changes are (`profiles::writes`): the capture
//! state (replica, next seq, clock) is read once and written once per transaction, and the
//! ops and `sync_known` rows of the profiles the transaction created go in as multi-row
//! inserts. Capturing row by row cost the connected import a quarter of its time (issue 13:
//! at most a tenth).
//!
//! **Only ops on profiles created in the same transaction wait.** A change to any other
//! profile writes what was collected first and then takes the single-op path (which may
//! release other jobs' held ops on that profile first), so the outbox keeps the order the
//! changes were made in, and a profile created here has no ops of anyone else to release.

use std::collections::{HashMap, HashSet};

use rusqlite::{types::Value, Connection};

use super::known::{self, Known};
use super::unsent::{self, Waiting};
use super::{connected, Connected};
use crate::error::Result;
use crate::store::insert_many;

/// One op as `sync_outbox` stores it.
pub(super) struct OpRow {
    pub seq: Option<i64>,
    pub replica: Option<String>,
    pub op_id: String,
    pub kind: &'static str,
    pub gid: Option<String>,
    pub body: String,
    pub hlc: i64,
    pub source_job: Option<i64>,
    pub held_until: Option<i64>,
}

impl OpRow {
    pub(super) fn values(self) -> [Value; 10] {
        let state = if self.held_until.is_some() {
            "held"
        } else {
            "pending"
        };
        [
            self.seq.into(),
            self.replica.into(),
            self.op_id.into(),
            self.kind.to_string().into(),
            self.gid.into(),
            self.body.into(),
            self.hlc.into(),
            self.source_job.into(),
            state.to_string().into(),
            self.held_until.into(),
        ]
    }
}

/// Where a writer's ops go: at once (a form's save, a review's decision), or collected until
/// [`OpBatch::flush`] (an import's transaction).
pub struct OpBatch {
    deferred: bool,
    /// A dry run's: nothing it does is kept, so it captures nothing ([`OpBatch::discarded`]).
    discard: bool,
    /// The capture state, read at the transaction's first op (`Some(None)`: not connected).
    state: Option<Option<Connected>>,
    /// What this device will know of the profiles created in the transaction, by gid.
    known: HashMap<String, Known>,
    ops: Vec<OpRow>,
    /// The transaction's new profiles of an import that wait for its undo window, by id too.
    waiting: Vec<Waiting>,
    waiting_ids: HashSet<i64>,
}

impl OpBatch {
    pub fn immediate() -> OpBatch {
        OpBatch {
            deferred: false,
            discard: false,
            state: None,
            known: HashMap::new(),
            ops: Vec::new(),
            waiting: Vec::new(),
            waiting_ids: HashSet::new(),
        }
    }

    pub fn deferred() -> OpBatch {
        OpBatch {
            deferred: true,
            ..OpBatch::immediate()
        }
    }

    /// A dry run's batch: it rolls back whatever it does, so it captures no op at all (as if
    /// the store were not connected). Collecting them cost a connected store's dry run every
    /// row's op body in memory: 130 MB more at 50,000 rows.
    pub fn discarded() -> OpBatch {
        OpBatch {
            deferred: true,
            discard: true,
            ..OpBatch::immediate()
        }
    }

    /// The capture state of the open transaction, read once (`None`: not connected).
    pub(super) fn state(&mut self, conn: &Connection) -> Result<Option<&mut Connected>> {
        if self.discard {
            return Ok(None);
        }
        if self.state.is_none() {
            self.state = Some(connected(conn)?);
        }
        Ok(self.state.as_mut().and_then(Option::as_mut))
    }

    /// Whether ops on `gid` wait here: collecting, and the profile was created in this
    /// transaction.
    pub(super) fn holds(&self, gid: &str) -> bool {
        self.deferred && self.known.contains_key(gid)
    }

    pub(super) fn is_deferred(&self) -> bool {
        self.deferred
    }

    /// Profile `w.id`, created in this transaction by an import, waits for its undo window.
    pub(super) fn wait(&mut self, w: Waiting) {
        self.waiting_ids.insert(w.id);
        self.waiting.push(w);
    }

    /// Whether profile `id` was created in this transaction and waits for its undo window.
    pub(super) fn waits(&self, id: i64) -> bool {
        self.waiting_ids.contains(&id)
    }

    /// What this device knows of a profile created in this transaction.
    pub(super) fn known_mut(&mut self, gid: &str) -> Option<&mut Known> {
        self.known.get_mut(gid)
    }

    /// Collects op `body` on profile `gid` made at `at` (by import job `job`), with what this
    /// device then knows of the profile when it is new; nothing when not connected.
    pub(super) fn record(
        &mut self,
        conn: &Connection,
        gid: &str,
        known: Option<Known>,
        at: &str,
        body: &pdesk_sync_proto::push::OpBody,
        job: Option<i64>,
    ) -> Result<()> {
        let Some(state) = self.state(conn)? else {
            return Ok(());
        };
        let op = super::stamp(state, at, body, job)?;
        if let Some(known) = known {
            self.known.insert(gid.to_string(), known);
        }
        self.ops.push(op);
        Ok(())
    }

    /// Writes what was collected — the new profiles that wait, the ops in the order they were
    /// made, the profiles' `sync_known` rows, the capture state — inside the writer's transaction, and forgets the
    /// state read (the next op reads it again). Nothing to do when immediate.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        let state = self.state.take();
        let ops = std::mem::take(&mut self.ops);
        let known = std::mem::take(&mut self.known);
        let waiting = std::mem::take(&mut self.waiting);
        self.waiting_ids.clear();
        let Some(Some(state)) = state else {
            return Ok(());
        };
        unsent::write_many(conn, &waiting)?;
        if ops.is_empty() && known.is_empty() {
            return Ok(());
        }
        let mut known: Vec<(String, Known)> = known.into_iter().collect();
        // UUIDv7 gids: ascending order appends to the key's B-tree.
        known.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        known::write_many(conn, &known)?;
        write_ops(conn, ops)?;
        conn.prepare_cached("UPDATE sync_state SET next_seq = ?1, hlc = ?2 WHERE id = 1")?
            .execute([state.next_seq, state.hlc as i64])?;
        Ok(())
    }
}

/// Inserts `ops` into `sync_outbox`, in their order.
fn write_ops(conn: &Connection, ops: Vec<OpRow>) -> Result<()> {
    insert_many(
        conn,
        "INSERT INTO sync_outbox(seq, replica_id, op_id, kind, gid, body, hlc, source_job, state,
                                 held_until)",
        "",
        ops.into_iter().map(OpRow::values),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dry_runs_batch_captures_nothing_on_a_connected_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::open(dir.path().join("s.db")).unwrap();
        let conn = &store.conn;
        // Connected (as `Store::sync_connect` leaves it; that module is a floor above).
        conn.execute(
            "INSERT INTO sync_state(id, server_url, user_name, device_id, device_name, replica_id,
                                    phase, connected_at, connected_by)
             VALUES (1, 'https://cdp.example.vn', 'lan', 'd_test', 'test', 'r_test', 'pull',
                     '2026-12-04T10:00:00Z', 'admin')",
            [],
        )
        .unwrap();
        assert!(
            OpBatch::deferred().state(conn).unwrap().is_some(),
            "an import's batch captures on this store"
        );
        assert!(
            OpBatch::discarded().state(conn).unwrap().is_none(),
            "a dry run's does not: it would only hold every row's op in memory"
        );
    }
}
