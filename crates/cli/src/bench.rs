//! `pdesk bench`: builds (or reuses) a store of generated profiles and prints the SPEC 9
//! figures as a table, each next to its target and a peer measured in the same run.

use std::path::PathBuf;

use pdesk_core::benchmark::{
    import_figures, list_figures, peak_memory_mb, write_import_workbook, Figure,
};
use pdesk_core::benchmark_export::filter_figures;
use pdesk_core::model::ListQuery;
use pdesk_core::{Error, Store};

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
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
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
        let mut imports = import_figures(&file, &dir, Some(&path), 3)?;
        add_python_peers(&file, &mut imports);
        figures.extend(imports);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&figures).unwrap_or_default()
        );
    } else {
        print_table(profiles, &figures);
        if let Some(mb) = peak_memory_mb() {
            println!("Peak resident memory of the whole benchmark process: {mb:.0} MB");
        }
    }
    Ok(())
}

/// Reading the same file with polars+fastexcel and pandas+openpyxl, timed inside Python, when
/// `PDESK_BENCH_PYTHON` names an interpreter that has them (`cargo xtask bench` sets one up).
/// They are peers of the end-to-end import: they only read the file, they do not import it.
fn add_python_peers(file: &std::path::Path, figures: &mut [Figure]) {
    let Ok(python) = std::env::var("PDESK_BENCH_PYTHON") else {
        eprintln!("(set PDESK_BENCH_PYTHON to measure the polars and pandas peers)");
        return;
    };
    let time = |code: &str| -> Option<f64> {
        let script = format!(
            "import sys, time\nt = time.perf_counter()\n{code}\nprint((time.perf_counter() - t) * 1000)"
        );
        let out = std::process::Command::new(&python)
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
    let polars = time("import polars as pl\ndf = pl.read_excel(sys.argv[1], engine='calamine')");
    let pandas = time("import pandas as pd\ndf = pd.read_excel(sys.argv[1], engine='openpyxl')");
    for f in figures.iter_mut() {
        if f.name.starts_with("Import end to end into an empty") {
            f.peer_name = Some("polars+fastexcel read".into());
            f.peer_median_ms = polars;
        } else if f.name.starts_with("Import: read") {
            f.peer_name = Some("pandas+openpyxl read".into());
            f.peer_median_ms = pandas;
        }
    }
}

fn print_table(profiles: u64, figures: &[Figure]) {
    println!("Profile Desk benchmark — {profiles} profiles, medians");
    println!(
        "{:<52} {:>10} {:>9} {:>6}  {:<22} {:>10} {:>8}  result",
        "what", "median ms", "target", "ok", "peer", "peer ms", "speedup"
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
        println!(
            "{:<52} {:>10.3} {:>9} {:>6}  {:<22} {:>10} {:>8}  {}",
            f.name,
            f.median_ms,
            target,
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
