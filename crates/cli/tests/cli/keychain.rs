//! The store's key in a real Secret Service (issue 15, item 9): GNOME Keyring on a private
//! D-Bus session (`dbus-run-session`, `gnome-keyring-daemon --unlock`), in a temp home, so the
//! keyring of the computer running the tests is never touched. `cargo xtask test` installs
//! both (Debian packages `dbus-daemon`, `gnome-keyring`); without them the test says it was
//! skipped.

use std::path::Path;
use std::process::{Command, Output};

use crate::text;

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether this machine can run a private keyring session (`cargo xtask test` installs both).
pub fn keyring_available() -> bool {
    installed("dbus-run-session") && installed("gnome-keyring-daemon")
}

/// Runs `script` (a POSIX shell script; `$PDESK` is the binary, `$DB` the store) in a new D-Bus
/// session with an unlocked GNOME Keyring whose files live in `home`.
fn in_keyring_session(home: &Path, db: &Path, script: &str) -> Output {
    keyring_session(home, script, &[("DB", db.as_os_str())])
}

/// Runs `script` in a new D-Bus session with an unlocked GNOME Keyring whose files live in
/// `home` (the same `home` again finds the same keyring), with `$PDESK` and `vars` set.
pub fn keyring_session(home: &Path, script: &str, vars: &[(&str, &std::ffi::OsStr)]) -> Output {
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    let setup =
        "printf 'test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\n";
    let mut command = Command::new("dbus-run-session");
    command
        .arg("--")
        .arg("sh")
        .arg("-c")
        .arg(format!("{setup}{script}"))
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("PDESK", env!("CARGO_BIN_EXE_pdesk"))
        .env_remove("PROFILE_DESK_KEYCHAIN")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    for (name, value) in vars {
        command.env(name, value);
    }
    // Output to files, and wait for the session itself: a keyring daemon it started may outlive
    // it holding inherited pipes, and waiting for those to close would wait for ever.
    let (out_path, err_path) = (home.join("session.out"), home.join("session.err"));
    let status = command
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .status()
        .expect("run dbus-run-session");
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap_or_default(),
        stderr: std::fs::read(&err_path).unwrap_or_default(),
    }
}

fn is_plain(path: &Path) -> bool {
    std::fs::read(path).unwrap()[..16] == *b"SQLite format 3\0"
}

#[cfg(target_os = "linux")]
#[test]
fn with_a_real_secret_service_a_plain_store_is_encrypted_and_every_process_finds_its_key() {
    if !keyring_available() {
        eprintln!("skipped: needs dbus-run-session and gnome-keyring-daemon");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("store").join("profiles.db");
    // A store made where no keychain was: plain.
    let seeded = crate::pdesk(&db, &["seed-demo", "--profiles", "25"]);
    assert_eq!(seeded.status.code(), Some(0), "{}", text(&seeded.stderr));
    assert!(is_plain(&db));

    let out = in_keyring_session(
        home.path(),
        &db,
        "\"$PDESK\" --db \"$DB\" list --limit 3 || exit 11\n\
         \"$PDESK\" --db \"$DB\" backup || exit 12\n\
         \"$PDESK\" --db \"$DB\" check || exit 13\n",
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("encrypted this database (25 profiles)"),
        "the first process with a keychain encrypts the store and says so: {stderr}"
    );
    assert!(!stderr.contains("NOT encrypted"), "{stderr}");
    assert!(
        stdout.contains("The database and its backups are encrypted"),
        "a later process opens it with the key from the keychain: {stdout}"
    );
    assert!(!is_plain(&db), "the file is encrypted");
    let backups: Vec<_> = std::fs::read_dir(db.with_file_name("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    assert_eq!(
        backups.len(),
        2,
        "the one before encryption, and pdesk backup's"
    );
    assert!(
        backups.iter().all(|b| !is_plain(b)),
        "every backup is encrypted"
    );

    // The key is in that keyring only: without it the store is refused, with what to do.
    let refused = crate::pdesk(&db, &["check"]);
    assert_ne!(refused.status.code(), Some(0));
    assert!(
        text(&refused.stderr).contains("keychain has no key for it"),
        "{}",
        text(&refused.stderr)
    );
}
