//! Backups of the local database (SPEC 10 `pdesk backup | restore | check`, Settings → Backup).
//!
//! - A backup is a consistent copy taken while the app runs: SQLite's online backup API copies
//!   every page inside ONE read transaction, so the copy is exactly one committed state even
//!   while other connections write (WAL readers never block writers). The copy goes to a hidden
//!   temp file, is switched out of WAL mode (one self-contained file), fsynced, verified
//!   (`integrity_check`, and the row count of every table against the counts read in the same
//!   read transaction), and only then renamed to its final name (and the folder fsynced). A
//!   backup that fails a check never carries a backup's name.
//! - Generations: `profile-desk-<UTC time>-<kind>.db` files in one folder; the newest `keep`
//!   (default 7) are kept, older ones removed. Nothing else in the folder is ever touched.
//! - Settings (folder, generations, automatic daily backup) live in a small JSON file next to
//!   the database (`profiles.backup.json`), not in the database: they must be readable when the
//!   database is damaged (to find the newest good backup), and restoring an old backup must not
//!   turn back where future backups go.
//! - Restore (`restore.rs`) trusts nothing in the file (`vet.rs`: defensive, untrusted schema,
//!   the schema must be exactly the one our migrations make), copies it next to the live
//!   database, migrates and verifies that copy, carries the current e-mail settings and result
//!   addresses over into it, backs the current database up, and only then copies the proven
//!   copy INTO the live database with the same backup API (one write transaction: other
//!   connections simply see the new data). A refusal at any step leaves the live file as it was.
//! - Start-up health (`health.rs`): `quick_check` on a read-only connection before anything
//!   writes when the last run did not end cleanly (a damaged database is then never opened for
//!   writing); after a clean exit the store opens at once and the app checks it after the list
//!   shows (`StartCheck`), so a million profiles do not wait seconds for their first page.

mod audit_tail;
mod copy;
mod encrypt;
pub mod health;
mod leftovers;
pub mod relocate;
mod restore;
mod vet;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::auth::{Actor, Permission};
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::store::{private_file, Protection, Store};

pub use audit_tail::{keep_audit_tails_in, store_key, AuditAnchor};
pub use copy::{verify_backup_file, VerifiedBackup};
pub use encrypt::{encrypt_plain_store, encrypted_copy_of, open_store, EncryptedStore};
pub use health::{
    check_database, open_checked, open_for_start, quick_problem, AutoBackupStatus, DamageReport,
    DatabaseCheck, StartCheck, Startup, StartupStatus,
};
pub use leftovers::Swept;
pub use restore::{install_backup, RestoreOptions, RestoreReport};

/// Page cache of a backup's source connection (KiB): the copy reads each page once.
const BACKUP_CACHE_KIB: u32 = 2 * 1024;
/// Generations kept by default.
pub const DEFAULT_KEEP: u32 = 7;
/// The most generations one may ask for (each is a full copy of the database).
pub const MAX_KEEP: u32 = 100;
/// The automatic backup runs at start when the newest backup is older than this.
pub const DAILY: Duration = Duration::from_secs(24 * 3600);

const PREFIX: &str = "profile-desk-";
const SUFFIX: &str = ".db";
/// `20250102T101112Z`
const STAMP_LEN: usize = 16;
const STAMP_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

/// A moment as it appears in backup and damaged-file names: `20250102T101112Z` (UTC).
pub(crate) fn stamp(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(STAMP_FORMAT)
        .unwrap_or_default()
}

/// Where backups go, how many are kept, and whether one is taken automatically every day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct BackupSettings {
    /// The folder the backups are kept in (absolute path).
    pub folder: String,
    /// How many backups to keep; the oldest are removed first.
    pub keep: u32,
    /// Take a backup when the app starts and the newest one is older than a day.
    pub auto_daily: bool,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            folder: String::new(),
            keep: DEFAULT_KEEP,
            auto_daily: true,
        }
    }
}

