//! The sentences and display text of the merge review: masked labels, where the incoming data
//! came from, how a review was resolved, counts of linked objects and consent statuses.

use rusqlite::Connection;

use super::read::{exists, StoredOutcome};
use super::types::ReviewAction;
use crate::error::Result;
use crate::model::{ConsentStatus, FieldDef, ProfileId, Source};
use crate::profiles;
use crate::profiles::mask::{mask_email, mask_name, mask_phone};

/// A stored label masked like the audit log's labels: an e-mail, a phone or a name.
pub(crate) fn mask_label(label: &str) -> String {
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

/// Where the incoming data came from, for people.
pub(super) fn origin(source: &Source, row: Option<u32>) -> String {
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

/// The label of a resolved review's result profile, now.
fn result_label(conn: &Connection, id: ProfileId) -> Result<String> {
    Ok(if exists(conn, id)? {
        format!("{} (#{id})", profiles::stored_label(conn, id)?)
    } else {
        format!("profile #{id}, deleted since")
    })
}

pub(super) fn ids_text(ids: &[ProfileId]) -> String {
    ids.iter()
        .map(|id| format!("#{id}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn outcome_message(conn: &Connection, o: &StoredOutcome) -> Result<String> {
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

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(super) fn status_label(s: ConsentStatus) -> &'static str {
    match s {
        ConsentStatus::Granted => "Granted",
        ConsentStatus::Denied => "Denied",
        ConsentStatus::Unknown => "Unknown",
    }
}

/// "2 accounts, 1 ticket" (or "None").
pub(super) fn links_text(counts: [u32; 4]) -> String {
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

pub(super) fn field_labels(fields: &[FieldDef], keys: &[String]) -> String {
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

pub(super) fn kept_note(kept: &[String]) -> String {
    if kept.is_empty() {
        String::new()
    } else {
        format!(
            " (consent for {} was recorded again after the import and is kept)",
            kept.join(", ")
        )
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
    fn links_read_as_a_sentence() {
        assert_eq!(links_text([2, 0, 1, 0]), "2 accounts, 1 ticket");
        assert_eq!(links_text([0, 1, 0, 3]), "1 opportunity, 3 tasks");
        assert_eq!(links_text([0; 4]), "None", "no links");
    }
}
