//! The E-mail settings: the SMTP server, its security, the user name and the sender, kept in
//! `settings` (the password goes to the keychain, never here), and the screen's rules —
//! checking, saving with an audit entry, and the test e-mail.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::message::Mail;
use super::secret_key;
use super::text::Words;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::keychain::{KeychainStatus, Secrets};
use crate::model::FieldError;
use crate::store::Store;

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

impl Store {
    pub(super) fn mail_setting(&self, key: &str) -> Result<String> {
        Ok(self.setting(&format!("mail.{key}"))?.unwrap_or_default())
    }

    pub(super) fn stored_mail_settings(&self, secrets: &dyn Secrets) -> Result<MailSettings> {
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
        if !host.is_empty() {
            if host.contains(char::is_whitespace) || host.contains('/') || host.len() > 253 {
                errors.push(
                    FieldError::new(
                        "host",
                        "invalidHost",
                        format!("“{host}” is not a server name or address"),
                    )
                    .with("value", &host),
                );
            }
            if input.port == 0 {
                errors.push(
                    FieldError::new(
                        "port",
                        "invalidPort",
                        "Choose the server's port (1–65535)".into(),
                    )
                    .with("min", 1)
                    .with("max", u16::MAX),
                );
            }
            if sender.is_empty() {
                errors.push(FieldError::new(
                    "sender",
                    "required",
                    "Give the sender address the e-mails come from".into(),
                ));
            }
        }
        if !host.is_empty()
            && input.security == SmtpSecurity::None
            && !super::message::is_loopback(&host)
        {
            errors.push(
                FieldError::new(
                    "security",
                    "encryptionRequired",
                    super::message::plain_refusal(&host),
                )
                .with("host", &host),
            );
        }
        let sender_check = (!sender.is_empty()).then(|| pdesk_normalize::validate_email(&sender));
        if let Some(Err(e)) = sender_check {
            errors.push(
                FieldError::new(
                    "sender",
                    "invalidEmail",
                    format!("“{sender}” is not an e-mail address"),
                )
                .with_all(e.params()),
            );
        }
        if username.len() > 254 || username.contains(char::is_control) {
            errors.push(FieldError::new(
                "username",
                "invalidUserName",
                "The user name is not valid".into(),
            ));
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

    /// "Send test e-mail" (administrators): one short message to `to`.
    pub fn send_test_mail(&self, actor: &Actor, to: &str, secrets: &dyn Secrets) -> Result<()> {
        actor.require(Permission::SettingsManage)?;
        // In the language of the administrator who sends it (they read it, to check).
        let words = Words {
            lang: self.lang_of(&actor.name)?,
        };
        let mail = Mail {
            subject: words.test_subject(),
            lines: words.test_lines(),
            attachment: None,
            owner: actor.name.clone(),
            attached_rows: 0,
        };
        self.send(to.trim(), &mail, secrets)
    }
}
