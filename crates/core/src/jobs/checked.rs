//! Files a dry run has read in full a moment ago (the mapping step reads only the header and a
//! sample). Confirm must know a file's row count (for the progress bar) and that it passes
//! every rule; reading a 50,000-row file again for that costs ~0.6 s, so a file whose path,
//! size and modification time are unchanged since its dry run is taken as checked. Any change
//! means a fresh read. The dry run's shared values are kept here too ([`DryRunKeys`]).

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

/// Where a dry run's rows came from: a file as it was on disk, or a paste's text (by digest).
#[derive(Debug, Clone, PartialEq, Eq)]
enum SourceIdentity {
    File(PathBuf, FileStamp),
    Paste([u8; 32]),
}

fn identity(source: &super::ImportSource) -> Option<SourceIdentity> {
    use sha2::{Digest, Sha256};
    match source {
        super::ImportSource::File(path) => Some(SourceIdentity::File(path.clone(), stamp(path)?)),
        super::ImportSource::Paste(text) => Some(SourceIdentity::Paste(
            Sha256::digest(text.as_bytes()).into(),
        )),
    }
}

/// The shared keys the latest dry runs found (issue 18). The wizard runs a dry run before
/// Confirm can be pressed; finding the keys takes a whole read of the file before the first row
/// (a third of a 50,000-row import), so a job confirmed for the same unchanged source under the
/// same basis (`Store::keys_basis`: catalogue, region, guards, settings) takes them from here.
#[derive(Default)]
pub(crate) struct DryRunKeys {
    entries: Vec<(SourceIdentity, String, Vec<pdesk_rule::guards::SharedKey>)>,
}

impl DryRunKeys {
    /// A dry run of `source` under `basis` found `keys`.
    pub fn remember(
        &mut self,
        source: &super::ImportSource,
        basis: &str,
        keys: Vec<pdesk_rule::guards::SharedKey>,
    ) {
        let Some(id) = identity(source) else { return };
        self.entries.retain(|(i, b, _)| !(*i == id && b == basis));
        if self.entries.len() == REMEMBERED {
            self.entries.remove(0);
        }
        self.entries.push((id, basis.to_string(), keys));
    }

    /// The keys a dry run found for `source` under `basis`, if the source is unchanged since.
    pub fn keys(
        &self,
        source: &super::ImportSource,
        basis: &str,
    ) -> Option<Vec<pdesk_rule::guards::SharedKey>> {
        let id = identity(source)?;
        self.entries
            .iter()
            .find(|(i, b, _)| *i == id && b == basis)
            .map(|(_, _, keys)| keys.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::ImportSource;

    #[test]
    fn dry_run_keys_serve_only_the_same_unchanged_source_under_the_same_basis() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("khach.xlsx");
        std::fs::write(&path, b"first").unwrap();
        let file = ImportSource::File(path.clone());
        let paste = ImportSource::Paste("Lan\t0912345678".into());
        let mut memo = DryRunKeys::default();
        memo.remember(&file, "basis-1", Vec::new());
        memo.remember(&paste, "basis-1", Vec::new());
        assert!(memo.keys(&file, "basis-1").is_some());
        assert!(memo.keys(&paste, "basis-1").is_some());
        assert!(memo.keys(&file, "basis-2").is_none(), "other settings");
        assert!(
            memo.keys(&ImportSource::Paste("Lan\t0987654321".into()), "basis-1")
                .is_none(),
            "another paste"
        );
        std::fs::write(&path, b"changed, longer").unwrap();
        assert!(memo.keys(&file, "basis-1").is_none(), "the file changed");
    }
}
