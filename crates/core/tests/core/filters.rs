//! The filter builder's conditions, each operator against a small known dataset; the sort;
//! saved segments. Every filter value is bound as a parameter: SQL in a value is just text.

use pdesk_core::filter::ListQuery;
use pdesk_core::filter::{Condition, FilterOp, ListSort, SourceFilter};
use pdesk_core::model::{ConsentInput, ConsentStatus, ProfileInput};

use crate::{created_id, test_store, TestStore};

/// The names of the rows a query selects, in list order, after checking that the count agrees
/// with the rows and that a deep page (served from the position index) agrees with the first.
fn names(t: &TestStore, query: &ListQuery) -> Vec<String> {
    let cols = vec!["full_name".to_string()];
    let page = t
        .store
        .list_page(&t.admin, query, 0, 500, &cols)
        .unwrap_or_else(|e| panic!("the query {query:?} runs: {e}"));
    let counts = t.store.count_profiles(&t.admin, query).expect("count");
    assert_eq!(
        counts.filtered as usize,
        page.rows.len(),
        "the filtered count equals the rows of {query:?}"
    );
    if page.rows.len() > 1 {
        let second = t.store.list_page(&t.admin, query, 1, 500, &cols).unwrap();
        assert_eq!(
            second.rows.first().map(|r| r.id),
            page.rows.get(1).map(|r| r.id),
            "page at offset 1 continues the first page (position index) for {query:?}"
        );
    }
    page.rows
        .iter()
        .map(|r| r.cells["full_name"].clone())
        .collect()
}

fn cond(field: &str, op: FilterOp, value: &str) -> Condition {
    Condition::Field {
        field: field.into(),
        op,
        value: value.into(),
        value2: String::new(),
    }
}

fn between(field: &str, a: &str, b: &str) -> Condition {
    Condition::Field {
        field: field.into(),
        op: FilterOp::Between,
        value: a.into(),
        value2: b.into(),
    }
}

fn q(filter: Vec<Condition>) -> ListQuery {
    ListQuery {
        filter,
        ..ListQuery::default()
    }
}

