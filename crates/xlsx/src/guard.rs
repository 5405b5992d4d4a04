//! The guard: what is checked on a file before any of it is parsed. File size; the content
//! (a zip package holding a workbook, not a CSV, old `.xls`, HTML or PDF renamed `.xlsx`);
//! password protection; and the zip central directory — entry count, each part's declared
//! size, the total, and the compression ratio — before a single byte is inflated.
//!
//! Declared sizes can lie; they still bound what is inflated, because the zip reader (the same
//! one calamine uses) refuses to inflate an entry past the size its central directory declares
//! ("File is larger than its declared uncompressed size"). So the caps below hold for the bytes
//! actually inflated, and a part that inflates more than it declared is refused as a zip bomb.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;
use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

use super::refusal::{display_name, ImportRefusal};
use super::scan::{scan_xml, ScanReport, ScanStop};
use pdesk_normalize::display::{bytes, count};

const KB: u64 = 1024;
const MB: u64 = 1024 * KB;

/// The per-file limits users can change in settings (SPEC 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLimits {
    /// Largest file accepted, in bytes (default 10 MB).
    pub max_bytes: u64,
    /// Most data rows accepted, the header row not counted (default 50,000).
    pub max_rows: u32,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits {
            max_bytes: 10 * MB,
            max_rows: 50_000,
        }
    }
}

/// Caps on the zip package, checked on the central directory before anything is inflated.
/// They are not user settings: they are what no real workbook within the file limits comes
/// near, and what keeps a hostile one within time and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartCaps {
    /// Entries in the package. Excel writes a few dozen; thousands only come from generators.
    pub max_entries: usize,
    /// Declared size of one worksheet part. A sheet is streamed, never held, so this bounds
    /// time rather than memory: a 10 MB file with 50,000 rows x 15 columns has a sheet part
    /// of ~30–60 MB; 256 MB leaves room for sparse, heavily styled sheets.
    pub max_sheet_part: u64,
    /// Declared size of the shared-string table. calamine holds it in memory, so this bounds
    /// memory: 750,000 unique strings (50,000 x 15, all distinct) take ~35 MB of XML.
    pub max_shared_strings: u64,
    /// Strings the shared-string table may hold, declared (`uniqueCount`, for which calamine
    /// reserves memory up front, so a lying count could reserve gigabytes) and counted (each
    /// string costs calamine ~56 bytes besides its text). 50,000 rows x 15 columns of distinct
    /// values are 750,000 strings.
    pub max_shared_string_count: u64,
    /// Shared-string tables declared larger than this are scanned (inflated once, strings
    /// counted, tokens measured) before calamine loads them: below it, even one-letter
    /// strings stay within ~60 MB; above it, only counting tells a table of long names from a
    /// million-string bomb.
    pub scan_shared_strings_above: u64,
    /// Sheet parts declared larger than this are scanned for their longest token before
    /// calamine reads them (a 27 MB sheet of a legit 10 MB file is not).
    pub scan_sheets_above: u64,
    /// Longest token (text run, tag, comment) a scanned part may hold. The parser buffers a
    /// token whole and calamine copies it, ~3 times its size in all; Excel's longest cell is
    /// 32,767 characters, under 200 KB even as escaped 4-byte UTF-8.
    pub max_token: u64,
    /// Declared size of any other part (styles, workbook, relationships, images).
    pub max_other_part: u64,
    /// Sum of all declared sizes.
    pub max_total: u64,
    /// Largest compression ratio accepted for parts over `ratio_floor`. Real XML parts
    /// compress 5–30 to 1; deflate's ceiling is ~1,030 to 1, which only bombs approach.
    pub max_ratio: u64,
    /// Parts up to this size are not ratio-checked (a tiny part can compress very well and
    /// cannot hurt).
    pub ratio_floor: u64,
}

