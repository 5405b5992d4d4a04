//! Encrypting a plain store at its first start with a keychain (issue 15, "Data at rest"):
//!
//! 1. the store is taken for this process alone (out of WAL mode, which SQLite allows only
//!    with no other connection open: a running `pdesk` or app makes it wait for a later start);
//! 2. a verified backup of it is written (`before-upgrade`);
//! 3. `sqlcipher_export` copies it into an encrypted file next to it, which is verified
//!    (`integrity_check`, every table's row count against the plain store's, its schema
//!    exactly the one our migrations make) and fsynced;
//! 4. that file is renamed over the store (the swap of `restore.rs`: one rename, the folder
//!    fsynced);
//! 5. the plain backups in the backup folder, that one included, are encrypted the same way
//!    (each verified before it replaces its plain self), so no plain copy of the customers
//!    stays behind.
//!
//! The key is in the keychain before step 1 (`store::cipher::protection_for`). A crash at any
//! step leaves a store that opens: before the rename it is the plain store as it was (the
//! next start begins again, the leftover copy is overwritten), after it the encrypted one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};
use time::OffsetDateTime;

use super::copy::{self, table_counts, Written};
use super::{list_backups, load_settings, new_name, prune, writable_folder, BackupKind};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::keychain::Secrets;
use crate::store::cipher::{is_plain_file, protection_for};
use crate::store::{private_file, Protection, Store, StoreKey};

/// What encrypting a plain store did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedStore {
    /// The verified backup taken first (itself encrypted at the end).
    pub backup: PathBuf,
    pub profiles: u64,
    /// Plain backups of the folder that were encrypted (the one above included).
    pub backups_encrypted: u32,
    /// The sentence to show.
    pub message: String,
}

/// Opens the store at `db` as the app and `pdesk` do: its key from `secrets` (made and kept
/// there for a new store), a plain store encrypted first when a keychain is there. Answers the
/// store and, when something happened that users should hear of (the store was encrypted, or
/// could not be), what to tell them.
pub fn open_store(
    db: &Path,
    secrets: &dyn Secrets,
    clock: Arc<dyn Clock>,
) -> Result<(Store, Option<String>)> {
    let (protection, notice) = protect(db, secrets, clock.now_utc())?;
    Ok((Store::open_protected(db, clock, protection)?, notice))
}

/// The protection to open `db` with, after encrypting it when it is still plain and a key is
/// there. When the encryption cannot be done now (another program has the store open), the
/// store is opened plain this time, and the notice says why.
pub(crate) fn protect(
    db: &Path,
    secrets: &dyn Secrets,
    now: OffsetDateTime,
) -> Result<(Protection, Option<String>)> {
    let protection = protection_for(db, secrets)?;
    let key = match &protection {
        Protection::Encrypted(key) if needs_encryption(db)? => key.clone(),
        _ => return Ok((protection, None)),
    };
    match encrypt_plain_store(db, &key, now) {
        Ok(done) => Ok((protection, Some(done.message))),
        // Swapped, and a later step (a plain backup) failed: the store is encrypted.
        Err(e) if !is_plain_file(db)? => Ok((
            protection,
            Some(format!(
                "Profile Desk encrypted this database, but not all of its backups: {e}"
            )),
        )),
        Err(e) => {
            let why = format!(
                "The database is NOT encrypted yet: encrypting it failed ({e}). It is as it \
                 was, and Profile Desk tries again at the next start."
            );
            Ok((Protection::Plain(why.clone()), Some(why)))
        }
    }
}

/// A plain database with data in it (a new or empty file is simply created encrypted).
fn needs_encryption(db: &Path) -> Result<bool> {
    let len = match std::fs::metadata(db) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    Ok(len > 0 && is_plain_file(db)?)
}

