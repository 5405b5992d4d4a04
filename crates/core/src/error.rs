//! The core's error type. Messages are written for users: they name the rule that failed and
//! what to do. The app maps `code()` to the `{ code, message, details }` shape of the IPC
//! boundary; the CLI maps it to an exit code.

use crate::model::{EditConflicts, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The acting user lacks a permission; the message names it.
    #[error("You do not have permission to {action} (missing permission `{permission}`)")]
    Permission {
        permission: &'static str,
        action: &'static str,
    },

    /// Sign-in failed (unknown user, wrong password, too many attempts); the message says why.
    #[error("{0}")]
    Auth(String),

    /// Input broke one or more validation rules; each field error says which.
    #[error("{}", summarize(.0))]
    Validation(Vec<FieldError>),

    /// A configured limit was exceeded.
    #[error("{0}")]
    Limit(String),

    /// Something that was asked for does not exist.
    #[error("{0}")]
    NotFound(String),

    /// The request contradicts the current state (e.g. an unknown user or field).
    #[error("{0}")]
    Conflict(String),

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
        [one] => one.message.clone(),
        [first, rest @ ..] => format!("{} (and {} more problems)", first.message, rest.len()),
    }
}

impl Error {
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

    /// Structured details for the UI: field errors, or the missing permission.
    pub fn details(&self) -> serde_json::Value {
        match self {
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
