//! `POST /v1/push` (SYNC.md §5.1): one replica's batch in one transaction. Per op, in seq
//! order: a seq the replica already sent is answered from its receipt (`duplicate`, or `422
//! seq_reused` when the body differs); the next seq is authorised, applied in a savepoint
//! (a rejected op rolls back alone and still advances `last_seq`, so one bad op never blocks
//! the queue) and given a receipt; a seq beyond the next is `409 seq_gap`. The feed is stamped
//! last, and the commit makes the batch's results and its effects durable together.

mod convert;
mod creates;
mod ops;

use std::collections::HashMap;

use pdesk_sync_proto::push::{
    Duplicate, Op, OpBody, Outcome, PushRequest, PushResponse, RejectCode, Rejected,
};
use pdesk_sync_proto::{limits, validate, Hlc, Problem, ProblemCode};

use crate::accounts::Session;
use crate::clock::rfc3339;
use crate::config::{self, ServerConfig};
use crate::db::{Backend, Sql, Val};
use crate::error::Result;
use crate::feed::Touched;
use crate::ids::sha256_hex;
use crate::record::Stamp;

pub use convert::{get_value, validate as validate_fields};

/// What an op is applied with.
pub struct OpContext<'a> {
    pub sql: &'a mut dyn Sql,
    pub session: &'a Session,
    pub config: &'a ServerConfig,
    pub now_ms: u64,
    pub replica: &'a str,
    pub seq: u64,
    /// The op's HLC, clamped to the server's clock + 10 min (SYNC.md §2.1).
    pub stamp: Stamp,
    pub touched: Touched,
    /// The salt of tombstones' hashed keys, read once per push.
    pub key_salt: &'a str,
}

/// What every op of one push is applied with.
struct PushScope<'a> {
    session: &'a Session,
    config: &'a ServerConfig,
    now_ms: u64,
    replica: &'a str,
    key_salt: &'a str,
}

impl<'a> OpContext<'a> {
    fn new(sql: &'a mut dyn Sql, scope: &PushScope<'a>, seq: u64, stamp: &Stamp) -> OpContext<'a> {
        OpContext {
            sql,
            session: scope.session,
            config: scope.config,
            now_ms: scope.now_ms,
            replica: scope.replica,
            seq,
            stamp: stamp.clone(),
            touched: Touched::default(),
            key_salt: scope.key_salt,
        }
    }
}

/// An op refused on its own: becomes its `rejected` result.
#[derive(Debug, Clone)]
pub struct Reject {
    pub code: RejectCode,
    pub field: Option<String>,
    pub permission: Option<String>,
    pub detail: String,
}

