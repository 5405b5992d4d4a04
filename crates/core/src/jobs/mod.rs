//! Import jobs (SPEC 4.1 "Processing", 4.2): confirmed files and pastes become jobs in a
//! persistent queue, processed one after another. Each row is validated, normalised and sent
//! through the synchronization rule; rows are committed in bounded transactions, and each
//! transaction also records the rows it applied and the job's resume point, so a crash leaves
//! either a resumable job or a finished one — never changes without their record.
//!
//! The dry run is the same processing inside a transaction that is rolled back: its counts are
//! exactly what Confirm will do (given no other change in between). Its creates that no later
//! row needs are counted without being written (`rows::DeferredCreates`) — the writes are most
//! of an import's time, and a dry run keeps none.

mod checked;
mod fingerprint;
mod fixes;
mod pipeline;
mod refused;
mod report;
mod row_reason;
mod rows;

pub use fixes::{CellFix, RowFixes, MAX_FIXES, MAX_FIX_CHARS};
pub use report::{KeptProfile, KeptWhy, UndoResult};

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::clock::Clock;
use crate::error::{Error, Result};
pub use crate::job_queue::LEASE;
use crate::job_queue::{JobError, IMPORTS};
use crate::mapping::{ColumnMapping, MappingProblem, SourceColumn};
use crate::model::{ConsentInput, FieldError, MergePolicy, SaveOutcome, Source};
use crate::profiles::storage::Stamp;
use crate::profiles::writes::Writes;
use crate::store::{insert_many, Runner, Store};
use fingerprint::FileFingerprint;
use pdesk_normalize::display::count as thousands;
use pdesk_rule::guards::SharedKey;
use pdesk_rule::{ReviewReason, SharedKeyCounter, SharedKeys};
use pdesk_xlsx::{parse_paste, read_sheet, FileLimits, PasteError};
use pipeline::{process_rows, PrepareOn, RowSource};
pub use refused::{RefusedUpload, REFUSALS_KEPT};
use rows::{count, Prepared, PreparedRow, RowApplier, RowOutcome, RowPreparer};

/// Rows per transaction: big enough to be fast, small enough that a crash loses little work
/// and other writers wait little.
pub const ROWS_PER_TRANSACTION: usize = 5_000;
/// How often a running job reports its progress (and can be cancelled), in rows: a few
/// hundredths of a second of work.
pub const PROGRESS_ROWS: u32 = 1_000;
/// How many invalid rows a dry run lists.
const DRY_RUN_ERRORS: usize = 20;
/// How many rows the dry run's review step lists (failing, or bound for merge review): enough
/// to fix a file's stray rows in place; a file with more wants fixing at its source.
pub const ROWS_TO_CHECK: usize = 200;

/// What the user chose on the mapping and consent steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ImportSettings {
    pub columns: Vec<SourceColumn>,
    pub mapping: Vec<ColumnMapping>,
    /// Consent recorded for every imported profile (channels left out stay unchanged).
    pub consent: ConsentInput,
    pub policy: MergePolicy,
    /// Values the file shares among many people (normalised: E.164, e-mail key, code) that the
    /// user chose to match on anyway; every other shared value is not used to match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub use_shared_keys: Option<Vec<String>>,
    /// A paste whose first row is column names ("Do not paste column names", seed 4.2): the
    /// row names the columns and is not imported. Set from [`ImportPreview::header_row`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub header_row: bool,
    /// Cells the user corrected and rows they left out after the dry run, for this import only.
    #[serde(default, skip_serializing_if = "RowFixes::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<RowFixes>", optional))]
    pub fixes: RowFixes,
}

impl ImportSettings {
    /// Columns mapped as given, no consent recorded, incoming values overwrite, no fixes (what
    /// `pdesk import`, the bench and the tests use; the app's wizard sends every part).
    pub fn new(columns: Vec<SourceColumn>, mapping: Vec<ColumnMapping>) -> Self {
        ImportSettings {
            columns,
            mapping,
            consent: ConsentInput::default(),
            policy: MergePolicy::Overwrite,
            use_shared_keys: None,
            header_row: false,
            fixes: RowFixes::default(),
        }
    }

    /// The settings a preview suggests as they are: its columns and mapping, its header row
    /// left out of a paste that starts with one.
    pub fn suggested(preview: ImportPreview) -> Self {
        ImportSettings {
            header_row: preview.header_row.is_some(),
            ..ImportSettings::new(preview.columns, preview.mapping)
        }
    }
}

/// Where a job's rows come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportSource {
    File(PathBuf),
    Paste(String),
}

impl ImportSource {
    fn name(&self) -> String {
        match self {
            ImportSource::File(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            ImportSource::Paste(_) => Source::PASTED_DATA.to_string(),
        }
    }
}

/// A job's source as the webview sends it: `{ kind: "file", path }` or `{ kind: "paste", text }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ImportSourceArg {
    File { path: String },
    Paste { text: String },
}

impl From<ImportSourceArg> for ImportSource {
    fn from(arg: ImportSourceArg) -> ImportSource {
        match arg {
            ImportSourceArg::File { path } => ImportSource::File(PathBuf::from(path)),
            ImportSourceArg::Paste { text } => ImportSource::Paste(text),
        }
    }
}

/// How many rows the mapping grid samples from a file or paste.
pub const PREVIEW_SAMPLES: usize = 50;

/// What the mapping step shows for a chosen file or paste: its columns with samples, the row
/// count, the suggested mapping and the conditions that mapping fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// The file's name, or "Pasted data".
    pub file_name: String,
    /// The file's path (`None` for a paste).
    pub path: Option<String>,
    pub columns: Vec<SourceColumn>,
    /// Data rows (a file's header row not counted; a paste's blank lines not counted).
    pub total_rows: u32,
    pub mapping: Vec<ColumnMapping>,
    pub problems: Vec<MappingProblem>,
    /// A paste's first row when it is read as column names (it looked like them: see
    /// [`crate::mapping::looks_like_header`]); the columns carry its names and it is not counted
    /// in `total_rows`. `None` for files and for a paste read from its first row.
    pub header_row: Option<Vec<String>>,
}

/// One invalid row, as the dry run and the report list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A row the dry run's review step shows: it would fail, or the synchronization rule would
/// send it to merge review. The user may correct its cells or leave it out ([`RowFixes`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RowToCheck {
    /// Excel row number (files) or line number (pastes).
    pub row: u32,
    /// The row's cells as the import reads them (the user's fixes applied), by source column.
    pub cells: Vec<String>,
    /// Why it would fail, each problem with the column it points at; empty for a review.
    pub problems: Vec<CellProblem>,
    /// Why the rule would leave it to a person, and whom it matched.
    pub review: Option<RowReview>,
    /// The user already corrected one of its cells.
    pub fixed: bool,
}

