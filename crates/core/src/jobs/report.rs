//! After a job: the failed rows (for the "fix and re-upload" file) and undo.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::row_reason::{self, RowProblem};
use super::{FailedRow, FailedRows, ImportSettings, JobStatus, JobSummary};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::export::{needs_quote_prefix, write_text_cell};
use crate::model::{ConsentStatus, Lang, Source};
use crate::outbox::{self, JobChange, OpBatch};
use crate::profiles::storage::{self, Stamp};
use crate::profiles::writes::Writes;
use crate::profiles::ValidProfile;
use crate::store::Store;
use pdesk_normalize::display::count as thousands;

impl Store {
    /// The failed rows of a job with their original cells and the reason in `lang`, for the
    /// "fix and re-upload" file.
    pub fn failed_rows(&self, actor: &Actor, id: i64, lang: Lang) -> Result<FailedRows> {
        actor.require(Permission::ProfileView)?;
        let settings: String = self
            .conn
            .query_row(
                "SELECT settings FROM import_jobs WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| crate::job_queue::IMPORTS.not_found(id))?;
        let settings: ImportSettings =
            serde_json::from_str(&settings).map_err(|e| Error::Internal(e.to_string()))?;
        let headers = settings
            .columns
            .iter()
            .map(|c| match lang {
                // A made-up name ("Column 3": a paste has no header row) in the reader's words.
                Lang::Vi if c.generated => format!("Cột {}", c.index + 1),
                _ => c.header.clone(),
            })
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT row_number, original, reason, problem FROM import_job_rows
              WHERE job_id = ?1 AND outcome = 'failed' ORDER BY row_number",
        )?;
        let rows = stmt.query_map([id], |r| {
            let original: Option<String> = r.get(1)?;
            let stored: Option<String> = r.get(2)?;
            let problem: Option<String> = r.get(3)?;
            // Rows failed before migration 0027, and redacted rows, keep their stored sentence.
            let reason = match problem.and_then(|p| serde_json::from_str::<RowProblem>(&p).ok()) {
                Some(problem) => problem.text(lang),
                None => row_reason::stored_reason(stored.unwrap_or_default(), lang),
            };
            Ok(FailedRow {
                row: r.get(0)?,
                cells: original
                    .and_then(|o| serde_json::from_str(&o).ok())
                    .unwrap_or_default(),
                reason,
            })
        })?;
        Ok(FailedRows {
            headers,
            rows: rows.collect::<rusqlite::Result<_>>()?,
        })
    }

