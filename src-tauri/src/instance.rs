//! One app per database (issue 15): a second Profile Desk started on a database that one is
//! already showing stops before opening anything, and says so.
//!
//! Why a file lock and not `tauri-plugin-single-instance`: the plugin knows one instance per
//! app identifier (a D-Bus name, a named mutex), but Profile Desk legitimately runs twice at
//! once — "Open demo mode" starts a second app on its own database, and the end-to-end tests
//! start apps on temp-dir databases. What must not run twice is one *database*: so the app
//! holds an exclusive OS lock (`File::try_lock`: `flock` / `LockFileEx`) on `<database>.lock`
//! next to it for its whole life. The OS drops the lock when the process ends, however it ends,
//! so a crash never leaves a stale lock. The lock file holds the pid of its holder, for the
//! message. (The command line does not take it: `pdesk` may run beside the app; the store's
//! job claims keep them from running one job twice — `pdesk_core` `job_queue`.)
//!
//! A second launch cannot reach the first one's window without a channel between the two, so
//! it shows a native message naming the running one instead, and exits.
//!
//! The lock file also says how the last run ended (issue 18): the app writes [`CLEAN_EXIT`]
//! into it when it closes normally. A pid found there by the next start means that run ended
//! otherwise (a crash, a kill, a power cut), and the database's health check runs before it is
//! opened; after a clean exit it runs once the list shows. No lock file at all (a database
//! this computer never opened, copied in) counts as unclean.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// What the lock file holds after the app closed normally (instead of its pid).
pub const CLEAN_EXIT: &str = "closed";

/// The lock held for as long as this value lives (the app keeps it until it exits).
#[derive(Debug)]
pub struct InstanceLock {
    file: File,
    pub path: PathBuf,
    /// The last run on this database closed it normally ([`InstanceLock::mark_clean_exit`]).
    pub last_exit_clean: bool,
}

impl InstanceLock {
    /// Records that this run ends normally (the app's exit): the next start opens the store
    /// before its health check. Flushed to disk, as the next start may follow a power cut.
    pub fn mark_clean_exit(&mut self) -> std::io::Result<()> {
        write_holder(&mut self.file, CLEAN_EXIT)?;
        self.file.sync_data()
    }
}

/// Replaces what the lock file says.
fn write_holder(file: &mut File, text: &str) -> std::io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another Profile Desk holds it; its pid when it wrote one.
    Held {
        path: PathBuf,
        pid: Option<u32>,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Held { path, pid } => write!(
                f,
                "Profile Desk is already open on this database{} — switch to its window.\n\n\
                 (Lock: {})",
                pid.map(|p| format!(" (process {p})")).unwrap_or_default(),
                path.display()
            ),
            LockError::Io(e) => write!(f, "could not lock the database: {e}"),
        }
    }
}

/// The lock file of database `db`: `profiles.db` → `profiles.db.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    db.with_file_name(name)
}

/// Takes the lock of database `db` (creating its folder and lock file when needed), or says
/// who holds it.
pub fn lock_database(db: &Path) -> Result<InstanceLock, LockError> {
    let path = lock_path(db);
    let existed = path.exists();
    // Owner-only, in an owner-only folder when this creates it (issue 15, "Data at rest").
    let mut file = pdesk_core::store::private_file::open_or_create(&path).map_err(LockError::Io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Err(LockError::Held {
                path,
                pid: text.trim().parse().ok(),
            });
        }
        Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
    }
    // Ours now: how the last run ended, then our pid (for another launch's message, and for
    // the next start should this run not end cleanly).
    let mut last = String::new();
    let _ = file.read_to_string(&mut last);
    let last_exit_clean = existed && last.trim() == CLEAN_EXIT;
    let _ = write_holder(&mut file, &std::process::id().to_string());
    Ok(InstanceLock {
        file,
        path,
        last_exit_clean,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_database_fails_while_the_first_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("profiles.db");
        let first = lock_database(&db).expect("the first app takes the lock");
        assert_eq!(first.path, dir.path().join("profiles.db.lock"));
        match lock_database(&db) {
            Err(LockError::Held { pid, .. }) => {
                assert_eq!(pid, Some(std::process::id()), "the holder's pid is named")
            }
            other => panic!("a second app on the same database is refused: {other:?}"),
        }
        let message = lock_database(&db).unwrap_err().to_string();
        assert!(
            message.contains("already open on this database"),
            "{message}"
        );

        let demo = dir.path().join("demo.db");
        let other = lock_database(&demo).expect("another database (demo mode) is not blocked");
        drop(other);

        drop(first);
        lock_database(&db).expect("once the first app is gone, the next one starts");
    }

    #[test]
    fn the_lock_file_tells_the_next_start_whether_the_last_run_closed_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("profiles.db");
        let first = lock_database(&db).unwrap();
        assert!(
            !first.last_exit_clean,
            "a database this computer never opened is checked before opening"
        );
        drop(first); // ends without marking: a crash
        let mut second = lock_database(&db).unwrap();
        assert!(!second.last_exit_clean, "after a crash: checked first");
        second.mark_clean_exit().unwrap();
        drop(second);
        let third = lock_database(&db).unwrap();
        assert!(third.last_exit_clean, "after a normal exit: opened at once");
        assert_eq!(
            std::fs::read_to_string(&third.path).unwrap(),
            std::process::id().to_string(),
            "while running, the file names its holder again"
        );
        drop(third);
        assert!(
            !lock_database(&db).unwrap().last_exit_clean,
            "one clean exit covers one start only"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_file_and_its_new_folder_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("profiles.db");
        let lock = lock_database(&db).expect("lock");
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&lock.path), 0o600, "the lock file");
        assert_eq!(
            mode(&dir.path().join("data")),
            0o700,
            "the folder it created"
        );
    }
}
