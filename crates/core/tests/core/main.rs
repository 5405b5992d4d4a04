//! Integration tests of the core against real SQLite files in temp dirs (never mocks).

mod audit;
mod backup;
mod delete;
mod fields;
mod filters;
mod import_files;
mod jobs;
mod list;
mod merge_review;
mod migrations;
mod permission_matrix;
mod permissions;
mod profiles;
mod search_index;
mod settings;
mod sync_rule;
mod users;

use pdesk_core::model::{ConsentInput, ProfileInput, SaveOutcome};
use pdesk_core::{Actor, Store};

/// A store in a fresh temp dir; the dir lives as long as the returned guard.
pub struct TestStore {
    pub store: Store,
    pub admin: Actor,
    pub dir: tempfile::TempDir,
}

pub fn test_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("profiles.db")).expect("open store");
    let admin = store
        .actor(None)
        .expect("the first start creates an administrator");
    TestStore { store, admin, dir }
}

/// Creates a profile from `(field, value)` pairs through the synchronization rule.
pub fn create(t: &mut TestStore, values: &[(&str, &str)]) -> SaveOutcome {
    let mut input = ProfileInput::default();
    for (k, v) in values {
        input = input.with(k, v);
    }
    t.store
        .create_profile(&t.admin, &input, &ConsentInput::default())
        .expect("create")
}

pub fn created_id(outcome: &SaveOutcome) -> i64 {
    match outcome {
        SaveOutcome::Created { profile_id, .. } => *profile_id,
        other => panic!("expected a new profile, got {other:?}"),
    }
}
