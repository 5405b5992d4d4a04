//! Crash leftovers and durability (issue 15 item 6): the start-up sweep removes exactly the
//! temporary files of jobs and operations that are no longer running, and every file the core
//! renames into place goes through the one helper that fsyncs it (`files::publish`).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pdesk_core::clock::FakeClock;
use pdesk_core::export::{ExportFields, ExportRequest, ExportStatus};
use pdesk_core::filter::ListQuery;
use pdesk_core::Store;

use crate::test_store_on;

fn all_fields() -> ExportRequest {
    ExportRequest {
        query: ListQuery::default(),
        fields: ExportFields::All,
        columns: Vec::new(),
        ids: None,
    }
}

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn the_sweep_removes_the_leftovers_of_a_dead_export_and_of_dead_backups_only() {
    let clock = Arc::new(FakeClock::default());
    let mut t = test_store_on(clock.clone());
    t.store.seed_demo(&t.admin, 3_000, 5).expect("seed");
    let job = t
        .store
        .queue_export(&t.admin, &all_fields())
        .expect("queue");
    // The process dies in the middle of the export: its claim stays, nothing finishes it.
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        t.store.run_export(&t.admin, job.id, |p| {
            if p.rows_done > 0 {
                panic!("the process dies here");
            }
            ControlFlow::Continue(())
        })
    }));
    assert!(died.is_err());
    t.store.recover_after_panic();
    let running = t.store.export_job(&t.admin, job.id).unwrap();
    assert_eq!(running.status, ExportStatus::Running, "left running");
    let out = PathBuf::from(running.path.expect("its destination is recorded"));
    let folder = out.parent().unwrap().to_path_buf();
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    // What a killed writer leaves (a panic's unwinding removed the real one): its `.part`.
    let leftover = folder.join(format!("{name}.export-{}.0123456789abcdef.part", job.id));
    std::fs::write(&leftover, b"half a workbook").unwrap();
    // Files that are not this job's leftovers: another export's name, a user's own file.
    let not_ours = folder.join(format!("{name}.export-{}9.0123456789abcdef.part", job.id));
    std::fs::write(&not_ours, b"x").unwrap();
    let users_file = folder.join("notes.part.txt");
    std::fs::write(&users_file, b"x").unwrap();
    // A backup and a restore that died, and a backup another process is writing right now.
    let backups = t.dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let dead_backup = backups.join(".profile-desk-20260105T090000Z-manual.db.partial");
    std::fs::write(&dead_backup, b"half").unwrap();
    let dead_restore = t.dir.path().join(".profiles.db.restore.partial");
    std::fs::write(&dead_restore, b"half").unwrap();
    // (Unix: a writer holds its file by a lock; Windows takes none, see `files`.)
    #[cfg(unix)]
    let (live_backup, writer) = {
        let path = backups.join(".profile-desk-20260105T090001Z-manual.db.partial");
        let writer = std::fs::File::create(&path).unwrap();
        writer.try_lock().expect("the live writer's lock");
        (path, writer)
    };

    // Within the lease the export's owner may still be alive: its leftover is not touched.
    let other = Store::open_with_clock(t.db(), clock.clone()).expect("another process");
    let swept = other.sweep_crash_leftovers().expect("sweep");
    assert!(leftover.exists(), "a job under a live lease keeps its file");
    assert!(!swept.removed.contains(&leftover));
    assert!(!dead_backup.exists() && !dead_restore.exists(), "{swept:?}");

    clock.advance(time::Duration::minutes(2));
    let swept = other.sweep_crash_leftovers().expect("sweep");
    assert!(
        !leftover.exists(),
        "the dead export's .part is gone: {swept:?}"
    );
    assert!(
        not_ours.exists() && users_file.exists(),
        "only its own names"
    );
    #[cfg(unix)]
    {
        assert!(live_backup.exists(), "a file a live writer holds is kept");
        assert!(swept.kept.contains(&live_backup), "{swept:?}");
        drop(writer);
        let swept = other.sweep_crash_leftovers().expect("sweep");
        assert!(!live_backup.exists(), "once its writer is gone: {swept:?}");
    }

    // The export itself runs again from the start and ends under its final name.
    let mut other = other;
    let admin = other.actor(None).unwrap();
    let done = other
        .run_export(&admin, job.id, |_| ControlFlow::Continue(()))
        .expect("run again");
    assert_eq!(done.status, ExportStatus::Done);
    let names = files_in(&folder);
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".xlsx")).count(),
        1,
        "the export under its final name: {names:?}"
    );
    assert_eq!(
        names
            .iter()
            .filter(|n| n.contains(&format!(".export-{}.", job.id)))
            .count(),
        0,
        "and no temporary file of it: {names:?}"
    );
    assert!(not_ours.exists() && users_file.exists());
}

#[test]
fn the_sweep_keeps_the_part_file_of_an_export_a_live_process_is_writing() {
    let t = test_store_on(Arc::new(FakeClock::default()));
    let mut store = t.store;
    let admin = t.admin;
    store.seed_demo(&admin, 5_000, 6).expect("seed");
    let job = store.queue_export(&admin, &all_fields()).expect("queue");
    let db = store.path().to_path_buf();
    let mut seen_part = None;
    let done = store
        .run_export(&admin, job.id, |p| {
            if p.rows_done > 0 && seen_part.is_none() {
                // Another process starts while this export is being written.
                let other = Store::open_with_clock(&db, Arc::new(FakeClock::default())).unwrap();
                let swept = other.sweep_crash_leftovers().expect("sweep");
                let dir = db
                    .parent()
                    .unwrap()
                    .join("exports")
                    .join(job.id.to_string());
                let parts: Vec<String> = files_in(&dir)
                    .into_iter()
                    .filter(|n| n.ends_with(".part"))
                    .collect();
                assert!(swept.removed.is_empty(), "nothing removed: {swept:?}");
                seen_part = Some(parts);
            }
            ControlFlow::Continue(())
        })
        .expect("the export goes on");
    assert_eq!(done.status, ExportStatus::Done, "{done:?}");
    let parts = seen_part.expect("a progress report came");
    assert_eq!(parts.len(), 1, "its .part was there, and kept: {parts:?}");
    assert!(
        parts[0].contains(&format!(".export-{}.", job.id)),
        "named after its job: {parts:?}"
    );
    let out = PathBuf::from(done.path.unwrap());
    assert_eq!(files_in(out.parent().unwrap()).len(), 1, "only the export");
}

/// Every `rename` of the core's source is the one in `files.rs`, where a file is fsynced
/// before and its folder after: no other code can publish a file under its final name
/// without making it durable.
#[test]
fn files_get_their_final_name_only_through_the_durable_helper() {
    let src = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("src");
    let mut offenders = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("src/files.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if code.contains("rename(") && code.contains("fs::") || code.contains("fs::rename")
                {
                    offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "rename through files::publish / files::rename_durably instead:\n{}",
        offenders.join("\n")
    );
    let helper = std::fs::read_to_string(src.join("files.rs")).unwrap();
    assert_eq!(
        helper.matches("std::fs::rename(").count(),
        1,
        "one rename, in rename_durably"
    );
}
