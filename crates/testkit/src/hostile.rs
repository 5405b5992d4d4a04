//! Hostile `.xlsx` files of SPEC 9 (zip bombs with honest and lying sizes, a 1 GB shared-string
//! table, cells A1 + XFD1048576, …), built by hand so that every declared size is under the
//! builder's control — for the import tests and for `pdesk-bench`, which times their refusal
//! and measures the memory it costs in a process of its own. Each file takes milliseconds and a
//! few MB to build, whatever it expands to.

use std::io;
use std::path::{Path, PathBuf};

const MB: u64 = 1024 * 1024;

/// One entry of a hand-built zip.
pub struct RawEntry {
    pub name: String,
    /// The bytes as stored in the zip (deflated).
    pub data: Vec<u8>,
    pub crc: u32,
    /// Uncompressed size declared in the local header and the central directory.
    pub declared: u64,
}

fn deflate_piece(data: &[u8], finish: bool) -> io::Result<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() + 1024);
    let flush = if finish {
        FlushCompress::Finish
    } else {
        // A full flush ends byte-aligned and leaves no back-reference across the boundary, so
        // pieces can be concatenated into one valid deflate stream.
        FlushCompress::Full
    };
    c.compress_vec(data, &mut out, flush)
        .map_err(io::Error::other)?;
    if c.total_in() != data.len() as u64 {
        return Err(io::Error::other("the piece was not deflated whole"));
    }
    Ok(out)
}

/// An entry of `content` deflated honestly.
pub fn entry(name: &str, content: &[u8]) -> io::Result<RawEntry> {
    let mut crc = flate2::Crc::new();
    crc.update(content);
    Ok(RawEntry {
        name: name.to_string(),
        data: deflate_piece(content, true)?,
        crc: crc.sum(),
        declared: content.len() as u64,
    })
}

/// An entry made of `prefix`, `fill_mib` MiB of the byte `fill`, then `suffix` — built from one
/// deflated MiB repeated, so a 2 GB part costs ~2 MB and milliseconds to make.
pub fn filled_entry(
    name: &str,
    prefix: &[u8],
    fill: u8,
    fill_mib: u64,
    suffix: &[u8],
) -> io::Result<RawEntry> {
    let chunk = vec![fill; MB as usize];
    let deflated_chunk = deflate_piece(&chunk, false)?;
    let mut data = deflate_piece(prefix, false)?;
    for _ in 0..fill_mib {
        data.extend_from_slice(&deflated_chunk);
    }
    data.extend_from_slice(&deflate_piece(suffix, true)?);

    let mut crc = flate2::Crc::new();
    crc.update(prefix);
    let mut chunk_crc = flate2::Crc::new();
    chunk_crc.update(&chunk);
    for _ in 0..fill_mib {
        crc.combine(&chunk_crc);
    }
    let mut suffix_crc = flate2::Crc::new();
    suffix_crc.update(suffix);
    crc.combine(&suffix_crc);
    Ok(RawEntry {
        name: name.to_string(),
        data,
        crc: crc.sum(),
        declared: prefix.len() as u64 + fill_mib * MB + suffix.len() as u64,
    })
}

/// An entry deflated from generated pieces, never holding the whole content (the memory test
/// measures the reader, not the generator).
fn streamed_entry(name: &str, pieces: impl Iterator<Item = Vec<u8>>) -> io::Result<RawEntry> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::fast(), false);
    let mut crc = flate2::Crc::new();
    let mut data = Vec::new();
    let mut declared = 0u64;
    let mut deflate = |input: &[u8], flush: FlushCompress, data: &mut Vec<u8>| -> io::Result<()> {
        let start = c.total_in();
        loop {
            data.reserve(64 * 1024);
            let consumed = (c.total_in() - start) as usize;
            let before = c.total_out();
            c.compress_vec(&input[consumed..], data, flush)
                .map_err(io::Error::other)?;
            let done = (c.total_in() - start) as usize == input.len();
            if done && (flush != FlushCompress::Finish || c.total_out() == before) {
                return Ok(());
            }
        }
    };
    for piece in pieces {
        crc.update(&piece);
        declared += piece.len() as u64;
        deflate(&piece, FlushCompress::None, &mut data)?;
    }
    deflate(&[], FlushCompress::Finish, &mut data)?;
    Ok(RawEntry {
        name: name.to_string(),
        data,
        crc: crc.sum(),
        declared,
    })
}

