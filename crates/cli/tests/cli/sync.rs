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

use calamine::{open_workbook, Reader, Xlsx};

use crate::keychain::{keyring_available, keyring_session};
use crate::text;

pub(crate) const SERVER_PASSWORD: &str = "mật khẩu máy chủ 2026";

/// `pdesk-server`, built by `cargo test --workspace` beside `pdesk`.
pub(crate) fn server_binary() -> PathBuf {
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
    /// The pin of its key, when it serves HTTPS.
    pin: Option<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path) -> Served {
    serve_with(dir, &[])
}

/// `serve` with `extra` arguments (`--tls-cert`, `--tls-key`).
fn serve_with(dir: &Path, extra: &[&OsStr]) -> Served {
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
        .args(extra)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let tls = !extra.is_empty();
    let (mut url, mut pin) = (None, None);
    for _ in 0..6 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        if let Some(at) = line.find("http://").or_else(|| line.find("https://")) {
            url = line[at..].split_whitespace().next().map(str::to_string);
        }
        if let Some(at) = line.find("sha256/") {
            pin = Some(line[at..].trim().to_string());
        }
        if url.is_some() && (pin.is_some() || !tls) {
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    Served {
        child,
        url: url.expect("serve printed its address"),
        pin,
    }
}

pub(crate) struct Laptops<'a> {
    pub home: &'a Path,
    pub a: PathBuf,
    pub b: PathBuf,
    pub url: String,
    pub work: PathBuf,
}