/// One validation problem of a row and the source column it points at (`None`: the row as a
/// whole, e.g. no identifier at all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct CellProblem {
    pub column: Option<u32>,
    pub error: FieldError,
}

/// Why a row would go to merge review, and the profiles it matched (their names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RowReview {
    pub reason: ReviewReason,
    pub candidates: Vec<String>,
}

/// Counts of what an import does (or did).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ImportCounts {
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    /// Rows that matched an earlier row of the same file and were merged with it.
    pub duplicates: u32,
    pub reviews: u32,
    pub failed: u32,
    /// Rows holding a phone, e-mail or code the file shares among many people (not used).
    #[serde(default)]
    pub shared_key_rows: u32,
    /// Reviews left because the one matching profile's name is another person's.
    #[serde(default)]
    pub name_differs: u32,
    /// Reviews left because merging would pass the limits of phones or e-mails.
    #[serde(default)]
    pub identifier_limit: u32,
    /// Identifier values dropped as blocked (`0000000000`, `n/a`, `test@test.com`).
    #[serde(default)]
    pub blocked_values: u32,
    /// Rows imported with a cell the user corrected after the dry run.
    #[serde(default)]
    pub fixed: u32,
    /// Rows the user left out after the dry run (counted in `rows`, applied nowhere).
    #[serde(default)]
    pub excluded: u32,
}

impl ImportCounts {
    /// The counts as one sentence for the CLI and the e-mail: "300 rows: 290 created, …".
    pub fn summary(&self) -> String {
        let mut summary = format!(
            "{} rows: {} created, {} updated, {} in-file duplicates, {} merge reviews, {} failed",
            thousands(self.rows.into()),
            thousands(self.created.into()),
            thousands(self.updated.into()),
            thousands(self.duplicates.into()),
            thousands(self.reviews.into()),
            thousands(self.failed.into())
        );
        // Only an import whose rows were corrected before Confirm says so.
        if self.fixed + self.excluded > 0 {
            summary.push_str(&format!(
                "; {} fixed before Confirm, {} left out",
                thousands(self.fixed.into()),
                thousands(self.excluded.into())
            ));
        }
        summary
    }

    /// What each guard of the rule did, one sentence per guard that did something
    /// ("42 rows hold a value the file shares among many people: not used for matching").
    pub fn guard_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut say = |n: u32, one: &str, many: &str| {
            if n > 0 {
                let text = if n == 1 { one } else { many };
                lines.push(format!("{} {text}", thousands(n.into())));
            }
        };
        say(
            self.shared_key_rows,
            "row holds a value the file shares among many people: not used for matching",
            "rows hold a value the file shares among many people: not used for matching",
        );
        say(
            self.name_differs,
            "row sent to review: the name is another person's",
            "rows sent to review: the name is another person's",
        );
        say(
            self.identifier_limit,
            "row sent to review: the profile would pass the limit of phones or e-mails",
            "rows sent to review: the profile would pass the limit of phones or e-mails",
        );
        say(
            self.blocked_values,
            "blocked value (such as 0000000000 or n/a) left out",
            "blocked values (such as 0000000000 or n/a) left out",
        );
        lines
    }
}

/// The dry run: the counts Confirm will produce, and the first invalid rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DryRun {
    pub counts: ImportCounts,
    pub first_errors: Vec<RowError>,
    /// The values the file shares among many people, most rows first.
    pub shared_keys: Vec<SharedKey>,
    /// The first [`ROWS_TO_CHECK`] rows that would fail or go to merge review, with their
    /// cells, for the review step before Confirm (`counts` has how many there are in all).
    pub rows_to_check: Vec<RowToCheck>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
    Undone,
}

pdesk_normalize::text_enum!(JobStatus {
    Queued => "queued",
    Running => "running",
    Done => "done",
    Failed => "failed",
    Cancelled => "cancelled",
    Undone => "undone",
} else Failed);

/// A job as the File Upload Connector Report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct JobSummary {
    pub id: i64,
    /// `file` or `paste`.
    pub kind: String,
    pub file_name: String,
    pub status: JobStatus,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub total_rows: u32,
    pub rows_done: u32,
    pub counts: ImportCounts,
    /// Why the job failed (or paused), in English: the CLI's sentence, and the UI's fallback.
    pub error: Option<String>,
    /// The error's IPC code (`conflict`, `importRefused`, `internal`…), for the UI to word it.
    pub error_code: Option<String>,
    /// The error's IPC details (`{ reason, ...params }`, a refused file's details…); `null`
    /// without an error, and for jobs that failed before migration 0026.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub error_details: serde_json::Value,
    /// The values the source shares among many people (not used for matching unless the
    /// person chose to), most rows first; empty before the job runs.
    pub shared_keys: Vec<SharedKey>,
}

/// A row an import could not apply: its original cells and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedRow {
    pub row: u32,
    pub cells: Vec<String>,
    pub reason: String,
}

/// The failed rows of a job under the source's column headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedRows {
    pub headers: Vec<String>,
    pub rows: Vec<FailedRow>,
}

/// Progress of a running job, for the progress bar; returning `Break` from the callback
/// cancels the job after the current transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    pub job_id: i64,
    pub rows_done: u32,
    pub total_rows: u32,
}

