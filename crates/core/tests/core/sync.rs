//! The store's side of sync (issue 13): every local change becomes an op while connected, and
//! none otherwise; what the server sends is written without ops; a pulled state never
//! overwrites local edits that are still on their way up; a create merged on the server takes
//! the survivor's id. Real temp-dir stores; the server's answers are built from the protocol's
//! types (the engine against a real `pdesk-server` is in `crates/cli/tests/cli/sync.rs`).

use std::collections::{BTreeMap, BTreeSet};

use pdesk_core::model::{ConsentInput, ConsentStatus, ProfileInput, SaveOutcome};
use pdesk_core::profiles::review::ReviewDecision;
use pdesk_core::sync::NewConnection;
use pdesk_sync_proto::profile::{MatchKey, PhoneItem, ProfileFields, ProfileState};
use pdesk_sync_proto::pull::Cseq;
use pdesk_sync_proto::pull::{Change, ProfileAnswer, ProfileChange, Tombstone};
use pdesk_sync_proto::push::{Applied, Merged, OpBody, OpResult, Outcome, PushResponse};
use pdesk_sync_proto::Hlc;
use rusqlite::Connection;

use crate::{create, created_id, paste_settings, run_paste, test_store, TestStore};

/// Connects `t` to a server as device `d_test` (the first sync not begun).
pub fn connect(t: &mut TestStore) {
    let admin = t.admin.clone();
    t.store
        .sync_connect(
            &admin,
            &NewConnection {
                server_url: "https://cdp.example.vn".into(),
                user_name: "lan".into(),
                device_id: "d_test".into(),
                device_name: "Lan's laptop".into(),
                trust: Default::default(),
            },
        )
        .unwrap();
}

/// Records every profile row written (inserted, updated, deleted), by gid, through triggers
/// on the store file — whoever writes, the triggers see it.
fn watch_profile_writes(t: &TestStore) {
    let conn = Connection::open(t.db()).unwrap();
    conn.execute_batch(
        "CREATE TABLE guard_writes(gid TEXT);
         CREATE TRIGGER guard_insert AFTER INSERT ON profiles
           BEGIN INSERT INTO guard_writes VALUES (NEW.gid); END;
         CREATE TRIGGER guard_update AFTER UPDATE ON profiles
           BEGIN INSERT INTO guard_writes VALUES (NEW.gid); END;
         CREATE TRIGGER guard_delete AFTER DELETE ON profiles
           BEGIN INSERT INTO guard_writes VALUES (OLD.gid); END;",
    )
    .unwrap();
}

/// The profiles written and the ops appended since the last call (then forgotten): gid →
/// kinds of op.
fn drain(t: &TestStore) -> (BTreeSet<String>, BTreeMap<String, Vec<String>>) {
    let conn = Connection::open(t.db()).unwrap();
    let written: BTreeSet<String> = conn
        .prepare("SELECT gid FROM guard_writes")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    conn.execute("DELETE FROM guard_writes", []).unwrap();
    let mut ops: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows: Vec<(Option<String>, String, String)> = conn
        .prepare(
            "SELECT gid, kind, body FROM sync_outbox WHERE state IN ('held', 'pending') ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (gid, kind, body) in rows {
        // A merge is the op of every profile it names: the survivor and those it absorbs.
        if let Ok(OpBody::ProfileMerge(m)) = serde_json::from_str::<OpBody>(&body) {
            for absorbed in m.absorbed {
                ops.entry(absorbed).or_default().push(kind.clone());
            }
        }
        ops.entry(gid.unwrap_or_default()).or_default().push(kind);
    }
    // An import's new profile waits for its undo window as an id: its create is made when the
    // window closes (`outbox/unsent.rs`).
    let waiting: Vec<String> = conn
        .prepare("SELECT p.gid FROM sync_unsent u JOIN profiles p ON p.id = u.profile_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for gid in waiting {
        ops.entry(gid).or_default().push("profile.create".into());
    }
    // Answered (held ops stay held: an undo may still take them back).
    conn.execute(
        "UPDATE sync_outbox SET state = 'acked' WHERE state = 'pending'",
        [],
    )
    .unwrap();
    (written, ops)
}

fn assert_every_write_has_its_op(t: &TestStore, action: &str, expected: &[&str]) {
    let (written, ops) = drain(t);
    assert!(!written.is_empty(), "{action}: wrote no profile");
    for gid in &written {
        assert!(
            ops.contains_key(gid),
            "{action}: profile {gid} was written without an op (ops: {ops:?})"
        );
    }
    let kinds: BTreeSet<&str> = ops.values().flatten().map(String::as_str).collect();
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(kinds, expected, "{action}: the kinds of op appended");
}

