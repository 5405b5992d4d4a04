//! The server's error: a protocol problem to answer as is, or a storage failure (answered
//! `500 internal` — the outcome is unknown, the client retries the same ops — or `503
//! unavailable` when the database was busy).

use pdesk_sync_proto::{Problem, ProblemCode};

use crate::db::DbError;

#[derive(Debug)]
pub enum ServerError {
    Problem(Box<Problem>),
    Db(DbError),
}

pub type Result<T, E = ServerError> = std::result::Result<T, E>;

impl From<DbError> for ServerError {
    fn from(e: DbError) -> ServerError {
        ServerError::Db(e)
    }
}

impl From<Problem> for ServerError {
    fn from(p: Problem) -> ServerError {
        ServerError::Problem(Box::new(p))
    }
}

impl ServerError {
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> ServerError {
        Problem::new(code, detail).into()
    }

    /// The problem to answer. A storage failure's text stays in the log, not the answer.
    pub fn into_problem(self) -> Problem {
        match self {
            ServerError::Problem(p) => *p,
            ServerError::Db(e) if e.retry => Problem::new(
                ProblemCode::Unavailable,
                "the database is busy: retry shortly",
            )
            .retry_after_ms(1000),
            ServerError::Db(_) => Problem::new(
                ProblemCode::Internal,
                "the server could not finish the request: retry the same request",
            ),
        }
    }
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServerError::Problem(p) => write!(f, "{}: {}", p.code.as_str(), p.detail),
            ServerError::Db(e) => write!(f, "{e}"),
        }
    }
}
