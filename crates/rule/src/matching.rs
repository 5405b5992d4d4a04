//! The synchronization rule's match planning (SPEC 6): which existing profiles share a match
//! key with incoming data, in the configured key order, and what the rule does about it —
//! create (no match), merge into the one match, or leave a merge review (several). The stores
//! that hold the candidates (the app's SQLite file, a server's database) answer the look-ups
//! through [`Candidates`]; the decision itself is here, once, for all of them.

use crate::guards::{keep_accents, same_person, Guards, ReviewReason, SharedKeys};
use crate::merge::merge;
use crate::validate::ValidProfile;
use crate::vocab::{FieldChange, FieldError, MatchKey, MergePolicy, ProfileId};

/// Looks up the existing profiles that hold one match-key value. Each answer lists profile ids
/// in ascending order (ids only grow, so that is oldest first).
pub trait Candidates {
    type Error;
    /// Profiles holding this phone (E.164).
    fn by_phone(&mut self, e164: &str) -> Result<Vec<ProfileId>, Self::Error>;
    /// Profiles holding this e-mail match key.
    fn by_email(&mut self, key: &str) -> Result<Vec<ProfileId>, Self::Error>;
    /// Profiles with this customer code (trimmed).
    fn by_customer_code(&mut self, code: &str) -> Result<Vec<ProfileId>, Self::Error>;
}

/// The existing profiles that share a match key with `incoming`, in the configured key order;
/// each profile is listed once, with the first key that tied it. Values `shared` excludes (a
/// switchboard number of the same file) are not looked up.
pub fn find_matches<C: Candidates>(
    incoming: &ValidProfile,
    keys: &[MatchKey],
    shared: &SharedKeys,
    candidates: &mut C,
) -> Result<Vec<(ProfileId, MatchKey)>, C::Error> {
    let mut found: Vec<(ProfileId, MatchKey)> = Vec::new();
    let mut add = |ids: Vec<ProfileId>, key: MatchKey| {
        for id in ids {
            if !found.iter().any(|(f, _)| *f == id) {
                found.push((id, key));
            }
        }
    };
    for key in keys {
        match key {
            MatchKey::Phone => {
                for phone in &incoming.phones {
                    if shared.excludes(*key, &phone.e164) {
                        continue;
                    }
                    add(candidates.by_phone(&phone.e164)?, *key);
                }
            }
            MatchKey::Email => {
                for email in &incoming.emails {
                    if shared.excludes(*key, &email.key) {
                        continue;
                    }
                    add(candidates.by_email(&email.key)?, *key);
                }
            }
            MatchKey::CustomerCode => {
                if let Some(code) = incoming.scalars.get("customer_code").map(|c| c.trim()) {
                    if shared.excludes(*key, code) {
                        continue;
                    }
                    add(candidates.by_customer_code(code)?, *key);
                }
            }
        }
    }
    Ok(found)
}

/// What the synchronization rule does with one incoming profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchPlan {
    /// No existing profile matches: create a new one.
    Create,
    /// Exactly one matches: merge the incoming values into it.
    Merge {
        profile_id: ProfileId,
        key: MatchKey,
    },
    /// Several match: a person decides (merge review).
    Review(Vec<(ProfileId, MatchKey)>),
}

/// The rule's decision for the matches [`find_matches`] found.
pub fn plan(matches: Vec<(ProfileId, MatchKey)>) -> MatchPlan {
    match matches.as_slice() {
        [] => MatchPlan::Create,
        [(profile_id, key)] => MatchPlan::Merge {
            profile_id: *profile_id,
            key: *key,
        },
        _ => MatchPlan::Review(matches),
    }
}

/// The first guard of [`guarded_merge`], which needs nothing of the profile that matched but
/// its name (`existing_name`, empty when it has none): `incoming` may be merged into it only
/// when the names can be one person's. A store checks it before reading the rest of that
/// profile: a stranger's row with a customer's phone goes to review at the cost of one read.
pub fn name_guard(existing_name: &str, incoming: &ValidProfile) -> Result<(), ReviewReason> {
    let incoming_name = incoming.scalars.get("full_name").map_or("", String::as_str);
    if same_person(existing_name, incoming_name) {
        Ok(())
    } else {
        Err(ReviewReason::NameDiffers)
    }
}

/// The merge of `incoming` into the one profile that matched, through the guards: a name that
/// is clearly another person's, or a result with more identifiers than the limits, is left for
/// a person to decide; a name that differs only by lost accents keeps its accents. The merged
/// profile and its changes, or why it goes to review.
pub fn guarded_merge(
    existing: &ValidProfile,
    incoming: &ValidProfile,
    policy: MergePolicy,
    guards: &Guards,
) -> Result<(ValidProfile, Vec<FieldChange>), ReviewReason> {
    name_guard(
        existing.scalars.get("full_name").map_or("", String::as_str),
        incoming,
    )?;
    let mut incoming = incoming.clone();
    keep_accents(existing, &mut incoming);
    let (merged, changes) = merge(existing, &incoming, policy);
    let grows_past = |after: usize, before: usize, max: u32| after > before && after > max as usize;
    if grows_past(
        merged.phones.len(),
        existing.phones.len(),
        guards.max_phones,
    ) || grows_past(
        merged.emails.len(),
        existing.emails.len(),
        guards.max_emails,
    ) {
        return Err(ReviewReason::IdentifierLimit);
    }
    Ok((merged, changes))
}

