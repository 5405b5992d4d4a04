//! Merge review (SPEC 6): incoming data — a create form, an import row, a paste row — that
//! matched two or more different existing profiles is not merged automatically; the
//! synchronization rule ([`super::apply_incoming`]) writes a `merge_reviews` row instead, and a
//! person decides here, in one transaction per decision:
//!
//! - **attach** the incoming data to one candidate: the rule's own merge ([`super::merge`]) with
//!   the merge policy the import used, the key that matched recorded in the history;
//! - **merge all into one**: the chosen candidate survives and absorbs the incoming data and the
//!   other candidates ([`super::merge_all`]: lists unioned, empty fields filled, the survivor's
//!   values kept unless the user picks another value per field); the others' links, consent
//!   history and profile history move to the survivor, what they held that the survivor does not
//!   keep is written in the survivor's history, then they are removed, each with an audit entry
//!   carrying a masked label (as deletion does);
//! - **create new**: a profile from the incoming data, ignoring the matches — the documented
//!   exception to "every creation goes through the synchronization rule" (a person has decided
//!   against the rule's matches);
//! - **dismiss**: the incoming data is discarded (also what undoing the import job does to its
//!   open reviews).
//!
//! Candidates are read as they are *now*: a candidate deleted since is shown as gone and cannot
//! be chosen, one merged away by another review is replaced by its survivor, a profile that
//! matches the incoming data now but did not then joins as a new candidate. The detail carries
//! a version of the candidates; a decision taken on an older version is refused, so nobody
//! decides on values they have not seen. Once resolved, a review keeps only its decision, the
//! profile ids and masked labels: the incoming values are not kept twice.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use super::delete::{link_counts, LINKS};
use super::mask::{mask_email, mask_name, mask_phone, masked_label};
use super::search_index::SearchIndex;
use super::storage::{self, Stamp};
use super::{current_consent, find_matches, merge, merge_all, not_kept, record_consent};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::{
    ConsentInput, ConsentStatus, FieldDef, FieldError, FieldKind, MatchCandidate, MatchKey,
    MergePolicy, ProfileId, Source,
};
use crate::store::Store;
use pdesk_rule::validate::{ValidProfile, MAX_LIST_VALUES};

/// How many reviews one list answer holds at most (the counts say how many match).
pub const REVIEW_LIST_LIMIT: u32 = 200;
/// Resolved reviews stay in the "recently resolved" list this many days.
pub const RECENT_DAYS: i64 = 30;

/// Open: waiting for a decision. Resolved: decided (see [`ReviewOutcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ReviewStatus {
    Open,
    Resolved,
}

/// The decisions a review can be resolved with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ReviewAction {
    Attach,
    MergeAll,
    CreateNew,
    Dismiss,
}

pdesk_normalize::text_enum!(ReviewAction {
    Attach => "attach",
    MergeAll => "mergeAll",
    CreateNew => "createNew",
    Dismiss => "dismiss",
});

/// Which reviews to list: open ones (oldest first, the work queue) or those resolved in the
/// last [`RECENT_DAYS`] days (newest first); optionally only those of one import job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewQuery {
    pub status: ReviewStatus,
    #[serde(default)]
    pub job_id: Option<i64>,
}

/// A candidate as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewCandidate {
    pub profile_id: ProfileId,
    /// The profile's current label; masked when the profile is gone.
    pub label: String,
    pub matched_by: MatchKey,
    /// Deleted since the review was created.
    pub gone: bool,
}

/// How a review was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewOutcome {
    pub action: ReviewAction,
    /// The profile the data went to (attach, merge, create).
    pub profile_id: Option<ProfileId>,
    /// The profiles merged away (merge all).
    pub removed: Vec<ProfileId>,
    pub resolved_at: String,
    pub resolved_by: String,
    /// The decision as a sentence.
    pub message: String,
}

/// One review in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewSummary {
    pub id: i64,
    pub status: ReviewStatus,
    pub created_at: String,
    pub created_by: String,
    /// Where the incoming data came from: "customers.xlsx, row 12", "Pasted data, row 3",
    /// "Created by hand".
    pub origin: String,
    pub job_id: Option<i64>,
    /// The row of the import job (files: the Excel row; pastes: the line).
    pub row: Option<u32>,
    /// The incoming data's label (masked once resolved).
    pub incoming_label: String,
    pub candidates: Vec<ReviewCandidate>,
    pub outcome: Option<ReviewOutcome>,
}

/// The reviews asked for, and the counts the screen and the top bar show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewList {
    /// Open reviews in the store (all jobs).
    pub open: u32,
    /// Reviews resolved in the last [`RECENT_DAYS`] days (all jobs).
    pub recently_resolved: u32,
    /// Reviews that match the query; `items` holds the first [`REVIEW_LIST_LIMIT`].
    pub matching: u32,
    pub items: Vec<ReviewSummary>,
}

/// One column of the side-by-side comparison: the incoming data, then each candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewColumn {
    /// `None` for the incoming data.
    pub profile_id: Option<ProfileId>,
    pub label: String,
    /// The key that tied this candidate to the incoming data.
    pub matched_by: Option<MatchKey>,
    /// Deleted since the review was created: shown, but it cannot be chosen.
    pub gone: bool,
    /// Did not match when the review was created, matches now.
    pub new_match: bool,
    /// Still shares a phone, e-mail or customer code with the incoming data.
    pub still_matches: bool,
    /// Changed after the review was created (its current values are shown).
    pub changed_since: bool,
    /// The profile's source (candidates) or where the incoming data came from.
    pub source: String,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// Linked accounts, opportunities, tickets and tasks.
    pub links: u32,
}

/// What a row of the comparison shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ReviewRowKind {
    /// A catalogue field with one value: merge all keeps one, the user may pick which.
    Single,
    /// A list field (phones, e-mails, tags, multi-select): merge all unions it.
    List,
    /// Consent for one channel (incoming: what the import records; candidates: current).
    Consent,
    /// Linked objects (they move to the survivor).
    Links,
}

/// One row of the comparison: a field and its value in every column (empty: no value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewRow {
    /// The catalogue key (`consent.email` for consent rows, `links` for the links row).
    pub field: String,
    pub label: String,
    pub kind: ReviewRowKind,
    /// One display text per column, in column order.
    pub values: Vec<String>,
    /// The columns hold two or more different non-empty values.
    pub differs: bool,
}

/// One review, side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewDetail {
    pub summary: ReviewSummary,
    /// The incoming data first, then every candidate.
    pub columns: Vec<ReviewColumn>,
    pub rows: Vec<ReviewRow>,
    /// How "attach" merges (the policy of the import that created the review).
    pub policy: MergePolicy,
    /// Sentences about what changed since the review was created.
    pub notes: Vec<String>,
    /// Identifies the candidates' state; a decision sent with another version is refused.
    pub version: String,
}

