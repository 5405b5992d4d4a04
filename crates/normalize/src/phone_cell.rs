//! Phone cells as other tools write them: several numbers in one cell, each perhaps with an
//! annotation — `0377920611 (Zalo)`, `0703437550 / 0390984618`, `0912345678 - nhà`,
//! `Zalo: 0988 123 456`. [`read_phone_cell`] splits a cell into numbers, keeps the annotations
//! as labels and normalises each number with [`normalize_phone`](crate::normalize_phone), so a
//! cell with one bad number still gives its good ones.
//!
//! How a cell is cut:
//! - `;` and line breaks always separate numbers;
//! - `/`, `,` and a dash with white space or a letter beside it (` - `, ` – `, `-nhà`) are
//!   cut at first; then neighbouring pieces that are not numbers on their own but are one
//!   together (`0912/345/678`, `912,345,678`, `0912 - 345 - 678`) are joined again, and
//!   a dash stays inside one number unless both of its sides are complete numbers;
//! - a dash between digits (`0912-345-678`) and white space never cut, except that a piece
//!   which is no number but whose space-separated groups are all complete numbers
//!   (`0912345678 0987654321`) gives those numbers;
//! - separators inside parentheses do not cut (`(Zalo/Viber)`);
//! - a piece without digits (`nhà`, `- cty`) is a label: of the number before it, or of the
//!   next number when it comes first or ends with `:`.

use crate::phone::{read_phone, Normalized};
use crate::{clean_text, PhoneError, PhoneProblem, PhoneRegion};

/// What a phone cell holds: the numbers read, in the order written and each once, and the parts
/// that are no phone number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneCell {
    pub numbers: Vec<ReadPhone>,
    /// One per part that is no phone number; its `value` is the part as typed, annotation
    /// included.
    pub problems: Vec<PhoneError>,
}

/// One number of a phone cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadPhone {
    /// The number as typed, without its annotation (`0988 123 456`).
    pub raw: String,
    /// The annotation, trimmed and in NFC (`Zalo`, `nhà`, `anh Nam`); several are joined with
    /// `, `.
    pub label: Option<String>,
    /// The number in E.164 (`+84988123456`).
    pub e164: String,
    /// The old Vietnamese 11-digit number as typed (`0186.5868.199`) when it was converted to
    /// its current 10-digit number.
    pub converted_from: Option<String>,
}

/// A number has at most 15 digits (E.164), `00` and a stray trunk `0` aside: pieces are never
/// joined beyond this many digits.
const MAX_JOINED_DIGITS: usize = 20;
/// White-space groups tried as one number, at most (bounds the work on hostile cells).
const MAX_GROUPS_PER_NUMBER: usize = 16;

/// Reads a phone cell: splits it into numbers, keeps their annotations as labels, normalises
/// each number in `region` (old Vietnamese 11-digit mobiles are converted). Never fails: what
/// is no phone number goes to [`PhoneCell::problems`]. An empty cell, or one of punctuation
/// only (`-`), holds nothing; a cell of words only (`không có`) is one problem.
pub fn read_phone_cell(cell: &str, region: &PhoneRegion) -> PhoneCell {
    let mut parts = Vec::new();
    for chunk in cell.split(['\n', '\r', ';']) {
        read_chunk(chunk, region, &mut parts);
    }
    let mut out = PhoneCell::default();
    let mut pending: Vec<String> = Vec::new();
    let mut last = Last::Nothing;
    for part in parts {
        match part {
            Part::Numbers(numbers) => {
                for (k, mut number) in numbers.into_iter().enumerate() {
                    if k == 0 && !pending.is_empty() {
                        let mut labels = std::mem::take(&mut pending);
                        labels.extend(number.label.take());
                        number.label = Some(labels.join(", "));
                    }
                    last = Last::Number(push_number(&mut out.numbers, number));
                }
            }
            Part::Problem(problem) => {
                out.problems.push(problem);
                pending.clear();
                last = Last::Problem;
            }
            Part::Text { label, leading } => match last {
                Last::Number(i) if !leading => add_label(&mut out.numbers[i], label),
                // An annotation of a number that could not be read goes with it.
                Last::Problem if !leading => {}
                _ => pending.push(label),
            },
            Part::Nothing => {}
        }
    }
    if out.numbers.is_empty() && out.problems.is_empty() && cell.chars().any(char::is_alphanumeric)
    {
        if let Err(problem) = read_phone(cell, region) {
            out.problems.push(problem);
        }
    }
    out
}

