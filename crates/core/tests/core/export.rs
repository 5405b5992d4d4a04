//! Export to .xlsx: every file is opened again with calamine and checked cell by cell; the
//! sheet XML is read to prove no formula is written and injection cells carry the
//! quote-prefix format; the direct limit (1,000 vs 1,001 rows), cancel, restart, audit, and
//! the round trip back through the import.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use pdesk_core::export::{ExportFields, ExportRequest, ExportStatus};
use pdesk_core::filter::ListQuery;
use pdesk_core::filter::{Condition, FilterOp};
use pdesk_core::jobs::{ImportSettings, ImportSource};
use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::Store;

use crate::{created_id, test_store, TestStore};

fn request(fields: ExportFields, columns: &[&str]) -> ExportRequest {
    ExportRequest {
        query: ListQuery::default(),
        fields,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ids: None,
    }
}

/// Every sheet's rows as calamine reads them.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("the export opens as .xlsx");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).expect("sheet");
            (n, range.rows().map(|r| r.to_vec()).collect())
        })
        .collect()
}

pub(crate) fn zip_entry(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("file");
    let mut zip = zip::ZipArchive::new(file).expect("an .xlsx is a zip");
    let mut entry = zip.by_name(name).expect("entry");
    let mut s = String::new();
    entry.read_to_string(&mut s).expect("utf-8 xml");
    s
}

fn add_custom_fields(t: &TestStore) {
    let conn = rusqlite::Connection::open(t.store.path()).expect("second connection");
    conn.execute_batch(
        r#"INSERT INTO fields(key, label, kind, position) VALUES
            ('score', 'Score', 'number', 500),
            ('newsletter', 'Newsletter', 'boolean', 510),
            ('member_since', 'Member since', 'date', 520);"#,
    )
    .expect("custom fields");
}

/// One profile holding every tricky value: formula-looking texts, a phone and a code with
/// leading zeros, a list, a date, custom number/boolean/date.
fn tricky(t: &mut TestStore) -> i64 {
    add_custom_fields(t);
    let input = ProfileInput::default()
        .with("full_name", "=HYPERLINK(\"http://x\",\"click\")")
        .with_list("phones", &["0912 345 678", "+84 901 000 111"])
        .with_list("emails", &["an@example.com"])
        .with("gender", "female")
        .with("birthday", "01/05/1990")
        .with("address", "+84 Lê Lợi")
        .with("city", "-Hà Nội")
        .with("company", "@company")
        .with("customer_code", "00123")
        .with_list("tags", &["VIP", "Khách mới"])
        .with("note", "=1+1")
        .with("score", "12.5")
        .with("newsletter", "yes")
        .with("member_since", "2020-01-15");
    created_id(
        &t.store
            .create_profile(&t.admin, &input, &ConsentInput::default())
            .expect("create"),
    )
}

fn col(header: &[Data], label: &str) -> usize {
    header
        .iter()
        .position(|h| h == &Data::String(label.into()))
        .unwrap_or_else(|| panic!("a column labelled {label}: {header:?}"))
}

