//! A profile as the server stores it: the wire's fields plus what the field policies need —
//! each field's version (`fv`: the profile's rev when the field was last set), the HLC stamp of
//! its last writer (for last-writer-wins on concurrent edits only), and the OR-set tags behind
//! each list value. Also the profile's match keys (`identifiers`) and its bucket sum term.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pdesk_sync_proto::links::LinkedObject;
use pdesk_sync_proto::profile::{ProfileFields, ProfileState};
use pdesk_sync_proto::pull::Tombstone;
use pdesk_sync_proto::Hlc;
use serde::{Deserialize, Serialize};

use crate::clock::rfc3339;
use crate::db::{DbError, Row, Sql, Val};
use crate::feed;

/// Who last set a field: the op's HLC, its replica (the tie-break) and the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub replica: String,
    pub user: String,
}

impl Stamp {
    /// Last-writer-wins order: the HLC, then the replica id.
    pub fn wins_over(&self, other: &Stamp) -> bool {
        (self.hlc, &self.replica) > (other.hlc, &other.replica)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordMeta {
    #[serde(default)]
    pub fv: BTreeMap<String, u64>,
    #[serde(default)]
    pub stamps: BTreeMap<String, Stamp>,
    /// OR-set: `list\u{1f}value-key` → the live tags of that value. A value is shown while it
    /// has a tag; a remove deletes only the tags it observed, so a concurrent add survives.
    #[serde(default)]
    pub tags: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRecord {
    pub gid: String,
    pub rev: u64,
    pub fields: ProfileFields,
    pub meta: RecordMeta,
    pub review_open: bool,
    pub deleted: bool,
    pub merged_into: Option<String>,
    pub tombstone: Option<Tombstone>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_ms: Option<u64>,
    /// The replica and seq of the op that made the current state (a client knows its echo).
    pub origin: Option<(String, u64)>,
}

const COLUMNS: &str = "gid, rev, data, meta, review_open, deleted, merged_into, tombstone, \
                       created_at, updated_at, deleted_ms, origin_replica, origin_seq";

fn corrupt(gid: &str, e: serde_json::Error) -> DbError {
    DbError::new(format!("profile {gid}: stored data does not read: {e}"))
}

impl ProfileRecord {
    pub fn new(gid: &str, fields: ProfileFields, now_ms: u64) -> ProfileRecord {
        ProfileRecord {
            gid: gid.into(),
            rev: 0,
            fields,
            meta: RecordMeta::default(),
            review_open: false,
            deleted: false,
            merged_into: None,
            tombstone: None,
            created_at: rfc3339(now_ms),
            updated_at: rfc3339(now_ms),
            deleted_ms: None,
            origin: None,
        }
    }

    pub fn load(sql: &mut dyn Sql, gid: &str) -> Result<Option<ProfileRecord>, DbError> {
        let row = sql.query_opt(
            &format!("SELECT {COLUMNS} FROM profiles WHERE gid = $1"),
            &[gid.into()],
        )?;
        row.map(|r| ProfileRecord::from_row(&r)).transpose()
    }

    /// The records of `gids` that exist, in a few set queries (snapshot and pull pages).
    pub fn load_many(
        sql: &mut dyn Sql,
        gids: &[&str],
    ) -> Result<HashMap<String, ProfileRecord>, DbError> {
        crate::db::query_in(
            sql,
            &format!("SELECT {COLUMNS} FROM profiles WHERE gid"),
            &[],
            gids,
            "",
        )?
        .iter()
        .map(|r| ProfileRecord::from_row(r).map(|p| (p.gid.clone(), p)))
        .collect()
    }

    /// Live profiles after `after` in gid order, at most `limit` (a snapshot page).
    pub fn live_after(
        sql: &mut dyn Sql,
        after: &str,
        limit: u64,
    ) -> Result<Vec<ProfileRecord>, DbError> {
        sql.query(
            &format!(
                "SELECT {COLUMNS} FROM profiles WHERE deleted = 0 AND gid > $1 ORDER BY gid LIMIT $2"
            ),
            &[after.into(), Val::from(limit)],
        )?
        .iter()
        .map(ProfileRecord::from_row)
        .collect()
    }

    /// A record from a row of `SELECT {COLUMNS}`.
    fn from_row(r: &Row) -> Result<ProfileRecord, DbError> {
        let gid = r.text(0);
        Ok(ProfileRecord {
            rev: r.u64(1),
            fields: serde_json::from_str(&r.text(2)).map_err(|e| corrupt(&gid, e))?,
            meta: serde_json::from_str(&r.text(3)).map_err(|e| corrupt(&gid, e))?,
            review_open: r.flag(4),
            deleted: r.flag(5),
            merged_into: r.opt_text(6),
            tombstone: match r.opt_text(7) {
                Some(t) => Some(serde_json::from_str(&t).map_err(|e| corrupt(&gid, e))?),
                None => None,
            },
            created_at: r.text(8),
            updated_at: r.text(9),
            deleted_ms: r.opt_text(10).map(|_| r.u64(10)),
            origin: r.opt_text(11).map(|replica| (replica, r.u64(12))),
            gid,
        })
    }

    /// Follows `merged_into` from `gid` to the live profile that absorbed it (a merge on the
    /// server, or a create merged on arrival), or stops at a deleted one.
    pub fn load_following(sql: &mut dyn Sql, gid: &str) -> Result<Option<ProfileRecord>, DbError> {
        let mut record = ProfileRecord::load(sql, gid)?;
        for _ in 0..32 {
            match &record {
                Some(r) if r.deleted && r.merged_into.is_some() => {
                    let into = r.merged_into.clone().expect("checked");
                    record = ProfileRecord::load(sql, &into)?;
                }
                _ => break,
            }
        }
        Ok(record)
    }

    /// The row's values in `bucket, {COLUMNS}` order.
    fn row(&self) -> [Val; 14] {
        let data = serde_json::to_string(&self.fields).expect("fields serialise");
        let meta = serde_json::to_string(&self.meta).expect("meta serialises");
        let tombstone = self
            .tombstone
            .as_ref()
            .map(|t| serde_json::to_string(t).expect("tombstone serialises"));
        let (origin_replica, origin_seq) = match &self.origin {
            Some((r, s)) => (Val::from(r.as_str()), Val::from(*s)),
            None => (Val::Null, Val::Null),
        };
        [
            Val::from(feed::bucket_of(&self.gid)),
            self.gid.as_str().into(),
            Val::from(self.rev),
            data.into(),
            meta.into(),
            self.review_open.into(),
            self.deleted.into(),
            self.merged_into.clone().into(),
            tombstone.into(),
            self.created_at.as_str().into(),
            self.updated_at.as_str().into(),
            self.deleted_ms.into(),
            origin_replica,
            origin_seq,
        ]
    }

    /// Inserts or replaces the row, and keeps its match keys in step.
    pub fn save(&self, sql: &mut dyn Sql) -> Result<(), DbError> {
        sql.execute(
            &format!(
                "INSERT INTO profiles (bucket, {COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT (gid) DO UPDATE SET rev = excluded.rev, data = excluded.data,
                   meta = excluded.meta, review_open = excluded.review_open,
                   deleted = excluded.deleted, merged_into = excluded.merged_into,
                   tombstone = excluded.tombstone, updated_at = excluded.updated_at,
                   deleted_ms = excluded.deleted_ms, origin_replica = excluded.origin_replica,
                   origin_seq = excluded.origin_seq"
            ),
            &self.row(),
        )?;
        sql.execute(
            "DELETE FROM identifiers WHERE gid = $1",
            &[self.gid.as_str().into()],
        )?;
        self.insert_keys(sql)
    }

    /// Inserts a new profile; `false` (and nothing written) when its gid is taken. A create's
    /// path: no look-up before, no old keys to remove.
    pub fn insert_new(&self, sql: &mut dyn Sql) -> Result<bool, DbError> {
        let inserted = sql.execute(
            &format!(
                "INSERT INTO profiles (bucket, {COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT (gid) DO NOTHING"
            ),
            &self.row(),
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        self.insert_keys(sql)?;
        Ok(true)
    }

    /// Inserts new profiles (gids checked free in this transaction) and their match keys, a
    /// hundred rows a statement: a push's run of plain creates.
    pub fn insert_all_new(sql: &mut dyn Sql, records: &[ProfileRecord]) -> Result<(), DbError> {
        if records.is_empty() {
            return Ok(());
        }
        let rows: Vec<[Val; 14]> = records.iter().map(ProfileRecord::row).collect();
        crate::db::insert_rows(sql, &format!("profiles (bucket, {COLUMNS})"), &rows, None)?;
        let keys: Vec<[Val; 3]> = records.iter().flat_map(ProfileRecord::key_rows).collect();
        crate::db::insert_rows(sql, "identifiers (kind, k, gid)", &keys, Some("DO NOTHING"))
    }

    /// A deleted profile keeps no match keys in the clear (its tombstone's keys are salted
    /// hashes, written by the delete); one merged into another hands them to the survivor.
    fn insert_keys(&self, sql: &mut dyn Sql) -> Result<(), DbError> {
        crate::db::insert_rows(
            sql,
            "identifiers (kind, k, gid)",
            &self.key_rows(),
            Some("DO NOTHING"),
        )
    }

    /// The `identifiers` rows of this profile (none for a deleted one).
    fn key_rows(&self) -> Vec<[Val; 3]> {
        if self.deleted {
            return Vec::new();
        }
        identifier_keys(&self.fields)
            .into_iter()
            .map(|(kind, key)| [kind.into(), key.into(), self.gid.as_str().into()])
            .collect()
    }

    pub fn state(&self, sql: &mut dyn Sql) -> Result<ProfileState, DbError> {
        Ok(self.state_with(crate::links::of_profile(sql, &self.gid)?))
    }

    /// The state with its links already loaded (`links::of_profiles` for a page).
    pub fn state_with(&self, links: Vec<LinkedObject>) -> ProfileState {
        ProfileState {
            gid: self.gid.clone(),
            rev: self.rev,
            fields: self.fields.clone(),
            fv: self.meta.fv.clone(),
            review_open: self.review_open,
            links,
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }

    pub fn is_live(&self) -> bool {
        !self.deleted
    }
}

/// The form a deleted profile's match key is kept in (`identifiers` kind `phone~` etc.): a
/// SHA-256 salted with this database's secret, so a tombstone can still recognise the customer
/// coming back without holding their phone or e-mail (an erasure request erases them).
pub fn tombstone_key(salt: &str, kind: &str, key: &str) -> String {
    crate::ids::sha256_hex(format!("{salt}\u{1f}{kind}\u{1f}{key}").as_bytes())
}

/// The match keys of a profile's fields: (`phone`, E.164), (`email`, match key), (`code`,
/// trimmed customer code).
pub fn identifier_keys(fields: &ProfileFields) -> Vec<(&'static str, String)> {
    let mut keys = Vec::new();
    for phone in &fields.phones {
        if let Some(e164) = &phone.e164 {
            keys.push(("phone", e164.clone()));
        }
    }
    for email in &fields.emails {
        keys.push(("email", pdesk_normalize::email_key(&email.raw)));
    }
    if let Some(code) = fields.customer_code.as_deref().map(str::trim) {
        if !code.is_empty() {
            keys.push(("code", code.to_string()));
        }
    }
    keys
}