/// What the previous part was, for a label that follows it.
enum Last {
    Nothing,
    Number(usize),
    Problem,
}

/// One part of a cell, read.
#[derive(Debug)]
enum Part {
    /// Complete numbers (several only when white space separated them).
    Numbers(Vec<ReadPhone>),
    /// Digits that are no phone number.
    Problem(PhoneError),
    /// Words without digits: a label. `leading`: it ends with `:`, so it names what follows.
    Text { label: String, leading: bool },
    /// Nothing but white space and punctuation.
    Nothing,
}

impl Part {
    fn has_digits(&self) -> bool {
        matches!(self, Part::Numbers(_) | Part::Problem(_))
    }
}

/// Adds `number` unless its E.164 is already there (then it only lends its label to the first
/// one, if that has none); returns the index of the entry.
fn push_number(numbers: &mut Vec<ReadPhone>, number: ReadPhone) -> usize {
    if let Some(i) = numbers.iter().position(|n| n.e164 == number.e164) {
        if numbers[i].label.is_none() {
            numbers[i].label = number.label;
        }
        return i;
    }
    numbers.push(number);
    numbers.len() - 1
}

fn add_label(number: &mut ReadPhone, label: String) {
    number.label = Some(match number.label.take() {
        Some(before) => format!("{before}, {label}"),
        None => label,
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Dash,
    /// `/` or `,`.
    Other,
}

/// Reads one chunk of a cell (the text between `;` and line breaks) into `parts`.
fn read_chunk(chunk: &str, region: &PhoneRegion, parts: &mut Vec<Part>) {
    // Pieces between the separators that may cut, and what separates each from the next.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut seps: Vec<Sep> = Vec::new();
    let mut start = 0;
    for (at, len, sep) in soft_separators(chunk) {
        pieces.push((start, at));
        seps.push(sep);
        start = at + len;
    }
    pieces.push((start, chunk.len()));
    let span = |first: usize, last: usize| &chunk[pieces[first].0..pieces[last].1];
    let mut reads: Vec<Option<Part>> = pieces
        .iter()
        .map(|&(a, b)| Some(read_part(&chunk[a..b], region)))
        .collect();

    // Pieces that are no number alone are joined to the longest run that is one.
    let mut groups: Vec<(usize, usize, Part)> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut best = None;
        if matches!(reads[i], Some(Part::Problem(_))) {
            let mut digits = count_digits(span(i, i));
            for (j, read) in reads.iter().enumerate().skip(i + 1) {
                if !matches!(read, Some(Part::Problem(_))) {
                    break;
                }
                digits += count_digits(span(j, j));
                if digits > MAX_JOINED_DIGITS {
                    break;
                }
                if digits < fewest_digits(region) {
                    continue;
                }
                let joined = read_part(span(i, j), region);
                if matches!(joined, Part::Numbers(_)) {
                    best = Some((j, joined));
                }
            }
        }
        match best {
            Some((j, joined)) => {
                groups.push((i, j, joined));
                i = j + 1;
            }
            None => {
                let read = reads[i].take().unwrap_or(Part::Nothing);
                groups.push((i, i, read));
                i += 1;
            }
        }
    }

    // A dash separates two numbers only when both sides are complete; otherwise the digits on
    // both sides are one (bad) number, read once as a whole when its run ends.
    struct Run {
        first: usize,
        last: usize,
        /// `None` once pieces were joined across a dash: read again at the end.
        read: Option<Part>,
    }
    let mut runs: Vec<Run> = Vec::new();
    for (first, last, read) in groups {
        if let Some(run) = runs.last_mut() {
            let complete = |r: &Option<Part>| matches!(r, Some(Part::Numbers(_)));
            let digits = |r: &Option<Part>| r.as_ref().is_none_or(Part::has_digits);
            let read = Some(read);
            if seps[run.last] == Sep::Dash
                && digits(&run.read)
                && digits(&read)
                && !(complete(&run.read) && complete(&read))
            {
                run.last = last;
                run.read = None;
                continue;
            }
            runs.push(Run { first, last, read });
            continue;
        }
        runs.push(Run {
            first,
            last,
            read: Some(read),
        });
    }
    parts.extend(runs.into_iter().map(|run| {
        run.read
            .unwrap_or_else(|| read_part(span(run.first, run.last), region))
    }));
}

/// Where `chunk` may be cut between numbers: `/`, `,` and dashes that do not join digit groups
/// (`0912-345-678` keeps its dashes), outside matched parentheses. Byte offset, byte length,
/// kind.
fn soft_separators(chunk: &str) -> Vec<(usize, usize, Sep)> {
    let chars: Vec<(usize, char)> = chunk.char_indices().collect();
    // Which characters sit inside a matched pair of parentheses: each pair adds one from just
    // after its `(` up to its `)`, summed left to right (linear, however deep the nesting).
    let mut depth_change = vec![0i32; chars.len() + 1];
    let mut open: Vec<usize> = Vec::new();
    for (k, &(_, c)) in chars.iter().enumerate() {
        match c {
            '(' => open.push(k),
            ')' => {
                if let Some(o) = open.pop() {
                    depth_change[o + 1] += 1;
                    depth_change[k] -= 1;
                }
            }
            _ => {}
        }
    }
    let mut depth = 0;
    let inside: Vec<bool> = depth_change[..chars.len()]
        .iter()
        .map(|d| {
            depth += d;
            depth > 0
        })
        .collect();
    let tight = |c: Option<&(usize, char)>| {
        c.is_some_and(|&(_, c)| c.is_ascii_digit() || c == '(' || c == ')')
    };
    let mut out = Vec::new();
    for (k, &(at, c)) in chars.iter().enumerate() {
        if inside[k] {
            continue;
        }
        let sep = match c {
            '/' | ',' => Sep::Other,
            c if is_dash(c) => {
                let before = k.checked_sub(1).and_then(|p| chars.get(p));
                if tight(before) && tight(chars.get(k + 1)) {
                    continue;
                }
                Sep::Dash
            }
            _ => continue,
        };
        out.push((at, c.len_utf8(), sep));
    }
    out
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// No number of `region` has fewer digits: its shortest national number without the trunk
/// prefix (the lost `0`), or eight for one with `+` (`+49 123456`).
fn fewest_digits(region: &PhoneRegion) -> usize {
    region.nsn_min.min(8)
}

fn count_digits(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

fn has_letter(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

/// Reads one piece of a cell: a number with its annotations, words only, or nothing.
fn read_part(piece: &str, region: &PhoneRegion) -> Part {
    let whole = piece.trim();
    if count_digits(whole) == 0 {
        return text_part(whole);
    }
    let (leading, number, trailing) = split_annotations(whole);
    if count_digits(number) == 0 {
        // The digits were all inside an annotation: `nhà (số 2)`.
        return text_part(whole);
    }
    let labels = leading.iter().chain(&trailing).copied();
    match read_number(number, region) {
        Ok(n) => Part::Numbers(vec![read_phone_of(number, n, labels)]),
        Err(reason) => match read_groups(number, region) {
            Some(mut numbers) => {
                if let Some(first) = numbers.first_mut() {
                    first.label = join_labels(leading.iter().copied());
                }
                if let Some(last) = numbers.last_mut() {
                    last.label = join_labels(trailing.iter().copied());
                }
                Part::Numbers(numbers)
            }
            None => Part::Problem(PhoneError {
                value: whole.to_string(),
                reason,
            }),
        },
    }
}

/// A piece without digits: a label if it has letters, else nothing.
fn text_part(text: &str) -> Part {
    match label_text(text) {
        Some(label) => Part::Text {
            label,
            leading: text.trim_end().ends_with(':'),
        },
        None => Part::Nothing,
    }
}

/// `number` read with [`read_phone`]; commas separate digit groups here (`912,345,678`: a
/// number Excel wrote with thousands separators).
fn read_number(number: &str, region: &PhoneRegion) -> Result<Normalized, PhoneProblem> {
    let result = if number.contains(',') {
        read_phone(&number.replace(',', " "), region)
    } else {
        read_phone(number, region)
    };
    result.map_err(|e| e.reason)
}

fn read_phone_of<'a>(raw: &str, n: Normalized, labels: impl Iterator<Item = &'a str>) -> ReadPhone {
    ReadPhone {
        raw: raw.to_string(),
        label: join_labels(labels),
        e164: n.e164,
        converted_from: n.converted.then(|| raw.to_string()),
    }
}

fn join_labels<'a>(labels: impl Iterator<Item = &'a str>) -> Option<String> {
    let labels: Vec<String> = labels.filter_map(label_text).collect();
    (!labels.is_empty()).then(|| labels.join(", "))
}

/// An annotation as a label: trimmed of white space, colons, dashes, dots and commas, and of
/// one pair of surrounding parentheses, in NFC; none without a letter.
fn label_text(text: &str) -> Option<String> {
    let edge = |c: char| c.is_whitespace() || is_dash(c) || matches!(c, ':' | '.' | ',');
    let mut t = text.trim_matches(edge);
    match (t.strip_prefix('('), t.strip_suffix(')')) {
        (Some(_), Some(_)) => t = t[1..t.len() - 1].trim_matches(edge),
        // A bracket left open or never opened: `0912… (Zalo`.
        (Some(rest), None) if !rest.contains(')') => t = rest.trim_matches(edge),
        (None, Some(rest)) if !rest.contains('(') => t = rest.trim_matches(edge),
        _ => {}
    }
    has_letter(t).then(|| clean_text(t))
}

/// Splits a piece into leading annotations (`(Zalo) …`, `Zalo: …`, `DĐ …`), the number, and
/// trailing annotations (`… (anh Nam)`, `… nhà`).
fn split_annotations(piece: &str) -> (Vec<&str>, &str, Vec<&str>) {
    let mut s = piece.trim();
    let mut leading = Vec::new();
    let mut trailing = Vec::new();
    // `(Zalo) 0912…`
    while s.starts_with('(') {
        let Some(close) = matching_close(s) else {
            break;
        };
        let inner = &s[1..close];
        if !has_letter(inner) {
            break;
        }
        leading.push(inner);
        s = s[close + 1..].trim_start();
    }
    // `Zalo: 0912…`, `DĐ 0912…`: words, then a space, colon or dot, then the number.
    if s.starts_with(char::is_alphabetic) {
        if let Some(at) = s.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(') {
            let prefix = &s[..at];
            if prefix.ends_with(|c: char| c.is_whitespace() || c == ':' || c == '.') {
                leading.push(prefix);
                s = s[at..].trim_start();
            }
        }
    }
    // `0912… (anh Nam) (Zalo)`
    let mut trailing_parens = Vec::new();
    while s.ends_with(')') {
        let Some(open) = matching_open(s) else {
            break;
        };
        let inner = &s[open + 1..s.len() - 1];
        if !has_letter(inner) {
            break;
        }
        trailing_parens.push(inner);
        s = s[..open].trim_end();
    }
    // `0912… nhà`, `0912… - nhà`: words after the last digit, set apart from it.
    if let Some(last_digit) = s.rfind(|c: char| c.is_ascii_digit()) {
        let tail = &s[last_digit + 1..];
        let set_apart =
            tail.starts_with(|c: char| c.is_whitespace() || is_dash(c) || c == ':' || c == '(');
        if set_apart && has_letter(tail) {
            trailing.push(tail);
            s = s[..=last_digit].trim_end();
        }
    }
    trailing.extend(trailing_parens.into_iter().rev());
    (leading, s, trailing)
}

/// The byte offset of the `)` matching the `(` that starts `s`.
fn matching_close(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The byte offset of the `(` matching the `)` that ends `s`.
fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// A number text that is no number, read as several numbers written with only white space
/// between them (`0912345678 0987654321`): each run of groups, longest first, must be a
/// complete number, or this gives nothing.
fn read_groups(number: &str, region: &PhoneRegion) -> Option<Vec<ReadPhone>> {
    if count_digits(number) < 2 * fewest_digits(region) {
        return None;
    }
    let groups = whitespace_groups(number);
    if groups.len() < 2 {
        return None;
    }
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        let mut best = None;
        let mut digits = 0;
        for j in i..groups.len().min(i + MAX_GROUPS_PER_NUMBER) {
            digits += count_digits(&number[groups[j].0..groups[j].1]);
            if digits > MAX_JOINED_DIGITS {
                break;
            }
            if digits < fewest_digits(region) {
                continue;
            }
            let raw = &number[groups[i].0..groups[j].1];
            if let Ok(n) = read_number(raw, region) {
                best = Some((j, raw, n));
            }
        }
        let (j, raw, n) = best?;
        numbers.push(read_phone_of(raw, n, std::iter::empty()));
        i = j + 1;
    }
    (numbers.len() >= 2).then_some(numbers)
}

/// Byte spans of the white-space separated groups of `s`.
fn whitespace_groups(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(a)) => {
                out.push((a, at));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push((a, s.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize_phone;
    use crate::phone::VN_OLD_MOBILE_PREFIXES;
    use proptest::prelude::*;

    fn vn() -> &'static PhoneRegion {
        PhoneRegion::by_iso("VN").expect("VN is a known region")
    }

    /// A number as (raw, label, e164).
    type Number = (String, Option<String>, String);

    /// The cell's numbers, and its problems' values.
    fn read(cell: &str) -> (Vec<Number>, Vec<String>) {
        let read = read_phone_cell(cell, vn());
        let numbers = read
            .numbers
            .into_iter()
            .map(|n| (n.raw, n.label, n.e164))
            .collect();
        let problems = read.problems.into_iter().map(|p| p.value).collect();
        (numbers, problems)
    }

    fn number(raw: &str, label: Option<&str>, e164: &str) -> Number {
        (raw.into(), label.map(Into::into), e164.into())
    }

    #[test]
    fn annotations_become_labels() {
        for (cell, raw, label, e164) in [
            ("0377920611 (Zalo)", "0377920611", "Zalo", "+84377920611"),
            ("0912345678 - nhà", "0912345678", "nhà", "+84912345678"),
            ("0912345678 – cty", "0912345678", "cty", "+84912345678"),
            ("0912345678-nhà", "0912345678", "nhà", "+84912345678"),
            (
                "0988 123 456 (anh Nam)",
                "0988 123 456",
                "anh Nam",
                "+84988123456",
            ),
            ("Zalo: 0377920611", "0377920611", "Zalo", "+84377920611"),
            ("DĐ 0912 345 678", "0912 345 678", "DĐ", "+84912345678"),
            ("(Zalo) 0377920611", "0377920611", "Zalo", "+84377920611"),
            (
                "0912345678 nhà riêng",
                "0912345678",
                "nhà riêng",
                "+84912345678",
            ),
            (
                "0912345678 (Zalo/Viber)",
                "0912345678",
                "Zalo/Viber",
                "+84912345678",
            ),
            (
                "  0912345678  (  chị Hà  )  ",
                "0912345678",
                "chị Hà",
                "+84912345678",
            ),
        ] {
            assert_eq!(
                read(cell),
                (vec![number(raw, Some(label), e164)], vec![]),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn labels_are_nfc() {
        let decomposed = "0912345678 (nha\u{300})";
        let (numbers, _) = read(decomposed);
        assert_eq!(numbers[0].1.as_deref(), Some("nhà"));
    }

    #[test]
    fn several_numbers_in_one_cell() {
        let two = |a: &str, b: &str| {
            (
                vec![
                    number(a, None, "+84703437550"),
                    number(b, None, "+84390984618"),
                ],
                vec![],
            )
        };
        for (cell, a, b) in [
            ("0703437550 / 0390984618", "0703437550", "0390984618"),
            ("0703437550/0390984618", "0703437550", "0390984618"),
            ("0703437550; 0390984618", "0703437550", "0390984618"),
            ("0703437550, 0390984618", "0703437550", "0390984618"),
            ("0703437550\n0390984618", "0703437550", "0390984618"),
            ("0703437550\r\n0390984618", "0703437550", "0390984618"),
            ("0703437550 - 0390984618", "0703437550", "0390984618"),
            ("0703437550 – 0390984618", "0703437550", "0390984618"),
            (
                "0703 437 550 - 0390 984 618",
                "0703 437 550",
                "0390 984 618",
            ),
            ("0703437550 0390984618", "0703437550", "0390984618"),
        ] {
            assert_eq!(read(cell), two(a, b), "{cell:?}");
        }
        assert_eq!(
            read("0377920611 (Zalo) / 0912-345-678 - nhà; Zalo: 0988 123 456"),
            (
                vec![
                    number("0377920611", Some("Zalo"), "+84377920611"),
                    number("0912-345-678", Some("nhà"), "+84912345678"),
                    number("0988 123 456", Some("Zalo"), "+84988123456"),
                ],
                vec![]
            )
        );
    }

    #[test]
    fn digit_groups_are_not_numbers() {
        for cell in [
            "0912-345-678",
            "0912 345 678",
            "0912.345.678",
            "0912 - 345 - 678",
            "0912/345/678",
            "912,345,678",
            "(+84) 912 345 678",
            "+84-912-345-678",
            "(024) 3825 1234",
        ] {
            let (numbers, problems) = read(cell);
            assert_eq!(numbers.len(), 1, "{cell:?} is one number: {numbers:?}");
            assert_eq!(numbers[0].0, cell.trim(), "{cell:?} keeps its raw text");
            assert!(problems.is_empty(), "{cell:?}: {problems:?}");
        }
    }

    #[test]
    fn lost_zero_and_old_numbers() {
        assert_eq!(
            read("912345678"),
            (vec![number("912345678", None, "+84912345678")], vec![])
        );
        let cell = read_phone_cell("0186.5868.199 (Zalo)", vn());
        assert_eq!(
            cell.numbers,
            vec![ReadPhone {
                raw: "0186.5868.199".into(),
                label: Some("Zalo".into()),
                e164: "+84565868199".into(),
                converted_from: Some("0186.5868.199".into()),
            }]
        );
        for old in [
            "0162 345 6789",
            "+84 162 345 6789",
            "84 1623456789",
            "01623456789",
        ] {
            let cell = read_phone_cell(old, vn());
            assert_eq!(cell.numbers.len(), 1, "{old}");
            assert_eq!(cell.numbers[0].e164, "+84323456789", "{old}");
            assert_eq!(cell.numbers[0].converted_from.as_deref(), Some(old));
        }
        let current = read_phone_cell("0323 456 789", vn());
        assert_eq!(current.numbers[0].converted_from, None);
        // The old and the new form of one number are one number.
        let both = read_phone_cell("01623456789 / 0323456789 (mới)", vn());
        assert_eq!(both.numbers.len(), 1);
        assert_eq!(both.numbers[0].label.as_deref(), Some("mới"));
    }

    #[test]
    fn bad_parts_are_problems_and_the_others_still_count() {
        let cell = read_phone_cell("0912 345 (Zalo) / 0390984618; 09l2345678", vn());
        assert_eq!(cell.numbers.len(), 1);
        assert_eq!(cell.numbers[0].e164, "+84390984618");
        let values: Vec<&str> = cell.problems.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(values, ["0912 345 (Zalo)", "09l2345678"]);
        assert!(
            cell.problems[0].reason.to_string().contains("too short"),
            "{:?}",
            cell.problems[0]
        );
        assert!(!cell.problems[0].reason.to_string().contains("country code"));
        assert_eq!(cell.problems[1].reason, PhoneProblem::Letters);
        // An 11-digit number that is no old mobile stays a problem.
        let cell = read_phone_cell("01101234567", vn());
        assert!(cell.numbers.is_empty());
        assert!(cell.problems[0].reason.to_string().contains("old prefixes"));
        // A dash between a number and a broken one does not separate them.
        let (numbers, problems) = read("0912345678 - 091234");
        assert!(numbers.is_empty());
        assert_eq!(problems, ["0912345678 - 091234"]);
        // A slash does.
        let (numbers, problems) = read("0912345678 / 091234");
        assert_eq!(numbers, [number("0912345678", None, "+84912345678")]);
        assert_eq!(problems, ["091234"]);
    }

    #[test]
    fn duplicates_appear_once() {
        let (numbers, problems) = read("0912345678 / +84 912 345 678 (Zalo); 912345678");
        assert_eq!(
            numbers,
            [number("0912345678", Some("Zalo"), "+84912345678")]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn empty_and_wordy_cells() {
        for empty in ["", "   ", "-", " / ", "\n;\n"] {
            assert_eq!(
                read_phone_cell(empty, vn()),
                PhoneCell::default(),
                "{empty:?}"
            );
        }
        for words in ["không có", "N/A", "Zalo"] {
            let cell = read_phone_cell(words, vn());
            assert!(cell.numbers.is_empty(), "{words:?}");
            assert_eq!(cell.problems.len(), 1, "{words:?}");
            assert_eq!(cell.problems[0].value, words);
        }
        // A label on a line of its own names the number before it, or the next one with `:`.
        assert_eq!(
            read("0912345678\nnhà\nZalo:\n0988123456"),
            (
                vec![
                    number("0912345678", Some("nhà"), "+84912345678"),
                    number("0988123456", Some("Zalo"), "+84988123456"),
                ],
                vec![]
            )
        );
    }

    #[test]
    fn foreign_numbers_in_a_cell() {
        let (numbers, problems) = read("+1 (415) 555-2671 (US office) / 0912 345 678");
        assert_eq!(
            numbers,
            [
                number("+1 (415) 555-2671", Some("US office"), "+14155552671"),
                number("0912 345 678", None, "+84912345678"),
            ]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn long_cells_are_read_whole() {
        // Excel's longest cell; nested brackets and long runs of pieces stay linear or bounded.
        let many = "0912345678 / ".repeat(2_500);
        let cell = read_phone_cell(&many, vn());
        assert_eq!(cell.numbers.len(), 1);
        assert!(cell.problems.is_empty());
        let nested = format!("{}0912345678{}", "(".repeat(16_000), ")".repeat(16_000));
        assert_eq!(read_phone_cell(&nested, vn()).numbers.len(), 1);
        let digits = "1 - ".repeat(2_000);
        let cell = read_phone_cell(&digits, vn());
        assert!(cell.numbers.is_empty());
        assert_eq!(cell.problems.len(), 1);
    }

    // ---- properties ----

    /// A valid Vietnamese number: (its national number as typed, the current national number,
    /// whether it is an old 11-digit mobile).
    fn vn_number() -> impl Strategy<Value = (String, String, bool)> {
        let mobile = (
            prop::sample::select(vec!['3', '5', '7', '8', '9']),
            "[0-9]{8}",
        )
            .prop_map(|(first, rest)| {
                let nsn = format!("{first}{rest}");
                (nsn.clone(), nsn, false)
            });
        let landline = "2[0-9]{9}".prop_map(|nsn| (nsn.clone(), nsn, false));
        // The conversion table itself is the one the reader uses; its entries are checked
        // one by one against real numbers in `phone.rs`.
        let old = (0..VN_OLD_MOBILE_PREFIXES.len(), "[0-9]{7}").prop_map(|(k, rest)| {
            let (old, new) = VN_OLD_MOBILE_PREFIXES[k];
            (format!("{old}{rest}"), format!("{new}{rest}"), true)
        });
        prop_oneof![mobile, landline, old]
    }

    /// Writes a national number with a prefix style and digit groups cut where `cuts` says,
    /// separated by `sep` (which never cuts a number: space, dot, dash between digits).
    fn write(nsn: &str, prefix: u8, cuts: &[bool], sep: &str) -> String {
        let mut grouped = String::new();
        for (k, c) in nsn.chars().enumerate() {
            if k > 0 && cuts.get(k).copied().unwrap_or(false) {
                grouped.push_str(sep);
            }
            grouped.push(c);
        }
        match prefix % 6 {
            0 => format!("0{grouped}"),
            1 => format!("+84 {grouped}"),
            2 => format!("84{grouped}"),
            3 => format!("(+84) {grouped}"),
            4 => format!("0084 {grouped}"),
            _ => grouped, // the trunk 0 lost
        }
    }

    fn separator() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![" ", ".", "-", "–", ""])
    }

    fn annotate(number: &str, style: u8) -> String {
        match style % 8 {
            0 => number.to_string(),
            1 => format!("{number} (Zalo)"),
            2 => format!("{number} - nhà"),
            3 => format!("Zalo: {number}"),
            4 => format!("{number} (anh Nam)"),
            5 => format!("DĐ {number}"),
            6 => format!("{number} – cty"),
            _ => format!("  {number}  "),
        }
    }

    fn between() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![" / ", "/", "; ", ", ", "\n", " - ", " – ", "\r\n"])
    }

    fn digit_runs(s: &str) -> usize {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .count()
    }

    proptest! {
        #[test]
        fn every_spelling_reads_to_the_plain_number(
            (typed, current, old) in vn_number(),
            prefix in 0u8..6,
            cuts in prop::collection::vec(any::<bool>(), 10),
            sep in separator(),
            note in 0u8..8,
        ) {
            let written = write(&typed, prefix, &cuts, sep);
            let cell = read_phone_cell(&annotate(&written, note), vn());
            let plain = normalize_phone(&format!("0{current}"), vn());
            prop_assert_eq!(plain.clone(), Ok(format!("+84{current}")));
            prop_assert!(cell.problems.is_empty(), "{:?}: {:?}", written, cell.problems);
            prop_assert_eq!(cell.numbers.len(), 1, "{:?}", written);
            let n = &cell.numbers[0];
            prop_assert_eq!(Ok(n.e164.clone()), plain);
            prop_assert_eq!(&n.raw, written.trim());
            prop_assert_eq!(n.converted_from.is_some(), old);
            prop_assert_eq!(n.label.is_some(), !matches!(note % 8, 0 | 7));
            // `normalize_phone` gives every caller the same key for the number as typed.
            prop_assert_eq!(normalize_phone(&written, vn()), Ok(n.e164.clone()));
        }

        #[test]
        fn several_numbers_read_in_order_and_once(
            numbers in prop::collection::vec(
                (vn_number(), 0u8..6, prop::collection::vec(any::<bool>(), 10), separator(), 0u8..8),
                1..5,
            ),
            seps in prop::collection::vec(between(), 4),
        ) {
            let mut cell = String::new();
            let mut expected: Vec<String> = Vec::new();
            for (k, ((typed, current, _), prefix, cuts, sep, note)) in numbers.iter().enumerate() {
                if k > 0 {
                    cell.push_str(seps[k - 1]);
                }
                cell.push_str(&annotate(&write(typed, *prefix, cuts, sep), *note));
                let e164 = format!("+84{current}");
                if !expected.contains(&e164) {
                    expected.push(e164);
                }
            }
            let read = read_phone_cell(&cell, vn());
            prop_assert!(read.problems.is_empty(), "{:?}: {:?}", cell, read.problems);
            let got: Vec<String> = read.numbers.iter().map(|n| n.e164.clone()).collect();
            prop_assert_eq!(got, expected, "{:?}", cell);
        }

        #[test]
        fn digit_groups_never_split(
            (typed, current, _) in vn_number(),
            prefix in 0u8..6,
            cuts in prop::collection::vec(any::<bool>(), 10),
            sep in prop::sample::select(vec![" ", "-"]),
        ) {
            let written = write(&typed, prefix, &cuts, sep);
            let cell = read_phone_cell(&written, vn());
            prop_assert!(cell.problems.is_empty(), "{:?}", cell.problems);
            prop_assert_eq!(cell.numbers.len(), 1, "{:?}", written);
            prop_assert_eq!(&cell.numbers[0].e164, &format!("+84{current}"));
        }

        #[test]
        fn never_panics_nor_invents_numbers(cell in "\\PC{0,60}") {
            let read = read_phone_cell(&cell, vn());
            prop_assert!(read.numbers.len() <= digit_runs(&cell));
        }

        #[test]
        fn phone_like_noise_reads_consistently(
            cell in "[0-9 ()+/;,.:\\-–\\na-zđĐà]{0,60}",
        ) {
            let read = read_phone_cell(&cell, vn());
            prop_assert!(read.numbers.len() <= digit_runs(&cell), "{:?}: {:?}", cell, read);
            let mut seen = Vec::new();
            for n in &read.numbers {
                prop_assert!(!seen.contains(&n.e164), "{} twice in {:?}", n.e164, cell);
                seen.push(n.e164.clone());
                // A number's raw text reads again to the same number.
                let again = read_phone_cell(&n.raw, vn());
                prop_assert_eq!(again.numbers.len(), 1, "{:?} from {:?}", n.raw, cell);
                prop_assert_eq!(&again.numbers[0].e164, &n.e164);
                prop_assert!(cell.contains(n.raw.as_str()));
            }
        }
    }
}