/// A new profile may not start with more identifiers than a profile may hold.
pub fn require_within_limits(incoming: &ValidProfile, guards: &Guards) -> Result<(), FieldError> {
    let over = |n: usize, max: u32, field: &str, what: &str| {
        (n > max as usize).then(|| {
            FieldError::new(
                field,
                "identifierLimit",
                format!(
                    "A profile holds at most {max} {what} (Settings → Synchronization rule); this one has {n}"
                ),
            )
            .with("max", max)
            .with("given", n)
        })
    };
    match over(incoming.phones.len(), guards.max_phones, "phones", "phones").or_else(|| {
        over(
            incoming.emails.len(),
            guards.max_emails,
            "emails",
            "e-mails",
        )
    }) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// SPEC 1: a profile needs at least one identifier (full name, phone or e-mail).
pub fn require_identifier(incoming: &ValidProfile) -> Result<(), FieldError> {
    if incoming.is_identified() {
        Ok(())
    } else {
        Err(FieldError::new(
            "identification",
            "identificationRequired",
            "A profile needs at least one identifier: full name, phone or e-mail".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::validate::EmailValue;
    use crate::vocab::PhoneValue;

    /// An in-memory store of profiles' keys: the rule needs nothing more.
    #[derive(Default)]
    struct Keys {
        phones: BTreeMap<String, Vec<ProfileId>>,
        emails: BTreeMap<String, Vec<ProfileId>>,
        codes: BTreeMap<String, Vec<ProfileId>>,
        lookups: usize,
    }

    impl Candidates for Keys {
        type Error = std::convert::Infallible;
        fn by_phone(&mut self, e164: &str) -> Result<Vec<ProfileId>, Self::Error> {
            self.lookups += 1;
            Ok(self.phones.get(e164).cloned().unwrap_or_default())
        }
        fn by_email(&mut self, key: &str) -> Result<Vec<ProfileId>, Self::Error> {
            self.lookups += 1;
            Ok(self.emails.get(key).cloned().unwrap_or_default())
        }
        fn by_customer_code(&mut self, code: &str) -> Result<Vec<ProfileId>, Self::Error> {
            self.lookups += 1;
            Ok(self.codes.get(code).cloned().unwrap_or_default())
        }
    }

    fn incoming(phones: &[&str], emails: &[&str], code: Option<&str>) -> ValidProfile {
        let mut p = ValidProfile {
            phones: phones
                .iter()
                .map(|e| PhoneValue {
                    raw: e.to_string(),
                    e164: e.to_string(),
                    label: None,
                })
                .collect(),
            emails: emails
                .iter()
                .map(|k| EmailValue {
                    raw: k.to_string(),
                    key: k.to_string(),
                })
                .collect(),
            ..ValidProfile::default()
        };
        if let Some(code) = code {
            p.scalars.insert("customer_code".into(), code.into());
        }
        p
    }

    fn store() -> Keys {
        let mut k = Keys::default();
        k.phones.insert("+84912345678".into(), vec![1]);
        k.phones.insert("+84987654321".into(), vec![2, 3]);
        k.emails.insert("lan@example.vn".into(), vec![2]);
        k.codes.insert("KH-7".into(), vec![4]);
        k
    }

    #[test]
    fn the_name_guard_alone_decides_as_the_guarded_merge_does() {
        let named = |name: &str| {
            let mut p = incoming(&["+84912345678"], &[], None);
            if !name.is_empty() {
                p.scalars.insert("full_name".into(), name.into());
            }
            p
        };
        let guards = Guards::default();
        for (stored, typed, same) in [
            ("Trần Thị Lan", "Phạm Văn Hùng", false),
            ("Trần Thị Lan", "Tran Thi Lan", true),
            ("Trần Thị Lan", "Lan", true),
            ("", "Phạm Văn Hùng", true),
            ("Trần Thị Lan", "", true),
        ] {
            let by_name = name_guard(stored, &named(typed));
            let merged = guarded_merge(
                &named(stored),
                &named(typed),
                MergePolicy::default(),
                &guards,
            );
            assert_eq!(by_name.is_ok(), same, "{stored} / {typed}");
            assert_eq!(
                by_name.err(),
                merged.err().filter(|r| *r == ReviewReason::NameDiffers),
                "{stored} / {typed}: the store's early check and the merge agree"
            );
        }
    }

    #[test]
    fn no_match_creates() {
        let found = find_matches(
            &incoming(&["+84900000000"], &["x@example.vn"], None),
            &MatchKey::ALL,
            &SharedKeys::default(),
            &mut store(),
        )
        .unwrap();
        assert_eq!(plan(found), MatchPlan::Create, "nothing shares a key");
    }

    #[test]
    fn one_match_merges_with_the_key_that_tied_it() {
        let found = find_matches(
            &incoming(&["+84912345678"], &[], None),
            &MatchKey::ALL,
            &SharedKeys::default(),
            &mut store(),
        )
        .unwrap();
        assert_eq!(
            plan(found),
            MatchPlan::Merge {
                profile_id: 1,
                key: MatchKey::Phone
            }
        );
    }

    #[test]
    fn several_matches_go_to_review_each_listed_once_with_its_first_key() {
        let found = find_matches(
            &incoming(&["+84987654321"], &["lan@example.vn"], Some(" KH-7 ")),
            &MatchKey::ALL,
            &SharedKeys::default(),
            &mut store(),
        )
        .unwrap();
        assert_eq!(
            found,
            vec![
                (2, MatchKey::Phone),
                (3, MatchKey::Phone),
                (4, MatchKey::CustomerCode)
            ],
            "profile 2 is tied by phone first (the key order), not again by e-mail; the code is trimmed"
        );
        assert!(matches!(plan(found), MatchPlan::Review(c) if c.len() == 3));
    }

    #[test]
    fn only_the_configured_keys_are_looked_up() {
        let mut keys = store();
        let found = find_matches(
            &incoming(&["+84912345678"], &["lan@example.vn"], None),
            &[MatchKey::Email],
            &SharedKeys::default(),
            &mut keys,
        )
        .unwrap();
        assert_eq!(
            found,
            vec![(2, MatchKey::Email)],
            "phones are not a key here"
        );
        assert_eq!(keys.lookups, 1, "one look-up: the e-mail");
    }

    #[test]
    fn a_profile_needs_an_identifier() {
        let err = require_identifier(&ValidProfile::default()).unwrap_err();
        assert_eq!(err.code, "identificationRequired");
        assert!(require_identifier(&incoming(&["+84912345678"], &[], None)).is_ok());
    }

    #[test]
    fn a_shared_value_is_not_looked_up() {
        let mut counter = crate::guards::SharedKeyCounter::default();
        for (i, name) in ["An", "Bình", "Chi", "Dũng"].iter().enumerate() {
            let mut p = incoming(&["+84987654321"], &[], None);
            p.scalars.insert("full_name".into(), name.to_string());
            counter.add(i as u32, &p);
        }
        let shared = counter.finish(&Guards::default());
        let found = find_matches(
            &incoming(&["+84987654321", "+84912345678"], &[], None),
            &MatchKey::ALL,
            &shared,
            &mut store(),
        )
        .unwrap();
        assert_eq!(
            found,
            vec![(1, MatchKey::Phone)],
            "only the row's own number matched"
        );
    }

    fn named(name: &str, phones: &[&str], emails: &[&str]) -> ValidProfile {
        let mut p = incoming(phones, emails, None);
        p.scalars.insert("full_name".into(), name.into());
        p
    }

    #[test]
    fn a_stranger_with_the_same_phone_goes_to_review() {
        let existing = named("Trần Thị Lan", &["+84912345678"], &[]);
        let stranger = named("Phạm Văn Hùng", &["+84912345678"], &[]);
        assert_eq!(
            guarded_merge(
                &existing,
                &stranger,
                MergePolicy::Overwrite,
                &Guards::default()
            ),
            Err(ReviewReason::NameDiffers)
        );
    }

    #[test]
    fn the_same_name_without_accents_merges_and_keeps_the_accents() {
        let existing = named("Nguyễn Văn Ánh", &["+84912345678"], &[]);
        let typed = named("Nguyen Van Anh", &["+84912345678", "+84987654321"], &[]);
        let (merged, changes) = guarded_merge(
            &existing,
            &typed,
            MergePolicy::Overwrite,
            &Guards::default(),
        )
        .unwrap();
        assert_eq!(merged.scalars["full_name"], "Nguyễn Văn Ánh");
        assert_eq!(merged.phones.len(), 2, "the new phone is added");
        assert!(
            changes.iter().all(|c| c.field != "full_name"),
            "the name did not change"
        );
    }

    #[test]
    fn a_merge_past_the_identifier_limit_goes_to_review() {
        let guards = Guards {
            max_phones: 2,
            ..Guards::default()
        };
        let existing = named("Lan", &["+84912345671", "+84912345672"], &[]);
        let more = named("Lan", &["+84912345671", "+84912345673"], &[]);
        assert_eq!(
            guarded_merge(&existing, &more, MergePolicy::Overwrite, &guards),
            Err(ReviewReason::IdentifierLimit)
        );
        let same = named("Lan", &["+84912345672"], &[]);
        assert!(
            guarded_merge(&existing, &same, MergePolicy::Overwrite, &guards).is_ok(),
            "nothing new: within the limit"
        );
        let err = require_within_limits(
            &named(
                "Lan",
                &["+84912345671", "+84912345672", "+84912345673"],
                &[],
            ),
            &guards,
        )
        .unwrap_err();
        assert_eq!(err.code, "identifierLimit");
        assert!(err.message.contains("at most 2 phones"), "{}", err.message);
    }
}
