//! Merge review (SPEC 6): listing, the side-by-side detail, and each resolution — attach,
//! merge all into one, create new, dismiss — with what moves, what is recorded and audited,
//! permissions, double resolution and stale candidates.

use std::path::Path;
use std::sync::Arc;

use pdesk_core::clock::FakeClock;
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::ImportSettings;
use pdesk_core::model::{ConsentInput, ConsentStatus, MergePolicy, ProfileInput, SaveOutcome};
use pdesk_core::profiles::review::{
    FieldPick, ReviewAction, ReviewDecision, ReviewList, ReviewQuery, ReviewResolution,
    ReviewRowKind, ReviewStatus,
};
use pdesk_core::{Error, Store};
use rusqlite::Connection;

use crate::{
    audit_texts, create, created_id, link_one_of_each, test_store, test_store_on, TestStore,
};

/// A millisecond: the smallest step stored timestamps show.
const MS: time::Duration = time::Duration::milliseconds(1);

const NAME_A: &str = "Nguyễn Văn An";
const NAME_B: &str = "Nguyễn V. An";
const PHONE_A: &str = "0912345678";
const EMAIL_B: &str = "an.nguyen@example.vn";

fn db(path: &Path) -> Connection {
    Connection::open(path).expect("open the store file directly")
}

/// Resolves `review` with `decision` as the administrator (`version`: the detail's, if any).
fn decide(
    t: &mut TestStore,
    review: i64,
    decision: ReviewDecision,
    version: Option<&str>,
) -> pdesk_core::Result<ReviewResolution> {
    let admin = t.admin.clone();
    t.store
        .resolve_merge_review(&admin, review, &decision, version)
}

/// The reviews with `status` (of job `job`, or of every job), as the administrator sees them.
fn reviews(t: &TestStore, status: ReviewStatus, job: Option<i64>) -> ReviewList {
    t.store
        .merge_reviews(
            &t.admin,
            &ReviewQuery {
                status,
                job_id: job,
            },
        )
        .expect("reviews")
}

fn total(t: &TestStore) -> u32 {
    t.store
        .count_profiles(&t.admin, &ListQuery::default())
        .expect("count")
        .total
}

/// Records e-mail consent on profile `id` through an edit that changes nothing else.
fn record_email_consent(t: &mut TestStore, id: i64, status: ConsentStatus) {
    let admin = t.admin.clone();
    t.store
        .update_profile(&admin, id, &ProfileInput::default(), &email_consent(status))
        .expect("consent recorded");
}

fn email_consent(status: ConsentStatus) -> ConsentInput {
    let mut c = ConsentInput::default();
    c.channels.insert("email".into(), status);
    c
}

fn links_of(t: &TestStore, id: i64) -> i64 {
    let conn = db(t.store.path());
    [
        "profile_accounts",
        "profile_opportunities",
        "profile_tickets",
        "profile_tasks",
    ]
    .iter()
    .map(|table| {
        conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE profile_id = ?1"),
            [id],
            |r| r.get::<_, i64>(0),
        )
        .expect("count links")
    })
    .sum()
}

/// Two profiles — A by phone, B by e-mail — and incoming data from the create form that
/// matches both (A's phone typed differently, B's e-mail in capitals): a review.
struct Setup {
    a: i64,
    b: i64,
    review: i64,
}

fn two_candidates(t: &mut TestStore) -> Setup {
    let a = created_id(
        &t.store
            .create_profile(
                &t.admin,
                &ProfileInput::default()
                    .with("full_name", NAME_A)
                    .with_list("phones", &[PHONE_A])
                    .with("city", "Hà Nội"),
                &email_consent(ConsentStatus::Denied),
            )
            .expect("A"),
    );
    let b = created_id(&create(
        t,
        &[
            ("full_name", NAME_B),
            ("emails", EMAIL_B),
            ("company", "Công ty ABC"),
        ],
    ));
    let out = t
        .store
        .create_profile(
            &t.admin,
            &ProfileInput::default()
                .with("full_name", NAME_A)
                .with_list("phones", &["+84 912 345 678", "0987 654 321"])
                .with_list("emails", &["AN.NGUYEN@example.vn"])
                .with("city", "Huế"),
            &email_consent(ConsentStatus::Granted),
        )
        .expect("incoming");
    let review = match out {
        SaveOutcome::Review {
            review_id,
            candidates,
            ..
        } => {
            assert_eq!(candidates.len(), 2, "A and B both match");
            review_id
        }
        other => panic!("two different matches must create a review, got {other:?}"),
    };
    Setup { a, b, review }
}

fn assert_no_personal_data(path: &Path, table: &str, what: &[&str]) {
    let texts = if table == "audit_log" {
        audit_texts(path)
    } else {
        let conn = db(path);
        let mut stmt = conn
            .prepare(&format!("SELECT incoming || candidates || COALESCE(resolution, '') FROM {table} WHERE status = 'resolved'"))
            .expect("prepare");
        let texts: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("texts");
        texts
    };
    for text in &texts {
        for secret in what {
            assert!(
                !text.to_lowercase().contains(&secret.to_lowercase()),
                "{table} must hold no personal data, found “{secret}” in {text}"
            );
        }
    }
}

