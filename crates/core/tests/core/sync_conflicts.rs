//! Conflict review (issue 13; SYNC.md §6): a field conflict shows both values with who set
//! them, when and on which device, and which side was this computer's; the conflicts an import
//! met are decided at once for the values set elsewhere ("Keep all server values for import
//! #N"), each sent as its `conflict.resolve` op. Real temp-dir stores; the server's answers and
//! pull pages are built from the protocol's types (the app against a real `pdesk-server` is in
//! `tests/e2e/sync.test.mjs`).

use pdesk_core::sync::{Side, SyncConflict};
use pdesk_sync_proto::pull::{Change, ConflictChange, ConflictState, ItemStatus};
use pdesk_sync_proto::push::{FieldConflict, OpBody};
use pdesk_sync_proto::Hlc;
use rusqlite::Connection;

use crate::sync::applied;
use crate::{create, paste_settings, run_paste, test_store, TestStore};

/// Sends every ready op (held imports released first) and answers it "applied", with
/// `conflicts` on the first op.
fn push_with(t: &mut TestStore, conflicts: Vec<FieldConflict>) {
    let admin = t.admin.clone();
    t.store.sync_release_held(&admin).unwrap();
    let batch = t.store.sync_next_batch(1000).unwrap().expect("ops to send");
    t.store
        .sync_record_push(&batch, &applied(&batch, 2, conflicts))
        .unwrap();
}

fn field_conflict(id: &str, field: &str, kept: &str, lost: &str) -> FieldConflict {
    FieldConflict {
        id: id.into(),
        field: field.into(),
        kept: serde_json::json!(kept),
        lost: serde_json::json!(lost),
    }
}

/// The conflict as the pull delivers it: kept from `kept_replica` by Lan on her laptop at
/// 10:02, lost from `lost_replica` by An at 10:01.
fn pulled(
    id: &str,
    gid: &str,
    c: &FieldConflict,
    kept_replica: &str,
    lost_replica: &str,
) -> Change {
    let at = |minute: u64| Hlc::new(1_796_292_000_000 + minute * 60_000, 0).unwrap();
    Change::Conflict(ConflictChange {
        id: id.into(),
        rev: 1,
        state: ConflictState {
            gid: gid.into(),
            field: c.field.clone(),
            kept: c.kept.clone(),
            lost: c.lost.clone(),
            kept_by: "lan".into(),
            lost_by: "an".into(),
            kept_hlc: at(2),
            lost_hlc: at(1),
            status: ItemStatus::Open,
            kept_replica: Some(kept_replica.into()),
            lost_replica: Some(lost_replica.into()),
            kept_device: Some("Lan's laptop".into()),
            lost_device: Some("An's laptop".into()),
        },
    })
}