/// Why a backup was taken (part of its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum BackupKind {
    /// "Back up now" or `pdesk backup`.
    Manual,
    /// The automatic backup at start.
    Daily,
    /// The database as it was just before a restore replaced it.
    BeforeRestore,
    /// The database as it was just before a newer app version migrated it.
    BeforeUpgrade,
}

impl BackupKind {
    const ALL: [BackupKind; 4] = [
        BackupKind::Manual,
        BackupKind::Daily,
        BackupKind::BeforeRestore,
        BackupKind::BeforeUpgrade,
    ];

    fn tag(self) -> &'static str {
        match self {
            BackupKind::Manual => "manual",
            BackupKind::Daily => "daily",
            BackupKind::BeforeRestore => "before-restore",
            BackupKind::BeforeUpgrade => "before-upgrade",
        }
    }
}

/// One backup file in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct BackupEntry {
    pub path: String,
    pub file_name: String,
    /// When it was taken (UTC, ISO 8601), from its name.
    pub created_at: String,
    pub kind: BackupKind,
    pub bytes: u64,
}

/// What "Back up now" (or the automatic backup) did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    pub entry: BackupEntry,
    /// Profiles in the copy.
    pub profiles: u64,
    /// Rows in the copy, all tables together (each table's count was checked).
    pub rows: u64,
    /// Tables whose row counts were checked against the database.
    pub tables: u32,
    /// Older generations removed to keep the configured number.
    pub removed: Vec<String>,
    pub millis: u64,
    /// The sentence to show.
    pub message: String,
}

/// Settings → Backup: the settings, the backups in the folder, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct BackupOverview {
    pub settings: BackupSettings,
    /// The folder used when none was chosen (next to the database).
    pub default_folder: String,
    pub backups: Vec<BackupEntry>,
    /// The database this is about.
    pub database: String,
    /// Whether the database and its backups are encrypted (and why not, when they are not).
    pub encryption: crate::store::EncryptionStatus,
}

/// The settings file next to the database: `profiles.db` → `profiles.backup.json`.
pub fn settings_path(db: &Path) -> PathBuf {
    db.with_extension("backup.json")
}

/// The backup folder used when none was chosen: `backups/` next to the database.
pub fn default_folder(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// The backup settings of the database at `db` (the defaults when none were saved, or when the
/// file cannot be read: backups then still go to the default folder).
pub fn load_settings(db: &Path) -> BackupSettings {
    let mut settings: BackupSettings = std::fs::read(settings_path(db))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    if settings.folder.trim().is_empty() {
        settings.folder = default_folder(db).display().to_string();
    }
    settings.keep = settings.keep.clamp(1, MAX_KEEP);
    settings
}

/// Checks and cleans settings typed by a user; the folder is created when missing.
fn validated(mut settings: BackupSettings, db: &Path) -> Result<BackupSettings> {
    let folder = settings.folder.trim().to_string();
    let folder = if folder.is_empty() {
        default_folder(db)
    } else {
        PathBuf::from(folder)
    };
    if !folder.is_absolute() {
        return Err(Error::Backup(format!(
            "The backup folder must be a full path (for example {}), not “{}”",
            default_folder(db).display(),
            folder.display()
        )));
    }
    if !(1..=MAX_KEEP).contains(&settings.keep) {
        return Err(Error::Backup(format!(
            "Keep between 1 and {MAX_KEEP} backups (asked for {})",
            settings.keep
        )));
    }
    writable_folder(&folder)?;
    settings.folder = folder.display().to_string();
    Ok(settings)
}

/// Makes sure backups can be written into `folder` (creating it), with a message that names it.
fn writable_folder(folder: &Path) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::Backup(format!(
            "Backups cannot be written into {}: {e}. Choose another folder.",
            folder.display()
        ))
    };
    private_file::create_dir_all(folder).map_err(fail)?;
    let probe = folder.join(format!(".profile-desk-write-test-{}", std::process::id()));
    private_file::write(&probe, b"ok").map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)?;
    Ok(())
}

fn save_settings(db: &Path, settings: &BackupSettings) -> Result<()> {
    let path = settings_path(db);
    let json = serde_json::to_vec_pretty(settings)
        .map_err(|e| Error::Internal(format!("backup settings: {e}")))?;
    copy::write_atomically(&path, &json)
}

