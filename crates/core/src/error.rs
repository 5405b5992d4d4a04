//! The core's error type. Messages are written for users: they name the rule that failed and
//! what to do. The app maps `code()` to the `{ code, message, details }` shape of the IPC
//! boundary; the CLI maps it to an exit code.

use crate::model::{count_in, EditConflicts, FieldError, Lang};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The acting user lacks a permission; the message names it.
    #[error("You do not have permission to {action} (missing permission `{permission}`)")]
    Permission {
        permission: &'static str,
        action: &'static str,
    },

    /// Sign-in failed (unknown user, wrong password, too many attempts); the reason says why.
    #[error("{0}")]
    Auth(Said),

    /// Input broke one or more validation rules; each field error says which.
    #[error("{}", summarize(.0))]
    Validation(Vec<FieldError>),

    /// A configured limit was exceeded.
    #[error("{0}")]
    Limit(Said),

    /// Something that was asked for does not exist.
    #[error("{0}")]
    NotFound(Said),

    /// The request contradicts the current state (e.g. an unknown user or field).
    #[error("{0}")]
    Conflict(Said),

    /// An e-mail was not sent: code `conflict` like any refusal of the moment, with the mail
    /// reason's code (`serverUnreachable`, `notConfigured`…) in the details, so the UI words it
    /// in its language and keeps `message` (the server's own text) as the details line.
    #[error("{message}")]
    MailNotSent {
        reason: &'static str,
        message: String,
    },

    /// An edit touches fields someone else changed since its form was opened; nothing was
    /// saved. The details name each field with both values.
    #[error("{}", conflict_sentence(.0))]
    EditConflict(EditConflicts),

    /// The database was written by a newer Profile Desk, or is otherwise unusable.
    #[error("{0}")]
    Schema(String),

    /// A backup could not be written or verified, or a file offered for restore is not a usable
    /// backup; the message says which check failed and that nothing was changed.
    #[error("{0}")]
    Backup(String),

    /// The database failed its integrity check: it is not written to; the app offers to restore
    /// the newest good backup.
    #[error("{0}")]
    Damaged(String),

    /// A file or paste was refused by an import rule (size, format, rows, headers, ...).
    #[error("{0}")]
    ImportRefused(#[from] pdesk_xlsx::ImportRefusal),

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("file error: {0}")]
    Io(#[from] std::io::Error),

    #[error("internal error: {0}")]
    Internal(String),
}

/// A refusal's sentence as data: a stable `reason` code and the `params` the sentence names
/// (ids, names, counts, limits), beside the English `message` the CLI prints. The IPC
/// `details` carry `{ reason, ...params }`, so the UI words the sentence in its language
/// (ui/src/shell/reasons.ts), the English message being its fallback for a reason it does not
/// know. Reasons are camelCase and never change meaning; a new sentence gets a new reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    pub reason: &'static str,
    pub params: serde_json::Map<String, serde_json::Value>,
    pub message: String,
}

impl Said {
    /// `params` is a JSON object (`json!({ "id": 3 })`), or `Value::Null` for a sentence
    /// without parameters.
    pub fn new(
        reason: &'static str,
        params: serde_json::Value,
        message: impl Into<String>,
    ) -> Said {
        let params = match params {
            serde_json::Value::Object(map) => map,
            serde_json::Value::Null => serde_json::Map::new(),
            other => {
                debug_assert!(false, "the params of {reason} are not an object: {other}");
                serde_json::Map::new()
            }
        };
        Said {
            reason,
            params,
            message: message.into(),
        }
    }

