//! `pdesk bench`: builds (or reuses) a store of generated profiles and prints the SPEC 9
//! figures as a table, each next to its target and a peer measured in the same run.

use std::path::PathBuf;

use pdesk_core::benchmark::{list_figures, Figure};
use pdesk_core::model::ListQuery;
use pdesk_core::{Error, Store};

pub fn run(profiles: u64, work_dir: Option<PathBuf>, json: bool) -> Result<(), Error> {
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
    let figures = list_figures(&store, &actor, 21)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&figures).unwrap_or_default()
        );
    } else {
        print_table(profiles, &figures);
    }
    Ok(())
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