/// Encrypts the plain store at `db` with `key` (see the module doc for the steps). `now` names
/// the backup. Refused, with the store untouched, when another connection has it open.
pub fn encrypt_plain_store(
    db: &Path,
    key: &StoreKey,
    now: OffsetDateTime,
) -> Result<EncryptedStore> {
    let plain = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    plain.busy_timeout(std::time::Duration::from_secs(5))?;
    // Out of WAL mode: folds the log into the file and succeeds only when no other connection
    // is open. Then the exclusive locking mode keeps the lock its first read takes: nobody
    // writes to the plain file while (or after) it is copied.
    let mode: String = plain
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap_or_default();
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(Error::conflict(
            "databaseOpenElsewhere",
            serde_json::json!({ "path": db.display().to_string() }),
            format!(
                "another program (Profile Desk or pdesk) has {} open; close it",
                db.display()
            ),
        ));
    }
    plain.execute_batch("PRAGMA locking_mode = EXCLUSIVE")?;

    let settings = load_settings(db);
    let folder = PathBuf::from(&settings.folder);
    writable_folder(&folder)?;
    let backup = folder.join(new_name(&folder, now, BackupKind::BeforeUpgrade));
    let written = copy::write_backup(&plain, &backup, None)?;

    let temp = sibling(db, "encrypting");
    let result = export_encrypted(&plain, &temp, key).and_then(|_| {
        // Closed before the swap: Windows renames no file over one that is open.
        plain.close().map_err(|(_, e)| e)?;
        crate::files::publish(&temp, db)?;
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result?;
    let backups_encrypted = encrypt_plain_backups(&folder, key)?;
    prune(&folder, settings.keep, &[&backup])?;
    Ok(EncryptedStore {
        message: format!(
            "Profile Desk encrypted this database ({} profiles) with a key kept in this \
             computer's keychain; {backups_encrypted} backups were encrypted with it. A \
             verified copy as it was is kept (encrypted) in {}.",
            written.profiles,
            backup.display()
        ),
        backup,
        profiles: written.profiles,
        backups_encrypted,
    })
}

/// `<folder>/.<name>.<what>-<pid>.partial`: a hidden temp file next to `path`.
fn sibling(path: &Path, what: &str) -> PathBuf {
    path.with_file_name(format!(
        ".{}.{what}-{}.partial",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ))
}

/// Copies the plain database behind `plain` into a new encrypted file `dest` with
/// `sqlcipher_export`, then verifies it: opened with the key, `integrity_check`, the schema of
/// its version and the row count of every table equal to the source's. Fsynced.
fn export_encrypted(plain: &Connection, dest: &Path, key: &StoreKey) -> Result<Written> {
    let _ = std::fs::remove_file(dest);
    private_file::create(dest)?;
    let expected: BTreeMap<String, u64> = table_counts(plain)?;
    let version: u32 = plain.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
    plain.execute(
        &format!("ATTACH DATABASE ?1 AS encrypted {}", key.attach_clause()),
        [dest.to_string_lossy()],
    )?;
    let exported = plain
        .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
        .and_then(|()| {
            // `sqlcipher_export` copies schema and rows, not the header's schema version.
            plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version}"))
        });
    plain.execute_batch("DETACH DATABASE encrypted")?;
    exported?;
    std::fs::File::open(dest)?.sync_all()?;
    let (verified, found) = copy::verify_candidate(dest, Some(key))?;
    if found != expected || verified.schema_version != version {
        return Err(Error::Backup(format!(
            "The encrypted copy of {} does not hold the same rows as the database; nothing was \
             changed.",
            dest.display()
        )));
    }
    Ok(Written {
        profiles: expected.get("profiles").copied().unwrap_or(0),
        rows: expected.values().sum(),
        tables: expected.len() as u32,
    })
}

/// Encrypts every plain backup in `folder` with `key`, each through a verified temp copy
/// renamed over it. Returns how many were encrypted.
fn encrypt_plain_backups(folder: &Path, key: &StoreKey) -> Result<u32> {
    let mut done = 0;
    for entry in list_backups(folder)? {
        let path = PathBuf::from(&entry.path);
        if !is_plain_file(&path)? {
            continue;
        }
        let temp = sibling(&path, "encrypting");
        let result = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(Error::from)
        .and_then(|plain| export_encrypted(&plain, &temp, key))
        .and_then(|_| {
            crate::files::publish(&temp, &path)?;
            Ok(())
        });
        if let Err(e) = result {
            let _ = std::fs::remove_file(&temp);
            return Err(Error::Backup(format!(
                "The backup {} could not be encrypted ({e}); it is kept as it was.",
                path.display()
            )));
        }
        done += 1;
    }
    Ok(done)
}

/// Converts the plain database file `plain_file` (which no connection may be writing) into the
/// new encrypted, verified file `dest`: a restore's staged copy into an encrypted store, the
/// benchmark's encrypted twin of its plain store.
pub fn encrypted_copy_of(plain_file: &Path, dest: &Path, key: &StoreKey) -> Result<()> {
    // Read-write: an attached database takes the main one's flags.
    let plain = Connection::open_with_flags(
        plain_file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    export_encrypted(&plain, dest, key).map(drop)
}
