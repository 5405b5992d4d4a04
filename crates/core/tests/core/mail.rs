//! Result e-mails through a real SMTP server on loopback (tests/core/smtp_sink.rs), sent by
//! lettre: the export attached (and opening as .xlsx with the right rows), over the limit a
//! location instead, a server that is down (the job stays done, the mail is marked failed, a
//! retry sends it), CR/LF in a file name, the import e-mail with its failed rows, and the
//! password kept in a keychain — never in the database — or, without one, not kept at all.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx};
use mail_parser::{MessageParser, MimeHeaders};
use pdesk_core::export::{ExportFields, ExportRequest, ExportStatus};
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource, JobStatus, JobSummary};
use pdesk_core::mail::{
    JobKind, MailReason, MailSettingsInput, MailStatus, MemorySecrets, OsKeychain, Secrets,
    SmtpSecurity,
};
use pdesk_core::model::Lang;

use crate::smtp_sink::{closed_port, SinkOptions, SmtpSink};
use crate::{test_store, TestStore};

pub(crate) const ME: &str = "lan.nguyen@example.vn";

pub(crate) fn relay(port: u16) -> MailSettingsInput {
    MailSettingsInput {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: String::new(),
        sender: "profile-desk@example.vn".into(),
        password: None,
    }
}

pub(crate) fn configured(port: u16, rows: u64) -> (TestStore, MemorySecrets) {
    let mut t = test_store();
    let secrets = MemorySecrets::default();
    t.store
        .set_mail_settings(&t.admin, &relay(port), &secrets)
        .expect("settings");
    t.store.set_my_mail_address(&t.admin, ME).expect("address");
    if rows > 0 {
        t.store.seed_demo(&t.admin, rows, 5).expect("seed");
    }
    (t, secrets)
}

pub(crate) fn background_export(t: &mut TestStore) -> pdesk_core::export::ExportJob {
    let request = ExportRequest {
        query: ListQuery::default(),
        fields: ExportFields::Displayed,
        columns: vec!["full_name".into(), "phones".into(), "city".into()],
        ids: None,
    };
    let job = t.store.queue_export(&t.admin, &request).expect("queue");
    let done = t
        .store
        .run_export(&t.admin, job.id, |_| ControlFlow::Continue(()))
        .expect("run");
    assert_eq!(
        done.status,
        ExportStatus::Done,
        "the export itself succeeds"
    );
    done
}

pub(crate) fn xlsx_rows(bytes: &[u8]) -> usize {
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("the attachment opens as .xlsx");
    let name = wb.sheet_names()[0].clone();
    wb.worksheet_range(&name).expect("sheet").height()
}

#[test]
fn the_export_email_arrives_with_the_file_attached() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 1_200);
    let job = background_export(&mut t);
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Sent, "sent: {mail:?}");
    assert_eq!(
        mail.recipient.as_deref(),
        Some(ME),
        "to the user who exported"
    );
    let got = sink.wait_for(1);
    assert_eq!(got.len(), 1, "one message reached the server");
    assert_eq!(got[0].to, [ME], "the envelope names only the user");
    assert_eq!(
        got[0].from, "profile-desk@example.vn",
        "from the configured sender"
    );
    let msg = MessageParser::default()
        .parse(&got[0].data)
        .expect("a MIME message");
    assert!(
        msg.subject()
            .unwrap_or("")
            .starts_with("Export finished: 1200 profiles"),
        "{:?}",
        msg.subject()
    );
    assert!(
        msg.body_text(0)
            .is_some_and(|t| t.contains("1200 profiles")),
        "a plain-text body"
    );
    assert!(
        msg.body_html(0).is_some_and(|h| h.contains("<p>")),
        "and an HTML body"
    );
    let attachments: Vec<_> = msg.attachments().collect();
    assert_eq!(attachments.len(), 1, "the file is attached");
    let a = attachments[0];
    assert!(
        a.attachment_name().is_some_and(|n| n.ends_with(".xlsx")),
        "named .xlsx: {:?}",
        a.attachment_name()
    );
    assert_eq!(
        a.content_type()
            .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into()),
        "typed as an Excel workbook"
    );
    assert_eq!(
        xlsx_rows(a.contents()),
        1_201,
        "the attachment holds the header and the 1,200 rows"
    );
}

