//! The identity of a confirmed file: its size and SHA-256. A file import runs (and, after a
//! crash or a restart, resumes by row number) from the file's path, so a file replaced or
//! edited after Confirm would be read from the middle of other data. The fingerprint taken at
//! Confirm is compared at every start; a changed file fails the job before any row of it is
//! applied.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileFingerprint {
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
}

impl FileFingerprint {
    /// Reads `path` once, in 64 KiB blocks (bounded memory whatever the size).
    pub fn of(path: &Path) -> Result<Self> {
        let unreadable = |e: std::io::Error| {
            Error::conflict(
                "fileUnreadable",
                serde_json::json!({ "path": path.display().to_string(), "detail": e.to_string() }),
                format!("{} cannot be read: {e}", path.display()),
            )
        };
        let mut file = std::fs::File::open(path).map_err(unreadable)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut size = 0u64;
        loop {
            let n = file.read(&mut buf).map_err(unreadable)?;
            if n == 0 {
                break;
            }
            size += n as u64;
            hasher.update(&buf[..n]);
        }
        Ok(Self {
            size,
            sha256: format!("{:x}", hasher.finalize()),
        })
    }

    /// Refuses to go on when the file at `path` is no longer the confirmed one.
    pub fn require_unchanged(&self, path: &Path, name: &str) -> Result<()> {
        let now = Self::of(path)?;
        if now == *self {
            return Ok(());
        }
        Err(Error::conflict(
            "fileChanged",
            serde_json::json!({ "file": name, "before": self.size, "now": now.size }),
            format!(
                "{name} changed after the import was confirmed ({} then, {} now): nothing was \
                 imported from the changed file. Upload it again to import what it holds now",
                pdesk_normalize::display::bytes(self.size),
                pdesk_normalize::display::bytes(now.size)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_pass_and_a_changed_byte_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("customers.xlsx");
        std::fs::write(&path, b"first contents").unwrap();
        let confirmed = FileFingerprint::of(&path).unwrap();
        assert_eq!(confirmed.size, 14);
        confirmed
            .require_unchanged(&path, "customers.xlsx")
            .expect("unchanged");
        // Same size, one byte different: only the hash tells.
        std::fs::write(&path, b"First contents").unwrap();
        let err = confirmed
            .require_unchanged(&path, "customers.xlsx")
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("customers.xlsx changed after the import was confirmed"),
            "{err}"
        );
    }
}
