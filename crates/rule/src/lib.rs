//! The synchronization rule, pure: raw input validated into a [`ValidProfile`], the match
//! planning of SPEC 6 ([`matching`]), and how two profiles merge or differ ([`merge`]). No
//! database and no I/O — the stores that hold the candidates answer through
//! [`matching::Candidates`] — so the app, the command line and a sync server apply exactly the
//! same rule, and every branch is tested without a database.
//!
//! Depends on `pdesk-normalize` only (phones, e-mails, dates, text folding).

pub mod catalogue;
pub mod guards;
pub mod matching;
pub mod merge;
pub mod validate;
pub mod vocab;

#[cfg(test)]
mod properties;

pub use guards::{same_person, Guards, ReviewReason, SharedKey, SharedKeyCounter, SharedKeys};
pub use matching::{
    find_matches, guarded_merge, name_guard, plan, require_identifier, require_within_limits,
    Candidates, MatchPlan,
};
pub use merge::{apply_edit, diff, merge, merge_all, not_kept, MergeSourceId};
pub use validate::{validate, EmailValue, ValidProfile};
