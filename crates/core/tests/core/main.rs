//! Integration tests of the core against real SQLite files in temp dirs (never mocks).

mod at_rest;
mod audit;
mod backup;
mod clock;
mod delete;
mod durability;
mod edit_safety;
mod export;
mod fields;
mod filters;
mod guards;
mod import_files;
mod import_fixes;
mod job_runner;
mod jobs;
mod layering;
mod list;
mod mail;
mod mail_policy;
mod merge_review;
mod migrations;
mod permission_matrix;
mod permissions;
mod profiles;
mod search_index;
mod settings;
mod smtp_sink;
mod sync;
mod sync_conflicts;
mod sync_hold;
mod sync_reviews;
mod sync_rule;
mod template;
mod undo;
mod users;

use pdesk_core::model::{ConsentInput, ProfileInput, SaveOutcome};

/// A store in a fresh temp dir and its administrator (the kit's, shared with every suite).
pub use pdesk_testkit::{
    temp_store as test_store, temp_store_on as test_store_on, TempStore as TestStore,
};

/// A paste has no header row: the user maps its columns by position, as in the grid —
/// name, phone, e-mail, city (as far as the paste is wide); no consent, incoming overwrites.
pub fn paste_settings(store: &pdesk_core::Store, text: &str) -> pdesk_core::jobs::ImportSettings {
    let admin = store.actor(None).unwrap();
    let (columns, _) = pdesk_core::jobs::paste_columns(text, 1_000, 5, false).unwrap();
    let mut mapping = store.suggest_mapping(&admin, &columns).unwrap();
    for (m, target) in mapping
        .iter_mut()
        .zip(["full_name", "phones", "emails", "city"])
    {
        m.target = Some(target.to_string());
        m.reason = pdesk_core::mapping::SuggestionReason::NoMatch;
    }
    pdesk_core::jobs::ImportSettings::new(columns, mapping)
}

/// A file of `tests/fixtures/` (written by other tools than ours: see make_fixtures.py).
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("tests/fixtures")
    .join(name)
}

/// The mapping step's suggestion for the file at `path`, as it is: no consent recorded,
/// incoming values overwrite.
pub fn file_settings(
    store: &pdesk_core::Store,
    path: &std::path::Path,
) -> pdesk_core::jobs::ImportSettings {
    let admin = store.actor(None).unwrap();
    let (columns, _) = pdesk_core::jobs::file_columns(path, &Default::default(), 5).unwrap();
    let mapping = store.suggest_mapping(&admin, &columns).unwrap();
    pdesk_core::jobs::ImportSettings::new(columns, mapping)
}

/// Runs `settings` on a paste of `text` as an import job to its end (it must finish); its id.
pub fn run_paste(
    t: &mut TestStore,
    text: &str,
    settings: &pdesk_core::jobs::ImportSettings,
) -> i64 {
    let admin = t.admin.clone();
    let id = t
        .store
        .queue_import(
            &admin,
            &pdesk_core::jobs::ImportSource::Paste(text.to_string()),
            settings,
        )
        .expect("queue the paste");
    let job = t
        .store
        .run_job(&admin, id, |_| std::ops::ControlFlow::Continue(()))
        .expect("run the paste");
    assert_eq!(
        job.status,
        pdesk_core::jobs::JobStatus::Done,
        "the paste ran: {job:?}"
    );
    id
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

/// Every value of every column of every audit row, as text.
pub fn audit_texts(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("open the store file directly");
    let mut stmt = conn.prepare("SELECT * FROM audit_log").expect("prepare");
    let columns = stmt.column_count();
    let mut rows = stmt.query([]).expect("query");
    let mut texts = Vec::new();
    while let Some(row) = rows.next().expect("row") {
        for i in 0..columns {
            texts.push(
                match row.get::<_, rusqlite::types::Value>(i).expect("value") {
                    rusqlite::types::Value::Null => String::new(),
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Real(x) => x.to_string(),
                    rusqlite::types::Value::Text(s) => s,
                    rusqlite::types::Value::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
                },
            );
        }
    }
    texts
}

/// Links one new account, opportunity, ticket and task to profile `id`.
pub fn link_one_of_each(path: &std::path::Path, id: i64) {
    let conn = rusqlite::Connection::open(path).expect("open the store file directly");
    for (table, column, link) in [
        ("accounts", "name", "profile_accounts"),
        ("opportunities", "title", "profile_opportunities"),
        ("tickets", "title", "profile_tickets"),
        ("tasks", "title", "profile_tasks"),
    ] {
        conn.execute(
            &format!(
                "INSERT INTO {table}({column}, status, created_at, updated_at)
                 VALUES ('Linked to {id}', 'open', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')"
            ),
            [],
        )
        .expect("linked object");
        let object = conn.last_insert_rowid();
        conn.execute(&format!("INSERT INTO {link} VALUES (?1, ?2)"), [id, object])
            .expect("link");
    }
}
