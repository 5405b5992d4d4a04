use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Trims surrounding white space and puts the text in Unicode NFC, so that the same name typed
/// on a Mac (decomposed) and on Windows (composed) is stored, compared and searched alike.
pub fn clean_text(input: &str) -> String {
    let trimmed = input.trim();
    match is_nfc_quick(trimmed.chars()) {
        IsNormalized::Yes => trimmed.to_string(),
        _ => trimmed.nfc().collect(),
    }
}

/// The search key of a name: lower case, diacritics removed, `đ` folded to `d` (which Unicode
/// does not decompose, so FTS5's `remove_diacritics` leaves it alone), every run of
/// non-alphanumeric characters collapsed to one space. `Nguyễn Văn Đặng` → `nguyen van dang`.
pub fn fold_for_search(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            'ð' | 'Ð' => 'd',
            'ł' | 'Ł' => 'l',
            'ø' | 'Ø' => 'o',
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(
            fold_for_search("Nguyễn Văn A"),
            "nguyen van a",
            "diacritics and case go"
        );
        assert_eq!(
            fold_for_search("Đặng Thị Ánh"),
            "dang thi anh",
            "đ folds to d"
        );
        assert_eq!(
            fold_for_search("  Trần   Thị-Bích "),
            "tran thi bich",
            "punctuation splits words"
        );
    }

    #[test]
    fn nfc_and_trim() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(
            clean_text(&format!("  {decomposed} ")),
            "Nguyễn",
            "NFC composes, trim strips"
        );
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold_for_search(&s);
            prop_assert_eq!(fold_for_search(&once), once.clone(), "a folded key folds to itself");
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '), "no outer spaces");
        }

        #[test]
        fn clean_text_is_idempotent(s in "\\PC{0,40}") {
            let once = clean_text(&s);
            prop_assert_eq!(clean_text(&once), once.clone(), "cleaning twice changes nothing");
        }
    }
}
