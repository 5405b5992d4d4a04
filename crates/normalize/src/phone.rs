//! Phone numbers to E.164. A small, fast rule table rather than a full libphonenumber port:
//! imports normalise tens of thousands of numbers per second, and what matters for matching
//! is that every way a user writes the same number gives the same key.

/// Why a text is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a phone number: {reason}")]
pub struct PhoneError {
    pub value: String,
    pub reason: String,
}

/// Numbering rules of one region: calling code, trunk prefix, national number lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneRegion {
    /// ISO 3166 code, e.g. `VN`.
    pub iso: &'static str,
    /// Country calling code without `+`, e.g. `84`.
    pub calling_code: &'static str,
    /// National trunk prefix dialled before the national number, e.g. `0`.
    pub trunk: Option<&'static str>,
    /// Shortest and longest national significant number (without trunk prefix).
    pub nsn_min: usize,
    pub nsn_max: usize,
    /// Leading digits a national significant number may start with (empty: any).
    pub nsn_first_digits: &'static str,
}

const fn region(
    iso: &'static str,
    calling_code: &'static str,
    trunk: Option<&'static str>,
    min: usize,
    max: usize,
    first: &'static str,
) -> PhoneRegion {
    PhoneRegion {
        iso,
        calling_code,
        trunk,
        nsn_min: min,
        nsn_max: max,
        nsn_first_digits: first,
    }
}

/// Regions users can pick as default; numbers with `+` and another calling code are accepted
/// when their length is plausible.
pub const REGIONS: &[PhoneRegion] = &[
    // Vietnam: mobiles 9 digits (3,5,7,8,9…), landlines 10 digits (2…); checked per length below.
    region("VN", "84", Some("0"), 9, 10, "235789"),
    region("US", "1", Some("1"), 10, 10, "23456789"),
    region("CA", "1", Some("1"), 10, 10, "23456789"),
    region("GB", "44", Some("0"), 9, 10, "123578"),
    region("FR", "33", Some("0"), 9, 9, "123456789"),
    region("DE", "49", Some("0"), 6, 13, "123456789"),
    region("SG", "65", None, 8, 8, "3689"),
    region("TH", "66", Some("0"), 8, 9, "23456789"),
    region("MY", "60", Some("0"), 8, 10, "123456789"),
    region("ID", "62", Some("0"), 8, 12, "123456789"),
    region("PH", "63", Some("0"), 8, 10, "23456789"),
    region("KH", "855", Some("0"), 8, 9, "123456789"),
    region("LA", "856", Some("0"), 8, 10, "2345789"),
    region("CN", "86", Some("0"), 10, 11, "123456789"),
    region("JP", "81", Some("0"), 9, 10, "123456789"),
    region("KR", "82", Some("0"), 8, 10, "123456789"),
    region("AU", "61", Some("0"), 9, 9, "2345789"),
    region("IN", "91", Some("0"), 10, 10, "123456789"),
];

impl PhoneRegion {
    /// The region with this ISO code (case-insensitive).
    pub fn by_iso(iso: &str) -> Option<&'static PhoneRegion> {
        REGIONS
            .iter()
            .find(|r| r.iso.eq_ignore_ascii_case(iso.trim()))
    }

    fn accepts_nsn(&self, nsn: &str) -> bool {
        if nsn.len() < self.nsn_min || nsn.len() > self.nsn_max {
            return false;
        }
        let Some(first) = nsn.chars().next() else {
            return false;
        };
        if self.iso == "VN" {
            // Vietnamese 10-digit national numbers are landlines (2x); 9-digit ones are mobiles
            // and service numbers (3, 5, 7, 8, 9). This keeps `84…` prefixes unambiguous.
            return if nsn.len() == 10 {
                first == '2'
            } else {
                "35789".contains(first)
            };
        }
        self.nsn_first_digits.is_empty() || self.nsn_first_digits.contains(first)
    }
}

/// Normalises a phone number to E.164 (`+84912345678`), reading numbers without a country code
/// in `region`. Accepts spaces, dots, dashes, slashes and brackets as separators; `+` or `00`
/// for international numbers; a national number whose trunk `0` was lost (Excel stores phones
/// as numbers) and one written with the calling code but no `+` (`84912345678`).
pub fn normalize_phone(input: &str, region: &PhoneRegion) -> Result<String, PhoneError> {
    let value = input.trim();
    let fail = |reason: &str| {
        Err(PhoneError {
            value: value.to_string(),
            reason: reason.into(),
        })
    };
    if value.is_empty() {
        return fail("it is empty");
    }
    let mut digits = String::with_capacity(value.len());
    let mut plus = false;
    for c in value.chars() {
        match c {
            '0'..='9' => digits.push(c),
            // `+` only before the first digit: `+84 …` and `(+84) …` both start international.
            '+' if digits.is_empty() && !plus => plus = true,
            ' ' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' => {}
            _ if c.is_alphabetic() => return fail("it contains letters"),
            _ => return fail("it contains characters other than digits and separators"),
        }
    }
    if digits.is_empty() {
        return fail("it has no digits");
    }
    if !plus && digits.starts_with("00") {
        plus = true;
        digits.drain(..2);
    }
    if plus {
        return international(&digits).ok_or(()).or_else(|()| {
            fail("the country code or the length does not fit any known numbering plan")
        });
    }
    if let Some(trunk) = region.trunk {
        if let Some(nsn) = digits.strip_prefix(trunk) {
            if region.accepts_nsn(nsn) {
                return Ok(format!("+{}{}", region.calling_code, nsn));
            }
        }
    }
    if let Some(nsn) = digits.strip_prefix(region.calling_code) {
        if region.accepts_nsn(nsn) {
            return Ok(format!("+{}{}", region.calling_code, nsn));
        }
        // Some write the trunk zero after the calling code: 84 0912 345 678.
        if let Some(nsn) = region.trunk.and_then(|t| nsn.strip_prefix(t)) {
            if region.accepts_nsn(nsn) {
                return Ok(format!("+{}{}", region.calling_code, nsn));
            }
        }
    }
    if region.accepts_nsn(&digits) {
        return Ok(format!("+{}{}", region.calling_code, digits));
    }
    fail(&format!(
        "it does not fit the numbering plan of {} (region {}); add the country code with +",
        region_name(region),
        region.iso
    ))
}

