//! The synchronization rule's guards (SPEC 6, model: Segment Unify's identity resolution): what
//! stops the rule from merging strangers. Real customer files hold a shop's switchboard number
//! typed for dozens of customers, `info@` addresses, `0000000000` and `n/a`; a match on such a
//! value is no evidence that two rows are one person.
//!
//! - **Blocked values** never match and are never stored as identifiers ([`Guards::blocks_phone`],
//!   [`Guards::blocks_email`]).
//! - **Identifier limits**: a profile holds at most `max_phones` phones and `max_emails`
//!   e-mails; a merge that would exceed them goes to merge review ([`ReviewReason::IdentifierLimit`]).
//! - **Shared keys**: within one file or paste, a key value found in more than
//!   `shared_key_rows` rows whose names differ is not used to match those rows ([`SharedKeys`]).
//! - **Name guard**: when the one matching profile's name and the incoming name are clearly
//!   different people, the row goes to review ([`ReviewReason::NameDiffers`]); when they are the
//!   same after folding, the accented spelling is kept ([`keep_accents`]).

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use pdesk_normalize::fold_for_search;
use serde::{Deserialize, Serialize};

use crate::validate::ValidProfile;
use crate::vocab::{FieldDef, FieldError, FieldKind, InputValue, MatchKey, ProfileInput};

/// The values blocked out of the box (an administrator edits the list; these are its default).
/// Phones compare by their digits, e-mails by their match key; an entry ending with `@`
/// blocks every address that starts with it.
pub const DEFAULT_BLOCKED: &[&str] = &[
    "0000000000",
    "0123456789",
    "1234567890",
    "0999999999",
    "test@test.com",
    "test@example.com",
    "noemail@",
    "no-email@",
    "none@",
    "n/a",
    "na",
    "none",
    "null",
    "-",
    ".",
    "không có",
    "chưa có",
];

/// The guards' settings (Settings → Synchronization rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Guards {
    /// Most phones one profile may hold.
    pub max_phones: u32,
    /// Most e-mails one profile may hold.
    pub max_emails: u32,
    /// A key value in more rows of one file than this, with different names, is shared.
    pub shared_key_rows: u32,
    /// Values that never match and are not stored (see [`DEFAULT_BLOCKED`]).
    pub blocked: Vec<String>,
}

/// Bounds of the guards an administrator may set (Settings → Synchronization rule, and the
/// sync server's config): the app and the server check them with [`Guards::checked`].
pub const MAX_SHARED_KEY_ROWS: u32 = 1_000;
pub const MAX_BLOCKED_VALUES: usize = 500;
pub const MAX_BLOCKED_CHARS: usize = 100;

impl Guards {
    /// These guards within their bounds, blocked values cleaned and deduplicated; or the first
    /// value out of bounds (`field` as the settings form names it).
    pub fn checked(&self) -> Result<Guards, FieldError> {
        let max_list = crate::validate::MAX_LIST_VALUES as u32;
        for (field, value, max, what) in [
            (
                "maxPhones",
                self.max_phones,
                max_list,
                "phones a profile may hold",
            ),
            (
                "maxEmails",
                self.max_emails,
                max_list,
                "e-mails a profile may hold",
            ),
            (
                "sharedKeyRows",
                self.shared_key_rows,
                MAX_SHARED_KEY_ROWS,
                "rows that may share a phone or e-mail before it counts as shared",
            ),
        ] {
            if value < 1 || value > max {
                return Err(FieldError::new(
                    field,
                    "outOfRange",
                    format!("The number of {what} must be between 1 and {max}"),
                )
                .with("min", 1)
                .with("max", max)
                .with("value", value));
            }
        }
        let mut blocked: Vec<String> = Vec::new();
        for value in &self.blocked {
            let value = pdesk_normalize::clean_text(value);
            if value.is_empty() || blocked.contains(&value) {
                continue;
            }
            if value.chars().count() > MAX_BLOCKED_CHARS {
                return Err(FieldError::new(
                    "blocked",
                    "tooLong",
                    format!(
                        "A blocked value has at most {MAX_BLOCKED_CHARS} characters: “{value}”"
                    ),
                )
                .with("max", MAX_BLOCKED_CHARS)
                .with("value", &value));
            }
            blocked.push(value);
        }
        if blocked.len() > MAX_BLOCKED_VALUES {
            return Err(FieldError::new(
                "blocked",
                "tooMany",
                format!("The list holds at most {MAX_BLOCKED_VALUES} blocked values"),
            )
            .with("max", MAX_BLOCKED_VALUES)
            .with("given", blocked.len()));
        }
        Ok(Guards {
            blocked,
            ..self.clone()
        })
    }
}

