//! Phone numbers to E.164. A small, fast rule table rather than a full libphonenumber port:
//! imports normalise tens of thousands of numbers per second, and what matters for matching
//! is that every way a user writes the same number gives the same key.

/// Why a text is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a phone number: {reason}")]
pub struct PhoneError {
    pub value: String,
    pub reason: PhoneProblem,
}

impl PhoneError {
    /// What a sentence about this number needs: the value typed and [`PhoneProblem::params`].
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("value", self.value.clone())];
        params.extend(self.reason.params());
        params
    }
}

/// What is wrong with a phone number. Its English is [`Display`](std::fmt::Display); its
/// `params` name the same facts for a sentence in another language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneProblem {
    Empty,
    Letters,
    /// Characters that are neither digits, separators nor letters.
    OtherCharacters,
    NoDigits,
    /// 11 digits starting with `01…`, but not one of the pre-2018 mobile prefixes; `prefix` is
    /// the prefix as dialled (`0112`).
    OldPrefix {
        prefix: String,
    },
    // Boxed: a refusal stays small (a `Result`'s error is moved around on every number read).
    TooShort(Box<Misfit>),
    TooLong(Box<Misfit>),
    /// The right length, but leading digits the region's plan does not have.
    NotInPlan(Place),
    /// After `+`: no known calling code and not an international length (8 to 15 digits).
    UnknownPlan,
}

/// The region a refusal names: "Vietnam (region VN)", or "Vietnam (+84)" for a number
/// written with `+` and the calling code (`intl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub iso: &'static str,
    pub calling_code: &'static str,
    pub intl: bool,
}

/// A number too short or too long for its kind in a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Misfit {
    pub place: Place,
    /// The region's trunk prefix (counted in `min` and `max` when written nationally).
    pub trunk: Option<&'static str>,
    /// The region's shortest national number (a cell twice as long may hold two numbers).
    pub nsn_min: usize,
    /// How many digits the user wrote.
    pub typed: usize,
    pub kind: NumberKind,
    /// Shortest and longest such number as the user would write it (with the trunk prefix
    /// when written nationally).
    pub min: usize,
    pub max: usize,
}

/// The kind of number a misfit is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Landline,
    Mobile,
    Number,
}

/// Advice after "too long": several numbers in one cell, or a foreign number without `+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongAdvice {
    Several,
    Foreign,
}

impl Misfit {
    /// The advice after "it is too long", if any.
    pub fn advice(&self) -> Option<LongAdvice> {
        if self.typed >= 2 * self.nsn_min {
            Some(LongAdvice::Several)
        } else if !self.place.intl {
            Some(LongAdvice::Foreign)
        } else {
            None
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = self.place.params();
        params.push(("typed", self.typed.to_string()));
        params.push((
            "kind",
            match self.kind {
                NumberKind::Landline => "landline",
                NumberKind::Mobile => "mobile",
                NumberKind::Number => "number",
            }
            .to_string(),
        ));
        params.push(("min", self.min.to_string()));
        params.push(("max", self.max.to_string()));
        if let (false, Some(trunk)) = (self.place.intl, self.trunk) {
            params.push(("trunk", trunk.to_string()));
        }
        params
    }

    /// "10 digits with its leading 0", "9 to 11 digits after +65".
    fn expected(&self) -> String {
        let digits = |n: usize| match (self.place.intl, self.trunk) {
            (true, _) => format!("{n} digits after +{}", self.place.calling_code),
            (false, Some(t)) => format!("{n} digits with its leading {t}"),
            (false, None) => format!("{n} digits"),
        };
        if self.min == self.max {
            digits(self.min)
        } else {
            format!("{} to {}", self.min, digits(self.max))
        }
    }
}

impl Place {
    fn of(region: &PhoneRegion, intl: bool) -> Place {
        Place {
            iso: region.iso,
            calling_code: region.calling_code,
            intl,
        }
    }

    /// `region` (ISO), `callingCode`, and `intl` when the number was written with `+`.
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("region", self.iso.to_string()),
            ("callingCode", self.calling_code.to_string()),
        ];
        if self.intl {
            params.push(("intl", "true".to_string()));
        }
        params
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.intl {
            write!(f, "{} (+{})", region_name(self.iso), self.calling_code)
        } else {
            write!(f, "{} (region {})", region_name(self.iso), self.iso)
        }
    }
}

