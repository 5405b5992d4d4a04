//! Normalisation of what users type or import: phones to E.164 (and cells of several annotated
//! numbers, [`read_phone_cell`]), e-mail match keys, text (trim + NFC), folded search keys for
//! names, and dates; and how counts and sizes are written in messages ([`display`]). Pure functions, property-tested. The floor of the house: this crate
//! depends on nothing of ours.

mod date;
pub mod display;
mod email;
mod phone;
mod phone_cell;
mod text;
mod text_enum;

pub use date::{parse_date, DateError, DateProblem, MAX_YEAR, MIN_YEAR};
pub use email::{email_key, validate_email, EmailError, EmailProblem, MAX_EMAIL_CHARS};
pub use phone::{
    normalize_phone, LongAdvice, Misfit, NumberKind, PhoneError, PhoneProblem, PhoneRegion, Place,
    REGIONS,
};
pub use phone_cell::{read_phone_cell, PhoneCell, ReadPhone};
pub use text::{clean_text, fold_for_search};