#[test]
fn over_the_attachment_limit_the_email_says_where_the_file_is() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 1_200);
    rusqlite::Connection::open(t.store.path())
        .unwrap()
        .execute(
            "UPDATE settings SET value = '10000' WHERE key = 'limits.mail_attachment_bytes'",
            [],
        )
        .unwrap();
    let job = background_export(&mut t);
    assert!(
        job.file_bytes.unwrap() > 10_000,
        "the file is larger than the limit"
    );
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Sent, "{mail:?}");
    let got = sink.wait_for(1);
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    assert_eq!(
        msg.attachments().count(),
        0,
        "nothing attached over the limit"
    );
    let text = msg.body_text(0).expect("text").into_owned();
    let path = job.path.clone().expect("path");
    assert!(
        text.contains(&path),
        "the e-mail says where the file is saved: {text}"
    );
    assert!(
        text.contains("attachment limit"),
        "and why it is not attached: {text}"
    );
}

#[test]
fn a_server_that_is_down_fails_the_mail_not_the_export_and_a_retry_sends_it() {
    let (mut t, secrets) = configured(closed_port(), 1_100);
    let job = background_export(&mut t);
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(
        mail.status,
        MailStatus::Failed,
        "the e-mail failed: {mail:?}"
    );
    assert!(
        mail.detail
            .as_deref()
            .is_some_and(|d| d.contains("127.0.0.1:") && d.contains("could not be reached")),
        "the reason names the server: {mail:?}"
    );
    let still = t.store.export_job(&t.admin, job.id).expect("job");
    assert_eq!(still.status, ExportStatus::Done, "the export stays done");
    assert_eq!(
        t.store.job_mail(JobKind::Export, job.id).unwrap(),
        Some(mail.clone()),
        "the failure is recorded on the job"
    );

    let sink = SmtpSink::start();
    t.store
        .set_mail_settings(&t.admin, &relay(sink.port), &secrets)
        .expect("settings");
    let retried = t
        .store
        .retry_job_mail(&t.admin, JobKind::Export, job.id, &secrets)
        .expect("retry");
    assert_eq!(
        retried.status,
        MailStatus::Sent,
        "the retry sends it: {retried:?}"
    );
    assert_eq!(retried.attempts, 2, "two attempts recorded");
    assert_eq!(sink.wait_for(1).len(), 1, "it arrived");
}

#[test]
fn starttls_required_is_not_downgraded_by_a_plain_server() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 1_100);
    let mut s = relay(sink.port);
    s.security = SmtpSecurity::StartTls;
    s.host = "localhost".into();
    t.store
        .set_mail_settings(&t.admin, &s, &secrets)
        .expect("settings");
    let job = background_export(&mut t);
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(
        mail.status,
        MailStatus::Failed,
        "a server without STARTTLS gets nothing: {mail:?}"
    );
    assert!(sink.messages().is_empty(), "no message was sent in clear");
}

pub(crate) fn fixture_copy(dir: &Path, name: &str) -> PathBuf {
    let src = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("../../tests/e2e/fixtures/customers-300.xlsx");
    let dest = dir.join(name);
    std::fs::copy(src, &dest).expect("copy the fixture");
    dest
}

/// Imports `file` as the administrator with the mapping the import suggests, to the end.
fn import_file(t: &mut TestStore, file: &Path) -> JobSummary {
    let preview = t.store.preview_file(&t.admin, file).expect("preview");
    let settings = ImportSettings::suggested(preview);
    let id = t
        .store
        .queue_import(&t.admin, &ImportSource::File(file.to_path_buf()), &settings)
        .expect("queue");
    t.store
        .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
        .expect("run")
}

