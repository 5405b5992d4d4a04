//! `pdesk bench`: builds (or reuses) a store of generated profiles and prints the SPEC 9
//! figures as a table, each next to its target and a peer measured in the same run. Imports
//! and hostile files are measured in child processes (`pdesk bench-child`), so that each
//! figure's peak memory is its own.

use std::path::{Path, PathBuf};
use std::process::Command;

use pdesk_core::benchmark::export::{
    filter_figures, run_export_once, write_peer_rows, PYTHON_XLSXWRITER,
};
use pdesk_core::benchmark::hostile::HOSTILE;
use pdesk_core::benchmark::import::{
    measure_hostile, measure_import, measure_paste, thousand_row_paste, ImportRun,
};
use pdesk_core::benchmark::{
    list_figures, median, median_ms, peak_memory_mb, write_import_workbook, Figure,
};
use pdesk_core::export::ExportFields;
use pdesk_core::filter::ListQuery;
use pdesk_core::{Error, Store};
use serde::{Deserialize, Serialize};

/// Import runs per figure (each a fresh process on a fresh store).
const IMPORT_RUNS: usize = 3;

pub fn run(
    profiles: u64,
    work_dir: Option<PathBuf>,
    only: &[String],
    json: bool,
) -> Result<(), Error> {
    let part = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let dir = work_dir.unwrap_or_else(|| std::env::temp_dir().join("pdesk-bench"));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("bench-{profiles}.db"));
    let mut store = Store::open(&path)?;
    let actor = store.actor(None)?;
    let have = store.count_profiles(&actor, &ListQuery::default())?.total as u64;
    if have != profiles {
        drop(store);
        remove_db(&path);
        store = Store::open(&path)?;
        let actor = store.actor(None)?;
        eprintln!("Generating {profiles} profiles into {} ...", path.display());
        let t = std::time::Instant::now();
        store.seed_demo(&actor, profiles, 7)?;
        eprintln!("  generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let actor = store.actor(None)?;
    let mut figures = Vec::new();
    if part("list") {
        figures.extend(list_figures(&store, &actor, 21)?);
    }
    if part("filters") {
        figures.extend(filter_figures(&store, &actor, 11)?);
    }
    drop(store);
    if part("import") {
        let file = dir.join("import-50000.xlsx");
        if !file.exists() {
            let size = write_import_workbook(&file, 50_000)?;
            eprintln!("Wrote {} ({:.1} MB)", file.display(), size as f64 / 1e6);
        }
        let mut imports = import_figures(&dir, &file, &path, profiles)?;
        add_python_peers(&file, &mut imports);
        figures.extend(imports);
    }
    if part("hostile") {
        figures.extend(hostile_figures(&dir)?);
    }
    if part("export") {
        figures.extend(export_figures(&path, &dir, profiles)?);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&figures).unwrap_or_default()
        );
    } else {
        print_table(profiles, &figures);
        if let Some(mb) = peak_memory_mb() {
            println!("Peak resident memory of the benchmark process itself: {mb:.0} MB");
        }
    }
    Ok(())
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// What a `pdesk bench-child` run prints (one JSON line).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildReport {
    pub ms: f64,
    pub peak_mb: Option<f64>,
    pub result: String,
}

/// The child side: one measurement, reported on stdout.
pub fn child(what: &str, db: Option<&Path>, file: Option<&Path>) -> Result<(), Error> {
    let file = || file.ok_or_else(|| Error::Internal(format!("bench-child {what} needs FILE")));
    let db = || db.ok_or_else(|| Error::Internal(format!("bench-child {what} needs --db")));
    let (ms, result) = match what {
        "hostile" => measure_hostile(file()?),
        "export-displayed" | "export-all" => {
            let fields = if what == "export-all" {
                ExportFields::All
            } else {
                ExportFields::Displayed
            };
            let mut store = Store::open(db()?)?;
            let actor = store.actor(None)?;
            let (ms, rows, bytes) = run_export_once(&mut store, &actor, fields)?;
            (
                ms,
                format!("{rows} rows, {:.0} MB file", bytes as f64 / 1e6),
            )
        }
        _ => {
            let run = match what {
                "import" => ImportRun::Import,
                "dry-run" => ImportRun::DryRun,
                "preview" => ImportRun::Preview,
                other => return Err(Error::Internal(format!("unknown bench-child run {other}"))),
            };
            measure_import(db()?, file()?, run)?
        }
    };
    let report = ChildReport {
        ms,
        peak_mb: peak_memory_mb(),
        result,
    };
    println!("{}", serde_json::to_string(&report).unwrap_or_default());
    Ok(())
}

