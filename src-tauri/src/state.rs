//! The app's managed state: the store (once the start-up check has opened it), the sign-in
//! session (who is signed in, since when they were last active, whether the session is
//! locked) and how the app was launched. The rules — passwords, the first run, who may open
//! the app without a sign-in screen, audit — are the core's (`pdesk_core::users`); this only
//! remembers the session between commands.
//!
//! The store is opened off the main thread (see `startup.rs`): the window paints at once while
//! the store opens (after an unclean exit, once `quick_check` has read the whole file: seconds
//! for a million profiles). Until then every command waits; when the database is damaged there
//! is no store at all — commands answer with the code `damaged` and the UI shows the recovery
//! screen — so nothing can write to it.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use pdesk_core::backup::{
    AutoBackupStatus, DamageReport, RestoreReport, StartCheck, StartupStatus,
};
use pdesk_core::clock::{Clock, SystemClock};
use pdesk_core::store::Protection;
use pdesk_core::users::{FirstRunSetup, SignInPurpose, SignInUser, StartScreen};
use pdesk_core::{Actor, PageCache, Store};

use crate::error::IpcError;

enum Session {
    /// Nobody is signed in: the first-run or sign-in screen. `last` is preselected there.
    SignedOut { last: Option<String> },
    /// `user` is signed in; `locked` after the idle time or "Lock now".
    Active {
        user: String,
        last_seen: Instant,
        locked: bool,
    },
}

pub struct AppState {
    launch: LaunchOptions,
    store: Mutex<Slot>,
    opened: Condvar,
    session: Mutex<Session>,
    auto_backup: Mutex<AutoBackupStatus>,
    /// The open store's clock, for the connections the workers open (kept apart from the
    /// store so that reading it never waits for a command holding the store).
    clock: Mutex<Arc<dyn Clock>>,
    /// The open store's key (or why it is plain), for the same connections.
    protection: Mutex<Protection>,
    /// The list's first page has been handed to the window: the start's deferred work (the
    /// health check after a clean exit, the workers, the daily backup) waits for it.
    first_page: Milestone,
    /// That deferred work is done: the workers run, or the late check found damage.
    started: Milestone,
}

/// A moment of the start that other threads wait for (once reached, it stays reached).
#[derive(Default)]
struct Milestone {
    reached: Mutex<bool>,
    changed: Condvar,
}

impl Milestone {
    fn reach(&self) {
        let mut reached = self.reached.lock().unwrap_or_else(|p| p.into_inner());
        if !*reached {
            *reached = true;
            self.changed.notify_all();
        }
    }

    /// Waits until it is reached or `at_most` has passed; whether it was reached.
    fn wait(&self, at_most: Duration) -> bool {
        let reached = self.reached.lock().unwrap_or_else(|p| p.into_inner());
        let (reached, _) = self
            .changed
            .wait_timeout_while(reached, at_most, |reached| !*reached)
            .unwrap_or_else(|p| p.into_inner());
        *reached
    }
}

/// Where the store is in its start.
enum Slot {
    Opening,
    Ready {
        store: Store,
        /// Told once to the UI (e.g. the copy kept before an upgrade).
        notice: Option<String>,
    },
    Damaged(DamageReport),
    Failed(IpcError),
}

/// The open store, borrowed from the state for one command.
pub struct StoreGuard<'a>(MutexGuard<'a, Slot>);

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        match &*self.0 {
            Slot::Ready { store, .. } => store,
            _ => unreachable!("a StoreGuard is only made for a ready store"),
        }
    }
}

/// When a command is done with the store, the keychain's record of the audit log's end moves
/// forward to what it (or a worker meanwhile) audited: one indexed read, and a keychain call
/// only when the log grew (`backup::audit_tail`). Never fails the command.
impl Drop for StoreGuard<'_> {
    fn drop(&mut self) {
        if let Slot::Ready { store, .. } = &*self.0 {
            let _ = store.refresh_audit_tail();
        }
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        match &mut *self.0 {
            Slot::Ready { store, .. } => store,
            _ => unreachable!("a StoreGuard is only made for a ready store"),
        }
    }
}

/// Where the app keeps its data and whom the sign-in screen preselects.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    pub db: PathBuf,
    pub user: Option<String>,
    /// `--demo`: a separate database of generated profiles.
    pub demo: bool,
    /// When the database's health check runs: before opening unless the last run on this
    /// database closed it cleanly (`instance.rs` knows).
    pub start_check: StartCheck,
}

