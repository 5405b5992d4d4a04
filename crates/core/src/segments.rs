//! Saved segments (SPEC 2): a named filter — search text, conditions and sort — with the
//! displayed columns, saved per user and listed in the list screen's side panel.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::filter::ListQuery;
use crate::model::{FieldError, Lang};
use crate::store::Store;

/// Longest segment name (characters).
pub const MAX_SEGMENT_NAME: usize = 80;
/// Most segments one user may keep.
pub const MAX_SEGMENTS: usize = 200;

/// A saved segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub query: ListQuery,
    pub columns: Vec<String>,
    /// How the filter reads ("City is Hà Nội · E-mail consent: granted").
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A segment as stored, its query and columns still JSON.
struct SegmentRow {
    id: i64,
    name: String,
    /// JSON [`ListQuery`].
    query: String,
    /// JSON list of field keys.
    columns: String,
    created_at: String,
    updated_at: String,
}

impl SegmentRow {
    /// The columns of `segments` [`SegmentRow::from_row`] reads, in its order.
    const COLUMNS: &'static str = "id, name, query, columns, created_at, updated_at";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            name: r.get(1)?,
            query: r.get(2)?,
            columns: r.get(3)?,
            created_at: r.get(4)?,
            updated_at: r.get(5)?,
        })
    }
}

impl Store {
    /// The acting user's segments, by name.
    pub fn segments(&self, actor: &Actor) -> Result<Vec<Segment>> {
        actor.require(Permission::ProfileView)?;
        self.segments_where("user_id = ?1", params![actor.user_id])
    }

