//! Restoring a backup: into the live database (the usual case), or in place of a damaged or
//! missing database file (recovery at start, `pdesk restore` on a damaged store).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::copy::{self, copy_all_pages, open_read_only};
use super::{load_settings, new_name, prune, writable_folder, BackupKind};
use crate::auth::{Actor, Permission};
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::store::Store;

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    /// The backup file the data now comes from.
    pub restored_from: String,
    /// Profiles in the restored database.
    pub profiles: u64,
    /// The backup's schema version (older ones were migrated).
    pub backup_schema_version: u32,
    /// The backup of the database as it was just before (healthy databases only).
    pub saved_current_as: Option<String>,
    /// Where the damaged database was kept, for support (recovery only).
    pub damaged_kept_as: Option<String>,
    /// The sentence to show.
    pub message: String,
}

impl Store {
    /// Replaces the data with the backup `file`: the file is verified first (nothing changes if
    /// it is not a sound Profile Desk backup), the current database is backed up into the
    /// backup folder, then the backup is copied into the live database in one write transaction
    /// (other connections — the import worker, a running CLI — simply see the restored data)
    /// and migrated when it is older. Audited in the restored database.
    pub fn restore_backup(&mut self, actor: &Actor, file: &Path) -> Result<RestoreReport> {
        actor.require(Permission::SettingsManage)?;
        let verified = copy::verify_backup_file(file)?;
        let busy: i64 = self.conn.query_row(
            "SELECT count(*) FROM import_jobs WHERE status IN ('queued', 'running')",
            [],
            |r| r.get(0),
        )?;
        if busy > 0 {
            return Err(Error::Conflict(
                "An import is queued or running: wait for it to finish (or cancel it) before \
                 restoring a backup. Nothing was changed."
                    .into(),
            ));
        }
        let settings = load_settings(self.path());
        let folder = PathBuf::from(&settings.folder);
        writable_folder(&folder)?;
        let saved = folder.join(new_name(&folder, self.now_utc(), BackupKind::BeforeRestore));
        copy::write_backup(&self.conn, &saved)?;

        let source = open_read_only(file)?;
        copy_all_pages(&source, &mut self.conn).map_err(|e| {
            Error::Backup(format!(
                "The backup could not be copied into the database ({e}). The database is as it \
                 was; its copy is {}.",
                saved.display()
            ))
        })?;
        drop(source);
        self.after_replace()?;

        let profiles = self.profile_total()?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "backup.restore",
            &file.display().to_string(),
            serde_json::json!({
                "profiles": profiles,
                "backupSchemaVersion": verified.schema_version,
                "savedCurrentAs": saved.display().to_string(),
            }),
        )?;
        tx.commit()?;
        prune(&folder, settings.keep, &[file, &saved])?;
        Ok(RestoreReport {
            restored_from: file.display().to_string(),
            profiles,
            backup_schema_version: verified.schema_version,
            saved_current_as: Some(saved.display().to_string()),
            damaged_kept_as: None,
            message: format!(
                "Restored {profiles} profiles from {}. The data as it was before is kept in {}.",
                file_name(file),
                file_name(&saved)
            ),
        })
    }

    /// After the file's content was replaced: migrate an older backup, make sure the defaults
    /// exist, and drop every cache built from the old data.
    fn after_replace(&mut self) -> Result<()> {
        crate::store::migrate(&mut self.conn)?;
        self.ensure_administrator()?;
        self.touched();
        Ok(())
    }

    fn profile_total(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}

/// Puts the backup `file` in place of the database at `db` when that database is damaged (or
/// missing): the backup is verified first; the damaged file (and its `-wal`/`-shm`) is kept,
/// renamed `<name>.damaged-<time>.db`, byte for byte, for support; a copy of the backup is
/// written next to it (fsync, rename) and opened (migrated when older). Audited in the restored
/// database under `user` (or its only administrator). Runs with no store open, on the system
/// clock (as [`Store::open`] does).
pub fn install_backup(
    db: &Path,
    file: &Path,
    user: Option<&str>,
) -> Result<(Store, RestoreReport)> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let verified = copy::verify_backup_file(file)?;
    let kept = if db.exists() {
        Some(keep_damaged(db, clock.now_utc())?)
    } else {
        if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        None
    };
    copy::copy_atomically(file, db)?;
    let mut store = Store::open_with_clock(db, clock)?;
    let profiles = store.profile_total()?;
    if let Ok(actor) = store.actor(user).or_else(|_| store.actor(None)) {
        let at = store.now();
        let tx = store.conn.transaction()?;
        crate::audit::append(
            &tx,
            &at,
            &actor,
            "backup.recover",
            &file.display().to_string(),
            serde_json::json!({
                "profiles": profiles,
                "backupSchemaVersion": verified.schema_version,
                "damagedKeptAs": kept.as_ref().map(|p| p.display().to_string()),
            }),
        )?;
        tx.commit()?;
    }
    let message = match &kept {
        Some(k) => format!(
            "Restored {profiles} profiles from {}. The damaged database is kept as {} for support.",
            file_name(file),
            k.display()
        ),
        None => format!("Restored {profiles} profiles from {}.", file_name(file)),
    };
    let report = RestoreReport {
        restored_from: file.display().to_string(),
        profiles,
        backup_schema_version: verified.schema_version,
        saved_current_as: None,
        damaged_kept_as: kept.map(|p| p.display().to_string()),
        message,
    };
    Ok((store, report))
}

/// Renames the database file and its WAL companions to `<stem>.damaged-<time>.<ext>`, so the
/// damaged bytes are kept as they are and SQLite still pairs the renamed file with its WAL.
/// `now` names them.
fn keep_damaged(db: &Path, now: OffsetDateTime) -> Result<PathBuf> {
    let stamp = super::stamp(now);
    let stem = db
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let ext = db
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let folder = db.parent().unwrap_or(Path::new("."));
    let mut kept = folder.join(format!("{stem}.damaged-{stamp}{ext}"));
    let mut n = 2;
    while kept.exists() {
        kept = folder.join(format!("{stem}.damaged-{stamp}-{n}{ext}"));
        n += 1;
    }
    for companion in ["-wal", "-shm"] {
        let from = with_suffix(db, companion);
        if from.exists() {
            std::fs::rename(&from, with_suffix(&kept, companion))?;
        }
    }
    std::fs::rename(db, &kept)?;
    copy::sync_dir(folder)?;
    Ok(kept)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