/// A field of a merge all taking the value of another column than the survivor's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FieldPick {
    pub field: String,
    /// The candidate whose value is kept; `None` for the incoming data.
    pub from: Option<ProfileId>,
}

/// A decision on a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum ReviewDecision {
    Attach {
        #[serde(rename = "profileId")]
        profile_id: ProfileId,
    },
    MergeAll {
        survivor: ProfileId,
        #[serde(default)]
        picks: Vec<FieldPick>,
    },
    CreateNew,
    Dismiss,
}

impl ReviewDecision {
    fn action(&self) -> ReviewAction {
        match self {
            ReviewDecision::Attach { .. } => ReviewAction::Attach,
            ReviewDecision::MergeAll { .. } => ReviewAction::MergeAll,
            ReviewDecision::CreateNew => ReviewAction::CreateNew,
            ReviewDecision::Dismiss => ReviewAction::Dismiss,
        }
    }

    /// Attach, merge and dismiss change existing data: `profile.edit`; create new creates a
    /// profile: `profile.create`.
    pub fn permission(&self) -> Permission {
        match self {
            ReviewDecision::CreateNew => Permission::ProfileCreate,
            _ => Permission::ProfileEdit,
        }
    }
}

/// A profile a merge all removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RemovedProfile {
    pub profile_id: ProfileId,
    pub label: String,
}

/// A field of the resulting profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ResultValue {
    pub field: String,
    pub label: String,
    pub value: String,
}

/// What a decision does (a preview) or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReviewResolution {
    pub review_id: i64,
    pub action: ReviewAction,
    /// The profile the data goes to (attach, merge, create; a preview of create has none).
    pub profile_id: Option<ProfileId>,
    /// Its label ("" when dismissed).
    pub label: String,
    pub removed: Vec<RemovedProfile>,
    /// The resulting profile's fields (empty when dismissed).
    pub values: Vec<ResultValue>,
    /// Keys of the fields of the target profile that change.
    pub changed_fields: Vec<String>,
    /// Linked objects that move to the survivor.
    pub moved_links: u32,
    /// What happens (preview) or happened, as a sentence.
    pub message: String,
    /// False for a preview: nothing was changed.
    pub applied: bool,
}

// ---- what the store holds ----------------------------------------------------------------

/// The JSON of a review's incoming data (written by the synchronization rule).
pub(crate) fn incoming_json(
    incoming: &ValidProfile,
    consent: &ConsentInput,
    policy: MergePolicy,
) -> String {
    serde_json::json!({ "profile": incoming, "consent": consent, "policy": policy }).to_string()
}

/// The import job a source belongs to.
pub(crate) fn source_job(source: &Source) -> Option<i64> {
    match source {
        Source::FileImport { job_id, .. } | Source::Paste { job_id } => *job_id,
        Source::Manual | Source::Sync => None,
    }
}

#[derive(Deserialize, Default)]
struct Incoming {
    #[serde(default)]
    profile: ValidProfile,
    #[serde(default)]
    consent: ConsentInput,
    #[serde(default)]
    policy: Option<MergePolicy>,
}

/// The decision as the `resolution` column keeps it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredOutcome {
    action: ReviewAction,
    #[serde(default)]
    profile_id: Option<ProfileId>,
    #[serde(default)]
    removed: Vec<ProfileId>,
    /// The incoming data's masked label.
    #[serde(default)]
    incoming_label: String,
    /// Why a review was dismissed without a person deciding (an undone import).
    #[serde(default)]
    reason: Option<String>,
}

struct StoredReview {
    id: i64,
    status: ReviewStatus,
    created_at: String,
    created_by: String,
    source: Source,
    job_id: Option<i64>,
    incoming: Incoming,
    candidates: Vec<MatchCandidate>,
    resolved_at: Option<String>,
    resolved_by: Option<String>,
    outcome: Option<StoredOutcome>,
}

const REVIEW_COLUMNS: &str = "id, status, created_at, created_by, source, job_id, incoming, \
                              candidates, resolved_at, resolved_by, resolution";

fn review_from_row(r: &rusqlite::Row) -> rusqlite::Result<StoredReview> {
    let status: String = r.get(1)?;
    let source: String = r.get(4)?;
    let incoming: String = r.get(6)?;
    let candidates: String = r.get(7)?;
    let resolution: Option<String> = r.get(10)?;
    Ok(StoredReview {
        id: r.get(0)?,
        status: if status == "open" {
            ReviewStatus::Open
        } else {
            ReviewStatus::Resolved
        },
        created_at: r.get(2)?,
        created_by: r.get(3)?,
        source: serde_json::from_str(&source).unwrap_or(Source::Manual),
        job_id: r.get(5)?,
        incoming: serde_json::from_str(&incoming).unwrap_or_default(),
        candidates: serde_json::from_str(&candidates).unwrap_or_default(),
        resolved_at: r.get(8)?,
        resolved_by: r.get(9)?,
        outcome: resolution.and_then(|s| serde_json::from_str(&s).ok()),
    })
}

fn load_review(conn: &Connection, id: i64) -> Result<StoredReview> {
    conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS} FROM merge_reviews WHERE id = ?1"
    ))?
    .query_row([id], review_from_row)
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("There is no merge review {id}")))
}

fn exists(conn: &Connection, id: ProfileId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM profiles WHERE id = ?1")?
        .exists([id])?)
}

/// A stored label masked like the audit log's labels: an e-mail, a phone or a name.
fn mask_label(label: &str) -> String {
    if label.contains('@') {
        mask_email(label)
    } else if label.chars().filter(char::is_ascii_digit).count() >= 6
        && label
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()".contains(c))
    {
        mask_phone(label)
    } else {
        mask_name(label)
    }
}

/// The label of profile `id` now, or its masked stored label when it is gone.
fn candidate_label(conn: &Connection, id: ProfileId, stored: &str) -> Result<(String, bool)> {
    if exists(conn, id)? {
        Ok((super::stored_label(conn, id)?, false))
    } else {
        Ok((mask_label(stored), true))
    }
}

/// Where the incoming data came from, for people.
fn origin(source: &Source, row: Option<u32>) -> String {
    let what = match source {
        Source::FileImport { file_name, .. } => file_name.clone(),
        Source::Paste { .. } => Source::PASTED_DATA.to_string(),
        Source::Manual => "Created by hand".to_string(),
        Source::Sync => "Sync".to_string(),
    };
    match row {
        Some(row) => format!("{what}, row {row}"),
        None => what,
    }
}

