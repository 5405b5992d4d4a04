//! Where customers' data may be e-mailed (issue 15, item 8), through the real SMTP sink: the
//! allowed result-address domains (checked when an address is set and again at each send),
//! the attachment row cap (above it the e-mail says where the file is and how many rows it
//! has), each user's own address (audited; the job's e-mail goes to whoever ran it), and every
//! e-mail not sent recorded on its job with the reason.

use std::ops::ControlFlow;

use mail_parser::MessageParser;
use pdesk_core::audit_log::AuditQuery;
use pdesk_core::jobs::{ImportSettings, ImportSource, JobStatus};
use pdesk_core::mail::{
    JobKind, KeychainStatus, MailPolicy, MailReason, MailSettingsInput, MailStatus, MemorySecrets,
    SecretError, Secrets,
};
use pdesk_core::Actor;

use crate::mail::{background_export, configured, fixture_copy, relay, xlsx_rows, ME};
use crate::smtp_sink::{closed_port, SinkOptions, SmtpSink};
use crate::{test_store, TestStore};

fn policy(domains: &[&str], attachment_rows: u32) -> MailPolicy {
    MailPolicy {
        allowed_domains: domains.iter().map(|d| d.to_string()).collect(),
        attachment_rows,
    }
}

fn import_as(t: &mut TestStore, who: &Actor) -> pdesk_core::jobs::JobSummary {
    let file = fixture_copy(t.dir.path(), "khach-hang.xlsx");
    let preview = t.store.preview_file(who, &file).expect("preview");
    let settings = ImportSettings::suggested(preview);
    let id = t
        .store
        .queue_import(who, &ImportSource::File(file), &settings)
        .expect("queue");
    let job = t
        .store
        .run_job(who, id, |_| ControlFlow::Continue(()))
        .expect("run");
    assert_eq!(job.status, JobStatus::Done, "imported");
    job
}

fn audit_details(t: &TestStore, action: &str) -> Vec<String> {
    let query = AuditQuery {
        action: Some(action.into()),
        limit: 100,
        ..AuditQuery::default()
    };
    t.store
        .audit_entries(&t.admin, &query)
        .unwrap()
        .entries
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| e.details)
        .collect()
}

#[test]
fn only_addresses_at_the_allowed_domains_are_set_and_mailed() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 1_100);
    let admin = t.admin.clone();
    // ME is at example.vn; the administrator allows congty.vn only (exact domain).
    let saved = t
        .store
        .set_mail_policy(&admin, &policy(&[" @CongTy.VN "], 10_000))
        .expect("policy");
    assert_eq!(saved.allowed_domains, ["congty.vn"], "kept canonical");
    for refused in [
        "lan@gmail.com",
        "lan@sales.congty.vn",
        "lan@congty.vn.evil.com",
    ] {
        let e = t
            .store
            .set_my_mail_address(&admin, refused)
            .expect_err(refused);
        assert_eq!(e.code(), "validation", "{e}");
        assert!(
            e.to_string().contains("congty.vn") && e.to_string().contains("Settings → E-mail"),
            "the refusal names the allowed domains and the rule: {e}"
        );
    }
    assert_eq!(
        t.store.my_mail_address(&admin).unwrap().as_deref(),
        Some(ME),
        "a refused address changes nothing"
    );
    let job = background_export(&mut t);
    // The address set before the list changed is not mailed any more.
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Skipped, "{mail:?}");
    assert_eq!(mail.reason, Some(MailReason::DomainNotAllowed), "{mail:?}");
    assert!(
        mail.detail
            .as_deref()
            .is_some_and(|d| d.contains(ME) && d.contains("congty.vn")),
        "the report says why: {mail:?}"
    );
    assert_eq!(
        t.store.job_mail(JobKind::Export, job.id).unwrap(),
        Some(mail),
        "stored with the job"
    );
    assert!(sink.messages().is_empty(), "nothing reached the server");

    // Upper case in the address is fine: the domain is compared case-insensitively.
    t.store
        .set_my_mail_address(&admin, "Lan@CONGTY.vn")
        .expect("an allowed domain");
    let mail = t
        .store
        .retry_job_mail(&admin, JobKind::Export, job.id, &secrets);
    assert_eq!(mail.unwrap().status, MailStatus::Sent);
    assert_eq!(sink.wait_for(1)[0].to, ["Lan@CONGTY.vn"]);

    let e = t
        .store
        .set_mail_policy(&admin, &policy(&["congty.vn", "not a domain"], 10))
        .unwrap_err();
    assert!(
        e.to_string().contains("“not a domain” is not a domain"),
        "{e}"
    );
    let changes = audit_details(&t, "settings.mail_policy");
    assert_eq!(changes.len(), 1, "one audited change: {changes:?}");
    assert!(changes[0].contains("congty.vn"), "{changes:?}");
}

