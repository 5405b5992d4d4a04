//! Measurements behind `pdesk bench` (SPEC 9). Each figure is a median over repeated runs of
//! the real core call, printed next to a *peer*: the straightforward way of doing the same
//! thing (SQL `OFFSET` paging, a `LIKE` scan), measured on the same store in the same run.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::auth::Actor;
use crate::error::Result;
use crate::model::ListQuery;
use crate::store::Store;

/// One line of the benchmark table.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figure {
    pub name: String,
    pub median_ms: f64,
    pub target_ms: Option<f64>,
    pub peer_name: Option<String>,
    pub peer_median_ms: Option<f64>,
    /// What the measured call returned (rows, count), to show it did real work.
    pub result: String,
}

impl Figure {
    pub fn meets_target(&self) -> Option<bool> {
        self.target_ms.map(|t| self.median_ms <= t)
    }
}

/// Median duration of `runs` calls of `f`, in milliseconds, and the last result.
pub fn median_ms<T>(runs: usize, mut f: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(f()?);
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1000.0;
    Ok((
        median,
        last.ok_or_else(|| crate::Error::Internal("no run".into()))?,
    ))
}

const COLUMNS: [&str; 6] = [
    "full_name",
    "phones",
    "emails",
    "city",
    "customer_code",
    "created_at",
];

/// The list figures of SPEC 9 on `store` (which should hold the generated profiles).
pub fn list_figures(store: &Store, actor: &Actor, runs: usize) -> Result<Vec<Figure>> {
    let cols: Vec<String> = COLUMNS.map(String::from).to_vec();
    let all = ListQuery::default();
    let total = store.count_profiles(actor, &all)?.total;
    let depth = (total as f64 * 0.9) as u32;
    let mut figures = Vec::new();

    let (cold_index, _) = median_ms(1, || {
        store.touched();
        store.list_page(actor, &all, depth, 100, &cols)
    })?;
    let (first, page) = median_ms(runs, || store.list_page(actor, &all, 0, 100, &cols))?;
    let (peer_first, _) = median_ms(runs, || raw_offset_page(store, 0))?;
    figures.push(Figure {
        name: "List: first page (100 rows)".into(),
        median_ms: first,
        target_ms: Some(5.0),
        peer_name: Some("SQL LIMIT/OFFSET".into()),
        peer_median_ms: Some(peer_first),
        result: format!("{} rows", page.rows.len()),
    });
    let (deep, page) = median_ms(runs, || store.list_page(actor, &all, depth, 100, &cols))?;
    let (peer_deep, _) = median_ms(runs.min(5), || raw_offset_page(store, depth))?;
    figures.push(Figure {
        name: format!("List: page at depth {depth}"),
        median_ms: deep,
        target_ms: Some(5.0),
        peer_name: Some("SQL LIMIT/OFFSET".into()),
        peer_median_ms: Some(peer_deep),
        result: format!(
            "{} rows, first id {}",
            page.rows.len(),
            page.rows.first().map(|r| r.id).unwrap_or(0)
        ),
    });
    figures.push(Figure {
        name: "List: position index build (once per data change)".into(),
        median_ms: cold_index,
        target_ms: None,
        peer_name: None,
        peer_median_ms: None,
        result: format!("{total} ids"),
    });
    for (text, peer_like) in [("dang", "%đặng%"), ("nguyen van a", "%nguyễn văn a%")] {
        let q = ListQuery {
            search: text.into(),
        };
        let (search, page) = median_ms(runs, || {
            store.touched(); // cold: no position index, as when the user types
            store.list_page(actor, &q, 0, 100, &cols)
        })?;
        let (peer, _) = median_ms(runs.min(5), || raw_like_page(store, peer_like))?;
        figures.push(Figure {
            name: format!("Search “{text}”: first page"),
            median_ms: search,
            target_ms: Some(20.0),
            peer_name: Some("LIKE scan on names".into()),
            peer_median_ms: Some(peer),
            result: format!("{} rows", page.rows.len()),
        });
    }
    for text in ["nguyen", "dang thi", "0912"] {
        let q = ListQuery {
            search: text.into(),
        };
        let (count, counts) = median_ms(runs.min(7), || {
            store.touched();
            store.count_profiles(actor, &q)
        })?;
        figures.push(Figure {
            name: format!("Filtered count “{text}”"),
            median_ms: count,
            target_ms: Some(300.0),
            peer_name: None,
            peer_median_ms: None,
            result: format!("{} of {}", counts.filtered, counts.total),
        });
    }
    Ok(figures)
}

fn raw_offset_page(store: &Store, offset: u32) -> Result<usize> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, full_name, city, customer_code, created_at FROM profiles ORDER BY id DESC
          LIMIT 100 OFFSET ?1",
    )?;
    let n = stmt.query_map([offset], |_| Ok(()))?.count();
    Ok(n)
}

fn raw_like_page(store: &Store, pattern: &str) -> Result<usize> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, full_name FROM profiles WHERE lower(full_name) LIKE ?1 ORDER BY id DESC LIMIT 100",
    )?;
    let n = stmt.query_map([pattern], |_| Ok(()))?.count();
    Ok(n)
}