#[test]
fn the_import_email_has_the_counts_and_the_failed_rows_and_a_crlf_file_name_adds_no_header() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    let file = fixture_copy(
        t.dir.path(),
        "khach\r\nBcc: evil@example.com\r\nX-Evil: 1.xlsx",
    );
    let job = import_file(&mut t, &file);
    assert_eq!(job.status, JobStatus::Done, "imported");
    let mail = t.store.send_import_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Sent, "{mail:?}");
    let got = sink.wait_for(1);
    assert_eq!(got.len(), 1, "one message");
    assert_eq!(
        got[0].to,
        [ME],
        "the envelope has only the user: no Bcc was injected"
    );
    let raw = String::from_utf8_lossy(&got[0].data);
    let headers = &raw[..raw.find("\r\n\r\n").expect("header block")];
    for line in headers.split("\r\n") {
        assert!(
            !line.to_ascii_lowercase().starts_with("bcc:") && !line.starts_with("X-Evil"),
            "no header from the file name: {line:?}"
        );
    }
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    assert!(msg.bcc().is_none(), "no Bcc");
    let subject = msg.subject().unwrap_or("");
    assert!(
        subject.contains("khach Bcc: evil@example.com X-Evil: 1.xlsx"),
        "the name sits on one line of the subject: {subject:?}"
    );
    let text = msg.body_text(0).expect("text").into_owned();
    assert!(
        text.contains("290 created") && text.contains("5 failed"),
        "the counts: {text}"
    );
    assert!(
        text.contains(&format!("job {}", job.id)),
        "where the report is: {text}"
    );
    let a: Vec<_> = msg.attachments().collect();
    assert_eq!(a.len(), 1, "the failed rows are attached");
    assert!(
        a[0].attachment_name()
            .is_some_and(|n| n.ends_with("failed rows.xlsx") && !n.contains('\n')),
        "{:?}",
        a[0].attachment_name()
    );
    assert_eq!(xlsx_rows(a[0].contents()), 6, "header + the 5 failed rows");
}

#[test]
fn the_import_email_says_what_each_guard_of_the_rule_did() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    let file = t.dir.path().join("danh-sach-khach.xlsx");
    std::fs::copy(
        Path::new(
            &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
        )
        .join("tests/fixtures/realistic-customers-openpyxl.xlsx"),
        &file,
    )
    .expect("copy the fixture");
    let job = import_file(&mut t, &file);
    let id = job.id;
    assert_eq!(
        t.store.send_import_mail(&job, &secrets).status,
        MailStatus::Sent
    );
    let got = sink.wait_for(1);
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    let text = msg.body_text(0).expect("text").into_owned();
    for expected in [
        "42 rows hold a value the file shares among many people: not used for matching",
        "4 blocked values",
        "in 42 rows with 42 different names (rows ",
    ] {
        assert!(text.contains(expected), "{expected:?} in: {text}");
    }

    // The same e-mail for a user who reads Vietnamese.
    t.store.set_my_lang(&t.admin, Lang::Vi).expect("vi");
    t.store
        .retry_job_mail(&t.admin, JobKind::Import, id, &secrets)
        .expect("sent again");
    let got = sink.wait_for(2);
    let msg = MessageParser::default().parse(&got[1].data).expect("MIME");
    let text = msg.body_text(0).expect("text").into_owned();
    for expected in [
        "42 dòng có giá trị mà nhiều người trong tệp dùng chung: không dùng để đối chiếu.",
        "4 giá trị bị chặn (như 0000000000 hoặc n/a) đã bị bỏ.",
        " dùng chung: “",
        "” ở 42 dòng với 42 tên khác nhau (dòng ",
    ] {
        assert!(text.contains(expected), "{expected:?} in: {text}");
    }
}

