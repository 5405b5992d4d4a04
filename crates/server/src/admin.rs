//! The maintenance commands of `pdesk-server` (`init`, `check`, `backup`, `restore`, `gc`),
//! as functions the CLI and the tests call.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::accounts::{self, AdminError, Refused, UserInfo};
use crate::clock::rfc3339;
use crate::db::{Database, DbError, Sql, Val};
use crate::feed::{self, PARTITIONS};
use crate::meta;

/// Creates the schema (when missing) and the first administrator.
pub fn init(
    db: &Database,
    admin: &str,
    password: &str,
    now_ms: u64,
) -> Result<UserInfo, AdminError> {
    db.write(|sql| {
        meta::ensure_schema(sql, PARTITIONS, now_ms)?;
        if !accounts::list_users(sql)?.is_empty() {
            return Err(Refused(
                "this database already has users: add more with `pdesk-server user add`".into(),
            )
            .into());
        }
        accounts::add_user(sql, admin, "Administrator", password, now_ms)
    })
}

/// Creates the schema when missing (`serve` on a new file). Answers whether it has users.
pub fn prepare(db: &Database, now_ms: u64) -> Result<bool, DbError> {
    db.write(|sql| {
        meta::ensure_schema(sql, PARTITIONS, now_ms)?;
        Ok(!accounts::list_users(sql)?.is_empty())
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub profiles: u64,
    pub deleted: u64,
    pub problems: Vec<String>,
}

/// `check`: the storage's own integrity check (SQLite), the bucket sums against a recount,
/// and every profile present in the feed.
pub fn check(db: &Database) -> Result<CheckReport, DbError> {
    db.read(|sql| {
        let mut problems = Vec::new();
        if let Some(file) = db.file() {
            let rows = sql.query("PRAGMA integrity_check", &[])?;
            let verdict: Vec<String> = rows.iter().map(|r| r.text(0)).collect();
            if verdict != ["ok"] {
                problems.push(format!("{}: {}", file.display(), verdict.join("; ")));
            }
        }
        let stored = feed::bucket_sums(sql)?;
        let counted = feed::recompute_sums(sql)?;
        for (b, (s, c)) in stored.iter().zip(counted.iter()).enumerate() {
            if s != c {
                problems.push(format!(
                    "bucket {b}: stored sum {s} differs from the recount {c}"
                ));
            }
        }
        let missing = sql
            .query_opt(
                "SELECT COUNT(*) FROM profiles p WHERE p.merged_into IS NULL AND NOT EXISTS
                   (SELECT 1 FROM feed f WHERE f.kind = 'profile' AND f.id = p.gid)",
                &[],
            )?
            .map_or(0, |r| r.u64(0));
        if missing > 0 {
            problems.push(format!(
                "{missing} profiles have no feed entry: pull would never deliver them"
            ));
        }
        let count = |sql: &mut dyn Sql, deleted: i64| -> Result<u64, DbError> {
            Ok(sql
                .query_opt(
                    "SELECT COUNT(*) FROM profiles WHERE deleted = $1",
                    &[Val::Int(deleted)],
                )?
                .map_or(0, |r| r.u64(0)))
        };
        Ok(CheckReport {
            ok: problems.is_empty(),
            profiles: count(sql, 0)?,
            deleted: count(sql, 1)?,
            problems,
        })
    })
}

/// `backup DIR`: a consistent copy of the database (SQLite's `VACUUM INTO`), named by time.
pub fn backup(db: &Database, dir: &Path, now_ms: u64) -> Result<PathBuf, AdminError> {
    if db.file().is_none() {
        return Err(Refused("back up a PostgreSQL database with pg_dump".into()).into());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Refused(format!("cannot create {}: {e}", dir.display())))?;
    let stamp = rfc3339(now_ms).replace([':', '.'], "-");
    let target = dir.join(format!("pdesk-server-{stamp}.db"));
    match db {
        Database::Sqlite(sqlite) => sqlite.backup_to(&target)?,
        Database::Postgres(_) => unreachable!("refused above"),
    }
    Ok(target)
}

/// The sign-in tables, with their columns: what a restore keeps as it is now.
const ACCOUNT_TABLES: [(&str, &str); 4] = [
    ("users", "id, name, password_hash, role, active, created_at"),
    (
        "devices",
        "id, user_id, name, platform, created_at, last_seen, revoked_at",
    ),
    ("refresh_tokens", "hash, device_id, state, created_ms"),
    ("access_tokens", "hash, device_id, expires_ms"),
];

/// Every row of the sign-in tables, table by table.
fn read_accounts(db: &Database) -> Result<Vec<Vec<crate::db::Row>>, DbError> {
    db.read(|sql| {
        ACCOUNT_TABLES
            .iter()
            .map(|(table, columns)| sql.query(&format!("SELECT {columns} FROM {table}"), &[]))
            .collect()
    })
}

/// Puts the sign-in tables back as `rows` holds them.
fn write_accounts(sql: &mut dyn Sql, rows: &[Vec<crate::db::Row>]) -> Result<(), DbError> {
    for ((table, columns), rows) in ACCOUNT_TABLES.iter().zip(rows) {
        sql.execute(&format!("DELETE FROM {table}"), &[])?;
        let marks: Vec<String> = (1..=columns.split(',').count())
            .map(|i| format!("${i}"))
            .collect();
        let insert = format!(
            "INSERT INTO {table} ({columns}) VALUES ({})",
            marks.join(", ")
        );
        for row in rows {
            sql.execute(&insert, &row.0)?;
        }
    }
    Ok(())
}

/// `restore FILE`: replaces the database with a backup, then rotates the epoch, so every
/// client learns the server went back in time (`409 epoch_changed`) and resends what the
/// backup lacks (SYNC.md §9 F9). Run it with the server stopped. On PostgreSQL the data comes
/// back with `pg_restore`, and `restore` without a file rotates the epoch.
///
/// The sign-ins stay as they are now, not as the backup has them: every device refreshes its
/// token as it syncs, so with the backup's tokens every device active since would be signed
/// out (its token unknown) and could not resend what the backup lacks; and a device revoked
/// or a password changed since must not come back (found by the model test, issue 14).
pub fn restore(db: &Database, from: Option<&Path>, now_ms: u64) -> Result<String, AdminError> {
    let mut accounts = None;
    match (db, from) {
        (Database::Sqlite(sqlite), Some(from)) => {
            let source = Database::open(
                from.to_str()
                    .ok_or_else(|| Refused(format!("{} is not a UTF-8 path", from.display())))?,
            )?;
            let version = source.read(|sql| meta::get(sql, "schema_version"));
            if !matches!(version, Ok(Some(_))) {
                return Err(Refused(format!(
                    "{} is not a pdesk-server database backup",
                    from.display()
                ))
                .into());
            }
            drop(source);
            accounts = Some(read_accounts(db)?);
            sqlite.restore_from(from)?;
        }
        (Database::Sqlite(_), None) => {
            return Err(Refused("name the backup file to restore".into()).into());
        }
        (Database::Postgres(_), Some(_)) => {
            return Err(Refused(
                "restore a PostgreSQL database with pg_restore, then run `pdesk-server restore` \
                 with no file to rotate the epoch"
                    .into(),
            )
            .into());
        }
        // After pg_restore: only the epoch turns.
        (Database::Postgres(_), None) => {}
    }
    let epoch = db.write(|sql| {
        if let Some(rows) = &accounts {
            write_accounts(sql, rows)?;
        }
        meta::rotate_epoch(sql, now_ms)
    })?;
    Ok(epoch)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GcReport {
    pub tombstones: u64,
    pub receipts: u64,
}

/// `gc`: removes tombstones and receipts older than `horizon_days` (SYNC.md §5.4). A cursor
/// from before a removed tombstone could no longer learn of that delete, so the partition's
/// floor moves past it and such a cursor gets `410 cursor_expired`. `last_seq` per replica is
/// kept: duplicate detection survives.
pub fn gc(db: &Database, horizon_days: u64, now_ms: u64) -> Result<GcReport, DbError> {
    let cutoff = now_ms.saturating_sub(horizon_days * 86_400_000);
    db.write(|sql| {
        let mut floor: Vec<u64> = match meta::get(sql, "gc_floor")? {
            Some(text) => serde_json::from_str(&text).map_err(|e| DbError::new(format!("gc_floor: {e}")))?,
            None => vec![0; PARTITIONS as usize],
        };
        let old = sql.query(
            "SELECT p.gid, f.part, f.cseq FROM profiles p LEFT JOIN feed f ON f.kind = 'profile' AND f.id = p.gid
              WHERE p.deleted = 1 AND p.deleted_ms < $1",
            &[Val::from(cutoff)],
        )?;
        for row in &old {
            let gid = row.text(0);
            if row.opt_text(1).is_some() {
                let part = row.u64(1) as usize;
                floor[part] = floor[part].max(row.u64(2));
            }
            sql.execute("DELETE FROM feed WHERE kind = 'profile' AND id = $1", &[gid.as_str().into()])?;
            sql.execute("DELETE FROM identifiers WHERE gid = $1", &[gid.as_str().into()])?;
            sql.execute("DELETE FROM profiles WHERE gid = $1", &[gid.as_str().into()])?;
        }
        let receipts = sql.execute("DELETE FROM receipts WHERE at_ms < $1", &[Val::from(cutoff)])?;
        meta::set(sql, "gc_floor", &serde_json::to_string(&floor).expect("floor serialises"))?;
        Ok(GcReport {
            tombstones: old.len() as u64,
            receipts,
        })
    })
}

/// `config set`: replaces the editable config after checking it; the change reaches every
/// device through the feed (a `config` change) and `hello`. Answers the new config.
pub fn set_config(
    db: &Database,
    edit: crate::config::EditableConfig,
) -> Result<crate::config::ServerConfig, AdminError> {
    db.write(|sql| {
        let current = crate::config::ServerConfig::load(sql)?;
        let next = current.edited(edit.clone()).map_err(Refused)?;
        if next != current {
            next.save(sql)?;
            let mut touched = feed::Touched::default();
            touched.config();
            touched.commit(sql)?;
        }
        Ok(next)
    })
}
