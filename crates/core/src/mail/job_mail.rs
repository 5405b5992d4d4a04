//! The e-mail of each job: its status (sent, failed with the reason, skipped) recorded in
//! `job_mail` and shown on the job, Retry, and the users' own addresses for results.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::message::Mail;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::keychain::Secrets;
use crate::model::FieldError;
use crate::store::Store;

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
    /// Why it was not sent, as a code (`None` once sent, and for e-mails recorded before 0013).
    pub reason: Option<MailReason>,
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

/// Why a job's e-mail was not sent: skipped before any server was asked (the first five), or
/// failed (the last three: the server refused — `detail` carries its own message — or could
/// not be reached, or the e-mail could not be prepared). [`MailReason::status`] says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum MailReason {
    /// No SMTP server in Settings → E-mail (or one that may not be used, e.g. unencrypted).
    NotConfigured,
    /// The user who ran the job has no address for results.
    NoAddress,
    /// The user's address is outside the administrator's allowed domains.
    DomainNotAllowed,
    /// The SMTP password cannot be read: no keychain, or none stored for the user name.
    KeychainUnavailable,
    /// The job did not finish (an export that failed or was cancelled has no file to send).
    JobNotFinished,
    /// The server answered with a refusal (its message in `detail`).
    ServerRefused,
    /// The server could not be reached, did not answer or failed the secure connection.
    ServerUnreachable,
    /// Preparing the e-mail failed (e.g. the file could not be read); `detail` says what.
    Error,
}

pdesk_normalize::text_enum!(pub(crate) MailReason {
    NotConfigured => "notConfigured",
    NoAddress => "noAddress",
    DomainNotAllowed => "domainNotAllowed",
    KeychainUnavailable => "keychainUnavailable",
    JobNotFinished => "jobNotFinished",
    ServerRefused => "serverRefused",
    ServerUnreachable => "serverUnreachable",
    Error => "error",
} else Error);

impl MailReason {
    /// Whether the e-mail was given up before a server was asked (skipped) or failed there.
    pub fn status(self) -> MailStatus {
        match self {
            MailReason::ServerRefused | MailReason::ServerUnreachable | MailReason::Error => {
                MailStatus::Failed
            }
            _ => MailStatus::Skipped,
        }
    }
}

/// Why an e-mail is not sent: the code and the sentence for the user.
pub(super) type NotSent = (MailReason, String);

impl Store {
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

    /// Sets (or, with an empty text, removes) the acting user's address for result e-mails:
    /// an e-mail address at one of the allowed domains (Settings → E-mail), audited.
    pub fn set_my_mail_address(&mut self, actor: &Actor, address: &str) -> Result<Option<String>> {
        actor.require(Permission::ProfileView)?;
        let address = address.trim();
        if !address.is_empty() {
            if let Err(e) = pdesk_normalize::validate_email(address) {
                return Err(FieldError::new(
                    "address",
                    "invalidEmail",
                    format!("{e}: type the address results should be e-mailed to"),
                )
                .with_all(e.params())
                .into());
            }
            let policy = self.stored_mail_policy()?;
            if let Some(refusal) = policy.refusal(address) {
                return Err(FieldError::new("address", "domainNotAllowed", refusal)
                    .with("value", address)
                    .with("domain", super::policy::domain_of(address))
                    .with("allowed", policy.allowed_domains.join(", "))
                    .into());
            }
        }
        let before = self.mail_address_of(actor.user_id)?;
        if before.as_deref().unwrap_or("") != address {
            let at = self.now();
            let tx = self.conn.transaction()?;
            tx.execute(
                "INSERT INTO user_prefs(user_id, key, value) VALUES (?1, 'mail.address', ?2)
                 ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value",
                params![actor.user_id, address],
            )?;
            // Where a user's results (customers' data) go is a security-relevant choice.
            crate::audit::append(
                &tx,
                &at,
                actor,
                "user.mail_address",
                &format!("user:{}", actor.name),
                serde_json::json!({ "before": before, "after": address }),
            )?;
            tx.commit()?;
        }
        self.mail_address_of(actor.user_id)
    }

