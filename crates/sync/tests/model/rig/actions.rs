//! The generated steps: what a user does on one laptop (through the core's public functions,
//! as the app's commands call them), what the network does to a round of sync (the proxy's
//! faults), and what a nemesis does to a laptop or to the server. Indexes are taken modulo
//! what exists when the step runs (the n-th live profile, the n-th open review), so every
//! sequence is valid and shrinking keeps it so.

use proptest::prelude::*;

use super::proxy::{Fault, Route};

/// Laptops in a case (2–4, drawn per case).
pub const MAX_LAPTOPS: usize = 4;

#[derive(Debug, Clone)]
pub enum Action {
    /// Create individually (the rule runs locally: created, merged into one, or a review).
    Create {
        c: u8,
        name: u8,
        phone: Option<u8>,
        email: Option<u8>,
        consent: Option<(u8, bool)>,
    },
    /// Edit one scalar field of the p-th live profile.
    Edit {
        c: u8,
        p: u8,
        field: u8,
        value: u8,
    },
    /// Add a phone (or an e-mail) to the p-th profile's list; "keep separate" when another
    /// profile has it (so shared keys made on purpose happen).
    ListAdd {
        c: u8,
        p: u8,
        email: bool,
        value: u8,
    },
    /// Remove the first phone (or e-mail) of the p-th profile, if it keeps an identifier.
    ListRemove {
        c: u8,
        p: u8,
        email: bool,
    },
    /// Delete the p-th profile with a reason.
    Delete {
        c: u8,
        p: u8,
        reason: u8,
    },
    /// Record consent on one channel of the p-th profile.
    Consent {
        c: u8,
        p: u8,
        channel: u8,
        granted: bool,
    },
    /// Resolve the first open merge review: attach / merge all / create new / dismiss.
    ResolveReview {
        c: u8,
        decision: u8,
    },
    /// Decide the first open field conflict: keep / take the other / type a value.
    ResolveConflict {
        c: u8,
        decision: u8,
    },
    /// Paste rows (name, phone, e-mail) as an import (held for its undo window).
    Import {
        c: u8,
        rows: Vec<(u8, u8, u8)>,
    },
    /// Undo the laptop's latest import that is not undone.
    UndoImport {
        c: u8,
    },
    /// One round of the engine, the proxy meeting its requests of `route` with `faults` in
    /// order.
    Sync {
        c: u8,
        route: Route,
        faults: Vec<Fault>,
    },
    /// The laptop dies between a push sent (with `fault`) and its answer recorded.
    CrashMidPush {
        c: u8,
        fault: Fault,
    },
    /// The app's backup of the laptop's store.
    BackupLaptop {
        c: u8,
    },
    /// Restore an older backup of the laptop's store (F7).
    RestoreLaptop {
        c: u8,
        which: u8,
    },
    /// The laptop's clock set off by hours (ahead or behind; 0 sets it right again).
    Skew {
        c: u8,
        hours: i8,
    },
    /// Time passes for everyone.
    Advance {
        minutes: u16,
    },
    BackupServer,
    /// The server restored from an older backup (F9).
    RestoreServer {
        which: u8,
    },
    /// The server's GC (tombstones and receipts dropped).
    GcServer,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::Pass),
        2 => Just(Fault::DropRequest),
        2 => Just(Fault::DropResponse),
        2 => Just(Fault::Duplicate),
        1 => Just(Fault::TooLarge),
        1 => Just(Fault::RateLimited),
        1 => Just(Fault::Unavailable),
        1 => Just(Fault::Unauthorized),
    ]
}

fn route() -> impl Strategy<Value = Route> {
    prop_oneof![3 => Just(Route::Push), 2 => Just(Route::Pull), 1 => Just(Route::Any)]
}

fn laptop() -> impl Strategy<Value = u8> {
    0..MAX_LAPTOPS as u8
}

pub fn action() -> impl Strategy<Value = Action> {
    let c = laptop;
    prop_oneof![
        8 => (c(), any::<u8>(), proptest::option::weighted(0.8, any::<u8>()), proptest::option::weighted(0.5, any::<u8>()), proptest::option::weighted(0.3, (any::<u8>(), any::<bool>())))
            .prop_map(|(c, name, phone, email, consent)| Action::Create { c, name, phone, email, consent }),
        5 => (c(), any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(c, p, field, value)| Action::Edit { c, p, field, value }),
        3 => (c(), any::<u8>(), any::<bool>(), any::<u8>()).prop_map(|(c, p, email, value)| Action::ListAdd { c, p, email, value }),
        2 => (c(), any::<u8>(), any::<bool>()).prop_map(|(c, p, email)| Action::ListRemove { c, p, email }),
        2 => (c(), any::<u8>(), any::<u8>()).prop_map(|(c, p, reason)| Action::Delete { c, p, reason }),
        2 => (c(), any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(c, p, channel, granted)| Action::Consent { c, p, channel, granted }),
        2 => (c(), any::<u8>()).prop_map(|(c, decision)| Action::ResolveReview { c, decision }),
        2 => (c(), any::<u8>()).prop_map(|(c, decision)| Action::ResolveConflict { c, decision }),
        2 => (c(), proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 1..4)).prop_map(|(c, rows)| Action::Import { c, rows }),
        1 => c().prop_map(|c| Action::UndoImport { c }),
        12 => (c(), route(), proptest::collection::vec(fault(), 0..4)).prop_map(|(c, route, faults)| Action::Sync { c, route, faults }),
        2 => (c(), fault()).prop_map(|(c, fault)| Action::CrashMidPush { c, fault }),
        1 => c().prop_map(|c| Action::BackupLaptop { c }),
        1 => (c(), any::<u8>()).prop_map(|(c, which)| Action::RestoreLaptop { c, which }),
        1 => (c(), -6i8..=6).prop_map(|(c, hours)| Action::Skew { c, hours }),
        2 => (1u16..=180).prop_map(|minutes| Action::Advance { minutes }),
        1 => Just(Action::BackupServer),
        1 => any::<u8>().prop_map(|which| Action::RestoreServer { which }),
        1 => Just(Action::GcServer),
    ]
}

/// A case: how many laptops, which of them signs in as the Sales user (who may not delete on
/// the server: her deletes come back refused), and the steps.
#[derive(Debug, Clone)]
pub struct Case {
    pub laptops: usize,
    pub sales: Vec<bool>,
    pub steps: Vec<Action>,
}

pub fn case(max_steps: usize) -> impl Strategy<Value = Case> {
    (
        2..=MAX_LAPTOPS,
        proptest::collection::vec(proptest::bool::weighted(0.3), MAX_LAPTOPS),
        proptest::collection::vec(action(), 1..max_steps),
    )
        .prop_map(|(laptops, sales, steps)| Case {
            laptops,
            sales,
            steps,
        })
}