impl PhoneProblem {
    /// Stable name of the problem (`tooShort`), for the UI's sentence.
    pub fn code(&self) -> &'static str {
        match self {
            PhoneProblem::Empty => "empty",
            PhoneProblem::Letters => "letters",
            PhoneProblem::OtherCharacters => "otherCharacters",
            PhoneProblem::NoDigits => "noDigits",
            PhoneProblem::OldPrefix { .. } => "oldPrefix",
            PhoneProblem::TooShort(_) => "tooShort",
            PhoneProblem::TooLong(_) => "tooLong",
            PhoneProblem::NotInPlan(_) => "notInPlan",
            PhoneProblem::UnknownPlan => "unknownPlan",
        }
    }

    /// `reason` (the [`code`](Self::code)) and the facts its sentence names.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("reason", self.code().to_string())];
        match self {
            PhoneProblem::OldPrefix { prefix } => params.push(("prefix", prefix.clone())),
            PhoneProblem::TooShort(m) => params.extend(m.params()),
            PhoneProblem::TooLong(m) => {
                params.extend(m.params());
                match m.advice() {
                    Some(LongAdvice::Several) => params.push(("advice", "several".to_string())),
                    Some(LongAdvice::Foreign) => params.push(("advice", "foreign".to_string())),
                    None => {}
                }
            }
            PhoneProblem::NotInPlan(place) => params.extend(place.params()),
            _ => {}
        }
        params
    }
}

impl std::fmt::Display for PhoneProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = |m: &Misfit| match m.kind {
            NumberKind::Landline => "landline",
            NumberKind::Mobile => "mobile number",
            NumberKind::Number => "number",
        };
        match self {
            PhoneProblem::Empty => f.write_str("it is empty"),
            PhoneProblem::Letters => f.write_str("it contains letters"),
            PhoneProblem::OtherCharacters => {
                f.write_str("it contains characters other than digits and separators")
            }
            PhoneProblem::NoDigits => f.write_str("it has no digits"),
            PhoneProblem::OldPrefix { prefix } => write!(
                f,
                "it has the 11 digits of a mobile number from before 2018, but {prefix} is not \
                 one of the old prefixes that were converted to 10 digits"
            ),
            PhoneProblem::TooShort(m) => write!(
                f,
                "it is too short: {} digits, where a {} in {} has {}",
                m.typed,
                kind(m),
                m.place,
                m.expected()
            ),
            PhoneProblem::TooLong(m) => {
                write!(
                    f,
                    "it is too long: {} digits, where a {} in {} has {}",
                    m.typed,
                    kind(m),
                    m.place,
                    m.expected()
                )?;
                match m.advice() {
                    Some(LongAdvice::Several) => f.write_str(
                        "; if these are several numbers, put a slash or a semicolon between them",
                    ),
                    Some(LongAdvice::Foreign) => {
                        f.write_str("; write a foreign number with + and its country code")
                    }
                    None => Ok(()),
                }
            }
            PhoneProblem::NotInPlan(place) => write!(
                f,
                "it does not fit the numbering plan of {}; write a foreign number with + and \
                 its country code",
                place
            ),
            PhoneProblem::UnknownPlan => {
                f.write_str("the country code or the length does not fit any known numbering plan")
            }
        }
    }
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

