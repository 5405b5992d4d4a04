//! The server's storage, behind one small trait: [`Sql`] runs a statement with positional
//! parameters (`$1`, `$2`, … in the text) and returns rows of [`Val`]. Everything above it —
//! accounts, the push, the feed, pull and snapshot — is written once, in the SQL subset that
//! SQLite, PostgreSQL, Citus and CockroachDB all accept (`TEXT`, `BIGINT`, `ON CONFLICT`,
//! `RETURNING`, savepoints; no `AUTOINCREMENT`, no JSON operators). So both backends run the
//! same code, and what is tested on one holds on the other.
//!
//! [`Database`] opens a backend from the `--db` argument and hands out transactions: one
//! writer at a time ([`Database::write`]) and concurrent readers ([`Database::read`]). The
//! closures run on a blocking thread (the HTTP layer calls them through `spawn_blocking`).

mod postgres;
mod sqlite;

use std::fmt;
use std::path::{Path, PathBuf};

pub use postgres::PgDb;
pub use sqlite::SqliteDb;

/// A value going into or coming out of a statement. Integers are `BIGINT`, text is `TEXT`
/// (JSON documents are stored as text: no backend-specific JSON type or operator is used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}
impl From<u64> for Val {
    /// Counters (seqs, revs, cseqs) stay far below 2⁶³; bucket sums are stored wrapped.
    fn from(v: u64) -> Val {
        Val::Int(v as i64)
    }
}
impl From<u32> for Val {
    fn from(v: u32) -> Val {
        Val::Int(v.into())
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Int(v.into())
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Val>);

impl Row {
    pub fn int(&self, i: usize) -> i64 {
        match &self.0[i] {
            Val::Int(v) => *v,
            Val::Text(t) => t.parse().unwrap_or(0),
            Val::Null => 0,
        }
    }
    pub fn u64(&self, i: usize) -> u64 {
        self.int(i) as u64
    }
    pub fn text(&self, i: usize) -> String {
        self.opt_text(i).unwrap_or_default()
    }
    pub fn opt_text(&self, i: usize) -> Option<String> {
        match &self.0[i] {
            Val::Text(t) => Some(t.clone()),
            Val::Int(v) => Some(v.to_string()),
            Val::Null => None,
        }
    }
    pub fn flag(&self, i: usize) -> bool {
        self.int(i) != 0
    }
}

/// A storage failure. `retry` marks the ones a transaction may simply run again (a busy
/// SQLite file; PostgreSQL's serialization failure and deadlock, SQLSTATE 40001 / 40P01).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    pub message: String,
    pub retry: bool,
}

impl DbError {
    pub fn new(message: impl Into<String>) -> DbError {
        DbError {
            message: message.into(),
            retry: false,
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DbError {}

/// Statements with positional parameters `$1..$n`, inside one transaction.
/// Ids per `IN (…)` list: far below SQLite's and PostgreSQL's parameter limits, and a page of
/// 5,000 profiles is ten queries instead of five thousand.
pub const IN_LIST: usize = 500;

/// Runs `{head} IN ($k, …) {tail}` for `ids`, `IN_LIST` at a time, and answers every row.
/// `params` come before the ids (`$1`…), so `head` may use them.
pub fn query_in<T: Copy + Into<Val>>(
    sql: &mut dyn Sql,
    head: &str,
    params: &[Val],
    ids: &[T],
    tail: &str,
) -> Result<Vec<Row>, DbError> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(IN_LIST) {
        // Padded with the last id to a power of two: a few statement texts (each prepared
        // once per PostgreSQL connection) serve every list length.
        let padded = chunk.len().next_power_of_two().min(IN_LIST);
        let first = params.len() + 1;
        let list: Vec<String> = (first..first + padded).map(|i| format!("${i}")).collect();
        let mut all = params.to_vec();
        all.extend((0..padded).map(|i| chunk[i.min(chunk.len() - 1)].into()));
        rows.extend(sql.query(&format!("{head} IN ({}) {tail}", list.join(", ")), &all)?);
    }
    Ok(rows)
}

/// `INSERT INTO {table} VALUES (…), (…) [ON CONFLICT {on_conflict}]`, 100 rows a statement:
/// a transaction's many rows of one kind (feed entries, receipts) in a few statements.
pub fn insert_rows<const N: usize>(
    sql: &mut dyn Sql,
    table: &str,
    rows: &[[Val; N]],
    on_conflict: Option<&str>,
) -> Result<(), DbError> {
    for chunk in rows.chunks(100) {
        let mut text = format!("INSERT INTO {table} VALUES ");
        let mut params = Vec::with_capacity(chunk.len() * N);
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            let list: Vec<String> = (1..=N).map(|c| format!("${}", i * N + c)).collect();
            text.push_str(&format!("({})", list.join(", ")));
            params.extend(row.iter().cloned());
        }
        if let Some(on_conflict) = on_conflict {
            text.push_str(&format!(" ON CONFLICT {on_conflict}"));
        }
        sql.execute(&text, &params)?;
    }
    Ok(())
}

pub trait Sql {
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, DbError>;
    /// Runs a query; every row.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, DbError>;
    /// Which backend: for the few statements that must differ (row locks).
    fn backend(&self) -> Backend;

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Val]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Several statements without parameters (the schema): `--` comment lines are dropped,
    /// then the text is split at `;`.
    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        let code: String = sql
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n");
        for statement in code.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            self.execute(statement, &[])?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open server database.
pub enum Database {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// The file `serve` uses when `--db` is left out: in the current folder (zero setup).
pub const DEFAULT_FILE: &str = "pdesk-server.db";

impl Database {
    /// Opens `location`: a `postgres://` URL or a file path (created when missing).
    pub fn open(location: &str) -> Result<Database, DbError> {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            return Ok(Database::Postgres(PgDb::open(location)?));
        }
        Ok(Database::Sqlite(SqliteDb::open(Path::new(location))?))
    }

    /// The database file, for SQLite (backup, restore).
    pub fn file(&self) -> Option<PathBuf> {
        match self {
            Database::Sqlite(db) => Some(db.path().to_path_buf()),
            Database::Postgres(_) => None,
        }
    }

    /// Runs `f` in a write transaction (SQLite: the one writer; PostgreSQL: serializable):
    /// committed when it returns `Ok`, rolled back otherwise. A retryable storage failure (a
    /// busy file, a serialization failure) runs it again.
    pub fn write<R, E: From<DbError>>(
        &self,
        mut f: impl FnMut(&mut dyn Sql) -> Result<R, E>,
    ) -> Result<R, E> {
        match self {
            Database::Sqlite(db) => db.write(&mut f),
            Database::Postgres(db) => db.write(&mut f),
        }
    }

    /// Runs `f` in a read transaction (one consistent view), concurrently with others.
    pub fn read<R, E: From<DbError>>(
        &self,
        mut f: impl FnMut(&mut dyn Sql) -> Result<R, E>,
    ) -> Result<R, E> {
        match self {
            Database::Sqlite(db) => db.read(&mut f),
            Database::Postgres(db) => db.read(&mut f),
        }
    }
}
