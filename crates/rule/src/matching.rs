//! The synchronization rule's match planning (SPEC 6): which existing profiles share a match
//! key with incoming data, in the configured key order, and what the rule does about it —
//! create (no match), merge into the one match, or leave a merge review (several). The stores
//! that hold the candidates (the app's SQLite file, a server's database) answer the look-ups
//! through [`Candidates`]; the decision itself is here, once, for all of them.

use crate::validate::ValidProfile;
use crate::vocab::{FieldError, MatchKey, ProfileId};

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
/// each profile is listed once, with the first key that tied it.
pub fn find_matches<C: Candidates>(
    incoming: &ValidProfile,
    keys: &[MatchKey],
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
                    add(candidates.by_phone(&phone.e164)?, *key);
                }
            }
            MatchKey::Email => {
                for email in &incoming.emails {
                    add(candidates.by_email(&email.key)?, *key);
                }
            }
            MatchKey::CustomerCode => {
                if let Some(code) = incoming.scalars.get("customer_code").map(|c| c.trim()) {
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

/// SPEC 1: a profile needs at least one identifier (full name, phone or e-mail).
pub fn require_identifier(incoming: &ValidProfile) -> Result<(), FieldError> {
    if incoming.is_identified() {
        Ok(())
    } else {
        Err(FieldError {
            field: "identification".into(),
            code: "identificationRequired".into(),
            message: "A profile needs at least one identifier: full name, phone or e-mail".into(),
        })
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
    fn no_match_creates() {
        let found = find_matches(
            &incoming(&["+84900000000"], &["x@example.vn"], None),
            &MatchKey::ALL,
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
}
