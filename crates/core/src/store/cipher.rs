//! Encryption at rest (issue 15, "Data at rest"): the store's file, and so its `-wal`, and its
//! backups are encrypted with SQLCipher under a random 256-bit key made for that store. The key
//! lives in the OS keychain ([`crate::keychain`], one entry per database path) and nowhere
//! else: never in a file, a log, an error message or an IPC answer ([`StoreKey`] has no
//! `Display`, its `Debug` hides it, and only this module turns it into SQL).
//!
//! A computer without a keychain (Linux with no Secret Service, as on CI) keeps its store plain
//! rather than keep the key next to the data it protects (which would protect nothing) or
//! refuse to work: [`Protection::Plain`] carries why, and the app (Settings → Backup, About)
//! and `pdesk` say so on every start. Once a keychain is there, the next start encrypts the
//! store (`backup::encrypt`).
//!
//! The key is a raw key (`x'…'`), so opening runs no password-based key derivation: a
//! connection opens as fast as a plain one (the workers, the CLI and backups open their own).

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::RngCore;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::keychain::{SecretError, Secrets};
pub use crate::model::EncryptionStatus;

/// The first 16 bytes of every plain SQLite file; an encrypted one starts with its random salt.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A store's encryption key (256 random bits, kept as 64 hex digits in the keychain).
#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey(Arc<str>);

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(hidden)")
    }
}

impl StoreKey {
    /// A new random key.
    pub fn generate() -> StoreKey {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        StoreKey(hex::encode(bytes).into())
    }

    /// A key read back from the keychain: exactly 64 hex digits (so it can never carry SQL).
    fn parse(text: &str) -> Option<StoreKey> {
        let text = text.trim();
        (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| StoreKey(text.to_ascii_lowercase().into()))
    }

    /// Keys `conn` (the first statement on a new connection): SQLCipher then reads and writes
    /// every page encrypted.
    pub(crate) fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", self.0))
    }

    /// The clause that attaches a database under this key: `KEY "x'…'"`.
    pub(crate) fn attach_clause(&self) -> String {
        format!("KEY \"x'{}'\"", self.0)
    }
}

/// How a store's file is kept on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protection {
    /// Encrypted with this key (or about to be, when the file is still plain).
    Encrypted(StoreKey),
    /// Plain, and why (shown to users as it is).
    Plain(String),
}

impl Protection {
    pub fn key(&self) -> Option<&StoreKey> {
        match self {
            Protection::Encrypted(key) => Some(key),
            Protection::Plain(_) => None,
        }
    }

    /// What to tell users about it.
    pub fn status(&self) -> EncryptionStatus {
        match self {
            Protection::Encrypted(_) => EncryptionStatus::encrypted(),
            Protection::Plain(why) => EncryptionStatus {
                encrypted: false,
                message: why.clone(),
            },
        }
    }
}

/// The keychain service the keys of stores are kept under: one for every build, since each
/// entry names its database's path (a development build and `pdesk` on the same file find the
/// same key).
pub const KEYCHAIN_SERVICE: &str = "com.profiledesk.app";

/// `PROFILE_DESK_KEYCHAIN=off` makes the app and `pdesk` act as on a computer without a
/// keychain: the store stays plain, and they say so at every start. The tests of the real
/// binaries set it so that they never write to the keychain of the computer they run on.
pub const KEYCHAIN_SWITCH: &str = "PROFILE_DESK_KEYCHAIN";

/// Where the app and `pdesk` keep stores' keys: the OS keychain (unless switched off, see
/// [`KEYCHAIN_SWITCH`]).
pub fn store_keychain() -> Box<dyn Secrets> {
    match std::env::var(KEYCHAIN_SWITCH).as_deref() {
        Ok("off") => Box::new(crate::keychain::NoKeychain::switched_off()),
        _ => Box::new(crate::keychain::OsKeychain::new(KEYCHAIN_SERVICE)),
    }
}

