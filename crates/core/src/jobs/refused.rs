//! Files refused at upload, for the File Upload Connector Report (issue 16): a user who gave
//! the app a file sees what happened to it even when it never became a job — too big, not an
//! .xlsx, several sheets, too many rows, hostile. Only the file's name, the refusal's code and
//! the sentence shown, who and when are kept (never its content); the latest
//! [`REFUSALS_KEPT`].

use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::error::Result;
use crate::store::Store;

/// Refused uploads the store keeps; older ones are dropped as new ones come.
pub const REFUSALS_KEPT: i64 = 1_000;

/// A file refused at upload, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RefusedUpload {
    pub id: i64,
    pub file_name: String,
    /// The refusal's code (`notXlsx`, `tooLarge`, `tooManyRows`, `severalSheets`, …).
    pub code: String,
    /// The sentence the user was shown (English: the CLI's, and the fallback).
    pub reason: String,
    /// What the sentence says, as data (`ImportRefusal::details`: the file, the numbers, the
    /// cell…), for the report to word it in the reader's language; `null` for refusals kept
    /// before migration 0024.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub details: serde_json::Value,
    pub refused_by: String,
    pub refused_at: String,
}

impl Store {
    /// Notes that `path` was refused at upload with `refusal` (the report lists it).
    pub fn record_refused_upload(
        &self,
        actor: &Actor,
        path: &Path,
        refusal: &pdesk_xlsx::ImportRefusal,
    ) -> Result<()> {
        actor.require(Permission::ProfileImport)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| refusal.file().to_string());
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO refused_uploads (file_name, code, reason, refused_by, refused_at, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                name,
                refusal.code(),
                refusal.to_string(),
                actor.name,
                self.now(),
                refusal.details().to_string()
            ],
        )?;
        tx.execute(
            "DELETE FROM refused_uploads WHERE id <= (SELECT MAX(id) FROM refused_uploads) - ?1",
            [REFUSALS_KEPT],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Files refused at upload, newest first.
    pub fn refused_uploads(&self, actor: &Actor) -> Result<Vec<RefusedUpload>> {
        actor.require(Permission::ProfileView)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, file_name, code, reason, refused_by, refused_at, details
             FROM refused_uploads ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RefusedUpload {
                id: r.get(0)?,
                file_name: r.get(1)?,
                code: r.get(2)?,
                reason: r.get(3)?,
                refused_by: r.get(4)?,
                refused_at: r.get(5)?,
                details: r
                    .get::<_, Option<String>>(6)?
                    .and_then(|d| serde_json::from_str(&d).ok())
                    .unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
