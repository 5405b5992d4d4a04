//! The real `pdesk-server` binary: `init`, `user add`, exit codes, and `serve` answering
//! over TCP on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn server() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pdesk-server"))
}

fn http(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn init_user_add_and_their_refusals_have_the_documented_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let init = server()
        .args(["init", "--db", db, "--admin", "minh"])
        .env("PDESK_SERVER_PASSWORD", "a long password")
        .output()
        .unwrap();
    assert_eq!(
        init.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let again = server()
        .args(["init", "--db", db, "--admin", "minh"])
        .env("PDESK_SERVER_PASSWORD", "a long password")
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has users"));
    let bad_role = server()
        .args(["user", "add", "lan", "--role", "Boss", "--db", db])
        .env("PDESK_SERVER_PASSWORD", "a long password")
        .output()
        .unwrap();
    assert_eq!(bad_role.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("Administrator, Sales, Viewer"));
    let usage = server().args(["user", "frobnicate"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let added = server()
        .args(["user", "add", "lan", "--db", db])
        .env("PDESK_SERVER_PASSWORD", "a long password")
        .output()
        .unwrap();
    assert_eq!(added.status.code(), Some(0));
    let list = server()
        .args(["user", "list", "--json", "--db", db])
        .output()
        .unwrap();
    let users: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 2);
    let check = server().args(["check", "--db", db]).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn serve_on_a_new_file_creates_it_and_answers_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = server()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("PDESK_SERVER_PASSWORD", "a long password")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut addr = None;
    for _ in 0..5 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            addr = Some(rest.split_whitespace().next().unwrap().to_string());
            break;
        }
    }
    let addr = addr.expect("serve prints its address");
    assert!(
        dir.path().join("pdesk-server.db").exists(),
        "the default file next to where it runs"
    );
    let body =
        r#"{"user":"admin","password":"a long password","device_name":"probe","platform":"linux"}"#;
    let answer = http(
        &addr,
        &format!(
            "POST /v1/devices HTTP/1.1\r\nHost: x\r\nPdsync-Protocol: 1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let metrics = http(
        &addr,
        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(metrics.contains("pdesk_requests_total 1"), "{metrics}");
    // Ctrl-C's cousin: SIGTERM stops it cleanly.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success() || status.code().is_none(), "{status:?}");
}
