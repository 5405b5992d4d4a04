//! Time. Every timestamp the core writes comes from the [`Store`](crate::Store)'s [`Clock`]:
//! the [`SystemClock`] in the app and the command line, a [`FakeClock`] in tests that need to
//! say what time it is (or that two writes happen at different times) without sleeping.
//! Functions that work on a bare connection or transaction take the time from their caller.
//!
//! Timestamps are stored as UTC, ISO 8601 with exactly three digits of milliseconds, so text
//! order is time order (RFC 3339 formatting alone drops trailing zeros: `…:41.9Z` would sort
//! after `…:41.899Z` but also after `…:41.95Z`).

use std::sync::Mutex;

use time::macros::format_description;
use time::{Duration, OffsetDateTime};

/// Where the store gets the current time from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time, in UTC.
    fn now_utc(&self) -> OffsetDateTime;
}

/// The computer's clock: what the app, the command line and the workers use.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_utc(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// The computer's clock off by a fixed amount: a laptop whose clock is wrong, as `pdesk`
/// runs it with `PDESK_CLOCK_SKEW_MINUTES` (the process soak's nemesis: sync must not trust
/// wall clocks, SYNC.md §9 F8).
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock {
    pub offset: Duration,
}

impl OffsetClock {
    /// The computer's clock, `minutes` ahead (negative: behind).
    pub fn minutes(minutes: i64) -> OffsetClock {
        OffsetClock {
            offset: Duration::minutes(minutes),
        }
    }
}

impl Clock for OffsetClock {
    fn now_utc(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.offset
    }
}

/// A clock that only moves when told to, for tests (of every crate: it is public).
///
/// It stands still: every reading returns the same time until [`FakeClock::set`] or
/// [`FakeClock::advance`] changes it, so a test that needs two writes at different times
/// advances it between them (instead of sleeping). Share it with the store through an `Arc`,
/// keeping a handle to move it:
///
/// ```
/// use std::sync::Arc;
/// use pdesk_core::clock::FakeClock;
/// use pdesk_core::Store;
///
/// let clock = Arc::new(FakeClock::default());
/// let store = Store::open_in_memory_with_clock(clock.clone()).unwrap();
/// let before = store.now();
/// clock.advance(time::Duration::milliseconds(1));
/// assert!(store.now() > before);
/// ```
#[derive(Debug)]
pub struct FakeClock {
    now: Mutex<OffsetDateTime>,
}

impl FakeClock {
    /// The time a [`FakeClock::default`] starts at: 2026-01-05 09:00:00.000 UTC.
    pub const START: OffsetDateTime = time::macros::datetime!(2026-01-05 09:00:00 UTC);

    /// A clock standing at `at`.
    pub fn new(at: OffsetDateTime) -> FakeClock {
        FakeClock {
            now: Mutex::new(at.to_offset(time::UtcOffset::UTC)),
        }
    }

    /// Moves the clock to `at` (backwards too: tests of clock skew may need it).
    pub fn set(&self, at: OffsetDateTime) {
        *self.lock() = at.to_offset(time::UtcOffset::UTC);
    }

    /// Moves the clock forward by `by` and returns the new time.
    pub fn advance(&self, by: Duration) -> OffsetDateTime {
        let mut now = self.lock();
        *now += by;
        *now
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, OffsetDateTime> {
        // A test that panicked while holding the lock left a valid time behind.
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for FakeClock {
    /// A clock standing at [`FakeClock::START`].
    fn default() -> FakeClock {
        FakeClock::new(FakeClock::START)
    }
}

impl Clock for FakeClock {
    fn now_utc(&self) -> OffsetDateTime {
        *self.lock()
    }
}

/// `t` as stored in the database (`2026-11-28T15:35:29.123Z`).
pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .unwrap_or_default()
}

/// This computer's offset from UTC in minutes (east positive), for the command line's date
/// filters; UTC when the OS cannot say (the `time` crate refuses to read it while several
/// threads run, which the CLI never does).
pub fn local_offset_minutes() -> i32 {
    time::UtcOffset::current_local_offset()
        .map(|o| o.whole_seconds() / 60)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_always_have_three_digits_so_text_order_is_time_order() {
        let at = |ms: i64| {
            format(
                time::macros::datetime!(2026-12-01 21:14:41 UTC) + time::Duration::milliseconds(ms),
            )
        };
        assert_eq!(
            at(900),
            "2026-12-01T21:14:41.900Z",
            "trailing zeros are kept"
        );
        assert_eq!(at(0), "2026-12-01T21:14:41.000Z", "a whole second too");
        assert_eq!(at(7), "2026-12-01T21:14:41.007Z", "leading zeros too");
        let mut texts: Vec<String> = [899, 900, 950, 0, 7].map(at).to_vec();
        texts.sort();
        assert_eq!(
            texts,
            [0, 7, 899, 900, 950].map(at),
            "sorted as text = sorted in time"
        );
        let t =
            time::OffsetDateTime::parse(&at(900), &time::format_description::well_known::Rfc3339)
                .expect("still RFC 3339");
        assert_eq!(t.millisecond(), 900, "and parses back");
    }
}
