//! The outbox's numbering over time (issue 13; SYNC.md §3 "Undo import", §9 F7/F9): an
//! import's ops are held for an undo window without a seq — its new profiles as ids, their
//! creates made when the window closes —, so the ops after them are never blocked and "Undo
//! import" takes them back without a trace on the server; once sent, undo
//! leaves those profiles alone and says so. A restored backup numbers its new ops under a new
//! replica; a seq the server has with another body, or a server restored from an older
//! backup, renumbers or resends exactly the ops that need it. Real temp-dir stores on a fake
//! clock; the engine against a real server is in `crates/cli/tests/cli/sync.rs`.

use std::path::Path;
use std::sync::Arc;

use pdesk_core::backup::RestoreOptions;
use pdesk_core::jobs::KeptWhy;
use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_testkit::FakeClock;
use rusqlite::Connection;
use time::macros::datetime;

use crate::sync::applied;
use crate::{create, created_id, paste_settings, run_paste, test_store_on, TestStore};

const PASTE: &str = "Trần Thị Bình\t0987654321\nLê Văn Cường\t0901234567\n";

fn connected_store() -> (TestStore, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::new(datetime!(2026-12-03 09:00:00 UTC)));
    let mut t = test_store_on(clock.clone());
    crate::sync::connect(&mut t);
    // The first sync is over: what is made from now on is captured as it happens.
    assert_eq!(t.store.sync_queue_initial(1000).unwrap(), 0);
    (t, clock)
}

/// Imports `text` as a paste (columns: name, phone, e-mail); the job's id.
fn paste(t: &mut TestStore, text: &str) -> i64 {
    let settings = paste_settings(&t.store, text);
    run_paste(t, text, &settings)
}

