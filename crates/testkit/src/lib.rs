//! Profile Desk's test kit (dev-only, never shipped): what the tests of every crate share.
//!
//! - [`temp_store`]: a store in a fresh temp dir, with its administrator ([`TempStore`]);
//!   [`profile_count`] reopens a store file and counts its profiles, as a second process sees
//!   them.
//! - [`users`]: the test users every suite adds (a Sales user, a Viewer).
//! - [`hostile`]: hostile `.xlsx` files built by hand (zip bombs with honest and lying sizes, a
//!   1 GB shared-string table, cells A1 + XFD1048576, …), for the import tests and the
//!   benchmark (`crates/bench`).
//! - [`files`]: real-looking files (the benchmark's 50,000-row workbook).
//! - [`damage`]: damage to a store file that opening it never meets (the late health check).
//!
//! - [`temp_store_on`]: the same on a given clock; [`FakeClock`] (the core's) stands still until
//!   a test moves it, so tests advance time instead of sleeping.
//!
//! Use it as a dev-dependency only: `pdesk-testkit.workspace = true` under `[dev-dependencies]`.

pub mod damage;
pub mod files;
pub mod hostile;
pub mod users;

use std::path::{Path, PathBuf};

use pdesk_core::filter::ListQuery;
use std::sync::Arc;

pub use pdesk_core::clock::FakeClock;
use pdesk_core::clock::{Clock, SystemClock};
use pdesk_core::{Actor, Store};

/// A store in a fresh temp dir (`profiles.db`) and its administrator; the dir (and the store
/// file) lives as long as this value.
pub struct TempStore {
    pub store: Store,
    /// The administrator the first start creates (named after the OS user, no password).
    pub admin: Actor,
    pub dir: tempfile::TempDir,
}

impl TempStore {
    /// The store file's path (to reopen it, or to hand it to `pdesk --db`).
    pub fn db(&self) -> PathBuf {
        self.store.path().to_path_buf()
    }

    /// Closes the store and keeps its file: the temp dir (which removes it when dropped) and
    /// the file's path, for tests that run other processes on it.
    pub fn close(self) -> (tempfile::TempDir, PathBuf) {
        let db = self.db();
        drop(self.store);
        (self.dir, db)
    }
}

/// A store in a fresh temp dir, opened as the app opens it (migrated, defaults in place, one
/// administrator).
pub fn temp_store() -> TempStore {
    temp_store_on(Arc::new(SystemClock))
}

/// [`temp_store`] reading the time from `clock` (keep a handle on a [`FakeClock`] to move it:
/// `clock.advance(…)` instead of sleeping).
pub fn temp_store_on(clock: Arc<dyn Clock>) -> TempStore {
    let dir = tempfile::tempdir().expect("a temp dir for the test store");
    let store =
        Store::open_with_clock(dir.path().join("profiles.db"), clock).expect("open the test store");
    let admin = store
        .actor(None)
        .expect("the first start creates an administrator");
    TempStore { store, admin, dir }
}

/// A fresh temp dir and the path of a store file in it that does not exist yet (for tests
/// whose first step creates the store, e.g. `pdesk init`).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir for the test store");
    let db = dir.path().join("profiles.db");
    (dir, db)
}

/// How many profiles the store file at `db` holds, read through a connection of its own (as
/// another process sees them), as its administrator.
pub fn profile_count(db: &Path) -> u32 {
    let store = Store::open(db).expect("reopen the store");
    let admin = store.actor(None).expect("the store's administrator");
    store
        .count_profiles(&admin, &ListQuery::default())
        .expect("count the profiles")
        .total
}
