//! `sync_known`: what this device knows of a profile's server state — the rev, the field
//! versions it sends back as `base_fv`, and the OR-set tags of each list value (a removal
//! names the tags it observed; a value added elsewhere meanwhile has a tag it did not see, and
//! stays). Written when a server state is applied, and when this device sends new tags.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::insert_many;

/// The tags of each list's values, by value key (a phone's E.164 form, an e-mail's key, a
/// tag's text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lists {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub phones: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub emails: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// The server's rev of the profile (0: never heard from the server).
    pub rev: u64,
    /// Field versions by field key.
    pub fv: BTreeMap<String, u64>,
    pub lists: Lists,
}

impl Known {
    /// A profile this device has just sent and not yet heard back about.
    pub fn unsent(lists: Lists) -> Known {
        Known {
            rev: 0,
            fv: BTreeMap::new(),
            lists,
        }
    }
}

fn corrupt(gid: &str, e: serde_json::Error) -> Error {
    Error::Internal(format!(
        "the sync record of profile {gid} is unreadable: {e}"
    ))
}

pub fn read(conn: &Connection, gid: &str) -> Result<Option<Known>> {
    let row: Option<(i64, String, String)> = conn
        .prepare_cached("SELECT rev, fv, lists FROM sync_known WHERE gid = ?1")?
        .query_row([gid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((rev, fv, lists)) = row else {
        return Ok(None);
    };
    Ok(Some(Known {
        rev: rev as u64,
        fv: serde_json::from_str(&fv).map_err(|e| corrupt(gid, e))?,
        lists: serde_json::from_str(&lists).map_err(|e| corrupt(gid, e))?,
    }))
}

pub fn write(conn: &Connection, gid: &str, known: &Known) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_known(gid, rev, fv, lists) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(gid) DO UPDATE SET rev = excluded.rev, fv = excluded.fv, lists = excluded.lists",
    )?
    .execute(params![
        gid,
        known.rev as i64,
        json(&known.fv),
        json(&known.lists)
    ])?;
    Ok(())
}

/// [`write`] for many profiles (an import's new profiles).
pub fn write_many(conn: &Connection, rows: &[(String, Known)]) -> Result<()> {
    insert_many(
        conn,
        "INSERT INTO sync_known(gid, rev, fv, lists)",
        "ON CONFLICT(gid) DO UPDATE SET rev = excluded.rev, fv = excluded.fv,
                                        lists = excluded.lists",
        rows.iter().map(|(gid, known)| {
            [
                gid.clone().into(),
                (known.rev as i64).into(),
                json(&known.fv).into(),
                json(&known.lists).into(),
            ]
        }),
    )
}

pub fn forget(conn: &Connection, gid: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_known WHERE gid = ?1")?
        .execute([gid])?;
    Ok(())
}

/// Compact JSON of the two shapes `sync_known` keeps (maps of strings and numbers: they
/// cannot fail to serialise).
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}
