use time::{Date, Month};

/// A value that is not a date, and why: the advice differs. "31/02/1990" is written the right
/// way and names a day that does not exist; telling its author to "use dd/mm/yyyy" would be
/// wrong advice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a date: {problem}")]
pub struct DateError {
    pub value: String,
    pub problem: DateProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateProblem {
    /// Not written as a date.
    #[error("use dd/mm/yyyy or yyyy-mm-dd")]
    Format,
    /// A month number that no month has.
    #[error("there is no month {0} (dd/mm/yyyy: the day comes first)")]
    NoSuchMonth(i32),
    /// A day the month does not have.
    #[error("{month} {year} has {days} days")]
    NoSuchDay { month: Month, year: i32, days: u8 },
    /// A year no customer's date has.
    #[error("the year must be between 1800 and 2200")]
    Year,
}

/// The years a date may name.
pub const MIN_YEAR: i32 = 1800;
pub const MAX_YEAR: i32 = 2200;

impl DateError {
    /// What a sentence about this date needs: the value typed, the problem (`reason`: `format`,
    /// `noSuchMonth`, `noSuchDay`, `year`) and its numbers (`month`, `year`, `days`, `min`, `max`).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("value", self.value.clone())];
        let reason = match self.problem {
            DateProblem::Format => "format",
            DateProblem::NoSuchMonth(month) => {
                params.push(("month", month.to_string()));
                "noSuchMonth"
            }
            DateProblem::NoSuchDay { month, year, days } => {
                params.push(("month", u8::from(month).to_string()));
                params.push(("year", year.to_string()));
                params.push(("days", days.to_string()));
                "noSuchDay"
            }
            DateProblem::Year => {
                params.push(("min", MIN_YEAR.to_string()));
                params.push(("max", MAX_YEAR.to_string()));
                "year"
            }
        };
        params.push(("reason", reason.to_string()));
        params
    }
}

/// Parses `dd/mm/yyyy` (also with `-` or `.`), `d/m/yyyy` and ISO `yyyy-mm-dd`. Day first, as
/// Vietnamese and most non-US users write dates; an impossible date (31/02) is refused.
pub fn parse_date(input: &str) -> Result<Date, DateError> {
    let value = input.trim();
    let fail = |problem| DateError {
        value: value.to_string(),
        problem,
    };
    let err = || fail(DateProblem::Format);
    // A date with a time of day (an Excel date-time cell, "05/09/1990 08:30") is that date.
    if let Some((day, time)) = value.split_once(' ') {
        let time = time.trim();
        let time_like = time.split(':').count() >= 2
            && time
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.');
        return if time_like {
            parse_date(day).map_err(|_| err())
        } else {
            Err(err())
        };
    }
    let parts: Vec<&str> = value.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(err());
    };
    let num = |s: &str| -> Option<i32> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (year, month, day) = if a.len() == 4 {
        (num(a), num(b), num(c))
    } else if c.len() == 4 {
        (num(c), num(b), num(a))
    } else {
        return Err(err());
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(err());
    };
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(fail(DateProblem::Year));
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(fail(DateProblem::NoSuchMonth(month)))?;
    let days = month.length(year);
    let no_such_day = fail(DateProblem::NoSuchDay { month, year, days });
    let day = u8::try_from(day).map_err(|_| no_such_day.clone())?;
    Date::from_calendar_date(year, month, day).map_err(|_| no_such_day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn accepted_formats() {
        assert_eq!(
            parse_date("05/09/1990"),
            Ok(date!(1990 - 09 - 05)),
            "dd/mm/yyyy is day first"
        );
        assert_eq!(
            parse_date("5/9/1990"),
            Ok(date!(1990 - 09 - 05)),
            "single digits"
        );
        assert_eq!(parse_date("1990-09-05"), Ok(date!(1990 - 09 - 05)), "ISO");
        assert_eq!(
            parse_date(" 05.09.1990 "),
            Ok(date!(1990 - 09 - 05)),
            "dots and spaces"
        );
        assert_eq!(
            parse_date("2001-02-03 14:30:00"),
            Ok(date!(2001 - 02 - 03)),
            "a date-time cell is its date"
        );
        assert!(
            parse_date("2001-02-03 tomorrow").is_err(),
            "but not any trailing text"
        );
    }

    #[test]
    fn refused() {
        for bad in [
            "31/02/1990",
            "1990/13/01",
            "05/09/90",
            "tomorrow",
            "",
            "1/2/3/4",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?} must be refused");
        }
    }

    /// The advice fits what is wrong: a well-written date that does not exist is not told to
    /// use the format it already uses.
    #[test]
    fn the_refusal_says_what_is_wrong() {
        let said = |bad: &str| parse_date(bad).unwrap_err().to_string();
        assert_eq!(
            said("31/02/1990"),
            "“31/02/1990” is not a date: February 1990 has 28 days"
        );
        assert_eq!(
            said("29/02/2023"),
            "“29/02/2023” is not a date: February 2023 has 28 days"
        );
        assert!(parse_date("29/02/2024").is_ok(), "a leap day");
        assert_eq!(
            said("05/13/1990"),
            "“05/13/1990” is not a date: there is no month 13 (dd/mm/yyyy: the day comes first)"
        );
        assert_eq!(
            said("05/09/1066"),
            "“05/09/1066” is not a date: the year must be between 1800 and 2200"
        );
        assert_eq!(
            said("tomorrow"),
            "“tomorrow” is not a date: use dd/mm/yyyy or yyyy-mm-dd"
        );
        assert!(!said("31/02/1990").contains("dd/mm/yyyy"));
    }
}
