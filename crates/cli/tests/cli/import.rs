//! `pdesk import`, `paste`, `jobs`, `report` and `undo`: exit codes, JSON, and the rules.

use crate::{pdesk, pdesk_with_stdin, text};

fn rows(n: usize) -> String {
    (1..=n)
        .map(|i| format!("Khách {i}\t09{i:08}\tk{i}@x.vn\n"))
        .collect()
}

#[test]
fn paste_runs_a_job_and_the_report_lists_it() {
    let (_dir, db) = pdesk_testkit::temp_db();
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
fn paste_names_its_job_and_undo_reports_what_it_kept() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let columns = ["--json", "paste", "--columns", "full_name,phones,emails"];
    let first = pdesk_with_stdin(&db, &columns, &rows(3));
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let first: serde_json::Value = serde_json::from_slice(&first.stdout).expect("json");
    let second = pdesk_with_stdin(&db, &columns, "Người Khác\t0987000111\tkhac@x.vn\n");
    let second: serde_json::Value = serde_json::from_slice(&second.stdout).expect("json");
    let (job1, job2) = (first["job"].as_i64(), second["job"].as_i64());
    assert!(
        job1.is_some() && job2.is_some() && job1 != job2,
        "each paste names the job it ran, for scripts to undo by: {first} {second}"
    );
    let job1 = job1.unwrap().to_string();
    // Profile 2 of the first paste is deleted afterwards: undo reports it and goes on.
    let del = pdesk(&db, &["delete", "2", "--reason", "Asked to"]);
    assert_eq!(del.status.code(), Some(0), "{}", text(&del.stderr));
    let undo = pdesk(&db, &["--json", "undo", &job1]);
    assert_eq!(undo.status.code(), Some(0), "{}", text(&undo.stderr));
    let undo: serde_json::Value = serde_json::from_slice(&undo.stdout).expect("json");
    assert_eq!(undo["job"]["status"], "undone", "{undo}");
    assert_eq!(undo["removed"], 2, "{undo}");
    assert_eq!(undo["kept"][0]["profileId"], 2, "{undo}");
    assert_eq!(undo["kept"][0]["why"], "deleted", "{undo}");
    assert!(
        undo["message"]
            .as_str()
            .unwrap_or_default()
            .contains("1 profile changed since the import was kept: #2 (deleted"),
        "{undo}"
    );
    let undo = pdesk(&db, &["undo", &job2.unwrap().to_string()]);
    assert_eq!(undo.status.code(), Some(0), "{}", text(&undo.stderr));
    let out = text(&undo.stdout);
    assert!(
        out.contains("Undid the import of Pasted data: 1 profile removed, 0 profiles restored."),
        "the text output says what undo did: {out}"
    );
}

