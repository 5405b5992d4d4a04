//! A local profile (`ValidProfile`) on the wire (`ProfileFields` with OR-set tags), and back:
//! what a create sends, what an update's diff is, and how a server state reads locally.

use std::collections::BTreeMap;

use pdesk_normalize::email_key;
use pdesk_rule::validate::{EmailValue, ValidProfile, SCALAR_COLUMNS};
use pdesk_rule::vocab::PhoneValue;
use pdesk_sync_proto::profile::{EmailItem, PhoneItem, ProfileFields, TagItem};
use pdesk_sync_proto::push::{FieldSet, ListAdds, ListRemoves, ProfileUpdate, Removal};
use serde_json::Value;

use super::known::{Known, Lists};
use super::new_id;

fn tagged(lists: &mut BTreeMap<String, Vec<String>>, key: &str) -> String {
    let tag = new_id();
    lists.entry(key.to_string()).or_default().push(tag.clone());
    tag
}

fn phone_item(p: &PhoneValue, lists: &mut Lists) -> PhoneItem {
    PhoneItem {
        raw: p.raw.clone(),
        e164: (!p.e164.is_empty()).then(|| p.e164.clone()),
        tag: tagged(&mut lists.phones, &p.e164),
    }
}

fn email_item(e: &EmailValue, lists: &mut Lists) -> EmailItem {
    EmailItem {
        raw: e.raw.clone(),
        tag: tagged(&mut lists.emails, &e.key),
    }
}

fn tag_item(t: &str, lists: &mut Lists) -> TagItem {
    TagItem {
        v: t.to_string(),
        tag: tagged(&mut lists.tags, t),
    }
}

/// The whole of `p` on the wire, each list value with a fresh tag (recorded in `lists`).
pub fn fields_of(p: &ValidProfile, lists: &mut Lists) -> ProfileFields {
    let mut fields = ProfileFields::default();
    for key in SCALAR_COLUMNS {
        if let Some(slot) = fields.scalar_mut(key) {
            *slot = p.scalars.get(key).cloned();
        }
    }
    fields.phones = p.phones.iter().map(|v| phone_item(v, lists)).collect();
    fields.emails = p.emails.iter().map(|v| email_item(v, lists)).collect();
    fields.tags = p.tags.iter().map(|v| tag_item(v, lists)).collect();
    fields.custom = p.custom.clone();
    fields
}

/// A server state's fields as the store keeps them.
pub fn profile_of(fields: &ProfileFields) -> ValidProfile {
    let mut p = ValidProfile::default();
    for key in SCALAR_COLUMNS {
        if let Some(v) = fields
            .scalar(key)
            .cloned()
            .flatten()
            .filter(|v| !v.is_empty())
        {
            p.scalars.insert(key.to_string(), v);
        }
    }
    p.phones = fields
        .phones
        .iter()
        .map(|ph| PhoneValue {
            raw: ph.raw.clone(),
            e164: ph.e164.clone().unwrap_or_else(|| ph.raw.clone()),
            label: None,
        })
        .collect();
    p.emails = fields
        .emails
        .iter()
        .map(|e| EmailValue {
            raw: e.raw.clone(),
            key: email_key(&e.raw),
        })
        .collect();
    p.tags = fields.tags.iter().map(|t| t.v.clone()).collect();
    p.custom = fields.custom.clone();
    p
}

/// The tags of a server state's list values.
pub fn lists_of(fields: &ProfileFields) -> Lists {
    let mut lists = Lists::default();
    for ph in &fields.phones {
        let key = ph.e164.clone().unwrap_or_else(|| ph.raw.clone());
        lists.phones.entry(key).or_default().push(ph.tag.clone());
    }
    for e in &fields.emails {
        lists
            .emails
            .entry(email_key(&e.raw))
            .or_default()
            .push(e.tag.clone());
    }
    for t in &fields.tags {
        lists
            .tags
            .entry(t.v.clone())
            .or_default()
            .push(t.tag.clone());
    }
    lists
}

