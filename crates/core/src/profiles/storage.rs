//! Reading and writing one profile's rows (the `profiles` row plus its phones, e-mails, tags
//! and custom values). Every write path goes through [`insert`], [`rewrite`] or [`delete`], so
//! the folded search key, the name search index and the list tables can never disagree with
//! the profile.

use rusqlite::{params, Connection, OptionalExtension};

use super::writes::Writes;
use crate::error::{Error, Result};
use crate::model::{ConsentStatus, PhoneValue, ProfileId, Source};
use crate::outbox;
use crate::outbox::OpBatch;
use pdesk_normalize::fold_for_search;
use pdesk_rule::validate::{EmailValue, ValidProfile, SCALAR_COLUMNS};
use pdesk_sync_proto::profile::{ConsentEvent, ConsentStatus as WireConsent};

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

/// A profile's provenance and stamps, as the detail screen, the merge review and the list show
/// them.
pub(crate) struct ProfileMeta {
    /// From `source_kind`, `source_detail` and `source_job` ([`source_from_columns`]).
    pub source: Source,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
}

impl ProfileMeta {
    /// The columns of `profiles` [`ProfileMeta::from_row`] reads, in its order: the first
    /// [`ProfileMeta::WIDTH`] of a select list.
    pub const COLUMNS: &'static str =
        "source_kind, source_detail, source_job, created_at, updated_at, created_by, updated_by";
    /// How many columns [`ProfileMeta::COLUMNS`] names; a select list may go on after them.
    pub const WIDTH: usize = 7;

    /// The system fields a profile's meta gives the list and exports, by key.
    pub const FIELDS: [&'static str; 5] = [
        "source",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    ];

    /// The text of the system field `key` (one of [`ProfileMeta::FIELDS`]), `None` for any
    /// other key.
    pub fn text(&self, key: &str) -> Option<String> {
        Some(match key {
            "source" => self.source.label(),
            "created_at" => self.created_at.clone(),
            "updated_at" => self.updated_at.clone(),
            "created_by" => self.created_by.clone(),
            "updated_by" => self.updated_by.clone(),
            _ => return None,
        })
    }

    pub fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            source: source_from_columns(&r.get::<_, String>(0)?, r.get(1)?, r.get(2)?),
            created_at: r.get(3)?,
            updated_at: r.get(4)?,
            created_by: r.get(5)?,
            updated_by: r.get(6)?,
        })
    }
}

/// The built-in single-value columns of `p`, with the derived search and match keys, in the
/// order of [`SCALAR_SQL_NAMES`].
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

/// The column names of [`scalar_values`], in its order.
const SCALAR_SQL_NAMES: [&str; 11] = [
    "full_name",
    "name_key",
    "gender",
    "birthday",
    "address",
    "city",
    "company",
    "job_title",
    "customer_code",
    "code_key",
    "note",
];

/// Inserts a new profile under a new global id and returns its id: one INSERT with every
/// column, the list rows, the profile's name in `search`, and — while the store is connected
/// to a server — its `profile.create` op.
pub fn insert(
    conn: &Connection,
    p: &ValidProfile,
    source: &Source,
    stamp: &Stamp,
    writes: &mut Writes,
) -> Result<ProfileId> {
    let gid = outbox::new_id();
    let id = write_new(conn, &gid, p, source, stamp, writes)?;
    outbox::created(conn, &mut writes.ops, id, &gid, p, source, stamp.at)?;
    Ok(id)
}

/// Inserts a profile the server sent under its global id `gid`, with no op (it came from
/// the server).
pub fn insert_synced(
    conn: &Connection,
    gid: &str,
    p: &ValidProfile,
    stamp: &Stamp,
    writes: &mut Writes,
) -> Result<ProfileId> {
    write_new(conn, gid, p, &Source::Sync, stamp, writes)
}

