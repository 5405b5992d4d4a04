//! The change feed (SYNC.md §4.4, §5.1): every synced object — a profile, a consent event, a
//! review, a conflict, the config — has one entry at its latest position `(partition, cseq)`.
//! A transaction collects what it touched in [`Touched`] and stamps it at its very end
//! ([`Touched::commit`]): it locks the touched partitions' head rows (sorted, so two writers
//! never deadlock), takes the next cseqs and upserts the entries. Positions therefore follow
//! commit order within a partition, and a cursor that has seen cseq n never misses a commit
//! that lands later. The same step keeps the bucket sums (anti-entropy) in step with the
//! profiles' revs.

use std::collections::{BTreeMap, BTreeSet};

use xxhash_rust::xxh3::xxh3_64;

use crate::db::{insert_rows, query_in, Backend, DbError, Sql, Val};

/// Partitions of the feed (SYNC.md §2.1: P = 16). Fixed for a database's life: the cursor is
/// a vector of one cseq per partition.
pub const PARTITIONS: u64 = 16;

/// The feed partition of an object: by the profile it belongs to.
pub fn partition_of(gid: &str) -> u64 {
    xxh3_64(gid.as_bytes()) % PARTITIONS
}

/// The anti-entropy bucket (0–255) of a profile.
pub fn bucket_of(gid: &str) -> u64 {
    xxh3_64(gid.as_bytes()) >> 56
}

/// A live profile's term in its bucket's sum: xxh3 of `gid:rev`.
pub fn sum_term(gid: &str, rev: u64) -> u64 {
    xxh3_64(format!("{gid}:{rev}").as_bytes())
}

/// What kind of object a feed entry is.
pub mod kind {
    pub const PROFILE: &str = "profile";
    pub const CONSENT: &str = "consent";
    pub const REVIEW: &str = "review";
    pub const CONFLICT: &str = "conflict";
    pub const CONFIG: &str = "config";
}

/// The objects one transaction changed, stamped at its end.
#[derive(Debug, Default, Clone)]
pub struct Touched {
    /// (partition, kind, id).
    entries: BTreeSet<(u64, &'static str, String)>,
    /// bucket → wrapping delta of its sum.
    sums: BTreeMap<u64, u64>,
}

impl Touched {
    /// A profile went from `before` (rev, live) to `after`.
    pub fn profile(&mut self, gid: &str, before: Option<(u64, bool)>, after: (u64, bool)) {
        self.entries
            .insert((partition_of(gid), kind::PROFILE, gid.to_string()));
        let bucket = bucket_of(gid);
        let delta = self.sums.entry(bucket).or_insert(0);
        if let Some((rev, true)) = before {
            *delta = delta.wrapping_sub(sum_term(gid, rev));
        }
        if let (rev, true) = after {
            *delta = delta.wrapping_add(sum_term(gid, rev));
        }
    }

    /// Another object (consent event, review, conflict) of profile `gid`.
    pub fn object(&mut self, kind: &'static str, id: &str, gid: &str) {
        self.entries
            .insert((partition_of(gid), kind, id.to_string()));
    }

    /// The config changed (partition 0).
    pub fn config(&mut self) {
        self.entries.insert((0, kind::CONFIG, "config".into()));
    }

