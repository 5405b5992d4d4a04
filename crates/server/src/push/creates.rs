//! A push's plain creates written together. Most of a first sync, or of a week offline, is
//! creates of new customers that match nobody: each needs the rule's look-ups and two inserts,
//! and on PostgreSQL every statement is a round trip. So a run of such creates reads the keys
//! of many ops at once (and whether their gids exist), keeps the profiles it makes in memory —
//! the look-ups of the next creates see them — and writes them as multi-row inserts before any
//! other op runs and at the end of the push. An op the run cannot take (a match, a review, a
//! gid in use, consent events, an invalid op) goes the ordinary way, after the held creates are
//! written: one path of the rule for every create ([`super::ops::plan_create`]).
//!
//! A held create needs no savepoint: it writes nothing until the flush, and the flush writes
//! only rows already decided (a failure there fails the whole push, which the client resends).

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use pdesk_rule::{MatchPlan, ValidProfile};
use pdesk_sync_proto::profile::ProfileFields;
use pdesk_sync_proto::push::{Op, OpBody, Outcome};

use super::ops::{self, KnownKeys};
use super::OpContext;
use crate::db::{DbError, Sql};
use crate::record::ProfileRecord;

/// Ops ahead whose keys one priming reads.
const WINDOW: usize = 200;

/// A create checked and converted ahead of its turn, with the keys it can be looked up by.
struct Checked {
    incoming: ValidProfile,
    fields: ProfileFields,
    wanted: Vec<(String, String)>,
}

#[derive(Default)]
pub(super) struct CreateRun {
    /// Keys read from the database, plus those of the held creates.
    known: KnownKeys,
    /// Gids looked up: `true` when the database or a held create has it.
    gids: HashMap<String, bool>,
    /// Creates ahead, by seq.
    checked: HashMap<u64, Checked>,
    held: Vec<ProfileRecord>,
}

/// A create the run may take: no consent events (their insert answers whether the event was
/// new, which needs the database).
fn plain_create(op: &Op) -> Option<&pdesk_sync_proto::push::ProfileCreate> {
    match &op.body {
        OpBody::ProfileCreate(create) if create.consent.is_empty() => Some(create),
        _ => None,
    }
}

impl CreateRun {
    /// Takes `ops[at]` when it is a plain create that matches nobody: the profile is held for
    /// the flush and its result returned. `None`: the op must go the ordinary way (after
    /// [`CreateRun::settle`]).
    pub(super) fn try_hold(
        &mut self,
        cx: &mut OpContext,
        ops: &[Op],
        at: usize,
    ) -> Result<Option<Outcome>, DbError> {
        let op = &ops[at];
        let Some(create) = plain_create(op) else {
            return Ok(None);
        };
        let primed = self.checked.get(&op.seq).is_some_and(|c| {
            self.known.holds_all(&c.wanted) && self.gids.contains_key(&create.gid)
        });
        if !primed {
            self.prime(cx, &ops[at..ops.len().min(at + WINDOW)])?;
        }
        let Some(checked) = self.checked.remove(&op.seq) else {
            return Ok(None); // invalid: the ordinary path says why
        };
        if self.gids.get(&create.gid) != Some(&false) {
            return Ok(None);
        }
        let plan = match ops::plan_create(
            cx.sql,
            cx.config,
            &checked.incoming,
            &checked.wanted,
            &self.known,
            true,
        ) {
            Ok(Some(plan)) => plan,
            Ok(None) => return Ok(None),
            Err(super::OpError::Db(e)) => return Err(e),
            Err(super::OpError::Reject(_)) => return Ok(None),
        };
        if !matches!(plan.plan, MatchPlan::Create) || !plan.holders.is_empty() {
            return Ok(None);
        }
        let record = ops::new_profile(cx, &create.gid, checked.fields);
        for (kind, key) in crate::record::identifier_keys(&record.fields) {
            self.known.add(kind, &key, &record.gid);
        }
        self.gids.insert(record.gid.clone(), true);
        cx.touched
            .profile(&record.gid, None, (record.rev, record.is_live()));
        let outcome = ops::applied_new(&record);
        self.held.push(record);
        Ok(Some(outcome))
    }

    /// Checks the plain creates among `ops` and reads, in a few queries, the keys they can be
    /// looked up by and whether their gids exist.
    fn prime(&mut self, cx: &mut OpContext, ops: &[Op]) -> Result<(), DbError> {
        let mut wanted = Vec::new();
        let mut gids = Vec::new();
        for op in ops {
            let Some(create) = plain_create(op) else {
                continue;
            };
            let checked = match self.checked.entry(op.seq) {
                Entry::Occupied(checked) => checked.into_mut(),
                Entry::Vacant(slot) => {
                    let Ok((incoming, fields)) = ops::checked_create(cx.config, cx.now_ms, create)
                    else {
                        continue;
                    };
                    let wanted = KnownKeys::wanted(cx.key_salt, &fields);
                    slot.insert(Checked {
                        incoming,
                        fields,
                        wanted,
                    })
                }
            };
            wanted.extend(checked.wanted.iter().cloned());
            if !self.gids.contains_key(&create.gid) {
                self.gids.insert(create.gid.clone(), false);
                gids.push(create.gid.as_str());
            }
        }
        self.known.read_missing(cx.sql, wanted)?;
        for row in
            crate::db::query_in(cx.sql, "SELECT gid FROM profiles WHERE gid", &[], &gids, "")?
        {
            self.gids.insert(row.text(0), true);
        }
        Ok(())
    }

    /// Writes the held creates.
    pub(super) fn flush(&mut self, sql: &mut dyn Sql) -> Result<(), DbError> {
        ProfileRecord::insert_all_new(sql, &std::mem::take(&mut self.held))
    }

    /// Writes the held creates and forgets what was read: the next op may change any key.
    pub(super) fn settle(&mut self, sql: &mut dyn Sql) -> Result<(), DbError> {
        self.flush(sql)?;
        self.known = KnownKeys::default();
        self.gids.clear();
        Ok(())
    }
}