fn audit_actions(path: &Path) -> Vec<(String, String, String)> {
    let conn = db(path);
    let mut stmt = conn
        .prepare("SELECT action, target, details FROM audit_log ORDER BY id")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    rows
}

/// The shared positional paste settings, filling empty fields only.
fn paste_settings(store: &Store, text: &str) -> ImportSettings {
    ImportSettings {
        policy: MergePolicy::FillEmptyOnly,
        ..crate::paste_settings(store, text)
    }
}

/// Runs a paste as an import job; returns its id.
fn paste_job(t: &mut TestStore, text: &str) -> i64 {
    let s = paste_settings(&t.store, text);
    crate::run_paste(t, text, &s)
}

#[test]
fn an_import_rows_review_is_listed_with_its_job_and_row_and_shown_side_by_side() {
    let mut t = test_store();
    let a = created_id(&create(
        &mut t,
        &[("full_name", NAME_A), ("phones", PHONE_A)],
    ));
    let b = created_id(&create(
        &mut t,
        &[("full_name", NAME_B), ("emails", EMAIL_B)],
    ));
    let job = paste_job(
        &mut t,
        &format!("Lê Thị Hoa\t0901111222\thoa@example.vn\n{NAME_A}\t+84 912 345 678\t{EMAIL_B}\n"),
    );
    assert_eq!(
        t.store.job(&t.admin, job).unwrap().counts.reviews,
        1,
        "row 2 matches A and B"
    );
    assert_eq!(
        t.store.open_review_count(&t.admin).unwrap(),
        1,
        "one open review"
    );

    let list = reviews(&t, ReviewStatus::Open, None);
    assert_eq!(
        (list.open, list.matching, list.recently_resolved),
        (1, 1, 0),
        "counts"
    );
    let item = &list.items[0];
    assert_eq!(item.job_id, Some(job), "the review knows its job");
    assert_eq!(item.row, Some(2), "and the pasted line it came from");
    assert_eq!(item.origin, "Pasted data, row 2", "said for people");
    assert_eq!(item.incoming_label, NAME_A, "the incoming data's label");
    let ids: Vec<i64> = item.candidates.iter().map(|c| c.profile_id).collect();
    assert_eq!(ids, [a, b], "both candidates, in key order");
    let of_job = reviews(&t, ReviewStatus::Open, Some(job));
    assert_eq!(of_job.matching, 1, "the job's reviews");
    let of_other = reviews(&t, ReviewStatus::Open, Some(job + 1));
    assert_eq!(of_other.matching, 0, "another job has none");
    assert_eq!(of_other.open, 1, "the open count stays the store's");

    let d = t.store.merge_review(&t.admin, item.id).unwrap();
    assert_eq!(d.columns.len(), 3, "incoming, A, B");
    assert_eq!(
        d.columns[0].profile_id, None,
        "the incoming data comes first"
    );
    assert_eq!(
        d.columns[1].matched_by.map(|k| k.as_str()),
        Some("phone"),
        "A matched by phone"
    );
    assert_eq!(
        d.columns[2].matched_by.map(|k| k.as_str()),
        Some("email"),
        "B matched by e-mail"
    );
    assert_eq!(
        d.policy,
        MergePolicy::FillEmptyOnly,
        "attach uses the import's merge policy"
    );
    let row = |key: &str| {
        d.rows
            .iter()
            .find(|r| r.field == key)
            .unwrap_or_else(|| panic!("row {key}: {:?}", d.rows))
    };
    assert_eq!(
        row("full_name").values,
        [NAME_A, NAME_A, NAME_B],
        "the name in every column"
    );
    assert!(row("full_name").differs, "A's and B's names differ");
    assert_eq!(
        row("full_name").kind,
        ReviewRowKind::Single,
        "a name is one value"
    );
    assert_eq!(
        row("phones").values,
        [PHONE_A, PHONE_A, ""],
        "phones one way, the stored number in national form (the incoming row typed \
         +84 912 345 678); B has none"
    );
    assert!(
        !row("phones").differs,
        "the same number typed two ways is not a difference"
    );
    assert_eq!(
        row("phones").kind,
        ReviewRowKind::List,
        "phones are unioned, not picked"
    );
    assert!(
        row("consent.email").kind == ReviewRowKind::Consent,
        "consent rows are shown"
    );
    assert_eq!(
        row("links").values,
        ["", "None", "None"],
        "links per candidate"
    );
    assert!(d.notes.is_empty(), "nothing changed since: {:?}", d.notes);
}

