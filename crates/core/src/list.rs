//! The profile list (SPEC 2): pages of rows at any position, type-ahead search, counts.
//!
//! Paging never uses SQL `OFFSET` (which walks every skipped row: ~70 ms at depth 900,000).
//! The first page of any query is a keyset walk down the primary key (`ORDER BY id DESC
//! LIMIT n`). Deeper pages come from a *position index*: the ids of the query's rows, newest
//! first, built once by scanning a narrow index (or the search indexes) and cached until the
//! data changes; row `k` is then `ids[k]` and a page is fetched by primary key.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use rusqlite::types::Value;

use crate::auth::{Actor, Permission};
use crate::error::Result;
use crate::filter::{compile, Compiled, Context, ListQuery};
use crate::model::{FieldDef, FieldKind, ProfileCounts, ProfileId, ProfilePage, ProfileRow};
use crate::profiles::storage::ProfileMeta;
use crate::profiles::{display_value, scalar_text, shown_value};
use crate::store::Store;
use pdesk_normalize::{email_key, fold_for_search, PhoneRegion};
use pdesk_rule::validate::{EmailValue, ValidProfile, SCALAR_COLUMNS};

/// How a row's phones read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhoneText {
    /// As each source typed them (an export keeps what was given).
    AsTyped,
    /// The stored number in the national form of the store's region, which the UI groups:
    /// the list shows phones as the detail does, whatever was typed (`912345678`, `+84 912…`;
    /// issue 16, "show them one way").
    National,
}

/// Most rows one page request may return.
pub const MAX_PAGE_ROWS: u32 = 500;
/// How many query indexes are cached (the unfiltered list plus recent searches).
const CACHED_INDEXES: usize = 3;
/// Phone search needs this many digits, so that a short prefix does not sort a million rows.
const MIN_PHONE_DIGITS: usize = 4;

/// The ids of one query's rows in list order, valid for one data stamp.
pub(crate) struct PositionIndex {
    stamp: (u64, i64),
    /// The query's cache key (see [`QueryPlan::key`]).
    key: String,
    ids: Arc<PositionIds>,
}

/// A query's ids in list order, four bytes each while every id fits: the app keeps the
/// unfiltered list's and two searches' (issue 18: its memory with 1,000,000 profiles — 4 MB
/// instead of 8 for the unfiltered list). Ids are SQLite rowids, which a store reaches past
/// `u32::MAX` only after four billion profiles; such a list keeps eight bytes an id.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PositionIds {
    Narrow(Vec<u32>),
    Wide(Vec<ProfileId>),
}

impl PositionIds {
    pub(crate) fn len(&self) -> usize {
        match self {
            PositionIds::Narrow(ids) => ids.len(),
            PositionIds::Wide(ids) => ids.len(),
        }
    }

    /// The ids at positions `start..end` (clamped to the list).
    pub(crate) fn range(&self, start: usize, end: usize) -> Vec<ProfileId> {
        let end = end.min(self.len());
        let start = start.min(end);
        match self {
            PositionIds::Narrow(ids) => ids[start..end].iter().map(|&i| i.into()).collect(),
            PositionIds::Wide(ids) => ids[start..end].to_vec(),
        }
    }

    /// The ids in list order, `n` at a time (the export reads its rows so).
    pub(crate) fn chunks(&self, n: usize) -> impl Iterator<Item = Vec<ProfileId>> + '_ {
        (0..self.len())
            .step_by(n.max(1))
            .map(move |start| self.range(start, start + n))
    }

    /// The ids a query yields, kept four bytes each from the start (a million ids never take
    /// eight bytes each on the way), eight from the first that does not fit.
    fn collect(ids: impl Iterator<Item = rusqlite::Result<ProfileId>>) -> Result<PositionIds> {
        let mut narrow: Vec<u32> = Vec::new();
        let mut ids = ids;
        while let Some(id) = ids.next() {
            let id = id?;
            let Ok(small) = u32::try_from(id) else {
                let mut wide: Vec<ProfileId> = narrow.into_iter().map(ProfileId::from).collect();
                wide.push(id);
                for id in ids {
                    wide.push(id?);
                }
                return Ok(PositionIds::Wide(wide));
            };
            narrow.push(small);
        }
        Ok(PositionIds::Narrow(narrow))
    }

    /// Puts the ids in list order, newest (highest) first: a scan in rowid order gives them
    /// ascending, so it is reversed; any other order is sorted.
    fn newest_first(&mut self) {
        fn order<T: Ord>(ids: &mut [T]) {
            if ids.is_sorted() {
                ids.reverse();
            } else {
                ids.sort_unstable_by(|a, b| b.cmp(a));
            }
        }
        match self {
            PositionIds::Narrow(ids) => order(ids),
            PositionIds::Wide(ids) => order(ids),
        }
    }
}

