//! Job ownership (issue 15, "two processes, one job"): a job runs under one store handle's
//! claim; other handles — another process on the same file, here a second `Store` — neither
//! run nor requeue it while the claim's lease holds, and take it over once it passed. Time is
//! a `FakeClock` shared by both handles; nothing sleeps.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

use pdesk_core::clock::FakeClock;
use pdesk_core::export::{ExportFields, ExportRequest, ExportStatus};
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource, JobStatus, LEASE};
use pdesk_core::{Error, Store};

use crate::{test_store_on, TestStore};

const ROWS: u32 = 12_000;

/// A store on a fake clock with one queued import job of [`ROWS`] rows; the clock and the job.
fn queued_import() -> (TestStore, Arc<FakeClock>, i64) {
    let clock = Arc::new(FakeClock::default());
    let mut t = test_store_on(clock.clone());
    let file = t.dir.path().join("customers.xlsx");
    pdesk_testkit::files::write_import_workbook(&file, ROWS).unwrap();
    let preview = t.store.preview_file(&t.admin, &file).unwrap();
    let settings = ImportSettings::suggested(preview);
    let id = t
        .store
        .queue_import(&t.admin, &ImportSource::File(file), &settings)
        .unwrap();
    (t, clock, id)
}

/// Runs job `id` on `store` and makes its process "die" (a panic unwinding out of the run,
/// no cleanup of the job row) once `past` rows are committed: the job is left `running`
/// under this handle's claim, as a killed process leaves it.
fn run_and_die(store: &mut Store, id: i64, past: u32) {
    let admin = store.actor(None).unwrap();
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.run_job(&admin, id, |p| {
            assert!(p.rows_done < past, "simulated crash");
            ControlFlow::Continue(())
        });
    }));
    assert!(died.is_err(), "the run was interrupted");
}

fn other_handle(t: &TestStore, clock: &Arc<FakeClock>) -> Store {
    Store::open_with_clock(t.db(), clock.clone()).expect("a second handle on the same file")
}

fn profiles(store: &Store) -> u32 {
    let admin = store.actor(None).unwrap();
    store
        .count_profiles(&admin, &ListQuery::default())
        .unwrap()
        .total
}

#[test]
fn a_job_held_by_a_live_runner_is_neither_recovered_nor_run_by_another_handle() {
    let (mut t, clock, id) = queued_import();
    run_and_die(&mut t.store, id, 6_000);
    let held = t.store.job(&t.admin, id).unwrap();
    assert_eq!(
        (held.status, held.rows_done),
        (JobStatus::Running, 5_000),
        "one transaction committed under the claim"
    );

    // Thirty seconds later another process opens the store: the lease still holds.
    clock.advance(time::Duration::seconds(30));
    let mut other = other_handle(&t, &clock);
    assert_eq!(
        other.recover_interrupted_jobs().unwrap(),
        0,
        "start-up leaves a job another live process holds alone"
    );
    assert_eq!(
        other.next_queued_job().unwrap(),
        None,
        "it is not next in the queue either"
    );
    let e = other
        .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    let message = e.to_string();
    assert!(
        message.contains(&format!(
            "Import job {id} is being run by another Profile Desk"
        )) && message.contains(&format!("pid {}", std::process::id()))
            && message.contains(" on host "),
        "the refusal says who runs it: {message}"
    );
    assert!(!message.contains('#'), "without the token: {message}");
    let still = other.job(&t.admin, id).unwrap();
    assert_eq!(
        (still.status, still.rows_done, profiles(&other)),
        (JobStatus::Running, 5_000, 5_000),
        "nothing was run twice or reset"
    );
}

