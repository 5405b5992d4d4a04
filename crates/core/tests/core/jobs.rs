//! Import jobs: dry run, queue, processing, report, crash and resume, undo.

use std::ops::ControlFlow;

use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource, ImportSourceArg, JobStatus};
use pdesk_core::mapping::SourceColumn;
use pdesk_core::model::{ConsentStatus, Lang};
use pdesk_core::{Error, Store};
use serde_json::json;

use crate::{create, created_id, paste_settings, test_store, TestStore};

fn settings(store: &Store, columns: Vec<SourceColumn>) -> ImportSettings {
    let admin = store.actor(None).unwrap();
    let mapping = store.suggest_mapping(&admin, &columns).unwrap();
    ImportSettings::new(columns, mapping)
}

fn total(t: &TestStore) -> u32 {
    t.store
        .count_profiles(&t.admin, &ListQuery::default())
        .unwrap()
        .total
}

/// Five rows, one of each outcome, against two existing profiles.
fn every_outcome(t: &mut TestStore) -> String {
    create(t, &[("full_name", "Old One"), ("phones", "0911111111")]);
    create(t, &[("full_name", "Old Two"), ("emails", "two@x.vn")]);
    create(t, &[("full_name", "Old Three"), ("phones", "0933333333")]);
    [
        "New Person\t0922222222\tnew@x.vn\t", // created
        "Old One Renamed\t0911 111 111\t\t",  // updates Old One (phone)
        "New Person Again\t\tnew@x.vn\t",     // in-file duplicate of row 1 (e-mail)
        "Both\t0933333333\ttwo@x.vn\t",       // matches Old Three and Old Two: review
        "\t\t\tHuế",                          // no identifier: invalid
    ]
    .join("\n")
}

#[test]
fn the_dry_run_counts_every_outcome_and_changes_nothing() {
    let mut t = test_store();
    let text = every_outcome(&mut t);
    let s = paste_settings(&t.store, &text);
    let admin = t.admin.clone();
    let dry = t
        .store
        .dry_run(&admin, &ImportSource::Paste(text), &s)
        .unwrap();
    let c = &dry.counts;
    assert_eq!(
        (
            c.rows,
            c.created,
            c.updated,
            c.duplicates,
            c.reviews,
            c.failed
        ),
        (5, 1, 1, 1, 1, 1),
        "one row of each outcome: {c:?}"
    );
    assert_eq!(dry.first_errors.len(), 1, "the invalid row is listed");
    let e = &dry.first_errors[0];
    assert_eq!(e.row, 5, "the invalid row is named by its number");
    assert!(
        e.reason.contains("at least one identifier"),
        "and why: {}",
        e.reason
    );
    assert_eq!(total(&t), 3, "a dry run creates nothing");
    let detail = t.store.profile_detail(&admin, 1).unwrap();
    assert_eq!(detail.profile.label, "Old One", "a dry run updates nothing");
}