/// Vietnam's 2018 conversion of 11-digit mobile numbers to 10 digits (Decision 798/QĐ-BTTTT):
/// the old national prefix (without the trunk `0`) and the new one; the last seven digits stay.
pub(crate) const VN_OLD_MOBILE_PREFIXES: [(&str, &str); 21] = [
    // Viettel
    ("162", "32"),
    ("163", "33"),
    ("164", "34"),
    ("165", "35"),
    ("166", "36"),
    ("167", "37"),
    ("168", "38"),
    ("169", "39"),
    // MobiFone
    ("120", "70"),
    ("121", "79"),
    ("122", "77"),
    ("126", "76"),
    ("128", "78"),
    // VinaPhone
    ("123", "83"),
    ("124", "84"),
    ("125", "85"),
    ("127", "81"),
    ("129", "82"),
    // Vietnamobile
    ("186", "56"),
    ("188", "58"),
    // Gmobile
    ("199", "59"),
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

    /// The national significant number to store for `nsn`: itself when the plan accepts it, or,
    /// in Vietnam, the current 9 digits of a pre-2018 mobile (`1623456789` → `323456789`).
    /// Old numbers are 10 digits starting with `1`, which no current number is, so the
    /// conversion never shadows another reading.
    fn national(&self, nsn: &str) -> Option<National> {
        if self.accepts_nsn(nsn) {
            return Some(National {
                nsn: nsn.to_string(),
                converted: false,
            });
        }
        if self.iso != "VN" || nsn.len() != 10 {
            return None;
        }
        let (old, rest) = nsn.split_at_checked(3)?;
        VN_OLD_MOBILE_PREFIXES
            .iter()
            .find(|(o, _)| *o == old)
            .map(|(_, new)| National {
                nsn: format!("{new}{rest}"),
                converted: true,
            })
    }

    /// Why `nsn` (the digits after the trunk prefix or the calling code) fits no number of
    /// this region: too short, too long, or leading digits the plan does not have. `typed` is
    /// how many digits the user wrote; `intl`: written after `+` and the calling code.
    fn misfit(&self, nsn: &str, typed: usize, intl: bool) -> PhoneProblem {
        let lead = match self.trunk {
            Some(t) if !intl => t.len(),
            _ => 0,
        };
        let first = nsn.chars().next().unwrap_or('0');
        let (kind, lo, hi) = match (self.iso, first) {
            ("VN", '2') => (NumberKind::Landline, 10, 10),
            ("VN", '3' | '5' | '7' | '8' | '9') => (NumberKind::Mobile, 9, 9),
            ("VN", '1') if nsn.len() == 10 => {
                return PhoneProblem::OldPrefix {
                    prefix: format!("0{}", &nsn[..3]),
                };
            }
            _ => (NumberKind::Number, self.nsn_min, self.nsn_max),
        };
        let misfit = Box::new(Misfit {
            place: Place::of(self, intl),
            trunk: self.trunk,
            nsn_min: self.nsn_min,
            typed,
            kind,
            min: lo + lead,
            max: hi + lead,
        });
        if nsn.len() < lo {
            PhoneProblem::TooShort(misfit)
        } else if nsn.len() > hi {
            PhoneProblem::TooLong(misfit)
        } else {
            PhoneProblem::NotInPlan(Place::of(self, intl))
        }
    }
}

/// A national significant number as stored, and whether it was converted from an old number.
struct National {
    nsn: String,
    converted: bool,
}

/// A number in E.164 and whether it was converted from a pre-2018 Vietnamese 11-digit mobile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Normalized {
    pub(crate) e164: String,
    pub(crate) converted: bool,
}

impl Normalized {
    fn new(calling_code: &str, national: National) -> Self {
        Normalized {
            e164: format!("+{calling_code}{}", national.nsn),
            converted: national.converted,
        }
    }
}

/// Normalises a phone number to E.164 (`+84912345678`), reading numbers without a country code
/// in `region`. Accepts white space, dots, dashes, slashes and brackets as separators; `+` or
/// `00` for international numbers; a national number whose trunk `0` was lost (Excel stores
/// phones as numbers) and one written with the calling code but no `+` (`84912345678`).
/// Vietnamese 11-digit mobiles from before 2018 (`0162 345 6789`, `+84 162 345 6789`) read as
/// the 10-digit numbers they became (`+84323456789`), in any region when written with `+84`.
pub fn normalize_phone(input: &str, region: &PhoneRegion) -> Result<String, PhoneError> {
    read_phone(input, region).map(|n| n.e164)
}