impl Reject {
    pub fn new(code: RejectCode, detail: impl Into<String>) -> Reject {
        Reject {
            code,
            field: None,
            permission: None,
            detail: detail.into(),
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Reject {
        self.field = Some(field.into());
        self
    }

    fn outcome(self) -> Outcome {
        Outcome::Rejected(Rejected {
            code: self.code,
            permission: self.permission,
            field: self.field,
            permanent: true,
            detail: self.detail,
        })
    }
}

/// Why an op was not applied: refused on its own, or a storage failure (the whole push fails
/// and the client resends it).
#[derive(Debug)]
pub enum OpError {
    Reject(Reject),
    Db(crate::db::DbError),
}

impl From<Reject> for OpError {
    fn from(r: Reject) -> OpError {
        OpError::Reject(r)
    }
}

impl From<crate::db::DbError> for OpError {
    fn from(e: crate::db::DbError) -> OpError {
        OpError::Db(e)
    }
}

pub type ApplyResult<T> = std::result::Result<T, OpError>;

/// What `op` needs the user to be allowed (SPEC 7.2; the server checks again whatever the
/// client did).
fn required_permissions(op: &OpBody) -> Vec<&'static str> {
    match op {
        OpBody::ProfileCreate(create) => {
            use pdesk_sync_proto::push::OriginSource;
            let imported = matches!(
                create.origin.as_ref().map(|o| o.source),
                Some(OriginSource::Import | OriginSource::Paste)
            );
            if imported {
                vec!["profile.create", "profile.import"]
            } else {
                vec!["profile.create"]
            }
        }
        OpBody::ProfileDelete(_) => vec!["profile.delete"],
        OpBody::ProfileUpdate(_)
        | OpBody::ProfileMerge(_)
        | OpBody::ConsentRecord(_)
        | OpBody::ReviewResolve(_)
        | OpBody::ConflictResolve(_) => vec!["profile.edit"],
    }
}

fn authorise(session: &Session, op: &OpBody) -> Result<(), Reject> {
    for permission in required_permissions(op) {
        if !session.can(permission) {
            return Err(Reject {
                code: RejectCode::Forbidden,
                field: None,
                permission: Some(permission.into()),
                detail: format!(
                    "You do not have permission to {} (role {})",
                    config::permission_action(permission),
                    session.role
                ),
            });
        }
    }
    Ok(())
}

/// The hash a receipt keeps: SHA-256 of the op's compact JSON as the server read it.
pub fn body_hash(op: &Op) -> String {
    sha256_hex(&serde_json::to_vec(op).expect("an op serialises"))
}

/// A receipt: the op's replica, seq, id and body hash, and its answer.
fn receipt_row(replica: &str, op: &Op, hash: String, outcome: &Outcome, now_ms: u64) -> [Val; 6] {
    [
        replica.into(),
        Val::from(op.seq),
        op.op_id.as_str().into(),
        hash.into(),
        serde_json::to_string(outcome)
            .expect("an outcome serialises")
            .into(),
        Val::from(now_ms),
    ]
}

/// What an op did the first time, from a stored receipt's answer (a receipt of an op answered
/// as a duplicate of an earlier one holds that earlier answer).
fn first_answer(stored: &str) -> serde_json::Result<Outcome> {
    Ok(match serde_json::from_str::<Outcome>(stored)? {
        Outcome::Duplicate(d) => *d.original,
        outcome => outcome,
    })
}

/// The batch's new ops (past `last_seq`) this device already had answered under another
/// replica, by op id, with their first answer: one query for the whole batch. A laptop that
/// restores a backup gets a new replica (SYNC.md F7) and numbers the ops its backup still held
/// again; those that reached the server before are recognised by their ids.
fn answered_before(
    sql: &mut dyn Sql,
    session: &Session,
    request: &PushRequest,
    last_seq: u64,
) -> Result<HashMap<String, Outcome>> {
    let ids: Vec<&str> = request
        .ops
        .iter()
        .filter(|op| op.seq > last_seq)
        .map(|op| op.op_id.as_str())
        .collect();
    let mut answered = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let mut params: Vec<Val> = vec![
            session.device_id.as_str().into(),
            request.replica.as_str().into(),
        ];
        params.extend(chunk.iter().map(|id| Val::from(*id)));
        let rows = sql.query(
            &format!(
                "SELECT r.op_id, r.result FROM receipts r JOIN replicas p ON p.id = r.replica
                  WHERE p.device_id = $1 AND r.replica <> $2 AND r.op_id IN ({})",
                marks.join(", ")
            ),
            &params,
        )?;
        for row in rows {
            let outcome = first_answer(&row.text(1)).map_err(|e| {
                crate::db::DbError::new(format!("receipt of op {}: {e}", row.text(0)))
            })?;
            answered.insert(row.text(0), outcome);
        }
    }
    Ok(answered)
}

/// The answer to an op the server has answered before: what it did the first time and, when
/// its profile has been deleted or merged away since, that profile's tombstone. Found by the
/// model test (issue 14): a laptop restored a backup taken before it merged a customer away;
/// its create of that customer, sent again, was answered as applied, the snapshot after the
/// restore had left the customer alone while the create was on its way, and no pull would
/// bring the older tombstone: the laptop kept the customer for good.
fn duplicate(sql: &mut dyn Sql, op: &Op, original: Outcome) -> Result<Outcome> {
    let now = match op.body.gid() {
        Some(gid) => crate::read::profile(sql, gid)?
            .map(|answer| answer.change)
            .filter(|change| change.deleted)
            .map(Box::new),
        None => None,
    };
    Ok(Outcome::Duplicate(Duplicate {
        original: Box::new(original),
        now,
    }))
}

