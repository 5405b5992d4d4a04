//! Writing a consistent copy of the database and verifying a copy.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::files::{self, TempFile};
use crate::store::cipher::{self, is_plain_file, open_connection};
use crate::store::{private_file, StoreKey, SCHEMA_VERSION};

/// Tables every Profile Desk database has since schema 1.
const REQUIRED_TABLES: &[&str] = &["settings", "users", "fields", "profiles", "audit_log"];

/// How long a copy waits for a writer holding the lock before it gives up (busy steps).
const BUSY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// What went into a copy.
pub(crate) struct Written {
    pub profiles: u64,
    pub rows: u64,
    pub tables: u32,
}

/// A backup file that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBackup {
    pub path: PathBuf,
    pub schema_version: u32,
    pub profiles: u64,
}

/// Row counts of every ordinary table (virtual tables are counted through their shadow tables).
pub(crate) fn table_counts(conn: &Connection) -> rusqlite::Result<BTreeMap<String, u64>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = BTreeMap::new();
    for name in names {
        let quoted = name.replace('"', "\"\"");
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{quoted}\""), [], |r| {
            r.get(0)
        })?;
        counts.insert(name, n as u64);
    }
    Ok(counts)
}

/// Copies the database behind `source` into `dest` (which must not exist), consistent, fsynced
/// and verified, via a hidden temp file in the same folder (`.<name>.partial`, owner-only and
/// held by this writer: `files`) that is published at the very end. `key`: the source's key;
/// the copy is encrypted with it (SQLite's backup API copies pages between databases of the
/// same key only), plain when `None`.
pub(crate) fn write_backup(
    source: &Connection,
    dest: &Path,
    key: Option<&StoreKey>,
) -> Result<Written> {
    let folder = dest.parent().unwrap_or(Path::new("."));
    let result = TempFile::claim(files::hidden_temp(dest, "")).and_then(|temp| {
        let written = copy_verified(source, temp.path(), key)?;
        temp.publish(dest)?;
        Ok(written)
    });
    result.map_err(|e| match e {
        Error::Backup(_) => e,
        other => Error::Backup(format!(
            "The backup into {} failed: {other}. No backup was written.",
            folder.display()
        )),
    })
}

fn copy_verified(source: &Connection, temp: &Path, key: Option<&StoreKey>) -> Result<Written> {
    let expected = {
        // One read transaction around the counts AND the copy: both see the same snapshot
        // (the backup API reuses a read transaction the source connection already holds).
        // A reader's transaction (deferred), never the store's default IMMEDIATE: writers go on
        // while the copy is made.
        let snapshot =
            rusqlite::Transaction::new_unchecked(source, rusqlite::TransactionBehavior::Deferred)?;
        let counts = table_counts(&snapshot)?;
        let mut dest = open_connection(
            temp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            key,
        )?;
        copy_all_pages(source, &mut dest)?;
        snapshot.rollback()?;
        // The copy carries the source's WAL flag; a backup is one self-contained file.
        let mode: String = dest.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(Error::Backup(format!(
                "The backup copy could not be made self-contained (journal mode {mode})"
            )));
        }
        dest.close().map_err(|(_, e)| e)?;
        counts
    };
    let found = verify(temp, key)?;
    for (table, n) in &expected {
        let got = found.counts.get(table).copied().unwrap_or(0);
        if got != *n {
            return Err(Error::Backup(format!(
                "The backup copy does not match the database (table {table}: {n} rows in the \
                 database, {got} in the copy). No backup was written."
            )));
        }
    }
    Ok(Written {
        profiles: expected.get("profiles").copied().unwrap_or(0),
        rows: expected.values().sum(),
        tables: expected.len() as u32,
    })
}

/// Copies every page of `source` into `dest` in one step (so in one read transaction).
pub(crate) fn copy_all_pages(source: &Connection, dest: &mut Connection) -> Result<()> {
    let started = std::time::Instant::now();
    let backup = Backup::new(source, dest)?;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ => {
                // Busy or locked: a writer holds the lock for a moment.
                if started.elapsed() > BUSY_PATIENCE {
                    return Err(Error::Backup(
                        "The database stayed busy (another program is writing to it); try again \
                         in a moment"
                            .into(),
                    ));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }
}

/// What `verify` found in a sound file.
struct Found {
    schema_version: u32,
    counts: BTreeMap<String, u64>,
}

/// The key to read the file at `path` with: none for a plain file, else the store's `key`.
/// Reads the file's header: only for files no connection of this process has open (backups,
/// or the store before it is opened).
pub(crate) fn key_for_file<'k>(path: &Path, key: Option<&'k StoreKey>) -> Option<&'k StoreKey> {
    match is_plain_file(path) {
        Ok(true) => None,
        _ => key,
    }
}