    /// Undo import (SPEC 4.1, issue 15): profiles the job created are removed and profiles it
    /// updated get their previous values and consent back (consent as new records: its history
    /// is append-only), in one transaction; audited. A profile that changed after the job's
    /// last change to it — edited, merged with others, its consent recorded again, updated by
    /// another import, deleted — is left exactly as it is and listed in the result's `kept`:
    /// undo never reverts a later change.
    pub fn undo_job(&mut self, actor: &Actor, id: i64) -> Result<UndoResult> {
        actor.require(Permission::ProfileImport)?;
        let job = self.job(actor, id)?;
        if !matches!(
            job.status,
            JobStatus::Done | JobStatus::Cancelled | JobStatus::Failed
        ) {
            return Err(Error::conflict(
                "importNotUndoable",
                serde_json::json!({ "id": id, "status": job.status.as_str() }),
                format!(
                    "Import job {id} is {:?}; only a finished job can be undone",
                    job.status
                ),
            ));
        }
        let at = self.now();
        let stamp = Stamp {
            at: &at,
            actor: &actor.name,
        };
        // Rows written before the marks existed (migration 0011) are compared by time: whatever
        // the profile's history or consent got after the job ended is a later change.
        let ended = job
            .finished_at
            .clone()
            .or_else(|| job.started_at.clone())
            .unwrap_or_else(|| job.created_at.clone());
        let consent_source = format!("Undo of import job {id} ({})", job.file_name);
        let tx = self.conn.transaction()?;
        let mut writes = Writes::deferred();
        let rows: Vec<ChangedRow> = tx
            .prepare(&format!(
                "SELECT {} FROM import_job_rows
                  WHERE job_id = ?1 AND outcome IN ('created', 'updated', 'duplicate')
                    AND profile_id IS NOT NULL
                  ORDER BY row_number",
                ChangedRow::COLUMNS
            ))?
            .query_map([id], ChangedRow::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let (mut removed, mut restored) = (0u32, 0u32);
        let mut kept = Vec::new();
        for touched in Touched::by_profile(rows) {
            let profile = touched.profile_id;
            if !profile_exists(&tx, profile)? {
                kept.push(KeptProfile {
                    profile_id: profile,
                    label: format!("Profile #{profile}"),
                    why: KeptWhy::Deleted,
                });
                continue;
            }
            if let Some(why) = touched.changed_since(&tx, &ended)? {
                kept.push(KeptProfile {
                    profile_id: profile,
                    label: crate::profiles::stored_label(&tx, profile)?,
                    why,
                });
                continue;
            }
            let gid = storage::gid_of(&tx, profile)?;
            let change = outbox::job_change(&tx, id, profile, &gid, &ended)?;
            if change == JobChange::Sent {
                kept.push(KeptProfile {
                    profile_id: profile,
                    label: crate::profiles::stored_label(&tx, profile)?,
                    why: KeptWhy::Sent,
                });
                continue;
            }
            // Held: the server never heard of the import's change, so it hears nothing of
            // its undo either.
            let unsent = change == JobChange::Held;
            if unsent {
                outbox::take_back_held(&tx, id, &gid, touched.created)?;
            }
            if touched.created {
                if unsent {
                    storage::delete_synced(&tx, profile, &mut writes)?;
                } else {
                    storage::delete(&tx, profile, &consent_source, stamp.at, &mut writes)?;
                }
                removed += 1;
                continue;
            }
            let mut undone = false;
            if let Some(before) = touched
                .before
                .as_deref()
                .and_then(|b| serde_json::from_str::<ValidProfile>(b).ok())
            {
                let current = storage::load(&tx, profile)?;
                let changes = crate::profiles::diff(&current, &before);
                if !changes.is_empty() {
                    if unsent {
                        storage::update_synced(
                            &tx,
                            profile,
                            &current,
                            &before,
                            &stamp,
                            &mut writes,
                        )?;
                    } else {
                        storage::update(
                            &tx,
                            profile,
                            &current,
                            &before,
                            &Source::Manual,
                            &stamp,
                            &mut writes,
                        )?;
                    }
                    storage::record_history(
                        &tx,
                        profile,
                        &stamp,
                        "undone",
                        &Source::Manual,
                        None,
                        &changes,
                    )?;
                    undone = true;
                }
            }
            if touched.revert_consent(&tx, &stamp, &consent_source, unsent)? > 0 {
                if !undone {
                    tx.execute(
                        "UPDATE profiles SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                        params![profile, stamp.at, stamp.actor],
                    )?;
                }
                storage::record_history(
                    &tx,
                    profile,
                    &stamp,
                    "consent",
                    &Source::Manual,
                    None,
                    &[],
                )?;
                undone = true;
            }
            restored += u32::from(undone);
        }
        tx.execute(
            "UPDATE import_jobs SET status = 'undone' WHERE id = ?1",
            [id],
        )?;
        // Nothing of the job is imported any more: its open merge reviews go with it.
        crate::profiles::review::discard_reviews_of_undone_job(&tx, &at, actor, id)?;
        let kept_ids: Vec<i64> = kept.iter().map(|k| k.profile_id).collect();
        crate::audit::append(
            &tx,
            &at,
            actor,
            "import.undo",
            &format!("job:{id}"),
            serde_json::json!({
                "file": job.file_name,
                "removed": removed,
                "restored": restored,
                "kept": kept_ids.len(),
                "keptIds": kept_ids,
            }),
        )?;
        writes.flush(&tx)?;
        tx.commit()?;
        self.touched();
        let job = self.job(actor, id)?;
        let message = undo_message(&job.file_name, removed, restored, &kept);
        Ok(UndoResult {
            job,
            removed,
            restored,
            kept,
            message,
        })
    }

    /// Writes the failed rows of job `id` as an .xlsx at `out`: the original columns plus a
    /// "Reason" column (its header in `lang`: "Lý do" in Vietnamese), every cell as text (codes
    /// and phones keep their leading zeros), so the user can fix the rows and upload the file
    /// again. Returns how many rows were written. The rows are customers' raw cells: writing
    /// them is an export (`profile.export`), and audited with the job and the row count.
    pub fn write_failed_rows(
        &self,
        actor: &Actor,
        id: i64,
        out: &Path,
        lang: Lang,
    ) -> Result<usize> {
        actor.require(Permission::ProfileExport)?;
        let FailedRows { headers, rows } = self.failed_rows(actor, id, lang)?;
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let xlsx = |e: rust_xlsxwriter::XlsxError| {
            Error::Internal(format!("writing {}: {e}", out.display()))
        };
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx)?;
        let reason_col = headers.len() as u16;
        // The headers were typed by whoever made the file: quoted like the cells below them.
        let quoted_bold = bold.clone().set_quote_prefix();
        for (c, h) in headers.iter().enumerate() {
            let format = if needs_quote_prefix(h) {
                &quoted_bold
            } else {
                &bold
            };
            sheet
                .write_string_with_format(0, c as u16, h, format)
                .map_err(xlsx)?;
        }
        sheet
            .write_string_with_format(0, reason_col, reason_header(lang), &bold)
            .map_err(xlsx)?;
        for (i, failed) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, value) in failed.cells.iter().enumerate().take(headers.len()) {
                write_text_cell(sheet, r, c as u16, value).map_err(xlsx)?;
            }
            write_text_cell(sheet, r, reason_col, &failed.reason).map_err(xlsx)?;
        }
        // Never a half-written workbook under the name the user chose (`files`).
        crate::files::write_then_publish(out, crate::files::hidden_temp(out, ""), |temp| {
            workbook.save(temp).map_err(xlsx)
        })?;
        crate::audit::append(
            &self.conn,
            &self.now(),
            actor,
            "import.failed_rows",
            &format!("job:{id}"),
            serde_json::json!({ "job": id, "rows": rows.len() }),
        )?;
        Ok(rows.len())
    }
}