#[test]
fn nobody_to_send_to_is_recorded_as_skipped() {
    let mut t = test_store();
    let secrets = MemorySecrets::default();
    t.store.seed_demo(&t.admin, 1_001, 1).expect("seed");
    let job = background_export(&mut t);
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(
        mail.status,
        MailStatus::Skipped,
        "no SMTP server configured"
    );
    assert!(
        mail.detail
            .as_deref()
            .is_some_and(|d| d.contains("not set up")),
        "{mail:?}"
    );
    t.store
        .set_mail_settings(&t.admin, &relay(closed_port()), &secrets)
        .expect("settings");
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Skipped, "no address for the user");
    assert!(
        mail.detail
            .as_deref()
            .is_some_and(|d| d.contains("no e-mail address")),
        "{mail:?}"
    );
    let e = t
        .store
        .set_my_mail_address(&t.admin, "not an address")
        .unwrap_err();
    assert_eq!(e.code(), "validation", "{e}");
}

fn database_bytes(t: &TestStore) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal"] {
        if let Ok(b) = std::fs::read(format!("{}{suffix}", t.store.path().display())) {
            all.extend(b);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn the_password_goes_to_the_keychain_and_never_into_the_database() {
    const PASSWORD: &str = "s3cret-Pa55word!";
    let sink = SmtpSink::start_with(SinkOptions {
        auth: Some(("mailer".into(), PASSWORD.into())),
        ..SinkOptions::default()
    });
    let (mut t, secrets) = configured(sink.port, 1_050);
    let saved = t
        .store
        .set_mail_settings(
            &t.admin,
            &MailSettingsInput {
                username: "mailer".into(),
                password: Some(PASSWORD.into()),
                ..relay(sink.port)
            },
            &secrets,
        )
        .expect("settings");
    assert!(saved.warning.is_none(), "a keychain is there: {saved:?}");
    assert!(saved.settings.has_password, "the password is stored");
    assert_eq!(
        secrets.get("smtp:mailer@127.0.0.1").unwrap().as_deref(),
        Some(PASSWORD),
        "in the keychain"
    );
    assert!(
        !contains(&database_bytes(&t), PASSWORD),
        "not in the database file or its WAL"
    );
    let audit: String = rusqlite::Connection::open(t.store.path())
        .unwrap()
        .query_row(
            "SELECT details FROM audit_log WHERE action = 'settings.mail' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("the change is audited");
    assert!(
        audit.contains("\"password\":\"changed\"") && !audit.contains(PASSWORD),
        "audited without the password: {audit}"
    );

    let job = background_export(&mut t);
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(
        mail.status,
        MailStatus::Sent,
        "signed in with the keychain's password: {mail:?}"
    );
    assert_eq!(
        sink.wait_for(1)[0].auth_user.as_deref(),
        Some("mailer"),
        "the server saw the sign-in"
    );

    let kept = t
        .store
        .set_mail_settings(
            &t.admin,
            &MailSettingsInput {
                username: "mailer".into(),
                ..relay(sink.port)
            },
            &secrets,
        )
        .expect("save without a password");
    assert!(
        kept.settings.has_password,
        "no password typed: the stored one is kept"
    );
    let removed = t
        .store
        .set_mail_settings(
            &t.admin,
            &MailSettingsInput {
                username: "mailer".into(),
                password: Some(String::new()),
                ..relay(sink.port)
            },
            &secrets,
        )
        .expect("remove");
    assert!(
        !removed.settings.has_password,
        "an empty password removes it"
    );
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(
        (mail.status, mail.reason),
        (MailStatus::Skipped, Some(MailReason::KeychainUnavailable)),
        "the server needs a password now missing: not sent, no server asked"
    );
    assert!(
        mail.detail
            .as_deref()
            .is_some_and(|d| d.contains("No password is stored")),
        "{mail:?}"
    );
}

#[test]
fn without_a_keychain_the_password_is_refused_with_a_reason_and_not_stored() {
    // No Secret Service on this bus address: the situation of a headless Linux machine.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/pdesk-test-bus",
    );
    let keychain = OsKeychain::new("com.profiledesk.app.test");
    let status = keychain.status();
    if status.available {
        // A real keychain answered (a desktop session): the refusal path cannot be shown here.
        eprintln!("a keychain is available on this machine; skipping the no-keychain path");
        return;
    }
    assert!(
        status
            .message
            .as_deref()
            .is_some_and(|m| m.contains("No keychain is available")),
        "the status says so: {status:?}"
    );
    const PASSWORD: &str = "plain-text-never-9f3b";
    let mut t = test_store();
    let saved = t
        .store
        .set_mail_settings(
            &t.admin,
            &MailSettingsInput {
                username: "mailer".into(),
                password: Some(PASSWORD.into()),
                ..relay(2525)
            },
            &keychain,
        )
        .expect("the other settings are saved");
    let warning = saved.warning.clone().unwrap_or_default();
    assert!(
        warning.contains("cannot be stored safely and was not stored"),
        "the user is told: {warning}"
    );
    assert!(!saved.settings.has_password, "no password stored");
    assert!(
        !saved.settings.keychain.available,
        "the settings say there is no keychain"
    );
    assert!(
        !contains(&database_bytes(&t), PASSWORD),
        "the password is not in the database in plain text either"
    );
    let settings = t
        .store
        .mail_settings(&t.admin, &keychain)
        .expect("read back");
    assert_eq!(
        (
            settings.host.as_str(),
            settings.port,
            settings.username.as_str()
        ),
        ("127.0.0.1", 2525, "mailer"),
        "the rest is kept"
    );
}

#[test]
fn the_test_email_is_for_administrators_and_arrives() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    t.store
        .send_test_mail(&t.admin, ME, &secrets)
        .expect("sent");
    let got = sink.wait_for(1);
    assert_eq!(got.len(), 1, "the test e-mail arrived");
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    assert_eq!(
        msg.subject(),
        Some("Profile Desk test e-mail"),
        "its subject"
    );
    let sales = t.store.add_user(&t.admin, "sa", "Sales").expect("sales");
    let e = t.store.send_test_mail(&sales, ME, &secrets).unwrap_err();
    assert_eq!(e.code(), "permission", "{e}");
    let e = t.store.mail_settings(&sales, &secrets).unwrap_err();
    assert_eq!(
        e.code(),
        "permission",
        "sales cannot read the SMTP settings: {e}"
    );
    let e = t
        .store
        .set_mail_settings(
            &t.admin,
            &MailSettingsInput {
                sender: "nope".into(),
                ..relay(25)
            },
            &secrets,
        )
        .unwrap_err();
    assert_eq!(e.code(), "validation", "{e}");
    assert!(
        e.to_string().contains("“nope” is not an e-mail address"),
        "{e}"
    );
}

