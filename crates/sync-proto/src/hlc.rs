//! The hybrid logical clock's text form: `<12 hex wall ms>-<4 hex counter>`, lower-case, e.g.
//! `0190f3a2b4c5-0003`. Fixed width and lower-case only, so the text sorts exactly as the
//! clock does (a server may compare HLCs as strings in SQL). The tiebreak between equal HLCs
//! (the replica id) travels beside it, not in it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// A hybrid logical clock value: 48 bits of wall-clock milliseconds and a 16-bit counter.
/// Ordered by wall time, then counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc {
    wall_ms: u64,
    counter: u16,
}

/// Why a text is not an HLC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HlcError {
    /// Not 12 hex digits, `-`, 4 hex digits.
    Shape,
    /// Upper-case hex: refused so that text order stays clock order.
    UpperCase,
}

impl fmt::Display for HlcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HlcError::Shape => f.write_str(
                "an HLC is 12 hex digits of wall-clock milliseconds, '-', 4 hex digits of counter \
                 (e.g. 0190f3a2b4c5-0003)",
            ),
            HlcError::UpperCase => {
                f.write_str("an HLC is written in lower-case hex (e.g. 0190f3a2b4c5-0003)")
            }
        }
    }
}

impl std::error::Error for HlcError {}

impl Hlc {
    /// The largest wall time the 48 bits hold (year 10889).
    pub const MAX_WALL_MS: u64 = (1 << 48) - 1;

    /// `None` when `wall_ms` does not fit in 48 bits.
    pub fn new(wall_ms: u64, counter: u16) -> Option<Hlc> {
        (wall_ms <= Self::MAX_WALL_MS).then_some(Hlc { wall_ms, counter })
    }

    pub fn wall_ms(self) -> u64 {
        self.wall_ms
    }

    pub fn counter(self) -> u16 {
        self.counter
    }

    /// The 64-bit integer form (`wall_ms << 16 | counter`), ordered like the HLC: what the
    /// client's `outbox.hlc INTEGER` column stores.
    pub fn to_u64(self) -> u64 {
        self.wall_ms << 16 | u64::from(self.counter)
    }

    pub fn from_u64(packed: u64) -> Hlc {
        Hlc {
            wall_ms: packed >> 16,
            counter: packed as u16,
        }
    }

    /// The clock after a local event at wall time `now_ms`: never backwards; the counter
    /// counts events within one millisecond. `None` when the counter would overflow (65,536
    /// events in one millisecond) or the wall time leaves 48 bits.
    pub fn tick(self, now_ms: u64) -> Option<Hlc> {
        if now_ms > self.wall_ms {
            Hlc::new(now_ms, 0)
        } else {
            Some(Hlc {
                wall_ms: self.wall_ms,
                counter: self.counter.checked_add(1)?,
            })
        }
    }

    /// The clock after hearing `remote` (hello, pull, push answers) at wall time `now_ms`:
    /// `max(local, remote, now)`, then one tick so the next local event sorts after both.
    pub fn observe(self, remote: Hlc, now_ms: u64) -> Option<Hlc> {
        self.max(remote).tick(now_ms)
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012x}-{:04x}", self.wall_ms, self.counter)
    }
}

impl FromStr for Hlc {
    type Err = HlcError;

    fn from_str(text: &str) -> Result<Hlc, HlcError> {
        let (wall, counter) = text.split_once('-').ok_or(HlcError::Shape)?;
        let hex = |s: &str, len: usize| {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                Err(HlcError::Shape)
            } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
                Err(HlcError::UpperCase)
            } else {
                Ok(u64::from_str_radix(s, 16).map_err(|_| HlcError::Shape)?)
            }
        };
        Ok(Hlc {
            wall_ms: hex(wall, 12)?,
            counter: hex(counter, 4)? as u16,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Hlc, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Hlc {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9a-f]{12}-[0-9a-f]{4}$"))
            .description(Some(
                "Hybrid logical clock: 12 lower-case hex digits of wall-clock milliseconds, '-', \
                 4 hex digits of counter. Text order is clock order.",
            ))
            .examples([serde_json::json!("0190f3a2b4c5-0003")])
            .into()
    }
}

