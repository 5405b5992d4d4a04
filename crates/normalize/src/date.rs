use time::{Date, Month};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a date: use dd/mm/yyyy or yyyy-mm-dd")]
pub struct DateError {
    pub value: String,
}

/// Parses `dd/mm/yyyy` (also with `-` or `.`), `d/m/yyyy` and ISO `yyyy-mm-dd`. Day first, as
/// Vietnamese and most non-US users write dates; an impossible date (31/02) is refused.
pub fn parse_date(input: &str) -> Result<Date, DateError> {
    let value = input.trim();
    let err = || DateError {
        value: value.to_string(),
    };
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
    if !(1800..=2200).contains(&year) {
        return Err(err());
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(err)?;
    let day = u8::try_from(day).map_err(|_| err())?;
    Date::from_calendar_date(year, month, day).map_err(|_| err())
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
}
