//! The filter and export figures of `pdesk-bench` (SPEC 9): the filtered first page and the
//! filtered count on the large store for the indexed fields, and exporting 1,000,000 rows.

use pdesk_core::export::{ColumnKind, ExportFields, ExportRequest};
use pdesk_core::filter::ListQuery;
use pdesk_core::filter::{Condition, FilterOp, SourceFilter};
use pdesk_core::list::MAX_PAGE_ROWS;
use pdesk_core::{Actor, Result, Store};
use rusqlite::Connection;

use crate::figures::{count_figure, median_ms, Figure};

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
fn common_filters(raw: &Connection) -> Result<Vec<(String, Vec<Condition>)>> {
    // A phone that exists in the generated store (the newest profile's).
    let phone: String = raw
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
pub fn filter_figures(
    store: &Store,
    raw: &Connection,
    actor: &Actor,
    runs: usize,
) -> Result<Vec<Figure>> {
    let cols: Vec<String> = COLUMNS.map(String::from).to_vec();
    let mut figures = Vec::new();
    for (name, filter) in common_filters(raw)? {
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
        figures.push(count_figure(
            store,
            actor,
            format!("Filter {name}: count"),
            &q,
            runs.min(7),
        )?);
    }
    Ok(figures)
}

/// The 15 columns of the export benchmark's "displayed fields" (SPEC 9: 1,000,000 rows × 15
/// columns); "all fields" is the whole default catalogue (17).
pub const BENCH_COLUMNS: [&str; 15] = [
    "full_name",
    "phones",
    "emails",
    "gender",
    "birthday",
    "address",
    "city",
    "company",
    "job_title",
    "customer_code",
    "tags",
    "source",
    "created_at",
    "updated_at",
    "created_by",
];

fn bench_request(fields: ExportFields) -> ExportRequest {
    ExportRequest {
        query: ListQuery::default(),
        fields,
        columns: BENCH_COLUMNS.map(String::from).to_vec(),
        ids: None,
    }
}

/// One export of every profile as the app's background worker runs it (queue, then write):
/// milliseconds, rows, file size. The file is removed afterwards.
pub fn run_export_once(
    store: &mut Store,
    actor: &Actor,
    fields: ExportFields,
) -> Result<(f64, u32, u64)> {
    let start = std::time::Instant::now();
    let job = store.queue_export(actor, &bench_request(fields))?;
    let done = store.run_export(actor, job.id, |_| std::ops::ControlFlow::Continue(()))?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if let Some(path) = &done.path {
        let file = std::path::Path::new(path);
        let _ = std::fs::remove_file(file);
        if let Some(dir) = file.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    Ok((ms, done.rows_done, done.file_bytes.unwrap_or(0)))
}

/// Every row of the displayed-fields export read from the store as the export reads them,
/// nothing written (the export's floor): milliseconds and what was read.
pub fn read_export_rows_once(store: &Store, actor: &Actor) -> Result<(f64, String)> {
    let start = std::time::Instant::now();
    let rows = store.read_export_rows(actor, &bench_request(ExportFields::Displayed))?;
    Ok((
        start.elapsed().as_secs_f64() * 1000.0,
        format!("{rows} rows read"),
    ))
}

/// The same cells the export writes, as tab-separated text for the Python peer: one line per
/// row, a header line of labels, and a first line naming the column kinds (`s` text, `d` date,
/// `t` date-time, `n` number, `b` boolean) — dates already as Excel serial numbers, so both
/// writers store the same values. Returns the rows.
pub fn write_peer_rows(
    store: &Store,
    actor: &Actor,
    fields: ExportFields,
    out: &std::path::Path,
) -> Result<u32> {
    use std::io::Write;
    let request = bench_request(fields);
    let defs = store.export_fields(&request)?;
    let keys: Vec<String> = defs.iter().map(|f| f.key.clone()).collect();
    let kinds: Vec<ColumnKind> = defs.iter().map(pdesk_core::export::column_kind).collect();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    let tab = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    writeln!(
        w,
        "{}",
        kinds
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join("\t")
    )?;
    writeln!(
        w,
        "{}",
        defs.iter()
            .map(|f| tab(&f.label))
            .collect::<Vec<_>>()
            .join("\t")
    )?;
    let offset = time::UtcOffset::UTC;
    let mut rows = 0u32;
    // The export's order and rows, read a page at a time as the list reads them.
    loop {
        let page = store.list_page(actor, &request.query, rows, MAX_PAGE_ROWS, &keys)?;
        if page.rows.is_empty() {
            break;
        }
        for row in &page.rows {
            let cells: Vec<String> = keys
                .iter()
                .zip(&kinds)
                .map(|(k, kind)| {
                    let text = row.cells.get(k).map(String::as_str).unwrap_or("");
                    pdesk_core::export::peer_cell(*kind, text, offset)
                })
                .map(|c| tab(&c))
                .collect();
            writeln!(w, "{}", cells.join("\t"))?;
            rows += 1;
        }
    }
    w.flush()?;
    Ok(rows)
}

/// Python XlsxWriter in `constant_memory` mode writing the rows of [`write_peer_rows`]: the
/// script the benchmark runs (the file to read and the file to write are its arguments).
pub const PYTHON_XLSXWRITER: &str = r#"
import sys, time
import xlsxwriter
src, out = sys.argv[1], sys.argv[2]
t = time.perf_counter()
wb = xlsxwriter.Workbook(out, {"constant_memory": True})
ws = wb.add_worksheet("Profiles")
bold = wb.add_format({"bold": True})
date = wb.add_format({"num_format": "yyyy-mm-dd"})
stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
with open(src, encoding="utf-8") as f:
    kinds = f.readline().rstrip("\n").split("\t")
    for c, label in enumerate(f.readline().rstrip("\n").split("\t")):
        ws.write_string(0, c, label, bold)
    ws.freeze_panes(1, 0)
    r = 0
    for line in f:
        r += 1
        for c, v in enumerate(line.rstrip("\n").split("\t")):
            if v == "":
                continue
            k = kinds[c]
            if k == "d":
                ws.write_number(r, c, float(v), date)
            elif k == "t":
                ws.write_number(r, c, float(v), stamp)
            elif k == "n":
                ws.write_number(r, c, float(v))
            elif k == "b":
                ws.write_boolean(r, c, v == "1")
            else:
                ws.write_string(r, c, v)
wb.close()
print((time.perf_counter() - t) * 1000)
"#;