/// The import-job row of each review of `job` (review id → row number).
fn job_rows(conn: &Connection, job: i64) -> Result<BTreeMap<i64, u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT review_id, row_number FROM import_job_rows
          WHERE job_id = ?1 AND outcome = 'review' AND review_id IS NOT NULL",
    )?;
    let rows = stmt.query_map([job], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The label of a resolved review's result profile, now.
fn result_label(conn: &Connection, id: ProfileId) -> Result<String> {
    Ok(if exists(conn, id)? {
        format!("{} (#{id})", super::stored_label(conn, id)?)
    } else {
        format!("profile #{id}, deleted since")
    })
}

fn ids_text(ids: &[ProfileId]) -> String {
    ids.iter()
        .map(|id| format!("#{id}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn outcome_message(conn: &Connection, o: &StoredOutcome) -> Result<String> {
    let target = |id: Option<ProfileId>| match id {
        Some(id) => result_label(conn, id),
        None => Ok("a profile".to_string()),
    };
    Ok(match o.action {
        ReviewAction::Attach => format!("Attached to {}", target(o.profile_id)?),
        ReviewAction::MergeAll => format!(
            "Merged {} into {}; removed {}",
            plural(o.removed.len() + 1, "profile", "profiles"),
            target(o.profile_id)?,
            ids_text(&o.removed)
        ),
        ReviewAction::CreateNew => format!("Created a new profile, {}", target(o.profile_id)?),
        ReviewAction::Dismiss => match o.reason.as_deref() {
            Some(reason) => format!("Discarded: {reason}"),
            None => "Discarded the incoming data".to_string(),
        },
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn summary(
    conn: &Connection,
    r: &StoredReview,
    rows: &BTreeMap<i64, u32>,
) -> Result<ReviewSummary> {
    let mut candidates = Vec::with_capacity(r.candidates.len());
    for c in &r.candidates {
        let (label, gone) = match r.status {
            ReviewStatus::Open => candidate_label(conn, c.profile_id, &c.label)?,
            // Resolved reviews keep masked labels only; a profile that still exists shows
            // its current label.
            ReviewStatus::Resolved => {
                if exists(conn, c.profile_id)? {
                    (super::stored_label(conn, c.profile_id)?, false)
                } else {
                    (c.label.clone(), true)
                }
            }
        };
        candidates.push(ReviewCandidate {
            profile_id: c.profile_id,
            label,
            matched_by: c.matched_by,
            gone,
        });
    }
    let outcome = match (&r.outcome, r.status) {
        (Some(o), ReviewStatus::Resolved) => Some(ReviewOutcome {
            action: o.action,
            profile_id: o.profile_id,
            removed: o.removed.clone(),
            resolved_at: r.resolved_at.clone().unwrap_or_default(),
            resolved_by: r.resolved_by.clone().unwrap_or_default(),
            message: outcome_message(conn, o)?,
        }),
        _ => None,
    };
    let incoming_label = match &r.outcome {
        Some(o) if r.status == ReviewStatus::Resolved => o.incoming_label.clone(),
        _ => r.incoming.profile.label(0),
    };
    Ok(ReviewSummary {
        id: r.id,
        status: r.status,
        created_at: r.created_at.clone(),
        created_by: r.created_by.clone(),
        origin: origin(&r.source, rows.get(&r.id).copied()),
        job_id: r.job_id,
        row: rows.get(&r.id).copied(),
        incoming_label,
        candidates,
        outcome,
    })
}

// ---- the candidates as they are now ------------------------------------------------------

struct Live {
    profile: ValidProfile,
    updated_at: String,
    still_matches: bool,
}

struct Candidate {
    profile_id: ProfileId,
    stored_label: String,
    matched_by: MatchKey,
    new_match: bool,
    live: Option<Live>,
}

/// The review's candidates now: the stored ones (gone or live), then the profiles that match
/// the incoming data now and did not then.
fn current_candidates(
    conn: &Connection,
    review: &StoredReview,
    keys: &[MatchKey],
) -> Result<Vec<Candidate>> {
    let matches_now = find_matches(conn, &review.incoming.profile, keys)?;
    let mut out: Vec<Candidate> = Vec::new();
    let load = |id: ProfileId| -> Result<Option<Live>> {
        if !exists(conn, id)? {
            return Ok(None);
        }
        let updated_at: String = conn
            .prepare_cached("SELECT updated_at FROM profiles WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        Ok(Some(Live {
            profile: storage::load(conn, id)?,
            updated_at,
            still_matches: matches_now.iter().any(|(m, _)| *m == id),
        }))
    };
    for c in &review.candidates {
        if out.iter().any(|o| o.profile_id == c.profile_id) {
            continue;
        }
        out.push(Candidate {
            profile_id: c.profile_id,
            stored_label: c.label.clone(),
            matched_by: c.matched_by,
            new_match: false,
            live: load(c.profile_id)?,
        });
    }
    if review.status == ReviewStatus::Open {
        for (id, key) in &matches_now {
            if out.iter().any(|o| o.profile_id == *id) {
                continue;
            }
            out.push(Candidate {
                profile_id: *id,
                stored_label: super::stored_label(conn, *id)?,
                matched_by: *key,
                new_match: true,
                live: load(*id)?,
            });
        }
    }
    Ok(out)
}

/// The candidates' state in one text — which profiles, live or gone, and a digest of their
/// values — so that a decision taken on another state is refused.
fn version(candidates: &[Candidate]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for c in candidates {
        h.update(c.profile_id.to_le_bytes());
        match &c.live {
            Some(l) => {
                h.update(l.updated_at.as_bytes());
                h.update(serde_json::to_vec(&l.profile).unwrap_or_default());
            }
            None => h.update(b"gone"),
        }
    }
    hex::encode(&h.finalize()[..12])
}

/// A value's comparable form: list items sorted by their match key, other values as shown.
fn compare_key(field: &FieldDef, p: &ValidProfile) -> String {
    let mut items: Vec<String> = match field.kind {
        FieldKind::Phones => p.phones.iter().map(|x| x.e164.clone()).collect(),
        FieldKind::Emails => p.emails.iter().map(|x| x.key.clone()).collect(),
        FieldKind::Tags => p.tags.clone(),
        _ => return super::display_value(field, p),
    };
    items.sort();
    items.join("\u{1f}")
}

fn distinct_non_empty(keys: impl Iterator<Item = String>) -> usize {
    keys.filter(|k| !k.is_empty())
        .collect::<BTreeSet<String>>()
        .len()
}

fn status_label(s: ConsentStatus) -> &'static str {
    match s {
        ConsentStatus::Granted => "Granted",
        ConsentStatus::Denied => "Denied",
        ConsentStatus::Unknown => "Unknown",
    }
}

/// "2 accounts, 1 ticket" (or "None").
fn links_text(counts: [u32; 4]) -> String {
    let names = [
        ("account", "accounts"),
        ("opportunity", "opportunities"),
        ("ticket", "tickets"),
        ("task", "tasks"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(names)
        .filter(|(n, _)| **n > 0)
        .map(|(n, (one, many))| plural(*n as usize, one, many))
        .collect();
    if parts.is_empty() {
        "None".into()
    } else {
        parts.join(", ")
    }
}

/// The custom fields whose values are lists (merge all unions them).
fn custom_lists(fields: &[FieldDef]) -> BTreeSet<String> {
    fields
        .iter()
        .filter(|f| f.kind == FieldKind::MultiSelect)
        .map(|f| f.key.clone())
        .collect()
}

// ---- deciding ------------------------------------------------------------------------------

/// What every decision needs.
struct Context<'a> {
    actor: &'a Actor,
    stamp: Stamp<'a>,
    fields: &'a [FieldDef],
    policy: MergePolicy,
    preview: bool,
}

/// The live candidate `id` of the review, or a refusal that says why it cannot be chosen.
fn chosen<'c>(
    review: &StoredReview,
    cands: &'c [Candidate],
    id: ProfileId,
) -> Result<&'c Candidate> {
    match cands.iter().find(|c| c.profile_id == id) {
        Some(c) if c.live.is_some() => Ok(c),
        Some(c) => Err(Error::Conflict(format!(
            "Profile #{id} ({}) no longer exists, so merge review {} cannot go to it; choose \
             another candidate or create a new profile",
            mask_label(&c.stored_label),
            review.id
        ))),
        None => Err(Error::Conflict(format!(
            "Profile #{id} is not a candidate of merge review {}",
            review.id
        ))),
    }
}

/// The list fields of `p` over the per-profile limit, as a refusal.
fn check_lists(p: &ValidProfile, fields: &[FieldDef]) -> Result<()> {
    let label = |key: &str, fallback: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label.clone())
            .unwrap_or_else(|| fallback.to_string())
    };
    for (key, fallback, n) in [
        ("phones", "Phones", p.phones.len()),
        ("emails", "E-mails", p.emails.len()),
        ("tags", "Tags", p.tags.len()),
    ] {
        if n > MAX_LIST_VALUES {
            return Err(Error::Limit(format!(
                "The merged profile would have {n} values in {}; a profile holds at most \
                 {MAX_LIST_VALUES}. Remove some from the candidates first, or attach instead",
                label(key, fallback)
            )));
        }
    }
    Ok(())
}

