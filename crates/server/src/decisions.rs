//! Merge reviews and field conflicts as stored: the same row shape `(id, gid, rev, state)`,
//! the state as JSON. One place reads and writes both tables (push resolves them, pull and
//! snapshot deliver them).

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::db::{DbError, Sql, Val};

/// The two tables of people's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Reviews,
    Conflicts,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Reviews => "reviews",
            Table::Conflicts => "conflicts",
        }
    }
}

/// Inserts or replaces one item at `rev`.
pub fn save<T: Serialize>(
    sql: &mut dyn Sql,
    table: Table,
    id: &str,
    gid: &str,
    rev: u64,
    state: &T,
) -> Result<(), DbError> {
    sql.execute(
        &format!(
            "INSERT INTO {} (id, gid, rev, state) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, state = excluded.state",
            table.name()
        ),
        &[
            id.into(),
            gid.into(),
            Val::from(rev),
            serde_json::to_string(state)
                .expect("a state serialises")
                .into(),
        ],
    )?;
    Ok(())
}

fn parse<T: DeserializeOwned>(table: Table, id: &str, text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| {
        DbError::new(format!(
            "{} {id}: stored state does not read: {e}",
            table.name()
        ))
    })
}

/// One item's rev and state, if it exists.
pub fn load<T: DeserializeOwned>(
    sql: &mut dyn Sql,
    table: Table,
    id: &str,
) -> Result<Option<(u64, T)>, DbError> {
    let row = sql.query_opt(
        &format!("SELECT rev, state FROM {} WHERE id = $1", table.name()),
        &[id.into()],
    )?;
    row.map(|r| Ok((r.u64(0), parse(table, id, &r.text(1))?)))
        .transpose()
}

/// Every item of profile `gid`: (id, rev, state), in id order.
pub fn of_profile<T: DeserializeOwned>(
    sql: &mut dyn Sql,
    table: Table,
    gid: &str,
) -> Result<Vec<(String, u64, T)>, DbError> {
    let rows = sql.query(
        &format!(
            "SELECT id, rev, state FROM {} WHERE gid = $1 ORDER BY id",
            table.name()
        ),
        &[gid.into()],
    )?;
    rows.iter()
        .map(|r| {
            let id = r.text(0);
            let state = parse(table, &id, &r.text(2))?;
            Ok((id, r.u64(1), state))
        })
        .collect()
}
