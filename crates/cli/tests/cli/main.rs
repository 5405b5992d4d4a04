//! `pdesk` as scripts use it: the real binary, run against temp-dir stores.

mod at_rest;
mod backup;
// An X clipboard (Xvfb and xclip); on other systems the clipboard is always there.
#[cfg(target_os = "linux")]
mod clipboard;
mod delete_and_audit;
mod export;
#[cfg(target_os = "linux")]
mod faults;
mod import;
mod keychain;
mod mail;
mod review;
mod sync;
mod sync_kills;
mod sync_proxy;
mod sync_soak;
mod template;
mod users;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `pdesk --db DB ARGS...`.
pub fn pdesk(db: &Path, args: &[&str]) -> Output {
    pdesk_with_stdin(db, args, "")
}

/// Runs `pdesk --db DB ARGS...` with `stdin` as standard input.
pub fn pdesk_with_stdin(db: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    // Never the keychain of the computer the tests run on (see `store::cipher::KEYCHAIN_SWITCH`);
    // the encryption itself is tested in the core and in `keychain.rs`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_pdesk"))
        .env("PROFILE_DESK_KEYCHAIN", "off")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run pdesk");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("pdesk output")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The benchmark is not part of the shipped command line (it is `pdesk-bench`, crates/bench).
#[test]
fn the_help_lists_no_benchmark_and_the_bench_commands_are_gone() {
    let out = Command::new(env!("CARGO_BIN_EXE_pdesk"))
        .arg("--help")
        .output()
        .expect("run pdesk --help");
    assert!(out.status.success(), "--help succeeds");
    let help = text(&out.stdout);
    assert!(
        help.contains("seed-demo"),
        "the help lists the commands: {help}"
    );
    assert!(
        !help.contains("bench"),
        "no bench command in the help: {help}"
    );
    let (_dir, db) = pdesk_testkit::temp_db();
    for command in ["bench", "bench-child"] {
        let out = pdesk(&db, &[command, "import"]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "`pdesk {command}` is a usage error, not a command: {}",
            text(&out.stderr)
        );
    }
}
