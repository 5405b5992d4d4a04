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

    pub(super) fn record_mail(
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
    pub(super) fn mail_recipient(
        &self,
        owner: &str,
    ) -> Result<std::result::Result<String, String>> {
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

    pub(super) fn deliver(
        &self,
        kind: JobKind,
        id: i64,
        to: &str,
        mail: &Mail,
        detail: &str,
        secrets: &dyn Secrets,
    ) -> Result<JobMail> {
        match self.send(to, mail, secrets) {
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
                    Some(to),
                    &format!("Sent to {to} {detail}"),
                )
            }
            Err(e) => self.record_mail(kind, id, MailStatus::Failed, Some(to), &e.to_string()),
        }
    }

    /// An error while preparing the e-mail is recorded as its failure (and logged).
    pub(super) fn settle_mail(&self, kind: JobKind, id: i64, outcome: Result<JobMail>) -> JobMail {
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
