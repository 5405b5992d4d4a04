//! Cell values as the importer sees them, converted from calamine's streaming values: text
//! trimmed and in NFC, integral numbers without `.0` (a phone `912345678` stored as a number
//! stays `912345678`, so phone normalisation can restore the leading zero), Excel serial dates
//! as dates (1900 and 1904 systems), formulas as their cached value.

use calamine::{DataRef, ExcelDateTime};
use time::{Date, Duration, PrimitiveDateTime, Time};

use pdesk_normalize::clean_text;

/// An Excel row number as users see it (1-based).
pub type RowNumber = u32;

/// One cell value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "camelCase")]
pub enum Cell {
    Empty,
    /// Text, trimmed and NFC-normalised.
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date cell without a time of day.
    Date(Date),
    /// A date cell with a time of day (or a time-only cell, on Excel's day zero).
    DateTime(PrimitiveDateTime),
    /// An error value such as `#N/A` or `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// True for an empty cell or text that is empty after trimming.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.is_empty(),
            _ => false,
        }
    }

    /// The cell as text, the way the importer's normalisers take it: numbers without a
    /// needless `.0` (and never in exponent form), dates as `yyyy-mm-dd`, date-times as
    /// `yyyy-mm-dd hh:mm:ss`, booleans as `TRUE`/`FALSE`, errors as Excel shows them.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => date_text(*d),
            Cell::DateTime(dt) => {
                let t = dt.time();
                format!(
                    "{} {:02}:{:02}:{:02}",
                    date_text(dt.date()),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
            }
            Cell::Error(e) => e.clone(),
        }
    }

    /// The date this cell holds, if it is a date or date-time cell.
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Cell::Date(d) => Some(*d),
            Cell::DateTime(dt) => Some(dt.date()),
            _ => None,
        }
    }

    /// Converts one of calamine's streaming values.
    pub(crate) fn from_calamine(value: &DataRef<'_>) -> Cell {
        match value {
            DataRef::Empty => Cell::Empty,
            DataRef::String(s) => text(s),
            DataRef::SharedString(s) => text(s),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Bool(b) => Cell::Bool(*b),
            DataRef::DateTime(dt) => excel_datetime(dt),
            // ISO values come from cells typed `d` (rare; some non-Excel writers).
            DataRef::DateTimeIso(s) => iso_datetime(s).unwrap_or_else(|| text(s)),
            DataRef::DurationIso(s) => text(s),
            DataRef::Error(e) => Cell::Error(e.to_string()),
        }
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(clean_text(s))
}

/// `912345678.0` → `912345678`; `0.5` → `0.5`; `1e20` → `100000000000000000000`.
pub(crate) fn number_text(n: f64) -> String {
    if n == 0.0 {
        return "0".to_string(); // also -0.0
    }
    // Rust's `Display` for f64 prints the shortest text that reads back as the same number,
    // never in exponent form, and without `.0` for integral values.
    n.to_string()
}

fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Excel serial date → date (or date-time). 1900 system: serial 1 is 1900-01-01 and Excel's
/// phantom 1900-02-29 (serial 60) is counted, so serials from 61 on are days since
/// 1899-12-30; 1904 system: days since 1904-01-01. Durations (`[h]:mm` formats) stay numbers.
fn excel_datetime(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if dt.is_duration() {
        return Cell::Number(serial);
    }
    serial_to_datetime(serial, dt_is_1904(dt)).unwrap_or(Cell::Number(serial))
}

/// calamine keeps the date system private, but `ExcelDateTime` compares all its fields, so
/// rebuilding the value in the 1904 system and comparing tells which system it is in.
fn dt_is_1904(dt: &ExcelDateTime) -> bool {
    *dt == ExcelDateTime::new(dt.as_f64(), calamine::ExcelDateTimeType::DateTime, true)
}

