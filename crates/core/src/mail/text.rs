//! The words of the e-mails, in the language of the user they are for ([`Store::lang_of`]:
//! who ran the job, or the administrator who sends the test e-mail): each sentence in English
//! and in Vietnamese side by side, counts written as the language writes them (`1,000` /
//! `1.000`). Values from data (file names, paths, the filter) are passed in as they are.
//!
//! [`Store::lang_of`]: crate::Store::lang_of

use crate::jobs::{ImportCounts, JobStatus};
use crate::model::{count_in, Lang, MatchKey, SharedKey};

/// The sentences of one e-mail in `lang`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Words {
    pub(super) lang: Lang,
}

/// Megabytes with one decimal (`12.4` / `12,4`: Vietnamese writes a decimal comma).
fn megabytes(lang: Lang, bytes: u64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", bytes as f64 / 1_048_576.0);
    match lang {
        Lang::En => text,
        Lang::Vi => text.replace('.', ","),
    }
}

impl Words {
    fn count(self, n: impl Into<u64>) -> String {
        count_in(self.lang, n.into())
    }

    // ---- the test e-mail ----------------------------------------------------------------

    pub(super) fn test_subject(self) -> String {
        match self.lang {
            Lang::En => "Profile Desk test e-mail".into(),
            Lang::Vi => "Email thử từ Profile Desk".into(),
        }
    }

    pub(super) fn test_lines(self) -> Vec<String> {
        match self.lang {
            Lang::En => vec![
                "This is a test e-mail from Profile Desk: the E-mail settings work.".into(),
                "Export and import results will be sent like this one.".into(),
            ],
            Lang::Vi => vec![
                "Đây là email thử từ Profile Desk: cài đặt email đã hoạt động.".into(),
                "Kết quả nhập và xuất dữ liệu sẽ được gửi đến giống như email này.".into(),
            ],
        }
    }

    // ---- an export's e-mail -------------------------------------------------------------

    pub(super) fn export_subject(self, rows: u32, name: &str) -> String {
        match self.lang {
            Lang::En => format!("Export finished: {rows} profiles — {name}"),
            Lang::Vi => format!("Đã xuất xong {} hồ sơ — {name}", self.count(rows)),
        }
    }

    pub(super) fn export_ready(self, rows: u32) -> String {
        match self.lang {
            Lang::En => format!("Your export of {rows} profiles is ready."),
            Lang::Vi => format!("Tệp xuất {} hồ sơ của bạn đã sẵn sàng.", self.count(rows)),
        }
    }

    pub(super) fn export_filter(self, description: &str) -> String {
        match self.lang {
            Lang::En => format!("Filter: {description}"),
            Lang::Vi => format!("Bộ lọc: {description}"),
        }
    }

    /// The export has more rows than an administrator allows in an attachment.
    pub(super) fn export_over_row_cap(self, rows: u32, cap: u32, path: &str) -> String {
        let (rows, cap) = (self.count(rows), self.count(cap));
        match self.lang {
            Lang::En => format!(
                "The file has {rows} rows, more than the {cap} rows an administrator allows in an attachment, so it is not attached. It is saved on this computer at {path} — in Profile Desk, open Exports and use Save as… to copy it."
            ),
            Lang::Vi => format!(
                "Tệp có {rows} dòng, nhiều hơn {cap} dòng mà quản trị viên cho phép đính kèm, nên không được đính kèm. Tệp được lưu trên máy tính này tại {path} — trong Profile Desk, hãy mở Xuất dữ liệu và dùng Lưu thành… để sao chép tệp."
            ),
        }
    }

    pub(super) fn export_attached(self, name: &str) -> String {
        match self.lang {
            Lang::En => format!("The file {name} is attached."),
            Lang::Vi => format!("Tệp {name} được đính kèm trong email này."),
        }
    }

    /// The export's file is larger than the attachment limit.
    pub(super) fn export_over_size(self, size: u64, limit: u64, path: &str) -> String {
        let (size, limit) = (
            megabytes(self.lang, size, 1),
            megabytes(self.lang, limit, 0),
        );
        match self.lang {
            Lang::En => format!(
                "The file is {size} MB, over the {limit} MB attachment limit, so it is not attached. It is saved at {path} — in Profile Desk, open Exports and use Save as… to copy it."
            ),
            Lang::Vi => format!(
                "Tệp nặng {size} MB, vượt giới hạn đính kèm {limit} MB, nên không được đính kèm. Tệp được lưu tại {path} — trong Profile Desk, hãy mở Xuất dữ liệu và dùng Lưu thành… để sao chép tệp."
            ),
        }
    }