#[test]
fn over_the_row_cap_the_export_email_says_where_the_file_is_and_how_many_rows_it_has() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 1_200);
    let admin = t.admin.clone();
    t.store
        .set_mail_policy(&admin, &policy(&[], 1_000))
        .expect("policy");
    let job = background_export(&mut t);
    assert!(
        job.file_bytes.unwrap() < 20 * 1024 * 1024,
        "the file fits the size limit"
    );
    let mail = t.store.send_export_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Sent, "{mail:?}");
    let got = sink.wait_for(1);
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    assert_eq!(msg.attachments().count(), 0, "no customers attached");
    let text = msg.body_text(0).expect("text").into_owned();
    let path = job.path.clone().expect("path");
    assert!(text.contains(&path), "where the file is: {text}");
    assert!(text.contains("1,200 rows"), "how many rows it has: {text}");
    assert!(text.contains("1,000 rows"), "and the cap: {text}");
    let sent = audit_details(&t, "mail.sent");
    assert!(
        sent[0].contains("\"attachedRows\":0"),
        "audited with no rows: {sent:?}"
    );

    // At the cap, the file is attached.
    t.store
        .set_mail_policy(&admin, &policy(&[], 1_200))
        .expect("policy");
    t.store
        .retry_job_mail(&admin, JobKind::Export, job.id, &secrets)
        .expect("retry");
    let got = sink.wait_for(2);
    let msg = MessageParser::default().parse(&got[1].data).expect("MIME");
    let attached: Vec<_> = msg.attachments().collect();
    assert_eq!(attached.len(), 1, "attached at the cap");
    assert_eq!(xlsx_rows(attached[0].contents()), 1_201);
}

#[test]
fn over_the_row_cap_the_import_email_does_not_attach_the_failed_rows() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    let admin = t.admin.clone();
    t.store
        .set_mail_policy(&admin, &policy(&[], 4))
        .expect("policy");
    let job = import_as(&mut t, &admin);
    assert_eq!(job.counts.failed, 5, "the fixture has 5 failed rows");
    let mail = t.store.send_import_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Sent, "{mail:?}");
    let got = sink.wait_for(1);
    let msg = MessageParser::default().parse(&got[0].data).expect("MIME");
    assert_eq!(msg.attachments().count(), 0, "the 5 rows are over the cap");
    let text = msg.body_text(0).expect("text").into_owned();
    assert!(
        text.contains("The 5 failed rows are more than the 4 rows")
            && text.contains(&format!("job {}", job.id)),
        "where they are: {text}"
    );
}

#[test]
fn a_sales_user_sets_their_own_address_and_gets_the_email_of_the_import_they_ran() {
    let sink = SmtpSink::start();
    let (mut t, secrets) = configured(sink.port, 0);
    let sales = t.sales();
    let e = t
        .store
        .set_my_mail_address(&sales, "sam@")
        .expect_err("not an address");
    assert!(e.to_string().contains("sam@"), "{e}");
    t.store
        .set_my_mail_address(&sales, "  sam@example.vn ")
        .expect("a Sales user sets their own address");
    assert_eq!(
        t.store.my_mail_address(&sales).unwrap().as_deref(),
        Some("sam@example.vn"),
        "kept per user, trimmed"
    );
    assert_eq!(
        t.store.my_mail_address(&t.admin).unwrap().as_deref(),
        Some(ME),
        "the administrator's own is untouched"
    );
    let set = audit_details(&t, "user.mail_address");
    assert!(
        set.iter().any(|d| d.contains("sam@example.vn")),
        "setting it is audited: {set:?}"
    );
    let job = import_as(&mut t, &sales);
    let mail = t.store.send_import_mail(&job, &secrets);
    assert_eq!(mail.status, MailStatus::Sent, "{mail:?}");
    assert_eq!(
        sink.wait_for(1)[0].to,
        ["sam@example.vn"],
        "to the user who ran the job"
    );
}

