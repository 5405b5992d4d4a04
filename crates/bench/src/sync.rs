//! The sync server's push (issue 12: ≥ 2,500 ops/s): 50,000 `profile.create` ops in batches of
//! 1,000 into an empty `pdesk-server` database on SQLite, each batch read from its JSON body and
//! processed exactly as `POST /v1/push` processes it (the synchronization rule, receipts, the
//! feed and the bucket sums; HTTP framing and TLS excluded). Next to it, its floor measured in
//! the same run: the same rows written as bare multi-row `INSERT … ON CONFLICT DO NOTHING`
//! into a table of the same shape, 1,000 per transaction.

use std::path::Path;
use std::time::Instant;

use pdesk_core::Error;
use pdesk_server::accounts::{self, Session};
use pdesk_server::db::{Database, Val};
use pdesk_server::{admin, push};
use pdesk_sync_proto::push::{Op, PushRequest};
use pdesk_sync_proto::Hlc;
use serde_json::json;

use crate::figures::Figure;

const OPS: u64 = 50_000;
const BATCH: u64 = 1_000;
/// The target, as the time 50,000 ops may take.
const TARGET_OPS_PER_SEC: f64 = 2_500.0;
const T0: u64 = 1_796_205_600_000;

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("sync benchmark: {e}"))
}

/// Realistic creates: Vietnamese names, phones written as people write them, one in five with
/// an e-mail, and one in twenty repeating an earlier customer's phone (merged by the rule).
fn batch(replica: &str, first_seq: u64) -> PushRequest {
    const FAMILY: [&str; 8] = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng",
    ];
    const GIVEN: [&str; 8] = [
        "Văn An",
        "Thị Lan",
        "Minh",
        "Thu Hà",
        "Quốc Bảo",
        "Ngọc",
        "Hải",
        "Thị Mai",
    ];
    let ops = (first_seq..first_seq + BATCH)
        .map(|seq| {
            let n = if seq % 20 == 0 { seq / 2 } else { seq };
            let name = format!("{} {}", FAMILY[(n % 8) as usize], GIVEN[(n / 8 % 8) as usize]);
            let phone = format!("09{:02} {:03} {:03}", n / 1_000_000 % 100, n / 1000 % 1000, n % 1000);
            let mut fields = json!({"full_name": name, "phones": [{"raw": phone, "tag": format!("p{seq}")}], "city": "Hà Nội"});
            if seq % 5 == 0 {
                fields["emails"] = json!([{"raw": format!("khach{n}@example.vn"), "tag": format!("e{seq}")}]);
            }
            let body = json!({"kind": "profile.create", "gid": format!("019ad9a4-0000-7000-8000-{seq:012x}"), "fields": fields});
            Op {
                seq,
                op_id: format!("019ad9a4-0001-7000-8000-{seq:012x}"),
                hlc: Hlc::new(T0 + seq, 0).expect("a valid HLC"),
                body: serde_json::from_value(body).expect("a create op"),
            }
        })
        .collect();
    PushRequest {
        replica: replica.into(),
        config_version: 1,
        ops,
    }
}

pub fn push_figures(dir: &Path) -> Result<Vec<Figure>, Error> {
    let path = dir.join("bench-server.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let db = Database::open(
        path.to_str()
            .ok_or_else(|| internal("work dir is not UTF-8"))?,
    )
    .map_err(internal)?;
    admin::init(&db, "admin", "benchmark password", T0).map_err(|e| internal(format!("{e:?}")))?;
    let request = pdesk_sync_proto::devices::RegisterDevice {
        user: "admin".into(),
        password: Some("benchmark password".into()),
        oidc_code: None,
        device_name: "bench".into(),
        platform: "linux".into(),
    };
    let device = db
        .write(|sql| accounts::register_device(sql, &request, T0))
        .map_err(internal)?;
    let session = Session {
        user_id: String::new(),
        user_name: "admin".into(),
        role: "Administrator".into(),
        device_id: device.device_id,
    };
    let bodies: Vec<Vec<u8>> = (0..OPS / BATCH)
        .map(|b| {
            serde_json::to_vec(&batch(
                "019ad9a4-0002-7000-8000-000000000001",
                1 + b * BATCH,
            ))
            .expect("serialises")
        })
        .collect();
    let started = Instant::now();
    let mut statuses = std::collections::BTreeMap::<&'static str, u64>::new();
    for body in &bodies {
        let request: PushRequest = serde_json::from_slice(body).map_err(internal)?;
        let hlc = Hlc::new(T0 + OPS, 0).expect("a valid HLC");
        let done = db
            .write(|sql| push::push(sql, &session, &request, hlc, T0 + OPS))
            .map_err(internal)?;
        for r in &done.response.results {
            *statuses.entry(r.outcome.status()).or_default() += 1;
        }
    }
    let push_ms = started.elapsed().as_secs_f64() * 1000.0;
    let report = admin::check(&db).map_err(internal)?;
    if !report.ok {
        return Err(internal(report.problems.join("; ")));
    }
    drop(db);

    // The floor: the same rows, bare, into a table of the profiles' shape.
    let floor_path = dir.join("bench-server-floor.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", floor_path.display()));
    }
    let floor = Database::open(
        floor_path
            .to_str()
            .ok_or_else(|| internal("work dir is not UTF-8"))?,
    )
    .map_err(internal)?;
    floor
        .write(|sql| sql.batch("CREATE TABLE profiles (gid TEXT PRIMARY KEY, data TEXT NOT NULL)"))
        .map_err(internal)?;
    let started = Instant::now();
    for body in &bodies {
        let request: PushRequest = serde_json::from_slice(body).map_err(internal)?;
        floor
            .write(|sql| {
                for chunk in request.ops.chunks(100) {
                    let mut text = String::from("INSERT INTO profiles (gid, data) VALUES ");
                    let mut params = Vec::new();
                    for (i, op) in chunk.iter().enumerate() {
                        if i > 0 {
                            text.push(',');
                        }
                        text.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
                        params.push(Val::from(op.body.gid().unwrap_or_default()));
                        params.push(Val::from(
                            serde_json::to_string(&op.body).expect("serialises"),
                        ));
                    }
                    text.push_str(" ON CONFLICT DO NOTHING");
                    sql.execute(&text, &params)?;
                }
                Ok::<_, pdesk_server::db::DbError>(())
            })
            .map_err(internal)?;
    }
    let floor_ms = started.elapsed().as_secs_f64() * 1000.0;
    let ops_per_sec = OPS as f64 / (push_ms / 1000.0);
    let outcome: Vec<String> = statuses.iter().map(|(s, n)| format!("{n} {s}")).collect();
    Ok(vec![Figure {
        name: format!("Sync push: {OPS} creates, {BATCH} per push, empty SQLite server"),
        median_ms: push_ms,
        target_ms: Some(OPS as f64 / TARGET_OPS_PER_SEC * 1000.0),
        peer_name: Some("floor: multi-row INSERT of the same rows".into()),
        peer_median_ms: Some(floor_ms),
        result: format!(
            "{ops_per_sec:.0} ops/s ({}; {} profiles); floor {:.0} rows/s",
            outcome.join(", "),
            report.profiles,
            OPS as f64 / (floor_ms / 1000.0)
        ),
        ..Figure::default()
    }])
}
