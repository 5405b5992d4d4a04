//! The audit log (SPEC 1): append-only (triggers refuse UPDATE and DELETE) and hash-chained —
//! each entry's hash covers its content and the previous entry's hash, so editing, removing or
//! reordering entries behind the app's back is detected by [`Store::verify_audit`] (which also
//! checks the log's end against witnesses kept outside the database: `backup::audit_tail`).

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::{Actor, Permission};
use crate::error::Result;
use crate::store::Store;

/// The hash the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends one entry inside the caller's transaction (so the action and its audit entry commit
/// or roll back together), stamped `at` (the caller's store time, [`Store::now`]).
pub fn append(
    conn: &Connection,
    at: &str,
    actor: &Actor,
    action: &str,
    target: &str,
    details: serde_json::Value,
) -> Result<i64> {
    append_as(conn, at, &actor.name, action, target, details)
}

/// [`append`] for an action without a signed-in actor (a failed sign-in names the account
/// tried in `target` and is recorded as done by `actor_name`).
pub fn append_as(
    conn: &Connection,
    at: &str,
    actor_name: &str,
    action: &str,
    target: &str,
    details: serde_json::Value,
) -> Result<i64> {
    let prev: String = conn
        .query_row(
            "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let details = details.to_string();
    let hash = entry_hash(&prev, at, actor_name, action, target, &details);
    conn.execute(
        "INSERT INTO audit_log(at, actor, action, target, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (at, actor_name, action, target, &details, &prev, &hash),
    )?;
    Ok(conn.last_insert_rowid())
}

fn entry_hash(
    prev: &str,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, at, actor, action, target, details] {
        // Length-prefix each part so that moving text between fields changes the hash.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AuditVerification {
    pub entries: u64,
    /// Id of the first entry whose stored hashes do not match, if any (for a cut-off tail:
    /// the first entry a witness of the log's end names that the log lost).
    pub first_broken: Option<i64>,
    pub message: String,
    /// What the log's end was compared with, one sentence each (see `backup::audit_tail`).
    pub tail: Vec<String>,
}

/// One entry of the audit log as stored: the row the chain check and the audit screen read.
pub(crate) struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// JSON.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    /// The select list [`AuditRow::from_row`] reads, in its order.
    pub const COLUMNS: &'static str = "id, at, actor, action, target, details, prev_hash, hash";

    pub fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            details: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    }
}

impl Store {
    /// Walks the chain from the first entry and reports the first broken link (the end of the
    /// log is checked by `Store::verify_audit`, which calls this first).
    pub(crate) fn verify_audit_chain(&self, actor: &Actor) -> Result<AuditVerification> {
        actor.require(Permission::AuditView)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM audit_log ORDER BY id",
            AuditRow::COLUMNS
        ))?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_string();
        let mut entries = 0u64;
        while let Some(r) = rows.next()? {
            entries += 1;
            let AuditRow {
                id,
                at,
                actor: who,
                action,
                target,
                details,
                prev_hash: stored_prev,
                hash: stored_hash,
            } = AuditRow::from_row(r)?;
            let expected = entry_hash(&prev, &at, &who, &action, &target, &details);
            if stored_prev != prev || stored_hash != expected {
                return Ok(AuditVerification {
                    entries,
                    first_broken: Some(id),
                    message: format!(
                        "The audit log was tampered with: entry {id} does not match the chain"
                    ),
                    tail: Vec::new(),
                });
            }
            prev = stored_hash;
        }
        Ok(AuditVerification {
            entries,
            first_broken: None,
            message: format!("Audit log verified, {entries} entries"),
            tail: Vec::new(),
        })
    }
}
