//! Witnesses of the audit log's end (issue 15.11). The hash chain (`crate::audit`) shows an
//! entry edited, removed from the middle or reordered, but not the last entries cut off: what
//! is left is still a valid chain. So the end of the log — its last entry's id and hash, the
//! *anchor* — is also kept where the database file cannot take it along:
//!
//! - in the OS keychain, one record per database (keyed by a hash of its path), moved forward
//!   after each app command and at the end of each `pdesk` command (`refresh_audit_tail`), but
//!   only forward: when the recorded entry is no longer in the log, the record is left as the
//!   evidence it is. A genuine restore or recovery re-anchors it on the restored log;
//! - in each backup's manifest (`<backup>.manifest.json`, next to the backup, on whatever drive
//!   the backups go to), written when the backup is taken.
//!
//! [`Store::verify_audit`] walks the chain, then checks that the keychain's anchor and the newest
//! manifest taken since the last restore are still entries of the log with the same hash.
//! Someone who can rewrite the database, the keychain and the backup drive together can still
//! hide a cut: the witnesses raise the bar from "a SQLite tool" to "all three, consistently".

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::AuditVerification;
use crate::auth::Actor;
use crate::error::Result;
use crate::mail::{SecretError, Secrets};
use crate::store::Store;

/// The end of the audit log at some moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditAnchor {
    /// The last entry's id (ids are dense: entries are never deleted, so this is the count).
    pub last_id: i64,
    /// Its hash.
    pub head: String,
    /// When the anchor was recorded (the store's time).
    pub at: String,
    /// Which database it belongs to ([`store_key`]).
    pub store: String,
}

/// The keychain every store of this process records its anchor in, set once by the app and
/// the CLI at start ([`keep_audit_tails_in`]). Tests give a store its own instead
/// ([`Store::keep_audit_tail_in`]), so parallel tests never share one.
static PROCESS_KEYCHAIN: OnceLock<Arc<dyn Secrets>> = OnceLock::new();

/// Makes every store this process opens keep its audit log's end in `keychain`.
pub fn keep_audit_tails_in(keychain: Arc<dyn Secrets>) {
    let _ = PROCESS_KEYCHAIN.set(keychain);
}

/// What a store keeps of its witness between commands (in its memo slot).
#[derive(Default)]
struct TailState {
    /// This store's own keychain (tests); else the process's.
    keychain: Option<Arc<dyn Secrets>>,
    /// The anchor last written by this store, so an unchanged log costs no keychain call.
    written: Option<(i64, String)>,
}

/// The name of a database in keychain records and manifests: a hash of its full path, so two
/// stores on one computer never share a record and no path is written into the keychain.
pub fn store_key(db: &Path) -> String {
    let path = db.canonicalize().unwrap_or_else(|_| db.to_path_buf());
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    hex::encode(&digest[..12])
}

fn keychain_entry(db: &Path) -> String {
    format!("audit-tail:{}", store_key(db))
}

/// The sidecar manifest of the backup at `backup`.
pub(crate) fn manifest_path(backup: &Path) -> PathBuf {
    let mut name = backup.file_name().unwrap_or_default().to_os_string();
    name.push(".manifest.json");
    backup.with_file_name(name)
}

