//! E-mail (SPEC 7.1, 4.1, 4.3): the SMTP settings, the password in the OS keychain, and the
//! result e-mails of exports and imports, sent with lettre over rustls.
//!
//! - The password never reaches the database or a log: it lives in the OS keychain (macOS
//!   Keychain, Windows Credential Manager, the Secret Service on Linux) through [`Secrets`].
//!   When no keychain is available the password is not stored at all, and the user is told.
//! - A job's e-mail never decides the job's outcome: sending runs after the job finished, its
//!   result (sent, failed with the reason, skipped) is recorded in `job_mail` and shown on the
//!   job, which a retry can resend.
//! - Header values built from data (file names in the subject and the attachment name) are
//!   stripped of control characters, so a file named `a\r\nBcc: x` cannot add a header; bodies
//!   are plain text plus HTML with every value escaped.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::export::{ExportJob, ExportStatus};
use crate::jobs::{JobStatus, JobSummary};
use crate::model::FieldError;
use crate::store::Store;

/// How long one SMTP command may take before the send fails (a dead relay must not hang a
/// worker).
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// How the connection to the SMTP server is secured (chosen explicitly by the administrator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS; refused if the server does not offer it.
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only for a relay on this computer or a trusted local network.
    None,
}

pdesk_normalize::text_enum!(SmtpSecurity {
    StartTls => "starttls",
    Tls => "tls",
    None => "none",
} else StartTls);

/// The E-mail settings as the Settings screen shows them (never the password itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailSettings {
    /// Empty: e-mail is off.
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Empty: the server takes mail without signing in (a local relay).
    pub username: String,
    /// The From address of every e-mail.
    pub sender: String,
    /// A password is stored in the OS keychain for this user name and server.
    pub has_password: bool,
    /// Whether this computer has a keychain Profile Desk can use, and if not, why.
    pub keychain: KeychainStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct KeychainStatus {
    pub available: bool,
    /// What the OS said when it is not available.
    pub message: Option<String>,
}

/// A change to the E-mail settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailSettingsInput {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub sender: String,
    /// `None`: keep the stored password; `Some("")`: remove it; otherwise the new password.
    pub password: Option<String>,
}

/// What saving the settings did (the password may not have been stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailSettingsSaved {
    pub settings: MailSettings,
    /// Set when the password could not be kept (no keychain): a sentence for the user.
    pub warning: Option<String>,
}

/// The e-mail of one job, as the job shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct JobMail {
    pub job_kind: JobKind,
    pub job_id: i64,
    pub status: MailStatus,
    pub recipient: Option<String>,
    /// Why it failed or was skipped, or what was sent ("with the file attached").
    pub detail: Option<String>,
    pub attempts: u32,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum JobKind {
    Import,
    Export,
}

pdesk_normalize::text_enum!(JobKind {
    Import => "import",
    Export => "export",
} else Export);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum MailStatus {
    Pending,
    Sent,
    Failed,
    Skipped,
}

pdesk_normalize::text_enum!(MailStatus {
    Pending => "pending",
    Sent => "sent",
    Failed => "failed",
    Skipped => "skipped",
} else Failed);

// ---- the keychain ---------------------------------------------------------------------

/// Why a secret could not be read or kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// This computer has no keychain Profile Desk can reach (e.g. no Secret Service on Linux).
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Failed(String),
}

/// Where passwords are kept: the OS keychain in the app and the CLI ([`OsKeychain`]).
pub trait Secrets: Send + Sync {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, SecretError>;
    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), SecretError>;
    fn delete(&self, key: &str) -> std::result::Result<(), SecretError>;
    /// Whether a keychain is there at all (checked without storing anything).
    fn status(&self) -> KeychainStatus;
}

/// The OS keychain through the `keyring` crate, under one service name per app identifier.
pub struct OsKeychain {
    service: String,
}

impl OsKeychain {
    /// `service`: the app identifier (`com.profiledesk.app`, or `.dev` for development).
    pub fn new(service: &str) -> OsKeychain {
        OsKeychain {
            service: service.to_string(),
        }
    }