impl PartCaps {
    pub const DEFAULT: PartCaps = PartCaps {
        max_entries: 10_000,
        max_sheet_part: 256 * MB,
        max_shared_strings: 100 * MB,
        max_shared_string_count: 2_000_000,
        scan_shared_strings_above: 16 * MB,
        scan_sheets_above: 32 * MB,
        max_token: MB,
        max_other_part: 16 * MB,
        max_total: 512 * MB,
        max_ratio: 200,
        ratio_floor: MB,
    };
}

/// What the guard learned about a workbook that passed it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XlsxInfo {
    /// The file name as shown in messages.
    pub file_name: String,
    /// File size in bytes.
    pub size: u64,
    /// The sheets in workbook order.
    pub sheets: Vec<SheetInfo>,
    /// Sum of the declared uncompressed sizes of all parts.
    pub declared_uncompressed: u64,
}

/// One sheet of the workbook, from `xl/workbook.xml` and its relationships.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetInfo {
    pub name: String,
    /// The package part holding it, e.g. `xl/worksheets/sheet1.xml`.
    pub part: String,
    pub kind: SheetKind,
    /// Hidden (or "very hidden") in Excel.
    pub hidden: bool,
    /// Rows holding a value, header included, when the guard was asked to count them
    /// ([`crate::preview`]); see `scan`.
    #[serde(skip)]
    pub rows_with_values: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SheetKind {
    Worksheet,
    /// A chart sheet: never holds cells.
    Chartsheet,
    /// A dialog or macro sheet: not read.
    Other,
}

/// Inspects `path` before any parsing: size, content, password, zip central-directory caps,
/// then reads the sheet list. See the module documentation.
pub fn inspect_xlsx(path: &Path, limits: &FileLimits) -> Result<XlsxInfo, ImportRefusal> {
    let file_name = display_name(path);
    let mut file = File::open(path).map_err(|source| ImportRefusal::Unreadable {
        file: file_name.clone(),
        source,
    })?;
    inspect_open(&mut file, &file_name, limits, RowCount::Skip)
}

/// Whether the guard counts each worksheet's rows (the mapping step's count) while it scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowCount {
    Skip,
    Count,
}

/// [`inspect_xlsx`] on an open file, so the reader parses the very file that was inspected
/// (not one swapped in between). Leaves the file position anywhere.
pub(crate) fn inspect_open(
    file: &mut File,
    file_name: &str,
    limits: &FileLimits,
    rows: RowCount,
) -> Result<XlsxInfo, ImportRefusal> {
    let caps = PartCaps::DEFAULT;
    let unreadable = |source| ImportRefusal::Unreadable {
        file: file_name.to_string(),
        source,
    };
    let size = file.metadata().map_err(unreadable)?.len();
    if size > limits.max_bytes {
        return Err(ImportRefusal::TooLarge {
            file: file_name.to_string(),
            size,
            limit: limits.max_bytes,
        });
    }

    let mut head = Vec::with_capacity(8 * 1024);
    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    (&mut *file)
        .take(8 * 1024)
        .read_to_end(&mut head)
        .map_err(unreadable)?;

    if !head.starts_with(b"PK\x03\x04") {
        return Err(refuse_non_zip(file, file_name, &head, size)?);
    }

    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let mut archive = ZipArchive::new(&mut *file).map_err(|e| damaged_zip(file_name, e))?;
    let (sized_parts, declared_uncompressed) =
        check_central_directory(&mut archive, file_name, &caps)?;
    let parts: Vec<String> = sized_parts.iter().map(|(name, _)| name.clone()).collect();

    let has = |name: &str| parts.iter().any(|p| p.eq_ignore_ascii_case(name));
    if !has("[Content_Types].xml") || !has("xl/workbook.xml") {
        return Err(ImportRefusal::NotXlsx {
            file: file_name.to_string(),
            looks_like: zip_kind(&parts).to_string(),
        });
    }

    if let Some(kind) = other_workbook_kind(&mut archive, &parts, file_name)? {
        return Err(ImportRefusal::NotXlsx {
            file: file_name.to_string(),
            looks_like: kind.to_string(),
        });
    }

    if let Some(sst) = parts
        .iter()
        .find(|p| p.eq_ignore_ascii_case("xl/sharedStrings.xml"))
    {
        let sheet_bytes = sized_parts
            .iter()
            .filter(|(part, _)| part_cap(part, &caps).1 == "a sheet")
            .map(|(_, declared)| *declared)
            .sum();
        check_shared_string_count(&mut archive, sst, file_name, &caps, sheet_bytes)?;
    }

    // Large sheets are scanned for their longest token; when rows are counted, every sheet is
    // (one pass does both).
    let mut counted = Vec::new();
    for (part, declared) in &sized_parts {
        let large = *declared > caps.scan_sheets_above;
        if (large || rows == RowCount::Count) && part_cap(part, &caps).1 == "a sheet" {
            // A sheet holds no shared strings: the scan never stops on a count.
            let report = scan_part(&mut archive, part, file_name, &caps, u64::MAX, || {
                damaged(file_name, format!("the part {part} could not be scanned"))
            })?;
            counted.push((part.clone(), report.rows_with_values));
        }
    }

    let mut sheets = read_sheet_list(&mut archive, &parts, file_name)?;
    if rows == RowCount::Count {
        for sheet in &mut sheets {
            sheet.rows_with_values = counted
                .iter()
                .find(|(part, _)| part.eq_ignore_ascii_case(&sheet.part))
                .map(|(_, rows)| *rows);
        }
    }
    Ok(XlsxInfo {
        file_name: file_name.to_string(),
        size,
        sheets,
        declared_uncompressed,
    })
}