#[test]
fn no_encryption_is_only_for_a_server_on_this_computer() {
    let mut t = test_store();
    let secrets = MemorySecrets::default();
    for host in ["smtp.example.com", "10.0.0.5"] {
        let input = MailSettingsInput {
            host: host.into(),
            ..relay(25)
        };
        let err = t
            .store
            .set_mail_settings(&t.admin, &input, &secrets)
            .expect_err("plain SMTP to another computer");
        let text = format!("{err:?}");
        assert!(
            text.contains("encryptionRequired") && text.contains("choose STARTTLS or TLS"),
            "{host}: {text}"
        );
    }
    for host in ["127.0.0.1", "localhost", "::1"] {
        let input = MailSettingsInput {
            host: host.into(),
            ..relay(25)
        };
        t.store
            .set_mail_settings(&t.admin, &input, &secrets)
            .unwrap_or_else(|e| panic!("{host} is this computer: {e}"));
    }
    // Settings stored before this rule (written behind the app's back here) send nothing.
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    conn.execute(
        "UPDATE settings SET value = 'smtp.example.com' WHERE key = 'mail.host'",
        [],
    )
    .unwrap();
    drop(conn);
    let err = t
        .store
        .send_test_mail(&t.admin, ME, &secrets)
        .expect_err("refused before connecting");
    assert!(err.to_string().contains("choose STARTTLS or TLS"), "{err}");
    assert_eq!(
        (err.code(), err.details()),
        ("conflict", serde_json::json!({ "reason": "notConfigured" })),
        "the reason travels as a code, for the UI to word it in its language"
    );
}

