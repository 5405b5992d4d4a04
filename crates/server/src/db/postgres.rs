//! The PostgreSQL backend, for teams: the same statements as SQLite through the `postgres`
//! client (the blocking face of `tokio-postgres`; the HTTP layer calls it on blocking threads,
//! as it calls SQLite). Writes run `SERIALIZABLE`: two pushes that create the same phone at the
//! same moment both read "no match", and PostgreSQL's serializable isolation refuses one of them
//! (SQLSTATE 40001), which [`PgDb::write`] runs again — it then sees the other's profile and
//! merges. So concurrent writers never make silent duplicates, without a lock per key. Reads
//! are `REPEATABLE READ, READ ONLY`: one consistent view per request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use bytes::BytesMut;
use postgres::error::SqlState;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, IsolationLevel, NoTls, Statement};
use rand::Rng;

use super::{Backend, DbError, Row, Sql, Val};

pub struct PgDb {
    url: String,
    pool: Mutex<Vec<Pooled>>,
}

/// A connection and the statements prepared on it. A statement sent as text is parsed and
/// planned on every call — one more round trip each time; a push runs the same dozen
/// statements for every op, so each connection keeps them prepared.
struct Pooled {
    client: Client,
    statements: HashMap<String, Prepared>,
}

/// Statements kept per connection; past it the cache starts afresh (the `IN (…)` lists of
/// page reads come in many lengths).
const STATEMENTS_KEPT: usize = 256;

/// A prepared statement and how often it ran. After a few runs PostgreSQL keeps one generic
/// plan per prepared statement, chosen on the tables' sizes at that moment; on a new server
/// whose first sync is filling the tables, a plan chosen on a nearly empty table (a scan) made
/// every key look-up scan the growing table — a push 4x slower than on a filled server
/// (measured: `pg_stat_statements`, 2–18 ms per look-up instead of 0.2). So a statement is
/// prepared again at its 16th, 32nd, 64th, … run ([`replan_at`]): often while the tables are
/// young and grow by large factors, a few dozen times in its connection's life.
struct Prepared {
    statement: Statement,
    uses: u64,
}

/// Whether a statement is prepared again at its `uses`-th run.
fn replan_at(uses: u64) -> bool {
    uses >= 16 && uses.is_power_of_two()
}

/// Serialization failures and deadlocks are answered by running the transaction again.
const ATTEMPTS: u32 = 12;

fn error(e: postgres::Error) -> DbError {
    let retry = matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    );
    let detail = e
        .as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string());
    DbError {
        message: format!("PostgreSQL: {detail}"),
        retry,
    }
}

impl PgDb {
    pub fn open(url: &str) -> Result<PgDb, DbError> {
        let client = Client::connect(url, NoTls).map_err(error)?;
        Ok(PgDb {
            url: url.to_string(),
            pool: Mutex::new(vec![Pooled {
                client,
                statements: HashMap::new(),
            }]),
        })
    }

    fn client(&self) -> Result<Pooled, DbError> {
        let pooled = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(c) if !c.client.is_closed() => Ok(c),
            _ => Ok(Pooled {
                client: Client::connect(&self.url, NoTls).map_err(error)?,
                statements: HashMap::new(),
            }),
        }
    }

    fn give_back(&self, client: Pooled) {
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < 16 && !client.client.is_closed() {
            pool.push(client);
        }
    }

    pub(super) fn write<R, E: From<DbError>>(
        &self,
        f: &mut dyn FnMut(&mut dyn Sql) -> Result<R, E>,
    ) -> Result<R, E> {
        self.run(IsolationLevel::Serializable, false, f)
    }

    pub(super) fn read<R, E: From<DbError>>(
        &self,
        f: &mut dyn FnMut(&mut dyn Sql) -> Result<R, E>,
    ) -> Result<R, E> {
        self.run(IsolationLevel::RepeatableRead, true, f)
    }

    fn run<R, E: From<DbError>>(
        &self,
        isolation: IsolationLevel,
        read_only: bool,
        f: &mut dyn FnMut(&mut dyn Sql) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut pooled = self.client()?;
        let Pooled { client, statements } = &mut pooled;
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            let tx = client
                .build_transaction()
                .isolation_level(isolation)
                .read_only(read_only)
                .start()
                .map_err(error)?;
            let mut pg = PgTx {
                tx: Some(tx),
                statements: &mut *statements,
                retryable: None,
            };
            let outcome = f(&mut pg);
            let retryable = pg.retryable.take();
            let tx = pg.tx.take().expect("the transaction is held until here");
            match outcome {
                Ok(value) => match tx.commit() {
                    Ok(()) => break Ok(value),
                    Err(e) => {
                        let e = error(e);
                        if !e.retry || attempt >= ATTEMPTS {
                            break Err(e.into());
                        }
                    }
                },
                Err(e) => {
                    let _ = tx.rollback();
                    if retryable.is_none() || attempt >= ATTEMPTS {
                        break Err(e);
                    }
                }
            }
            // Another writer won a race on the same rows: wait a little, at random, and redo.
            let ms = rand::rng().random_range(1..=(5u64 << attempt.min(6)));
            std::thread::sleep(Duration::from_millis(ms));
        };
        self.give_back(pooled);
        result
    }
}

