//! Exponential backoff with full jitter (SYNC.md §6.3): the n-th wait is a random time in
//! `[0, min(cap, base·2ⁿ)]`, never shorter than what the server asked (`Retry-After`).

use std::time::Duration;

use rand::Rng;

pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Backoff {
        Backoff {
            base,
            cap,
            attempt: 0,
        }
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// The next wait; `asked` is the server's `Retry-After`, if any.
    pub fn next(&mut self, asked: Option<Duration>) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << self.attempt.min(20))
            .min(self.cap);
        self.attempt = self.attempt.saturating_add(1);
        let jittered = rand::rng().random_range(Duration::ZERO..=ceiling);
        jittered.max(asked.unwrap_or(Duration::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_the_cap_and_never_undercut_retry_after() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(8));
        for n in 0..10 {
            let ceiling = Duration::from_secs(1 << n.min(3));
            assert!(b.next(None) <= ceiling, "attempt {n}");
        }
        let asked = Duration::from_secs(30);
        assert!(b.next(Some(asked)) >= asked);
        b.reset();
        assert!(b.next(None) <= Duration::from_secs(1));
    }
}