#[test]
fn every_e_mail_sent_is_audited_with_its_recipient_and_rows() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 30);
    let job = background_export(&mut t);
    assert_eq!(
        t.store.send_export_mail(&job, &secrets).status,
        MailStatus::Sent
    );
    let entries = t
        .store
        .audit_entries(&t.admin, &Default::default())
        .unwrap()
        .entries;
    let sent = entries
        .iter()
        .find(|e| e.action == "mail.sent")
        .expect("the e-mail is audited");
    assert!(
        sent.details.contains(ME) && sent.details.contains("\"attachedRows\":30"),
        "recipient and rows: {sent:?}"
    );
}

/// The message the sink holds at `index`, parsed: its subject and plain-text body (lines
/// ending in `\n`, as the e-mail was written; SMTP carries them as CRLF).
fn subject_and_text(sink: &SmtpSink, index: usize) -> (String, String) {
    let got = sink.wait_for(index + 1);
    let msg = MessageParser::default()
        .parse(&got[index].data)
        .expect("MIME");
    (
        msg.subject().unwrap_or("").to_string(),
        msg.body_text(0).expect("text").replace("\r\n", "\n"),
    )
}

#[test]
fn the_export_email_is_in_the_language_of_the_user_who_exported_and_english_is_unchanged() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 1_200);
    let job = background_export(&mut t);
    let name = job.file_name().expect("a file name");
    t.store.set_my_lang(&t.admin, Lang::Vi).expect("vi");
    assert_eq!(
        t.store.send_export_mail(&job, &secrets).status,
        MailStatus::Sent
    );
    let (subject, text) = subject_and_text(&sink, 0);
    assert_eq!(
        subject,
        format!("Đã xuất xong 1.200 hồ sơ — {name}"),
        "a Vietnamese subject, the count written the Vietnamese way"
    );
    assert_eq!(
        text,
        format!(
            "Tệp xuất 1.200 hồ sơ của bạn đã sẵn sàng.\n\nBộ lọc: Tất cả hồ sơ\n\nTệp {name} được \
             đính kèm trong email này.\n\n— Profile Desk\n"
        ),
        "every sentence in Vietnamese, the filter too"
    );

    t.store.set_my_lang(&t.admin, Lang::En).expect("en");
    t.store
        .retry_job_mail(&t.admin, JobKind::Export, job.id, &secrets)
        .expect("sent again");
    let (subject, text) = subject_and_text(&sink, 1);
    assert_eq!(subject, format!("Export finished: 1200 profiles — {name}"));
    assert_eq!(
        text,
        format!(
            "Your export of 1200 profiles is ready.\n\nFilter: All profiles\n\nThe file {name} is \
             attached.\n\n— Profile Desk\n"
        ),
        "the English e-mail word for word as before"
    );
}

#[test]
fn over_the_row_cap_the_vietnamese_export_email_says_where_the_file_is() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 1_200);
    t.store
        .set_mail_policy(
            &t.admin,
            &pdesk_core::mail::MailPolicy {
                allowed_domains: Vec::new(),
                attachment_rows: 1_000,
            },
        )
        .expect("a cap of 1,000 rows");
    t.store.set_my_lang(&t.admin, Lang::Vi).expect("vi");
    let job = background_export(&mut t);
    assert_eq!(
        t.store.send_export_mail(&job, &secrets).status,
        MailStatus::Sent
    );
    let (_, text) = subject_and_text(&sink, 0);
    let path = job.path.clone().expect("path");
    assert!(
        text.contains(&format!(
            "Tệp có 1.200 dòng, nhiều hơn 1.000 dòng mà quản trị viên cho phép đính kèm, nên không \
             được đính kèm. Tệp được lưu trên máy tính này tại {path}"
        )),
        "{text}"
    );
}