fn write_new(
    conn: &Connection,
    gid: &str,
    p: &ValidProfile,
    source: &Source,
    stamp: &Stamp,
    writes: &mut Writes,
) -> Result<ProfileId> {
    let (kind, detail, job) = source_columns(source);
    let [a, b, c, d, e, f, g, h, i, j, k] = scalar_values(p);
    conn.prepare_cached(&format!(
        "INSERT INTO profiles({}, source_kind, source_detail, source_job,
                              created_at, updated_at, created_by, updated_by, gid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, ?16,
                 ?17)",
        SCALAR_SQL_NAMES.join(", ")
    ))?
    .execute(params![
        a,
        &b,
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
        stamp.actor,
        gid
    ])?;
    let id = conn.last_insert_rowid();
    write_lists(conn, id, &ValidProfile::default(), p)?;
    writes.search.changed(conn, id, None, b.as_deref())?;
    Ok(id)
}

/// The refusal for a profile that is not (or no longer) in the store.
pub(crate) fn no_profile(id: ProfileId) -> Error {
    Error::not_found(
        "noProfile",
        serde_json::json!({ "id": id }),
        format!("Profile #{id} does not exist"),
    )
}

/// The global id of profile `id`.
pub fn gid_of(conn: &Connection, id: ProfileId) -> Result<String> {
    conn.prepare_cached("SELECT gid FROM profiles WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| no_profile(id))
}

/// The local id of the profile with global id `gid`, if this store has it.
pub fn id_of_gid(conn: &Connection, gid: &str) -> Result<Option<ProfileId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM profiles WHERE gid = ?1")?
        .query_row([gid], |r| r.get(0))
        .optional()?)
}

/// Stores `after` as the new state of profile `id`, whose stored state is `current` (as
/// [`load`] read it), writing only what differs — a merge that fills two fields and adds an
/// e-mail updates those columns and inserts one e-mail row, so the indexes of untouched columns
/// and lists are not rewritten — and stamps the update. Tells `search` when the name changed.
/// While the store is connected to a server, the change becomes a `profile.update` op;
/// `source` says which import job it belongs to, if any.
pub fn update(
    conn: &Connection,
    id: ProfileId,
    current: &ValidProfile,
    after: &ValidProfile,
    source: &Source,
    stamp: &Stamp,
    writes: &mut Writes,
) -> Result<()> {
    write_update(conn, id, current, after, stamp, writes)?;
    outbox::updated(
        conn,
        &mut writes.ops,
        id,
        || gid_of(conn, id),
        current,
        after,
        source,
        stamp.at,
    )
}

/// [`update`] with a state the server sent: no op.
pub fn update_synced(
    conn: &Connection,
    id: ProfileId,
    current: &ValidProfile,
    after: &ValidProfile,
    stamp: &Stamp,
    writes: &mut Writes,
) -> Result<()> {
    write_update(conn, id, current, after, stamp, writes)
}

fn write_update(
    conn: &Connection,
    id: ProfileId,
    current: &ValidProfile,
    after: &ValidProfile,
    stamp: &Stamp,
    writes: &mut Writes,
) -> Result<()> {
    let old = scalar_values(current);
    let new = scalar_values(after);
    let changed: Vec<usize> = (0..new.len()).filter(|&i| old[i] != new[i]).collect();
    let mut sql = String::from("UPDATE profiles SET updated_at = ?2, updated_by = ?3");
    for (n, &i) in changed.iter().enumerate() {
        sql.push_str(&format!(", {} = ?{}", SCALAR_SQL_NAMES[i], n + 4));
    }
    sql.push_str(" WHERE id = ?1");
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![&id, &stamp.at, &stamp.actor];
    values.extend(changed.iter().map(|&i| &new[i] as &dyn rusqlite::ToSql));
    let updated = conn.prepare_cached(&sql)?.execute(values.as_slice())?;
    if updated == 0 {
        return Err(no_profile(id));
    }
    write_lists(conn, id, current, after)?;
    writes
        .search
        .changed(conn, id, old[1].as_deref(), new[1].as_deref())
}

