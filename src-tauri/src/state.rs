//! The app's managed state: the open store and who is signed in.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use pdesk_core::{Actor, Store};

use crate::error::IpcError;

pub struct AppState {
    store: Mutex<Store>,
    /// The signed-in user's name; `None` means the store's only administrator.
    user: Option<String>,
}

/// Where the app keeps its data and as whom it acts, from the command line and environment.
pub struct LaunchOptions {
    pub db: PathBuf,
    pub user: Option<String>,
}

impl LaunchOptions {
    /// `--db PATH` / `PROFILE_DESK_DB` override the database (tests and support use them);
    /// `--user NAME` / `PROFILE_DESK_USER` choose the acting user until sign-in exists.
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

impl AppState {
    pub fn new(store: Store, user: Option<String>) -> AppState {
        AppState {
            store: Mutex::new(store),
            user,
        }
    }

    /// The signed-in user's name (`None`: the store's only administrator).
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The database file, for components that open their own connection (the import worker).
    pub fn db_path(&self) -> Result<PathBuf, IpcError> {
        let store = self.store.lock().map_err(|_| poisoned())?;
        Ok(store.path().to_path_buf())
    }

    /// The store and the acting user, resolved afresh for every command so that a role change
    /// takes effect at once.
    pub fn lock(&self) -> Result<(MutexGuard<'_, Store>, Actor), IpcError> {
        let store = self.store.lock().map_err(|_| poisoned())?;
        let actor = store.actor(self.user.as_deref())?;
        Ok((store, actor))
    }
}

fn poisoned() -> IpcError {
    IpcError {
        code: "internal",
        message: "The store is unavailable after an earlier failure; restart Profile Desk".into(),
        details: serde_json::Value::Null,
    }
}
