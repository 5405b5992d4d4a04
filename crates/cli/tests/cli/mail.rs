//! The result e-mail of `pdesk import` / `pdesk export`: sent to the user who ran the job, or
//! — when not sent — why, in the text output and in `--json` (`mail.status`, `mail.reason`).

use pdesk_core::mail::{MailPolicy, MailSettingsInput, MemorySecrets, SmtpSecurity};
use pdesk_core::Store;

use crate::{pdesk, text};

/// A store whose administrator set an address at gmail.com before an administrator allowed
/// congty.vn only: its e-mails are not sent.
fn store_with_an_address_outside_the_allowed_domains(db: &std::path::Path) {
    let mut store = Store::open(db).unwrap();
    let admin = store.actor(None).unwrap();
    let relay = MailSettingsInput {
        host: "127.0.0.1".into(),
        port: 2525,
        security: SmtpSecurity::None,
        username: String::new(),
        sender: "profile-desk@congty.vn".into(),
        password: None,
    };
    store
        .set_mail_settings(&admin, &relay, &MemorySecrets::default())
        .unwrap();
    store.set_my_mail_address(&admin, "lan@gmail.com").unwrap();
    let policy = MailPolicy {
        allowed_domains: vec!["congty.vn".into()],
        attachment_rows: 10_000,
    };
    store.set_mail_policy(&admin, &policy).unwrap();
}

#[test]
fn an_email_not_sent_is_shown_with_why_in_the_output_and_the_json() {
    let (_dir, db) = pdesk_testkit::temp_db();
    store_with_an_address_outside_the_allowed_domains(&db);
    let file = std::path::Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("../../tests/e2e/fixtures/customers-300.xlsx");
    let file = file.to_str().unwrap();

    let out = pdesk(&db, &["--json", "import", file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mail = &v[0]["mail"];
    assert_eq!(mail["status"], "skipped", "{v}");
    assert_eq!(mail["reason"], "domainNotAllowed", "{v}");
    assert!(
        mail["detail"]
            .as_str()
            .is_some_and(|d| d.contains("lan@gmail.com") && d.contains("congty.vn")),
        "{v}"
    );
    assert_eq!(mail["jobId"], v[0]["job"], "the e-mail of that job: {v}");

    let seeded = pdesk(&db, &["seed-demo", "--profiles", "1200"]);
    assert_eq!(seeded.status.code(), Some(0), "{}", text(&seeded.stderr));
    let out_file = db.with_file_name("all.xlsx");
    let out = pdesk(&db, &["export", "--out", out_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("E-mail not sent: Results may only be e-mailed to addresses at congty.vn")
            && stdout.contains("lan@gmail.com"),
        "the background export says why it sent no e-mail: {stdout}"
    );
}
