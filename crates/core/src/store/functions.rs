//! The SQL functions every connection of the store has, for the queries of the floors above.

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use pdesk_normalize::fold_for_search;

/// Registers the store's SQL functions on a connection: `pdesk_fold(text)`, the search
/// folding, which the compiled filters call for accent-insensitive text tests.
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
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