/// A computer without a keychain (no Secret Service): the password cannot be read.
struct NoKeychain;

impl Secrets for NoKeychain {
    fn get(&self, _: &str) -> Result<Option<String>, SecretError> {
        Err(SecretError::Unavailable(
            "No keychain is available on this computer".into(),
        ))
    }
    fn set(&self, _: &str, _: &str) -> Result<(), SecretError> {
        self.get("").map(drop)
    }
    fn delete(&self, _: &str) -> Result<(), SecretError> {
        Ok(())
    }
    fn status(&self) -> KeychainStatus {
        KeychainStatus {
            available: false,
            message: Some("No keychain".into()),
        }
    }
}

#[test]
fn every_email_not_sent_is_recorded_with_the_job_and_why() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let secrets = MemorySecrets::default();
    t.store.seed_demo(&admin, 1_001, 1).expect("seed");
    let job = background_export(&mut t);
    let expect = |t: &mut TestStore, secrets: &dyn Secrets, reason, status, says: &str| {
        let mail = t.store.send_export_mail(&job, secrets);
        assert_eq!(
            (mail.reason, mail.status),
            (Some(reason), status),
            "{mail:?}"
        );
        assert!(
            mail.detail.as_deref().is_some_and(|d| d.contains(says)),
            "{says:?} in {mail:?}"
        );
        let listed = t.store.job_mails(&t.admin, JobKind::Export).unwrap();
        assert_eq!(listed[0].reason, Some(reason), "listed with the job");
    };
    expect(
        &mut t,
        &secrets,
        MailReason::NotConfigured,
        MailStatus::Skipped,
        "not set up",
    );

    let refusing = SmtpSink::start_with(SinkOptions {
        refuse_recipients: Some("5.7.1 Relaying denied for this sender".into()),
        ..SinkOptions::default()
    });
    t.store
        .set_mail_settings(&admin, &relay(refusing.port), &secrets)
        .expect("settings");
    expect(
        &mut t,
        &secrets,
        MailReason::NoAddress,
        MailStatus::Skipped,
        "user menu",
    );
    t.store.set_my_mail_address(&admin, ME).expect("address");
    t.store
        .set_mail_policy(&admin, &policy(&["congty.vn", "example.vn"], 10_000))
        .expect("policy");
    t.store
        .set_mail_policy(&admin, &policy(&["congty.vn"], 10_000))
        .expect("policy");
    expect(
        &mut t,
        &secrets,
        MailReason::DomainNotAllowed,
        MailStatus::Skipped,
        "congty.vn",
    );
    t.store
        .set_mail_policy(&admin, &policy(&[], 10_000))
        .expect("policy");
    expect(
        &mut t,
        &secrets,
        MailReason::ServerRefused,
        MailStatus::Failed,
        "Relaying denied for this sender",
    );
    t.store
        .set_mail_settings(&admin, &relay(closed_port()), &secrets)
        .expect("settings");
    expect(
        &mut t,
        &secrets,
        MailReason::ServerUnreachable,
        MailStatus::Failed,
        "could not be reached",
    );
    let with_user = MailSettingsInput {
        username: "mailer".into(),
        ..relay(refusing.port)
    };
    t.store
        .set_mail_settings(&admin, &with_user, &NoKeychain)
        .expect("settings");
    expect(
        &mut t,
        &NoKeychain,
        MailReason::KeychainUnavailable,
        MailStatus::Skipped,
        "No keychain",
    );
    assert!(refusing.messages().is_empty(), "nothing was delivered");
}