impl LaunchOptions {
    /// `--db PATH` / `PROFILE_DESK_DB` override the database (tests and support use them);
    /// `--demo` opens demo mode's own database instead (never together with `--db`);
    /// `--user NAME` / `PROFILE_DESK_USER` preselect that user on the sign-in screen (it
    /// never signs anyone in: the password is always asked for).
    pub fn from_args(args: &[String]) -> Result<LaunchOptions, pdesk_core::Error> {
        let arg = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let demo = args.iter().any(|a| a == "--demo");
        let dev = cfg!(debug_assertions);
        let db =
            match (demo, arg("--db")) {
                (true, Some(_)) => return Err(pdesk_core::Error::conflict(
                    "demoWithDb",
                    serde_json::Value::Null,
                    "--demo opens its own database of generated profiles; it cannot be combined \
                     with --db",
                )),
                (true, None) => pdesk_core::demo::demo_db_path(dev)?,
                (false, Some(p)) => PathBuf::from(p),
                (false, None) => match std::env::var("PROFILE_DESK_DB") {
                    Ok(p) => PathBuf::from(p),
                    Err(_) => pdesk_core::default_db_path(dev)?,
                },
            };
        let user = arg("--user").or_else(|| std::env::var("PROFILE_DESK_USER").ok());
        Ok(LaunchOptions {
            db,
            user,
            demo,
            start_check: StartCheck::Now,
        })
    }
}

fn locked_error() -> IpcError {
    IpcError {
        code: "locked",
        message: "The session is locked; enter your password to go on".into(),
        details: serde_json::Value::Null,
    }
}

fn signed_out_error() -> IpcError {
    IpcError {
        code: "signedOut",
        message: "Sign in to Profile Desk first".into(),
        details: serde_json::Value::Null,
    }
}

/// The app's own connection serves the list, the detail and the counts: a browsing-sized page
/// cache (the workers' connections keep the working size for imports and sync).
fn browsing(store: &mut Store) {
    if let Err(e) = store.set_page_cache(PageCache::Browse) {
        eprintln!("Profile Desk: the list's page cache keeps its size: {e}");
    }
}

impl AppState {
    /// A state whose store is opened later, by the start-up thread (`set_ready` and friends).
    pub fn opening(launch: LaunchOptions) -> AppState {
        let last = launch.user.clone();
        AppState {
            launch,
            store: Mutex::new(Slot::Opening),
            opened: Condvar::new(),
            session: Mutex::new(Session::SignedOut { last }),
            auto_backup: Mutex::new(AutoBackupStatus::NotDue),
            clock: Mutex::new(Arc::new(SystemClock)),
            protection: Mutex::new(Protection::Plain("The store is not open yet.".into())),
            first_page: Milestone::default(),
            started: Milestone::default(),
        }
    }

    /// The app's start on an open store (the IPC tests hand one in): see [`AppState::set_ready`].
    pub fn new(store: Store, preselect: Option<String>) -> AppState {
        let state = AppState::opening(LaunchOptions {
            db: store.path().to_path_buf(),
            user: preselect,
            demo: false,
            start_check: StartCheck::Now,
        });
        state.set_ready(store, None);
        state
    }

    /// Signed in as `user` from the start (`None`: the store's only administrator) — for the
    /// IPC tests, which act as a given user without the sign-in screen.
    pub fn signed_in(store: Store, user: Option<String>) -> AppState {
        let user = match user {
            Some(u) => u,
            None => store
                .actor(None)
                .map(|a| a.name)
                .unwrap_or_else(|_| "admin".into()),
        };
        let state = AppState::opening(LaunchOptions {
            db: store.path().to_path_buf(),
            user: None,
            demo: false,
            start_check: StartCheck::Now,
        });
        if let Ok(mut session) = state.session.lock() {
            *session = Session::Active {
                user,
                last_seen: Instant::now(),
                locked: false,
            };
        }
        state.set_slot(Slot::Ready {
            store,
            notice: None,
        });
        state
    }

