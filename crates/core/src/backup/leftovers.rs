//! The start-up sweep of what a crash left behind: the temporary files of backups, restores,
//! settings and exports that never got their final name (`files`: each has a name
//! deterministic for its operation or job). Run by the app and by `pdesk` when they open a
//! store. It removes exactly the leftovers of operations that are no longer running: a
//! temporary file a live writer holds (its OS lock) is kept, and an export's `.part` is only
//! looked at when the export is not held under a live claim (`job_queue`, "Claims and leases").

use std::path::{Path, PathBuf};

use rusqlite::params;

use crate::error::Result;
use crate::export::jobs::part_prefix;
use crate::files::{is_temp_name, remove_if_abandoned};
use crate::store::Store;

/// What the sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    /// The leftovers removed.
    pub removed: Vec<PathBuf>,
    /// Temporary files kept because a live writer holds them.
    pub kept: Vec<PathBuf>,
}

impl Store {
    /// Removes the crash leftovers of this store (see the module doc): hidden `.*.partial` files
    /// in the database's folder and the backup folder, and the `.part` files of exports that
    /// are not running under a live claim. A file that cannot be looked at is left alone.
    pub fn sweep_crash_leftovers(&self) -> Result<Swept> {
        let mut swept = Swept::default();
        let db_folder = self
            .path()
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let backup_folder = PathBuf::from(super::load_settings(self.path()).folder);
        let mut folders = vec![db_folder];
        if !folders.contains(&backup_folder) {
            folders.push(backup_folder);
        }
        for folder in &folders {
            sweep_folder(folder, &mut swept, |name| {
                name.starts_with('.') && is_temp_name(name)
            });
        }
        let exports: Vec<(i64, String)> = self
            .conn
            .prepare(
                "SELECT id, file_path FROM export_jobs
                  WHERE file_path IS NOT NULL AND status <> 'done'
                    AND NOT (status = 'running' AND lease_until >= ?1)",
            )?
            .query_map(params![self.now()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let exports_dir = self.exports_dir();
        for (id, file_path) in exports {
            let out = Path::new(&file_path);
            let (Some(folder), Some(name)) = (out.parent(), out.file_name()) else {
                continue;
            };
            let prefix = format!("{}{}", name.to_string_lossy(), part_prefix(id));
            sweep_folder(folder, &mut swept, |n| {
                n.starts_with(&prefix) && n.ends_with(".part")
            });
            if folder.starts_with(&exports_dir) {
                // A background export's own folder, empty once its leftover is gone.
                let _ = std::fs::remove_dir(folder);
            }
        }
        Ok(swept)
    }
}

/// Removes the abandoned files of `folder` whose name passes `ours`.
fn sweep_folder(folder: &Path, swept: &mut Swept, ours: impl Fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !ours(&name.to_string_lossy()) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        match remove_if_abandoned(&path) {
            Ok(true) => swept.removed.push(path),
            Ok(false) => swept.kept.push(path),
            Err(e) => eprintln!("Profile Desk: {} was left alone: {e}", path.display()),
        }
    }
}
