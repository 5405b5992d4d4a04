//! Fix before Confirm (issue 16): a trade fair's list typed by hand (`tests/fixtures/
//! make_fixtures.py typos`, written by openpyxl and saved again by LibreOffice) goes through the
//! dry run, whose review step lists the rows that would fail and the one bound for merge review
//! with their cells; the user corrects three cells and leaves two rows out; the dry run checks
//! the fixes, the job applies exactly them, and the report counts them. The file is never
//! written.

use std::ops::ControlFlow;

use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{
    CellFix, DryRun, ImportSettings, ImportSource, RowFixes, RowToCheck, MAX_FIXES,
};
use pdesk_core::model::{Lang, ReviewReason};
use pdesk_core::Error;

use crate::{create, file_settings, fixture, paste_settings, run_paste, test_store, TestStore};

/// The source column whose header is `header`.
fn column(s: &ImportSettings, header: &str) -> u32 {
    s.columns
        .iter()
        .find(|c| c.header == header)
        .unwrap_or_else(|| panic!("no column {header}"))
        .index
}

fn listed(dry: &DryRun, row: u32) -> &RowToCheck {
    dry.rows_to_check
        .iter()
        .find(|r| r.row == row)
        .unwrap_or_else(|| panic!("row {row} is not listed: {:?}", dry.rows_to_check))
}

fn matching(t: &TestStore, text: &str) -> u32 {
    t.store
        .count_profiles(&t.admin, &ListQuery::search(text))
        .unwrap()
        .filtered
}