#[test]
fn a_job_applies_rows_records_outcomes_and_matches_its_dry_run() {
    let mut t = test_store();
    let text = every_outcome(&mut t);
    let mut s = paste_settings(&t.store, &text);
    s.consent
        .channels
        .insert("sms".into(), ConsentStatus::Granted);
    let admin = t.admin.clone();
    let source = ImportSource::Paste(text);
    let dry = t.store.dry_run(&admin, &source, &s).unwrap();
    let id = t.store.queue_import(&admin, &source, &s).unwrap();
    assert_eq!(
        t.store.next_queued_job().unwrap(),
        Some(id),
        "the confirmed paste is queued"
    );
    let mut seen = Vec::new();
    let job = t
        .store
        .run_job(&admin, id, |p| {
            seen.push(p.rows_done);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(job.status, JobStatus::Done, "the job finished: {job:?}");
    assert_eq!(
        job.counts, dry.counts,
        "the job did exactly what the dry run announced"
    );
    assert_eq!(
        job.file_name, "Pasted data",
        "pastes are named in the report"
    );
    assert_eq!(seen.last(), Some(&5), "progress reached the last row");
    assert_eq!(
        total(&t),
        4,
        "one new profile; the duplicate merged into it; the review waits"
    );
    // Row 3 merged into row 1's profile and, by the overwrite policy, renamed it.
    let q = ListQuery {
        search: "new person again".into(),
        ..ListQuery::default()
    };
    let found = t
        .store
        .list_page(&admin, &q, 0, 10, &["emails".into()])
        .unwrap();
    assert_eq!(
        found.rows.len(),
        1,
        "the in-file duplicate merged into one profile"
    );
    let consent = t
        .store
        .profile_detail(&admin, found.rows[0].id)
        .unwrap()
        .consent;
    assert_eq!(
        consent["sms"],
        ConsentStatus::Granted,
        "the import's consent was recorded"
    );
    let failed = t.store.failed_rows(&admin, id, Lang::En).unwrap();
    assert_eq!(
        failed.headers,
        ["Column 1", "Column 2", "Column 3", "Column 4"],
        "the original columns"
    );
    assert_eq!(failed.rows.len(), 1, "one failed row for the fix-up file");
    assert_eq!(
        failed.rows[0].cells,
        ["", "", "", "Huế"],
        "with its original cells"
    );
    assert!(
        failed.rows[0].reason.contains("at least one identifier"),
        "and the reason"
    );
    let out = t.dir.path().join("failed.xlsx");
    assert_eq!(
        t.store
            .write_failed_rows(&admin, id, &out, Lang::En)
            .unwrap(),
        1,
        "one row written"
    );
    // The headers and the fourth column's samples, as our reader reads a written file back.
    let read_back = |path: &std::path::Path| {
        let (cols, _) = pdesk_core::jobs::file_columns(path, &Default::default(), 5).unwrap();
        let names: Vec<String> = cols.iter().map(|c| c.header.clone()).collect();
        (names, cols[3].samples.clone())
    };
    let (names, samples) = read_back(&out);
    assert_eq!(
        names,
        ["Column 1", "Column 2", "Column 3", "Column 4", "Reason"],
        "our reader reads it back"
    );
    assert_eq!(samples, ["Huế"], "the original cell survives");
    let audit = t.store.verify_audit(&admin).unwrap();
    assert_eq!(
        audit.entries, 5,
        "the three profiles created by hand, the confirmation and the failed-rows file are audited"
    );

    // For a reader of Vietnamese the paste's made-up column names and the header over the
    // reasons change; the cells are the same.
    let vi = t.dir.path().join("dong-loi.xlsx");
    t.store
        .write_failed_rows(&admin, id, &vi, Lang::Vi)
        .unwrap();
    assert_eq!(
        read_back(&vi),
        (
            ["Cột 1", "Cột 2", "Cột 3", "Cột 4", "Lý do"]
                .map(String::from)
                .to_vec(),
            vec!["Huế".to_string()]
        ),
        "the columns are named in Vietnamese, the cells are the same"
    );
    let (reasons, _) = pdesk_core::jobs::file_columns(&vi, &Default::default(), 5).unwrap();
    assert_eq!(
        reasons[4].samples,
        ["Hồ sơ cần ít nhất một thông tin định danh: họ và tên, số điện thoại hoặc email"],
        "and the reason is said in Vietnamese, from the error kept with the row"
    );
}

#[test]
fn a_file_job_restores_leading_zeros_and_maps_vietnamese_headers() {
    let mut t = test_store();
    let existing = created_id(&create(
        &mut t,
        &[("full_name", "Trần Văn"), ("phones", "0912345678")],
    ));
    let path = t.dir.path().join("khach-hang.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Họ và tên", "SĐT", "Email", "Ngày sinh"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Trần Văn Mới").unwrap();
    ws.write_number(1, 1, 912345678.0).unwrap(); // a phone stored as a number: the 0 is lost
    ws.write_string(1, 2, "moi@x.vn").unwrap();
    ws.write_string(1, 3, "05/09/1990").unwrap();
    ws.write_string(2, 0, "Lê Thị Hoa").unwrap();
    ws.write_string(2, 1, "0987 654 321").unwrap();
    wb.save(&path).unwrap();
    let admin = t.admin.clone();
    let (columns, rows) = pdesk_core::jobs::file_columns(&path, &Default::default(), 5).unwrap();
    assert_eq!(rows, 2, "two data rows");
    let s = settings(&t.store, columns);
    let targets: Vec<Option<&str>> = s.mapping.iter().map(|m| m.target.as_deref()).collect();
    assert_eq!(
        targets,
        [
            Some("full_name"),
            Some("phones"),
            Some("emails"),
            Some("birthday")
        ],
        "suggested"
    );
    let id = t
        .store
        .queue_import(&admin, &ImportSource::File(path), &s)
        .unwrap();
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(
        (job.counts.created, job.counts.updated),
        (1, 1),
        "one new, one update: {job:?}"
    );
    let detail = t.store.profile_detail(&admin, existing).unwrap();
    assert_eq!(
        detail.profile.label, "Trần Văn Mới",
        "912345678 matched 0912345678 and merged"
    );
    assert_eq!(
        detail.profile.values["birthday"], "1990-09-05",
        "text dates are parsed"
    );
    assert_eq!(
        detail.history[0].source, "File import: khach-hang.xlsx",
        "history names the file"
    );
}

#[test]
fn a_crash_mid_job_resumes_without_losing_or_repeating_rows() {
    let mut t = test_store();
    let path = t.dir.path().join("big.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Full name").unwrap();
    ws.write_string(0, 1, "Phone").unwrap();
    let rows = 12_000u32;
    for r in 1..=rows {
        ws.write_string(r, 0, format!("Khách {r}")).unwrap();
        ws.write_string(
            r,
            1,
            format!("0{}", pdesk_core::demo::unique_mobile_nsn(u64::from(r))),
        )
        .unwrap();
    }
    wb.save(&path).unwrap();
    let (columns, _) = pdesk_core::jobs::file_columns(&path, &Default::default(), 5).unwrap();
    let s = settings(&t.store, columns);
    let admin = t.admin.clone();
    let id = t
        .store
        .queue_import(&admin, &ImportSource::File(path.clone()), &s)
        .unwrap();
    // The job dies in the middle of its third transaction: two are committed (10,000 rows),
    // the third holds 1,000 uncommitted rows when a panic unwinds out of it.
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = t.store.run_job(&admin, id, |p| {
            assert!(p.rows_done < 11_000, "simulated crash");
            ControlFlow::Continue(())
        });
    }));
    assert!(crashed.is_err(), "the job was interrupted");
    let db = t.store.path().to_path_buf();
    // The app starts again after the crashed run's claim passed (`job_queue`: a minute).
    let later = pdesk_testkit::FakeClock::new(
        time::OffsetDateTime::now_utc() + pdesk_core::jobs::LEASE + time::Duration::seconds(1),
    );
    let mut store = Store::open_with_clock(&db, std::sync::Arc::new(later)).unwrap();
    let job = store.job(&admin, id).unwrap();
    assert_eq!(
        job.status,
        JobStatus::Running,
        "the record shows an interrupted job"
    );
    assert_eq!(
        job.rows_done, 10_000,
        "two transactions were committed before the crash; the third was rolled back"
    );
    let applied = store
        .count_profiles(&admin, &ListQuery::default())
        .unwrap()
        .total;
    assert_eq!(
        applied, job.rows_done,
        "the data and the job record agree: no half-applied rows"
    );
    assert_eq!(
        store.recover_interrupted_jobs().unwrap(),
        1,
        "start-up puts it back in the queue"
    );
    let job = store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(job.status, JobStatus::Done, "the job resumed and finished");
    assert_eq!(
        job.counts.created, rows,
        "every row created exactly once across the two runs"
    );
    let all = store
        .count_profiles(&admin, &ListQuery::default())
        .unwrap()
        .total;
    assert_eq!(all, rows, "no row lost, none repeated");
}

