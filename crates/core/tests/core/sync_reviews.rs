//! Merge reviews the server opened (issue 13; SYNC.md §5.2): a create that matched several
//! customers on the server is held there for a person. The laptop that sent it lists the review
//! from the push's answer; the pull names its reason; a person decides here (sent as one
//! `review.resolve` op, audited, no profile changed here); the server's resolution comes back.
//! Real temp-dir stores; the server's answers and pages are built from the protocol's types
//! (the app against a real `pdesk-server` is in `tests/e2e/sync-reviews.test.mjs`).

use pdesk_core::sync::{ServerReviewAction, ServerReviewDecision, ServerReviewReason};
use pdesk_sync_proto::pull::{
    Change, Cseq, ItemStatus, ProfileChange, ReviewChange, ReviewState, Tombstone,
};
use pdesk_sync_proto::push::{
    OpBody, OpResult, Outcome, PushResponse, ReviewDecision, ReviewOpened,
};
use pdesk_sync_proto::Hlc;
use rusqlite::Connection;

use crate::sync::{connect, id_of, ops_of_kind, profile_change, state};
use crate::{create, created_id, test_store, TestStore};

const HELD: &str = "0190aaaa-0000-7000-8000-000000000001";
const AN: &str = "0190bbbb-0000-7000-8000-000000000002";
const BINH: &str = "0190cccc-0000-7000-8000-000000000003";

/// Sends the outbox and answers its one create "review": held under its gid, matching An and
/// Bình on the server.
fn push_answered_review(t: &mut TestStore) {
    let batch = t.store.sync_next_batch(1000).unwrap().expect("the create");
    assert_eq!(batch.ops.len(), 1);
    let gid = batch.ops[0].body.gid().unwrap().to_string();
    let answer = PushResponse {
        acked_through: batch.ops[0].seq,
        hlc: Hlc::new(1, 0).unwrap(),
        results: vec![OpResult {
            seq: batch.ops[0].seq,
            outcome: Outcome::Review(ReviewOpened {
                review: "rv_1".into(),
                candidates: vec![AN.into(), BINH.into()],
                gid: Some(gid),
            }),
        }],
    };
    t.store.sync_record_push(&batch, &answer).unwrap();
}

fn review_change(gid: &str, rev: u64, status: ItemStatus, by: Option<&str>) -> Change {
    Change::Review(ReviewChange {
        id: "rv_1".into(),
        rev,
        state: ReviewState {
            gid: gid.into(),
            candidates: vec![AN.into(), BINH.into()],
            reason: "several_matches".into(),
            status,
            resolved_by: by.map(str::to_string),
            decision: by.map(|_| ReviewDecision::Attach),
        },
    })
}

/// The review.resolve ops in the outbox.
fn resolutions(t: &TestStore) -> Vec<pdesk_sync_proto::push::ReviewResolve> {
    ops_of_kind(t, "review.resolve")
        .into_iter()
        .map(|op| match op {
            OpBody::ReviewResolve(r) => r,
            other => panic!("{other:?}"),
        })
        .collect()
}