/// Brings one list table of profile `id` from `current` to `after`: nothing when equal, the
/// new entries only when `after` extends `current` (what merges do), else all rows again.
fn update_list<T: PartialEq>(
    conn: &Connection,
    id: ProfileId,
    table: &str,
    columns: &str,
    current: &[T],
    after: &[T],
    insert: impl Fn(&mut rusqlite::CachedStatement<'_>, i64, &T) -> rusqlite::Result<usize>,
) -> Result<()> {
    if current == after {
        return Ok(());
    }
    let keep = if after.starts_with(current) {
        current.len()
    } else {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE profile_id = ?1"))?
            .execute([id])?;
        0
    };
    let placeholders: Vec<String> = (0..columns.split(',').count())
        .map(|i| format!("?{}", i + 3))
        .collect();
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO {table}(profile_id, position, {columns}) VALUES (?1, ?2, {})",
        placeholders.join(", ")
    ))?;
    for (pos, item) in after.iter().enumerate().skip(keep) {
        insert(&mut stmt, pos as i64, item)?;
    }
    Ok(())
}

/// Brings the phones, e-mails, tags and custom values of profile `id` from `current` (what is
/// stored) to `after`.
fn write_lists(
    conn: &Connection,
    id: ProfileId,
    current: &ValidProfile,
    after: &ValidProfile,
) -> Result<()> {
    update_list(
        conn,
        id,
        "profile_phones",
        "raw, e164, label",
        &current.phones,
        &after.phones,
        |stmt, pos, ph| stmt.execute(params![id, pos, ph.raw, ph.e164, ph.label]),
    )?;
    update_list(
        conn,
        id,
        "profile_emails",
        "raw, email_key",
        &current.emails,
        &after.emails,
        |stmt, pos, e| stmt.execute(params![id, pos, e.raw, e.key]),
    )?;
    update_list(
        conn,
        id,
        "profile_tags",
        "tag",
        &current.tags,
        &after.tags,
        |stmt, pos, t| stmt.execute(params![id, pos, t]),
    )?;
    if current.custom != after.custom {
        for key in current
            .custom
            .keys()
            .filter(|k| !after.custom.contains_key(*k))
        {
            conn.prepare_cached(
                "DELETE FROM profile_custom_values WHERE profile_id = ?1 AND field_key = ?2",
            )?
            .execute(params![id, key])?;
        }
        for (key, value) in &after.custom {
            if current.custom.get(key) != Some(value) {
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO profile_custom_values(profile_id, field_key, value)
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, key, value.to_string()])?;
            }
        }
    }
    Ok(())
}

/// Deletes profile `id`. Its phones, e-mails, tags, custom values, consent records, history and
/// links go with it (`ON DELETE CASCADE`), its search entry through the `profiles_search_delete`
/// trigger (and `search` drops any change it still holds for it); the linked accounts,
/// opportunities, tickets and tasks stay. While the store is connected to a server, the
/// delete goes up with `reason` as a `profile.delete` op.
pub fn delete(
    conn: &Connection,
    id: ProfileId,
    reason: &str,
    at: &str,
    writes: &mut Writes,
) -> Result<()> {
    let gid = gid_of(conn, id)?;
    // The op first: whether the profile ever went up is read from rows the removal takes with
    // it (an import's new profile waiting for its window never did).
    outbox::deleted(conn, &mut writes.ops, id, &gid, reason, at)?;
    remove(conn, id, writes)
}

/// Removes profiles `absorbed`, merged into `survivor` (their links, consent and history
/// already moved there): one `profile.merge` op for them all (`outbox::merged`; `reason` is
/// what a delete would say where the merge cannot go up as one).
pub fn merge_away(
    conn: &Connection,
    survivor: ProfileId,
    absorbed: &[ProfileId],
    reason: &str,
    at: &str,
    writes: &mut Writes,
) -> Result<()> {
    let survivor_gid = gid_of(conn, survivor)?;
    // The server must have the survivor before a merge names it: an import's new profile
    // still waiting for its window goes up now, with what it absorbed (consent events under
    // their ids among it) — sent as deletes instead, the absorbed customers' consent stayed on
    // their tombstones on the server (found by the model test).
    if let Some(due) = outbox::unsent::one(conn, survivor)? {
        send_waiting(conn, &due, at)?;
    }
    let mut gone = Vec::with_capacity(absorbed.len());
    for &id in absorbed {
        gone.push((id, gid_of(conn, id)?));
    }
    // The op first: whether an absorbed profile ever went up is read from the rows the
    // removal takes with it (an import's new profile waiting for its window).
    outbox::merged(
        conn,
        &mut writes.ops,
        (survivor, &survivor_gid),
        &gone,
        reason,
        at,
    )?;
    for &id in absorbed {
        remove(conn, id, writes)?;
    }
    Ok(())
}

