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
            ..ListQuery::default()
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
            ..ListQuery::default()
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

/// Writes the import benchmark's workbook: `rows` data rows × 15 columns under Vietnamese
/// headers — names with diacritics, phones in mixed formats (a third stored as numbers, the
/// leading zero lost, as Excel users do), e-mails, real date cells, codes, free text. Real
/// customer data is far less regular than a counter, so pseudo-random tokens make the file
/// compress like a real one (~10 MB for 50,000 rows, as in SPEC 9). Returns the size in bytes.
pub fn write_import_workbook(path: &std::path::Path, rows: u32) -> Result<u64> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let xlsx =
        |e: rust_xlsxwriter::XlsxError| crate::Error::Internal(format!("bench workbook: {e}"));
    let headers = [
        "Họ và tên",
        "Số điện thoại",
        "Email",
        "Ngày sinh",
        "Giới tính",
        "Địa chỉ",
        "Thành phố",
        "Mã khách hàng",
        "Ngày tham gia",
        "Hạng thành viên",
        "Điểm",
        "Nghề nghiệp",
        "Công ty",
        "Ghi chú",
        "Kênh",
    ];
    let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"];
    let given = [
        "Văn An",
        "Thị Bích",
        "Minh Đức",
        "Quang Huy",
        "Thu Hà",
        "Ngọc Lan",
    ];
    let cities = [
        "Hà Nội",
        "TP. Hồ Chí Minh",
        "Đà Nẵng",
        "Hải Phòng",
        "Cần Thơ",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut token = |len: usize| -> String {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
                alphabet[(state % alphabet.len() as u64) as usize] as char
            })
            .collect()
    };
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(xlsx)?;
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(xlsx)?;
    }
    for r in 1..=rows {
        let i = r as usize;
        sheet
            .write_string(
                r,
                0,
                format!("{} {} {}", families[i % 8], given[i % 6], token(8)),
            )
            .map_err(xlsx)?;
        let nsn = crate::demo::unique_mobile_nsn(u64::from(r) * 2);
        match r % 3 {
            0 => sheet
                .write_number(r, 1, nsn.parse::<f64>().unwrap_or(0.0))
                .map_err(xlsx)?,
            1 => sheet
                .write_string(r, 1, format!("0{} {} {}", &nsn[..3], &nsn[3..6], &nsn[6..]))
                .map_err(xlsx)?,
            _ => sheet
                .write_string(r, 1, format!("+84{nsn}"))
                .map_err(xlsx)?,
        };
        sheet
            .write_string(r, 2, format!("{}.{}@{}.com", token(10), token(6), token(8)))
            .map_err(xlsx)?;
        let born = ExcelDateTime::from_ymd(
            1960 + (r % 40) as u16,
            1 + (r % 12) as u8,
            1 + (r % 28) as u8,
        )
        .map_err(xlsx)?;
        sheet
            .write_datetime_with_format(r, 3, &born, &date)
            .map_err(xlsx)?;
        sheet
            .write_string(r, 4, if r % 2 == 0 { "Nam" } else { "Nữ" })
            .map_err(xlsx)?;
        sheet
            .write_string(
                r,
                5,
                format!("{} đường {}, phường {}", r % 300, token(16), token(8)),
            )
            .map_err(xlsx)?;
        sheet.write_string(r, 6, cities[i % 5]).map_err(xlsx)?;
        sheet
            .write_string(r, 7, format!("KH{}", token(10)))
            .map_err(xlsx)?;
        sheet
            .write_string(r, 8, format!("{:02}/{:02}/2023", 1 + r % 28, 1 + r % 12))
            .map_err(xlsx)?;
        sheet
            .write_string(r, 9, ["Vàng", "Bạc", "Kim cương"][i % 3])
            .map_err(xlsx)?;
        sheet
            .write_number(r, 10, f64::from(r % 1000))
            .map_err(xlsx)?;
        sheet
            .write_string(r, 11, ["Kỹ sư", "Giáo viên", "Bác sĩ", "Kinh doanh"][i % 4])
            .map_err(xlsx)?;
        sheet
            .write_string(r, 12, format!("Công ty TNHH {}", token(14)))
            .map_err(xlsx)?;
        sheet
            .write_string(
                r,
                13,
                format!("{} {} {} {}", token(18), token(14), token(20), token(16)),
            )
            .map_err(xlsx)?;
        sheet
            .write_string(r, 14, ["Zalo", "Facebook", "Cửa hàng"][i % 3])
            .map_err(xlsx)?;
    }
    workbook.save(path).map_err(xlsx)?;
    Ok(std::fs::metadata(path)?.len())
}

