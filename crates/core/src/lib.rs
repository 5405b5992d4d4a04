//! Profile Desk core: every rule of the product — model, store, normalisation, the
//! synchronization rule, permissions, audit — with no knowledge of Tauri or any GUI. The app
//! (`src-tauri`) and the command line (`crates/cli`) both call these functions, so both get the
//! same behaviour.

pub mod about;
pub mod admin;
pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod backup;
pub mod catalogue;
pub mod clock;
pub mod demo;
pub mod error;
pub mod export;
pub mod filter;
pub mod import;
pub mod jobs;
pub mod list;
pub mod mail;
pub mod mapping;
pub mod model;
pub mod normalize;
pub mod profiles;
pub mod segments;
pub mod store;
pub mod users;

pub use auth::{Actor, Permission};
pub use error::{Error, Result};
pub use profiles::IdentifierKind;
pub use store::{default_db_path, Store};