/// The log's last entry, if any.
fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether the log still holds the entry `anchor` names, with the same hash.
fn holds(conn: &Connection, anchor: &AuditAnchor) -> Result<bool> {
    let hash: Option<String> = conn
        .query_row(
            "SELECT hash FROM audit_log WHERE id = ?1",
            [anchor.last_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(hash.as_deref() == Some(anchor.head.as_str()))
}

/// The time of the log's latest restore or recovery: older witnesses describe a log that a
/// restore replaced on purpose.
fn last_restore(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT at FROM audit_log WHERE action IN ('backup.restore', 'backup.recover')
              ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// Writes the manifest of the backup just written at `backup`: the source log's end now (after
/// the backup's own audit entry). Written atomically; a failure is the backup's failure.
pub(crate) fn write_manifest(store: &Store, backup: &Path) -> Result<()> {
    let Some((last_id, head)) = head(&store.conn)? else {
        return Ok(());
    };
    let anchor = AuditAnchor {
        last_id,
        head,
        at: store.now(),
        store: store_key(store.path()),
    };
    let json = serde_json::to_vec_pretty(&anchor)
        .map_err(|e| crate::Error::Internal(format!("backup manifest: {e}")))?;
    super::copy::write_atomically(&manifest_path(backup), &json)
}

/// The newest manifest in `folder` of this store taken at or after `since`.
fn newest_manifest(
    folder: &Path,
    store: &str,
    since: Option<&str>,
) -> Option<(String, AuditAnchor)> {
    super::list_backups(folder)
        .ok()?
        .into_iter()
        .filter_map(|b| {
            let bytes = std::fs::read(manifest_path(Path::new(&b.path))).ok()?;
            let anchor: AuditAnchor = serde_json::from_slice(&bytes).ok()?;
            Some((b.file_name, anchor))
        })
        .find(|(_, a)| a.store == store && since.is_none_or(|s| a.at.as_str() >= s))
}

impl Store {
    /// Keeps this store's audit log end in `keychain` instead of the process's (tests).
    pub fn keep_audit_tail_in(&self, keychain: Arc<dyn Secrets>) -> Result<()> {
        self.memos.with(|t: &mut TailState| {
            t.keychain = Some(keychain);
            t.written = None;
        })
    }

    fn tail_keychain(&self) -> Result<Option<Arc<dyn Secrets>>> {
        let own = self.memos.with(|t: &mut TailState| t.keychain.clone())?;
        Ok(own.or_else(|| PROCESS_KEYCHAIN.get().cloned()))
    }

    fn recorded_anchor(
        &self,
        keychain: &dyn Secrets,
    ) -> std::result::Result<Option<AuditAnchor>, SecretError> {
        Ok(keychain
            .get(&keychain_entry(self.path()))?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    fn record_anchor(&self, keychain: &dyn Secrets, head: (i64, String)) -> Result<()> {
        let anchor = AuditAnchor {
            last_id: head.0,
            head: head.1.clone(),
            at: self.now(),
            store: store_key(self.path()),
        };
        let json = serde_json::to_string(&anchor).unwrap_or_default();
        // A keychain that is not there (no Secret Service) or refuses leaves the log without
        // this witness; `verify_audit` says so. It must never fail the user's action, and is
        // tried again only when the log has grown (one attempt per new end, not per command).
        let _ = keychain.set(&keychain_entry(self.path()), &json);
        self.memos
            .with(|t: &mut TailState| t.written = Some(head))?;
        Ok(())
    }

    /// Moves the keychain's record of the log's end forward to its last entry — only when the
    /// recorded entry is still in the log (a cut-off tail keeps its evidence). Cheap when
    /// nothing was audited since the last call (one indexed read, no keychain call).
    pub fn refresh_audit_tail(&self) -> Result<()> {
        let Some(keychain) = self.tail_keychain()? else {
            return Ok(());
        };
        let Some(now) = head(&self.conn)? else {
            return Ok(());
        };
        if self
            .memos
            .with(|t: &mut TailState| t.written.as_ref() == Some(&now))?
        {
            return Ok(());
        }
        match self.recorded_anchor(keychain.as_ref()) {
            // The recorded end is gone: keep the record as evidence, and do not look again
            // until the log grows.
            Ok(Some(old)) if !holds(&self.conn, &old)? => {
                self.memos.with(|t: &mut TailState| t.written = Some(now))
            }
            Ok(_) => self.record_anchor(keychain.as_ref(), now),
            Err(_) => self.memos.with(|t: &mut TailState| t.written = Some(now)),
        }
    }

    /// Records the log's end after a genuine restore or recovery replaced the log.
    pub(crate) fn reanchor_audit_tail(&self) -> Result<()> {
        if let (Some(keychain), Some(now)) = (self.tail_keychain()?, head(&self.conn)?) {
            self.record_anchor(keychain.as_ref(), now)?;
        }
        Ok(())
    }

    /// Checks the audit log: the chain from its first entry (`crate::audit`), then its end
    /// against the keychain's record and the newest backup manifest taken since the last
    /// restore (see the module doc). A cut-off tail is reported as broken at the first entry a
    /// witness names that the log lost.
    pub fn verify_audit(&self, actor: &Actor) -> Result<AuditVerification> {
        let mut result = self.verify_audit_chain(actor)?;
        if result.first_broken.is_some() {
            return Ok(result);
        }
        let mut witnesses: Vec<(String, AuditAnchor)> = Vec::new();
        match self.tail_keychain()? {
            None => result
                .tail
                .push("No keychain keeps this log's end on this computer".into()),
            Some(keychain) => match self.recorded_anchor(keychain.as_ref()) {
                Ok(Some(anchor)) => witnesses.push(("this computer's keychain".into(), anchor)),
                Ok(None) => result
                    .tail
                    .push("The keychain holds no record of this log's end yet".into()),
                Err(e) => result
                    .tail
                    .push(format!("The keychain could not be read ({e})")),
            },
        }
        let since = last_restore(&self.conn)?;
        let folder = PathBuf::from(super::load_settings(self.path()).folder);
        match newest_manifest(&folder, &store_key(self.path()), since.as_deref()) {
            Some((file, anchor)) => {
                witnesses.push((format!("the manifest of backup {file}"), anchor))
            }
            None => result
                .tail
                .push("No backup manifest since the last restore to compare with".into()),
        }
        for (source, anchor) in witnesses {
            if holds(&self.conn, &anchor)? {
                result.tail.push(format!(
                    "Its end matches {source} (entry {} of {})",
                    anchor.last_id, anchor.at
                ));
            } else {
                let last = head(&self.conn)?.map_or(0, |(id, _)| id);
                result.first_broken = Some(anchor.last_id.min(last + 1));
                result.message = format!(
                    "The audit log was cut short or replaced: {source} recorded entry {} at {}, \
                     but the log {}. Entries were removed from its end; restore the newest \
                     backup to see them.",
                    anchor.last_id,
                    anchor.at,
                    if last < anchor.last_id {
                        format!("now ends at entry {last}")
                    } else {
                        format!("holds a different entry {}", anchor.last_id)
                    }
                );
                return Ok(result);
            }
        }
        Ok(result)
    }
}
