//! The local store: one SQLite file, opened by the app, the CLI and the tests alike through
//! [`Store::open`]. Migrations are embedded, numbered and tracked in `user_version`.

pub mod cipher;
mod functions;
mod insert_many;
mod memo;
mod migrations;
pub mod private_file;
mod runner;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};

pub use cipher::{EncryptionStatus, Protection, StoreKey};
pub(crate) use insert_many::insert_many;
pub(crate) use memo::Memos;
pub use migrations::SCHEMA_VERSION;
pub(crate) use migrations::{migrate, migrate_to};
pub(crate) use runner::{runner_label, Runner};

/// An open Profile Desk database.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// Where every timestamp this store writes comes from (see [`crate::clock`]).
    clock: Arc<dyn Clock>,
    /// Bumped by every write made through this store, so caches built from the data (the list's
    /// position index) know when they are stale. Writes by other processes are seen through
    /// SQLite's `data_version`.
    generation: AtomicU64,
    /// What the features keep per open store (the list's position indexes, the import's
    /// checked files).
    pub(crate) memos: Memos,
    /// The name this handle writes on the jobs it claims (see `job_queue`).
    runner: Runner,
    /// The key the file is encrypted with, or why it is plain (see [`cipher`]).
    protection: Protection,
    /// The connection's page cache between pieces of work (see [`PageCache`]).
    page_cache: PageCache,
}