fn damaged(file_name: &str, detail: impl Into<String>) -> ImportRefusal {
    ImportRefusal::Damaged {
        file: file_name.to_string(),
        detail: detail.into(),
    }
}

/// A zip error while opening or reading the package, in words for users.
pub(crate) fn damaged_zip(file_name: &str, error: ZipError) -> ImportRefusal {
    let detail = match &error {
        ZipError::InvalidArchive(_) | ZipError::Io(_) => {
            if is_size_lie(&error.to_string()) {
                return size_lie(file_name, "");
            }
            "its zip structure is incomplete or corrupt; the file was probably not fully \
             copied or downloaded"
                .to_string()
        }
        ZipError::UnsupportedArchive(what) => format!("unsupported zip feature: {what}"),
        ZipError::CompressionMethodNotSupported(m) => {
            format!("a part uses compression method {m}, which Excel never writes")
        }
        other => other.to_string(),
    };
    damaged(file_name, detail)
}

/// The zip reader's message when a part inflates past its declared size.
pub(crate) fn is_size_lie(message: &str) -> bool {
    message.contains("larger than its declared uncompressed size")
}

pub(crate) fn size_lie(file_name: &str, part: &str) -> ImportRefusal {
    let which = if part.is_empty() {
        "a part".to_string()
    } else {
        format!("the part {part}")
    };
    ImportRefusal::ZipBomb {
        file: file_name.to_string(),
        part: part.to_string(),
        detail: format!("{which} inflates to more than the size its zip directory declares"),
    }
}

