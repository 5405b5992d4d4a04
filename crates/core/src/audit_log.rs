//! The audit screen (SPEC 1, permission `audit.view`): entries filtered by action, user and
//! time, newest first, with a sentence per entry; the same filter exported to .xlsx (audited
//! itself). The chain check is [`Store::verify_audit`].

use std::path::Path;

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::audit::AuditRow;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::store::Store;

/// Most entries one page holds.
pub const MAX_AUDIT_PAGE: u32 = 500;
/// Most entries one export writes.
pub const MAX_AUDIT_EXPORT: u32 = 1_000_000;

/// Which entries to show. Times are RFC 3339 instants (the window turns the user's local
/// dates into them): `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Entries older than this id (the next page).
    pub before_id: Option<i64>,
    pub limit: u32,
}

/// One entry as the audit screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// What happened, in a sentence (never personal data: the entries hold none).
    pub summary: String,
    /// The entry's details as stored (JSON text).
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Entries matching the filter, all pages together.
    pub total: u32,
    pub has_more: bool,
}

/// The values the filters offer: every action and user that occurs in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AuditFilters {
    pub actions: Vec<String>,
    pub actors: Vec<String>,
}

fn check_instant(field: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let t = time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            Error::from(
                crate::model::FieldError::new(
                    field,
                    "invalidTime",
                    format!("“{v}” is not a date and time"),
                )
                .with("value", v),
            )
        })?;
    Ok(Some(crate::clock::format(t)))
}

/// The WHERE clause and parameters of a query (without paging).
fn filter(q: &AuditQuery) -> Result<(String, Vec<Value>)> {
    let mut clauses = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if let Some(a) = q.action.as_deref().filter(|a| !a.is_empty()) {
        params.push(a.to_string().into());
        clauses.push(format!("action = ?{}", params.len()));
    }
    if let Some(a) = q.actor.as_deref().filter(|a| !a.is_empty()) {
        params.push(a.to_string().into());
        clauses.push(format!("actor = ?{}", params.len()));
    }
    if let Some(from) = check_instant("from", &q.from)? {
        params.push(from.into());
        clauses.push(format!("at >= ?{}", params.len()));
    }
    if let Some(to) = check_instant("to", &q.to)? {
        params.push(to.into());
        clauses.push(format!("at < ?{}", params.len()));
    }
    let clause = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    Ok((clause, params))
}