    fn segments_where(&self, clause: &str, p: impl rusqlite::Params) -> Result<Vec<Segment>> {
        let fields = self.fields()?;
        let channels = self.consent_channels()?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM segments WHERE {clause} ORDER BY name COLLATE NOCASE, id",
            SegmentRow::COLUMNS
        ))?;
        let rows = stmt.query_map(p, SegmentRow::from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let SegmentRow {
                id,
                name,
                query,
                columns,
                created_at,
                updated_at,
            } = row?;
            let query: ListQuery = serde_json::from_str(&query)
                .map_err(|e| Error::Internal(format!("segment {id}: {e}")))?;
            let columns: Vec<String> = serde_json::from_str(&columns).unwrap_or_default();
            out.push(Segment {
                id,
                description: crate::filter::describe(&query, &fields, &channels, Lang::En),
                name,
                query,
                columns,
                created_at,
                updated_at,
            });
        }
        Ok(out)
    }

    fn segment(&self, actor: &Actor, id: i64) -> Result<Segment> {
        self.segments_where("id = ?1 AND user_id = ?2", params![id, actor.user_id])?
            .pop()
            .ok_or_else(|| no_segment(id))
    }

    /// Checks a segment's content: the query compiles (fields, operators and values are valid)
    /// and the columns are known. Returns the query as stored (without the time zone, which
    /// is the viewer's) and the columns.
    fn checked_content(&self, query: &ListQuery, columns: &[String]) -> Result<(String, String)> {
        self.plan_query(query)?;
        let fields = self.fields()?;
        let mut cols: Vec<&String> = Vec::new();
        for c in columns {
            if !fields.iter().any(|f| &f.key == c && !f.hidden) {
                return Err(Error::conflict(
                    "noFieldToDisplay",
                    serde_json::json!({ "key": c }),
                    format!("There is no field “{c}” to display"),
                ));
            }
            if !cols.contains(&c) {
                cols.push(c);
            }
        }
        if cols.is_empty() {
            return Err(Error::conflict(
                "noSegmentColumns",
                serde_json::Value::Null,
                "A segment displays at least one column",
            ));
        }
        let stored = ListQuery {
            utc_offset_minutes: 0,
            ..query.clone()
        };
        Ok((
            serde_json::to_string(&stored).unwrap_or_default(),
            serde_json::to_string(&cols).unwrap_or_default(),
        ))
    }

    fn checked_name(&self, actor: &Actor, name: &str, except: Option<i64>) -> Result<String> {
        let name = pdesk_normalize::clean_text(name);
        if name.is_empty() {
            return Err(
                FieldError::new("name", "required", "Give the segment a name".into()).into(),
            );
        }
        if name.chars().count() > MAX_SEGMENT_NAME {
            return Err(FieldError::new(
                "name",
                "tooLong",
                format!("A segment name is limited to {MAX_SEGMENT_NAME} characters"),
            )
            .with("max", MAX_SEGMENT_NAME)
            .into());
        }
        let taken: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM segments WHERE user_id = ?1 AND name = ?2 COLLATE NOCASE",
                params![actor.user_id, name],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some_and(|id| Some(id) != except) {
            return Err(FieldError::new(
                "name",
                "duplicate",
                format!("You already have a segment named “{name}”"),
            )
            .with("value", &name)
            .into());
        }
        Ok(name)
    }

    /// Saves the current filter and columns as a new segment named `name`.
    pub fn create_segment(
        &mut self,
        actor: &Actor,
        name: &str,
        query: &ListQuery,
        columns: &[String],
    ) -> Result<Segment> {
        actor.require(Permission::ProfileView)?;
        let name = self.checked_name(actor, name, None)?;
        let (query, columns) = self.checked_content(query, columns)?;
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM segments WHERE user_id = ?1",
            [actor.user_id],
            |r| r.get(0),
        )?;
        if count >= MAX_SEGMENTS as i64 {
            return Err(Error::limit(
                "tooManySegments",
                serde_json::json!({ "limit": MAX_SEGMENTS }),
                format!("You can keep at most {MAX_SEGMENTS} segments; delete some first"),
            ));
        }
        let now = self.now();
        self.conn.execute(
            "INSERT INTO segments(user_id, name, query, columns, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![actor.user_id, name, query, columns, now],
        )?;
        let id = self.conn.last_insert_rowid();
        self.segment(actor, id)
    }

    /// Replaces a segment's filter and columns with the current ones.
    pub fn update_segment(
        &mut self,
        actor: &Actor,
        id: i64,
        query: &ListQuery,
        columns: &[String],
    ) -> Result<Segment> {
        actor.require(Permission::ProfileView)?;
        self.segment(actor, id)?;
        let (query, columns) = self.checked_content(query, columns)?;
        self.conn.execute(
            "UPDATE segments SET query = ?3, columns = ?4, updated_at = ?5
              WHERE id = ?1 AND user_id = ?2",
            params![id, actor.user_id, query, columns, self.now()],
        )?;
        self.segment(actor, id)
    }

    pub fn rename_segment(&mut self, actor: &Actor, id: i64, name: &str) -> Result<Segment> {
        actor.require(Permission::ProfileView)?;
        self.segment(actor, id)?;
        let name = self.checked_name(actor, name, Some(id))?;
        self.conn.execute(
            "UPDATE segments SET name = ?3, updated_at = ?4 WHERE id = ?1 AND user_id = ?2",
            params![id, actor.user_id, name, self.now()],
        )?;
        self.segment(actor, id)
    }

    pub fn delete_segment(&mut self, actor: &Actor, id: i64) -> Result<()> {
        actor.require(Permission::ProfileView)?;
        let removed = self.conn.execute(
            "DELETE FROM segments WHERE id = ?1 AND user_id = ?2",
            params![id, actor.user_id],
        )?;
        if removed == 0 {
            return Err(no_segment(id));
        }
        Ok(())
    }

    /// A segment of the acting user by name (the CLI's `--segment`).
    pub fn segment_by_name(&self, actor: &Actor, name: &str) -> Result<Segment> {
        actor.require(Permission::ProfileView)?;
        self.segments_where(
            "user_id = ?1 AND name = ?2 COLLATE NOCASE",
            params![actor.user_id, name.trim()],
        )?
        .pop()
        .ok_or_else(|| {
            let name = name.trim();
            Error::not_found(
                "noSegmentNamed",
                serde_json::json!({ "name": name }),
                format!("You have no segment named “{name}”"),
            )
        })
    }
}

fn no_segment(id: i64) -> Error {
    Error::not_found(
        "noSegment",
        serde_json::json!({ "id": id }),
        format!("There is no segment {id}"),
    )
}