    /// The store is open: the first-run or sign-in screen comes first — a user with a password
    /// types it at every start, even the store's only user, so a lost or shared laptop does not
    /// open on the customers (issue 15; quitting from the lock screen does not get past it).
    /// The sign-in screen preselects the launch's user, else the only user. Demo mode opens as
    /// the demo store's administrator: its generated store has no password to ask for.
    pub fn set_ready(&self, store: Store, notice: Option<String>) {
        let demo_admin = match self.launch.demo {
            true => store.actor(None).ok().map(|a| a.name),
            false => None,
        };
        if let Some(user) = demo_admin {
            if let Ok(mut session) = self.session.lock() {
                *session = Session::Active {
                    user,
                    last_seen: Instant::now(),
                    locked: false,
                };
            }
        } else if let Ok(Some(user)) = store.sole_user() {
            if let Ok(mut session) = self.session.lock() {
                if let Session::SignedOut { last: last @ None } = &mut *session {
                    *last = Some(user);
                }
            }
        }
        self.set_slot(Slot::Ready { store, notice });
    }

    pub fn set_damaged(&self, report: DamageReport) {
        self.set_slot(Slot::Damaged(report));
    }

    pub fn set_failed(&self, error: IpcError) {
        self.set_slot(Slot::Failed(error));
    }

    fn set_slot(&self, mut slot: Slot) {
        if let Slot::Ready { store, .. } = &mut slot {
            self.remember_connection(store);
            browsing(store);
        }
        *self.slot() = slot;
        self.opened.notify_all();
    }

    pub fn launch(&self) -> &LaunchOptions {
        &self.launch
    }

    pub fn is_opening(&self) -> bool {
        matches!(&*self.slot(), Slot::Opening)
    }

