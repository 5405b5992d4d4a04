//! The pull cursor: opaque to the client (it stores and sends it back as is), a vector of
//! per-partition cseqs plus the server epoch to the server. Encoded as base64url of a small
//! JSON object `{"v":1,"e":epoch,"p":[cseq per partition]}` so it stays readable in logs
//! when decoded, and versioned so the server can change it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::base64url;

/// The opaque cursor as it travels.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String)]
pub struct Cursor(pub String);

/// What a cursor means to the server: the epoch it was issued under and, per partition, the
/// highest cseq the client has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CursorPosition {
    #[serde(rename = "v")]
    pub version: u32,
    #[serde(rename = "e")]
    pub epoch: String,
    #[serde(rename = "p")]
    pub partitions: Vec<u64>,
}

/// Why a cursor cannot be read: answered `400 malformed` (the client sent something it did
/// not get from the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCursor;

impl std::fmt::Display for BadCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the cursor is not one this server issued: send back the cursor of the last pull \
             unchanged, or none to start from a snapshot",
        )
    }
}

impl CursorPosition {
    pub const VERSION: u32 = 1;

    pub fn new(epoch: impl Into<String>, partitions: Vec<u64>) -> CursorPosition {
        CursorPosition {
            version: Self::VERSION,
            epoch: epoch.into(),
            partitions,
        }
    }

    pub fn encode(&self) -> Cursor {
        let json = serde_json::to_vec(self).expect("a cursor serialises");
        Cursor(base64url::encode(&json))
    }

    pub fn decode(cursor: &Cursor) -> Result<CursorPosition, BadCursor> {
        let json = base64url::decode(&cursor.0).ok_or(BadCursor)?;
        let position: CursorPosition = serde_json::from_slice(&json).map_err(|_| BadCursor)?;
        if position.version != Self::VERSION {
            return Err(BadCursor);
        }
        Ok(position)
    }

    /// True when `self` is nowhere behind `other` (a cursor must never move backwards).
    pub fn dominates(&self, other: &CursorPosition) -> bool {
        self.epoch == other.epoch
            && self.partitions.len() == other.partitions.len()
            && self
                .partitions
                .iter()
                .zip(&other.partitions)
                .all(|(a, b)| a >= b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_what_the_server_did_not_issue() {
        for bad in ["", "!!!!", "eyJ2IjoxfQ", "bm90IGpzb24"] {
            assert_eq!(
                CursorPosition::decode(&Cursor(bad.into())),
                Err(BadCursor),
                "{bad}"
            );
        }
        let mut future = CursorPosition::new("e", vec![1]);
        future.version = 2;
        assert_eq!(CursorPosition::decode(&future.encode()), Err(BadCursor));
    }

    proptest! {
        #[test]
        fn round_trips(epoch in "[0-9a-f-]{0,36}", p in proptest::collection::vec(any::<u64>(), 0..20)) {
            let position = CursorPosition::new(epoch, p);
            let cursor = position.encode();
            prop_assert!(cursor.0.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(CursorPosition::decode(&cursor), Ok(position));
        }
    }
}