pub(crate) fn serial_to_datetime(serial: f64, is_1904: bool) -> Option<Cell> {
    // Excel's dates end on 9999-12-31 (serial 2,958,465).
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    let days_offset = if is_1904 {
        serial + 1462.0
    } else if serial < 60.0 {
        serial + 1.0
    } else {
        serial
    };
    // Excel keeps milliseconds; round there so 0.99999999 of a second is the next second.
    let total_ms = (days_offset * 86_400_000.0).round() as i64;
    let days = total_ms.div_euclid(86_400_000);
    let ms_of_day = total_ms.rem_euclid(86_400_000);
    let date = epoch.checked_add(Duration::days(days))?;
    if ms_of_day == 0 {
        return Some(Cell::Date(date));
    }
    let time = Time::from_hms_milli(
        (ms_of_day / 3_600_000) as u8,
        ((ms_of_day / 60_000) % 60) as u8,
        ((ms_of_day / 1000) % 60) as u8,
        (ms_of_day % 1000) as u16,
    )
    .ok()?;
    Some(Cell::DateTime(PrimitiveDateTime::new(date, time)))
}

fn iso_datetime(s: &str) -> Option<Cell> {
    let s = s.trim();
    let date_part = s.get(..10)?;
    let date = Date::parse(
        date_part,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    let rest = s[10..].trim_start_matches(['T', ' ']);
    if rest.is_empty() {
        return Some(Cell::Date(date));
    }
    let hms = rest.get(..8)?;
    let time = Time::parse(
        hms,
        time::macros::format_description!("[hour]:[minute]:[second]"),
    )
    .ok()?;
    Some(if time == Time::MIDNIGHT {
        Cell::Date(date)
    } else {
        Cell::DateTime(PrimitiveDateTime::new(date, time))
    })
}

/// Column letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`, 16383 → `XFD`.
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The A1 reference of a 0-based column and a 1-based row: `(2, 1)` → `C1`.
pub fn cell_ref(col: u32, row: RowNumber) -> String {
    format!("{}{row}", column_letters(col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn integral_numbers_have_no_decimal_point() {
        assert_eq!(
            Cell::Number(912_345_678.0).to_text(),
            "912345678",
            "a phone stored as a number keeps all its digits and no .0"
        );
        assert_eq!(Cell::Number(0.5).to_text(), "0.5", "fractions stay");
        assert_eq!(Cell::Number(-0.0).to_text(), "0", "negative zero is zero");
        assert_eq!(
            Cell::Number(84_912_345_678.0).to_text(),
            "84912345678",
            "11-digit numbers are not in exponent form"
        );
        assert_eq!(
            Cell::Number(1e20).to_text(),
            "100000000000000000000",
            "Display never uses exponents"
        );
    }

    #[test]
    fn serial_dates_in_both_systems() {
        assert_eq!(
            serial_to_datetime(45_943.0, false),
            Some(Cell::Date(date!(2025 - 10 - 13))),
            "1900 system"
        );
        assert_eq!(
            serial_to_datetime(1.0, false),
            Some(Cell::Date(date!(1900 - 01 - 01))),
            "serial 1 is the first day of 1900"
        );
        assert_eq!(
            serial_to_datetime(61.0, false),
            Some(Cell::Date(date!(1900 - 03 - 01))),
            "after Excel's phantom 29 Feb 1900"
        );
        assert_eq!(
            serial_to_datetime(45_943.0 - 1462.0, true),
            Some(Cell::Date(date!(2025 - 10 - 13))),
            "1904 system is 1462 days behind"
        );
        assert_eq!(
            serial_to_datetime(45_943.5, false),
            Some(Cell::DateTime(datetime!(2025 - 10 - 13 12:00))),
            "fractions are the time of day"
        );
        assert_eq!(
            serial_to_datetime(-1.0, false),
            None,
            "negative serials are not dates"
        );
    }

    #[test]
    fn epoch_of_calamine_values() {
        let d1904 = ExcelDateTime::new(100.0, calamine::ExcelDateTimeType::DateTime, true);
        let d1900 = ExcelDateTime::new(100.0, calamine::ExcelDateTimeType::DateTime, false);
        assert!(dt_is_1904(&d1904), "the 1904 flag is read back");
        assert!(!dt_is_1904(&d1900), "the 1900 system is the default");
    }

    #[test]
    fn column_letters_like_excel() {
        for (col, letters) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (199, "GR"),
            (16_383, "XFD"),
        ] {
            assert_eq!(column_letters(col), letters, "column index {col}");
        }
        assert_eq!(cell_ref(2, 1), "C1", "references are letters then the row");
    }
}
