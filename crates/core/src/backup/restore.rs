//! Restoring a backup: into the live database (the usual case), or in place of a damaged or
//! missing database file (recovery at start, `pdesk restore` on a damaged store).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{params, Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::copy::{self, copy_all_pages, integrity_problems};
use super::{load_settings, new_name, prune, writable_folder, BackupKind};
use crate::auth::{Actor, Permission};
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::files::{self, TempFile};
use crate::store::cipher::open_connection;
use crate::store::{private_file, Protection, Store, StoreKey, SCHEMA_VERSION};

/// How a restore treats what the backup says about where data goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RestoreOptions {
    /// Take the backup's e-mail settings (SMTP server, sender) and users' result addresses.
    /// Off (the default): the current store's are kept, so a backup cannot redirect mail.
    pub keep_backup_mail_settings: bool,
}

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
    /// The e-mail settings and result addresses the backup had differently and that were set
    /// back to the current ones (empty when they agreed, or when the backup's were kept).
    pub mail_settings_reset: Vec<String>,
    /// The sentence to show.
    pub message: String,
}

/// A copy of a verified backup next to the live database, migrated to this version and
/// verified again; removed when dropped unless it was moved into place.
struct Staged {
    path: PathBuf,
    conn: Option<Connection>,
    /// The copy's file, held by this restore (`files`); `None` once moved into place.
    file: Option<TempFile>,
}

impl Staged {
    /// Copies the verified `file` next to `db`, checks the copy's row counts against the file's,
    /// migrates it and verifies the result: `integrity_check`, `foreign_key_check`, and the
    /// schema exactly as this version's migrations make it. `page_size`: the live database's,
    /// so that the copy can be written into it. `key`: the store's; the copy is encrypted with
    /// it (a plain backup too: it is encrypted on the way in).
    fn prepare(
        file: &Path,
        db: &Path,
        counts: &BTreeMap<String, u64>,
        page_size: Option<i64>,
        key: Option<&StoreKey>,
    ) -> Result<Staged> {
        let folder = db.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = folder.unwrap_or(Path::new("."));
        // One name per database: a second restore into the same database while this one runs
        // is refused (the file is held), and a crashed one's copy is swept at the next start.
        let held = TempFile::claim(files::hidden_temp(
            &folder.join(db.file_name().unwrap_or_default()),
            "restore",
        ))
        .map_err(|e| {
            Error::Backup(format!(
                "The backup could not be copied next to the database ({e}). Nothing was \
                     changed."
            ))
        })?;
        let staged = Staged {
            path: held.path().to_path_buf(),
            conn: None,
            file: Some(held),
        };
        staged.remove_journals();
        staged.fill(file, counts, page_size, key)
    }

    fn fill(
        mut self,
        file: &Path,
        counts: &BTreeMap<String, u64>,
        page_size: Option<i64>,
        key: Option<&StoreKey>,
    ) -> Result<Staged> {
        let refuse = |why: String| copy::refusal(file, why);
        let copy_failed = |e: std::io::Error| {
            Error::Backup(format!(
                "The backup could not be copied next to the database ({e}). Nothing was changed."
            ))
        };
        match (key, copy::key_for_file(file, key)) {
            (Some(key), None) => {
                // A plain backup restored into an encrypted store: encrypted on the way in.
                let plain = with_suffix(&self.path, ".plain");
                private_file::copy(file, &plain).map_err(copy_failed)?;
                let encrypted = super::encrypt::encrypted_copy_of(&plain, &self.path, key);
                let _ = std::fs::remove_file(&plain);
                encrypted?;
            }
            _ => {
                private_file::copy(file, &self.path).map_err(copy_failed)?;
            }
        }
        let mut conn = open_connection(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            key,
        )?;
        let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(refuse(format!("its copy cannot leave journal mode {mode}")));
        }
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
        let copied = copy::table_counts(&conn)?;
        if &copied != counts {
            return Err(refuse(
                "its copy does not hold the same rows as the file".into(),
            ));
        }
        crate::store::migrate(&mut conn).map_err(|e| {
            refuse(format!(
                "it cannot be brought to this version's format ({e})"
            ))
        })?;
        let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut problems = integrity_problems(&conn, "integrity_check")?;
        problems.extend(foreign_key_problems(&conn)?);
        problems.extend(super::vet::schema_differences(&conn, version)?);
        if version != SCHEMA_VERSION {
            problems.push(format!("schema {version} after migrating"));
        }
        if !problems.is_empty() {
            return Err(refuse(format!(
                "its migrated copy fails the checks ({})",
                problems.join(", ")
            )));
        }
        if let Some(size) = page_size {
            let own = page_size_of(&conn)?;
            if own != size {
                // A WAL database only takes pages of its own size from the backup API.
                conn.execute_batch(&format!("PRAGMA page_size = {size}; VACUUM;"))?;
            }
        }
        self.conn = Some(conn);
        Ok(self)
    }

    fn conn(&self) -> &Connection {
        self.conn
            .as_ref()
            .expect("a prepared copy has its connection")
    }

    /// Closes the copy and publishes it as `to` (fsynced, renamed, folder fsynced).
    fn move_to(mut self, to: &Path) -> Result<()> {
        if let Some(conn) = self.conn.take() {
            conn.close().map_err(|(_, e)| e)?;
        }
        if let Some(file) = self.file.take() {
            file.publish(to)?;
        }
        Ok(())
    }

    /// The copy's SQLite companions (its own file goes with its `TempFile`).
    fn remove_journals(&self) {
        for suffix in ["-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&self.path, suffix));
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // The connection first, then its journals, then the file (still held until removed).
        self.conn = None;
        self.remove_journals();
        self.file = None;
    }
}