pub fn write_zip(path: &Path, entries: &[RawEntry]) -> io::Result<()> {
    let too_big = |_| io::Error::other("a zip entry over 4 GB");
    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let size = u32::try_from(e.declared).map_err(too_big)?;
        let csize = u32::try_from(e.data.len()).map_err(too_big)?;
        let name = e.name.as_bytes();
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&8u16.to_le_bytes()); // deflate
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&csize.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);
        // Central directory header.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&20u16.to_le_bytes()); // needed
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&8u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0x21u16.to_le_bytes());
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&csize.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes()); // extra
        central.extend_from_slice(&0u16.to_le_bytes()); // comment
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    std::fs::write(path, out)
}

pub const SHEET_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
pub const SHEET_TAIL: &[u8] = b"</sheetData></worksheet>";
const SST_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#;
const SST_TAIL: &[u8] = b"</t></si></sst>";

/// The parts every workbook needs, around the given sheet and shared strings.
pub fn package(sheet: RawEntry, shared_strings: Option<RawEntry>) -> io::Result<Vec<RawEntry>> {
    let mut parts = vec![
        entry(
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        )?,
        entry(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        )?,
        entry(
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        )?,
        entry(
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        )?,
        sheet,
    ];
    parts.extend(shared_strings);
    Ok(parts)
}

fn small_sheet() -> io::Result<RawEntry> {
    let mut xml = SHEET_HEAD.to_vec();
    xml.extend_from_slice(br#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    xml.extend_from_slice(SHEET_TAIL);
    entry("xl/worksheets/sheet1.xml", &xml)
}

/// 2 GB of spaces inside the sheet part, declared honestly: ~2 MB on disk.
pub fn zip_bomb(dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join("bomb.xlsx");
    let sheet = filled_entry(
        "xl/worksheets/sheet1.xml",
        SHEET_HEAD,
        b' ',
        2048,
        SHEET_TAIL,
    )?;
    write_zip(&path, &package(sheet, None)?)?;
    Ok(path)
}

/// The same bomb with a central directory (and local header) declaring only 100 KB.
pub fn lying_zip_bomb(dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join("liar.xlsx");
    let mut sheet = filled_entry(
        "xl/worksheets/sheet1.xml",
        SHEET_HEAD,
        b' ',
        2048,
        SHEET_TAIL,
    )?;
    sheet.declared = 100 * 1024;
    write_zip(&path, &package(sheet, None)?)?;
    Ok(path)
}

/// A shared-string table of 1 GB (one string of a billion `a`s), declared honestly.
pub fn huge_shared_strings(dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join("strings.xlsx");
    let sst = filled_entry("xl/sharedStrings.xml", SST_HEAD, b'a', 1024, SST_TAIL)?;
    write_zip(&path, &package(small_sheet()?, Some(sst))?)?;
    Ok(path)
}

/// The 1 GB shared-string table declaring 64 KB.
pub fn lying_shared_strings(dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join("strings-liar.xlsx");
    let mut sst = filled_entry("xl/sharedStrings.xml", SST_HEAD, b'a', 1024, SST_TAIL)?;
    sst.declared = 64 * 1024;
    write_zip(&path, &package(small_sheet()?, Some(sst))?)?;
    Ok(path)
}

/// A tiny shared-string table claiming four billion strings (calamine reserves that many).
pub fn lying_string_count(dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join("count.xlsx");
    let sst = entry(
        "xl/sharedStrings.xml",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>Phone</t></si></sst>"#,
    )?;
    write_zip(&path, &package(small_sheet()?, Some(sst))?)?;
    Ok(path)
}

/// "Billion laughs": nested entities that would expand to gigabytes if expanded.
pub fn entity_bomb(dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join("laughs.xlsx");
    let mut dtd = String::from("<!DOCTYPE sst [<!ENTITY lol0 \"lollollollollollollollollollol\">");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{refs}\">"));
    }
    dtd.push_str("]>");
    let xml = format!(
        "<?xml version=\"1.0\"?>{dtd}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>&lol9;</t></si></sst>"
    );
    write_zip(
        &path,
        &package(
            small_sheet()?,
            Some(entry("xl/sharedStrings.xml", xml.as_bytes())?),
        )?,
    )?;
    Ok(path)
}

/// 99 MB of one-letter shared strings (~6 million): within the size cap and the file limit,
/// but more strings than calamine may be given (each costs it ~56 bytes).
pub fn many_tiny_strings(dir: &Path) -> io::Result<PathBuf> {
    tiny_strings(dir, "tiny.xlsx", 99)
}

