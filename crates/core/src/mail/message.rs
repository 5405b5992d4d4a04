//! The result e-mails: plain text plus escaped HTML, the file attached or where it is, header
//! values from data made safe — and sending them over lettre with the stored settings.

use std::path::Path;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::job_mail::{JobKind, JobMail, MailReason, NotSent};
use super::secret_key;
use super::settings::SmtpSecurity;
use super::text::Words;
use crate::error::{Error, Result};
use crate::export::{ExportJob, ExportStatus};
use crate::jobs::{ImportCounts, JobSummary};
use crate::keychain::Secrets;
use crate::store::Store;

/// How long one SMTP command may take before the send fails (a dead relay must not hang a
/// worker).
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// A header value from data: control characters (CR, LF, tab…) become spaces, runs of spaces
/// one, and it is cut to a sensible length.
pub fn header_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_control() || c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.trim_end().chars().take(200).collect()
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One e-mail: subject, lines of plain text (each also a paragraph of the HTML part), and an
/// optional attachment.
pub(super) struct Mail {
    pub(super) subject: String,
    pub(super) lines: Vec<String>,
    pub(super) attachment: Option<(String, Vec<u8>)>,
    /// The user the e-mail is sent for (its audit entry's actor).
    pub(super) owner: String,
    /// How many rows of customer data the attachment holds (audited with the recipient).
    pub(super) attached_rows: u64,
}