/// The backups in `folder`, newest first (none when the folder does not exist). Only files
/// named like our backups are listed.
pub fn list_backups(folder: &Path) -> Result<Vec<BackupEntry>> {
    let dir = match std::fs::read_dir(folder) {
        Ok(dir) => dir,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut found = Vec::new();
    for item in dir {
        let item = item?;
        let name = item.file_name().to_string_lossy().into_owned();
        let Some((at, kind, seq)) = parse_name(&name) else {
            continue;
        };
        let meta = item.metadata()?;
        if !meta.is_file() {
            continue;
        }
        found.push((
            (at, seq),
            BackupEntry {
                path: item.path().display().to_string(),
                file_name: name,
                created_at: crate::clock::format(at),
                kind,
                bytes: meta.len(),
            },
        ));
    }
    // Newest first; within one second, the higher number is the later backup.
    found.sort_by_key(|(key, _)| std::cmp::Reverse(*key));
    Ok(found.into_iter().map(|(_, e)| e).collect())
}

/// `profile-desk-20250102T101112Z-manual.db` (or `…-manual-2.db`) → its time, kind and
/// number within that second (1 for the first).
fn parse_name(name: &str) -> Option<(OffsetDateTime, BackupKind, u32)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let stamp = rest.get(..STAMP_LEN)?;
    let tail = rest.get(STAMP_LEN..)?.strip_prefix('-')?;
    let at = time::PrimitiveDateTime::parse(stamp, STAMP_FORMAT)
        .ok()?
        .assume_utc();
    BackupKind::ALL.into_iter().find_map(|k| {
        let after = tail.strip_prefix(k.tag())?;
        if after.is_empty() {
            return Some((at, k, 1));
        }
        let n = after.strip_prefix('-')?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((at, k, n.parse().ok()?))
    })
}

/// A fresh file name for a backup taken at `at`: within one second, each backup (of any kind)
/// gets the next number, so names sort in the order they were taken even after pruning.
fn new_name(folder: &Path, at: OffsetDateTime, kind: BackupKind) -> String {
    let stamp = stamp(at);
    let taken = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(|e| parse_name(&e.ok()?.file_name().to_string_lossy()))
        .filter(|(t, _, _)| *t == at.replace_nanosecond(0).unwrap_or(at))
        .map(|(_, _, n)| n)
        .max()
        .unwrap_or(0);
    match taken + 1 {
        1 => format!("{PREFIX}{stamp}-{}{SUFFIX}", kind.tag()),
        n => format!("{PREFIX}{stamp}-{}-{n}{SUFFIX}", kind.tag()),
    }
}

