//! The store's folder moved from the roaming to the local app-data folder (issue 15, "Data at
//! rest"): on Windows a roaming profile copies its folder to the domain's server and to every
//! computer the user signs in to, customers included. Versions before this one kept the store
//! in the roaming folder; the first start of this one moves it (copied, verified, then the old
//! one removed). On macOS and Linux both folders are the same and nothing moves.

use std::path::{Path, PathBuf};

use super::copy::{open_read_only, write_backup};
use super::{
    default_folder, list_backups, load_settings, save_settings, settings_path, verify_backup_file,
};
use crate::error::{Error, Result};
use crate::store::private_file;

/// What moving a store did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relocated {
    pub from: PathBuf,
    pub to: PathBuf,
    /// Backups moved along (those in the default backup folder next to the old store).
    pub backups: u32,
    /// The sentence to show.
    pub message: String,
}

/// Moves the store of the app identifier's folder from the OS's roaming data folder to the
/// local one, when they differ (Windows) and only the roaming one has a store.
pub fn adopt_roaming_store(dev: bool) -> Result<Option<Relocated>> {
    let (Some(roaming), Some(local)) = (dirs::data_dir(), dirs::data_local_dir()) else {
        return Ok(None);
    };
    if roaming == local {
        return Ok(None);
    }
    let identifier = crate::store::app_identifier(dev);
    let name = crate::store::default_db_path(dev)?
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("profiles.db"));
    relocate_store(&roaming.join(identifier), &local.join(identifier), &name)
}

/// Moves the store `old_dir/name` to `new_dir/name` when `new_dir` has none: a verified copy
/// of the database is written there first (one consistent snapshot, `integrity_check` and
/// every table's row count), then its backup settings and the backups of its default folder
/// (each verified after its copy), and only then are the old files removed. A failure before
/// the removal leaves the old store as it was (and the next start tries again: a half-made
/// new folder holds no database under its final name).
pub fn relocate_store(old_dir: &Path, new_dir: &Path, name: &Path) -> Result<Option<Relocated>> {
    let old_db = old_dir.join(name);
    let new_db = new_dir.join(name);
    if !old_db.is_file() || new_db.exists() {
        return Ok(None);
    }
    let fail = |e: Error| {
        Error::Backup(format!(
            "Profile Desk could not move its database from {} to {} ({e}); it keeps using the \
             old place untouched. Free some space on the disk and start again.",
            old_db.display(),
            new_db.display()
        ))
    };
    private_file::create_dir_all(new_dir).map_err(|e| fail(e.into()))?;
    let old_settings = load_settings(&old_db);
    let old_default = default_folder(&old_db);
    let moves_backups = Path::new(&old_settings.folder) == old_default;
    let mut moved_backups = Vec::new();
    let mut moved_manifests = Vec::new();
    (|| -> Result<()> {
        if moves_backups {
            let new_folder = default_folder(&new_db);
            private_file::create_dir_all(&new_folder)?;
            for backup in list_backups(&old_default)? {
                let from = PathBuf::from(&backup.path);
                let to = new_folder.join(&backup.file_name);
                private_file::copy(&from, &to)?;
                // An encrypted backup is checked for its size only: the key belongs to the
                // store's path, which the mover does not read.
                if crate::store::cipher::is_plain_file(&to)? {
                    verify_backup_file(&to, None)?;
                } else if std::fs::metadata(&to)?.len() != backup.bytes {
                    return Err(Error::Backup(format!(
                        "{} was not copied whole",
                        to.display()
                    )));
                }
                // Its audit manifest goes with it (`audit_tail`).
                let manifest = super::audit_tail::manifest_path(&from);
                if manifest.exists() {
                    private_file::copy(&manifest, &super::audit_tail::manifest_path(&to))?;
                    moved_manifests.push(manifest);
                }
                moved_backups.push(from);
            }
        }
        if settings_path(&old_db).exists() {
            let mut settings = old_settings.clone();
            if moves_backups {
                settings.folder = default_folder(&new_db).display().to_string();
            }
            save_settings(&new_db, &settings)?;
        }
        let source = open_read_only(&old_db, None)?;
        write_backup(&source, &new_db, None)?;
        Ok(())
    })()
    .map_err(fail)?;
    for companion in ["", "-wal", "-shm", ".lock"] {
        let mut path = old_db.as_os_str().to_owned();
        path.push(companion);
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
    let _ = std::fs::remove_file(settings_path(&old_db));
    for moved in moved_backups.iter().chain(&moved_manifests) {
        let _ = std::fs::remove_file(moved);
    }
    let _ = std::fs::remove_dir(&old_default);
    let _ = std::fs::remove_dir(old_dir);
    crate::files::sync_dir(new_dir)?;
    Ok(Some(Relocated {
        message: format!(
            "Profile Desk moved its database from the roaming folder {} to this computer's own \
             folder {} (with {} backups), so that it no longer travels with your Windows \
             profile.",
            old_dir.display(),
            new_dir.display(),
            moved_backups.len()
        ),
        from: old_db,
        to: new_db,
        backups: moved_backups.len() as u32,
    }))
}
