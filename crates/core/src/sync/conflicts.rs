//! Conflict review (issue 13; SYNC.md §6): the field conflicts the server decided by its
//! policy, each side with who set it, when and on which device; a person keeps what the server
//! kept, takes the value that lost, or types a new one — one conflict at a time, or every
//! conflict an import made at once ("Keep all server values for import #N").
//!
//! A decision is written here at once and goes to the server as a `conflict.resolve` op in the
//! same transaction; the server's answer (or a colleague deciding first) comes back through the
//! pull like any other change.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::store::Store;

/// One side of a field conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConflictSide {
    /// The value, as JSON (`null`: the field was empty).
    pub value: String,
    /// Who set it, on which device, and when — as the server delivered them (absent until the
    /// conflict has come down once).
    pub by: Option<String>,
    pub device: Option<String>,
    pub at: Option<String>,
}

/// Which side of a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum Side {
    Kept,
    Lost,
}

impl Side {
    fn parse(text: &str) -> Option<Side> {
        match text {
            "kept" => Some(Side::Kept),
            "lost" => Some(Side::Lost),
            _ => None,
        }
    }
}

/// A field conflict the server decided, kept for a person to review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict {
    pub id: String,
    pub gid: String,
    /// The profile here and its name as the list shows it (`None`: not here, e.g. deleted since).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub profile_id: Option<i64>,
    pub label: Option<String>,
    pub field: String,
    /// The value the server kept, and the one that lost.
    pub kept: ConflictSide,
    pub lost: ConflictSide,
    /// Which side was changed on this computer (`None`: two other devices).
    pub ours: Option<Side>,
    /// The import whose change is this computer's side, and its file's name.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub job: Option<i64>,
    pub job_file: Option<String>,
    pub open: bool,
    pub at: String,
}

/// What a person decides about a field conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum ConflictDecision {
    /// The value the server kept.
    Keep,
    /// The value that lost.
    TakeOther,
    /// A new value, typed as in the edit form.
    Edit(String),
}

/// How many decided conflicts the review lists after the open ones (newest first).
const DECIDED_SHOWN: i64 = 100;

/// The columns a [`SyncConflict`] is read from (`c`: sync_conflicts, `p`: profiles,
/// `j`: import_jobs).
const CONFLICT_COLUMNS: &str = "c.id, c.gid, p.id, c.field, c.kept, c.kept_by, c.kept_device,
    c.kept_at, c.lost, c.lost_by, c.lost_device, c.lost_at, c.ours, c.job, j.file_name,
    c.status, c.at";
const CONFLICT_JOINS: &str = "sync_conflicts c LEFT JOIN profiles p ON p.gid = c.gid
    LEFT JOIN import_jobs j ON j.id = c.job";

fn read_conflict(r: &rusqlite::Row) -> rusqlite::Result<SyncConflict> {
    let side = |at: usize| -> rusqlite::Result<ConflictSide> {
        Ok(ConflictSide {
            value: r.get(at)?,
            by: r.get(at + 1)?,
            device: r.get(at + 2)?,
            at: r.get(at + 3)?,
        })
    };
    Ok(SyncConflict {
        id: r.get(0)?,
        gid: r.get(1)?,
        profile_id: r.get(2)?,
        label: None,
        field: r.get(3)?,
        kept: side(4)?,
        lost: side(8)?,
        ours: r
            .get::<_, Option<String>>(12)?
            .as_deref()
            .and_then(Side::parse),
        job: r.get(13)?,
        job_file: r.get(14)?,
        open: r.get::<_, String>(15)? == "open",
        at: r.get(16)?,
    })
}

