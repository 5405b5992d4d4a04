//! Reading and writing one profile's rows (the `profiles` row plus its phones, e-mails, tags
//! and custom values). Every write path goes through [`insert`], [`rewrite`] or [`delete`], so
//! the folded search key and the list tables can never disagree with the profile.

use rusqlite::{params, Connection, OptionalExtension};

use super::validate::{EmailValue, ValidProfile, SCALAR_COLUMNS};
use crate::error::{Error, Result};
use crate::model::{PhoneValue, ProfileId, Source};
use crate::normalize::fold_for_search;

/// Who and when, for the `*_at` / `*_by` columns.
pub struct Stamp<'a> {
    pub at: &'a str,
    pub actor: &'a str,
}

fn source_columns(source: &Source) -> (&'static str, Option<String>, Option<i64>) {
    match source {
        Source::Manual => ("manual", None, None),
        Source::FileImport { file_name, job_id } => ("file", Some(file_name.clone()), *job_id),
        Source::Paste { job_id } => ("paste", None, *job_id),
        Source::Sync => ("sync", None, None),
    }
}

pub fn source_from_columns(kind: &str, detail: Option<String>, job: Option<i64>) -> Source {
    match kind {
        "file" => Source::FileImport {
            file_name: detail.unwrap_or_default(),
            job_id: job,
        },
        "paste" => Source::Paste { job_id: job },
        "sync" => Source::Sync,
        _ => Source::Manual,
    }
}

/// The built-in single-value columns of `p`, with the derived search and match keys, in the
/// order of [`SCALAR_SQL_COLUMNS`].
fn scalar_values(p: &ValidProfile) -> [Option<String>; 11] {
    let s = |k: &str| p.scalars.get(k).cloned();
    let name_key = p
        .scalars
        .get("full_name")
        .map(|n| fold_for_search(n))
        .filter(|k| !k.is_empty());
    let code_key = p
        .scalars
        .get("customer_code")
        .map(|c| c.trim().to_string())
        .filter(|k| !k.is_empty());
    [
        s("full_name"),
        name_key,
        s("gender"),
        s("birthday"),
        s("address"),
        s("city"),
        s("company"),
        s("job_title"),
        s("customer_code"),
        code_key,
        s("note"),
    ]
}

const SCALAR_SQL_COLUMNS: &str = "full_name, name_key, gender, birthday, address, city, company, \
                                  job_title, customer_code, code_key, note";

/// Inserts a new profile and returns its id: one INSERT with every column (so the search
/// index is written once, by the insert trigger), then the list rows.
pub fn insert(
    conn: &Connection,
    p: &ValidProfile,
    source: &Source,
    stamp: &Stamp,
) -> Result<ProfileId> {
    let (kind, detail, job) = source_columns(source);
    let [a, b, c, d, e, f, g, h, i, j, k] = scalar_values(p);
    conn.prepare_cached(&format!(
        "INSERT INTO profiles({SCALAR_SQL_COLUMNS}, source_kind, source_detail, source_job,
                              created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, ?16)"
    ))?
    .execute(params![
        a,
        b,
        c,
        d,
        e,
        f,
        g,
        h,
        i,
        j,
        k,
        kind,
        detail,
        job,
        stamp.at,
        stamp.actor
    ])?;
    let id = conn.last_insert_rowid();
    write_lists(conn, id, p)?;
    Ok(id)
}

/// Replaces every stored value of profile `id` with `p` and stamps the update.
pub fn rewrite(conn: &Connection, id: ProfileId, p: &ValidProfile, stamp: &Stamp) -> Result<()> {
    let [a, b, c, d, e, f, g, h, i, j, k] = scalar_values(p);
    conn.prepare_cached(
        "UPDATE profiles SET full_name = ?2, name_key = ?3, gender = ?4, birthday = ?5,
                address = ?6, city = ?7, company = ?8, job_title = ?9, customer_code = ?10,
                code_key = ?11, note = ?12, updated_at = ?13, updated_by = ?14
          WHERE id = ?1",
    )?
    .execute(params![
        id,
        a,
        b,
        c,
        d,
        e,
        f,
        g,
        h,
        i,
        j,
        k,
        stamp.at,
        stamp.actor
    ])?;
    for table in [
        "profile_phones",
        "profile_emails",
        "profile_tags",
        "profile_custom_values",
    ] {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE profile_id = ?1"))?
            .execute([id])?;
    }
    write_lists(conn, id, p)
}