impl From<Vec<ProfileId>> for PositionIds {
    fn from(ids: Vec<ProfileId>) -> PositionIds {
        if ids.iter().all(|&i| u32::try_from(i).is_ok()) {
            PositionIds::Narrow(ids.into_iter().map(|i| i as u32).collect())
        } else {
            PositionIds::Wide(ids)
        }
    }
}

/// Cache of position indexes, filtered counts and the total count, all tied to a data stamp.
#[derive(Default)]
pub(crate) struct ListCache {
    indexes: Vec<PositionIndex>,
    counts: Vec<((u64, i64), String, u32)>,
    total: Option<((u64, i64), u32)>,
}

impl ListCache {
    /// Keeps `index`, dropping stale ones and, past the limit, the oldest filtered one.
    fn keep(&mut self, index: PositionIndex) {
        let stamp = index.stamp;
        self.indexes
            .retain(|i| i.stamp == stamp && i.key != index.key);
        // Keep the unfiltered list's index in preference: it is what users scroll most.
        let unfiltered = QueryPlan {
            search: String::new(),
            compiled: Compiled {
                order_sql: "p.id DESC".into(),
                default_order: true,
                ..Compiled::default()
            },
        }
        .key();
        if self.indexes.len() >= CACHED_INDEXES {
            if let Some(pos) = self.indexes.iter().position(|i| i.key != unfiltered) {
                self.indexes.remove(pos);
            }
        }
        self.indexes.push(index);
    }
}

/// A list query ready to run: its search text and its compiled filter and order.
pub(crate) struct QueryPlan {
    search: String,
    compiled: Compiled,
}

impl QueryPlan {
    /// Equal for two queries that select the same rows in the same order.
    fn key(&self) -> String {
        self.compiled.key(self.search.trim())
    }

    /// Only search text (or nothing), newest first: the original fast paths apply.
    fn is_search_only(&self) -> bool {
        self.compiled.where_sql.is_empty() && self.compiled.default_order
    }

    /// The same selection in the default order (counts do not depend on the order).
    fn unordered_key(&self) -> String {
        let mut c = self.compiled.clone();
        c.order_sql = "p.id DESC".into();
        c.key(self.search.trim())
    }
}

/// A query's `FROM … WHERE …` and what it binds: the filter's values, then the search's ids.
struct Filtered {
    from: String,
    params: Vec<Value>,
    search_ids: Option<Rc<Vec<Value>>>,
}

impl Filtered {
    fn bound(&self) -> Vec<&dyn rusqlite::ToSql> {
        let mut out: Vec<&dyn rusqlite::ToSql> = self
            .params
            .iter()
            .map(|v| v as &dyn rusqlite::ToSql)
            .collect();
        if let Some(ids) = &self.search_ids {
            out.push(ids);
        }
        out
    }
}

/// How a search text is looked up.
#[derive(Debug, Default, PartialEq, Eq)]
struct SearchPlan {
    /// FTS5 query over folded names (`"nguyen" AND "van"*`).
    fts: Option<String>,
    /// E.164 prefixes.
    phone_prefixes: Vec<String>,
    email_prefix: Option<String>,
    code_prefixes: Vec<String>,
}

