//! Masked forms of personal data for the audit log (SPEC 1: "a deleted profile's audit entry
//! keeps its id and a masked label — not its full personal data").
//!
//! The rules, precisely (counting Unicode characters, not bytes):
//! - **Name**: each white-space separated word keeps its first character when it has at most
//!   3 characters and its first 2 characters when it is longer; the rest becomes `*`, at least
//!   one and at most three, so the mask does not tell the exact length. Words are joined by one
//!   space. `Nguyễn Văn An` → `Ng*** V** A*`, `Trần Thị B` → `Tr** T** B*`.
//! - **Phone**: separators are dropped and a leading `+` kept; the first 2 and the last 2 digits
//!   stay and every other digit becomes `*` (with fewer than 6 digits only the first digit
//!   stays). `0912 345 678` → `09******78`, `+84 912 345 678` → `+84*******78`.
//! - **E-mail**: the first character of the local part, then `***`, then `@` and the domain.
//!   `nguyen@gmail.com` → `n***@gmail.com`.
//!
//! A user-typed deletion reason may itself name the person; [`scrub_reason`] replaces the
//! deleted profiles' names, phones and e-mails found in it by these masked forms.

use crate::model::PhoneValue;
use pdesk_normalize::{fold_for_search, PhoneRegion};
use pdesk_rule::validate::ValidProfile;

/// Most `*` a masked name word shows (so the mask hides the word's length).
const MAX_WORD_STARS: usize = 3;

/// One word of a name: `Nguyễn` → `Ng***`, `Văn` → `V**`, `An` → `A*`.
pub fn mask_word(word: &str) -> String {
    let n = word.chars().count();
    if n == 0 {
        return String::new();
    }
    let keep = if n <= 3 { 1 } else { 2 };
    let stars = (n - keep).clamp(1, MAX_WORD_STARS);
    let mut out: String = word.chars().take(keep).collect();
    out.extend(std::iter::repeat_n('*', stars));
    out
}

/// A full name, word by word: `Nguyễn Văn An` → `Ng*** V** A*`.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(mask_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A phone number: `0912345678` → `09******78`.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if n == 0 {
        return "***".into();
    }
    let (head, tail) = if n >= 6 { (2, 2) } else { (1, 0) };
    let mut out = String::new();
    if phone.trim_start().starts_with('+') {
        out.push('+');
    }
    for (i, d) in digits.iter().enumerate() {
        out.push(if i < head || i >= n - tail { *d } else { '*' });
    }
    out
}

/// An e-mail address: `nguyen@gmail.com` → `n***@gmail.com`.
pub fn mask_email(email: &str) -> String {
    let email = email.trim();
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => mask_word(email),
    }
}

/// The masked label of a stored profile: its name, else its first phone, else its first
/// e-mail — the same choice as the display label, masked.
pub(crate) fn masked_label(p: &ValidProfile) -> Option<String> {
    if let Some(name) = p.scalars.get("full_name").filter(|n| !n.trim().is_empty()) {
        return Some(mask_name(name));
    }
    if let Some(phone) = p.phones.first() {
        return Some(mask_phone(&phone.raw));
    }
    p.emails.first().map(|e| mask_email(&e.raw))
}

/// A byte range of the reason and its masked replacement.
type Span = (usize, usize, String);

/// Replaces in `reason` every occurrence of the names (accent- and case-insensitive, whole
/// words), e-mails (case-insensitive) and phones (in any spelling: with or without separators,
/// trunk `0` or calling code) of `people` by their masked form.
pub(crate) fn scrub_reason(reason: &str, people: &[&ValidProfile], region: &PhoneRegion) -> String {
    let words = words_of(reason);
    let runs = digit_runs(reason);
    let mut spans: Vec<Span> = Vec::new();
    for p in people {
        if let Some(name) = p.scalars.get("full_name") {
            name_spans(&words, name, &mut spans);
        }
        for e in &p.emails {
            for (start, end) in find_case_insensitive(reason, e.raw.trim()) {
                spans.push((start, end, mask_email(&e.raw)));
            }
        }
        for ph in &p.phones {
            phone_spans(reason, &runs, ph, region, &mut spans);
        }
    }
    if spans.is_empty() {
        return reason.to_string();
    }
    // Earliest first, the longest of those starting together; overlapping spans are skipped.
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = String::with_capacity(reason.len());
    let mut at = 0;
    for (start, end, replacement) in spans {
        if start < at {
            continue;
        }
        out.push_str(&reason[at..start]);
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(&reason[at..]);
    out
}

/// The words (runs of letters and digits) of `text`: byte range and folded form.
fn words_of(text: &str) -> Vec<(usize, usize, String)> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i, fold_for_search(&text[s..i])));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len(), fold_for_search(&text[s..])));
    }
    words
}

fn name_spans(words: &[(usize, usize, String)], name: &str, spans: &mut Vec<Span>) {
    let folded = fold_for_search(name);
    let target: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if target.is_empty() || words.len() < target.len() {
        return;
    }
    for i in 0..=words.len() - target.len() {
        let window = &words[i..i + target.len()];
        if window.iter().zip(&target).all(|(w, t)| w.2 == *t) {
            spans.push((window[0].0, window[target.len() - 1].1, mask_name(name)));
        }
    }
}

