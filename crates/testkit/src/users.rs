//! The test users the suites add to a store: a Sales user and a Viewer (the administrator comes
//! with every store: [`crate::TempStore::admin`], or [`administrator`]). Their names are the
//! ones the suites use, so a test can also act as them by name (`pdesk --user sam`,
//! `AppState::signed_in(store, Some(VIEWER.into()))`).

use pdesk_core::{Actor, Store};

use crate::TempStore;

/// The Sales user's name.
pub const SALES: &str = "sam";
/// The Viewer's name.
pub const VIEWER: &str = "vera";

/// The store's administrator, as a fresh store has it (the only one, without a password).
pub fn administrator(store: &Store) -> Actor {
    store
        .actor(None)
        .expect("the store's only administrator (a fresh store has one)")
}

/// Adds user `name` with `role` (a built-in role: "Administrator", "Sales", "Viewer", or one
/// the test created), as `admin`; returns the new user's actor.
pub fn add(store: &mut Store, admin: &Actor, name: &str, role: &str) -> Actor {
    store
        .add_user(admin, name, role)
        .unwrap_or_else(|e| panic!("add the test user {name} ({role}): {e}"))
}

/// Adds the Sales user [`SALES`], as the store's [`administrator`].
pub fn add_sales(store: &mut Store) -> Actor {
    let admin = administrator(store);
    add(store, &admin, SALES, "Sales")
}

/// Adds the Viewer [`VIEWER`], as the store's [`administrator`].
pub fn add_viewer(store: &mut Store) -> Actor {
    let admin = administrator(store);
    add(store, &admin, VIEWER, "Viewer")
}

impl TempStore {
    /// Adds the Sales user [`SALES`] to this store.
    pub fn sales(&mut self) -> Actor {
        add(&mut self.store, &self.admin, SALES, "Sales")
    }

    /// Adds the Viewer [`VIEWER`] to this store.
    pub fn viewer(&mut self) -> Actor {
        add(&mut self.store, &self.admin, VIEWER, "Viewer")
    }
}
