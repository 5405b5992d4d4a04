//! Writing an export's file while its rows are read: this thread reads chunks of rows from the
//! store (its connection stays here, for progress too) and hands each chunk, as a numbered
//! piece, to packer threads; each packer turns its piece into sheet XML and deflates it on its
//! own (a raw deflate piece ended by a sync flush, with its CRC-32), and one sink thread writes
//! the pieces in order into the zip ([`ZipOut`]), combining their CRCs, starting a new sheet
//! past [`SHEET_ROWS`]. So compression, the largest cost at deflate level 6, runs beside the
//! reading and on every core instead of on one thread after the last row.
//!
//! Memory stays flat: a few pieces wait between the threads at most. A cancel or an error
//! leaves no file.

use std::collections::BTreeMap;
use std::io::BufWriter;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

use flate2::FlushCompress;
use time::UtcOffset;

use super::container::{Deflater, Streamed, ZipOut};
use super::sheet::{self, Layout};
use super::write::{DeflateLevel, CHUNK};
use super::{ExportRequest, SHEET_ROWS};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::list::{PhoneText, PositionIds};
use crate::model::{FieldDef, ProfileRow};
use crate::store::Store;

/// The page cache an export reads its rows with (KiB). Each row is read once, in id order:
/// measured on 1,000,000 rows, 16 MB instead of the store's 64 MB takes 25 MB off the
/// export's peak memory and no time.
const READING_CACHE_KIB: u32 = 16 * 1024;

/// Writes `ids` (in order) with `fields` as columns into a new workbook at `path`. Calls
/// `progress(rows_done)` after each chunk; `Break` stops and returns `None` (nothing left at
/// `path`). Returns the rows written.
pub(super) fn write_workbook(
    store: &Store,
    ids: &PositionIds,
    fields: &[FieldDef],
    offset: UtcOffset,
    path: &Path,
    progress: &mut dyn FnMut(u32) -> ControlFlow<()>,
) -> Result<Option<u32>> {
    let keys: Vec<String> = fields.iter().map(|f| f.key.clone()).collect();
    let level = store.memos.with(|l: &mut DeflateLevel| l.0)?;
    let file = FileSpec {
        path,
        fields,
        offset,
        level,
        sheet_rows: SHEET_ROWS,
    };
    store.with_page_cache(READING_CACHE_KIB, || {
        let chunks = ids
            .chunks(CHUNK)
            .map(|chunk| store.rows_for(&chunk, &keys, PhoneText::AsTyped));
        write_file(&file, chunks, progress)
    })
}

/// What is written, and how.
pub(super) struct FileSpec<'a> {
    pub path: &'a Path,
    pub fields: &'a [FieldDef],
    pub offset: UtcOffset,
    pub level: u8,
    /// Data rows per sheet ([`SHEET_ROWS`]; fewer in tests).
    pub sheet_rows: u32,
}

/// The file of `spec` from `chunks` of rows, read on this thread; see [`write_workbook`].
pub(super) fn write_file(
    spec: &FileSpec,
    chunks: impl Iterator<Item = Result<Vec<ProfileRow>>>,
    progress: &mut dyn FnMut(u32) -> ControlFlow<()>,
) -> Result<Option<u32>> {
    let written = run(spec, chunks, progress);
    if !matches!(written, Ok(Some(_))) {
        let _ = std::fs::remove_file(spec.path);
    }
    written
}

/// Rows of one sheet, numbered in the order they are written.
struct Piece {
    seq: u64,
    sheet: usize,
    /// The sheet row (1-based; the header is row 1) of the first of `rows`.
    first_row: u32,
    rows: Vec<ProfileRow>,
}

/// A piece as sheet XML deflated: a piece of the sheet entry's deflate stream.
struct Packed {
    seq: u64,
    sheet: usize,
    deflated: Vec<u8>,
    crc: u32,
    size: u64,
}

enum ToSink {
    Packed(Result<Packed>),
    /// Every piece was sent: `pieces` in all, over `sheets` sheets.
    Finish {
        pieces: u64,
        sheets: usize,
    },
}