#[test]
fn a_job_whose_lease_passed_is_recovered_by_another_handle_and_finished_exactly_once() {
    let (mut t, clock, id) = queued_import();
    run_and_die(&mut t.store, id, 6_000);

    clock.advance(LEASE + time::Duration::milliseconds(1));
    let mut other = other_handle(&t, &clock);
    assert_eq!(
        other.recover_interrupted_jobs().unwrap(),
        1,
        "the runner is gone: its job goes back to the queue"
    );
    assert_eq!(other.next_queued_job().unwrap(), Some(id));
    let job = other
        .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
        .expect("the other handle resumes it");
    assert_eq!(job.status, JobStatus::Done);
    assert_eq!(
        (job.counts.created, profiles(&other)),
        (ROWS, ROWS),
        "every row applied once across the two runners"
    );
}

#[test]
fn an_expired_running_job_is_claimed_directly_without_a_restart() {
    let (mut t, clock, id) = queued_import();
    run_and_die(&mut t.store, id, 1_000);
    let mut other = other_handle(&t, &clock);
    assert_eq!(other.next_queued_job().unwrap(), None, "held");
    clock.advance(LEASE * 2);
    assert_eq!(
        other.next_queued_job().unwrap(),
        Some(id),
        "a worker that is already running sees it once the lease passed (no restart needed)"
    );
    let job = other
        .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
        .expect("claimed and run");
    assert_eq!((job.status, job.counts.created), (JobStatus::Done, ROWS));
}

