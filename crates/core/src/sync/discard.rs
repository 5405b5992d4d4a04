//! *Discard* a change the server refused (issue 13; SYNC.md §6.4 "Rejected changes … with
//! Discard / Retry"): the profile here goes back to what the server has — its state, its
//! deletion, or nothing at all for a new profile the server never took — and the change leaves
//! the list. The engine asks the server for that profile (`GET /v1/profiles/{gid}`) and hands
//! its answer here; everything below is one transaction, audited.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::apply::{self, Applying};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::profiles::storage;
use crate::store::Store;
use pdesk_sync_proto::pull::ProfileAnswer;
use pdesk_sync_proto::push::OpBody;

/// What *Discard* did to the profile the refused change was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum Discarded {
    /// It shows the server's version again.
    ServerVersion,
    /// The server has it deleted: deleted here too.
    Deleted,
    /// A new profile the server never took: removed from this computer.
    Removed,
    /// Nothing to take back here (a consent record stays in the profile's history).
    Listed,
}

impl Store {
    /// The profile a refused change `op_id` is about (its gid), for the engine to ask the
    /// server for; `None` when the change is about no profile.
    pub fn sync_rejection_gid(&self, op_id: &str) -> Result<Option<String>> {
        let row: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT gid FROM sync_rejections WHERE op_id = ?1",
                [op_id],
                |r| r.get(0),
            )
            .optional()?;
        row.ok_or_else(|| {
            Error::not_found(
                "noRefusedChange",
                serde_json::json!({ "opId": op_id }),
                format!("There is no refused change {op_id}"),
            )
        })
    }

    /// *Discard* refused change `op_id`: its profile takes `server` — the server's answer for
    /// it (`None`: the server never had it) — and the change leaves the list. Audited.
    pub fn sync_discard_rejected(
        &mut self,
        actor: &Actor,
        op_id: &str,
        server: Option<&ProfileAnswer>,
    ) -> Result<Discarded> {
        actor.require(Permission::ProfileEdit)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let (body, code) = super::refused_op(&tx, op_id, "discard")?;
        let mut a = Applying::new(&at);
        let done = match (body.gid(), &body) {
            (_, OpBody::ConsentRecord(_)) | (None, _) => Discarded::Listed,
            (Some(gid), _) => match server {
                Some(answer) if !answer.change.deleted && answer.change.state.is_some() => {
                    apply::apply_profile_change(&tx, &answer.change, &mut a)?;
                    // Its consent as the server keeps it: a refused delete had taken the
                    // events away here with the profile (those already here stay as they are).
                    for event in &answer.consent {
                        apply::apply_consent_change(&tx, event, &mut a)?;
                    }
                    Discarded::ServerVersion
                }
                Some(answer) => {
                    apply::apply_profile_change(&tx, &answer.change, &mut a)?;
                    Discarded::Deleted
                }
                None => {
                    if let Some(id) = storage::id_of_gid(&tx, gid)? {
                        let reason = "a new profile the server refused, discarded";
                        crate::profiles::delete_pulled(&tx, id, None, reason, &actor.name, &at)?;
                        a.writes.search.deleted(id);
                    }
                    Discarded::Removed
                }
            },
        };
        a.finish(&tx)?;
        tx.execute("DELETE FROM sync_rejections WHERE op_id = ?1", [op_id])?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "sync.discard",
            &format!("op:{op_id}"),
            serde_json::json!({
                "op": op_id, "kind": body.kind(), "gid": body.gid(), "refusedFor": code,
                "outcome": done,
            }),
        )?;
        tx.commit()?;
        self.touched();
        Ok(done)
    }
}
