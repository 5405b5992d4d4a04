//! The protocol's limits (SYNC.md §4.7), in one place. The server enforces them and announces
//! them in `hello` (`Limits::V1`); the client sizes its batches by what `hello` says.

/// Ops in one push.
pub const MAX_OPS_PER_PUSH: usize = 1_000;
/// A push body as sent (gzip-compressed or not): 1 MiB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A push body after decompression: 8 MiB (the decompression-bomb guard).
pub const MAX_INFLATED_BODY_BYTES: usize = 8 * 1024 * 1024;
/// One op, serialised as compact JSON: 32 KiB.
pub const MAX_OP_BYTES: usize = 32 * 1024;
/// Changes in one pull page (the most a client may ask with `limit`).
pub const PULL_MAX_CHANGES: u32 = 5_000;
/// A pull page's body: the server stops adding changes once it would pass 2 MiB.
pub const PULL_MAX_BYTES: usize = 2 * 1024 * 1024;
/// Pull page size when the client sends no `limit`.
pub const PULL_DEFAULT_CHANGES: u32 = 2_000;
/// Profiles in one snapshot page.
pub const SNAPSHOT_PAGE: u32 = 5_000;
/// Longest long-poll the server holds (`wait`), in seconds: under the 30–60 s idle timeouts
/// of common proxies. The server adds up to `LONG_POLL_JITTER_MS` so clients spread out.
pub const MAX_WAIT_SECS: u32 = 25;
pub const LONG_POLL_JITTER_MS: u32 = 2_000;
/// Requests compressed with gzip from this size on.
pub const GZIP_REQUEST_FROM_BYTES: usize = 8 * 1024;
/// Rate limits per access token: sustained requests per second and burst; pushes per second.
pub const RATE_REQUESTS_PER_SEC: u32 = 20;
pub const RATE_BURST: u32 = 40;
pub const RATE_PUSHES_PER_SEC: u32 = 5;
/// Access tokens live 15 minutes.
pub const ACCESS_TOKEN_SECS: u32 = 900;
/// The server clamps an op's HLC that is more than this far ahead of its own clock.
pub const MAX_CLOCK_AHEAD_MS: u64 = 10 * 60 * 1000;
/// The client warns when the server's clock and its own differ by more than this.
pub const CLOCK_WARNING_MS: u64 = 2 * 60 * 1000;
/// Buckets of the anti-entropy checksums.
pub const BUCKETS: usize = 256;
/// Entries in one page of `GET /v1/buckets/{b}`.
pub const BUCKET_PAGE: u32 = 5_000;
