//! The database's health: `quick_check` at start (before anything writes after an unclean
//! exit, after the first page otherwise: [`StartCheck`]), the full check of `pdesk check`, and
//! the start-up sequence of the app.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::ErrorCode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::copy::{self, integrity_problems, open_read_only};
use super::{list_backups, load_settings, new_name, prune, BackupEntry, BackupKind};
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::keychain::Secrets;
use crate::store::{Protection, Store, StoreKey, SCHEMA_VERSION};

/// The app's start: a store ready to use, or a damaged database that was not touched.
pub enum Startup {
    Ready {
        store: Store,
        /// Something to tell the user about the start (e.g. the copy kept before an upgrade).
        notice: Option<String>,
    },
    Damaged(DamageReport),
}

/// A database that failed its check at start, and the way out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DamageReport {
    /// The damaged database file (left exactly as it was).
    pub database: String,
    /// What SQLite found.
    pub problem: String,
    /// The newest backup in the backup folder that passes a check, if any.
    pub newest_good_backup: Option<BackupEntry>,
    pub backup_folder: String,
    /// Backups found in the folder (good or not).
    pub backups_found: u32,
    /// The damage was found by the check run after the store opened (the last run had closed
    /// it cleanly): the app may have read it and signed the user in meanwhile, but started no
    /// worker or backup on it. `false`: found before opening, nothing touched the file.
    pub found_after_opening: bool,
}

/// The automatic daily backup of the running app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum AutoBackupStatus {
    /// Not due (the newest backup is less than a day old), switched off, or demo mode.
    #[default]
    NotDue,
    Running,
    Done {
        report: super::BackupReport,
    },
    Failed {
        message: String,
    },
}

/// What the app's window learns first about the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum StartupStatus {
    /// The store is open. `notice`: something to tell the user once (an upgrade).
    #[serde(rename_all = "camelCase")]
    Ready {
        notice: Option<String>,
        auto_backup: AutoBackupStatus,
    },
    /// The database failed its check and is not used; the way out.
    Damaged { report: DamageReport },
}

/// `pdesk check`: the full check of a database file, read-only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseCheck {
    pub database: String,
    pub ok: bool,
    /// What `integrity_check` and `foreign_key_check` reported (empty when sound).
    pub problems: Vec<String>,
    pub schema_version: Option<u32>,
    pub profiles: Option<u64>,
    pub bytes: u64,
    pub backup_folder: String,
    pub newest_backup: Option<BackupEntry>,
    /// Whether the file is encrypted at rest (and why not).
    pub encryption: crate::store::EncryptionStatus,
    pub message: String,
}