/// The consent of the incoming data that still applies to profile `id`: a channel whose
/// consent was recorded again after the review was created keeps that newer record.
fn consent_to_apply(
    conn: &Connection,
    id: ProfileId,
    review: &StoredReview,
) -> Result<(ConsentInput, Vec<String>)> {
    let mut newer = BTreeSet::new();
    let mut stmt = conn.prepare_cached(
        "SELECT channel FROM consent_records WHERE profile_id = ?1 AND recorded_at > ?2",
    )?;
    for ch in stmt.query_map(params![id, review.created_at], |r| r.get::<_, String>(0))? {
        newer.insert(ch?);
    }
    let mut apply = ConsentInput::default();
    let mut kept = Vec::new();
    for (channel, status) in &review.incoming.consent.channels {
        if newer.contains(channel) {
            kept.push(channel.clone());
        } else {
            apply.channels.insert(channel.clone(), *status);
        }
    }
    Ok((apply, kept))
}

/// After consent records were copied onto `id`: makes each channel's current consent the
/// latest recorded one (copies are older than what they are appended after).
fn settle_consent(conn: &Connection, id: ProfileId, stamp: &Stamp, source: &str) -> Result<()> {
    let current = current_consent(conn, id)?;
    let mut latest: BTreeMap<String, ConsentStatus> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT channel, status FROM consent_records WHERE profile_id = ?1
          ORDER BY recorded_at DESC, id DESC",
    )?;
    for row in stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (channel, status) = row?;
        latest
            .entry(channel)
            .or_insert(ConsentStatus::parse(&status).unwrap_or(ConsentStatus::Unknown));
    }
    for (channel, status) in latest {
        if current.get(&channel) != Some(&status) {
            conn.prepare_cached(
                "INSERT INTO consent_records(profile_id, channel, status, recorded_by, recorded_at, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![id, channel, status.as_str(), stamp.actor, stamp.at, source])?;
        }
    }
    Ok(())
}

/// Moves what belongs to profile `from` onto `to` before `from` is removed: links (each
/// object once), consent records (copied: consent history is append-only) and profile history
/// (marked with where it came from). Returns the links moved per kind and the counts.
fn absorb(conn: &Connection, from: ProfileId, to: ProfileId) -> Result<serde_json::Value> {
    let mut links = serde_json::Map::new();
    for (kind, table, column) in LINKS {
        let n: u32 = conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM {table} WHERE profile_id = ?1"
            ))?
            .query_row([from], |r| r.get(0))?;
        conn.prepare_cached(&format!(
            "INSERT OR IGNORE INTO {table}(profile_id, {column})
             SELECT ?1, {column} FROM {table} WHERE profile_id = ?2"
        ))?
        .execute([to, from])?;
        links.insert(kind.into(), n.into());
    }
    let consent = conn
        .prepare_cached(
            "INSERT INTO consent_records(profile_id, channel, status, recorded_by, recorded_at, source)
             SELECT ?1, channel, status, recorded_by, recorded_at,
                    source || ' (from profile #' || ?2 || ')'
               FROM consent_records WHERE profile_id = ?2 ORDER BY recorded_at, id",
        )?
        .execute([to, from])?;
    let history = conn
        .prepare_cached(
            "UPDATE profile_history SET profile_id = ?1,
                    source = source || ' (from profile #' || ?2 || ')'
              WHERE profile_id = ?2",
        )?
        .execute([to, from])?;
    Ok(serde_json::json!({
        "links": links, "consentRecords": consent, "historyEntries": history
    }))
}

/// Open reviews that name `from` as a candidate name `to` instead (it was merged into `to`).
fn redirect_candidates(
    conn: &Connection,
    review: i64,
    from: ProfileId,
    to: ProfileId,
) -> Result<()> {
    let affected: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, candidates FROM merge_reviews
              WHERE status = 'open' AND id <> ?1
                AND EXISTS (SELECT 1 FROM json_each(candidates)
                             WHERE json_extract(value, '$.profileId') = ?2)",
        )?
        .query_map(params![review, from], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let label = super::stored_label(conn, to)?;
    for (id, json) in affected {
        let mut candidates: Vec<MatchCandidate> = serde_json::from_str(&json).unwrap_or_default();
        let has_to = candidates.iter().any(|c| c.profile_id == to);
        if has_to {
            candidates.retain(|c| c.profile_id != from);
        } else {
            for c in candidates.iter_mut().filter(|c| c.profile_id == from) {
                c.profile_id = to;
                c.label = label.clone();
            }
        }
        conn.prepare_cached("UPDATE merge_reviews SET candidates = ?2 WHERE id = ?1")?
            .execute(params![
                id,
                serde_json::to_string(&candidates).unwrap_or_default()
            ])?;
    }
    Ok(())
}

