//! The import figures of SPEC 9. Each import is measured in a process of its own
//! (`pdesk bench-child`), so that its peak memory is its own and every run starts from the
//! same state: the file has been through the mapping step (the preview, timed on its own), and
//! the figure is Confirm → done: the job reads the file again, validates, normalises, matches
//! and commits every row.

use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

use crate::auth::Actor;
use crate::error::Result;
use crate::jobs::{ImportSettings, ImportSource};
use crate::model::{ConsentInput, MergePolicy};
use crate::store::Store;

/// Writes the import benchmark's workbook: `rows` data rows × 15 columns under Vietnamese
/// headers — names with diacritics, phones in mixed formats (a third stored as numbers, the
/// leading zero lost, as Excel users do), e-mails, real date cells, codes, free text. Real
/// customer data is far less regular than a counter, so pseudo-random tokens make the file
/// compress like a real one (~10 MB for 50,000 rows, as in SPEC 9). Returns the size in bytes.
pub fn write_import_workbook(path: &std::path::Path, rows: u32) -> Result<u64> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let xlsx =
        |e: rust_xlsxwriter::XlsxError| crate::Error::Internal(format!("bench workbook: {e}"));
    let headers = [
        "Họ và tên",
        "Số điện thoại",
        "Email",
        "Ngày sinh",
        "Giới tính",
        "Địa chỉ",
        "Thành phố",
        "Mã khách hàng",
        "Ngày tham gia",
        "Hạng thành viên",
        "Điểm",
        "Nghề nghiệp",
        "Công ty",
        "Ghi chú",
        "Kênh",
    ];
    let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"];
    let given = [
        "Văn An",
        "Thị Bích",
        "Minh Đức",
        "Quang Huy",
        "Thu Hà",
        "Ngọc Lan",
    ];
    let cities = [
        "Hà Nội",
        "TP. Hồ Chí Minh",
        "Đà Nẵng",
        "Hải Phòng",
        "Cần Thơ",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut token = |len: usize| -> String {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
                alphabet[(state % alphabet.len() as u64) as usize] as char
            })
            .collect()
    };
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(xlsx)?;
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(xlsx)?;
    }
    for r in 1..=rows {
        let i = r as usize;
        sheet
            .write_string(
                r,
                0,
                format!("{} {} {}", families[i % 8], given[i % 6], token(8)),
            )
            .map_err(xlsx)?;
        let nsn = crate::demo::unique_mobile_nsn(u64::from(r) * 2);
        match r % 3 {
            0 => sheet
                .write_number(r, 1, nsn.parse::<f64>().unwrap_or(0.0))
                .map_err(xlsx)?,
            1 => sheet
                .write_string(r, 1, format!("0{} {} {}", &nsn[..3], &nsn[3..6], &nsn[6..]))
                .map_err(xlsx)?,
            _ => sheet
                .write_string(r, 1, format!("+84{nsn}"))
                .map_err(xlsx)?,
        };
        sheet
            .write_string(r, 2, format!("{}.{}@{}.com", token(10), token(6), token(8)))
            .map_err(xlsx)?;
        let born = ExcelDateTime::from_ymd(
            1960 + (r % 40) as u16,
            1 + (r % 12) as u8,
            1 + (r % 28) as u8,
        )
        .map_err(xlsx)?;
        sheet
            .write_datetime_with_format(r, 3, &born, &date)
            .map_err(xlsx)?;
        sheet
            .write_string(r, 4, if r % 2 == 0 { "Nam" } else { "Nữ" })
            .map_err(xlsx)?;
        sheet
            .write_string(
                r,
                5,
                format!("{} đường {}, phường {}", r % 300, token(16), token(8)),
            )
            .map_err(xlsx)?;
        sheet.write_string(r, 6, cities[i % 5]).map_err(xlsx)?;
        sheet
            .write_string(r, 7, format!("KH{}", token(10)))
            .map_err(xlsx)?;
        sheet
            .write_string(r, 8, format!("{:02}/{:02}/2023", 1 + r % 28, 1 + r % 12))
            .map_err(xlsx)?;
        sheet
            .write_string(r, 9, ["Vàng", "Bạc", "Kim cương"][i % 3])
            .map_err(xlsx)?;
        sheet
            .write_number(r, 10, f64::from(r % 1000))
            .map_err(xlsx)?;
        sheet
            .write_string(r, 11, ["Kỹ sư", "Giáo viên", "Bác sĩ", "Kinh doanh"][i % 4])
            .map_err(xlsx)?;
        sheet
            .write_string(r, 12, format!("Công ty TNHH {}", token(14)))
            .map_err(xlsx)?;
        sheet
            .write_string(
                r,
                13,
                format!("{} {} {} {}", token(18), token(14), token(20), token(16)),
            )
            .map_err(xlsx)?;
        sheet
            .write_string(r, 14, ["Zalo", "Facebook", "Cửa hàng"][i % 3])
            .map_err(xlsx)?;
    }
    workbook.save(path).map_err(xlsx)?;
    Ok(std::fs::metadata(path)?.len())
}