/// `names` of a one-condition filter, sorted for order-independent comparison.
fn matching(t: &TestStore, c: Condition) -> Vec<String> {
    let mut n = names(t, &q(vec![c]));
    n.sort();
    n
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

const AN: &str = "Nguyễn Văn An";
const BINH: &str = "Trần Thị Bình";
const CUONG: &str = "Lê Văn Cường";
const DUC: &str = "Đặng Minh Đức";

/// Four profiles with known values, custom fields of every kind, and consent.
fn dataset() -> TestStore {
    let mut t = test_store();
    let conn = rusqlite::Connection::open(t.store.path()).expect("second connection");
    conn.execute_batch(
        r#"INSERT INTO fields(key, label, kind, position, options) VALUES
            ('score', 'Score', 'number', 500, '[]'),
            ('member_since', 'Member since', 'date', 510, '[]'),
            ('newsletter', 'Newsletter', 'boolean', 520, '[]'),
            ('tier', 'Tier', 'select', 530, '[{"value":"gold","label":"Gold"},{"value":"silver","label":"Silver"}]'),
            ('interests', 'Interests', 'multiSelect', 540, '[{"value":"golf","label":"Golf"},{"value":"wine","label":"Wine"},{"value":"tech","label":"Tech"}]'),
            ('nickname', 'Nickname', 'text', 550, '[]');"#,
    )
    .expect("custom fields");
    let rows: Vec<(ProfileInput, &[(&str, ConsentStatus)])> = vec![
        (
            ProfileInput::default()
                .with("full_name", AN)
                .with_list("phones", &["0912 345 678"])
                .with_list("emails", &["An.Nguyen@Example.com"])
                .with("city", "Hà Nội")
                .with("gender", "male")
                .with("birthday", "01/05/1990")
                .with("company", "Công ty Minh Phát")
                .with("customer_code", "KH001")
                .with_list("tags", &["VIP"])
                .with("score", "10")
                .with("member_since", "2020-01-15")
                .with("newsletter", "yes")
                .with("tier", "gold")
                .with_list("interests", &["golf", "wine"])
                .with("nickname", "Anh Cả"),
            &[("email", ConsentStatus::Granted)],
        ),
        (
            ProfileInput::default()
                .with("full_name", BINH)
                .with_list("phones", &["0987654321", "+84 901 000 111"])
                .with_list("emails", &["binh@gmail.com"])
                .with("city", "TP Hồ Chí Minh")
                .with("gender", "female")
                .with("birthday", "1985-12-31")
                .with("customer_code", "kh002")
                .with_list("tags", &["Khách mới"])
                .with("score", "25.5")
                .with("member_since", "2023-06-01")
                .with("newsletter", "no")
                .with("tier", "silver")
                .with_list("interests", &["tech"]),
            &[
                ("email", ConsentStatus::Denied),
                ("sms", ConsentStatus::Granted),
            ],
        ),
        (
            ProfileInput::default()
                .with("full_name", CUONG)
                .with_list("emails", &["cuong@gmail.com"])
                .with("job_title", "Kế toán")
                .with_list("tags", &["VIP", "Đại lý"])
                .with("score", "-3"),
            &[],
        ),
        (
            ProfileInput::default()
                .with("full_name", DUC)
                .with_list("phones", &["+84 909 111 222"])
                .with("city", "Hà Nội")
                .with("company", "Ngân hàng Á Châu")
                .with("address", "12 Lê Lợi"),
            &[("sms", ConsentStatus::Denied)],
        ),
    ];
    for (input, consent) in rows {
        let consent = ConsentInput {
            channels: consent.iter().map(|(k, s)| (k.to_string(), *s)).collect(),
        };
        created_id(
            &t.store
                .create_profile(&t.admin, &input, &consent)
                .expect("create"),
        );
    }
    // Known timestamps: An and Bình created in 2024, Cường and Đức yesterday and today.
    let now = time::OffsetDateTime::now_utc();
    let fmt = |t: time::OffsetDateTime| pdesk_core::clock::format(t);
    for (name, created) in [
        (AN, "2024-03-10T08:00:00.000Z".to_string()),
        (BINH, "2024-03-20T23:30:00.000Z".to_string()),
        (CUONG, fmt(now - time::Duration::days(1))),
        (DUC, fmt(now)),
    ] {
        conn.execute(
            "UPDATE profiles SET created_at = ?2, updated_at = ?2 WHERE full_name = ?1",
            (name, created),
        )
        .expect("set timestamps");
    }
    t
}

#[test]
fn text_operators_fold_case_and_accents() {
    let t = dataset();
    use FilterOp::*;
    assert_eq!(
        matching(&t, cond("city", Is, "ha noi")),
        sorted(&[AN, DUC]),
        "is: accents and case folded"
    );
    assert_eq!(
        matching(&t, cond("city", IsNot, "Hà Nội")),
        sorted(&[BINH, CUONG]),
        "is not keeps profiles without a city"
    );
    assert_eq!(
        matching(&t, cond("city", Contains, "chi minh")),
        sorted(&[BINH]),
        "contains"
    );
    assert_eq!(
        matching(&t, cond("city", StartsWith, "TP")),
        sorted(&[BINH]),
        "starts with"
    );
    assert_eq!(
        matching(&t, cond("city", StartsWith, "noi")),
        sorted(&[]),
        "starts with is a prefix only"
    );
    assert_eq!(
        matching(&t, cond("city", Empty, "")),
        sorted(&[CUONG]),
        "empty"
    );
    assert_eq!(
        matching(&t, cond("city", NotEmpty, "")),
        sorted(&[AN, BINH, DUC]),
        "not empty"
    );
    assert_eq!(
        matching(&t, cond("company", Contains, "a chau")),
        sorted(&[DUC]),
        "indexed company, folded"
    );
    assert_eq!(
        matching(&t, cond("job_title", Is, "ke toan")),
        sorted(&[CUONG]),
        "unindexed text column"
    );
    assert_eq!(
        matching(&t, cond("address", Contains, "le loi")),
        sorted(&[DUC]),
        "address contains"
    );
    assert_eq!(
        matching(&t, cond("full_name", Is, "nguyen van an")),
        sorted(&[AN]),
        "name is, folded"
    );
    assert_eq!(
        matching(&t, cond("full_name", Is, "nguyen van")),
        sorted(&[]),
        "name is means the whole name"
    );
    assert_eq!(
        matching(&t, cond("full_name", StartsWith, "dang min")),
        sorted(&[DUC]),
        "đ folds to d"
    );
    assert_eq!(
        matching(&t, cond("full_name", Contains, "van")),
        sorted(&[AN, CUONG]),
        "name contains"
    );
    assert_eq!(
        matching(&t, cond("full_name", IsNot, "Lê Văn Cường")),
        sorted(&[AN, BINH, DUC]),
        "name is not"
    );
    assert_eq!(
        matching(&t, cond("nickname", Is, "anh ca")),
        sorted(&[AN]),
        "custom text is"
    );
    assert_eq!(
        matching(&t, cond("nickname", IsNot, "anh ca")),
        sorted(&[BINH, CUONG, DUC]),
        "custom is not keeps empties"
    );
    assert_eq!(
        matching(&t, cond("nickname", Contains, "CẢ")),
        sorted(&[AN]),
        "custom contains"
    );
    assert_eq!(
        matching(&t, cond("nickname", StartsWith, "anh")),
        sorted(&[AN]),
        "custom starts with"
    );
    assert_eq!(
        matching(&t, cond("nickname", Empty, "")),
        sorted(&[BINH, CUONG, DUC]),
        "custom empty"
    );
    assert_eq!(
        matching(&t, cond("created_by", Is, &t.admin.name)).len(),
        4,
        "system text field"
    );
}

#[test]
fn customer_codes_match_as_identifiers() {
    let t = dataset();
    use FilterOp::*;
    assert_eq!(
        matching(&t, cond("customer_code", Is, "kh001")),
        sorted(&[AN]),
        "typed lower case finds the upper-case code"
    );
    assert_eq!(
        matching(&t, cond("customer_code", Is, "kh002")),
        sorted(&[BINH]),
        "as typed"
    );
    assert_eq!(
        matching(&t, cond("customer_code", StartsWith, "KH00")),
        sorted(&[AN, BINH]),
        "prefix, either case"
    );
    assert_eq!(
        matching(&t, cond("customer_code", Contains, "002")),
        sorted(&[BINH]),
        "contains"
    );
    assert_eq!(
        matching(&t, cond("customer_code", IsNot, "KH001")),
        sorted(&[BINH, CUONG, DUC]),
        "is not keeps empties"
    );
    assert_eq!(
        matching(&t, cond("customer_code", Empty, "")),
        sorted(&[CUONG, DUC]),
        "empty"
    );
}

#[test]
fn select_and_boolean_operators() {
    let t = dataset();
    use FilterOp::*;
    assert_eq!(
        matching(&t, cond("gender", Is, "Female")),
        sorted(&[BINH]),
        "by label"
    );
    assert_eq!(
        matching(&t, cond("gender", Is, "male")),
        sorted(&[AN]),
        "by value"
    );
    assert_eq!(
        matching(&t, cond("gender", IsNot, "male")),
        sorted(&[BINH, CUONG, DUC]),
        "is not"
    );
    assert_eq!(
        matching(&t, cond("gender", Empty, "")),
        sorted(&[CUONG, DUC]),
        "empty"
    );
    assert_eq!(
        matching(&t, cond("tier", Is, "gold")),
        sorted(&[AN]),
        "custom select"
    );
    assert_eq!(
        matching(&t, cond("tier", IsNot, "Gold")),
        sorted(&[BINH, CUONG, DUC]),
        "custom select is not"
    );
    assert_eq!(
        matching(&t, cond("newsletter", Is, "yes")),
        sorted(&[AN]),
        "boolean yes"
    );
    assert_eq!(
        matching(&t, cond("newsletter", Is, "no")),
        sorted(&[BINH]),
        "boolean no"
    );
    assert_eq!(
        matching(&t, cond("newsletter", Empty, "")),
        sorted(&[CUONG, DUC]),
        "boolean empty"
    );
    let e = t
        .store
        .count_profiles(&t.admin, &q(vec![cond("gender", Is, "robot")]))
        .unwrap_err();
    assert_eq!(e.code(), "validation", "an unknown option is refused: {e}");
    assert!(
        e.to_string().contains("not one of the options of Gender"),
        "{e}"
    );
}

#[test]
fn number_operators() {
    let t = dataset();
    use FilterOp::*;
    assert_eq!(matching(&t, cond("score", Eq, "10")), sorted(&[AN]), "=");
    assert_eq!(
        matching(&t, cond("score", Ne, "10")),
        sorted(&[BINH, CUONG, DUC]),
        "≠ keeps empties"
    );
    assert_eq!(
        matching(&t, cond("score", Lt, "10")),
        sorted(&[CUONG]),
        "<, negative numbers too"
    );
    assert_eq!(
        matching(&t, cond("score", Gt, "10")),
        sorted(&[BINH]),
        "> with a decimal"
    );
    assert_eq!(
        matching(&t, between("score", "30", "-5")),
        sorted(&[AN, BINH, CUONG]),
        "between, either order, inclusive"
    );
    assert_eq!(
        matching(&t, between("score", "10", "25.5")),
        sorted(&[AN, BINH]),
        "between includes both ends"
    );
    assert_eq!(
        matching(&t, cond("score", Empty, "")),
        sorted(&[DUC]),
        "empty"
    );
    assert_eq!(
        matching(&t, cond("score", NotEmpty, "")),
        sorted(&[AN, BINH, CUONG]),
        "not empty"
    );
    let e = t
        .store
        .count_profiles(&t.admin, &q(vec![cond("score", Gt, "ten")]))
        .unwrap_err();
    assert!(
        e.to_string().contains("“ten” is not a number"),
        "the value is named: {e}"
    );
}

#[test]
fn date_operators_and_relative_ranges() {
    let t = dataset();
    use FilterOp::*;
    assert_eq!(
        matching(&t, cond("birthday", Eq, "01/05/1990")),
        sorted(&[AN]),
        "on a day (dd/mm/yyyy)"
    );
    assert_eq!(
        matching(&t, cond("birthday", Ne, "1990-05-01")),
        sorted(&[BINH, CUONG, DUC]),
        "not on keeps empties"
    );
    assert_eq!(
        matching(&t, cond("birthday", Lt, "1990-05-01")),
        sorted(&[BINH]),
        "before is strict"
    );
    assert_eq!(
        matching(&t, cond("birthday", Gt, "1985-12-31")),
        sorted(&[AN]),
        "after is strict"
    );
    assert_eq!(
        matching(&t, between("birthday", "31/12/1985", "1990-05-01")),
        sorted(&[AN, BINH]),
        "between is inclusive"
    );
    assert_eq!(
        matching(&t, cond("birthday", Empty, "")),
        sorted(&[CUONG, DUC]),
        "empty"
    );
    assert_eq!(
        matching(&t, cond("member_since", Gt, "2021-01-01")),
        sorted(&[BINH]),
        "custom date after"
    );
    assert_eq!(
        matching(&t, between("member_since", "2020-01-15", "2020-01-15")),
        sorted(&[AN]),
        "custom date between one day"
    );
    assert_eq!(
        matching(&t, cond("member_since", Ne, "2020-01-15")),
        sorted(&[BINH, CUONG, DUC]),
        "custom date not on"
    );
    assert_eq!(
        matching(&t, cond("created_at", LastDays, "2")),
        sorted(&[CUONG, DUC]),
        "created in the last 2 days (today included)"
    );
    assert_eq!(
        matching(&t, cond("created_at", LastDays, "1")),
        sorted(&[DUC]),
        "the last 1 day is today"
    );
    assert_eq!(
        matching(&t, between("created_at", "2024-03-01", "2024-03-20")),
        sorted(&[AN, BINH]),
        "created between, the last day whole"
    );
    assert_eq!(
        matching(&t, cond("created_at", Eq, "2024-03-10")),
        sorted(&[AN]),
        "created on a day"
    );
    assert_eq!(
        matching(&t, cond("created_at", Lt, "2024-03-20")),
        sorted(&[AN]),
        "created before a day"
    );
    assert_eq!(
        matching(&t, cond("updated_at", Gt, "2024-03-10")).len(),
        3,
        "updated after a day"
    );
    // 2024-03-20T23:30Z is 21 March in Hanoi (UTC+7): the user's local days count.
    let hanoi = ListQuery {
        filter: vec![cond("created_at", Eq, "2024-03-21")],
        utc_offset_minutes: 7 * 60,
        ..ListQuery::default()
    };
    assert_eq!(names(&t, &hanoi), [BINH], "local day in UTC+7");
    let e = t
        .store
        .count_profiles(&t.admin, &q(vec![cond("birthday", Eq, "31/02/2020")]))
        .unwrap_err();
    assert!(
        e.to_string().contains("Birthday"),
        "a bad date names the field: {e}"
    );
    let e = t
        .store
        .count_profiles(&t.admin, &q(vec![cond("created_at", LastDays, "0")]))
        .unwrap_err();
    assert!(e.to_string().contains("number of days"), "{e}");
}

#[test]
fn list_field_operators() {
    let t = dataset();
    use FilterOp::*;
    assert_eq!(
        matching(&t, cond("phones", Has, "+84912345678")),
        sorted(&[AN]),
        "phone in another format"
    );
    assert_eq!(
        matching(&t, cond("phones", Has, "0901 000 111")),
        sorted(&[BINH]),
        "the second phone counts"
    );
    assert_eq!(
        matching(&t, cond("phones", HasNot, "0912345678")),
        sorted(&[BINH, CUONG, DUC]),
        "has not keeps profiles without phones"
    );
    assert_eq!(
        matching(&t, cond("phones", Contains, "111")),
        sorted(&[BINH, DUC]),
        "digits anywhere"
    );
    assert_eq!(
        matching(&t, cond("phones", Empty, "")),
        sorted(&[CUONG]),
        "no phone"
    );
    assert_eq!(
        matching(&t, cond("phones", NotEmpty, "")),
        sorted(&[AN, BINH, DUC]),
        "some phone"
    );
    assert_eq!(
        matching(&t, cond("emails", Has, "an.nguyen@example.COM")),
        sorted(&[AN]),
        "e-mail, case-insensitive"
    );
    assert_eq!(
        matching(&t, cond("emails", Contains, "@gmail.com")),
        sorted(&[BINH, CUONG]),
        "e-mail domain"
    );
    assert_eq!(
        matching(&t, cond("emails", Empty, "")),
        sorted(&[DUC]),
        "no e-mail"
    );
    assert_eq!(
        matching(&t, cond("tags", Has, "vip")),
        sorted(&[AN, CUONG]),
        "tag, case-insensitive"
    );
    assert_eq!(
        matching(&t, cond("tags", HasNot, "VIP")),
        sorted(&[BINH, DUC]),
        "tag has not"
    );
    assert_eq!(
        matching(&t, cond("tags", Contains, "khach")),
        sorted(&[BINH]),
        "tag contains, folded"
    );
    assert_eq!(
        matching(&t, cond("tags", Empty, "")),
        sorted(&[DUC]),
        "no tag"
    );
    assert_eq!(
        matching(&t, cond("interests", Has, "Wine")),
        sorted(&[AN]),
        "multi-select by label"
    );
    assert_eq!(
        matching(&t, cond("interests", HasNot, "golf")),
        sorted(&[BINH, CUONG, DUC]),
        "multi-select has not"
    );
    assert_eq!(
        matching(&t, cond("interests", NotEmpty, "")),
        sorted(&[AN, BINH]),
        "multi-select not empty"
    );
    let e = t
        .store
        .count_profiles(&t.admin, &q(vec![cond("phones", Has, "12")]))
        .unwrap_err();
    assert_eq!(
        e.code(),
        "validation",
        "an impossible phone is refused: {e}"
    );
}

#[test]
fn consent_and_source_conditions() {
    let t = dataset();
    let consent = |channel: &str, status| Condition::Consent {
        channel: channel.into(),
        status,
    };
    assert_eq!(
        matching(&t, consent("email", ConsentStatus::Granted)),
        sorted(&[AN]),
        "granted"
    );
    assert_eq!(
        matching(&t, consent("email", ConsentStatus::Denied)),
        sorted(&[BINH]),
        "denied"
    );
    assert_eq!(
        matching(&t, consent("email", ConsentStatus::Unknown)),
        sorted(&[CUONG, DUC]),
        "unknown includes never recorded"
    );
    assert_eq!(
        matching(&t, consent("sms", ConsentStatus::Denied)),
        sorted(&[DUC]),
        "per channel"
    );
    let e = t
        .store
        .count_profiles(&t.admin, &q(vec![consent("fax", ConsentStatus::Granted)]))
        .unwrap_err();
    assert!(e.to_string().contains("no consent channel “fax”"), "{e}");

    // The newest record is current: a later change moves the profile.
    let mut t = t;
    let an = t
        .store
        .list_page(&t.admin, &ListQuery::search("nguyen van an"), 0, 1, &[])
        .unwrap()
        .rows[0]
        .id;
    t.store
        .update_profile(
            &t.admin,
            an,
            &ProfileInput::default(),
            &ConsentInput {
                channels: [("email".to_string(), ConsentStatus::Denied)].into(),
            },
        )
        .expect("consent change");
    assert_eq!(
        matching(&t, consent("email", ConsentStatus::Denied)),
        sorted(&[AN, BINH]),
        "the newest record decides"
    );

    let source = |s| Condition::Source { source: s };
    assert_eq!(
        matching(&t, source(SourceFilter::Manual)).len(),
        4,
        "all created by hand"
    );
    assert!(
        matching(&t, source(SourceFilter::File)).is_empty(),
        "none imported"
    );
    let e = t
        .store
        .count_profiles(&t.admin, &q(vec![source(SourceFilter::Job { job_id: 99 })]))
        .unwrap_err();
    assert!(e.to_string().contains("no import job 99"), "{e}");
}

#[test]
fn conditions_combine_with_and_and_with_search() {
    let t = dataset();
    use FilterOp::*;
    let both = q(vec![cond("city", Is, "Hà Nội"), cond("tags", Empty, "")]);
    assert_eq!(names(&t, &both), [DUC], "AND of two conditions");
    let with_search = ListQuery {
        search: "van".into(),
        filter: vec![cond("tags", Has, "VIP")],
        ..ListQuery::default()
    };
    assert_eq!(
        names(&t, &with_search),
        [CUONG, AN],
        "search and filter together, newest first"
    );
    let none = ListQuery {
        search: "binh".into(),
        filter: vec![cond("tags", Has, "VIP")],
        ..ListQuery::default()
    };
    assert!(
        names(&t, &none).is_empty(),
        "search and filter that exclude each other"
    );
    let counts = t.store.count_profiles(&t.admin, &both).unwrap();
    assert_eq!(
        (counts.total, counts.filtered),
        (4, 1),
        "total stays the store's, filtered follows the filter"
    );
}

#[test]
fn a_value_holding_sql_is_only_a_value() {
    let t = dataset();
    let evil = "'; DROP TABLE profiles; --";
    for op in [
        FilterOp::Is,
        FilterOp::Contains,
        FilterOp::StartsWith,
        FilterOp::IsNot,
    ] {
        let n = matching(&t, cond("city", op, evil));
        assert_eq!(
            n.len(),
            if op == FilterOp::IsNot { 4 } else { 0 },
            "{op:?} matches nothing special"
        );
    }
    assert!(
        matching(&t, cond("nickname", FilterOp::Is, evil)).is_empty(),
        "custom field"
    );
    assert!(
        matching(&t, cond("tags", FilterOp::Has, evil)).is_empty(),
        "list field"
    );
    assert!(
        matching(&t, cond("emails", FilterOp::Contains, evil)).is_empty(),
        "e-mail"
    );
    assert!(
        matching(&t, cond("customer_code", FilterOp::Is, evil)).is_empty(),
        "code"
    );
    let counts = t
        .store
        .count_profiles(&t.admin, &ListQuery::default())
        .unwrap();
    assert_eq!(counts.total, 4, "the profiles table is still there, whole");
    let e = t
        .store
        .count_profiles(
            &t.admin,
            &q(vec![cond("city) OR 1=1 --", FilterOp::Is, "x")]),
        )
        .unwrap_err();
    assert_eq!(
        e.code(),
        "validation",
        "a field key is looked up in the catalogue, never used as SQL"
    );
}

#[test]
fn sort_orders_the_list_and_deep_pages() {
    let t = dataset();
    let sorted_by = |field: &str, descending: bool| ListQuery {
        sort: Some(ListSort {
            field: field.into(),
            descending,
        }),
        ..ListQuery::default()
    };
    assert_eq!(
        names(&t, &sorted_by("full_name", false)),
        [DUC, CUONG, AN, BINH],
        "by name ascending, accents folded: Đặng sorts with the Ds"
    );
    assert_eq!(
        names(&t, &sorted_by("birthday", true)),
        [AN, BINH, DUC, CUONG],
        "descending, empty values last, then newest first"
    );
    assert_eq!(
        names(&t, &sorted_by("created_at", false)),
        [AN, BINH, CUONG, DUC],
        "oldest first"
    );
    let filtered = ListQuery {
        filter: vec![cond("city", FilterOp::NotEmpty, "")],
        ..sorted_by("city", false)
    };
    assert_eq!(
        names(&t, &filtered),
        [DUC, AN, BINH],
        "filtered and sorted: equal cities newest first"
    );
    let e = t
        .store
        .count_profiles(&t.admin, &sorted_by("phones", false))
        .unwrap_err();
    assert!(e.to_string().contains("cannot be sorted by Phones"), "{e}");
}

#[test]
fn segments_save_load_rename_update_delete() {
    let mut t = dataset();
    let filter = ListQuery {
        search: "van".into(),
        filter: vec![cond("city", FilterOp::Is, "Hà Nội")],
        sort: Some(ListSort {
            field: "full_name".into(),
            descending: false,
        }),
        utc_offset_minutes: 420,
    };
    let cols = vec!["full_name".to_string(), "city".to_string()];
    let seg = t
        .store
        .create_segment(&t.admin, "  Hà Nội  ", &filter, &cols)
        .expect("save segment");
    assert_eq!(seg.name, "Hà Nội", "the name is trimmed");
    assert_eq!(seg.query.filter, filter.filter, "conditions saved");
    assert_eq!(seg.query.sort, filter.sort, "sort saved");
    assert_eq!(seg.columns, cols, "columns saved");
    assert_eq!(
        seg.description, "Search “van” · City is Hà Nội",
        "described for the panel"
    );
    let loaded = t.store.segments(&t.admin).expect("list");
    assert_eq!(loaded.len(), 1, "listed");
    assert_eq!(
        names(&t, &loaded[0].query),
        [AN],
        "the loaded segment selects what was saved"
    );

    let dup = t
        .store
        .create_segment(&t.admin, "hà nội", &filter, &cols)
        .unwrap_err();
    assert!(
        dup.to_string().contains("already have a segment named"),
        "names are unique per user, case-insensitive: {dup}"
    );
    let empty = t
        .store
        .create_segment(&t.admin, "   ", &filter, &cols)
        .unwrap_err();
    assert!(
        empty.to_string().contains("Give the segment a name"),
        "{empty}"
    );
    let bad = t
        .store
        .create_segment(
            &t.admin,
            "Bad",
            &q(vec![cond("score", FilterOp::Gt, "x")]),
            &cols,
        )
        .unwrap_err();
    assert_eq!(
        bad.code(),
        "validation",
        "an invalid filter is not saved: {bad}"
    );

    let renamed = t
        .store
        .rename_segment(&t.admin, seg.id, "Khách Hà Nội")
        .expect("rename");
    assert_eq!(renamed.name, "Khách Hà Nội", "renamed");
    let updated = t
        .store
        .update_segment(
            &t.admin,
            seg.id,
            &q(vec![cond("tags", FilterOp::Has, "VIP")]),
            &["full_name".to_string()],
        )
        .expect("update");
    assert_eq!(updated.columns, ["full_name"], "columns replaced");
    assert_eq!(names(&t, &updated.query).len(), 2, "the new filter");

    let sales = t.store.add_user(&t.admin, "sales1", "Sales").expect("user");
    assert!(
        t.store.segments(&sales).unwrap().is_empty(),
        "segments are per user"
    );
    let e = t.store.delete_segment(&sales, seg.id).unwrap_err();
    assert_eq!(e.code(), "notFound", "another user cannot delete it");
    t.store.delete_segment(&t.admin, seg.id).expect("delete");
    assert!(t.store.segments(&t.admin).unwrap().is_empty(), "deleted");
}