#[test]
fn undo_removes_created_profiles_and_restores_updated_ones() {
    let mut t = test_store();
    let old = created_id(&create(
        &mut t,
        &[
            ("full_name", "Before"),
            ("phones", "0911111111"),
            ("city", "Huế"),
        ],
    ));
    let text = "Before Renamed\t0911111111\t\tHà Nội\nBrand New\t0922222222\t\t".to_string();
    let s = paste_settings(&t.store, &text);
    let admin = t.admin.clone();
    let id = t
        .store
        .queue_import(&admin, &ImportSource::Paste(text), &s)
        .unwrap();
    t.store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(total(&t), 2, "one created, one updated");
    let undone = t.store.undo_job(&admin, id).unwrap();
    assert_eq!(
        undone.job.status,
        JobStatus::Undone,
        "the job is marked undone"
    );
    assert_eq!(
        (undone.removed, undone.restored, undone.kept.len()),
        (1, 1, 0),
        "nothing changed since the import: it is undone completely"
    );
    assert_eq!(total(&t), 1, "the created profile is gone");
    let detail = t.store.profile_detail(&admin, old).unwrap();
    assert_eq!(
        detail.profile.label, "Before",
        "the updated name is restored"
    );
    assert_eq!(detail.profile.values["city"], "Huế", "and the city");
    assert!(
        t.store.undo_job(&admin, id).is_err(),
        "a job is undone once"
    );
    let audit = t.store.verify_audit(&admin).unwrap();
    assert_eq!(
        (audit.entries, audit.first_broken),
        (3, None),
        "the profile created by hand, confirm and undo are audited"
    );
}