    pub fn absorb(&mut self, other: Touched) {
        self.entries.extend(other.entries);
        for (bucket, delta) in other.sums {
            let sum = self.sums.entry(bucket).or_insert(0);
            *sum = sum.wrapping_add(delta);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The partitions touched (to wake their long-polls).
    pub fn partitions(&self) -> BTreeSet<u64> {
        self.entries.iter().map(|(p, _, _)| *p).collect()
    }

    /// Stamps the entries with their partitions' next cseqs and applies the bucket deltas.
    /// Call it last in the transaction: the head rows stay locked until the commit.
    pub fn commit(&self, sql: &mut dyn Sql) -> Result<(), DbError> {
        if self.entries.is_empty() && self.sums.values().all(|d| *d == 0) {
            return Ok(());
        }
        let lock = match sql.backend() {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        };
        let mut by_partition: BTreeMap<u64, Vec<(&'static str, &str)>> = BTreeMap::new();
        for (part, kind, id) in &self.entries {
            by_partition.entry(*part).or_default().push((kind, id));
        }
        // One statement each for the heads, the entries and the sums, whatever the number of
        // ops (on PostgreSQL every statement is a round trip). Rows are locked in key order,
        // so two writers never deadlock.
        let parts: Vec<u64> = by_partition.keys().copied().collect();
        let mut heads: BTreeMap<u64, u64> = BTreeMap::new();
        for r in query_in(
            sql,
            "SELECT part, cseq FROM partition_heads WHERE part",
            &[],
            &parts,
            &format!("ORDER BY part{lock}"),
        )? {
            heads.insert(r.u64(0), r.u64(1));
        }
        let mut entries = Vec::new();
        let mut new_heads = Vec::new();
        for (part, touched) in by_partition {
            let head = *heads
                .get(&part)
                .ok_or_else(|| DbError::new(format!("partition {part} has no head row")))?;
            new_heads.push([Val::from(part), Val::from(head + touched.len() as u64)]);
            for (i, (kind, id)) in touched.into_iter().enumerate() {
                entries.push([
                    Val::from(kind),
                    Val::from(id),
                    Val::from(part),
                    Val::from(head + 1 + i as u64),
                ]);
            }
        }
        insert_rows(
            sql,
            "partition_heads (part, cseq)",
            &new_heads,
            Some("(part) DO UPDATE SET cseq = excluded.cseq"),
        )?;
        insert_rows(
            sql,
            "feed (kind, id, part, cseq)",
            &entries,
            Some("(kind, id) DO UPDATE SET part = excluded.part, cseq = excluded.cseq"),
        )?;
        let changed: Vec<(u64, u64)> = self
            .sums
            .iter()
            .filter(|(_, delta)| **delta != 0)
            .map(|(b, d)| (*b, *d))
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let buckets: Vec<u64> = changed.iter().map(|(b, _)| *b).collect();
        let mut sums: BTreeMap<u64, u64> = BTreeMap::new();
        for r in query_in(
            sql,
            "SELECT b, sum FROM buckets WHERE b",
            &[],
            &buckets,
            &format!("ORDER BY b{lock}"),
        )? {
            sums.insert(r.u64(0), r.int(1) as u64);
        }
        // Wrapping sums: computed here, as 64-bit addition would overflow in SQL.
        let rows: Vec<[Val; 2]> = changed
            .iter()
            .map(|(b, delta)| {
                let sum = sums.get(b).copied().unwrap_or(0).wrapping_add(*delta);
                [Val::from(*b), Val::Int(sum as i64)]
            })
            .collect();
        insert_rows(
            sql,
            "buckets (b, sum)",
            &rows,
            Some("(b) DO UPDATE SET sum = excluded.sum"),
        )
    }
}

/// The heads of every partition: where a snapshot's watermark starts.
pub fn heads(sql: &mut dyn Sql) -> Result<Vec<u64>, DbError> {
    let rows = sql.query("SELECT part, cseq FROM partition_heads ORDER BY part", &[])?;
    Ok(rows.iter().map(|r| r.u64(1)).collect())
}

/// The bucket sums as stored.
pub fn bucket_sums(sql: &mut dyn Sql) -> Result<[u64; pdesk_sync_proto::limits::BUCKETS], DbError> {
    let mut sums = [0u64; pdesk_sync_proto::limits::BUCKETS];
    for r in sql.query("SELECT b, sum FROM buckets", &[])? {
        if let Some(s) = sums.get_mut(r.u64(0) as usize) {
            *s = r.int(1) as u64;
        }
    }
    Ok(sums)
}

/// The bucket sums recomputed from the live profiles (`check` compares them with the stored).
pub fn recompute_sums(
    sql: &mut dyn Sql,
) -> Result<[u64; pdesk_sync_proto::limits::BUCKETS], DbError> {
    let mut sums = [0u64; pdesk_sync_proto::limits::BUCKETS];
    for r in sql.query("SELECT gid, rev FROM profiles WHERE deleted = 0", &[])? {
        let gid = r.text(0);
        let b = bucket_of(&gid) as usize;
        sums[b] = sums[b].wrapping_add(sum_term(&gid, r.u64(1)));
    }
    Ok(sums)
}

/// One feed entry read by pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: String,
    pub id: String,
    pub part: u64,
    pub cseq: u64,
}

/// Up to `limit` entries of `part` after `after`, in cseq order.
pub fn entries_after(
    sql: &mut dyn Sql,
    part: u64,
    after: u64,
    limit: u64,
) -> Result<Vec<Entry>, DbError> {
    Ok(sql
        .query(
            "SELECT kind, id, cseq FROM feed WHERE part = $1 AND cseq > $2 ORDER BY cseq LIMIT $3",
            &[Val::from(part), Val::from(after), Val::from(limit)],
        )?
        .into_iter()
        .map(|r| Entry {
            kind: r.text(0),
            id: r.text(1),
            part,
            cseq: r.u64(2),
        })
        .collect())
}

/// The feed position of one object, if it has one.
pub fn position(sql: &mut dyn Sql, kind: &str, id: &str) -> Result<Option<(u64, u64)>, DbError> {
    Ok(sql
        .query_opt(
            "SELECT part, cseq FROM feed WHERE kind = $1 AND id = $2",
            &[kind.into(), id.into()],
        )?
        .map(|r| (r.u64(0), r.u64(1))))
}