impl<'h> Laptops<'h> {
    /// Two stores (`a/`, `b/`) in `dir`, the keyring in `home`, both syncing with `served`.
    fn in_dir(dir: &Path, home: &'h Path, served: &Served) -> Laptops<'h> {
        Laptops {
            home,
            a: dir.join("a").join("profiles.db"),
            b: dir.join("b").join("profiles.db"),
            url: served.url.clone(),
            work: dir.to_path_buf(),
        }
    }

    /// Runs `script` in the keyring session; `$A`, `$B` are the stores, `$URL` the server,
    /// `$W` a folder for files. Exit code 0 expected.
    pub fn run(&self, script: &str) -> String {
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

    /// Runs `script` as [`Laptops::run`] does, for a script that may fail: its exit code and
    /// its standard error.
    fn attempt(&self, script: &str) -> (Option<i32>, String) {
        let out: Output = keyring_session(
            self.home,
            script,
            &[
                ("A", self.a.as_os_str()),
                ("B", self.b.as_os_str()),
                ("URL", OsStr::new(&self.url)),
                ("W", self.work.as_os_str()),
                ("PDESK_SYNC_PASSWORD", OsStr::new(SERVER_PASSWORD)),
            ],
        );
        (out.status.code(), text(&out.stderr))
    }

    pub fn json(&self, script: &str) -> serde_json::Value {
        let out = self.run(script);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    /// The store's profiles as (name, phones, e-mails, city), sorted: all of them, through an
    /// export (a list page holds at most 500).
    pub fn profiles(&self, store: &str) -> Vec<(String, String, String, String)> {
        self.profiles_at(&format!("${store}"), store)
    }

    /// [`Laptops::profiles`] of the store at `db` (a shell word: `$W/l3/profiles.db`),
    /// exported as `$W/{name}.xlsx`.
    pub fn profiles_at(&self, db: &str, name: &str) -> Vec<(String, String, String, String)> {
        let file = self.work.join(format!("{name}.xlsx"));
        let _ = std::fs::remove_file(&file);
        self.run(&format!(
            "\"$PDESK\" --db \"{db}\" export --out \"$W/{name}.xlsx\" \
                 --columns full_name,phones,emails,city >/dev/null"
        ));
        let mut book: Xlsx<_> = open_workbook(&file).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let mut rows: Vec<_> = sheet
            .rows()
            .skip(1)
            .map(|r| {
                let s = |i: usize| r.get(i).map(|c| c.to_string()).unwrap_or_default();
                (s(0), s(1), s(2), s(3))
            })
            .collect();
        rows.sort();
        rows
    }
}

/// A temp dir, a real server in it and a keyring home for [`Laptops`]; `None` (the test is
/// skipped, and says so) where there is no Secret Service to run.
fn rig() -> Option<(tempfile::TempDir, Served, PathBuf)> {
    if !keyring_available() {
        eprintln!("skipped: needs dbus-run-session and gnome-keyring-daemon");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path());
    let home = dir.path().join("home");
    Some((dir, served, home))
}

#[cfg(target_os = "linux")]
#[test]
fn two_laptops_sync_through_a_real_server_and_nothing_is_lost_or_doubled() {
    let Some((dir, served, home)) = rig() else {
        return;
    };
    let laptops = Laptops::in_dir(dir.path(), &home, &served);
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

/// Starts `pdesk sync --once` on `$store` and kills it (-9) after each delay in turn, then lets
/// one run finish: the script for [`Laptops::run`].
fn killed_again_and_again(store: &str, delays: &[&str]) -> String {
    let mut script = String::new();
    for delay in delays {
        script.push_str(&format!(
            "\"$PDESK\" --db \"${store}\" sync --once >/dev/null 2>&1 & pid=$!\n\
             sleep {delay}; kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true\n"
        ));
    }
    script.push_str(&format!("\"$PDESK\" --db \"${store}\" sync --once\n"));
    script
}

#[cfg(target_os = "linux")]
#[test]
fn a_first_sync_killed_again_and_again_resumes_and_ends_with_every_profile_once() {
    let Some((dir, served, home)) = rig() else {
        return;
    };
    let laptops = Laptops::in_dir(dir.path(), &home, &served);
    // Killed during its initial push (batches of 1,000), then during the download (pages of
    // 500): each kill lands at a different step; every step commits before the next request.
    // The delays are short next to the work (on this machine's debug build: the initial push
    // of 6,000 takes ~4 s, their download ~1.3 s), so most kills land mid-work.
    let push_kills = ["0.2", "0.4", "0.6", "0.8", "1", "1.2"];
    let download_kills = ["0.15", "0.25", "0.35", "0.45"];
    let last_a = laptops.run(&format!(
        "\"$PDESK\" --db \"$A\" seed-demo --profiles 6000 >/dev/null
         \"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan --device 'Laptop A' >/dev/null
         {}",
        killed_again_and_again("A", &push_kills)
    ));
    let last_b = laptops.run(&format!(
        "\"$PDESK\" --db \"$B\" sync connect \"$URL\" --user lan --device 'Laptop B' >/dev/null
         {}",
        killed_again_and_again("B", &download_kills)
    ));
    // What the run after the kills still had to do (the kills' timing depends on the machine).
    eprintln!("A's last run: {last_a}B's last run: {last_b}");
    let a = laptops.profiles("A");
    let b = laptops.profiles("B");
    assert_eq!(a.len(), 6000);
    assert_eq!(a, b, "B received every profile of A, once");
    for store in ["A", "B"] {
        let status = laptops.json(&format!("\"$PDESK\" --db \"${store}\" --json sync status"));
        assert_eq!(status["pendingOps"], 0, "{store}: {status}");
        assert_eq!(status["rejections"], 0, "{store}: {status}");
        assert_eq!(status["phase"], "pull", "{store}: the first sync is over");
        laptops.run(&format!("\"$PDESK\" --db \"${store}\" audit verify"));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_laptop_restored_from_a_backup_and_a_held_import_reach_the_server_once() {
    let Some((dir, served, home)) = rig() else {
        return;
    };
    let laptops = Laptops::in_dir(dir.path(), &home, &served);
    std::fs::write(dir.path().join("hoa.tsv"), "Đặng Thị Hoa\t0977 123 456\n").unwrap();
    std::fs::write(dir.path().join("mai.tsv"), "Phan Thị Mai\t0905 333 444\n").unwrap();

    laptops.run(
        "\"$PDESK\" --db \"$A\" seed-demo --profiles 3 >/dev/null
         \"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan --device 'Laptop A' >/dev/null
         \"$PDESK\" --db \"$A\" sync --once >/dev/null
         \"$PDESK\" --db \"$A\" backup \"$W/backups\" >/dev/null",
    );
    // An import waits for its undo window; `sync` in the background would leave it there,
    // `sync --once` ("Sync now") sends it.
    let status = laptops.json(
        "\"$PDESK\" --db \"$A\" paste --file \"$W/hoa.tsv\" --columns full_name,phones >/dev/null
         \"$PDESK\" --db \"$A\" --json sync status",
    );
    assert_eq!(
        (status["heldOps"].as_u64(), status["pendingOps"].as_u64()),
        (Some(1), Some(0)),
        "{status}"
    );
    laptops.run("\"$PDESK\" --db \"$A\" sync --once >/dev/null");

    // The laptop goes back to the backup made before Hoa: its outbox is rewound. Its next
    // change would reuse the seq Hoa's create took on the server; the restore gave the copy a
    // new replica, so it is a new op, not a "duplicate". (Without the rotation the server's
    // `422 seq_reused` renumbers it; without both, Mai is refused — checked by hand.)
    let backup = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "db"))
        .expect("the backup file");
    laptops.run(&format!(
        "\"$PDESK\" --db \"$A\" restore '{}' >/dev/null
         \"$PDESK\" --db \"$A\" paste --file \"$W/mai.tsv\" --columns full_name,phones >/dev/null
         \"$PDESK\" --db \"$A\" sync --once >/dev/null
         \"$PDESK\" --db \"$B\" sync connect \"$URL\" --user lan --device 'Laptop B' >/dev/null
         \"$PDESK\" --db \"$B\" sync --once >/dev/null",
        backup.display()
    ));
    let a = laptops.profiles("A");
    let b = laptops.profiles("B");
    assert_eq!(b.len(), 5, "3 + Hoa + Mai, each once: {b:?}");
    assert_eq!(
        a, b,
        "the restored laptop got Hoa back from the server: {a:?}"
    );
    for store in ["A", "B"] {
        let status = laptops.json(&format!("\"$PDESK\" --db \"${store}\" --json sync status"));
        assert_eq!(status["pendingOps"], 0, "{store}: {status}");
        assert_eq!(status["heldOps"], 0, "{store}: {status}");
        assert_eq!(
            status["rejections"], 0,
            "{store}: nothing refused: {status}"
        );
    }
}

#[test]
fn a_conflict_is_decided_one_way_only() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let none = crate::pdesk(&db, &["conflict", "cf_1"]);
    assert_eq!(none.status.code(), Some(2), "a decision is required");
    let two = crate::pdesk(&db, &["conflict", "cf_1", "--keep", "--set", "Huế"]);
    assert_eq!(two.status.code(), Some(2), "one decision at most");
    let unknown = crate::pdesk(&db, &["conflict", "cf_1", "--set", "Huế"]);
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("There is no conflict cf_1"),
        "{}",
        text(&unknown.stderr)
    );
}

/// Linked objects come down with their profile (issue 13): an administrator links a ticket
/// with `pdesk-server link add` while the server runs; the laptop's next sync lists it, and a
/// second link and a status change later leave one row per object.
#[cfg(target_os = "linux")]
#[test]
fn objects_linked_on_the_server_reach_the_laptop_once() {
    let Some((dir, served, home)) = rig() else {
        return;
    };
    let laptops = Laptops::in_dir(dir.path(), &home, &served);
    std::fs::write(dir.path().join("hoa.tsv"), "Đặng Thị Hoa\t0977 123 456\n").unwrap();
    laptops.run(
        "\"$PDESK\" --db \"$A\" paste --file \"$W/hoa.tsv\" --columns full_name,phones >/dev/null
         \"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan --device 'Laptop A'
         \"$PDESK\" --db \"$A\" sync --once",
    );
    let link = |kind: &str, title: &str| {
        let out = Command::new(server_binary())
            .args([
                "link",
                "add",
                "--profile",
                "0977123456",
                "--kind",
                kind,
                "--title",
                title,
            ])
            .arg("--db")
            .arg(dir.path().join("server.db"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    let linked = || -> Vec<(String, String)> {
        let found = laptops.json("\"$PDESK\" --db \"$A\" --json list --search 0977123456");
        let id = found["rows"][0]["id"].as_i64().expect("Hoa is there");
        let shown = laptops.json(&format!("\"$PDESK\" --db \"$A\" --json show {id}"));
        let mut rows: Vec<(String, String)> = ["opportunities", "tickets"]
            .iter()
            .flat_map(|kind| shown["links"][kind].as_array().cloned().unwrap_or_default())
            .map(|o| {
                let s = |k: &str| o[k].as_str().unwrap_or_default().to_string();
                (s("title"), s("status"))
            })
            .collect();
        rows.sort();
        rows
    };
    link("ticket", "Đổi địa chỉ giao hàng");
    laptops.run("\"$PDESK\" --db \"$A\" sync --once");
    assert_eq!(
        linked(),
        [("Đổi địa chỉ giao hàng".to_string(), "open".to_string())]
    );
    link("opportunity", "Gói bảo hiểm 2027");
    laptops.run("\"$PDESK\" --db \"$A\" sync --once");
    assert_eq!(
        linked(),
        [
            ("Gói bảo hiểm 2027".to_string(), "open".to_string()),
            ("Đổi địa chỉ giao hàng".to_string(), "open".to_string())
        ],
        "one row per object, however often the profile comes down"
    );
}

/// A self-hosted server over HTTPS with a certificate from its own CA (no platform trusts
/// it): a laptop that is given nothing is refused, with advice; one given the CA file, or the
/// pin of the server's key that `serve` prints, connects and syncs; a wrong pin is refused
/// and names both keys.
#[cfg(target_os = "linux")]
#[test]
fn a_self_hosted_https_server_is_trusted_by_its_ca_file_or_the_pin_of_its_key() {
    if !keyring_available() {
        eprintln!("skipped: needs dbus-run-session and gnome-keyring-daemon");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Công ty An Phát CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let server_key = rcgen::KeyPair::generate().unwrap();
    let server_cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();
    let file = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let ca_file = file("ca.pem", ca.pem());
    let cert_file = file("cert.pem", server_cert.pem());
    let key_file = file("key.pem", server_key.serialize_pem());
    let served = serve_with(
        dir.path(),
        &[
            OsStr::new("--tls-cert"),
            cert_file.as_os_str(),
            OsStr::new("--tls-key"),
            key_file.as_os_str(),
        ],
    );
    assert!(
        served.url.starts_with("https://127.0.0.1:"),
        "{}",
        served.url
    );
    let pin = served
        .pin
        .clone()
        .expect("serve printed the pin of its key");
    let home = dir.path().join("home");
    let laptops = Laptops::in_dir(dir.path(), &home, &served);

    let (code, stderr) = laptops.attempt("\"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan");
    assert_ne!(code, Some(0));
    assert!(
        stderr.contains("does not trust the server's certificate") && stderr.contains("pin"),
        "{stderr}"
    );
    let wrong = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let (code, stderr) = laptops.attempt(&format!(
        "\"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan --pin {wrong}"
    ));
    assert_ne!(code, Some(0));
    assert!(
        stderr.contains(&format!(
            "the server's key is {pin}, not the pinned {wrong}"
        )),
        "{stderr}"
    );
    let (code, stderr) = laptops
        .attempt("\"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan --pin sha256/short");
    assert_ne!(code, Some(0));
    assert!(stderr.contains("not a certificate pin"), "{stderr}");

    // A is given the CA file, B the pin: both connect, sync, and see each other's customers.
    std::fs::write(dir.path().join("hoa.tsv"), "Đặng Thị Hoa\t0977 123 456\n").unwrap();
    laptops.run(&format!(
        "\"$PDESK\" --db \"$A\" paste --file \"$W/hoa.tsv\" --columns full_name,phones >/dev/null
         \"$PDESK\" --db \"$A\" sync connect \"$URL\" --user lan --ca-file \"{ca}\" >/dev/null
         \"$PDESK\" --db \"$A\" sync --once >/dev/null
         \"$PDESK\" --db \"$B\" sync connect \"$URL\" --user lan --pin '{pin}' >/dev/null
         \"$PDESK\" --db \"$B\" sync --once >/dev/null",
        ca = ca_file.display()
    ));
    let b = laptops.profiles("B");
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].0, "Đặng Thị Hoa");
    // Each store says how it trusts the server.
    let a = laptops.json("\"$PDESK\" --db \"$A\" --json sync status");
    assert_eq!(a["customCa"], true, "{a}");
    assert_eq!(a["certificatePin"], serde_json::Value::Null);
    let b = laptops.json("\"$PDESK\" --db \"$B\" --json sync status");
    assert_eq!(b["certificatePin"], pin.as_str(), "{b}");
    assert_eq!(b["pendingOps"], 0);
}