#[test]
fn several_values_in_a_single_value_cell_fail_the_row_lists_take_them() {
    let mut t = test_store();
    // name, phones, e-mails, city: the city holds two values; the phones cell holds two
    // phones (a list: fine); the name has a comma (one value: fine).
    let text = [
        "Nguyễn Văn A\t0911111111; 0922222222\ta@x.vn\tHuế",
        "Trần, Thị B\t0933333333\tb@x.vn\tHà Nội; Đà Nẵng",
        "Lê C\t0944444444\tc@x.vn\tCần Thơ;",
    ]
    .join("\n");
    let s = paste_settings(&t.store, &text);
    let admin = t.admin.clone();
    let dry = t
        .store
        .dry_run(&admin, &ImportSource::Paste(text), &s)
        .unwrap();
    assert_eq!(
        (dry.counts.created, dry.counts.failed),
        (2, 1),
        "only the row whose city cell holds two cities fails: {:?}",
        dry.counts
    );
    let e = &dry.first_errors[0];
    assert_eq!(e.row, 2, "the row is named");
    assert_eq!(e.column, "Column 4", "and the column at fault");
    assert_eq!(e.value, "Hà Nội; Đà Nẵng", "and its value");
    assert!(
        e.reason.contains("holds one value, but 2 were given"),
        "and why: {}",
        e.reason
    );
}

#[test]
fn bad_mappings_big_pastes_and_viewers_are_refused() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let text = "Only a city\n".to_string();
    let mut s = paste_settings(&t.store, &text);
    s.mapping[0].target = Some("city".into()); // only a city: no identifier mapped
    let err = t
        .store
        .queue_import(&admin, &ImportSource::Paste(text.clone()), &s)
        .unwrap_err();
    assert!(
        err.to_string().contains("identification field"),
        "the core checks the mapping: {err}"
    );
    assert_eq!(
        (
            err.code(),
            &err.details()["reason"],
            &err.details()["problem"]
        ),
        (
            "conflict",
            &json!("mappingUnusable"),
            &json!("identificationUnmapped")
        ),
        "the refusal and the mapping problem as codes: {:?}",
        err.details()
    );
    let text = "An\tBình\n".to_string();
    let mut s = paste_settings(&t.store, &text);
    s.mapping[1].target = Some("full_name".into());
    let err = t
        .store
        .queue_import(&admin, &ImportSource::Paste(text), &s)
        .unwrap_err();
    assert_eq!(
        (&err.details()["problem"], &err.details()["params"]),
        (
            &json!("mappedTwice"),
            &json!({ "key": "full_name", "label": "Full name", "headers": ["Column 1", "Column 2"] })
        ),
        "the problem's params come along, for the UI to word the detail: {:?}",
        err.details()
    );
    let big: String = (0..1_001).map(|i| format!("Name {i}\n")).collect();
    let s = paste_settings(&t.store, "Name 1\n");
    let err = t
        .store
        .queue_import(&admin, &ImportSource::Paste(big), &s)
        .unwrap_err();
    assert!(
        matches!(err, Error::Limit(_)),
        "1,001 rows are over the limit: {err}"
    );
    assert!(
        err.to_string().contains("1,001") && err.to_string().contains("1,000"),
        "limit and count: {err}"
    );
    assert_eq!(
        err.details(),
        json!({ "reason": "pasteTooManyRows", "rows": 1_001, "limit": 1_000 }),
        "limit and count as data"
    );
    let viewer = t.viewer();
    let err = t
        .store
        .dry_run(&viewer, &ImportSource::Paste("A\n".into()), &s)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Permission {
                permission: "profile.import",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(total(&t), 0, "nothing was imported");
    assert!(
        t.store.jobs(&admin).unwrap().is_empty(),
        "no job was queued"
    );
}