    fn entry(&self, key: &str) -> std::result::Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, key).map_err(keychain_error)
    }
}

fn no_keychain(detail: &str) -> SecretError {
    let detail: String = detail.chars().take(160).collect();
    SecretError::Unavailable(format!(
        "No keychain is available on this computer, so the password cannot be stored safely \
         and was not stored: Profile Desk never keeps passwords in its database. Start your \
         desktop's keychain (on Linux, a Secret Service such as GNOME Keyring or KWallet) and \
         enter the password again, or use a relay that needs no password. (The system said: \
         {detail})"
    ))
}

fn keychain_error(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoDefaultStore | keyring::Error::NoStorageAccess(_) => {
            no_keychain(&e.to_string())
        }
        keyring::Error::PlatformFailure(_) => no_keychain(&e.to_string()),
        other => SecretError::Failed(format!("The keychain refused the password: {other}")),
    }
}

impl Secrets for OsKeychain {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), SecretError> {
        self.entry(key)?
            .set_password(secret)
            .map_err(keychain_error)
    }

    fn delete(&self, key: &str) -> std::result::Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn status(&self) -> KeychainStatus {
        match keyring::Entry::store_status() {
            Ok(()) => KeychainStatus {
                available: true,
                message: None,
            },
            Err(e) => KeychainStatus {
                available: false,
                message: Some(no_keychain(&e.to_string()).to_string()),
            },
        }
    }
}

/// Secrets kept in memory only: the tests' stand-in for a keychain that works.
#[derive(Default)]
pub struct MemorySecrets {
    map: Mutex<std::collections::BTreeMap<String, String>>,
}

impl Secrets for MemorySecrets {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, SecretError> {
        Ok(self.map.lock().ok().and_then(|m| m.get(key).cloned()))
    }

    fn set(&self, key: &str, secret: &str) -> std::result::Result<(), SecretError> {
        if let Ok(mut m) = self.map.lock() {
            m.insert(key.to_string(), secret.to_string());
        }
        Ok(())
    }

    fn delete(&self, key: &str) -> std::result::Result<(), SecretError> {
        if let Ok(mut m) = self.map.lock() {
            m.remove(key);
        }
        Ok(())
    }

    fn status(&self) -> KeychainStatus {
        KeychainStatus {
            available: true,
            message: None,
        }
    }
}

fn secret_key(username: &str, host: &str) -> String {
    format!("smtp:{username}@{host}")
}

// ---- message building -----------------------------------------------------------------

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
struct Mail {
    subject: String,
    lines: Vec<String>,
    attachment: Option<(String, Vec<u8>)>,
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn build_message(sender: &str, to: &str, mail: &Mail) -> Result<Message> {
    let from: Mailbox = sender.parse().map_err(|e| {
        Error::Conflict(format!(
            "The sender address “{sender}” is not an e-mail address: {e}"
        ))
    })?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| Error::Conflict(format!("“{to}” is not an e-mail address: {e}")))?;
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

/// Turns lettre's errors into a sentence naming the server and what went wrong.
fn smtp_error(host: &str, port: u16, e: lettre::transport::smtp::Error) -> Error {
    let what = if e.is_permanent() {
        "refused the e-mail"
    } else if e.is_transient() {
        "could not take the e-mail now"
    } else if e.is_tls() {
        "could not set up a secure connection"
    } else if e.is_timeout() {
        "did not answer in time"
    } else {
        "could not be reached"
    };
    Error::Conflict(format!("The SMTP server {host}:{port} {what}: {e}"))
}

impl Store {
    fn mail_setting(&self, key: &str) -> Result<String> {
        Ok(self.setting(&format!("mail.{key}"))?.unwrap_or_default())
    }

    fn stored_mail_settings(&self, secrets: &dyn Secrets) -> Result<MailSettings> {
        let host = self.mail_setting("host")?;
        let username = self.mail_setting("username")?;
        let port = self.mail_setting("port")?.parse().unwrap_or(587);
        let has_password = !username.is_empty()
            && matches!(secrets.get(&secret_key(&username, &host)), Ok(Some(_)));
        Ok(MailSettings {
            host,
            port,
            security: SmtpSecurity::parse(&self.mail_setting("security")?),
            username,
            sender: self.mail_setting("sender")?,
            has_password,
            keychain: secrets.status(),
        })
    }