impl Store {
    /// The field conflicts the server decided: every open one (by profile), then the latest
    /// decided ones.
    pub fn sync_conflicts(&self, actor: &Actor) -> Result<Vec<SyncConflict>> {
        actor.require(Permission::ProfileView)?;
        let mut conflicts: Vec<SyncConflict> = self
            .conn
            .prepare(&format!(
                "SELECT {CONFLICT_COLUMNS} FROM {CONFLICT_JOINS}
                  WHERE c.status = 'open' ORDER BY c.gid, c.at, c.id"
            ))?
            .query_map([], read_conflict)?
            .collect::<rusqlite::Result<_>>()?;
        let decided = self
            .conn
            .prepare(&format!(
                "SELECT {CONFLICT_COLUMNS} FROM {CONFLICT_JOINS}
                  WHERE c.status = 'resolved' ORDER BY c.at DESC, c.id LIMIT ?1"
            ))?
            .query_map([DECIDED_SHOWN], read_conflict)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        conflicts.extend(decided);
        for c in &mut conflicts {
            c.label = c
                .profile_id
                .map(|id| crate::profiles::stored_label(&self.conn, id))
                .transpose()?;
        }
        Ok(conflicts)
    }

    /// Decides field conflict `id`: keep what the server kept, take the value that lost, or
    /// give the field a new value (validated like the edit form) — written here at once and
    /// sent as a `conflict.resolve` op. Audited.
    pub fn sync_resolve_conflict(
        &mut self,
        actor: &Actor,
        id: &str,
        decision: &ConflictDecision,
    ) -> Result<()> {
        actor.require(Permission::ProfileEdit)?;
        let edited = match decision {
            ConflictDecision::Edit(text) => Some(self.conflict_value(id, text)?),
            _ => None,
        };
        let at = self.now();
        let tx = self.conn.transaction()?;
        resolve(&tx, actor, id, decision, edited, None, &at)?;
        tx.commit()?;
        self.touched();
        Ok(())
    }

    /// "Keep all server values for import #N": every open conflict where import `job`'s change
    /// met a value set elsewhere is decided for the other value — *Keep* where the server kept
    /// it, *Use the other* where the import's value won. One transaction; each decision audited
    /// and sent as for [`Store::sync_resolve_conflict`]. Returns how many were decided.
    pub fn sync_keep_server_values(&mut self, actor: &Actor, job: i64) -> Result<u64> {
        actor.require(Permission::ProfileEdit)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let open: Vec<(String, String)> = tx
            .prepare(
                "SELECT id, ours FROM sync_conflicts
                  WHERE job = ?1 AND status = 'open' AND ours IS NOT NULL ORDER BY at, id",
            )?
            .query_map([job], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, ours) in &open {
            let decision = match Side::parse(ours) {
                Some(Side::Kept) => ConflictDecision::TakeOther,
                _ => ConflictDecision::Keep,
            };
            resolve(&tx, actor, id, &decision, None, Some(job), &at)?;
        }
        tx.commit()?;
        self.touched();
        Ok(open.len() as u64)
    }

    /// The value typed for conflict `id`'s field, validated as the edit form would (JSON, as
    /// the conflict keeps its values; `null` when cleared).
    fn conflict_value(&self, id: &str, text: &str) -> Result<String> {
        let field: Option<String> = self
            .conn
            .query_row(
                "SELECT field FROM sync_conflicts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(field) = field else {
            return Err(no_conflict(id));
        };
        let text = text.trim();
        if text.is_empty() {
            return Ok("null".into());
        }
        let input = crate::model::ProfileInput::default().with(&field, text);
        let valid =
            crate::profiles::validate_form(&input, &self.fields()?, &self.sync_settings()?, false)
                .map_err(Error::Validation)?;
        let value = match valid.scalars.get(&field) {
            Some(s) => serde_json::Value::String(s.clone()),
            None => valid
                .custom
                .get(&field)
                .cloned()
                .unwrap_or(serde_json::Value::Null),
        };
        Ok(value.to_string())
    }
}

