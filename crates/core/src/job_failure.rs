//! Why a job failed, as the core says it outside the app's window: in the job's result e-mail
//! and the OS notification, in the language of the user they are for.
//!
//! A failed job keeps its error as data (`error_code`, `error_details`: `{ reason, ...params }`,
//! migration 0026) beside the English sentence (`error`, the CLI's). The app's window words it
//! from the UI's catalogue (`ui/src/shell/reasons.ts`); the e-mail and the notification are
//! written by the core, so the reasons a job ends on are worded here in Vietnamese too (keep
//! them saying what the catalogue's `said` entries say). A reason without words here (a
//! refusal a job rarely meets: the file's checks ran before Confirm) keeps the English
//! sentence — never a blank.

use crate::model::{count_in, Lang};

/// The failure in `lang`, from the stored sentence (`message`) and details.
pub(crate) fn failure_text(lang: Lang, message: &str, details: &serde_json::Value) -> String {
    match lang {
        Lang::En => message.to_string(),
        Lang::Vi => vi(details).unwrap_or_else(|| message.to_string()),
    }
}

/// A stored job's failure (`error`, `error_details`) in `lang`; `None` without an error.
pub(crate) fn stored_failure(
    lang: Lang,
    error: Option<&str>,
    details: &serde_json::Value,
) -> Option<String> {
    error.map(|message| failure_text(lang, message, details))
}

fn vi(d: &serde_json::Value) -> Option<String> {
    let text = |key: &str| d.get(key)?.as_str().map(str::to_string);
    let number = |key: &str| d.get(key)?.as_u64();
    Some(match d.get("reason")?.as_str()? {
        "fileChanged" => format!(
            "{} đã thay đổi sau khi bạn xác nhận nhập: không có gì từ tệp đã thay đổi được nhập. \
             Hãy tải tệp lên lại để nhập nội dung hiện có của tệp",
            text("file")?
        ),
        "fileUnreadable" => format!("Không đọc được {}: {}", text("path")?, text("detail")?),
        "fileBeingWritten" => format!(
            "Một Profile Desk khác đang ghi {}; hãy thử lại khi quá trình đó kết thúc",
            text("path")?
        ),
        "jobPanicked" => {
            let noun = if text("job")? == "export" {
                "lượt xuất"
            } else {
                "lượt nhập"
            };
            format!(
                "Profile Desk đã dừng {noun} này do lỗi nội bộ ({}); tiến trình xử lý đã được \
                 khởi động lại. Hãy chạy lại {noun}; nếu lại dừng, hãy gửi thông báo này cho bộ \
                 phận hỗ trợ.",
                text("what")?
            )
        }
        "jobPausedDiskFault" => {
            let rows = count_in(Lang::Vi, number("rows")?);
            format!(
                "Lượt nhập {} đã dừng sau dòng {rows}: ổ đĩa đầy hoặc bị lỗi ({}). Các dòng trước \
                 đó đã được lưu. Hãy giải phóng dung lượng ổ đĩa (hoặc kiểm tra ổ đĩa), rồi chạy \
                 lại lượt nhập: lượt nhập sẽ tiếp tục sau dòng {rows}.",
                number("id")?,
                text("detail")?
            )
        }
        "exportInterrupted" => "Profile Desk đã dừng khi đang ghi tệp".into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_failed_jobs_reason_is_said_in_vietnamese_from_its_details() {
        let details =
            json!({ "reason": "fileChanged", "file": "khach-hang.xlsx", "before": 10, "now": 12 });
        assert!(failure_text(Lang::Vi, "English", &details)
            .starts_with("khach-hang.xlsx đã thay đổi sau khi bạn xác nhận nhập"));
        assert_eq!(failure_text(Lang::En, "English", &details), "English");
        let paused = json!({ "reason": "jobPausedDiskFault", "id": 4, "rows": 12000, "detail": "No space left on device" });
        assert!(failure_text(Lang::Vi, "English", &paused)
            .starts_with("Lượt nhập 4 đã dừng sau dòng 12.000: ổ đĩa đầy hoặc bị lỗi"));
    }

    #[test]
    fn a_reason_without_words_or_params_keeps_the_english_sentence() {
        for details in [
            serde_json::Value::Null,
            json!({ "reason": "somethingNew" }),
            json!({ "reason": "fileChanged" }),
        ] {
            assert_eq!(
                failure_text(Lang::Vi, "The English sentence", &details),
                "The English sentence"
            );
        }
    }
}