/// Caps every entry of the central directory; returns the part names and the total declared
/// size.
fn check_central_directory<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    file_name: &str,
    caps: &PartCaps,
) -> Result<(Vec<(String, u64)>, u64), ImportRefusal> {
    let bomb = |part: &str, detail: String| ImportRefusal::ZipBomb {
        file: file_name.to_string(),
        part: part.to_string(),
        detail,
    };
    if archive.len() > caps.max_entries {
        return Err(bomb(
            "",
            format!(
                "it has {} parts; at most {} are accepted",
                count(archive.len() as u64),
                count(caps.max_entries as u64)
            ),
        ));
    }
    if archive.metadata().has_duplicate_names() {
        return Err(damaged(
            file_name,
            "two parts have the same name, which only a broken or forged file has",
        ));
    }
    let mut names = Vec::with_capacity(archive.len());
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_data(i)
            .map_err(|e| damaged_zip(file_name, e))?;
        let name = entry
            .name()
            .map_err(|e| damaged_zip(file_name, e))?
            .into_owned();
        if entry.encrypted() {
            return Err(ImportRefusal::Encrypted {
                file: file_name.to_string(),
            });
        }
        if !matches!(
            entry.compression(),
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            return Err(damaged(
                file_name,
                format!("the part {name} uses a compression method Excel never writes"),
            ));
        }
        let declared = entry.size();
        let compressed = entry.compressed_size();
        let (cap, what) = part_cap(&name, caps);
        if declared > cap {
            return Err(bomb(
                &name,
                format!(
                    "the part {name} would expand to {}; the limit is {} for {what}",
                    bytes(declared),
                    bytes(cap)
                ),
            ));
        }
        if declared > caps.ratio_floor && declared > compressed.saturating_mul(caps.max_ratio) {
            let ratio = declared / compressed.max(1);
            return Err(bomb(
                &name,
                format!(
                    "the part {name} would expand from {} to {} ({} to 1); \
                     no real workbook compresses better than {} to 1",
                    bytes(compressed),
                    bytes(declared),
                    count(ratio),
                    count(caps.max_ratio)
                ),
            ));
        }
        total = total.saturating_add(declared);
        if total > caps.max_total {
            return Err(bomb(
                &name,
                format!(
                    "its parts would expand to more than {} in total; the limit is {}",
                    bytes(total),
                    bytes(caps.max_total)
                ),
            ));
        }
        names.push((name, declared));
    }
    Ok((names, total))
}

fn part_cap(name: &str, caps: &PartCaps) -> (u64, &'static str) {
    let lower = name.to_ascii_lowercase();
    if lower == "xl/sharedstrings.xml" {
        (caps.max_shared_strings, "the shared strings")
    } else if lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
        (caps.max_sheet_part, "a sheet")
    } else {
        (caps.max_other_part, "a part")
    }
}

/// What a zip without a workbook is, by its parts.
fn zip_kind(parts: &[String]) -> &'static str {
    let has = |name: &str| parts.iter().any(|p| p.eq_ignore_ascii_case(name));
    if has("xl/workbook.bin") {
        "an Excel binary workbook (.xlsb); save it as .xlsx"
    } else if has("word/document.xml") {
        "a Word document"
    } else if has("ppt/presentation.xml") {
        "a PowerPoint presentation"
    } else if has("mimetype") && has("content.xml") {
        "an OpenDocument file such as .ods; save it as .xlsx"
    } else {
        "a zip archive"
    }
}

/// Excel's macro-enabled workbooks and its templates have the .xlsx structure and differ only
/// in the workbook's content type (`[Content_Types].xml`): refused by what they are, whatever
/// their name says (the seed's "accept .xlsx format only").
fn other_workbook_kind<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    parts: &[String],
    file_name: &str,
) -> Result<Option<&'static str>, ImportRefusal> {
    let Some(types) = parts
        .iter()
        .find(|p| p.eq_ignore_ascii_case("[Content_Types].xml"))
        .cloned()
    else {
        return Ok(None);
    };
    let mut workbook_type = None;
    each_start(archive, &types, file_name, |e| {
        let is_workbook = e.local_name().as_ref() == "Override"
            && attribute(e, "PartName").is_some_and(|p| p.eq_ignore_ascii_case("/xl/workbook.xml"));
        if is_workbook {
            workbook_type = attribute(e, "ContentType");
        }
    })?;
    Ok(match workbook_type.as_deref() {
        Some("application/vnd.ms-excel.sheet.macroEnabled.main+xml") => {
            Some("a macro-enabled workbook (.xlsm); save it as .xlsx")
        }
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml") => {
            Some("an Excel template (.xltx); save it as .xlsx")
        }
        Some("application/vnd.ms-excel.template.macroEnabled.main+xml") => {
            Some("a macro-enabled template (.xltm); save it as .xlsx")
        }
        _ => None,
    })
}