/// What undoing an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct UndoResult {
    /// The job, now `undone`.
    pub job: JobSummary,
    /// Profiles the job created, removed.
    pub removed: u32,
    /// Profiles the job updated, given their previous values or consent back.
    pub restored: u32,
    /// Profiles that changed after the job (or are gone), left as they are.
    pub kept: Vec<KeptProfile>,
    /// The outcome in one sentence for people ("3 profiles removed, … 2 profiles changed since
    /// the import were kept: …").
    pub message: String,
}

/// A profile the undo left alone because it changed after the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct KeptProfile {
    pub profile_id: i64,
    pub label: String,
    pub why: KeptWhy,
}

/// What happened to a profile after the import, as undo found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum KeptWhy {
    /// Merged with other profiles (a merge review's "merge all" kept it as the survivor).
    Merged,
    /// Edited by hand.
    Edited,
    /// Its consent was recorded again.
    Consent,
    /// Updated again: another import, a merge review's "attach", an earlier undo.
    Updated,
    /// Deleted, or merged into another profile.
    Deleted,
    /// Already sent to the server this store syncs with (after the import's undo window).
    Sent,
}

impl KeptWhy {
    /// How the undo result names it.
    pub fn text(self) -> &'static str {
        match self {
            KeptWhy::Merged => "merged with other profiles since",
            KeptWhy::Edited => "edited since",
            KeptWhy::Consent => "consent changed since",
            KeptWhy::Updated => "updated again since",
            KeptWhy::Deleted => "deleted or merged away since",
            KeptWhy::Sent => "already sent to the server",
        }
    }

    /// The reason a later history entry of this kind gives; the strongest of several wins.
    fn of_history(kinds: &[String]) -> KeptWhy {
        let has = |k: &str| kinds.iter().any(|x| x == k);
        if has("mergedFrom") {
            KeptWhy::Merged
        } else if has("edited") {
            KeptWhy::Edited
        } else if has("consent") {
            KeptWhy::Consent
        } else {
            KeptWhy::Updated
        }
    }
}

/// How many kept profiles the message names before "and N more".
const KEPT_NAMED: usize = 5;

/// The failed-rows file's last header, over each row's reason, in the reader's language.
fn reason_header(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Reason",
        Lang::Vi => "Lý do",
    }
}

