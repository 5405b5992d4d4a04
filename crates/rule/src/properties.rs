//! Property tests of the rule with its guards, on a store of profiles kept in memory: whatever
//! rows arrive, no profile ever holds more identifiers than the limits, and no profile's name
//! is changed into another person's without a review.

use proptest::prelude::*;

use crate::guards::{same_person, Guards};
use crate::matching::{
    find_matches, guarded_merge, plan, require_within_limits, Candidates, MatchPlan,
};
use crate::validate::{EmailValue, ValidProfile};
use crate::vocab::{MatchKey, MergePolicy, PhoneValue, ProfileId};
use pdesk_normalize::fold_for_search;

/// Profiles by id (index + 1), answering the rule's look-ups.
#[derive(Default)]
struct Memory(Vec<ValidProfile>);

impl Candidates for Memory {
    type Error = std::convert::Infallible;
    fn by_phone(&mut self, e164: &str) -> Result<Vec<ProfileId>, Self::Error> {
        Ok(self.ids(|p| p.phones.iter().any(|x| x.e164 == e164)))
    }
    fn by_email(&mut self, key: &str) -> Result<Vec<ProfileId>, Self::Error> {
        Ok(self.ids(|p| p.emails.iter().any(|x| x.key == key)))
    }
    fn by_customer_code(&mut self, code: &str) -> Result<Vec<ProfileId>, Self::Error> {
        Ok(self.ids(|p| p.scalars.get("customer_code").is_some_and(|c| c == code)))
    }
}

impl Memory {
    fn ids(&self, f: impl Fn(&ValidProfile) -> bool) -> Vec<ProfileId> {
        (0..self.0.len())
            .filter(|i| f(&self.0[*i]))
            .map(|i| i as ProfileId + 1)
            .collect()
    }
}

/// A few names (with and without their accents) and a few phones and e-mails, so that rows
/// match each other often, by the same person and by strangers.
const NAMES: &[&str] = &[
    "Nguyễn Văn Ánh",
    "Nguyen Van Anh",
    "Trần Thị Lan",
    "Lan",
    "Phạm Văn Hùng",
    "Lê Thị Hoa",
    "",
];

fn row() -> impl Strategy<Value = ValidProfile> {
    (
        0..NAMES.len(),
        prop::collection::vec(0u8..6, 0..4),
        prop::collection::vec(0u8..4, 0..3),
    )
        .prop_map(|(name, phones, emails)| {
            let mut p = ValidProfile::default();
            if !NAMES[name].is_empty() {
                p.scalars.insert("full_name".into(), NAMES[name].into());
            }
            for n in phones {
                let e164 = format!("+8491234567{n}");
                if !p.phones.iter().any(|x| x.e164 == e164) {
                    p.phones.push(PhoneValue {
                        raw: e164.clone(),
                        e164,
                        label: None,
                    });
                }
            }
            for n in emails {
                let key = format!("k{n}@shop.vn");
                if !p.emails.iter().any(|x| x.key == key) {
                    p.emails.push(EmailValue {
                        raw: key.clone(),
                        key,
                    });
                }
            }
            p
        })
}

fn name(p: &ValidProfile) -> String {
    p.scalars.get("full_name").cloned().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_profile_passes_the_limits_or_takes_a_strangers_name(
        rows in prop::collection::vec(row(), 1..40),
        max_phones in 1u32..4,
        max_emails in 1u32..3,
    ) {
        let guards = Guards { max_phones, max_emails, ..Guards::default() };
        let mut store = Memory::default();
        let shared = crate::guards::SharedKeys::default();
        for incoming in &rows {
            let found = find_matches(incoming, &MatchKey::ALL, &shared, &mut store).unwrap();
            match plan(found) {
                MatchPlan::Create => {
                    if require_within_limits(incoming, &guards).is_ok() {
                        store.0.push(incoming.clone());
                    }
                }
                MatchPlan::Merge { profile_id, .. } => {
                    let existing = store.0[profile_id as usize - 1].clone();
                    if let Ok((merged, _)) =
                        guarded_merge(&existing, incoming, MergePolicy::Overwrite, &guards)
                    {
                        let (before, after) = (name(&existing), name(&merged));
                        if fold_for_search(&before) != fold_for_search(&after) {
                            prop_assert!(
                                same_person(&before, &name(incoming)),
                                "{before:?} became {after:?} without a review"
                            );
                        }
                        prop_assert!(
                            !(fold_for_search(&before) == fold_for_search(&after)
                                && after != before
                                && after.chars().filter(|c| !c.is_ascii()).count()
                                    < before.chars().filter(|c| !c.is_ascii()).count()),
                            "accents lost: {before:?} → {after:?}"
                        );
                        store.0[profile_id as usize - 1] = merged;
                    }
                }
                MatchPlan::Review(_) => {}
            }
            for p in &store.0 {
                prop_assert!(p.phones.len() <= max_phones as usize, "{} phones", p.phones.len());
                prop_assert!(p.emails.len() <= max_emails as usize, "{} e-mails", p.emails.len());
            }
        }
    }
}