impl Store {
    /// The first pass over a source: the phone, e-mail and code values its rows share among
    /// many people (see [`pdesk_rule::SharedKeys`]), less those the user chose to use anyway.
    fn find_shared_keys(
        &self,
        rows: &RowSource,
        preparer: &RowPreparer,
        settings: &ImportSettings,
    ) -> Result<SharedKeys> {
        let mut counter = SharedKeyCounter::default();
        // One thread reads, this one prepares and counts.
        process_rows(rows, preparer, 0, PrepareOn::Caller, |row| {
            if let Prepared::Valid { profile, .. } = &row.prepared {
                counter.add(row.row, profile);
            }
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(counter
            .finish(&self.sync_settings()?.guards)
            .use_anyway(settings.use_shared_keys.as_deref().unwrap_or_default()))
    }
}

/// Calls `f` with every data row of `source` (row number, cells as text), in order; a paste's
/// first row is left out when it is its `header_row` (rows keep their numbers in the paste).
pub(crate) fn for_each_row(
    source: &ImportSource,
    limits: &FileLimits,
    paste_limit: usize,
    header_row: bool,
    mut f: impl FnMut(u32, Vec<String>) -> Result<ControlFlow<()>>,
) -> Result<()> {
    match source {
        ImportSource::Paste(text) => {
            let rows = read_paste(text, paste_limit)?;
            for (i, cells) in rows.into_iter().enumerate().skip(usize::from(header_row)) {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if f(i as u32 + 1, cells)?.is_break() {
                    break;
                }
            }
            Ok(())
        }
        ImportSource::File(path) => {
            let mut header_seen = false;
            let mut failure: Option<Error> = None;
            read_sheet(path, limits, |row, cells| {
                if !header_seen {
                    header_seen = true;
                    return ControlFlow::Continue(());
                }
                match f(row, cells.iter().map(|c| c.to_text()).collect()) {
                    Ok(flow) => flow,
                    Err(e) => {
                        failure = Some(e);
                        ControlFlow::Break(())
                    }
                }
            })?;
            failure.map_or(Ok(()), Err)
        }
    }
}

impl Store {
    fn limits(&self) -> Result<(FileLimits, usize)> {
        let num = |key: &str, default: u64| -> Result<u64> {
            Ok(self
                .setting(key)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(default))
        };
        let limits = FileLimits {
            max_bytes: num("limits.file_bytes", 10 * 1024 * 1024)?,
            max_rows: num("limits.file_rows", 50_000)? as u32,
        };
        Ok((limits, num("limits.paste_rows", 1_000)? as usize))
    }

    /// The two halves of row processing for `settings`: the preparer (validation by the
    /// catalogue, on the reading thread) and the applier (the synchronization rule).
    fn row_workers<'a>(
        &self,
        settings: &'a ImportSettings,
        source: Source,
    ) -> Result<(RowPreparer, RowApplier<'a>)> {
        let sync = self.sync_settings()?;
        Ok((
            RowPreparer::new(self.fields()?, sync.region, sync.guards.clone(), settings),
            RowApplier::new(sync.match_keys, settings, source, sync.guards),
        ))
    }

    /// What a file's shared keys depend on besides the file: the field catalogue, the phone
    /// region, the rule's guards and the job's settings, as one digest. Keys found under the
    /// same basis for the same unchanged source are the same keys.
    fn keys_basis(&self, settings: &ImportSettings) -> Result<String> {
        use sha2::{Digest, Sha256};
        let sync = self.sync_settings()?;
        let basis = serde_json::json!({
            "fields": self.fields()?,
            "region": sync.region.iso,
            "guards": sync.guards,
            "settings": settings,
        });
        let digest = Sha256::digest(basis.to_string().as_bytes());
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Refuses settings the dry run and Confirm cannot use (the core checks again whatever the
    /// UI did): fixes beyond their bounds or for unknown columns, then a mapping that fails
    /// its conditions.
    fn require_valid_settings(&self, settings: &ImportSettings) -> Result<()> {
        settings.fixes.check(&settings.columns)?;
        self.require_valid_mapping(settings)
    }

    fn require_valid_mapping(&self, settings: &ImportSettings) -> Result<()> {
        let problems = self.mapping_problems(&settings.columns, &settings.mapping)?;
        match problems.iter().find(|p| !p.warning) {
            None => Ok(()),
            Some(p) => Err(Error::conflict(
                "mappingUnusable",
                serde_json::json!({
                    "problem": p.code,
                    "column": p.column,
                    "detail": p.message,
                    "params": p.params,
                }),
                format!("The mapping cannot be used: {}", p.message),
            )),
        }
    }

    /// The dry run (SPEC 4.1): what Confirm would do, computed by doing it in a transaction
    /// that is rolled back (its creates that no later row needs not even written).
    pub fn dry_run(
        &mut self,
        actor: &Actor,
        source: &ImportSource,
        settings: &ImportSettings,
    ) -> Result<DryRun> {
        let run = self.dry_run_reading(actor, source, settings);
        match source {
            // The first read of every row: a rule the mapping step's sample did not meet (a
            // cell too large at row 40,000) refuses the file here, and the report lists it as
            // it lists files refused at upload.
            ImportSource::File(path) => {
                let run = self.noting_refusal(actor, path, run)?;
                // Read in full and passed every rule: Confirm need not read it again for its
                // row count (`checked`).
                self.memos.with(|checked: &mut checked::CheckedFiles| {
                    checked.remember(path, run.counts.rows)
                })?;
                Ok(run)
            }
            ImportSource::Paste(_) => run,
        }
    }

    /// [`Store::dry_run`]'s reading and rolled-back applying of every row.
    fn dry_run_reading(
        &mut self,
        actor: &Actor,
        source: &ImportSource,
        settings: &ImportSettings,
    ) -> Result<DryRun> {
        actor.require(Permission::ProfileImport)?;
        self.require_valid_settings(settings)?;
        let (limits, paste_limit) = self.limits()?;
        let (preparer, mut applier) = self.row_workers(settings, Source::Manual)?;
        let at = self.now();
        let stamp = Stamp {
            at: &at,
            actor: &actor.name,
        };
        let rows = RowSource {
            source,
            limits: &limits,
            paste_limit,
            header_row: settings.header_row,
        };
        let shared = self.find_shared_keys(&rows, &preparer, settings)?;
        let shared_list = shared.list();
        applier.set_shared(shared);
        // Its creates that no later row needs are counted, not written (nothing is kept).
        applier.defer_creates();
        let mut counts = ImportCounts::default();
        let mut first_errors = Vec::new();
        let mut rows_to_check = Vec::new();
        let tx = self.conn.transaction()?;
        // Nothing is kept, so neither the search index nor the outbox is written.
        let mut writes = Writes::discarded();
        // Applying writes little here (see `defer_creates`): this thread prepares the rows too.
        process_rows(&rows, &preparer, 0, PrepareOn::Caller, |row| {
            let outcome = applier.apply(&tx, &stamp, &mut writes, row)?;
            count(&mut counts, row, &outcome);
            if let Prepared::Invalid { error, .. } = &row.prepared {
                if first_errors.len() < DRY_RUN_ERRORS {
                    first_errors.push(error.clone());
                }
            }
            if rows_to_check.len() < ROWS_TO_CHECK {
                rows_to_check.extend(to_check(row, &outcome));
            }
            Ok(ControlFlow::Continue(()))
        })?;
        tx.rollback()?;
        let basis = self.keys_basis(settings)?;
        self.memos.with(|memo: &mut checked::DryRunKeys| {
            memo.remember(source, &basis, shared_list.clone())
        })?;
        Ok(DryRun {
            counts,
            first_errors,
            shared_keys: shared_list,
            rows_to_check,
        })
    }

    /// Confirms an import: the job joins the queue (audited). Files are checked by the guard
    /// and pastes by the paste limit now, so a refused source never becomes a job.
    pub fn queue_import(
        &mut self,
        actor: &Actor,
        source: &ImportSource,
        settings: &ImportSettings,
    ) -> Result<i64> {
        actor.require(Permission::ProfileImport)?;
        self.require_valid_settings(settings)?;
        let (limits, paste_limit) = self.limits()?;
        let previewed = match source {
            ImportSource::File(path) => self
                .memos
                .with(|checked: &mut checked::CheckedFiles| checked.rows(path))?,
            ImportSource::Paste(_) => None,
        };
        let total = match previewed {
            Some(rows) => rows,
            None => {
                let mut total = 0u32;
                for_each_row(source, &limits, paste_limit, settings.header_row, |_, _| {
                    total += 1;
                    Ok(ControlFlow::Continue(()))
                })?;
                total
            }
        };
        let (kind, path, text) = match source {
            ImportSource::File(p) => ("file", Some(p.display().to_string()), None),
            ImportSource::Paste(t) => ("paste", None, Some(t.clone())),
        };
        // The file as confirmed: every start of the job checks it is still this one.
        let confirmed = match source {
            ImportSource::File(p) => Some(FileFingerprint::of(p)?),
            ImportSource::Paste(_) => None,
        };
        // The keys the wizard's dry run found for this very source and settings: the job need
        // not read the file once more to find them.
        let basis = self.keys_basis(settings)?;
        let dry_run_keys = self
            .memos
            .with(|memo: &mut checked::DryRunKeys| memo.keys(source, &basis))?;
        let (keys, keys_basis) = match dry_run_keys {
            Some(keys) => (
                Some(serde_json::to_string(&keys).unwrap_or_default()),
                Some(basis),
            ),
            None => (None, None),
        };
        let name = source.name();
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO import_jobs(kind, file_name, file_path, paste_text, settings, status,
                                     created_by, created_at, total_rows, file_size, file_sha256,
                                     shared_keys, shared_keys_basis)
             VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                kind,
                name,
                path,
                text,
                serde_json::to_string(settings).unwrap_or_default(),
                actor.name,
                at,
                total,
                confirmed.as_ref().map(|f| f.size as i64),
                confirmed.as_ref().map(|f| f.sha256.as_str()),
                keys,
                keys_basis,
            ],
        )?;
        let id = tx.last_insert_rowid();
        crate::audit::append(
            &tx,
            &at,
            actor,
            "import.confirm",
            &format!("job:{id}"),
            serde_json::json!({ "file": name, "rows": total, "kind": kind }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Jobs left `running` by a process that is gone (their lease passed) go back to the queue;
    /// they resume after their last committed transaction. Jobs another live process runs (the
    /// app, another `pdesk`) are left alone (`job_queue`, "Claims and leases").
    pub fn recover_interrupted_jobs(&self) -> Result<usize> {
        IMPORTS.requeue_interrupted(&self.conn, self.now_utc())
    }

    /// The oldest job this store may claim: queued, or left running by a process that is gone.
    pub fn next_queued_job(&self) -> Result<Option<i64>> {
        IMPORTS.next_queued(&self.conn, self.now_utc())
    }

    /// Runs (or resumes) job `id` to the end, reporting progress after each transaction.
    /// The callback returning `Break` cancels the job; rows already committed stay applied
    /// and recorded. A source that can no longer be read fails the job with the reason.
    ///
    /// The job is claimed first (`job_queue`, "Claims and leases"): a job another live
    /// process runs is refused with [`Error::Conflict`] naming it, and a run whose job was
    /// taken over meanwhile stops before its next transaction, with the same error.
    pub fn run_job(
        &mut self,
        actor: &Actor,
        id: i64,
        mut progress: impl FnMut(JobProgress) -> ControlFlow<()>,
    ) -> Result<JobSummary> {
        actor.require(Permission::ProfileImport)?;
        let JobRunRow {
            kind,
            file_name: name,
            file_path: path,
            paste_text: text,
            settings,
            status,
            rows_done: resume_at,
            total_rows: total,
            confirmed,
        } = self
            .conn
            .query_row(
                &format!(
                    "SELECT {} FROM import_jobs WHERE id = ?1",
                    JobRunRow::COLUMNS
                ),
                [id],
                JobRunRow::from_row,
            )
            .optional()?
            .ok_or_else(|| IMPORTS.not_found(id))?;
        IMPORTS.ensure_runnable(id, &status)?;
        let settings: ImportSettings = serde_json::from_str(&settings)
            .map_err(|e| Error::Internal(format!("job {id} settings: {e}")))?;
        let (source, job_source) = match (kind.as_str(), path, text) {
            ("file", Some(p), _) => (
                ImportSource::File(PathBuf::from(p)),
                Source::FileImport {
                    file_name: name.clone(),
                    job_id: Some(id),
                },
            ),
            (_, _, Some(t)) => (ImportSource::Paste(t), Source::Paste { job_id: Some(id) }),
            _ => return Err(Error::Internal(format!("job {id} has no source"))),
        };
        IMPORTS.claim(&self.conn, id, self.runner(), self.now_utc())?;
        // Checkpointing the write-ahead log after every transaction copies the pages that each
        // batch touches again and again; one checkpoint at the end copies each page once.
        self.conn.execute_batch("PRAGMA wal_autocheckpoint = 0")?;
        let unchanged = match (&source, &confirmed) {
            (ImportSource::File(path), Some(confirmed)) => confirmed.require_unchanged(path, &name),
            _ => Ok(()),
        };
        let result = unchanged.and_then(|()| {
            self.process_job(
                actor,
                id,
                &source,
                &settings,
                job_source,
                resume_at,
                total,
                &mut progress,
            )
        });
        self.conn
            .execute_batch("PRAGMA wal_autocheckpoint = 1000; PRAGMA wal_checkpoint(PASSIVE);")?;
        let (status, error) = match result {
            Ok(true) => (JobStatus::Done, None),
            Ok(false) => (JobStatus::Cancelled, None),
            // A full or failing disk is not the file's fault: the rows committed before it stay,
            // and the job waits in the queue to resume after them once the disk is fixed.
            Err(e) if e.is_storage_fault() => return Err(self.pause_job(id, e)),
            Err(e) => (JobStatus::Failed, Some(JobError::from(&e))),
        };
        // A run that lost its job finishes nothing: the error says who holds it now.
        IMPORTS.finish(
            &self.conn,
            id,
            self.runner(),
            status.as_str(),
            &self.now(),
            error.as_ref(),
        )?;
        self.touched();
        self.job(actor, id)
    }

    /// Applies the rows after `resume_at`; `Ok(true)` when the source was read to the end,
    /// `Ok(false)` when the progress callback cancelled it (the rows applied so far are
    /// committed with their record first).
    fn process_job(
        &self,
        actor: &Actor,
        id: i64,
        source: &ImportSource,
        settings: &ImportSettings,
        job_source: Source,
        resume_at: u32,
        total: u32,
        progress: &mut impl FnMut(JobProgress) -> ControlFlow<()>,
    ) -> Result<bool> {
        let (limits, paste_limit) = self.limits()?;
        let (preparer, mut applier) = self.row_workers(settings, job_source)?;
        // A value is shared or not by all of the file's rows, so the keys are known before any
        // row is applied: those kept with the job (its dry run's, or its own first run's) when
        // they were found under the same basis, else from a whole read of the file now.
        let rows = RowSource {
            source,
            limits: &limits,
            paste_limit,
            header_row: settings.header_row,
        };
        let basis = self.keys_basis(settings)?;
        let shared = match self.kept_shared_keys(id, &basis)? {
            Some(kept) => kept,
            None => {
                let found = self.find_shared_keys(&rows, &preparer, settings)?;
                self.conn.execute(
                    "UPDATE import_jobs SET shared_keys = ?2, shared_keys_basis = ?4
                      WHERE id = ?1 AND runner = ?3",
                    params![
                        id,
                        serde_json::to_string(&found.list()).unwrap_or_default(),
                        self.runner().as_str(),
                        basis
                    ],
                )?;
                found
            }
        };
        applier.set_shared(shared);
        let conn = &self.conn;
        let mut batch = JobTransaction::begin(conn, &**self.clock(), self.runner(), id)?;
        let mut done = resume_at;
        let mut cancelled = false;
        let outcome = process_rows(&rows, &preparer, resume_at, PrepareOn::Reader, |row| {
            let stamp = Stamp {
                at: &batch.at,
                actor: &actor.name,
            };
            let outcome = applier.apply(conn, &stamp, &mut batch.writes, row)?;
            count(&mut batch.counts, row, &outcome);
            batch.record(job_row(id, row, &outcome)?)?;
            done += 1;
            batch.rows += 1;
            if batch.rows >= ROWS_PER_TRANSACTION {
                batch.commit(done, true)?;
            }
            if (done - resume_at).is_multiple_of(PROGRESS_ROWS) {
                let flow = progress(JobProgress {
                    job_id: id,
                    rows_done: done,
                    total_rows: total,
                });
                if flow.is_break() {
                    cancelled = true;
                    return Ok(ControlFlow::Break(()));
                }
            }
            Ok(ControlFlow::Continue(()))
        });
        match outcome {
            Ok(()) => {
                batch.commit(done, false)?;
                if !cancelled {
                    let _ = progress(JobProgress {
                        job_id: id,
                        rows_done: done,
                        total_rows: total,
                    });
                }
                Ok(!cancelled)
            }
            // Dropping `batch` rolls back the rows after the last resume point.
            Err(e) => Err(e),
        }
    }

    /// The shared keys kept with job `id` if they were found under `basis`.
    fn kept_shared_keys(&self, id: i64, basis: &str) -> Result<Option<SharedKeys>> {
        let kept: Option<(Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT shared_keys, shared_keys_basis FROM import_jobs WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match kept {
            Some((Some(keys), Some(kept_basis))) if kept_basis == basis => {
                serde_json::from_str::<Vec<SharedKey>>(&keys)
                    .ok()
                    .map(SharedKeys::from_list)
            }
            _ => None,
        })
    }

    /// Job `id` stopped on the disk fault `fault`: it goes back to the queue (when the disk still
    /// takes that write; otherwise its lease passes as after a crash) and the answer says what
    /// happened and what to do.
    fn pause_job(&self, id: i64, fault: Error) -> Error {
        self.recover_after_panic();
        let done: u32 = self
            .conn
            .query_row(
                "SELECT rows_done FROM import_jobs WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap_or(0);
        let paused = JobError::internal(
            "jobPausedDiskFault",
            serde_json::json!({ "id": id, "rows": done, "detail": fault.to_string() }),
            format!(
                "Import job {id} stopped after row {done}: the disk is full or failing \
                 ({fault}). The {done} rows before it are saved. Free some disk space (or check \
                 the disk), then run the job again: it goes on after row {done}."
            ),
        );
        let _ = IMPORTS.release(&self.conn, id, self.runner(), &paused);
        self.touched();
        Error::Internal(paused.message)
    }

    /// Fails import job `id`, which this store's worker was on when it stopped on an internal
    /// error, with `what` in its message (see [`crate::job_queue::JobQueue::fail_abandoned`]);
    /// the job as it now is. The rows it committed before stay, as for any failed job.
    pub fn fail_job_after_panic(&self, id: i64, what: &str) -> Result<JobSummary> {
        self.recover_after_panic();
        IMPORTS.fail_abandoned(
            &self.conn,
            id,
            self.runner(),
            &self.now(),
            &crate::job_queue::panic_error("import", what),
        )?;
        let owner = self.job_owner(id)?;
        self.job(&owner, id)
    }

    /// One job.
    pub fn job(&self, actor: &Actor, id: i64) -> Result<JobSummary> {
        actor.require(Permission::ProfileView)?;
        self.jobs_where("WHERE id = ?1", params![id])?
            .pop()
            .ok_or_else(|| IMPORTS.not_found(id))
    }

    /// The user who confirmed job `id`, with their current permissions: the import worker runs
    /// each job as its owner, whoever is signed in when it runs.
    pub fn job_owner(&self, id: i64) -> Result<Actor> {
        let owner = IMPORTS.owner(&self.conn, id)?;
        self.actor(Some(&owner))
    }

    /// Every job, newest first (the File Upload Connector Report).
    pub fn jobs(&self, actor: &Actor) -> Result<Vec<JobSummary>> {
        actor.require(Permission::ProfileView)?;
        self.jobs_where("ORDER BY id DESC", [])
    }

    fn jobs_where(&self, clause: &str, params: impl rusqlite::Params) -> Result<Vec<JobSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM import_jobs {clause}",
            JobSummary::COLUMNS
        ))?;
        let rows = stmt.query_map(params, JobSummary::from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// What running an import job reads of its row: the source, the settings and where to resume.
struct JobRunRow {
    /// `file` or `paste`.
    kind: String,
    file_name: String,
    file_path: Option<String>,
    paste_text: Option<String>,
    /// JSON [`ImportSettings`].
    settings: String,
    status: String,
    rows_done: u32,
    total_rows: u32,
    /// The file as confirmed (file jobs queued since migration 0012).
    confirmed: Option<FileFingerprint>,
}

impl JobRunRow {
    /// The columns of `import_jobs` [`JobRunRow::from_row`] reads, in its order.
    const COLUMNS: &'static str = "kind, file_name, file_path, paste_text, settings, status,
         rows_done, total_rows, file_size, file_sha256";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            kind: r.get(0)?,
            file_name: r.get(1)?,
            file_path: r.get(2)?,
            paste_text: r.get(3)?,
            settings: r.get(4)?,
            status: r.get(5)?,
            rows_done: r.get(6)?,
            total_rows: r.get(7)?,
            confirmed: match (r.get::<_, Option<i64>>(8)?, r.get::<_, Option<String>>(9)?) {
                (Some(size), Some(sha256)) => Some(FileFingerprint {
                    size: size as u64,
                    sha256,
                }),
                _ => None,
            },
        })
    }
}

impl JobSummary {
    /// Why the job failed (or paused) in `lang`, for the e-mail and the OS notification
    /// ([`crate::job_failure`]); `None` without an error.
    pub fn error_in(&self, lang: crate::model::Lang) -> Option<String> {
        crate::job_failure::stored_failure(lang, self.error.as_deref(), &self.error_details)
    }

    /// The columns of `import_jobs` [`JobSummary::from_row`] reads, in its order.
    const COLUMNS: &'static str =
        "id, kind, file_name, status, created_by, created_at, started_at, finished_at,
         total_rows, rows_done, created, updated, duplicates, reviews, failed, error,
         shared_key_rows, name_differs, identifier_limit, blocked_values, shared_keys,
         fixed_rows, excluded_rows, error_code, error_details";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        let status: String = r.get(3)?;
        let rows_done: u32 = r.get(9)?;
        Ok(JobSummary {
            id: r.get(0)?,
            kind: r.get(1)?,
            file_name: r.get(2)?,
            status: JobStatus::parse(&status),
            created_by: r.get(4)?,
            created_at: r.get(5)?,
            started_at: r.get(6)?,
            finished_at: r.get(7)?,
            total_rows: r.get(8)?,
            rows_done,
            counts: ImportCounts {
                rows: rows_done,
                created: r.get(10)?,
                updated: r.get(11)?,
                duplicates: r.get(12)?,
                reviews: r.get(13)?,
                failed: r.get(14)?,
                shared_key_rows: r.get(16)?,
                name_differs: r.get(17)?,
                identifier_limit: r.get(18)?,
                blocked_values: r.get(19)?,
                fixed: r.get(21)?,
                excluded: r.get(22)?,
            },
            error: r.get(15)?,
            error_code: r.get(23)?,
            error_details: crate::job_queue::stored_details(r.get(24)?),
            shared_keys: r
                .get::<_, Option<String>>(20)?
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default(),
        })
    }
}

/// A job's bounded transactions, one open at a time: each commits its profile changes, the
/// record of its rows and the job's resume point and counts together. The search index and
/// the sync ops are written once per transaction, just before the commit (`profiles::writes`). Each
/// renews the job's lease as it opens, inside the transaction: a runner that lost the job
/// writes no row.
struct JobTransaction<'c> {
    conn: &'c Connection,
    /// The store's clock, read as each transaction opens.
    clock: &'c dyn Clock,
    /// Who holds the job: each transaction renews its lease.
    runner: &'c Runner,
    job: i64,
    /// The time stamped on everything the open transaction writes.
    at: String,
    /// Rows applied in the open transaction, and their counts.
    rows: usize,
    counts: ImportCounts,
    /// The open transaction's name changes and sync ops, written just before it commits.
    writes: Writes,
    /// The job's records of the last rows applied ([`job_row`]), written
    /// [`JOB_ROWS_AT_ONCE`] to a statement.
    job_rows: Vec<[Value; 16]>,
    open: bool,
}

