//! The outbox going up: the initial push of the profiles held before connecting, the next
//! batch (ops already in flight first, with the same seqs and bodies), and the server's
//! answer recorded op by op.

use std::collections::BTreeSet;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::apply::{self, Applying};
use super::Phase;
use crate::error::{Error, Result};
use crate::outbox;
use crate::profiles::storage;
use crate::store::Store;
use pdesk_sync_proto::push::{Op, OpBody, Outcome, PushRequest, PushResponse};
use pdesk_sync_proto::Hlc;

/// What one answer to a push did, for the engine's progress and `pdesk sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushRecorded {
    pub applied: u32,
    /// Creates the server merged into a customer it had (the local profile now has that id).
    pub merged: u32,
    /// Creates that matched several customers: a merge review is open on the server.
    pub review: u32,
    pub rejected: u32,
    pub conflicts: u32,
}

/// The creates of an import's new profiles whose undo window closed by `now`, made from each
/// profile as it is (consent included): at most a batch's worth per round, so an import of
/// 50,000 never holds the store for long — the rounds that follow make the rest. Answers how
/// many.
fn send_waiting(tx: &Transaction, now: u64, at: &str, limit: usize) -> Result<usize> {
    let due = outbox::unsent::due(tx, now, limit)?;
    for profile in &due {
        storage::send_waiting(tx, profile, at)?;
    }
    Ok(due.len())
}

fn open_ops(conn: &Connection, gid: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM sync_outbox
                            WHERE gid = ?1 AND state IN ('held', 'pending', 'inflight'))",
        )?
        .query_row([gid], |r| r.get(0))?)
}

pub(super) fn has_open_ops(conn: &Connection, gid: &str) -> Result<bool> {
    open_ops(conn, gid)
}

