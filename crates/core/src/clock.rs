//! Timestamps: UTC, ISO 8601 with exactly three digits of milliseconds, so text order is time
//! order (RFC 3339 formatting alone drops trailing zeros: `…:41.9Z` would sort after
//! `…:41.899Z` but also after `…:41.95Z`).

use time::macros::format_description;
use time::OffsetDateTime;

/// Now, as stored in the database (`2026-11-28T15:35:29.123Z`).
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

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