#[test]
fn a_file_preview_has_columns_samples_rows_and_a_checked_suggestion() {
    let t = test_store();
    let path = t.dir.path().join("khach-hang.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Họ và tên", "SĐT", "Cột trống"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=60u32 {
        ws.write_string(r, 0, format!("Khách {r}")).unwrap();
        ws.write_string(r, 1, format!("09123456{:02}", r % 100))
            .unwrap();
    }
    wb.save(&path).unwrap();
    let preview = t.store.preview_file(&t.admin, &path).unwrap();
    assert_eq!(preview.file_name, "khach-hang.xlsx", "the file's name");
    assert_eq!(
        preview.path.as_deref(),
        Some(path.display().to_string().as_str()),
        "the path, for the job"
    );
    assert_eq!(preview.total_rows, 60, "every data row is counted");
    let headers: Vec<&str> = preview.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(
        headers,
        ["Họ và tên", "SĐT", "Cột trống"],
        "headers in order"
    );
    assert_eq!(
        preview.columns[0].samples.len(),
        pdesk_core::jobs::PREVIEW_SAMPLES,
        "samples are capped"
    );
    assert!(
        preview.columns[2].samples.is_empty(),
        "an empty column has no samples"
    );
    let targets: Vec<Option<&str>> = preview
        .mapping
        .iter()
        .map(|m| m.target.as_deref())
        .collect();
    assert_eq!(
        targets,
        [Some("full_name"), Some("phones"), None],
        "suggested from the headers"
    );
    assert!(
        preview.problems.is_empty(),
        "the suggestion is usable: {:?}",
        preview.problems
    );
}

#[test]
fn a_paste_preview_names_columns_and_reports_mapping_problems() {
    let t = test_store();
    let preview = t
        .store
        .preview_paste(&t.admin, "Hà Nội\tghi chú\n\nHuế\t\n")
        .unwrap();
    assert_eq!(preview.file_name, "Pasted data", "a paste has no file");
    assert_eq!(preview.path, None, "and no path");
    assert_eq!(preview.total_rows, 2, "blank lines are not rows");
    let headers: Vec<&str> = preview.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["Column 1", "Column 2"], "columns by position");
    assert_eq!(
        preview.columns[0].samples,
        ["Hà Nội", "Huế"],
        "samples as text"
    );
    assert!(
        !preview.problems.is_empty(),
        "nothing identifies a profile, and the preview says so"
    );
    let big: String = (0..1_001).map(|i| format!("Name {i}\n")).collect();
    let err = t.store.preview_paste(&t.admin, &big).unwrap_err();
    assert!(
        matches!(err, Error::Limit(_)),
        "the paste limit holds: {err}"
    );
}

/// "Do not paste column names" (seed 4.2), which people do anyway: a first row of column
/// names — in Vietnamese, as a sales team's sheet has them — names the columns, is mapped by
/// them, and is not imported as a customer named "Họ và tên". Rows keep their numbers.
#[test]
fn a_pasted_header_row_names_the_columns_and_is_not_imported() {
    let mut t = test_store();
    let text = "Họ và tên\tSĐT\tEmail\tGhi chú\n\
                Nguyễn Thị Lan\t0377920611 (Zalo)\tlan@shop.vn\tkhách quen\n\
                Trần Văn Bình\t0912345678 / 0987654321\t\t\n\
                Lê Hoa\t0912 345\t\t\n";
    let preview = t.store.preview_paste(&t.admin, text).unwrap();
    assert_eq!(
        preview.header_row.as_deref(),
        Some(&["Họ và tên", "SĐT", "Email", "Ghi chú"].map(String::from)[..])
    );
    let headers: Vec<&str> = preview.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["Họ và tên", "SĐT", "Email", "Ghi chú"]);
    assert_eq!(preview.total_rows, 3, "the names are not a row");
    assert_eq!(preview.columns[0].samples[0], "Nguyễn Thị Lan");
    let targets: Vec<Option<&str>> = preview
        .mapping
        .iter()
        .map(|m| m.target.as_deref())
        .collect();
    assert_eq!(
        &targets[..3],
        [Some("full_name"), Some("phones"), Some("emails")],
        "mapped by the names"
    );
    let settings = ImportSettings::suggested(preview);
    assert!(settings.header_row);
    let id = crate::run_paste(&mut t, text, &settings);
    let job = t.store.job(&t.admin, id).unwrap();
    assert_eq!(
        (job.counts.created, job.counts.failed),
        (2, 1),
        "{:?}",
        job.counts
    );
    let failed = t.store.failed_rows(&t.admin, id, Lang::En).unwrap();
    assert_eq!(failed.headers, ["Họ và tên", "SĐT", "Email", "Ghi chú"]);
    assert_eq!(
        (failed.rows[0].row, failed.rows[0].cells[0].as_str()),
        (4, "Lê Hoa"),
        "rows keep their numbers in the paste"
    );
    let named = t
        .store
        .count_profiles(
            &t.admin,
            &ListQuery {
                search: "Họ và tên".into(),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(named.filtered, 0, "no customer called “Họ và tên”");

    // The user says the first row is a customer after all: read from it.
    let as_data = t
        .store
        .preview_paste_from_first_row(&t.admin, text)
        .unwrap();
    assert_eq!(as_data.header_row, None);
    assert_eq!(as_data.total_rows, 4);
    assert_eq!(as_data.columns[0].header, "Column 1");
    assert!(!ImportSettings::suggested(as_data).header_row);

    // A paste of customers only is read from its first row.
    let data = t
        .store
        .preview_paste(&t.admin, "Phạm Tên\t0901234567\nĐỗ Email\t0901234568\n")
        .unwrap();
    assert_eq!(data.header_row, None, "a customer is not column names");
    assert_eq!(data.total_rows, 2);
}

#[test]
fn previews_need_the_import_permission_and_files_pass_the_guard() {
    let mut t = test_store();
    let viewer = t.viewer();
    let err = t
        .store
        .preview_paste(&viewer, "A\t0912345678\n")
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Permission {
                permission: "profile.import",
                ..
            }
        ),
        "a viewer cannot import: {err}"
    );
    let path = t.dir.path().join("customers.xlsx");
    std::fs::write(&path, "name,phone\nA,0912345678\n").unwrap();
    let err = t.store.preview_file(&t.admin, &path).unwrap_err();
    assert_eq!(err.code(), "importRefused", "a CSV is refused: {err}");
    assert_eq!(
        err.details()["refusal"],
        "notXlsx",
        "the details name the rule"
    );
}

