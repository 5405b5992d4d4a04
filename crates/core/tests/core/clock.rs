//! The store's clock: a store opened on a `FakeClock` writes every timestamp from it — users,
//! audit entries, profiles and their history, import and export jobs, backups — and nothing
//! reads the computer's clock behind its back.

use std::ops::ControlFlow;
use std::sync::Arc;

use pdesk_core::clock::{Clock, FakeClock};
use pdesk_core::export::{ExportFields, ExportRequest, ExportStatus};
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource, JobStatus};
use pdesk_core::mapping::SuggestionReason;
use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::Store;
use time::macros::datetime;

use crate::{created_id, test_store_on, TestStore};

/// 2024-02-29 23:59:59.120 UTC: far from today, so a timestamp taken from the computer's clock
/// cannot pass for it.
const T0: time::OffsetDateTime = datetime!(2024-02-29 23:59:59.120 UTC);
const T0_TEXT: &str = "2024-02-29T23:59:59.120Z";

fn fake_store() -> (TestStore, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::new(T0));
    (test_store_on(clock.clone()), clock)
}

/// Every `at` of the audit log, oldest first.
fn audit_times(store: &Store) -> Vec<String> {
    let conn = rusqlite::Connection::open(store.path()).expect("open the store file directly");
    let mut stmt = conn
        .prepare("SELECT at FROM audit_log ORDER BY id")
        .expect("prepare");
    let times = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    times
}

#[test]
fn the_fake_clock_stands_still_until_moved() {
    let clock = FakeClock::new(T0);
    assert_eq!(clock.now_utc(), T0, "it starts where it was set");
    assert_eq!(clock.now_utc(), T0, "and does not move by itself");
    let later = clock.advance(time::Duration::milliseconds(5));
    assert_eq!(
        later,
        T0 + time::Duration::milliseconds(5),
        "advance moves it"
    );
    assert_eq!(clock.now_utc(), later, "and it stays there");
    clock.set(T0);
    assert_eq!(clock.now_utc(), T0, "set moves it anywhere, backwards too");
    assert_eq!(
        FakeClock::default().now_utc(),
        FakeClock::START,
        "the default start"
    );
}

#[test]
fn a_store_on_a_fake_clock_tells_its_time() {
    let (t, clock) = fake_store();
    assert_eq!(t.store.now_utc(), T0, "the store reads its clock");
    assert_eq!(
        t.store.now(),
        T0_TEXT,
        "as stored: three digits of milliseconds"
    );
    clock.advance(time::Duration::seconds(1));
    assert_eq!(
        t.store.now(),
        "2024-03-01T00:00:00.120Z",
        "moving the test's handle moves the store's time"
    );
}