/// Phones, e-mails, tags and custom values of profile `id` (after their old rows are gone).
fn write_lists(conn: &Connection, id: ProfileId, p: &ValidProfile) -> Result<()> {
    let mut phone = conn.prepare_cached(
        "INSERT INTO profile_phones(profile_id, position, raw, e164) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, ph) in p.phones.iter().enumerate() {
        phone.execute(params![id, i as i64, ph.raw, ph.e164])?;
    }
    let mut email = conn.prepare_cached(
        "INSERT INTO profile_emails(profile_id, position, raw, email_key) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, e) in p.emails.iter().enumerate() {
        email.execute(params![id, i as i64, e.raw, e.key])?;
    }
    let mut tag = conn.prepare_cached(
        "INSERT INTO profile_tags(profile_id, position, tag) VALUES (?1, ?2, ?3)",
    )?;
    for (i, t) in p.tags.iter().enumerate() {
        tag.execute(params![id, i as i64, t])?;
    }
    let mut custom = conn.prepare_cached(
        "INSERT INTO profile_custom_values(profile_id, field_key, value) VALUES (?1, ?2, ?3)",
    )?;
    for (k, v) in &p.custom {
        custom.execute(params![id, k, v.to_string()])?;
    }
    Ok(())
}

/// Deletes profile `id`. Its phones, e-mails, tags, custom values, consent records, history and
/// links go with it (`ON DELETE CASCADE`), its search entry through the `profiles_search_delete`
/// trigger; the linked accounts, opportunities, tickets and tasks stay.
pub fn delete(conn: &Connection, id: ProfileId) -> Result<()> {
    let removed = conn
        .prepare_cached("DELETE FROM profiles WHERE id = ?1")?
        .execute([id])?;
    if removed == 0 {
        return Err(Error::NotFound(format!("Profile #{id} does not exist")));
    }
    Ok(())
}

/// The stored values of profile `id` as a [`ValidProfile`] (what merges and edits compare).
pub fn load(conn: &Connection, id: ProfileId) -> Result<ValidProfile> {
    let cols = SCALAR_COLUMNS.join(", ");
    let scalars: Option<Vec<Option<String>>> = conn
        .prepare_cached(&format!("SELECT {cols} FROM profiles WHERE id = ?1"))?
        .query_row([id], |r| {
            (0..SCALAR_COLUMNS.len()).map(|i| r.get(i)).collect()
        })
        .optional()?;
    let scalars =
        scalars.ok_or_else(|| Error::NotFound(format!("Profile #{id} does not exist")))?;
    let mut p = ValidProfile::default();
    for (key, value) in SCALAR_COLUMNS.iter().zip(scalars) {
        if let Some(v) = value {
            p.scalars.insert(key.to_string(), v);
        }
    }
    p.phones = conn
        .prepare_cached(
            "SELECT raw, e164 FROM profile_phones WHERE profile_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(PhoneValue {
                raw: r.get(0)?,
                e164: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    p.emails = conn
        .prepare_cached(
            "SELECT raw, email_key FROM profile_emails WHERE profile_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(EmailValue {
                raw: r.get(0)?,
                key: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    p.tags = conn
        .prepare_cached("SELECT tag FROM profile_tags WHERE profile_id = ?1 ORDER BY position")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let custom: Vec<(String, String)> = conn
        .prepare_cached("SELECT field_key, value FROM profile_custom_values WHERE profile_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (k, v) in custom {
        let v = serde_json::from_str(&v).unwrap_or(serde_json::Value::String(v));
        p.custom.insert(k, v);
    }
    Ok(p)
}

/// Appends a history entry for profile `id`.
pub fn record_history(
    conn: &Connection,
    id: ProfileId,
    stamp: &Stamp,
    kind: &str,
    source: &Source,
    matched_by: Option<&str>,
    changes: &[crate::model::FieldChange],
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO profile_history(profile_id, at, actor, kind, source, matched_by, changes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        stamp.at,
        stamp.actor,
        kind,
        source.label(),
        matched_by,
        serde_json::to_string(changes).unwrap_or_else(|_| "[]".into()),
    ])?;
    Ok(())
}