impl<'c> JobTransaction<'c> {
    fn begin(
        conn: &'c Connection,
        clock: &'c dyn Clock,
        runner: &'c Runner,
        job: i64,
    ) -> Result<Self> {
        let mut t = JobTransaction {
            conn,
            clock,
            runner,
            job,
            at: String::new(),
            rows: 0,
            counts: ImportCounts::default(),
            writes: Writes::deferred(),
            job_rows: Vec::new(),
            open: false,
        };
        t.open()?;
        Ok(t)
    }

    fn open(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.open = true;
        let now = self.clock.now_utc();
        // Inside the write lock: no other runner can take the job between this check and the
        // commit of the rows that follow.
        IMPORTS.renew(self.conn, self.job, self.runner, now)?;
        self.at = crate::clock::format(now);
        self.rows = 0;
        self.counts = ImportCounts::default();
        Ok(())
    }

    /// Keeps the job's record of a row, written with the next ones.
    fn record(&mut self, job_row: Option<[Value; 16]>) -> Result<()> {
        self.job_rows.extend(job_row);
        if self.job_rows.len() >= JOB_ROWS_AT_ONCE {
            self.write_job_rows()?;
        }
        Ok(())
    }

    fn write_job_rows(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.job_rows);
        insert_many(self.conn, JOB_ROW_INSERT, "", rows)
    }

    /// Commits with `done` as the job's resume point; `reopen` starts the next transaction.
    fn commit(&mut self, done: u32, reopen: bool) -> Result<()> {
        self.writes.flush(self.conn)?;
        self.write_job_rows()?;
        let c = &self.counts;
        self.conn.execute(
            "UPDATE import_jobs SET rows_done = ?2, created = created + ?3, updated = updated + ?4,
                    duplicates = duplicates + ?5, reviews = reviews + ?6, failed = failed + ?7,
                    shared_key_rows = shared_key_rows + ?8, name_differs = name_differs + ?9,
                    identifier_limit = identifier_limit + ?10, blocked_values = blocked_values + ?11,
                    fixed_rows = fixed_rows + ?12, excluded_rows = excluded_rows + ?13
              WHERE id = ?1",
            params![
                self.job,
                done,
                c.created,
                c.updated,
                c.duplicates,
                c.reviews,
                c.failed,
                c.shared_key_rows,
                c.name_differs,
                c.identifier_limit,
                c.blocked_values,
                c.fixed,
                c.excluded
            ],
        )?;
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        if reopen {
            self.open()?;
        }
        Ok(())
    }
}

