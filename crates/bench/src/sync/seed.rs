//! The servers the sync figures run against: an empty one, and one already holding N profiles
//! (filled once through push itself and kept in the work dir, as the list figures keep their
//! store); on PostgreSQL, the same rows copied table by table with `COPY` (filling a million
//! through push over the network would take longer than every figure together).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pdesk_core::Error;
use pdesk_server::admin;
use pdesk_server::db::Database;

use super::push::fill;
use super::workload::{internal, PASSWORD, SEED, T0};

/// Removes a SQLite database and its journal files.
pub fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn text(path: &Path) -> Result<&str, Error> {
    path.to_str()
        .ok_or_else(|| internal("the work dir is not UTF-8"))
}

/// A new SQLite server database at `path` with the benchmark's administrator.
pub fn empty_sqlite(path: &Path) -> Result<Database, Error> {
    remove_sqlite(path);
    let db = Database::open(text(path)?).map_err(internal)?;
    admin::init(&db, "admin", PASSWORD, T0).map_err(|e| internal(format!("{e:?}")))?;
    Ok(db)
}

/// The SQLite server holding `count` seed profiles, made once per work dir.
pub fn filled_sqlite(dir: &Path, count: u64) -> Result<PathBuf, Error> {
    let path = dir.join(format!("bench-server-{count}.db"));
    let done = dir.join(format!("bench-server-{count}.done"));
    if done.exists() && path.exists() {
        return Ok(path);
    }
    eprintln!("  filling a SQLite server with {count} profiles through push (once per work dir)");
    let db = empty_sqlite(&path)?;
    fill(&db, SEED, count)?;
    drop(db);
    std::fs::write(&done, b"").map_err(internal)?;
    Ok(path)
}

/// A private copy of `seeded` at `path` (each figure that writes gets its own).
pub fn copy_sqlite(seeded: &Path, path: &Path) -> Result<Database, Error> {
    remove_sqlite(path);
    std::fs::copy(seeded, path).map_err(internal)?;
    Database::open(text(path)?).map_err(internal)
}

/// Creates (or re-creates) database `name` in the cluster of `admin_url` and answers its URL.
pub fn postgres_database(admin_url: &str, name: &str) -> Result<String, Error> {
    let mut client = postgres::Client::connect(admin_url, postgres::NoTls).map_err(pg)?;
    // Two statements, two calls: a multi-statement string runs as one transaction, which
    // CREATE DATABASE refuses.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .map_err(pg)?;
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .map_err(pg)?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .ok_or_else(|| internal("the PostgreSQL URL names no database"))?;
    Ok(format!("{base}/{name}"))
}

/// An empty PostgreSQL server database `name` with the benchmark's administrator.
pub fn empty_postgres(admin_url: &str, name: &str) -> Result<(Database, String), Error> {
    let url = postgres_database(admin_url, name)?;
    let db = Database::open(&url).map_err(internal)?;
    admin::init(&db, "admin", PASSWORD, T0).map_err(|e| internal(format!("{e:?}")))?;
    Ok((db, url))
}

/// A PostgreSQL server database `name` holding exactly the rows of the SQLite server `from`.
pub fn copied_postgres(
    admin_url: &str,
    name: &str,
    from: &Path,
) -> Result<(Database, String), Error> {
    let url = postgres_database(admin_url, name)?;
    let db = Database::open(&url).map_err(internal)?;
    admin::prepare(&db, T0).map_err(internal)?;
    let started = Instant::now();
    let source =
        rusqlite::Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(internal)?;
    let tables: Vec<String> = source
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(internal)?;
    let mut client = postgres::Client::connect(&url, postgres::NoTls).map_err(pg)?;
    let mut rows_copied = 0u64;
    for table in &tables {
        let columns: Vec<String> = source
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .and_then(|mut s| {
                s.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(internal)?;
        let list = columns.join(", ");
        let mut tx = client.transaction().map_err(pg)?;
        tx.batch_execute(&format!("TRUNCATE {table}")).map_err(pg)?;
        let mut writer = tx
            .copy_in(&format!("COPY {table} ({list}) FROM STDIN"))
            .map_err(pg)?;
        let mut select = source
            .prepare(&format!("SELECT {list} FROM {table}"))
            .map_err(internal)?;
        let mut rows = select.query([]).map_err(internal)?;
        let mut line = String::new();
        while let Some(row) = rows.next().map_err(internal)? {
            line.clear();
            for i in 0..columns.len() {
                if i > 0 {
                    line.push('\t');
                }
                match row.get_ref(i).map_err(internal)? {
                    rusqlite::types::ValueRef::Null => line.push_str("\\N"),
                    rusqlite::types::ValueRef::Integer(n) => line.push_str(&n.to_string()),
                    rusqlite::types::ValueRef::Real(f) => line.push_str(&f.to_string()),
                    rusqlite::types::ValueRef::Text(t) => {
                        copy_field(&mut line, std::str::from_utf8(t).map_err(internal)?)
                    }
                    rusqlite::types::ValueRef::Blob(_) => {
                        return Err(internal(format!(
                            "{table}: a blob, which the schema has not"
                        )))
                    }
                }
            }
            line.push('\n');
            writer.write_all(line.as_bytes()).map_err(internal)?;
            rows_copied += 1;
        }
        writer.finish().map_err(pg)?;
        tx.commit().map_err(pg)?;
    }
    client.batch_execute("ANALYZE").map_err(pg)?;
    eprintln!(
        "  copied {rows_copied} rows of {} tables into PostgreSQL in {:.0} s",
        tables.len(),
        started.elapsed().as_secs_f64()
    );
    Ok((db, url))
}

/// A PostgreSQL error with the server's own message (its `Display` says only "db error").
pub fn pg(e: postgres::Error) -> Error {
    match e.as_db_error() {
        Some(db) => internal(format!("PostgreSQL: {}", db.message())),
        None => internal(e),
    }
}

/// Appends `value` as a field of PostgreSQL's COPY text format.
pub fn copy_field(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}
