//! `pdesk import`, `paste`, `jobs`, `report` and `undo` (SPEC 10): the import pipeline of the
//! app, headless. Files are guarded, mapped automatically (the app's suggestion, including the
//! remembered mapping), checked, dry-run or queued and processed as jobs.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use pdesk_core::jobs::{
    columns_of_paste, paste_header, read_paste, CellFix, ImportCounts, ImportSettings,
    ImportSource, JobStatus, RowFixes,
};
use pdesk_core::mail::OsKeychain;
use pdesk_core::mapping::{ColumnMapping, SourceColumn, SuggestionReason};
use pdesk_core::model::{ConsentInput, ConsentStatus, Lang, MergePolicy, SharedKey};
use pdesk_core::{Actor, Error, Store};
use serde_json::json;

/// Options shared by `import` and `paste`.
#[derive(clap::Args)]
pub struct ImportOptions {
    /// Count what would happen without changing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Only fill empty fields of matching profiles (default: overwrite).
    #[arg(long)]
    pub fill_empty_only: bool,
    /// Consent to record for every imported profile, e.g. --consent email=granted.
    #[arg(long = "consent", value_name = "CHANNEL=granted|denied")]
    pub consent: Vec<String>,
    /// Match on a value the file shares among many rows anyway (its normalised form, as the
    /// dry run's sharedKeys list gives it, e.g. +842838234567).
    #[arg(long = "use-shared-key", value_name = "VALUE")]
    pub use_shared_key: Vec<String>,
    /// Import a cell with another value than the source's, for this import only (the file is
    /// not written): the row as the dry run lists it, the column by its header or its number
    /// (1 = the first), e.g. --fix "3,SĐT=0903 456 789".
    #[arg(long = "fix", value_name = "ROW,COLUMN=VALUE")]
    pub fix: Vec<String>,
    /// Leave a row out of this import (its number as the dry run lists it).
    #[arg(long = "exclude-row", value_name = "ROW")]
    pub exclude_row: Vec<u32>,
}

/// `--fix` and `--exclude-row` as the import's fixes; a column is named by its header or number.
fn fixes(opts: &ImportOptions, columns: &[SourceColumn]) -> Result<RowFixes, Error> {
    let mut cells = Vec::new();
    for fix in &opts.fix {
        let refuse = || {
            Error::conflict(
                "badFixArgument",
                json!({ "given": fix }),
                format!("--fix takes ROW,COLUMN=VALUE (e.g. \"3,SĐT=0903 456 789\"), not “{fix}”"),
            )
        };
        let (at, value) = fix.split_once('=').ok_or_else(refuse)?;
        let (row, column) = at.split_once(',').ok_or_else(refuse)?;
        let row: u32 = row.trim().parse().map_err(|_| refuse())?;
        let column = column.trim();
        let index = columns
            .iter()
            .find(|c| c.header.trim() == column)
            .map(|c| c.index)
            .or_else(|| {
                column
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(|n| n - 1)
            })
            .ok_or_else(|| {
                Error::conflict(
                    "fixNoSuchColumn",
                    json!({ "given": fix, "column": column }),
                    format!(
                        "--fix “{fix}”: the source has no column “{column}” (give its header or \
                         its number)"
                    ),
                )
            })?;
        cells.push(CellFix {
            row,
            column: index,
            value: value.to_string(),
        });
    }
    Ok(RowFixes {
        cells,
        excluded: opts.exclude_row.clone(),
    })
}

fn consent(pairs: &[String]) -> Result<ConsentInput, Error> {
    let mut out = ConsentInput::default();
    for pair in pairs {
        let (channel, status) = pair.split_once('=').ok_or_else(|| {
            Error::conflict(
                "badConsentArgument",
                json!({ "given": pair }),
                format!("--consent takes CHANNEL=granted|denied, not “{pair}”"),
            )
        })?;
        let status = match status {
            "granted" => ConsentStatus::Granted,
            "denied" => ConsentStatus::Denied,
            other => {
                return Err(Error::conflict(
                    "badConsentStatus",
                    json!({ "given": other }),
                    format!("Consent can be granted or denied, not “{other}”"),
                ))
            }
        };
        out.channels.insert(channel.trim().to_string(), status);
    }
    Ok(out)
}