/// The keychain entry of the key of the database at `db` (one per database file).
pub fn key_entry(db: &Path) -> String {
    format!("database-key:{}", absolute(db).display())
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether the file at `path` is a plain SQLite database (or empty / missing: a new store).
pub fn is_plain_file(path: &Path) -> std::io::Result<bool> {
    let mut header = [0u8; 16];
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e),
    };
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(read == 0 || &header == PLAIN_HEADER)
}

/// The protection of the database at `db`: its key from the keychain, or a new key kept there
/// first (a new store, or a plain one about to be encrypted). Without a keychain a plain (or
/// new) store stays plain, with the reason; an encrypted store whose key is missing is an
/// error that says so.
pub fn protection_for(db: &Path, secrets: &dyn Secrets) -> Result<Protection> {
    let entry = key_entry(db);
    let plain = is_plain_file(db)?;
    let no_key = || {
        Error::Schema(format!(
            "{} is encrypted and this computer's keychain has no key for it (entry “{entry}”), so \
             Profile Desk cannot read it. Start Profile Desk where the store was made, or \
             restore a backup of it that this computer can open.",
            db.display()
        ))
    };
    let unavailable = |why: String| -> Result<Protection> {
        match plain {
            true => Ok(Protection::Plain(without_keychain(&why))),
            false => Err(no_key()),
        }
    };
    match secrets.get(&entry) {
        Ok(Some(text)) => match StoreKey::parse(&text) {
            Some(key) => Ok(Protection::Encrypted(key)),
            None => Err(Error::Schema(format!(
                "The keychain entry “{entry}” does not hold a Profile Desk key; it was not \
                 changed. Remove it only if {} is not encrypted.",
                db.display()
            ))),
        },
        Ok(None) if !plain => Err(no_key()),
        Ok(None) => {
            let key = StoreKey::generate();
            let kept = secrets
                .set(&entry, &key.0)
                .and_then(|()| secrets.get(&entry));
            match kept {
                // Read back: a keychain that silently dropped the key must not get a store
                // encrypted with it.
                Ok(Some(back)) if StoreKey::parse(&back).as_ref() == Some(&key) => {
                    Ok(Protection::Encrypted(key))
                }
                Ok(_) => unavailable("the keychain did not give the new key back".into()),
                Err(SecretError::Unavailable(why) | SecretError::Failed(why)) => unavailable(why),
            }
        }
        Err(SecretError::Unavailable(why) | SecretError::Failed(why)) => unavailable(why),
    }
}

/// The sentence users see for a store kept plain because no keychain could keep its key.
fn without_keychain(why: &str) -> String {
    let why: String = crate::keychain::system_words(why)
        .chars()
        .take(160)
        .collect();
    format!(
        "The database is NOT encrypted: this computer has no keychain to keep its key in (on \
         Linux, start a Secret Service such as GNOME Keyring or KWallet), and a key kept next \
         to the data would protect nothing. It will be encrypted at the first start with a \
         keychain. Until then, protect the computer's disk. (The system said: {why})"
    )
}

/// Opens `path` with `flags`, keyed when `key` is given. The key is checked at once: a wrong
/// key or a missing one fails here with "file is not a database", not at some later read.
pub(crate) fn open_connection(
    path: &Path,
    flags: OpenFlags,
    key: Option<&StoreKey>,
) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    // The probe below is the connection's first read: it waits for a writer's moment of
    // exclusivity (a checkpoint of another process) like every later statement does.
    conn.busy_timeout(std::time::Duration::from_secs(15))?;
    // SQLCipher logs a failed page check to stderr; a wrong key is answered as an error here.
    conn.execute_batch("PRAGMA cipher_log_level = NONE")?;
    if let Some(key) = key {
        key.apply(&conn)?;
        // Memory security wipes and locks every allocation SQLCipher frees: measured on a quiet
        // machine it cost the 50,000-row import +30 % (BENCHMARKS.md, "Encryption at rest");
        // without it, −1 to +1 %. What it protects against — a memory dump of this process
        // finding freed pages — would find the key itself in the same process.
        conn.execute_batch("PRAGMA cipher_memory_security = OFF")?;
    }
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}

/// True for the error SQLite gives when a file cannot be read with the key it was given (or
/// without one).
pub(crate) fn is_wrong_key(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase)
}
