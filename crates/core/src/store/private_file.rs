//! Files and folders only their owner can read (issue 15, "Data at rest"): on Unix every folder
//! Profile Desk creates for its data is `0700` and every file it writes there — the database
//! (and so SQLite's `-wal`, `-shm` and `-journal`, which SQLite creates with the database's
//! mode), the instance lock, backups, exports, their `.part` / `.partial` temporaries, settings
//! files — is `0600`, whatever the umask. Every path that creates such a file goes through
//! this module. Windows keeps the per-user ACL the profile folder gives its files.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// The mode of a file Profile Desk writes (Unix).
#[cfg(unix)]
pub const FILE_MODE: u32 = 0o600;
/// The mode of a folder Profile Desk creates for its data (Unix).
#[cfg(unix)]
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and its missing parents; those created here get [`DIR_MODE`]. An existing
/// folder keeps its mode: it may be one the user chose (`--db /srv/shared/…`, a backup folder).
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// Creates (or truncates) `path` for writing, readable by its owner only; its folder is
/// created when missing.
pub fn create(path: &Path) -> io::Result<File> {
    open_private(path, true)
}

/// Opens `path` for reading and writing without truncating it, creating it (owner only) when
/// missing: lock files.
pub fn open_or_create(path: &Path) -> io::Result<File> {
    open_private(path, false)
}

/// Creates an empty owner-only `path` when there is none, and narrows an existing one — without
/// opening an existing file: closing any descriptor of a database file drops every POSIX lock
/// this process holds on it, including those of SQLite connections already open on it.
pub fn create_if_missing(path: &Path) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => restrict(path),
        Err(e) => Err(e),
    }
}

fn open_private(path: &Path, truncate: bool) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options
        .read(true)
        .write(true)
        .create(true)
        .truncate(truncate);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    let file = options.open(path)?;
    // The mode above applies only when the file is new: an existing file is narrowed too.
    restrict_file(&file)?;
    Ok(file)
}

/// Narrows an existing file of ours (a database made by an older version) to its owner, by its
/// path (it is not opened, see [`create_if_missing`]). A missing file is fine.
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if meta.permissions().mode() & 0o777 != FILE_MODE {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn restrict_file(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = file.metadata()?;
        if meta.permissions().mode() & 0o777 != FILE_MODE {
            file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Copies `from` into a new owner-only `to` (unlike `std::fs::copy`, which carries the source's
/// mode over: a backup the user picked may be world-readable). Returns the bytes copied.
pub fn copy(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = File::open(from)?;
    let mut dest = create(to)?;
    io::copy(&mut source, &mut dest)
}

/// Writes `bytes` to a new owner-only `path`.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    io::Write::write_all(&mut create(path)?, bytes)
}