/// Marks the review resolved (refused when someone resolved it meanwhile), keeping only the
/// decision, ids and masked labels.
fn mark_resolved(
    conn: &Connection,
    review: &StoredReview,
    stamp: &Stamp,
    outcome: &StoredOutcome,
) -> Result<()> {
    let masked: Vec<MatchCandidate> = review
        .candidates
        .iter()
        .map(|c| MatchCandidate {
            profile_id: c.profile_id,
            label: mask_label(&c.label),
            matched_by: c.matched_by,
        })
        .collect();
    let changed = conn
        .prepare_cached(
            "UPDATE merge_reviews SET status = 'resolved', resolved_at = ?2, resolved_by = ?3,
                    resolution = ?4, incoming = '{}', candidates = ?5
              WHERE id = ?1 AND status = 'open'",
        )?
        .execute(params![
            review.id,
            stamp.at,
            stamp.actor,
            serde_json::to_string(outcome).unwrap_or_default(),
            serde_json::to_string(&masked).unwrap_or_default(),
        ])?;
    if changed == 0 {
        return Err(Error::Conflict(format!(
            "Merge review {} was already resolved",
            review.id
        )));
    }
    Ok(())
}

/// The fields of `p` as the result shows them.
fn result_values(fields: &[FieldDef], p: &ValidProfile) -> Vec<ResultValue> {
    fields
        .iter()
        .filter(|f| f.kind != FieldKind::System)
        .filter_map(|f| {
            let value = super::display_value(f, p);
            (!value.is_empty()).then(|| ResultValue {
                field: f.key.clone(),
                label: f.label.clone(),
                value,
            })
        })
        .collect()
}

