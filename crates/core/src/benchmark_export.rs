//! The filter and export figures of `pdesk bench` (SPEC 9): the filtered first page and the
//! filtered count on the large store for the indexed fields, and exporting 1,000,000 rows.
//! Kept apart from `benchmark.rs` (list and import figures); both print [`Figure`]s.

use crate::auth::Actor;
use crate::benchmark::{median_ms, Figure};
use crate::error::Result;
use crate::filter::{Condition, FilterOp, SourceFilter};
use crate::model::ListQuery;
use crate::store::Store;

const COLUMNS: [&str; 6] = [
    "full_name",
    "phones",
    "emails",
    "city",
    "customer_code",
    "created_at",
];

fn field(field: &str, op: FilterOp, value: &str, value2: &str) -> Condition {
    Condition::Field {
        field: field.into(),
        op,
        value: value.into(),
        value2: value2.into(),
    }
}

/// The filters users build most, each on an indexed field (or the narrow list tables).
fn common_filters(store: &Store) -> Result<Vec<(String, Vec<Condition>)>> {
    // A phone that exists in the generated store (the newest profile's).
    let phone: String = store
        .conn
        .query_row(
            "SELECT e164 FROM profile_phones ORDER BY profile_id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| "+84900000000".into());
    Ok(vec![
        (
            "city is “ha noi”".into(),
            vec![field("city", FilterOp::Is, "ha noi", "")],
        ),
        (
            "gender is female".into(),
            vec![field("gender", FilterOp::Is, "female", "")],
        ),
        (
            "birthday in 1990".into(),
            vec![field(
                "birthday",
                FilterOp::Between,
                "1990-01-01",
                "1990-12-31",
            )],
        ),
        (
            "created in the last 30 days".into(),
            vec![field("created_at", FilterOp::LastDays, "30", "")],
        ),
        (
            "customer code starts with KH0001".into(),
            vec![field("customer_code", FilterOp::StartsWith, "KH0001", "")],
        ),
        (
            format!("phones has {phone}"),
            vec![field("phones", FilterOp::Has, &phone, "")],
        ),
        (
            "source is manual".into(),
            vec![Condition::Source {
                source: SourceFilter::Manual,
            }],
        ),
        (
            "city is “ha noi” and gender is female".into(),
            vec![
                field("city", FilterOp::Is, "ha noi", ""),
                field("gender", FilterOp::Is, "female", ""),
            ],
        ),
    ])
}

/// Filtered first page (cold: no position index yet, as right after the user changed the
/// filter) and filtered count, for each common filter.
pub fn filter_figures(store: &Store, actor: &Actor, runs: usize) -> Result<Vec<Figure>> {
    let cols: Vec<String> = COLUMNS.map(String::from).to_vec();
    let mut figures = Vec::new();
    for (name, filter) in common_filters(store)? {
        let q = ListQuery {
            filter,
            ..ListQuery::default()
        };
        let (first, page) = median_ms(runs, || {
            store.touched();
            store.list_page(actor, &q, 0, 100, &cols)
        })?;
        figures.push(Figure {
            name: format!("Filter {name}: first page"),
            median_ms: first,
            target_ms: Some(50.0),
            peer_name: None,
            peer_median_ms: None,
            result: format!("{} rows", page.rows.len()),
            ..Figure::default()
        });
        let (count, counts) = median_ms(runs.min(7), || {
            store.touched();
            store.count_profiles(actor, &q)
        })?;
        figures.push(Figure {
            name: format!("Filter {name}: count"),
            median_ms: count,
            target_ms: Some(300.0),
            peer_name: None,
            peer_median_ms: None,
            result: format!("{} of {}", counts.filtered, counts.total),
            ..Figure::default()
        });
    }
    Ok(figures)
}