/// The fewest bytes of sheet XML a cell showing a shared string takes: `<c t="s"><v>0</v></c>`
/// is 20 (Excel, LibreOffice and openpyxl also write the cell's reference).
const MIN_STRING_CELL_BYTES: u64 = 20;

/// Strings a table may hold beyond what its sheets use: tools that keep a few unused ones
/// after rows were deleted.
const UNUSED_STRINGS_SLACK: u64 = 10_000;

/// How many shared strings sheets of `sheet_bytes` (declared) can show at most, with slack:
/// a table far larger is not a spreadsheet's, only a way to make the reader build millions of
/// strings (issue 18: such a file is refused in milliseconds instead of read for seconds).
fn strings_sheets_can_use(sheet_bytes: u64) -> u64 {
    sheet_bytes / MIN_STRING_CELL_BYTES + UNUSED_STRINGS_SLACK
}

/// Refuses a shared-string table calamine would build too large: the `uniqueCount` it reserves
/// memory for, read from the first bytes, must be plausible; a large table is scanned and its
/// strings counted — against the cap, and against what the sheets (`sheet_bytes` of XML, as
/// declared) can show.
fn check_shared_string_count<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    part: &str,
    file_name: &str,
    caps: &PartCaps,
    sheet_bytes: u64,
) -> Result<(), ImportRefusal> {
    let (declared, unique_count) = {
        let entry = archive
            .by_name(part)
            .map_err(|e| damaged_zip(file_name, e))?;
        (entry.size(), sst_unique_count(entry, part, file_name)?)
    };

    let usable = strings_sheets_can_use(sheet_bytes);
    // calamine parses the count as digits only and ignores anything else.
    if let Some(n) = unique_count.and_then(|c| c.trim().parse::<u64>().ok()) {
        // calamine reserves room for that many strings up front (24 bytes each): past the
        // cap the reservation alone is too large, whatever the table really holds.
        if n > caps.max_shared_string_count {
            return Err(too_many_strings(
                file_name,
                part,
                format!(
                    "the part {part} declares {} shared strings; the limit is {}",
                    count(n),
                    count(caps.max_shared_string_count)
                ),
            ));
        }
        if n > usable {
            let declares = format!("declares {} shared strings", count(n));
            return Err(unused_strings(file_name, part, &declares, sheet_bytes));
        }
    }
    if declared > caps.scan_shared_strings_above {
        let at_most = caps.max_shared_string_count.min(usable);
        scan_part(archive, part, file_name, caps, at_most, || {
            let holds = format!("holds more than {} shared strings", count(at_most));
            if at_most < caps.max_shared_string_count {
                unused_strings(file_name, part, &holds, sheet_bytes)
            } else {
                too_many_strings(
                    file_name,
                    part,
                    format!("the part {part} {holds}, the limit"),
                )
            }
        })?;
    }
    Ok(())
}

/// A table with more strings than its sheets can show (`what` it declares or holds).
fn unused_strings(file_name: &str, part: &str, what: &str, sheet_bytes: u64) -> ImportRefusal {
    too_many_strings(
        file_name,
        part,
        format!(
            "the part {part} {what}, but the sheet ({} of XML) can show at most {} of them: a \
             workbook's table holds the strings its cells use",
            bytes(sheet_bytes),
            count(strings_sheets_can_use(sheet_bytes)),
        ),
    )
}