#[test]
fn a_dry_run_changes_nothing() {
    let (_dir, db) = pdesk_testkit::temp_db();
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

/// The shop's list of 200 customers (a switchboard number in 42 rows, annotated, double and old
/// 11-digit phone cells, blocked values) through `pdesk import`, as a script would run it.
#[test]
fn a_real_customer_list_imports_with_its_guards_counted_and_the_switchboard_kept_apart() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let file = std::path::Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("../core/tests/fixtures/realistic-customers-libreoffice.xlsx");
    let file = file.to_str().unwrap();
    let dry = pdesk(&db, &["--json", "import", "--dry-run", file]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    let v: serde_json::Value = serde_json::from_slice(&dry.stdout).expect("json");
    let d = &v[0];
    assert_eq!(
        (d["failed"].as_u64(), d["guards"]["sharedKeyRows"].as_u64()),
        (Some(0), Some(42)),
        "no row refused; the switchboard's 42 rows are counted: {d}"
    );
    assert_eq!(d["guards"]["blockedValues"], 4, "{d}");
    assert_eq!(
        (
            d["sharedKeys"][0]["normalized"].as_str(),
            d["sharedKeys"][0]["rows"].as_u64()
        ),
        (Some("+842838221234"), Some(42)),
        "{d}"
    );

    // The person's choice to use it anyway reaches the rule; the text output says so.
    let anyway = pdesk(
        &db,
        &[
            "import",
            "--dry-run",
            "--use-shared-key",
            "+842838221234",
            file,
        ],
    );
    let out = text(&anyway.stdout);
    assert!(
        out.contains("used for matching (--use-shared-key)") && !out.contains("42 rows hold"),
        "{out}"
    );

    // A script undoes by the job id the JSON names (issue 15, Command line).
    let run = pdesk(&db, &["--json", "import", file]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");
    let job = v[0]["job"].as_i64().expect("the job id of the import");
    let undo = pdesk(&db, &["undo", &job.to_string()]);
    assert_eq!(undo.status.code(), Some(0), "{}", text(&undo.stderr));

    let run = pdesk(&db, &["import", file]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let out = text(&run.stdout);
    assert!(
        out.contains("42 rows hold a value the file shares among many people")
            && out.contains("not used for matching"),
        "the counts name each guard: {out}"
    );
    let list = pdesk(&db, &["--json", "list", "--search", "+842838221234"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(
        list["counts"]["filtered"], 42,
        "42 customers keep the switchboard number, none merged: {list}"
    );
}

#[test]
fn a_hand_typed_list_is_fixed_before_confirm_with_fix_and_exclude_row() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let file = std::path::Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("../core/tests/fixtures/typos-libreoffice.xlsx");
    let file = file.to_str().unwrap();
    let dry = pdesk(&db, &["--json", "import", "--dry-run", file]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    let v: serde_json::Value = serde_json::from_slice(&dry.stdout).expect("json");
    let listed: Vec<u64> = v[0]["rowsToCheck"]
        .as_array()
        .expect("the rows to check")
        .iter()
        .filter_map(|r| r["row"].as_u64())
        .collect();
    assert_eq!(listed, [3, 4, 5, 7, 9], "the failing rows, by number: {v}");

    // Columns by header and by number; two rows left out.
    let run = pdesk(
        &db,
        &[
            "--json",
            "import",
            "--fix",
            "3,SĐT=0903 456 789",
            "--fix",
            "4,4=thu.le@gmail.com",
            "--fix",
            "5,Ngày sinh=28/02/1988",
            "--exclude-row",
            "7",
            "--exclude-row",
            "9",
            file,
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");
    let d = &v[0];
    assert_eq!(
        (
            d["failed"].as_u64(),
            d["fixed"].as_u64(),
            d["excluded"].as_u64(),
            d["created"].as_u64()
        ),
        (Some(0), Some(3), Some(2), Some(22)),
        "{d}"
    );

    let bad = pdesk(&db, &["import", "--dry-run", "--fix", "3,Zalo=1", file]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("the source has no column “Zalo”"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn refusals_exit_1_and_name_the_rule() {
    let (dir, db) = pdesk_testkit::temp_db();
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

/// The store's applied rows and the job's record, read with a separate connection while (or
/// after) `pdesk` runs: (job status, rows_done, profiles, recorded job rows).
pub(crate) fn job_state(db: &std::path::Path) -> Option<(String, u32, u32, u32)> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).ok()?;
    conn.query_row(
        "SELECT status, rows_done,
                (SELECT count(*) FROM profiles),
                (SELECT count(*) FROM import_job_rows WHERE job_id = j.id)
           FROM import_jobs j WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .ok()
}

/// The killed runner's lease passes: what a minute (`pdesk_core::jobs::LEASE`) after the kill
/// looks like to the store, without waiting for it — only the job's lease is moved.
pub(crate) fn let_the_lease_pass(db: &std::path::Path) {
    let conn = rusqlite::Connection::open(db).expect("open the store");
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let n = conn
        .execute(
            "UPDATE import_jobs SET lease_until = '2000-01-01T00:00:00.000Z'
              WHERE id = 1 AND status = 'running'",
            [],
        )
        .expect("move the lease");
    assert_eq!(n, 1, "job 1 is held under a lease");
}

/// Starts `pdesk ARGS` and kills it (SIGKILL: no unwinding, no cleanup — as a crash or a
/// power cut leaves it) once job 1 has committed at least `past` rows. Returns false when the
/// run ended by itself first.
///
/// The store is checked each time pdesk reports progress on stderr (`\r… N / T rows`, every
/// 1,000 rows, just after a commit when one is due): no polling, and no time limit is needed —
/// the run's end closes stderr.
fn kill_when_past(db: &std::path::Path, args: &[&str], past: u32) -> bool {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pdesk"))
        .env("PROFILE_DESK_KEYCHAIN", "off")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start pdesk");
    let mut progress = std::io::BufReader::new(child.stderr.take().expect("pdesk's stderr"));
    let mut report = Vec::new();
    loop {
        report.clear();
        let n = progress
            .read_until(b'\r', &mut report)
            .expect("read pdesk's progress");
        if n == 0 || child.try_wait().expect("poll pdesk").is_some() {
            // stderr closed or the process gone: the run ended by itself.
            child.wait().expect("reap pdesk");
            return false;
        }
        if job_state(db).is_some_and(|(_, done, _, _)| done >= past) {
            child.kill().expect("kill pdesk");
            child.wait().expect("reap pdesk");
            return true;
        }
    }
}

/// Kills the importing process twice at random points of its work — in the first run and in
/// the resumed one — and checks after each kill that the store holds exactly the rows the job
/// records as applied, that `pdesk jobs --run` leaves the job alone while the dead runner's
/// lease holds and resumes it once the lease passed, with every row applied once.
#[test]
#[cfg(unix)]
fn an_import_killed_mid_way_resumes_without_losing_or_repeating_rows() {
    let (dir, db) = pdesk_testkit::temp_db();
    let file = dir.path().join("customers.xlsx");
    pdesk_testkit::files::write_import_workbook(&file, 20_000).expect("workbook");
    let file = file.to_str().unwrap();

    assert!(
        kill_when_past(&db, &["import", file], 5_000),
        "the first run was killed mid-way"
    );
    let (status, done, profiles, recorded) = job_state(&db).expect("a job record");
    assert_eq!(status, "running", "the record shows an interrupted job");
    assert!(done < 20_000, "killed before the end ({done} rows)");
    assert_eq!(
        (profiles, recorded),
        (done, done),
        "exactly the committed rows are applied and recorded, nothing half-applied"
    );

    // At once, the job is still the killed process's (its lease holds: it could be alive).
    let out = pdesk(&db, &["--json", "jobs", "--run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        job_state(&db).map(|(s, d, _, _)| (s, d)),
        Some(("running".to_string(), done)),
        "a job under a live lease is neither run nor requeued"
    );
    let_the_lease_pass(&db);

    assert!(
        kill_when_past(&db, &["jobs", "--run"], done + 5_000),
        "the resumed run was killed mid-way too"
    );
    let (status, done_again, profiles, recorded) = job_state(&db).expect("a job record");
    assert_eq!(status, "running", "interrupted again");
    assert!(
        done_again > done,
        "the resumed run went on from where the first stopped"
    );
    assert_eq!(
        (profiles, recorded),
        (done_again, done_again),
        "after the second kill, data and record still agree"
    );
    let_the_lease_pass(&db);

    let out = pdesk(&db, &["--json", "jobs", "--run"]);
    assert_eq!(out.status.code(), Some(0), "resume: {}", text(&out.stderr));
    let (status, done, profiles, recorded) = job_state(&db).expect("a job record");
    assert_eq!(status, "done", "the job finished");
    assert_eq!(
        (done, profiles, recorded),
        (20_000, 20_000, 20_000),
        "every row applied exactly once across three runs"
    );
}

/// Two real processes on one store: `pdesk import` runs a job, and `pdesk jobs --run` started
/// meanwhile (as it could be while the app is open) neither runs nor requeues it; the import
/// finishes with every row applied exactly once. (Before job claims, the second process reset
/// the running job and ran it too: rows applied twice, or the job failed on its own records.)
#[test]
fn jobs_run_leaves_alone_a_job_another_live_pdesk_is_running() {
    use std::io::Read;
    let (dir, db) = pdesk_testkit::temp_db();
    let file = dir.path().join("customers.xlsx");
    let rows = 50_000;
    pdesk_testkit::files::write_import_workbook(&file, rows).expect("workbook");
    let mut importer = std::process::Command::new(env!("CARGO_BIN_EXE_pdesk"))
        .env("PROFILE_DESK_KEYCHAIN", "off")
        .arg("--db")
        .arg(&db)
        .args(["import", file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start pdesk import");
    // Its progress is read as it comes (the pipe never fills); the first report means the job
    // is claimed and has committed rows.
    let mut progress = importer.stderr.take().expect("stderr");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains(" / ") {
        let n = progress.read(&mut byte).expect("read progress");
        assert!(
            n > 0,
            "the import ended before reporting progress: {}",
            text(&seen)
        );
        seen.push(byte[0]);
    }
    let drain = std::thread::spawn(move || {
        let mut rest = Vec::new();
        let _ = progress.read_to_end(&mut rest);
        seen.extend(rest);
        seen
    });

    let (status, done_before, _, _) = job_state(&db).expect("the job record");
    assert_eq!(status, "running");
    let second = pdesk(&db, &["--json", "jobs", "--run"]);
    assert_eq!(
        second.status.code(),
        Some(0),
        "jobs --run: {}",
        text(&second.stderr)
    );
    assert!(
        importer.try_wait().expect("poll").is_none(),
        "the import was still running while jobs --run ran (else this test proves nothing; \
         the job had {done_before} of {rows} rows)"
    );
    let out = importer.wait_with_output().expect("the import ends");
    let err = text(&drain.join().expect("stderr reader"));
    assert_eq!(out.status.code(), Some(0), "import: {err}");
    let (status, done, profiles, recorded) = job_state(&db).expect("the job record");
    assert_eq!(status, "done", "{err}");
    assert_eq!(
        (done, profiles, recorded),
        (rows, rows, rows),
        "every row applied and recorded exactly once"
    );
    let jobs = pdesk(&db, &["--json", "jobs"]);
    let jobs: serde_json::Value = serde_json::from_slice(&jobs.stdout).expect("json");
    assert_eq!(
        (
            jobs[0]["status"].as_str(),
            jobs[0]["counts"]["created"].as_u64()
        ),
        (Some("done"), Some(u64::from(rows))),
        "{jobs}"
    );
}

/// A first row of column names is refused unless the user says what it is: a script that
/// pastes a sheet with its header would otherwise create a customer named "Họ và tên".
#[test]
fn a_pasted_header_row_is_refused_until_the_user_says_what_it_is() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let sheet = format!("Họ và tên\tSĐT\tEmail\n{}", rows(2));
    let columns = ["--json", "paste", "--columns", "full_name,phones,emails"];
    let out = pdesk_with_stdin(&db, &columns, &sheet);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains("“Họ và tên”, “SĐT”, “Email”") && said.contains("--header-row"),
        "names the row and the way on: {said}"
    );
    let list = pdesk(&db, &["--json", "list"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(list["counts"]["total"], 0, "nothing was imported");

    let out = pdesk_with_stdin(&db, &[&columns[..], &["--header-row"]].concat(), &sheet);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["created"], 2, "the two customers, not the names: {v}");

    let out = pdesk_with_stdin(
        &db,
        &[&columns[..], &["--first-row-is-data"]].concat(),
        "Họ và tên\tSĐT\tEmail\n",
    );
    assert!(
        !text(&out.stderr).contains("looks like column names"),
        "the user said it is a customer: the rules judge it as one ({})",
        text(&out.stderr)
    );
}

/// A file `pdesk import` refuses is listed by `pdesk jobs --refused` (and counted under the
/// jobs), as the app's report lists it: the file, why, who and when (issue 16).
#[test]
fn a_file_refused_at_import_is_listed_by_jobs_refused() {
    let (dir, db) = pdesk_testkit::temp_db();
    let fake = dir.path().join("khach-hang.xlsx");
    std::fs::write(&fake, "Họ và tên,SĐT\nLê Hoa,0912345678\n").unwrap();
    let out = pdesk(&db, &["import", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let jobs = text(&pdesk(&db, &["jobs"]).stdout);
    assert!(
        jobs.contains("1 file(s) refused at upload"),
        "the report says there is more: {jobs}"
    );
    let refused = pdesk(&db, &["--json", "jobs", "--refused"]);
    assert_eq!(refused.status.code(), Some(0), "{}", text(&refused.stderr));
    let v: serde_json::Value = serde_json::from_slice(&refused.stdout).expect("json");
    assert_eq!(
        (v[0]["fileName"].as_str(), v[0]["code"].as_str()),
        (Some("khach-hang.xlsx"), Some("notXlsx")),
        "{v}"
    );
    assert!(
        v[0]["reason"]
            .as_str()
            .unwrap()
            .contains("not an Excel .xlsx file"),
        "{v}"
    );
    assert!(!v[0]["refusedBy"].as_str().unwrap().is_empty(), "{v}");
    let listed = text(&pdesk(&db, &["jobs", "--refused"]).stdout);
    assert!(listed.contains("khach-hang.xlsx"), "{listed}");
}

/// Seed 4.2: "Allow uploading multiple files continuously; the system processes sequentially."
/// Three files confirmed one after another, as the app's upload step confirms them (the core's
/// preview, then `queue_import`), go through the worker (`pdesk jobs --run`: the loop the app's
/// import worker runs) one at a time in the order they were given — not by name, not by size —
/// and the File Upload Connector Report lists all three.
#[test]
fn several_files_run_one_after_another_in_the_order_given_and_the_report_lists_them() {
    use pdesk_core::jobs::{ImportSettings, ImportSource};
    let (dir, db) = pdesk_testkit::temp_db();
    // The same customers, a different number of them each month: what a file created says
    // which files ran before it.
    let given = [
        ("khach-thang-11.xlsx", 20),
        ("khach-thang-9.xlsx", 30),
        ("khach-thang-10.xlsx", 10),
    ];
    {
        let mut store = pdesk_core::Store::open(&db).expect("store");
        let admin = store.actor(None).expect("admin");
        for (name, rows) in given {
            let path = dir.path().join(name);
            pdesk_testkit::files::write_import_workbook(&path, rows).expect("workbook");
            let preview = store
                .preview_file(&admin, &path)
                .expect("the file is accepted");
            store
                .queue_import(
                    &admin,
                    &ImportSource::File(path),
                    &ImportSettings::suggested(preview),
                )
                .expect("confirmed");
        }
    }

    let out = pdesk(&db, &["jobs", "--run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let ran: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("job "))
        .filter_map(|l| l.split(" — ").next())
        .collect();
    assert_eq!(
        ran,
        ["job 1 Done", "job 2 Done", "job 3 Done"],
        "each job ran to its end before the next, in the order confirmed: {stdout}"
    );

    let report = pdesk(&db, &["--json", "jobs"]);
    assert_eq!(report.status.code(), Some(0), "{}", text(&report.stderr));
    let jobs: serde_json::Value = serde_json::from_slice(&report.stdout).expect("json");
    let mut jobs = jobs.as_array().expect("a list of jobs").clone();
    jobs.reverse(); // the report lists the newest first
    let listed: Vec<(&str, &str, u64, u64)> = jobs
        .iter()
        .map(|j| {
            (
                j["fileName"].as_str().unwrap_or_default(),
                j["status"].as_str().unwrap_or_default(),
                j["counts"]["rows"].as_u64().unwrap_or_default(),
                j["counts"]["created"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            // First: all 20 customers are new.
            ("khach-thang-11.xlsx", "done", 20, 20),
            // Second: 20 of its 30 came with the first file; 10 are new.
            ("khach-thang-9.xlsx", "done", 30, 10),
            // Last: all of its 10 came before it.
            ("khach-thang-10.xlsx", "done", 10, 0),
        ],
        "the report lists all three, and what each created shows the order they ran in: {jobs:?}"
    );
    for pair in jobs.windows(2) {
        let finished = pair[0]["finishedAt"]
            .as_str()
            .expect("the earlier job finished");
        let started = pair[1]["startedAt"]
            .as_str()
            .expect("the later job started");
        assert!(
            finished <= started,
            "one after another: {} finished ({finished}) before {} started ({started})",
            pair[0]["fileName"],
            pair[1]["fileName"]
        );
    }
}