#[test]
fn attach_merges_into_the_chosen_candidate_with_history_consent_and_audit() {
    let mut t = test_store();
    let s = two_candidates(&mut t);
    let admin = t.admin.clone();
    let version = t.store.merge_review(&admin, s.review).unwrap().version;
    let done = decide(
        &mut t,
        s.review,
        ReviewDecision::Attach { profile_id: s.a },
        Some(&version),
    )
    .expect("attach");
    assert!(done.applied, "resolved, not previewed");
    assert_eq!(done.profile_id, Some(s.a), "the data went to A");
    assert!(
        done.message
            .starts_with(&format!("Added the incoming data to {NAME_A} (#{})", s.a)),
        "the message says where: {}",
        done.message
    );
    let detail = t.store.profile_detail(&admin, s.a).unwrap();
    let phones: Vec<&str> = detail
        .profile
        .phones
        .iter()
        .map(|p| p.e164.as_str())
        .collect();
    assert_eq!(
        phones,
        ["+84912345678", "+84987654321"],
        "the new phone is added, the shared one kept once"
    );
    assert_eq!(
        detail.profile.emails,
        ["AN.NGUYEN@example.vn"],
        "the e-mail is added"
    );
    assert_eq!(
        detail.profile.values["city"], "Huế",
        "overwrite (the form's policy) replaces the city"
    );
    let merged = &detail.history[0];
    assert_eq!(merged.kind, "merged", "the history records the merge");
    assert_eq!(
        merged.matched_by.map(|k| k.as_str()),
        Some("phone"),
        "with the key that matched A"
    );
    assert!(
        merged
            .source
            .contains(&format!("Merge review {}", s.review)),
        "and the review: {}",
        merged.source
    );
    assert_eq!(
        detail.consent["email"],
        ConsentStatus::Granted,
        "the incoming consent is recorded"
    );
    let b = t.store.profile_detail(&admin, s.b).unwrap();
    assert!(b.profile.phones.is_empty(), "B is untouched");
    assert_eq!(total(&t), 2, "nothing created, nothing removed");

    assert_eq!(
        t.store.open_review_count(&admin).unwrap(),
        0,
        "the review is closed"
    );
    let resolved = reviews(&t, ReviewStatus::Resolved, None);
    assert_eq!(resolved.recently_resolved, 1, "listed as recently resolved");
    let outcome = resolved.items[0].outcome.as_ref().expect("an outcome");
    assert_eq!(outcome.action, ReviewAction::Attach, "attached");
    assert_eq!(outcome.resolved_by, admin.name, "by whom");
    assert_eq!(
        outcome.message,
        format!("Attached to {NAME_A} (#{})", s.a),
        "as a sentence"
    );
    assert_eq!(
        resolved.items[0].incoming_label, "Ng*** V** A*",
        "the resolved review keeps a masked label"
    );
    assert_no_personal_data(
        t.store.path(),
        "merge_reviews",
        &[NAME_A, NAME_B, "0987", EMAIL_B],
    );

    let actions = audit_actions(t.store.path());
    let (action, target, details) = actions.last().expect("an audit entry");
    assert_eq!(
        (action.as_str(), target.as_str()),
        ("review.resolve", format!("review:{}", s.review).as_str()),
        "audited"
    );
    assert!(
        details.contains("\"attach\"") && details.contains(&format!("\"profileId\":{}", s.a)),
        "{details}"
    );
    let sentence = pdesk_core::audit_log::summary(action, target, details);
    assert_eq!(
        sentence,
        format!(
            "Merge review {} resolved: attached to profile #{}",
            s.review, s.a
        ),
        "the audit screen's sentence"
    );
    assert_no_personal_data(
        t.store.path(),
        "audit_log",
        &[NAME_A, NAME_B, PHONE_A, "987654321", EMAIL_B],
    );
}

#[test]
fn attach_with_fill_empty_only_keeps_the_candidates_values() {
    let mut t = test_store();
    create(
        &mut t,
        &[
            ("full_name", NAME_A),
            ("phones", PHONE_A),
            ("city", "Hà Nội"),
        ],
    );
    create(&mut t, &[("full_name", NAME_B), ("emails", EMAIL_B)]);
    let job = paste_job(&mut t, &format!("Someone Else\t{PHONE_A}\t{EMAIL_B}\n"));
    let list = reviews(&t, ReviewStatus::Open, Some(job));
    let admin = t.admin.clone();
    let a = list.items[0].candidates[0].profile_id;
    decide(
        &mut t,
        list.items[0].id,
        ReviewDecision::Attach { profile_id: a },
        None,
    )
    .unwrap();
    let d = t.store.profile_detail(&admin, a).unwrap();
    assert_eq!(
        d.profile.label, NAME_A,
        "the import chose fill-empty-only: the name stays"
    );
    assert_eq!(d.profile.emails, [EMAIL_B], "an empty field is filled");
}