/// Removes the oldest backups beyond `keep`, never one of `protect`. Returns the removed names.
fn prune(folder: &Path, keep: u32, protect: &[&Path]) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    let backups = list_backups(folder)?;
    for old in backups.iter().skip(keep as usize) {
        let path = Path::new(&old.path);
        if protect.iter().any(|p| same_file(p, path)) {
            continue;
        }
        std::fs::remove_file(path)?;
        match std::fs::remove_file(audit_tail::manifest_path(path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
        removed.push(old.file_name.clone());
    }
    Ok(removed)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The newest backup's age at `now`, or `None` when there is none.
fn newest_age(folder: &Path, now: OffsetDateTime) -> Result<Option<Duration>> {
    let newest = list_backups(folder)?.into_iter().next();
    Ok(newest.and_then(|e| {
        let at = time::OffsetDateTime::parse(
            &e.created_at,
            &time::format_description::well_known::Rfc3339,
        )
        .ok()?;
        // A backup "from the future" (clock changed) counts as fresh.
        Some(Duration::try_from(now - at).unwrap_or_default())
    }))
}

/// A backup about to be taken: what, where, and for whom (the audit entry). Made by
/// [`Store::backup_plan`] (which checks the permission) or by [`daily_backup_plan`]; run
/// without holding the store, on its own connection, so the app stays usable meanwhile.
#[derive(Debug, Clone)]
pub struct BackupPlan {
    db: PathBuf,
    folder: PathBuf,
    keep: u32,
    kind: BackupKind,
    actor: Option<Actor>,
    /// Names the backup and stamps its audit entry: the store's clock for a backup a user
    /// asked for, the system clock for the daily one.
    clock: Arc<dyn Clock>,
    /// The store's key: the backup is encrypted with it.
    protection: Protection,
}

impl BackupPlan {
    /// Writes into `folder` instead of the configured one (`pdesk backup DIR`).
    pub fn into_folder(mut self, folder: impl Into<PathBuf>) -> BackupPlan {
        self.folder = folder.into();
        self
    }

    /// Takes the backup: consistent copy, fsync, verification, rename, older generations
    /// removed; audited when a user asked for it.
    pub fn run(self) -> Result<BackupReport> {
        let started = std::time::Instant::now();
        writable_folder(&self.folder)?;
        let mut source =
            Store::open_protected(&self.db, Arc::clone(&self.clock), self.protection.clone())?;
        let name = new_name(&self.folder, source.now_utc(), self.kind);
        // Every page is read once: a small cache, else the copy filled the store's 64 MB page
        // cache, which the app's process kept after the backup (issue 18: measured 72 MB of its
        // resident memory at 1,000,000 profiles).
        let written = source.with_page_cache(BACKUP_CACHE_KIB, || {
            copy::write_backup(
                &source.conn,
                &self.folder.join(&name),
                self.protection.key(),
            )
        })?;
        let removed = prune(&self.folder, self.keep, &[])?;
        let final_path = self.folder.join(&name);
        let bytes = std::fs::metadata(&final_path)?.len();
        let entry = list_backups(&self.folder)?
            .into_iter()
            .find(|e| e.file_name == name)
            .unwrap_or(BackupEntry {
                path: final_path.display().to_string(),
                file_name: name.clone(),
                created_at: source.now(),
                kind: self.kind,
                bytes,
            });
        if let Some(actor) = &self.actor {
            // The audit entry needs the write lock; a busy writer (an import) releases it between
            // its transactions, so wait for a gap rather than fail a backup that was written.
            source.conn.busy_timeout(Duration::from_secs(30))?;
            let at = source.now();
            let tx = source
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            crate::audit::append(
                &tx,
                &at,
                actor,
                "backup.write",
                &entry.path,
                serde_json::json!({
                    "kind": self.kind,
                    "profiles": written.profiles,
                    "bytes": bytes,
                    "removed": removed,
                }),
            )?;
            tx.commit()?;
        }
        // The backup is written and verified: a manifest that cannot be written (a full
        // drive) costs the audit log one witness, not the backup; the message says so.
        let manifest = audit_tail::write_manifest(&source, &final_path);
        let mut message = format!(
            "Backup written and verified: {} ({} profiles, {})",
            entry.file_name,
            written.profiles,
            human_bytes(bytes)
        );
        if let Err(e) = manifest {
            message.push_str(&format!(
                ". Its audit manifest (the record of the audit log's end) was not written: {e}"
            ));
        }
        Ok(BackupReport {
            entry,
            profiles: written.profiles,
            rows: written.rows,
            tables: written.tables,
            removed,
            millis: started.elapsed().as_millis() as u64,
            message,
        })
    }
}

/// The automatic backup at start: a plan when it is switched on, the newest backup in the
/// folder is older than a day (or there is none) and the store holds something (profiles or
/// audit entries: a first start has nothing to keep); `None` otherwise. Runs before any store
/// is open, on the system clock (as [`Store::open`] does). `protection`: the store's (its
/// backups are encrypted with its key).
pub fn daily_backup_plan(db: &Path, protection: &Protection) -> Result<Option<BackupPlan>> {
    let settings = load_settings(db);
    if !settings.auto_daily {
        return Ok(None);
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let folder = PathBuf::from(&settings.folder);
    if newest_age(&folder, clock.now_utc())?.is_some_and(|age| age < DAILY) {
        return Ok(None);
    }
    // A store that never held a profile (a first start) has nothing worth a backup yet.
    let has_profiles: bool = copy::open_read_only(db, protection.key())?.query_row(
        "SELECT EXISTS (SELECT 1 FROM profiles) OR EXISTS (SELECT 1 FROM audit_log)",
        [],
        |r| r.get(0),
    )?;
    if !has_profiles {
        return Ok(None);
    }
    Ok(Some(BackupPlan {
        db: db.to_path_buf(),
        folder,
        keep: settings.keep,
        kind: BackupKind::Daily,
        actor: None,
        clock,
        protection: protection.clone(),
    }))
}

/// `1.2 MB`, `340 kB`.
pub(crate) fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.0} kB", (b / 1e3).max(1.0))
    }
}