    // ---- an import's e-mail -------------------------------------------------------------

    /// How the import ended, as the English subject and first line say it.
    fn verb(status: JobStatus) -> &'static str {
        match status {
            JobStatus::Done => "finished",
            JobStatus::Cancelled => "was cancelled",
            JobStatus::Failed => "failed",
            _ => "stopped",
        }
    }

    pub(super) fn import_subject(self, status: JobStatus, file: &str) -> String {
        match (self.lang, status) {
            (Lang::En, _) => format!("Import {}: {file}", Self::verb(status)),
            (Lang::Vi, JobStatus::Done) => format!("Đã nhập xong: {file}"),
            (Lang::Vi, JobStatus::Cancelled) => format!("Đã hủy lượt nhập: {file}"),
            (Lang::Vi, JobStatus::Failed) => format!("Lượt nhập thất bại: {file}"),
            (Lang::Vi, _) => format!("Lượt nhập đã dừng: {file}"),
        }
    }

    pub(super) fn import_outcome(self, status: JobStatus, file: &str) -> String {
        match (self.lang, status) {
            (Lang::En, _) => format!("The import of {file} {}.", Self::verb(status)),
            (Lang::Vi, JobStatus::Done) => format!("Lượt nhập {file} đã hoàn tất."),
            (Lang::Vi, JobStatus::Cancelled) => format!("Lượt nhập {file} đã bị hủy."),
            (Lang::Vi, JobStatus::Failed) => format!("Lượt nhập {file} thất bại."),
            (Lang::Vi, _) => format!("Lượt nhập {file} đã dừng."),
        }
    }

    /// The counts in one sentence ("300 rows: 290 created, …").
    pub(super) fn import_counts(self, c: &ImportCounts) -> String {
        match self.lang {
            Lang::En => format!("{}.", c.summary()),
            Lang::Vi => {
                let mut counts = format!(
                    "{} dòng: {} đã tạo, {} đã cập nhật, {} trùng lặp trong tệp, {} cần xem xét hợp nhất, {} lỗi",
                    self.count(c.rows),
                    self.count(c.created),
                    self.count(c.updated),
                    self.count(c.duplicates),
                    self.count(c.reviews),
                    self.count(c.failed)
                );
                // As the English summary: only an import corrected before Confirm says so.
                if c.fixed + c.excluded > 0 {
                    counts.push_str(&format!(
                        "; {} dòng đã sửa trước khi xác nhận, {} dòng bỏ qua",
                        self.count(c.fixed),
                        self.count(c.excluded)
                    ));
                }
                counts.push('.');
                counts
            }
        }
    }

    /// What each guard of the rule did, one sentence per guard that did something.
    pub(super) fn import_guards(self, c: &ImportCounts) -> Vec<String> {
        if self.lang == Lang::En {
            return c
                .guard_lines()
                .into_iter()
                .map(|l| format!("{l}."))
                .collect();
        }
        [
            (
                c.shared_key_rows,
                "dòng có giá trị mà nhiều người trong tệp dùng chung: không dùng để đối chiếu",
            ),
            (
                c.name_differs,
                "dòng chuyển sang xem xét: tên là của một người khác",
            ),
            (
                c.identifier_limit,
                "dòng chuyển sang xem xét: hồ sơ sẽ vượt giới hạn số điện thoại hoặc email",
            ),
            (
                c.blocked_values,
                "giá trị bị chặn (như 0000000000 hoặc n/a) đã bị bỏ",
            ),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, text)| format!("{} {text}.", self.count(n)))
        .collect()
    }

    /// A value many people of the file share ("Shared phone: “028 3823 4567” in 42 rows …").
    pub(super) fn import_shared_key(self, key: &SharedKey) -> String {
        if self.lang == Lang::En {
            return format!("Shared {}: {}", key.key.as_str(), key.sentence());
        }
        let what = match key.key {
            MatchKey::Phone => "Số điện thoại",
            MatchKey::Email => "Email",
            MatchKey::CustomerCode => "Mã khách hàng",
        };
        let rows: Vec<String> = key.example_rows.iter().map(|r| self.count(*r)).collect();
        let more = if (key.example_rows.len() as u32) < key.rows {
            ", …"
        } else {
            ""
        };
        format!(
            "{what} dùng chung: “{}” ở {} dòng với {} tên khác nhau (dòng {}{more})",
            key.value,
            self.count(key.rows),
            self.count(key.names),
            rows.join(", ")
        )
    }

    /// Why a job failed, worded in this language ([`crate::job_failure`]).
    pub(super) fn failure_reason(self, reason: &str) -> String {
        match self.lang {
            Lang::En => format!("Reason: {reason}"),
            Lang::Vi => format!("Lý do: {reason}"),
        }
    }

    pub(super) fn import_report_at(self, job: i64) -> String {
        match self.lang {
            Lang::En => format!("The full report is in Profile Desk: Import report, job {job}."),
            Lang::Vi => format!(
                "Báo cáo đầy đủ nằm trong Profile Desk: Báo cáo lượt nhập, lượt nhập số {job}."
            ),
        }
    }

    /// The owner may not export: the failed rows (customers' cells) stay in the report.
    pub(super) fn failed_rows_in_report(self, failed: u32, job: i64) -> String {
        match self.lang {
            Lang::En => {
                format!("The {failed} failed rows are in Profile Desk (Import report, job {job}).")
            }
            Lang::Vi => format!(
                "{} dòng lỗi nằm trong Profile Desk (Báo cáo lượt nhập, lượt nhập số {job}).",
                self.count(failed)
            ),
        }
    }

    /// More failed rows than an administrator allows in an attachment.
    pub(super) fn failed_rows_over_cap(self, failed: u32, cap: u32, job: i64) -> String {
        let (failed, cap) = (self.count(failed), self.count(cap));
        match self.lang {
            Lang::En => format!(
                "The {failed} failed rows are more than the {cap} rows an administrator allows in an \
                 attachment: they are in Profile Desk (Import report, job {job}, Save failed \
                 rows…)."
            ),
            Lang::Vi => format!(
                "{failed} dòng lỗi nhiều hơn {cap} dòng mà quản trị viên cho phép đính kèm: các dòng \
                 này nằm trong Profile Desk (Báo cáo lượt nhập, lượt nhập số {job}, Tải xuống dòng \
                 lỗi)."
            ),
        }
    }

    /// The attachment's name: the imported file's name without its extension, then this.
    pub(super) fn failed_rows_file(self, stem: &str) -> String {
        match self.lang {
            Lang::En => format!("{stem} - failed rows.xlsx"),
            Lang::Vi => format!("{stem} - dòng lỗi.xlsx"),
        }
    }

    pub(super) fn failed_rows_attached(self, failed: u32, name: &str) -> String {
        match self.lang {
            Lang::En => {
                format!("The {failed} failed rows are attached as {name}, with the reason of each.")
            }
            Lang::Vi => format!(
                "{} dòng lỗi được đính kèm trong tệp {name}, kèm lý do của từng dòng.",
                self.count(failed)
            ),
        }
    }

    /// The failed rows' file is over the attachment limit.
    pub(super) fn failed_rows_too_big(self) -> String {
        match self.lang {
            Lang::En => {
                "The failed rows are too many to attach: download them from the report.".into()
            }
            Lang::Vi => {
                "Các dòng lỗi quá nhiều để đính kèm: hãy tải chúng xuống từ báo cáo.".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counts_name_the_rows_fixed_before_confirm_in_both_languages_only_when_there_were_any() {
        let mut c = ImportCounts {
            rows: 1200,
            created: 1195,
            failed: 5,
            ..ImportCounts::default()
        };
        let vi = Words { lang: Lang::Vi };
        let en = Words { lang: Lang::En };
        assert_eq!(
            vi.import_counts(&c),
            "1.200 dòng: 1.195 đã tạo, 0 đã cập nhật, 0 trùng lặp trong tệp, 0 cần xem xét hợp nhất, 5 lỗi."
        );
        (c.fixed, c.excluded) = (3, 2);
        assert!(vi
            .import_counts(&c)
            .ends_with("5 lỗi; 3 dòng đã sửa trước khi xác nhận, 2 dòng bỏ qua."));
        assert!(en
            .import_counts(&c)
            .ends_with("5 failed; 3 fixed before Confirm, 2 left out."));
    }
}