/// The outbox as `(state, replica, seq, kind)` in the order the ops were made.
fn outbox(t: &TestStore) -> Vec<(String, Option<String>, Option<i64>, String)> {
    let conn = Connection::open(t.db()).unwrap();
    let rows = conn
        .prepare("SELECT state, replica_id, seq, kind FROM sync_outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

fn states(t: &TestStore) -> Vec<String> {
    outbox(t).into_iter().map(|o| o.0).collect()
}

/// The profiles that wait for their import's undo window, by name.
fn waiting(t: &TestStore) -> Vec<String> {
    let conn = Connection::open(t.db()).unwrap();
    let names = conn
        .prepare(
            "SELECT p.full_name FROM sync_unsent u JOIN profiles p ON p.id = u.profile_id
              ORDER BY u.profile_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    names
}

fn names(t: &TestStore) -> Vec<String> {
    let conn = Connection::open(t.db()).unwrap();
    let names = conn
        .prepare("SELECT full_name FROM profiles ORDER BY full_name")
        .unwrap()
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .unwrap()
        .map(|n| n.unwrap().unwrap_or_default())
        .collect();
    names
}

#[test]
fn an_import_is_held_for_its_undo_window_without_blocking_the_changes_after_it() {
    let (mut t, clock) = connected_store();
    let admin = t.admin.clone();
    paste(&mut t, PASTE);
    assert_eq!(
        waiting(&t),
        ["Trần Thị Bình", "Lê Văn Cường"],
        "the paste's two new profiles wait"
    );
    assert!(outbox(&t).is_empty(), "no op yet");
    let status = t.store.sync_status().unwrap();
    assert_eq!((status.held_ops, status.pending_ops), (2, 0));
    assert_eq!(
        status.held_until.as_deref(),
        Some("2026-12-03T09:10:00.000Z")
    );

    // A profile made by hand after the import goes up at once, as seq 1.
    create(
        &mut t,
        &[("full_name", "Phạm Minh Châu"), ("phones", "0912000111")],
    );
    let batch = t
        .store
        .sync_next_batch(100)
        .unwrap()
        .expect("the hand-made profile");
    assert_eq!(batch.ops.iter().map(|o| o.seq).collect::<Vec<_>>(), [1]);
    t.store
        .sync_record_push(&batch, &applied(&batch, 1, vec![]))
        .unwrap();
    assert!(
        t.store.sync_next_batch(100).unwrap().is_none(),
        "the import still waits"
    );

    // The window closes: the import's ops take the next seqs, in the order they were made.
    clock.advance(time::Duration::minutes(10));
    let batch = t
        .store
        .sync_next_batch(100)
        .unwrap()
        .expect("the import, released");
    assert_eq!(batch.ops.iter().map(|o| o.seq).collect::<Vec<_>>(), [2, 3]);
    assert!(batch.ops.iter().all(|o| o.body.kind() == "profile.create"));
    assert!(waiting(&t).is_empty());

    // "Sync now" releases a held import at once; 0 minutes sends imports as they run.
    paste(&mut t, "Đỗ Thị Hoa\t0933444555\n");
    assert_eq!(t.store.sync_release_held(&admin).unwrap(), 1);
    t.store.sync_set_import_hold(&admin, 0).unwrap();
    paste(&mut t, "Vũ Văn Khánh\t0944555666\n");
    assert_eq!(
        waiting(&t),
        ["Đỗ Thị Hoa"],
        "released: its create is made next round"
    );
    t.store.sync_next_batch(100).unwrap().unwrap();
    assert!(waiting(&t).is_empty());
    assert!(
        !states(&t).contains(&"held".to_string()),
        "{:?}",
        states(&t)
    );
    assert!(
        t.store.sync_set_import_hold(&admin, 1441).is_err(),
        "a day at most"
    );
}

#[test]
fn a_later_change_to_a_waiting_profile_sends_it_at_once_with_the_change_in_it() {
    let (mut t, _clock) = connected_store();
    let admin = t.admin.clone();
    paste(&mut t, PASTE);
    let binh: i64 = Connection::open(t.db())
        .unwrap()
        .query_row(
            "SELECT id FROM profiles WHERE full_name = 'Trần Thị Bình'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    t.store
        .update_profile(
            &admin,
            binh,
            &ProfileInput::default().with("city", "Đà Nẵng"),
            &ConsentInput::default(),
        )
        .unwrap();
    assert!(
        outbox(&t).is_empty(),
        "the edit of a profile not sent yet makes no op"
    );
    let batch = t
        .store
        .sync_next_batch(100)
        .unwrap()
        .expect("Bình, released");
    assert_eq!(batch.ops.len(), 1);
    let pdesk_sync_proto::push::OpBody::ProfileCreate(c) = &batch.ops[0].body else {
        panic!("{:?}", batch.ops[0].body);
    };
    assert_eq!(
        c.fields.city.as_deref(),
        Some("Đà Nẵng"),
        "her create carries the edit: {c:?}"
    );
    assert_eq!(waiting(&t), ["Lê Văn Cường"], "Cường still waits");

    // Deleted before it ever went up: the server hears nothing of Cường.
    let cuong: i64 = Connection::open(t.db())
        .unwrap()
        .query_row(
            "SELECT id FROM profiles WHERE full_name = 'Lê Văn Cường'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    t.store
        .delete_profiles(&admin, &[cuong], "Nhập nhầm")
        .unwrap();
    assert!(waiting(&t).is_empty());
    assert_eq!(
        outbox(&t).iter().map(|o| o.3.as_str()).collect::<Vec<_>>(),
        ["profile.create"],
        "Bình's create only: no delete of a customer the server never had"
    );
}

#[test]
fn undo_inside_the_window_leaves_no_trace_and_after_it_keeps_what_was_sent() {
    let (mut t, clock) = connected_store();
    let admin = t.admin.clone();
    let existing = created_id(&create(
        &mut t,
        &[("full_name", "Trần Thị Bình"), ("phones", "0987654321")],
    ));
    let batch = t.store.sync_next_batch(100).unwrap().unwrap();
    t.store
        .sync_record_push(&batch, &applied(&batch, 1, vec![]))
        .unwrap();

    // The paste updates Bình (same phone) and creates Cường; both changes are held.
    let update = "Trần Thị Bình\t0987654321\tbinh@example.vn\n";
    let job = paste(&mut t, update);
    let second = paste(&mut t, "Lê Văn Cường\t0901234567\n");
    let ops = t.store.sync_job_ops(&admin, job).unwrap();
    assert_eq!((ops.held, ops.sent), (1, 0), "the update of Bình is held");

    let undone = t.store.undo_job(&admin, job).unwrap();
    assert_eq!(
        (undone.removed, undone.restored),
        (0, 1),
        "{}",
        undone.message
    );
    let emails: i64 = Connection::open(t.db())
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM profile_emails WHERE profile_id = ?1",
            [existing],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(emails, 0, "Bình has her e-mail taken away again");
    assert_eq!(
        states(&t),
        ["acked"],
        "the undone update is gone without an op"
    );
    assert_eq!(
        waiting(&t),
        ["Lê Văn Cường"],
        "the second paste still waits"
    );

    // The second paste's window closes and its create goes up: undo then keeps Cường.
    clock.advance(time::Duration::minutes(11));
    let batch = t.store.sync_next_batch(100).unwrap().unwrap();
    t.store
        .sync_record_push(&batch, &applied(&batch, 1, vec![]))
        .unwrap();
    let ops = t.store.sync_job_ops(&admin, second).unwrap();
    assert_eq!((ops.held, ops.sent), (0, 1));
    let undone = t.store.undo_job(&admin, second).unwrap();
    assert_eq!(undone.removed, 0);
    assert_eq!(undone.kept.len(), 1);
    assert_eq!(undone.kept[0].why, KeptWhy::Sent);
    assert!(
        undone.message.contains("already sent to the server"),
        "{}",
        undone.message
    );
    assert_eq!(names(&t), ["Lê Văn Cường", "Trần Thị Bình"]);
    assert!(
        t.store.sync_next_batch(100).unwrap().is_none(),
        "undo sent nothing"
    );
}

#[test]
fn a_restored_backup_numbers_its_new_changes_under_a_new_replica_after_the_old_ones() {
    let (mut t, _clock) = connected_store();
    let admin = t.admin.clone();
    create(
        &mut t,
        &[("full_name", "Trần Thị Bình"), ("phones", "0987654321")],
    );
    let backup = t.store.backup_plan(&admin).unwrap().run().unwrap();
    // After the backup: sent under seq 2, then lost with the restore.
    create(
        &mut t,
        &[("full_name", "Lê Văn Cường"), ("phones", "0901234567")],
    );
    let before = outbox(&t)[0].1.clone().unwrap();
    t.store
        .restore_backup(
            &admin,
            Path::new(&backup.entry.path),
            RestoreOptions::default(),
        )
        .unwrap();
    create(
        &mut t,
        &[("full_name", "Đỗ Thị Hoa"), ("phones", "0933444555")],
    );
    let ops = outbox(&t);
    assert_eq!(ops.len(), 2);
    assert_eq!(
        (ops[0].1.as_deref(), ops[0].2),
        (Some(before.as_str()), Some(1)),
        "the backup's own op keeps its number: the server answers it as it did"
    );
    let after = ops[1].1.clone().unwrap();
    assert_ne!(after, before, "a new replica for the restored copy");
    assert_eq!(ops[1].2, Some(1), "numbered from 1 under it");
    let first = t.store.sync_next_batch(100).unwrap().unwrap();
    assert_eq!(first.replica, before, "the old replica's ops go first");
    t.store
        .sync_record_push(&first, &applied(&first, 1, vec![]))
        .unwrap();
    let next = t.store.sync_next_batch(100).unwrap().unwrap();
    assert_eq!(
        (next.replica.as_str(), next.ops[0].seq),
        (after.as_str(), 1)
    );
}

#[test]
fn a_reused_seq_renumbers_from_it_and_a_restored_server_gets_its_lost_ops_again() {
    let (mut t, _clock) = connected_store();
    for (name, phone) in [
        ("An", "0911000001"),
        ("Bình", "0911000002"),
        ("Cường", "0911000003"),
    ] {
        create(&mut t, &[("full_name", name), ("phones", phone)]);
    }
    let batch = t.store.sync_next_batch(100).unwrap().unwrap();
    let replica = batch.replica.clone();
    // The server has seq 2 from a copy of this database, with another body.
    assert_eq!(t.store.sync_seq_reused(&replica, 2).unwrap(), 2);
    let first = t.store.sync_next_batch(100).unwrap().unwrap();
    assert_eq!(
        (first.replica.as_str(), first.ops.len()),
        (replica.as_str(), 1),
        "seq 1 stays: the server has it or will take it"
    );
    t.store
        .sync_record_push(&first, &applied(&first, 1, vec![]))
        .unwrap();
    let moved = t.store.sync_next_batch(100).unwrap().unwrap();
    assert_ne!(moved.replica, replica);
    assert_eq!(moved.ops.iter().map(|o| o.seq).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        moved.ops[0].op_id, batch.ops[1].op_id,
        "the same ops, numbered anew"
    );
    t.store
        .sync_record_push(&moved, &applied(&moved, 1, vec![]))
        .unwrap();

    // The server is restored to a backup that has only the first of the moved replica's ops.
    let mut replicas = t.store.sync_acked_replicas().unwrap();
    replicas.sort();
    assert_eq!(replicas.len(), 2);
    assert_eq!(t.store.sync_resend_after(&moved.replica, 1).unwrap(), 1);
    let again = t.store.sync_next_batch(100).unwrap().unwrap();
    assert_eq!(
        (
            again.ops.len(),
            again.ops[0].seq,
            again.ops[0].op_id.as_str()
        ),
        (1, 2, moved.ops[1].op_id.as_str()),
        "the lost op goes again, the same"
    );
    // A gap the outbox can still fill is sent again from where the server stands.
    t.store
        .sync_record_push(&again, &applied(&again, 1, vec![]))
        .unwrap();
    assert_eq!(t.store.sync_seq_gap(&moved.replica, 1).unwrap(), 2);
    let refill = t.store.sync_next_batch(100).unwrap().unwrap();
    assert_eq!(refill.ops.iter().map(|o| o.seq).collect::<Vec<_>>(), [1, 2]);
}

/// An import's ops are collected through each of its transactions and written just before it
/// commits (`outbox/batch.rs`): in the order its rows made them, each a tick of the capture
/// clock later — and a row that changes a profile made before the import writes what was
/// collected first, so the outbox still reads in the order the changes were made. Its new
/// profiles wait as ids (`outbox/unsent.rs`): a later row or consent on one makes no op, and
/// the create made when the window closes carries them all.
#[test]
fn an_imports_ops_are_written_in_the_order_its_rows_made_them() {
    let (mut t, clock) = connected_store();
    created_id(&create(
        &mut t,
        &[("full_name", "Phạm Thu Hà"), ("phones", "0912 000 111")],
    ));
    let text = "Trần Thị Bình\t0987654321\n\
                Trần Thị Bình\t0987 654 321\tbinh.tran@example.vn\n\
                Phạm Thu Hà\t0912000111\tha.pham@example.vn\n\
                Lê Văn Cường\t0901234567\n";
    let mut settings = paste_settings(&t.store, text);
    settings.consent = ConsentInput {
        channels: [(
            "email".to_string(),
            pdesk_core::model::ConsentStatus::Granted,
        )]
        .into(),
    };
    run_paste(&mut t, text, &settings);

    let conn = Connection::open(t.db()).unwrap();
    let ops: Vec<(String, String, i64, String)> = conn
        .prepare(
            "SELECT o.kind, o.state, o.hlc, p.full_name FROM sync_outbox o
               JOIN profiles p ON p.gid = o.gid ORDER BY o.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let made: Vec<(&str, &str)> = ops.iter().map(|o| (o.0.as_str(), o.3.as_str())).collect();
    assert_eq!(
        made,
        [
            ("profile.create", "Phạm Thu Hà"),
            // Rows 1 and 2 (a new customer, then the same again) and row 4 make no op yet;
            // row 3 changes a profile made before.
            ("profile.update", "Phạm Thu Hà"),
            ("consent.record", "Phạm Thu Hà"),
        ],
        "{ops:?}"
    );
    assert!(
        ops.windows(2).all(|w| w[0].2 < w[1].2),
        "the capture clock moved forward at every op: {ops:?}"
    );
    assert!(
        ops[1..].iter().all(|o| o.1 == "held"),
        "the import's ops wait for its undo window"
    );
    assert_eq!(waiting(&t), ["Trần Thị Bình", "Lê Văn Cường"]);
    let next_seq: i64 = conn
        .query_row("SELECT next_seq FROM sync_state", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        next_seq, 2,
        "one op was numbered (the form's create); held ops have none"
    );

    // The window closes: the held ops, then the creates in the order the rows made them,
    // each with what later rows and the consent added.
    clock.advance(time::Duration::minutes(10));
    let batch = t.store.sync_next_batch(100).unwrap().unwrap();
    let bodies: Vec<&pdesk_sync_proto::push::OpBody> = batch.ops.iter().map(|o| &o.body).collect();
    assert_eq!(
        bodies.iter().map(|b| b.kind()).collect::<Vec<_>>(),
        [
            "profile.create",
            "profile.update",
            "consent.record",
            "profile.create",
            "profile.create"
        ]
    );
    let pdesk_sync_proto::push::OpBody::ProfileCreate(binh) = bodies[3] else {
        panic!("{:?}", bodies[3]);
    };
    assert_eq!(binh.fields.full_name.as_deref(), Some("Trần Thị Bình"));
    assert_eq!(
        (
            binh.fields.phones.len(),
            binh.fields.emails.len(),
            binh.consent.len()
        ),
        (1, 1, 1),
        "the second row's e-mail and the import's consent: {binh:?}"
    );
    // What this device knows of her: the tags it sent, the e-mail's among them.
    let lists: String = conn
        .query_row(
            "SELECT k.lists FROM sync_known k JOIN profiles p ON p.gid = k.gid
              WHERE p.full_name = 'Trần Thị Bình'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        lists.contains("binh.tran@example.vn") && lists.contains("+84987654321"),
        "{lists}"
    );
}