fn run(
    spec: &FileSpec,
    chunks: impl Iterator<Item = Result<Vec<ProfileRow>>>,
    progress: &mut dyn FnMut(u32) -> ControlFlow<()>,
) -> Result<Option<u32>> {
    // The columns' widths come from the first chunk, read before any piece is sent.
    let layout: OnceLock<Layout> = OnceLock::new();
    let packers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    std::thread::scope(|scope| {
        // One piece waits for a packer at most: the rows are the bulk of the memory in flight.
        let (pieces, to_pack) = sync_channel::<Piece>(1);
        let to_pack = Arc::new(Mutex::new(to_pack));
        let (to_sink, sink_receives) = sync_channel::<ToSink>(packers * 2);
        for _ in 0..packers {
            let (to_pack, to_sink, layout) = (Arc::clone(&to_pack), to_sink.clone(), &layout);
            scope.spawn(move || pack(&to_pack, &to_sink, layout, spec));
        }
        // Only the packers hold the receiving end: when they are all gone, sending fails.
        drop(to_pack);
        let sink = scope.spawn(|| write_pieces(sink_receives, &layout, spec));
        let mut read: u32 = 0;
        let mut seq = 0u64;
        let (mut sheet, mut sheet_rows) = (0usize, 0u32);
        let mut outcome = Ok(Some(()));
        // Set when the packers are gone: one failed (the sink has its error) or panicked.
        let mut lost = false;
        'reading: for chunk in chunks {
            let mut rows = match chunk {
                Ok(rows) => rows,
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            };
            if layout.get().is_none() {
                let _ = layout.set(Layout::new(spec.fields, &rows));
            }
            read += rows.len() as u32;
            while !rows.is_empty() {
                if sheet_rows == spec.sheet_rows {
                    sheet += 1;
                    sheet_rows = 0;
                }
                let room = (spec.sheet_rows - sheet_rows) as usize;
                let rest = rows.split_off(room.min(rows.len()));
                let n = rows.len() as u32;
                let piece = Piece {
                    seq,
                    sheet,
                    first_row: sheet_rows + 2,
                    rows,
                };
                if pieces.send(piece).is_err() {
                    lost = true;
                    break 'reading;
                }
                seq += 1;
                sheet_rows += n;
                rows = rest;
            }
            if progress(read).is_break() {
                outcome = Ok(None);
                break;
            }
        }
        let _ = layout.set(Layout::new(spec.fields, &[]));
        drop(pieces);
        if matches!(outcome, Ok(Some(()))) && !lost {
            let _ = to_sink.send(ToSink::Finish {
                pieces: seq,
                sheets: sheet + 1,
            });
        }
        // Without `Finish` the sink stops without completing the file.
        drop(to_sink);
        let written = sink.join().map_err(|_| {
            Error::Internal(format!("the writer of {} panicked", spec.path.display()))
        })?;
        let stopped = || Error::Internal(format!("the writer of {} stopped", spec.path.display()));
        match (outcome, written) {
            (Err(e), _) | (Ok(_), Err(e)) => Err(e),
            (Ok(Some(())), Ok(Some(()))) => Ok(Some(read)),
            _ if lost => Err(stopped()),
            _ => Ok(None),
        }
    })
}

/// A packer thread: pieces to deflated sheet XML, until the pieces or the sink are gone.
fn pack(
    pieces: &Mutex<Receiver<Piece>>,
    to_sink: &SyncSender<ToSink>,
    layout: &OnceLock<Layout>,
    spec: &FileSpec,
) {
    let mut xml = Vec::new();
    let mut deflater = Deflater::new(spec.level);
    loop {
        let piece = match pieces.lock().map(|p| p.recv()) {
            Ok(Ok(piece)) => piece,
            _ => return,
        };
        xml.clear();
        let Piece {
            seq,
            sheet,
            first_row,
            rows,
        } = piece;
        let made = unset(layout)
            .and_then(|layout| sheet::rows_xml(&mut xml, layout, &rows, first_row, spec.offset));
        // The rows are the bulk of the memory in flight: gone before the deflating.
        drop(rows);
        let packed = made.and_then(|()| {
            Ok(Packed {
                seq,
                sheet,
                deflated: deflater.piece(&xml, FlushCompress::Sync)?,
                crc: crc32fast::hash(&xml),
                size: xml.len() as u64,
            })
        });
        let failed = packed.is_err();
        if to_sink.send(ToSink::Packed(packed)).is_err() || failed {
            return;
        }
    }
}

fn unset(layout: &OnceLock<Layout>) -> Result<&Layout> {
    layout
        .get()
        .ok_or_else(|| Error::Internal("the export's columns were not measured".into()))
}

