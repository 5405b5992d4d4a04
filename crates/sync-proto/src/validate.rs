//! The protocol's own checks, shared by the server (before it opens a transaction) and the
//! client (before it sends, and on every answer): batch size, seq order, op size, and "one
//! result per op sent".

use std::collections::BTreeSet;

use crate::limits;
use crate::problem::{Problem, ProblemCode};
use crate::push::{Op, Outcome, PushRequest, PushResponse};

/// The size of an op on the wire: its compact JSON, in bytes.
pub fn op_size(op: &Op) -> usize {
    serde_json::to_vec(op).map_or(usize::MAX, |json| json.len())
}

/// An op larger than `MAX_OP_BYTES` is not refused with the batch (a batch of one such op
/// would block the queue forever): the server answers it `rejected` / `op_too_large`, which
/// advances `last_seq`, and the client lists it in its rejected changes.
pub fn op_too_large(op: &Op) -> bool {
    op_size(op) > limits::MAX_OP_BYTES
}

/// A push the server can process: a replica, 1..=1000 ops, seqs from 1 up, contiguous and
/// rising, op ids unique. Each refusal says what is wrong and where.
// A refused push answers its problem at once: its size on a cold path does not matter.
#[allow(clippy::result_large_err)]
pub fn check_push(push: &PushRequest) -> Result<(), Problem> {
    let malformed = |detail: String| Problem::new(ProblemCode::Malformed, detail);
    if push.replica.trim().is_empty() {
        return Err(malformed(
            "replica is empty: send the replica id the seqs belong to".into(),
        ));
    }
    if push.ops.is_empty() {
        return Err(malformed("ops is empty: send at least one op".into()));
    }
    if push.ops.len() > limits::MAX_OPS_PER_PUSH {
        let mut problem = Problem::new(
            ProblemCode::TooManyOps,
            format!(
                "{} ops in one push; the limit is {}: send the rest in the next push",
                push.ops.len(),
                limits::MAX_OPS_PER_PUSH
            ),
        );
        problem.limit = Some(limits::MAX_OPS_PER_PUSH as u64);
        return Err(problem);
    }
    let first = push.ops[0].seq;
    if first == 0 {
        return Err(malformed("ops[0] has seq 0: seqs start at 1".into()));
    }
    let mut op_ids = BTreeSet::new();
    for (i, op) in push.ops.iter().enumerate() {
        let wanted = first.checked_add(i as u64);
        if Some(op.seq) != wanted {
            return Err(malformed(format!(
                "ops[{i}] has seq {} after seq {}: a batch's seqs are contiguous and rising; \
                 send the outbox in seq order",
                op.seq,
                push.ops[i - 1].seq
            )));
        }
        if !op_ids.insert(op.op_id.as_str()) {
            return Err(malformed(format!(
                "ops[{i}] (seq {}) repeats op_id {}: each op has its own op_id",
                op.seq, op.op_id
            )));
        }
    }
    Ok(())
}

/// What is wrong with a push's answer, from the client's side: the client must not mark
/// anything acked unless the server answered every op it sent (the "200 with missing results"
/// silent loss of thunderbird/thunderbolt#944).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAnswer(pub String);

/// The answer has one result per op sent, in the same order, and no `duplicate` wraps another
/// `duplicate`.
pub fn check_results(push: &PushRequest, answer: &PushResponse) -> Result<(), BadAnswer> {
    if answer.results.len() != push.ops.len() {
        return Err(BadAnswer(format!(
            "the server answered {} results for {} ops: nothing is marked acked; the batch is \
             sent again",
            answer.results.len(),
            push.ops.len()
        )));
    }
    for (i, (op, result)) in push.ops.iter().zip(&answer.results).enumerate() {
        if op.seq != result.seq {
            return Err(BadAnswer(format!(
                "result {i} is for seq {} but op {i} has seq {}",
                result.seq, op.seq
            )));
        }
        if let Outcome::Duplicate(duplicate) = &result.outcome {
            if matches!(*duplicate.original, Outcome::Duplicate(_)) {
                return Err(BadAnswer(format!(
                    "result {i} (seq {}) is a duplicate of a duplicate",
                    op.seq
                )));
            }
        }
    }
    if let Some(last) = push.ops.last() {
        if answer.acked_through < last.seq {
            return Err(BadAnswer(format!(
                "acked_through {} is below the batch's last seq {}",
                answer.acked_through, last.seq
            )));
        }
    }
    Ok(())
}
