//! The name search index follows every write path — create, edit, import (created, merged and
//! renamed, in-file duplicates), undo, delete — now that `profiles/storage.rs` writes it
//! instead of triggers (migration 0006). Checked against the database itself: every named
//! profile has exactly one index entry that its full folded name finds, and no other entry
//! exists.

use std::ops::ControlFlow;

use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource};
use pdesk_core::mapping::SuggestionReason;
use pdesk_core::model::{ConsentInput, ProfileInput};
use rusqlite::Connection;

use crate::{create, created_id, test_store, TestStore};

/// Fails unless the index holds exactly one entry per named profile, found by its name key.
fn assert_index_matches_profiles(t: &TestStore, after: &str) {
    let conn = Connection::open(t.store.path()).expect("open the store file");
    let named: Vec<(i64, String)> = conn
        .prepare("SELECT id, name_key FROM profiles WHERE name_key IS NOT NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let entries: i64 = conn
        .query_row("SELECT count(*) FROM profile_search", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        entries,
        named.len() as i64,
        "after {after}: one index entry per named profile, no stale ones"
    );
    for (id, key) in named {
        // Every token of the name (the index keeps no positions, so no phrase query).
        let phrase = key
            .split(' ')
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" AND ");
        let hits: Vec<i64> = conn
            .prepare("SELECT rowid FROM profile_search WHERE profile_search MATCH ?1")
            .unwrap()
            .query_map([&phrase], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            hits.contains(&id),
            "after {after}: profile {id} is found by its name “{key}” (hits {hits:?})"
        );
    }
}

fn paste_job(t: &mut TestStore, text: &str) -> i64 {
    let admin = t.admin.clone();
    let (columns, _) = pdesk_core::jobs::paste_columns(text, 1_000, 5, false).unwrap();
    let mut mapping = t.store.suggest_mapping(&admin, &columns).unwrap();
    for (m, target) in mapping.iter_mut().zip(["full_name", "phones", "emails"]) {
        m.target = Some(target.to_string());
        m.reason = SuggestionReason::NoMatch;
    }
    let settings = ImportSettings::new(columns, mapping);
    let source = ImportSource::Paste(text.to_string());
    let id = t.store.queue_import(&admin, &source, &settings).unwrap();
    t.store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    id
}

fn found(t: &TestStore, search: &str) -> usize {
    t.store
        .list_page(
            &t.admin,
            &ListQuery {
                search: search.into(),
                ..ListQuery::default()
            },
            0,
            50,
            &["full_name".to_string()],
        )
        .unwrap()
        .rows
        .len()
}

#[test]
fn every_write_path_keeps_the_name_index_in_step() {
    let mut t = test_store();
    let first = created_id(&create(
        &mut t,
        &[("full_name", "Nguyễn Văn An"), ("phones", "0911111111")],
    ));
    create(&mut t, &[("phones", "0922222222")]); // no name: no entry
    assert_index_matches_profiles(&t, "creating by hand");

    let admin = t.admin.clone();
    t.store
        .update_profile(
            &admin,
            first,
            &ProfileInput::default().with("full_name", "Đặng Thị Bích"),
            &ConsentInput::default(),
        )
        .unwrap();
    assert_index_matches_profiles(&t, "renaming in the detail screen");
    assert_eq!(
        found(&t, "nguyen van an"),
        0,
        "the old name no longer finds it"
    );
    assert_eq!(found(&t, "dang thi bich"), 1, "the new name does");

    // Created, merged into the first profile by phone (renaming it: the middle name left out,
    // so the name guard sees the same person), named for the first time
    // (the nameless profile), and an in-file duplicate that renames a profile created by the
    // same import.
    let job = paste_job(
        &mut t,
        &[
            "Trần Minh Đức\t0933333333\t",
            "Đặng Bích\t0911111111\t",
            "Phạm Thu Hà\t0922222222\t",
            "Trần Minh Đức Junior\t0933333333\t",
        ]
        .join("\n"),
    );
    assert_index_matches_profiles(&t, "an import");
    assert_eq!(
        found(&t, "dang thi bich"),
        0,
        "the merged-away name is gone"
    );
    assert_eq!(found(&t, "dang bich"), 1, "the merged name is found");
    assert_eq!(
        found(&t, "pham thu ha"),
        1,
        "the first name of a nameless profile"
    );
    assert_eq!(
        found(&t, "tran minh duc junior"),
        1,
        "a rename by an in-file duplicate"
    );

    t.store.undo_job(&admin, job).unwrap();
    assert_index_matches_profiles(&t, "undoing the import");
    assert_eq!(
        found(&t, "dang thi bich"),
        1,
        "undo brings the old name back"
    );
    assert_eq!(
        found(&t, "tran minh duc"),
        0,
        "and removes created profiles"
    );

    let preview = t.store.delete_preview(&admin, &[first]).unwrap();
    assert_eq!(preview.profiles, 1, "the profile to delete exists");
    t.store
        .delete_profiles(&admin, &[first], "Test of the search index")
        .unwrap();
    assert_index_matches_profiles(&t, "deleting");
    assert_eq!(
        found(&t, "dang thi bich"),
        0,
        "a deleted profile is not found"
    );
}