/// A server on this computer: the only one an e-mail may reach without encryption.
pub(super) fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Why an unencrypted connection to `host` is refused (e-mails carry customers' data).
pub(super) fn plain_refusal(host: &str) -> String {
    format!(
        "E-mails carry customers' data: choose STARTTLS or TLS for {host} (only a server on \
         this computer, localhost, may be used without encryption)"
    )
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn build_message(sender: &str, to: &str, mail: &Mail) -> Result<Message> {
    let from: Mailbox = sender.parse().map_err(|e| {
        Error::conflict(
            "badSenderAddress",
            serde_json::json!({ "address": sender, "detail": format!("{e}") }),
            format!("The sender address “{sender}” is not an e-mail address: {e}"),
        )
    })?;
    let to: Mailbox = to.parse().map_err(|e| {
        Error::conflict(
            "badRecipientAddress",
            serde_json::json!({ "address": to, "detail": format!("{e}") }),
            format!("“{to}” is not an e-mail address: {e}"),
        )
    })?;
    let text = format!("{}\n\n— Profile Desk\n", mail.lines.join("\n\n"));
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\">{}<p style=\"color:#5f6b7a\">— Profile Desk</p></body></html>",
        mail.lines
            .iter()
            .map(|l| format!("<p>{}</p>", html_escape(l)))
            .collect::<String>()
    );
    let body = MultiPart::alternative_plain_html(text, html);
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(header_safe(&mail.subject));
    let message = match &mail.attachment {
        None => builder.multipart(body),
        Some((name, bytes)) => builder.multipart(
            MultiPart::mixed().multipart(body).singlepart(
                Attachment::new(header_safe(name)).body(
                    bytes.clone(),
                    ContentType::parse(XLSX_TYPE)
                        .map_err(|e| Error::Internal(format!("content type: {e}")))?,
                ),
            ),
        ),
    };
    message.map_err(|e| Error::Internal(format!("building the e-mail: {e}")))
}

/// Turns lettre's errors into a sentence naming the server, what went wrong and its message.
fn smtp_error(host: &str, port: u16, e: lettre::transport::smtp::Error) -> NotSent {
    let (reason, what) = if e.is_permanent() {
        (MailReason::ServerRefused, "refused the e-mail")
    } else if e.is_transient() {
        (MailReason::ServerRefused, "could not take the e-mail now")
    } else if e.is_tls() {
        (
            MailReason::ServerUnreachable,
            "could not set up a secure connection",
        )
    } else if e.is_timeout() {
        (MailReason::ServerUnreachable, "did not answer in time")
    } else {
        (MailReason::ServerUnreachable, "could not be reached")
    };
    (reason, format!("The SMTP server {host}:{port} {what}: {e}"))
}

impl Store {
    /// Sends one e-mail with the stored settings; why it was not sent is a conflict.
    pub(super) fn send(&self, to: &str, mail: &Mail, secrets: &dyn Secrets) -> Result<()> {
        self.send_or_why(to, mail, secrets)?
            .map_err(|(reason, why)| Error::MailNotSent {
                reason: reason.as_str(),
                message: why,
            })
    }

    /// Sends one e-mail with the stored settings, or says why not (`Err` inside): set-up
    /// problems before any server is asked, and the server's own answer.
    pub(super) fn send_or_why(
        &self,
        to: &str,
        mail: &Mail,
        secrets: &dyn Secrets,
    ) -> Result<std::result::Result<(), NotSent>> {
        let s = self.stored_mail_settings(secrets)?;
        if s.host.is_empty() {
            return Ok(Err((
                MailReason::NotConfigured,
                "E-mail is not set up: an administrator enters the SMTP server in Settings → E-mail"
                    .into(),
            )));
        }
        if s.security == SmtpSecurity::None && !is_loopback(&s.host) {
            return Ok(Err((MailReason::NotConfigured, plain_refusal(&s.host))));
        }
        let message = build_message(&s.sender, to, mail)?;
        let builder = match s.security {
            SmtpSecurity::None => SmtpTransport::builder_dangerous(&s.host),
            SmtpSecurity::StartTls | SmtpSecurity::Tls => {
                let tls = match TlsParameters::new(s.host.clone()) {
                    Ok(tls) => tls,
                    Err(e) => return Ok(Err(smtp_error(&s.host, s.port, e))),
                };
                let tls = if s.security == SmtpSecurity::Tls {
                    Tls::Wrapper(tls)
                } else {
                    Tls::Required(tls)
                };
                SmtpTransport::builder_dangerous(&s.host).tls(tls)
            }
        };
        let mut builder = builder.port(s.port).timeout(Some(SMTP_TIMEOUT));
        if !s.username.is_empty() {
            let password = match secrets.get(&secret_key(&s.username, &s.host)) {
                Ok(Some(p)) => p,
                Ok(None) => {
                    return Ok(Err((
                        MailReason::KeychainUnavailable,
                        format!(
                            "No password is stored for {} on {}: enter it in Settings → E-mail",
                            s.username, s.host
                        ),
                    )))
                }
                Err(e) => return Ok(Err((MailReason::KeychainUnavailable, e.to_string()))),
            };
            builder = builder.credentials(Credentials::new(s.username.clone(), password));
        }
        Ok(builder
            .build()
            .send(&message)
            .map(|_| ())
            .map_err(|e| smtp_error(&s.host, s.port, e)))
    }

    /// Sends (or records why it did not send) the e-mail of a finished export: the file
    /// attached, or — over the attachment limit — where it is. Never fails: the outcome is
    /// recorded on the export and returned.
    pub fn send_export_mail(&self, job: &ExportJob, secrets: &dyn Secrets) -> JobMail {
        let outcome = (|| -> Result<JobMail> {
            if job.status != ExportStatus::Done {
                return self.record_not_sent(
                    JobKind::Export,
                    job.id,
                    None,
                    (
                        MailReason::JobNotFinished,
                        "The export did not finish: there is no file to send".into(),
                    ),
                );
            }
            let to = match self.mail_recipient(&job.created_by)? {
                Ok(to) => to,
                Err(not_sent) => {
                    return self.record_not_sent(JobKind::Export, job.id, None, not_sent)
                }
            };
            let words = Words {
                lang: self.lang_of(&job.created_by)?,
            };
            let path = job.path.clone().unwrap_or_default();
            let name = job.file_name().unwrap_or_else(|| "export.xlsx".into());
            let size = job.file_bytes.unwrap_or(0);
            let limit = self.limits_config()?.mail_attachment_bytes;
            let row_cap = self.stored_mail_policy()?.attachment_rows;
            let rows = pdesk_normalize::display::count(job.rows_done.into());
            let mut lines = vec![
                words.export_ready(job.rows_done),
                words.export_filter(&self.export_description_in(job, words.lang)?),
            ];
            let (attachment, detail) = if job.rows_done > row_cap {
                lines.push(words.export_over_row_cap(job.rows_done, row_cap, &path));
                (
                    None,
                    format!(
                        "without the file (its {rows} rows are over the attachment cap); it is at {path}"
                    ),
                )
            } else if size <= limit {
                lines.push(words.export_attached(&name));
                (
                    Some((name.clone(), std::fs::read(&path)?)),
                    format!("with {name} attached"),
                )
            } else {
                lines.push(words.export_over_size(size, limit, &path));
                (
                    None,
                    format!("without the file (over the attachment limit); it is at {path}"),
                )
            };
            let attached_rows = if attachment.is_some() {
                job.rows_done.into()
            } else {
                0
            };
            let mail = Mail {
                subject: words.export_subject(job.rows_done, &name),
                lines,
                attachment,
                owner: job.created_by.clone(),
                attached_rows,
            };
            self.deliver(JobKind::Export, job.id, &to, &mail, &detail, secrets)
        })();
        self.settle_mail(JobKind::Export, job.id, outcome)
    }

    /// Sends (or records why it did not send) the e-mail of a finished import: the file, the
    /// counts, where to find the report, and the failed rows as .xlsx when they fit the
    /// attachment limit. Never fails: the outcome is recorded on the job and returned.
    pub fn send_import_mail(&self, job: &JobSummary, secrets: &dyn Secrets) -> JobMail {
        let outcome = (|| -> Result<JobMail> {
            let to = match self.mail_recipient(&job.created_by)? {
                Ok(to) => to,
                Err(not_sent) => {
                    return self.record_not_sent(JobKind::Import, job.id, None, not_sent)
                }
            };
            let c = &job.counts;
            let lang = self.lang_of(&job.created_by)?;
            let words = Words { lang };
            let counted = ImportCounts {
                rows: c.rows.max(job.rows_done),
                ..c.clone()
            };
            let mut lines = vec![
                words.import_outcome(job.status, &job.file_name),
                words.import_counts(&counted),
            ];
            lines.extend(words.import_guards(c));
            for key in job.shared_keys.iter().filter(|k| !k.used_anyway).take(5) {
                lines.push(words.import_shared_key(key));
            }
            if let Some(e) = job.error_in(lang) {
                lines.push(words.failure_reason(&e));
            }
            lines.push(words.import_report_at(job.id));
            let row_cap = self.stored_mail_policy()?.attachment_rows;
            let mut attachment = None;
            let mut detail = "with the counts".to_string();
            let owner = self.actor(Some(&job.created_by))?;
            if c.failed > 0 && !owner.can(crate::auth::Permission::ProfileExport) {
                // Failed rows are customers' cells: attached only for whom may export them.
                lines.push(words.failed_rows_in_report(c.failed, job.id));
            } else if c.failed > row_cap {
                // Over the administrator's cap: the rows stay on this computer, in the report.
                lines.push(words.failed_rows_over_cap(c.failed, row_cap, job.id));
                detail = "with the counts (the failed rows are over the attachment cap)".into();
            } else if c.failed > 0 {
                let dir = self.exports_dir();
                crate::store::private_file::create_dir_all(&dir)?;
                let file = dir.join(format!("import-{}-failed-rows.xlsx", job.id));
                self.write_failed_rows(&owner, job.id, &file, lang)?;
                let size = std::fs::metadata(&file)?.len();
                if size <= self.limits_config()?.mail_attachment_bytes {
                    let stem = Path::new(&job.file_name)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "import".into());
                    let name = words.failed_rows_file(&stem);
                    lines.push(words.failed_rows_attached(c.failed, &name));
                    attachment = Some((name, std::fs::read(&file)?));
                    detail = "with the failed rows attached".into();
                } else {
                    lines.push(words.failed_rows_too_big());
                }
                let _ = std::fs::remove_file(&file);
            }
            let attached = attachment.is_some();
            let mail = Mail {
                subject: words.import_subject(job.status, &job.file_name),
                lines,
                attachment,
                owner: job.created_by.clone(),
                attached_rows: if attached { c.failed.into() } else { 0 },
            };
            self.deliver(JobKind::Import, job.id, &to, &mail, &detail, secrets)
        })();
        self.settle_mail(JobKind::Import, job.id, outcome)
    }
}
