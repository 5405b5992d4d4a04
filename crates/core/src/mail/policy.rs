//! Who may receive customers' data by e-mail, an administrator's rule (Settings → E-mail):
//! the domains result addresses may be at, and the most rows an attachment may carry.
//!
//! - Allowed domains: empty = any. A user's address is compared case-insensitively on the
//!   domain after its last `@`, and only the **exact** domain matches: `congty.vn` does not
//!   allow `sales.congty.vn` (list it too). Sub-domains are not implied because anyone who
//!   controls a sub-domain's DNS (a reseller, a forgotten test host) would receive the data.
//! - The rule is checked when a user sets their address and again each time a result e-mail
//!   is sent, so an address that was allowed before the list changed is not mailed.
//! - Attachment rows: an attachment holding more customer rows than this is not attached; the
//!   e-mail says where the file is on this computer and how many rows it has. 0 = never attach.
//!
//! Both live in `settings` under `mail.` keys, so a restored backup cannot loosen them (the
//! restore keeps the current store's `mail.*` settings, `backup/restore.rs`).

use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::FieldError;
use crate::store::{put_setting, Store};

/// The attachment row cap when an administrator never chose one.
pub const DEFAULT_ATTACHMENT_ROWS: u32 = 10_000;
/// The highest cap an administrator may set (a 50,000-row file is the largest import).
pub const MAX_ATTACHMENT_ROWS: u32 = 1_000_000;

/// The administrator's rule for result e-mails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailPolicy {
    /// Lower-case domains result addresses may be at (exact match); empty: any domain.
    pub allowed_domains: Vec<String>,
    /// The most customer rows an e-mail may carry as an attachment; 0: never attach.
    pub attachment_rows: u32,
}

/// The domain of an address (after its last `@`), lower-cased, without a trailing dot.
pub(super) fn domain_of(address: &str) -> String {
    address
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .trim()
        .trim_end_matches('.')
        .to_lowercase()
}

impl MailPolicy {
    /// Why `address` may not receive results, or `None` when it may.
    pub fn refusal(&self, address: &str) -> Option<String> {
        if self.allowed_domains.is_empty() {
            return None;
        }
        let domain = domain_of(address);
        if self.allowed_domains.contains(&domain) {
            return None;
        }
        Some(format!(
            "Results may only be e-mailed to addresses at {} (an administrator's rule, Settings → \
             E-mail); {address} is at {domain}. Set your address at an allowed domain (user menu → \
             E-mail for results…), or ask an administrator.",
            self.allowed_domains.join(", ")
        ))
    }
}

/// The administrator's list, checked and made canonical: trimmed, a leading `@` dropped,
/// lower-cased, without duplicates; an entry that is not a domain is refused by name.
fn canonical_domains(input: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for raw in input {
        let d = raw
            .trim()
            .trim_start_matches('@')
            .trim_end_matches('.')
            .to_lowercase();
        if d.is_empty() {
            continue;
        }
        if pdesk_normalize::validate_email(&format!("x@{d}")).is_err() {
            errors.push(
                FieldError::new(
                    "allowedDomains",
                    "invalidDomain",
                    format!(
                        "“{}” is not a domain: write domains like congty.vn, one per line or \
                         separated by commas",
                        raw.trim()
                    ),
                )
                .with("value", raw.trim()),
            );
        } else if !out.contains(&d) {
            out.push(d);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Validation(errors))
    }
}

impl Store {
    /// The rule as the mail code applies it (no permission: every result e-mail needs it).
    pub(super) fn stored_mail_policy(&self) -> Result<MailPolicy> {
        let domains = self.mail_setting("allowed_domains")?;
        Ok(MailPolicy {
            allowed_domains: domains
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
            attachment_rows: self
                .mail_setting("attachment_rows")?
                .trim()
                .parse()
                .unwrap_or(DEFAULT_ATTACHMENT_ROWS),
        })
    }

    /// The rule for result e-mails (administrators).
    pub fn mail_policy(&self, actor: &Actor) -> Result<MailPolicy> {
        actor.require(Permission::SettingsManage)?;
        self.stored_mail_policy()
    }

    /// Changes the rule (administrators; audited before → after). Addresses users already set
    /// are kept but are not mailed while outside the list (checked at each send).
    pub fn set_mail_policy(&mut self, actor: &Actor, input: &MailPolicy) -> Result<MailPolicy> {
        actor.require(Permission::SettingsManage)?;
        let domains = canonical_domains(&input.allowed_domains)?;
        if input.attachment_rows > MAX_ATTACHMENT_ROWS {
            return Err(FieldError::new(
                "attachmentRows",
                "outOfRange",
                format!(
                    "Attachment rows must be between 0 (never attach) and {} (you entered {})",
                    pdesk_normalize::display::count(u64::from(MAX_ATTACHMENT_ROWS)),
                    pdesk_normalize::display::count(u64::from(input.attachment_rows)),
                ),
            )
            .with("min", 0)
            .with("max", MAX_ATTACHMENT_ROWS)
            .with("value", input.attachment_rows)
            .into());
        }
        let before = self.stored_mail_policy()?;
        let after = MailPolicy {
            allowed_domains: domains,
            attachment_rows: input.attachment_rows,
        };
        if before != after {
            let at = self.now();
            let tx = self.conn.transaction()?;
            put_setting(
                &tx,
                "mail.allowed_domains",
                &after.allowed_domains.join(","),
            )?;
            put_setting(
                &tx,
                "mail.attachment_rows",
                &after.attachment_rows.to_string(),
            )?;
            crate::audit::append(
                &tx,
                &at,
                actor,
                "settings.mail_policy",
                "settings",
                serde_json::json!({ "before": before, "after": after }),
            )?;
            tx.commit()?;
        }
        self.stored_mail_policy()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(domains: &[&str]) -> MailPolicy {
        MailPolicy {
            allowed_domains: domains.iter().map(|d| d.to_string()).collect(),
            attachment_rows: 0,
        }
    }

    #[test]
    fn the_domain_after_the_last_at_is_compared_exactly_and_case_insensitively() {
        let p = policy(&["congty.vn"]);
        assert_eq!(p.refusal("Lan@CongTy.VN"), None);
        assert!(
            p.refusal("\"a@congty.vn\"@gmail.com").is_some(),
            "the last @ counts"
        );
        assert!(p.refusal("lan@sales.congty.vn").is_some(), "no sub-domains");
        assert!(p.refusal("lan@congty.vn.evil.com").is_some());
        assert_eq!(
            policy(&[]).refusal("anyone@anywhere.com"),
            None,
            "empty: any"
        );
    }

    #[test]
    fn the_list_is_made_canonical_and_a_non_domain_is_named() {
        let got = canonical_domains(&[" @CongTy.vn ".into(), "congty.vn".into(), "".into()]);
        assert_eq!(got.unwrap(), ["congty.vn"]);
        let e = canonical_domains(&["not a domain".into()]).unwrap_err();
        assert!(e.to_string().contains("not a domain"), "{e}");
    }
}