#[test]
fn a_finished_job_releases_its_claim() {
    let (mut t, clock, id) = queued_import();
    let job = t
        .store
        .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(job.status, JobStatus::Done);
    let other = other_handle(&t, &clock);
    let e = {
        let mut other = other;
        other
            .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
            .unwrap_err()
    };
    assert!(
        e.to_string().contains("is done; it cannot run again"),
        "a finished job is finished, not 'held': {e}"
    );
    let conn = rusqlite::Connection::open(t.db()).unwrap();
    let (runner, lease): (Option<String>, Option<String>) = conn
        .query_row(
            "SELECT runner, lease_until FROM import_jobs WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((runner, lease), (None, None), "no claim is left behind");
}

fn export_request() -> ExportRequest {
    ExportRequest {
        query: ListQuery::default(),
        fields: ExportFields::Displayed,
        columns: ["full_name", "phones", "city"].map(String::from).to_vec(),
        ids: None,
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A writer paused past its lease (a laptop put to sleep mid-export) finds, when it wakes,
/// that another process took the export over and finished it: it stops at its next chunk,
/// removes only its own `.part`, and finishes nothing — the file and the record are the
/// other's.
#[test]
fn a_paused_export_writer_that_lost_its_lease_stops_and_finishes_nothing() {
    let clock = Arc::new(FakeClock::default());
    let mut t = test_store_on(clock.clone());
    t.store.seed_demo(&t.admin, 4_500, 11).unwrap();
    let job = t
        .store
        .queue_export(&t.admin, &export_request())
        .expect("queue");
    let mut other = other_handle(&t, &clock);
    let mut taken_over = None;
    let admin = t.admin.clone();
    let paused = t.store.run_export(&admin, job.id, |p| {
        if p.rows_done == 0 && taken_over.is_none() {
            // Claimed, nothing written yet: the process sleeps past its lease, and another
            // one (the CLI, the app) runs the export meanwhile.
            clock.advance(LEASE + time::Duration::seconds(1));
            assert_eq!(other.next_queued_export().unwrap(), Some(job.id));
            taken_over = Some(
                other
                    .run_export(&admin, job.id, |_| ControlFlow::Continue(()))
                    .expect("the other process writes it"),
            );
        }
        ControlFlow::Continue(())
    });
    let e = paused.expect_err("the paused writer stops");
    assert!(
        matches!(e, Error::Conflict(_)) && e.to_string().contains(&format!("Export {}", job.id)),
        "{e:?}"
    );
    let done = taken_over.expect("the other process ran");
    assert_eq!(done.status, ExportStatus::Done);
    let after = t.store.export_job(&t.admin, job.id).unwrap();
    assert_eq!(
        (after.status, after.rows_done, after.path.clone()),
        (ExportStatus::Done, 4_500, done.path.clone()),
        "the record is the other writer's, untouched by the paused one"
    );
    let out = Path::new(done.path.as_deref().unwrap());
    let folder = out.parent().unwrap();
    assert_eq!(
        files_in(folder),
        vec![out.file_name().unwrap().to_string_lossy().into_owned()],
        "one finished file, no .part of either writer left"
    );
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out).expect("a whole workbook");
    use calamine::Reader;
    let name = wb.sheet_names()[0].clone();
    let rows = wb.worksheet_range(&name).unwrap().rows().count();
    assert_eq!(rows, 4_501, "every row once, under the header");
}

#[test]
fn a_direct_export_being_written_elsewhere_is_not_failed_until_its_lease_passes() {
    let clock = Arc::new(FakeClock::default());
    let mut t = test_store_on(clock.clone());
    t.store.seed_demo(&t.admin, 50, 11).unwrap();
    let out = t.dir.path().join("direct.xlsx");
    let job = t
        .store
        .export_direct(&t.admin, &export_request(), &out)
        .unwrap();
    assert_eq!(job.status, ExportStatus::Done);
    // Another process is writing a direct export right now (its row as that process's claim
    // leaves it: running, a lease a minute ahead).
    let conn = rusqlite::Connection::open(t.db()).unwrap();
    let lease = pdesk_core::clock::format(clock.advance(time::Duration::ZERO) + LEASE);
    conn.execute(
        "UPDATE export_jobs SET status = 'running', runner = 'pdesk on host elsewhere, pid 7 #1',
                lease_until = ?2 WHERE id = ?1",
        rusqlite::params![job.id, lease],
    )
    .unwrap();
    let other = other_handle(&t, &clock);
    assert_eq!(
        other.recover_interrupted_exports().unwrap(),
        0,
        "a process starting meanwhile does not fail it (the old start-up did)"
    );
    clock.advance(LEASE + time::Duration::seconds(1));
    assert_eq!(
        other.recover_interrupted_exports().unwrap(),
        1,
        "once its writer is gone, it failed"
    );
    let failed = other.export_job(&t.admin, job.id).unwrap();
    assert_eq!(failed.status, ExportStatus::Failed);
}

#[test]
fn a_job_failed_by_a_panic_keeps_the_reason_for_the_ui_to_word() {
    let (t, _clock, id) = queued_import();
    let job = t
        .store
        .fail_job_after_panic(id, "index out of bounds")
        .unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert!(
        job.error
            .as_deref()
            .is_some_and(|e| e.contains("after an internal error (index out of bounds)")),
        "the English sentence stays, for the CLI: {:?}",
        job.error
    );
    assert_eq!(job.error_code.as_deref(), Some("internal"));
    assert_eq!(
        job.error_details,
        serde_json::json!({ "reason": "jobPanicked", "job": "import", "what": "index out of bounds" })
    );
    let listed = t.store.jobs(&t.admin).unwrap();
    assert_eq!(
        listed.iter().find(|j| j.id == id).map(|j| &j.error_details),
        Some(&job.error_details),
        "the list reads the same columns"
    );
}

#[test]
fn an_export_failed_by_a_panic_keeps_the_reason_for_the_ui_to_word() {
    let mut t = crate::test_store();
    let request = ExportRequest {
        query: ListQuery::default(),
        fields: ExportFields::All,
        columns: Vec::new(),
        ids: None,
    };
    let job = t.store.queue_export(&t.admin, &request).unwrap();
    let failed = t.store.fail_export_after_panic(job.id, "boom").unwrap();
    assert_eq!(failed.status, ExportStatus::Failed);
    assert_eq!(failed.error_code.as_deref(), Some("internal"));
    assert_eq!(
        failed.error_details,
        serde_json::json!({ "reason": "jobPanicked", "job": "export", "what": "boom" })
    );
    assert!(
        failed
            .error
            .as_deref()
            .is_some_and(|e| e.contains("stopped this export after an internal error (boom)")),
        "{:?}",
        failed.error
    );
}
