//! Damage to a store file that opening the store and reading its first page never meet: the
//! kind only the health check run after the first page finds (issue 18).

use std::path::Path;

/// Flips the header of the b-tree page that holds index `index` of the (plain) store at `db`.
/// For a small index — `profiles_company` when no profile has a company — that page is the
/// whole index.
pub fn damage_index(db: &Path, index: &str) -> std::io::Result<()> {
    let root: i64 = rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = ?1",
                [index],
                |r| r.get(0),
            )
        })
        .map_err(std::io::Error::other)?;
    let mut bytes = std::fs::read(db)?;
    let at = (root as usize - 1) * 4096;
    for b in &mut bytes[at..at + 8] {
        *b ^= 0xA5;
    }
    std::fs::write(db, bytes)
}
