//! Push (issue 12: ≥ 2,500 ops/s): 50,000 `profile.create` ops in batches of 1,000, each batch
//! read from its JSON body and processed exactly as `POST /v1/push` processes it (the
//! synchronization rule, receipts, the feed and the bucket sums; HTTP framing and TLS
//! excluded, the `load` figure has them). The floor, measured in the same run on the same
//! backend: the same rows written bare into a table of the profiles' shape — multi-row
//! `INSERT … ON CONFLICT DO NOTHING` on SQLite, `COPY` on PostgreSQL —, 1,000 per transaction,
//! into a table holding as many rows as the server holds profiles.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

use pdesk_core::Error;
use pdesk_server::db::{Database, DbError, Val};
use pdesk_server::push;
use pdesk_sync_proto::push::PushRequest;
use pdesk_sync_proto::Hlc;

use super::seed::pg;
use super::workload::{admin_session, internal, Space, MEASURED, T0};

pub const OPS: u64 = 50_000;
pub const BATCH: u64 = 1_000;
/// The issue's target.
pub const TARGET_OPS_PER_SEC: f64 = 2_500.0;

/// The measured batches as the JSON bodies a client sends.
pub fn bodies() -> Vec<Vec<u8>> {
    (0..OPS / BATCH)
        .map(|b| serde_json::to_vec(&MEASURED.creates(1 + b * BATCH, BATCH)).expect("serialises"))
        .collect()
}

/// Pushes `bodies` of `space` into `db`; answers the milliseconds and the results by status.
pub fn push_all(
    db: &Database,
    bodies: &[Vec<u8>],
    device: &str,
) -> Result<(f64, BTreeMap<&'static str, u64>), Error> {
    let session = admin_session(db, device)?;
    let started = Instant::now();
    let mut statuses = BTreeMap::<&'static str, u64>::new();
    for body in bodies {
        let request: PushRequest = serde_json::from_slice(body).map_err(internal)?;
        let hlc = Hlc::new(T0 + OPS, 0).expect("a valid HLC");
        let done = db
            .write(|sql| push::push(sql, &session, &request, hlc, T0 + OPS))
            .map_err(internal)?;
        for r in &done.response.results {
            *statuses.entry(r.outcome.status()).or_default() += 1;
        }
    }
    Ok((started.elapsed().as_secs_f64() * 1000.0, statuses))
}

/// Fills a server with `count` profiles of the seed space, through push itself (so every
/// table a push touches has its real size), printing progress.
pub fn fill(db: &Database, space: Space, count: u64) -> Result<(), Error> {
    let session = admin_session(db, "seed")?;
    let started = Instant::now();
    for b in 0..count.div_ceil(BATCH) {
        let n = BATCH.min(count - b * BATCH);
        let request = space.creates(1 + b * BATCH, n);
        let hlc = Hlc::new(T0 + count, 0).expect("a valid HLC");
        db.write(|sql| push::push(sql, &session, &request, hlc, T0))
            .map_err(internal)?;
        if (b + 1) % 100 == 0 {
            eprintln!(
                "  filled {} of {count} profiles ({:.0} s)",
                (b + 1) * BATCH,
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// The floor's rows: (gid, the op body as JSON), from the measured bodies.
fn floor_rows(bodies: &[Vec<u8>]) -> Result<Vec<Vec<(String, String)>>, Error> {
    bodies
        .iter()
        .map(|body| {
            let request: PushRequest = serde_json::from_slice(body).map_err(internal)?;
            Ok(request
                .ops
                .iter()
                .map(|op| {
                    (
                        op.body.gid().unwrap_or_default().to_string(),
                        serde_json::to_string(&op.body).expect("serialises"),
                    )
                })
                .collect())
        })
        .collect()
}

/// The SQLite floor: a fresh table pre-filled with `existing` rows, then the measured rows as
/// multi-row inserts, one transaction per batch. Answers milliseconds.
pub fn sqlite_floor(db: &Database, bodies: &[Vec<u8>], existing: u64) -> Result<f64, Error> {
    db.write(|sql| {
        sql.batch(
            "DROP TABLE IF EXISTS floor_profiles;
             CREATE TABLE floor_profiles (gid TEXT PRIMARY KEY, data TEXT NOT NULL)",
        )
    })
    .map_err(internal)?;
    let filler = filler_rows(existing);
    for chunk in filler.chunks(BATCH as usize) {
        db.write(|sql| insert_rows(sql, chunk)).map_err(internal)?;
    }
    let rows = floor_rows(bodies)?;
    let started = Instant::now();
    for batch in &rows {
        db.write(|sql| insert_rows(sql, batch)).map_err(internal)?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

fn filler_rows(count: u64) -> Vec<(String, String)> {
    (0..count)
        .map(|i| {
            (
                format!("019ad9a2-0000-7000-8000-{i:012x}"),
                format!(r#"{{"kind":"profile.create","fields":{{"full_name":"Khách {i}","phones":[{{"raw":"0910{i:06}"}}]}}}}"#),
            )
        })
        .collect()
}

/// The rows as multi-row `INSERT … ON CONFLICT DO NOTHING` statements (the server's own
/// helper: 100 rows a statement).
fn insert_rows(
    sql: &mut dyn pdesk_server::db::Sql,
    rows: &[(String, String)],
) -> Result<(), DbError> {
    let rows: Vec<[Val; 2]> = rows
        .iter()
        .map(|(gid, data)| [gid.as_str().into(), data.as_str().into()])
        .collect();
    pdesk_server::db::insert_rows(sql, "floor_profiles (gid, data)", &rows, Some("DO NOTHING"))
}

/// The PostgreSQL floor: `COPY` of the same rows into a table pre-filled with `existing` rows,
/// one transaction per batch, on its own connection. Answers milliseconds.
pub fn postgres_floor(url: &str, bodies: &[Vec<u8>], existing: u64) -> Result<f64, Error> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(pg)?;
    client
        .batch_execute(
            "DROP TABLE IF EXISTS floor_profiles;
             CREATE TABLE floor_profiles (gid TEXT PRIMARY KEY, data TEXT NOT NULL)",
        )
        .map_err(pg)?;
    copy_rows(&mut client, &filler_rows(existing))?;
    let rows = floor_rows(bodies)?;
    let started = Instant::now();
    for batch in &rows {
        copy_rows(&mut client, batch)?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

fn copy_rows(client: &mut postgres::Client, rows: &[(String, String)]) -> Result<(), Error> {
    let mut tx = client.transaction().map_err(pg)?;
    let mut writer = tx
        .copy_in("COPY floor_profiles (gid, data) FROM STDIN")
        .map_err(pg)?;
    let mut text = String::new();
    for (gid, data) in rows {
        text.clear();
        super::seed::copy_field(&mut text, gid);
        text.push('\t');
        super::seed::copy_field(&mut text, data);
        text.push('\n');
        writer.write_all(text.as_bytes()).map_err(internal)?;
    }
    writer.finish().map_err(pg)?;
    tx.commit().map_err(pg)
}
