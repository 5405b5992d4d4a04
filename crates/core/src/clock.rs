//! Timestamps: UTC, ISO 8601 with milliseconds, so text order is time order.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Now, as stored in the database (`2026-11-28T15:35:29.123Z`).
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let t = t
        .replace_nanosecond(t.millisecond() as u32 * 1_000_000)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

/// This computer's offset from UTC in minutes (east positive), for the command line's date
/// filters; UTC when the OS cannot say (the `time` crate refuses to read it while several
/// threads run, which the CLI never does).
pub fn local_offset_minutes() -> i32 {
    time::UtcOffset::current_local_offset()
        .map(|o| o.whole_seconds() / 60)
        .unwrap_or(0)
}
