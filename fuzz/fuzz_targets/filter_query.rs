//! Any bytes as the list's query from the webview (JSON: conditions, sort, search, time zone):
//! deserialising and compiling it must give a page or a clear refusal (validation, limit,
//! conflict) — never a panic, and never SQL that SQLite rejects (that would be a compile bug,
//! or an injection).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pdesk_core::filter::ListQuery;
use pdesk_core::{Actor, Error, Store};

struct Seeded {
    store: std::sync::Mutex<Store>,
    admin: Actor,
}

/// One in-memory store with a few profiles, made once per fuzzing process.
fn seeded() -> &'static Seeded {
    static SEEDED: OnceLock<Seeded> = OnceLock::new();
    SEEDED.get_or_init(|| {
        let mut store = Store::open_in_memory().expect("an in-memory store");
        let admin = store.actor(None).expect("the administrator");
        store.seed_demo(&admin, 30, 7).expect("demo profiles");
        Seeded {
            store: std::sync::Mutex::new(store),
            admin,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = serde_json::from_slice::<ListQuery>(data) else {
        return;
    };
    let seeded = seeded();
    let store = seeded.store.lock().unwrap_or_else(|e| e.into_inner());
    let columns = ["full_name".to_string(), "phones".to_string()];
    for result in [
        store.count_profiles(&seeded.admin, &query).map(|_| ()),
        store.list_page(&seeded.admin, &query, 0, 20, &columns).map(|_| ()),
    ] {
        if let Err(e) = result {
            assert!(
                matches!(
                    e,
                    Error::Validation(_) | Error::Limit(_) | Error::Conflict(_) | Error::NotFound(_)
                ),
                "a query is refused with a reason, not failed: {e:?}"
            );
        }
    }
});
