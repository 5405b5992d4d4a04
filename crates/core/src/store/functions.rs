//! The SQL functions every connection of the store has, for the queries of the floors above.

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use pdesk_normalize::fold_for_search;

/// Registers the store's SQL functions on a connection: `pdesk_fold(text)`, the search
/// folding, which the compiled filters call for accent-insensitive text tests; and
/// `pdesk_uuid7()`, a new UUIDv7 (the global id migration 0015 gives existing profiles).
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function("pdesk_uuid7", 0, FunctionFlags::SQLITE_UTF8, |_| {
        Ok(uuid::Uuid::now_v7().to_string())
    })?;
    conn.create_scalar_function(
        "pdesk_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| fold_for_search(&t)))
        },
    )
}