/// The import figures of SPEC 9 on the workbook at `file`: reading it, importing it end to end
/// into an empty store and (when `big_store` is given) into a copy of a large store, the dry
/// run, and a 1,000-row paste. Each import runs on a fresh copy, so runs do not see each other.
pub fn import_figures(
    file: &std::path::Path,
    work: &std::path::Path,
    big_store: Option<&std::path::Path>,
    runs: usize,
) -> Result<Vec<Figure>> {
    use crate::jobs::{ImportSettings, ImportSource};
    use crate::model::{ConsentInput, MergePolicy};
    let limits = crate::import::FileLimits::default();
    let fresh = |name: &str| -> Result<Store> {
        let db = work.join(name);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        Store::open(db)
    };
    let settings_for =
        |store: &Store, actor: &Actor, source: &ImportSource| -> Result<ImportSettings> {
            let preview = match source {
                ImportSource::File(p) => store.preview_file(actor, p)?,
                ImportSource::Paste(t) => store.preview_paste(actor, t)?,
            };
            Ok(ImportSettings {
                columns: preview.columns,
                mapping: preview.mapping,
                consent: ConsentInput::default(),
                policy: MergePolicy::Overwrite,
            })
        };
    let import_into = |mut store: Store| -> Result<String> {
        let actor = store.actor(None)?;
        let source = ImportSource::File(file.to_path_buf());
        let settings = settings_for(&store, &actor, &source)?;
        let id = store.queue_import(&actor, &source, &settings)?;
        let job = store.run_job(&actor, id, |_| std::ops::ControlFlow::Continue(()))?;
        Ok(format!(
            "{} created, {} updated, {} failed",
            job.counts.created, job.counts.updated, job.counts.failed
        ))
    };
    let mut figures = Vec::new();
    let (read, rows) = median_ms(runs, || Ok(crate::jobs::file_columns(file, &limits, 50)?.1))?;
    figures.push(Figure {
        name: "Import: read the file (guard + streaming reader)".into(),
        median_ms: read,
        target_ms: None,
        peer_name: None,
        peer_median_ms: None,
        result: format!("{rows} rows"),
    });
    let (empty, result) = median_ms(runs, || import_into(fresh("bench-import-empty.db")?))?;
    figures.push(Figure {
        name: "Import end to end into an empty store".into(),
        median_ms: empty,
        target_ms: Some(1_500.0),
        peer_name: None,
        peer_median_ms: None,
        result,
    });
    let (dry, result) = median_ms(runs, || {
        let mut store = fresh("bench-import-dry.db")?;
        let actor = store.actor(None)?;
        let source = ImportSource::File(file.to_path_buf());
        let settings = settings_for(&store, &actor, &source)?;
        let d = store.dry_run(&actor, &source, &settings)?;
        Ok(format!(
            "{} new, {} update, {} invalid",
            d.counts.created, d.counts.updated, d.counts.failed
        ))
    })?;
    figures.push(Figure {
        name: "Import dry run (empty store)".into(),
        median_ms: dry,
        target_ms: Some(2_000.0),
        peer_name: None,
        peer_median_ms: None,
        result,
    });
    let paste: String = (1..=1_000)
        .map(|i| {
            format!(
                "Khách {i}\t0{}\tk{i}@example.vn\n",
                crate::demo::unique_mobile_nsn(i)
            )
        })
        .collect();
    let (pasted, result) = median_ms(runs.max(5), || {
        let mut store = fresh("bench-paste.db")?;
        let actor = store.actor(None)?;
        let source = ImportSource::Paste(paste.clone());
        let mut settings = settings_for(&store, &actor, &source)?;
        if let Some(first) = settings.mapping.first_mut() {
            first.target = Some("full_name".into());
        }
        let start = std::time::Instant::now();
        let d = store.dry_run(&actor, &source, &settings)?;
        Ok(format!(
            "{} rows previewed in {:.1} ms",
            d.counts.rows,
            start.elapsed().as_secs_f64() * 1000.0
        ))
    })?;
    figures.push(Figure {
        name: "Paste 1,000 rows: parse, map, preview (incl. store open)".into(),
        median_ms: pasted,
        target_ms: Some(50.0),
        peer_name: None,
        peer_median_ms: None,
        result,
    });
    if let Some(big) = big_store {
        // One run: each needs a fresh copy of the large store (hundreds of MB), not timed.
        let copy = work.join("bench-import-big.db");
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
        }
        std::fs::copy(big, &copy)?;
        let store = Store::open(&copy)?;
        let total = store
            .count_profiles(&store.actor(None)?, &Default::default())?
            .total;
        let (into_big, result) = median_ms(1, || import_into(Store::open(&copy)?))?;
        drop(store);
        figures.push(Figure {
            name: format!("Import end to end into a store of {total} profiles"),
            median_ms: into_big,
            target_ms: Some(3_000.0),
            peer_name: None,
            peer_median_ms: None,
            result,
        });
    }
    Ok(figures)
}

/// Peak resident memory of this process so far, in MB (Linux; `None` elsewhere).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
