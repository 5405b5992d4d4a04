//! The model-based test of sync (SYNC.md §10.1, issue 14): generated sequences of local
//! actions on 2–4 real laptops (real stores on SQLite files in a temp dir, the real engine),
//! rounds of sync through a fault-injecting proxy in front of the real server (on SQLite, or
//! on PostgreSQL when `PDESK_TEST_POSTGRES` is set), crashes mid-push, restored backups on
//! both ends, skewed clocks and GC; then quiescence and the end checks (`rig::checks`).
//! Nobody sleeps: the engine's waits move the test's clocks.
//!
//! CI (`cargo test`): a fixed seed, [`CI_CASES`] cases of up to [`CI_STEPS`] steps. Longer:
//! `PDESK_MODEL_CASES`, `PDESK_MODEL_STEPS`, `PDESK_MODEL_SEED`; `PDESK_MODEL_SECONDS` runs
//! case after case, seed after seed, until that time is up (`cargo xtask soak MINUTES`).
//! A failure is shrunk to a minimal sequence, printed; commit it as a test in `regressions`.

mod regressions;
mod rig;

use std::time::{Duration, Instant};

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use rig::actions::{case, Case};
use rig::world::World;

/// Cases and steps CI runs (a debug build on 2 cores: well within 3 minutes).
const CI_CASES: u32 = 32;
const CI_STEPS: usize = 80;
/// The fixed seed CI runs.
const CI_SEED: u64 = 0x005e_ed14;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs one case to its end checks.
pub fn run_case(case: &Case) {
    let world = run_world(case);
    if std::env::var_os("PDESK_MODEL_VERBOSE").is_some() {
        eprintln!("--- case passed ---\n{}", world.model.log.join("\n"));
        for shared in rig::checks::unexplained_shared_keys(&world) {
            eprintln!("shared identifier not explained by the model: {shared}");
        }
    }
}

/// Runs one case to its end checks; answers its world for a closer look.
pub fn run_world(case: &Case) -> World {
    let mut world = World::new(case);
    for action in &case.steps {
        world.step(action);
    }
    world.quiesce();
    rig::checks::receipts_first(&world);
    world.discard_refused();
    world.quiesce();
    rig::checks::after_discards(&world);
    world
}

fn seed_bytes(seed: u64) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(seed.wrapping_add(i as u64)).to_le_bytes());
    }
    bytes
}

/// `cases` cases from `seed`; a failure panics with the shrunk sequence.
fn run_seed(seed: u64, cases: u32, steps: usize) {
    let config = Config {
        cases,
        // A case takes a second or more: shrink, but not for ever (`PDESK_MODEL_SHRINK`
        // iterations; more to get a shorter case of a soak's failure).
        max_shrink_iters: env_or("PDESK_MODEL_SHRINK", 150),
        max_shrink_time: 600_000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(seed)),
    );
    let result = runner.run(&case(steps), |case| {
        std::panic::catch_unwind(|| run_case(&case))
            .map_err(|e| TestCaseError::fail(panic_text(&e)))
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, minimal)) => {
            let minimal = fewer_steps(minimal, &why.to_string());
            panic!(
            "seed {seed:#x}: sync lost or doubled something.\nMinimal case (commit it in tests/model/regressions.rs):\n{minimal:#?}\n\nWhy: {why}"
        )
        }
        Err(e) => panic!("seed {seed:#x}: {e}"),
    }
}

/// `case` with as few steps as still fail the same way (the first words of the failure, up to
/// its first colon, are the same): proptest's shrinking stops after `PDESK_MODEL_SHRINK`
/// iterations, and a soak's case may then still hold ninety steps. Steps are removed in
/// halves, then quarters, … while the case still fails (92 steps became 10 in under three
/// minutes for seed 0x6b1345e8).
fn fewer_steps(case: Case, why: &str) -> Case {
    let kind = |text: &str| text.split(':').next().unwrap_or_default().to_string();
    let failure = kind(why);
    let fails_alike = |steps: &[rig::actions::Action]| {
        let tried = Case {
            steps: steps.to_vec(),
            ..case.clone()
        };
        std::panic::catch_unwind(|| run_case(&tried))
            .is_err_and(|e| kind(&panic_text(&e)) == failure)
    };
    let mut steps = case.steps.clone();
    let mut chunk = steps.len() / 2;
    while chunk >= 1 {
        let mut at = 0;
        while at < steps.len() {
            let mut tried = steps.clone();
            tried.drain(at..(at + chunk).min(steps.len()));
            if fails_alike(&tried) {
                steps = tried;
            } else {
                at += chunk;
            }
        }
        chunk /= 2;
    }
    Case { steps, ..case }
}

fn panic_text(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic".into())
}

#[test]
fn nothing_is_lost_or_doubled_under_faults_crashes_restores_and_skew() {
    let cases = env_or("PDESK_MODEL_CASES", CI_CASES);
    let steps = env_or("PDESK_MODEL_STEPS", CI_STEPS);
    let seed = env_or("PDESK_MODEL_SEED", CI_SEED);
    let seconds: u64 = env_or("PDESK_MODEL_SECONDS", 0);
    if seconds == 0 {
        run_seed(seed, cases, steps);
        return;
    }
    // Soak: seed after seed until the time is up (a seed's cases are not cut short).
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut next = seed;
    let mut ran = 0u64;
    while Instant::now() < until {
        run_seed(next, cases, steps);
        ran += u64::from(cases);
        eprintln!("soak: seed {next:#x} passed ({ran} cases so far)");
        next = next.wrapping_add(1);
    }
}
