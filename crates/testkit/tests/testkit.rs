//! The kit itself: its stores, users and files are what the other suites take them to be.

use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_testkit::{files, hostile, profile_count, temp_db, temp_store, users};
use pdesk_xlsx::FileLimits;

#[test]
fn a_temp_store_has_its_administrator_and_lives_with_its_dir() {
    let mut t = temp_store();
    assert!(
        t.db().starts_with(t.dir.path()),
        "the store file is inside the temp dir"
    );
    let input = ProfileInput::default().with("full_name", "Nguyễn Văn A");
    t.store
        .create_profile(&t.admin, &input, &ConsentInput::default())
        .expect("the administrator may create profiles");
    assert_eq!(
        profile_count(&t.db()),
        1,
        "a second connection sees the committed profile"
    );
    let (dir, db) = t.close();
    assert!(db.exists(), "closing keeps the file while the dir lives");
    drop(dir);
    assert!(!db.exists(), "dropping the dir removes the store");

    let (_dir, fresh) = temp_db();
    assert!(
        !fresh.exists(),
        "temp_db names a store that does not exist yet"
    );
}

#[test]
fn the_test_users_have_their_roles() {
    let mut t = temp_store();
    let sales = t.sales();
    let viewer = t.viewer();
    let input = ProfileInput::default().with("full_name", "Trần Thị B");
    assert!(
        t.store
            .create_profile(&sales, &input, &ConsentInput::default())
            .is_ok(),
        "Sales may create profiles"
    );
    assert!(
        t.store
            .create_profile(&viewer, &input, &ConsentInput::default())
            .is_err(),
        "a Viewer may not"
    );
    let again = t.store.actor(Some(users::SALES)).expect("found by name");
    assert_eq!(
        again.name,
        users::SALES,
        "the Sales user is found by its name"
    );
}

#[test]
fn cheap_hostile_files_are_refused_with_their_codes() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (case, make, code) in hostile::HOSTILE {
        // The cheap ones only: the core's import tests refuse every case, in child processes.
        if !matches!(*case, "entity-bomb" | "far-corner" | "lying-string-count") {
            continue;
        }
        let file = make(dir.path()).expect("the file is built");
        let refused = pdesk_xlsx::preview(&file, &FileLimits::default(), 5).map_err(|e| e.code());
        assert_eq!(refused.err(), Some(*code), "{case}: refused as expected");
    }
}

#[test]
fn the_import_workbook_is_read_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("customers.xlsx");
    let bytes = files::write_import_workbook(&file, 200).expect("written");
    assert!(bytes > 0, "a file on disk");
    let preview = pdesk_xlsx::preview(&file, &FileLimits::default(), 5).expect("a sound workbook");
    assert_eq!(preview.total_rows, 200, "every data row is read");
    assert_eq!(preview.headers.len(), 15, "15 columns");
}