impl Drop for JobTransaction<'_> {
    /// Whatever stops a job before its commit — an error, a refusal found further on, a panic
    /// unwinding — rolls the open transaction back: the rows after the last resume point go,
    /// so the record and the data agree, and the connection does not keep the write lock.
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The job's records written by one statement: as many as one statement writes, few enough
/// to hold (a transaction's 5,000 held added 5 MB to the import's peak).
const JOB_ROWS_AT_ONCE: usize = 100;

/// The columns of `import_job_rows` a job writes, in the order of [`job_row`]'s values.
const JOB_ROW_INSERT: &str = "INSERT INTO import_job_rows(job_id, row_number, outcome, profile_id,
    matched_by, duplicate_of, review_id, column_name, value, reason, original, before,
    history_mark, consent_mark, consent_from, problem)";

/// The job's record of one applied row (written with its transaction's other rows, just
/// before it commits); none for a row the user left out.
fn job_row(job: i64, row: &PreparedRow, outcome: &RowOutcome) -> Result<Option<[Value; 16]>> {
    let text = |s: &str| Value::Text(s.to_string());
    match (outcome, &row.prepared) {
        // Nothing happened to a row the user left out: the job's count says how many.
        (RowOutcome::Excluded, _) => Ok(None),
        (RowOutcome::Failed, Prepared::Invalid { error: e, problems }) => {
            // Kept as data, so the failed-rows file says it in its reader's language.
            let problem = problems.first().map(|p| row_reason::RowProblem {
                first: p.error.clone(),
                more: problems.len() - 1,
            });
            Ok(Some([
                job.into(),
                row.row.into(),
                text("failed"),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                text(&e.column),
                text(&e.value),
                text(&e.reason),
                serde_json::to_string(&row.cells).unwrap_or_default().into(),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                problem.and_then(|p| serde_json::to_string(&p).ok()).into(),
            ]))
        }
        (RowOutcome::Failed, Prepared::Valid { .. } | Prepared::Excluded) => Err(Error::Internal(
            format!("row {} failed without a reason", row.row),
        )),
        (
            RowOutcome::Applied {
                outcome,
                duplicate_of,
                before,
                marks,
                ..
            },
            _,
        ) => {
            let (kind, profile, matched, review) = match outcome {
                SaveOutcome::Created { profile_id, .. } => {
                    ("created", Some(*profile_id), None, None)
                }
                SaveOutcome::Updated {
                    profile_id,
                    matched_by,
                    ..
                } => (
                    "updated",
                    Some(*profile_id),
                    Some(matched_by.as_str()),
                    None,
                ),
                SaveOutcome::Review { review_id, .. } => ("review", None, None, Some(*review_id)),
            };
            // A row merged into the profile of an earlier row of the same source is an in-file
            // duplicate (it always finds that profile, so it is never a creation).
            let kind = if duplicate_of.is_some() && profile.is_some() {
                "duplicate"
            } else {
                kind
            };
            // Updates keep the profile as it was, for undo; creations need nothing (undo
            // removes the profile).
            let before = before
                .as_ref()
                .map(|b| serde_json::to_string(b).unwrap_or_default());
            Ok(Some([
                job.into(),
                row.row.into(),
                text(kind),
                profile.into(),
                matched.map(text).into(),
                (*duplicate_of).into(),
                review.into(),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                before.into(),
                marks.map(|m| m.history).into(),
                marks.map(|m| m.consent).into(),
                marks.map(|m| m.consent_from).into(),
                Value::Null,
            ]))
        }
    }
}