fn counts_json(c: &ImportCounts, shared: &[SharedKey]) -> serde_json::Value {
    json!({
        "rows": c.rows, "created": c.created, "updated": c.updated,
        "inFileDuplicates": c.duplicates, "reviews": c.reviews, "failed": c.failed,
        "fixed": c.fixed, "excluded": c.excluded,
        "guards": {
            "sharedKeyRows": c.shared_key_rows, "nameDiffers": c.name_differs,
            "identifierLimit": c.identifier_limit, "blockedValues": c.blocked_values,
        },
        "sharedKeys": shared,
    })
}

/// The counts, then what each guard did and the shared values, indented under them.
fn print_counts(head: &str, c: &ImportCounts, shared: &[SharedKey]) {
    println!("{head} — {}", c.summary());
    for line in c.guard_lines() {
        println!("  {line}");
    }
    for k in shared {
        let what = if k.used_anyway {
            "used for matching (--use-shared-key)"
        } else {
            "not used for matching"
        };
        println!("  shared {}: {} — {what}", k.key.as_str(), k.sentence());
    }
}

/// Runs one source end to end; `Ok(json)` on success, `Err` when a rule refused it.
fn import_one(
    store: &mut Store,
    actor: &Actor,
    source: &ImportSource,
    mut settings: ImportSettings,
    opts: &ImportOptions,
    json: bool,
    name: &str,
) -> Result<serde_json::Value, Error> {
    let problems = store.check_mapping(actor, &settings.columns, &settings.mapping)?;
    if let Some(p) = problems.iter().find(|p| !p.warning) {
        return Err(Error::conflict(
            "mappingUnusable",
            json!({ "problem": p.code, "column": p.column, "detail": p.message, "params": p.params }),
            format!("{name}: the mapping cannot be used: {}", p.message),
        ));
    }
    for p in problems.iter().filter(|p| p.warning) {
        eprintln!("{name}: warning: {}", p.message);
    }
    if !opts.use_shared_key.is_empty() {
        settings.use_shared_keys = Some(opts.use_shared_key.clone());
    }
    settings.consent = consent(&opts.consent)?;
    settings.fixes = fixes(opts, &settings.columns)?;
    settings.policy = if opts.fill_empty_only {
        MergePolicy::FillEmptyOnly
    } else {
        MergePolicy::Overwrite
    };
    if opts.dry_run {
        let dry = store.dry_run(actor, source, &settings)?;
        if !json {
            print_counts(&format!("{name} (dry run)"), &dry.counts, &dry.shared_keys);
            for e in &dry.first_errors {
                println!("  row {}: {} {} — {}", e.row, e.column, e.value, e.reason);
            }
        }
        let mut out = counts_json(&dry.counts, &dry.shared_keys);
        out["status"] = json!("dryRun");
        out["firstErrors"] = serde_json::to_value(&dry.first_errors).unwrap_or_default();
        out["rowsToCheck"] = serde_json::to_value(&dry.rows_to_check).unwrap_or_default();
        return Ok(out);
    }
    let id = store.queue_import(actor, source, &settings)?;
    store.remember_mapping(actor, &settings.columns, &settings.mapping)?;
    let job = store.run_job(actor, id, |p| {
        if !json {
            eprint!("\r{name}: {} / {} rows", p.rows_done, p.total_rows);
        }
        ControlFlow::Continue(())
    })?;
    // Like the app: the result e-mail to the user who ran the import, or why it was not sent;
    // it never fails the import.
    let keychain = OsKeychain::new(pdesk_core::store::app_identifier(false));
    let mail = store.send_import_mail(&job, &keychain);
    if !json {
        eprintln!();
        print_counts(
            &format!("{name}: job {} {:?}", job.id, job.status),
            &job.counts,
            &job.shared_keys,
        );
        println!("  {}", crate::export_cmd::mail_line(&mail));
    }
    let mut out = counts_json(&job.counts, &job.shared_keys);
    out["status"] = serde_json::to_value(job.status).unwrap_or_default();
    out["job"] = json!(job.id);
    out["mail"] = serde_json::to_value(&mail).unwrap_or_default();
    Ok(out)
}