fn gid_of(t: &TestStore, name: &str) -> String {
    Connection::open(t.db())
        .unwrap()
        .query_row(
            "SELECT gid FROM profiles WHERE full_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

fn city_of(t: &TestStore, name: &str) -> Option<String> {
    Connection::open(t.db())
        .unwrap()
        .query_row(
            "SELECT city FROM profiles WHERE full_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

/// The conflict.resolve ops in the outbox: `(conflict, choice)`.
fn resolutions(t: &TestStore) -> Vec<(String, String)> {
    crate::sync::ops_of_kind(t, "conflict.resolve")
        .into_iter()
        .map(|op| match op {
            OpBody::ConflictResolve(r) => (
                r.conflict,
                serde_json::to_value(r.choice)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
            ),
            other => panic!("{other:?}"),
        })
        .collect()
}

fn open_conflicts(t: &TestStore) -> Vec<SyncConflict> {
    let admin = t.admin.clone();
    t.store
        .sync_conflicts(&admin)
        .unwrap()
        .into_iter()
        .filter(|c| c.open)
        .collect()
}

#[test]
fn an_imports_conflicts_show_who_where_and_when_and_are_decided_at_once_for_the_servers_values() {
    let mut t = test_store();
    let admin = t.admin.clone();
    crate::sync::connect(&mut t);
    create(
        &mut t,
        &[
            ("full_name", "Trần Thị Bình"),
            ("phones", "0987654321"),
            ("city", "Huế"),
        ],
    );
    create(
        &mut t,
        &[
            ("full_name", "Lê Văn Cường"),
            ("phones", "0901234567"),
            ("city", "Vinh"),
        ],
    );
    push_with(&mut t, vec![]);
    let ours = t.store.sync_cursor().unwrap().unwrap().replica_id;

    // An import changes both cities; on the server, colleagues changed them at the same time.
    let text = "Trần Thị Bình\t0987654321\t\tĐà Nẵng\nLê Văn Cường\t0901234567\t\tHà Tĩnh\n";
    let settings = paste_settings(&t.store, text);
    let job = run_paste(&mut t, text, &settings);
    assert_eq!(city_of(&t, "Trần Thị Bình").as_deref(), Some("Đà Nẵng"));
    // Bình: the colleague's value won (the import's lost). Cường: the import's value won.
    let lost_here = field_conflict("cf_binh", "city", "Hội An", "Đà Nẵng");
    let won_here = field_conflict("cf_cuong", "city", "Hà Tĩnh", "Nghệ An");
    let admin_batch = {
        t.store.sync_release_held(&admin).unwrap();
        t.store
            .sync_next_batch(1000)
            .unwrap()
            .expect("the import's ops")
    };
    assert_eq!(admin_batch.ops.len(), 2, "one update per imported row");
    let mut answer = applied(&admin_batch, 3, vec![lost_here.clone()]);
    if let pdesk_sync_proto::push::Outcome::Applied(a) = &mut answer.results[1].outcome {
        a.conflicts = vec![won_here.clone()];
    }
    t.store.sync_record_push(&admin_batch, &answer).unwrap();

    // Known from the push's answer: the import, not yet who or where.
    let first = open_conflicts(&t);
    assert_eq!(first.len(), 2);
    assert!(first.iter().all(|c| c.job == Some(job)), "{first:?}");
    assert!(first
        .iter()
        .all(|c| c.kept.by.is_none() && c.ours.is_none()));

    // The pull brings who, when and which device; this computer's side is found by replica.
    let binh = gid_of(&t, "Trần Thị Bình");
    let cuong = gid_of(&t, "Lê Văn Cường");
    t.store
        .sync_apply_pull_page(
            &[
                pulled("cf_binh", &binh, &lost_here, "r_lan", &ours),
                pulled("cf_cuong", &cuong, &won_here, &ours, "r_lan"),
            ],
            "c1",
        )
        .unwrap();
    let conflicts = open_conflicts(&t);
    let c = conflicts.iter().find(|c| c.id == "cf_binh").unwrap();
    assert_eq!(c.label.as_deref(), Some("Trần Thị Bình"));
    assert!(c.profile_id.is_some());
    assert_eq!(
        (c.kept.by.as_deref(), c.kept.device.as_deref()),
        (Some("lan"), Some("Lan's laptop"))
    );
    assert_eq!(
        c.kept.at.as_deref(),
        Some("2026-12-03T10:02:00.000Z"),
        "the kept value's time"
    );
    assert_eq!(c.lost.at.as_deref(), Some("2026-12-03T10:01:00.000Z"));
    assert_eq!(c.ours, Some(Side::Lost), "the import's value lost");
    assert_eq!(
        (c.job, c.job_file.as_deref()),
        (Some(job), Some("Pasted data")),
        "the job survives the pull"
    );
    let c = conflicts.iter().find(|c| c.id == "cf_cuong").unwrap();
    assert_eq!(c.ours, Some(Side::Kept), "the import's value won");

    // Keep all server values for the import: Bình keeps the server's value, Cường takes the
    // colleague's value back; each goes up as its own decision.
    assert_eq!(t.store.sync_keep_server_values(&admin, job).unwrap(), 2);
    assert!(open_conflicts(&t).is_empty());
    assert_eq!(
        resolutions(&t),
        [
            ("cf_binh".into(), "kept".into()),
            ("cf_cuong".into(), "lost".into())
        ]
    );
    assert_eq!(
        city_of(&t, "Lê Văn Cường").as_deref(),
        Some("Nghệ An"),
        "the value set elsewhere"
    );
    assert_eq!(
        t.store.sync_keep_server_values(&admin, job).unwrap(),
        0,
        "nothing left"
    );
    let decided = t.store.sync_conflicts(&admin).unwrap();
    assert!(decided.iter().all(|c| !c.open), "listed as decided");
}

#[test]
fn a_conflict_between_two_other_devices_has_no_side_here_and_no_bulk_decision() {
    let mut t = test_store();
    let admin = t.admin.clone();
    crate::sync::connect(&mut t);
    create(
        &mut t,
        &[("full_name", "Phạm Thu Hà"), ("phones", "0912345678")],
    );
    push_with(&mut t, vec![]);
    let gid = gid_of(&t, "Phạm Thu Hà");
    let c = field_conflict("cf_other", "company", "Vinamilk", "FPT");
    t.store
        .sync_apply_pull_page(&[pulled("cf_other", &gid, &c, "r_lan", "r_an")], "c1")
        .unwrap();
    let listed = open_conflicts(&t);
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].ours, listed[0].job), (None, None));
    assert_eq!(listed[0].lost.device.as_deref(), Some("An's laptop"));
    assert_eq!(t.store.sync_status().unwrap().open_conflicts, 1);
    assert_eq!(t.store.sync_keep_server_values(&admin, 1).unwrap(), 0);
}