/// The undo's outcome in one sentence.
fn undo_message(file: &str, removed: u32, restored: u32, kept: &[KeptProfile]) -> String {
    let n = |count: usize, one: &str, many: &str| {
        format!(
            "{} {}",
            thousands(count as u64),
            if count == 1 { one } else { many }
        )
    };
    let mut out = format!(
        "Undid the import of {file}: {} removed, {} restored.",
        n(removed as usize, "profile", "profiles"),
        n(restored as usize, "profile", "profiles"),
    );
    if !kept.is_empty() {
        let named: Vec<String> = kept
            .iter()
            .take(KEPT_NAMED)
            .map(|k| match k.why {
                KeptWhy::Deleted => format!("#{} ({})", k.profile_id, k.why.text()),
                _ => format!("{} (#{}, {})", k.label, k.profile_id, k.why.text()),
            })
            .collect();
        let since = if kept.iter().any(|k| k.why == KeptWhy::Sent) {
            "changed since the import or already sent to the server"
        } else {
            "changed since the import"
        };
        out.push_str(&format!(
            " {} {since} {} kept: {}",
            n(kept.len(), "profile", "profiles"),
            if kept.len() == 1 { "was" } else { "were" },
            named.join("; ")
        ));
        if kept.len() > KEPT_NAMED {
            out.push_str(&format!(
                " and {} more",
                thousands((kept.len() - KEPT_NAMED) as u64)
            ));
        }
        out.push('.');
    }
    out
}

fn profile_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM profiles WHERE id = ?1")?
        .exists([id])?)
}

/// A row of a job that changed a profile, as undoing the job reads it.
struct ChangedRow {
    /// `created`, `updated` or `duplicate`.
    outcome: String,
    profile_id: i64,
    /// The profile before the row changed it (JSON), when it updated one.
    before: Option<String>,
    /// Where the profile stood after the row (migration 0011; none on older rows).
    history_mark: Option<i64>,
    consent_mark: Option<i64>,
    consent_from: Option<i64>,
}

impl ChangedRow {
    /// The columns of `import_job_rows` [`ChangedRow::from_row`] reads, in its order.
    const COLUMNS: &'static str =
        "outcome, profile_id, before, history_mark, consent_mark, consent_from";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            outcome: r.get(0)?,
            profile_id: r.get(1)?,
            before: r.get(2)?,
            history_mark: r.get(3)?,
            consent_mark: r.get(4)?,
            consent_from: r.get(5)?,
        })
    }
}

/// Everything one job did to one profile: several rows of a file can touch the same profile
/// (in-file duplicates, or rows that matched it); the last one is what the import left.
struct Touched {
    profile_id: i64,
    /// A row of the job created the profile.
    created: bool,
    /// The profile before the job's first change to its values (the earliest row's `before`).
    before: Option<String>,
    /// How many rows of the job touched it: each wrote one history entry.
    rows: i64,
    /// Marks of the first and the last row, when every row has them.
    marks: Option<Marks>,
}

struct Marks {
    first_history: i64,
    last_history: i64,
    last_consent: i64,
    consent_from: i64,
}

impl Touched {
    /// Groups a job's rows (in row order) by profile, in the order the job first touched them.
    fn by_profile(rows: Vec<ChangedRow>) -> Vec<Touched> {
        let mut out: Vec<Touched> = Vec::new();
        let mut index: std::collections::HashMap<i64, usize> = Default::default();
        let mut legacy: std::collections::HashSet<i64> = Default::default();
        for row in rows {
            let marks = match (row.history_mark, row.consent_mark, row.consent_from) {
                (Some(h), Some(c), Some(f)) => Some((h, c, f)),
                _ => None,
            };
            if marks.is_none() {
                legacy.insert(row.profile_id);
            }
            let at = *index.entry(row.profile_id).or_insert_with(|| {
                out.push(Touched {
                    profile_id: row.profile_id,
                    created: false,
                    before: None,
                    rows: 0,
                    marks: marks.map(|(h, _, f)| Marks {
                        first_history: h,
                        last_history: h,
                        last_consent: 0,
                        consent_from: f,
                    }),
                });
                out.len() - 1
            });
            let t = &mut out[at];
            t.created |= row.outcome == "created";
            t.rows += 1;
            if t.before.is_none() {
                t.before = row.before;
            }
            if let (Some(m), Some((h, c, _))) = (t.marks.as_mut(), marks) {
                m.last_history = h;
                m.last_consent = c;
            }
        }
        for t in &mut out {
            if legacy.contains(&t.profile_id) {
                t.marks = None;
            }
        }
        out
    }