#[test]
fn every_public_write_of_a_profile_appends_its_op_in_the_same_transaction() {
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    watch_profile_writes(&t);

    let a = created_id(&create(
        &mut t,
        &[("full_name", "Nguyễn Văn An"), ("phones", "0912345678")],
    ));
    assert_every_write_has_its_op(&t, "create (form)", &["profile.create"]);

    create(&mut t, &[("phones", "0912 345 678"), ("city", "Hà Nội")]);
    assert_every_write_has_its_op(&t, "create matching one profile", &["profile.update"]);

    t.store
        .update_profile(
            &admin,
            a,
            &ProfileInput::default().with("company", "Công ty ABC"),
            &ConsentInput::default(),
        )
        .unwrap();
    assert_every_write_has_its_op(&t, "edit", &["profile.update"]);

    let mut consent = ConsentInput::default();
    consent
        .channels
        .insert("email".into(), ConsentStatus::Granted);
    t.store
        .update_profile(&admin, a, &ProfileInput::default(), &consent)
        .unwrap();
    assert_every_write_has_its_op(&t, "consent", &["consent.record"]);

    let text = "Trần Thị Bình\t0987654321\nLê Văn Cường\t0901234567\n";
    let settings = paste_settings(&t.store, text);
    let job = run_paste(&mut t, text, &settings);
    assert_every_write_has_its_op(&t, "paste import (held)", &["profile.create"]);

    // Undone inside its undo window: the held ops are taken back, and the server hears
    // nothing of the import nor of its undo (sync_hold.rs has the rest of the window's rules).
    t.store.undo_job(&admin, job).unwrap();
    let (written, ops) = drain(&t);
    assert_eq!(written.len(), 2, "undo import removed both profiles");
    assert!(ops.is_empty(), "undo of held ops: no op at all: {ops:?}");

    // A merge review: B has the e-mail, the incoming data the phone of A and B's e-mail.
    let b = created_id(&create(
        &mut t,
        &[("full_name", "Nguyễn V. An"), ("emails", "an@example.vn")],
    ));
    drain(&t);
    let review = match t
        .store
        .create_profile(
            &admin,
            &ProfileInput::default()
                .with_list("phones", &["0912345678"])
                .with_list("emails", &["an@example.vn"]),
            &ConsentInput::default(),
        )
        .unwrap()
    {
        SaveOutcome::Review { review_id, .. } => review_id,
        other => panic!("expected a review, got {other:?}"),
    };
    t.store
        .resolve_merge_review(
            &admin,
            review,
            &ReviewDecision::MergeAll {
                survivor: a,
                picks: vec![],
            },
            None,
        )
        .unwrap();
    assert_every_write_has_its_op(
        &t,
        "merge review: merge all",
        &["profile.update", "profile.merge"],
    );

    t.store
        .delete_profiles(&admin, &[a], "Khách yêu cầu xoá")
        .unwrap();
    assert_every_write_has_its_op(&t, "delete", &["profile.delete"]);
    let _ = b;
}

/// The server's answer "applied" (at `rev`) to every op of `batch`, `conflicts` on the first.
pub fn applied(
    batch: &pdesk_sync_proto::push::PushRequest,
    rev: u64,
    conflicts: Vec<pdesk_sync_proto::push::FieldConflict>,
) -> PushResponse {
    let mut conflicts = Some(conflicts);
    PushResponse {
        acked_through: batch.ops.last().map_or(0, |o| o.seq),
        hlc: Hlc::new(1, 0).unwrap(),
        results: batch
            .ops
            .iter()
            .map(|op| OpResult {
                seq: op.seq,
                outcome: Outcome::Applied(Applied {
                    gid: None,
                    rev,
                    conflicts: conflicts.take().unwrap_or_default(),
                    state: None,
                }),
            })
            .collect(),
    }
}