/// Byte ranges where `needle` occurs in `hay`, comparing characters case-insensitively.
fn find_case_insensitive(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    for (start, _) in hay.char_indices() {
        let mut rest = hay[start..].char_indices();
        let mut end = start;
        let mut matched = true;
        for n in needle.chars() {
            match rest.next() {
                Some((i, h)) if h.to_lowercase().eq(n.to_lowercase()) => {
                    end = start + i + h.len_utf8();
                }
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        if matched {
            found.push((start, end));
        }
    }
    found
}

/// A run of digits written with phone separators between them: the digits and the byte range
/// of each.
struct DigitRun {
    digits: String,
    ranges: Vec<(usize, usize)>,
}

fn digit_runs(text: &str) -> Vec<DigitRun> {
    let mut runs = Vec::new();
    let mut current = DigitRun {
        digits: String::new(),
        ranges: Vec::new(),
    };
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() {
            current.digits.push(c);
            current.ranges.push((i, i + 1));
        } else if !" .-()/+".contains(c) && !current.digits.is_empty() {
            runs.push(std::mem::replace(
                &mut current,
                DigitRun {
                    digits: String::new(),
                    ranges: Vec::new(),
                },
            ));
        }
    }
    if !current.digits.is_empty() {
        runs.push(current);
    }
    runs
}

fn phone_spans(
    text: &str,
    runs: &[DigitRun],
    phone: &PhoneValue,
    region: &PhoneRegion,
    spans: &mut Vec<Span>,
) {
    let international = phone.e164.trim_start_matches('+');
    let mut spellings: Vec<String> = vec![
        international.to_string(),
        phone.raw.chars().filter(char::is_ascii_digit).collect(),
    ];
    if let Some(nsn) = international.strip_prefix(region.calling_code) {
        if let Some(trunk) = region.trunk {
            spellings.push(format!("{trunk}{nsn}"));
        }
        spellings.push(nsn.to_string());
    }
    // Too short a spelling would mask unrelated numbers (amounts, dates).
    spellings.retain(|s| s.len() >= 6);
    spellings.sort();
    spellings.dedup();
    let masked = mask_phone(&phone.raw);
    for run in runs {
        for spelling in &spellings {
            for (at, _) in run.digits.match_indices(spelling.as_str()) {
                let mut start = run.ranges[at].0;
                if text[..start].ends_with('+') {
                    start -= 1;
                }
                let end = run.ranges[at + spelling.len() - 1].1;
                spans.push((start, end, masked.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdesk_rule::validate::EmailValue;

    #[test]
    fn names_keep_one_or_two_letters_per_word() {
        assert_eq!(
            mask_name("Nguyễn Văn An"),
            "Ng*** V** A*",
            "the SPEC example"
        );
        assert_eq!(
            mask_name("Trần  Thị B"),
            "Tr** T** B*",
            "one-letter words still get a star"
        );
        assert_eq!(
            mask_name("Hoàng"),
            "Ho***",
            "five letters: two kept, three stars"
        );
        assert_eq!(
            mask_name("Nguyễnnnnnnn"),
            "Ng***",
            "long words show at most three stars, hiding their length"
        );
        assert_eq!(mask_name("  "), "", "nothing to mask");
    }

    #[test]
    fn phones_keep_two_digits_at_each_end() {
        assert_eq!(mask_phone("0912345678"), "09******78", "the SPEC example");
        assert_eq!(
            mask_phone("0912 345 678"),
            "09******78",
            "separators are dropped"
        );
        assert_eq!(
            mask_phone("+84 912 345 678"),
            "+84*******78",
            "a leading + is kept"
        );
        assert_eq!(
            mask_phone("1900"),
            "1***",
            "short numbers keep only the first digit"
        );
    }

    #[test]
    fn emails_keep_the_first_letter_and_the_domain() {
        assert_eq!(
            mask_email("nguyen@gmail.com"),
            "n***@gmail.com",
            "the brief's example"
        );
        assert_eq!(
            mask_email("a@b.vn"),
            "a***@b.vn",
            "the stars hide the local length"
        );
    }

    fn person() -> ValidProfile {
        let mut p = ValidProfile::default();
        p.scalars.insert("full_name".into(), "Nguyễn Văn An".into());
        p.phones.push(PhoneValue {
            raw: "0912 345 678".into(),
            e164: "+84912345678".into(),
            label: None,
        });
        p.emails.push(EmailValue {
            raw: "Nguyen@Gmail.com".into(),
            key: "nguyen@gmail.com".into(),
        });
        p
    }

    #[test]
    fn reasons_lose_the_deleted_persons_identifiers() {
        let vn = PhoneRegion::by_iso("VN").expect("VN");
        let p = person();
        let scrubbed = scrub_reason(
            "Khách NGUYEN VAN AN (0912.345.678, +84912345678, nguyen@gmail.com) yêu cầu xóa",
            &[&p],
            vn,
        );
        assert_eq!(
            scrubbed, "Khách Ng*** V** A* (09******78, 09******78, N***@Gmail.com) yêu cầu xóa",
            "name (any case, no accents), phone (any spelling) and e-mail are masked"
        );
        let untouched = "Duplicate of profile 12, requested 2024-05-01";
        assert_eq!(
            scrub_reason(untouched, &[&p], vn),
            untouched,
            "reasons without the person's data are kept as typed"
        );
        assert_eq!(
            scrub_reason("Văn phòng An Giang", &[&p], vn),
            "Văn phòng An Giang",
            "single words of the name are not the name"
        );
    }
}
