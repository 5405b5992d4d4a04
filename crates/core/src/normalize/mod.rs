//! Normalisation of what users type or import: phones to E.164, e-mail match keys, text (trim +
//! NFC), folded search keys for names, and dates. Pure functions, property-tested.

mod date;
mod email;
mod phone;
mod text;

pub use date::{parse_date, DateError};
pub use email::{email_key, validate_email, EmailError};
pub use phone::{normalize_phone, PhoneError, PhoneRegion, REGIONS};
pub use text::{clean_text, fold_for_search};
