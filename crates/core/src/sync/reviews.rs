//! Merge reviews the server opened (issue 13; SYNC.md §5.2): a create that matched several
//! customers on the server — or one deleted there recently, or one a guard of the rule stopped
//! — is stored there under its own gid, flagged, and nothing is merged until a person decides.
//! Every connected device lists them beside its own merge reviews: the customer held, the
//! customers it matched (as they are here), why, and three decisions — add it to one of them
//! (*attach*), merge them all into one (*merge all*), or keep it as a separate customer.
//!
//! A decision is recorded here at once and sent as a `review.resolve` op in the same
//! transaction; **it changes no profile here**: the server makes the merge (the first decision
//! to arrive wins; a later one is refused as `review_already_resolved` and listed with the
//! refused changes), and its result comes down through the pull as the merge tombstones and the
//! survivor's state every merge done on the server sends. Making the merge here as well would
//! send its effects up a second time.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::store::Store;
use pdesk_sync_proto::pull::{ItemStatus, ReviewChange};
use pdesk_sync_proto::push::{ReviewDecision, ReviewOpened};

/// Why the server held a customer for review, in the words of the local merge review where
/// they mean the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ServerReviewReason {
    /// It matched several different customers.
    SeveralMatches,
    /// It matched one customer whose name is clearly another person's.
    NameDiffers,
    /// Merging would give a customer more phones or e-mails than the limits.
    IdentifierLimit,
    /// Someone decided earlier that these are different people.
    KeptApart,
    /// It matched a customer deleted on the server recently (perhaps on request).
    DeletedRecently,
    /// A reason this version does not know (a newer server).
    Other,
}

impl ServerReviewReason {
    fn from_wire(word: &str) -> ServerReviewReason {
        match word {
            "several_matches" => ServerReviewReason::SeveralMatches,
            "name_differs" => ServerReviewReason::NameDiffers,
            "identifier_limit" => ServerReviewReason::IdentifierLimit,
            "kept_apart" => ServerReviewReason::KeptApart,
            "deleted_recently" => ServerReviewReason::DeletedRecently,
            _ => ServerReviewReason::Other,
        }
    }
}

/// What was decided about a server review (here or on another device).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ServerReviewAction {
    /// Add the held customer to one of the customers it matched.
    Attach,
    /// Merge every customer it matched and itself into one.
    MergeAll,
    /// Keep it as a separate customer.
    CreateNew,
}

// As the store keeps a decision.
pdesk_normalize::text_enum!(ServerReviewAction {
    Attach => "attach",
    MergeAll => "merge_all",
    CreateNew => "create_new",
});

impl ServerReviewAction {
    fn wire(self) -> ReviewDecision {
        match self {
            ServerReviewAction::Attach => ReviewDecision::Attach,
            ServerReviewAction::MergeAll => ReviewDecision::MergeAll,
            ServerReviewAction::CreateNew => ReviewDecision::CreateNew,
        }
    }

    fn from_wire(d: ReviewDecision) -> ServerReviewAction {
        match d {
            ReviewDecision::Attach => ServerReviewAction::Attach,
            ReviewDecision::MergeAll => ServerReviewAction::MergeAll,
            ReviewDecision::CreateNew => ServerReviewAction::CreateNew,
        }
    }

    /// Attach and merge all change existing customers: `profile.edit`; keeping the held one as
    /// a new customer creates one: `profile.create` (as the local merge review asks).
    fn permission(self) -> Permission {
        match self {
            ServerReviewAction::CreateNew => Permission::ProfileCreate,
            _ => Permission::ProfileEdit,
        }
    }
}

/// A customer of a server review, as it is on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ServerReviewProfile {
    pub gid: String,
    /// The profile here and its name as the list shows it (`None`: not on this computer — not
    /// downloaded yet, or merged or deleted since).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub profile_id: Option<i64>,
    pub label: Option<String>,
}

/// A merge review the server opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ServerReview {
    pub id: String,
    /// The customer the server holds for review.
    pub held: ServerReviewProfile,
    /// The customers it matched on the server.
    pub candidates: Vec<ServerReviewProfile>,
    pub reason: ServerReviewReason,
    /// Resolved on the server (by whoever decided first).
    pub resolved: bool,
    /// The decision: made here and waiting for the server while not `resolved`, else the
    /// server's.
    pub decision: Option<ServerReviewAction>,
    /// The customer chosen here to keep (attach, merge all).
    pub target: Option<String>,
    pub decided_by: Option<String>,
    /// When a person on this computer decided (`None`: not decided here).
    pub decided_at: Option<String>,
    /// When this computer first learned of the review.
    pub at: String,
}

