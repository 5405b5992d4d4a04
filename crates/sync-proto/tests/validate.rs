//! The protocol's own checks: batch size, seq order, op size, one result per op.

use pdesk_sync_proto::limits::{MAX_OPS_PER_PUSH, MAX_OP_BYTES};
use pdesk_sync_proto::problem::ProblemCode;
use pdesk_sync_proto::push::*;
use pdesk_sync_proto::validate::{check_push, check_results, op_size, op_too_large, BadAnswer};
use pdesk_sync_proto::Hlc;

fn delete(seq: u64, reason: &str) -> Op {
    Op {
        seq,
        op_id: format!("op-{seq}"),
        hlc: Hlc::new(1_700_000_000_000, seq as u16).unwrap(),
        body: OpBody::ProfileDelete(ProfileDelete {
            gid: "g".into(),
            base_rev: 1,
            reason: reason.into(),
            reason_code: None,
        }),
    }
}

fn push(seqs: impl IntoIterator<Item = u64>) -> PushRequest {
    PushRequest {
        replica: "r1".into(),
        config_version: 1,
        ops: seqs.into_iter().map(|s| delete(s, "duplicate")).collect(),
    }
}

fn applied(seq: u64) -> OpResult {
    OpResult {
        seq,
        outcome: Outcome::Applied(Applied {
            gid: None,
            rev: 1,
            conflicts: vec![],
            state: None,
        }),
    }
}

#[test]
fn a_contiguous_batch_of_up_to_1000_ops_passes() {
    assert_eq!(check_push(&push(1..=1)), Ok(()));
    assert_eq!(
        check_push(&push(4812..4812 + MAX_OPS_PER_PUSH as u64)),
        Ok(())
    );
}

#[test]
fn more_than_1000_ops_is_413_too_many_ops_naming_the_limit() {
    let problem = check_push(&push(1..=MAX_OPS_PER_PUSH as u64 + 1)).unwrap_err();
    assert_eq!(problem.code, ProblemCode::TooManyOps);
    assert_eq!(problem.status, 413);
    assert_eq!(problem.limit, Some(1000));
    assert!(problem.detail.contains("1001 ops"), "{}", problem.detail);
}

#[test]
fn seqs_out_of_order_with_a_hole_or_repeated_are_malformed_and_named() {
    for (seqs, needle) in [
        (vec![5, 7], "ops[1] has seq 7 after seq 5"),
        (vec![5, 4], "ops[1] has seq 4 after seq 5"),
        (vec![5, 6, 6], "ops[2] has seq 6 after seq 6"),
        (vec![0, 1], "seq 0"),
    ] {
        let problem = check_push(&push(seqs.clone())).unwrap_err();
        assert_eq!(problem.code, ProblemCode::Malformed, "{seqs:?}");
        assert_eq!(problem.status, 400);
        assert!(
            problem.detail.contains(needle),
            "{seqs:?}: {}",
            problem.detail
        );
    }
}

#[test]
fn an_empty_batch_a_missing_replica_and_a_repeated_op_id_are_malformed() {
    assert_eq!(
        check_push(&push([])).unwrap_err().code,
        ProblemCode::Malformed
    );
    let mut no_replica = push([1]);
    no_replica.replica = " ".into();
    assert!(check_push(&no_replica)
        .unwrap_err()
        .detail
        .contains("replica"));
    let mut twice = push([1, 2]);
    twice.ops[1].op_id = twice.ops[0].op_id.clone();
    assert!(check_push(&twice)
        .unwrap_err()
        .detail
        .contains("repeats op_id op-1"));
}

#[test]
fn an_op_over_32_kib_is_too_large_and_one_at_the_limit_is_not() {
    let small = delete(1, "");
    let overhead = op_size(&small);
    let at_limit = delete(1, &"x".repeat(MAX_OP_BYTES - overhead));
    assert_eq!(op_size(&at_limit), MAX_OP_BYTES);
    assert!(!op_too_large(&at_limit));
    let over = delete(1, &"x".repeat(MAX_OP_BYTES - overhead + 1));
    assert!(op_too_large(&over));
    // Sizes count UTF-8 bytes, not characters: Vietnamese text weighs more than it looks.
    let vietnamese = delete(1, &"Đ".repeat((MAX_OP_BYTES - overhead) / 2 + 1));
    assert!(op_too_large(&vietnamese));
    // An oversized op does not sink its batch (it is rejected on its own, `op_too_large`).
    let batch = PushRequest {
        replica: "r".into(),
        config_version: 1,
        ops: vec![over],
    };
    assert_eq!(check_push(&batch), Ok(()));
}

#[test]
fn an_answer_must_have_one_result_per_op_in_order() {
    let sent = push([7, 8, 9]);
    let answer = |results: Vec<OpResult>| PushResponse {
        acked_through: 9,
        hlc: Hlc::default(),
        results,
    };
    assert_eq!(
        check_results(&sent, &answer(vec![applied(7), applied(8), applied(9)])),
        Ok(())
    );
    let missing = check_results(&sent, &answer(vec![applied(7), applied(8)])).unwrap_err();
    assert_eq!(
        missing,
        BadAnswer("the server answered 2 results for 3 ops: nothing is marked acked; the batch is sent again".into())
    );
    assert!(check_results(&sent, &answer(vec![applied(7), applied(9), applied(8)])).is_err());
    let mut short = answer(vec![applied(7), applied(8), applied(9)]);
    short.acked_through = 8;
    assert!(check_results(&sent, &short).is_err());
    let nested = OpResult {
        seq: 9,
        outcome: Outcome::Duplicate(Duplicate {
            original: Box::new(Outcome::Duplicate(Duplicate {
                original: Box::new(applied(9).outcome),
                now: None,
            })),
            now: None,
        }),
    };
    assert!(check_results(&sent, &answer(vec![applied(7), applied(8), nested])).is_err());
}