/// The batch's answer and the partitions it touched (to wake long-polls).
pub struct PushDone {
    pub response: PushResponse,
    pub touched: Touched,
}

/// Processes one push in the open write transaction.
pub fn push(
    sql: &mut dyn Sql,
    session: &Session,
    request: &PushRequest,
    server_hlc: Hlc,
    now_ms: u64,
) -> Result<PushDone> {
    validate::check_push(request)?;
    let lock = if sql.backend() == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let replica = sql.query_opt(
        &format!("SELECT device_id, last_seq FROM replicas WHERE id = $1{lock}"),
        &[request.replica.as_str().into()],
    )?;
    let mut last_seq = match replica {
        Some(row) if row.text(0) != session.device_id => {
            let mut problem = Problem::new(
                ProblemCode::Forbidden,
                "this replica id belongs to another device: make a new replica id for this copy",
            );
            problem.permission = Some("replica.owner".into());
            return Err(problem.into());
        }
        Some(row) => row.u64(1),
        None => {
            sql.execute(
                "INSERT INTO replicas (id, device_id, last_seq, created_at) VALUES ($1, $2, 0, $3)",
                &[
                    request.replica.as_str().into(),
                    session.device_id.as_str().into(),
                    rfc3339(now_ms).into(),
                ],
            )?;
            0
        }
    };
    let config = ServerConfig::load(sql)?;
    let key_salt = crate::meta::key_salt(sql)?;
    let mut touched = Touched::default();
    // Written together at the end: one statement per hundred ops rather than one per op.
    let mut receipts: Vec<[Val; 6]> = Vec::with_capacity(request.ops.len());
    let mut savepoint_open = false;
    let mut results = Vec::with_capacity(request.ops.len());
    let clamp = now_ms + limits::MAX_CLOCK_AHEAD_MS;
    let scope = PushScope {
        session,
        config: &config,
        now_ms,
        replica: &request.replica,
        key_salt: &key_salt,
    };
    let mut creates = creates::CreateRun::default();
    let mut answered_before = answered_before(sql, session, request, last_seq)?;
    for (index, op) in request.ops.iter().enumerate() {
        let hash = body_hash(op);
        if let Some(original) = answered_before.remove(op.op_id.as_str()) {
            if op.seq == last_seq + 1 {
                // The same op under another seq (held in a backup the laptop restored, then
                // numbered again by its new replica): answered as what it did the first time,
                // never applied twice. Its receipt keeps that answer for a resend of this seq.
                let stored = Outcome::Duplicate(Duplicate {
                    original: Box::new(original.clone()),
                    now: None,
                });
                receipts.push(receipt_row(&request.replica, op, hash, &stored, now_ms));
                last_seq = op.seq;
                results.push(pdesk_sync_proto::push::OpResult {
                    seq: op.seq,
                    outcome: duplicate(sql, op, original)?,
                });
                continue;
            }
        }
        if op.seq <= last_seq {
            let receipt = sql.query_opt(
                "SELECT body_hash, result FROM receipts WHERE replica = $1 AND seq = $2",
                &[request.replica.as_str().into(), Val::from(op.seq)],
            )?;
            let original = match receipt {
                Some(r) if r.text(0) != hash => {
                    let mut problem = Problem::new(
                        ProblemCode::SeqReused,
                        format!(
                            "seq {} of this replica was sent before with another body: this copy \
                             of the database reuses seqs (restored from a backup?); rotate the \
                             replica id and resend the pending ops under new seqs",
                            op.seq
                        ),
                    );
                    problem.seq = Some(op.seq);
                    return Err(problem.into());
                }
                Some(r) => first_answer(&r.text(1)).map_err(|e| {
                    crate::db::DbError::new(format!("receipt of seq {}: {e}", op.seq))
                })?,
                None => Reject::new(
                    RejectCode::Unknown,
                    "this op was processed long ago and its receipt was removed by GC",
                )
                .outcome(),
            };
            results.push(pdesk_sync_proto::push::OpResult {
                seq: op.seq,
                outcome: duplicate(sql, op, original)?,
            });
            continue;
        }
        if op.seq != last_seq + 1 {
            return Err(Problem::seq_gap(last_seq + 1).into());
        }
        let hlc = if op.hlc.wall_ms() > clamp {
            Hlc::new(now_ms, 0).unwrap_or(server_hlc)
        } else {
            op.hlc
        };
        let outcome = if validate::op_too_large(op) {
            Reject::new(
                RejectCode::OpTooLarge,
                format!(
                    "this op is {} bytes; the limit is {} (hello.limits.max_op_bytes)",
                    validate::op_size(op),
                    limits::MAX_OP_BYTES
                ),
            )
            .outcome()
        } else {
            let stamp = Stamp {
                hlc,
                replica: request.replica.clone(),
                user: session.user_name.clone(),
            };
            let held = if authorise(session, &op.body).is_ok() {
                let mut cx = OpContext::new(sql, &scope, op.seq, &stamp);
                let held = creates.try_hold(&mut cx, &request.ops, index)?;
                touched.absorb(std::mem::take(&mut cx.touched));
                held
            } else {
                None
            };
            match held {
                Some(outcome) => outcome,
                None => {
                    creates.settle(sql)?;
                    // Each op runs in a savepoint, so a refused op leaves nothing behind. A kept
                    // op's savepoint is released together with the next one's start: one round
                    // trip.
                    sql.batch(if savepoint_open {
                        "RELEASE SAVEPOINT op; SAVEPOINT op"
                    } else {
                        "SAVEPOINT op"
                    })?;
                    savepoint_open = true;
                    let mut cx = OpContext::new(sql, &scope, op.seq, &stamp);
                    let applied = authorise(session, &op.body)
                        .map_err(OpError::from)
                        .and_then(|()| ops::apply(&mut cx, &op.body));
                    let op_touched = std::mem::take(&mut cx.touched);
                    match applied {
                        Ok(outcome) => {
                            touched.absorb(op_touched);
                            outcome
                        }
                        Err(OpError::Db(e)) => return Err(e.into()),
                        Err(OpError::Reject(reject)) => {
                            sql.batch("ROLLBACK TO SAVEPOINT op; RELEASE SAVEPOINT op")?;
                            savepoint_open = false;
                            if let (RejectCode::Deleted, OpBody::ProfileUpdate(update)) =
                                (reject.code, &op.body)
                            {
                                ops::keep_lost_edit(
                                    sql,
                                    &mut touched,
                                    update,
                                    &session.user_name,
                                    &request.replica,
                                    op.seq,
                                    now_ms,
                                )?;
                            }
                            reject.outcome()
                        }
                    }
                }
            }
        };
        receipts.push(receipt_row(&request.replica, op, hash, &outcome, now_ms));
        last_seq = op.seq;
        results.push(pdesk_sync_proto::push::OpResult {
            seq: op.seq,
            outcome,
        });
    }
    creates.flush(sql)?;
    if savepoint_open {
        sql.batch("RELEASE SAVEPOINT op")?;
    }
    crate::db::insert_rows(
        sql,
        "receipts (replica, seq, op_id, body_hash, result, at_ms)",
        &receipts,
        None,
    )?;
    sql.execute(
        "UPDATE replicas SET last_seq = $1 WHERE id = $2",
        &[Val::from(last_seq), request.replica.as_str().into()],
    )?;
    touched.commit(sql)?;
    Ok(PushDone {
        response: PushResponse {
            acked_through: last_seq,
            hlc: server_hlc,
            results,
        },
        touched,
    })
}
