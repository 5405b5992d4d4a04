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
//!
//! The code, by concern: `types` (what the list, the detail and a decision carry), `read` (the
//! stored reviews, the list, the side-by-side detail, the candidates as they are now),
//! `resolve` (the four decisions and their previews, each in one transaction with its audit
//! entries) and `text` (the sentences and display text the review shows).

mod read;
mod resolve;
mod text;
mod types;

pub(crate) use read::{incoming_json, source_job};
pub(crate) use resolve::{absorb, discard_reviews_of_undone_job};
pub(crate) use text::mask_label;
pub use types::{
    FieldPick, RemovedProfile, ResultValue, ReviewAction, ReviewCandidate, ReviewColumn,
    ReviewDecision, ReviewDetail, ReviewList, ReviewOutcome, ReviewQuery, ReviewResolution,
    ReviewRow, ReviewRowKind, ReviewStatus, ReviewSummary, RECENT_DAYS, REVIEW_LIST_LIMIT,
};
