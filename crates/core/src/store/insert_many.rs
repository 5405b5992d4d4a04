//! Many rows into one table, a hundred to a statement: what a transaction collected (an
//! import's job records and new profiles, a sync batch's ops) written at its end, instead of
//! one statement a row.

use rusqlite::types::Value;
use rusqlite::Connection;

use crate::error::Result;

/// Rows one statement inserts at most: 100 rows of 16 columns stay far under SQLite's limit of
/// bound values, and a statement of that size is prepared once and kept.
const ROWS_PER_INSERT: usize = 100;

/// Inserts `rows`, in their order: `head` is the statement before its `VALUES` list
/// (`INSERT INTO t(a, b)`), `tail` what follows the list (an `ON CONFLICT …` clause, or
/// nothing).
pub(crate) fn insert_many<const N: usize>(
    conn: &Connection,
    head: &str,
    tail: &str,
    rows: impl IntoIterator<Item = [Value; N]>,
) -> Result<()> {
    let one_row = format!("({})", vec!["?"; N].join(", "));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let values: Vec<Value> = rows.by_ref().take(ROWS_PER_INSERT).flatten().collect();
        let list = vec![one_row.as_str(); values.len() / N].join(", ");
        conn.prepare_cached(&format!("{head} VALUES {list} {tail}"))?
            .execute(rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_in_their_order_across_statements_and_the_tail_applies() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)")
            .unwrap();
        let rows = |n: i64, text: &str| {
            (0..n)
                .map(|k| [Value::from(k), Value::from(format!("{text}{k}"))])
                .collect::<Vec<_>>()
        };
        // Two full statements and a shorter third.
        insert_many(&conn, "INSERT INTO t(k, v)", "", rows(250, "a")).unwrap();
        let read = |sql: &str| -> Vec<(i64, String)> {
            let mut stmt = conn.prepare(sql).unwrap();
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            rows.map(|r| r.unwrap()).collect()
        };
        let all = read("SELECT k, v FROM t ORDER BY rowid");
        assert_eq!(all.len(), 250);
        assert!(all
            .iter()
            .enumerate()
            .all(|(i, (k, v))| *k == i as i64 && *v == format!("a{i}")));
        // The same keys again: the conflict clause decides, for every statement.
        insert_many(
            &conn,
            "INSERT INTO t(k, v)",
            "ON CONFLICT(k) DO UPDATE SET v = excluded.v",
            rows(120, "b"),
        )
        .unwrap();
        let changed = read("SELECT k, v FROM t WHERE v LIKE 'b%'");
        assert_eq!(changed.len(), 120);
        // Nothing to write is no statement, not an error.
        insert_many::<2>(&conn, "INSERT INTO t(k, v)", "", []).unwrap();
        // A row the table refuses fails the call (the caller's transaction decides the rest).
        assert!(insert_many(&conn, "INSERT INTO t(k, v)", "", rows(1, "c")).is_err());
    }
}