fn audited(t: &TestStore, action: &str) -> Vec<String> {
    Connection::open(t.db())
        .unwrap()
        .prepare("SELECT details FROM audit_log WHERE action = ?1 ORDER BY id")
        .unwrap()
        .query_map([action], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_review_the_server_opened_is_listed_decided_here_once_and_follows_the_servers_resolution() {
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    let here = created_id(&create(
        &mut t,
        &[("full_name", "Nguyễn Văn An"), ("phones", "0912345678")],
    ));
    push_answered_review(&mut t);

    // Known from the push's answer: the customer here, the two it matched not downloaded yet.
    let reviews = t.store.server_reviews(&admin).unwrap();
    assert_eq!(reviews.len(), 1);
    let r = &reviews[0];
    assert_eq!(r.held.profile_id, Some(here));
    assert_eq!(r.held.label.as_deref(), Some("Nguyễn Văn An"));
    assert!(r.candidates.iter().all(|c| c.profile_id.is_none()));
    assert!(!r.resolved && r.decision.is_none());
    assert_eq!(t.store.open_server_review_count(&admin).unwrap(), 1);
    let held = r.held.gid.clone();

    // The pull brings the two customers and the review with its reason.
    t.store
        .sync_apply_pull_page(
            &[
                profile_change(state(AN, 3, "Nguyễn Văn An", "0912345678")),
                profile_change(state(BINH, 5, "Trần Thị Bình", "0912345678")),
                review_change(&held, 1, ItemStatus::Open, None),
            ],
            "c1",
        )
        .unwrap();
    let r = t.store.server_reviews(&admin).unwrap().remove(0);
    assert_eq!(r.reason, ServerReviewReason::SeveralMatches);
    assert_eq!(
        r.candidates
            .iter()
            .map(|c| c.label.clone().unwrap())
            .collect::<Vec<_>>(),
        ["Nguyễn Văn An", "Trần Thị Bình"]
    );
    assert_eq!(r.candidates[0].profile_id, Some(id_of(&t, AN)));

    // A customer the review did not match cannot be chosen.
    let err = t
        .store
        .resolve_server_review(&admin, "rv_1", &ServerReviewDecision::Attach(HELD.into()))
        .unwrap_err();
    assert_eq!(err.reason(), Some("notAServerCandidate"), "{err}");
    assert!(resolutions(&t).is_empty());

    // Attach to An: one op based on the review's rev, the decision kept, audited; no profile
    // changes here (the server makes the merge).
    t.store
        .resolve_server_review(&admin, "rv_1", &ServerReviewDecision::Attach(AN.into()))
        .unwrap();
    let sent = resolutions(&t);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (
            sent[0].review.as_str(),
            sent[0].base_rev,
            sent[0].decision,
            sent[0].target.as_deref()
        ),
        ("rv_1", 1, ReviewDecision::Attach, Some(AN))
    );
    let r = t.store.server_reviews(&admin).unwrap().remove(0);
    assert_eq!(r.decision, Some(ServerReviewAction::Attach));
    assert_eq!(r.target.as_deref(), Some(AN));
    assert!(!r.resolved && r.decided_at.is_some());
    assert_eq!(
        t.store.open_server_review_count(&admin).unwrap(),
        0,
        "nothing is left to do here"
    );
    assert_eq!(id_of(&t, &held), here, "the held customer is still here");
    let audit = audited(&t, "sync.review");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("\"decision\":\"attach\""), "{audit:?}");
    assert!(!audit[0].contains("Nguyễn"), "no personal data: {audit:?}");

    // Deciding again is refused; so is a decision while the answer is on its way.
    let err = t
        .store
        .resolve_server_review(&admin, "rv_1", &ServerReviewDecision::CreateNew)
        .unwrap_err();
    assert_eq!(err.reason(), Some("serverReviewDecided"), "{err}");
    assert_eq!(resolutions(&t).len(), 1);

    // A page still saying "open" keeps the decision made here; the resolution ends it.
    t.store
        .sync_apply_pull_page(&[review_change(&held, 1, ItemStatus::Open, None)], "c2")
        .unwrap();
    let r = t.store.server_reviews(&admin).unwrap().remove(0);
    assert_eq!(r.decision, Some(ServerReviewAction::Attach));
    // The server's merge comes down with the resolution: the held customer goes into An (its
    // tombstone first, as a page may carry it), and the review still names it, masked.
    let merged = Change::Profile(ProfileChange {
        gid: held.clone(),
        rev: 2,
        cseq: Cseq(0, 9),
        state: None,
        deleted: true,
        tombstone: Some(Tombstone {
            merged_into: Some(AN.into()),
            by: Some("lan".into()),
            reason: None,
            reason_code: None,
            at: "2026-12-04T09:00:00.000Z".into(),
            lost_edits: vec![],
        }),
        survivor: Some(state(AN, 4, "Nguyễn Văn An", "0912345678")),
        origin: None,
    });
    t.store
        .sync_apply_pull_page(
            &[
                merged,
                review_change(&held, 2, ItemStatus::Resolved, Some("lan")),
            ],
            "c3",
        )
        .unwrap();
    let r = t.store.server_reviews(&admin).unwrap().remove(0);
    assert!(r.resolved);
    assert_eq!(r.decided_by.as_deref(), Some("lan"));
    assert_eq!(
        r.target.as_deref(),
        Some(AN),
        "the server's decision is ours"
    );
    assert_eq!(r.held.profile_id, None, "merged into An");
    assert_eq!(r.held.label.as_deref(), Some("Ng*** V** A*"));

    // Disconnecting forgets the server's reviews with the rest of its state.
    let batch = t.store.sync_next_batch(1000).unwrap().unwrap();
    t.store
        .sync_record_push(&batch, &crate::sync::applied(&batch, 2, vec![]))
        .unwrap();
    t.store.sync_disconnect(&admin, false).unwrap();
    assert!(t.store.server_reviews(&admin).unwrap().is_empty());
}

#[test]
fn a_review_another_device_resolved_first_shows_its_decision_not_the_one_made_here() {
    let mut t = test_store();
    let admin = t.admin.clone();
    connect(&mut t);
    t.store
        .sync_apply_pull_page(
            &[
                profile_change(state(HELD, 1, "Nguyễn Văn An", "0912345678")),
                profile_change(state(AN, 3, "Nguyễn Văn An", "0912345678")),
                profile_change(state(BINH, 5, "Trần Thị Bình", "0912345678")),
                review_change(HELD, 1, ItemStatus::Open, None),
            ],
            "c1",
        )
        .unwrap();
    assert_eq!(t.store.open_server_review_count(&admin).unwrap(), 1);
    t.store
        .resolve_server_review(&admin, "rv_1", &ServerReviewDecision::MergeAll(BINH.into()))
        .unwrap();
    // Minh attached it to An on his laptop first.
    t.store
        .sync_apply_pull_page(
            &[review_change(HELD, 2, ItemStatus::Resolved, Some("minh"))],
            "c2",
        )
        .unwrap();
    let r = t.store.server_reviews(&admin).unwrap().remove(0);
    assert!(r.resolved);
    assert_eq!(
        (r.decision, r.decided_by.as_deref(), r.target.as_deref()),
        (Some(ServerReviewAction::Attach), Some("minh"), None),
        "the target chosen here does not name Minh's outcome"
    );
}