/// What one `pdesk bench-child` run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportRun {
    /// Confirm → done: queue the previewed file and run the job.
    Import,
    /// The dry run of the previewed file.
    DryRun,
    /// The mapping step itself: guard, full read, suggestion (a file that must be accepted).
    Preview,
}

/// The settings the mapping step suggests for `source`, with no consent change.
fn suggested_settings(
    store: &Store,
    actor: &Actor,
    source: &ImportSource,
) -> Result<ImportSettings> {
    let preview = match source {
        ImportSource::File(p) => store.preview_file(actor, p)?,
        ImportSource::Paste(t) => store.preview_paste(actor, t)?,
    };
    Ok(ImportSettings {
        columns: preview.columns,
        mapping: preview.mapping,
        consent: ConsentInput::default(),
        policy: MergePolicy::Overwrite,
    })
}

/// Runs `what` for `file` against the store at `db`; returns milliseconds and what it did.
pub fn measure_import(db: &Path, file: &Path, what: ImportRun) -> Result<(f64, String)> {
    let mut store = Store::open(db)?;
    let actor = store.actor(None)?;
    let source = ImportSource::File(file.to_path_buf());
    if what == ImportRun::Preview {
        let start = Instant::now();
        let preview = store.preview_file(&actor, file)?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        return Ok((ms, format!("{} rows", preview.total_rows)));
    }
    let settings = suggested_settings(&store, &actor, &source)?;
    let start = Instant::now();
    let result = match what {
        ImportRun::DryRun => {
            let d = store.dry_run(&actor, &source, &settings)?;
            format!(
                "{} new, {} update, {} in-file dup, {} invalid",
                d.counts.created, d.counts.updated, d.counts.duplicates, d.counts.failed
            )
        }
        _ => {
            let id = store.queue_import(&actor, &source, &settings)?;
            let job = store.run_job(&actor, id, |_| ControlFlow::Continue(()))?;
            format!(
                "{} created, {} updated, {} failed",
                job.counts.created, job.counts.updated, job.counts.failed
            )
        }
    };
    Ok((start.elapsed().as_secs_f64() * 1000.0, result))
}

/// A 1,000-row paste (name, phone, e-mail), as copied from a spreadsheet.
pub fn thousand_row_paste() -> String {
    (1..=1_000)
        .map(|i| {
            format!(
                "Khách {i}\t0{}\tk{i}@example.vn\n",
                crate::demo::unique_mobile_nsn(i)
            )
        })
        .collect()
}

/// The paste figure, on an open store (the app's is open): parse, suggest the mapping, check
/// it and dry-run the rows. Returns milliseconds and the dry run's row count.
pub fn measure_paste(store: &mut Store, text: &str) -> Result<(f64, String)> {
    let actor = store.actor(None)?;
    let source = ImportSource::Paste(text.to_string());
    let start = Instant::now();
    let mut settings = suggested_settings(store, &actor, &source)?;
    // A paste has no header row: the first column's names are sniffed as nothing in
    // particular, so the user picks "Full name" for it, as in the grid.
    if let Some(first) = settings.mapping.first_mut() {
        first.target = Some("full_name".into());
    }
    let d = store.dry_run(&actor, &source, &settings)?;
    Ok((
        start.elapsed().as_secs_f64() * 1000.0,
        format!("{} rows previewed", d.counts.rows),
    ))
}

/// One hostile file through the mapping step's read: milliseconds and the refusal code
/// (`accepted` when it passed).
pub fn measure_hostile(file: &Path) -> (f64, String) {
    let start = Instant::now();
    let result = pdesk_xlsx::preview(file, &pdesk_xlsx::FileLimits::default(), 5);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let code = match result {
        Ok(_) => "accepted".to_string(),
        Err(e) => e.code().to_string(),
    };
    (ms, code)
}
