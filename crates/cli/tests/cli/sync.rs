//! `pdesk sync` against a real `pdesk-server` process on loopback (issue 13): two stores —
//! two laptops — sync through it. The device tokens live in a real Secret Service (a private
//! GNOME Keyring session, as in `keychain.rs`), never in the stores.
//!
//! What it shows: a store's profiles held before connecting go up (initial push) and come down
//! to the other store (snapshot); the same customer entered offline on both laptops ends as
//! one profile (the server's rule merges the second create, which takes the first's id);
//! an edit and a delete with its reason reach the other laptop; nothing is left waiting.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::keychain::{keyring_available, keyring_session};
use crate::text;

const SERVER_PASSWORD: &str = "mật khẩu máy chủ 2026";

/// `pdesk-server`, built by `cargo test --workspace` beside `pdesk`.
fn server_binary() -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_pdesk")).with_file_name("pdesk-server");
    assert!(
        path.exists(),
        "{} is missing: build it (`cargo build -p pdesk-server`) or run the workspace's tests",
        path.display()
    );
    path
}

/// A `pdesk-server serve` child on a free loopback port; killed when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path) -> Served {
    let db = dir.join("server.db");
    let init = Command::new(server_binary())
        .args(["init", "--db"])
        .arg(&db)
        .args(["--admin", "lan"])
        .env("PDESK_SERVER_PASSWORD", SERVER_PASSWORD)
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", text(&init.stderr));
    let mut child = Command::new(server_binary())
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut url = None;
    for _ in 0..5 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        if let Some(at) = line.find("http://") {
            url = line[at..].split_whitespace().next().map(str::to_string);
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    Served {
        child,
        url: url.expect("serve printed its address"),
    }
}

struct Laptops<'a> {
    home: &'a Path,
    a: PathBuf,
    b: PathBuf,
    url: String,
    work: PathBuf,
}

impl Laptops<'_> {
    /// Runs `script` in the keyring session; `$A`, `$B` are the stores, `$URL` the server,
    /// `$W` a folder for files. Exit code 0 expected.
    fn run(&self, script: &str) -> String {
        let out: Output = keyring_session(
            self.home,
            &format!("set -e\n{script}"),
            &[
                ("A", self.a.as_os_str()),
                ("B", self.b.as_os_str()),
                ("URL", OsStr::new(&self.url)),
                ("W", self.work.as_os_str()),
                ("PDESK_SYNC_PASSWORD", OsStr::new(SERVER_PASSWORD)),
            ],
        );
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{script}\n{stdout}\n{stderr}");
        stdout
    }

    fn json(&self, script: &str) -> serde_json::Value {
        let out = self.run(script);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    /// The stores' profiles as (name, phones, e-mails, city), sorted.
    fn profiles(&self, store: &str) -> Vec<(String, String, String, String)> {
        let list = self.json(&format!(
            "\"$PDESK\" --db \"${store}\" list --json --limit 1000"
        ));
        let mut rows: Vec<_> = list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let c = &r["cells"];
                let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                (s("full_name"), s("phones"), s("emails"), s("city"))
            })
            .collect();
        rows.sort();
        rows
    }
}

#[cfg(target_os = "linux")]
#[test]
fn two_laptops_sync_through_a_real_server_and_nothing_is_lost_or_doubled() {
    if !keyring_available() {
        eprintln!("skipped: needs dbus-run-session and gnome-keyring-daemon");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path());
    let home = dir.path().join("home");
    let laptops = Laptops {
        home: &home,
        a: dir.path().join("a").join("profiles.db"),
        b: dir.path().join("b").join("profiles.db"),
        url: served.url.clone(),
        work: dir.path().to_path_buf(),
    };
    std::fs::write(dir.path().join("hoa-a.tsv"), "Đặng Thị Hoa\t0977 123 456\n").unwrap();
    std::fs::write(
        dir.path().join("hoa-b.tsv"),
        "Đặng T. Hoa\t0977123456\thoa.dang@example.vn\tĐà Lạt\n",
    )
    .unwrap();

    // Laptop A worked alone before: 40 customers. It connects, and they go up.
    laptops.run(
        "\"$PDESK\" --db \"$A\" seed-demo --profiles 40 >/dev/null
         \"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan --device 'Laptop A'
         \"$PDESK\" --db \"$A\" sync --once",
    );
    // Offline, both laptops enter the same new customer (a different spelling of her name).
    laptops.run(
        "\"$PDESK\" --db \"$A\" paste --file \"$W/hoa-a.tsv\" --columns full_name,phones >/dev/null
         \"$PDESK\" --db \"$A\" sync --once
         \"$PDESK\" --db \"$B\" paste --file \"$W/hoa-b.tsv\" \
             --columns full_name,phones,emails,city >/dev/null",
    );
    let round = laptops.json(
        "\"$PDESK\" --db \"$B\" sync connect \"$URL\" --user lan --device 'Laptop B' >/dev/null
         \"$PDESK\" --db \"$B\" --json sync --once",
    );
    assert_eq!(
        round["pushed"]["merged"], 1,
        "B's Hoa matched A's by phone: {round}"
    );
    assert_eq!(
        round["downloaded"]["profiles"], 40,
        "A's other customers came down"
    );
    laptops.run("\"$PDESK\" --db \"$A\" sync --once");

    let a = laptops.profiles("A");
    let b = laptops.profiles("B");
    assert_eq!(a.len(), 41, "40 + Hoa, once: {a:?}");
    assert_eq!(a, b, "both laptops hold the same customers");
    let hoa = a.iter().find(|p| p.1.contains("0977")).unwrap();
    assert_eq!(hoa.2, "hoa.dang@example.vn", "B's e-mail joined A's Hoa");
    assert_eq!(hoa.3, "Đà Lạt");

    // B deletes a customer, with the reason; A learns it and audits it.
    let list = laptops.json("\"$PDESK\" --db \"$B\" list --json --limit 1000");
    let hoa_id = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["cells"]["phones"].as_str().unwrap().contains("0977"))
        .and_then(|r| r["id"].as_i64())
        .unwrap();
    laptops.run(&format!(
        "\"$PDESK\" --db \"$B\" delete {hoa_id} --reason 'Khách yêu cầu xoá dữ liệu' >/dev/null
         \"$PDESK\" --db \"$B\" sync --once
         \"$PDESK\" --db \"$A\" sync --once"
    ));
    let a = laptops.profiles("A");
    assert_eq!(a.len(), 40);
    assert!(!a.iter().any(|p| p.1.contains("0977")), "deleted on A too");
    // The pulled delete's audit entry keeps A's hash chain whole.
    laptops.run("\"$PDESK\" --db \"$A\" audit verify");

    for store in ["A", "B"] {
        let status = laptops.json(&format!("\"$PDESK\" --db \"${store}\" --json sync status"));
        assert_eq!(status["connected"], true);
        assert_eq!(status["pendingOps"], 0, "{store}: nothing waits: {status}");
        assert_eq!(status["rejections"], 0, "{store}: {status}");
        assert!(status["lastSyncAt"].is_string());
    }
    // The tokens are in the keychain, not in the stores.
    let db_bytes = std::fs::read(&laptops.a).unwrap();
    assert!(!db_bytes.windows(12).any(|w| w == b"refresh_toke"));
}