#[test]
fn users_audit_and_profiles_are_stamped_by_the_stores_clock() {
    let (mut t, clock) = fake_store();
    let conn = rusqlite::Connection::open(t.store.path()).expect("open the store file directly");
    let admin_created: String = conn
        .query_row(
            "SELECT created_at FROM users ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("the first administrator");
    assert_eq!(
        admin_created, T0_TEXT,
        "the administrator made at open is stamped by the clock given to open"
    );

    let admin = t.admin.clone();
    let id = created_id(
        &t.store
            .create_profile(
                &admin,
                &ProfileInput::default().with("full_name", "Nguyễn Văn An"),
                &ConsentInput::default(),
            )
            .expect("create"),
    );
    clock.advance(time::Duration::minutes(90));
    t.store
        .update_profile(
            &admin,
            id,
            &ProfileInput::default().with("city", "Huế"),
            &ConsentInput::default(),
        )
        .expect("update");
    let d = t.store.profile_detail(&admin, id).expect("detail");
    assert_eq!(d.profile.created_at, T0_TEXT, "created at the clock's time");
    assert_eq!(
        d.profile.updated_at, "2024-03-01T01:29:59.120Z",
        "updated at the clock's later time"
    );
    let mut history: Vec<&str> = d.history.iter().map(|h| h.at.as_str()).collect();
    history.sort();
    assert_eq!(
        history,
        ["2024-02-29T23:59:59.120Z", "2024-03-01T01:29:59.120Z"],
        "the history entries too"
    );

    clock.advance(time::Duration::minutes(1));
    t.store
        .add_user(&admin, "sales1", "Sales")
        .expect("add a user (audited)");
    let times = audit_times(&t.store);
    assert_eq!(
        times.last().map(String::as_str),
        Some("2024-03-01T01:30:59.120Z"),
        "the audit entry is stamped by the clock: {times:?}"
    );
    assert!(
        times.iter().all(|at| at.starts_with("2024-")),
        "no audit entry comes from the computer's clock: {times:?}"
    );
    let v = t.store.verify_audit(&admin).expect("verify");
    assert_eq!(v.first_broken, None, "the chain verifies: {}", v.message);
}

#[test]
fn import_and_export_jobs_are_stamped_by_the_stores_clock() {
    let (mut t, clock) = fake_store();
    let admin = t.admin.clone();
    let text = "Nguyễn Văn An\t0912345671\nTrần Thị Bình\t0912345672\n".to_string();
    let (columns, _) = pdesk_core::jobs::paste_columns(&text, 1_000, 5, false).expect("columns");
    let mut mapping = t.store.suggest_mapping(&admin, &columns).expect("mapping");
    for (m, target) in mapping.iter_mut().zip(["full_name", "phones"]) {
        m.target = Some(target.to_string());
        m.reason = SuggestionReason::NoMatch;
    }
    let settings = ImportSettings::new(columns, mapping);
    let id = t
        .store
        .queue_import(&admin, &ImportSource::Paste(text), &settings)
        .expect("queued");
    clock.advance(time::Duration::seconds(2));
    let job = t
        .store
        .run_job(&admin, id, |_| {
            clock.advance(time::Duration::seconds(3));
            ControlFlow::Continue(())
        })
        .expect("run");
    assert_eq!(job.status, JobStatus::Done, "{job:?}");
    assert_eq!(job.created_at, T0_TEXT, "queued at the clock's time");
    assert_eq!(
        job.started_at.as_deref(),
        Some("2024-03-01T00:00:01.120Z"),
        "started when run_job began"
    );
    assert_eq!(
        job.finished_at.as_deref(),
        Some("2024-03-01T00:00:04.120Z"),
        "finished after the time its progress took"
    );
    let row_times: Vec<String> = t
        .store
        .list_page(&admin, &ListQuery::default(), 0, 10, &[])
        .expect("list")
        .rows
        .iter()
        .map(|r| {
            t.store
                .profile_detail(&admin, r.id)
                .expect("detail")
                .profile
                .created_at
        })
        .collect();
    assert_eq!(
        row_times, ["2024-03-01T00:00:01.120Z"; 2],
        "the job's rows are stamped when their transaction opened"
    );

    clock.set(datetime!(2025-07-04 08:30:00 UTC));
    let out = t.dir.path().join("clock.xlsx");
    let export = t
        .store
        .export_direct(
            &admin,
            &ExportRequest {
                query: ListQuery::default(),
                fields: ExportFields::All,
                columns: Vec::new(),
                ids: None,
            },
            &out,
        )
        .expect("export");
    assert_eq!(export.status, ExportStatus::Done, "{export:?}");
    assert_eq!(
        export.created_at, "2025-07-04T08:30:00.000Z",
        "export queued"
    );
    assert_eq!(
        export.started_at.as_deref(),
        Some("2025-07-04T08:30:00.000Z"),
        "export started"
    );
    assert_eq!(
        export.finished_at.as_deref(),
        Some("2025-07-04T08:30:00.000Z"),
        "export finished"
    );
    assert_eq!(
        audit_times(&t.store).last().map(String::as_str),
        Some("2025-07-04T08:30:00.000Z"),
        "the export's audit entry"
    );
}

#[test]
fn a_backup_is_named_and_audited_by_the_stores_clock() {
    let (mut t, _clock) = fake_store();
    let admin = t.admin.clone();
    t.store
        .create_profile(
            &admin,
            &ProfileInput::default().with("full_name", "Bùi Thị Thu"),
            &ConsentInput::default(),
        )
        .expect("create");
    let report = t
        .store
        .backup_plan(&admin)
        .expect("plan")
        .run()
        .expect("backup");
    assert!(
        report.entry.file_name.contains("20240229T235959Z"),
        "the backup's name carries the clock's time: {}",
        report.entry.file_name
    );
    assert_eq!(
        report.entry.created_at, "2024-02-29T23:59:59.000Z",
        "listed at that time (names keep whole seconds)"
    );
    assert_eq!(
        audit_times(&t.store).last().map(String::as_str),
        Some(T0_TEXT),
        "audited at the clock's time"
    );
}