#[test]
fn merge_all_moves_links_consent_and_history_and_removes_the_others_without_losing_data() {
    let clock = Arc::new(FakeClock::default());
    let mut t = test_store_on(clock.clone());
    let s = two_candidates(&mut t);
    link_one_of_each(t.store.path(), s.a);
    link_one_of_each(t.store.path(), s.b);
    let admin = t.admin.clone();
    // After the review was created: B's customer grants e-mail, later A's customer refuses
    // it again. The latest record must decide, not the order the copies are appended in.
    clock.advance(5 * MS);
    t.store
        .update_profile(
            &admin,
            s.b,
            &ProfileInput::default().with("job_title", "Giám đốc"),
            &email_consent(ConsentStatus::Granted),
        )
        .unwrap();
    clock.advance(5 * MS);
    record_email_consent(&mut t, s.a, ConsentStatus::Granted);
    record_email_consent(&mut t, s.a, ConsentStatus::Denied);
    let b_history = t.store.profile_detail(&admin, s.b).unwrap().history.len();
    assert!(
        b_history >= 3,
        "B was created, edited and had consent recorded"
    );

    let preview = t
        .store
        .preview_review_decision(
            &admin,
            s.review,
            &ReviewDecision::MergeAll {
                survivor: s.a,
                picks: vec![],
            },
        )
        .expect("preview");
    assert!(!preview.applied, "a preview changes nothing");
    assert!(
        preview.message.starts_with(&format!(
            "2 profiles will be merged into {NAME_A} (#{}) together with the incoming data; 1 will be removed (#{})",
            s.a, s.b
        )),
        "the confirmation says what will happen: {}",
        preview.message
    );
    assert!(
        preview.message.contains("4 linked objects move"),
        "and that B's links move: {}",
        preview.message
    );
    assert_eq!(total(&t), 2, "the preview removed nothing");
    assert_eq!(
        t.store.open_review_count(&admin).unwrap(),
        1,
        "and resolved nothing"
    );
    assert_eq!(links_of(&t, s.a), 4, "nor moved links");

    let done = decide(
        &mut t,
        s.review,
        ReviewDecision::MergeAll {
            survivor: s.a,
            picks: vec![],
        },
        None,
    )
    .expect("merge all");
    assert_eq!(done.removed.len(), 1, "B was merged away");
    assert_eq!(done.removed[0].profile_id, s.b, "B");
    assert_eq!(done.moved_links, 4, "B's four links moved");
    assert_eq!(
        preview.values, done.values,
        "the preview showed exactly the result"
    );
    assert_eq!(total(&t), 1, "one profile is left");
    assert!(
        matches!(t.store.profile_detail(&admin, s.b), Err(Error::NotFound(_))),
        "B is gone"
    );

    let d = t.store.profile_detail(&admin, s.a).unwrap();
    let phones: Vec<&str> = d.profile.phones.iter().map(|p| p.e164.as_str()).collect();
    assert_eq!(
        phones,
        ["+84912345678", "+84987654321"],
        "the incoming phone joined A's"
    );
    assert_eq!(
        d.profile.emails,
        ["AN.NGUYEN@example.vn"],
        "the incoming data comes before the other candidates; B's same address is not repeated"
    );
    assert_eq!(d.profile.label, NAME_A, "the survivor's name is kept");
    assert_eq!(
        d.profile.values["city"], "Hà Nội",
        "the survivor's city is kept (no pick)"
    );
    assert_eq!(
        d.profile.values["company"], "Công ty ABC",
        "B's company fills an empty field"
    );
    assert_eq!(
        d.profile.values["job_title"], "Giám đốc",
        "B's job title too"
    );
    assert_eq!(links_of(&t, s.a), 8, "A keeps its links and gets B's");
    assert_eq!(d.links.accounts.len(), 2, "two accounts now");

    // Profile history: B's entries moved, marked; A got one entry per merge step.
    let kinds: Vec<&str> = d.history.iter().map(|h| h.kind.as_str()).collect();
    assert!(
        kinds.contains(&"mergedFrom"),
        "what B had is recorded: {kinds:?}"
    );
    let moved = d
        .history
        .iter()
        .filter(|h| h.source.contains(&format!("(from profile #{})", s.b)))
        .count();
    assert_eq!(moved, b_history, "every history entry of B moved to A");
    let from_b = d.history.iter().find(|h| h.kind == "mergedFrom").unwrap();
    let lost: Vec<(&str, &str)> = from_b
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_str()))
        .collect();
    assert_eq!(
        lost,
        [("full_name", NAME_B)],
        "the value of B not kept (its name) is in A's history"
    );
    let merged = d.history.iter().find(|h| h.kind == "merged").unwrap();
    assert_eq!(
        merged.matched_by.map(|k| k.as_str()),
        Some("phone"),
        "the survivor's merge names its key"
    );

    // Consent: B's records copied (append-only), the latest decides, then the incoming.
    let copied = d
        .consent_history
        .iter()
        .filter(|c| c.source.contains(&format!("(from profile #{})", s.b)))
        .count();
    assert!(
        copied >= 1,
        "B's consent history is kept on A: {:?}",
        d.consent_history
    );
    assert_eq!(
        d.consent["email"],
        ConsentStatus::Denied,
        "A's refusal is the latest record: neither B's older grant nor the import's grant wins"
    );
    assert!(
        done.message
            .contains("consent for email was recorded again after the import"),
        "the result says the import's consent was not applied: {}",
        done.message
    );

    // Audit: one entry per removed profile, masked, and the decision.
    let actions = audit_actions(t.store.path());
    let merge_entry = actions
        .iter()
        .find(|(a, _, _)| a == "profile.merge")
        .expect("a profile.merge entry");
    assert_eq!(merge_entry.1, format!("profile:{}", s.b), "for B");
    assert!(
        merge_entry.2.contains("\"label\":\"Ng*** V* A*\""),
        "with B's masked label: {}",
        merge_entry.2
    );
    assert!(
        merge_entry.2.contains(&format!("\"mergedInto\":{}", s.a)),
        "and where it went: {}",
        merge_entry.2
    );
    let sentence = pdesk_core::audit_log::summary(&merge_entry.0, &merge_entry.1, &merge_entry.2);
    assert_eq!(
        sentence,
        format!(
            "Merged profile #{} Ng*** V* A* into profile #{} (merge review {}; 1 account, 1 opportunity, 1 task, 1 ticket moved)",
            s.b, s.a, s.review
        ),
        "the audit screen's sentence"
    );
    let resolve = actions
        .iter()
        .find(|(a, _, _)| a == "review.resolve")
        .expect("the decision");
    assert_eq!(
        pdesk_core::audit_log::summary(&resolve.0, &resolve.1, &resolve.2),
        format!(
            "Merge review {} resolved: merged profile #{} into profile #{}",
            s.review, s.b, s.a
        ),
        "the decision's sentence"
    );
    assert_no_personal_data(
        t.store.path(),
        "audit_log",
        &[NAME_A, NAME_B, PHONE_A, "987654321", EMAIL_B, "Giám đốc"],
    );
    assert_eq!(
        t.store.verify_audit(&admin).unwrap().first_broken,
        None,
        "the chain holds"
    );
    // Search follows: B's name finds nothing, A's finds A.
    let found = t
        .store
        .count_profiles(
            &admin,
            &ListQuery {
                search: "nguyen".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        found.filtered, 1,
        "both names had “nguyen”; only the survivor is found now"
    );
}

