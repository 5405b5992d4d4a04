//! `pdesk-sync`: Profile Desk's sync engine, the client of pdsync/1 (`docs/sync/protocol.md`,
//! `docs/sync/client.md`). It connects a store to a CDP server (a device registered with the
//! user's password; its refresh token in the OS keychain, never in the store), pushes the
//! store's outbox, downloads the server's profiles on the first sync and pulls what changed
//! since. No Tauri: the CLI (`pdesk sync`) and the app run the same engine.
//!
//! Layers: `client` (one method per endpoint over HTTP), `engine` (connect, one round, the
//! CLI's loop), `worker` (the app's loop), `trust` (the server's certificate), `backoff`,
//! `error`. Everything the engine writes goes through `pdesk_core::sync`.

pub mod backoff;
pub mod client;
pub mod engine;
pub mod error;
pub mod trust;
pub mod worker;

pub use backoff::Backoff;
pub use engine::{
    connect, disconnect, run, sync_once, token_key, Engine, Heard, Pause, RoundProgress,
    RoundReport, Watcher,
};
pub use error::{SyncError, SyncResult};
