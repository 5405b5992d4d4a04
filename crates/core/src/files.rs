//! How a file gets its final name, and the temporary files on the way.
//!
//! Every file the core writes for users (a backup, an export, the backup settings, a restored
//! database) is written under a temporary name and **published** with [`publish`]: the file is
//! fsynced, renamed, and its folder fsynced, so that after a power cut the final name holds
//! either nothing (or the old file) or the whole new one — never a prefix. It is the one way a
//! file is renamed into place (test `files_guard` lists every `rename` of the core).
//!
//! A temporary file is a [`TempFile`]: its name is deterministic for the job or operation that
//! writes it (`<export>.export-<id>.part`, `.<backup>.partial`, …), so a start after a crash
//! can find exactly those leftovers, and its writer holds an OS lock on it for as long as it
//! lives (Unix: `flock`, which SQLite's own `fcntl` locks do not touch). The start-up sweep
//! ([`remove_if_abandoned`]) removes a leftover only when it can take that lock: a file another
//! live process is writing is never removed. (Windows: the lock is not taken — a whole-file
//! lock there is mandatory and would refuse SQLite's own writes — and a file another process
//! holds open cannot be removed, which protects it the same way.)

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Makes `temp` durable, renames it to `dest` and makes the rename durable: the one way a file
/// gets its final name.
pub(crate) fn publish(temp: &Path, dest: &Path) -> std::io::Result<()> {
    // Opened for writing: Windows flushes a file only through a handle that may write it.
    OpenOptions::new().write(true).open(temp)?.sync_all()?;
    rename_durably(temp, dest)
}

/// Renames `from` to `to` (a file whose content is already on disk, e.g. a damaged database
/// kept aside) and fsyncs the folder.
pub(crate) fn rename_durably(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::rename(from, to)?;
    sync_dir(
        to.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
}

/// Makes a rename in `folder` durable (on Unix a directory is fsynced like a file; Windows
/// offers no directory handle for this and commits renames in its journal).
pub(crate) fn sync_dir(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// `.<name of dest>.<operation>.partial` next to `dest`: the hidden temporary name of one
/// operation writing `dest`.
pub(crate) fn hidden_temp(dest: &Path, operation: &str) -> PathBuf {
    let folder = dest.parent().unwrap_or(Path::new("."));
    let name = dest.file_name().unwrap_or_default().to_string_lossy();
    if operation.is_empty() {
        folder.join(format!(".{name}.partial"))
    } else {
        folder.join(format!(".{name}.{operation}.partial"))
    }
}

/// Whether `name` is one of our temporary file names (`.*.partial` or `*.part`).
pub(crate) fn is_temp_name(name: &str) -> bool {
    (name.starts_with('.') && name.ends_with(".partial")) || name.ends_with(".part")
}

/// A temporary file held by its writer: created (or taken over, emptied, from a crashed
/// writer) and locked; removed when dropped unless it was published.
pub(crate) struct TempFile {
    path: PathBuf,
    /// The open handle that holds the lock (closed last: it also keeps the lock while SQLite
    /// or a workbook writer opens the same file by name).
    handle: Option<File>,
}

impl TempFile {
    /// Creates and locks `path`. A leftover of a crashed writer is taken over (emptied); a file
    /// another live process is writing is refused with what to do.
    pub(crate) fn claim(path: PathBuf) -> Result<TempFile> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        // Owner-only like every file Profile Desk writes (`store::private_file`).
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(
            &mut options,
            crate::store::private_file::FILE_MODE,
        );
        let handle = options.open(&path)?;
        crate::store::private_file::restrict(&path)?;
        if !try_lock(&handle)? {
            return Err(Error::conflict(
                "fileBeingWritten",
                serde_json::json!({ "path": path.display().to_string() }),
                format!(
                    "Another Profile Desk is writing {} at this moment; try again when it has \
                     finished",
                    path.display()
                ),
            ));
        }
        handle.set_len(0)?;
        Ok(TempFile {
            path,
            handle: Some(handle),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// [`publish`]es the file as `dest`.
    pub(crate) fn publish(mut self, dest: &Path) -> std::io::Result<()> {
        publish(&self.path, dest)?;
        self.handle = None;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.handle.is_some() {
            // Removed while still locked, so no sweep can take it meanwhile.
            let _ = std::fs::remove_file(&self.path);
            self.handle = None;
        }
    }
}

/// Writes `dest` through the temporary file `temp` (held while `write` fills it) and publishes
/// it; on any failure the temporary file is removed and `dest` is untouched.
pub(crate) fn write_then_publish<T>(
    dest: &Path,
    temp: PathBuf,
    write: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let temp = TempFile::claim(temp)?;
    let out = write(temp.path())?;
    temp.publish(dest)?;
    Ok(out)
}

/// Removes the temporary file `path` left by a writer that is gone; keeps it (false) while a
/// live writer holds it. Also true when it is already gone.
pub(crate) fn remove_if_abandoned(path: &Path) -> std::io::Result<bool> {
    let handle = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(h) => h,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e),
    };
    if !try_lock(&handle)? {
        return Ok(false);
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        // Windows: another process holds it open (see the module doc); elsewhere a file this
        // user may not remove. Either way it stays.
        Err(_) => Ok(false),
    }
}

/// Takes the writer's lock on `file` without waiting: false when another handle holds it.
fn try_lock(file: &File) -> std::io::Result<bool> {
    #[cfg(unix)]
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_temp_file_is_kept_and_an_abandoned_one_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("backup.db");
        let temp = TempFile::claim(hidden_temp(&dest, "")).unwrap();
        std::fs::write(temp.path(), b"half").unwrap();
        #[cfg(unix)]
        {
            // (Windows takes no lock: there an open file cannot be removed instead.)
            assert!(!remove_if_abandoned(temp.path()).unwrap(), "a live writer");
            assert!(temp.path().exists());
            let again = TempFile::claim(temp.path().to_path_buf());
            assert!(again.is_err(), "a second writer is refused");
        }
        drop(temp);
        // A crashed writer's file: nobody holds its lock any more.
        let stale = hidden_temp(&dest, "");
        std::fs::write(&stale, b"half").unwrap();
        assert!(remove_if_abandoned(&stale).unwrap());
        assert!(!stale.exists());
        assert!(is_temp_name(".backup.db.partial"));
        assert!(is_temp_name("x.xlsx.export-3.part"));
        assert!(!is_temp_name("backup.db"));
    }

    #[test]
    fn publish_gives_the_final_name() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        let temp = TempFile::claim(hidden_temp(&dest, "x")).unwrap();
        std::fs::write(temp.path(), b"whole").unwrap();
        let path = temp.path().to_path_buf();
        temp.publish(&dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
        assert!(!path.exists());
        assert!(remove_if_abandoned(&path).unwrap(), "gone already");
    }
}
