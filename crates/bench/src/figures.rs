//! The figures of SPEC 9 and how they are measured. Each figure is a median over repeated runs
//! of the real core call, printed next to a *peer*: the straightforward way of doing the same
//! thing (SQL `OFFSET` paging, a `LIKE` scan, pandas or polars reading the same file), measured
//! in the same run. This module holds the list figures; `import` the import figures' workload,
//! `export` the filter and export figures; the hostile files are the tests' own
//! (`pdesk_testkit::hostile`).

use std::time::{Duration, Instant};

use pdesk_core::filter::ListQuery;
use pdesk_core::{Actor, Result, Store};
use rusqlite::Connection;
use serde::Serialize;

/// One line of the benchmark table.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figure {
    pub name: String,
    pub median_ms: f64,
    pub target_ms: Option<f64>,
    /// Peak resident memory of the process that did the work (measured in a process of its own).
    pub peak_mb: Option<f64>,
    pub memory_target_mb: Option<f64>,
    pub peer_name: Option<String>,
    pub peer_median_ms: Option<f64>,
    /// What the measured call returned (rows, count), to show it did real work.
    pub result: String,
}

impl Figure {
    /// A figure with a time, an optional time target and what the call returned.
    pub fn new(median_ms: f64, target_ms: Option<f64>, result: String) -> Figure {
        Figure {
            median_ms,
            target_ms,
            result,
            ..Figure::default()
        }
    }

    /// Whether the time and the memory are within their targets (`None` without targets).
    pub fn meets_target(&self) -> Option<bool> {
        let time = self.target_ms.map(|t| self.median_ms <= t);
        let memory = match (self.memory_target_mb, self.peak_mb) {
            (Some(limit), Some(peak)) => Some(peak <= limit),
            _ => None,
        };
        match (time, memory) {
            (None, None) => None,
            (t, m) => Some(t.unwrap_or(true) && m.unwrap_or(true)),
        }
    }
}

/// The median of `values` (which it sorts); 0 for none.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
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
        last.ok_or_else(|| pdesk_core::Error::Internal("no run".into()))?,
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

/// The list figures of SPEC 9 on `store` (which should hold the generated profiles); the peers
/// query the same file through `raw`, a plain SQLite connection.
pub fn list_figures(
    store: &Store,
    raw: &Connection,
    actor: &Actor,
    runs: usize,
) -> Result<Vec<Figure>> {
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
    let (peer_first, _) = median_ms(runs, || raw_offset_page(raw, 0))?;
    figures.push(Figure {
        name: "List: first page (100 rows)".into(),
        median_ms: first,
        target_ms: Some(5.0),
        peer_name: Some("SQL LIMIT/OFFSET".into()),
        peer_median_ms: Some(peer_first),
        result: format!("{} rows", page.rows.len()),
        ..Figure::default()
    });
    let (deep, page) = median_ms(runs, || store.list_page(actor, &all, depth, 100, &cols))?;
    let (peer_deep, _) = median_ms(runs.min(5), || raw_offset_page(raw, depth))?;
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
        ..Figure::default()
    });
    figures.push(Figure {
        name: "List: position index build (once per data change)".into(),
        median_ms: cold_index,
        target_ms: None,
        peer_name: None,
        peer_median_ms: None,
        result: format!("{total} ids"),
        ..Figure::default()
    });
    for (text, peer_like) in [("dang", "%đặng%"), ("nguyen van a", "%nguyễn văn a%")] {
        let q = ListQuery {
            search: text.into(),
            ..ListQuery::default()
        };
        let (search, page) = median_ms(runs, || {
            store.touched(); // cold: no position index, as when the user types
            store.list_page(actor, &q, 0, 100, &cols)
        })?;
        let (peer, _) = median_ms(runs.min(5), || raw_like_page(raw, peer_like))?;
        figures.push(Figure {
            name: format!("Search “{text}”: first page"),
            median_ms: search,
            target_ms: Some(20.0),
            peer_name: Some("LIKE scan on names".into()),
            peer_median_ms: Some(peer),
            result: format!("{} rows", page.rows.len()),
            ..Figure::default()
        });
    }
    for text in ["nguyen", "dang thi", "0912"] {
        let q = ListQuery {
            search: text.into(),
            ..ListQuery::default()
        };
        figures.push(count_figure(
            store,
            actor,
            format!("Filtered count “{text}”"),
            &q,
            runs.min(7),
        )?);
    }
    Ok(figures)
}

/// The count of `q`'s profiles, cold (the store's cached counts dropped before each run),
/// against SPEC 9's 300 ms.
pub fn count_figure(
    store: &Store,
    actor: &Actor,
    name: String,
    q: &ListQuery,
    runs: usize,
) -> Result<Figure> {
    let (count, counts) = median_ms(runs, || {
        store.touched();
        store.count_profiles(actor, q)
    })?;
    Ok(Figure {
        name,
        median_ms: count,
        target_ms: Some(300.0),
        result: format!("{} of {}", counts.filtered, counts.total),
        ..Figure::default()
    })
}

pub fn raw_offset_page(raw: &Connection, offset: u32) -> Result<usize> {
    let mut stmt = raw.prepare_cached(
        "SELECT id, full_name, city, customer_code, created_at FROM profiles ORDER BY id DESC
          LIMIT 100 OFFSET ?1",
    )?;
    let n = stmt.query_map([offset], |_| Ok(()))?.count();
    Ok(n)
}

fn raw_like_page(raw: &Connection, pattern: &str) -> Result<usize> {
    let mut stmt = raw.prepare_cached(
        "SELECT id, full_name FROM profiles WHERE lower(full_name) LIKE ?1 ORDER BY id DESC LIMIT 100",
    )?;
    let n = stmt.query_map([pattern], |_| Ok(()))?.count();
    Ok(n)
}

/// Peak resident memory of this process so far, in MB (Linux; `None` elsewhere).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
