//! The merge review's public types: what the list, the side-by-side detail, a decision and
//! its result carry.

use serde::{Deserialize, Serialize};

use crate::auth::Permission;
use crate::model::{MatchKey, MergePolicy, ProfileId, ReviewReason};

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

pdesk_normalize::text_enum!(pub(super) ReviewAction {
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
    /// Why the rule left this review instead of merging.
    pub reason: ReviewReason,
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
    pub(super) fn action(&self) -> ReviewAction {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
