//! The pure part of the synchronization rule and of edits: how two sets of values combine, and
//! which fields changed. No database here, so every branch is unit-tested directly.

use std::collections::BTreeSet;

use crate::validate::ValidProfile;
use crate::vocab::{FieldChange, MergePolicy};

/// A field's value as one comparable, displayable text.
fn text_of(p: &ValidProfile, key: &str) -> String {
    match key {
        "phones" => p
            .phones
            .iter()
            .map(|x| x.raw.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        "emails" => p
            .emails
            .iter()
            .map(|x| x.raw.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        "tags" => p.tags.join(", "),
        k => match (p.scalars.get(k), p.custom.get(k)) {
            (Some(s), _) => s.clone(),
            (None, Some(serde_json::Value::String(s))) => s.clone(),
            (None, Some(serde_json::Value::Array(items))) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            (None, Some(v)) => v.to_string(),
            (None, None) => String::new(),
        },
    }
}

/// The fields whose value differs between `before` and `after`, in a stable order.
pub fn diff(before: &ValidProfile, after: &ValidProfile) -> Vec<FieldChange> {
    let mut keys: BTreeSet<&str> = ["phones", "emails", "tags"].into_iter().collect();
    keys.extend(
        before
            .scalars
            .keys()
            .chain(after.scalars.keys())
            .map(String::as_str),
    );
    keys.extend(
        before
            .custom
            .keys()
            .chain(after.custom.keys())
            .map(String::as_str),
    );
    keys.into_iter()
        .filter_map(|k| {
            let (b, a) = (text_of(before, k), text_of(after, k));
            (b != a).then(|| FieldChange {
                field: k.to_string(),
                before: b,
                after: a,
            })
        })
        .collect()
}

/// Merges `incoming` into `existing` (SPEC 6): new phones and e-mails are added to the lists,
/// tags are unioned, empty fields are filled, non-empty fields are overwritten unless the
/// policy is fill-empty-only. Incoming empties never erase anything (they are simply absent
/// from a `ValidProfile`).
pub fn merge(
    existing: &ValidProfile,
    incoming: &ValidProfile,
    policy: MergePolicy,
) -> (ValidProfile, Vec<FieldChange>) {
    let mut out = existing.clone();
    let overwrite = policy == MergePolicy::Overwrite;
    for (k, v) in &incoming.scalars {
        if overwrite || !out.scalars.contains_key(k) {
            out.scalars.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in &incoming.custom {
        if overwrite || !out.custom.contains_key(k) {
            out.custom.insert(k.clone(), v.clone());
        }
    }
    union_lists(&mut out, incoming);
    out.given.clear();
    let changes = diff(existing, &out);
    (out, changes)
}

/// Adds to `out` the phones (by E.164), e-mails (by match key) and tags of `other` it does not
/// hold yet, after its own.
fn union_lists(out: &mut ValidProfile, other: &ValidProfile) {
    for ph in &other.phones {
        if !out.phones.iter().any(|p| p.e164 == ph.e164) {
            out.phones.push(ph.clone());
        }
    }
    for e in &other.emails {
        if !out.emails.iter().any(|x| x.key == e.key) {
            out.emails.push(e.clone());
        }
    }
    for t in &other.tags {
        if !out.tags.contains(t) {
            out.tags.push(t.clone());
        }
    }
}

/// Where a merged-away value comes from in [`merge_all`]: the incoming data (`None`) or a
/// candidate profile.
pub type MergeSourceId = Option<i64>;

/// Merge review "merge all into one" (SPEC 6): `survivor` absorbs `others` (the incoming data
/// and the other candidates, in that order). Phones, e-mails, tags and the custom list fields
/// named in `lists` are unioned (the survivor's items first); a single-value field keeps the
/// survivor's value, or — when the survivor has none — the first of `others` that has one; a
/// field in `picks` takes the value of the source picked instead (the survivor's own id, or
/// `None` for the incoming data). Nothing from `others` is dropped silently: a value that is not
/// kept is reported by [`not_kept`].
pub fn merge_all(
    survivor_id: i64,
    survivor: &ValidProfile,
    others: &[(MergeSourceId, &ValidProfile)],
    picks: &std::collections::BTreeMap<String, MergeSourceId>,
    lists: &BTreeSet<String>,
) -> (ValidProfile, Vec<FieldChange>) {
    let mut out = survivor.clone();
    for (_, other) in others {
        for (k, v) in &other.scalars {
            out.scalars.entry(k.clone()).or_insert_with(|| v.clone());
        }
        for (k, v) in &other.custom {
            if lists.contains(k) {
                let merged = union_values(out.custom.get(k), v);
                out.custom.insert(k.clone(), merged);
            } else {
                out.custom.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        union_lists(&mut out, other);
    }
    for (field, from) in picks {
        if lists.contains(field) {
            continue;
        }
        let source = if *from == Some(survivor_id) {
            Some(survivor)
        } else {
            others.iter().find(|(id, _)| id == from).map(|(_, p)| *p)
        };
        let Some(source) = source else { continue };
        if let Some(v) = source.scalars.get(field) {
            out.scalars.insert(field.clone(), v.clone());
        } else if let Some(v) = source.custom.get(field) {
            out.custom.insert(field.clone(), v.clone());
        }
    }
    out.given.clear();
    let changes = diff(survivor, &out);
    (out, changes)
}

/// The values of `other` that `merged` does not hold (single-value fields that kept another
/// value): field, the value `other` had, the value kept.
pub fn not_kept(other: &ValidProfile, merged: &ValidProfile) -> Vec<FieldChange> {
    let mut keys: BTreeSet<&str> = other.scalars.keys().map(String::as_str).collect();
    keys.extend(other.custom.keys().map(String::as_str));
    keys.into_iter()
        .filter_map(|k| {
            let (had, kept) = (text_of(other, k), text_of(merged, k));
            let contained = match (other.custom.get(k), merged.custom.get(k)) {
                (Some(serde_json::Value::Array(a)), Some(serde_json::Value::Array(b))) => {
                    a.iter().all(|x| b.contains(x))
                }
                _ => had == kept,
            };
            (!contained).then(|| FieldChange {
                field: k.to_string(),
                before: had,
                after: kept,
            })
        })
        .collect()
}

/// The union of two custom list values (arrays), the first one's items first.
fn union_values(
    first: Option<&serde_json::Value>,
    second: &serde_json::Value,
) -> serde_json::Value {
    let mut items: Vec<serde_json::Value> = match first {
        Some(serde_json::Value::Array(a)) => a.clone(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    };
    let more: Vec<serde_json::Value> = match second {
        serde_json::Value::Array(a) => a.clone(),
        v => vec![v.clone()],
    };
    for v in more {
        if !items.contains(&v) {
            items.push(v);
        }
    }
    serde_json::Value::Array(items)
}

/// Applies an edit: every field the edit mentions (`given`) takes the edited value — an empty
/// one clears it; fields it does not mention stay as they are.
pub fn apply_edit(
    existing: &ValidProfile,
    edited: &ValidProfile,
) -> (ValidProfile, Vec<FieldChange>) {
    let mut out = existing.clone();
    for key in &edited.given {
        match key.as_str() {
            "phones" => out.phones = edited.phones.clone(),
            "emails" => out.emails = edited.emails.clone(),
            "tags" => out.tags = edited.tags.clone(),
            k => {
                out.scalars.remove(k);
                out.custom.remove(k);
                if let Some(v) = edited.scalars.get(k) {
                    out.scalars.insert(k.to_string(), v.clone());
                }
                if let Some(v) = edited.custom.get(k) {
                    out.custom.insert(k.to_string(), v.clone());
                }
            }
        }
    }
    out.given.clear();
    let changes = diff(existing, &out);
    (out, changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::EmailValue;
    use crate::vocab::PhoneValue;

    fn profile(
        name: Option<&str>,
        city: Option<&str>,
        phones: &[&str],
        emails: &[&str],
    ) -> ValidProfile {
        let mut p = ValidProfile::default();
        if let Some(n) = name {
            p.scalars.insert("full_name".into(), n.into());
        }
        if let Some(c) = city {
            p.scalars.insert("city".into(), c.into());
        }
        p.phones = phones
            .iter()
            .map(|e| PhoneValue {
                raw: e.to_string(),
                e164: e.to_string(),
                label: None,
            })
            .collect();
        p.emails = emails
            .iter()
            .map(|e| EmailValue {
                raw: e.to_string(),
                key: e.to_lowercase(),
            })
            .collect();
        p
    }

    #[test]
    fn merge_unions_lists_and_overwrites() {
        let existing = profile(Some("An"), Some("Huế"), &["+84912345678"], &["a@x.vn"]);
        let incoming = profile(
            Some("Nguyễn An"),
            None,
            &["+84912345678", "+84987654321"],
            &["b@x.vn"],
        );
        let (m, changes) = merge(&existing, &incoming, MergePolicy::Overwrite);
        assert_eq!(
            m.scalars["full_name"], "Nguyễn An",
            "non-empty fields are overwritten"
        );
        assert_eq!(
            m.scalars["city"], "Huế",
            "an empty incoming city never erases the stored one"
        );
        assert_eq!(
            m.phones.len(),
            2,
            "a new phone is added, the shared one is not repeated"
        );
        assert_eq!(m.emails.len(), 2, "the new e-mail is added to the list");
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["emails", "full_name", "phones"],
            "changes name what changed"
        );
    }

    #[test]
    fn fill_empty_only_keeps_existing_values() {
        let existing = profile(Some("An"), None, &[], &[]);
        let incoming = profile(Some("Other"), Some("Đà Nẵng"), &[], &[]);
        let (m, _) = merge(&existing, &incoming, MergePolicy::FillEmptyOnly);
        assert_eq!(
            m.scalars["full_name"], "An",
            "fill-empty-only never overwrites"
        );
        assert_eq!(m.scalars["city"], "Đà Nẵng", "but it fills an empty field");
    }

    #[test]
    fn merge_all_keeps_the_survivor_fills_the_gaps_and_unions_lists() {
        let survivor = profile(Some("Nguyễn Văn A"), None, &["+84912345678"], &["a@x.vn"]);
        let incoming = profile(Some("Nguyen Van A"), Some("Huế"), &["+84987654321"], &[]);
        let other = profile(
            Some("Anh A"),
            Some("Hà Nội"),
            &["+84912345678"],
            &["b@x.vn"],
        );
        let lists = BTreeSet::new();
        let (m, changes) = merge_all(
            1,
            &survivor,
            &[(None, &incoming), (Some(2), &other)],
            &Default::default(),
            &lists,
        );
        assert_eq!(
            m.scalars["full_name"], "Nguyễn Văn A",
            "the survivor's name is kept"
        );
        assert_eq!(
            m.scalars["city"], "Huế",
            "an empty field takes the first value offered"
        );
        let phones: Vec<&str> = m.phones.iter().map(|p| p.e164.as_str()).collect();
        assert_eq!(
            phones,
            ["+84912345678", "+84987654321"],
            "phones unioned, survivor first"
        );
        assert_eq!(m.emails.len(), 2, "e-mails unioned");
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            ["city", "emails", "phones"],
            "the changes of the survivor"
        );
        let lost = not_kept(&other, &m);
        let lost: Vec<(&str, &str)> = lost
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_str()))
            .collect();
        assert_eq!(
            lost,
            [("city", "Hà Nội"), ("full_name", "Anh A")],
            "what the other profile had and the survivor did not keep is reported"
        );
    }

    #[test]
    fn merge_all_follows_the_picks() {
        let survivor = profile(Some("A"), Some("Huế"), &[], &[]);
        let incoming = profile(Some("B"), None, &[], &[]);
        let other = profile(None, Some("Hà Nội"), &[], &[]);
        let mut picks = std::collections::BTreeMap::new();
        picks.insert("full_name".to_string(), None);
        picks.insert("city".to_string(), Some(2));
        let (m, _) = merge_all(
            1,
            &survivor,
            &[(None, &incoming), (Some(2), &other)],
            &picks,
            &BTreeSet::new(),
        );
        assert_eq!(
            m.scalars["full_name"], "B",
            "the name picked from the incoming data"
        );
        assert_eq!(
            m.scalars["city"], "Hà Nội",
            "the city picked from profile 2"
        );
        picks.insert("city".to_string(), Some(1));
        let (m, _) = merge_all(
            1,
            &survivor,
            &[(None, &incoming), (Some(2), &other)],
            &picks,
            &BTreeSet::new(),
        );
        assert_eq!(
            m.scalars["city"], "Huế",
            "picking the survivor keeps its own value"
        );
    }

    #[test]
    fn merge_all_unions_custom_list_fields() {
        let mut survivor = ValidProfile::default();
        survivor
            .custom
            .insert("interests".into(), serde_json::json!(["golf"]));
        let mut other = ValidProfile::default();
        other
            .custom
            .insert("interests".into(), serde_json::json!(["golf", "tennis"]));
        let lists: BTreeSet<String> = ["interests".to_string()].into();
        let (m, _) = merge_all(
            1,
            &survivor,
            &[(Some(2), &other)],
            &Default::default(),
            &lists,
        );
        assert_eq!(
            m.custom["interests"],
            serde_json::json!(["golf", "tennis"]),
            "multi-select values unioned"
        );
        assert!(
            not_kept(&other, &m).is_empty(),
            "every value of the other profile is kept"
        );
    }

    #[test]
    fn edit_clears_only_given_fields() {
        let existing = profile(Some("An"), Some("Huế"), &["+84912345678"], &[]);
        let mut edited = ValidProfile::default();
        edited.given.insert("city".into());
        let (after, changes) = apply_edit(&existing, &edited);
        assert!(
            !after.scalars.contains_key("city"),
            "a given empty field is cleared"
        );
        assert_eq!(
            after.scalars["full_name"], "An",
            "fields not given are kept"
        );
        assert_eq!(changes.len(), 1, "exactly the cleared field changed");
    }
}
