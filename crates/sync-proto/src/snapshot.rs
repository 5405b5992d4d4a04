//! `GET /v1/snapshot` (SYNC.md §4.5): a first sync in resumable pages of current rows in gid
//! order. The body is NDJSON: one `Change` per line (`profile` changes and the page's `consent`
//! events). Headers: `Pdsync-Watermark` (the cursor at the snapshot's start) and
//! `Pdsync-Next-After` (absent on the last page). The client stores `(watermark, after)` in the
//! same transaction as the page's rows, and pulls from the watermark when the pages are done.

use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::limits;
use crate::pull::Change;

/// The query of `GET /v1/snapshot`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SnapshotQuery {
    /// `new` to start a snapshot, or the watermark of the first page to resume it.
    pub watermark: String,
    /// The last gid of the previous page (`Pdsync-Next-After`); absent on the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Profiles per page, at most 5000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl SnapshotQuery {
    /// The watermark value that starts a new snapshot.
    pub const NEW: &'static str = "new";

    pub fn page_size(&self) -> u32 {
        self.limit
            .unwrap_or(limits::SNAPSHOT_PAGE)
            .clamp(1, limits::SNAPSHOT_PAGE)
    }
}

/// One line of a snapshot page.
pub fn encode_line(change: &Change) -> String {
    let mut line = serde_json::to_string(change).expect("a change serialises");
    line.push('\n');
    line
}

/// The changes of a snapshot page body; an empty line is skipped. The error names the line.
pub fn decode_page(body: &str) -> Result<Vec<Change>, String> {
    body.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line)
                .map_err(|e| format!("snapshot line {}: not a pdsync/1 change: {e}", n + 1))
        })
        .collect()
}