impl Store {
    /// The initial push (SYNC.md §8): queues the next `limit` of the profiles this store held
    /// when it was connected, each as a `profile.create` with its consent history. Answers how
    /// many were queued; at 0 the initial push is over and the download begins.
    pub fn sync_queue_initial(&mut self, limit: usize) -> Result<usize> {
        let at = self.now();
        let tx = self.conn.transaction()?;
        let Some((phase, after, upto)) = tx
            .query_row(
                "SELECT phase, initial_after, initial_upto FROM sync_state WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional()?
        else {
            return Ok(0);
        };
        if Phase::parse(&phase) != Phase::InitialPush {
            return Ok(0);
        }
        let ids: Vec<(i64, String)> = tx
            .prepare(
                "SELECT id, gid FROM profiles WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3",
            )?
            .query_map(params![after, upto, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, gid) in &ids {
            let p = storage::load(&tx, *id)?;
            let consent = storage::consent_events(&tx, *id)?;
            outbox::initial_create(&tx, gid, &p, consent, &at)?;
        }
        match ids.last() {
            Some((last, _)) => {
                tx.execute(
                    "UPDATE sync_state SET initial_after = ?1 WHERE id = 1",
                    [last],
                )?;
            }
            None => Self::set_phase(&tx, Phase::Snapshot)?,
        }
        tx.commit()?;
        Ok(ids.len())
    }

    /// The next batch to send, at most `max_ops` ops of one replica in seq order: the ops
    /// already sent and not answered first — again with the same seqs and bodies, so the
    /// server answers them as it did or would have — then waiting ones, with the imports'
    /// ops whose undo window has closed. The ops of an earlier replica of this store (before a
    /// restore) go before the current one's. They are marked in flight. `None` when nothing
    /// waits.
    pub fn sync_next_batch(&mut self, max_ops: usize) -> Result<Option<PushRequest>> {
        let at = self.now();
        let now = outbox::millis_of(&at)?;
        let tx = self.conn.transaction()?;
        let config_version: Option<i64> = tx
            .query_row(
                "SELECT config_version FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(config_version) = config_version else {
            return Ok(None);
        };
        outbox::release_held(&tx, &outbox::Release::Due { now })?;
        send_waiting(&tx, now, &at, max_ops)?;
        let replica: Option<String> = tx
            .query_row(
                "SELECT replica_id FROM sync_outbox WHERE state IN ('pending', 'inflight')
                  ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(replica) = replica else {
            tx.commit()?;
            return Ok(None);
        };
        let rows: Vec<(i64, String, String, i64)> = tx
            .prepare(
                "SELECT seq, op_id, body, hlc FROM sync_outbox
                  WHERE state IN ('pending', 'inflight') AND replica_id = ?1
                  ORDER BY seq LIMIT ?2",
            )?
            .query_map(params![replica, max_ops as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut ops = Vec::with_capacity(rows.len());
        for (seq, op_id, body, hlc) in rows {
            let body: OpBody = serde_json::from_str(&body).map_err(|e| {
                Error::Internal(format!("op {seq} of the outbox is unreadable: {e}"))
            })?;
            ops.push(Op {
                seq: seq as u64,
                op_id,
                hlc: Hlc::from_u64(hlc as u64),
                body,
            });
        }
        let (first, last) = (ops[0].seq as i64, ops[ops.len() - 1].seq as i64);
        tx.execute(
            "UPDATE sync_outbox SET state = 'inflight', attempts = attempts + 1
              WHERE replica_id = ?1 AND seq BETWEEN ?2 AND ?3
                AND state IN ('pending', 'inflight')",
            params![replica, first, last],
        )?;
        tx.commit()?;
        Ok(Some(PushRequest {
            replica,
            config_version: config_version as u64,
            ops,
        }))
    }

    /// Records the server's answer to `sent`: exactly one result per op, in order, or nothing
    /// is recorded (the batch stays in flight and is sent again).
    pub fn sync_record_push(
        &mut self,
        sent: &PushRequest,
        answer: &PushResponse,
    ) -> Result<PushRecorded> {
        let one_per_op = answer.results.len() == sent.ops.len()
            && answer
                .results
                .iter()
                .zip(&sent.ops)
                .all(|(r, op)| r.seq == op.seq);
        if !one_per_op {
            return Err(Error::Internal(format!(
                "the server answered {} results for {} ops (seqs {}–{}): the batch is kept and \
                 will be sent again",
                answer.results.len(),
                sent.ops.len(),
                sent.ops.first().map_or(0, |o| o.seq),
                sent.ops.last().map_or(0, |o| o.seq),
            )));
        }
        let at = self.now();
        let now = outbox::millis_of(&at)?;
        let tx = self.conn.transaction()?;
        let mut applying = Applying::new(&at);
        let mut recorded = PushRecorded::default();
        let mut touched = BTreeSet::new();
        for (op, result) in sent.ops.iter().zip(&answer.results) {
            let (outcome, now) = match &result.outcome {
                Outcome::Duplicate(d) => ((*d.original).clone(), d.now.as_deref()),
                other => (other.clone(), None),
            };
            if let Some(gid) = op.body.gid() {
                touched.insert(gid.to_string());
            }
            record_outcome(
                &tx,
                op,
                &outcome,
                &at,
                &mut applying,
                &mut recorded,
                &mut touched,
            )?;
            if let Some(change) = now {
                // Deleted or merged away on the server since the op's first answer.
                apply::apply_profile_change(&tx, change, &mut applying)?;
            }
        }
        // The batch's ops are answered: a state that waited for them applies now.
        for gid in &touched {
            if !open_ops(&tx, gid)? {
                apply::apply_waiting_base(&tx, gid, &mut applying)?;
            }
        }
        let hlc: i64 = tx.query_row("SELECT hlc FROM sync_state WHERE id = 1", [], |r| r.get(0))?;
        if let Some(moved) = Hlc::from_u64(hlc as u64).observe(answer.hlc, now) {
            tx.execute(
                "UPDATE sync_state SET hlc = ?1 WHERE id = 1",
                [moved.to_u64() as i64],
            )?;
        }
        applying.finish(&tx)?;
        tx.commit()?;
        if applying.changed_rows() {
            self.touched();
        }
        Ok(recorded)
    }
}

fn mark(tx: &Transaction, op: &Op, state: &str, result: &Outcome, at: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE sync_outbox SET state = ?2, result = ?3, acked_at = ?4 WHERE op_id = ?1",
    )?
    .execute(params![
        op.op_id,
        state,
        serde_json::to_string(result).unwrap_or_default(),
        at
    ])?;
    Ok(())
}

fn record_outcome(
    tx: &Transaction,
    op: &Op,
    outcome: &Outcome,
    at: &str,
    applying: &mut Applying,
    recorded: &mut PushRecorded,
    touched: &mut BTreeSet<String>,
) -> Result<()> {
    match outcome {
        Outcome::Applied(a) => {
            mark(tx, op, "acked", outcome, at)?;
            recorded.applied += 1;
            let gid = a.gid.clone().or_else(|| op.body.gid().map(str::to_string));
            for c in &a.conflicts {
                recorded.conflicts += 1;
                // The import the op came from: what "Keep all server values for import #N"
                // finds it by (who, when and which side is ours come with the pull).
                tx.prepare_cached(
                    "INSERT INTO sync_conflicts(id, gid, field, kept, lost, at, job)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                             (SELECT source_job FROM sync_outbox WHERE op_id = ?7))
                     ON CONFLICT(id) DO NOTHING",
                )?
                .execute(params![
                    c.id,
                    gid.as_deref().unwrap_or_default(),
                    c.field,
                    c.kept.to_string(),
                    c.lost.to_string(),
                    at,
                    op.op_id
                ])?;
            }
            if let Some(state) = &a.state {
                apply::offer_state(tx, state, applying)?;
            }
            if matches!(op.body, OpBody::ProfileDelete(_)) {
                // A state that waited for this batch (an earlier op's answer on the same
                // profile) predates the delete the server just applied: written now, it would
                // bring the deleted profile back here — for good when no pull brings the
                // tombstone after it (a snapshot has no tombstones; found by the model test,
                // issue 14).
                if let Some(gid) = op.body.gid() {
                    tx.prepare_cached("DELETE FROM sync_base WHERE gid = ?1")?
                        .execute([gid])?;
                }
            }
        }
        Outcome::Merged(m) => {
            mark(tx, op, "acked", outcome, at)?;
            recorded.merged += 1;
            tx.prepare_cached(
                "INSERT OR REPLACE INTO sync_id_map(from_gid, to_gid, at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![m.gid, m.into, at])?;
            touched.insert(m.into.clone());
            apply::merged_on_server(tx, &m.gid, &m.into, m.matched_by, applying)?;
            if let Some(state) = &m.state {
                apply::offer_state(tx, state, applying)?;
            }
        }
        Outcome::Review(opened) => {
            // Stored on the server under its own gid with a merge review open there; the
            // profile stays as it is here until a decision's outcome comes down. The review is
            // listed here at once.
            mark(tx, op, "acked", outcome, at)?;
            recorded.review += 1;
            super::reviews::record_opened(tx, opened, op.body.gid(), at)?;
        }
        Outcome::Rejected(r) => {
            mark(tx, op, "rejected", outcome, at)?;
            recorded.rejected += 1;
            let code = serde_json::to_value(r.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "unknown".into());
            tx.prepare_cached(
                "INSERT OR REPLACE INTO sync_rejections(op_id, seq, kind, gid, code, detail, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                op.op_id,
                op.seq as i64,
                op.body.kind(),
                op.body.gid(),
                code,
                r.detail,
                at
            ])?;
        }
        Outcome::Duplicate(d) => {
            // A stored result is never itself a duplicate; read one as what it holds.
            record_outcome(tx, op, &d.original, at, applying, recorded, touched)?;
        }
    }
    Ok(())
}