/// Runs `pdesk bench-child WHAT` and reads its report.
fn run_child(what: &str, db: Option<&Path>, file: Option<&Path>) -> Result<ChildReport, Error> {
    let exe = std::env::current_exe()?;
    let mut c = Command::new(exe);
    if let Some(db) = db {
        c.arg("--db").arg(db);
    }
    c.arg("bench-child").arg(what);
    if let Some(file) = file {
        c.arg(file);
    }
    let out = c.output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(Error::Internal(format!(
            "bench-child {what} {} failed ({}): {}",
            file.map(|f| f.display().to_string()).unwrap_or_default(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    serde_json::from_str(stdout.trim())
        .map_err(|e| Error::Internal(format!("bench-child {what}: {e}: {stdout}")))
}

/// `runs` children of `what`, each on a fresh store made by `fresh`; the median time and the
/// highest peak.
fn children(
    runs: usize,
    what: &str,
    file: Option<&Path>,
    mut fresh: impl FnMut() -> Result<PathBuf, Error>,
) -> Result<(f64, Option<f64>, String), Error> {
    let mut times = Vec::new();
    let mut peak: Option<f64> = None;
    let mut result = String::new();
    for _ in 0..runs {
        let db = fresh()?;
        let r = run_child(what, Some(&db), file)?;
        times.push(r.ms);
        peak = match (peak, r.peak_mb) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        result = r.result;
    }
    Ok((median(&mut times), peak, result))
}

fn import_figures(
    dir: &Path,
    file: &Path,
    big: &Path,
    profiles: u64,
) -> Result<Vec<Figure>, Error> {
    let empty = dir.join("bench-import-empty.db");
    let fresh_empty = || -> Result<PathBuf, Error> {
        remove_db(&empty);
        drop(Store::open(&empty)?);
        Ok(empty.clone())
    };
    let mut figures = Vec::new();
    let (ms, peak, result) = children(IMPORT_RUNS, "preview", Some(file), fresh_empty)?;
    figures.push(Figure {
        name: "Import: mapping step (guard, full read, suggestion)".into(),
        peak_mb: peak,
        ..Figure::new(ms, None, result)
    });
    let (ms, peak, result) = children(IMPORT_RUNS, "import", Some(file), fresh_empty)?;
    figures.push(Figure {
        name: "Import 50,000 rows, Confirm → done, empty store".into(),
        peak_mb: peak,
        ..Figure::new(ms, Some(1_500.0), result)
    });
    let (ms, peak, result) = children(IMPORT_RUNS, "dry-run", Some(file), fresh_empty)?;
    figures.push(Figure {
        name: "Import dry run (empty store)".into(),
        peak_mb: peak,
        ..Figure::new(ms, Some(2_000.0), result)
    });
    let paste = thousand_row_paste();
    let mut store = Store::open(fresh_empty()?)?;
    let (ms, result) = median_ms(21, || Ok(measure_paste(&mut store, &paste)?.1))?;
    drop(store);
    figures.push(Figure {
        name: "Paste 1,000 rows: parse, map, dry run (store open)".into(),
        ..Figure::new(ms, Some(50.0), result)
    });
    // One run: each needs a fresh copy of the large store (hundreds of MB), not timed.
    let copy = dir.join("bench-import-big.db");
    let (ms, peak, result) = children(1, "import", Some(file), || {
        remove_db(&copy);
        std::fs::copy(big, &copy)?;
        Ok(copy.clone())
    })?;
    remove_db(&copy);
    figures.push(Figure {
        name: format!("Import 50,000 rows, Confirm → done, {profiles} profiles"),
        peak_mb: peak,
        memory_target_mb: Some(200.0),
        ..Figure::new(ms, Some(3_000.0), result)
    });
    Ok(figures)
}

/// Every hostile file of the import tests, refused by the mapping step's read in a process of
/// its own: time, peak memory, and the refusal (checked against the expected one).
fn hostile_figures(dir: &Path) -> Result<Vec<Figure>, Error> {
    let hostile_dir = dir.join("hostile");
    std::fs::create_dir_all(&hostile_dir)?;
    let mut figures = Vec::new();
    for (case, make, expected) in HOSTILE {
        let file = make(&hostile_dir)?;
        let r = run_child("hostile", None, Some(&file))?;
        let _ = std::fs::remove_file(&file);
        let verdict = if r.result == *expected {
            r.result.clone()
        } else {
            format!("{} (expected {expected}!)", r.result)
        };
        figures.push(Figure {
            name: format!("Hostile file: {case}"),
            peak_mb: r.peak_mb,
            memory_target_mb: Some(200.0),
            ..Figure::new(r.ms, Some(1_000.0), verdict)
        });
    }
    Ok(figures)
}

/// Reading the same file with polars+fastexcel and pandas+openpyxl, timed inside Python, when
/// `PDESK_BENCH_PYTHON` names an interpreter that has them (`cargo xtask bench` sets one up).
/// They are peers of the import: they only read the file, they do not import it.
fn add_python_peers(file: &Path, figures: &mut [Figure]) {
    let Ok(python) = std::env::var("PDESK_BENCH_PYTHON") else {
        eprintln!("(set PDESK_BENCH_PYTHON to measure the polars and pandas peers)");
        return;
    };
    let time = |code: &str| -> Option<f64> {
        let script = format!(
            "import sys, time\nt = time.perf_counter()\n{code}\nprint((time.perf_counter() - t) * 1000)"
        );
        let out = Command::new(&python)
            .arg("-c")
            .arg(&script)
            .arg(file)
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!("peer failed: {}", String::from_utf8_lossy(&out.stderr));
            return None;
        }
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    let median_of = |code: &str| -> Option<f64> {
        let mut runs: Vec<f64> = (0..IMPORT_RUNS).filter_map(|_| time(code)).collect();
        (!runs.is_empty()).then(|| median(&mut runs))
    };
    let polars =
        median_of("import polars as pl\ndf = pl.read_excel(sys.argv[1], engine='calamine')");
    let pandas =
        median_of("import pandas as pd\ndf = pd.read_excel(sys.argv[1], engine='openpyxl')");
    for f in figures.iter_mut() {
        if f.name.ends_with("empty store") && f.name.starts_with("Import 50,000") {
            f.peer_name = Some("polars+fastexcel read".into());
            f.peer_median_ms = polars;
        } else if f.name.starts_with("Import: mapping step") {
            f.peer_name = Some("pandas+openpyxl read".into());
            f.peer_median_ms = pandas;
        }
    }
}

fn print_table(profiles: u64, figures: &[Figure]) {
    println!("Profile Desk benchmark — {profiles} profiles, medians");
    println!(
        "{:<56} {:>10} {:>9} {:>8} {:>6}  {:<22} {:>10} {:>8}  result",
        "what", "median ms", "target", "peak MB", "ok", "peer", "peer ms", "speedup"
    );
    for f in figures {
        let target = f.target_ms.map(|t| format!("≤{t}")).unwrap_or_default();
        let ok = match f.meets_target() {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        let speedup = f
            .peer_median_ms
            .map(|p| format!("{:.1}x", p / f.median_ms.max(1e-6)))
            .unwrap_or_default();
        let peak = f.peak_mb.map(|m| format!("{m:.0}")).unwrap_or_default();
        println!(
            "{:<56} {:>10.3} {:>9} {:>8} {:>6}  {:<22} {:>10} {:>8}  {}",
            f.name,
            f.median_ms,
            target,
            peak,
            ok,
            f.peer_name.clone().unwrap_or_default(),
            f.peer_median_ms
                .map(|p| format!("{p:.3}"))
                .unwrap_or_default(),
            speedup,
            f.result
        );
    }
}

/// Exporting every profile of the store at `db` (displayed: 15 columns; all fields), each run
/// in a child process, median time and peak memory; against Python XlsxWriter in
/// `constant_memory` mode writing the same cells (when `PDESK_BENCH_PYTHON` has it).
fn export_figures(
    db: &std::path::Path,
    dir: &std::path::Path,
    profiles: u64,
) -> Result<Vec<Figure>, Error> {
    const RUNS: usize = 3;
    let mut figures = Vec::new();
    for (what, label) in [
        ("export-displayed", "15 columns, displayed fields"),
        ("export-all", "all 17 fields"),
    ] {
        // The export only reads the store: every run may use the same one.
        let (median, peak, result) = children(RUNS, what, None, || Ok(db.to_path_buf()))?;
        figures.push(Figure {
            name: format!("Export {profiles} rows × {label}"),
            median_ms: median,
            target_ms: Some(25_000.0),
            peak_mb: peak,
            memory_target_mb: Some(100.0),
            peer_name: None,
            peer_median_ms: None,
            result,
        });
    }
    if let Some(peer) = python_xlsxwriter(db, dir)? {
        if let Some(f) = figures.first_mut() {
            f.peer_name = Some("Python XlsxWriter constant_memory".into());
            f.peer_median_ms = Some(peer);
        }
    }
    Ok(figures)
}

/// Python XlsxWriter (constant_memory) writing the displayed-fields export's cells, timed
/// inside Python; `None` without `PDESK_BENCH_PYTHON` or when it lacks xlsxwriter.
fn python_xlsxwriter(db: &std::path::Path, dir: &std::path::Path) -> Result<Option<f64>, Error> {
    let Ok(python) = std::env::var("PDESK_BENCH_PYTHON") else {
        eprintln!("(set PDESK_BENCH_PYTHON to measure the Python XlsxWriter peer)");
        return Ok(None);
    };
    let store = Store::open(db)?;
    let actor = store.actor(None)?;
    let rows = dir.join("export-peer-rows.tsv");
    write_peer_rows(&store, &actor, ExportFields::Displayed, &rows)?;
    drop(store);
    let out_file = dir.join("export-peer.xlsx");
    let out = std::process::Command::new(&python)
        .arg("-c")
        .arg(PYTHON_XLSXWRITER)
        .arg(&rows)
        .arg(&out_file)
        .output()?;
    let _ = std::fs::remove_file(&rows);
    let _ = std::fs::remove_file(&out_file);
    if !out.status.success() {
        eprintln!(
            "XlsxWriter peer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return Ok(None);
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse().ok())
}
