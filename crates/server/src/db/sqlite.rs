//! The SQLite backend (the default: one file, zero setup). One writer connection behind a
//! mutex — SQLite has a single writer anyway, so pushes are serialised here and commit order
//! is trivially the order cseqs are assigned — and a small pool of reader connections (WAL:
//! readers never wait for the writer). `synchronous = FULL`: a receipt the server answered
//! must survive a power cut.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

use super::{Backend, DbError, Row, Sql, Val};

pub struct SqliteDb {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Dropped with the database: stops the checkpointer (after a last checkpoint).
    _checkpointer: std::sync::mpsc::Sender<()>,
}

/// How often the checkpointer copies the write-ahead log into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Checkpoints off the write path. With SQLite's automatic checkpoint, the push whose commit
/// crosses 1,000 WAL pages copies them into the database file and syncs it before it is
/// answered — on a 1 GB database, the slowest pushes of a busy second. Here a thread of its own
/// does it every second, `PASSIVE` (never waiting for, nor blocking, readers and the writer).
fn start_checkpointer(path: &Path) -> Result<std::sync::mpsc::Sender<()>, DbError> {
    let conn = connect(path)?;
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || loop {
            let last = !matches!(
                stopped.recv_timeout(CHECKPOINT_EVERY),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout)
            );
            let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            if last {
                break;
            }
        })
        .map_err(|e| DbError::new(format!("could not start the checkpointer: {e}")))?;
    Ok(stop)
}

fn error(e: rusqlite::Error) -> DbError {
    let retry = matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    );
    DbError {
        message: format!("SQLite: {e}"),
        retry,
    }
}

/// A reader's (or the checkpointer's) connection. It sets no journal mode: `PRAGMA
/// journal_mode` takes a lock even when the mode is already WAL, and two hundred devices
/// signing in at once opened enough readers to keep the writer waiting for seconds.
fn connect(path: &Path) -> Result<Connection, DbError> {
    let conn = Connection::open(path).map_err(error)?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(error)?;
    Ok(conn)
}

/// The writer's connection: WAL (readers never wait for it), and `synchronous = FULL` (a
/// receipt the server answered must survive a power cut).
fn connect_writer(path: &Path) -> Result<Connection, DbError> {
    let conn = connect(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;
         PRAGMA wal_autocheckpoint = 0;",
    )
    .map_err(error)?;
    Ok(conn)
}

impl SqliteDb {
    pub fn open(path: &Path) -> Result<SqliteDb, DbError> {
        let writer = connect_writer(path)?;
        Ok(SqliteDb {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            _checkpointer: start_checkpointer(path)?,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a consistent copy to `to` (SQLite's online backup API; pushes wait meanwhile).
    pub fn backup_to(&self, to: &Path) -> Result<(), DbError> {
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        conn.backup(
            rusqlite::MAIN_DB,
            to,
            None::<fn(rusqlite::backup::Progress)>,
        )
        .map_err(error)
    }

    /// Replaces the database's content with `from` (SQLite's online backup API, page by
    /// page under the writer's lock; readers reopen afterwards).
    pub fn restore_from(&self, from: &Path) -> Result<(), DbError> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        conn.restore(
            rusqlite::MAIN_DB,
            from,
            None::<fn(rusqlite::backup::Progress)>,
        )
        .map_err(error)?;
        self.readers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        Ok(())
    }

    pub(super) fn write<R, E: From<DbError>>(
        &self,
        f: &mut dyn FnMut(&mut dyn Sql) -> Result<R, E>,
    ) -> Result<R, E> {
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        run_in_transaction(&conn, "BEGIN IMMEDIATE", f)
    }

    pub(super) fn read<R, E: From<DbError>>(
        &self,
        f: &mut dyn FnMut(&mut dyn Sql) -> Result<R, E>,
    ) -> Result<R, E> {
        let taken = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match taken {
            Some(conn) => conn,
            None => connect(&self.path)?,
        };
        let result = run_in_transaction(&conn, "BEGIN", f);
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        // As many as the HTTP layer lets read at once (its page reads and token checks), so
        // a busy server does not open and close connections — each open reads the schema.
        if pool.len() < 16 {
            pool.push(conn);
        }
        result
    }
}

fn run_in_transaction<R, E: From<DbError>>(
    conn: &Connection,
    begin: &str,
    f: &mut dyn FnMut(&mut dyn Sql) -> Result<R, E>,
) -> Result<R, E> {
    let mut attempt = 0;
    loop {
        conn.execute_batch(begin).map_err(error)?;
        let mut tx = SqliteTx(conn);
        match f(&mut tx) {
            Ok(value) => match conn.execute_batch("COMMIT") {
                Ok(()) => return Ok(value),
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    let e = error(e);
                    if !e.retry || attempt >= 5 {
                        return Err(e.into());
                    }
                }
            },
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
        attempt += 1;
    }
}

struct SqliteTx<'c>(&'c Connection);

/// `$1` → `?1`: SQLite reads `$1` as a *named* parameter numbered by first appearance, `?1`
/// is the positional one PostgreSQL's `$1` means.
fn positional(sql: &str) -> String {
    sql.replace('$', "?")
}

fn bind(params: &[Val]) -> Vec<Value> {
    params
        .iter()
        .map(|v| match v {
            Val::Null => Value::Null,
            Val::Int(i) => Value::Integer(*i),
            Val::Text(t) => Value::Text(t.clone()),
        })
        .collect()
}

impl Sql for SqliteTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, DbError> {
        let mut statement = self.0.prepare_cached(&positional(sql)).map_err(error)?;
        let n = statement
            .execute(rusqlite::params_from_iter(bind(params)))
            .map_err(error)?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, DbError> {
        let mut statement = self.0.prepare_cached(&positional(sql)).map_err(error)?;
        let columns = statement.column_count();
        let mut rows = statement
            .query(rusqlite::params_from_iter(bind(params)))
            .map_err(error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(error)? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i).map_err(error)? {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(v) => Val::Int(v),
                    ValueRef::Real(v) => Val::Int(v as i64),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Val::Text(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
}
