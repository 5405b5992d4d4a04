//! The one error shape the webview sees: `{ code, message, details }`. The UI branches on
//! `code` (never on message text); `message` is for the user.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    pub details: serde_json::Value,
}

impl From<pdesk_core::Error> for IpcError {
    fn from(e: pdesk_core::Error) -> Self {
        IpcError {
            code: e.code(),
            message: e.to_string(),
            details: e.details(),
        }
    }
}

impl IpcError {
    /// A fault of the shell itself (not a rule): code `internal`.
    pub fn internal(message: String) -> IpcError {
        IpcError {
            code: "internal",
            message,
            details: serde_json::Value::Null,
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