fn typed_by_hand_goes_through_with_fixes(file: &str) {
    let mut t = test_store();
    // The customer whose phone the list gives a stranger (row 10).
    create(
        &mut t,
        &[("full_name", "Trần Thị Lan"), ("phones", "0935 111 222")],
    );
    let path = fixture(file);
    let before = std::fs::read(&path).unwrap();
    let source = ImportSource::File(path.clone());
    let mut s = file_settings(&t.store, &path);
    let (phone, email, born) = (
        column(&s, "SĐT"),
        column(&s, "Email"),
        column(&s, "Ngày sinh"),
    );
    let admin = t.admin.clone();

    let dry = t.store.dry_run(&admin, &source, &s).unwrap();
    let c = &dry.counts;
    assert_eq!(
        (c.rows, c.failed, c.reviews),
        (24, 5, 1),
        "{file}: five rows fail, one goes to review: {:?}",
        dry.rows_to_check
    );
    let rows: Vec<u32> = dry.rows_to_check.iter().map(|r| r.row).collect();
    assert_eq!(rows, [3, 4, 5, 7, 9, 10], "{file}: listed in file order");
    // Each failing cell is pointed at, with its value as the file has it.
    for (row, col, code, value) in [
        (3, phone, "invalidPhone", "09o3 456 789"),
        (4, email, "invalidEmail", "thu.le.gmail.com"),
        (5, born, "invalidDate", "31/02/1988"),
        (9, phone, "invalidPhone", "090 123 45"),
    ] {
        let r = listed(&dry, row);
        assert_eq!(
            r.problems
                .iter()
                .map(|p| (p.column, p.error.code.as_str()))
                .collect::<Vec<_>>(),
            [(Some(col), code)],
            "{file}: row {row}: {r:?}"
        );
        assert_eq!(r.cells[col as usize], value, "{file}: row {row}'s cell");
        assert!(r.review.is_none() && !r.fixed);
    }
    // A date cell comes as ISO (the screen shows it as dd/mm/yyyy: rowsToCheck.ts).
    assert_eq!(
        listed(&dry, 3).cells[born as usize],
        "1985-07-04",
        "{file}: Minh's birthday, a date cell"
    );
    let note_only = listed(&dry, 7);
    assert_eq!(
        note_only.cells[column(&s, "Ghi chú") as usize],
        "khách vãng lai, chưa hỏi tên và số"
    );
    assert_eq!(
        note_only.problems[0].column, None,
        "{file}: no identifier at all is the row's problem, not a cell's"
    );
    let hung = listed(&dry, 10);
    assert!(hung.problems.is_empty());
    let review = hung.review.as_ref().expect("row 10 goes to review");
    assert_eq!(
        (review.reason, review.candidates.as_slice()),
        (
            ReviewReason::NameDiffers,
            ["Trần Thị Lan".to_string()].as_slice()
        ),
        "{file}: the review says why and whom the row matched"
    );

    // The user corrects four cells of three rows — Minh's birthday typed over the date as
    // the screen shows it, day first — and leaves out the row without a name and the short
    // phone; the stranger is left to merge review.
    let fix = |row, column, value: &str| CellFix {
        row,
        column,
        value: value.into(),
    };
    s.fixes = RowFixes {
        cells: vec![
            fix(3, phone, "0903 456 789"),
            fix(3, born, "05/07/1985"),
            fix(4, email, "thu.le@gmail.com"),
            fix(5, born, "28/02/1988"),
        ],
        excluded: vec![7, 9],
    };
    let checked = t.store.dry_run(&admin, &source, &s).unwrap();
    let c = &checked.counts;
    assert_eq!(
        (c.rows, c.created, c.failed, c.reviews, c.fixed, c.excluded),
        (24, 21, 0, 1, 3, 2),
        "{file}: the fixes pass: {:?}",
        checked.rows_to_check
    );
    assert_eq!(
        checked
            .rows_to_check
            .iter()
            .map(|r| r.row)
            .collect::<Vec<_>>(),
        [10],
        "{file}: only the review is left to look at"
    );

    let id = t.store.queue_import(&admin, &source, &s).unwrap();
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(
        job.counts, checked.counts,
        "{file}: the job did what the dry run said"
    );
    assert!(
        job.counts
            .summary()
            .ends_with("; 3 fixed before Confirm, 2 left out"),
        "{}",
        job.counts.summary()
    );
    assert_eq!(
        matching(&t, "+84903456789"),
        1,
        "{file}: Minh with his fixed phone"
    );
    assert_eq!(
        matching(&t, "thu.le@gmail.com"),
        1,
        "{file}: Thu with her fixed e-mail"
    );
    let minh = t
        .store
        .list_page(&admin, &ListQuery::search("+84903456789"), 0, 2, &[])
        .unwrap();
    assert_eq!(
        t.store
            .profile_detail(&admin, minh.rows[0].id)
            .unwrap()
            .profile
            .values["birthday"],
        "1985-07-05",
        "{file}: a date typed dd/mm/yyyy over the file's date cell imports as that day"
    );
    assert_eq!(
        t.store
            .count_profiles(&admin, &ListQuery::default())
            .unwrap()
            .total,
        22,
        "{file}: Lan and the 21 rows created; the rows left out are not imported"
    );
    assert_eq!(matching(&t, "Bùi Văn Nam"), 0);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "{file}: the fixes are never written into the user's file"
    );
}

#[test]
fn a_hand_typed_list_from_openpyxl_is_fixed_before_confirm() {
    typed_by_hand_goes_through_with_fixes("typos-openpyxl.xlsx");
}

#[test]
fn a_hand_typed_list_saved_by_libreoffice_is_fixed_before_confirm() {
    typed_by_hand_goes_through_with_fixes("typos-libreoffice.xlsx");
}

