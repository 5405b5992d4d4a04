//! The command line's password story: a fresh store needs none; after `init --admin` the
//! administrator's password comes from PDESK_PASSWORD; users and roles are managed with the
//! same rules and permissions as in the app.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::text;

/// Runs `pdesk --db DB ARGS...` with the given environment and no terminal on stdin.
fn pdesk_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pdesk"));
    cmd.env("PROFILE_DESK_KEYCHAIN", "off");
    cmd.arg("--db").arg(db).args(args).stdin(Stdio::null());
    cmd.env_remove("PDESK_PASSWORD")
        .env_remove("PDESK_NEW_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run pdesk")
}

const ADMIN_PW: &str = "admin password 1";

#[test]
fn scripts_need_the_password_once_the_administrator_has_one() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let out = pdesk_env(&db, &["list"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a fresh store needs no password: {}",
        text(&out.stderr)
    );

    let out = pdesk_env(&db, &["init", "--admin", "lan"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "no new password given: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("PDESK_NEW_PASSWORD"),
        "says how: {}",
        text(&out.stderr)
    );
    let out = pdesk_env(
        &db,
        &["init", "--admin", "lan", "--region", "TH"],
        &[("PDESK_NEW_PASSWORD", ADMIN_PW)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "first run: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("Administrator lan is set up"),
        "{}",
        text(&out.stdout)
    );

    let out = pdesk_env(&db, &["list"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refusal, not a crash: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("PDESK_PASSWORD"),
        "the message says where the password goes: {}",
        text(&out.stderr)
    );
    let out = pdesk_env(&db, &["list"], &[("PDESK_PASSWORD", "not the password")]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "wrong password: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("Wrong password for “lan”"),
        "{}",
        text(&out.stderr)
    );
    let out = pdesk_env(&db, &["list"], &[("PDESK_PASSWORD", ADMIN_PW)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the right password: {}",
        text(&out.stderr)
    );
}

#[test]
fn users_and_roles_are_added_with_the_apps_rules() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let admin = [
        ("PDESK_PASSWORD", ADMIN_PW),
        ("PDESK_NEW_PASSWORD", ADMIN_PW),
    ];
    let out = pdesk_env(&db, &["init", "--admin", "lan"], &admin);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = pdesk_env(
        &db,
        &["user", "add", "sam", "--role", "Sales"],
        &[
            ("PDESK_PASSWORD", ADMIN_PW),
            ("PDESK_NEW_PASSWORD", "short"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "a weak password is refused");
    assert!(
        text(&out.stderr).contains("at least 8 characters"),
        "{}",
        text(&out.stderr)
    );
    let out = pdesk_env(
        &db,
        &[
            "user",
            "add",
            "sam",
            "--role",
            "Sales",
            "--display-name",
            "Sam Trần",
        ],
        &[
            ("PDESK_PASSWORD", ADMIN_PW),
            ("PDESK_NEW_PASSWORD", "sales password 1"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = pdesk_env(
        &db,
        &["--user", "sam", "delete", "1", "--reason", "Cleanup"],
        &[("PDESK_PASSWORD", "sales password 1")],
    );
    assert_eq!(out.status.code(), Some(1), "Sales may not delete");
    assert!(
        text(&out.stderr).contains("You do not have permission to delete profiles"),
        "the seed FAQ's message: {}",
        text(&out.stderr)
    );
    let out = pdesk_env(
        &db,
        &["--user", "sam", "user", "list"],
        &[("PDESK_PASSWORD", "sales password 1")],
    );
    assert!(
        text(&out.stderr).contains("settings.manage"),
        "Sales cannot list users, and the missing permission is named: {}",
        text(&out.stderr)
    );
    let out = pdesk_env(
        &db,
        &[
            "role",
            "add",
            "Auditor",
            "--permissions",
            "profile.view,audit.view",
        ],
        &admin,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = pdesk_env(&db, &["user", "set-role", "sam", "Auditor"], &admin);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = pdesk_env(
        &db,
        &["--user", "sam", "audit", "verify"],
        &[("PDESK_PASSWORD", "sales password 1")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "the new role applies: {}",
        text(&out.stderr)
    );
    let out = pdesk_env(&db, &["--json", "user", "list"], &admin);
    let users: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(users[1]["role"], "Auditor", "{users}");
    assert_eq!(users[1]["displayName"], "Sam Trần", "{users}");
    let out = pdesk_env(&db, &["user", "deactivate", "lan"], &admin);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the last manager stays: {}",
        text(&out.stderr)
    );
}
