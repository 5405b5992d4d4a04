//! `pdesk export`: direct under the limit, a background job of the store above it, the
//! --filter / --segment / --fields flags, exit codes.

use calamine::{open_workbook, Reader, Xlsx};

use crate::{pdesk, text};

fn rows_in(path: &std::path::Path) -> usize {
    let mut wb: Xlsx<_> = open_workbook(path).expect("an .xlsx");
    let name = wb.sheet_names()[0].clone();
    wb.worksheet_range(&name).expect("sheet").height()
}

#[test]
fn export_writes_direct_or_through_a_background_job() {
    let (dir, db) = pdesk_testkit::temp_db();
    let seeded = pdesk(&db, &["seed-demo", "--profiles", "1200"]);
    assert_eq!(seeded.status.code(), Some(0), "{}", text(&seeded.stderr));

    let all = dir.path().join("all.xlsx");
    let out = pdesk(
        &db,
        &[
            "--json",
            "export",
            "--out",
            all.to_str().unwrap(),
            "--fields",
            "all",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "export succeeds: {}",
        text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["rows"], 1200, "{v}");
    assert_eq!(
        v["background"], true,
        "1,200 rows run as a background export: {v}"
    );
    assert_eq!(rows_in(&all), 1201, "header + 1,200 rows in --out");
    assert!(
        v["columns"].as_array().is_some_and(|c| c.len() >= 17),
        "all fields: {v}"
    );

    let hue = dir.path().join("hue.xlsx");
    let filter = r#"[{"kind":"field","field":"city","op":"is","value":"Huế"}]"#;
    let out = pdesk(
        &db,
        &[
            "--json",
            "export",
            "--out",
            hue.to_str().unwrap(),
            "--filter",
            filter,
            "--columns",
            "full_name,city",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let n = v["rows"].as_u64().expect("rows");
    assert!(n > 0 && n < 1000, "a city is a few rows: {v}");
    assert_eq!(
        v["background"], false,
        "under the limit: written directly: {v}"
    );
    assert_eq!(
        v["columns"],
        serde_json::json!(["Full name", "City"]),
        "{v}"
    );
    assert_eq!(rows_in(&hue) as u64, n + 1, "header + the filtered rows");

    let bad = pdesk(&db, &["export", "--out", "x.xlsx", "--fields", "some"]);
    assert_eq!(
        bad.status.code(),
        Some(1),
        "a wrong --fields is refused by a rule"
    );
    assert!(
        text(&bad.stderr).contains("--fields is displayed or all"),
        "{}",
        text(&bad.stderr)
    );
    let bad = pdesk(
        &db,
        &[
            "export",
            "--out",
            "x.xlsx",
            "--filter",
            "[{\"kind\":\"field\",\"field\":\"nope\",\"op\":\"is\",\"value\":\"x\"}]",
        ],
    );
    assert_eq!(bad.status.code(), Some(1), "an unknown field is refused");
    assert!(
        text(&bad.stderr).contains("no field “nope”"),
        "{}",
        text(&bad.stderr)
    );
    let none = pdesk(&db, &["export", "--out", "x.xlsx", "--segment", "Nope"]);
    assert_eq!(none.status.code(), Some(1), "an unknown segment is refused");
    let listed = pdesk(&db, &["--json", "list", "--limit", "1", "--filter", filter]);
    let l: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    assert_eq!(
        l["counts"]["filtered"].as_u64(),
        Some(n),
        "list --filter agrees with the export: {l}"
    );
}