/// The same list confirmed without fixes: its failed-rows file explains each row in the
/// language of whoever saves it, whoever ran the job.
fn failed_rows_are_explained_in_each_language(file: &str) {
    let mut t = test_store();
    let path = fixture(file);
    let source = ImportSource::File(path.clone());
    let s = file_settings(&t.store, &path);
    let admin = t.admin.clone();
    let id = t.store.queue_import(&admin, &source, &s).unwrap();
    t.store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    let reasons = |lang| -> Vec<(u32, String)> {
        let failed = t.store.failed_rows(&admin, id, lang).unwrap();
        failed.rows.into_iter().map(|r| (r.row, r.reason)).collect()
    };
    assert_eq!(
        reasons(Lang::Vi),
        [
            (
                3,
                "“09o3 456 789” không phải là số điện thoại: có chữ cái".to_string()
            ),
            (
                4,
                "“thu.le.gmail.com” không phải là địa chỉ email hợp lệ: thiếu ký tự @".into()
            ),
            (
                5,
                "“31/02/1988” không phải là ngày có thật: tháng 2 năm 1988 chỉ có 29 ngày".into()
            ),
            (
                7,
                "Hồ sơ cần ít nhất một thông tin định danh: họ và tên, số điện thoại hoặc email"
                    .into()
            ),
            (
                9,
                "“090 123 45” không phải là số điện thoại: số quá ngắn: 8 chữ số, trong khi số \
                 di động ở Việt Nam (vùng VN) có 10 chữ số, kể cả số 0 ở đầu"
                    .into()
            ),
        ],
        "{file}"
    );
    let english = reasons(Lang::En);
    assert_eq!(english.len(), 5);
    assert!(
        english[0]
            .1
            .starts_with("“09o3 456 789” is not a phone number"),
        "{file}: {english:?}"
    );
}

#[test]
fn failed_rows_of_a_list_from_openpyxl_are_explained_in_each_language() {
    failed_rows_are_explained_in_each_language("typos-openpyxl.xlsx");
}

#[test]
fn failed_rows_of_a_list_saved_by_libreoffice_are_explained_in_each_language() {
    failed_rows_are_explained_in_each_language("typos-libreoffice.xlsx");
}

#[test]
fn a_fixed_row_that_still_fails_is_listed_with_its_fixed_value_and_its_record_keeps_it() {
    let mut t = test_store();
    let text = "Lan\t0903 456 789\nMinh\t09o3\n";
    let mut s = paste_settings(&t.store, text);
    s.fixes.cells.push(CellFix {
        row: 2,
        column: 1,
        value: "0903 45".into(),
    });
    let admin = t.admin.clone();
    let dry = t
        .store
        .dry_run(&admin, &ImportSource::Paste(text.into()), &s)
        .unwrap();
    let minh = &dry.rows_to_check[0];
    assert_eq!((minh.row, minh.fixed), (2, true));
    assert_eq!(
        minh.cells,
        ["Minh", "0903 45"],
        "the cells as the import reads them"
    );
    let id = run_paste(&mut t, text, &s);
    let failed = t.store.failed_rows(&admin, id, Lang::En).unwrap();
    assert_eq!(
        failed.rows[0].cells,
        ["Minh", "0903 45"],
        "the failed-rows file holds what was imported, the user's fix included"
    );
    assert_eq!(t.store.job(&admin, id).unwrap().counts.fixed, 1);
}

#[test]
fn fixes_past_their_limits_are_refused_by_the_dry_run_and_by_confirm() {
    let mut t = test_store();
    let text = "Lan\t0903 456 789\n";
    let source = ImportSource::Paste(text.into());
    let admin = t.admin.clone();
    let mut s = paste_settings(&t.store, text);
    s.fixes.excluded = (1..=MAX_FIXES as u32 + 1).collect();
    for result in [
        t.store.dry_run(&admin, &source, &s).map(|_| ()),
        t.store.queue_import(&admin, &source, &s).map(|_| ()),
    ] {
        assert!(
            matches!(&result, Err(Error::Limit(said)) if said.reason == "fixesTooMany"
                && said.message.contains("Too many fixes")),
            "{result:?}"
        );
    }
    s.fixes.excluded.clear();
    s.fixes.cells.push(CellFix {
        row: 1,
        column: 9,
        value: "x".into(),
    });
    let refused = t.store.queue_import(&admin, &source, &s).unwrap_err();
    assert!(refused.to_string().contains("column 10"), "{refused}");
}
