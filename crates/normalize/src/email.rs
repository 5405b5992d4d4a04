/// Why a text is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a valid e-mail address: {reason}")]
pub struct EmailError {
    pub value: String,
    pub reason: &'static str,
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
        return fail("it is empty");
    }
    if value.len() > 254 {
        return fail("it is longer than 254 characters");
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("it contains spaces");
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return fail("it has no @");
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return fail("the part before @ is empty, too long or has another @");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return fail("the part before @ has a misplaced dot");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return fail("the domain after @ has no dot");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !labels.iter().all(|l| label_ok(l)) {
        return fail("the domain after @ is not valid");
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