/// Profile `id`'s consent history as it goes up with its create (the initial push's, or the
/// create of an import's new profile made when its window closed).
pub fn consent_events(conn: &Connection, id: ProfileId) -> Result<Vec<ConsentEvent>> {
    let rows = conn
        .prepare_cached(
            "SELECT event_id, channel, status, recorded_at, recorded_by FROM consent_records
              WHERE profile_id = ?1 AND event_id IS NOT NULL ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(
            |(event_id, channel, status, recorded_at, by)| ConsentEvent {
                event_id,
                channel,
                status: match status.as_str() {
                    "granted" => WireConsent::Granted,
                    "denied" => WireConsent::Denied,
                    _ => WireConsent::Unknown,
                },
                recorded_at,
                recorded_by: Some(by),
            },
        )
        .collect())
}

/// Makes the create of an import's new profile that waited for its undo window (`due`): from
/// the profile as it is now, with its consent history (`outbox::unsent_create`).
pub fn send_waiting(conn: &Connection, due: &outbox::unsent::Due, at: &str) -> Result<()> {
    let p = load(conn, due.id)?;
    let consent = consent_events(conn, due.id)?;
    outbox::unsent_create(conn, due, &p, consent, at)
}

/// [`delete`] of a profile the server deleted: no op.
pub fn delete_synced(conn: &Connection, id: ProfileId, writes: &mut Writes) -> Result<()> {
    remove(conn, id, writes)
}

fn remove(conn: &Connection, id: ProfileId, writes: &mut Writes) -> Result<()> {
    let removed = conn
        .prepare_cached("DELETE FROM profiles WHERE id = ?1")?
        .execute([id])?;
    if removed == 0 {
        return Err(no_profile(id));
    }
    writes.search.deleted(id);
    Ok(())
}

