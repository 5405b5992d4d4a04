//! `pdesk template`: the import template in English (the default) or Vietnamese.

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::{pdesk, text};

/// The header row of the workbook's only sheet.
fn headers(path: &std::path::Path) -> (Vec<String>, usize) {
    let mut wb: Xlsx<_> = open_workbook(path).expect("an .xlsx");
    let sheets = wb.sheet_names().len();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).expect("sheet");
    let row = range.rows().next().expect("a header row");
    let cells = row
        .iter()
        .map(|c| match c {
            Data::String(s) => s.clone(),
            other => panic!("headers are text, got {other:?}"),
        })
        .collect();
    assert_eq!(range.height(), 1, "the header row alone, no example rows");
    (cells, sheets)
}

#[test]
fn template_writes_the_headers_in_the_chosen_language() {
    let (dir, db) = pdesk_testkit::temp_db();
    let en = dir.path().join("template.xlsx");
    let out = pdesk(&db, &["template", "--out", en.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Wrote the import template (12 columns)"),
        "{}",
        text(&out.stdout)
    );
    let (names, sheets) = headers(&en);
    assert_eq!(sheets, 1, "one sheet");
    assert_eq!(
        &names[..3],
        ["Full name", "Phones", "E-mails"],
        "English by default"
    );

    let vi = dir.path().join("mẫu.xlsx");
    let out = pdesk(
        &db,
        &[
            "--json",
            "template",
            "--out",
            vi.to_str().unwrap(),
            "--lang",
            "vi",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        (v["columns"].as_u64(), v["lang"].as_str()),
        (Some(12), Some("vi")),
        "{v}"
    );
    let (names, _) = headers(&vi);
    assert_eq!(
        names,
        [
            "Họ và tên",
            "Số điện thoại",
            "Email",
            "Giới tính",
            "Ngày sinh",
            "Địa chỉ",
            "Tỉnh/Thành phố",
            "Công ty",
            "Chức vụ",
            "Mã khách hàng",
            "Nhãn",
            "Ghi chú"
        ],
        "the Vietnamese names, in catalogue order"
    );

    let bad = dir.path().join("fr.xlsx");
    let out = pdesk(
        &db,
        &["template", "--out", bad.to_str().unwrap(), "--lang", "fr"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown language is a usage error"
    );
    assert!(!bad.exists(), "and writes nothing");
}
