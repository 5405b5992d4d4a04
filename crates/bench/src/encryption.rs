//! The cost of encryption at rest (issue 15, item 9: target ≤ 15 %): the same work on the
//! benchmark's plain store and on an encrypted twin of it (SQLCipher, a random key), measured
//! in the same run and printed side by side with the ratio. Every list and count run opens a
//! new connection, so that the pages it reads are decrypted (or read) again rather than served
//! from a warm page cache, which would hide the cost.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pdesk_core::clock::SystemClock;
use pdesk_core::export::ExportFields;
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::ImportSource;
use pdesk_core::store::{Protection, StoreKey};
use pdesk_core::{Result, Store};

use crate::export::run_export_once;
use crate::figures::{median_ms, Figure};
use crate::import::suggested_settings;

/// The most encryption may add to a figure (issue 15).
const TARGET_RATIO: f64 = 1.15;

/// One workload on both stores.
pub struct Comparison {
    pub what: String,
    pub plain_ms: f64,
    pub encrypted_ms: f64,
    pub result: String,
}

impl Comparison {
    pub fn ratio(&self) -> f64 {
        self.encrypted_ms / self.plain_ms.max(1e-6)
    }

    /// As a figure of the main table: the encrypted time against the plain one as its peer,
    /// with ≤ 1.15 × plain as its target.
    pub fn figure(&self) -> Figure {
        Figure {
            name: format!("Encrypted: {}", self.what),
            median_ms: self.encrypted_ms,
            target_ms: Some((self.plain_ms * TARGET_RATIO * 1000.0).round() / 1000.0),
            peer_name: Some("same, plain store".into()),
            peer_median_ms: Some(self.plain_ms),
            result: self.result.clone(),
            ..Figure::default()
        }
    }
}

fn plain() -> Protection {
    Protection::Plain("the benchmark's plain store".into())
}

fn open(path: &Path, protection: &Protection) -> Result<Store> {
    Store::open_protected(path, Arc::new(SystemClock), protection.clone())
}

fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Import, list, count and export on the plain store `db` (holding `profiles` generated
/// profiles, closed) and on an encrypted copy of it made in `dir`; `file` is the import
/// workbook.
pub fn compare(dir: &Path, db: &Path, file: &Path, profiles: u64) -> Result<Vec<Comparison>> {
    let key = Protection::Encrypted(StoreKey::generate());
    let twin = dir.join(format!("bench-{profiles}-encrypted.db"));
    remove_store(&twin);
    eprintln!("Encrypting a copy of the {profiles}-profile store ...");
    let started = std::time::Instant::now();
    // Folds the WAL into the file first: the copy reads the file alone.
    drop(open(db, &plain())?);
    pdesk_core::backup::encrypted_copy_of(db, &twin, key.key().expect("a key"))?;
    eprintln!("  encrypted in {:.1} s", started.elapsed().as_secs_f64());
    let variants = [(db.to_path_buf(), plain()), (twin.clone(), key.clone())];

    let mut out = Vec::new();
    out.push(both(
        "Import 50,000 rows, Confirm → done, empty store",
        &variants,
        |_, p| import_into_empty(dir, file, p),
    )?);
    out.push(both(
        "List: new connection, first page + page at depth 90%",
        &variants,
        |path, p| median_ms(5, || first_and_deep_page(&open(path, p)?)),
    )?);
    // The app reads through one connection it keeps open (64 MB of page cache): after its
    // first read a page is served decrypted from memory. This is the list as users meet it
    // once the first screen is drawn; the figure above is that first screen.
    out.push(both(
        "List: the app's open connection, same pages again",
        &variants,
        |path, p| {
            let store = open(path, p)?;
            first_and_deep_page(&store)?;
            median_ms(5, || first_and_deep_page(&store))
        },
    )?);
    out.push(both(
        "Filtered count “nguyen”, new connection",
        &variants,
        |path, p| {
            median_ms(5, || {
                let store = open(path, p)?;
                let actor = store.actor(None)?;
                let q = ListQuery {
                    search: "nguyen".into(),
                    ..ListQuery::default()
                };
                let c = store.count_profiles(&actor, &q)?;
                Ok(format!("{} of {}", c.filtered, c.total))
            })
        },
    )?);
    out.push(both(
        "Export every profile, all fields",
        &variants,
        |path, p| {
            let mut store = open(path, p)?;
            let actor = store.actor(None)?;
            median_ms(3, || {
                let (_, rows, bytes) = run_export_once(&mut store, &actor, ExportFields::All)?;
                Ok(format!("{rows} rows, {:.1} MB", bytes as f64 / 1e6))
            })
        },
    )?);
    remove_store(&twin);
    Ok(out)
}

/// What the list does for its first screen and a jump to 90 % of the way down: the count,
/// the first page and the deep page of three columns.
fn first_and_deep_page(store: &Store) -> Result<String> {
    let actor = store.actor(None)?;
    let all = ListQuery::default();
    let total = store.count_profiles(&actor, &all)?.total;
    let cols = vec!["full_name".to_string(), "phones".into(), "city".into()];
    store.list_page(&actor, &all, 0, 100, &cols)?;
    let page = store.list_page(&actor, &all, total * 9 / 10, 100, &cols)?;
    Ok(format!(
        "{} rows at depth {}",
        page.rows.len(),
        total * 9 / 10
    ))
}

/// `measure` on the plain and the encrypted variant.
fn both(
    what: &str,
    variants: &[(PathBuf, Protection); 2],
    mut measure: impl FnMut(&Path, &Protection) -> Result<(f64, String)>,
) -> Result<Comparison> {
    let (plain_ms, result) = measure(&variants[0].0, &variants[0].1)?;
    let (encrypted_ms, _) = measure(&variants[1].0, &variants[1].1)?;
    eprintln!("  {what}: plain {plain_ms:.0} ms, encrypted {encrypted_ms:.0} ms");
    Ok(Comparison {
        what: what.into(),
        plain_ms,
        encrypted_ms,
        result,
    })
}

/// Median of three imports of `file` (Confirm → done), each into a new empty store of the
/// protection `p`.
fn import_into_empty(dir: &Path, file: &Path, p: &Protection) -> Result<(f64, String)> {
    let path = dir.join("bench-encryption-import.db");
    let mut times = Vec::new();
    let mut result = String::new();
    for _ in 0..3 {
        remove_store(&path);
        let mut store = open(&path, p)?;
        let actor = store.actor(None)?;
        let source = ImportSource::File(file.to_path_buf());
        let settings = suggested_settings(&store, &actor, &source)?;
        let start = std::time::Instant::now();
        let id = store.queue_import(&actor, &source, &settings)?;
        let job = store.run_job(&actor, id, |_| ControlFlow::Continue(()))?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        result = format!("{} created", job.counts.created);
        drop(store);
    }
    remove_store(&path);
    Ok((crate::figures::median(&mut times), result))
}

/// The side-by-side table.
pub fn print_comparisons(profiles: u64, comparisons: &[Comparison]) {
    println!();
    println!("Encryption at rest (SQLCipher) — plain and encrypted store of {profiles} profiles, same run");
    println!(
        "{:<56} {:>10} {:>12} {:>7} {:>6}  result",
        "what", "plain ms", "encrypted ms", "cost", "≤15%"
    );
    for c in comparisons {
        println!(
            "{:<56} {:>10.1} {:>12.1} {:>6.1}% {:>6}  {}",
            c.what,
            c.plain_ms,
            c.encrypted_ms,
            (c.ratio() - 1.0) * 100.0,
            if c.ratio() <= TARGET_RATIO {
                "yes"
            } else {
                "NO"
            },
            c.result
        );
    }
}
