//! The real server (`pdesk_server::http::router`) on a temp-dir SQLite file — or a fresh
//! database of the test cluster when `PDESK_TEST_POSTGRES` is set, as the server's own tests —
//! on a hand-moved clock. What a nemesis does to a server is here too: a backup, a restore from
//! an older backup (a new epoch: SYNC.md §9 F9), GC.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pdesk_server::clock::ManualClock;
use pdesk_server::db::Database;
use pdesk_server::http::Server;
use pdesk_server::{accounts, admin, ids, meta};

pub const PASSWORD: &str = "correct horse 1";
/// 2026-12-02T10:00:00Z, the server's clock at the start of every case.
pub const T0_MS: u64 = 1_796_205_600_000;

/// When set (`cargo xtask test` sets it for its PostgreSQL run), the server runs on a new
/// database of this cluster instead of a SQLite file.
pub const POSTGRES_ENV: &str = "PDESK_TEST_POSTGRES";

/// Storage work on a plain thread: the PostgreSQL client blocks on a runtime of its own.
pub fn off_runtime<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| scope.spawn(f).join().unwrap())
}

pub struct ServerSide {
    pub dir: tempfile::TempDir,
    /// The server the proxy forwards to: swapped for a new one (same storage) after a restore,
    /// as an administrator restarts it after `pdesk-server restore`.
    pub current: Arc<Mutex<Arc<Server>>>,
    pub clock: Arc<ManualClock>,
    /// SQLite only: where the file is, to reopen it after a restore.
    file: Option<PathBuf>,
    backups: Vec<PathBuf>,
}

fn new_database(dir: &std::path::Path) -> (Database, Option<PathBuf>) {
    match std::env::var(POSTGRES_ENV) {
        Ok(admin_url) => off_runtime(|| {
            let name = format!(
                "m_{}",
                &ids::new_token().to_lowercase().replace(['-', '_'], "")[..20]
            );
            let mut client = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            let (base, _) = admin_url.rsplit_once('/').unwrap();
            (Database::open(&format!("{base}/{name}")).unwrap(), None)
        }),
        Err(_) => {
            let file = dir.join("server.db");
            (Database::open(file.to_str().unwrap()).unwrap(), Some(file))
        }
    }
}

impl ServerSide {
    /// A new server with `admin` (Administrator: may delete) and `lan` (Sales: may not, so
    /// her deletes come back refused — and must be listed, not lost).
    pub fn new() -> ServerSide {
        let dir = tempfile::tempdir().unwrap();
        let (db, file) = new_database(dir.path());
        off_runtime(|| {
            admin::init(&db, "admin", PASSWORD, T0_MS).unwrap();
            db.write(|sql| accounts::add_user(sql, "lan", "Sales", PASSWORD, T0_MS))
                .unwrap();
        });
        let clock = Arc::new(ManualClock::at(T0_MS));
        let server = Server::new(db, clock.clone());
        ServerSide {
            dir,
            current: Arc::new(Mutex::new(server)),
            clock,
            file,
            backups: Vec::new(),
        }
    }

    pub fn server(&self) -> Arc<Server> {
        self.current.lock().unwrap().clone()
    }

    pub fn now_ms(&self) -> u64 {
        use pdesk_server::clock::Clock;
        self.clock.now_ms()
    }

    /// Storage work on the current database (checks, counts), off any runtime.
    pub fn db<R: Send>(&self, f: impl FnOnce(&Database) -> R + Send) -> R {
        let server = self.server();
        off_runtime(|| f(&server.db))
    }

    pub fn on_postgres(&self) -> bool {
        self.file.is_none()
    }

    /// `pdesk-server backup` (SQLite; PostgreSQL is backed up with pg_dump, not here).
    pub fn backup(&mut self) {
        if self.on_postgres() {
            return;
        }
        let dir = self
            .dir
            .path()
            .join(format!("backup-{}", self.backups.len()));
        let now = self.now_ms();
        let file = self.db(|db| admin::backup(db, &dir, now).unwrap());
        self.backups.push(file);
    }

    /// `pdesk-server restore` of backup `which` (modulo those made), then a restart. With no
    /// backup (or on PostgreSQL, where pg_restore is out of reach) only the epoch turns — the
    /// clients still go through F9 (ask how far the server has each replica, resend, download
    /// again). Answers whether data went back in time.
    pub fn restore(&mut self, which: usize) -> bool {
        let now = self.now_ms();
        let from =
            (!self.backups.is_empty()).then(|| self.backups[which % self.backups.len()].clone());
        let restored = from.is_some() && !self.on_postgres();
        self.db(|db| match from.as_deref().filter(|_| restored) {
            Some(file) => admin::restore(db, Some(file), now).map(drop).unwrap(),
            // What `restore` does after pg_restore: only the epoch turns.
            None => db
                .write(|sql| meta::rotate_epoch(sql, now))
                .map(drop)
                .unwrap(),
        });
        if let Some(file) = &self.file {
            let db = Database::open(file.to_str().unwrap()).unwrap();
            *self.current.lock().unwrap() = Server::new(db, self.clock.clone());
        }
        restored
    }

    /// `pdesk-server gc` with a horizon of 0 days: every tombstone and receipt goes (what a
    /// long-running server does to the old ones). Answers the op ids whose receipts went.
    pub fn gc(&self) -> Vec<String> {
        let now = self.now_ms();
        self.db(|db| {
            let gone = db
                .read(|sql| sql.query("SELECT op_id FROM receipts", &[]))
                .unwrap()
                .iter()
                .map(|r| r.text(0))
                .collect();
            admin::gc(db, 0, now).unwrap();
            gone
        })
    }
}
