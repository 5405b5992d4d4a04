//! The import template (issue 16, "Recommended to use the sample file"): written from the
//! current catalogue, it maps back by itself in both languages, and a template filled in by
//! another tool (openpyxl, as sales staff's scripts and Excel leave files) imports with no
//! change to the suggested mapping.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pdesk_core::admin::FieldDraft;
use pdesk_core::export::template_columns;
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource, JobStatus};
use pdesk_core::mapping::{SourceColumn, SuggestionReason};
use pdesk_core::model::{FieldKind, Lang, SelectOption};
use pdesk_core::Store;
use pdesk_normalize::PhoneRegion;

use crate::{audit_texts, test_store, TestStore};

fn draft(label: &str, kind: FieldKind) -> FieldDraft {
    FieldDraft {
        label: label.into(),
        kind,
        options: Vec::new(),
        synonyms: Vec::new(),
        mandatory: false,
        displayed: false,
        hidden: false,
    }
}

/// A store whose catalogue an administrator changed: a mandatory custom select field, a custom
/// date field, the company field renamed, the note field hidden.
fn customised_store() -> TestStore {
    let mut t = test_store();
    let admin = t.admin.clone();
    let option = |label: &str| SelectOption {
        value: String::new(),
        label: label.into(),
    };
    t.store
        .add_field(
            &admin,
            &FieldDraft {
                mandatory: true,
                options: vec![option("Vàng"), option("Bạc")],
                ..draft("Hạng thẻ", FieldKind::Select)
            },
        )
        .expect("a mandatory select field");
    t.store
        .add_field(&admin, &draft("Ngày mua đầu tiên", FieldKind::Date))
        .expect("a date field");
    let all = t.store.fields().unwrap();
    let mut edit = |key: &str, change: &dyn Fn(&mut FieldDraft)| {
        let f = all.iter().find(|f| f.key == key).unwrap();
        let mut d = FieldDraft {
            label: f.label.clone(),
            kind: f.kind,
            options: f.options.clone(),
            synonyms: f.synonyms.clone(),
            mandatory: f.mandatory,
            displayed: f.displayed,
            hidden: f.hidden,
        };
        change(&mut d);
        t.store.update_field(&admin, key, &d).expect("edited");
    };
    edit("company", &|d| d.label = "Đơn vị công tác".into());
    edit("note", &|d| d.hidden = true);
    t
}

fn vn() -> &'static PhoneRegion {
    PhoneRegion::by_iso("VN").unwrap()
}

/// The file's header row and its columns as the import reads them.
fn columns_of(path: &Path) -> Vec<SourceColumn> {
    pdesk_core::jobs::file_columns(path, &Default::default(), 5)
        .unwrap_or_else(|e| panic!("{} is read by the import: {e}", path.display()))
        .0
}

