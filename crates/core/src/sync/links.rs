//! Linked objects as the server delivers them (issue 13; protocol.md "profile": `links`): the
//! accounts, opportunities, tickets and tasks a profile's state carries are written into the
//! local object and link tables, keyed by the server's id (migration 0020), so the detail
//! screen lists them and the delete dialog counts them like any others. A state is the whole
//! truth about its server links: the ones it no longer names are unlinked here (the objects
//! stay, as a local delete leaves them). Objects made here (no server id) are left alone.

use std::collections::BTreeSet;

use rusqlite::{params, Transaction};

use crate::error::Result;
use crate::model::ProfileId;
use pdesk_sync_proto::links::{LinkKind, LinkedObject};

/// Where a kind of object lives here: its table, its title column, its link table and the link
/// table's object column.
struct Tables {
    objects: &'static str,
    title: &'static str,
    links: &'static str,
    column: &'static str,
}

fn tables(kind: LinkKind) -> Tables {
    match kind {
        LinkKind::Account => Tables {
            objects: "accounts",
            title: "name",
            links: "profile_accounts",
            column: "account_id",
        },
        LinkKind::Opportunity => Tables {
            objects: "opportunities",
            title: "title",
            links: "profile_opportunities",
            column: "opportunity_id",
        },
        LinkKind::Ticket => Tables {
            objects: "tickets",
            title: "title",
            links: "profile_tickets",
            column: "ticket_id",
        },
        LinkKind::Task => Tables {
            objects: "tasks",
            title: "title",
            links: "profile_tasks",
            column: "task_id",
        },
    }
}

/// Makes profile `id`'s server links exactly `links` (objects added or updated by server id;
/// links the state no longer names removed). Answers whether anything changed.
pub(super) fn write(
    tx: &Transaction,
    id: ProfileId,
    links: &[LinkedObject],
    at: &str,
) -> Result<bool> {
    let mut changed = false;
    for kind in LinkKind::ALL {
        let t = tables(kind);
        let mut wanted = BTreeSet::new();
        for link in links.iter().filter(|l| l.kind == kind) {
            let upsert = format!(
                "INSERT INTO {objects}({title}, status, created_at, updated_at, server_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(server_id) DO UPDATE SET {title} = excluded.{title},
                     status = excluded.status,
                     updated_at = CASE WHEN {title} IS excluded.{title} AND status IS excluded.status
                                       THEN updated_at ELSE excluded.updated_at END
                 RETURNING id",
                objects = t.objects,
                title = t.title,
            );
            let object: i64 = tx.prepare_cached(&upsert)?.query_row(
                params![link.title, link.status, link.created_at, at, link.id],
                |r| r.get(0),
            )?;
            wanted.insert(object);
        }
        let current: BTreeSet<i64> = tx
            .prepare_cached(&format!(
                "SELECT l.{column} FROM {links} l JOIN {objects} o ON o.id = l.{column}
                  WHERE l.profile_id = ?1 AND o.server_id IS NOT NULL",
                column = t.column,
                links = t.links,
                objects = t.objects,
            ))?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for gone in current.difference(&wanted) {
            tx.prepare_cached(&format!(
                "DELETE FROM {links} WHERE profile_id = ?1 AND {column} = ?2",
                links = t.links,
                column = t.column,
            ))?
            .execute(params![id, gone])?;
            changed = true;
        }
        for new in wanted.difference(&current) {
            tx.prepare_cached(&format!(
                "INSERT OR IGNORE INTO {links}(profile_id, {column}) VALUES (?1, ?2)",
                links = t.links,
                column = t.column,
            ))?
            .execute(params![id, new])?;
            changed = true;
        }
    }
    Ok(changed)
}