impl Store {
    /// Opens (creating if needed) the store at `path`, applies pending migrations and makes sure
    /// the defaults exist, including one administrator named after the OS user.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Self::open_with_clock(path, Arc::new(SystemClock))
    }

    /// [`Store::open`] with the time read from `clock` (a [`crate::clock::FakeClock`] in
    /// tests), from the first timestamp written on. The file is opened plain (tests, the
    /// benchmark, demo mode); the app and `pdesk` open through [`Store::open_protected`].
    pub fn open_with_clock(path: impl AsRef<Path>, clock: Arc<dyn Clock>) -> Result<Store> {
        let why = "This database was opened without encryption (tests, benchmark or demo mode).";
        Self::open_protected(path, clock, Protection::Plain(why.into()))
    }

    /// Opens (creating if needed) the store at `path` as `protection` says: keyed with its
    /// [`StoreKey`] when encrypted. The file is made (or narrowed to) owner-only before SQLite
    /// opens it, so that SQLite's `-wal` and `-shm`, which take the database's mode, are too.
    pub fn open_protected(
        path: impl AsRef<Path>,
        clock: Arc<dyn Clock>,
        protection: Protection,
    ) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        private_file::create_if_missing(&path)?;
        for companion in ["-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(companion);
            private_file::restrict(Path::new(&name))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = cipher::open_connection(&path, flags, protection.key())
            .map_err(|e| unreadable(&path, &protection, e))?;
        Self::from_connection(conn, path.clone(), clock, protection).map_err(|e| {
            if e.is_storage_fault() {
                // Migrations commit step by step: the next start goes on from the last one.
                Error::Internal(format!(
                    "The database {} could not be opened: the disk is full or failing ({e}). \
                     Nothing in it was lost; free some disk space (or check the disk) and \
                     start again.",
                    path.display()
                ))
            } else {
                e
            }
        })
    }

    /// An in-memory store (tests of migrations and rules that need no file).
    pub fn open_in_memory() -> Result<Store> {
        Self::open_in_memory_with_clock(Arc::new(SystemClock))
    }

    /// [`Store::open_in_memory`] with the time read from `clock`.
    pub fn open_in_memory_with_clock(clock: Arc<dyn Clock>) -> Result<Store> {
        Self::from_connection(
            Connection::open_in_memory()?,
            PathBuf::from(":memory:"),
            clock,
            Protection::Plain("An in-memory database is never written to disk.".into()),
        )
    }

    fn from_connection(
        mut conn: Connection,
        path: PathBuf,
        clock: Arc<dyn Clock>,
        protection: Protection,
    ) -> Result<Store> {
        configure(&conn)?;
        // Write transactions take the write lock when they begin. A deferred one starts as a
        // reader and, if another connection (the import worker, the CLI, a backup's audit
        // entry) commits before its first write, fails at once with "database is locked": the
        // busy timeout cannot help a stale snapshot. Beginning IMMEDIATE waits its turn instead.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        migrations::migrate(&mut conn)?;
        let store = Store {
            conn,
            path,
            clock,
            generation: AtomicU64::new(0),
            memos: Memos::default(),
            runner: Runner::new(),
            protection,
            page_cache: PageCache::Work,
        };
        store.ensure_administrator()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key this store's file is encrypted with, or why it is plain.
    pub fn protection(&self) -> &Protection {
        &self.protection
    }

    /// Whether this store is encrypted at rest, in words.
    pub fn encryption(&self) -> EncryptionStatus {
        self.protection.status()
    }

    /// The clock this store reads the time from.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Reads the time from `clock` from now on (a test moving a store opened elsewhere onto a
    /// [`crate::clock::FakeClock`]).
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// The name this handle claims jobs under.
    pub(crate) fn runner(&self) -> &Runner {
        &self.runner
    }

    /// The current time by this store's clock.
    pub fn now_utc(&self) -> time::OffsetDateTime {
        self.clock.now_utc()
    }

    /// The current time by this store's clock, as stored in the database
    /// (`2026-11-28T15:35:29.123Z`, see [`crate::clock::format`]).
    pub fn now(&self) -> String {
        crate::clock::format(self.now_utc())
    }

    /// The schema version this store is at.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Marks the data as changed by this store (see `generation`): the caches built from the
    /// data are rebuilt on next use (the benchmark calls it to measure cold reads).
    pub fn touched(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    /// A value that changes whenever the data may have changed, by this store or another
    /// connection to the same file.
    pub(crate) fn data_stamp(&self) -> Result<(u64, i64)> {
        let data_version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((self.generation.load(Ordering::Relaxed), data_version))
    }

    /// After a panic unwound through work on this store (a command, a worker's job): rolls back
    /// a transaction the unwinding left open (rusqlite's `Transaction` rolls back when dropped;
    /// a `BEGIN` issued as SQL may not have been) and drops the caches built meanwhile, so the
    /// next user of the store starts from the last commit.
    pub fn recover_after_panic(&self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        self.touched();
    }

    /// Creates the first administrator when the store has no user yet.
    pub(crate) fn ensure_administrator(&self) -> Result<()> {
        let any: Option<i64> = self
            .conn
            .query_row("SELECT id FROM users LIMIT 1", [], |r| r.get(0))
            .optional()?;
        if any.is_none() {
            let name = default_admin_name();
            self.conn.execute(
                "INSERT INTO users(name, display_name, role_id, created_at) VALUES (?1, ?2, 1, ?3)",
                (&name, &name, self.now()),
            )?;
        }
        Ok(())
    }

    /// A setting's raw value.
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

/// The server this store syncs with (its URL), if it is connected: the server that manages the
/// field catalogue, the consent channels and the rule's settings meanwhile (SYNC.md §4.2), and
/// where a delete made here also goes.
pub fn sync_server(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT server_url FROM sync_state WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Refuses a local change to settings the server manages while this store syncs with it:
/// `what` names them ("The field catalogue").
pub(crate) fn refuse_if_managed(conn: &Connection, what: &str) -> Result<()> {
    match sync_server(conn)? {
        Some(url) => Err(Error::conflict(
            "managedByServer",
            serde_json::json!({ "what": what, "host": host_of(&url) }),
            format!(
                "{what} is managed by {} while this computer syncs with it: an administrator \
                 changes it on the server",
                host_of(&url)
            ),
        )),
        None => Ok(()),
    }
}

/// A server URL as people say it: its host (`https://cdp.example.vn/` → `cdp.example.vn`).
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/')
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or(url)
}

/// Writes one setting (insert or replace) inside the caller's transaction.
pub(crate) fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        rusqlite::params![key, value],
    )?;
    Ok(())
}