/// Opens `path` read-only and checks that it is a sound Profile Desk database this version can
/// open: SQLite header (or this store's encryption), `integrity_check`, schema version, the
/// core tables. `key`: the store's key, for an encrypted file.
fn verify(path: &Path, key: Option<&StoreKey>) -> Result<Found> {
    let refuse = |why: String| refusal(path, why);
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut header))
        .map_err(|e| refuse(format!("it cannot be read ({e})")))?;
    let plain = read >= 16 && &header == b"SQLite format 3\0";
    if read < 16 || (!plain && key.is_none()) {
        return Err(refuse(
            "it is not a database file (or one encrypted, and this store has no key)".into(),
        ));
    }
    let key = if plain { None } else { key };
    let conn =
        super::vet::open_untrusted(path, key).map_err(|e| match cipher::is_wrong_key(&e) {
            true => refuse(
                "it is not a database file, or one encrypted with another store's key (a backup \
             opens only with the key of the store that made it)"
                    .into(),
            ),
            false if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                refuse(format!("it is damaged ({e})"))
            }
            false => refuse(format!("it cannot be opened ({e})")),
        })?;
    let problems = integrity_problems(&conn, "integrity_check")
        .map_err(|e| refuse(format!("it is damaged ({e})")))?;
    if let Some(first) = problems.first() {
        return Err(refuse(format!(
            "it is damaged ({first}{})",
            if problems.len() > 1 {
                format!(", and {} more problems", problems.len() - 1)
            } else {
                String::new()
            }
        )));
    }
    let schema_version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if schema_version > SCHEMA_VERSION {
        return Err(refuse(format!(
            "it was written by a newer version of Profile Desk (schema {schema_version}; this \
             version knows up to {SCHEMA_VERSION}). Update Profile Desk to restore it"
        )));
    }
    let counts = table_counts(&conn).map_err(|e| refuse(format!("it cannot be read ({e})")))?;
    let missing: Vec<&str> = REQUIRED_TABLES
        .iter()
        .copied()
        .filter(|t| !counts.contains_key(*t))
        .collect();
    if schema_version == 0 || !missing.is_empty() {
        return Err(refuse(format!(
            "it is an SQLite database but not one of Profile Desk (missing {})",
            if missing.is_empty() {
                "its schema version".to_string()
            } else {
                missing.join(", ")
            }
        )));
    }
    Ok(Found {
        schema_version,
        counts,
    })
}

/// "`path` is not a usable Profile Desk backup: `why`. Nothing was changed."
pub(crate) fn refusal(path: &Path, why: String) -> Error {
    Error::Backup(format!(
        "{} is not a usable Profile Desk backup: {why}. Nothing was changed.",
        path.display()
    ))
}

/// Checks that `path` is a sound Profile Desk backup this version can restore, without changing
/// it: opened defensively with an untrusted schema, `integrity_check`, schema version, core
/// tables, and a schema exactly as this build's migrations make it at that version.
/// `key`: the store's key, which opens its encrypted backups.
pub fn verify_backup_file(path: &Path, key: Option<&StoreKey>) -> Result<VerifiedBackup> {
    verify_candidate(path, key).map(|(verified, _)| verified)
}

/// [`verify_backup_file`], and the row count of every table of the file.
pub(crate) fn verify_candidate(
    path: &Path,
    key: Option<&StoreKey>,
) -> Result<(VerifiedBackup, BTreeMap<String, u64>)> {
    let found = verify(path, key)?;
    let conn = super::vet::open_untrusted(path, key_for_file(path, key))
        .map_err(|e| refusal(path, format!("it cannot be opened ({e})")))?;
    let differences = super::vet::schema_differences(&conn, found.schema_version)?;
    if !differences.is_empty() {
        return Err(refusal(
            path,
            format!(
                "its schema is not the one Profile Desk writes (schema {}): it has {}",
                found.schema_version,
                differences.join(", ")
            ),
        ));
    }
    let verified = VerifiedBackup {
        path: path.to_path_buf(),
        schema_version: found.schema_version,
        profiles: found.counts.get("profiles").copied().unwrap_or(0),
    };
    Ok((verified, found.counts))
}

/// A connection that cannot write the file (no checkpoint, no recovery written back), keyed
/// with `key`. (Pass `key_for_file` for a file that may be plain and that no connection of
/// this process has open: reading its header closes a descriptor, which would drop their
/// locks.)
pub(crate) fn open_read_only(path: &Path, key: Option<&StoreKey>) -> rusqlite::Result<Connection> {
    let conn = open_connection(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// The problems `PRAGMA integrity_check` / `quick_check` reports (empty when "ok").
pub(crate) fn integrity_problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let rows: Vec<String> = conn
        .prepare(&format!("PRAGMA {pragma}"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" {
        Vec::new()
    } else {
        rows
    })
}

/// Writes `bytes` to `path` through a temp file and [`files::publish`], so `path` always holds
/// either the old or the new content.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    private_file::create_dir_all(folder)?;
    files::write_then_publish(path, files::hidden_temp(path, ""), |temp| {
        private_file::create(temp)?.write_all(bytes)?;
        Ok(())
    })
}