/// Scans a large part before calamine parses it (see `scan`): refuses a token longer than
/// `caps.max_token` and, with `too_many`'s refusal, more than `max_strings` strings (the
/// shared-string table; `u64::MAX` for a sheet).
fn scan_part<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    part: &str,
    file_name: &str,
    caps: &PartCaps,
    max_strings: u64,
    too_many: impl FnOnce() -> ImportRefusal,
) -> Result<ScanReport, ImportRefusal> {
    let entry = archive
        .by_name(part)
        .map_err(|e| damaged_zip(file_name, e))?;
    match scan_xml(entry, caps.max_token, max_strings) {
        Ok(report) => Ok(report),
        Err(ScanStop::TokenTooLong) => Err(ImportRefusal::ZipBomb {
            file: file_name.to_string(),
            part: part.to_string(),
            detail: format!(
                "the part {part} holds a single piece of text or markup over {}; no cell can be \
                 that large (Excel's limit is 32,767 characters)",
                bytes(caps.max_token)
            ),
        }),
        Err(ScanStop::TooManyStrings) => Err(too_many()),
        Err(ScanStop::Read(e)) if is_size_lie(&e.to_string()) => Err(size_lie(file_name, part)),
        Err(ScanStop::Read(e)) => Err(damaged(file_name, format!("the part {part}: {e}"))),
    }
}

/// The `uniqueCount` attribute of the `<sst>` start tag, which comes first (1 MB is far more
/// than any prolog).
fn sst_unique_count(
    entry: impl Read,
    part: &str,
    file_name: &str,
) -> Result<Option<String>, ImportRefusal> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry.take(MB)));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                if e.local_name().as_ref() != "sst" {
                    return Err(damaged(
                        file_name,
                        format!("the part {part} is not a shared-string table"),
                    ));
                }
                return Ok(attribute(&e, "uniqueCount"));
            }
            Ok(Event::Eof) => {
                return Err(damaged(
                    file_name,
                    format!("the part {part} is not a shared-string table"),
                ))
            }
            Ok(_) => {}
            Err(e) => {
                let message = e.to_string();
                if is_size_lie(&message) {
                    return Err(size_lie(file_name, part));
                }
                return Err(damaged(file_name, format!("the part {part}: {message}")));
            }
        }
    }
}

fn too_many_strings(file_name: &str, part: &str, detail: String) -> ImportRefusal {
    ImportRefusal::ZipBomb {
        file: file_name.to_string(),
        part: part.to_string(),
        detail,
    }
}

fn attribute(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| a.normalized_value(XmlVersion::Implicit1_0).ok())
            .flatten()
            .map(|v| v.into_owned())
    })
}

/// The sheets of `xl/workbook.xml`, with their parts from `xl/_rels/workbook.xml.rels`.
fn read_sheet_list<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    parts: &[String],
    file_name: &str,
) -> Result<Vec<SheetInfo>, ImportRefusal> {
    let find = |name: &str| parts.iter().find(|p| p.eq_ignore_ascii_case(name)).cloned();
    let workbook = find("xl/workbook.xml").unwrap_or_else(|| "xl/workbook.xml".to_string());
    let rels_part = find("xl/_rels/workbook.xml.rels")
        .ok_or_else(|| damaged(file_name, "the workbook has no relationships part"))?;

    // Relationship id → (target part, type).
    let mut rels: Vec<(String, String, String)> = Vec::new();
    each_start(archive, &rels_part, file_name, |e| {
        if e.local_name().as_ref() == "Relationship" {
            if let (Some(id), Some(target), Some(kind)) = (
                attribute(e, "Id"),
                attribute(e, "Target"),
                attribute(e, "Type"),
            ) {
                rels.push((id, resolve_target(&target), kind));
            }
        }
    })?;

    let mut sheets = Vec::new();
    each_start(archive, &workbook, file_name, |e| {
        if e.local_name().as_ref() != "sheet" {
            return;
        }
        let name = attribute(e, "name").unwrap_or_default();
        let hidden = matches!(
            attribute(e, "state").as_deref(),
            Some("hidden" | "veryHidden")
        );
        // `r:id`: the relationship id (any namespace prefix), not `sheetId`.
        let rel_id = e.attributes().flatten().find_map(|a| {
            (a.key.local_name().as_ref() == "id" && a.key.as_ref() != "id")
                .then(|| a.normalized_value(XmlVersion::Implicit1_0).ok())
                .flatten()
                .map(|v| v.into_owned())
        });
        let (part, kind) = rel_id
            .and_then(|id| rels.iter().find(|(rid, _, _)| *rid == id))
            .map(|(_, target, kind)| {
                let kind = if kind.ends_with("/worksheet") {
                    SheetKind::Worksheet
                } else if kind.ends_with("/chartsheet") {
                    SheetKind::Chartsheet
                } else {
                    SheetKind::Other
                };
                (target.clone(), kind)
            })
            .unwrap_or((String::new(), SheetKind::Other));
        sheets.push(SheetInfo {
            name,
            part,
            kind,
            hidden,
            rows_with_values: None,
        });
    })?;

    for sheet in &sheets {
        if sheet.kind == SheetKind::Worksheet && find(&sheet.part).is_none() {
            return Err(damaged(
                file_name,
                format!("the sheet {} has no part {}", sheet.name, sheet.part),
            ));
        }
    }
    Ok(sheets)
}

