//! The one way an enum gets its text form (the text a database column or a setting stores).

/// Gives an enum `as_str` and `parse` from one table of `Variant => "text"`, so the two can
/// never disagree. `parse` ignores surrounding spaces and answers `None` for any other text —
/// or, with `else Variant`, that variant (for columns whose unknown values have a safe reading,
/// such as a job status that only a newer app could have written).
///
/// ```
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Status { Queued, Done }
/// pdesk_normalize::text_enum!(pub Status { Queued => "queued", Done => "done" });
/// assert_eq!(Status::Done.as_str(), "done");
/// assert_eq!(Status::parse(" queued "), Some(Status::Queued));
/// assert_eq!(Status::parse("lost"), None);
/// ```
#[macro_export]
macro_rules! text_enum {
    ($vis:vis $ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            /// The text this value is stored as.
            #[allow(dead_code)] // not every enum is written as text
            $vis fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text),+
                }
            }

            /// The value stored as `text`, if it is one.
            #[allow(dead_code)] // not every enum is read back
            $vis fn parse(text: &str) -> Option<$ty> {
                match text.trim() {
                    $($text => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
    ($vis:vis $ty:ident { $($variant:ident => $text:literal),+ $(,)? } else $fallback:ident) => {
        impl $ty {
            /// The text this value is stored as.
            $vis fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text),+
                }
            }

            /// The value stored as `text`; any other text reads as the fallback.
            $vis fn parse(text: &str) -> $ty {
                match text.trim() {
                    $($text => $ty::$variant,)+
                    _ => $ty::$fallback,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Mail {
        Pending,
        Sent,
        Failed,
    }
    text_enum!(Mail { Pending => "pending", Sent => "sent", Failed => "failed" } else Failed);

    #[test]
    fn every_value_reads_back_and_unknown_text_takes_the_fallback() {
        for m in [Mail::Pending, Mail::Sent, Mail::Failed] {
            assert_eq!(Mail::parse(m.as_str()), m, "{m:?} round-trips");
        }
        assert_eq!(Mail::parse("bounced"), Mail::Failed, "unknown text");
    }
}