impl Store {
    /// A backup the acting user asked for ("Back up now", `pdesk backup`), into the configured
    /// folder. Run it with [`BackupPlan::run`].
    pub fn backup_plan(&self, actor: &Actor) -> Result<BackupPlan> {
        actor.require(Permission::SettingsManage)?;
        let settings = load_settings(self.path());
        Ok(BackupPlan {
            db: self.path().to_path_buf(),
            folder: PathBuf::from(settings.folder),
            keep: settings.keep,
            kind: BackupKind::Manual,
            actor: Some(actor.clone()),
            clock: Arc::clone(self.clock()),
            protection: self.protection().clone(),
        })
    }

    /// Settings → Backup: settings and the backups in the folder.
    pub fn backup_overview(&self, actor: &Actor) -> Result<BackupOverview> {
        actor.require(Permission::SettingsManage)?;
        let settings = load_settings(self.path());
        Ok(BackupOverview {
            backups: list_backups(Path::new(&settings.folder))?,
            settings,
            default_folder: default_folder(self.path()).display().to_string(),
            database: self.path().display().to_string(),
            encryption: self.encryption(),
        })
    }

    /// Changes where backups go, how many are kept, and the automatic daily backup (audited).
    pub fn set_backup_settings(
        &mut self,
        actor: &Actor,
        settings: BackupSettings,
    ) -> Result<BackupOverview> {
        actor.require(Permission::SettingsManage)?;
        let db = self.path().to_path_buf();
        let before = load_settings(&db);
        let settings = validated(settings, &db)?;
        if settings != before {
            let at = self.now();
            let tx = self.conn.transaction()?;
            crate::audit::append(
                &tx,
                &at,
                actor,
                "settings.backup",
                "settings:backup",
                serde_json::json!({ "before": before, "after": settings }),
            )?;
            // The file first: if it cannot be written, the audit entry rolls back with it.
            save_settings(&db, &settings)?;
            tx.commit()?;
        }
        self.backup_overview(actor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_round_trip_and_others_are_ignored() {
        let at = time::macros::datetime!(2025-01-02 10:11:12 UTC);
        let dir = tempfile::tempdir().unwrap();
        for kind in BackupKind::ALL {
            let name = new_name(dir.path(), at, kind);
            assert_eq!(
                parse_name(&name),
                Some((at, kind, 1)),
                "{name} parses back to its time and kind"
            );
        }
        assert_eq!(
            new_name(dir.path(), at, BackupKind::Manual),
            "profile-desk-20250102T101112Z-manual.db"
        );
        std::fs::write(
            dir.path().join("profile-desk-20250102T101112Z-manual.db"),
            b"x",
        )
        .unwrap();
        assert_eq!(
            new_name(dir.path(), at, BackupKind::Manual),
            "profile-desk-20250102T101112Z-manual-2.db",
            "a second backup in the same second gets a number"
        );
        assert_eq!(
            parse_name("profile-desk-20250102T101112Z-manual-12.db"),
            Some((at, BackupKind::Manual, 12))
        );
        for other in [
            "profiles.db",
            "profile-desk-20250102T101112Z-manual.db.partial",
            "profile-desk-2025-01-02-manual.db",
            "profile-desk-20250102T101112Z-weekly.db",
            "profile-desk-20250102T101112Z-manual-x.db",
        ] {
            assert_eq!(parse_name(other), None, "{other} is not one of our backups");
        }
    }
}