/// A relationship target of the workbook (relative to `xl/`, or absolute from the root) as a
/// part name.
fn resolve_target(target: &str) -> String {
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Calls `on_start` for every start (or empty) element of a small XML part.
fn each_start<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    part: &str,
    file_name: &str,
    mut on_start: impl FnMut(&BytesStart<'_>),
) -> Result<(), ImportRefusal> {
    let entry = archive
        .by_name(part)
        .map_err(|e| damaged_zip(file_name, e))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => on_start(&e),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                let message = e.to_string();
                if is_size_lie(&message) {
                    return Err(size_lie(file_name, part));
                }
                return Err(damaged(file_name, format!("the part {part}: {message}")));
            }
        }
    }
}

/// The refusal for a file that does not start like a zip: say what it looks like.
fn refuse_non_zip(
    file: &mut File,
    file_name: &str,
    head: &[u8],
    size: u64,
) -> Result<ImportRefusal, ImportRefusal> {
    let not_xlsx = |looks_like: &str| ImportRefusal::NotXlsx {
        file: file_name.to_string(),
        looks_like: looks_like.to_string(),
    };
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An OLE compound file: an old .xls/.doc, or an OOXML package encrypted with a
        // password (Excel stores those as OLE with an `EncryptedPackage` stream).
        // The directory is all that is looked at; 64 MB covers any Office file a user would
        // mistake for a workbook, whatever the size limit is set to.
        let mut all = Vec::with_capacity(size.min(64 * MB) as usize);
        file.seek(SeekFrom::Start(0))
            .and_then(|_| (&mut *file).take(64 * MB).read_to_end(&mut all))
            .map_err(|source| ImportRefusal::Unreadable {
                file: file_name.to_string(),
                source,
            })?;
        let streams = ole_stream_names(&all);
        let has = |name: &str| streams.iter().any(|s| s == name);
        return Ok(if has("EncryptedPackage") {
            ImportRefusal::Encrypted {
                file: file_name.to_string(),
            }
        } else if has("Workbook") || has("Book") {
            not_xlsx("an old Excel 97-2003 .xls file; open it in Excel and save it as .xlsx")
        } else if has("WordDocument") {
            not_xlsx("an old Word .doc file")
        } else {
            not_xlsx("an old-format Office file")
        });
    }
    Ok(not_xlsx(sniff(head)))
}

