/// Why a text is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a valid e-mail address: {reason}")]
pub struct EmailError {
    pub value: String,
    pub reason: EmailProblem,
}

/// What is wrong with an e-mail address; `code` names it for a sentence in another language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailProblem {
    #[error("it is empty")]
    Empty,
    #[error("it is longer than 254 characters")]
    TooLong,
    #[error("it contains spaces")]
    Spaces,
    #[error("it has no @")]
    NoAt,
    #[error("the part before @ is empty, too long or has another @")]
    BadLocalPart,
    #[error("the part before @ has a misplaced dot")]
    MisplacedDot,
    #[error("the domain after @ has no dot")]
    NoDotInDomain,
    #[error("the domain after @ is not valid")]
    BadDomain,
}

/// Longest e-mail address accepted (bytes, as RFC 5321 counts).
pub const MAX_EMAIL_CHARS: usize = 254;

impl EmailProblem {
    /// Stable name of the problem (`noAt`), for the UI's sentence.
    pub fn code(self) -> &'static str {
        match self {
            EmailProblem::Empty => "empty",
            EmailProblem::TooLong => "tooLong",
            EmailProblem::Spaces => "spaces",
            EmailProblem::NoAt => "noAt",
            EmailProblem::BadLocalPart => "badLocalPart",
            EmailProblem::MisplacedDot => "misplacedDot",
            EmailProblem::NoDotInDomain => "noDotInDomain",
            EmailProblem::BadDomain => "badDomain",
        }
    }
}

impl EmailError {
    /// What a sentence about this address needs: the value typed, the problem (`reason`), and
    /// for `tooLong` the limit (`max`).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("value", self.value.clone()),
            ("reason", self.reason.code().to_string()),
        ];
        if self.reason == EmailProblem::TooLong {
            params.push(("max", MAX_EMAIL_CHARS.to_string()));
        }
        params
    }
}

/// Checks the shape of an e-mail address (trimmed). Deliberately practical rather than
/// RFC 5322-complete: one `@`, a non-empty local part without spaces, a domain with a dot.
pub fn validate_email(input: &str) -> Result<(), EmailError> {
    let value = input.trim();
    let fail = |reason| {
        Err(EmailError {
            value: value.to_string(),
            reason,
        })
    };
    if value.is_empty() {
        return fail(EmailProblem::Empty);
    }
    if value.len() > MAX_EMAIL_CHARS {
        return fail(EmailProblem::TooLong);
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail(EmailProblem::Spaces);
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return fail(EmailProblem::NoAt);
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return fail(EmailProblem::BadLocalPart);
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return fail(EmailProblem::MisplacedDot);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return fail(EmailProblem::NoDotInDomain);
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !labels.iter().all(|l| label_ok(l)) {
        return fail(EmailProblem::BadDomain);
    }
    Ok(())
}

/// The match key of an e-mail: trimmed and lower-cased (the whole address, SPEC 1).
pub fn email_key(input: &str) -> String {
    input.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_refuses() {
        assert!(
            validate_email("an.nguyen@example.com.vn").is_ok(),
            "ordinary address"
        );
        assert!(
            validate_email(" An@Example.COM ").is_ok(),
            "surrounding spaces are trimmed"
        );
        for bad in [
            "",
            "an",
            "an@",
            "@x.com",
            "an@x",
            "a n@x.com",
            "an@@x.com",
            "an@x..com",
        ] {
            assert!(validate_email(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn key_is_case_insensitive() {
        assert_eq!(
            email_key(" An.Nguyen@Gmail.COM"),
            "an.nguyen@gmail.com",
            "lower-cased, trimmed"
        );
    }

    proptest! {
        #[test]
        fn key_ignores_case_and_padding(local in "[a-zA-Z0-9._]{1,20}", dom in "[a-zA-Z]{1,10}") {
            let e = format!("{local}@{dom}.com");
            let padded = format!("  {}  ", e.to_uppercase());
            prop_assert_eq!(email_key(&e), email_key(&padded), "same address, same key");
        }
    }
}
