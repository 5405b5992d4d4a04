//! Reading merge reviews: what the store holds, the list with its counts, the side-by-side
//! detail, and the candidates as they are now (gone, merged away, newly matching) with the
//! version a decision is checked against.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::text::{links_text, mask_label, origin, outcome_message, status_label};
use super::types::{
    ReviewAction, ReviewCandidate, ReviewColumn, ReviewDetail, ReviewList, ReviewOutcome,
    ReviewQuery, ReviewRow, ReviewRowKind, ReviewStatus, ReviewSummary, RECENT_DAYS,
    REVIEW_LIST_LIMIT,
};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::{
    ConsentInput, ConsentStatus, FieldDef, FieldKind, MatchCandidate, MatchKey, MergePolicy,
    ProfileId, ReviewReason, Source,
};
use crate::profiles::delete::link_counts;
use crate::profiles::storage;
use crate::profiles::{self, current_consent, find_matches};
use crate::store::Store;
use pdesk_rule::validate::ValidProfile;

// ---- what the store holds ----------------------------------------------------------------

/// The JSON of a review's incoming data (written by the synchronization rule), read back as
/// [`Incoming`]. Written straight from the borrowed values: an import into a large store
/// leaves a review on most rows, and a `serde_json::Value` of each profile built first was a
/// sixth of the import's writer time.
pub(crate) fn incoming_json(
    incoming: &ValidProfile,
    consent: &ConsentInput,
    policy: MergePolicy,
) -> String {
    #[derive(Serialize)]
    struct IncomingRef<'a> {
        consent: &'a ConsentInput,
        policy: MergePolicy,
        profile: &'a ValidProfile,
    }
    serde_json::to_string(&IncomingRef {
        consent,
        policy,
        profile: incoming,
    })
    .unwrap_or_default()
}

/// The import job a source belongs to.
pub(crate) fn source_job(source: &Source) -> Option<i64> {
    match source {
        Source::FileImport { job_id, .. } | Source::Paste { job_id } => *job_id,
        Source::Manual | Source::Sync => None,
    }
}

#[derive(Deserialize, Default)]
pub(super) struct Incoming {
    #[serde(default)]
    pub(super) profile: ValidProfile,
    #[serde(default)]
    pub(super) consent: ConsentInput,
    #[serde(default)]
    pub(super) policy: Option<MergePolicy>,
}

/// The decision as the `resolution` column keeps it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StoredOutcome {
    pub(super) action: ReviewAction,
    #[serde(default)]
    pub(super) profile_id: Option<ProfileId>,
    #[serde(default)]
    pub(super) removed: Vec<ProfileId>,
    /// The incoming data's masked label.
    #[serde(default)]
    pub(super) incoming_label: String,
    /// Why a review was dismissed without a person deciding (an undone import).
    #[serde(default)]
    pub(super) reason: Option<String>,
}

pub(super) struct StoredReview {
    pub(super) id: i64,
    pub(super) status: ReviewStatus,
    pub(super) created_at: String,
    pub(super) created_by: String,
    pub(super) source: Source,
    pub(super) job_id: Option<i64>,
    pub(super) incoming: Incoming,
    pub(super) candidates: Vec<MatchCandidate>,
    pub(super) resolved_at: Option<String>,
    pub(super) resolved_by: Option<String>,
    pub(super) outcome: Option<StoredOutcome>,
    pub(super) reason: ReviewReason,
}

pub(super) const REVIEW_COLUMNS: &str =
    "id, status, created_at, created_by, source, job_id, incoming, \
                              candidates, resolved_at, resolved_by, resolution, reason";

pub(super) fn review_from_row(r: &rusqlite::Row) -> rusqlite::Result<StoredReview> {
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
        // Reviews older than the guards were all left because several profiles matched.
        reason: ReviewReason::parse(&r.get::<_, String>(11)?)
            .unwrap_or(ReviewReason::SeveralMatches),
    })
}

pub(super) fn load_review(conn: &Connection, id: i64) -> Result<StoredReview> {
    conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS} FROM merge_reviews WHERE id = ?1"
    ))?
    .query_row([id], review_from_row)
    .optional()?
    .ok_or_else(|| {
        Error::not_found(
            "noReview",
            serde_json::json!({ "id": id }),
            format!("There is no merge review {id}"),
        )
    })
}

pub(super) fn exists(conn: &Connection, id: ProfileId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM profiles WHERE id = ?1")?
        .exists([id])?)
}

/// The label of profile `id` now, or its masked stored label when it is gone.
fn candidate_label(conn: &Connection, id: ProfileId, stored: &str) -> Result<(String, bool)> {
    if exists(conn, id)? {
        Ok((profiles::stored_label(conn, id)?, false))
    } else {
        Ok((mask_label(stored), true))
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
                    (profiles::stored_label(conn, c.profile_id)?, false)
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
        reason: r.reason,
    })
}

// ---- the candidates as they are now ------------------------------------------------------

pub(super) struct Live {
    pub(super) profile: ValidProfile,
    pub(super) updated_at: String,
    pub(super) still_matches: bool,
}

pub(super) struct Candidate {
    pub(super) profile_id: ProfileId,
    pub(super) stored_label: String,
    pub(super) matched_by: MatchKey,
    pub(super) new_match: bool,
    pub(super) live: Option<Live>,
}

/// The review's candidates now: the stored ones (gone or live), then the profiles that match
/// the incoming data now and did not then.
pub(super) fn current_candidates(
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
                stored_label: profiles::stored_label(conn, *id)?,
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
pub(super) fn version(candidates: &[Candidate]) -> String {
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
        _ => return profiles::display_value(field, p),
    };
    items.sort();
    items.join("\u{1f}")
}

fn distinct_non_empty(keys: impl Iterator<Item = String>) -> usize {
    keys.filter(|k| !k.is_empty())
        .collect::<BTreeSet<String>>()
        .len()
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
                    .map(|p| {
                        p.map(|p| profiles::shown_value(f, p, settings.region))
                            .unwrap_or_default()
                    })
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
}
