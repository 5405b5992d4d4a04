//! `pdesk` as scripts use it: the real binary, run against temp-dir stores.

mod backup;
mod delete_and_audit;
mod export;
mod import;
mod review;
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_pdesk"))
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
