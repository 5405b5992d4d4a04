//! Files the mapping step has read in full a moment ago. Confirm must know a file's row count
//! (for the progress bar) and that it passes every rule; reading a 50,000-row file again for
//! that costs ~0.6 s, so a file whose path, size and modification time are unchanged since its
//! preview is taken as checked. Any change means a fresh read.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How many recently previewed files are remembered.
const REMEMBERED: usize = 16;

/// A file's identity on disk at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(FileStamp {
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}

#[derive(Default)]
pub(crate) struct CheckedFiles {
    entries: Vec<(PathBuf, FileStamp, u32)>,
}

impl CheckedFiles {
    /// `path` was read in full and passed every rule, with `rows` data rows.
    pub fn remember(&mut self, path: &Path, rows: u32) {
        let Some(now) = stamp(path) else { return };
        self.entries.retain(|(p, _, _)| p != path);
        if self.entries.len() == REMEMBERED {
            self.entries.remove(0);
        }
        self.entries.push((path.to_path_buf(), now, rows));
    }

    /// The row count of `path` if it is unchanged since it was remembered.
    pub fn rows(&self, path: &Path) -> Option<u32> {
        let now = stamp(path)?;
        self.entries
            .iter()
            .find(|(p, s, _)| p == path && *s == now)
            .map(|(_, _, rows)| *rows)
    }
}