    /// `{ reason, ...params }`: what the UI words the sentence from.
    pub fn details(&self) -> serde_json::Value {
        let mut map = self.params.clone();
        map.insert("reason".into(), self.reason.into());
        serde_json::Value::Object(map)
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn conflict_sentence(c: &EditConflicts) -> String {
    let fields: Vec<String> = c
        .conflicts
        .iter()
        .map(|f| {
            let shown = |v: &str| {
                if v.is_empty() {
                    "(empty)".to_string()
                } else {
                    v.to_string()
                }
            };
            format!(
                "{} — yours: {}, now: {}",
                f.label,
                shown(&f.yours),
                shown(&f.theirs)
            )
        })
        .collect();
    format!(
        "Changed by someone else since you opened it: {}. Nothing was saved",
        fields.join("; ")
    )
}

fn summarize(errors: &[FieldError]) -> String {
    match errors {
        [] => "The profile is not valid".to_string(),
        [first, rest @ ..] => and_more(first.message.clone(), rest.len(), Lang::En),
    }
}

/// The first problem's sentence and how many more followed it ("… (and 2 more problems)"), in
/// `lang`: a refusal's message, an import row's reason.
pub(crate) fn and_more(first: String, more: usize, lang: Lang) -> String {
    match (more, lang) {
        (0, _) => first,
        (1, Lang::En) => format!("{first} (and 1 more problem)"),
        (n, Lang::En) => format!("{first} (and {n} more problems)"),
        (n, Lang::Vi) => format!("{first} (và {} lỗi khác)", count_in(Lang::Vi, n as u64)),
    }
}

impl Error {
    /// A refusal of the moment (code `conflict`): `reason` and `params` as in [`Said::new`],
    /// `message` the English sentence.
    pub fn conflict(
        reason: &'static str,
        params: serde_json::Value,
        message: impl Into<String>,
    ) -> Error {
        Error::Conflict(Said::new(reason, params, message))
    }

    /// A limit exceeded (code `limit`); see [`Error::conflict`].
    pub fn limit(
        reason: &'static str,
        params: serde_json::Value,
        message: impl Into<String>,
    ) -> Error {
        Error::Limit(Said::new(reason, params, message))
    }

    /// Something asked for that does not exist (code `notFound`); see [`Error::conflict`].
    pub fn not_found(
        reason: &'static str,
        params: serde_json::Value,
        message: impl Into<String>,
    ) -> Error {
        Error::NotFound(Said::new(reason, params, message))
    }

    /// A sign-in failure (code `auth`); see [`Error::conflict`].
    pub fn auth(
        reason: &'static str,
        params: serde_json::Value,
        message: impl Into<String>,
    ) -> Error {
        Error::Auth(Said::new(reason, params, message))
    }

    /// The reason code of a refusal worded from data (`None` for the other errors).
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Error::Conflict(s) | Error::Limit(s) | Error::NotFound(s) | Error::Auth(s) => {
                Some(s.reason)
            }
            Error::MailNotSent { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// Stable machine code the UI branches on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Permission { .. } => "permission",
            Error::Auth(_) => "auth",
            Error::Validation(_) => "validation",
            Error::Limit(_) => "limit",
            Error::NotFound(_) => "notFound",
            Error::Conflict(_) | Error::MailNotSent { .. } => "conflict",
            Error::EditConflict(_) => "editConflict",
            Error::Schema(_) => "schema",
            Error::Backup(_) => "backup",
            Error::Damaged(_) => "damaged",
            Error::ImportRefused(_) => "importRefused",
            Error::Sqlite(_) | Error::Io(_) | Error::Internal(_) => "internal",
        }
    }

    /// True when a rule refused the request (CLI exit code 1) rather than a fault (exit 3).
    pub fn is_refusal(&self) -> bool {
        !matches!(self, Error::Sqlite(_) | Error::Io(_) | Error::Internal(_))
    }

    /// True when the disk refused a write or a read: full (`ENOSPC`, or a file-size limit's
    /// `EFBIG`) or failing (an I/O error). The data committed before it is intact; the work
    /// can go on once the disk is fixed.
    pub fn is_storage_fault(&self) -> bool {
        use rusqlite::ErrorCode;
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(e.code, ErrorCode::DiskFull | ErrorCode::SystemIoFailure)
            }
            Error::Io(e) => {
                matches!(
                    e.kind(),
                    std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge
                ) || (cfg!(unix) && e.raw_os_error() == Some(5)) // EIO
            }
            _ => false,
        }
    }

    /// Structured details for the UI: field errors, the missing permission, or a refusal's
    /// reason and parameters.
    pub fn details(&self) -> serde_json::Value {
        match self {
            Error::Conflict(s) | Error::Limit(s) | Error::NotFound(s) | Error::Auth(s) => {
                s.details()
            }
            Error::Validation(errors) => serde_json::to_value(errors).unwrap_or_default(),
            Error::Permission { permission, .. } => serde_json::json!({ "permission": permission }),
            Error::MailNotSent { reason, .. } => serde_json::json!({ "reason": reason }),
            Error::EditConflict(c) => serde_json::to_value(c).unwrap_or_default(),
            Error::ImportRefused(r) => {
                // The rule's own details (e.g. the sheet names for the "split sheets" offer).
                let mut details = r.details();
                if let Some(map) = details.as_object_mut() {
                    map.insert("refusal".into(), r.code().into());
                } else {
                    details = serde_json::json!({ "refusal": r.code() });
                }
                details
            }
            _ => serde_json::Value::Null,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A validation error on one input of a form (a settings screen, a user's password).
pub(crate) fn invalid(field: &str, code: &str, message: String) -> Error {
    FieldError::new(field, code, message).into()
}

/// One field error as the whole refusal (`FieldError::new(..).with(..).into()`).
impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Validation(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn a_refusal_carries_its_reason_and_params_beside_the_english_sentence() {
        let e = Error::conflict(
            "roleInUse",
            json!({ "role": "Sales", "users": 2 }),
            "Sales is the role of 2 users; give them another role first",
        );
        assert_eq!(e.code(), "conflict");
        assert_eq!(e.reason(), Some("roleInUse"));
        assert_eq!(
            e.to_string(),
            "Sales is the role of 2 users; give them another role first",
            "the CLI prints the English sentence"
        );
        assert_eq!(
            e.details(),
            json!({ "reason": "roleInUse", "role": "Sales", "users": 2 })
        );
        let e = Error::limit("tooManySegments", json!({ "limit": 50 }), "at most 50");
        assert_eq!(
            (e.code(), e.details()),
            ("limit", json!({ "reason": "tooManySegments", "limit": 50 }))
        );
        let e = Error::not_found("noActiveAdministrator", Value::Null, "none");
        assert_eq!(
            (e.code(), e.details()),
            ("notFound", json!({ "reason": "noActiveAdministrator" })),
            "a sentence without parameters: the reason alone"
        );
        let e = Error::auth("wrongPassword", json!({ "name": "lan" }), "Wrong password");
        assert_eq!(
            (e.code(), e.details()),
            ("auth", json!({ "reason": "wrongPassword", "name": "lan" }))
        );
        assert_eq!(Error::Internal("x".into()).reason(), None);
    }
}
