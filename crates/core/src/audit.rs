//! The audit log (SPEC 1): append-only (triggers refuse UPDATE and DELETE) and hash-chained —
//! each entry's hash covers its content and the previous entry's hash, so editing, removing or
//! reordering entries behind the app's back is detected by [`Store::verify_audit`].

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
    /// Id of the first entry whose stored hashes do not match, if any.
    pub first_broken: Option<i64>,
    pub message: String,
}

impl Store {
    /// Walks the chain from the first entry and reports the first broken link.
    pub fn verify_audit(&self, actor: &Actor) -> Result<AuditVerification> {
        actor.require(Permission::AuditView)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, at, actor, action, target, details, prev_hash, hash FROM audit_log ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_string();
        let mut entries = 0u64;
        while let Some(r) = rows.next()? {
            entries += 1;
            let id: i64 = r.get(0)?;
            let (at, who, action, target, details): (String, String, String, String, String) =
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
            let (stored_prev, stored_hash): (String, String) = (r.get(6)?, r.get(7)?);
            let expected = entry_hash(&prev, &at, &who, &action, &target, &details);
            if stored_prev != prev || stored_hash != expected {
                return Ok(AuditVerification {
                    entries,
                    first_broken: Some(id),
                    message: format!(
                        "The audit log was tampered with: entry {id} does not match the chain"
                    ),
                });
            }
            prev = stored_hash;
        }
        Ok(AuditVerification {
            entries,
            first_broken: None,
            message: format!("Audit log verified, {entries} entries"),
        })
    }
}