/// The dry run's review-step entry for `row`, when it would fail or go to merge review.
fn to_check(row: &PreparedRow, outcome: &RowOutcome) -> Option<RowToCheck> {
    let (problems, review) = match (&row.prepared, outcome) {
        (Prepared::Invalid { problems, .. }, _) => (problems.clone(), None),
        (
            _,
            RowOutcome::Applied {
                outcome:
                    SaveOutcome::Review {
                        reason, candidates, ..
                    },
                ..
            },
        ) => (
            Vec::new(),
            Some(RowReview {
                reason: *reason,
                candidates: candidates.iter().map(|c| c.label.clone()).collect(),
            }),
        ),
        _ => return None,
    };
    Some(RowToCheck {
        row: row.row,
        cells: row.cells.clone(),
        problems,
        review,
        fixed: row.fixed == fixes::Fixed::Cells,
    })
}

/// The source columns of a file (headers and samples) for the mapping grid.
pub fn file_columns(
    path: &Path,
    limits: &FileLimits,
    samples: usize,
) -> Result<(Vec<SourceColumn>, u32)> {
    let preview = pdesk_xlsx::preview(path, limits, samples)?;
    let columns = preview
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| SourceColumn {
            index: i as u32,
            header: h.clone(),
            samples: preview
                .rows
                .iter()
                .filter_map(|(_, cells)| cells.get(i).map(|c| c.to_text()))
                .filter(|t| !t.is_empty())
                .collect(),
            generated: false,
        })
        .collect();
    Ok((columns, preview.total_rows))
}