/// `pdesk import FILE...`: each file on its own; a refused file does not stop the others.
/// Returns whether every file was accepted.
pub fn import_files(
    store: &mut Store,
    actor: &Actor,
    files: &[PathBuf],
    opts: &ImportOptions,
    json: bool,
) -> Result<bool, Error> {
    store.recover_interrupted_jobs()?;
    let mut results = Vec::new();
    let mut all_ok = true;
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The mapping step's read: the store's limits, every rule, the suggested mapping.
        let outcome = store.preview_file(actor, path).and_then(|preview| {
            let settings = ImportSettings::suggested(preview);
            import_one(
                store,
                actor,
                &ImportSource::File(path.clone()),
                settings,
                opts,
                json,
                &name,
            )
        });
        match outcome {
            Ok(mut v) => {
                v["file"] = json!(name);
                results.push(v);
            }
            Err(e) if e.is_refusal() => {
                all_ok = false;
                if !json {
                    eprintln!("pdesk: {e}");
                }
                results.push(json!({ "file": name, "status": "refused", "reason": e.to_string(), "code": e.code() }));
            }
            Err(e) => return Err(e),
        }
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&results).unwrap_or_default()
        );
    }
    Ok(all_ok)
}

/// `pdesk paste --clipboard`: the OS clipboard's text, read as the app's `read_clipboard`
/// command reads it (`arboard`, for a user who may import: customers copied from a spreadsheet
/// are personal data), with the app's sentences when it holds no text or cannot be read.
pub fn read_clipboard(actor: &Actor) -> Result<String, Error> {
    actor.require(pdesk_core::Permission::ProfileImport)?;
    let unreadable = |e: arboard::Error| {
        Error::conflict(
            "clipboardUnreadable",
            json!({ "detail": e.to_string() }),
            format!("The clipboard cannot be read: {e}"),
        )
    };
    let mut clipboard = arboard::Clipboard::new().map_err(unreadable)?;
    match clipboard.get_text() {
        Ok(text) if !text.trim().is_empty() => Ok(text),
        Ok(_) | Err(arboard::Error::ContentNotAvailable) => Err(Error::conflict(
            "clipboardEmpty",
            serde_json::Value::Null,
            "The clipboard holds no text. Copy the rows in Excel or Google Sheets, then paste \
             again.",
        )),
        Err(e) => Err(unreadable(e)),
    }
}

/// What the first row of a paste is, as the user said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstRow {
    /// Column names: not imported.
    Header,
    /// A customer.
    Data,
}

/// `pdesk paste`: tab-separated rows mapped by `columns` (one field key per position; `-`
/// skips a column). A first row that looks like column names is refused unless `first_row`
/// says what it is: a profile named "Họ và tên" is what the seed warns about.
pub fn paste(
    store: &mut Store,
    actor: &Actor,
    text: String,
    columns: &[String],
    first_row: Option<FirstRow>,
    opts: &ImportOptions,
    json: bool,
) -> Result<(), Error> {
    store.recover_interrupted_jobs()?;
    let rows = read_paste(&text, usize::MAX)?;
    let header_row = match first_row {
        Some(said) => said == FirstRow::Header,
        None => {
            if let Some(first) = paste_header(&rows, &store.fields()?) {
                let names: Vec<String> = first
                    .iter()
                    .filter(|c| !c.trim().is_empty())
                    .take(4)
                    .map(|c| format!("“{}”", c.trim()))
                    .collect();
                return Err(Error::conflict(
                    "pasteHeaderRow",
                    json!({ "names": names }),
                    format!(
                        "The first row looks like column names ({}), not a customer: pass \
                         --header-row to leave it out, or --first-row-is-data to import it",
                        names.join(", ")
                    ),
                ));
            }
            false
        }
    };
    let (source_columns, _) = columns_of_paste(rows, 50, header_row);
    let mapping = source_columns
        .iter()
        .map(|c| {
            let target = columns
                .get(c.index as usize)
                .filter(|t| t.as_str() != "-")
                .cloned();
            ColumnMapping {
                column: c.index,
                target,
                reason: SuggestionReason::NoMatch,
            }
        })
        .collect();
    let settings = ImportSettings {
        header_row,
        ..ImportSettings::new(source_columns, mapping)
    };
    let out = import_one(
        store,
        actor,
        &ImportSource::Paste(text),
        settings,
        opts,
        json,
        "Pasted data",
    )?;
    if json {
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    }
    Ok(())
}