    /// The E-mail settings (administrators).
    pub fn mail_settings(&self, actor: &Actor, secrets: &dyn Secrets) -> Result<MailSettings> {
        actor.require(Permission::SettingsManage)?;
        self.stored_mail_settings(secrets)
    }

    /// Saves the E-mail settings (administrators; audited without the password). The password
    /// goes to the keychain; without one it is not stored and `warning` says so.
    pub fn set_mail_settings(
        &mut self,
        actor: &Actor,
        input: &MailSettingsInput,
        secrets: &dyn Secrets,
    ) -> Result<MailSettingsSaved> {
        actor.require(Permission::SettingsManage)?;
        let host = input.host.trim().to_string();
        let username = input.username.trim().to_string();
        let sender = input.sender.trim().to_string();
        let mut errors = Vec::new();
        let problem = |field: &str, message: String| FieldError {
            field: field.into(),
            code: "invalid".into(),
            message,
        };
        if !host.is_empty() {
            if host.contains(char::is_whitespace) || host.contains('/') || host.len() > 253 {
                errors.push(problem(
                    "host",
                    format!("“{host}” is not a server name or address"),
                ));
            }
            if input.port == 0 {
                errors.push(problem("port", "Choose the server's port (1–65535)".into()));
            }
            if sender.is_empty() {
                errors.push(problem(
                    "sender",
                    "Give the sender address the e-mails come from".into(),
                ));
            }
        }
        if !sender.is_empty() && pdesk_normalize::validate_email(&sender).is_err() {
            errors.push(problem(
                "sender",
                format!("“{sender}” is not an e-mail address"),
            ));
        }
        if username.len() > 254 || username.contains(char::is_control) {
            errors.push(problem("username", "The user name is not valid".into()));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let old = self.stored_mail_settings(secrets)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let put = "INSERT INTO settings(key, value) VALUES (?1, ?2)
                   ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        tx.execute(put, params!["mail.host", host])?;
        tx.execute(put, params!["mail.port", input.port.to_string()])?;
        tx.execute(put, params!["mail.security", input.security.as_str()])?;
        tx.execute(put, params!["mail.username", username])?;
        tx.execute(put, params!["mail.sender", sender])?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.mail",
            "settings",
            serde_json::json!({
                "host": host, "port": input.port, "security": input.security.as_str(),
                "username": username, "sender": sender,
                "password": match &input.password { None => "unchanged", Some(p) if p.is_empty() => "removed", Some(_) => "changed" },
            }),
        )?;
        tx.commit()?;
        let mut warning = None;
        let key = secret_key(&username, &host);
        // The old server's or user's password is not left behind.
        let old_key = secret_key(&old.username, &old.host);
        if old_key != key && !old.username.is_empty() {
            let _ = secrets.delete(&old_key);
        }
        match &input.password {
            Some(p) if !p.is_empty() && !username.is_empty() => {
                if let Err(e) = secrets.set(&key, p) {
                    warning = Some(e.to_string());
                }
            }
            Some(p) if p.is_empty() => {
                if let Err(e) = secrets.delete(&key) {
                    warning = Some(e.to_string());
                }
            }
            Some(_) => {
                warning = Some(
                    "A password needs a user name: enter the user name the server signs in with"
                        .into(),
                )
            }
            None => {}
        }
        Ok(MailSettingsSaved {
            settings: self.stored_mail_settings(secrets)?,
            warning,
        })
    }

    /// The acting user's address for result e-mails.
    pub fn my_mail_address(&self, actor: &Actor) -> Result<Option<String>> {
        actor.require(Permission::ProfileView)?;
        self.mail_address_of(actor.user_id)
    }

    fn mail_address_of(&self, user_id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM user_prefs WHERE user_id = ?1 AND key = 'mail.address'",
                [user_id],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .filter(|a| !a.is_empty()))
    }