/// A decision on a server review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "action", content = "target")]
pub enum ServerReviewDecision {
    /// Add the held customer to this candidate (its gid).
    Attach(String),
    /// Merge the held customer and every candidate into this candidate (its gid).
    MergeAll(String),
    /// Keep the held customer as a separate customer.
    CreateNew,
}

impl ServerReviewDecision {
    fn action(&self) -> ServerReviewAction {
        match self {
            ServerReviewDecision::Attach(_) => ServerReviewAction::Attach,
            ServerReviewDecision::MergeAll(_) => ServerReviewAction::MergeAll,
            ServerReviewDecision::CreateNew => ServerReviewAction::CreateNew,
        }
    }

    fn target(&self) -> Option<&str> {
        match self {
            ServerReviewDecision::Attach(t) | ServerReviewDecision::MergeAll(t) => Some(t),
            ServerReviewDecision::CreateNew => None,
        }
    }
}

/// How many resolved server reviews the list keeps after the open ones (newest first).
const RESOLVED_SHOWN: i64 = 100;

/// The stored columns of a review, before its customers are looked up here.
struct StoredReview {
    id: String,
    gid: String,
    /// The held customer's label when it was last here.
    label: Option<String>,
    candidates: Vec<String>,
    reason: String,
    resolved: bool,
    decision: Option<String>,
    target: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
    at: String,
    /// The server's rev of the review: a decision is sent as based on it.
    rev: u64,
}

const REVIEW_COLUMNS: &str =
    "id, gid, candidates, reason, status, decision, target, decided_by, decided_at, at, rev, label";

fn read_stored(r: &rusqlite::Row) -> rusqlite::Result<StoredReview> {
    Ok(StoredReview {
        id: r.get(0)?,
        gid: r.get(1)?,
        candidates: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
        reason: r.get(3)?,
        resolved: r.get::<_, String>(4)? == "resolved",
        decision: r.get(5)?,
        target: r.get(6)?,
        decided_by: r.get(7)?,
        decided_at: r.get(8)?,
        at: r.get(9)?,
        rev: r.get::<_, i64>(10)? as u64,
        label: r.get(11)?,
    })
}

impl Store {
    /// The merge reviews the server opened: every open one (oldest first), then the latest
    /// resolved ones. Each customer is named as it is here.
    pub fn server_reviews(&self, actor: &Actor) -> Result<Vec<ServerReview>> {
        actor.require(Permission::ProfileView)?;
        let mut stored: Vec<StoredReview> = self
            .conn
            .prepare(&format!(
                "SELECT {REVIEW_COLUMNS} FROM sync_reviews WHERE status = 'open' ORDER BY at, id"
            ))?
            .query_map([], read_stored)?
            .collect::<rusqlite::Result<_>>()?;
        let resolved = self
            .conn
            .prepare(&format!(
                "SELECT {REVIEW_COLUMNS} FROM sync_reviews WHERE status = 'resolved'
                  ORDER BY COALESCE(decided_at, at) DESC, id LIMIT ?1"
            ))?
            .query_map([RESOLVED_SHOWN], read_stored)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        stored.extend(resolved);
        stored
            .into_iter()
            .map(|s| {
                let mut held = self.review_profile(&s.gid)?;
                if held.label.is_none() {
                    // Merged away (or deleted) since: its label as it was, masked like a
                    // resolved local review's incoming data.
                    held.label = s.label.as_deref().map(crate::profiles::review::mask_label);
                }
                Ok(ServerReview {
                    held,
                    candidates: s
                        .candidates
                        .iter()
                        .map(|gid| self.review_profile(gid))
                        .collect::<Result<_>>()?,
                    reason: ServerReviewReason::from_wire(&s.reason),
                    resolved: s.resolved,
                    decision: s.decision.as_deref().and_then(ServerReviewAction::parse),
                    target: s.target,
                    decided_by: s.decided_by,
                    decided_at: s.decided_at,
                    at: s.at,
                    id: s.id,
                })
            })
            .collect()
    }