fn plan_search(search: &str, region: &PhoneRegion) -> SearchPlan {
    let text = search.trim();
    let mut plan = SearchPlan::default();
    if text.is_empty() {
        return plan;
    }
    if text.chars().any(char::is_alphabetic) {
        // Words the user has finished typing match whole tokens; only the word being typed is a
        // prefix. Exact tokens read one doclist each, which keeps common names fast.
        let folded = fold_for_search(text);
        let words: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
        let still_typing = !search.ends_with(char::is_whitespace);
        let terms: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i + 1 == words.len() && still_typing {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect();
        if !terms.is_empty() {
            plan.fts = Some(terms.join(" AND "));
        }
    }
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || " .-()+/".contains(c));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if phone_like && digits.len() >= MIN_PHONE_DIGITS {
        let cc = region.calling_code;
        if text.starts_with('+') {
            plan.phone_prefixes.push(format!("+{digits}"));
        } else if let Some(rest) = digits.strip_prefix("00") {
            plan.phone_prefixes.push(format!("+{rest}"));
        } else if let Some(rest) = region.trunk.and_then(|t| digits.strip_prefix(t)) {
            plan.phone_prefixes.push(format!("+{cc}{rest}"));
        } else {
            plan.phone_prefixes.push(format!("+{cc}{digits}"));
            plan.phone_prefixes.push(format!("+{digits}"));
        }
    }
    let one_word = !text.chars().any(char::is_whitespace);
    if text.contains('@') || (one_word && (text.contains('.') || text.contains('_')) && !phone_like)
    {
        plan.email_prefix = Some(email_key(text));
    }
    if one_word && text.chars().count() >= 2 {
        plan.code_prefixes.push(text.to_string());
        let upper = text.to_uppercase();
        if upper != text {
            plan.code_prefixes.push(upper);
        }
    }
    plan
}

/// `[prefix, prefix + U+10FFFF)` covers every text starting with `prefix` (UTF-8 compares
/// byte-wise, and U+10FFFF encodes higher than any other character).
fn prefix_range(prefix: &str) -> (String, String) {
    (prefix.to_string(), format!("{prefix}\u{10FFFF}"))
}

impl Store {
    /// Compiles `query` against the catalogue (refusing unknown fields, bad values and
    /// operators that do not fit a field).
    pub(crate) fn plan_query(&self, query: &ListQuery) -> Result<QueryPlan> {
        let fields = self.fields()?;
        let channels = self.consent_channels()?;
        let region = self.sync_settings()?.region;
        let job_exists = |id: i64| -> Result<bool> {
            Ok(self
                .conn
                .prepare_cached("SELECT 1 FROM import_jobs WHERE id = ?1")?
                .exists([id])?)
        };
        let ctx = Context {
            fields: &fields,
            channels: &channels,
            region,
            job_exists: &job_exists,
            now: self.now_utc(),
        };
        Ok(QueryPlan {
            search: query.search.clone(),
            compiled: compile(query, &ctx)?,
        })
    }

    /// Ids matching the search text `search`, newest first; at most `limit` when given.
    fn search_ids(&self, search: &str, limit: Option<u32>) -> Result<Vec<ProfileId>> {
        let lim = limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
        let collect = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<Vec<ProfileId>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let ids = stmt
                .query_map(params, |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        };
        if search.trim().is_empty() {
            return match limit {
                Some(_) => collect(
                    &format!("SELECT id FROM profiles ORDER BY id DESC{lim}"),
                    &[],
                ),
                None => Ok(self.all_ids()?.range(0, usize::MAX)),
            };
        }
        let plan = plan_search(search, self.sync_settings()?.region);
        let mut ids: Vec<ProfileId> = Vec::new();
        if let Some(fts) = &plan.fts {
            ids.extend(collect(
                &format!(
                    "SELECT rowid FROM profile_search WHERE profile_search MATCH ?1 ORDER BY rowid DESC{lim}"
                ),
                &[fts],
            )?);
        }
        for prefix in &plan.phone_prefixes {
            let (lo, hi) = prefix_range(prefix);
            ids.extend(collect(
                &format!(
                    "SELECT DISTINCT profile_id FROM profile_phones WHERE e164 >= ?1 AND e164 < ?2
                      ORDER BY profile_id DESC{lim}"
                ),
                &[&lo, &hi],
            )?);
        }
        if let Some(prefix) = &plan.email_prefix {
            let (lo, hi) = prefix_range(prefix);
            ids.extend(collect(
                &format!(
                    "SELECT DISTINCT profile_id FROM profile_emails WHERE email_key >= ?1 AND email_key < ?2
                      ORDER BY profile_id DESC{lim}"
                ),
                &[&lo, &hi],
            )?);
        }
        for prefix in &plan.code_prefixes {
            let (lo, hi) = prefix_range(prefix);
            ids.extend(collect(
                &format!(
                    "SELECT id FROM profiles WHERE code_key >= ?1 AND code_key < ?2 ORDER BY id DESC{lim}"
                ),
                &[&lo, &hi],
            )?);
        }
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        if let Some(l) = limit {
            ids.truncate(l as usize);
        }
        Ok(ids)
    }

