//! `pdesk import`, `paste`, `jobs`, `report` and `undo`: exit codes, JSON, and the rules.

use crate::{pdesk, pdesk_with_stdin, text};

fn store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("profiles.db");
    (dir, db)
}

fn rows(n: usize) -> String {
    (1..=n)
        .map(|i| format!("Khách {i}\t09{i:08}\tk{i}@x.vn\n"))
        .collect()
}

#[test]
fn paste_runs_a_job_and_the_report_lists_it() {
    let (_dir, db) = store();
    let args = [
        "--json",
        "paste",
        "--columns",
        "full_name,phones,emails",
        "--consent",
        "email=granted",
    ];
    let out = pdesk_with_stdin(&db, &args, &rows(30));
    assert_eq!(
        out.status.code(),
        Some(0),
        "a valid paste succeeds: {}",
        text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(
        (v["status"].as_str(), v["created"].as_u64()),
        (Some("done"), Some(30)),
        "{v}"
    );
    let jobs = pdesk(&db, &["--json", "jobs"]);
    let jobs: serde_json::Value = serde_json::from_slice(&jobs.stdout).expect("json");
    assert_eq!(
        jobs[0]["fileName"], "Pasted data",
        "the report names pastes"
    );
    let failed = db.with_file_name("failed.xlsx");
    let rep = pdesk(
        &db,
        &["report", "1", "--failed-rows", failed.to_str().unwrap()],
    );
    assert_eq!(rep.status.code(), Some(0), "report: {}", text(&rep.stderr));
    assert!(
        failed.exists(),
        "the failed-rows file is written (even when empty)"
    );
    let undo = pdesk(&db, &["undo", "1"]);
    assert_eq!(undo.status.code(), Some(0), "undo: {}", text(&undo.stderr));
    let list = pdesk(&db, &["--json", "list"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(
        list["counts"]["total"], 0,
        "undo removed every created profile"
    );
}

#[test]
fn a_dry_run_changes_nothing() {
    let (_dir, db) = store();
    let out = pdesk_with_stdin(
        &db,
        &[
            "--json",
            "paste",
            "--columns",
            "full_name,phones,emails",
            "--dry-run",
        ],
        &rows(5),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (v["status"].as_str(), v["created"].as_u64()),
        (Some("dryRun"), Some(5)),
        "{v}"
    );
    let list = pdesk(&db, &["--json", "list"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(list["counts"]["total"], 0, "a dry run writes nothing");
}

#[test]
fn refusals_exit_1_and_name_the_rule() {
    let (dir, db) = store();
    let out = pdesk_with_stdin(&db, &["paste", "--columns", "full_name"], &rows(1_001));
    assert_eq!(
        out.status.code(),
        Some(1),
        "over the paste limit is a refusal"
    );
    assert!(
        text(&out.stderr).contains("at most 1,000 rows"),
        "names the limit: {}",
        text(&out.stderr)
    );
    let fake = dir.path().join("customers.xlsx");
    std::fs::write(&fake, "Họ tên,SĐT\nAn,0912345678\n").unwrap();
    let out = pdesk(&db, &["--json", "import", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a CSV renamed .xlsx is refused");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json per file");
    assert_eq!(v[0]["status"], "refused", "{v}");
    assert!(
        v[0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("not an Excel .xlsx file"),
        "{v}"
    );
    let out = pdesk(&db, &["import"]);
    assert_eq!(out.status.code(), Some(2), "no file is a usage error");
}
