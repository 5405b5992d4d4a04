//! `pdesk reviews` and `pdesk review`: list, show, decide; JSON and exit codes (SPEC 10).

use crate::{pdesk, pdesk_with_stdin, text};

/// A store with two profiles and a pasted row that matches both (a merge review).
fn store_with_a_review() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = pdesk_testkit::temp_db();
    let columns = ["paste", "--columns", "full_name,phones,emails"];
    let out = pdesk_with_stdin(
        &db,
        &columns,
        "Nguyễn Văn An\t0912345678\t\nNguyễn V. An\t\tan@example.vn\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = pdesk_with_stdin(
        &db,
        &columns,
        "Nguyễn Văn An\t+84 912 345 678, 0987654321\tAN@example.vn\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (dir, db)
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("one JSON document ({e}): {}", text(&out.stdout)))
}

#[test]
fn reviews_are_listed_shown_and_merged_from_the_command_line() {
    let (_dir, db) = store_with_a_review();
    let list = pdesk(&db, &["--json", "reviews"]);
    assert_eq!(list.status.code(), Some(0), "{}", text(&list.stderr));
    let list = json(&list);
    assert_eq!(list["open"], 1, "one open review: {list}");
    assert_eq!(list["items"][0]["origin"], "Pasted data, row 1", "{list}");
    assert_eq!(
        list["items"][0]["jobId"], 2,
        "the second paste made it: {list}"
    );
    let of_job = json(&pdesk(&db, &["--json", "reviews", "--job", "1"]));
    assert_eq!(of_job["matching"], 0, "the first paste made none: {of_job}");

    let shown = pdesk(&db, &["review", "1"]);
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown.stderr));
    let table = text(&shown.stdout);
    assert!(
        table.contains("#1 Nguyễn Văn An") && table.contains("#2 Nguyễn V. An"),
        "both candidates are columns:\n{table}"
    );
    assert!(
        table.contains("by phone") && table.contains("by e-mail"),
        "with the key that matched each:\n{table}"
    );
    assert!(
        table.lines().any(|l| l.starts_with("* Full name")),
        "differing fields are marked:\n{table}"
    );

    let dry = json(&pdesk(
        &db,
        &["--json", "review", "1", "--merge-into", "1", "--dry-run"],
    ));
    assert_eq!(dry["applied"], false, "a dry run: {dry}");
    assert!(
        dry["message"]
            .as_str()
            .unwrap()
            .starts_with("2 profiles will be merged into Nguyễn Văn An (#1)"),
        "{dry}"
    );
    let done = pdesk(
        &db,
        &[
            "--json",
            "review",
            "1",
            "--merge-into",
            "1",
            "--keep",
            "full_name=2",
        ],
    );
    assert_eq!(done.status.code(), Some(0), "{}", text(&done.stderr));
    let done = json(&done);
    assert_eq!(
        done["removed"][0]["profileId"], 2,
        "profile 2 merged away: {done}"
    );
    let listed = json(&pdesk(&db, &["--json", "list"]));
    assert_eq!(listed["counts"]["total"], 1, "one profile left: {listed}");
    let row = &listed["rows"][0]["cells"];
    assert_eq!(row["full_name"], "Nguyễn V. An", "the kept name: {row}");
    assert_eq!(
        row["phones"], "0912345678, 0987654321",
        "both phones: {row}"
    );

    let again = pdesk(&db, &["review", "1", "--dismiss"]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "a resolved review is refused by a rule"
    );
    assert!(
        text(&again.stderr).contains("Merge review 1 was already resolved"),
        "{}",
        text(&again.stderr)
    );
    let resolved = json(&pdesk(&db, &["--json", "reviews", "--resolved"]));
    assert_eq!(
        resolved["items"][0]["outcome"]["action"], "mergeAll",
        "{resolved}"
    );
}

#[test]
fn usage_errors_and_refusals_have_their_exit_codes() {
    let (_dir, db) = store_with_a_review();
    for args in [
        &["review", "1", "--attach", "1", "--create-new"][..],
        &["review", "1", "--keep", "city=incoming"],
        &["review", "1", "--merge-into", "1", "--keep", "city"],
        &["review", "1", "--dry-run"],
    ] {
        let out = pdesk(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?} is a usage error");
    }
    let out = pdesk(&db, &["review", "1", "--attach", "99"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "not a candidate: refused by a rule"
    );
    assert!(
        text(&out.stderr).contains("Profile #99 is not a candidate of merge review 1"),
        "{}",
        text(&out.stderr)
    );
    let out = pdesk(&db, &["review", "7"]);
    assert_eq!(out.status.code(), Some(1), "no such review");
    assert!(
        text(&out.stderr).contains("There is no merge review 7"),
        "{}",
        text(&out.stderr)
    );
}