#[test]
fn merge_all_follows_the_picks_and_refuses_impossible_ones() {
    let mut t = test_store();
    let s = two_candidates(&mut t);
    let admin = t.admin.clone();
    let bad = decide(
        &mut t,
        s.review,
        ReviewDecision::MergeAll {
            survivor: s.a,
            picks: vec![
                FieldPick {
                    field: "phones".into(),
                    from: Some(s.b),
                },
                FieldPick {
                    field: "company".into(),
                    from: Some(s.a),
                },
            ],
        },
        None,
    )
    .expect_err("a list field cannot be picked, an empty value neither");
    match bad {
        Error::Validation(errors) => {
            let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
            assert_eq!(
                codes,
                ["notPickable", "emptyPick"],
                "each problem named: {errors:?}"
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(total(&t), 2, "a refused decision changes nothing");

    decide(
        &mut t,
        s.review,
        ReviewDecision::MergeAll {
            survivor: s.a,
            picks: vec![
                FieldPick {
                    field: "full_name".into(),
                    from: Some(s.b),
                },
                FieldPick {
                    field: "city".into(),
                    from: None,
                },
            ],
        },
        None,
    )
    .expect("merge with picks");
    let d = t.store.profile_detail(&admin, s.a).unwrap();
    assert_eq!(d.profile.label, NAME_B, "the name picked from B");
    assert_eq!(
        d.profile.values["city"], "Huế",
        "the city picked from the incoming data"
    );
    let from_b = d.history.iter().find(|h| h.kind == "mergedFrom").unwrap();
    assert!(
        from_b.changes.is_empty(),
        "everything B had is on A now: {:?}",
        from_b.changes
    );
}

#[test]
fn create_new_ignores_the_matches_and_dismiss_discards() {
    let mut t = test_store();
    let s = two_candidates(&mut t);
    let admin = t.admin.clone();
    let done = decide(&mut t, s.review, ReviewDecision::CreateNew, None).expect("create new");
    let id = done.profile_id.expect("a new profile");
    assert!(id > s.b, "a new id");
    assert_eq!(total(&t), 3, "a third profile");
    let d = t.store.profile_detail(&admin, id).unwrap();
    assert_eq!(d.profile.label, NAME_A, "from the incoming data");
    assert_eq!(d.profile.phones.len(), 2, "with its phones");
    assert_eq!(
        d.consent["email"],
        ConsentStatus::Granted,
        "and its consent"
    );
    assert_eq!(
        d.history[0].kind, "created",
        "its history says it was created"
    );
    assert!(
        d.history[0].source.contains("created new"),
        "from the review: {}",
        d.history[0].source
    );
    assert_eq!(
        t.store
            .profile_detail(&admin, s.a)
            .unwrap()
            .profile
            .phones
            .len(),
        1,
        "A untouched"
    );

    let second = two_candidates_again(&mut t, &s);
    let done = decide(&mut t, second, ReviewDecision::Dismiss, None).expect("dismiss");
    assert_eq!(done.action, ReviewAction::Dismiss, "dismissed");
    assert!(
        done.message.starts_with("Discarded the incoming data"),
        "{}",
        done.message
    );
    assert_eq!(total(&t), 3, "nothing created or removed");
}

/// Another review against A and B (the incoming data uses A's phone and B's e-mail).
fn two_candidates_again(t: &mut TestStore, s: &Setup) -> i64 {
    let _ = s;
    match t
        .store
        .create_profile(
            &t.admin,
            &ProfileInput::default()
                .with_list("phones", &[PHONE_A])
                .with_list("emails", &[EMAIL_B]),
            &ConsentInput::default(),
        )
        .unwrap()
    {
        SaveOutcome::Review { review_id, .. } => review_id,
        other => panic!("expected a review, got {other:?}"),
    }
}

#[test]
fn a_resolved_review_cannot_be_resolved_again() {
    let mut t = test_store();
    let s = two_candidates(&mut t);
    let admin = t.admin.clone();
    decide(
        &mut t,
        s.review,
        ReviewDecision::Attach { profile_id: s.b },
        None,
    )
    .unwrap();
    for decision in [
        ReviewDecision::Attach { profile_id: s.a },
        ReviewDecision::MergeAll {
            survivor: s.a,
            picks: vec![],
        },
        ReviewDecision::CreateNew,
        ReviewDecision::Dismiss,
    ] {
        let err = t
            .store
            .resolve_merge_review(&admin, s.review, &decision, None)
            .expect_err("resolved already");
        assert_eq!(err.code(), "conflict", "{decision:?}: a conflict");
        assert!(
            err.to_string().starts_with(&format!(
                "Merge review {} was already resolved by {}",
                s.review, admin.name
            )),
            "the message says by whom: {err}"
        );
        assert!(
            err.to_string()
                .contains(&format!("Attached to {NAME_A} (#{})", s.b)),
            "and how (the overwrite policy gave B the incoming name): {err}"
        );
    }
    assert_eq!(total(&t), 2, "nothing happened twice");
    let err = decide(&mut t, 9_999, ReviewDecision::Dismiss, None).expect_err("no such review");
    assert_eq!(err.to_string(), "There is no merge review 9999", "named");
}

#[test]
fn permissions_are_checked_in_the_core_and_named() {
    let mut t = test_store();
    let s = two_candidates(&mut t);
    let admin = t.admin.clone();
    t.store
        .create_role(
            &admin,
            "Creator",
            &["profile.view".into(), "profile.create".into()],
        )
        .unwrap();
    t.store
        .create_role(
            &admin,
            "Editor",
            &["profile.view".into(), "profile.edit".into()],
        )
        .unwrap();
    for (user, role) in [
        ("vi", "Viewer"),
        ("cr", "Creator"),
        ("ed", "Editor"),
        ("sa", "Sales"),
    ] {
        t.store.add_user(&admin, user, role).unwrap();
    }
    let viewer = t.store.actor(Some("vi")).unwrap();
    assert_eq!(
        t.store.open_review_count(&viewer).unwrap(),
        1,
        "viewers see the reviews"
    );
    t.store
        .merge_review(&viewer, s.review)
        .expect("and their detail");
    let refused = |store: &mut Store, who: &str, decision: ReviewDecision, permission: &str| {
        let actor = store.actor(Some(who)).unwrap();
        for preview in [true, false] {
            let result = if preview {
                store.preview_review_decision(&actor, s.review, &decision)
            } else {
                store.resolve_merge_review(&actor, s.review, &decision, None)
            };
            match result {
                Err(Error::Permission { permission: p, .. }) => {
                    assert_eq!(p, permission, "{who}: {decision:?} names {permission}")
                }
                other => panic!("{who} must be refused {decision:?}, got {other:?}"),
            }
        }
    };
    refused(
        &mut t.store,
        "vi",
        ReviewDecision::Attach { profile_id: s.a },
        "profile.edit",
    );
    refused(
        &mut t.store,
        "vi",
        ReviewDecision::CreateNew,
        "profile.create",
    );
    refused(
        &mut t.store,
        "cr",
        ReviewDecision::MergeAll {
            survivor: s.a,
            picks: vec![],
        },
        "profile.edit",
    );
    refused(&mut t.store, "cr", ReviewDecision::Dismiss, "profile.edit");
    refused(
        &mut t.store,
        "ed",
        ReviewDecision::CreateNew,
        "profile.create",
    );
    let editor = t.store.actor(Some("ed")).unwrap();
    let message = t
        .store
        .preview_review_decision(
            &editor,
            s.review,
            &ReviewDecision::Attach { profile_id: s.a },
        )
        .expect("an editor may attach")
        .message;
    assert!(message.contains(NAME_A), "{message}");
    let sales = t.store.actor(Some("sa")).unwrap();
    t.store
        .resolve_merge_review(
            &sales,
            s.review,
            &ReviewDecision::MergeAll {
                survivor: s.b,
                picks: vec![],
            },
            None,
        )
        .expect("Sales (all but delete) may merge");
    assert_eq!(total(&t), 1, "merged");
}

#[test]
fn stale_candidates_are_shown_as_they_are_now_and_old_versions_are_refused() {
    let clock = Arc::new(FakeClock::default());
    let mut t = test_store_on(clock.clone());
    let s = two_candidates(&mut t);
    let admin = t.admin.clone();
    let before = t.store.merge_review(&admin, s.review).unwrap();
    // Timestamps have milliseconds: the edit must come after the review was created.
    clock.advance(5 * MS);

    // Someone edits A after the review was opened: a decision on the old version is refused.
    t.store
        .update_profile(
            &admin,
            s.a,
            &ProfileInput::default().with("city", "Đà Nẵng"),
            &ConsentInput::default(),
        )
        .unwrap();
    let err = decide(
        &mut t,
        s.review,
        ReviewDecision::Attach { profile_id: s.a },
        Some(&before.version),
    )
    .expect_err("stale version");
    assert_eq!(err.code(), "conflict", "a conflict");
    assert!(
        err.to_string().contains("changed since you opened it"),
        "{err}"
    );
    let now = t.store.merge_review(&admin, s.review).unwrap();
    assert_ne!(
        now.version, before.version,
        "the version follows the candidates"
    );
    assert!(
        now.columns[1].changed_since,
        "A is flagged as changed since the review"
    );
    let city = now.rows.iter().find(|r| r.field == "city").unwrap();
    assert_eq!(city.values[1], "Đà Nẵng", "A's current value is shown");

    // A third profile that matches now joins as a new candidate.
    let c = created_id(&create(
        &mut t,
        &[("full_name", "Người Thứ Ba"), ("phones", "0987654321")],
    ));
    let now = t.store.merge_review(&admin, s.review).unwrap();
    let new = now
        .columns
        .iter()
        .find(|col| col.profile_id == Some(c))
        .expect("C is a candidate now");
    assert!(new.new_match, "flagged as a new match");
    assert!(
        now.notes.iter().any(|n| n.contains("was not a candidate")),
        "and explained: {:?}",
        now.notes
    );

    // B is deleted: shown as gone (masked), cannot be chosen.
    t.store
        .delete_profiles(&admin, &[s.b], "duplicate entered by mistake")
        .unwrap();
    let now = t.store.merge_review(&admin, s.review).unwrap();
    let gone = now
        .columns
        .iter()
        .find(|col| col.profile_id == Some(s.b))
        .unwrap();
    assert!(gone.gone, "B is gone");
    assert_eq!(
        gone.label, "Ng*** V* A*",
        "its label is masked: it was deleted"
    );
    assert!(
        now.notes.iter().any(|n| n.contains("was deleted")),
        "{:?}",
        now.notes
    );
    let list = reviews(&t, ReviewStatus::Open, None);
    assert!(
        list.items[0]
            .candidates
            .iter()
            .any(|x| x.gone && x.label == "Ng*** V* A*"),
        "the list says so too"
    );
    let err = decide(
        &mut t,
        s.review,
        ReviewDecision::Attach { profile_id: s.b },
        Some(&now.version),
    )
    .expect_err("B is gone");
    assert!(
        err.to_string()
            .starts_with(&format!("Profile #{} (Ng*** V* A*) no longer exists", s.b)),
        "{err}"
    );
    let err = decide(
        &mut t,
        s.review,
        ReviewDecision::Attach {
            profile_id: 424_242,
        },
        None,
    )
    .expect_err("not a candidate");
    assert!(err.to_string().contains("is not a candidate"), "{err}");

    // Merge all merges the live ones: A and C.
    let done = decide(
        &mut t,
        s.review,
        ReviewDecision::MergeAll {
            survivor: s.a,
            picks: vec![],
        },
        Some(&now.version),
    )
    .expect("merge the live candidates");
    assert_eq!(
        done.removed
            .iter()
            .map(|r| r.profile_id)
            .collect::<Vec<_>>(),
        [c],
        "C merged into A"
    );
    assert_eq!(total(&t), 1, "A alone is left");
}

#[test]
fn a_candidate_merged_away_is_replaced_by_its_survivor_in_other_reviews() {
    let mut t = test_store();
    let s = two_candidates(&mut t);
    let other = two_candidates_again(&mut t, &s);
    let admin = t.admin.clone();
    decide(
        &mut t,
        s.review,
        ReviewDecision::MergeAll {
            survivor: s.a,
            picks: vec![],
        },
        None,
    )
    .unwrap();
    let d = t.store.merge_review(&admin, other).unwrap();
    let ids: Vec<Option<i64>> = d.columns.iter().map(|c| c.profile_id).collect();
    assert_eq!(
        ids,
        [None, Some(s.a)],
        "B (merged into A) is replaced by A, listed once"
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.starts_with("Only one candidate is left")),
        "{:?}",
        d.notes
    );
    decide(
        &mut t,
        other,
        ReviewDecision::Attach { profile_id: s.a },
        Some(&d.version),
    )
    .expect("the second review resolves onto the survivor");
}

#[test]
fn consent_recorded_after_the_review_was_created_is_kept() {
    let clock = Arc::new(FakeClock::default());
    let mut t = test_store_on(clock.clone());
    let s = two_candidates(&mut t);
    let admin = t.admin.clone();
    // The incoming data grants e-mail; afterwards A's customer says no again.
    clock.advance(5 * MS);
    record_email_consent(&mut t, s.a, ConsentStatus::Granted);
    record_email_consent(&mut t, s.a, ConsentStatus::Denied);
    let done = decide(
        &mut t,
        s.review,
        ReviewDecision::Attach { profile_id: s.a },
        None,
    )
    .unwrap();
    assert_eq!(
        t.store.profile_detail(&admin, s.a).unwrap().consent["email"],
        ConsentStatus::Denied,
        "a consent recorded after the import is newer than the import's"
    );
    assert!(
        done.message
            .contains("consent for email was recorded again after the import"),
        "{}",
        done.message
    );
}

#[test]
fn undoing_an_import_discards_its_open_reviews() {
    let mut t = test_store();
    create(&mut t, &[("full_name", NAME_A), ("phones", PHONE_A)]);
    create(&mut t, &[("full_name", NAME_B), ("emails", EMAIL_B)]);
    let job = paste_job(
        &mut t,
        &format!("X\t{PHONE_A}\t{EMAIL_B}\nY\t0977000111\t\n"),
    );
    let admin = t.admin.clone();
    assert_eq!(
        t.store.open_review_count(&admin).unwrap(),
        1,
        "one review from the job"
    );
    t.store.undo_job(&admin, job).unwrap();
    assert_eq!(
        t.store.open_review_count(&admin).unwrap(),
        0,
        "the undo discarded it"
    );
    let resolved = reviews(&t, ReviewStatus::Resolved, Some(job));
    let outcome = resolved.items[0].outcome.as_ref().unwrap();
    assert_eq!(outcome.action, ReviewAction::Dismiss, "dismissed");
    assert_eq!(
        outcome.message,
        format!("Discarded: import job {job} was undone"),
        "and says why"
    );
    let id = resolved.items[0].id;
    let err = decide(&mut t, id, ReviewDecision::CreateNew, None)
        .expect_err("nothing of an undone job is imported");
    assert_eq!(err.code(), "conflict", "{err}");
}

#[test]
fn a_merge_over_the_list_limit_is_refused() {
    let mut t = test_store();
    let many = |from: u32| -> Vec<String> {
        (from..from + 12)
            .map(|i| format!("09{:08}", 10_000_000 + i))
            .collect()
    };
    let a_phones = many(0);
    let b_phones = many(100);
    // The rule's identifier limit (5 by default) would refuse such profiles at the door; this
    // test is about the list limit of a merge review's "merge all" (20 values).
    let admin = t.admin.clone();
    let guards = t.store.sync_settings().unwrap().guards;
    t.store
        .set_rule_guards(
            &admin,
            &pdesk_rule::Guards {
                max_phones: 20,
                ..guards
            },
        )
        .unwrap();
    let refs = |v: &[String]| v.iter().map(String::as_str).collect::<Vec<_>>().join(", ");
    create(&mut t, &[("full_name", "A"), ("phones", &refs(&a_phones))]);
    create(&mut t, &[("full_name", "B"), ("phones", &refs(&b_phones))]);
    let review = match t
        .store
        .create_profile(
            &t.admin,
            &ProfileInput::default().with_list("phones", &[&a_phones[0], &b_phones[0]]),
            &ConsentInput::default(),
        )
        .unwrap()
    {
        SaveOutcome::Review { review_id, .. } => review_id,
        other => panic!("{other:?}"),
    };
    let err = decide(
        &mut t,
        review,
        ReviewDecision::MergeAll {
            survivor: 1,
            picks: vec![],
        },
        None,
    )
    .expect_err("24 phones");
    assert_eq!(err.code(), "limit", "a limit");
    assert!(
        err.to_string().starts_with(
            "The merged profile would have 24 values in Phones; a profile holds at most 20"
        ),
        "{err}"
    );
    assert_eq!(total(&t), 2, "nothing merged");
}