/// How much of the file a connection keeps in memory (SQLite's page cache, per connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageCache {
    /// 64 MB: imports, dry runs and sync rounds revisit the match indexes' pages; what every
    /// connection opens with (the CLI, the app's workers).
    Work,
    /// 8 MB: the app's own connection, which serves the list, the detail and the counts. A
    /// million profiles' counts and scrolling filled the 64 MB cache and the app's process
    /// kept it (issue 18: its memory with 1,000,000 profiles); what such a connection would
    /// read again is its position indexes and counts, which the list caches itself, and a
    /// page of rows is a few hundred pages.
    Browse,
}

impl PageCache {
    fn kib(self) -> u32 {
        match self {
            PageCache::Work => 64 * 1024,
            PageCache::Browse => 8 * 1024,
        }
    }
}

impl Store {
    /// Sets the connection's page cache from now on (a smaller one frees what is above it).
    pub fn set_page_cache(&mut self, cache: PageCache) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{}", cache.kib()))?;
        self.page_cache = cache;
        Ok(())
    }

    /// Gives back the memory the connection's page cache holds (`PRAGMA shrink_memory`): for
    /// a worker's connection when its work is done, so an import of a million rows does not
    /// leave 64 MB with the app until the next one.
    pub fn release_page_cache(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// Runs `work` with the connection's page cache limited to `kib`, then restores the
    /// connection's own: for work that reads each page once, where a large cache only holds
    /// memory.
    pub(crate) fn with_page_cache<T>(
        &self,
        kib: u32,
        work: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib}"))?;
        let out = work();
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{}", self.page_cache.kib()))?;
        out
    }
}

/// The error of a database that could not be opened: a file SQLCipher cannot read with the
/// key given (or without one) is named as such, with what to do.
fn unreadable(path: &Path, protection: &Protection, e: rusqlite::Error) -> Error {
    if !cipher::is_wrong_key(&e) {
        return e.into();
    }
    let plain = cipher::is_plain_file(path).unwrap_or(false);
    Error::Schema(match (protection, plain) {
        (Protection::Plain(_), false) => format!(
            "{} is encrypted and was opened without its key: open it with Profile Desk or \
             `pdesk` on the computer whose keychain holds the key.",
            path.display()
        ),
        (Protection::Encrypted(_), false) => format!(
            "The key in this computer's keychain does not open {} (entry “{}”): the file was \
             encrypted with another key. Restore a backup of this store.",
            path.display(),
            cipher::key_entry(path)
        ),
        (_, true) => format!(
            "{} is not a Profile Desk database SQLite can read ({e}).",
            path.display()
        ),
    })
}

/// The administrator's name on first start: the OS user, else "admin".
fn default_admin_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty() && v.len() <= 64)
        .unwrap_or_else(|| "admin".to_string())
}