    /// The `FROM … WHERE …` of a planned query with its parameters: the compiled filter, and
    /// the search's ids as an `rarray` when there is search text.
    fn filtered_from(&self, plan: &QueryPlan) -> Result<Filtered> {
        let mut clauses: Vec<String> = Vec::new();
        if !plan.compiled.where_sql.is_empty() {
            clauses.push(plan.compiled.where_sql.clone());
        }
        let mut search_ids = None;
        if !plan.search.trim().is_empty() {
            let ids = self.search_ids(&plan.search, None)?;
            search_ids = Some(Rc::new(ids.into_iter().map(Value::from).collect()));
            clauses.push("p.id IN rarray(?)".into());
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        Ok(Filtered {
            from: format!("FROM profiles p{where_sql}"),
            params: plan.compiled.params.clone(),
            search_ids,
        })
    }

    /// Every profile's id, newest first.
    fn all_ids(&self) -> Result<PositionIds> {
        // Reads the narrow created_at index rather than the wide table rows.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM profiles INDEXED BY profiles_created_at")?;
        let mut ids = PositionIds::collect(stmt.query_map([], |r| r.get(0))?)?;
        ids.newest_first();
        Ok(ids)
    }

    /// Ids matching `plan`, in its order; at most `limit` when given.
    fn plan_ids(&self, plan: &QueryPlan, limit: Option<u32>) -> Result<PositionIds> {
        if plan.is_search_only() {
            if plan.search.trim().is_empty() && limit.is_none() {
                return self.all_ids();
            }
            return Ok(self.search_ids(&plan.search, limit)?.into());
        }
        let f = self.filtered_from(plan)?;
        if limit.is_none() && plan.compiled.default_order {
            // Every id in list order, asked for unordered and sorted here: with `ORDER BY
            // p.id`, SQLite prefers an index that yields the ids in order over the one that
            // narrows best — for "city is … and gender is …" it walked every woman's row to
            // test her city (186 ms at 1,000,000 profiles) instead of reading the (city,
            // gender) index (a few ms). Sorting the ids in memory costs far less than that.
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT p.id {}", f.from))?;
            let mut ids =
                PositionIds::collect(stmt.query_map(f.bound().as_slice(), |r| r.get(0))?)?;
            ids.newest_first();
            return Ok(ids);
        }
        let lim = limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
        let sql = format!(
            "SELECT p.id {} ORDER BY {}{lim}",
            f.from, plan.compiled.order_sql
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = PositionIds::collect(stmt.query_map(f.bound().as_slice(), |r| r.get(0))?)?;
        Ok(ids)
    }

    /// The cached position index of `plan`, built when missing or stale.
    fn position_index(&self, plan: &QueryPlan) -> Result<Arc<PositionIds>> {
        let stamp = self.data_stamp()?;
        let key = plan.key();
        let cached = self.memos.with(|cache: &mut ListCache| {
            cache
                .indexes
                .iter()
                .find(|i| i.stamp == stamp && i.key == key)
                .map(|ix| ix.ids.clone())
        })?;
        if let Some(ids) = cached {
            return Ok(ids);
        }
        let ids = Arc::new(self.plan_ids(plan, None)?);
        self.memos.with(|cache: &mut ListCache| {
            cache.keep(PositionIndex {
                stamp,
                key,
                ids: ids.clone(),
            })
        })?;
        Ok(ids)
    }

    /// The ids of every row `query` selects, in list order (the export reads them in chunks).
    pub(crate) fn query_ids(&self, actor: &Actor, query: &ListQuery) -> Result<Arc<PositionIds>> {
        actor.require(Permission::ProfileView)?;
        let plan = self.plan_query(query)?;
        self.position_index(&plan)
    }

    /// Rows `offset..offset+limit` of the list narrowed and ordered by `query`, with the display
    /// text of `columns`.
    pub fn list_page(
        &self,
        actor: &Actor,
        query: &ListQuery,
        offset: u32,
        limit: u32,
        columns: &[String],
    ) -> Result<ProfilePage> {
        actor.require(Permission::ProfileView)?;
        let limit = limit.clamp(1, MAX_PAGE_ROWS);
        let plan = self.plan_query(query)?;
        let ids: Vec<ProfileId> = if offset == 0 && !self.has_position_index(&plan)? {
            self.plan_ids(&plan, Some(limit))?.range(0, limit as usize)
        } else {
            let start = offset as usize;
            self.position_index(&plan)?
                .range(start, start + limit as usize)
        };
        let rows = self.rows_for(&ids, columns, PhoneText::National)?;
        Ok(ProfilePage { offset, rows })
    }

    fn has_position_index(&self, plan: &QueryPlan) -> Result<bool> {
        let stamp = self.data_stamp()?;
        let key = plan.key();
        self.memos.with(|cache: &mut ListCache| {
            cache
                .indexes
                .iter()
                .any(|i| i.stamp == stamp && i.key == key)
        })
    }

    /// Total number of profiles and the number `query` keeps.
    pub fn count_profiles(&self, actor: &Actor, query: &ListQuery) -> Result<ProfileCounts> {
        actor.require(Permission::ProfileView)?;
        let stamp = self.data_stamp()?;
        let cached = self.memos.with(|cache: &mut ListCache| cache.total)?;
        let total = match cached {
            Some((s, n)) if s == stamp => n,
            _ => {
                let n: u32 = self
                    .conn
                    .query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?;
                self.memos
                    .with(|cache: &mut ListCache| cache.total = Some((stamp, n)))?;
                n
            }
        };
        let plan = self.plan_query(query)?;
        let filtered = if query.is_unfiltered() {
            total
        } else if plan.compiled.default_order || self.has_position_index(&plan)? {
            // The list will scroll this index: build it once for both.
            self.position_index(&plan)?.len() as u32
        } else {
            self.filtered_count(&plan, stamp)?
        };
        Ok(ProfileCounts { total, filtered })
    }

    /// `count(*)` of a filtered query in another order than the default (no ids kept), cached
    /// for the data stamp.
    fn filtered_count(&self, plan: &QueryPlan, stamp: (u64, i64)) -> Result<u32> {
        let key = plan.unordered_key();
        let cached = self.memos.with(|cache: &mut ListCache| {
            cache
                .counts
                .iter()
                .find(|(s, k, _)| *s == stamp && *k == key)
                .map(|(_, _, n)| *n)
        })?;
        if let Some(n) = cached {
            return Ok(n);
        }
        let n: u32 = if plan.compiled.where_sql.is_empty() {
            self.search_ids(&plan.search, None)?.len() as u32
        } else {
            let f = self.filtered_from(plan)?;
            self.conn.query_row(
                &format!("SELECT count(*) {}", f.from),
                f.bound().as_slice(),
                |r| r.get(0),
            )?
        };
        self.memos.with(|cache: &mut ListCache| {
            cache.counts.retain(|(s, _, _)| *s == stamp);
            if cache.counts.len() >= CACHED_INDEXES {
                cache.counts.remove(0);
            }
            cache.counts.push((stamp, key, n));
        })?;
        Ok(n)
    }

    /// Builds list rows for `ids` (in that order): one query per table, all by primary key;
    /// phones as `phones` says.
    ///
    /// An export reads a million rows through here, so a row costs few allocations: the
    /// system fields and built-in columns become cells as they are read; only lists and custom
    /// values pass through a [`ValidProfile`] for their display text.
    pub(crate) fn rows_for(
        &self,
        ids: &[ProfileId],
        columns: &[String],
        phones: PhoneText,
    ) -> Result<Vec<ProfileRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let fields = self.fields()?;
        let wanted: Vec<&FieldDef> = columns
            .iter()
            .filter_map(|c| fields.iter().find(|f| &f.key == c))
            .collect();
        // Where each wanted column's text comes from, by its place in `wanted`.
        let (mut meta_cells, mut scalar_cells, mut profile_cells) = (vec![], vec![], vec![]);
        for (at, f) in wanted.iter().enumerate() {
            if ProfileMeta::FIELDS.contains(&f.key.as_str()) {
                meta_cells.push(at);
            } else if let Some(i) = SCALAR_COLUMNS.iter().position(|c| *c == f.key) {
                scalar_cells.push((at, i));
            } else {
                profile_cells.push(at);
            }
        }
        // The cells of a row go into its map in key order, which builds the map in one pass.
        let mut by_key: Vec<usize> = (0..wanted.len()).collect();
        by_key.sort_by_key(|&at| &wanted[at].key);
        // A column asked for twice is one cell.
        by_key.dedup_by_key(|at| &wanted[*at].key);
        // Each id's place in `ids`, and its row there once read.
        let place: HashMap<ProfileId, usize> =
            ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let mut built: Vec<Option<RowRead>> = (0..ids.len()).map(|_| None).collect();
        let id_values: Rc<Vec<Value>> = Rc::new(ids.iter().map(|&i| Value::from(i)).collect());
        let cols = SCALAR_COLUMNS.join(", ");
        // The profile's provenance and stamps first, then its id and scalar columns.
        let meta_columns = ProfileMeta::COLUMNS;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {meta_columns}, id, {cols} FROM profiles WHERE id IN rarray(?1)"
        ))?;
        let mut rows = stmt.query([id_values.clone()])?;
        while let Some(r) = rows.next()? {
            let meta = ProfileMeta::from_row(r)?;
            let n = ProfileMeta::WIDTH;
            let id: ProfileId = r.get(n)?;
            let Some(&row_at) = place.get(&id) else {
                continue;
            };
            let mut texts = vec![String::new(); wanted.len()];
            for &at in &meta_cells {
                texts[at] = meta.text(&wanted[at].key).unwrap_or_default();
            }
            for &(at, i) in &scalar_cells {
                if let Some(s) = r.get::<_, Option<String>>(n + 1 + i)? {
                    texts[at] = scalar_text(wanted[at], s);
                }
            }
            built[row_at] = Some(RowRead {
                id,
                texts,
                lists: ValidProfile::default(),
            });
        }
        // The lists and custom values of the row of `id`, read above.
        fn profile_of<'a>(
            built: &'a mut [Option<RowRead>],
            place: &HashMap<ProfileId, usize>,
            id: ProfileId,
        ) -> Option<&'a mut ValidProfile> {
            built[*place.get(&id)?].as_mut().map(|row| &mut row.lists)
        }
        let wants = |kind: FieldKind| profile_cells.iter().any(|&at| wanted[at].kind == kind);
        if wants(FieldKind::Phones) {
            let mut stmt = self.conn.prepare_cached(
                "SELECT profile_id, raw, e164 FROM profile_phones WHERE profile_id IN rarray(?1)
                  ORDER BY profile_id, position",
            )?;
            let mut rows = stmt.query([id_values.clone()])?;
            while let Some(r) = rows.next()? {
                if let Some(p) = profile_of(&mut built, &place, r.get(0)?) {
                    p.phones.push(crate::model::PhoneValue {
                        raw: r.get(1)?,
                        e164: r.get(2)?,
                        label: None,
                    });
                }
            }
        }
        if wants(FieldKind::Emails) {
            let mut stmt = self.conn.prepare_cached(
                "SELECT profile_id, raw, email_key FROM profile_emails WHERE profile_id IN rarray(?1)
                  ORDER BY profile_id, position",
            )?;
            let mut rows = stmt.query([id_values.clone()])?;
            while let Some(r) = rows.next()? {
                if let Some(p) = profile_of(&mut built, &place, r.get(0)?) {
                    p.emails.push(EmailValue {
                        raw: r.get(1)?,
                        key: r.get(2)?,
                    });
                }
            }
        }
        if wants(FieldKind::Tags) {
            let mut stmt = self.conn.prepare_cached(
                "SELECT profile_id, tag FROM profile_tags WHERE profile_id IN rarray(?1)
                  ORDER BY profile_id, position",
            )?;
            let mut rows = stmt.query([id_values.clone()])?;
            while let Some(r) = rows.next()? {
                if let Some(p) = profile_of(&mut built, &place, r.get(0)?) {
                    p.tags.push(r.get(1)?);
                }
            }
        }
        if profile_cells.iter().any(|&at| !wanted[at].builtin) {
            let mut stmt = self.conn.prepare_cached(
                "SELECT profile_id, field_key, value FROM profile_custom_values
                  WHERE profile_id IN rarray(?1)",
            )?;
            let mut rows = stmt.query([id_values])?;
            while let Some(r) = rows.next()? {
                if let Some(p) = profile_of(&mut built, &place, r.get(0)?) {
                    let raw: String = r.get(2)?;
                    let v = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
                    p.custom.insert(r.get(1)?, v);
                }
            }
        }
        // Only the list wants the region's national form; an export's chunks keep phones as
        // typed and need not read the rule's settings once a chunk.
        let region = match phones {
            PhoneText::National => Some(self.sync_settings()?.region),
            PhoneText::AsTyped => None,
        };
        Ok(built
            .into_iter()
            .flatten()
            .map(|mut row| {
                for &at in &profile_cells {
                    row.texts[at] = match region {
                        Some(region) => shown_value(wanted[at], &row.lists, region),
                        None => display_value(wanted[at], &row.lists),
                    };
                }
                let cells = by_key
                    .iter()
                    .map(|&at| (wanted[at].key.clone(), std::mem::take(&mut row.texts[at])))
                    .collect();
                ProfileRow { id: row.id, cells }
            })
            .collect())
    }
}