    /// Why the profile is not as the job left it, or `None` when nothing happened to it since
    /// (and nothing between the job's own rows either).
    fn changed_since(&self, conn: &Connection, ended: &str) -> Result<Option<KeptWhy>> {
        let id = self.profile_id;
        let kinds = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Vec<String>> {
            Ok(conn
                .prepare_cached(sql)?
                .query_map(p, |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        };
        let Some(m) = &self.marks else {
            let later = kinds(
                "SELECT kind FROM profile_history WHERE profile_id = ?1 AND at > ?2",
                &[&id, &ended],
            )?;
            if !later.is_empty() {
                return Ok(Some(KeptWhy::of_history(&later)));
            }
            let consent: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM consent_records WHERE profile_id = ?1 AND recorded_at > ?2)",
                params![id, ended],
                |r| r.get(0),
            )?;
            return Ok(consent.then_some(KeptWhy::Consent));
        };
        let later = kinds(
            "SELECT kind FROM profile_history WHERE profile_id = ?1 AND id > ?2",
            &[&id, &m.last_history],
        )?;
        if !later.is_empty() {
            return Ok(Some(KeptWhy::of_history(&later)));
        }
        // Between the job's first and last row: only the job's own entries, one per row.
        let between = kinds(
            "SELECT kind FROM profile_history WHERE profile_id = ?1 AND id BETWEEN ?2 AND ?3",
            &[&id, &m.first_history, &m.last_history],
        )?;
        if between.len() as i64 != self.rows {
            let others: Vec<String> = between
                .into_iter()
                .filter(|k| k != "created" && k != "merged")
                .collect();
            return Ok(Some(KeptWhy::of_history(&others)));
        }
        let consent: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM consent_records WHERE profile_id = ?1 AND id > ?2)",
            params![id, m.last_consent],
            |r| r.get(0),
        )?;
        Ok(consent.then_some(KeptWhy::Consent))
    }

    /// Appends, for each channel whose consent the job recorded on the profile, a record giving
    /// it back the status it had before the job (unknown when it had none). Returns how many.
    /// Rows from before migration 0011 cannot tell the job's records apart: nothing is done.
    /// `unsent`: as records the server must not get (the job's own consent ops never left
    /// this computer).
    fn revert_consent(
        &self,
        conn: &Connection,
        stamp: &Stamp,
        source: &str,
        unsent: bool,
    ) -> Result<usize> {
        let Some(m) = &self.marks else {
            return Ok(0);
        };
        let id = self.profile_id;
        let channels: Vec<String> = conn
            .prepare_cached(
                "SELECT DISTINCT channel FROM consent_records
                  WHERE profile_id = ?1 AND id > ?2 AND id <= ?3 ORDER BY channel",
            )?
            .query_map(params![id, m.consent_from, m.last_consent], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let newest = |channel: &str, upto: i64| -> Result<ConsentStatus> {
            let status: Option<String> = conn
                .prepare_cached(
                    "SELECT status FROM consent_records
                      WHERE profile_id = ?1 AND channel = ?2 AND id <= ?3
                      ORDER BY id DESC LIMIT 1",
                )?
                .query_row(params![id, channel, upto], |r| r.get(0))
                .optional()?;
            Ok(status
                .as_deref()
                .and_then(ConsentStatus::parse)
                .unwrap_or(ConsentStatus::Unknown))
        };
        let mut written = 0;
        for channel in channels {
            let previous = newest(&channel, m.consent_from)?;
            if newest(&channel, i64::MAX)? == previous {
                continue;
            }
            if unsent {
                storage::append_consent_unsent(conn, id, &channel, previous, stamp, source)?;
            } else {
                // An undo changes profiles the import did not create: nothing waits in a batch.
                storage::append_consent(
                    conn,
                    &mut OpBatch::immediate(),
                    id,
                    &channel,
                    previous,
                    stamp,
                    source,
                    None,
                )?;
            }
            written += 1;
        }
        Ok(written)
    }
}