fn region_name(region: &PhoneRegion) -> &'static str {
    match region.iso {
        "VN" => "Vietnam",
        "US" => "the United States",
        "GB" => "the United Kingdom",
        _ => "the default region",
    }
}

/// `digits` follow a `+`: find a known calling code, check the national part where we know the
/// plan, otherwise accept a plausible E.164 length (8 to 15 digits).
fn international(digits: &str) -> Option<String> {
    for cc_len in 1..=3 {
        let Some((cc, rest)) = digits.split_at_checked(cc_len) else {
            break;
        };
        let known: Vec<&PhoneRegion> = REGIONS.iter().filter(|r| r.calling_code == cc).collect();
        if known.is_empty() {
            continue;
        }
        for r in &known {
            if r.accepts_nsn(rest) {
                return Some(format!("+{cc}{rest}"));
            }
            if let Some(nsn) = r.trunk.and_then(|t| rest.strip_prefix(t)) {
                if r.accepts_nsn(nsn) {
                    return Some(format!("+{cc}{nsn}"));
                }
            }
        }
        return None;
    }
    (8..=15)
        .contains(&digits.len())
        .then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn vn() -> &'static PhoneRegion {
        PhoneRegion::by_iso("VN").expect("VN is a known region")
    }

    #[test]
    fn vietnamese_formats_meet_in_e164() {
        for typed in [
            "0912 345 678",
            "0912.345.678",
            "0912-345-678",
            "84912345678",
            "+84 912 345 678",
            "912345678",
            "(+84) 912 345 678",
            "0084912345678",
            "+84 0912 345 678",
        ] {
            assert_eq!(
                normalize_phone(typed, vn()).as_deref(),
                Ok("+84912345678"),
                "{typed:?} is the same Vietnamese mobile number"
            );
        }
    }

    #[test]
    fn landlines_and_foreign_numbers() {
        assert_eq!(
            normalize_phone("024 3825 1234", vn()).as_deref(),
            Ok("+842438251234")
        );
        assert_eq!(
            normalize_phone("+1 (415) 555-2671", vn()).as_deref(),
            Ok("+14155552671")
        );
        assert_eq!(
            normalize_phone("+65 6123 4567", vn()).as_deref(),
            Ok("+6561234567")
        );
    }

    #[test]
    fn unparseable_numbers_say_so() {
        for bad in ["", "abc", "0912 abc", "12", "0912345678999", "+", "09#12"] {
            let err = normalize_phone(bad, vn()).expect_err("must be refused");
            assert!(
                err.to_string().contains("is not a phone number"),
                "message says why: {err}"
            );
        }
    }

    fn vn_mobile() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!['3', '5', '7', '8', '9']),
            "[0-9]{8}",
        )
            .prop_map(|(first, rest)| format!("{first}{rest}"))
    }

    /// Writes the 9-digit national number in one of the ways users type it.
    fn spell(nsn: &str, style: u8) -> String {
        let (a, b, c) = (&nsn[..3], &nsn[3..6], &nsn[6..]);
        match style % 7 {
            0 => format!("0{a} {b} {c}"),
            1 => format!("0{a}.{b}.{c}"),
            2 => format!("84{nsn}"),
            3 => format!("+84 {a} {b} {c}"),
            4 => nsn.to_string(),
            5 => format!("0{nsn}"),
            _ => format!("(+84) {a}-{b}-{c}"),
        }
    }

    proptest! {
        #[test]
        fn every_spelling_gives_the_same_key(nsn in vn_mobile(), s1 in 0u8..7, s2 in 0u8..7) {
            let a = normalize_phone(&spell(&nsn, s1), vn());
            let b = normalize_phone(&spell(&nsn, s2), vn());
            prop_assert_eq!(a.clone(), Ok(format!("+84{nsn}")), "spelling {} normalises", s1);
            prop_assert_eq!(a, b, "two spellings of one number match");
        }

        #[test]
        fn normalising_is_idempotent(nsn in vn_mobile(), s in 0u8..7) {
            let once = normalize_phone(&spell(&nsn, s), vn()).expect("valid");
            prop_assert_eq!(normalize_phone(&once, vn()), Ok(once.clone()), "E.164 stays E.164");
        }

        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = normalize_phone(&s, vn());
        }
    }
}