    /// How many server reviews wait for a decision (decided here and not yet resolved there
    /// do not: nothing is left to do on this computer).
    pub fn open_server_review_count(&self, actor: &Actor) -> Result<u32> {
        actor.require(Permission::ProfileView)?;
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM sync_reviews WHERE status = 'open' AND decided_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Decides server review `id` — recorded here and sent as a `review.resolve` op in one
    /// transaction, audited. No profile changes here until the server's result comes down.
    pub fn resolve_server_review(
        &mut self,
        actor: &Actor,
        id: &str,
        decision: &ServerReviewDecision,
    ) -> Result<()> {
        let action = decision.action();
        actor.require(action.permission())?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let review: Option<StoredReview> = tx
            .query_row(
                &format!("SELECT {REVIEW_COLUMNS} FROM sync_reviews WHERE id = ?1"),
                [id],
                read_stored,
            )
            .optional()?;
        let Some(review) = review else {
            return Err(Error::not_found(
                "noServerReview",
                serde_json::json!({ "serverReview": id }),
                format!("There is no review {id} from the server"),
            ));
        };
        if review.resolved || review.decided_at.is_some() {
            return Err(Error::conflict(
                "serverReviewDecided",
                serde_json::json!({ "serverReview": id }),
                format!("Review {id} is already decided"),
            ));
        }
        if let Some(target) = decision.target() {
            if !review.candidates.iter().any(|c| c == target) {
                return Err(Error::conflict(
                    "notAServerCandidate",
                    serde_json::json!({ "serverReview": id }),
                    format!("The customer chosen is not one that review {id} matched"),
                ));
            }
        }
        let target = decision.target().map(str::to_string);
        crate::outbox::review_resolved(&tx, id, review.rev, action.wire(), target.clone(), &at)?;
        tx.execute(
            "UPDATE sync_reviews SET decision = ?2, target = ?3, decided_by = ?4, decided_at = ?5,
                    label = COALESCE(?6, label)
              WHERE id = ?1",
            params![
                id,
                action.as_str(),
                target,
                actor.name,
                at,
                label_here(&tx, &review.gid)?
            ],
        )?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "sync.review",
            &format!("review:{id}"),
            serde_json::json!({
                "review": id,
                "profile": review.gid,
                "decision": action.as_str(),
                "target": target,
            }),
        )?;
        tx.commit()?;
        self.touched();
        Ok(())
    }

    /// A customer of a review as it is here: its profile and label, if this computer has it.
    fn review_profile(&self, gid: &str) -> Result<ServerReviewProfile> {
        let profile_id = crate::profiles::storage::id_of_gid(&self.conn, gid)?;
        Ok(ServerReviewProfile {
            gid: gid.to_string(),
            label: profile_id
                .map(|id| crate::profiles::stored_label(&self.conn, id))
                .transpose()?,
            profile_id,
        })
    }
}

/// The label of the profile with `gid` here, if this store has it (kept with the review so it
/// can still be named once the customer is merged away).
fn label_here(tx: &Transaction, gid: &str) -> Result<Option<String>> {
    crate::profiles::storage::id_of_gid(tx, gid)?
        .map(|id| crate::profiles::stored_label(tx, id))
        .transpose()
}

/// A review the push's answer opened for one of this store's creates: listed at once, before
/// the pull brings it with its reason.
pub(super) fn record_opened(
    tx: &Transaction,
    opened: &ReviewOpened,
    gid: Option<&str>,
    at: &str,
) -> Result<()> {
    let Some(gid) = opened.gid.as_deref().or(gid) else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO sync_reviews(id, rev, gid, candidates, reason, at, label)
         VALUES (?1, 1, ?2, ?3, 'several_matches', ?4, ?5)
         ON CONFLICT(id) DO NOTHING",
    )?
    .execute(params![
        opened.review,
        gid,
        serde_json::json!(opened.candidates).to_string(),
        at,
        label_here(tx, gid)?,
    ])?;
    Ok(())
}

/// Records review `r` as it came down. Its status follows the server; a decision made here
/// and not yet resolved there is kept (the server's answer to it comes with a later page).
pub(super) fn record_pulled(tx: &Transaction, r: &ReviewChange, at: &str) -> Result<()> {
    let state = &r.state;
    let resolved = state.status == ItemStatus::Resolved;
    let decision = state
        .decision
        .map(|d| ServerReviewAction::from_wire(d).as_str());
    tx.prepare_cached(
        "INSERT INTO sync_reviews(id, rev, gid, candidates, reason, status, decision, decided_by,
                                  at, label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(id) DO UPDATE SET
             rev = excluded.rev, gid = excluded.gid, candidates = excluded.candidates,
             label = COALESCE(excluded.label, sync_reviews.label),
             reason = excluded.reason, status = excluded.status,
             decision = CASE WHEN excluded.status = 'resolved' THEN excluded.decision
                             ELSE sync_reviews.decision END,
             decided_by = CASE WHEN excluded.status = 'resolved' THEN excluded.decided_by
                               ELSE sync_reviews.decided_by END,
             -- The target chosen here names the outcome only if the server's decision is
             -- the one made here (the wire does not carry the target).
             target = CASE WHEN excluded.status = 'resolved'
                                AND excluded.decision IS NOT sync_reviews.decision
                           THEN NULL ELSE sync_reviews.target END",
    )?
    .execute(params![
        r.id,
        r.rev as i64,
        state.gid,
        serde_json::json!(state.candidates).to_string(),
        state.reason,
        if resolved { "resolved" } else { "open" },
        decision,
        state.resolved_by,
        at,
        label_here(tx, &state.gid)?,
    ])?;
    Ok(())
}