/// The page size of the database behind `conn`. On a keyed connection SQLCipher answers
/// `PRAGMA page_size` itself, as text (`cipher_page_size`).
fn page_size_of(conn: &Connection) -> Result<i64> {
    let value: rusqlite::types::Value = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    match value {
        rusqlite::types::Value::Integer(n) => Ok(n),
        rusqlite::types::Value::Text(t) => t
            .trim()
            .parse()
            .map_err(|_| Error::Internal(format!("an unreadable page size: {t}"))),
        other => Err(Error::Internal(format!(
            "an unreadable page size: {other:?}"
        ))),
    }
}

/// What `PRAGMA foreign_key_check` finds, in words.
fn foreign_key_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("PRAGMA foreign_key_check")?
        .query_map([], |r| {
            Ok(format!(
                "a row of {} points to a missing row of {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(2)?
            ))
        })?
        .collect()
}

/// The settings that could send data elsewhere: the e-mail settings (`mail.*`) and each user's
/// result address, read from `conn`: (setting key → value), (user name → address).
type MailRoutes = (BTreeMap<String, String>, BTreeMap<String, String>);

fn mail_routes(conn: &Connection) -> rusqlite::Result<MailRoutes> {
    let settings = conn
        .prepare("SELECT key, value FROM settings WHERE substr(key, 1, 5) = 'mail.'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let addresses = conn
        .prepare(
            "SELECT lower(u.name), p.value FROM user_prefs p JOIN users u ON u.id = p.user_id
             WHERE p.key = 'mail.address' AND p.value <> ''",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((settings, addresses))
}

/// Puts the e-mail settings and result addresses of `current` into the staged copy: what the
/// backup had differently is named in the answer. A user of the backup who has no address in
/// the current store gets none.
fn carry_mail_routes(current: &Connection, staged: &mut Connection) -> Result<Vec<String>> {
    let (settings, addresses) = mail_routes(current)?;
    let (theirs, their_addresses) = mail_routes(staged)?;
    let mut reset: Vec<String> = settings
        .keys()
        .chain(theirs.keys())
        .filter(|k| settings.get(*k) != theirs.get(*k))
        .map(|k| format!("the e-mail setting {k}"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    reset.extend(
        addresses
            .keys()
            .chain(their_addresses.keys())
            .filter(|u| addresses.get(*u) != their_addresses.get(*u))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|u| format!("the result address of {u}")),
    );
    let tx = staged.transaction()?;
    tx.execute("DELETE FROM settings WHERE substr(key, 1, 5) = 'mail.'", [])?;
    for (key, value) in &settings {
        tx.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
    }
    tx.execute("DELETE FROM user_prefs WHERE key = 'mail.address'", [])?;
    for (user, address) in &addresses {
        tx.execute(
            "INSERT INTO user_prefs(user_id, key, value)
             SELECT id, 'mail.address', ?2 FROM users WHERE lower(name) = ?1",
            params![user, address],
        )?;
    }
    tx.commit()?;
    Ok(reset)
}

impl Store {
    /// Replaces the data with the backup `file`. Nothing in the file is trusted, and the live
    /// database is not touched until the new data is proven:
    /// 1. the file is verified (defensive, untrusted schema, `integrity_check`, its schema
    ///    exactly the one of its version);
    /// 2. it is copied next to the live database, and that copy is migrated and verified
    ///    (`integrity_check`, `foreign_key_check`, the schema of this version);
    /// 3. the copy gets the current e-mail settings and result addresses, unless
    ///    `options.keep_backup_mail_settings`;
    /// 4. the current database is backed up into the backup folder;
    /// 5. the copy is written into the live database in one write transaction of the backup API
    ///    (other connections — the import worker, a running CLI — simply see the restored
    ///    data; a failure rolls back).
    ///
    /// A refusal at any step leaves the live database as it was. Audited in the restored data.
    pub fn restore_backup(
        &mut self,
        actor: &Actor,
        file: &Path,
        options: RestoreOptions,
    ) -> Result<RestoreReport> {
        actor.require(Permission::SettingsManage)?;
        let key = self.protection().key().cloned();
        let (verified, counts) = copy::verify_candidate(file, key.as_ref())?;
        let busy: i64 = self.conn.query_row(
            "SELECT count(*) FROM import_jobs WHERE status IN ('queued', 'running')",
            [],
            |r| r.get(0),
        )?;
        if busy > 0 {
            return Err(Error::conflict(
                "importBeforeRestore",
                serde_json::Value::Null,
                "An import is queued or running: wait for it to finish (or cancel it) before \
                 restoring a backup. Nothing was changed.",
            ));
        }
        let page_size = page_size_of(&self.conn)?;
        let mut staged =
            Staged::prepare(file, self.path(), &counts, Some(page_size), key.as_ref())?;
        let reset = if options.keep_backup_mail_settings {
            Vec::new()
        } else {
            let conn = staged
                .conn
                .as_mut()
                .expect("a prepared copy has its connection");
            carry_mail_routes(&self.conn, conn)?
        };

        let settings = load_settings(self.path());
        let folder = PathBuf::from(&settings.folder);
        writable_folder(&folder)?;
        let saved = folder.join(new_name(&folder, self.now_utc(), BackupKind::BeforeRestore));
        copy::write_backup(&self.conn, &saved, key.as_ref())?;

        copy_all_pages(staged.conn(), &mut self.conn).map_err(|e| {
            Error::Backup(format!(
                "The backup could not be copied into the database ({e}). The database is as it \
                 was; its copy is {}.",
                saved.display()
            ))
        })?;
        drop(staged);
        self.ensure_administrator()?;
        self.touched();

        let profiles = self.profile_total()?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        // The restored outbox is rewound: its new changes get numbers of their own (F7).
        let rotated = crate::outbox::rotate_replica(&tx)?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "backup.restore",
            &file.display().to_string(),
            serde_json::json!({
                "profiles": profiles,
                "syncReplicaRotated": rotated,
                "backupSchemaVersion": verified.schema_version,
                "savedCurrentAs": saved.display().to_string(),
                "mailSettings": if options.keep_backup_mail_settings { "backup" } else { "current" },
                "mailSettingsReset": reset,
            }),
        )?;
        tx.commit()?;
        self.reanchor_audit_tail()?;
        prune(&folder, settings.keep, &[file, &saved])?;
        let mail = match (options.keep_backup_mail_settings, reset.is_empty()) {
            (true, _) => " The e-mail settings and result addresses are the backup's.".to_string(),
            (false, true) => String::new(),
            (false, false) => format!(
                " The backup's e-mail settings were not taken: {} kept as they were.",
                if reset.len() == 1 {
                    reset[0].clone()
                } else {
                    format!("{} settings and addresses", reset.len())
                }
            ),
        };
        Ok(RestoreReport {
            restored_from: file.display().to_string(),
            profiles,
            backup_schema_version: verified.schema_version,
            saved_current_as: Some(saved.display().to_string()),
            damaged_kept_as: None,
            mail_settings_reset: reset,
            message: format!(
                "Restored {profiles} profiles from {}. The data as it was before is kept in {}.{mail}",
                file_name(file),
                file_name(&saved)
            ),
        })
    }

    fn profile_total(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}

/// Puts the backup `file` in place of the database at `db` when that database is damaged (or
/// missing): the backup is verified first and a copy of it is migrated and verified next to the
/// database; only then is the damaged file (and its `-wal`/`-shm`) kept, renamed
/// `<name>.damaged-<time>.db`, byte for byte, for support, and the proven copy renamed into
/// place (fsynced) and opened. Audited in the restored database under `user` (or its only
/// administrator). Runs with no store open, on the system clock (as [`Store::open`] does).
/// `protection`: the store's key (the backup is read and the new file written with it).
pub fn install_backup(
    db: &Path,
    file: &Path,
    user: Option<&str>,
    protection: &Protection,
) -> Result<(Store, RestoreReport)> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (verified, counts) = copy::verify_candidate(file, protection.key())?;
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_file::create_dir_all(parent)?;
    }
    let staged = Staged::prepare(file, db, &counts, None, protection.key())?;
    let kept = if db.exists() {
        Some(keep_damaged(db, clock.now_utc())?)
    } else {
        None
    };
    staged.move_to(db)?;
    let mut store = Store::open_protected(db, clock, protection.clone())?;
    crate::outbox::rotate_replica(&store.conn)?;
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
        store.reanchor_audit_tail()?;
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
        mail_settings_reset: Vec::new(),
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
            files::rename_durably(&from, &with_suffix(&kept, companion))?;
        }
    }
    files::rename_durably(db, &kept)?;
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
