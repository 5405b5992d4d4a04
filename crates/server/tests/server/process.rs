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
    // A refused connection may end in a reset: what was read is the answer.
    let _ = stream.read_to_string(&mut answer);
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
    // `link add` finds the profile by an identifier; none holds this phone yet.
    let link = server()
        .args([
            "link",
            "add",
            "--profile",
            "0912 345 678",
            "--kind",
            "account",
            "--title",
            "Công ty An Phát",
            "--db",
            db,
        ])
        .output()
        .unwrap();
    assert_eq!(link.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&link.stderr).contains("no live profile holds 0912 345 678"));
    // With the customer on the server (pushed through the library), the link is made.
    {
        let database = pdesk_server::db::Database::open(db).unwrap();
        let session = pdesk_server::accounts::Session {
            user_id: "u".into(),
            user_name: "minh".into(),
            role: "Administrator".into(),
            device_id: "d".into(),
        };
        let mut device = crate::support::Device {
            id: "d".into(),
            refresh: String::new(),
            token: String::new(),
            replica: crate::support::gid(500),
            next_seq: 1,
            clock_ms: crate::support::T0,
        };
        let request = device.batch(vec![crate::support::create(
            &crate::support::gid(1),
            serde_json::json!({"full_name": "An", "phones": [{"raw": "0912345678"}]}),
        )]);
        let hlc = request.ops[0].hlc;
        database
            .write(|sql| pdesk_server::push::push(sql, &session, &request, hlc, crate::support::T0))
            .unwrap();
    }
    let link = server()
        .args([
            "link",
            "add",
            "--profile",
            "0912 345 678",
            "--kind",
            "account",
            "--title",
            "Công ty An Phát",
            "--json",
            "--db",
            db,
        ])
        .output()
        .unwrap();
    assert_eq!(
        link.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&link.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&link.stdout).unwrap();
    assert_eq!(created["link"]["title"], "Công ty An Phát");
    assert_eq!(created["rev"], 2);
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
    let mut served = start(dir.path(), &["--listen", "127.0.0.1:0"]);
    let addr = served.addr.clone();
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
    assert!(served.stop(), "serve exits with 0 on SIGTERM");
}

#[test]
fn serve_with_a_config_file_keeps_its_database_beside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("server.toml"), "listen = \"127.0.0.1:0\"\n").unwrap();
    let config = site.join("server.toml");
    let mut served = start(dir.path(), &["--config", config.to_str().unwrap()]);
    assert!(
        site.join("pdesk-server.db").exists(),
        "the database sits beside its config, not in the folder serve ran in"
    );
    assert!(!dir.path().join("pdesk-server.db").exists());
    let metrics = http(
        &served.addr,
        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    assert!(served.stop());
    // The admin commands read the same file: `check` finds the same database.
    let out = server()
        .args(["--config", config.to_str().unwrap(), "check", "--json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A misspelt key is a usage error naming the key, and serves nothing.
    std::fs::write(&config, "tls_crt = \"cert.pem\"\n").unwrap();
    let out = server()
        .args(["--config", config.to_str().unwrap(), "serve"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tls_crt"));
}

/// A `pdesk-server serve` child: killed when dropped (a failing test leaves no server behind);
/// its stderr is drained on a thread, so its log lines never meet a closed pipe.
struct Served {
    child: std::process::Child,
    addr: String,
}

impl Served {
    /// SIGTERM, as a service manager stops it: answers whether it exited cleanly.
    fn stop(&mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().map(|s| s.success()).unwrap_or(false)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `pdesk-server serve` with `args` in `dir`, and reads the address it prints.
fn start(dir: &std::path::Path, args: &[&str]) -> Served {
    let mut child = server()
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .env("PDESK_SERVER_PASSWORD", "a long password")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut addr = None;
    for _ in 0..5 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        if let Some(at) = line.find("://") {
            addr = Some(
                line[at + 3..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_string(),
            );
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let served = Served {
        child,
        addr: addr.unwrap_or_default(),
    };
    assert!(!served.addr.is_empty(), "serve printed no address");
    served
}

#[test]
fn serve_speaks_https_with_the_given_certificate_and_refuses_plain_http_beyond_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let refused = server()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .current_dir(dir.path())
        .env("PDESK_SERVER_PASSWORD", "a long password")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--tls-cert"));

    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert_file, key_file) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_file, cert.cert.pem()).unwrap();
    std::fs::write(&key_file, cert.signing_key.serialize_pem()).unwrap();
    let mut served = start(
        dir.path(),
        &[
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            cert_file.to_str().unwrap(),
            "--tls-key",
            key_file.to_str().unwrap(),
        ],
    );
    let addr = served.addr.clone();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut session = rustls::ClientConnection::new(std::sync::Arc::new(config), name).unwrap();
    let mut tcp = TcpStream::connect(&addr).unwrap();
    let mut tls = rustls::Stream::new(&mut session, &mut tcp);
    tls.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = tls.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // The same port does not answer plain HTTP.
    let plain = http(
        &addr,
        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(!plain.contains("200 OK"), "{plain}");
    assert!(served.stop(), "serve exits with 0 on SIGTERM");
}