#[test]
fn every_cell_is_typed_and_no_formula_is_written() {
    let mut t = test_store();
    tricky(&mut t);
    let out = t.dir.path().join("all.xlsx");
    let job = t
        .store
        .export_direct(&t.admin, &request(ExportFields::All, &[]), &out)
        .expect("export");
    assert_eq!(
        job.status,
        ExportStatus::Done,
        "a direct export is done at once"
    );
    assert_eq!(job.rows_done, 1, "one row");
    let s = sheets(&out);
    assert_eq!(s.len(), 1, "one sheet");
    let rows = &s[0].1;
    assert_eq!(rows.len(), 2, "header + one profile");
    let header = &rows[0];
    let row = &rows[1];
    let cell = |label: &str| &row[col(header, label)];
    assert_eq!(
        cell("Full name"),
        &Data::String("=HYPERLINK(\"http://x\",\"click\")".into()),
        "a formula-looking name is kept as text, exactly"
    );
    assert_eq!(
        cell("Phones"),
        &Data::String("0912 345 678, +84 901 000 111".into()),
        "phones as text, as typed, leading zero kept, joined with ', '"
    );
    assert_eq!(
        cell("Customer code"),
        &Data::String("00123".into()),
        "codes keep leading zeros"
    );
    assert_eq!(
        cell("Tags"),
        &Data::String("VIP, Khách mới".into()),
        "lists joined with ', '"
    );
    assert_eq!(
        cell("Gender"),
        &Data::String("Female".into()),
        "select by its label"
    );
    assert_eq!(
        cell("Note"),
        &Data::String("=1+1".into()),
        "no formula from a note"
    );
    assert_eq!(
        cell("City"),
        &Data::String("-Hà Nội".into()),
        "- prefix kept as text"
    );
    assert_eq!(
        cell("Company"),
        &Data::String("@company".into()),
        "@ prefix kept as text"
    );
    assert_eq!(
        cell("Address"),
        &Data::String("+84 Lê Lợi".into()),
        "+ prefix kept as text"
    );
    match cell("Birthday") {
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, m, day), (1990, 5, 1), "the birthday is an Excel date");
        }
        other => panic!("the birthday is a date cell, not {other:?}"),
    }
    match cell("Member since") {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 43_845.0, "2020-01-15 as an Excel serial date"),
        other => panic!("a custom date is a date cell, not {other:?}"),
    }
    assert!(
        matches!(cell("Created at"), Data::DateTime(_)),
        "timestamps are Excel date-times: {:?}",
        cell("Created at")
    );
    assert_eq!(cell("Score"), &Data::Float(12.5), "numbers are numbers");
    assert_eq!(
        cell("Newsletter"),
        &Data::Bool(true),
        "booleans are booleans"
    );
    assert_eq!(
        cell("Source"),
        &Data::String("Manual".into()),
        "system fields as text"
    );

    let xml = zip_entry(&out, "xl/worksheets/sheet1.xml");
    assert!(
        !xml.contains("<f>") && !xml.contains("<f "),
        "no formula element in the sheet XML"
    );
    assert!(
        xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
        "the header row is frozen"
    );
    assert!(
        xml.contains("<cols>") && xml.contains("customWidth=\"1\""),
        "columns are sized"
    );
    let styles = zip_entry(&out, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xfs = &xfs[..xfs.find("</cellXfs>").expect("end")];
    let quoted: Vec<usize> = xfs
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, x)| x.contains("quotePrefix=\"1\""))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(quoted.len(), 1, "one quote-prefix format: {xfs}");
    let style_of = |r: &str| -> Option<usize> {
        let at = xml.find(&format!("<c r=\"{r}\""))?;
        let tag = &xml[at..at + xml[at..].find('>')?];
        let s = tag.split("s=\"").nth(1)?;
        s[..s.find('"')?].parse().ok()
    };
    let letter =
        |label: &str| -> String { char::from(b'A' + col(header, label) as u8).to_string() };
    for label in ["Full name", "Note", "City", "Company", "Address"] {
        assert_eq!(
            style_of(&format!("{}2", letter(label))),
            Some(quoted[0]),
            "{label}: a text starting with = + - @ carries the quote prefix"
        );
    }
    assert_ne!(
        style_of(&format!("{}2", letter("Customer code"))),
        Some(quoted[0]),
        "an ordinary text has no quote prefix"
    );
}

#[test]
fn the_quote_prefix_rule_covers_tab_and_carriage_return() {
    for s in ["=1", "+1", "-1", "@x", "\tx", "\rx"] {
        assert!(
            pdesk_core::export::needs_quote_prefix(s),
            "{s:?} needs the prefix"
        );
    }
    for s in ["1", "a=b", " =x", "Nguyễn", ""] {
        assert!(!pdesk_core::export::needs_quote_prefix(s), "{s:?} does not");
    }
}