/// [`normalize_phone`], also telling whether an old Vietnamese number was converted.
pub(crate) fn read_phone(input: &str, region: &PhoneRegion) -> Result<Normalized, PhoneError> {
    let value = input.trim();
    let fail = |reason: PhoneProblem| {
        Err(PhoneError {
            value: value.to_string(),
            reason,
        })
    };
    if value.is_empty() {
        return fail(PhoneProblem::Empty);
    }
    let mut digits = String::with_capacity(value.len());
    let mut plus = false;
    for c in value.chars() {
        match c {
            '0'..='9' => digits.push(c),
            // `+` only before the first digit: `+84 …` and `(+84) …` both start international.
            '+' if digits.is_empty() && !plus => plus = true,
            // Word processors turn `-` into hyphens and dashes (U+2010–U+2013).
            '.' | '-' | '(' | ')' | '/' | '\u{2010}'..='\u{2013}' => {}
            _ if c.is_whitespace() => {}
            _ if c.is_alphabetic() => return fail(PhoneProblem::Letters),
            _ => return fail(PhoneProblem::OtherCharacters),
        }
    }
    if digits.is_empty() {
        return fail(PhoneProblem::NoDigits);
    }
    if !plus && digits.starts_with("00") {
        plus = true;
        digits.drain(..2);
    }
    if plus {
        return international(&digits).or_else(fail);
    }
    let found = |nsn: &str| {
        region
            .national(nsn)
            .map(|n| Normalized::new(region.calling_code, n))
    };
    let after_trunk = region.trunk.and_then(|t| digits.strip_prefix(t));
    if let Some(n) = after_trunk.and_then(found) {
        return Ok(n);
    }
    if let Some(nsn) = digits.strip_prefix(region.calling_code) {
        if let Some(n) = found(nsn) {
            return Ok(n);
        }
        // Some write the trunk zero after the calling code: 84 0912 345 678.
        if let Some(n) = region
            .trunk
            .and_then(|t| nsn.strip_prefix(t))
            .and_then(found)
        {
            return Ok(n);
        }
    }
    if let Some(n) = found(&digits) {
        return Ok(n);
    }
    fail(region.misfit(after_trunk.unwrap_or(&digits), digits.len(), false))
}

fn region_name(iso: &str) -> &'static str {
    match iso {
        "VN" => "Vietnam",
        "US" => "the United States",
        "CA" => "Canada",
        "GB" => "the United Kingdom",
        "FR" => "France",
        "DE" => "Germany",
        "SG" => "Singapore",
        "TH" => "Thailand",
        "MY" => "Malaysia",
        "ID" => "Indonesia",
        "PH" => "the Philippines",
        "KH" => "Cambodia",
        "LA" => "Laos",
        "CN" => "China",
        "JP" => "Japan",
        "KR" => "South Korea",
        "AU" => "Australia",
        "IN" => "India",
        _ => "the default region",
    }
}