/// A part of the .xlsx package as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in {}", path.display()))
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_template_maps_back_by_itself_in_both_languages() {
    let t = customised_store();
    let admin = t.admin.clone();
    let dir = tempfile::tempdir().unwrap();
    for (lang, name, company) in [
        (Lang::Vi, "Họ và tên", "Đơn vị công tác"),
        (Lang::En, "Full name", "Đơn vị công tác"),
    ] {
        let path = dir.path().join(format!("template-{}.xlsx", lang.as_str()));
        let written = t
            .store
            .write_import_template(&admin, lang, &path)
            .expect("written");
        let columns = columns_of(&path);
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        let expected = template_columns(&t.store.fields().unwrap(), lang, vn());
        assert_eq!(written, columns.len(), "{lang:?}: every column written");
        assert_eq!(
            headers,
            expected
                .iter()
                .map(|c| c.header.as_str())
                .collect::<Vec<_>>(),
            "{lang:?}: the headers as the catalogue gives them"
        );
        assert_eq!(headers[0], name, "{lang:?}: built-in names in the language");
        assert!(
            headers.contains(&company),
            "{lang:?}: the renamed field keeps its label in both languages: {headers:?}"
        );
        assert!(
            headers.contains(&"Hạng thẻ *") && headers.contains(&"Ngày mua đầu tiên"),
            "{lang:?}: custom fields by their label, the mandatory one marked: {headers:?}"
        );
        assert!(
            !headers
                .iter()
                .any(|h| h.contains("Ghi chú") || *h == "Note"),
            "{lang:?}: a hidden field is not in the template: {headers:?}"
        );
        assert!(
            !headers
                .iter()
                .any(|h| h.contains("Source") || h.contains("Created")),
            "{lang:?}: nor are the system fields: {headers:?}"
        );
        let mapping = t.store.suggest_mapping(&admin, &columns).unwrap();
        for (m, c) in mapping.iter().zip(&expected) {
            assert_eq!(
                m.target.as_deref(),
                Some(c.key.as_str()),
                "{lang:?}: “{}” maps back to {} by itself",
                c.header,
                c.key
            );
            assert!(
                matches!(
                    m.reason,
                    SuggestionReason::SameName | SuggestionReason::Synonym
                ),
                "{lang:?}: by its name, not by a remembered mapping: {m:?}"
            );
        }

        let notes = part(&path, "xl/comments1.xml");
        let phones = match lang {
            Lang::En => "0912 345 678 or +84 912 345 678; several separated by ;",
            Lang::Vi => "0912 345 678 hoặc +84 912 345 678; nhiều số cách nhau bằng ;",
        };
        assert!(
            notes.contains(phones),
            "{lang:?}: the phones' note: {notes}"
        );
        assert!(notes.contains("dd/mm/yyyy"), "{lang:?}: the dates' note");
        assert!(
            notes.contains("Vàng, Bạc"),
            "{lang:?}: a select field lists its options: {notes}"
        );
        assert_eq!(
            notes.matches("<comment ").count(),
            columns.len(),
            "{lang:?}: one note per header"
        );
        let sheet = part(&path, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#),
            "{lang:?}: the header row is frozen"
        );
        let styles = part(&path, "xl/styles.xml");
        assert!(
            styles.contains(r#"numFmtId="49""#),
            "{lang:?}: text columns (@)"
        );
        assert!(
            styles.contains(r#"formatCode="dd/mm/yyyy""#),
            "{lang:?}: date columns"
        );
    }
    let audit = audit_texts(t.store.path());
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.as_str() == "import.template")
            .count(),
        2,
        "each template written is audited: {audit:?}"
    );
}

