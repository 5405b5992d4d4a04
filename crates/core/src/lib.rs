//! Profile Desk core: the store and the features on it, with no knowledge of Tauri or any GUI.
//! The app (`src-tauri`) and the command line (`crates/cli`) both call these functions, so
//! both get the same behaviour. The rules that need no database live below this crate:
//! `pdesk-normalize` (phones, e-mails, text, dates), `pdesk-xlsx` (untrusted spreadsheet
//! input) and `pdesk-rule` (validation and the synchronization rule).
//!
//! The modules stand in floors, lowest first; a module uses its own floor and those below,
//! never one above, and no two modules depend on each other in a cycle (checked by the test
//! `layering`, which holds the same table).

// Floor "store": the SQLite file, its migrations, caches and SQL functions, its encryption and
// the keychain its key lives in; time; errors; the shared types; how files get their final
// name (`files`).
pub mod clock;
mod error;
mod files;
pub mod keychain;
pub mod model;
pub mod store;

// Floor "auth": who acts and what they may do.
mod auth;

// Floor "audit": the hash-chained audit log, written in the transaction of each action.
pub mod audit;

// Floor "access": users, roles and sign-in; the field catalogue and the rule's settings.
mod catalogue;
pub mod users;

// Floor "outbox": what a store connected to a server captures of each change (its ops).
pub mod outbox;

// Floor "profiles": profile rows, the rule applied in the store, detail, delete, merge review.
pub mod profiles;

// Floor "query": the filter vocabulary and its compilation, list pages and counts, segments.
pub mod filter;
pub mod list;
pub mod segments;

// Floor "admin": the Settings screen's rules.
pub mod admin;

// Floor "jobs": the import mapping and jobs, exports.
pub mod export;
mod job_failure;
mod job_queue;
pub mod jobs;
pub mod mapping;

// Floor "sync": the store's side of sync with a remote CDP server (the engine is `pdesk-sync`).
pub mod sync;

// Floor "services": mail, backup, the audit screen, demo data, About.
pub mod about;
pub mod audit_log;
pub mod backup;
pub mod demo;
pub mod mail;

pub use auth::{Actor, Permission};
pub use error::{Error, Result, Said};
pub use profiles::IdentifierKind;
pub use store::{default_db_path, PageCache, Store};