/// The stored values of profile `id` as a [`ValidProfile`] (what merges and edits compare).
/// The stored name of profile `id`, empty when it has none: all the rule's name guard needs
/// ([`pdesk_rule::name_guard`]).
pub fn load_name(conn: &Connection, id: ProfileId) -> Result<String> {
    let name: Option<Option<String>> = conn
        .prepare_cached("SELECT full_name FROM profiles WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(name.ok_or_else(|| no_profile(id))?.unwrap_or_default())
}

pub fn load(conn: &Connection, id: ProfileId) -> Result<ValidProfile> {
    let cols = SCALAR_COLUMNS.join(", ");
    let scalars: Option<Vec<Option<String>>> = conn
        .prepare_cached(&format!("SELECT {cols} FROM profiles WHERE id = ?1"))?
        .query_row([id], |r| {
            (0..SCALAR_COLUMNS.len()).map(|i| r.get(i)).collect()
        })
        .optional()?;
    let scalars = scalars.ok_or_else(|| no_profile(id))?;
    let mut p = ValidProfile::default();
    for (key, value) in SCALAR_COLUMNS.iter().zip(scalars) {
        if let Some(v) = value {
            p.scalars.insert(key.to_string(), v);
        }
    }
    p.phones = conn
        .prepare_cached(
            "SELECT raw, e164, label FROM profile_phones WHERE profile_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(PhoneValue {
                raw: r.get(0)?,
                e164: r.get(1)?,
                label: r.get(2)?,
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

/// Appends a consent record to profile `id` under a new event id and, while the store is
/// connected to a server, its `consent.record` op (held with import job `job`'s other ops, if
/// any). `source` is the text the history shows.
#[allow(clippy::too_many_arguments)]
pub fn append_consent(
    conn: &Connection,
    ops: &mut OpBatch,
    id: ProfileId,
    channel: &str,
    status: ConsentStatus,
    stamp: &Stamp,
    source: &str,
    job: Option<i64>,
) -> Result<()> {
    let event_id = append_consent_unsent(conn, id, channel, status, stamp, source)?;
    outbox::consent_recorded(
        conn,
        ops,
        id,
        || gid_of(conn, id),
        &event_id,
        channel,
        status.wire(),
        stamp.actor,
        stamp.at,
        job,
    )
}

/// [`append_consent`] with no op: a record the server must not get (an undo putting back the
/// consent an import changed before the import's own ops left this computer). Answers the
/// event id.
pub fn append_consent_unsent(
    conn: &Connection,
    id: ProfileId,
    channel: &str,
    status: ConsentStatus,
    stamp: &Stamp,
    source: &str,
) -> Result<String> {
    let event_id = outbox::new_id();
    if !insert_consent(conn, id, &event_id, channel, status, stamp, source)? {
        return Err(Error::Internal(format!(
            "the consent record for {channel} on profile #{id} was not written"
        )));
    }
    Ok(event_id)
}

/// A consent event the server sent, stored once (by its event id) with no op. Answers whether
/// it was new.
pub fn append_consent_synced(
    conn: &Connection,
    id: ProfileId,
    event_id: &str,
    channel: &str,
    status: ConsentStatus,
    by: &str,
    at: &str,
) -> Result<bool> {
    let stamp = Stamp { at, actor: by };
    insert_consent(conn, id, event_id, channel, status, &stamp, "Sync")
}

/// Removes profile `id`'s consent events that the server does not have — those not in
/// `server` — when the server's whole history of the profile came down (a snapshot page) and
/// this device has no op of it on its way: events the server lost in a restore from an older
/// backup, kept here by a device that had pulled them, and refused when their own device sent
/// them again. Each channel's current status is then read again from what remains. Answers
/// how many went.
pub fn drop_consent_not_on_server(
    conn: &Connection,
    id: ProfileId,
    server: &std::collections::BTreeSet<&str>,
) -> Result<usize> {
    let here: Vec<String> = conn
        .prepare_cached(
            "SELECT event_id FROM consent_records WHERE profile_id = ?1 AND event_id IS NOT NULL",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut dropped = 0;
    for event in here.iter().filter(|e| !server.contains(e.as_str())) {
        dropped += conn
            .prepare_cached("DELETE FROM consent_records WHERE profile_id = ?1 AND event_id = ?2")?
            .execute(params![id, event])?;
    }
    if dropped > 0 {
        conn.prepare_cached("DELETE FROM consent_current WHERE profile_id = ?1")?
            .execute([id])?;
        conn.prepare_cached(
            "INSERT INTO consent_current(profile_id, channel, status)
             SELECT profile_id, channel, status FROM consent_records
              WHERE id IN (SELECT MAX(id) FROM consent_records WHERE profile_id = ?1
                            GROUP BY channel)",
        )?
        .execute([id])?;
    }
    Ok(dropped)
}

/// The consent record itself, once per event id; whether it was new.
fn insert_consent(
    conn: &Connection,
    id: ProfileId,
    event_id: &str,
    channel: &str,
    status: ConsentStatus,
    stamp: &Stamp,
    source: &str,
) -> Result<bool> {
    let written = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO consent_records(profile_id, channel, status, recorded_by,
                                                  recorded_at, source, event_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            id,
            channel,
            status.as_str(),
            stamp.actor,
            stamp.at,
            source,
            event_id
        ])?;
    Ok(written == 1)
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
    record_history_as(conn, id, stamp, kind, &source.label(), matched_by, changes)
}

/// [`record_history`] with the source as the text the history shows (e.g. "Merge review 4").
pub fn record_history_as(
    conn: &Connection,
    id: ProfileId,
    stamp: &Stamp,
    kind: &str,
    source: &str,
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
        source,
        matched_by,
        serde_json::to_string(changes).unwrap_or_else(|_| "[]".into()),
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ProfileMeta;

    #[test]
    fn profile_meta_width_counts_its_columns() {
        assert_eq!(ProfileMeta::COLUMNS.split(',').count(), ProfileMeta::WIDTH);
    }
}