#[test]
fn the_import_email_and_its_failed_rows_are_in_the_language_of_the_user_who_imported() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    t.store.set_my_lang(&t.admin, Lang::Vi).expect("vi");
    let file = fixture_copy(t.dir.path(), "khach-hang.xlsx");
    let job = import_file(&mut t, &file);
    let id = job.id;
    assert_eq!(
        t.store.send_import_mail(&job, &secrets).status,
        MailStatus::Sent
    );
    let got = sink.wait_for(1);
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    assert_eq!(msg.subject(), Some("Đã nhập xong: khach-hang.xlsx"));
    let text = msg.body_text(0).expect("text").into_owned();
    let report =
        format!("Báo cáo đầy đủ nằm trong Profile Desk: Báo cáo lượt nhập, lượt nhập số {id}.");
    for sentence in [
        "Lượt nhập khach-hang.xlsx đã hoàn tất.",
        "300 dòng: 290 đã tạo, 0 đã cập nhật, 5 trùng lặp trong tệp, 0 cần xem xét hợp nhất, 5 lỗi.",
        report.as_str(),
        "5 dòng lỗi được đính kèm trong tệp khach-hang - dòng lỗi.xlsx, kèm lý do của từng dòng.",
    ] {
        assert!(text.contains(sentence), "{sentence:?} in: {text}");
    }
    assert!(
        !text.contains("created") && !text.contains("failed"),
        "no English left: {text}"
    );
    let a: Vec<_> = msg.attachments().collect();
    assert_eq!(
        a[0].attachment_name(),
        Some("khach-hang - dòng lỗi.xlsx"),
        "the attachment is named in Vietnamese"
    );
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(a[0].contents().to_vec())).expect("an .xlsx");
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header.last().map(String::as_str),
        Some("Lý do"),
        "the reason column is headed in Vietnamese: {header:?}"
    );
    let reasons: Vec<String> = range
        .rows()
        .skip(1)
        .map(|r| r.last().map(|c| c.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(reasons.len(), 5);
    assert!(
        reasons
            .iter()
            .all(|r| r.contains("không") && !r.contains(" is ")),
        "each row's reason is said in Vietnamese: {reasons:?}"
    );
}

#[test]
fn a_failed_imports_email_gives_the_reason_in_the_language_of_the_user_who_imported() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    t.store.set_my_lang(&t.admin, Lang::Vi).expect("vi");
    let file = fixture_copy(t.dir.path(), "khach-hang.xlsx");
    let preview = t.store.preview_file(&t.admin, &file).expect("preview");
    let id = t
        .store
        .queue_import(
            &t.admin,
            &ImportSource::File(file.clone()),
            &ImportSettings::suggested(preview),
        )
        .expect("queue");
    // The file is saved again between Confirm and the job's start.
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend_from_slice(b"\0");
    std::fs::write(&file, bytes).unwrap();
    let job = t
        .store
        .run_job(&t.admin, id, |_| ControlFlow::Continue(()))
        .unwrap_or_else(|_| t.store.job(&t.admin, id).expect("the job"));
    assert_eq!(job.status, JobStatus::Failed, "{job:?}");
    assert_eq!(
        t.store.send_import_mail(&job, &secrets).status,
        MailStatus::Sent
    );
    let got = sink.wait_for(1);
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    assert_eq!(msg.subject(), Some("Lượt nhập thất bại: khach-hang.xlsx"));
    let text = msg.body_text(0).expect("text").into_owned();
    assert!(
        text.contains(
            "Lý do: khach-hang.xlsx đã thay đổi sau khi bạn xác nhận nhập: không có gì từ tệp \
             đã thay đổi được nhập."
        ),
        "{text}"
    );
    assert!(!text.contains("changed after"), "no English left: {text}");
}

#[test]
fn the_test_email_is_in_the_language_of_the_administrator_who_sends_it() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    t.store.set_my_lang(&t.admin, Lang::Vi).expect("vi");
    t.store
        .send_test_mail(&t.admin, ME, &secrets)
        .expect("sent");
    let (subject, text) = subject_and_text(&sink, 0);
    assert_eq!(subject, "Email thử từ Profile Desk");
    assert_eq!(
        text,
        "Đây là email thử từ Profile Desk: cài đặt email đã hoạt động.\n\nKết quả nhập và xuất dữ \
         liệu sẽ được gửi đến giống như email này.\n\n— Profile Desk\n"
    );
}