/// Issue 16: a file refused at upload never becomes a job, but the report still says what
/// happened to it — the file, the rule, the sentence the user saw, who and when — and keeps
/// nothing of its content.
#[test]
fn a_file_refused_at_upload_is_listed_with_why_who_and_when() {
    let at = time::macros::datetime!(2026-11-30 08:15:00.250 UTC);
    let mut t = crate::test_store_on(std::sync::Arc::new(pdesk_core::clock::FakeClock::new(at)));
    let path = t.dir.path().join("Khách hàng tháng 11.xlsx");
    std::fs::write(&path, "Họ và tên,SĐT\nNguyễn Thị Lan,0377920611\n").unwrap();
    let err = t.store.preview_file(&t.admin, &path).unwrap_err();
    assert_eq!(err.code(), "importRefused", "{err}");
    let viewer = t.viewer();
    let refused = t.store.refused_uploads(&viewer).unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
    let r = &refused[0];
    assert_eq!(
        (r.file_name.as_str(), r.code.as_str(), r.refused_by.as_str()),
        ("Khách hàng tháng 11.xlsx", "notXlsx", t.admin.name.as_str())
    );
    assert_eq!(r.reason, err.to_string(), "the sentence the user saw");
    assert_eq!(
        (&r.details["file"], r.details["looksLike"].is_string()),
        (&serde_json::json!("Khách hàng tháng 11.xlsx"), true),
        "and what it says as data, for the report to word it in the reader's language: {}",
        r.details
    );
    assert_eq!(
        r.refused_at, "2026-11-30T08:15:00.250Z",
        "on the store's clock"
    );
    assert!(
        !format!("{refused:?}").contains("Nguyễn"),
        "nothing of the file's content"
    );
    assert!(
        t.store.jobs(&t.admin).unwrap().is_empty(),
        "it never became a job"
    );
    // A file that passes is not a refusal; the list keeps the latest 1,000.
    let ok = t.dir.path().join("ok.xlsx");
    pdesk_testkit::files::write_import_workbook(&ok, 3).unwrap();
    t.store.preview_file(&t.admin, &ok).unwrap();
    assert_eq!(t.store.refused_uploads(&t.admin).unwrap().len(), 1);
    let refusal = match err {
        Error::ImportRefused(refusal) => refusal,
        other => panic!("{other}"),
    };
    for _ in 0..pdesk_core::jobs::REFUSALS_KEPT {
        t.store
            .record_refused_upload(&t.admin, &path, &refusal)
            .unwrap();
    }
    let kept = t.store.refused_uploads(&t.admin).unwrap();
    assert_eq!(kept.len() as i64, pdesk_core::jobs::REFUSALS_KEPT);
    assert!(kept.iter().all(|r| r.id > 1), "the oldest went first");
}