    pub(super) fn record_mail(
        &self,
        kind: JobKind,
        id: i64,
        status: MailStatus,
        reason: Option<MailReason>,
        recipient: Option<&str>,
        detail: &str,
    ) -> Result<JobMail> {
        self.conn.execute(
            "INSERT INTO job_mail(job_kind, job_id, status, reason, recipient, detail, attempts,
                                  updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(job_kind, job_id) DO UPDATE SET status = excluded.status,
                    reason = excluded.reason, recipient = excluded.recipient,
                    detail = excluded.detail, attempts = job_mail.attempts + excluded.attempts,
                    updated_at = excluded.updated_at",
            params![
                kind.as_str(),
                id,
                status.as_str(),
                reason.map(MailReason::as_str),
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
                "SELECT job_kind, job_id, status, recipient, detail, attempts, updated_at, reason
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
                        reason: r
                            .get::<_, Option<String>>(7)?
                            .map(|t| MailReason::parse(&t)),
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

    /// Who gets a job's e-mail: the address of the user who ran it, if e-mail is set up and
    /// the address is at an allowed domain now (the list may have changed since it was set).
    pub(super) fn mail_recipient(
        &self,
        owner: &str,
    ) -> Result<std::result::Result<String, NotSent>> {
        if self.mail_setting("host")?.is_empty() {
            return Ok(Err((
                MailReason::NotConfigured,
                "E-mail is not set up: an administrator enters the SMTP server in Settings → \
                 E-mail"
                    .into(),
            )));
        }
        let user: Option<i64> = self
            .conn
            .query_row("SELECT id FROM users WHERE name = ?1", [owner], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(address) = user.map(|u| self.mail_address_of(u)).transpose()?.flatten() else {
            return Ok(Err((
                MailReason::NoAddress,
                format!(
                    "{owner} has no e-mail address for results: set it in the user menu \
                     (top right) → E-mail for results…"
                ),
            )));
        };
        Ok(match self.stored_mail_policy()?.refusal(&address) {
            Some(refusal) => Err((MailReason::DomainNotAllowed, refusal)),
            None => Ok(address),
        })
    }

    /// Records an e-mail that was not sent, skipped or failed according to its reason.
    pub(super) fn record_not_sent(
        &self,
        kind: JobKind,
        id: i64,
        recipient: Option<&str>,
        (reason, detail): NotSent,
    ) -> Result<JobMail> {
        self.record_mail(kind, id, reason.status(), Some(reason), recipient, &detail)
    }

    pub(super) fn deliver(
        &self,
        kind: JobKind,
        id: i64,
        to: &str,
        mail: &Mail,
        detail: &str,
        secrets: &dyn Secrets,
    ) -> Result<JobMail> {
        match self.send_or_why(to, mail, secrets)? {
            Ok(()) => {
                // Customer data left the computer: who for, to whom, how many rows.
                crate::audit::append_as(
                    &self.conn,
                    &self.now(),
                    &mail.owner,
                    "mail.sent",
                    &format!("{}:{id}", kind.as_str()),
                    serde_json::json!({
                        "job": id, "kind": kind.as_str(), "recipient": to,
                        "attachedRows": mail.attached_rows,
                    }),
                )?;
                self.record_mail(
                    kind,
                    id,
                    MailStatus::Sent,
                    None,
                    Some(to),
                    &format!("Sent to {to} {detail}"),
                )
            }
            Err(not_sent) => self.record_not_sent(kind, id, Some(to), not_sent),
        }
    }

    /// An error while preparing the e-mail is recorded as its failure (and logged).
    pub(super) fn settle_mail(&self, kind: JobKind, id: i64, outcome: Result<JobMail>) -> JobMail {
        match outcome {
            Ok(m) => m,
            Err(e) => {
                eprintln!("mail: {} job {id}: {e}", kind.as_str());
                self.record_not_sent(kind, id, None, (MailReason::Error, e.to_string()))
                    .unwrap_or(JobMail {
                        job_kind: kind,
                        job_id: id,
                        status: MailStatus::Failed,
                        reason: Some(MailReason::Error),
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