/// 32 MB of one-letter shared strings (just under 2 million, the cap) behind a sheet of a few
/// cells: within every cap, but far more strings than the sheet can show, so refused while the
/// guard counts them (it was read whole, ~1.4 s and ~150 MB, before issue 18).
pub fn most_tiny_strings(dir: &Path) -> io::Result<PathBuf> {
    tiny_strings(dir, "most.xlsx", 32)
}

fn tiny_strings(dir: &Path, name: &str, mib: usize) -> io::Result<PathBuf> {
    let path = dir.join(name);
    let mut state = 12_345u32;
    let head = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        .to_vec();
    let body = (0..mib).map(move |_| {
        let mut piece = Vec::with_capacity(MB as usize + 32);
        while piece.len() < MB as usize {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            piece.extend_from_slice(b"<si><t>");
            piece.push(b'a' + ((state >> 16) % 4) as u8);
            piece.extend_from_slice(b"</t></si>");
        }
        piece
    });
    let pieces = std::iter::once(head)
        .chain(body)
        .chain(std::iter::once(b"</sst>".to_vec()));
    let sst = streamed_entry("xl/sharedStrings.xml", pieces)?;
    write_zip(&path, &package(small_sheet()?, Some(sst))?)?;
    Ok(path)
}

/// A 40 MB sheet part that is one text run (a cell of 40 million characters), compressing
/// ~30 to 1 so it passes the ratio rule: the parser would buffer it whole (and calamine copy
/// it), ~3 times its size in memory.
pub fn giant_text(dir: &Path) -> io::Result<PathBuf> {
    text_run_sheet(dir, "giant.xlsx", 40)
}

/// The same with a 31 MB run: under the size at which the job's read scans sheets. The
/// mapping step's read scans every sheet (it counts their rows on the way) and refuses the run
/// there; a job's read, of a file the mapping step accepted and unchanged since, would refuse
/// the cell (`cell_longer_than_excel_allows_refused` checks that refusal).
pub fn big_text_unscanned(dir: &Path) -> io::Result<PathBuf> {
    text_run_sheet(dir, "big-cell.xlsx", 31)
}

fn text_run_sheet(dir: &Path, name: &str, mib: usize) -> io::Result<PathBuf> {
    let path = dir.join(name);
    let mut state = 12_345u32;
    let head = [
        SHEET_HEAD,
        br#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#.as_slice(),
    ]
    .concat();
    let body = (0..mib).map(move |_| {
        let mut piece = Vec::with_capacity(MB as usize);
        while piece.len() < MB as usize {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            piece.push(if (state >> 16) % 150 == 7 { b'b' } else { b'a' });
        }
        piece
    });
    let tail = [b"</t></is></c></row>".as_slice(), SHEET_TAIL].concat();
    let pieces = std::iter::once(head)
        .chain(body)
        .chain(std::iter::once(tail));
    let sheet = streamed_entry("xl/worksheets/sheet1.xml", pieces)?;
    write_zip(&path, &package(sheet, None)?)?;
    Ok(path)
}

/// Cells A1 and XFD1048576: `worksheet_range` would allocate 512 GiB for this 1.6 KB file.
pub fn far_corner(dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join("corner.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Name").map_err(io::Error::other)?;
    ws.write_string(1_048_575, 16_383, "far away")
        .map_err(io::Error::other)?;
    wb.save(&path).map_err(io::Error::other)?;
    Ok(path)
}

/// A hostile case: its name, how to build it, and the refusal code the guard or reader must
/// answer with (`accepted` for the largest file that is within every cap).
pub type HostileCase = (&'static str, fn(&Path) -> io::Result<PathBuf>, &'static str);

/// Every hostile case, in the order the tests and the benchmark report them.
pub const HOSTILE: &[HostileCase] = &[
    ("zip-bomb", zip_bomb, "zipBomb"),
    ("lying-zip-bomb", lying_zip_bomb, "zipBomb"),
    ("shared-strings-1gb", huge_shared_strings, "zipBomb"),
    ("lying-shared-strings", lying_shared_strings, "zipBomb"),
    ("lying-string-count", lying_string_count, "zipBomb"),
    ("entity-bomb", entity_bomb, "damaged"),
    ("far-corner", far_corner, "tooManyColumns"),
    ("many-tiny-strings", many_tiny_strings, "zipBomb"),
    ("most-tiny-strings", most_tiny_strings, "zipBomb"),
    ("giant-text", giant_text, "zipBomb"),
    ("big-text-unscanned", big_text_unscanned, "zipBomb"),
];
