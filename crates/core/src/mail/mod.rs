//! E-mail (SPEC 7.1, 4.1, 4.3): the SMTP settings, the password in the OS keychain, and the
//! result e-mails of exports and imports, sent with lettre over rustls.
//!
//! - The password never reaches the database or a log: it lives in the OS keychain (macOS
//!   Keychain, Windows Credential Manager, the Secret Service on Linux) through [`Secrets`].
//!   When no keychain is available the password is not stored at all, and the user is told.
//! - A job's e-mail never decides the job's outcome: sending runs after the job finished, its
//!   result (sent, failed with the reason, skipped) is recorded in `job_mail` and shown on the
//!   job, which a retry can resend.
//! - Customers' data goes only where an administrator allows (`policy`): result addresses at the
//!   allowed domains — checked when set and again at each send — and attachments of at most
//!   the allowed rows (above it, the e-mail says where the file is). An e-mail not sent is
//!   recorded with its reason (`MailReason`) and shown in the job's report.
//! - Header values built from data (file names in the subject and the attachment name) are
//!   stripped of control characters, so a file named `a\r\nBcc: x` cannot add a header; bodies
//!   are plain text plus HTML with every value escaped.
//!
//! The code, by concern: `settings` (the SMTP settings kept in `settings` and the rules of the
//! E-mail settings screen), `crate::keychain` (where the password is kept), `policy` (allowed
//! domains and the attachment row cap), `message` (building the result e-mails and sending
//! them over lettre), `text` (their sentences in English and Vietnamese: each e-mail is
//! written in the language of the user it is for) and `job_mail` (each job's e-mail status,
//! Retry, the users' addresses for results).

mod job_mail;
mod message;
mod policy;
mod settings;
mod text;

pub use job_mail::{JobKind, JobMail, MailReason, MailStatus};
pub use message::header_safe;
pub use policy::{MailPolicy, DEFAULT_ATTACHMENT_ROWS, MAX_ATTACHMENT_ROWS};
// The keychain serves the store's key too, so it lives on the store's floor (`keychain`);
// mail's callers keep their paths.
pub use crate::keychain::{KeychainStatus, MemorySecrets, OsKeychain, SecretError, Secrets};
pub use settings::{MailSettings, MailSettingsInput, MailSettingsSaved, SmtpSecurity};

/// The keychain entry of the SMTP password of `username` at `host`.
pub(crate) fn secret_key(username: &str, host: &str) -> String {
    format!("smtp:{username}@{host}")
}