/// The bodies of the outbox's ops of `kind`, in the order they were made.
pub fn ops_of_kind(t: &TestStore, kind: &str) -> Vec<OpBody> {
    let conn = Connection::open(t.db()).unwrap();
    let bodies: Vec<String> = conn
        .prepare("SELECT body FROM sync_outbox WHERE kind = ?1 ORDER BY id")
        .unwrap()
        .query_map([kind], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect()
}

fn outbox(t: &TestStore) -> Vec<(i64, String, String)> {
    let conn = Connection::open(t.db()).unwrap();
    let rows = conn
        .prepare("SELECT seq, kind, body FROM sync_outbox ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

#[test]
fn nothing_is_captured_while_disconnected_and_the_initial_push_sends_what_was_there() {
    let mut t = test_store();
    let a = created_id(&create(
        &mut t,
        &[("full_name", "Nguyễn Văn An"), ("phones", "0912345678")],
    ));
    assert!(outbox(&t).is_empty(), "not connected: no op");
    connect(&mut t);
    // Made after connecting: captured as it happens, not sent again by the initial push.
    create(
        &mut t,
        &[("full_name", "Trần Thị Bình"), ("phones", "0987654321")],
    );
    assert_eq!(outbox(&t).len(), 1);
    // Edited before the initial push sent it: no op (the server has never heard of it); the
    // initial push sends it as it is by then.
    let admin = t.admin.clone();
    t.store
        .update_profile(
            &admin,
            a,
            &ProfileInput::default().with("city", "Cần Thơ"),
            &ConsentInput::default(),
        )
        .unwrap();
    assert_eq!(
        outbox(&t).len(),
        1,
        "no update op for a profile not sent yet"
    );
    assert_eq!(
        t.store.sync_to_send().unwrap(),
        2,
        "to send: the op waiting and the profile the initial push has not queued yet"
    );
    assert_eq!(t.store.sync_queue_initial(1000).unwrap(), 1);
    assert_eq!(t.store.sync_to_send().unwrap(), 2, "now both are ops");
    assert_eq!(
        t.store.sync_queue_initial(1000).unwrap(),
        0,
        "the initial push is over"
    );
    let ops = outbox(&t);
    assert_eq!(ops.len(), 2);
    let (seq, kind, body) = &ops[1];
    assert_eq!(
        (*seq, kind.as_str()),
        (2, "profile.create"),
        "seqs are gap-free"
    );
    let body: OpBody = serde_json::from_str(body).unwrap();
    let OpBody::ProfileCreate(create) = body else {
        panic!("a create")
    };
    assert_eq!(create.fields.full_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(
        create.fields.phones[0].e164.as_deref(),
        Some("+84912345678")
    );
    assert_eq!(
        create.fields.city.as_deref(),
        Some("Cần Thơ"),
        "its state when sent"
    );
    assert_eq!(
        create.origin.map(|o| o.source),
        Some(pdesk_sync_proto::push::OriginSource::InitialPush)
    );
    // The batch: in seq order, marked in flight; a second ask sends the same ops again.
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    assert_eq!(batch.ops.iter().map(|o| o.seq).collect::<Vec<_>>(), [1, 2]);
    let again = t.store.sync_next_batch(1000).unwrap().unwrap();
    assert_eq!(batch, again, "an unanswered batch goes again, the same");
}

pub fn state(gid: &str, rev: u64, name: &str, phone: &str) -> ProfileState {
    ProfileState {
        gid: gid.into(),
        rev,
        fields: ProfileFields {
            full_name: Some(name.into()),
            phones: vec![PhoneItem {
                raw: phone.into(),
                e164: Some(format!("+84{}", &phone[1..])),
                tag: format!("tag-{gid}-{rev}"),
            }],
            ..ProfileFields::default()
        },
        fv: BTreeMap::from([("full_name".to_string(), rev * 10)]),
        review_open: false,
        links: vec![],
        created_at: "2026-12-01T08:00:00.000Z".into(),
        updated_at: "2026-12-01T09:00:00.000Z".into(),
    }
}

pub fn profile_change(state: ProfileState) -> Change {
    Change::Profile(ProfileChange {
        gid: state.gid.clone(),
        rev: state.rev,
        cseq: Cseq(0, state.rev),
        state: Some(state),
        deleted: false,
        tombstone: None,
        survivor: None,
        origin: None,
    })
}

/// The local id of the profile with `gid`.
pub fn id_of(t: &TestStore, gid: &str) -> i64 {
    Connection::open(t.db())
        .unwrap()
        .query_row("SELECT id FROM profiles WHERE gid = ?1", [gid], |r| {
            r.get(0)
        })
        .unwrap()
}

fn names(t: &TestStore) -> Vec<String> {
    let conn = Connection::open(t.db()).unwrap();
    let rows = conn
        .prepare("SELECT IFNULL(full_name, '') FROM profiles ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

#[test]
fn pulled_changes_are_written_without_ops_and_wait_while_local_edits_are_on_their_way() {
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    let gid = "0190f3a2-0000-7000-8000-000000000001";
    let page = t
        .store
        .sync_apply_pull_page(
            &[profile_change(state(
                gid,
                1,
                "Phạm Minh Châu",
                "0912000111",
            ))],
            "c1",
        )
        .unwrap();
    assert_eq!(page.profiles, 1);
    assert_eq!(names(&t), ["Phạm Minh Châu"]);
    assert!(
        outbox(&t).is_empty(),
        "what came from the server is not sent back"
    );

    // A local edit waits to go up; a newer server state arrives meanwhile.
    let id = id_of(&t, gid);
    t.store
        .update_profile(
            &admin,
            id,
            &ProfileInput::default().with("city", "Đà Nẵng"),
            &ConsentInput::default(),
        )
        .unwrap();
    let page = t
        .store
        .sync_apply_pull_page(
            &[profile_change(state(gid, 2, "Phạm M. Châu", "0912000111"))],
            "c2",
        )
        .unwrap();
    assert_eq!(page.waiting, 1);
    assert_eq!(
        names(&t),
        ["Phạm Minh Châu"],
        "the row keeps showing the local edit"
    );

    // The edit is answered without a state: the waiting one applies (the higher rev wins).
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    assert!(
        matches!(&batch.ops[0].body, OpBody::ProfileUpdate(u) if u.base_rev == 1 && u.set["city"].base_fv == 0)
    );
    let answer = PushResponse {
        acked_through: batch.ops[0].seq,
        hlc: Hlc::new(1, 0).unwrap(),
        results: vec![OpResult {
            seq: batch.ops[0].seq,
            outcome: Outcome::Applied(Applied {
                gid: None,
                rev: 3,
                conflicts: vec![],
                state: None,
            }),
        }],
    };
    t.store.sync_record_push(&batch, &answer).unwrap();
    assert_eq!(names(&t), ["Phạm M. Châu"]);
    assert_eq!(t.store.sync_status().unwrap().pending_ops, 0);

    // An answer with a result missing is refused and records nothing.
    create(
        &mut t,
        &[("full_name", "Lê Văn Dũng"), ("phones", "0903000222")],
    );
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    let short = PushResponse {
        acked_through: 0,
        hlc: Hlc::new(1, 0).unwrap(),
        results: vec![],
    };
    assert!(t.store.sync_record_push(&batch, &short).is_err());
    assert_eq!(
        t.store.sync_status().unwrap().pending_ops,
        1,
        "kept, sent again"
    );

    // Deleted on the server: gone here, audited with the server's reason, no op.
    let deleted = Change::Profile(ProfileChange {
        gid: gid.into(),
        rev: 4,
        cseq: Cseq(0, 4),
        state: None,
        deleted: true,
        tombstone: Some(Tombstone {
            merged_into: None,
            by: Some("minh".into()),
            reason: Some("Khách yêu cầu xoá dữ liệu".into()),
            reason_code: None,
            at: "2026-12-01T10:00:00.000Z".into(),
            lost_edits: vec![],
        }),
        survivor: None,
        origin: None,
    });
    assert_eq!(
        t.store
            .sync_apply_pull_page(&[deleted], "c3")
            .unwrap()
            .deleted,
        1
    );
    assert_eq!(names(&t), ["Lê Văn Dũng"]);
    let texts = crate::audit_texts(&t.db());
    assert!(
        texts
            .iter()
            .any(|s| s.contains("Khách yêu cầu xoá dữ liệu")),
        "audited"
    );
    assert_eq!(
        outbox(&t)
            .iter()
            .filter(|o| o.1 == "profile.delete")
            .count(),
        0
    );
}

#[test]
fn a_create_merged_on_the_server_takes_the_survivors_id_or_goes_into_it() {
    let mut t = test_store();
    connect(&mut t);
    let survivor = "0190f3a2-0000-7000-8000-00000000aaaa";
    create(
        &mut t,
        &[("full_name", "Võ Thị Em"), ("phones", "0935111222")],
    );
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    let created = batch.ops[0].body.gid().unwrap().to_string();
    let answer = PushResponse {
        acked_through: 1,
        hlc: Hlc::new(1, 0).unwrap(),
        results: vec![OpResult {
            seq: 1,
            outcome: Outcome::Merged(Merged {
                gid: created.clone(),
                into: survivor.into(),
                matched_by: MatchKey::Phone,
                rev: 7,
                state: Some(state(survivor, 7, "Võ Thị Em", "0935111222")),
            }),
        }],
    };
    t.store.sync_record_push(&batch, &answer).unwrap();
    let conn = Connection::open(t.db()).unwrap();
    let gids: Vec<String> = conn
        .prepare("SELECT gid FROM profiles")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(gids, [survivor], "one profile, under the server's id");
    assert_eq!(t.store.sync_status().unwrap().merged_on_server, 1);
    // The merge notice links to the customer it went into.
    let admin = t.admin.clone();
    let notices = t.store.sync_merge_notices(&admin).unwrap();
    assert_eq!(notices.len(), 1);
    let id: i64 = conn
        .query_row("SELECT id FROM profiles WHERE gid = ?1", [survivor], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(notices[0].profile_id, Some(id));
    assert_eq!(notices[0].label.as_deref(), Some("Võ Thị Em"));
    t.store
        .delete_profiles(&admin, &[id], "Khách yêu cầu xoá dữ liệu")
        .unwrap();
    let notices = t.store.sync_merge_notices(&admin).unwrap();
    assert_eq!(
        (notices[0].profile_id, notices[0].label.as_deref()),
        (None, None),
        "deleted since: the notice stays, without a link"
    );
}

/// The consent records of profile `gid` here: (event id, channel, status), oldest first.
fn consent_of(t: &TestStore, gid: &str) -> Vec<(String, String, String)> {
    let conn = Connection::open(t.db()).unwrap();
    let rows = conn
        .prepare(
            "SELECT c.event_id, c.channel, c.status FROM consent_records c
               JOIN profiles p ON p.id = c.profile_id WHERE p.gid = ?1 ORDER BY c.id",
        )
        .unwrap()
        .query_map([gid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

/// A create merged on the server into a customer this store has already: the server recorded
/// the create's consent events on that customer under their own ids, so here they move onto
/// it keeping them. Copied under new ids (as a merge review here does), the copies were events
/// the server never had, and the originals, pulled later, came beside them (found by the
/// model test, issue 14).
#[test]
fn a_create_merged_into_a_customer_here_moves_its_consent_events_with_their_ids() {
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    let survivor = "0190f3a2-0000-7000-8000-00000000bbbb";
    t.store
        .sync_apply_pull_page(
            &[profile_change(state(
                survivor,
                3,
                "Võ Thị Em",
                "0935111222",
            ))],
            "c1",
        )
        .unwrap();
    let mut consent = ConsentInput::default();
    consent
        .channels
        .insert("email".into(), ConsentStatus::Denied);
    t.store
        .create_profile(
            &admin,
            &ProfileInput::default()
                .with("full_name", "Võ Thị Em")
                .with_list("emails", &["em.vo@example.vn"]),
            &consent,
        )
        .unwrap();
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    let created = batch.ops[0].body.gid().unwrap().to_string();
    let recorded = consent_of(&t, &created);
    assert_eq!(recorded.len(), 1, "the create's consent event");
    let mut answer = applied(&batch, 4, Vec::new());
    answer.results[0].outcome = Outcome::Merged(Merged {
        gid: created.clone(),
        into: survivor.into(),
        matched_by: MatchKey::Email,
        rev: 4,
        state: Some(state(survivor, 4, "Võ Thị Em", "0935111222")),
    });
    t.store.sync_record_push(&batch, &answer).unwrap();
    assert_eq!(names(&t), ["Võ Thị Em"], "one customer");
    assert_eq!(
        consent_of(&t, survivor),
        recorded,
        "the event is on the customer, under the id the server has it by"
    );

    // The server's copy of the event comes down: it is the one here already.
    let (event_id, channel, _) = &recorded[0];
    let page = t
        .store
        .sync_apply_pull_page(
            &[Change::Consent(pdesk_sync_proto::pull::ConsentChange {
                event_id: event_id.clone(),
                gid: survivor.into(),
                channel: channel.clone(),
                status: pdesk_sync_proto::profile::ConsentStatus::Denied,
                recorded_at: "2026-12-01T09:00:00.000Z".into(),
                by: Some("admin".into()),
                source: None,
            })],
            "c2",
        )
        .unwrap();
    assert_eq!(page.consent_events, 0);
    assert_eq!(consent_of(&t, survivor), recorded);
}

#[test]
fn answered_ops_are_kept_thirty_days_then_pruned_and_waiting_ones_never() {
    let clock = std::sync::Arc::new(pdesk_core::clock::FakeClock::default());
    let mut t = crate::test_store_on(clock.clone());
    connect(&mut t);
    create(
        &mut t,
        &[("full_name", "Ngô Văn Giang"), ("phones", "0912777888")],
    );
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    let answer = applied(&batch, 1, vec![]);
    t.store.sync_record_push(&batch, &answer).unwrap();
    create(
        &mut t,
        &[("full_name", "Ngô Thị Hà"), ("phones", "0912777999")],
    );
    // A failed round is noted with its kind (the chip says "Offline"), a success clears it.
    t.store
        .sync_note_round(Some((
            pdesk_core::sync::SyncErrorKind::Offline,
            "the server could not be reached",
        )))
        .unwrap();
    let status = t.store.sync_status().unwrap();
    assert_eq!(
        status.last_error_kind,
        Some(pdesk_core::sync::SyncErrorKind::Offline)
    );
    assert_eq!(status.pending_ops, 1);
    clock.advance(time::Duration::days(29));
    t.store.sync_note_round(None).unwrap();
    let status = t.store.sync_status().unwrap();
    assert_eq!((status.last_error, status.last_error_kind), (None, None));
    assert_eq!(outbox(&t).len(), 2, "29 days: both kept");
    clock.advance(time::Duration::days(2));
    t.store.sync_note_round(None).unwrap();
    let left = outbox(&t);
    assert_eq!(left.len(), 1, "31 days: the answered op is pruned");
    assert_eq!(left[0].0, 2, "the waiting op stays, however old");
}

#[test]
fn a_field_conflict_is_decided_by_keeping_taking_the_other_or_typing_a_checked_value() {
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    let id = created_id(&create(
        &mut t,
        &[("full_name", "Đỗ Văn Phúc"), ("phones", "0936111222")],
    ));
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    let conflict =
        |id: &str, field: &str, kept: &str, lost: &str| pdesk_sync_proto::push::FieldConflict {
            id: id.into(),
            field: field.into(),
            kept: serde_json::json!(kept),
            lost: serde_json::json!(lost),
        };
    let answer = applied(
        &batch,
        2,
        vec![
            conflict("cf_city", "city", "Huế", "Đà Nẵng"),
            conflict("cf_job", "job_title", "Kế toán", "Trưởng phòng"),
            conflict("cf_birthday", "birthday", "1990-05-01", "1990-01-05"),
        ],
    );
    t.store.sync_record_push(&batch, &answer).unwrap();
    assert_eq!(t.store.sync_status().unwrap().open_conflicts, 3);

    use pdesk_core::sync::ConflictDecision;
    // A typed value is checked like the edit form: a date that is not one is refused.
    let refused = t
        .store
        .sync_resolve_conflict(
            &admin,
            "cf_birthday",
            &ConflictDecision::Edit("31/02/1990".into()),
        )
        .unwrap_err();
    assert!(
        matches!(refused, pdesk_core::Error::Validation(_)),
        "{refused}"
    );
    t.store
        .sync_resolve_conflict(
            &admin,
            "cf_birthday",
            &ConflictDecision::Edit("01/05/1990".into()),
        )
        .unwrap();
    t.store
        .sync_resolve_conflict(&admin, "cf_city", &ConflictDecision::TakeOther)
        .unwrap();
    t.store
        .sync_resolve_conflict(&admin, "cf_job", &ConflictDecision::Keep)
        .unwrap();
    assert!(
        t.store
            .sync_resolve_conflict(&admin, "cf_job", &ConflictDecision::Keep)
            .is_err(),
        "decided once"
    );
    let profile = t.store.profile_detail(&admin, id).unwrap().profile;
    let field = |key: &str| profile.values.get(key).cloned();
    assert_eq!(
        field("city").as_deref(),
        Some("Đà Nẵng"),
        "the other value taken"
    );
    assert_eq!(
        field("birthday").as_deref(),
        Some("1990-05-01"),
        "the typed date, as a date"
    );
    // Each decision goes up as a conflict.resolve op, the typed value with it.
    let ops: Vec<OpBody> = outbox(&t)
        .into_iter()
        .filter(|o| o.1 == "conflict.resolve")
        .map(|o| serde_json::from_str(&o.2).unwrap())
        .collect();
    let decided: Vec<(String, String, Option<serde_json::Value>)> = ops
        .into_iter()
        .map(|op| match op {
            OpBody::ConflictResolve(r) => (
                r.conflict,
                serde_json::to_value(r.choice)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                r.value,
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        decided,
        [
            (
                "cf_birthday".into(),
                "edited".into(),
                Some(serde_json::json!("1990-05-01"))
            ),
            ("cf_city".into(), "lost".into(), None),
            ("cf_job".into(), "kept".into(), None),
        ]
    );
    assert_eq!(t.store.sync_status().unwrap().open_conflicts, 0);
}

#[test]
fn a_refused_change_is_listed_and_retried_as_a_new_op_once() {
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    create(
        &mut t,
        &[("full_name", "Lý Thị Hạnh"), ("phones", "0913444555")],
    );
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    let refused = PushResponse {
        acked_through: 1,
        hlc: Hlc::new(1, 0).unwrap(),
        results: vec![OpResult {
            seq: 1,
            outcome: Outcome::Rejected(pdesk_sync_proto::push::Rejected {
                code: pdesk_sync_proto::push::RejectCode::Forbidden,
                permission: Some("profile.create".into()),
                field: None,
                permanent: true,
                detail: "this account may not create profiles".into(),
            }),
        }],
    };
    t.store.sync_record_push(&batch, &refused).unwrap();
    let listed = t.store.sync_rejections(&admin).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].op_id, batch.ops[0].op_id);
    assert_eq!(listed[0].code, "forbidden");
    assert!(
        t.store.sync_next_batch(1000).unwrap().is_none(),
        "refused: not sent again by itself"
    );

    // An administrator gave the permission: Retry sends the same change as a new op.
    t.store
        .sync_retry_rejected(&admin, &listed[0].op_id)
        .unwrap();
    assert!(t.store.sync_rejections(&admin).unwrap().is_empty());
    let again = t.store.sync_next_batch(1000).unwrap().unwrap();
    assert_eq!(again.ops.len(), 1);
    assert_eq!(again.ops[0].seq, 2, "the next seq");
    assert_ne!(again.ops[0].op_id, batch.ops[0].op_id, "a new op");
    assert_eq!(again.ops[0].body, batch.ops[0].body, "the same change");
    assert!(
        t.store
            .sync_retry_rejected(&admin, &listed[0].op_id)
            .is_err(),
        "retried once"
    );
    assert!(crate::audit_texts(&t.db())
        .iter()
        .any(|s| s == "sync.retry"));
}

#[test]
fn a_pulled_profiles_linked_objects_are_listed_counted_before_a_delete_and_follow_its_next_state() {
    use pdesk_sync_proto::links::{LinkKind, LinkedObject};
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    let gid = "0190f3a2-0000-7000-8000-000000000007";
    let link = |id: &str, kind: LinkKind, title: &str, status: &str| LinkedObject {
        id: id.into(),
        kind,
        title: title.into(),
        status: status.into(),
        created_at: "2026-12-01T08:00:00Z".into(),
    };
    let mut first = state(gid, 1, "Ngô Thị Hạnh", "0913555666");
    first.links = vec![
        link("ln_1", LinkKind::Account, "Công ty An Phát", "active"),
        link("ln_2", LinkKind::Opportunity, "Gói bảo hiểm 2027", "open"),
        link("ln_3", LinkKind::Ticket, "Đổi địa chỉ giao hàng", "open"),
    ];
    t.store
        .sync_apply_pull_page(&[profile_change(first)], "c1")
        .unwrap();
    let id = id_of(&t, gid);
    let links = t.store.profile_detail(&admin, id).unwrap().links;
    assert_eq!(links.accounts[0].title, "Công ty An Phát");
    assert_eq!(links.opportunities[0].title, "Gói bảo hiểm 2027");
    assert_eq!(links.tickets[0].status, "open");
    let preview = t.store.delete_preview(&admin, &[id]).unwrap();
    assert_eq!(
        (
            preview.accounts,
            preview.opportunities,
            preview.tickets,
            preview.tasks
        ),
        (1, 1, 1, 0),
        "the delete dialog counts them"
    );

    // The next state: the ticket closed, the opportunity gone, a task added. Nothing doubles.
    let mut second = state(gid, 2, "Ngô Thị Hạnh", "0913555666");
    second.links = vec![
        link("ln_1", LinkKind::Account, "Công ty An Phát", "active"),
        link("ln_3", LinkKind::Ticket, "Đổi địa chỉ giao hàng", "closed"),
        link("ln_4", LinkKind::Task, "Gọi lại sau Tết", "open"),
    ];
    let page = t
        .store
        .sync_apply_pull_page(&[profile_change(second)], "c2")
        .unwrap();
    assert_eq!(page.links, 1, "a change of links alone is a change");
    let links = t.store.profile_detail(&admin, id).unwrap().links;
    assert_eq!(links.accounts.len(), 1);
    assert!(links.opportunities.is_empty(), "unlinked on the server");
    assert_eq!(links.tickets[0].status, "closed");
    assert_eq!(links.tasks[0].title, "Gọi lại sau Tết");
    let objects: i64 = Connection::open(t.db())
        .unwrap()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM accounts) + (SELECT COUNT(*) FROM tickets)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(objects, 2, "an object the server sent twice is stored once");
}

#[test]
fn while_connected_the_servers_settings_are_taken_and_local_edits_of_them_refused() {
    use pdesk_core::admin::FieldDraft;
    use pdesk_core::model::{FieldKind, MatchKey, MergePolicy};
    use pdesk_sync_proto::hello::RuleConfig;
    use pdesk_sync_proto::pull::ConfigChange;
    let mut t = test_store();
    let admin = t.admin.clone();
    // A custom field made here before connecting: the server does not have it.
    t.store
        .add_field(
            &admin,
            &FieldDraft {
                label: "Sở thích".into(),
                kind: FieldKind::Text,
                options: vec![],
                synonyms: vec![],
                mandatory: false,
                displayed: true,
                hidden: false,
            },
        )
        .unwrap();
    connect(&mut t);
    let mut fields: Vec<_> = t
        .store
        .fields()
        .unwrap()
        .into_iter()
        .filter(|f| f.builtin && f.kind != FieldKind::System)
        .collect();
    for f in &mut fields {
        if f.key == "city" {
            f.label = "Tỉnh/Thành phố".into();
        }
    }
    let mut zalo = fields.iter().find(|f| f.key == "company").unwrap().clone();
    zalo.key = "zalo".into();
    zalo.label = "Zalo".into();
    zalo.builtin = false;
    zalo.position = 900;
    fields.push(zalo);
    let config = ConfigChange {
        version: 14,
        rule: RuleConfig {
            keys: vec![pdesk_sync_proto::profile::MatchKey::Phone],
            default_region: "VN".into(),
            merge_policy: Some(serde_json::json!("fillEmptyOnly")),
            guards: Some(serde_json::json!({
                "maxPhones": 3, "maxEmails": 3, "sharedKeyRows": 20, "blocked": ["0000000000"]
            })),
        },
        catalog: serde_json::to_value(&fields).unwrap(),
        channels: serde_json::json!([
            {"key": "email", "label": "E-mail"},
            {"key": "zalo", "label": "Zalo OA"}
        ]),
    };
    let page = t
        .store
        .sync_apply_pull_page(&[Change::Config(config)], "c1")
        .unwrap();
    assert_eq!(page.config, 1);

    let taken = t.store.fields().unwrap();
    let field = |key: &str| taken.iter().find(|f| f.key == key).cloned();
    assert_eq!(field("city").unwrap().label, "Tỉnh/Thành phố");
    assert_eq!(
        field("zalo").unwrap().label,
        "Zalo",
        "a field the server added"
    );
    assert!(
        field("created_at").is_some(),
        "the store's system fields stay"
    );
    let mine = taken.iter().find(|f| f.label == "Sở thích").unwrap();
    assert!(
        mine.hidden,
        "a local field the server lacks is hidden, its values kept"
    );
    let channels: Vec<String> = t
        .store
        .consent_channels()
        .unwrap()
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(
        &channels[..2],
        ["E-mail", "Zalo OA"],
        "the server's, in its order"
    );
    assert!(
        channels.contains(&"SMS".to_string()),
        "a local channel stays"
    );
    let rule = t.store.sync_settings().unwrap();
    assert_eq!(rule.match_keys, [MatchKey::Phone]);
    assert_eq!(rule.merge_policy, MergePolicy::FillEmptyOnly);
    assert_eq!(rule.guards.max_phones, 3);

    // Meanwhile this computer's Settings do not change them.
    let refused = t
        .store
        .set_field_mandatory(&admin, "city", true)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("The field catalogue is managed by cdp.example.vn"),
        "{refused}"
    );
    assert!(t.store.add_consent_channel(&admin, "Viber").is_err());
    assert!(t
        .store
        .set_sync_settings(&admin, &[MatchKey::Email], "VN", MergePolicy::Overwrite)
        .is_err());
    // Disconnected, they are this computer's again.
    t.store.sync_disconnect(&admin, true).unwrap();
    t.store.set_field_mandatory(&admin, "city", true).unwrap();
}

/// The server's answer "refused" to every op of `batch`.
fn refused_all(batch: &pdesk_sync_proto::push::PushRequest) -> PushResponse {
    PushResponse {
        acked_through: batch.ops.last().map_or(0, |o| o.seq),
        hlc: Hlc::new(1, 0).unwrap(),
        results: batch
            .ops
            .iter()
            .map(|op| OpResult {
                seq: op.seq,
                outcome: Outcome::Rejected(pdesk_sync_proto::push::Rejected {
                    code: pdesk_sync_proto::push::RejectCode::Forbidden,
                    permission: Some("profile.edit".into()),
                    field: None,
                    permanent: true,
                    detail: "this account may not change profiles".into(),
                }),
            })
            .collect(),
    }
}

#[test]
fn a_discarded_refused_change_gives_the_profile_the_servers_version_back() {
    use pdesk_core::sync::Discarded;
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    let gid = "0190f3a2-0000-7000-8000-000000000009";
    t.store
        .sync_apply_pull_page(
            &[profile_change(state(
                gid,
                1,
                "Phạm Minh Châu",
                "0912000111",
            ))],
            "c1",
        )
        .unwrap();
    let id = id_of(&t, gid);
    // An edit here the server refuses, and a new profile it refuses too.
    t.store
        .update_profile(
            &admin,
            id,
            &ProfileInput::default().with("full_name", "Phạm M. Châu"),
            &ConsentInput::default(),
        )
        .unwrap();
    create(
        &mut t,
        &[("full_name", "Đinh Văn Khoa"), ("phones", "0934777888")],
    );
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    t.store
        .sync_record_push(&batch, &refused_all(&batch))
        .unwrap();
    let listed = t.store.sync_rejections(&admin).unwrap();
    assert_eq!(listed.len(), 2);
    let op_of = |kind: &str| {
        listed
            .iter()
            .find(|r| r.kind == kind)
            .unwrap()
            .op_id
            .clone()
    };

    // Discard the edit: the server still has "Phạm Minh Châu".
    let edit = op_of("profile.update");
    assert_eq!(
        t.store.sync_rejection_gid(&edit).unwrap().as_deref(),
        Some(gid)
    );
    let on_server = match profile_change(state(gid, 1, "Phạm Minh Châu", "0912000111")) {
        Change::Profile(change) => ProfileAnswer {
            change,
            consent: Vec::new(),
        },
        _ => unreachable!(),
    };
    assert_eq!(
        t.store
            .sync_discard_rejected(&admin, &edit, Some(&on_server))
            .unwrap(),
        Discarded::ServerVersion
    );
    assert!(
        names(&t).contains(&"Phạm Minh Châu".to_string()),
        "{:?}",
        names(&t)
    );
    // Discard the new profile: the server never had it, so it goes.
    let new = op_of("profile.create");
    assert_eq!(
        t.store.sync_discard_rejected(&admin, &new, None).unwrap(),
        Discarded::Removed
    );
    assert!(!names(&t).contains(&"Đinh Văn Khoa".to_string()));
    assert!(t.store.sync_rejections(&admin).unwrap().is_empty());
    assert!(
        t.store.sync_discard_rejected(&admin, &new, None).is_err(),
        "discarded once"
    );
    assert!(
        t.store.sync_next_batch(1000).unwrap().is_none(),
        "nothing goes up for a discard"
    );
    assert_eq!(
        crate::audit_texts(&t.db())
            .iter()
            .filter(|s| *s == "sync.discard")
            .count(),
        2
    );
}
