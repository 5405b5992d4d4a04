//! Trusting nothing in a backup file (issue 15, "Restore trusts nothing"). A file picked for a
//! restore may have been written by anything: it is opened read-only in SQLite's defensive
//! mode with `trusted_schema = OFF` (no function or virtual table of its schema runs), and its
//! schema must be exactly the one our migrations produce for its version — no extra trigger,
//! view, table or index, none missing, none changed — before any of it comes near the live
//! database. The reference is built by migrating an empty in-memory database to the file's
//! version with the very migrations of this build.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::error::Result;
use crate::store::cipher::open_connection;
use crate::store::StoreKey;

/// One row of `sqlite_schema`: (type, name) → (tbl_name, normalised sql).
type Schema = BTreeMap<(String, String), (String, Option<String>)>;

/// Opens `path` read-only, defensive, with an untrusted schema; keyed with `key` (an
/// encrypted backup of this store). Reading `sqlite_schema` to check the key runs nothing of
/// the file's schema.
pub(crate) fn open_untrusted(path: &Path, key: Option<&StoreKey>) -> rusqlite::Result<Connection> {
    let conn = open_connection(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.execute_batch("PRAGMA trusted_schema = OFF")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// Whitespace runs collapsed to one space (the text SQLite keeps is the statement as written).
fn normalised(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn schema_of(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            (
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?.as_deref().map(normalised),
            ),
        ))
    })?;
    rows.collect()
}

/// The schema this build's migrations produce at `version`.
fn reference(version: u32) -> Result<Schema> {
    let mut conn = Connection::open_in_memory()?;
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    crate::store::migrate_to(&mut conn, version)?;
    Ok(schema_of(&conn)?)
}

/// How the schema behind `conn` differs from the one of `version` (empty when identical), each
/// difference in words naming the object: "an extra trigger “x” on profiles".
pub(crate) fn schema_differences(conn: &Connection, version: u32) -> Result<Vec<String>> {
    let found = schema_of(conn)?;
    let expected = reference(version)?;
    let mut differences = Vec::new();
    for ((kind, name), (table, sql)) in &found {
        match expected.get(&(kind.clone(), name.clone())) {
            None if kind == "table" || kind == "view" => {
                differences.push(format!("an extra {kind} “{name}”"))
            }
            None => differences.push(format!("an extra {kind} “{name}” on {table}")),
            Some((t, s)) if t != table || s != sql => {
                differences.push(format!("a changed {kind} “{name}”"))
            }
            Some(_) => {}
        }
    }
    for (kind, name) in expected.keys() {
        if !found.contains_key(&(kind.clone(), name.clone())) {
            differences.push(format!("no {kind} “{name}”"));
        }
    }
    Ok(differences)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file offered for restore may carry anything in its schema: its views and triggers
    /// must not run functions of ours, and it must not be able to rewrite the schema or the
    /// file's structure (issue 15.10).
    #[test]
    fn a_candidate_file_is_opened_defensive_with_an_untrusted_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("candidate.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let conn = open_untrusted(&path, None).unwrap();
        assert!(conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap());
        assert!(!conn
            .db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA)
            .unwrap());
        let trusted: i64 = conn
            .query_row("PRAGMA trusted_schema", [], |r| r.get(0))
            .unwrap();
        assert_eq!(trusted, 0);
        assert!(
            conn.execute_batch("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = ''")
                .is_err(),
            "nor may the schema be rewritten through it"
        );
    }

    #[test]
    fn every_version_matches_its_own_reference_and_extras_are_named() {
        for version in 1..=crate::store::SCHEMA_VERSION {
            let mut conn = Connection::open_in_memory().unwrap();
            crate::store::migrate_to(&mut conn, version).unwrap();
            assert_eq!(
                schema_differences(&conn, version).unwrap(),
                Vec::<String>::new(),
                "schema {version}"
            );
        }
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrate_to(&mut conn, crate::store::SCHEMA_VERSION).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON profiles BEGIN DELETE FROM profiles; END;
             CREATE VIEW  v AS SELECT 1;",
        )
        .unwrap();
        let found = schema_differences(&conn, crate::store::SCHEMA_VERSION).unwrap();
        assert!(
            found.contains(&"an extra trigger “wipe” on profiles".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(&"an extra view “v”".to_string()),
            "{found:?}"
        );
        let found = schema_differences(&conn, crate::store::SCHEMA_VERSION - 1).unwrap();
        assert!(
            found.contains(&"an extra table “sync_unsent”".to_string()),
            "a newer schema labelled older differs by what the newest migration made: {found:?}"
        );
    }
}
