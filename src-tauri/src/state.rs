//! The app's managed state: the open store and the sign-in session (who is signed in, since
//! when they were last active, whether the session is locked). The rules — passwords, the
//! first run, who may open the app without a sign-in screen, audit — are the core's
//! (`pdesk_core::users`); this only remembers the session between commands.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use pdesk_core::users::{FirstRunSetup, SignInPurpose, SignInUser, StartScreen};
use pdesk_core::{Actor, Store};

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
    store: Mutex<Store>,
    session: Mutex<Session>,
}

/// Where the app keeps its data and whom the sign-in screen preselects.
pub struct LaunchOptions {
    pub db: PathBuf,
    pub user: Option<String>,
}

impl LaunchOptions {
    /// `--db PATH` / `PROFILE_DESK_DB` override the database (tests and support use them);
    /// `--user NAME` / `PROFILE_DESK_USER` preselect that user on the sign-in screen (it
    /// never signs anyone in: the password is always asked for).
    pub fn from_env() -> Result<LaunchOptions, pdesk_core::Error> {
        let args: Vec<String> = std::env::args().collect();
        let arg = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let db = match arg("--db").or_else(|| std::env::var("PROFILE_DESK_DB").ok()) {
            Some(p) => PathBuf::from(p),
            None => pdesk_core::default_db_path(cfg!(debug_assertions))?,
        };
        let user = arg("--user").or_else(|| std::env::var("PROFILE_DESK_USER").ok());
        Ok(LaunchOptions { db, user })
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

impl AppState {
    /// The app's start: a store with exactly one user who can sign in opens as that user
    /// (SPEC 7.2; audited as a sign-in); otherwise the first-run or sign-in screen comes first,
    /// with `preselect` chosen.
    pub fn new(store: Store, preselect: Option<String>) -> AppState {
        let session = match store.sole_user() {
            Ok(Some(user)) => match store.actor(Some(&user)) {
                Ok(actor) => {
                    if let Err(e) = store.record_automatic_sign_in(&actor) {
                        eprintln!("audit: {e}");
                    }
                    Session::Active {
                        user,
                        last_seen: Instant::now(),
                        locked: false,
                    }
                }
                Err(_) => Session::SignedOut { last: preselect },
            },
            _ => Session::SignedOut { last: preselect },
        };
        AppState {
            store: Mutex::new(store),
            session: Mutex::new(session),
        }
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
        AppState {
            store: Mutex::new(store),
            session: Mutex::new(Session::Active {
                user,
                last_seen: Instant::now(),
                locked: false,
            }),
        }
    }

    fn store(&self) -> Result<MutexGuard<'_, Store>, IpcError> {
        self.store.lock().map_err(|_| poisoned())
    }

    fn session(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
        self.session.lock().map_err(|_| poisoned())
    }

    /// The database file, for components that open their own connection (the import worker).
    pub fn db_path(&self) -> Result<PathBuf, IpcError> {
        Ok(self.store()?.path().to_path_buf())
    }

    /// The store and the acting user, resolved afresh for every command so that a role change
    /// takes effect at once. Refused when nobody is signed in or the session is locked — and
    /// the session locks itself here once it has been idle longer than the store's idle lock.
    pub fn lock(&self) -> Result<(MutexGuard<'_, Store>, Actor), IpcError> {
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

fn poisoned() -> IpcError {
    IpcError {
        code: "internal",
        message: "The store is unavailable after an earlier failure; restart Profile Desk".into(),
        details: serde_json::Value::Null,
    }
}
