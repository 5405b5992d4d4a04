//! The XML of an export's workbook, written directly: each sheet's rows as inline-string and
//! number cells (the markup rust_xlsxwriter's constant-memory mode writes, and Python
//! XlsxWriter's), and the few fixed parts around them. Rows are turned into XML on several
//! threads at once, a piece at a time ([`rows_xml`]); a sheet's opening ([`prologue`]) carries
//! the frozen header row and the column widths, measured on the first rows.

use time::UtcOffset;

use super::write::{cell_value, needs_quote_prefix, ColumnKind, Value};
use crate::error::{Error, Result};
use crate::model::{FieldDef, ProfileRow};

/// Column widths follow the longest value of the first rows.
pub(super) const WIDTH_SAMPLE: usize = 100;
/// Excel's longest cell text, in UTF-16 units.
const MAX_TEXT: usize = 32_767;

/// The cell formats of `styles.xml`, by index.
const BOLD: u8 = 1;
const DATE: u8 = 2;
const DATE_TIME: u8 = 3;
const QUOTED: u8 = 4;

/// What every sheet of one export shares: its columns, their kinds and widths.
pub(super) struct Layout {
    keys: Vec<String>,
    labels: Vec<String>,
    kinds: Vec<ColumnKind>,
    /// "A", "B", …, "AA": the cell references' columns.
    letters: Vec<String>,
    /// Widths as Excel stores them (character units with its padding).
    widths: Vec<f64>,
}

impl Layout {
    /// The layout of `fields`, columns sized to their label and the first [`WIDTH_SAMPLE`]
    /// of `first_rows`.
    pub(super) fn new(fields: &[FieldDef], first_rows: &[ProfileRow]) -> Self {
        let kinds: Vec<ColumnKind> = fields.iter().map(super::write::column_kind).collect();
        let widths = fields
            .iter()
            .zip(&kinds)
            .map(|(f, kind)| {
                let longest = first_rows
                    .iter()
                    .take(WIDTH_SAMPLE)
                    .filter_map(|r| r.cells.get(&f.key))
                    .map(|t| t.chars().count())
                    .fold(f.label.chars().count(), usize::max);
                excel_width(match kind {
                    ColumnKind::Date => 12.0,
                    ColumnKind::Timestamp => 17.0,
                    _ => (longest as f64 + 2.0).clamp(8.0, 60.0),
                })
            })
            .collect();
        Layout {
            keys: fields.iter().map(|f| f.key.clone()).collect(),
            labels: fields.iter().map(|f| f.label.clone()).collect(),
            letters: (0..fields.len() as u32)
                .map(pdesk_xlsx::column_letters)
                .collect(),
            kinds,
            widths,
        }
    }
}

/// A column width as Excel stores it: Calibri 11's 7-pixel digits and 5 pixels of padding, as
/// rust_xlsxwriter and XlsxWriter convert it.
fn excel_width(width: f64) -> f64 {
    let pixels = (width * 7.0).round() as u32 + 5;
    f64::from(pixels * 256 / 7) / 256.0
}