#[test]
fn displayed_fields_are_the_columns_in_order_all_fields_include_custom() {
    let mut t = test_store();
    tricky(&mut t);
    let out = t.dir.path().join("displayed.xlsx");
    t.store
        .export_direct(
            &t.admin,
            &request(ExportFields::Displayed, &["city", "full_name", "score"]),
            &out,
        )
        .expect("export");
    let rows = &sheets(&out)[0].1;
    assert_eq!(
        rows[0],
        ["City", "Full name", "Score"]
            .map(|s| Data::String(s.into()))
            .to_vec(),
        "displayed fields: the list's columns, in their order, custom included when displayed"
    );
    let plan = t
        .store
        .export_plan(&t.admin, &request(ExportFields::All, &[]))
        .expect("plan");
    assert!(
        plan.columns.contains(&"Member since".to_string()),
        "all fields include custom fields"
    );
    assert!(
        plan.columns.contains(&"Created at".to_string()),
        "and the system fields"
    );
    assert_eq!(
        plan.columns.first().map(String::as_str),
        Some("Full name"),
        "catalogue order"
    );
    let e = t
        .store
        .export_plan(&t.admin, &request(ExportFields::Displayed, &["nope"]))
        .unwrap_err();
    assert!(e.to_string().contains("no field “nope”"), "{e}");
}

fn seeded(n: u64) -> TestStore {
    let mut t = test_store();
    t.store.seed_demo(&t.admin, n, 11).expect("seed");
    t
}

#[test]
fn up_to_the_limit_is_direct_above_it_is_a_background_job() {
    let mut t = seeded(1_001);
    let all = request(ExportFields::Displayed, &["full_name", "phones"]);
    let plan = t.store.export_plan(&t.admin, &all).expect("plan");
    assert_eq!(
        (plan.rows, plan.direct_limit, plan.background),
        (1_001, 1_000, true),
        "1,001 rows go to the background"
    );
    let out = t.dir.path().join("too-many.xlsx");
    let e = t.store.export_direct(&t.admin, &all, &out).unwrap_err();
    assert_eq!(
        e.code(),
        "limit",
        "the core refuses a direct export over the limit: {e}"
    );
    assert!(
        e.to_string()
            .contains("more than 1000 rows runs in the background"),
        "{e}"
    );
    assert!(!out.exists(), "nothing written");

    // A selection of 1,000 rows is exactly the limit: direct.
    let newest: Vec<i64> = t
        .store
        .list_page(&t.admin, &ListQuery::default(), 0, 500, &[])
        .unwrap()
        .rows
        .iter()
        .chain(
            t.store
                .list_page(&t.admin, &ListQuery::default(), 500, 500, &[])
                .unwrap()
                .rows
                .iter(),
        )
        .map(|r| r.id)
        .collect();
    let selected = ExportRequest {
        ids: Some(newest),
        ..all.clone()
    };
    let plan = t.store.export_plan(&t.admin, &selected).expect("plan");
    assert_eq!(
        (plan.rows, plan.background),
        (1_000, false),
        "1,000 selected rows are written directly"
    );
    let out = t.dir.path().join("selected.xlsx");
    let job = t
        .store
        .export_direct(&t.admin, &selected, &out)
        .expect("direct");
    assert!(!job.background, "listed as a direct export");
    assert_eq!(
        sheets(&out)[0].1.len(),
        1_001,
        "header + 1,000 rows in the file"
    );

    // One profile fewer: the whole list is 1,000 rows, direct.
    let oldest = t
        .store
        .list_page(&t.admin, &ListQuery::default(), 1_000, 1, &[])
        .unwrap()
        .rows[0]
        .id;
    t.store
        .delete_profiles(&t.admin, &[oldest], "test")
        .expect("delete");
    let plan = t.store.export_plan(&t.admin, &all).expect("plan");
    assert_eq!(
        (plan.rows, plan.background),
        (1_000, false),
        "1,000 rows of the filter: direct"
    );
    let out = t.dir.path().join("thousand.xlsx");
    t.store.export_direct(&t.admin, &all, &out).expect("direct");
    assert_eq!(sheets(&out)[0].1.len(), 1_001, "header + 1,000 rows");
    t.store.seed_demo(&t.admin, 1, 12).expect("seed one more");

    let job = t.store.queue_export(&t.admin, &all).expect("queue");
    assert_eq!(
        (job.status, job.background),
        (ExportStatus::Queued, true),
        "queued in the background"
    );
    assert_eq!(
        t.store.next_queued_export().unwrap(),
        Some(job.id),
        "the worker finds it"
    );
    let mut seen = Vec::new();
    let done = t
        .store
        .run_export(&t.admin, job.id, |p| {
            seen.push(p.rows_done);
            ControlFlow::Continue(())
        })
        .expect("run");
    assert_eq!(done.status, ExportStatus::Done, "done");
    assert_eq!(
        seen.last(),
        Some(&1_001),
        "progress reached the end: {seen:?}"
    );
    let path = std::path::PathBuf::from(done.path.clone().expect("a file"));
    assert!(
        path.starts_with(t.store.exports_dir()),
        "written to the exports folder: {path:?}"
    );
    assert_eq!(
        done.file_bytes,
        Some(std::fs::metadata(&path).unwrap().len()),
        "its size is recorded"
    );
    let rows = &sheets(&path)[0].1;
    assert_eq!(rows.len(), 1_002, "header + 1,001 rows");
    assert_eq!(
        t.store.export_jobs(&t.admin).unwrap().len(),
        3,
        "every export is listed (the refused one never started)"
    );
    let copy = t.dir.path().join("saved-as.xlsx");
    t.store
        .save_export_copy(&t.admin, done.id, &copy)
        .expect("save as");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&path).unwrap(),
        "Save as copies the file"
    );
}