    /// Waits for the start-up check to finish.
    fn opened(&self) -> Result<MutexGuard<'_, Slot>, IpcError> {
        let guard = self.slot();
        let guard = self
            .opened
            .wait_while(guard, |s| matches!(s, Slot::Opening))
            .unwrap_or_else(|poisoned| self.recovered(poisoned.into_inner()));
        Ok(guard)
    }

    /// The store's slot, also after a command panicked while holding it: one panic must not
    /// lock every later command out. The store itself is consistent — the panic unwound
    /// through the command's transaction, which rolled back (and `recover_after_panic` ends one
    /// the unwinding left open) — so the slot is taken back and the poison cleared.
    fn slot(&self) -> MutexGuard<'_, Slot> {
        match self.store.lock() {
            Ok(guard) => guard,
            Err(poisoned) => self.recovered(poisoned.into_inner()),
        }
    }

    fn recovered<'a>(&self, guard: MutexGuard<'a, Slot>) -> MutexGuard<'a, Slot> {
        if let Slot::Ready { store, .. } = &*guard {
            eprintln!("Profile Desk: a command failed on an internal error; the store goes on");
            store.recover_after_panic();
        }
        self.store.clear_poison();
        guard
    }

    /// The open store (waiting for the start-up check); `damaged` while the database is.
    pub fn store(&self) -> Result<StoreGuard<'_>, IpcError> {
        let slot = self.opened()?;
        match &*slot {
            Slot::Ready { .. } => Ok(StoreGuard(slot)),
            Slot::Damaged(report) => Err(damaged(report)),
            Slot::Failed(e) => Err(e.clone()),
            Slot::Opening => Err(poisoned()),
        }
    }

    /// The session, also after a panic while it was held (it holds no half-made change: each
    /// update assigns a whole new value).
    fn session(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
        Ok(self.session.lock().unwrap_or_else(|poisoned| {
            self.session.clear_poison();
            poisoned.into_inner()
        }))
    }

    /// The database file, for components that open their own connection (the import worker).
    pub fn db_path(&self) -> Result<PathBuf, IpcError> {
        Ok(self.launch.db.clone())
    }

    /// A connection of its own to the app's database, on the app store's clock, for work that
    /// may take long outside the database (an SMTP send): the commands after it do not wait
    /// for the app's store meanwhile. Take the acting user from [`AppState::lock`] first.
    pub fn connection(&self) -> Result<Store, IpcError> {
        // With the store's key, as the workers open theirs: opened plain, an encrypted store
        // (every store on a computer with a keychain) refused the connection, and Send test
        // e-mail and Retry failed with "opened without its key".
        Ok(Store::open_protected(
            &self.launch.db,
            self.clock(),
            self.protection(),
        )?)
    }

    /// The clock for components that open their own connection: the open store's (the system
    /// clock, unless a test handed in a store on a fake one).
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock
            .lock()
            .map(|c| Arc::clone(&c))
            .unwrap_or_else(|_| Arc::new(SystemClock))
    }

    /// The open store's key, for components that open their own connection to it.
    pub fn protection(&self) -> Protection {
        self.protection
            .lock()
            .map(|p| p.clone())
            .unwrap_or_else(|_| Protection::Plain("The store is not open.".into()))
    }

    /// Keeps what the workers' own connections need of the open store: its clock and key.
    fn remember_connection(&self, store: &Store) {
        if let Ok(mut clock) = self.clock.lock() {
            *clock = Arc::clone(store.clock());
        }
        if let Ok(mut protection) = self.protection.lock() {
            *protection = store.protection().clone();
        }
    }

    /// The window was handed the list's first page (the start's deferred work may begin).
    pub fn first_page_served(&self) {
        self.first_page.reach();
    }

    /// Waits for the list's first page, at most `at_most` (nobody may sign in for a while).
    pub fn wait_for_first_page(&self, at_most: Duration) {
        self.first_page.wait(at_most);
    }

    /// The start's deferred work is done (see `startup.rs`).
    pub fn start_finished(&self) {
        self.started.reach();
    }

    /// Waits until the start's deferred work is done, at most `at_most`; whether it is.
    pub fn wait_for_start(&self, at_most: Duration) -> bool {
        self.started.wait(at_most)
    }

    /// How the start went (waiting for the check). The notice is handed out once.
    pub fn startup_status(&self) -> Result<StartupStatus, IpcError> {
        let mut slot = self.opened()?;
        match &mut *slot {
            Slot::Ready { notice, .. } => Ok(StartupStatus::Ready {
                notice: notice.take(),
                auto_backup: self.auto_backup(),
            }),
            Slot::Damaged(report) => Ok(StartupStatus::Damaged {
                report: report.clone(),
            }),
            Slot::Failed(e) => Err(e.clone()),
            Slot::Opening => Err(poisoned()),
        }
    }

    /// Replaces a damaged database with a backup (the damaged file is kept), then the app goes
    /// on with the restored store. Only while damaged: a healthy store restores in place.
    pub fn recover(&self, file: &std::path::Path) -> Result<RestoreReport, IpcError> {
        let slot = self.opened()?;
        if !matches!(&*slot, Slot::Damaged(_)) {
            return Err(IpcError::from(pdesk_core::Error::conflict(
                "notDamaged",
                serde_json::Value::Null,
                "The database is not damaged: restore a backup from Settings → Backup",
            )));
        }
        drop(slot);
        let db = &self.launch.db;
        let protection =
            pdesk_core::store::cipher::protection_for(db, &*crate::startup::store_keychain())?;
        let (store, report) =
            pdesk_core::backup::install_backup(db, file, self.launch.user.as_deref(), &protection)?;
        self.set_ready(store, None);
        Ok(report)
    }

    pub fn auto_backup(&self) -> AutoBackupStatus {
        self.auto_backup
            .lock()
            .map(|a| a.clone())
            .unwrap_or_default()
    }

    pub fn set_auto_backup(&self, value: AutoBackupStatus) {
        if let Ok(mut a) = self.auto_backup.lock() {
            *a = value;
        }
    }

    /// The store and the acting user, resolved afresh for every command so that a role change
    /// takes effect at once. Refused when nobody is signed in or the session is locked — and
    /// the session locks itself here once it has been idle longer than the store's idle lock.
    pub fn lock(&self) -> Result<(StoreGuard<'_>, Actor), IpcError> {
        let store = self.store()?;
        let mut session = self.session()?;
        let Session::Active {
            user,
            last_seen,
            locked,
        } = &mut *session
        else {
            return Err(signed_out_error());
        };
        if *locked {
            return Err(locked_error());
        }
        let idle = Duration::from_secs(u64::from(store.idle_lock_minutes()?) * 60);
        let actor = store.actor(Some(user))?;
        if last_seen.elapsed() >= idle {
            *locked = true;
            store.record_session_end(&actor, true)?;
            return Err(locked_error());
        }
        drop(session);
        Ok((store, actor))
    }

    /// The user was active (input in the window): the idle time starts again. Answers what
    /// the window should show (the lock screen when the idle time had already passed).
    pub fn touch(&self) -> Result<StartScreen, IpcError> {
        // The store's guard must be released before the session and the screen are read.
        let active = self.lock().map(drop);
        match active {
            Ok(()) => {
                if let Session::Active { last_seen, .. } = &mut *self.session()? {
                    *last_seen = Instant::now();
                }
                self.start_screen()
            }
            Err(e) if e.code == "locked" || e.code == "signedOut" => self.start_screen(),
            Err(e) => Err(e),
        }
    }

    /// What the window shows now: first run, sign-in, the lock screen, or the app.
    pub fn start_screen(&self) -> Result<StartScreen, IpcError> {
        let store = self.store()?;
        let session = self.session()?;
        Ok(match &*session {
            Session::Active { user, locked, .. } => {
                let actor = store.actor(Some(user))?;
                if *locked {
                    StartScreen::Locked {
                        user: SignInUser {
                            name: actor.name.clone(),
                            display_name: actor.display_name.clone(),
                        },
                    }
                } else {
                    StartScreen::Ready {
                        session: actor.session(),
                        idle_lock_minutes: store.idle_lock_minutes()?,
                    }
                }
            }
            Session::SignedOut { last } => {
                if store.needs_first_run()? {
                    store.first_run_screen()?
                } else {
                    StartScreen::SignIn {
                        users: store.sign_in_users()?,
                        preselect: last.clone(),
                    }
                }
            }
        })
    }

    fn begin(&self, actor: &Actor) -> Result<StartScreen, IpcError> {
        *self.session()? = Session::Active {
            user: actor.name.clone(),
            last_seen: Instant::now(),
            locked: false,
        };
        self.start_screen()
    }

    /// The first run (a new store): sets up the administrator, who is then signed in.
    pub fn complete_first_run(&self, setup: &FirstRunSetup) -> Result<StartScreen, IpcError> {
        let actor = self.store()?.complete_first_run(setup)?;
        self.begin(&actor)
    }

    /// Signs `name` in with their password (only when nobody is signed in).
    pub fn sign_in(&self, name: &str, password: &str) -> Result<StartScreen, IpcError> {
        if matches!(&*self.session()?, Session::Active { .. }) {
            return Err(IpcError {
                code: "conflict",
                message: "Someone is signed in; sign out first".into(),
                details: serde_json::Value::Null,
            });
        }
        let actor = self
            .store()?
            .sign_in(name, password, SignInPurpose::SignIn)?;
        self.begin(&actor)
    }

    /// Unlocks the locked session with the signed-in user's password.
    pub fn unlock(&self, password: &str) -> Result<StartScreen, IpcError> {
        let user = match &*self.session()? {
            Session::Active { user, .. } => user.clone(),
            Session::SignedOut { .. } => return Err(signed_out_error()),
        };
        let actor = self
            .store()?
            .sign_in(&user, password, SignInPurpose::Unlock)?;
        self.begin(&actor)
    }

    /// "Lock now" (or the window's own idle timer): the session stays, the password reopens it.
    pub fn lock_now(&self) -> Result<StartScreen, IpcError> {
        let store = self.store()?;
        let mut session = self.session()?;
        if let Session::Active { user, locked, .. } = &mut *session {
            if !*locked {
                *locked = true;
                let actor = store.actor(Some(user))?;
                store.record_session_end(&actor, true)?;
            }
        }
        drop(session);
        drop(store);
        self.start_screen()
    }

    /// Ends the session (audited); the sign-in screen preselects the user who left.
    pub fn sign_out(&self) -> Result<StartScreen, IpcError> {
        let store = self.store()?;
        let mut session = self.session()?;
        if let Session::Active { user, .. } = &*session {
            let user = user.clone();
            if let Ok(actor) = store.actor(Some(&user)) {
                store.record_session_end(&actor, false)?;
            }
            *session = Session::SignedOut { last: Some(user) };
        }
        drop(session);
        drop(store);
        self.start_screen()
    }
}

#[cfg(test)]
impl AppState {
    /// Moves the last activity `by` into the past, as if the user had been away that long.
    pub fn age_session(&self, by: Duration) {
        if let Ok(mut session) = self.session.lock() {
            if let Session::Active { last_seen, .. } = &mut *session {
                if let Some(earlier) = last_seen.checked_sub(by) {
                    *last_seen = earlier;
                }
            }
        }
    }
}

fn damaged(report: &DamageReport) -> IpcError {
    IpcError {
        code: "damaged",
        message: format!(
            "The database is damaged and is not used until a backup is restored ({})",
            report.problem
        ),
        details: serde_json::to_value(report).unwrap_or_default(),
    }
}

fn poisoned() -> IpcError {
    IpcError {
        code: "internal",
        message: "The store is unavailable after an earlier failure; restart Profile Desk".into(),
        details: serde_json::Value::Null,
    }
}