/// The sink thread: the file at `spec.path`, the pieces in order, then the package's other
/// parts on `Finish`; `None` (the file left incomplete, removed by [`write_file`]) if the
/// senders go away before it.
fn write_pieces(
    received: Receiver<ToSink>,
    layout: &OnceLock<Layout>,
    spec: &FileSpec,
) -> Result<Option<()>> {
    // Owner-only (issue 15): the file holds customers.
    let file = crate::store::private_file::create(spec.path)?;
    let mut zip = ZipOut::new(BufWriter::with_capacity(1 << 20, file));
    let mut waiting: BTreeMap<u64, Packed> = BTreeMap::new();
    let mut next = 0u64;
    let mut open: Option<(usize, Streamed)> = None;
    let mut finish = None;
    loop {
        while let Some(p) = waiting.remove(&next) {
            let entry = match &mut open {
                Some((sheet, entry)) if *sheet == p.sheet => entry,
                _ => {
                    if let Some((_, done)) = open.take() {
                        end_sheet(&mut zip, done, spec.level)?;
                    }
                    let started = begin_sheet(&mut zip, unset(layout)?, p.sheet, spec.level)?;
                    &mut open.insert((p.sheet, started)).1
                }
            };
            entry.push(&mut zip, &p.deflated, p.crc, p.size)?;
            next += 1;
        }
        if let Some((pieces, sheets)) = finish {
            if next == pieces {
                let last = match open.take() {
                    Some((_, entry)) => entry,
                    // No rows: the header alone.
                    None => begin_sheet(&mut zip, unset(layout)?, 0, spec.level)?,
                };
                end_sheet(&mut zip, last, spec.level)?;
                for (name, data) in sheet::package_parts(sheets) {
                    zip.add(&name, &data, spec.level)?;
                }
                zip.finish()?.into_inner().map_err(|e| e.into_error())?;
                return Ok(Some(()));
            }
        }
        match received.recv() {
            Ok(ToSink::Packed(packed)) => {
                let p = packed?;
                waiting.insert(p.seq, p);
            }
            Ok(ToSink::Finish { pieces, sheets }) => finish = Some((pieces, sheets)),
            Err(_) => return Ok(None),
        }
    }
}

fn begin_sheet(
    zip: &mut ZipOut<BufWriter<std::fs::File>>,
    layout: &Layout,
    index: usize,
    level: u8,
) -> Result<Streamed> {
    let mut entry = zip.start(&sheet::sheet_part(index))?;
    let xml = sheet::prologue(layout, index == 0);
    let deflated = Deflater::new(level).piece(&xml, FlushCompress::Sync)?;
    entry.push(zip, &deflated, crc32fast::hash(&xml), xml.len() as u64)?;
    Ok(entry)
}

fn end_sheet(
    zip: &mut ZipOut<BufWriter<std::fs::File>>,
    mut entry: Streamed,
    level: u8,
) -> Result<()> {
    let xml = sheet::EPILOGUE;
    let deflated = Deflater::new(level).piece(xml, FlushCompress::Finish)?;
    entry.push(zip, &deflated, crc32fast::hash(xml), xml.len() as u64)?;
    zip.finish_entry(entry)?;
    Ok(())
}