/// A row of [`Store::rows_for`] as it is read: its cells' texts in the order of the columns
/// asked for, and the lists and custom values the rest of its texts are made from.
struct RowRead {
    id: ProfileId,
    texts: Vec<String>,
    lists: ValidProfile,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn() -> &'static PhoneRegion {
        PhoneRegion::by_iso("VN").expect("VN")
    }

    #[test]
    fn position_ids_keep_four_bytes_an_id_while_every_id_fits() {
        let narrow = PositionIds::from(vec![9, 7, 4, 2, 1]);
        assert!(matches!(narrow, PositionIds::Narrow(_)));
        assert_eq!(narrow.len(), 5);
        assert_eq!(narrow.range(1, 3), vec![7, 4]);
        // A page asked past the end is cut, never a panic.
        assert_eq!(narrow.range(4, 104), vec![1]);
        assert_eq!(narrow.range(9, 12), Vec::<ProfileId>::new());
        let chunks: Vec<Vec<ProfileId>> = narrow.chunks(2).collect();
        assert_eq!(chunks, vec![vec![9, 7], vec![4, 2], vec![1]]);

        let big = i64::from(u32::MAX) + 1;
        let wide = PositionIds::from(vec![big, 3]);
        assert_eq!(wide, PositionIds::Wide(vec![big, 3]));
        assert_eq!(wide.range(0, 2), vec![big, 3]);
        assert_eq!(wide.chunks(1).count(), 2);

        // As a query yields them: narrow until an id does not fit, then every id kept wide.
        let mut read = PositionIds::collect([1, 2, 3].into_iter().map(Ok)).unwrap();
        read.newest_first();
        assert_eq!(read, PositionIds::Narrow(vec![3, 2, 1]));
        let mut read = PositionIds::collect([5, big, 2].into_iter().map(Ok)).unwrap();
        read.newest_first();
        assert_eq!(read, PositionIds::Wide(vec![big, 5, 2]));
        let failed = PositionIds::collect([Ok(1), Err(rusqlite::Error::InvalidQuery)].into_iter());
        assert!(
            failed.is_err(),
            "a row the query could not read is an error, not a shorter list"
        );
    }

    #[test]
    fn plans_name_search_as_folded_prefix_terms() {
        let plan = plan_search("Nguyễn Văn", vn());
        assert_eq!(
            plan.fts.as_deref(),
            Some("\"nguyen\" AND \"van\"*"),
            "accents folded; the word being typed is a prefix"
        );
        let done = plan_search("Nguyễn Văn ", vn());
        assert_eq!(
            done.fts.as_deref(),
            Some("\"nguyen\" AND \"van\""),
            "finished words are whole tokens"
        );
        assert!(plan.phone_prefixes.is_empty(), "letters are not a phone");
    }

    #[test]
    fn plans_phone_search_in_any_format() {
        assert_eq!(
            plan_search("0912345678", vn()).phone_prefixes,
            vec!["+84912345678"],
            "trunk 0"
        );
        assert_eq!(
            plan_search("+84 912", vn()).phone_prefixes,
            vec!["+84912"],
            "international"
        );
        assert!(
            plan_search("091", vn()).phone_prefixes.is_empty(),
            "too short to search phones"
        );
    }

    #[test]
    fn fts_terms_cannot_inject_syntax() {
        let plan = plan_search("\"a\" OR b* NEAR(", vn());
        assert_eq!(
            plan.fts.as_deref(),
            Some("\"a\" AND \"or\" AND \"b\" AND \"near\"*"),
            "only folded words"
        );
    }
}
