//! A one-pass scan of a large XML part before calamine parses it, for the two things a parser
//! buffers whole and the central directory cannot show: the longest single token (a text run,
//! a tag with its attributes, a comment, CDATA…), which quick-xml holds in one buffer and
//! calamine copies again — a 200 MB text run in a 6.6 MB file cost 630 MB — and the number of
//! `<si>` strings in a shared-string table, each of which calamine keeps.
//!
//! The tokenizer mirrors how quick-xml splits a document: text runs end at `<`; tags end at a
//! `>` outside quotes; comments at `-->`, CDATA at `]]>`, processing instructions at `?>`,
//! a DOCTYPE at the `>` that closes its internal subset. It only measures, so it never needs
//! more memory than its read buffer.

use std::io::Read;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// Just after `<`.
    Open,
    /// Reading an element name (the first bytes are kept to recognise `si`).
    Name,
    /// Inside a start or end tag, outside quotes.
    Tag,
    /// Inside a quoted attribute value.
    Quote(u8),
    /// After `<!`.
    Bang,
    /// After `<!-`.
    BangDash,
    /// Inside a comment; how many `-` were just seen (0–2).
    Comment(u8),
    /// Inside CDATA; how many `]` were just seen (0–2).
    CData(u8),
    /// Inside a processing instruction; whether `?` was just seen.
    Pi(bool),
    /// Inside a DOCTYPE; the depth of `[` … `]`.
    Doctype(u32),
}

/// What a scan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanReport {
    /// Bytes in the longest token.
    pub longest_token: u64,
    /// Start tags named `si` (any namespace prefix).
    pub si_tags: u64,
    /// `<row>` elements holding at least one `<v>` or `<t>` with text other than white space.
    pub rows_with_values: u64,
}

/// The elements the row count looks at (any namespace prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Row,
    /// `<v>` (a cell's value) or `<t>` (an inline string's text).
    Value,
    Other,
}

/// Why a scan stopped early.
#[derive(Debug)]
pub(crate) enum ScanStop {
    /// A token longer than the limit.
    TokenTooLong,
    /// More `si` start tags than the limit.
    TooManyStrings,
    /// Reading (inflating) the part failed.
    Read(std::io::Error),
}

const NAME_MAX: usize = 32;

struct Scanner {
    state: State,
    run: u64,
    longest: u64,
    name: [u8; NAME_MAX],
    name_len: usize,
    si: u64,
    /// The tag being read is an end tag (`</…`).
    closing: bool,
    /// What the tag being read opens or closes.
    element: Element,
    /// The previous byte inside the tag was `/` (so `>` ends an empty element).
    slash: bool,
    /// Inside a `<v>` or `<t>`: its text makes the row hold a value.
    in_value: bool,
    row_has_value: bool,
    rows_with_values: u64,
}

impl Scanner {
    fn end_token(&mut self) {
        self.longest = self.longest.max(self.run);
        self.run = 0;
    }

    fn tag_byte(&mut self, b: u8) {
        let empty_element = self.slash && b == b'>';
        self.slash = b == b'/';
        self.state = match b {
            b'"' | b'\'' => State::Quote(b),
            b'>' => {
                self.end_token();
                if empty_element && !self.closing {
                    // `<row/>`, `<v/>`: opened and closed at once.
                    self.close(self.element);
                }
                State::Text
            }
            _ => State::Tag,
        };
    }

    fn name_done(&mut self) {
        let name = &self.name[..self.name_len.min(NAME_MAX)];
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
        let whole = self.name_len <= NAME_MAX;
        self.element = match local {
            b"row" if whole => Element::Row,
            b"v" | b"t" if whole => Element::Value,
            _ => Element::Other,
        };
        if self.closing {
            self.close(self.element);
            return;
        }
        if whole && local == b"si" {
            self.si += 1;
        }
        match self.element {
            Element::Row => self.row_has_value = false,
            Element::Value => self.in_value = true,
            Element::Other => {}
        }
    }

    /// The end of an element the row count looks at.
    fn close(&mut self, element: Element) {
        match element {
            Element::Row => {
                if std::mem::take(&mut self.row_has_value) {
                    self.rows_with_values += 1;
                }
            }
            Element::Value => self.in_value = false,
            Element::Other => {}
        }
    }

