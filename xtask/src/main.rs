//! `cargo xtask run|test|gen|bench`: the README's commands. Each one first installs what is
//! missing (Debian/Ubuntu system packages, npm packages), so that a fresh machine with only
//! Rust and Node needs nothing else.

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
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run_app(&args[1..]),
        Some("test") => test_all(),
        Some("gen") => gen_bindings(),
        Some("bench") => bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  run     install what is missing and start Profile Desk\n  \
                 test    install what is missing and run every test (Rust, UI, end-to-end)\n  \
                 gen     regenerate the TypeScript bindings of the IPC types\n  \
                 bench   the SPEC section 9 benchmark (release build) [--profiles N]"
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
            "--features",
            "ts",
            "--lib",
            "export_bindings",
        ],
    ))
}

/// Fails when the committed bindings differ from what the Rust types generate.
fn check_bindings_drift() -> Result {
    gen_bindings()?;
    step("checking that the committed TypeScript bindings match the Rust types");
    let out = cmd(
        "git",
        &["status", "--porcelain", "--", "ui/src/ipc/bindings"],
    )
    .output()
    .map_err(|e| format!("git: {e}"))?;
    let changes = String::from_utf8_lossy(&out.stdout);
    if changes.trim().is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the TypeScript bindings drifted from the Rust types; run `cargo xtask gen` and commit:\n{changes}"
        ))
    }
}

fn test_all() -> Result {
    ensure_system_packages(&[BUILD_PACKAGES, TEST_PACKAGES].concat())?;
    ensure_npm_packages()?;
    step("rustfmt");
    exec(cmd("cargo", &["fmt", "--all", "--check"]))?;
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
    step("Rust tests");
    exec(cmd("cargo", &["test", "--workspace"]))?;
    step("UI: typecheck, lint, unit tests");
    exec(cmd("npm", &["run", "typecheck"]))?;
    exec(cmd("npm", &["run", "lint"]))?;
    exec(cmd("npm", &["run", "test:ui"]))?;
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
            "profile-desk/custom-protocol",
        ],
    ))?;
    step("end-to-end tests (real window under Xvfb, WebDriver)");
    let target = target_dir();
    let mut e2e = cmd("npm", &["run", "test:e2e"]);
    e2e.env("PDESK_APP", target.join("debug/profile-desk"))
        .env("PDESK_CLI", target.join("debug/pdesk"));
    exec(e2e)?;
    eprintln!("\nAll tests passed.");
    Ok(())
}

fn bench(extra: &[String]) -> Result {
    step("building pdesk (release)");
    exec(cmd(
        "cargo",
        &["build", "--profile", "bench-fast", "-p", "pdesk-cli"],
    ))?;
    let python = bench_python();
    step("running the benchmark");
    let mut c = Command::new(target_dir().join("bench-fast/pdesk"));
    c.arg("bench").args(extra).current_dir(root());
    if let Some(python) = python {
        c.env("PDESK_BENCH_PYTHON", python);
    }
    exec(c)
}

/// A virtualenv with the peers (polars + fastexcel, pandas + openpyxl) from PyPI, made once in
/// the target dir. Without Python the benchmark runs without peers.
fn bench_python() -> Option<PathBuf> {
    let venv = target_dir().join("bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        step(
            "installing the benchmark peers (polars, fastexcel, pandas, openpyxl) in a virtualenv",
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
    ]);
    match exec(pip) {
        Ok(()) => Some(python),
        Err(e) => {
            eprintln!("xtask: {e}; the benchmark runs without its Python peers");
            None
        }
    }
}