/// `digits` follow a `+`: find a known calling code, check the national part where we know the
/// plan, otherwise accept a plausible E.164 length (8 to 15 digits).
fn international(digits: &str) -> Result<Normalized, PhoneProblem> {
    for cc_len in 1..=3 {
        let Some((cc, rest)) = digits.split_at_checked(cc_len) else {
            break;
        };
        let known: Vec<&PhoneRegion> = REGIONS.iter().filter(|r| r.calling_code == cc).collect();
        let Some(first) = known.first() else {
            continue;
        };
        for r in &known {
            if let Some(n) = r.national(rest) {
                return Ok(Normalized::new(cc, n));
            }
            if let Some(n) = r
                .trunk
                .and_then(|t| rest.strip_prefix(t))
                .and_then(|nsn| r.national(nsn))
            {
                return Ok(Normalized::new(cc, n));
            }
        }
        let nsn = first
            .trunk
            .and_then(|t| rest.strip_prefix(t))
            .unwrap_or(rest);
        return Err(first.misfit(nsn, nsn.len(), true));
    }
    if (8..=15).contains(&digits.len()) {
        Ok(Normalized {
            e164: format!("+{digits}"),
            converted: false,
        })
    } else {
        Err(PhoneProblem::UnknownPlan)
    }
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

    #[test]
    fn old_eleven_digit_mobiles_read_as_their_ten_digit_numbers() {
        for typed in [
            "01623456789",
            "0162 345 6789",
            "0162.345.6789",
            "0162-345-6789",
            "+84 162 345 6789",
            "+841623456789",
            "84 1623456789",
            "841623456789",
            "0084 162 345 6789",
            "+84 0162 345 6789",
            "1623456789",
        ] {
            assert_eq!(
                normalize_phone(typed, vn()).as_deref(),
                Ok("+84323456789"),
                "{typed:?} is the old form of 0323 456 789"
            );
        }
        assert_eq!(
            normalize_phone("0186.5868.199", vn()).as_deref(),
            Ok("+84565868199")
        );
        // With `+84` the conversion holds in every region.
        let us = PhoneRegion::by_iso("US").expect("US is a known region");
        assert_eq!(
            normalize_phone("+84 199 123 4567", us).as_deref(),
            Ok("+84591234567")
        );
        let converted = read_phone("0129 123 4567", vn()).expect("old VinaPhone number");
        assert_eq!(converted.e164, "+84821234567");
        assert!(converted.converted);
        assert!(!read_phone("0912 345 678", vn()).expect("valid").converted);
    }

    #[test]
    fn every_old_prefix_converts_by_the_table() {
        let table = [
            ("0162", "032"),
            ("0163", "033"),
            ("0164", "034"),
            ("0165", "035"),
            ("0166", "036"),
            ("0167", "037"),
            ("0168", "038"),
            ("0169", "039"),
            ("0120", "070"),
            ("0121", "079"),
            ("0122", "077"),
            ("0126", "076"),
            ("0128", "078"),
            ("0123", "083"),
            ("0124", "084"),
            ("0125", "085"),
            ("0127", "081"),
            ("0129", "082"),
            ("0186", "056"),
            ("0188", "058"),
            ("0199", "059"),
        ];
        for (old, new) in table {
            let old_number = format!("{old}7654321");
            let new_number = format!("{new}7654321");
            assert_eq!(
                normalize_phone(&old_number, vn()),
                normalize_phone(&new_number, vn()),
                "{old_number} became {new_number}"
            );
            assert!(normalize_phone(&new_number, vn()).is_ok());
        }
    }

    #[test]
    fn other_eleven_digit_numbers_stay_errors() {
        for bad in [
            "01101234567",
            "01301234567",
            "01871234567",
            "01981234567",
            "+84 130 123 4567",
        ] {
            let err = normalize_phone(bad, vn()).expect_err("not an old prefix");
            assert!(
                err.reason
                    .to_string()
                    .contains("not one of the old prefixes"),
                "{bad}: {err}"
            );
        }
        // An old prefix with the wrong length is not converted either.
        assert!(normalize_phone("0162 345 678", vn()).is_err());
        assert!(normalize_phone("0162 345 67890", vn()).is_err());
    }

    #[test]
    fn errors_give_the_right_advice() {
        let reason = |typed: &str| {
            normalize_phone(typed, vn())
                .expect_err(typed)
                .reason
                .to_string()
        };
        for short in ["0912 345", "912 345", "12", "0912 345 67", "024 3825 123"] {
            let r = reason(short);
            assert!(r.contains("too short"), "{short}: {r}");
            assert!(r.contains("Vietnam (region VN)"), "{short}: {r}");
            assert!(!r.contains("country code"), "{short}: {r}");
        }
        assert!(reason("0912 345").contains("10 digits with its leading 0"));
        assert!(reason("024 3825 123").contains("landline"));
        for long in ["0912345678999", "09123456789", "024 3825 12345"] {
            let r = reason(long);
            assert!(r.contains("too long"), "{long}: {r}");
            assert!(!r.contains("too short"), "{long}: {r}");
        }
        let two = reason("09123456780987654321");
        assert!(two.contains("several numbers"), "{two}");
        for letters in ["0912 abc", "abc", "09l2 345 678"] {
            assert_eq!(reason(letters), "it contains letters", "{letters}");
        }
        let intl = reason("+84 912 345");
        assert!(
            intl.contains("too short") && intl.contains("after +84"),
            "{intl}"
        );
        let intl = reason("+84 912 345 6789 1");
        assert!(
            intl.contains("too long") && intl.contains("after +84"),
            "{intl}"
        );
        // Right length, but no such leading digits: a foreign number without its code.
        assert!(reason("0412 345 678").contains("+ and its country code"));
        let sg = PhoneRegion::by_iso("SG").expect("SG");
        let r = normalize_phone("6123 456", sg)
            .expect_err("short")
            .reason
            .to_string();
        assert!(r.contains("too short") && r.contains("has 8 digits"), "{r}");
    }

    #[test]
    fn typographic_dashes_and_spaces_separate_digit_groups() {
        for typed in [
            "0912–345–678",
            "0912‑345‑678",
            "0912\u{202f}345\u{202f}678",
            "0912\t345 678",
        ] {
            assert_eq!(
                normalize_phone(typed, vn()).as_deref(),
                Ok("+84912345678"),
                "{typed:?}"
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