    /// Text (or CDATA) inside the document: a value's text that is not all white space.
    fn text(&mut self, text: &[u8]) {
        if self.in_value && text.iter().any(|b| !b.is_ascii_whitespace()) {
            self.row_has_value = true;
        }
    }

    /// Feeds a buffer. Runs of bytes that cannot change the state (text up to `<`, a tag up to
    /// a quote or `>`, a quoted value up to its quote) are skipped with `memchr`: a sheet is
    /// mostly such runs, and the byte-by-byte machine is four times slower on them.
    fn feed(&mut self, data: &[u8]) {
        let mut i = 0;
        while i < data.len() {
            let rest = &data[i..];
            let next = match self.state {
                State::Text => memchr::memchr(b'<', rest),
                State::Tag => memchr::memchr3(b'"', b'\'', b'>', rest),
                State::Quote(q) => memchr::memchr(q, rest),
                _ => Some(0),
            };
            let skipped = next.unwrap_or(rest.len());
            if self.state == State::Text {
                self.text(&rest[..skipped]);
            }
            match next {
                Some(skip) => {
                    self.run += skip as u64;
                    self.byte(rest[skip]);
                    i += skip + 1;
                }
                None => {
                    self.run += rest.len() as u64;
                    i = data.len();
                }
            }
        }
    }

    fn byte(&mut self, b: u8) {
        self.run += 1;
        self.state = match self.state {
            State::Text => {
                if b == b'<' {
                    self.run -= 1;
                    self.end_token();
                    self.run = 1;
                    State::Open
                } else {
                    State::Text
                }
            }
            State::Open => {
                self.slash = false;
                match b {
                    b'!' => State::Bang,
                    b'?' => State::Pi(false),
                    b'/' => {
                        self.closing = true;
                        self.name_len = 0;
                        State::Name
                    }
                    _ => {
                        self.closing = false;
                        self.name[0] = b;
                        self.name_len = 1;
                        State::Name
                    }
                }
            }
            State::Name => {
                if b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.') {
                    if self.name_len < NAME_MAX {
                        self.name[self.name_len] = b;
                    }
                    self.name_len = self.name_len.saturating_add(1);
                    State::Name
                } else {
                    self.name_done();
                    self.tag_byte(b);
                    self.state
                }
            }
            State::Tag => {
                self.tag_byte(b);
                self.state
            }
            State::Quote(q) => {
                if b == q {
                    self.slash = false;
                    State::Tag
                } else {
                    State::Quote(q)
                }
            }
            State::Bang => match b {
                b'-' => State::BangDash,
                b'[' => {
                    // CDATA inside a value is its text (rarely written; taken as a value).
                    self.text(b"[");
                    State::CData(0)
                }
                b'>' => {
                    self.end_token();
                    State::Text
                }
                _ => State::Doctype(0),
            },
            State::BangDash => {
                if b == b'-' {
                    State::Comment(0)
                } else {
                    State::Doctype(0)
                }
            }
            State::Comment(dashes) => match b {
                b'-' => State::Comment((dashes + 1).min(2)),
                b'>' if dashes == 2 => {
                    self.end_token();
                    State::Text
                }
                _ => State::Comment(0),
            },
            State::CData(brackets) => match b {
                b']' => State::CData((brackets + 1).min(2)),
                b'>' if brackets == 2 => {
                    self.end_token();
                    State::Text
                }
                _ => State::CData(0),
            },
            State::Pi(question) => match b {
                b'>' if question => {
                    self.end_token();
                    State::Text
                }
                b'?' => State::Pi(true),
                _ => State::Pi(false),
            },
            State::Doctype(depth) => match b {
                b'[' => State::Doctype(depth.saturating_add(1)),
                b']' => State::Doctype(depth.saturating_sub(1)),
                b'>' if depth == 0 => {
                    self.end_token();
                    State::Text
                }
                _ => State::Doctype(depth),
            },
        };
    }
}

