//! `server_meta`: the schema, the epoch and the other single facts of a server database.

use crate::db::{DbError, Sql, Val};
use crate::ids;

pub const SCHEMA_VERSION: &str = "1";
const SCHEMA: &str = include_str!("db/schema.sql");

pub fn get(sql: &mut dyn Sql, key: &str) -> Result<Option<String>, DbError> {
    Ok(sql
        .query_opt("SELECT v FROM server_meta WHERE k = $1", &[key.into()])?
        .map(|r| r.text(0)))
}

pub fn set(sql: &mut dyn Sql, key: &str, value: &str) -> Result<(), DbError> {
    sql.execute(
        "INSERT INTO server_meta (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
        &[key.into(), value.into()],
    )?;
    Ok(())
}

/// Creates the schema when missing and, on a new database, its epoch, partition heads and
/// bucket sums. Answers whether the database was new.
pub fn ensure_schema(sql: &mut dyn Sql, partitions: u64, now_ms: u64) -> Result<bool, DbError> {
    sql.batch(SCHEMA)?;
    if get(sql, "schema_version")?.is_some() {
        return Ok(false);
    }
    set(sql, "schema_version", SCHEMA_VERSION)?;
    set(sql, "epoch", &ids::new_id("", now_ms))?;
    set(sql, "partitions", &partitions.to_string())?;
    set(sql, "key_salt", &crate::ids::new_token())?;
    for part in 0..partitions {
        sql.execute(
            "INSERT INTO partition_heads (part, cseq) VALUES ($1, 0)",
            &[Val::from(part)],
        )?;
    }
    for b in 0..pdesk_sync_proto::limits::BUCKETS as u64 {
        sql.execute(
            "INSERT INTO buckets (b, sum) VALUES ($1, 0)",
            &[Val::from(b)],
        )?;
    }
    Ok(true)
}

/// The server epoch: made with the database and rotated by `restore` (SYNC.md §9 F9).
pub fn epoch(sql: &mut dyn Sql) -> Result<String, DbError> {
    get(sql, "epoch")?.ok_or_else(|| {
        DbError::new("this database has no epoch: it was not made by `pdesk-server init`")
    })
}

pub fn rotate_epoch(sql: &mut dyn Sql, now_ms: u64) -> Result<String, DbError> {
    let epoch = ids::new_id("", now_ms);
    set(sql, "epoch", &epoch)?;
    Ok(epoch)
}

/// The secret that salts the hashed match keys of deleted profiles (`record::tombstone_key`).
pub fn key_salt(sql: &mut dyn Sql) -> Result<String, DbError> {
    get(sql, "key_salt")?.ok_or_else(|| DbError::new("this database has no key_salt"))
}