/// Issue 18: the mapping step reads the header and a sample and counts the rows without
/// reading them; a rule broken further down (here a value beside the named columns in row 70,
/// after the 50 sample rows)
/// refuses the file at the dry run, which reads every row, and the report lists it there too.
#[test]
fn a_rule_broken_after_the_sample_refuses_the_file_at_the_dry_run_and_the_report_lists_it() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let path = t.dir.path().join("khach-hang-tang-3.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Họ và tên").unwrap();
    ws.write_string(0, 1, "SĐT").unwrap();
    for row in 1..=80u32 {
        ws.write_string(row, 0, format!("Khách {row}")).unwrap();
        ws.write_string(row, 1, format!("0912{row:06}")).unwrap();
    }
    ws.write_string(69, 2, "ghi chú lạc cột").unwrap();
    wb.save(&path).unwrap();

    let preview = t.store.preview_file(&admin, &path).unwrap();
    assert_eq!(preview.total_rows, 80, "counted without reading the rows");
    assert!(t.store.refused_uploads(&admin).unwrap().is_empty());
    let s = settings(&t.store, preview.columns.clone());
    let source = ImportSource::File(path.clone());
    let err = t.store.dry_run(&admin, &source, &s).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"khach-hang-tang-3.xlsx\": the column name in C1 is empty; the first row must hold \
         the column names",
        "the rule, the file and the cell"
    );
    let refused = t.store.refused_uploads(&admin).unwrap();
    assert_eq!(
        refused.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
        ["emptyHeader"],
        "listed in the report like a file refused at upload"
    );
    assert_eq!(total(&t), 0, "nothing imported");
}

#[test]
fn a_queued_job_can_be_cancelled_and_never_runs() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let text = "An\t0912345678\n";
    let s = paste_settings(&t.store, text);
    let source: ImportSource = ImportSourceArg::Paste { text: text.into() }.into();
    assert_eq!(
        source,
        ImportSource::Paste(text.into()),
        "the webview's source converts"
    );
    let id = t.store.queue_import(&admin, &source, &s).unwrap();
    let job = t.store.cancel_job(&admin, id).unwrap();
    assert_eq!(job.status, JobStatus::Cancelled, "cancelled at once");
    assert_eq!(t.store.next_queued_job().unwrap(), None, "not in the queue");
    let err = t.store.cancel_job(&admin, id).unwrap_err();
    assert!(
        matches!(err, Error::Conflict(_)),
        "a finished job cannot be cancelled: {err}"
    );
    assert_eq!(total(&t), 0, "nothing was imported");
}

/// Writes a workbook of `names` (one phone each) at `path`.
fn customers_file(path: &std::path::Path, names: &[&str]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Họ và tên").unwrap();
    ws.write_string(0, 1, "SĐT").unwrap();
    for (i, name) in names.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, *name).unwrap();
        ws.write_string(i as u32 + 1, 1, format!("09120000{i:02}"))
            .unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_file_changed_after_confirm_fails_its_job_and_nothing_of_it_is_applied() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let path = t.dir.path().join("khach-hang.xlsx");
    customers_file(&path, &["An", "Bình", "Châu"]);
    let (columns, _) = pdesk_core::jobs::file_columns(&path, &Default::default(), 5).unwrap();
    let s = settings(&t.store, columns);
    let id = t
        .store
        .queue_import(&admin, &ImportSource::File(path.clone()), &s)
        .unwrap();
    // Queued, not yet run (the worker was busy, or the app was closed): the file is saved again
    // with other people in it.
    customers_file(&path, &["Dung", "Em", "Giang", "Hà"]);
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(job.status, JobStatus::Failed, "{job:?}");
    let error = job.error.unwrap_or_default();
    assert!(
        error.contains("khach-hang.xlsx changed after the import was confirmed")
            && error.contains("Upload it again"),
        "the reason names the file and what to do: {error}"
    );
    assert_eq!(
        job.error_code.as_deref(),
        Some("conflict"),
        "the job keeps its error's code"
    );
    assert_eq!(
        job.error_details["reason"], "fileChanged",
        "and its reason and parameters, for the UI to word it: {:?}",
        job.error_details
    );
    assert_eq!(job.error_details["file"], "khach-hang.xlsx");
    assert!(
        job.error_details["before"].as_u64().is_some()
            && job.error_details["now"].as_u64().is_some(),
        "both sizes, in bytes: {:?}",
        job.error_details
    );
    assert_eq!(total(&t), 0, "nothing was applied from the changed file");

    // The same file, unchanged, still goes through.
    let (columns, _) = pdesk_core::jobs::file_columns(&path, &Default::default(), 5).unwrap();
    let s = settings(&t.store, columns);
    let id = t
        .store
        .queue_import(&admin, &ImportSource::File(path), &s)
        .unwrap();
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(
        (job.status, job.counts.created),
        (JobStatus::Done, 4),
        "{job:?}"
    );
}

