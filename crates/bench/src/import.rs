//! The import figures of SPEC 9. Each import is measured in a process of its own
//! (`pdesk-bench child`), so that its peak memory is its own and every run starts from the
//! same state: the file has been through the mapping step (the preview) and the dry run, each
//! timed on its own, and the figure is Confirm → done: the job reads the file again,
//! validates, normalises, matches and commits every row. The workbook it imports is
//! `pdesk_testkit::files::write_import_workbook`.

use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

use pdesk_core::jobs::{ImportSettings, ImportSource};
use pdesk_core::{Actor, Result, Store};

/// What one `pdesk-bench child` run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportRun {
    /// Confirm → done: queue the previewed file and run the job.
    Import,
    /// The dry run of the previewed file.
    DryRun,
    /// The mapping step itself: guard and row count, header and sample, suggestion (a file
    /// that must be accepted).
    Preview,
}

/// The settings the mapping step suggests for `source`, with no consent change.
pub(crate) fn suggested_settings(
    store: &Store,
    actor: &Actor,
    source: &ImportSource,
) -> Result<ImportSettings> {
    let preview = match source {
        ImportSource::File(p) => store.preview_file(actor, p)?,
        ImportSource::Paste(t) => store.preview_paste(actor, t)?,
    };
    Ok(ImportSettings::new(preview.columns, preview.mapping))
}

/// Runs `what` for `file` against the store at `db`; returns milliseconds and what it did.
pub fn measure_import(db: &Path, file: &Path, what: ImportRun) -> Result<(f64, String)> {
    let mut store = Store::open(db)?;
    let actor = store.actor(None)?;
    let source = ImportSource::File(file.to_path_buf());
    if what == ImportRun::Preview {
        let start = Instant::now();
        let preview = store.preview_file(&actor, file)?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        return Ok((ms, format!("{} rows", preview.total_rows)));
    }
    let settings = suggested_settings(&store, &actor, &source)?;
    if what == ImportRun::Import {
        // As in the app: Confirm is pressed after the wizard's dry run (timed on its own), whose
        // shared values the job takes instead of reading the file for them again.
        store.dry_run(&actor, &source, &settings)?;
    }
    let start = Instant::now();
    let result = match what {
        ImportRun::DryRun => {
            let d = store.dry_run(&actor, &source, &settings)?;
            format!(
                "{} new, {} update, {} in-file dup, {} review, {} invalid",
                d.counts.created,
                d.counts.updated,
                d.counts.duplicates,
                d.counts.reviews,
                d.counts.failed
            )
        }
        _ => {
            let id = store.queue_import(&actor, &source, &settings)?;
            let job = store.run_job(&actor, id, |_| ControlFlow::Continue(()))?;
            // Reviews too: a row whose phone matches a profile of another name waits for a
            // person (the rule's name guard) instead of updating it.
            format!(
                "{} created, {} updated, {} reviews, {} failed",
                job.counts.created, job.counts.updated, job.counts.reviews, job.counts.failed
            )
        }
    };
    Ok((start.elapsed().as_secs_f64() * 1000.0, result))
}

/// A 1,000-row paste (name, phone, e-mail), as copied from a spreadsheet.
pub fn thousand_row_paste() -> String {
    (1..=1_000)
        .map(|i| {
            format!(
                "Khách {i}\t0{}\tk{i}@example.vn\n",
                pdesk_core::demo::unique_mobile_nsn(i)
            )
        })
        .collect()
}

/// The paste figure, on an open store (the app's is open): parse, suggest the mapping, check
/// it and dry-run the rows. Returns milliseconds and the dry run's row count.
pub fn measure_paste(store: &mut Store, text: &str) -> Result<(f64, String)> {
    let actor = store.actor(None)?;
    let source = ImportSource::Paste(text.to_string());
    let start = Instant::now();
    let mut settings = suggested_settings(store, &actor, &source)?;
    // A paste has no header row: the first column's names are sniffed as nothing in
    // particular, so the user picks "Full name" for it, as in the grid.
    if let Some(first) = settings.mapping.first_mut() {
        first.target = Some("full_name".into());
    }
    let d = store.dry_run(&actor, &source, &settings)?;
    Ok((
        start.elapsed().as_secs_f64() * 1000.0,
        format!("{} rows previewed", d.counts.rows),
    ))
}

/// One hostile file through the mapping step's read: milliseconds and the refusal code
/// (`accepted` when it passed).
pub fn measure_hostile(file: &Path) -> (f64, String) {
    let start = Instant::now();
    let result = pdesk_xlsx::preview(file, &pdesk_xlsx::FileLimits::default(), 5);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let code = match result {
        Ok(_) => "accepted".to_string(),
        Err(e) => e.code().to_string(),
    };
    (ms, code)
}

/// The floor under an import's writes: the rows a 50,000-row import wrote into `source` (an
/// imported store: its profiles, phones, e-mails, search index, history, job and job rows)
/// copied into the new empty store `db` by SQLite alone — `INSERT … SELECT` per table, in one
/// transaction, with the store's own pragmas, indexes and triggers. No reading, validating,
/// normalising or matching: what any import into this schema must at least spend.
pub fn measure_write_floor(db: &Path, source: &Path) -> Result<(f64, String)> {
    drop(Store::open(db)?);
    let conn = rusqlite::Connection::open(db)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;
         PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
    )?;
    conn.execute("ATTACH DATABASE ?1 AS src", [source.display().to_string()])?;
    let start = Instant::now();
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         INSERT INTO import_jobs SELECT * FROM src.import_jobs;
         INSERT INTO profiles SELECT * FROM src.profiles ORDER BY id;
         INSERT INTO profile_phones SELECT * FROM src.profile_phones;
         INSERT INTO profile_emails SELECT * FROM src.profile_emails;
         INSERT INTO profile_search(rowid, name_key)
              SELECT id, name_key FROM src.profiles WHERE name_key IS NOT NULL ORDER BY id;
         INSERT INTO profile_history SELECT * FROM src.profile_history;
         INSERT INTO import_job_rows SELECT * FROM src.import_job_rows;
         COMMIT;",
    )?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let rows: i64 = conn.query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?;
    Ok((ms, format!("{rows} profiles with their rows")))
}