/// The rows of a paste (at most `max_rows`: more is a `limit` refusal naming the count).
pub fn read_paste(text: &str, max_rows: usize) -> Result<Vec<Vec<String>>> {
    parse_paste(text, max_rows).map_err(|e| match &e {
        PasteError::TooManyRows { rows, limit } => Error::limit(
            "pasteTooManyRows",
            serde_json::json!({ "rows": rows, "limit": limit }),
            e.to_string(),
        ),
        PasteError::TooManyColumns { columns, limit } => Error::limit(
            "pasteTooManyColumns",
            serde_json::json!({ "columns": columns, "limit": limit }),
            e.to_string(),
        ),
    })
}

/// The first row of a paste when it looks like column names rather than a customer
/// ([`crate::mapping::looks_like_header`]).
pub fn paste_header(
    rows: &[Vec<String>],
    fields: &[crate::model::FieldDef],
) -> Option<Vec<String>> {
    let first = rows.first()?;
    crate::mapping::looks_like_header(first, fields).then(|| first.clone())
}

/// The source columns of a paste: named by its first row when that is `header` (which then
/// gives no samples and is not counted), "Column 1", "Column 2", ... otherwise.
pub fn paste_columns(
    text: &str,
    max_rows: usize,
    samples: usize,
    header: bool,
) -> Result<(Vec<SourceColumn>, u32)> {
    Ok(columns_of_paste(
        read_paste(text, max_rows)?,
        samples,
        header,
    ))
}