/// `pdesk jobs`: the File Upload Connector Report.
/// `pdesk jobs --run`: jobs whose process is gone go back to the queue, then every queued job
/// runs to the end as the user who confirmed it (as the app's import worker does). Jobs another
/// live process runs (the app open on the same store, another `pdesk`) are not touched: the
/// store's claim refuses them, and a job another process claims first is skipped.
pub fn run_queued(store: &mut Store, json: bool) -> Result<(), Error> {
    store.recover_interrupted_jobs()?;
    while let Some(id) = store.next_queued_job()? {
        let owner = store.job_owner(id)?;
        let job = match store.run_job(&owner, id, |p| {
            if !json {
                eprint!("\rjob {id}: {} / {} rows", p.rows_done, p.total_rows);
            }
            ControlFlow::Continue(())
        }) {
            Ok(job) => job,
            // Claimed by another process between the look at the queue and the claim (or taken
            // over while this one was paused): it is theirs.
            Err(e @ Error::Conflict(_)) if store.job(&owner, id)?.status == JobStatus::Running => {
                eprintln!("pdesk: skipped: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        if !json {
            eprintln!();
            print_counts(
                &format!("job {id} {:?}", job.status),
                &job.counts,
                &job.shared_keys,
            );
        }
    }
    Ok(())
}

pub fn jobs(store: &Store, actor: &Actor, json: bool) -> Result<(), Error> {
    let jobs = store.jobs(actor)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&jobs).unwrap_or_default()
        );
        return Ok(());
    }
    println!(
        "{:>5}  {:<10} {:<30} {:<12} {:<24} result",
        "job", "status", "file", "by", "started"
    );
    for j in jobs {
        println!(
            "{:>5}  {:<10} {:<30} {:<12} {:<24} {}",
            j.id,
            format!("{:?}", j.status).to_lowercase(),
            j.file_name,
            j.created_by,
            j.started_at.unwrap_or_default(),
            j.counts.summary()
        );
    }
    let refused = store.refused_uploads(actor)?.len();
    if refused > 0 {
        println!(
            "{refused} file(s) refused at upload are not jobs: `pdesk jobs --refused` lists them"
        );
    }
    Ok(())
}

/// `pdesk jobs --refused`: the files refused at upload, newest first, with why, who and when.
pub fn refused_uploads(store: &Store, actor: &Actor, json: bool) -> Result<(), Error> {
    let refused = store.refused_uploads(actor)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&refused).unwrap_or_default()
        );
        return Ok(());
    }
    println!("{:<24} {:<12} {:<30} why", "refused at", "by", "file");
    for r in refused {
        println!(
            "{:<24} {:<12} {:<30} {}",
            r.refused_at, r.refused_by, r.file_name, r.reason
        );
    }
    Ok(())
}

/// `pdesk report JOB_ID [--failed-rows OUT.xlsx]`.
pub fn report(
    store: &Store,
    actor: &Actor,
    id: i64,
    failed_rows: Option<&Path>,
    json: bool,
) -> Result<(), Error> {
    let job = store.job(actor, id)?;
    let written = match failed_rows {
        // The CLI speaks English, whatever the user chose in the app.
        Some(out) => Some(store.write_failed_rows(actor, id, out, Lang::En)?),
        None => None,
    };
    if json {
        let mut v = serde_json::to_value(&job).unwrap_or_default();
        v["failedRowsWritten"] = json!(written);
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(());
    }
    print_counts(
        &format!(
            "Job {} — {} ({:?}) by {}",
            job.id, job.file_name, job.status, job.created_by
        ),
        &job.counts,
        &job.shared_keys,
    );
    if let Some(e) = &job.error {
        println!("  error: {e}");
    }
    if let (Some(n), Some(out)) = (written, failed_rows) {
        println!("  {n} failed rows written to {}", out.display());
    }
    Ok(())
}

/// `pdesk undo JOB_ID`.
pub fn undo(store: &mut Store, actor: &Actor, id: i64, json: bool) -> Result<(), Error> {
    let undone = store.undo_job(actor, id)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&undone).unwrap_or_default()
        );
    } else {
        println!("Job {} ({}) undone", undone.job.id, undone.job.file_name);
        println!("  {}", undone.message);
        for k in &undone.kept {
            println!("  kept #{}: {} — {}", k.profile_id, k.label, k.why.text());
        }
    }
    Ok(())
}