impl Store {
    /// Reads every row of `request` from the store as an export does (the same chunks, cache
    /// and columns) and writes nothing: the benchmark's floor under the export, the store's
    /// share of its time. Returns the rows read.
    pub fn read_export_rows(&self, actor: &Actor, request: &ExportRequest) -> Result<u32> {
        actor.require(Permission::ProfileExport)?;
        let keys: Vec<String> = self
            .export_fields(request)?
            .into_iter()
            .map(|f| f.key)
            .collect();
        let ids = self.export_ids(actor, request)?;
        self.with_page_cache(READING_CACHE_KIB, || {
            let mut read = 0u32;
            for chunk in ids.chunks(CHUNK) {
                read += self.rows_for(&chunk, &keys, PhoneText::AsTyped)?.len() as u32;
            }
            Ok(read)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FieldKind;
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use std::collections::BTreeMap;

    /// A field of `kind`: the catalogue's first with another key, label and kind.
    fn field(key: &str, label: &str, kind: FieldKind) -> FieldDef {
        let first = pdesk_rule::catalogue::default_fields().swap_remove(0);
        FieldDef {
            key: key.into(),
            label: label.into(),
            kind,
            ..first
        }
    }

    fn fields() -> Vec<FieldDef> {
        vec![
            field("name", "Họ và tên", FieldKind::Text),
            field("birthday", "Birthday", FieldKind::Date),
            field("created_at", "Created at", FieldKind::System),
            field("score", "Score", FieldKind::Number),
            field("member", "Member", FieldKind::Boolean),
        ]
    }

    /// Row `i` (0-based) of the sample: every kind of cell, tricky texts among them.
    fn row(i: usize) -> ProfileRow {
        let names = [
            "Nguyễn Thị Ánh Tuyết",
            "=HYPERLINK(\"http://x\")",
            r#"<&>"' and ]]>"#,
            "bell\u{7}, tab\t, _x0041_ kept",
            "-Hà Nội",
            "@mention",
            "plain",
        ];
        let mut cells = BTreeMap::from([
            ("name".to_string(), names[i % names.len()].to_string()),
            ("score".to_string(), format!("{}.25", i)),
            (
                "member".to_string(),
                if i.is_multiple_of(2) { "Yes" } else { "No" }.to_string(),
            ),
        ]);
        if i != 3 {
            cells.insert("birthday".into(), format!("1990-05-{:02}", i + 1));
            cells.insert("created_at".into(), "2026-11-28T07:30:00Z".into());
        } else {
            // Not a date: kept as text.
            cells.insert("birthday".into(), "sometime".into());
        }
        ProfileRow {
            id: i as i64 + 1,
            cells,
        }
    }

    /// The sample's `n` rows written to `path`, `sheet_rows` per sheet, in chunks of 2.
    fn export(path: &Path, n: usize, sheet_rows: u32) -> Result<Option<u32>> {
        let fields = fields();
        let spec = FileSpec {
            path,
            fields: &fields,
            offset: UtcOffset::from_hms(7, 0, 0).expect("offset"),
            level: 6,
            sheet_rows,
        };
        let rows: Vec<ProfileRow> = (0..n).map(row).collect();
        let chunks: Vec<Result<Vec<ProfileRow>>> = rows.chunks(2).map(|c| Ok(c.to_vec())).collect();
        write_file(
            &spec,
            chunks.into_iter(),
            &mut |_| ControlFlow::Continue(()),
        )
    }

    fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
        let mut wb: Xlsx<_> = open_workbook(path).expect("opens as .xlsx");
        let names = wb.sheet_names().to_vec();
        names
            .into_iter()
            .map(|n| {
                let range = wb.worksheet_range(&n).expect("sheet");
                (n, range.rows().map(|r| r.to_vec()).collect())
            })
            .collect()
    }

    #[test]
    fn cells_read_back_typed_on_sheets_continued_past_the_row_limit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.xlsx");
        assert_eq!(export(&path, 7, 3).expect("written"), Some(7));
        let read = sheets(&path);
        let names: Vec<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["Profiles", "Profiles 2", "Profiles 3"],
            "3 + 3 + 1 rows"
        );
        let header: Vec<Data> = fields()
            .iter()
            .map(|f| Data::String(f.label.clone()))
            .collect();
        let mut i = 0;
        for (name, rows) in &read {
            assert_eq!(rows[0], header, "{name} starts with the header");
            for cells in &rows[1..] {
                let expected = row(i);
                let text = |k: &str| Data::String(expected.cells[k].clone());
                assert_eq!(cells[0], text("name"), "row {i}: the text exactly");
                if i == 3 {
                    assert_eq!(cells[1], text("birthday"), "not a date: text");
                    assert_eq!(cells[2], Data::Empty, "an empty cell stays empty");
                } else {
                    match (&cells[1], &cells[2]) {
                        (Data::DateTime(d), Data::DateTime(t)) => {
                            assert_eq!(d.as_f64(), 32_994.0 + i as f64, "1990-05-0{}", i + 1);
                            // 07:30 UTC is 14:30 at +07:00.
                            assert_eq!(t.as_f64(), 46_354.0 + 14.5 / 24.0, "the local time");
                        }
                        other => panic!("row {i}: dates as date cells, not {other:?}"),
                    }
                }
                assert_eq!(cells[3], Data::Float(i as f64 + 0.25), "row {i}: a number");
                assert_eq!(
                    cells[4],
                    Data::Bool(i.is_multiple_of(2)),
                    "row {i}: a boolean"
                );
                i += 1;
            }
        }
        assert_eq!(i, 7, "every row, once, in order");
    }