#[test]
fn a_cancelled_export_leaves_no_file() {
    let mut t = seeded(5_000);
    let job = t
        .store
        .queue_export(&t.admin, &request(ExportFields::All, &[]))
        .expect("queue");
    let mut calls = 0;
    let cancelled = t
        .store
        .run_export(&t.admin, job.id, |p| {
            calls += 1;
            if p.rows_done > 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .expect("run");
    assert_eq!(
        cancelled.status,
        ExportStatus::Cancelled,
        "cancelled after the first chunk"
    );
    assert!(
        cancelled.rows_done < 5_000,
        "stopped early: {}",
        cancelled.rows_done
    );
    let dir = t.store.exports_dir();
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "no file and no partial file left: {left:?}"
    );
    let e = t
        .store
        .run_export(&t.admin, job.id, |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(
        e.code(),
        "conflict",
        "a cancelled export does not run again: {e}"
    );
    let queued = t
        .store
        .queue_export(&t.admin, &request(ExportFields::All, &[]))
        .expect("queue");
    let c = t.store.cancel_export(&t.admin, queued.id).expect("cancel");
    assert_eq!(
        c.status,
        ExportStatus::Cancelled,
        "a queued export is cancelled at once"
    );
    assert_eq!(
        t.store.next_queued_export().unwrap(),
        None,
        "and never runs"
    );
}

#[test]
fn an_export_interrupted_by_a_crash_runs_again_after_a_restart() {
    let mut t = seeded(2_500);
    let job = t
        .store
        .queue_export(
            &t.admin,
            &request(ExportFields::Displayed, &["full_name", "phones", "city"]),
        )
        .expect("queue");
    // The process died mid-write: the job says running, a partial file is on disk.
    std::fs::create_dir_all(t.store.exports_dir()).unwrap();
    let stale = t.store.exports_dir().join("stale.xlsx.part");
    std::fs::write(&stale, b"half a zip").unwrap();
    rusqlite::Connection::open(t.store.path())
        .unwrap()
        .execute(
            "UPDATE export_jobs SET status = 'running', rows_done = 1200, started_at = 'x' WHERE id = ?1",
            [job.id],
        )
        .unwrap();
    let path = t.store.path().to_path_buf();
    drop(std::mem::replace(
        &mut t.store,
        Store::open(&path).expect("reopen"),
    ));
    assert_eq!(
        t.store.recover_interrupted_exports().unwrap(),
        1,
        "the interrupted export is found"
    );
    assert_eq!(
        t.store.next_queued_export().unwrap(),
        Some(job.id),
        "and queued again"
    );
    let done = t
        .store
        .run_export(&t.admin, job.id, |_| ControlFlow::Continue(()))
        .expect("run");
    assert_eq!(
        done.status,
        ExportStatus::Done,
        "it finishes after the restart"
    );
    let rows = &sheets(Path::new(done.path.as_deref().unwrap()))[0].1;
    assert_eq!(rows.len(), 2_501, "every row, written from the start");
}

#[test]
fn each_export_is_audited_with_filter_fields_rows_and_destination() {
    let mut t = seeded(30);
    let query = ListQuery {
        filter: vec![Condition::Field {
            field: "full_name".into(),
            op: FilterOp::NotEmpty,
            value: String::new(),
            value2: String::new(),
        }],
        ..ListQuery::default()
    };
    let out = t.dir.path().join("audited.xlsx");
    let job = t
        .store
        .export_direct(
            &t.admin,
            &ExportRequest {
                query,
                ..request(ExportFields::Displayed, &["full_name", "city"])
            },
            &out,
        )
        .expect("export");
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    let (actor, action, target, details): (String, String, String, String) = conn
        .query_row(
            "SELECT actor, action, target, details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("an audit entry");
    assert_eq!(
        (actor.as_str(), action.as_str()),
        (t.admin.name.as_str(), "export"),
        "who and what"
    );
    assert_eq!(target, format!("export:{}", job.id), "which export");
    let d: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(
        d["filter"], "Full name is not empty",
        "the filter in words: {d}"
    );
    assert_eq!(
        (
            &d["query"]["filter"][0]["field"],
            &d["names"]["fields"]["full_name"]["label"],
            &d["names"]["fields"]["full_name"]["kind"],
            &d["selected"]
        ),
        (
            &serde_json::json!("full_name"),
            &serde_json::json!("Full name"),
            &serde_json::json!("text"),
            &serde_json::Value::Null
        ),
        "and as data, with the names it used, for the log to word it in the reader's language: {d}"
    );
    assert_eq!(d["fields"], "displayed", "{d}");
    assert_eq!(d["rows"], 30, "{d}");
    assert_eq!(d["destination"], out.display().to_string(), "{d}");
    assert!(
        t.store
            .verify_audit(&t.admin)
            .unwrap()
            .first_broken
            .is_none(),
        "the chain holds"
    );
}

#[test]
fn an_exported_file_reimports_as_updates_without_changes() {
    let mut t = seeded(40);
    tricky(&mut t);
    let out = t.dir.path().join("round-trip.xlsx");
    t.store
        .export_direct(&t.admin, &request(ExportFields::All, &[]), &out)
        .expect("export");
    let before: Vec<(i64, String)> = {
        let conn = rusqlite::Connection::open(t.store.path()).unwrap();
        let mut stmt = conn
            .prepare("SELECT id, updated_at FROM profiles ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let preview = t
        .store
        .preview_file(&t.admin, &out)
        .expect("the export is a valid import file");
    let mapped: Vec<Option<String>> = preview.mapping.iter().map(|m| m.target.clone()).collect();
    for key in [
        "full_name",
        "phones",
        "emails",
        "birthday",
        "customer_code",
        "tags",
        "score",
        "newsletter",
    ] {
        assert!(
            mapped.contains(&Some(key.to_string())),
            "{key} maps itself by its label: {mapped:?}"
        );
    }
    assert!(
        preview.problems.is_empty(),
        "no mapping problem: {:?}",
        preview.problems
    );
    let settings = ImportSettings::suggested(preview);
    let source = ImportSource::File(out.clone());
    let id = t
        .store
        .queue_import(&t.admin, &source, &settings)
        .expect("queue");
    let job = t
        .store
        .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
        .expect("run");
    assert_eq!(
        (
            job.counts.created,
            job.counts.updated,
            job.counts.failed,
            job.counts.reviews
        ),
        (0, 41, 0, 0),
        "every row updates its own profile: {:?}",
        job.counts
    );
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    let changed: i64 = conn
        .query_row(
            "SELECT count(*) FROM import_job_rows WHERE job_id = ?1 AND before IS NOT NULL",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(changed, 0, "no row changed anything");
    let after: Vec<(i64, String)> = {
        let mut stmt = conn
            .prepare("SELECT id, updated_at FROM profiles ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(before, after, "no profile was touched");
}

#[test]
fn a_viewer_cannot_export() {
    let mut t = seeded(3);
    let viewer = t.store.add_user(&t.admin, "vi", "Viewer").expect("viewer");
    let e = t
        .store
        .export_plan(&viewer, &request(ExportFields::All, &[]))
        .unwrap_err();
    assert_eq!(e.code(), "permission", "{e}");
    assert!(e.to_string().contains("export profiles"), "{e}");
    let out = t.dir.path().join("no.xlsx");
    assert!(
        t.store
            .export_direct(&viewer, &request(ExportFields::All, &[]), &out)
            .is_err(),
        "refused"
    );
    assert!(!out.exists(), "no file");
}