    /// Sets (or, with an empty text, removes) the acting user's address for result e-mails.
    pub fn set_my_mail_address(&mut self, actor: &Actor, address: &str) -> Result<Option<String>> {
        actor.require(Permission::ProfileView)?;
        let address = address.trim();
        if !address.is_empty() && pdesk_normalize::validate_email(address).is_err() {
            return Err(Error::Validation(vec![FieldError {
                field: "address".into(),
                code: "invalidEmail".into(),
                message: format!("“{address}” is not an e-mail address"),
            }]));
        }
        self.conn.execute(
            "INSERT INTO user_prefs(user_id, key, value) VALUES (?1, 'mail.address', ?2)
             ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value",
            params![actor.user_id, address],
        )?;
        self.mail_address_of(actor.user_id)
    }

    /// Sends one e-mail with the stored settings.
    fn send(&self, to: &str, mail: &Mail, secrets: &dyn Secrets) -> Result<()> {
        let s = self.stored_mail_settings(secrets)?;
        if s.host.is_empty() {
            return Err(Error::Conflict(
                "E-mail is not set up: an administrator enters the SMTP server in Settings → E-mail"
                    .into(),
            ));
        }
        let message = build_message(&s.sender, to, mail)?;
        let builder = match s.security {
            SmtpSecurity::None => SmtpTransport::builder_dangerous(&s.host),
            SmtpSecurity::StartTls => {
                let tls = TlsParameters::new(s.host.clone())
                    .map_err(|e| smtp_error(&s.host, s.port, e))?;
                SmtpTransport::builder_dangerous(&s.host).tls(Tls::Required(tls))
            }
            SmtpSecurity::Tls => {
                let tls = TlsParameters::new(s.host.clone())
                    .map_err(|e| smtp_error(&s.host, s.port, e))?;
                SmtpTransport::builder_dangerous(&s.host).tls(Tls::Wrapper(tls))
            }
        };
        let mut builder = builder.port(s.port).timeout(Some(SMTP_TIMEOUT));
        if !s.username.is_empty() {
            let password = match secrets.get(&secret_key(&s.username, &s.host)) {
                Ok(Some(p)) => p,
                Ok(None) => {
                    return Err(Error::Conflict(format!(
                        "No password is stored for {} on {}: enter it in Settings → E-mail",
                        s.username, s.host
                    )))
                }
                Err(e) => return Err(Error::Conflict(e.to_string())),
            };
            builder = builder.credentials(Credentials::new(s.username.clone(), password));
        }
        builder
            .build()
            .send(&message)
            .map(|_| ())
            .map_err(|e| smtp_error(&s.host, s.port, e))
    }

    /// "Send test e-mail" (administrators): one short message to `to`.
    pub fn send_test_mail(&self, actor: &Actor, to: &str, secrets: &dyn Secrets) -> Result<()> {
        actor.require(Permission::SettingsManage)?;
        let mail = Mail {
            subject: "Profile Desk test e-mail".into(),
            lines: vec![
                "This is a test e-mail from Profile Desk: the E-mail settings work.".into(),
                "Export and import results will be sent like this one.".into(),
            ],
            attachment: None,
        };
        self.send(to.trim(), &mail, secrets)
    }

    fn record_mail(
        &self,
        kind: JobKind,
        id: i64,
        status: MailStatus,
        recipient: Option<&str>,
        detail: &str,
    ) -> Result<JobMail> {
        self.conn.execute(
            "INSERT INTO job_mail(job_kind, job_id, status, recipient, detail, attempts, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(job_kind, job_id) DO UPDATE SET status = excluded.status,
                    recipient = excluded.recipient, detail = excluded.detail,
                    attempts = job_mail.attempts + excluded.attempts, updated_at = excluded.updated_at",
            params![
                kind.as_str(),
                id,
                status.as_str(),
                recipient,
                detail,
                i64::from(status != MailStatus::Skipped),
                self.now()
            ],
        )?;
        self.job_mail(kind, id)?
            .ok_or_else(|| Error::Internal("job mail not recorded".into()))
    }