/// Decides one open conflict inside `tx` (`edited`: the validated JSON of an *Edit*; `job`:
/// the import a bulk decision was made for, for the audit entry).
fn resolve(
    tx: &Transaction,
    actor: &Actor,
    id: &str,
    decision: &ConflictDecision,
    edited: Option<String>,
    job: Option<i64>,
    at: &str,
) -> Result<()> {
    let row: Option<(String, String, String, String)> = tx
        .query_row(
            "SELECT gid, field, lost, status FROM sync_conflicts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((gid, field, lost, status)) = row else {
        return Err(no_conflict(id));
    };
    if status != "open" {
        return Err(Error::conflict(
            "conflictDecided",
            serde_json::json!({ "conflict": id }),
            format!("Conflict {id} is already decided"),
        ));
    }
    let known = crate::outbox::known::read(tx, &gid)?.unwrap_or_default();
    let base_fv = known.fv.get(&field).copied().unwrap_or(0);
    use pdesk_sync_proto::push::ConflictChoice;
    let (choice, value) = match decision {
        ConflictDecision::Keep => (ConflictChoice::Kept, None),
        ConflictDecision::TakeOther => (ConflictChoice::Lost, Some(lost)),
        ConflictDecision::Edit(_) => (ConflictChoice::Edited, edited),
    };
    let sent = match (&choice, &value) {
        (ConflictChoice::Edited, Some(v)) => serde_json::from_str(v).ok(),
        _ => None,
    };
    crate::outbox::conflict_resolved(tx, id, choice, sent, base_fv, at)?;
    if let Some(value) = &value {
        super::apply::take_value(tx, &gid, &field, value, at)?;
    }
    tx.execute(
        "UPDATE sync_conflicts SET status = 'resolved' WHERE id = ?1",
        [id],
    )?;
    let mut detail = serde_json::json!({
        "conflict": id,
        "field": field,
        "decision": match decision {
            ConflictDecision::Keep => "kept",
            ConflictDecision::TakeOther => "lost",
            ConflictDecision::Edit(_) => "edited",
        },
    });
    if let Some(job) = job {
        detail["serverValuesOfImport"] = job.into();
    }
    crate::audit::append(
        tx,
        at,
        actor,
        "sync.conflict",
        &format!("conflict:{id}"),
        detail,
    )?;
    Ok(())
}

/// Records conflict `c` as it came down (who, when, which device; whether one side is this
/// store's own, by its replicas). A conflict first known from the push's answer keeps its
/// import job; its status follows the server.
pub(super) fn record_pulled(
    tx: &Transaction,
    c: &pdesk_sync_proto::pull::ConflictChange,
    at: &str,
) -> Result<()> {
    let state = &c.state;
    let status = match state.status {
        pdesk_sync_proto::pull::ItemStatus::Open => "open",
        pdesk_sync_proto::pull::ItemStatus::Resolved => "resolved",
    };
    let ours = if is_ours(tx, state.kept_replica.as_deref())? {
        Some("kept")
    } else if is_ours(tx, state.lost_replica.as_deref())? {
        Some("lost")
    } else {
        None
    };
    let when = |hlc: pdesk_sync_proto::Hlc| crate::outbox::time_of_millis(hlc.wall_ms() as i64);
    tx.prepare_cached(
        "INSERT INTO sync_conflicts(id, gid, field, kept, lost, status, at, kept_by, lost_by,
                                    kept_at, lost_at, kept_device, lost_device, ours)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, kept_by = excluded.kept_by,
             lost_by = excluded.lost_by, kept_at = excluded.kept_at, lost_at = excluded.lost_at,
             kept_device = excluded.kept_device, lost_device = excluded.lost_device,
             ours = excluded.ours",
    )?
    .execute(params![
        c.id,
        state.gid,
        state.field,
        state.kept.to_string(),
        state.lost.to_string(),
        status,
        at,
        state.kept_by,
        state.lost_by,
        when(state.kept_hlc),
        when(state.lost_hlc),
        state.kept_device,
        state.lost_device,
        ours,
    ])?;
    Ok(())
}

/// Whether `replica` is one this store has sent ops under (the current one, or one a restored
/// backup rotated away from, while its answered ops are kept).
fn is_ours(tx: &Transaction, replica: Option<&str>) -> Result<bool> {
    let Some(replica) = replica else {
        return Ok(false);
    };
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM sync_state WHERE replica_id = ?1)
                 OR EXISTS(SELECT 1 FROM sync_outbox WHERE replica_id = ?1)",
        )?
        .query_row([replica], |r| r.get(0))?)
}

fn no_conflict(id: &str) -> Error {
    Error::not_found(
        "noConflict",
        serde_json::json!({ "conflict": id }),
        format!("There is no conflict {id}"),
    )
}