/// True for the errors SQLite gives for a damaged file (as opposed to, say, no permission).
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// Runs `pragma` (`quick_check` or `integrity_check`) on a read-only connection. `Ok(None)`:
/// sound; `Ok(Some(problem))`: damaged; `Err`: the file could not be checked at all.
fn check_file(db: &Path, pragma: &str, key: Option<&StoreKey>) -> Result<Option<String>> {
    // Before the store is open (start, `pdesk check`): the file may still be plain.
    let key = copy::key_for_file(db, key);
    let outcome = open_read_only(db, key).and_then(|conn| integrity_problems(&conn, pragma));
    match outcome {
        Ok(problems) if problems.is_empty() => Ok(None),
        Ok(problems) => Ok(Some(summarize(&problems))),
        Err(e) if is_damage(&e) => Ok(Some(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

fn summarize(problems: &[String]) -> String {
    match problems {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} (and {} more problems)", rest.len()),
    }
}

/// `quick_check` of the database at `db` on a read-only connection: `None` when sound, else
/// what SQLite found. `key`: the store's, when it is encrypted.
pub fn quick_problem(db: &Path, key: Option<&StoreKey>) -> Result<Option<String>> {
    check_file(db, "quick_check", key)
}

/// A quick look at a backup: SQLite header, `quick_check`, a schema this version can open.
fn looks_good(path: &Path, key: Option<&StoreKey>) -> bool {
    let conn = match open_read_only(path, copy::key_for_file(path, key)) {
        Ok(c) => c,
        Err(_) => return false,
    };
    let version: rusqlite::Result<u32> = conn.query_row("PRAGMA user_version", [], |r| r.get(0));
    matches!(version, Ok(v) if (1..=SCHEMA_VERSION).contains(&v))
        && matches!(integrity_problems(&conn, "quick_check"), Ok(p) if p.is_empty())
}

/// What the app says when the database at `db` is damaged: the problem, and the newest backup
/// that passes a quick check (encrypted ones with `key`, the store's).
pub fn damage_report(db: &Path, problem: String, key: Option<&StoreKey>) -> Result<DamageReport> {
    let folder = PathBuf::from(load_settings(db).folder);
    let backups = list_backups(&folder).unwrap_or_default();
    let newest_good_backup = backups
        .iter()
        .find(|b| looks_good(Path::new(&b.path), key))
        .cloned();
    Ok(DamageReport {
        database: db.display().to_string(),
        problem,
        newest_good_backup,
        backup_folder: folder.display().to_string(),
        backups_found: backups.len() as u32,
        found_after_opening: false,
    })
}

/// When the start-up runs the database's `quick_check` (issue 18): it reads the whole file —
/// seconds for a million profiles — so it sits in front of the list only when there is a
/// reason to expect damage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartCheck {
    /// Before the store is opened: the last run did not end cleanly (a crash, a kill, a power
    /// cut), or this computer never ran the app on this file (copied in, restored by hand).
    Now,
    /// The last run closed the store cleanly: the store opens at once and the caller runs
    /// [`quick_problem`] after the list shows (the app: `startup.rs`). A file too damaged to
    /// open is still checked — and reported as damaged — here.
    AfterFirstPage,
}

/// The app's start-up with the check before opening ([`StartCheck::Now`]).
pub fn open_checked(db: &Path, secrets: &dyn Secrets) -> Result<Startup> {
    open_for_start(db, secrets, StartCheck::Now)
}

/// The app's start-up: the store's key is looked up in `secrets` (made and kept there for a
/// new store). When the database exists and `check` says so, `quick_check` runs on a read-only
/// connection first — a damaged database is reported and never opened for writing. A database
/// of an older schema is copied into the backup folder before this version migrates it; a
/// plain one is encrypted (after a verified backup, `encrypt.rs`) when a keychain is there.
/// Then the store is opened (created, migrated; a newer schema is refused without changes).
/// Runs before any store is open, on the system clock (as [`Store::open`] does).
pub fn open_for_start(db: &Path, secrets: &dyn Secrets, check: StartCheck) -> Result<Startup> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let protection = crate::store::cipher::protection_for(db, secrets)?;
    if !db.exists() {
        return Ok(Startup::Ready {
            store: Store::open_protected(db, clock, protection)?,
            notice: None,
        });
    }
    let damaged = |problem: String| -> Result<Startup> {
        Ok(Startup::Damaged(damage_report(
            db,
            problem,
            protection.key(),
        )?))
    };
    if check == StartCheck::Now {
        if let Some(problem) = quick_problem(db, protection.key())? {
            return damaged(problem);
        }
    }
    match open_sound(db, secrets, clock, &protection) {
        // Not checked first and it would not open: the check says whether the file is damaged
        // (then the recovery screen) or something else went wrong (then that error).
        Err(e) if check == StartCheck::AfterFirstPage => {
            match quick_problem(db, protection.key())? {
                Some(problem) => damaged(problem),
                None => Err(e),
            }
        }
        opened => opened,
    }
}

/// Opens the database at `db`, which exists and is taken to be sound: the copy kept before an
/// upgrade, the encryption of a plain file, the store.
fn open_sound(
    db: &Path,
    secrets: &dyn Secrets,
    clock: Arc<dyn Clock>,
    protection: &Protection,
) -> Result<Startup> {
    let version: u32 = open_read_only(db, copy::key_for_file(db, protection.key()))?.query_row(
        "PRAGMA user_version",
        [],
        |r| r.get(0),
    )?;
    let mut notices = Vec::new();
    if version > 0 && version < SCHEMA_VERSION {
        notices.push(
            match backup_before_upgrade(db, clock.now_utc(), protection.key()) {
                Ok(kept) => format!(
                    "Profile Desk updated this database to its new format (schema {version} → \
                 {SCHEMA_VERSION}). A copy as it was is kept in {}.",
                    kept.display()
                ),
                Err(e) => format!(
                    "Profile Desk updated this database to its new format (schema {version} → \
                 {SCHEMA_VERSION}) but could not keep a copy of it first: {e}"
                ),
            },
        );
    }
    let (protection, encrypted) = super::encrypt::protect(db, secrets, clock.now_utc())?;
    notices.extend(encrypted);
    Ok(Startup::Ready {
        store: Store::open_protected(db, clock, protection)?,
        notice: (!notices.is_empty()).then(|| notices.join(" ")),
    })
}

/// A copy of the database as it is, before a newer version migrates it (counts as one of the
/// generations), named at `now`.
fn backup_before_upgrade(
    db: &Path,
    now: OffsetDateTime,
    key: Option<&StoreKey>,
) -> Result<PathBuf> {
    let settings = load_settings(db);
    let folder = PathBuf::from(&settings.folder);
    super::writable_folder(&folder)?;
    let dest = folder.join(new_name(&folder, now, BackupKind::BeforeUpgrade));
    let key = copy::key_for_file(db, key);
    let source = open_read_only(db, key)?;
    copy::write_backup(&source, &dest, key)?;
    prune(&folder, settings.keep, &[&dest])?;
    Ok(dest)
}

/// `pdesk check`: `integrity_check` and `foreign_key_check` on a read-only connection, the
/// schema version, the profile count and the newest backup. Changes nothing. `protection`:
/// the store's key (or why it is plain), also reported.
pub fn check_database(db: &Path, protection: &Protection) -> Result<DatabaseCheck> {
    if !db.exists() {
        return Err(Error::not_found(
            "noDatabase",
            serde_json::json!({ "path": db.display().to_string() }),
            format!("There is no database at {}", db.display()),
        ));
    }
    let bytes = std::fs::metadata(db)?.len();
    let folder = PathBuf::from(load_settings(db).folder);
    let newest_backup = list_backups(&folder).unwrap_or_default().into_iter().next();
    let mut problems = Vec::new();
    let mut schema_version = None;
    let mut profiles = None;
    match check_file(db, "integrity_check", protection.key())? {
        Some(problem) => problems.push(problem),
        None => {
            let conn = open_read_only(db, copy::key_for_file(db, protection.key()))?;
            schema_version = Some(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?);
            let fk: Vec<String> = conn
                .prepare("PRAGMA foreign_key_check")?
                .query_map([], |r| {
                    Ok(format!(
                        "a row of {} points to a missing row of {}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(2)?
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            problems.extend(fk);
            profiles = conn
                .query_row("SELECT count(*) FROM profiles", [], |r| r.get::<_, i64>(0))
                .ok()
                .map(|n| n as u64);
        }
    }
    let ok = problems.is_empty();
    let message = if ok {
        format!(
            "The database is sound: {} ({} profiles, schema {}).",
            db.display(),
            profiles.unwrap_or(0),
            schema_version.unwrap_or(0)
        )
    } else {
        format!(
            "The database is damaged: {} — {}. Restore a backup with `pdesk restore FILE`{}.",
            db.display(),
            summarize(&problems),
            newest_backup
                .as_ref()
                .map(|b| format!(" (newest: {})", b.path))
                .unwrap_or_default()
        )
    };
    Ok(DatabaseCheck {
        database: db.display().to_string(),
        ok,
        problems,
        schema_version,
        profiles,
        bytes,
        backup_folder: folder.display().to_string(),
        newest_backup,
        encryption: encryption_of(db, protection),
        message,
    })
}

/// What `pdesk check` says about the file's encryption: the file as it is on disk.
fn encryption_of(db: &Path, protection: &Protection) -> crate::store::EncryptionStatus {
    match crate::store::cipher::is_plain_file(db) {
        Ok(false) => crate::store::EncryptionStatus::encrypted(),
        _ => match protection {
            Protection::Plain(_) => protection.status(),
            Protection::Encrypted(_) => crate::store::EncryptionStatus {
                encrypted: false,
                message: "The database is NOT encrypted yet: it will be at the next start of \
                          Profile Desk or pdesk that has it to itself."
                    .into(),
            },
        },
    }
}