impl Default for Guards {
    fn default() -> Self {
        Guards {
            max_phones: 5,
            max_emails: 5,
            shared_key_rows: 3,
            blocked: DEFAULT_BLOCKED.iter().map(|s| s.to_string()).collect(),
        }
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `text` carries no identifier at all: no letter or digit (`-`, `.`, `…`).
fn is_filler(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

/// The blocked values made ready for comparing (digits of the phone entries, the e-mail entries
/// in lower case, the words folded), once for many checks: an import checks every row's phones
/// and e-mails, and folding each entry for each value was a twentieth of its reading time.
#[derive(Debug, Clone, Default)]
pub struct BlockedValues {
    /// Digits of the entries that hold some and no `@`.
    phone_digits: HashSet<String>,
    /// Entries with `@` not ending with it, in lower case.
    emails: HashSet<String>,
    /// Entries ending with `@`, in lower case: every address starting with one is blocked.
    email_prefixes: Vec<String>,
    /// Entries with no digit, folded (`n/a`, `không có`): a phone typed as one is blocked.
    phone_words: HashSet<String>,
    /// The same without those holding `@`: an e-mail typed as one is blocked.
    email_words: HashSet<String>,
}

impl BlockedValues {
    pub fn new(blocked: &[String]) -> BlockedValues {
        let mut values = BlockedValues::default();
        for entry in blocked {
            let lower = entry.trim().to_lowercase();
            let d = digits(&lower);
            let at = lower.contains('@');
            if d.is_empty() {
                let folded = fold_for_search(&lower);
                if !at {
                    values.email_words.insert(folded.clone());
                }
                values.phone_words.insert(folded);
            } else if !at {
                values.phone_digits.insert(d);
            }
            if lower.ends_with('@') {
                values.email_prefixes.push(lower);
            } else if at {
                values.emails.insert(lower);
            }
        }
        values
    }

    /// Whether a phone as typed is a blocked value: an entry with the same digits, one digit
    /// repeated (`0000000000`, `9999999`), or a text with no digits that the list names
    /// (`n/a`, `không có`) or that is filler.
    pub fn blocks_phone(&self, raw: &str) -> bool {
        if is_filler(raw) {
            return true;
        }
        let d = digits(raw);
        if d.is_empty() {
            return self.phone_words.contains(&fold_for_search(raw));
        }
        let mut chars = d.chars();
        let first = chars.next();
        if d.len() >= 6 && chars.all(|c| Some(c) == first) {
            return true;
        }
        self.phone_digits.contains(&d)
    }

    /// Whether an e-mail as typed is a blocked value: an entry equal to it (case-insensitive), an
    /// entry ending with `@` that it starts with, or a filler / listed word.
    pub fn blocks_email(&self, raw: &str) -> bool {
        if is_filler(raw) {
            return true;
        }
        let key = raw.trim().to_lowercase();
        self.emails.contains(&key)
            || self.email_prefixes.iter().any(|p| key.starts_with(p))
            || (!self.email_words.is_empty() && self.email_words.contains(&fold_for_search(raw)))
    }
}

impl Guards {
    /// The blocked values ready for many checks ([`BlockedValues`]).
    pub fn blocked_values(&self) -> BlockedValues {
        BlockedValues::new(&self.blocked)
    }

    /// [`BlockedValues::blocks_phone`] for one value.
    pub fn blocks_phone(&self, raw: &str) -> bool {
        self.blocked_values().blocks_phone(raw)
    }

    /// [`BlockedValues::blocks_email`] for one value.
    pub fn blocks_email(&self, raw: &str) -> bool {
        self.blocked_values().blocks_email(raw)
    }

    /// Whether a profile holding `profile`'s identifiers is within the limits.
    pub fn within_limits(&self, profile: &ValidProfile) -> bool {
        profile.phones.len() <= self.max_phones as usize
            && profile.emails.len() <= self.max_emails as usize
    }
}

/// Takes the blocked values out of the phone and e-mail fields of `input` (they never match and
/// are not stored); returns them as `(field, value)`.
pub fn drop_blocked(
    input: &mut ProfileInput,
    fields: &[FieldDef],
    guards: &Guards,
) -> Vec<(String, String)> {
    drop_blocked_values(input, fields, &guards.blocked_values())
}

/// [`drop_blocked`] with the blocked values made ready once (an import's every row).
pub fn drop_blocked_values(
    input: &mut ProfileInput,
    fields: &[FieldDef],
    blocked: &BlockedValues,
) -> Vec<(String, String)> {
    let mut dropped = Vec::new();
    for field in fields {
        let blocks: fn(&BlockedValues, &str) -> bool = match field.kind {
            FieldKind::Phones => BlockedValues::blocks_phone,
            FieldKind::Emails => BlockedValues::blocks_email,
            _ => continue,
        };
        let Some(value) = input.values.get_mut(&field.key) else {
            continue;
        };
        let items: Vec<String> = match value {
            InputValue::Text(t) => t.split([',', ';', '\n']).map(str::to_string).collect(),
            InputValue::List(items) => std::mem::take(items),
        };
        let (kept, gone): (Vec<String>, Vec<String>) = items
            .into_iter()
            .filter(|v| !v.trim().is_empty())
            .partition(|v| !blocks(blocked, v.trim()));
        dropped.extend(
            gone.into_iter()
                .map(|v| (field.key.clone(), v.trim().to_string())),
        );
        if kept.is_empty() {
            input.values.remove(&field.key);
        } else {
            *value = InputValue::List(kept);
        }
    }
    dropped
}

/// Why the rule left a merge review instead of deciding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ReviewReason {
    /// Several different profiles match.
    SeveralMatches,
    /// One profile matches, but its name is clearly another person's.
    NameDiffers,
    /// Merging would give the profile more phones or e-mails than the limits.
    IdentifierLimit,
    /// A person decided earlier that these are different people (Create a separate profile).
    KeptApart,
}

pdesk_normalize::text_enum!(pub ReviewReason {
    SeveralMatches => "severalMatches",
    NameDiffers => "nameDiffers",
    IdentifierLimit => "identifierLimit",
    KeptApart => "keptApart",
});

/// The words of a name, folded: `Nguyễn V. An` → `["nguyen", "v", "an"]`.
fn name_words(name: &str) -> Vec<String> {
    fold_for_search(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Two words of names agree: equal, or one is the other's initial (`v` and `van`).
fn words_agree(a: &str, b: &str) -> bool {
    a == b || (a.len() == 1 && b.starts_with(a)) || (b.len() == 1 && a.starts_with(b))
}

/// Whether two names can be one person: the same after folding accents and case, or the
/// shorter one's words found in the longer one in the same order (`Lan` and `Trần Thị Lan`,
/// `Trần Lan` and `Trần Thị Lan`: a middle name left out), initials allowed (`Nguyễn V. An`).
/// An empty name agrees with any.
pub fn same_person(a: &str, b: &str) -> bool {
    let (a, b) = (name_words(a), name_words(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let mut rest = long.iter();
    short
        .iter()
        .all(|word| rest.by_ref().any(|other| words_agree(word, other)))
}

/// How many letters carry a diacritic (or are `đ`): the more, the more carefully typed.
fn accents(text: &str) -> usize {
    text.chars()
        .filter(|c| !c.is_ascii() && c.is_alphabetic())
        .count()
}

/// Keeps the existing spelling of every text field that the incoming value writes only with
/// fewer accents (`Nguyen Van Anh` never replaces `Nguyễn Văn Ánh`; `Ha Noi` never replaces
/// `Hà Nội`): same text after folding, fewer accented letters. Returns the fields kept.
pub fn keep_accents(existing: &ValidProfile, incoming: &mut ValidProfile) -> Vec<String> {
    let mut kept = Vec::new();
    for (key, value) in incoming.scalars.iter_mut() {
        if let Some(old) = existing.scalars.get(key) {
            if old != value
                && fold_for_search(old) == fold_for_search(value)
                && accents(old) > accents(value)
            {
                *value = old.clone();
                kept.push(key.clone());
            }
        }
    }
    kept
}

/// One key value that several rows of a file share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SharedKey {
    pub key: MatchKey,
    /// The value as the first row typed it.
    pub value: String,
    /// The normalised value (E.164, e-mail key, code) the rule compares.
    pub normalized: String,
    /// How many rows hold it.
    pub rows: u32,
    /// How many different names those rows give.
    pub names: u32,
    /// The first rows holding it (row numbers of the file), for the user to look at.
    pub example_rows: Vec<u32>,
    /// The person chose to use it for matching anyway.
    #[serde(default)]
    pub used_anyway: bool,
}

impl SharedKey {
    /// For messages: "“028 3823 4567” in 42 rows with 40 different names (rows 3, 7, 12, …)".
    pub fn sentence(&self) -> String {
        let rows: Vec<String> = self.example_rows.iter().map(|r| r.to_string()).collect();
        let more = if (self.example_rows.len() as u32) < self.rows {
            ", …"
        } else {
            ""
        };
        format!(
            "“{}” in {} rows with {} different names (rows {}{more})",
            self.value,
            self.rows,
            self.names,
            rows.join(", ")
        )
    }
}

/// The key values one file or paste shares among more than `shared_key_rows` rows whose names
/// differ: a switchboard, a shop's number, `info@…`. They are not used to match those rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedKeys {
    found: BTreeMap<(MatchKey, String), SharedKey>,
    /// Values the user chose to use for matching anyway.
    used_anyway: BTreeSet<String>,
}

/// Collects the rows' key values as a file is read, then names the shared ones. A file's every
/// phone, e-mail and code passes through it (three values a row on a customer file), so it keeps
/// them in a hash map and each value's names as 64-bit hashes of the folded name: an import
/// spent a tenth of its time in an ordered map of name strings here.
#[derive(Debug, Default)]
pub struct SharedKeyCounter {
    seen: HashMap<(MatchKey, String), Seen>,
}

/// What the counter knows of one key value.
#[derive(Debug, Default)]
struct Seen {
    /// As the first row typed it.
    typed: String,
    rows: u32,
    /// The folded names of the rows holding it, hashed (two different names colliding in 64
    /// bits would only count them as one name).
    names: HashSet<u64>,
    example_rows: Vec<u32>,
}

const EXAMPLE_ROWS: usize = 5;

impl SharedKeyCounter {
    /// Counts one valid row (its row number and profile).
    pub fn add(&mut self, row: u32, profile: &ValidProfile) {
        let name = profile
            .scalars
            .get("full_name")
            .map(|n| name_words(n).join(" "))
            .filter(|n| !n.is_empty())
            .map(|n| {
                let mut hasher = DefaultHasher::new();
                n.hash(&mut hasher);
                hasher.finish()
            });
        let mut note = |key: MatchKey, normalized: String, typed: &str| {
            let seen = self.seen.entry((key, normalized)).or_insert_with(|| Seen {
                typed: typed.to_string(),
                ..Seen::default()
            });
            seen.rows += 1;
            if let Some(name) = name {
                seen.names.insert(name);
            }
            if seen.example_rows.len() < EXAMPLE_ROWS {
                seen.example_rows.push(row);
            }
        };
        for p in &profile.phones {
            note(MatchKey::Phone, p.e164.clone(), &p.raw);
        }
        for e in &profile.emails {
            note(MatchKey::Email, e.key.clone(), &e.raw);
        }
        if let Some(code) = profile.scalars.get("customer_code") {
            note(MatchKey::CustomerCode, code.trim().to_string(), code);
        }
    }

    /// The shared values: in more than `guards.shared_key_rows` rows, with at least two names.
    pub fn finish(self, guards: &Guards) -> SharedKeys {
        let found = self
            .seen
            .into_iter()
            .filter(|(_, seen)| seen.rows > guards.shared_key_rows && seen.names.len() >= 2)
            .map(|((key, normalized), seen)| {
                let shared = SharedKey {
                    key,
                    value: seen.typed,
                    normalized: normalized.clone(),
                    rows: seen.rows,
                    names: seen.names.len() as u32,
                    example_rows: seen.example_rows,
                    used_anyway: false,
                };
                ((key, normalized), shared)
            })
            .collect();
        SharedKeys {
            found,
            used_anyway: BTreeSet::new(),
        }
    }
}

impl SharedKeys {
    /// The shared values of an earlier [`SharedKeys::list`] (kept with an import job, found by
    /// its dry run): the same values excluded, the same ones used anyway.
    pub fn from_list(list: Vec<SharedKey>) -> SharedKeys {
        let used_anyway = list
            .iter()
            .filter(|k| k.used_anyway)
            .map(|k| k.normalized.clone())
            .collect();
        let found = list
            .into_iter()
            .map(|k| {
                let id = (k.key, k.normalized.clone());
                (
                    id,
                    SharedKey {
                        used_anyway: false,
                        ..k
                    },
                )
            })
            .collect();
        SharedKeys { found, used_anyway }
    }

    /// The user chose to match on these normalised values anyway.
    pub fn use_anyway(mut self, values: &[String]) -> Self {
        self.used_anyway = values.iter().cloned().collect();
        self
    }

    /// Whether `normalized` of `key` must not be used to match.
    pub fn excludes(&self, key: MatchKey, normalized: &str) -> bool {
        !self.used_anyway.contains(normalized)
            && self.found.contains_key(&(key, normalized.to_string()))
    }

    /// Whether a row's profile holds a shared value that is not used.
    pub fn touches(&self, profile: &ValidProfile) -> bool {
        profile
            .phones
            .iter()
            .any(|p| self.excludes(MatchKey::Phone, &p.e164))
            || profile
                .emails
                .iter()
                .any(|e| self.excludes(MatchKey::Email, &e.key))
            || profile
                .scalars
                .get("customer_code")
                .is_some_and(|c| self.excludes(MatchKey::CustomerCode, c.trim()))
    }

    /// Every shared value found, most rows first.
    pub fn list(&self) -> Vec<SharedKey> {
        let mut all: Vec<SharedKey> = self
            .found
            .values()
            .map(|k| SharedKey {
                used_anyway: self.used_anyway.contains(&k.normalized),
                ..k.clone()
            })
            .collect();
        all.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.normalized.cmp(&b.normalized)));
        all
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::EmailValue;
    use crate::vocab::PhoneValue;

    fn person(name: &str, phones: &[&str], emails: &[&str]) -> ValidProfile {
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
                .map(|e| EmailValue {
                    raw: e.to_string(),
                    key: e.to_lowercase(),
                })
                .collect(),
            ..ValidProfile::default()
        };
        if !name.is_empty() {
            p.scalars.insert("full_name".into(), name.into());
        }
        p
    }

    #[test]
    fn blocked_phones_by_digits_repetition_and_words() {
        let g = Guards::default();
        for junk in [
            "0000000000",
            "000.000.0000",
            "0123 456 789",
            "n/a",
            "N/A",
            "-",
            ".",
            "không có",
            "99999999",
        ] {
            assert!(g.blocks_phone(junk), "{junk:?} is no phone of a person");
        }
        for real in ["0912 345 678", "+84 912 345 678", "0186.5868.199"] {
            assert!(!g.blocks_phone(real), "{real:?} is a real number");
        }
    }

    #[test]
    fn blocked_emails_exact_prefix_and_words() {
        let g = Guards::default();
        for junk in [
            "test@test.com",
            "TEST@Test.com",
            "noemail@shop.vn",
            "none@x.com",
            "n/a",
            "-",
        ] {
            assert!(g.blocks_email(junk), "{junk:?} is no address of a person");
        }
        assert!(!g.blocks_email("lan.tran@shop.vn"));
        assert!(
            !g.blocks_email("info@shop.vn"),
            "info@ is handled as a shared key, not blocked"
        );
    }

    #[test]
    fn an_administrator_list_replaces_the_defaults() {
        let g = Guards {
            blocked: vec!["0909 000 111".into(), "sales@".into()],
            ..Guards::default()
        };
        assert!(g.blocks_phone("0909000111"));
        assert!(g.blocks_email("sales@shop.vn"));
        assert!(
            !g.blocks_email("test@test.com"),
            "the default entry was removed"
        );
        assert!(
            g.blocks_phone("-"),
            "filler is never an identifier, whatever the list says"
        );
    }

    #[test]
    fn names_of_one_person_and_of_strangers() {
        for (a, b) in [
            ("Nguyễn Văn Ánh", "Nguyen Van Anh"),
            ("Nguyễn Văn An", "Nguyễn V. An"),
            ("Trần Thị Lan", "Lan"),
            ("Trần Thị Lan", "Trần Thị"),
            ("TRẦN THỊ LAN", "trần thị lan"),
            ("Trần Lan", "Trần Thị Lan"),
            ("Phạm C", "Phạm Văn C"),
            ("Lan", ""),
        ] {
            assert!(same_person(a, b), "{a:?} and {b:?} can be one person");
        }
        for (a, b) in [
            ("Trần Thị Lan", "Phạm Văn Hùng"),
            ("Nguyễn Văn An", "Nguyễn Văn Bình"),
            ("Lê Hoa", "Hoàng Hoa Lê"),
        ] {
            assert!(!same_person(a, b), "{a:?} and {b:?} are different people");
        }
    }

    #[test]
    fn accents_are_kept_when_the_incoming_spelling_only_lost_them() {
        let existing = {
            let mut p = person("Nguyễn Văn Ánh", &[], &[]);
            p.scalars.insert("city".into(), "Hà Nội".into());
            p.scalars.insert("company".into(), "Cong ty A".into());
            p
        };
        let mut incoming = person("Nguyen Van Anh", &[], &[]);
        incoming.scalars.insert("city".into(), "Ha Noi".into());
        incoming
            .scalars
            .insert("company".into(), "Công ty A".into());
        let kept = keep_accents(&existing, &mut incoming);
        assert_eq!(kept, vec!["city".to_string(), "full_name".to_string()]);
        assert_eq!(incoming.scalars["full_name"], "Nguyễn Văn Ánh");
        assert_eq!(
            incoming.scalars["company"], "Công ty A",
            "a better-accented incoming value still replaces a plain one"
        );
    }

    #[test]
    fn a_switchboard_in_many_rows_with_different_names_is_shared() {
        let g = Guards::default();
        let mut counter = SharedKeyCounter::default();
        let names = [
            "Trần Thị Lan",
            "Phạm Văn Hùng",
            "Lê Thị Hoa",
            "Đỗ Minh Tuấn",
            "Vũ Thu Hà",
        ];
        for (i, name) in names.iter().enumerate() {
            counter.add(
                i as u32 + 2,
                &person(name, &["+842838221234", &format!("+8491234567{i}")], &[]),
            );
        }
        // The same person four times with one number: a duplicate, not a shared key.
        for i in 0..4 {
            counter.add(10 + i, &person("Hoàng Văn Nam", &["+84987654321"], &[]));
        }
        let shared = counter.finish(&g);
        let list = shared.list();
        assert_eq!(list.len(), 1, "only the switchboard: {list:?}");
        assert_eq!(list[0].rows, 5);
        assert_eq!(list[0].names, 5);
        assert_eq!(list[0].example_rows, vec![2, 3, 4, 5, 6]);
        assert!(shared.excludes(MatchKey::Phone, "+842838221234"));
        assert!(!shared.excludes(MatchKey::Phone, "+84987654321"));
        let anyway = shared.use_anyway(&["+842838221234".to_string()]);
        assert!(
            !anyway.excludes(MatchKey::Phone, "+842838221234"),
            "the user chose to use it"
        );
        let kept = SharedKeys::from_list(anyway.list());
        assert_eq!(kept, anyway, "a job keeps its dry run's keys as they were");
        assert_eq!(
            SharedKeys::from_list(counter_of_switchboard().list()),
            counter_of_switchboard(),
            "and keys not used anyway stay excluded"
        );
    }

    #[test]
    fn three_rows_are_not_yet_shared() {
        let mut counter = SharedKeyCounter::default();
        for name in ["A B", "C D", "E F"] {
            counter.add(1, &person(name, &["+84911111112"], &[]));
        }
        assert!(
            counter.finish(&Guards::default()).is_empty(),
            "K = 3 allows three rows"
        );
    }

    /// Three rows with different names sharing one number.
    fn counter_of_switchboard() -> SharedKeys {
        let mut counter = SharedKeyCounter::default();
        for (i, name) in ["Trần Thị Lan", "Phạm Văn Hùng", "Lê Thị Hoa"]
            .iter()
            .enumerate()
        {
            counter.add(i as u32 + 2, &person(name, &["+842838221234"], &[]));
        }
        let shared = counter.finish(&Guards {
            shared_key_rows: 2,
            ..Guards::default()
        });
        assert_eq!(shared.list().len(), 1);
        shared
    }

    #[test]
    fn limits_count_phones_and_emails() {
        let g = Guards {
            max_phones: 2,
            max_emails: 1,
            ..Guards::default()
        };
        assert!(g.within_limits(&person("A", &["1", "2"], &["a@x.vn"])));
        assert!(!g.within_limits(&person("A", &["1", "2", "3"], &[])));
        assert!(!g.within_limits(&person("A", &[], &["a@x.vn", "b@x.vn"])));
    }
}