/// A Python that has openpyxl: `PDESK_PYTHON`, the virtualenvs `cargo xtask` makes in the
/// target folder (the benchmark's has openpyxl), or `python3`.
fn python_with_openpyxl() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("PDESK_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    let exe = std::env::current_exe().ok()?;
    for folder in exe.ancestors().skip(1).take(4) {
        for venv in ["bench-venv", "tools-venv"] {
            candidates.push(folder.join(venv).join("bin/python"));
            candidates.push(folder.join(venv).join("Scripts/python.exe"));
        }
    }
    candidates.push("python3".into());
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import openpyxl"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Fills rows 2… of the template at `path` with openpyxl: each row maps a column index to a
/// text, or to `{"date": [y, m, d]}` for a real date cell.
const FILL: &str = r#"
import datetime, json, sys
import openpyxl

path = sys.argv[1]
rows = json.load(sys.stdin)
wb = openpyxl.load_workbook(path)
ws = wb.active
for r, row in enumerate(rows, start=2):
    for col, value in row.items():
        cell = ws.cell(row=r, column=int(col) + 1)
        if isinstance(value, dict):
            cell.value = datetime.date(*value["date"])
            cell.number_format = "dd/mm/yyyy"
        else:
            cell.value = value
wb.save(path)
"#;

fn fill_with_openpyxl(python: &Path, path: &Path, rows: &serde_json::Value) {
    let mut child = Command::new(python)
        .args(["-c", FILL])
        .arg(path)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python");
    serde_json::to_writer(child.stdin.take().unwrap(), rows).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "openpyxl filled the template: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn detail_with_phone(
    store: &Store,
    admin: &pdesk_core::Actor,
    e164: &str,
) -> pdesk_core::model::Profile {
    let page = store
        .list_page(admin, &ListQuery::search(e164), 0, 5, &[])
        .unwrap();
    assert_eq!(page.rows.len(), 1, "one profile has {e164}");
    store
        .profile_detail(admin, page.rows[0].id)
        .unwrap()
        .profile
}

#[test]
fn a_template_filled_by_openpyxl_imports_with_no_mapping_change() {
    let Some(python) = python_with_openpyxl() else {
        eprintln!(
            "skipped: needs a Python with openpyxl (PDESK_PYTHON, or the benchmark's \
             virtualenv that `cargo xtask bench` makes in the target folder)"
        );
        return;
    };
    let mut t = test_store();
    let admin = t.admin.clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Tệp mẫu nhập khách hàng.xlsx");
    t.store
        .write_import_template(&admin, Lang::Vi, &path)
        .expect("written");
    let template = template_columns(&t.store.fields().unwrap(), Lang::Vi, vn());
    let col = |key: &str| {
        template
            .iter()
            .position(|c| c.key == key)
            .unwrap_or_else(|| panic!("{key} in the template"))
            .to_string()
    };
    let rows = serde_json::json!([
        {
            col("full_name"): "Nguyễn Thị Hồng Nhung",
            col("phones"): "0377920611",
            col("birthday"): "02/12/1990",
            col("gender"): "Nữ",
            col("customer_code"): "00789",
            col("city"): "Hà Nội",
        },
        {
            col("full_name"): "Trần Văn Bảo",
            col("phones"): "0912 345 678; +84 903 111 222",
            col("emails"): "bao.tran@example.com",
            col("birthday"): { "date": [1985, 3, 14] },
            col("city"): "Đà Nẵng",
        },
        {
            col("full_name"): "Lê Hoàng Phúc",
            col("emails"): "phuc.le@example.vn",
            col("tags"): "VIP; Đại lý",
            col("company"): "Công ty TNHH Minh Phát",
        },
    ]);
    fill_with_openpyxl(&python, &path, &rows);

    let columns = columns_of(&path);
    let mapping = t.store.suggest_mapping(&admin, &columns).unwrap();
    let targets: Vec<Option<&str>> = mapping.iter().map(|m| m.target.as_deref()).collect();
    let keys: Vec<Option<&str>> = template.iter().map(|c| Some(c.key.as_str())).collect();
    assert_eq!(targets, keys, "every column maps back by itself");
    let problems = t.store.check_mapping(&admin, &columns, &mapping).unwrap();
    assert!(
        problems.iter().all(|p| p.warning),
        "the suggested mapping may be confirmed as it is: {problems:?}"
    );
    let settings = ImportSettings::new(columns, mapping);
    let source = ImportSource::File(path.clone());
    let id = t.store.queue_import(&admin, &source, &settings).unwrap();
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(job.status, JobStatus::Done, "{job:?}");
    assert_eq!(
        (job.counts.rows, job.counts.created, job.counts.failed),
        (3, 3, 0),
        "three customers created, none failed: {job:?}"
    );

    let nhung = detail_with_phone(&t.store, &admin, "+84377920611");
    assert_eq!(nhung.label, "Nguyễn Thị Hồng Nhung");
    assert_eq!(
        nhung.phones[0].raw, "0377920611",
        "the phone column is text: the leading zero survives"
    );
    assert_eq!(
        nhung.values.get("birthday").map(String::as_str),
        Some("1990-12-02"),
        "a date typed as text dd/mm/yyyy"
    );
    assert_eq!(
        nhung.values.get("customer_code").map(String::as_str),
        Some("00789"),
        "the customer code keeps its leading zeros"
    );
    assert_eq!(
        nhung.values.get("gender").map(String::as_str),
        Some("Female"),
        "“Nữ” is an option of Giới tính"
    );
    let bao = detail_with_phone(&t.store, &admin, "+84903111222");
    assert_eq!(
        bao.values.get("birthday").map(String::as_str),
        Some("1985-03-14"),
        "a real date cell"
    );
    assert_eq!(bao.phones.len(), 2, "two phones separated by ;");
}