/// Names of the directory entries of an OLE compound file. Entries are 128-byte records at
/// 128-byte boundaries after the 512-byte header: a UTF-16LE name, its byte length (with the
/// terminating NUL) at offset 64 and the object type (1 storage, 2 stream, 5 root) at 66.
/// Scanning every boundary for that shape finds them without following sector chains.
pub(crate) fn ole_stream_names(data: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut offset = 512;
    while offset + 128 <= data.len() && names.len() < 10_000 {
        let entry = &data[offset..offset + 128];
        let name_len = usize::from(u16::from_le_bytes([entry[64], entry[65]]));
        let kind = entry[66];
        if (4..=64).contains(&name_len) && name_len % 2 == 0 && matches!(kind, 1 | 2 | 5) {
            let units: Vec<u16> = entry[..name_len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            if units.last() == Some(&0) && !units[..units.len() - 1].contains(&0) {
                if let Ok(name) = String::from_utf16(&units[..units.len() - 1]) {
                    names.push(name);
                }
            }
        }
        offset += 128;
    }
    names
}

/// What a non-zip file looks like, from its first bytes.
pub(crate) fn sniff(head: &[u8]) -> &'static str {
    if head.is_empty() {
        return "an empty file";
    }
    if head.starts_with(b"%PDF") {
        return "a PDF document";
    }
    if head.starts_with(b"PK\x05\x06") {
        return "an empty zip archive";
    }
    if head.starts_with(b"\x89PNG") {
        return "a PNG image";
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return "a JPEG image";
    }
    if head.starts_with(b"GIF8") {
        return "a GIF image";
    }
    if head.starts_with(b"Rar!") || head.starts_with(b"7z\xBC\xAF") || head.starts_with(b"\x1F\x8B")
    {
        return "a compressed archive other than .xlsx";
    }
    if head.starts_with(b"{\\rtf") {
        return "an RTF document";
    }
    let text: String = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let le = head[0] == 0xFF;
        let units: Vec<u16> = head[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            // A multi-byte character cut at the end of the sample is still text.
            Err(e) if e.error_len().is_none() => {
                String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned()
            }
            Err(_) => return "a file of an unknown kind",
        }
    };
    if text.contains('\0') {
        return "a file of an unknown kind";
    }
    let start = text.trim_start().to_ascii_lowercase();
    let sample: String = start.chars().take(2048).collect();
    if sample.starts_with('<') {
        if sample.contains("<html") || sample.contains("<!doctype html") {
            return "an HTML web page (some systems export web pages named .xlsx)";
        }
        if sample.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || sample.contains("progid=\"excel.sheet\"")
        {
            return "an Excel 2003 XML spreadsheet; save it as .xlsx";
        }
        return "an XML file";
    }
    let first_line = text.lines().next().unwrap_or("");
    if first_line.contains('\t') {
        "a tab-separated text file"
    } else if first_line.contains(',') || first_line.contains(';') {
        "a CSV text file"
    } else {
        "a text file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_what_renamed_files_are() {
        assert_eq!(sniff(b"name,phone\nAn,0912\n"), "a CSV text file", "commas");
        assert_eq!(
            sniff(b"\xEF\xBB\xBFh\xE1\xBB\x8D;sdt\n"),
            "a CSV text file",
            "BOM, ;"
        );
        assert_eq!(sniff(b"a\tb\n"), "a tab-separated text file", "tabs");
        assert_eq!(sniff(b"%PDF-1.7\n"), "a PDF document", "PDF magic");
        assert!(
            sniff(b"  <!DOCTYPE html><html><table>").starts_with("an HTML web page"),
            "HTML is recognised after white space"
        );
        assert_eq!(sniff(b""), "an empty file", "empty");
        assert_eq!(
            sniff(&[0, 1, 2, 3, 0xFF]),
            "a file of an unknown kind",
            "binary"
        );
    }

    #[test]
    fn relationship_targets_become_part_names() {
        assert_eq!(
            resolve_target("worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml",
            "rel"
        );
        assert_eq!(
            resolve_target("/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml",
            "absolute"
        );
        assert_eq!(resolve_target("../xl/./a.xml"), "xl/a.xml", "dot segments");
    }

    #[test]
    fn ratio_and_size_caps_fit_a_legit_file() {
        let caps = PartCaps::DEFAULT;
        // A legit 10 MB file: 50,000 rows x 15 columns is ~60 MB of sheet XML at most.
        assert!(
            60 * MB < caps.max_sheet_part,
            "a big legit sheet part passes"
        );
        assert!(
            caps.max_total >= caps.max_sheet_part + caps.max_shared_strings,
            "room for both"
        );
    }
}
