//! The CRM objects linked to profiles (accounts, opportunities, tickets, tasks), kept by the
//! server and delivered inside each profile's state. Creating one is a change of its profile
//! (rev + 1, a feed entry), so every client gets it with the profile; a merge moves the
//! absorbed profiles' links to the survivor, and a delete removes them.

use std::collections::HashMap;

use pdesk_normalize::clean_text;
use pdesk_sync_proto::links::{CreateLink, LinkCreated, LinkKind, LinkedObject};
use pdesk_sync_proto::ProblemCode;

use crate::accounts::{AdminError, Refused};
use crate::clock::rfc3339;
use crate::config::ServerConfig;
use crate::db::{DbError, Sql, Val};
use crate::error::{Result, ServerError};
use crate::feed::Touched;
use crate::ids::new_id;
use crate::record::ProfileRecord;

/// Longest title or status kept (characters), as the app's one-line fields.
const MAX_TEXT: usize = 1_000;

pub fn of_profile(sql: &mut dyn Sql, gid: &str) -> Result<Vec<LinkedObject>, DbError> {
    Ok(of_profiles(sql, &[gid])?.remove(gid).unwrap_or_default())
}

/// The links of each of `gids` (those with none are absent), in a few set queries.
pub fn of_profiles(
    sql: &mut dyn Sql,
    gids: &[&str],
) -> Result<HashMap<String, Vec<LinkedObject>>, DbError> {
    let rows = crate::db::query_in(
        sql,
        "SELECT gid, id, kind, title, status, created_at FROM links WHERE gid",
        &[],
        gids,
        "ORDER BY gid, created_at, id",
    )?;
    let mut links: HashMap<String, Vec<LinkedObject>> = HashMap::new();
    for r in rows {
        let Some(kind) = LinkKind::parse(&r.text(2)) else {
            continue;
        };
        links.entry(r.text(0)).or_default().push(LinkedObject {
            id: r.text(1),
            kind,
            title: r.text(3),
            status: r.text(4),
            created_at: r.text(5),
        });
    }
    Ok(links)
}

pub fn remove_all(sql: &mut dyn Sql, gid: &str) -> Result<(), DbError> {
    sql.execute("DELETE FROM links WHERE gid = $1", &[gid.into()])?;
    Ok(())
}

pub fn move_all(sql: &mut dyn Sql, from: &str, to: &str) -> Result<(), DbError> {
    sql.execute(
        "UPDATE links SET gid = $1 WHERE gid = $2",
        &[to.into(), from.into()],
    )?;
    Ok(())
}

/// Links a new object to a live profile (a gid merged away is followed to its survivor), in
/// the open write transaction, and stamps the profile's change into the feed. Answers what to
/// wake.
pub fn create(
    sql: &mut dyn Sql,
    request: &CreateLink,
    now_ms: u64,
) -> Result<(LinkCreated, Touched)> {
    let title = clean_text(&request.title);
    let status = clean_text(request.status.as_deref().unwrap_or("open"));
    if title.is_empty() || title.chars().count() > MAX_TEXT {
        return Err(ServerError::new(
            ProblemCode::Malformed,
            format!("a link's title has 1 to {MAX_TEXT} characters"),
        ));
    }
    if status.is_empty() || status.chars().count() > MAX_TEXT {
        return Err(ServerError::new(
            ProblemCode::Malformed,
            format!("a link's status has 1 to {MAX_TEXT} characters"),
        ));
    }
    let record = ProfileRecord::load_following(sql, &request.profile)?;
    let Some(mut record) = record.filter(|r| !r.deleted) else {
        return Err(ServerError::new(
            ProblemCode::NotFound,
            format!("there is no live profile {} on the server", request.profile),
        ));
    };
    let link = LinkedObject {
        id: new_id("ln_", now_ms),
        kind: request.kind,
        title,
        status,
        created_at: rfc3339(now_ms),
    };
    sql.execute(
        "INSERT INTO links (id, gid, kind, title, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            link.id.as_str().into(),
            record.gid.as_str().into(),
            link.kind.as_str().into(),
            link.title.as_str().into(),
            link.status.as_str().into(),
            link.created_at.as_str().into(),
        ],
    )?;
    let before = (record.rev, true);
    record.rev += 1;
    record.updated_at = rfc3339(now_ms);
    record.save(sql)?;
    let mut touched = Touched::default();
    touched.profile(&record.gid, Some(before), (record.rev, true));
    touched.commit(sql)?;
    Ok((
        LinkCreated {
            link,
            profile: record.gid.clone(),
            rev: record.rev,
        },
        touched,
    ))
}

/// `link add --profile PHONE|EMAIL|CODE`: the one live profile that holds this identifier.
pub fn profile_by_identifier(
    sql: &mut dyn Sql,
    identifier: &str,
) -> std::result::Result<String, AdminError> {
    let config = ServerConfig::load(sql)?;
    let text = identifier.trim();
    let (kind, key) = if text.contains('@') {
        ("email", pdesk_normalize::email_key(text))
    } else if let Ok(e164) = pdesk_normalize::normalize_phone(text, config.region()) {
        ("phone", e164)
    } else {
        ("code", text.to_string())
    };
    let mut gids: Vec<String> = sql
        .query(
            "SELECT gid FROM identifiers WHERE kind = $1 AND k = $2 ORDER BY gid",
            &[kind.into(), key.as_str().into()],
        )?
        .iter()
        .map(|r| r.text(0))
        .collect();
    // A customer code may look like a phone number: look it up as a code too.
    if gids.is_empty() && kind == "phone" {
        gids = sql
            .query(
                "SELECT gid FROM identifiers WHERE kind = 'code' AND k = $1 ORDER BY gid",
                &[Val::from(text)],
            )?
            .iter()
            .map(|r| r.text(0))
            .collect();
    }
    match gids.len() {
        0 => Err(Refused(format!("no live profile holds {text}")).into()),
        1 => Ok(gids.remove(0)),
        n => Err(Refused(format!(
            "{n} profiles hold {text}: name the profile by its customer code or another identifier"
        ))
        .into()),
    }
}
