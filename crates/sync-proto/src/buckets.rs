//! `GET /v1/buckets/{b}` (SYNC.md §4.6): when a bucket's sum differs, the `(gid, rev)` of its
//! live profiles, in gid order and pages, so the client fetches what it lacks and drops what
//! the server does not have (unless it has pending ops).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BucketQuery {
    /// The `next` of the previous page; absent for the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BucketPage {
    pub bucket: u32,
    pub entries: Vec<BucketEntry>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BucketEntry {
    pub gid: String,
    pub rev: u64,
}
