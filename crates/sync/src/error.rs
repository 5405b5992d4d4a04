//! What can go wrong in a sync round, and what the engine does about each: wait and retry
//! (the network, 429/503, 409 in_progress), refresh the token once (401), or stop and show the
//! user (a revoked device, a rejected sign-in, a store error).

use std::fmt;

use pdesk_sync_proto::problem::{Problem, ProblemCode};

#[derive(Debug)]
pub enum SyncError {
    /// No answer: the connection failed or timed out. The outcome of a push is unknown; the
    /// same batch is sent again.
    Network(String),
    /// The server answered with a problem (RFC 9457).
    Problem(Box<Problem>),
    /// The server answered something that is not pdsync/1 (a result missing, a body that does
    /// not parse): nothing is recorded, and the batch is sent again.
    Protocol(String),
    /// The store refused or failed.
    Store(pdesk_core::Error),
    /// The OS keychain (where the device's refresh token lives) failed.
    Keychain(String),
    /// The store is not connected to a server.
    NotConnected,
    /// A server address that is not allowed (plain http:// off this machine, not a URL), or a
    /// certificate pin or CA file that does not read.
    BadAddress(String),
}

impl SyncError {
    /// The problem code, when the server answered one.
    pub fn code(&self) -> Option<ProblemCode> {
        match self {
            SyncError::Problem(p) => Some(p.code),
            _ => None,
        }
    }

    /// The server's problem, when it answered one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            SyncError::Problem(p) => Some(p),
            _ => None,
        }
    }

    /// Whether the same request may simply be tried again later.
    pub fn retryable(&self) -> bool {
        match self {
            SyncError::Network(_) | SyncError::Protocol(_) => true,
            SyncError::Problem(p) => p.retryable,
            _ => false,
        }
    }

    /// What kind of trouble this is, for the status the store keeps.
    pub fn kind(&self) -> pdesk_core::sync::SyncErrorKind {
        use pdesk_core::sync::SyncErrorKind as Kind;
        match self {
            SyncError::Network(_) => Kind::Offline,
            SyncError::Keychain(_) => Kind::SignIn,
            SyncError::Problem(p) => match p.code {
                ProblemCode::InvalidCredentials
                | ProblemCode::TokenExpired
                | ProblemCode::RefreshReused
                | ProblemCode::DeviceRevoked => Kind::SignIn,
                ProblemCode::RateLimited | ProblemCode::Unavailable | ProblemCode::InProgress => {
                    Kind::Busy
                }
                _ if p.retryable => Kind::Failed,
                _ => Kind::Refused,
            },
            _ => Kind::Failed,
        }
    }

    /// How long the server asked to wait, if it did.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            SyncError::Problem(p) => p.retry_after_ms,
            _ => None,
        }
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Network(e) => write!(f, "the server could not be reached: {e}"),
            SyncError::Problem(p) => write!(f, "{} ({}): {}", p.title, p.code.as_str(), p.detail),
            SyncError::Protocol(e) => write!(f, "the server's answer was not understood: {e}"),
            SyncError::Store(e) => write!(f, "{e}"),
            SyncError::Keychain(e) => write!(f, "the keychain failed: {e}"),
            SyncError::NotConnected => write!(
                f,
                "this store is not connected to a server (pdesk sync connect URL --user NAME)"
            ),
            SyncError::BadAddress(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SyncError {}

impl From<pdesk_core::Error> for SyncError {
    fn from(e: pdesk_core::Error) -> SyncError {
        SyncError::Store(e)
    }
}

pub type SyncResult<T> = Result<T, SyncError>;