impl Drop for PgDb {
    /// A client closes its connection by blocking on its own runtime, which may not happen on
    /// a thread that drives async tasks (the server, or a test, may drop the database there):
    /// the clients are closed on a thread of their own.
    fn drop(&mut self) {
        let clients = std::mem::take(self.pool.get_mut().unwrap_or_else(|p| p.into_inner()));
        if !clients.is_empty() {
            let _ = std::thread::spawn(move || drop(clients)).join();
        }
    }
}

struct PgTx<'c> {
    tx: Option<postgres::Transaction<'c>>,
    statements: &'c mut HashMap<String, Prepared>,
    /// The retryable failure a statement met: the transaction is run again when the closure
    /// gives up because of it.
    retryable: Option<DbError>,
}

/// A NULL of whatever type the statement wants (PostgreSQL types every parameter).
#[derive(Debug)]
struct Null;

impl ToSql for Null {
    fn to_sql(
        &self,
        _: &Type,
        _: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(IsNull::Yes)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

fn params(values: &[Val]) -> Vec<Box<dyn ToSql + Sync>> {
    values
        .iter()
        .map(|v| -> Box<dyn ToSql + Sync> {
            match v {
                Val::Null => Box::new(Null),
                Val::Int(i) => Box::new(*i),
                Val::Text(t) => Box::new(t.clone()),
            }
        })
        .collect()
}

fn value(row: &postgres::Row, i: usize) -> Result<Val, DbError> {
    let ty = row.columns()[i].type_().clone();
    let bad = |e: postgres::Error| DbError::new(format!("column {i} ({ty}): {e}"));
    Ok(if ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)
            .map_err(bad)?
            .map_or(Val::Null, Val::Int)
    } else if ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)
            .map_err(bad)?
            .map_or(Val::Null, |v| Val::Int(v.into()))
    } else if ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(i)
            .map_err(bad)?
            .map_or(Val::Null, |v| Val::Int(v.into()))
    } else if ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(i)
            .map_err(bad)?
            .map_or(Val::Null, |v| Val::Int(v.into()))
    } else {
        row.try_get::<_, Option<String>>(i)
            .map_err(bad)?
            .map_or(Val::Null, Val::Text)
    })
}

impl PgTx<'_> {
    /// `sql` prepared on this connection (again when [`replan_at`] says so).
    fn prepared(&mut self, sql: &str) -> Result<Statement, DbError> {
        let mut uses = 1;
        if let Some(prepared) = self.statements.get_mut(sql) {
            prepared.uses += 1;
            if !replan_at(prepared.uses) {
                return Ok(prepared.statement.clone());
            }
            uses = prepared.uses;
        }
        let tx = self.tx.as_mut().expect("an open transaction");
        let statement = match tx.prepare(sql) {
            Ok(statement) => statement,
            Err(e) => return Err(self.note(e)),
        };
        if self.statements.len() >= STATEMENTS_KEPT {
            self.statements.clear();
        }
        self.statements.insert(
            sql.to_string(),
            Prepared {
                statement: statement.clone(),
                uses,
            },
        );
        Ok(statement)
    }

    fn note(&mut self, e: postgres::Error) -> DbError {
        let e = error(e);
        if e.retry {
            self.retryable = Some(e.clone());
        }
        e
    }
}

impl Sql for PgTx<'_> {
    fn execute(&mut self, sql: &str, values: &[Val]) -> Result<u64, DbError> {
        let statement = self.prepared(sql)?;
        let boxed = params(values);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        let tx = self.tx.as_mut().expect("an open transaction");
        match tx.execute(&statement, &refs) {
            Ok(n) => Ok(n),
            Err(e) => Err(self.note(e)),
        }
    }

    fn query(&mut self, sql: &str, values: &[Val]) -> Result<Vec<Row>, DbError> {
        let statement = self.prepared(sql)?;
        let boxed = params(values);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        let tx = self.tx.as_mut().expect("an open transaction");
        let rows = match tx.query(&statement, &refs) {
            Ok(rows) => rows,
            Err(e) => return Err(self.note(e)),
        };
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| value(row, i))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Row)
            })
            .collect()
    }

    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    /// All statements in one message: one round trip (the push's savepoints use it).
    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        let tx = self.tx.as_mut().expect("an open transaction");
        match tx.batch_execute(sql) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.note(e)),
        }
    }
}
