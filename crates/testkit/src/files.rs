//! Real-looking files: the workbook of the import benchmark, which the tests use as their
//! large realistic file too.

use std::io;
use std::path::Path;

/// Writes the import benchmark's workbook (also the tests' large realistic file): `rows` data
/// rows × 15 columns under Vietnamese headers — names with diacritics, phones in mixed formats
/// (a third stored as numbers, the leading zero lost, as Excel users do), e-mails, real date
/// cells, codes, free text. Real customer data is far less regular than a counter, so
/// pseudo-random tokens make the file compress like a real one (~10 MB for 50,000 rows, as in
/// SPEC 9). Returns the size in bytes.
pub fn write_import_workbook(path: &Path, rows: u32) -> io::Result<u64> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let xlsx = io::Error::other;
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
        let nsn = pdesk_core::demo::unique_mobile_nsn(u64::from(r) * 2);
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