/// Scans `part` to its end, or stops at the first token longer than `max_token` bytes or past
/// `max_si` strings.
pub(crate) fn scan_xml(
    mut part: impl Read,
    max_token: u64,
    max_si: u64,
) -> Result<ScanReport, ScanStop> {
    let mut scanner = Scanner {
        state: State::Text,
        run: 0,
        longest: 0,
        name: [0; NAME_MAX],
        name_len: 0,
        si: 0,
        closing: false,
        element: Element::Other,
        slash: false,
        in_value: false,
        row_has_value: false,
        rows_with_values: 0,
    };
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match part.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ScanStop::Read(e)),
        };
        scanner.feed(&buf[..n]);
        // Checked per read: a token can pass the limit by at most one buffer.
        if scanner.run.max(scanner.longest) > max_token {
            return Err(ScanStop::TokenTooLong);
        }
        if scanner.si > max_si {
            return Err(ScanStop::TooManyStrings);
        }
    }
    Ok(ScanReport {
        longest_token: scanner.run.max(scanner.longest),
        si_tags: scanner.si,
        rows_with_values: scanner.rows_with_values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scan(xml: &str) -> ScanReport {
        scan_xml(xml.as_bytes(), u64::MAX, u64::MAX).expect("scans")
    }

    #[test]
    fn counts_si_start_tags_only() {
        let xml = r#"<sst count="2"><si><t>a</t></si><x:si><x:t>b</x:t></x:si><sit/><si/></sst>"#;
        assert_eq!(
            scan(xml).si_tags,
            3,
            "si, x:si and an empty si; not sit, not end tags"
        );
        assert_eq!(
            scan("<!-- <si> --><![CDATA[<si>]]><?pi <si>?><t>&lt;si&gt;</t>").si_tags,
            0,
            "no si inside comments, CDATA, instructions or text"
        );
    }

    #[test]
    fn counts_rows_that_hold_a_value() {
        let sheet = concat!(
            r#"<worksheet><sheetData>"#,
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#,
            r#"<row r="2" spans="1:2"><c r="A2" s="1"/><c r="B2"><v></v></c></row>"#,
            r#"<row r="3"/>"#,
            r#"<row r="4"><c r="A4" t="inlineStr"><is><t xml:space="preserve">  </t></is></c></row>"#,
            r#"<row r="5"><c r="A5" t="inlineStr"><is><r><t>Lan</t></r></is></c></row>"#,
            r#"<x:row r="6"><x:c r="B6"><x:v>84912345678</x:v></x:c></x:row>"#,
            r#"<row r="7"><c r="C7"><f>A1</f><v/></c></row>"#,
            r#"<row r="8"><c r="C8" t="b"><v>0</v></c></row>"#,
            r#"</sheetData><headerFooter><oddHeader>&amp;P</oddHeader></headerFooter></worksheet>"#,
        );
        assert_eq!(
            scan(sheet).rows_with_values,
            4,
            "rows 1, 5, 6 and 8: empty cells, white space and a formula without its value do not count"
        );
        for split in 1..sheet.len() {
            let (a, b) = sheet.as_bytes().split_at(split);
            let report = scan_xml(a.chain(b), u64::MAX, u64::MAX).unwrap();
            assert_eq!(report.rows_with_values, 4, "read in two pieces at {split}");
        }
    }

    #[test]
    fn measures_tokens_as_quick_xml_buffers_them() {
        let text = "x".repeat(1_000);
        assert_eq!(
            scan(&format!("<t>{text}</t>")).longest_token,
            1_000,
            "a text run"
        );
        let attr = "a<b>".repeat(500);
        assert_eq!(
            scan(&format!(r#"<c v="{attr}"/>"#)).longest_token,
            2_000 + 9,
            "a tag with `<` and `>` inside a quoted value is one token"
        );
        let comment = "- > <x> ".repeat(250);
        assert_eq!(
            scan(&format!("<!--{comment}-->")).longest_token,
            2_000 + 7,
            "a comment runs to -->"
        );
    }

    #[test]
    fn stops_at_the_limits() {
        let long = format!("<t>{}</t>", "x".repeat(300_000));
        assert!(
            matches!(
                scan_xml(long.as_bytes(), 100_000, 10),
                Err(ScanStop::TokenTooLong)
            ),
            "a token over the limit stops the scan"
        );
        let many = "<si/>".repeat(11);
        assert!(
            matches!(
                scan_xml(many.as_bytes(), 100_000, 10),
                Err(ScanStop::TooManyStrings)
            ),
            "too many strings stop the scan"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_bounds_every_token(xml in "[<>!?\\[\\]\"'/a-z: -]{0,300}") {
            let report = scan(&xml);
            prop_assert!(report.longest_token <= xml.len() as u64, "a token is part of the input");
        }
    }
}