    /// The e-mail status of one job, if one was due.
    pub fn job_mail(&self, kind: JobKind, id: i64) -> Result<Option<JobMail>> {
        Ok(self
            .conn
            .query_row(
                "SELECT job_kind, job_id, status, recipient, detail, attempts, updated_at
                   FROM job_mail WHERE job_kind = ?1 AND job_id = ?2",
                params![kind.as_str(), id],
                |r| {
                    Ok(JobMail {
                        job_kind: JobKind::parse(&r.get::<_, String>(0)?),
                        job_id: r.get(1)?,
                        status: MailStatus::parse(&r.get::<_, String>(2)?),
                        recipient: r.get(3)?,
                        detail: r.get(4)?,
                        attempts: r.get(5)?,
                        updated_at: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// The e-mail status of every job of one kind that had one.
    pub fn job_mails(&self, actor: &Actor, kind: JobKind) -> Result<Vec<JobMail>> {
        actor.require(Permission::ProfileView)?;
        let mut stmt = self.conn.prepare(
            "SELECT job_id FROM job_mail WHERE job_kind = ?1 ORDER BY job_id DESC LIMIT 500",
        )?;
        let ids: Vec<i64> = stmt
            .query_map([kind.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| self.job_mail(kind, id).transpose())
            .collect()
    }

    /// Who gets a job's e-mail: its owner's address; `Err(reason)` when nobody can.
    fn mail_recipient(&self, owner: &str) -> Result<std::result::Result<String, String>> {
        if self.mail_setting("host")?.is_empty() {
            return Ok(Err("E-mail is not set up (Settings → E-mail)".into()));
        }
        let user: Option<i64> = self
            .conn
            .query_row("SELECT id FROM users WHERE name = ?1", [owner], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(
            match user.map(|u| self.mail_address_of(u)).transpose()?.flatten() {
                Some(a) => Ok(a),
                None => Err(format!("{owner} has no e-mail address for results")),
            },
        )
    }

    /// Sends (or records why it did not send) the e-mail of a finished export: the file
    /// attached, or — over the attachment limit — where it is. Never fails: the outcome is
    /// recorded on the export and returned.
    pub fn send_export_mail(&self, job: &ExportJob, secrets: &dyn Secrets) -> JobMail {
        let outcome = (|| -> Result<JobMail> {
            if job.status != ExportStatus::Done {
                return self.record_mail(
                    JobKind::Export,
                    job.id,
                    MailStatus::Skipped,
                    None,
                    "The export did not finish",
                );
            }
            let to = match self.mail_recipient(&job.created_by)? {
                Ok(to) => to,
                Err(reason) => {
                    return self.record_mail(
                        JobKind::Export,
                        job.id,
                        MailStatus::Skipped,
                        None,
                        &reason,
                    )
                }
            };
            let path = job.path.clone().unwrap_or_default();
            let name = job.file_name().unwrap_or_else(|| "export.xlsx".into());
            let size = job.file_bytes.unwrap_or(0);
            let limit = self.limits_config()?.mail_attachment_bytes;
            let mut lines = vec![
                format!("Your export of {} profiles is ready.", job.rows_done),
                format!("Filter: {}", job.description),
            ];
            let (attachment, detail) = if size <= limit {
                lines.push(format!("The file {name} is attached."));
                (
                    Some((name.clone(), std::fs::read(&path)?)),
                    format!("with {name} attached"),
                )
            } else {
                lines.push(format!(
                    "The file is {:.1} MB, over the {:.0} MB attachment limit, so it is not attached. It is saved at {path} — in Profile Desk, open Exports and use Save as… to copy it.",
                    size as f64 / 1_048_576.0,
                    limit as f64 / 1_048_576.0
                ));
                (
                    None,
                    format!("without the file (over the attachment limit); it is at {path}"),
                )
            };
            let mail = Mail {
                subject: format!("Export finished: {} profiles — {name}", job.rows_done),
                lines,
                attachment,
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
                Err(reason) => {
                    return self.record_mail(
                        JobKind::Import,
                        job.id,
                        MailStatus::Skipped,
                        None,
                        &reason,
                    )
                }
            };
            let c = &job.counts;
            let verb = match job.status {
                JobStatus::Done => "finished",
                JobStatus::Cancelled => "was cancelled",
                JobStatus::Failed => "failed",
                _ => "stopped",
            };
            let mut lines = vec![
                format!("The import of {} {verb}.", job.file_name),
                format!(
                    "{} rows: {} created, {} updated, {} in-file duplicates, {} merge reviews, {} failed.",
                    c.rows.max(job.rows_done), c.created, c.updated, c.duplicates, c.reviews, c.failed
                ),
            ];
            if let Some(e) = &job.error {
                lines.push(format!("Reason: {e}"));
            }
            lines.push(format!(
                "The full report is in Profile Desk: Import report, job {}.",
                job.id
            ));
            let mut attachment = None;
            let mut detail = "with the counts".to_string();
            if c.failed > 0 {
                let owner = self.actor(Some(&job.created_by))?;
                let dir = self.exports_dir();
                std::fs::create_dir_all(&dir)?;
                let file = dir.join(format!("import-{}-failed-rows.xlsx", job.id));
                self.write_failed_rows(&owner, job.id, &file)?;
                let size = std::fs::metadata(&file)?.len();
                if size <= self.limits_config()?.mail_attachment_bytes {
                    let stem = Path::new(&job.file_name)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "import".into());
                    let name = format!("{stem} - failed rows.xlsx");
                    lines.push(format!(
                        "The {} failed rows are attached as {name}, with the reason of each.",
                        c.failed
                    ));
                    attachment = Some((name, std::fs::read(&file)?));
                    detail = "with the failed rows attached".into();
                } else {
                    lines.push(
                        "The failed rows are too many to attach: download them from the report."
                            .into(),
                    );
                }
                let _ = std::fs::remove_file(&file);
            }
            let mail = Mail {
                subject: format!("Import {verb}: {}", job.file_name),
                lines,
                attachment,
            };
            self.deliver(JobKind::Import, job.id, &to, &mail, &detail, secrets)
        })();
        self.settle_mail(JobKind::Import, job.id, outcome)
    }

    fn deliver(
        &self,
        kind: JobKind,
        id: i64,
        to: &str,
        mail: &Mail,
        detail: &str,
        secrets: &dyn Secrets,
    ) -> Result<JobMail> {
        match self.send(to, mail, secrets) {
            Ok(()) => self.record_mail(
                kind,
                id,
                MailStatus::Sent,
                Some(to),
                &format!("Sent to {to} {detail}"),
            ),
            Err(e) => self.record_mail(kind, id, MailStatus::Failed, Some(to), &e.to_string()),
        }
    }

    /// An error while preparing the e-mail is recorded as its failure (and logged).
    fn settle_mail(&self, kind: JobKind, id: i64, outcome: Result<JobMail>) -> JobMail {
        match outcome {
            Ok(m) => m,
            Err(e) => {
                eprintln!("mail: {} job {id}: {e}", kind.as_str());
                self.record_mail(kind, id, MailStatus::Failed, None, &e.to_string())
                    .unwrap_or(JobMail {
                        job_kind: kind,
                        job_id: id,
                        status: MailStatus::Failed,
                        recipient: None,
                        detail: Some(e.to_string()),
                        attempts: 1,
                        updated_at: self.now(),
                    })
            }
        }
    }

    /// "Retry" on a job whose e-mail failed (or was skipped): sends it again now.
    pub fn retry_job_mail(
        &self,
        actor: &Actor,
        kind: JobKind,
        id: i64,
        secrets: &dyn Secrets,
    ) -> Result<JobMail> {
        match kind {
            JobKind::Export => {
                let job = self.export_job(actor, id)?;
                Ok(self.send_export_mail(&job, secrets))
            }
            JobKind::Import => {
                actor.require(Permission::ProfileImport)?;
                let job = self.job(actor, id)?;
                Ok(self.send_import_mail(&job, secrets))
            }
        }
    }
}