impl utoipa::ToSchema for Hlc {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hlc() -> impl Strategy<Value = Hlc> {
        (0..=Hlc::MAX_WALL_MS, any::<u16>()).prop_map(|(w, c)| Hlc::new(w, c).unwrap())
    }

    #[test]
    fn formats_and_parses_the_documented_example() {
        let h: Hlc = "0190f3a2b4c5-0003".parse().unwrap();
        assert_eq!(h.wall_ms(), 0x0190f3a2b4c5);
        assert_eq!(h.counter(), 3);
        assert_eq!(h.to_string(), "0190f3a2b4c5-0003");
        assert_eq!(serde_json::to_string(&h).unwrap(), "\"0190f3a2b4c5-0003\"");
    }

    #[test]
    fn refuses_every_other_shape() {
        for bad in [
            "",
            "0190f3a2b4c5",
            "0190f3a2b4c5-003",
            "190f3a2b4c5-0003",
            "00190f3a2b4c5-0003",
            "0190f3a2b4c5-00003",
            "0190f3a2b4c5_0003",
            "0190f3a2b4cg-0003",
            "+190f3a2b4c5-0003",
            "0190f3a2b4c5-+003",
            "0190f3a2b4c5-0003-1",
        ] {
            assert_eq!(bad.parse::<Hlc>(), Err(HlcError::Shape), "{bad:?}");
        }
        assert_eq!("0190F3A2B4C5-0003".parse::<Hlc>(), Err(HlcError::UpperCase));
        assert!(serde_json::from_str::<Hlc>("\"0190f3a2b4c5\"").is_err());
        assert!(serde_json::from_str::<Hlc>("12").is_err());
    }

    #[test]
    fn wall_time_must_fit_48_bits() {
        assert!(Hlc::new(Hlc::MAX_WALL_MS, u16::MAX).is_some());
        assert!(Hlc::new(Hlc::MAX_WALL_MS + 1, 0).is_none());
    }

    #[test]
    fn ticks_never_go_backwards() {
        let h = Hlc::new(1_000, 5).unwrap();
        assert_eq!(h.tick(2_000), Hlc::new(2_000, 0));
        assert_eq!(h.tick(1_000), Hlc::new(1_000, 6), "same millisecond");
        assert_eq!(h.tick(10), Hlc::new(1_000, 6), "clock jumped back");
        assert_eq!(Hlc::new(1, u16::MAX).unwrap().tick(1), None);
        let remote = Hlc::new(5_000, 9).unwrap();
        assert_eq!(h.observe(remote, 3_000), Hlc::new(5_000, 10));
        assert_eq!(h.observe(remote, 6_000), Hlc::new(6_000, 0));
    }

    proptest! {
        #[test]
        fn text_round_trips(h in hlc()) {
            prop_assert_eq!(h.to_string().parse::<Hlc>(), Ok(h));
            let json = serde_json::to_string(&h).unwrap();
            prop_assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), h);
            prop_assert_eq!(Hlc::from_u64(h.to_u64()), h);
        }

        #[test]
        fn text_order_is_clock_order(a in hlc(), b in hlc()) {
            prop_assert_eq!(a.to_string().cmp(&b.to_string()), a.cmp(&b));
            prop_assert_eq!(a.to_u64().cmp(&b.to_u64()), a.cmp(&b));
        }

        #[test]
        fn a_tick_is_after_the_clock_and_now(h in hlc(), now in 0..=Hlc::MAX_WALL_MS) {
            if let Some(next) = h.tick(now) {
                prop_assert!(next > h);
                prop_assert!(next.wall_ms() >= now);
            }
        }
    }
}