fn text(v: &Json, key: &str) -> String {
    match v.get(key) {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn name_of(target: &str) -> &str {
    target.split_once(':').map_or(target, |(_, n)| n)
}

/// "2 accounts, 1 ticket" from `{"accounts":2,"tickets":1,...}` (zeros left out).
fn links(v: &Json) -> String {
    let Some(map) = v.as_object() else {
        return String::new();
    };
    let parts: Vec<String> = map
        .iter()
        .filter_map(|(k, n)| {
            let n = n.as_u64().filter(|n| *n > 0)?;
            let one = k
                .strip_suffix('s')
                .unwrap_or(k)
                .replace("opportunitie", "opportunity");
            Some(if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {k}")
            })
        })
        .collect();
    if parts.is_empty() {
        "no links".into()
    } else {
        parts.join(", ")
    }
}

/// "#3, #4" from `[3, 4]`.
fn profile_ids(v: &Json) -> String {
    v.as_array()
        .map(|ids| {
            ids.iter()
                .map(|id| format!("#{}", plain(id)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// A merge review decision (`profiles::review`).
fn review_sentence(target: &str, d: &Json) -> String {
    if let Some(job) = target.strip_prefix("job:") {
        let n = d["reviews"].as_array().map_or(0, Vec::len);
        return format!(
            "Discarded {n} open merge review{} of import job {job} (the import was undone)",
            if n == 1 { "" } else { "s" }
        );
    }
    let what = match text(d, "action").as_str() {
        "attach" => format!("attached to profile #{}", text(d, "profileId")),
        "mergeAll" if d["removed"].as_array().is_some_and(|r| !r.is_empty()) => format!(
            "merged profile{} {} into profile #{}",
            if d["removed"].as_array().map_or(0, Vec::len) > 1 {
                "s"
            } else {
                ""
            },
            profile_ids(&d["removed"]),
            text(d, "profileId")
        ),
        "mergeAll" => format!("merged into profile #{}", text(d, "profileId")),
        "createNew" => format!("created profile #{}", text(d, "profileId")),
        "dismiss" => "discarded the incoming data".to_string(),
        other => other.to_string(),
    };
    format!("Merge review {} resolved: {what}", text(d, "review"))
}

/// The field names an entry lists, joined ("no fields" when none).
fn field_names(v: &Json) -> String {
    let names: Vec<&str> = v
        .as_array()
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    if names.is_empty() {
        "no fields".into()
    } else {
        names.join(", ")
    }
}

/// The sentence the audit screen shows for an entry.
pub fn summary(action: &str, target: &str, details: &str) -> String {
    let d: Json = serde_json::from_str(details).unwrap_or(Json::Null);
    let who = name_of(target);
    match action {
        "profile.delete" => format!(
            "Deleted profile #{} {} — reason: “{}” ({} removed)",
            text(&d, "profileId"),
            text(&d, "label"),
            text(&d, "reason"),
            links(&d["removedLinks"])
        ),
        "profile.create" => format!(
            "Created profile #{} {} ({})",
            text(&d, "profileId"),
            text(&d, "label"),
            field_names(&d["fields"])
        ),
        "profile.edit" => format!(
            "Edited profile #{} {} ({})",
            text(&d, "profileId"),
            text(&d, "label"),
            match (field_names(&d["fields"]), d["consentChannels"].as_u64().unwrap_or(0)) {
                (f, 0) => f,
                (f, n) if f == "no fields" => format!("consent of {n} channel(s)"),
                (f, n) => format!("{f}; consent of {n} channel(s)"),
            }
        ),
        "auth.first_run" => format!(
            "Set up Profile Desk as its administrator (default phone region {})",
            text(&d, "region")
        ),
        "auth.sign_in" if d["automatic"] == Json::Bool(true) => {
            "Signed in (the only user: no sign-in screen)".into()
        }
        "auth.sign_in" => "Signed in".into(),
        "auth.sign_in_failed" => format!(
            "Wrong password for {who} (attempt {}){}",
            text(&d, "attempt"),
            if d["paused"] == Json::Bool(true) {
                "; sign-in paused for 30 seconds"
            } else {
                ""
            }
        ),
        "auth.unlock" => "Unlocked the session".into(),
        "auth.lock" => "Session locked".into(),
        "auth.sign_out" => "Signed out".into(),
        "user.add" => format!("Added user {who} with the role {}", text(&d, "role")),
        "user.update" => {
            let parts: Vec<String> = d
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            let label = if k == "displayName" {
                                "name"
                            } else {
                                k.as_str()
                            };
                            format!("{label} {} → {}", plain(&v[0]), plain(&v[1]))
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("Changed user {who}: {}", parts.join(", "))
        }
        "user.password" => format!("Changed the password of {who}"),
        "role.add" => format!("Added the role {who}: {}", join(&d["permissions"])),
        "role.update" => format!(
            "Changed the role {who}: {}",
            join(&d["permissions"]["after"])
        ),
        "role.delete" => format!("Deleted the role {who}"),
        "import.confirm" => format!(
            "Confirmed the import of {} ({} rows)",
            text(&d, "file"),
            text(&d, "rows")
        ),
        "import.undo" => format!("Undid import {target}"),
        "import.cancel" => format!("Cancelled import {target}"),
        "settings.limits" => {
            let parts: Vec<String> = d["changes"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            format!("{} {} → {}", k.replace('_', " "), v["before"], v["after"])
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("Changed limits: {}", parts.join(", "))
        }
        "settings.consent_channel" => match text(&d, "change").as_str() {
            "added" => format!("Added the consent channel {}", text(&d, "label")),
            "renamed" => format!(
                "Renamed the consent channel {} to {}",
                text(&d, "before"),
                text(&d, "after")
            ),
            "reordered" => format!("Reordered the consent channels: {}", join(&d["order"])),
            "removed" => format!("Removed the consent channel {}", text(&d, "label")),
            other => format!("Changed the consent channels ({other})"),
        },
        "settings.idle_lock" => format!(
            "Changed the idle lock from {} to {} minutes",
            text(&d, "before"),
            text(&d, "after")
        ),
        "settings.sync_rule" => format!(
            "Changed the synchronization rule: match by {}, region {}, {}",
            join(&d["matchKeys"]),
            text(&d, "region"),
            text(&d, "mergePolicy").replace('_', " ")
        ),
        "audit.export" => format!("Exported {} audit entries", text(&d, "rows")),
        // An export's entry names what left the store and where, not its raw details.
        "export" => format!(
            "Exported {} profiles ({}) to {}",
            text(&d, "rows"),
            text(&d, "filter"),
            text(&d, "destination")
        ),
        "export.save" => format!(
            "Saved export {} ({} profiles) as {}",
            target.trim_start_matches("export:"),
            text(&d, "rows"),
            text(&d, "destination")
        ),
        "import.failed_rows" => format!(
            "Saved the {} failed rows of import {}",
            text(&d, "rows"),
            text(&d, "job")
        ),
        "mail.sent" => format!(
            "E-mailed the result of {} {} to {} ({} rows attached)",
            text(&d, "kind"),
            text(&d, "job"),
            text(&d, "recipient"),
            text(&d, "attachedRows")
        ),
        "user.mail_address" => format!(
            "Set where the results of {who} are e-mailed: {}",
            text(&d, "after")
        ),
        "sync.connect" => format!(
            "Connected this computer to {} as {} (device “{}”)",
            text(&d, "server"),
            text(&d, "user"),
            text(&d, "device")
        ),
        "sync.disconnect" => format!(
            "Disconnected this computer from {} ({} changes not sent were discarded)",
            text(&d, "server"),
            text(&d, "discardedOps")
        ),
        "sync.pull" => format!(
            "Took the server's changes: {} profiles ({} deleted), {} consent records",
            text(&d, "profiles"),
            text(&d, "deleted"),
            text(&d, "consentEvents")
        ),
        "sync.settings" => format!(
            "Imported changes now wait {} minutes before they are sent",
            text(&d, "importHoldMinutes")
        ),
        "sync.retry" => format!(
            "Sent again a change the server refused ({}, refused for {})",
            text(&d, "kind"),
            text(&d, "refusedFor")
        ),
        "sync.discard" => format!(
            "Discarded a change the server refused ({}, refused for {})",
            text(&d, "kind"),
            text(&d, "refusedFor")
        ),
        "import.template" => format!(
            "Wrote the import template ({} columns, {}) to {}",
            text(&d, "columns"),
            text(&d, "language"),
            text(&d, "destination")
        ),
        "backup.write" => format!(
            "Backed up the database ({} profiles) to {target}",
            text(&d, "profiles")
        ),
        "backup.restore" => format!(
            "Restored the database from {target} ({} profiles); the data before is kept in {}",
            text(&d, "profiles"),
            text(&d, "savedCurrentAs")
        ),
        "backup.recover" => format!(
            "Replaced the damaged database with the backup {target} ({} profiles); the damaged file is kept as {}",
            text(&d, "profiles"),
            text(&d, "damagedKeptAs")
        ),
        "settings.backup" => format!(
            "Changed the backup settings: folder {}, keep {}, daily backup {}",
            text(&d["after"], "folder"),
            text(&d["after"], "keep"),
            if d["after"]["autoDaily"] == Json::Bool(true) { "on" } else { "off" }
        ),
        "review.resolve" => review_sentence(target, &d),
        "profile.merge" => format!(
            "Merged profile #{} {} into profile #{} (merge review {}; {} moved)",
            text(&d, "profileId"),
            text(&d, "label"),
            text(&d, "mergedInto"),
            text(&d, "review"),
            links(&d["moved"]["links"])
        ),
        _ => {
            let what = d
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}: {}", plain(v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let target = if target.is_empty() {
                String::new()
            } else {
                format!(" {target}")
            };
            format!(
                "{action}{target}{}",
                if what.is_empty() {
                    String::new()
                } else {
                    format!(" ({what})")
                }
            )
        }
    }
}

/// A JSON value as text: strings without quotes.
fn plain(v: &Json) -> String {
    v.as_str()
        .map(String::from)
        .unwrap_or_else(|| v.to_string())
}

fn join(v: &Json) -> String {
    v.as_array()
        .map(|a| a.iter().map(plain).collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

impl Store {
    /// A page of the audit log, newest first, with the filter's total.
    pub fn audit_entries(&self, actor: &Actor, query: &AuditQuery) -> Result<AuditPage> {
        actor.require(Permission::AuditView)?;
        let (clause, mut params) = filter(query)?;
        let total: u32 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM audit_log {clause}"),
            rusqlite::params_from_iter(params.iter()),
            |r| r.get(0),
        )?;
        let limit = query.limit.clamp(1, MAX_AUDIT_PAGE);
        let mut clause = clause;
        if let Some(before) = query.before_id {
            params.push(before.into());
            let cond = format!("id < ?{}", params.len());
            clause = if clause.is_empty() {
                format!("WHERE {cond}")
            } else {
                format!("{clause} AND {cond}")
            };
        }
        params.push(i64::from(limit + 1).into());
        let sql = format!(
            "SELECT {} FROM audit_log {clause} ORDER BY id DESC LIMIT ?{}",
            AuditRow::COLUMNS,
            params.len()
        );
        let mut entries = self.read_entries(&sql, &params)?;
        let has_more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        Ok(AuditPage {
            entries,
            total,
            has_more,
        })
    }

    fn read_entries(&self, sql: &str, params: &[Value]) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
            let row = AuditRow::from_row(r)?;
            Ok(AuditEntry {
                id: row.id,
                at: row.at,
                actor: row.actor,
                summary: summary(&row.action, &row.target, &row.details),
                action: row.action,
                target: row.target,
                details: row.details,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every action and user that occurs in the log, for the filters.
    pub fn audit_filters(&self, actor: &Actor) -> Result<AuditFilters> {
        actor.require(Permission::AuditView)?;
        let distinct = |column: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT DISTINCT {column} FROM audit_log ORDER BY {column}"
            ))?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(AuditFilters {
            actions: distinct("action")?,
            actors: distinct("actor")?,
        })
    }

    /// Writes the entries matching `query` (all pages, newest first) as .xlsx at `out`; the
    /// export itself is audited. Returns how many entries were written.
    pub fn export_audit(&mut self, actor: &Actor, query: &AuditQuery, out: &Path) -> Result<u32> {
        actor.require(Permission::AuditView)?;
        let (clause, mut params) = filter(query)?;
        params.push(i64::from(MAX_AUDIT_EXPORT).into());
        let entries = self.read_entries(
            &format!(
                "SELECT {} FROM audit_log {clause} ORDER BY id DESC LIMIT ?{}",
                AuditRow::COLUMNS,
                params.len()
            ),
            &params,
        )?;
        let xlsx = |e: rust_xlsxwriter::XlsxError| {
            Error::Internal(format!("writing {}: {e}", out.display()))
        };
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let when = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx)?;
        sheet.set_name("Audit log").map_err(xlsx)?;
        let headers = [
            "Entry",
            "Time (UTC)",
            "User",
            "Action",
            "Target",
            "What happened",
            "Details",
        ];
        for (c, (h, w)) in headers.iter().zip([8, 20, 16, 24, 22, 70, 60]).enumerate() {
            sheet.set_column_width(c as u16, w).map_err(xlsx)?;
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xlsx)?;
        }
        for (i, e) in entries.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_number(row, 0, e.id as f64).map_err(xlsx)?;
            match rust_xlsxwriter::ExcelDateTime::parse_from_str(&e.at) {
                Ok(t) => sheet
                    .write_datetime_with_format(row, 1, &t, &when)
                    .map_err(xlsx)?,
                Err(_) => sheet.write_string(row, 1, &e.at).map_err(xlsx)?,
            };
            // Strings, never formulas: a user name or reason starting with `=` stays text, even
            // when edited in Excel (quote prefix).
            for (c, v) in [&e.actor, &e.action, &e.target, &e.summary, &e.details]
                .into_iter()
                .enumerate()
            {
                crate::export::write_text_cell(sheet, row, c as u16 + 2, v).map_err(xlsx)?;
            }
        }
        // Never a half-written workbook under the name the user chose (`files`).
        crate::files::write_then_publish(out, crate::files::hidden_temp(out, ""), |temp| {
            workbook.save(temp).map_err(xlsx)
        })?;
        let rows = entries.len() as u32;
        crate::audit::append(
            &self.conn,
            &self.now(),
            actor,
            "audit.export",
            "audit",
            serde_json::json!({
                "rows": rows,
                "action": query.action, "actor": query.actor, "from": query.from, "to": query.to,
            }),
        )?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_say_what_happened() {
        assert_eq!(
            summary(
                "user.update",
                "user:sam",
                r#"{"role":["Sales","Viewer"],"active":[true,false]}"#
            ),
            "Changed user sam: active true → false, role Sales → Viewer",
            "user changes say before and after"
        );
        let delete = r#"{"profileId":7,"label":"Ng*** V** A","reason":"Duplicate","removedLinks":{"accounts":2,"opportunities":1,"tickets":0,"tasks":0},"batchSize":2}"#;
        assert_eq!(
            summary("profile.delete", "profile:7", delete),
            "Deleted profile #7 Ng*** V** A — reason: “Duplicate” (2 accounts, 1 opportunity removed)",
            "a deletion names the masked label, the reason and the links"
        );
        assert_eq!(
            summary(
                "settings.limits",
                "settings:limits",
                r#"{"changes":{"paste_rows":{"before":1000,"after":5}}}"#
            ),
            "Changed limits: paste rows 1000 → 5",
            "limits say before and after"
        );
        assert_eq!(
            summary(
                "auth.sign_in_failed",
                "user:sam",
                r#"{"attempt":5,"paused":true}"#
            ),
            "Wrong password for sam (attempt 5); sign-in paused for 30 seconds",
            "failed sign-ins"
        );
        assert_eq!(
            summary(
                "backup.restore",
                "/media/usb/profile-desk-20250102T101112Z-manual.db",
                r#"{"profiles":1200,"backupSchemaVersion":4,"savedCurrentAs":"/b/profile-desk-20250103T080000Z-before-restore.db"}"#
            ),
            "Restored the database from /media/usb/profile-desk-20250102T101112Z-manual.db (1200 profiles); the data before is kept in /b/profile-desk-20250103T080000Z-before-restore.db",
            "a restore names the backup and where the replaced data went"
        );
        assert_eq!(
            summary(
                "settings.backup",
                "settings:backup",
                r#"{"before":{"folder":"/a","keep":7,"autoDaily":true},"after":{"folder":"/media/usb","keep":3,"autoDaily":false}}"#
            ),
            "Changed the backup settings: folder /media/usb, keep 3, daily backup off",
            "backup settings say the new values"
        );
        assert_eq!(
            summary(
                "export",
                "export:4",
                r#"{"filter":"City is Hà Nội","fields":"displayed","columns":["full_name","phones"],"rows":120,"destination":"/home/lan/profiles-export-4.xlsx"}"#
            ),
            "Exported 120 profiles (City is Hà Nội) to /home/lan/profiles-export-4.xlsx",
            "an export says what left and where, not its raw details"
        );
        assert_eq!(
            summary(
                "sync.pull",
                "sync",
                r#"{"profiles":12,"deleted":1,"consentEvents":3}"#
            ),
            "Took the server's changes: 12 profiles (1 deleted), 3 consent records",
            "a pull says what came down"
        );
        assert_eq!(
            summary(
                "mail.sent",
                "user:lan",
                r#"{"job":7,"kind":"import","recipient":"lan@congty.vn","attachedRows":5}"#
            ),
            "E-mailed the result of import 7 to lan@congty.vn (5 rows attached)",
            "customer data that left by e-mail: to whom, how much"
        );
        assert_eq!(
            summary("custom.thing", "x:1", r#"{"a":"b"}"#),
            "custom.thing x:1 (a: b)",
            "unknown actions still read"
        );
    }
}