/// Failed rows are other people's raw cells: a file of them is an export (permission, audit),
/// and a cell that Excel would take for a formula stays text even when edited.
#[test]
fn the_failed_rows_file_needs_the_export_permission_and_quotes_formula_like_cells() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let text = "\t\t\t=HYPERLINK(\"http://evil.example\")\n".to_string();
    let s = paste_settings(&t.store, &text);
    let id = t
        .store
        .queue_import(&admin, &ImportSource::Paste(text), &s)
        .unwrap();
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(job.counts.failed, 1, "no identifier: {job:?}");
    let viewer = pdesk_testkit::users::add_viewer(&mut t.store);
    let out = t.dir.path().join("failed.xlsx");
    let err = t
        .store
        .write_failed_rows(&viewer, id, &out, Lang::En)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Permission {
                permission: "profile.export",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!out.exists(), "nothing written for a viewer");
    t.store
        .write_failed_rows(&admin, id, &out, Lang::En)
        .unwrap();
    let styles = crate::export::zip_entry(&out, "xl/styles.xml");
    let sheet = crate::export::zip_entry(&out, "xl/worksheets/sheet1.xml");
    assert!(
        styles.contains("quotePrefix=\"1\"") && !sheet.contains("<f>"),
        "the formula-like cell is quoted text: {styles}"
    );
    let audit: Vec<String> = t
        .store
        .audit_entries(&admin, &Default::default())
        .unwrap()
        .entries
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        audit.contains(&"import.failed_rows".to_string()),
        "{audit:?}"
    );
}

/// The dry run leaves creates that no later row needs unwritten (`rows::DeferredCreates`): on
/// pastes that reuse names, phones and e-mails among themselves and with the store's profiles
/// (so in-file duplicates, updates, several matches and names that differ all happen, and an
/// unwritten create is needed by a later row), its counts are still exactly the job's.
mod dry_run_equals_the_job {
    use proptest::prelude::*;

    use super::*;
    use crate::run_paste;

    const NAMES: [&str; 4] = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Chi", "Phạm Dũng"];
    const PHONES: [&str; 5] = [
        "0911000001",
        "0911000002",
        "0911000003",
        "0911000004",
        "0911000005",
    ];
    const EMAILS: [&str; 4] = ["an@x.vn", "binh@x.vn", "chi@x.vn", "dung@x.vn"];

    /// A person as indexes into the pools: name, phone (and maybe a second), e-mail.
    type Person = (usize, Option<(usize, Option<usize>)>, Option<usize>);

    /// One person's cells: a name, maybe a phone (sometimes two, as sales staff type them),
    /// maybe an e-mail — drawn from small pools so that values meet again.
    fn person() -> impl Strategy<Value = Person> {
        (
            0..NAMES.len(),
            proptest::option::of((
                0..PHONES.len(),
                proptest::option::weighted(0.2, 0..PHONES.len()),
            )),
            proptest::option::of(0..EMAILS.len()),
        )
    }

    fn cells((name, phone, email): &Person) -> (String, String, String) {
        let phone = match phone {
            Some((a, Some(b))) if a != b => format!("{} / {}", PHONES[*a], PHONES[*b]),
            Some((a, _)) => PHONES[*a].to_string(),
            None => String::new(),
        };
        let email = email.map(|e| EMAILS[e].to_string()).unwrap_or_default();
        (NAMES[*name].to_string(), phone, email)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn on_pastes_that_reuse_values(
            existing in proptest::collection::vec(person(), 0..4),
            rows in proptest::collection::vec(person(), 1..24),
        ) {
            let mut t = test_store();
            for p in &existing {
                let (name, phone, email) = cells(p);
                if phone.is_empty() && email.is_empty() {
                    continue;
                }
                let admin = t.admin.clone();
                let input = pdesk_core::model::ProfileInput::default()
                    .with("full_name", &name)
                    .with("phones", &phone)
                    .with("emails", &email);
                // A person the rule sends to review is fine: the store holds what it holds.
                let _ = t.store.create_profile(&admin, &input, &Default::default());
            }
            let text = rows
                .iter()
                .map(|p| {
                    let (name, phone, email) = cells(p);
                    format!("{name}\t{phone}\t{email}\tHuế")
                })
                .collect::<Vec<_>>()
                .join("\n");
            let s = paste_settings(&t.store, &text);
            let admin = t.admin.clone();
            let dry = t.store.dry_run(&admin, &ImportSource::Paste(text.clone()), &s).unwrap();
            let job = run_paste(&mut t, &text, &s);
            let done = t.store.job(&admin, job).unwrap();
            prop_assert_eq!(&dry.counts, &done.counts, "paste:\n{}", text);
        }
    }
}
