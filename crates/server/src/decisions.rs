//! Merge reviews and field conflicts as stored: the same row shape `(id, gid, rev, state)`,
//! the state as JSON. One place reads and writes both tables (push resolves them, pull and
//! snapshot deliver them).

use std::collections::HashMap;

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

/// An item as delivered: (id, rev, state).
pub type Item<T> = (String, u64, T);

/// The items of each of `gids` in id order (those with none are absent), in a few set
/// queries.
pub fn of_profiles<T: DeserializeOwned>(
    sql: &mut dyn Sql,
    table: Table,
    gids: &[&str],
) -> Result<HashMap<String, Vec<Item<T>>>, DbError> {
    let rows = crate::db::query_in(
        sql,
        &format!("SELECT gid, id, rev, state FROM {} WHERE gid", table.name()),
        &[],
        gids,
        "ORDER BY gid, id",
    )?;
    let mut items: HashMap<String, Vec<Item<T>>> = HashMap::new();
    for r in rows {
        let id = r.text(1);
        let state = parse(table, &id, &r.text(3))?;
        items
            .entry(r.text(0))
            .or_default()
            .push((id, r.u64(2), state));
    }
    Ok(items)
}
