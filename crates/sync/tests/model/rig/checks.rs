//! The end checks of SYNC.md §10.1, after quiescence: nothing lost (every op committed
//! locally has exactly one receipt: applied, merged, review — or rejected and listed on its
//! laptop), nothing doubled (no receipt twice, no consent event twice, no two live profiles on
//! one identifier that only creates brought, unless a review explains it), convergence (every
//! laptop's profiles and revs — so its bucket checksums — equal the server's), no deleted
//! profile back, and every delete keeping its reason.

use std::collections::{BTreeMap, BTreeSet};

use pdesk_server::feed::{bucket_of, sum_term};
use pdesk_sync_proto::pull::Tombstone;
use rusqlite::Connection;

use super::world::{outbox, World};

fn fail(world: &World, what: String) -> ! {
    panic!("{what}\n--- steps ---\n{}", world.model.log.join("\n"));
}

fn strings(db: &std::path::Path, sql: &str) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let values = conn
        .prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    values
}

/// Bucket sums of `(gid, rev)` pairs, as the server keeps them for its live profiles.
fn bucket_sums(live: &BTreeMap<String, u64>) -> BTreeMap<u64, u64> {
    let mut sums = BTreeMap::new();
    for (gid, rev) in live {
        let sum = sums.entry(bucket_of(gid)).or_insert(0u64);
        *sum = sum.wrapping_add(sum_term(gid, *rev));
    }
    sums.retain(|_, s| *s != 0);
    sums
}

/// Nothing lost, nothing applied twice: checked first, while refused changes are listed.
pub fn receipts_first(world: &World) {
    receipts(world);
}

/// The rest, once every refused change was discarded and the laptops synced again.
pub fn after_discards(world: &World) {
    convergence(world);
    consent(world);
    no_resurrection(world);
    delete_reasons(world);
}

fn receipts(world: &World) {
    let receipts = world.server_receipts();
    let twice: Vec<_> = receipts.iter().filter(|(_, n)| **n > 1).collect();
    if !twice.is_empty() {
        fail(world, format!("ops with more than one receipt: {twice:?}"));
    }
    for undone in &world.model.undone {
        if receipts.contains_key(undone) {
            fail(
                world,
                format!("op {undone} was taken back by an undo, yet the server has it"),
            );
        }
    }
    for (n, laptop) in world.laptops.iter().enumerate() {
        let db = laptop.db();
        let ops: BTreeMap<String, _> = outbox(&db)
            .into_iter()
            .map(|o| (o.op_id.clone(), o))
            .collect();
        let rejected: BTreeSet<String> = strings(&db, "SELECT op_id FROM sync_rejections")
            .into_iter()
            .collect();
        for op in &world.model.must[n] {
            let receipted = receipts.contains_key(op) || world.model.gc_receipts.contains(op);
            match ops.get(op).map(|o| o.state.as_str()) {
                Some("acked") if receipted => {}
                Some("rejected") if rejected.contains(op) && receipted => {}
                Some("rejected") => fail(
                    world,
                    format!("laptop {n}: op {op} rejected but not listed (or not receipted)"),
                ),
                None if receipted => {}
                state => fail(
                    world,
                    format!(
                        "laptop {n}: op {op} ends {state:?}, receipted: {receipted} ({:?})",
                        ops.get(op)
                    ),
                ),
            }
        }
    }
}

/// The live profiles of the server: gid → rev.
fn server_live(world: &World) -> BTreeMap<String, u64> {
    let rows = world.server.db(|db| {
        db.read(|sql| sql.query("SELECT gid, rev FROM profiles WHERE deleted = 0", &[]))
            .unwrap()
    });
    rows.iter().map(|r| (r.text(0), r.u64(1))).collect()
}

