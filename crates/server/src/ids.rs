//! Ids and secrets the server makes: UUIDv7 ids on the server's clock (they sort by creation
//! time, so "oldest first" is "lowest id"), random tokens, and the SHA-256 under which tokens
//! and op bodies are stored.

use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::{NoContext, Timestamp, Uuid};

/// A UUIDv7 made at `now_ms`, as text, with an optional prefix (`rv_…`, `cf_…`, `d_…`).
pub fn new_id(prefix: &str, now_ms: u64) -> String {
    let ts = Timestamp::from_unix(
        NoContext,
        now_ms / 1000,
        ((now_ms % 1000) * 1_000_000) as u32,
    );
    format!("{prefix}{}", Uuid::new_v7(ts))
}

/// 32 random bytes, base64url (a refresh or access token).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    pdesk_sync_proto::base64url::encode(&bytes)
}

/// Hex SHA-256: how tokens are stored and op bodies compared.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_sort_by_time() {
        let a = new_id("", 1_000_000);
        let b = new_id("", 2_000_000);
        assert!(a < b);
        assert_eq!(Uuid::parse_str(&a).unwrap().get_version_num(), 7);
        assert!(new_id("rv_", 5).starts_with("rv_"));
        assert_ne!(new_id("", 5), new_id("", 5));
    }
}