fn field_labels(fields: &[FieldDef], keys: &[String]) -> String {
    keys.iter()
        .map(|k| {
            fields
                .iter()
                .find(|f| &f.key == k)
                .map(|f| f.label.clone())
                .unwrap_or_else(|| k.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The picks of a merge all, checked: catalogue single-value fields, taken from the incoming
/// data or a live candidate that has a value for the field.
fn check_picks(
    picks: &[FieldPick],
    fields: &[FieldDef],
    incoming: &ValidProfile,
    cands: &[Candidate],
) -> Result<BTreeMap<String, Option<ProfileId>>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for pick in picks {
        let field = fields.iter().find(|f| f.key == pick.field);
        let Some(field) = field.filter(|f| !f.kind.is_list() && f.kind != FieldKind::System) else {
            errors.push(FieldError {
                field: pick.field.clone(),
                code: "notPickable".into(),
                message: format!(
                    "“{}” is not a single-value field: list fields are combined, not picked",
                    pick.field
                ),
            });
            continue;
        };
        let source = match pick.from {
            None => Some(incoming),
            Some(id) => cands
                .iter()
                .find(|c| c.profile_id == id)
                .and_then(|c| c.live.as_ref())
                .map(|l| &l.profile),
        };
        match source {
            Some(p) if p.has(&field.key) => {
                out.insert(field.key.clone(), pick.from);
            }
            Some(_) => errors.push(FieldError {
                field: field.key.clone(),
                code: "emptyPick".into(),
                message: format!(
                    "The value picked for {} is empty; pick a column that has one",
                    field.label
                ),
            }),
            None => errors.push(FieldError {
                field: field.key.clone(),
                code: "unknownPick".into(),
                message: format!(
                    "The value for {} is picked from profile #{}, which is not a live candidate",
                    field.label,
                    pick.from.unwrap_or_default()
                ),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Validation(errors))
    }
}

/// Writes the merged values of candidate `target` (refused over the list limits) and its
/// "merged" history entry with the key that matched it.
fn store_merge(
    conn: &Connection,
    ctx: &Context,
    review: &StoredReview,
    target: &Candidate,
    before: &ValidProfile,
    merged: &ValidProfile,
    changes: &[crate::model::FieldChange],
) -> Result<()> {
    check_lists(merged, ctx.fields)?;
    if !changes.is_empty() {
        storage::update(
            conn,
            target.profile_id,
            before,
            merged,
            &ctx.stamp,
            &mut SearchIndex::Immediate,
        )?;
    }
    storage::record_history_as(
        conn,
        target.profile_id,
        &ctx.stamp,
        "merged",
        &format!("{} · Merge review {}", review.source.label(), review.id),
        Some(target.matched_by.as_str()),
        changes,
    )
}

/// Applies `decision` to `review` inside the caller's transaction.
fn decide(
    conn: &Connection,
    ctx: &Context,
    review: &StoredReview,
    cands: &[Candidate],
    decision: &ReviewDecision,
) -> Result<ReviewResolution> {
    let incoming = &review.incoming.profile;
    let incoming_label = masked_label(incoming).unwrap_or_else(|| format!("review {}", review.id));
    let review_source = format!("Merge review {}", review.id);
    let will = |preview: &str, done: &str| -> String {
        if ctx.preview { preview } else { done }.to_string()
    };
    let live: Vec<&Candidate> = cands.iter().filter(|c| c.live.is_some()).collect();
    let mut resolution = ReviewResolution {
        review_id: review.id,
        action: decision.action(),
        profile_id: None,
        label: String::new(),
        removed: Vec::new(),
        values: Vec::new(),
        changed_fields: Vec::new(),
        moved_links: 0,
        message: String::new(),
        applied: !ctx.preview,
    };
    let mut stored = StoredOutcome {
        action: decision.action(),
        profile_id: None,
        removed: Vec::new(),
        incoming_label,
        reason: None,
    };
    let mut audit =
        serde_json::json!({ "review": review.id, "action": decision.action().as_str() });
    match decision {
        ReviewDecision::Attach { profile_id } => {
            let target = chosen(review, cands, *profile_id)?;
            let existing = &target.live.as_ref().expect("chosen is live").profile;
            let (merged, changes) = merge(existing, incoming, ctx.policy);
            store_merge(conn, ctx, review, target, existing, &merged, &changes)?;
            let (consent, kept) = consent_to_apply(conn, *profile_id, review)?;
            let consented =
                record_consent(conn, *profile_id, &consent, &ctx.stamp, &review.source)?;
            if consented > 0 && changes.is_empty() {
                conn.execute(
                    "UPDATE profiles SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                    params![profile_id, ctx.stamp.at, ctx.stamp.actor],
                )?;
            }
            let label = merged.label(*profile_id);
            resolution.changed_fields = changes.iter().map(|c| c.field.clone()).collect();
            let what = if changes.is_empty() {
                "no field changes".to_string()
            } else {
                format!(
                    "{} change",
                    field_labels(ctx.fields, &resolution.changed_fields)
                )
            };
            resolution.message = format!(
                "{} {label} (#{profile_id}), matched by {}: {what}{}. Nothing is removed.",
                will(
                    "The incoming data will be added to",
                    "Added the incoming data to"
                ),
                target.matched_by.label(),
                kept_note(&kept),
            );
            resolution.values = result_values(ctx.fields, &merged);
            resolution.profile_id = Some(*profile_id);
            resolution.label = label;
            stored.profile_id = Some(*profile_id);
            audit["profileId"] = (*profile_id).into();
            audit["matchedBy"] = target.matched_by.as_str().into();
            audit["changedFields"] = serde_json::json!(resolution.changed_fields);
        }
        ReviewDecision::MergeAll { survivor, picks } => {
            let target = chosen(review, cands, *survivor)?;
            let before = &target.live.as_ref().expect("chosen is live").profile;
            let others: Vec<&Candidate> = live
                .iter()
                .copied()
                .filter(|c| c.profile_id != *survivor)
                .collect();
            let picks = check_picks(picks, ctx.fields, incoming, cands)?;
            let mut sources: Vec<(Option<ProfileId>, &ValidProfile)> = vec![(None, incoming)];
            for o in &others {
                sources.push((Some(o.profile_id), &o.live.as_ref().expect("live").profile));
            }
            let (merged, changes) = merge_all(
                *survivor,
                before,
                &sources,
                &picks,
                &custom_lists(ctx.fields),
            );
            store_merge(conn, ctx, review, target, before, &merged, &changes)?;
            let mut removed_ids = Vec::new();
            for o in &others {
                let profile = &o.live.as_ref().expect("live").profile;
                let label =
                    masked_label(profile).unwrap_or_else(|| format!("Profile #{}", o.profile_id));
                let moved = absorb(conn, o.profile_id, *survivor)?;
                resolution.moved_links += moved["links"]
                    .as_object()
                    .map(|m| m.values().filter_map(|v| v.as_u64()).sum::<u64>() as u32)
                    .unwrap_or(0);
                storage::record_history_as(
                    conn,
                    *survivor,
                    &ctx.stamp,
                    "mergedFrom",
                    &format!("{review_source}: profile #{}", o.profile_id),
                    Some(o.matched_by.as_str()),
                    &not_kept(profile, &merged),
                )?;
                storage::delete(conn, o.profile_id, &mut SearchIndex::Immediate)?;
                redirect_candidates(conn, review.id, o.profile_id, *survivor)?;
                crate::audit::append(
                    conn,
                    ctx.stamp.at,
                    ctx.actor,
                    "profile.merge",
                    &format!("profile:{}", o.profile_id),
                    serde_json::json!({
                        "profileId": o.profile_id,
                        "label": label,
                        "mergedInto": survivor,
                        "review": review.id,
                        "moved": moved,
                    }),
                )?;
                removed_ids.push(o.profile_id);
                resolution.removed.push(RemovedProfile {
                    profile_id: o.profile_id,
                    label: profile.label(o.profile_id),
                });
            }
            settle_consent(conn, *survivor, &ctx.stamp, &review_source)?;
            let (consent, kept) = consent_to_apply(conn, *survivor, review)?;
            record_consent(conn, *survivor, &consent, &ctx.stamp, &review.source)?;
            conn.execute(
                "UPDATE profiles SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                params![survivor, ctx.stamp.at, ctx.stamp.actor],
            )?;
            let label = merged.label(*survivor);
            let n = others.len() + 1;
            resolution.message = if others.is_empty() {
                format!(
                    "{} {label} (#{survivor}) with the incoming data; no other candidate is left, \
                     so nothing is removed{}.",
                    will(
                        "Only the incoming data will be merged into",
                        "Merged only the incoming data into"
                    ),
                    kept_note(&kept),
                )
            } else {
                let links = if resolution.moved_links > 0 {
                    format!(
                        "; {} move to {label}",
                        plural(
                            resolution.moved_links as usize,
                            "linked object",
                            "linked objects"
                        )
                    )
                } else {
                    String::new()
                };
                if ctx.preview {
                    format!(
                        "{} will be merged into {label} (#{survivor}) together with the incoming data; \
                         {} will be removed ({}){links}{}.",
                        plural(n, "profile", "profiles"),
                        others.len(),
                        ids_text(&removed_ids),
                        kept_note(&kept),
                    )
                } else {
                    format!(
                        "Merged {} into {label} (#{survivor}) together with the incoming data; removed {}{links}{}.",
                        plural(n, "profile", "profiles"),
                        ids_text(&removed_ids),
                        kept_note(&kept),
                    )
                }
            };
            resolution.changed_fields = changes.iter().map(|c| c.field.clone()).collect();
            resolution.values = result_values(ctx.fields, &merged);
            resolution.profile_id = Some(*survivor);
            resolution.label = label;
            stored.profile_id = Some(*survivor);
            stored.removed = removed_ids.clone();
            audit["profileId"] = (*survivor).into();
            audit["removed"] = serde_json::json!(removed_ids);
            audit["changedFields"] = serde_json::json!(resolution.changed_fields);
            audit["picks"] = serde_json::json!(picks.keys().collect::<Vec<_>>());
        }
        ReviewDecision::CreateNew => {
            let id = storage::insert(
                conn,
                incoming,
                &review.source,
                &ctx.stamp,
                &mut SearchIndex::Immediate,
            )?;
            storage::record_history_as(
                conn,
                id,
                &ctx.stamp,
                "created",
                &format!("{} · {review_source}: created new", review.source.label()),
                None,
                &[],
            )?;
            record_consent(
                conn,
                id,
                &review.incoming.consent,
                &ctx.stamp,
                &review.source,
            )?;
            let label = incoming.label(id);
            resolution.message = if ctx.preview {
                format!(
                    "A new profile {label} will be created from the incoming data; the {} stay as they are.",
                    plural(live.len(), "matching profile", "matching profiles")
                )
            } else {
                format!(
                    "Created a new profile {label} (#{id}); the {} stay as they are.",
                    plural(live.len(), "matching profile", "matching profiles")
                )
            };
            resolution.values = result_values(ctx.fields, incoming);
            resolution.profile_id = (!ctx.preview).then_some(id);
            resolution.label = label;
            stored.profile_id = Some(id);
            audit["profileId"] = id.into();
        }
        ReviewDecision::Dismiss => {
            resolution.message = format!(
                "{}; the {} stay as they are.",
                will(
                    "The incoming data will be discarded",
                    "Discarded the incoming data"
                ),
                plural(live.len(), "matching profile", "matching profiles")
            );
        }
    }
    mark_resolved(conn, review, &ctx.stamp, &stored)?;
    crate::audit::append(
        conn,
        ctx.stamp.at,
        ctx.actor,
        "review.resolve",
        &format!("review:{}", review.id),
        audit,
    )?;
    Ok(resolution)
}

fn kept_note(kept: &[String]) -> String {
    if kept.is_empty() {
        String::new()
    } else {
        format!(
            " (consent for {} was recorded again after the import and is kept)",
            kept.join(", ")
        )
    }
}

/// Undo of import job `job` (SPEC 4.1): its open reviews are discarded with it (nothing of the
/// job is imported any more), with one audit entry. Inside the undo's transaction, stamped `at`.
pub(crate) fn discard_reviews_of_undone_job(
    conn: &Connection,
    at: &str,
    actor: &Actor,
    job: i64,
) -> Result<u32> {
    let stamp = Stamp {
        at,
        actor: &actor.name,
    };
    let reviews: Vec<StoredReview> = conn
        .prepare_cached(&format!(
            "SELECT {REVIEW_COLUMNS} FROM merge_reviews WHERE job_id = ?1 AND status = 'open'"
        ))?
        .query_map([job], review_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    for review in &reviews {
        let outcome = StoredOutcome {
            action: ReviewAction::Dismiss,
            profile_id: None,
            removed: Vec::new(),
            incoming_label: masked_label(&review.incoming.profile).unwrap_or_default(),
            reason: Some(format!("import job {job} was undone")),
        };
        mark_resolved(conn, review, &stamp, &outcome)?;
    }
    if !reviews.is_empty() {
        crate::audit::append(
            conn,
            at,
            actor,
            "review.resolve",
            &format!("job:{job}"),
            serde_json::json!({
                "action": "dismiss",
                "reason": "importUndone",
                "job": job,
                "reviews": reviews.iter().map(|r| r.id).collect::<Vec<_>>(),
            }),
        )?;
    }
    Ok(reviews.len() as u32)
}

impl Store {
    /// How many reviews are open (the top bar's badge).
    pub fn open_review_count(&self, actor: &Actor) -> Result<u32> {
        actor.require(Permission::ProfileView)?;
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM merge_reviews WHERE status = 'open'",
            [],
            |r| r.get(0),
        )?)
    }

    /// The open reviews (oldest first) or the recently resolved ones (newest first), at most
    /// [`REVIEW_LIST_LIMIT`], with the counts.
    pub fn merge_reviews(&self, actor: &Actor, query: &ReviewQuery) -> Result<ReviewList> {
        actor.require(Permission::ProfileView)?;
        let since = crate::clock::format(self.now_utc() - time::Duration::days(RECENT_DAYS));
        let open = self.open_review_count(actor)?;
        let recently_resolved: u32 = self.conn.query_row(
            "SELECT COUNT(*) FROM merge_reviews WHERE resolved_at >= ?1",
            [&since],
            |r| r.get(0),
        )?;
        let (clause, order) = match query.status {
            ReviewStatus::Open => ("status = 'open'", "id"),
            ReviewStatus::Resolved => (
                "status = 'resolved' AND resolved_at >= ?2",
                "resolved_at DESC, id DESC",
            ),
        };
        let job_clause = if query.job_id.is_some() {
            "AND job_id = ?1"
        } else {
            "AND ?1 IS NULL"
        };
        let where_ = format!("WHERE {clause} {job_clause}");
        let with_since = query.status == ReviewStatus::Resolved;
        let args: Vec<&dyn rusqlite::ToSql> = if with_since {
            vec![&query.job_id, &since]
        } else {
            vec![&query.job_id]
        };
        let matching: u32 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM merge_reviews {where_}"),
            args.as_slice(),
            |r| r.get(0),
        )?;
        let reviews: Vec<StoredReview> = self
            .conn
            .prepare(&format!(
                "SELECT {REVIEW_COLUMNS} FROM merge_reviews {where_} ORDER BY {order} LIMIT {REVIEW_LIST_LIMIT}"
            ))?
            .query_map(args.as_slice(), review_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut rows = BTreeMap::new();
        for job in reviews
            .iter()
            .filter_map(|r| r.job_id)
            .collect::<BTreeSet<_>>()
        {
            rows.extend(job_rows(&self.conn, job)?);
        }
        let items = reviews
            .iter()
            .map(|r| summary(&self.conn, r, &rows))
            .collect::<Result<_>>()?;
        Ok(ReviewList {
            open,
            recently_resolved,
            matching,
            items,
        })
    }

    /// One review side by side: the incoming values and every candidate's current values,
    /// field by field, with the key that matched each candidate and what changed since.
    pub fn merge_review(&self, actor: &Actor, id: i64) -> Result<ReviewDetail> {
        actor.require(Permission::ProfileView)?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        let channels = self.consent_channels()?;
        let review = load_review(&self.conn, id)?;
        let rows = match review.job_id {
            Some(job) => job_rows(&self.conn, job)?,
            None => BTreeMap::new(),
        };
        let summary = summary(&self.conn, &review, &rows)?;
        let cands = current_candidates(&self.conn, &review, &settings.match_keys)?;
        let policy = review.incoming.policy.unwrap_or(settings.merge_policy);

        let mut columns = vec![ReviewColumn {
            profile_id: None,
            label: summary.incoming_label.clone(),
            matched_by: None,
            gone: false,
            new_match: false,
            still_matches: true,
            changed_since: false,
            source: summary.origin.clone(),
            created_at: Some(review.created_at.clone()),
            updated_at: None,
            links: 0,
        }];
        let mut link_rows = vec![String::new()];
        let mut notes = Vec::new();
        for c in &cands {
            let (label, _) = candidate_label(&self.conn, c.profile_id, &c.stored_label)?;
            let meta: Option<storage::ProfileMeta> = match &c.live {
                Some(_) => self
                    .conn
                    .query_row(
                        &format!(
                            "SELECT {} FROM profiles WHERE id = ?1",
                            storage::ProfileMeta::COLUMNS
                        ),
                        [c.profile_id],
                        storage::ProfileMeta::from_row,
                    )
                    .optional()?,
                None => None,
            };
            let links = match &c.live {
                Some(_) => link_counts(&self.conn, &[c.profile_id])?,
                None => [0; 4],
            };
            let changed_since = c.live.as_ref().is_some_and(|l| {
                review.status == ReviewStatus::Open && l.updated_at > review.created_at
            });
            let still_matches = c.live.as_ref().is_some_and(|l| l.still_matches);
            if review.status == ReviewStatus::Open {
                if c.live.is_none() {
                    notes.push(format!(
                        "Profile #{} ({label}) was deleted after this review was created; it is not part of the decision.",
                        c.profile_id
                    ));
                } else if c.new_match {
                    notes.push(format!(
                        "{label} (#{}) matches the incoming data by {} now, and was not a candidate when the review was created.",
                        c.profile_id,
                        c.matched_by.label()
                    ));
                } else if !still_matches {
                    notes.push(format!(
                        "{label} (#{}) no longer shares a phone, e-mail or customer code with the incoming data.",
                        c.profile_id
                    ));
                }
            }
            link_rows.push(if c.live.is_some() {
                links_text(links)
            } else {
                String::new()
            });
            columns.push(ReviewColumn {
                profile_id: Some(c.profile_id),
                label,
                matched_by: Some(c.matched_by),
                gone: c.live.is_none(),
                new_match: c.new_match,
                still_matches,
                changed_since,
                source: meta.as_ref().map(|m| m.source.label()).unwrap_or_default(),
                created_at: meta.map(|m| m.created_at),
                updated_at: c.live.as_ref().map(|l| l.updated_at.clone()),
                links: links.iter().sum(),
            });
        }
        let live_count = cands.iter().filter(|c| c.live.is_some()).count();
        if review.status == ReviewStatus::Open {
            match live_count {
                0 => notes.push(
                    "No candidate is left: create a new profile from the incoming data, or discard it."
                        .into(),
                ),
                1 => notes.push(
                    "Only one candidate is left: attach the incoming data to it, or create a new profile."
                        .into(),
                ),
                _ => {}
            }
        }

        let profiles: Vec<Option<&ValidProfile>> = std::iter::once(Some(&review.incoming.profile))
            .chain(cands.iter().map(|c| c.live.as_ref().map(|l| &l.profile)))
            .collect();
        let mut out_rows = Vec::new();
        if review.status == ReviewStatus::Open {
            for f in fields.iter().filter(|f| f.kind != FieldKind::System) {
                let values: Vec<String> = profiles
                    .iter()
                    .map(|p| p.map(|p| super::display_value(f, p)).unwrap_or_default())
                    .collect();
                if values.iter().all(String::is_empty) {
                    continue;
                }
                let keys = profiles
                    .iter()
                    .map(|p| p.map(|p| compare_key(f, p)).unwrap_or_default());
                out_rows.push(ReviewRow {
                    field: f.key.clone(),
                    label: f.label.clone(),
                    kind: if f.kind.is_list() {
                        ReviewRowKind::List
                    } else {
                        ReviewRowKind::Single
                    },
                    values,
                    differs: distinct_non_empty(keys) > 1,
                });
            }
            for ch in &channels {
                let mut values = vec![review
                    .incoming
                    .consent
                    .channels
                    .get(&ch.key)
                    .map(|s| status_label(*s).to_string())
                    .unwrap_or_default()];
                for c in &cands {
                    values.push(match &c.live {
                        Some(_) => status_label(
                            current_consent(&self.conn, c.profile_id)?
                                .get(&ch.key)
                                .copied()
                                .unwrap_or(ConsentStatus::Unknown),
                        )
                        .to_string(),
                        None => String::new(),
                    });
                }
                let differs = distinct_non_empty(values.iter().cloned()) > 1;
                out_rows.push(ReviewRow {
                    field: format!("consent.{}", ch.key),
                    label: format!("Consent: {}", ch.label),
                    kind: ReviewRowKind::Consent,
                    values,
                    differs,
                });
            }
            out_rows.push(ReviewRow {
                field: "links".into(),
                label: "Linked objects".into(),
                kind: ReviewRowKind::Links,
                values: link_rows,
                differs: false,
            });
        }
        Ok(ReviewDetail {
            summary,
            columns,
            rows: out_rows,
            policy,
            notes,
            version: version(&cands),
        })
    }

    /// What `decision` would do to review `id` — the same code as
    /// [`Store::resolve_merge_review`] in a transaction that is rolled back, so the sentence and
    /// the resulting values are exactly what resolving does (given no change in between).
    pub fn preview_review_decision(
        &mut self,
        actor: &Actor,
        id: i64,
        decision: &ReviewDecision,
    ) -> Result<ReviewResolution> {
        self.resolve(actor, id, decision, None, true)
    }

    /// Resolves review `id` with `decision`, in one transaction, audited ("review.resolve",
    /// plus one "profile.merge" entry with a masked label per profile merged away). Refused
    /// when the review is resolved already, or when `expected_version` (the detail's
    /// `version`) no longer describes the candidates.
    pub fn resolve_merge_review(
        &mut self,
        actor: &Actor,
        id: i64,
        decision: &ReviewDecision,
        expected_version: Option<&str>,
    ) -> Result<ReviewResolution> {
        self.resolve(actor, id, decision, expected_version, false)
    }

    fn resolve(
        &mut self,
        actor: &Actor,
        id: i64,
        decision: &ReviewDecision,
        expected_version: Option<&str>,
        preview: bool,
    ) -> Result<ReviewResolution> {
        actor.require(decision.permission())?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        let at = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let review = load_review(&tx, id)?;
        if review.status == ReviewStatus::Resolved {
            let how = review
                .outcome
                .as_ref()
                .map(|o| outcome_message(&tx, o))
                .transpose()?
                .unwrap_or_default();
            return Err(Error::Conflict(format!(
                "Merge review {id} was already resolved by {} on {}: {how}",
                review.resolved_by.as_deref().unwrap_or("someone"),
                review
                    .resolved_at
                    .as_deref()
                    .map(|t| t.get(..10).unwrap_or(t))
                    .unwrap_or("?"),
            )));
        }
        let cands = current_candidates(&tx, &review, &settings.match_keys)?;
        if let Some(expected) = expected_version {
            if expected != version(&cands) {
                return Err(Error::Conflict(format!(
                    "The profiles of merge review {id} changed since you opened it (edited, \
                     merged, deleted or newly matching); look at them again before deciding"
                )));
            }
        }
        let ctx = Context {
            actor,
            stamp: Stamp {
                at: &at,
                actor: &actor.name,
            },
            fields: &fields,
            policy: review.incoming.policy.unwrap_or(settings.merge_policy),
            preview,
        };
        let resolution = decide(&tx, &ctx, &review, &cands, decision)?;
        if preview {
            tx.rollback()?;
        } else {
            tx.commit()?;
            self.touched();
        }
        Ok(resolution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_labels_are_masked_by_what_they_hold() {
        assert_eq!(
            mask_label("Nguyễn Văn An"),
            "Ng*** V** A*",
            "a name is masked word by word"
        );
        assert_eq!(
            mask_label("0912 345 678"),
            "09******78",
            "a phone keeps 2 + 2 digits"
        );
        assert_eq!(
            mask_label("an@example.vn"),
            "a***@example.vn",
            "an e-mail keeps its domain"
        );
    }

    #[test]
    fn decisions_need_the_permission_they_use() {
        assert_eq!(
            ReviewDecision::CreateNew.permission(),
            Permission::ProfileCreate
        );
        for d in [
            ReviewDecision::Attach { profile_id: 1 },
            ReviewDecision::MergeAll {
                survivor: 1,
                picks: vec![],
            },
            ReviewDecision::Dismiss,
        ] {
            assert_eq!(
                d.permission(),
                Permission::ProfileEdit,
                "{d:?} changes existing data"
            );
        }
    }

    #[test]
    fn links_read_as_a_sentence() {
        assert_eq!(links_text([2, 0, 1, 0]), "2 accounts, 1 ticket");
        assert_eq!(links_text([0, 1, 0, 3]), "1 opportunity, 3 tasks");
        assert_eq!(links_text([0; 4]), "None", "no links");
    }
}