/// Every laptop holds exactly the server's live profiles at the server's revs: its bucket
/// checksums equal the server's (and those equal the server's own sums).
fn convergence(world: &World) {
    let server = server_live(world);
    let stored: BTreeMap<u64, u64> = world
        .server
        .db(|db| {
            db.read(|sql| sql.query("SELECT b, sum FROM buckets", &[]))
                .unwrap()
        })
        .iter()
        .map(|r| (r.u64(0), r.int(1) as u64))
        .filter(|(_, s)| *s != 0)
        .collect();
    let sums = bucket_sums(&server);
    if stored != sums {
        fail(world, format!("the server's bucket sums disagree with its profiles: stored {stored:?}, computed {sums:?}"));
    }
    for (n, laptop) in world.laptops.iter().enumerate() {
        let conn = Connection::open(laptop.db()).unwrap();
        let local: Vec<(String, Option<i64>)> = conn
            .prepare("SELECT p.gid, k.rev FROM profiles p LEFT JOIN sync_known k ON k.gid = p.gid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let local: BTreeMap<String, u64> = local
            .into_iter()
            .map(|(g, r)| (g, r.unwrap_or(0) as u64))
            .collect();
        if local != server {
            let missing: Vec<_> = server
                .iter()
                .filter(|(g, r)| local.get(*g) != Some(r))
                .collect();
            let extra: Vec<_> = local
                .iter()
                .filter(|(g, r)| server.get(*g) != Some(r))
                .collect();
            let story: Vec<String> = missing
                .iter()
                .map(|(g, _)| g.as_str())
                .chain(extra.iter().map(|(g, _)| g.as_str()))
                .map(|gid| explain(world, gid))
                .collect();
            fail(world, format!("laptop {n} differs from the server: the server's (gid, rev) it lacks {missing:?}; its own the server lacks {extra:?}\n{}", story.join("\n")));
        }
        if bucket_sums(&local) != sums {
            fail(
                world,
                format!("laptop {n}'s bucket checksums differ from the server's"),
            );
        }
    }
}

/// What every laptop's outbox and the server hold of profile `gid`: a failure's story.
fn explain(world: &World, gid: &str) -> String {
    let owned = gid.to_string();
    let server = world.server.db(|db| {
        db.read(|sql| {
            sql.query(
                "SELECT rev, deleted, merged_into, tombstone FROM profiles WHERE gid = $1",
                &[owned.as_str().into()],
            )
        })
        .unwrap()
    });
    let mut text = format!(
        "profile {gid}: on the server {:?}",
        server
            .first()
            .map(|r| (r.int(0), r.int(1), r.opt_text(2), r.opt_text(3)))
    );
    for (n, laptop) in world.laptops.iter().enumerate() {
        for op in outbox(&laptop.db())
            .into_iter()
            .filter(|o| o.gid.as_deref() == Some(gid))
        {
            text.push_str(&format!(
                "\n  laptop {n}: {} {} {}",
                op.kind, op.state, op.body
            ));
        }
    }
    text
}

/// Consent events: each once, the same everywhere (on the live profiles).
fn consent(world: &World) {
    let server_live = server_live(world);
    let rows = world.server.db(|db| {
        db.read(|sql| sql.query("SELECT event_id, gid FROM consent_events", &[]))
            .unwrap()
    });
    let server: BTreeSet<String> = rows
        .iter()
        .filter(|r| server_live.contains_key(&r.text(1)))
        .map(|r| r.text(0))
        .collect();
    for (n, laptop) in world.laptops.iter().enumerate() {
        let local: Vec<String> = {
            let conn = Connection::open(laptop.db()).unwrap();
            let rows: Vec<(String, String)> = conn
                .prepare(
                    "SELECT c.event_id, p.gid FROM consent_records c
                       JOIN profiles p ON p.id = c.profile_id",
                )
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.into_iter().map(|(event, _)| event).collect()
        };
        let distinct: BTreeSet<String> = local.iter().cloned().collect();
        if distinct.len() != local.len() {
            fail(world, format!("laptop {n} holds a consent event twice"));
        }
        if distinct != server {
            let lacks: Vec<_> = server.difference(&distinct).collect();
            let extra: Vec<_> = distinct.difference(&server).collect();
            fail(world, format!("laptop {n}'s consent events differ from the server's: lacks {lacks:?}, extra {extra:?}"));
        }
    }
}

/// No profile the server deleted (or merged away) is live again, anywhere.
fn no_resurrection(world: &World) {
    let server = server_live(world);
    for gid in &world.model.deleted_ever {
        if server.contains_key(gid) {
            fail(
                world,
                format!("deleted profile {gid} is live again on the server"),
            );
        }
    }
    for (n, laptop) in world.laptops.iter().enumerate() {
        for gid in strings(&laptop.db(), "SELECT gid FROM profiles") {
            if world.model.deleted_ever.contains(&gid) {
                fail(
                    world,
                    format!("deleted profile {gid} is live again on laptop {n}"),
                );
            }
        }
    }
}

/// Every delete on the server keeps who and why; the reason is the one the laptop gave.
fn delete_reasons(world: &World) {
    let rows = world.server.db(|db| {
        db.read(|sql| sql.query("SELECT gid, tombstone FROM profiles WHERE deleted = 1", &[]))
            .unwrap()
    });
    let mut reasons_kept = BTreeMap::new();
    for row in rows {
        let gid = row.text(0);
        let Some(text) = row.opt_text(1) else {
            fail(world, format!("deleted profile {gid} has no tombstone"));
        };
        let tombstone: Tombstone = serde_json::from_str(&text).unwrap();
        if tombstone.merged_into.is_none() && tombstone.reason.as_deref().is_none_or(str::is_empty)
        {
            fail(
                world,
                format!("deleted profile {gid} lost its reason: {text}"),
            );
        }
        reasons_kept.insert(gid, tombstone.reason);
    }
    // Two laptops may delete one profile, each for its reason: the first to arrive stands —
    // also a delete sent before its laptop was restored from a backup without it.
    let sent = &world.model.delete_reasons;
    for (gid, reasons) in sent {
        if let Some(Some(kept)) = reasons_kept.get(gid) {
            if !reasons.contains(kept) {
                fail(
                    world,
                    format!(
                        "profile {gid} was deleted for {reasons:?} but the server keeps “{kept}”"
                    ),
                );
            }
        }
    }
}

/// Identifiers on two live profiles that the model cannot explain: neither the server's
/// review flag nor a decision it noted ("create new", "keep separate", "attach"), nor an
/// update that brought them (the server never matches an update: a local merge, an import's
/// merged row, an edit). Reported, not failed on: SYNC.md's "no two live profiles share a
/// match key unless a review explains it" does not hold for keys that updates bring, which
/// this model does not yet trace through every path (docs/sync/testing.md, "Not checked").
/// Blocked values never match, so they are left out.
pub fn unexplained_shared_keys(world: &World) -> Vec<String> {
    let rows = world.server.db(|db| {
        db.read(|sql| {
            sql.query(
                "SELECT i.k, i.gid, p.review_open FROM identifiers i JOIN profiles p ON p.gid = i.gid
                  WHERE p.deleted = 0",
                &[],
            )
        })
        .unwrap()
    });
    let blocked: BTreeSet<&str> = [super::pools::PHONES[5].1, super::pools::EMAILS[4].1]
        .into_iter()
        .collect();
    let mut by_key: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    for row in rows {
        by_key
            .entry(row.text(0))
            .or_default()
            .push((row.text(1), row.flag(2)));
    }
    let mut unexplained = Vec::new();
    for (key, owners) in by_key {
        let gids: BTreeSet<&String> = owners.iter().map(|(g, _)| g).collect();
        if gids.len() < 2 || blocked.contains(key.as_str()) || world.model.loose_keys.contains(&key)
        {
            continue;
        }
        if owners.iter().any(|(_, review)| *review) {
            continue;
        }
        unexplained.push(format!("{key} on {} live profiles: {gids:?}", gids.len()));
    }
    unexplained
}
