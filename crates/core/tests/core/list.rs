//! The profile list: newest first, pages at any depth, search and counts.

use pdesk_core::filter::ListQuery;

use crate::{create, test_store};

fn cols() -> Vec<String> {
    ["full_name", "phones", "emails", "city"]
        .map(String::from)
        .to_vec()
}

fn search(t: &crate::TestStore, text: &str) -> Vec<String> {
    let q = ListQuery {
        search: text.into(),
        ..ListQuery::default()
    };
    let page = t.store.list_page(&t.admin, &q, 0, 50, &cols()).unwrap();
    page.rows
        .iter()
        .map(|r| r.cells["full_name"].clone())
        .collect()
}

#[test]
fn search_is_accent_insensitive_and_folds_d() {
    let mut t = test_store();
    create(&mut t, &[("full_name", "Nguyễn Văn A")]);
    create(&mut t, &[("full_name", "Đặng Thị Bình")]);
    create(&mut t, &[("full_name", "Trần Đăng Khoa")]);
    assert_eq!(
        search(&t, "nguyen van a"),
        ["Nguyễn Văn A"],
        "typed without accents"
    );
    assert_eq!(
        search(&t, "dang"),
        ["Trần Đăng Khoa", "Đặng Thị Bình"],
        "đ folds to d, newest first"
    );
    assert_eq!(
        search(&t, "ĐẶNG thi"),
        ["Đặng Thị Bình"],
        "case and accents in the query fold too"
    );
    assert_eq!(
        search(&t, "binh dang"),
        ["Đặng Thị Bình"],
        "word order does not matter"
    );
    assert!(search(&t, "xyz").is_empty(), "no match, no rows");
}

#[test]
fn search_finds_phone_in_any_format_email_and_code() {
    let mut t = test_store();
    create(
        &mut t,
        &[("full_name", "Phone Person"), ("phones", "+84 912 345 678")],
    );
    create(
        &mut t,
        &[
            ("full_name", "Mail Person"),
            ("emails", "Mail.Person@Example.com"),
        ],
    );
    create(
        &mut t,
        &[("full_name", "Code Person"), ("customer_code", "KH00042")],
    );
    assert_eq!(
        search(&t, "0912345678"),
        ["Phone Person"],
        "national format finds +84"
    );
    assert_eq!(
        search(&t, "0912 345"),
        ["Phone Person"],
        "a prefix with spaces is enough"
    );
    assert_eq!(
        search(&t, "mail.person@example"),
        ["Mail Person"],
        "e-mail prefix, any case"
    );
    assert_eq!(
        search(&t, "kh00042"),
        ["Code Person"],
        "customer code, any case"
    );
    let q = ListQuery {
        search: "'; DROP TABLE profiles; --".into(),
        ..ListQuery::default()
    };
    assert!(
        t.store.list_page(&t.admin, &q, 0, 10, &cols()).is_ok(),
        "hostile text is just text"
    );
    assert_eq!(
        t.store
            .count_profiles(&t.admin, &ListQuery::default())
            .unwrap()
            .total,
        3,
        "table intact"
    );
}

#[test]
fn pages_at_any_depth_match_the_newest_first_order() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.seed_demo(&admin, 1_000, 1).unwrap();
    let all = ListQuery::default();
    let counts = t.store.count_profiles(&admin, &all).unwrap();
    assert_eq!(
        (counts.total, counts.filtered),
        (1_000, 1_000),
        "counts without a filter"
    );
    let first = t.store.list_page(&admin, &all, 0, 100, &cols()).unwrap();
    assert_eq!(first.rows[0].id, 1_000, "newest first");
    let deep = t.store.list_page(&admin, &all, 900, 100, &cols()).unwrap();
    let ids: Vec<i64> = deep.rows.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        (1..=100).rev().collect::<Vec<i64>>(),
        "rows 900..1000 are ids 100..1"
    );
    let past = t
        .store
        .list_page(&admin, &all, 5_000, 100, &cols())
        .unwrap();
    assert!(
        past.rows.is_empty(),
        "past the end is an empty page, not an error"
    );
    // A write invalidates the position index: the new profile is row 0 and shifts the rest.
    create(&mut t, &[("full_name", "Newest")]);
    let again = t.store.list_page(&admin, &all, 1, 1, &cols()).unwrap();
    assert_eq!(
        again.rows[0].id, 1_000,
        "after a create, the former first row is second"
    );
}

#[test]
fn filtered_count_follows_the_search() {
    let mut t = test_store();
    create(&mut t, &[("full_name", "Đặng A")]);
    create(&mut t, &[("full_name", "Đặng B")]);
    create(&mut t, &[("full_name", "Lê C")]);
    let counts = t
        .store
        .count_profiles(
            &t.admin,
            &ListQuery {
                search: "dang".into(),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(
        (counts.total, counts.filtered),
        (3, 2),
        "two of three are Đặng"
    );
}

/// Phones read one way in the list, whatever each source typed (issue 16): the stored number
/// in the national form of the store's region (the UI groups its digits), foreign numbers
/// with their country code.
#[test]
fn phones_read_one_way_in_the_list_whatever_was_typed() {
    let mut t = test_store();
    create(
        &mut t,
        &[
            ("full_name", "Lê Thu"),
            ("phones", "+84 912.345.678; 0987 654 321; +65 6123 4567"),
        ],
    );
    let page = t
        .store
        .list_page(
            &t.admin,
            &ListQuery::default(),
            0,
            10,
            &["phones".to_string()],
        )
        .unwrap();
    assert_eq!(
        page.rows[0].cells["phones"], "0912345678, 0987654321, +6561234567",
        "national form for the region's numbers, E.164 for others"
    );
}

#[test]
fn cells_show_lists_joined_and_select_labels() {
    let mut t = test_store();
    create(
        &mut t,
        &[
            ("full_name", "Hoàng R"),
            ("phones", "0912345678; 0987654321"),
            ("gender", "nữ"),
        ],
    );
    // `gender` asked twice, `company` never given.
    let cols: Vec<String> = [
        "phones",
        "gender",
        "source",
        "created_by",
        "gender",
        "company",
    ]
    .map(String::from)
    .to_vec();
    let page = t
        .store
        .list_page(&t.admin, &ListQuery::default(), 0, 10, &cols)
        .unwrap();
    let cells = &page.rows[0].cells;
    assert_eq!(
        cells["phones"], "0912345678, 0987654321",
        "list fields joined with comma"
    );
    assert_eq!(
        cells["gender"], "Female",
        "select values shown by label (Nữ understood as female)"
    );
    assert_eq!(cells["source"], "Manual", "system columns available");
    assert_eq!(cells["created_by"], t.admin.name, "who created it");
    assert_eq!(
        cells["company"], "",
        "a column without a value is an empty cell"
    );
    assert_eq!(
        cells.keys().collect::<Vec<_>>(),
        ["company", "created_by", "gender", "phones", "source"],
        "one cell per column asked for, a column asked twice once"
    );
}

#[test]
fn demo_profiles_are_valid_by_the_normaliser() {
    let region = pdesk_normalize::PhoneRegion::by_iso("VN").unwrap();
    let mut seen = std::collections::HashSet::new();
    for n in 0..20_000 {
        let nsn = pdesk_core::demo::unique_mobile_nsn(n);
        let e164 = pdesk_normalize::normalize_phone(&format!("0{nsn}"), region).expect("valid");
        assert!(seen.insert(e164), "generated numbers are unique");
    }
}