/// [`paste_columns`] of rows already read.
pub fn columns_of_paste(
    mut rows: Vec<Vec<String>>,
    samples: usize,
    header: bool,
) -> (Vec<SourceColumn>, u32) {
    let names = if header && !rows.is_empty() {
        rows.remove(0)
    } else {
        Vec::new()
    };
    let width = rows
        .iter()
        .map(Vec::len)
        .chain([names.len()])
        .max()
        .unwrap_or(0);
    let columns = (0..width)
        .map(|i| {
            let name = names.get(i).map(|n| n.trim()).filter(|n| !n.is_empty());
            SourceColumn {
                index: i as u32,
                generated: name.is_none(),
                header: name.map_or_else(|| format!("Column {}", i + 1), str::to_string),
                samples: rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .filter(|t| !t.is_empty())
                    .take(samples)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let non_empty = rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .count();
    (columns, non_empty as u32)
}

impl Store {
    /// The mapping step for a file: its columns with up to [`PREVIEW_SAMPLES`] sample rows
    /// (the file passes the guard and the store's limits first), the suggested (or remembered)
    /// mapping and its problems.
    pub fn preview_file(&self, actor: &Actor, path: &Path) -> Result<ImportPreview> {
        let limits = self.import_file_limits(actor)?;
        let read = file_columns(path, &limits, PREVIEW_SAMPLES);
        let (columns, total_rows) = self.noting_refusal(actor, path, read)?;
        self.preview_file_columns(actor, path, columns, total_rows)
    }

    /// `read` — what [`file_columns`] read of `path` — as it is; a refusal (too big, not an
    /// .xlsx, several sheets, too many rows, hostile) is first noted for the report
    /// ([`Store::refused_uploads`]).
    pub fn noting_refusal<T>(&self, actor: &Actor, path: &Path, read: Result<T>) -> Result<T> {
        if let Err(Error::ImportRefused(refusal)) = &read {
            self.record_refused_upload(actor, path, refusal)?;
        }
        read
    }

    /// The first step of [`Store::preview_file`] for a caller that reads the file without
    /// holding the store (the app: reading a 50,000-row file takes a second, and the store's
    /// other users should not wait for it): the permission, and the limits the file must meet
    /// (for [`file_columns`]).
    pub fn import_file_limits(&self, actor: &Actor) -> Result<FileLimits> {
        actor.require(Permission::ProfileImport)?;
        Ok(self.limits()?.0)
    }

    /// The last step of [`Store::preview_file`]: the columns [`file_columns`] read from `path`
    /// (with up to [`PREVIEW_SAMPLES`] samples) and their mapping.
    pub fn preview_file_columns(
        &self,
        actor: &Actor,
        path: &Path,
        columns: Vec<SourceColumn>,
        total_rows: u32,
    ) -> Result<ImportPreview> {
        actor.require(Permission::ProfileImport)?;
        self.preview(
            actor,
            ImportSource::File(path.to_path_buf()).name(),
            Some(path.display().to_string()),
            columns,
            total_rows,
        )
    }

    /// The mapping step for a paste (refused over the paste limit). A first row that looks
    /// like column names ("Họ và tên", "SĐT": see [`crate::mapping::looks_like_header`]) names
    /// the columns and is not imported (`header_row`); otherwise the columns are "Column 1", ...
    pub fn preview_paste(&self, actor: &Actor, text: &str) -> Result<ImportPreview> {
        actor.require(Permission::ProfileImport)?;
        let (_, paste_limit) = self.limits()?;
        let rows = read_paste(text, paste_limit)?;
        let header = paste_header(&rows, &self.fields()?);
        self.paste_preview(actor, rows, header)
    }

    /// The mapping step for a paste whose first row is data, as the user said after
    /// [`Store::preview_paste`] took it for column names.
    pub fn preview_paste_from_first_row(&self, actor: &Actor, text: &str) -> Result<ImportPreview> {
        actor.require(Permission::ProfileImport)?;
        let (_, paste_limit) = self.limits()?;
        self.paste_preview(actor, read_paste(text, paste_limit)?, None)
    }

    /// The mapping step of the paste's `rows`, the first of them the `header_row` if given.
    fn paste_preview(
        &self,
        actor: &Actor,
        rows: Vec<Vec<String>>,
        header_row: Option<Vec<String>>,
    ) -> Result<ImportPreview> {
        let (columns, total_rows) = columns_of_paste(rows, PREVIEW_SAMPLES, header_row.is_some());
        let mut preview = self.preview(
            actor,
            Source::PASTED_DATA.to_string(),
            None,
            columns,
            total_rows,
        )?;
        preview.header_row = header_row;
        Ok(preview)
    }

    fn preview(
        &self,
        actor: &Actor,
        file_name: String,
        path: Option<String>,
        columns: Vec<SourceColumn>,
        total_rows: u32,
    ) -> Result<ImportPreview> {
        let mapping = self.suggest_mapping(actor, &columns)?;
        let problems = self.mapping_problems(&columns, &mapping)?;
        Ok(ImportPreview {
            file_name,
            path,
            columns,
            total_rows,
            mapping,
            problems,
            header_row: None,
        })
    }

    /// "Split sheets" (SPEC 4.1): writes one workbook per sheet with data next to `path`, under
    /// the store's file limits, and returns their paths (empty when the file has one sheet).
    pub fn split_import_file(&self, actor: &Actor, path: &Path) -> Result<Vec<PathBuf>> {
        actor.require(Permission::ProfileImport)?;
        let (limits, _) = self.limits()?;
        Ok(pdesk_xlsx::split_sheets(path, &limits)?)
    }

    /// Cancels job `id`: a queued job is cancelled at once (audited) and never runs; a running
    /// job is returned still `running` — its runner stops it after the current transaction
    /// (the caller signals it). Finished jobs cannot be cancelled.
    pub fn cancel_job(&mut self, actor: &Actor, id: i64) -> Result<JobSummary> {
        actor.require(Permission::ProfileImport)?;
        let job = self.job(actor, id)?;
        match job.status {
            JobStatus::Queued => {
                let at = self.now();
                let tx = self.conn.transaction()?;
                if IMPORTS.cancel_queued(&tx, id, &at)? {
                    crate::audit::append(
                        &tx,
                        &at,
                        actor,
                        "import.cancel",
                        &format!("job:{id}"),
                        serde_json::json!({ "file": job.file_name }),
                    )?;
                }
                tx.commit()?;
                self.touched();
                self.job(actor, id)
            }
            JobStatus::Running => Ok(job),
            other => Err(Error::conflict(
                "importNotCancellable",
                serde_json::json!({ "id": id, "status": other.as_str() }),
                format!(
                    "Import job {id} is {}; only queued or running jobs can be cancelled",
                    other.as_str()
                ),
            )),
        }
    }
}