/// The op that takes profile `gid` from `current` to `after`, on the versions in `known`
/// (updated with the tags the op adds and drops): changed scalar and custom fields as `set`
/// (a cleared field as `null`), new list values as adds, dropped ones as removals of the tags
/// this device saw. `None` when nothing differs.
pub fn update_of(
    gid: &str,
    known: &mut Known,
    current: &ValidProfile,
    after: &ValidProfile,
) -> Option<ProfileUpdate> {
    let mut set = BTreeMap::new();
    let base = |key: &str| known.fv.get(key).copied().unwrap_or(0);
    for key in SCALAR_COLUMNS {
        let (old, new) = (current.scalars.get(key), after.scalars.get(key));
        if old != new {
            set.insert(
                key.to_string(),
                FieldSet {
                    v: Some(new.map_or(Value::Null, |v| Value::String(v.clone()))),
                    base_fv: base(key),
                },
            );
        }
    }
    let custom_keys: std::collections::BTreeSet<&String> =
        current.custom.keys().chain(after.custom.keys()).collect();
    for key in custom_keys {
        let (old, new) = (current.custom.get(key), after.custom.get(key));
        if old != new {
            set.insert(
                key.clone(),
                FieldSet {
                    v: Some(new.cloned().unwrap_or(Value::Null)),
                    base_fv: base(key),
                },
            );
        }
    }
    // `v: null` reads as a clear; serde's `present_or_null` keeps the `Some(Null)` apart.
    for field in set.values_mut() {
        if field.v == Some(Value::Null) {
            field.v = None;
        }
    }
    let mut add = ListAdds::default();
    let mut remove = ListRemoves::default();
    let lists = &mut known.lists;
    for ph in &after.phones {
        if !current.phones.iter().any(|c| c.e164 == ph.e164) {
            add.phones.push(phone_item(ph, lists));
        }
    }
    for ph in &current.phones {
        if !after.phones.iter().any(|a| a.e164 == ph.e164) {
            remove.phones.push(removal(&mut lists.phones, &ph.e164));
        }
    }
    for e in &after.emails {
        if !current.emails.iter().any(|c| c.key == e.key) {
            add.emails.push(email_item(e, lists));
        }
    }
    for e in &current.emails {
        if !after.emails.iter().any(|a| a.key == e.key) {
            remove.emails.push(removal(&mut lists.emails, &e.key));
        }
    }
    for t in &after.tags {
        if !current.tags.contains(t) {
            add.tags.push(tag_item(t, lists));
        }
    }
    for t in &current.tags {
        if !after.tags.contains(t) {
            remove.tags.push(removal(&mut lists.tags, t));
        }
    }
    if set.is_empty() && add.is_empty() && remove.is_empty() {
        return None;
    }
    Some(ProfileUpdate {
        gid: gid.to_string(),
        base_rev: known.rev,
        set,
        add,
        remove,
    })
}

fn removal(tags: &mut BTreeMap<String, Vec<String>>, key: &str) -> Removal {
    Removal {
        v: key.to_string(),
        observed: tags.remove(key).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_has_every_scalar_column_of_the_rule_and_no_other() {
        assert_eq!(ProfileFields::SCALARS, SCALAR_COLUMNS);
        let mut fields = ProfileFields::default();
        for key in SCALAR_COLUMNS {
            *fields.scalar_mut(key).expect(key) = Some(key.to_string());
        }
        for key in SCALAR_COLUMNS {
            assert_eq!(fields.scalar(key), Some(&Some(key.to_string())));
        }
        assert!(
            fields.scalar("segment").is_none(),
            "a custom field is not a scalar"
        );
    }

    #[test]
    fn an_update_sends_what_changed_on_the_versions_seen_and_removes_only_tags_seen() {
        let mut before = ValidProfile::default();
        before.scalars.insert("city".into(), "Huế".into());
        before.scalars.insert("note".into(), "gọi lại".into());
        before.tags = vec!["vip".into(), "lead".into()];
        let mut after = before.clone();
        after.scalars.insert("city".into(), "Đà Nẵng".into());
        after.scalars.remove("note");
        after.tags = vec!["vip".into(), "mới".into()];
        let mut known = Known {
            rev: 7,
            fv: BTreeMap::from([("city".to_string(), 41)]),
            lists: Lists {
                tags: BTreeMap::from([("lead".to_string(), vec!["t-lead".to_string()])]),
                ..Lists::default()
            },
        };
        let op = update_of("g1", &mut known, &before, &after).expect("a change");
        assert_eq!(op.base_rev, 7);
        assert_eq!(op.set["city"].v, Some(Value::String("Đà Nẵng".into())));
        assert_eq!(op.set["city"].base_fv, 41);
        assert_eq!(op.set["note"].v, None, "a cleared field is sent as null");
        assert_eq!(op.add.tags.len(), 1);
        assert_eq!(op.add.tags[0].v, "mới");
        assert_eq!(
            op.remove.tags[0].observed,
            ["t-lead"],
            "only the tags this device saw"
        );
        assert!(
            known.lists.tags.contains_key("mới"),
            "the new tag is remembered"
        );
        assert!(!known.lists.tags.contains_key("lead"));
        assert!(
            update_of("g1", &mut known, &after, &after).is_none(),
            "no change, no op"
        );
    }
}