    #[test]
    fn the_quote_prefix_style_marks_formula_like_texts_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.xlsx");
        export(&path, 7, 100).expect("written");
        let file = std::fs::File::open(&path).expect("file");
        let mut zip = ::zip::ZipArchive::new(file).expect("a zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
            &mut xml,
        )
        .expect("utf-8");
        for (r, quoted) in [
            (2, false),
            (3, true),
            (4, false),
            (6, true),
            (7, true),
            (8, false),
        ] {
            let tag = format!("<c r=\"A{r}\" s=\"{QUOTED}\"", QUOTED = 4);
            assert_eq!(xml.contains(&tag), quoted, "row {r}: {xml}");
        }
        assert!(!xml.contains("<f>"), "no formula");
    }

    #[test]
    fn our_reader_reads_the_file_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.xlsx");
        export(&path, 7, 100).expect("written");
        let mut rows: Vec<Vec<pdesk_xlsx::Cell>> = Vec::new();
        pdesk_xlsx::read_sheet(&path, &pdesk_xlsx::FileLimits::default(), |_, cells| {
            rows.push(cells.to_vec());
            ControlFlow::Continue(())
        })
        .expect("our reader accepts the export");
        assert_eq!(rows.len(), 8, "the header and 7 rows");
        assert_eq!(
            rows[1][0],
            pdesk_xlsx::Cell::Text("Nguyễn Thị Ánh Tuyết".into())
        );
        assert_eq!(
            rows[3][0],
            pdesk_xlsx::Cell::Text(r#"<&>"' and ]]>"#.into())
        );
        assert_eq!(
            rows[1][1],
            pdesk_xlsx::Cell::Date(time::macros::date!(1990 - 05 - 01))
        );
        assert_eq!(rows[2][3], pdesk_xlsx::Cell::Number(1.25));
        assert_eq!(rows[2][4], pdesk_xlsx::Cell::Bool(false));
    }

    #[test]
    fn no_rows_give_the_header_alone_and_a_stop_leaves_no_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("empty.xlsx");
        assert_eq!(export(&path, 0, 3).expect("written"), Some(0));
        let read = sheets(&path);
        assert_eq!(read.len(), 1, "one sheet");
        assert_eq!(read[0].1.len(), 1, "the header alone");

        let stopped = dir.path().join("stopped.xlsx");
        let fields = fields();
        let spec = FileSpec {
            path: &stopped,
            fields: &fields,
            offset: UtcOffset::UTC,
            level: 3,
            sheet_rows: 3,
        };
        let chunks = (0..50).map(|i| Ok(vec![row(i)]));
        let outcome = write_file(&spec, chunks, &mut |done| {
            if done == 20 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(outcome.expect("no error"), None, "stopped");
        assert!(!stopped.exists(), "a stopped export leaves no file");

        let failed = dir.path().join("failed.xlsx");
        let spec = FileSpec {
            path: &failed,
            ..spec
        };
        let chunks = (0..50).map(|i| {
            if i == 30 {
                Err(Error::Internal("the store went away".into()))
            } else {
                Ok(vec![row(i)])
            }
        });
        let outcome = write_file(&spec, chunks, &mut |_| ControlFlow::Continue(()));
        assert!(outcome.is_err(), "a failed read fails the export");
        assert!(!failed.exists(), "and leaves no file");
    }

    /// LibreOffice opens the file (converted to CSV, its first sheet); skipped where it is not
    /// installed (CI machines have it).
    #[test]
    fn libreoffice_opens_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.xlsx");
        export(&path, 7, 4).expect("written");
        let profile = format!("-env:UserInstallation=file://{}/lo", dir.path().display());
        let converted = std::process::Command::new("soffice")
            .args([&profile, "--headless", "--convert-to"])
            .arg("csv:Text - txt - csv (StarCalc):44,34,76,1")
            .arg("--outdir")
            .arg(dir.path())
            .arg(&path)
            .output();
        let Ok(out) = converted else {
            println!("skipped: soffice (LibreOffice) is not installed here");
            return;
        };
        let csv = std::fs::read_to_string(dir.path().join("out.csv")).unwrap_or_else(|e| {
            panic!(
                "LibreOffice converted nothing ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 5, "the first sheet: header and 4 rows: {csv}");
        // Text cells quoted, dates and date-times in their formats, numbers and booleans bare.
        assert_eq!(
            lines[..4],
            [
                r#""Họ và tên","Birthday","Created at","Score","Member""#,
                r#""Nguyễn Thị Ánh Tuyết",1990-05-01,2026-11-28 14:30,0.25,TRUE"#,
                r#""=HYPERLINK(""http://x"")",1990-05-02,2026-11-28 14:30,1.25,FALSE"#,
                r#""<&>""' and ]]>",1990-05-03,2026-11-28 14:30,2.25,TRUE"#,
            ],
            "{csv}"
        );
    }
}