/// Connection settings: WAL for concurrent readers and crash safety, foreign keys enforced,
/// a larger page cache for list and import work, a busy timeout so the CLI and the app can
/// share the file, a cap on the log file left after a large import's checkpoint, and
/// `secure_delete = FAST`: deleted content (a deleted profile, redacted import cells) is zeroed
/// in the pages it leaves rather than kept in free space.
///
/// `synchronous = FULL`: every commit is fsynced before it returns. Many commits are followed by
/// a side effect outside the database — an export file published, a mail sent, a delete told
/// to the user — and their audit entry must survive a power cut that follows (with `NORMAL`, a
/// WAL commit is only durable at the next checkpoint). One fsync per commit costs little here:
/// an import commits every 5,000 rows, an export every chunk, and a user's command once
/// (measured: `pdesk import` of the benchmark's 50,000-row file makes 23 fsyncs instead of 7,
/// 30 ms in all instead of 23 ms, on an import of seconds).
fn configure(conn: &Connection) -> Result<()> {
    // Long enough for the other connection's longest write — a dry run on a large store holds
    // the write lock for a few seconds — so that waiting, not failing, is what users see.
    conn.busy_timeout(std::time::Duration::from_secs(15))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if mode != "wal" && mode != "memory" {
        return Err(Error::Schema(format!(
            "could not switch the database to WAL mode ({mode})"
        )));
    }
    let work_cache = PageCache::Work.kib();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;
         PRAGMA cache_size = -{work_cache};
         PRAGMA temp_store = MEMORY;
         PRAGMA journal_size_limit = 67108864;
         PRAGMA secure_delete = FAST;"
    ))?;
    // Query plans must not depend on bound values. Without this, SQLite marks statements such as
    // `… WHERE e164 = ?1 ORDER BY profile_id` as worth re-planning for each new value, and the
    // statement cache's `clear_bindings` then re-prepares them at every use: measured at a
    // sixth of an import's time. The store keeps no statistics that would make plans differ.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    // An import's update of one profile runs ~25 distinct statements; with rusqlite's default
    // cache of 16, each row would evict and prepare some of them again.
    conn.set_prepared_statement_cache_capacity(128);
    // `rarray(?)` lets list pages fetch rows for a set of ids by primary key in one query.
    rusqlite::vtab::array::load_module(conn)?;
    // `pdesk_fold(text)`: the search folding, for the filter's accent-insensitive text tests.
    functions::register(conn)?;
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    if fk != 1 {
        return Err(Error::Schema(
            "this SQLite build cannot enforce foreign keys".into(),
        ));
    }
    Ok(())
}

/// The default location of the app's database: `<OS data folder>/<identifier>/profiles.db`
/// (Tauri's app-data folder). Development builds use their own identifier so that testing
/// never touches a user's data.
pub fn default_db_path(dev: bool) -> Result<PathBuf> {
    // The local (not roaming) folder: on Windows a roaming profile would copy the customers
    // to every computer the user signs in to (and to the domain's server). Elsewhere both are
    // the same folder. A store left in the roaming folder by an older version is moved by
    // `backup::relocate`.
    let base = dirs::data_local_dir()
        .ok_or_else(|| Error::Internal("the OS data folder could not be determined".into()))?;
    Ok(base.join(app_identifier(dev)).join("profiles.db"))
}

/// The app identifier (as in `tauri.conf.json`), with `.dev` for development builds.
pub fn app_identifier(dev: bool) -> &'static str {
    if dev {
        "com.profiledesk.app.dev"
    } else {
        "com.profiledesk.app"
    }
}

#[cfg(test)]
mod tests {
    use super::PageCache;

    #[test]
    fn a_browsing_connection_keeps_its_small_cache_after_work_that_asked_for_another() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = super::Store::open(dir.path().join("profiles.db")).unwrap();
        let kib = |store: &super::Store| -> i64 {
            -store
                .conn
                .query_row("PRAGMA cache_size", [], |r| r.get::<_, i64>(0))
                .unwrap()
        };
        assert_eq!(
            kib(&store),
            64 * 1024,
            "every connection opens with the working size"
        );
        store.set_page_cache(PageCache::Browse).unwrap();
        assert_eq!(kib(&store), 8 * 1024);
        let inside = store.with_page_cache(2 * 1024, || Ok(kib(&store))).unwrap();
        assert_eq!(inside, 2 * 1024);
        assert_eq!(
            kib(&store),
            8 * 1024,
            "restored to the connection's own, not the default"
        );
        store.release_page_cache().unwrap();
        assert_eq!(kib(&store), 8 * 1024);
    }

    #[test]
    fn every_commit_is_fsynced_before_it_returns() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::Store::open(dir.path().join("profiles.db")).unwrap();
        let level: i64 = store
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(level, 2, "synchronous = FULL (see `configure`)");
    }

    /// A deleted profile's content is zeroed in the file, not left in free pages (issue 15.11).
    #[test]
    fn deleted_content_is_zeroed_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::Store::open(dir.path().join("profiles.db")).unwrap();
        let mode: i64 = store
            .conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, 2, "secure_delete = FAST (see `configure`)");
    }
}