const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A sheet's XML up to and with its header row: the frozen first row, the column widths.
/// The first sheet is the selected one.
pub(super) fn prologue(layout: &Layout, first_sheet: bool) -> Vec<u8> {
    let mut x = String::with_capacity(1024);
    x.push_str(XML_DECLARATION);
    x.push_str(&format!(
        r#"<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">"#
    ));
    x.push_str(&format!(
        r#"<sheetViews><sheetView{} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>"#,
        if first_sheet { r#" tabSelected="1""# } else { "" }
    ));
    x.push_str(r#"<sheetFormatPr defaultRowHeight="15"/>"#);
    if !layout.widths.is_empty() {
        x.push_str("<cols>");
        for (i, w) in layout.widths.iter().enumerate() {
            x.push_str(&format!(
                r#"<col min="{0}" max="{0}" width="{w}" customWidth="1"/>"#,
                i + 1
            ));
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData>");
    let mut bytes = x.into_bytes();
    bytes.extend_from_slice(b"<row r=\"1\">");
    for (c, label) in layout.labels.iter().enumerate() {
        text_cell(&mut bytes, &layout.letters[c], 1, label, Some(BOLD));
    }
    bytes.extend_from_slice(b"</row>");
    bytes
}

/// The end of every sheet's XML.
pub(super) const EPILOGUE: &[u8] = br#"</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#;

/// Appends `rows` to `out` as the sheet's rows `first_row`, `first_row + 1`, … (1-based, the
/// header is row 1): empty cells are left out, each value typed by its column
/// ([`cell_value`]).
pub(super) fn rows_xml(
    out: &mut Vec<u8>,
    layout: &Layout,
    rows: &[ProfileRow],
    first_row: u32,
    offset: UtcOffset,
) -> Result<()> {
    let mut number = itoa::Buffer::new();
    for (i, row) in rows.iter().enumerate() {
        let r = first_row + i as u32;
        out.extend_from_slice(b"<row r=\"");
        out.extend_from_slice(number.format(r).as_bytes());
        out.extend_from_slice(b"\">");
        for (c, key) in layout.keys.iter().enumerate() {
            let Some(text) = row.cells.get(key).filter(|t| !t.is_empty()) else {
                continue;
            };
            let letters = &layout.letters[c];
            match cell_value(layout.kinds[c], text, offset) {
                Value::Text(t) => {
                    if t.len() > MAX_TEXT && t.encode_utf16().count() > MAX_TEXT {
                        return Err(Error::Internal(format!(
                            "row {r}, column {letters}: a text longer than Excel's {MAX_TEXT} characters"
                        )));
                    }
                    text_cell(out, letters, r, t, needs_quote_prefix(t).then_some(QUOTED));
                }
                Value::Serial(s, time) => number_cell(
                    out,
                    letters,
                    r,
                    s,
                    Some(if time { DATE_TIME } else { DATE }),
                ),
                Value::Number(n) => number_cell(out, letters, r, n, None),
                Value::Bool(b) => {
                    cell_start(out, letters, r, None);
                    out.extend_from_slice(if b {
                        b" t=\"b\"><v>1</v></c>"
                    } else {
                        b" t=\"b\"><v>0</v></c>"
                    });
                }
            }
        }
        out.extend_from_slice(b"</row>");
    }
    Ok(())
}

/// `<c r="B7" s="2"` (no closing `>`).
fn cell_start(out: &mut Vec<u8>, letters: &str, row: u32, style: Option<u8>) {
    out.extend_from_slice(b"<c r=\"");
    out.extend_from_slice(letters.as_bytes());
    out.extend_from_slice(itoa::Buffer::new().format(row).as_bytes());
    out.push(b'"');
    if let Some(s) = style {
        out.extend_from_slice(b" s=\"");
        out.extend_from_slice(itoa::Buffer::new().format(s).as_bytes());
        out.push(b'"');
    }
}

fn number_cell(out: &mut Vec<u8>, letters: &str, row: u32, n: f64, style: Option<u8>) {
    cell_start(out, letters, row, style);
    out.extend_from_slice(b"><v>");
    // Whole numbers (every date) as integers; others in their shortest exact form.
    if n.fract() == 0.0 && n.abs() < 1e15 {
        out.extend_from_slice(itoa::Buffer::new().format(n as i64).as_bytes());
    } else {
        out.extend_from_slice(ryu::Buffer::new().format_finite(n).as_bytes());
    }
    out.extend_from_slice(b"</v></c>");
}

fn text_cell(out: &mut Vec<u8>, letters: &str, row: u32, text: &str, style: Option<u8>) {
    cell_start(out, letters, row, style);
    let whitespace = ['\t', '\n', ' '];
    if text.starts_with(whitespace) || text.ends_with(whitespace) {
        out.extend_from_slice(br#" t="inlineStr"><is><t xml:space="preserve">"#);
    } else {
        out.extend_from_slice(br#" t="inlineStr"><is><t>"#);
    }
    escape_text(out, text);
    out.extend_from_slice(b"</t></is></c>");
}

/// `text` as XML character data the way Excel writes it: `&`, `<`, `>` as entities, control
/// characters (but tab and line feed) and U+FFFE/U+FFFF as `_xHHHH_`, and a literal `_xHHHH_`
/// kept literal by escaping its underscore (`_x005F_xHHHH_`).
fn escape_text(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement: Option<&[u8]> = match b {
            b'&' => Some(b"&amp;"),
            b'<' => Some(b"&lt;"),
            b'>' => Some(b"&gt;"),
            b'\t' | b'\n' => None,
            0..=0x1F => {
                out.extend_from_slice(&bytes[run..i]);
                out.extend_from_slice(format!("_x{b:04X}_").as_bytes());
                run = i + 1;
                continue;
            }
            b'_' if is_escape_like(&bytes[i..]) => {
                out.extend_from_slice(&bytes[run..i]);
                out.extend_from_slice(b"_x005F");
                run = i; // the underscore itself follows
                continue;
            }
            // U+FFFE and U+FFFF: EF BF BE / EF BF BF.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                out.extend_from_slice(&bytes[run..i]);
                out.extend_from_slice(if bytes[i + 2] == 0xBE {
                    b"_xFFFE_"
                } else {
                    b"_xFFFF_"
                });
                run = i + 3;
                continue;
            }
            _ => None,
        };
        if let Some(r) = replacement {
            out.extend_from_slice(&bytes[run..i]);
            out.extend_from_slice(r);
            run = i + 1;
        }
    }
    out.extend_from_slice(&bytes[run.min(bytes.len())..]);
}

/// `_xHHHH_` at the start of `bytes`.
fn is_escape_like(bytes: &[u8]) -> bool {
    bytes.len() >= 7
        && bytes[1] == b'x'
        && bytes[2..6].iter().all(u8::is_ascii_hexdigit)
        && bytes[6] == b'_'
}

/// The sheet part's name in the package.
pub(super) fn sheet_part(index: usize) -> String {
    format!("xl/worksheets/sheet{}.xml", index + 1)
}

/// "Profiles", then "Profiles 2", "Profiles 3", ….
fn sheet_name(index: usize) -> String {
    if index == 0 {
        "Profiles".to_string()
    } else {
        format!("Profiles {}", index + 1)
    }
}

/// The package's parts besides the sheets, for a workbook of `sheets` sheets.
pub(super) fn package_parts(sheets: usize) -> Vec<(String, Vec<u8>)> {
    let mut types = format!(
        r#"{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
    );
    let mut listed = String::new();
    let mut rels = format!(
        r#"{XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    );
    for i in 0..sheets {
        types.push_str(&format!(
            r#"<Override PartName="/{}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
            sheet_part(i)
        ));
        listed.push_str(&format!(
            r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#,
            sheet_name(i),
            i + 1,
            i + 1
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{}.xml"/>"#,
            i + 1,
            i + 1
        ));
    }
    types.push_str("</Types>");
    rels.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>"#,
        sheets + 1
    ));
    let workbook = format!(
        r#"{XML_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews><sheets>{listed}</sheets></workbook>"#
    );
    let root_rels = format!(
        r#"{XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    vec![
        ("[Content_Types].xml".into(), types.into_bytes()),
        ("_rels/.rels".into(), root_rels.into_bytes()),
        ("xl/workbook.xml".into(), workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()),
        ("xl/styles.xml".into(), STYLES.as_bytes().to_vec()),
    ]
}

/// The cell formats, in the order of [`BOLD`], [`DATE`], [`DATE_TIME`], [`QUOTED`] after the
/// default.
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>"#,
    r#"</styleSheet>"#
);

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        escape_text(&mut out, text);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_is_escaped_as_excel_writes_it() {
        assert_eq!(escaped(r#"a<b>&"c'"#), r#"a&lt;b&gt;&amp;"c'"#);
        assert_eq!(
            escaped("tab\tline\nbell\u{7}cr\r"),
            "tab\tline\nbell_x0007_cr_x000D_"
        );
        assert_eq!(escaped("_x0041_ and _x12_"), "_x005F_x0041_ and _x12_");
        assert_eq!(escaped("Hà Nội\u{FFFE}"), "Hà Nội_xFFFE_");
        assert_eq!(escaped("€ tail"), "€ tail");
    }

    #[test]
    fn widths_are_stored_as_excel_stores_them() {
        assert_eq!(
            excel_width(12.0),
            12.7109375,
            "XlsxWriter's stored width for 12"
        );
        assert_eq!(excel_width(8.0), 8.7109375);
    }
}
