//! One client: a real store on its own SQLite file in a temp dir, on its own fake clock, with
//! the real engine talking to the proxy. What a nemesis does to a laptop is here: a crash
//! between a push sent and its answer recorded (the store dropped, the file reopened), a
//! restore of an older backup of its database (F7: a new replica), a skewed clock.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use pdesk_core::backup::RestoreOptions;
use pdesk_core::clock::FakeClock;
use pdesk_core::keychain::MemorySecrets;
use pdesk_core::sync::ServerTrust;
use pdesk_core::{Actor, Store};
use pdesk_server::clock::ManualClock;
use pdesk_sync::client::Client;
use pdesk_sync::engine::Auth;
use pdesk_sync::{Engine, Pause, RoundReport, SyncResult};
use time::OffsetDateTime;

use super::proxy::{Fault, Proxy, Route};
use super::server::{PASSWORD, T0_MS};

pub struct Laptop {
    pub dir: tempfile::TempDir,
    pub clock: Arc<FakeClock>,
    /// `None` only for the instant of a crash.
    store: Option<Store>,
    pub admin: Actor,
    /// The device's refresh token: a keychain outlives a crash and a restore.
    pub secrets: Arc<MemorySecrets>,
    /// Backups of this store, oldest first (the files the app's daily backup leaves).
    pub backups: Vec<PathBuf>,
    /// Hours this laptop's clock is off the server's (the nemesis moves it).
    pub skew_hours: i64,
}

fn at_ms(ms: u64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
}

impl Laptop {
    /// A new store, connected to the server behind `proxy` as `user`.
    pub fn connect(n: usize, proxy: &Proxy, user: &str) -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FakeClock::new(at_ms(T0_MS)));
        let mut store = Store::open_with_clock(dir.path().join("profiles.db"), clock.clone())
            .expect("open the laptop's store");
        let admin = store.actor(None).unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        pdesk_sync::connect(
            &mut store,
            &admin,
            &*secrets,
            &proxy.url,
            user,
            PASSWORD,
            &format!("laptop {n}"),
            &ServerTrust::default(),
        )
        .expect("connect the laptop");
        Laptop {
            dir,
            clock,
            store: Some(store),
            admin,
            secrets,
            backups: Vec::new(),
            skew_hours: 0,
        }
    }

    pub fn store(&mut self) -> &mut Store {
        self.store.as_mut().expect("the store is open")
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("profiles.db")
    }

    /// This laptop's clock follows the server's, off by its skew (a laptop's clock runs on
    /// while the test's world moves; skew is what the nemesis sets).
    pub fn follow(&self, server_ms: u64) {
        let ms = server_ms as i64 + self.skew_hours * 3_600_000;
        self.clock.set(at_ms(ms as u64));
    }

    /// The engine's waits (429, 503, in_progress) move the clocks instead of sleeping.
    fn pause(&self, server: &Arc<ManualClock>) -> Pause {
        let server = server.clone();
        let clock = self.clock.clone();
        Arc::new(move |d: Duration| {
            server.advance(d.as_millis() as u64);
            clock.advance(time::Duration::milliseconds(d.as_millis() as i64));
        })
    }

    /// One round of the engine with the proxy armed with `faults`.
    pub fn round(
        &mut self,
        proxy: &Proxy,
        server_clock: &Arc<ManualClock>,
        route: Route,
        faults: &[Fault],
    ) -> SyncResult<RoundReport> {
        let pause = self.pause(server_clock);
        let secrets = self.secrets.clone();
        let store = self.store.as_mut().expect("the store is open");
        proxy.arm(route, faults);
        let result = Engine::for_store(store, &*secrets).and_then(|engine| {
            let mut engine = engine.with_pause(pause);
            engine.round(store, 0)
        });
        proxy.disarm();
        result
    }

    /// The user's *Discard* of every change the server refused (Remote CDP → refused
    /// changes): the profile goes back to the server's version (SYNC.md F14). Answers the
    /// gids of the profiles it touched.
    pub fn discard_refused(&mut self, server_clock: &Arc<ManualClock>) -> Vec<String> {
        let pause = self.pause(server_clock);
        let secrets = self.secrets.clone();
        let admin = self.admin.clone();
        let store = self.store.as_mut().expect("the store is open");
        let refused = store.sync_rejections(&admin).unwrap();
        let mut engine = Engine::for_store(store, &*secrets)
            .unwrap()
            .with_pause(pause);
        for r in &refused {
            engine
                .discard_rejected(store, &admin, &r.op_id)
                .expect("discard a refused change");
        }
        refused.into_iter().filter_map(|r| r.gid).collect()
    }

    /// A crash after the next batch went up and before its answer was recorded: the batch is
    /// taken (its ops in flight), sent through the proxy (with `fault`), and the process dies
    /// — the store is dropped without a word — then the file is opened again (F6).
    pub fn crash_mid_push(&mut self, proxy: &Proxy, server_clock: &Arc<ManualClock>, fault: Fault) {
        let pause = self.pause(server_clock);
        let secrets = self.secrets.clone();
        let store = self.store.as_mut().expect("the store is open");
        if let (Ok(Some(cursor)), Ok(Some(batch))) =
            (store.sync_cursor(), store.sync_next_batch(50))
        {
            let client = Client::new(&cursor.server_url, &cursor.trust).unwrap();
            let mut auth = Auth::new(&cursor.device_id, &*secrets).with_pause(pause);
            proxy.arm(Route::Push, &[fault]);
            let _ = auth.call(&client, |c, t| c.push(t, &batch));
            proxy.disarm();
        }
        self.reopen();
    }

    /// The process dies and starts again: the store is dropped and the file opened anew.
    pub fn reopen(&mut self) {
        drop(self.store.take());
        let store =
            Store::open_with_clock(self.db(), self.clock.clone()).expect("reopen after a crash");
        self.store = Some(store);
    }

    /// The app's backup (a verified copy in the store's backup folder).
    pub fn backup(&mut self) {
        self.clock.advance(time::Duration::seconds(1));
        let admin = self.admin.clone();
        let folder = self.dir.path().join("backups");
        let report = self
            .store()
            .backup_plan(&admin)
            .unwrap()
            .into_folder(folder)
            .run()
            .expect("back up the laptop");
        self.backups.push(PathBuf::from(report.entry.path));
    }

    /// Restores backup `which` (modulo those kept): the outbox goes back in time, and the store
    /// must number its new ops under a new replica (F7). Answers whether it did restore.
    pub fn restore(&mut self, which: usize) -> bool {
        self.backups.retain(|b| b.exists());
        if self.backups.is_empty() {
            return false;
        }
        let file = self.backups[which % self.backups.len()].clone();
        let admin = self.admin.clone();
        self.store()
            .restore_backup(&admin, &file, RestoreOptions::default())
            .expect("restore the laptop's backup");
        true
    }
}
