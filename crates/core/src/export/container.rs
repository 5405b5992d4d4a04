//! The zip container of an export: a small writer that takes an entry's data already
//! deflated, in pieces (the sheets are compressed in blocks on several threads while the rows
//! are still being read; `rust_xlsxwriter` and the `zip` crate only deflate data they are given
//! whole). ZIP64 fields are written only where a size or an offset passes 4 GB, as Excel's own
//! files do: a sheet's local header reserves room for them, and is rewritten once the entry is
//! done.

use std::io::{self, Seek, SeekFrom, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

/// Sizes and offsets from this one on are written in ZIP64 fields.
const ZIP32_LIMIT: u64 = 0xFFFF_FFFF;
/// Room a streamed entry's local header keeps for its ZIP64 sizes: the field's header and two
/// 8-byte sizes. Unused, it holds the "growth hint" padding field OOXML packages may carry
/// (APPNOTE 4.6.9, header 0xA220), which readers skip.
const RESERVED_EXTRA: usize = 20;
const ZIP64_EXTRA: u16 = 0x0001;
const PADDING_EXTRA: u16 = 0xA220;
const PADDING_SIGNATURE: u16 = 0xA028;
/// 1980-01-01 00:00 (the DOS epoch): the files carry no time of their own, as
/// rust_xlsxwriter's do not.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;

/// One entry as the central directory lists it.
struct Entry {
    name: String,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// A zip file written front to back, rewinding only to complete a streamed entry's header.
pub(super) struct ZipOut<W: Write + Seek> {
    out: W,
    /// Bytes written so far (the next entry's offset).
    at: u64,
    entries: Vec<Entry>,
    /// Sizes from which ZIP64 fields are written (lowered by tests).
    limit: u64,
}

/// An entry being written: [`ZipOut::start`] to [`ZipOut::finish_entry`].
pub(super) struct Streamed {
    name: String,
    offset: u64,
    crc: crc32fast::Hasher,
    compressed: u64,
    size: u64,
}

impl Streamed {
    /// Appends `compressed`, the deflated form of `size` bytes whose CRC-32 is `crc` (a piece
    /// of the entry's raw deflate stream: every piece but the last ends with a sync flush).
    pub(super) fn push<W: Write + Seek>(
        &mut self,
        zip: &mut ZipOut<W>,
        compressed: &[u8],
        crc: u32,
        size: u64,
    ) -> io::Result<()> {
        zip.write(compressed)?;
        self.crc
            .combine(&crc32fast::Hasher::new_with_initial_len(crc, size));
        self.compressed += compressed.len() as u64;
        self.size += size;
        Ok(())
    }
}

impl<W: Write + Seek> ZipOut<W> {
    pub(super) fn new(out: W) -> Self {
        ZipOut {
            out,
            at: 0,
            entries: Vec::new(),
            limit: ZIP32_LIMIT,
        }
    }

    /// ZIP64 fields from `limit` bytes on instead of 4 GB: tests reach that path with small files.
    #[cfg(test)]
    pub(super) fn with_zip64_from(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// `data` as one entry, deflated at `level`.
    pub(super) fn add(&mut self, name: &str, data: &[u8], level: u8) -> io::Result<()> {
        let mut entry = self.start(name)?;
        let compressed = Deflater::new(level).piece(data, FlushCompress::Finish)?;
        entry.push(self, &compressed, crc32fast::hash(data), data.len() as u64)?;
        self.finish_entry(entry)
    }

    /// Starts an entry whose deflated data follows in pieces ([`Streamed::push`]); its sizes
    /// and CRC go into its header at [`ZipOut::finish_entry`].
    pub(super) fn start(&mut self, name: &str) -> io::Result<Streamed> {
        let offset = self.at;
        let header = local_header(name, 0, 0, 0, &padding_extra());
        self.write(&header)?;
        Ok(Streamed {
            name: name.to_string(),
            offset,
            crc: crc32fast::Hasher::new(),
            compressed: 0,
            size: 0,
        })
    }

    /// Completes `entry`'s local header with its CRC and sizes (ZIP64 when they need it).
    pub(super) fn finish_entry(&mut self, entry: Streamed) -> io::Result<()> {
        let crc = entry.crc.finalize();
        let zip64 = entry.size >= self.limit || entry.compressed >= self.limit;
        let extra = if zip64 {
            zip64_extra(&[entry.size, entry.compressed])
        } else {
            padding_extra()
        };
        let header = if zip64 {
            local_header(&entry.name, crc, u32::MAX, u32::MAX, &extra)
        } else {
            local_header(
                &entry.name,
                crc,
                entry.compressed as u32,
                entry.size as u32,
                &extra,
            )
        };
        self.out.seek(SeekFrom::Start(entry.offset))?;
        self.out.write_all(&header)?;
        self.out.seek(SeekFrom::Start(self.at))?;
        self.entries.push(Entry {
            name: entry.name,
            crc,
            compressed: entry.compressed,
            size: entry.size,
            offset: entry.offset,
        });
        Ok(())
    }

    /// Writes the central directory and returns the output (flushed).
    pub(super) fn finish(mut self) -> io::Result<W> {
        let directory_at = self.at;
        let entries = std::mem::take(&mut self.entries);
        for e in &entries {
            let big = |v: u64| v >= self.limit;
            // The ZIP64 field holds, in this order, only the values too big for their field.
            let wide: Vec<u64> = [e.size, e.compressed, e.offset]
                .into_iter()
                .filter(|v| big(*v))
                .collect();
            let narrow = |v: u64| if big(v) { u32::MAX } else { v as u32 };
            let extra = if wide.is_empty() {
                Vec::new()
            } else {
                zip64_extra(&wide)
            };
            let mut h = Vec::with_capacity(46 + e.name.len() + extra.len());
            put32(&mut h, 0x0201_4b50);
            put16(&mut h, (3 << 8) | 45); // made by: Unix, spec 4.5
            put16(&mut h, version_needed(!wide.is_empty()));
            put16(&mut h, 0); // flags
            put16(&mut h, 8); // deflate
            put16(&mut h, DOS_TIME);
            put16(&mut h, DOS_DATE);
            put32(&mut h, e.crc);
            put32(&mut h, narrow(e.compressed));
            put32(&mut h, narrow(e.size));
            put16(&mut h, e.name.len() as u16);
            put16(&mut h, extra.len() as u16);
            put16(&mut h, 0); // comment
            put16(&mut h, 0); // disk
            put16(&mut h, 0); // internal attributes
            put32(&mut h, 0o100600 << 16); // a regular file, owner read/write
            put32(&mut h, narrow(e.offset));
            h.extend_from_slice(e.name.as_bytes());
            h.extend_from_slice(&extra);
            self.write(&h)?;
        }
        let directory_size = self.at - directory_at;
        let count = entries.len() as u64;
        let zip64 = directory_at >= self.limit || directory_size >= self.limit || count >= 0xFFFF;
        let mut end = Vec::new();
        if zip64 {
            let record_at = self.at;
            put32(&mut end, 0x0606_4b50);
            put64(&mut end, 44); // the record's size after this field
            put16(&mut end, (3 << 8) | 45);
            put16(&mut end, 45);
            put32(&mut end, 0); // this disk
            put32(&mut end, 0); // the directory's disk
            put64(&mut end, count);
            put64(&mut end, count);
            put64(&mut end, directory_size);
            put64(&mut end, directory_at);
            // The locator.
            put32(&mut end, 0x0706_4b50);
            put32(&mut end, 0);
            put64(&mut end, record_at);
            put32(&mut end, 1); // disks
        }
        let narrow = |v: u64| if zip64 { u32::MAX } else { v as u32 };
        put32(&mut end, 0x0605_4b50);
        put16(&mut end, 0);
        put16(&mut end, 0);
        put16(&mut end, if zip64 { u16::MAX } else { count as u16 });
        put16(&mut end, if zip64 { u16::MAX } else { count as u16 });
        put32(&mut end, narrow(directory_size));
        put32(&mut end, narrow(directory_at));
        put16(&mut end, 0); // comment
        self.write(&end)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn version_needed(zip64: bool) -> u16 {
    if zip64 {
        45
    } else {
        20
    }
}

fn local_header(name: &str, crc: u32, compressed: u32, size: u32, extra: &[u8]) -> Vec<u8> {
    let zip64 = compressed == u32::MAX;
    let mut h = Vec::with_capacity(30 + name.len() + extra.len());
    put32(&mut h, 0x0403_4b50);
    put16(&mut h, version_needed(zip64));
    put16(&mut h, 0); // flags: sizes in this header, an ASCII name
    put16(&mut h, 8); // deflate
    put16(&mut h, DOS_TIME);
    put16(&mut h, DOS_DATE);
    put32(&mut h, crc);
    put32(&mut h, compressed);
    put32(&mut h, size);
    put16(&mut h, name.len() as u16);
    put16(&mut h, extra.len() as u16);
    h.extend_from_slice(name.as_bytes());
    h.extend_from_slice(extra);
    h
}

fn zip64_extra(values: &[u64]) -> Vec<u8> {
    let mut e = Vec::with_capacity(4 + 8 * values.len());
    put16(&mut e, ZIP64_EXTRA);
    put16(&mut e, (8 * values.len()) as u16);
    for v in values {
        put64(&mut e, *v);
    }
    e
}

/// The reserved room of a streamed local header when it needs no ZIP64 field.
fn padding_extra() -> Vec<u8> {
    let mut e = Vec::with_capacity(RESERVED_EXTRA);
    put16(&mut e, PADDING_EXTRA);
    put16(&mut e, (RESERVED_EXTRA - 4) as u16);
    put16(&mut e, PADDING_SIGNATURE);
    put16(&mut e, 0); // initial padding value
    e.resize(RESERVED_EXTRA, 0);
    e
}

fn put16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// Raw deflate at one level, its state reused from piece to piece (it is large: allocating
/// and clearing it for every piece showed in profiles).
pub(super) struct Deflater(Compress);

impl Deflater {
    pub(super) fn new(level: u8) -> Self {
        Deflater(Compress::new(Compression::new(u32::from(level)), false))
    }

    /// `data` as a piece of raw deflate on its own (no reference to earlier pieces): with
    /// [`FlushCompress::Sync`] it ends on a byte boundary, not final, so pieces compressed
    /// apart join into one stream (pigz's way); an entry's last piece uses
    /// [`FlushCompress::Finish`].
    pub(super) fn piece(&mut self, data: &[u8], flush: FlushCompress) -> io::Result<Vec<u8>> {
        let z = &mut self.0;
        z.reset();
        let mut out = Vec::with_capacity(data.len() / 4 + 64);
        loop {
            let done = z.total_in() as usize;
            let status = z
                .compress_vec(&data[done..], &mut out, flush)
                .map_err(io::Error::other)?;
            let all_in = z.total_in() as usize == data.len();
            // Finished when the input is in and the flush left output room (zlib's rule).
            let flushed = match flush {
                FlushCompress::Finish => status == Status::StreamEnd,
                _ => out.len() < out.capacity(),
            };
            if all_in && flushed {
                return Ok(out);
            }
            out.reserve(out.capacity().max(4096));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    /// A zip of a streamed entry in two pieces and a whole one, read back by the `zip` crate.
    fn sample(zip64_from: Option<u64>) -> Vec<u8> {
        let mut zip = ZipOut::new(Cursor::new(Vec::new()));
        if let Some(limit) = zip64_from {
            zip = zip.with_zip64_from(limit);
        }
        let (a, b) = (b"Hello, ".repeat(100), b"world!".repeat(50));
        let mut e = zip.start("stream.txt").expect("start");
        for (piece, flush) in [(&a, FlushCompress::Sync), (&b, FlushCompress::Finish)] {
            let c = Deflater::new(6).piece(piece, flush).expect("deflate");
            e.push(&mut zip, &c, crc32fast::hash(piece), piece.len() as u64)
                .expect("push");
        }
        zip.finish_entry(e).expect("finish entry");
        zip.add("whole.txt", b"whole", 3).expect("add");
        zip.finish().expect("finish").into_inner()
    }

    fn read_back(bytes: Vec<u8>) -> Vec<(String, String)> {
        let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        (0..archive.len())
            .map(|i| {
                let mut f = archive.by_index(i).expect("entry");
                let mut s = String::new();
                f.read_to_string(&mut s).expect("inflates, CRC matches");
                (f.name().expect("a name").to_string(), s)
            })
            .collect()
    }

    #[test]
    fn pieces_deflated_apart_read_back_as_one_entry() {
        let expected = vec![
            (
                "stream.txt".to_string(),
                "Hello, ".repeat(100) + &"world!".repeat(50),
            ),
            ("whole.txt".to_string(), "whole".to_string()),
        ];
        assert_eq!(read_back(sample(None)), expected, "32-bit fields");
        let zip64 = sample(Some(10));
        assert_eq!(
            read_back(zip64.clone()),
            expected,
            "every size and offset in ZIP64 fields"
        );
        assert!(
            zip64.windows(4).any(|w| w == 0x0606_4b50u32.to_le_bytes()),
            "the ZIP64 end record is written past the limit"
        );
        assert!(
            !sample(None)
                .windows(4)
                .any(|w| w == 0x0606_4b50u32.to_le_bytes()),
            "and only then"
        );
    }
}
