//! The list's filter builder (SPEC 2): typed conditions over the field catalogue, consent and
//! source, combined with AND, and the sort order. The UI sends these types — never SQL text —
//! and [`compile`] turns them into a `WHERE` fragment whose every value is a bound parameter;
//! column names come from a fixed table in this file, never from the request.
//!
//! Text comparisons fold case, accents and `đ` (the same folding as search), so `ha noi` finds
//! `Hà Nội`. "is not", "≠" and "has not" keep profiles that have no value at all.

use std::fmt::Write as _;

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

use crate::error::{Error, Result};
use crate::model::{
    ConsentChannel, ConsentStatus, FieldDef, FieldError, FieldKind, Lang, SelectOption,
};
use pdesk_normalize::{email_key, fold_for_search, normalize_phone, parse_date, PhoneRegion};

/// Most conditions one filter may hold.
pub const MAX_CONDITIONS: usize = 30;
/// Longest value of a condition (characters).
const MAX_VALUE_CHARS: usize = 500;
/// Longest relative range ("in the last N days").
const MAX_LAST_DAYS: i64 = 36_600;

/// How a field condition compares. Which operators a field offers depends on its kind (see
/// [`operators_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum FilterOp {
    /// Text and select: equal (folded); boolean: yes/no.
    Is,
    IsNot,
    Contains,
    StartsWith,
    /// No value at all.
    Empty,
    NotEmpty,
    /// Numbers and dates: `=`, `≠`, `<` (before), `>` (after), between (inclusive).
    Eq,
    Ne,
    Lt,
    Gt,
    Between,
    /// Dates: within the last N days, today included (`value` = N).
    LastDays,
    /// List fields (phones, e-mails, tags, multi-select): one of the values is `value`.
    Has,
    HasNot,
}

impl FilterOp {
    /// Whether the operator needs a value, two values, or none.
    pub fn arity(self) -> usize {
        match self {
            FilterOp::Empty | FilterOp::NotEmpty => 0,
            FilterOp::Between => 2,
            _ => 1,
        }
    }

    /// How the condition reads ("City is Hà Nội"; "Tỉnh/Thành phố là Hà Nội").
    fn words(self, date: bool, lang: Lang) -> &'static str {
        if lang == Lang::Vi {
            return match self {
                FilterOp::Is => "là",
                FilterOp::IsNot => "không phải là",
                FilterOp::Contains => "chứa",
                FilterOp::StartsWith => "bắt đầu bằng",
                FilterOp::Empty => "để trống",
                FilterOp::NotEmpty => "không để trống",
                FilterOp::Eq if date => "vào ngày",
                FilterOp::Eq => "=",
                FilterOp::Ne if date => "không vào ngày",
                FilterOp::Ne => "≠",
                FilterOp::Lt if date => "trước ngày",
                FilterOp::Lt => "<",
                FilterOp::Gt if date => "sau ngày",
                FilterOp::Gt => ">",
                FilterOp::Between => "từ",
                FilterOp::LastDays => "trong",
                FilterOp::Has => "có",
                FilterOp::HasNot => "không có",
            };
        }
        match self {
            FilterOp::Is => "is",
            FilterOp::IsNot => "is not",
            FilterOp::Contains => "contains",
            FilterOp::StartsWith => "starts with",
            FilterOp::Empty => "is empty",
            FilterOp::NotEmpty => "is not empty",
            FilterOp::Eq if date => "is on",
            FilterOp::Eq => "=",
            FilterOp::Ne if date => "is not on",
            FilterOp::Ne => "≠",
            FilterOp::Lt if date => "is before",
            FilterOp::Lt => "<",
            FilterOp::Gt if date => "is after",
            FilterOp::Gt => ">",
            FilterOp::Between => "is between",
            FilterOp::LastDays => "is in the last",
            FilterOp::Has => "has",
            FilterOp::HasNot => "has not",
        }
    }
}

/// Where profiles came from (SPEC 2 "source (including a specific import job)").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SourceFilter {
    /// Created by hand.
    Manual,
    /// Created by a file import.
    File,
    /// Created by a paste.
    Paste,
    /// Created by the remote sync.
    Sync,
    /// Created or updated by one import job (file or paste).
    Job {
        #[serde(rename = "jobId")]
        job_id: i64,
    },
}

/// One condition of a filter. A filter is a list of them, combined with AND.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Condition {
    /// A catalogue field compared with `value` (and `value2` for "between"), as typed: the
    /// core parses it for the field's kind (dates `dd/mm/yyyy` or `yyyy-mm-dd`, phones in any
    /// format, numbers).
    Field {
        field: String,
        op: FilterOp,
        #[serde(default)]
        value: String,
        #[serde(default)]
        value2: String,
    },
    /// The current consent of a channel.
    Consent {
        channel: String,
        status: ConsentStatus,
    },
    /// Where the profile came from.
    Source { source: SourceFilter },
}

/// What the list is narrowed to and how it is ordered: the search box, the filter builder's
/// conditions (combined with AND, see `crate::filter`) and the sort.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Type-ahead text: name (accent-insensitive), phone in any format, e-mail, customer code.
    pub search: String,
    #[serde(default)]
    pub filter: Vec<Condition>,
    /// `None`: newest first.
    #[serde(default)]
    pub sort: Option<ListSort>,
    /// The user's time zone (minutes east of UTC): date conditions on timestamps mean the
    /// user's local days, and "last N days" counts from the user's today.
    #[serde(default)]
    pub utc_offset_minutes: i32,
}

impl ListQuery {
    /// A query with only search text.
    pub fn search(text: &str) -> ListQuery {
        ListQuery {
            search: text.to_string(),
            ..ListQuery::default()
        }
    }

    /// Neither search text nor conditions: every profile.
    pub fn is_unfiltered(&self) -> bool {
        self.search.trim().is_empty() && self.filter.is_empty()
    }
}

/// The list's order: a field and a direction. The default (`None` in [`ListQuery`]) is
/// newest first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ListSort {
    pub field: String,
    pub descending: bool,
}

/// A field's single-value storage: a column of `profiles` (with how it is compared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// Free text, compared folded.
    Text(&'static str),
    /// `customer_code`: compared as an identifier on the indexed `code_key`.
    Code,
    /// A select's stored option value.
    Select(&'static str),
    /// `yyyy-mm-dd`.
    Date(&'static str),
    /// A UTC timestamp (`created_at`, `updated_at`); dates are local days.
    Timestamp(&'static str),
}

/// Text columns with an index (see the migrations): their filters read the index.
const INDEXED_TEXT: [&str; 2] = ["city", "company"];

/// Where a built-in field lives. Custom fields are rows of `profile_custom_values`; list fields
/// have their own tables.
fn builtin_column(key: &str) -> Option<Column> {
    Some(match key {
        "full_name" => Column::Text("full_name"),
        "address" => Column::Text("address"),
        "city" => Column::Text("city"),
        "company" => Column::Text("company"),
        "job_title" => Column::Text("job_title"),
        "note" => Column::Text("note"),
        "created_by" => Column::Text("created_by"),
        "updated_by" => Column::Text("updated_by"),
        "customer_code" => Column::Code,
        "gender" => Column::Select("gender"),
        "birthday" => Column::Date("birthday"),
        "created_at" => Column::Timestamp("created_at"),
        "updated_at" => Column::Timestamp("updated_at"),
        _ => return None,
    })
}

/// The `ORDER BY` expression of a sort field (built-in single-value fields only).
fn sort_column(key: &str) -> Option<&'static str> {
    Some(match key {
        // The folded name: `Đặng` sorts with the Ds, accents do not split the alphabet.
        "full_name" => "p.name_key",
        "customer_code" => "p.code_key",
        // Ids grow with creation time, and the primary key is the cheapest order.
        "created_at" => "p.id",
        "source" => "p.source_kind",
        "gender" => "p.gender",
        "birthday" => "p.birthday",
        "address" => "p.address",
        "city" => "p.city",
        "company" => "p.company",
        "job_title" => "p.job_title",
        "note" => "p.note",
        "updated_at" => "p.updated_at",
        "created_by" => "p.created_by",
        "updated_by" => "p.updated_by",
        _ => return None,
    })
}

/// The operators a field offers, in the order the filter builder lists them.
pub fn operators_for(field: &FieldDef) -> &'static [FilterOp] {
    use FilterOp::*;
    match (field.kind, builtin_column(&field.key)) {
        (FieldKind::Phones | FieldKind::Emails | FieldKind::Tags, _) => {
            &[Has, HasNot, Contains, Empty, NotEmpty]
        }
        (FieldKind::MultiSelect, _) => &[Has, HasNot, Empty, NotEmpty],
        (FieldKind::Select, _) => &[Is, IsNot, Empty, NotEmpty],
        (FieldKind::Boolean, _) => &[Is, Empty, NotEmpty],
        (FieldKind::Number, _) => &[Eq, Ne, Lt, Gt, Between, Empty, NotEmpty],
        (FieldKind::Date, _) | (FieldKind::System, Some(Column::Timestamp(_))) => {
            &[Eq, Ne, Lt, Gt, Between, LastDays, Empty, NotEmpty]
        }
        (FieldKind::System, Some(_)) => &[Is, IsNot, Contains, StartsWith],
        // `source` has its own condition kind.
        (FieldKind::System, None) => &[],
        (FieldKind::Text | FieldKind::LongText, _) => {
            &[Is, IsNot, Contains, StartsWith, Empty, NotEmpty]
        }
    }
}

/// A field as the filter builder offers it: its operators, options and whether the list can
/// be sorted by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FilterField {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// Timestamps (`created_at`, `updated_at`) and date fields take dates.
    pub takes_dates: bool,
    pub operators: Vec<FilterOp>,
    pub options: Vec<SelectOption>,
    pub sortable: bool,
}

impl crate::store::Store {
    /// The visible fields the filter builder offers (those with operators) and the list can be
    /// sorted by.
    pub fn filter_fields(&self, actor: &crate::auth::Actor) -> Result<Vec<FilterField>> {
        actor.require(crate::auth::Permission::ProfileView)?;
        Ok(self
            .fields()?
            .into_iter()
            .filter(|f| {
                !f.hidden && (!operators_for(f).is_empty() || sort_column(&f.key).is_some())
            })
            .map(|f| FilterField {
                takes_dates: f.kind == FieldKind::Date
                    || matches!(builtin_column(&f.key), Some(Column::Timestamp(_))),
                operators: operators_for(&f).to_vec(),
                sortable: sort_column(&f.key).is_some(),
                key: f.key,
                label: f.label,
                kind: f.kind,
                options: f.options,
            })
            .collect())
    }
}

/// What the compiled filter needs to know about the store.
pub(crate) struct Context<'a> {
    pub fields: &'a [FieldDef],
    pub channels: &'a [ConsentChannel],
    pub region: &'a PhoneRegion,
    /// Whether an import job with this id exists.
    pub job_exists: &'a dyn Fn(i64) -> Result<bool>,
    /// Now, for relative ranges.
    pub now: OffsetDateTime,
}

/// A filter turned into SQL over `profiles p`: `where_sql` (empty for no condition) with `?`
/// placeholders bound, in order, to `params`; and the `ORDER BY` list.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Compiled {
    pub where_sql: String,
    pub params: Vec<Value>,
    pub order_sql: String,
    /// The order is the default one (newest first, `p.id DESC`).
    pub default_order: bool,
}

impl Compiled {
    /// A key that is equal for two queries exactly when they select the same rows in the same
    /// order (relative dates resolved), for the list's caches.
    pub fn key(&self, search: &str) -> String {
        let mut key = format!("{search}\u{1}{}\u{1}{}", self.where_sql, self.order_sql);
        for p in &self.params {
            let _ = write!(key, "\u{1}{p:?}");
        }
        key
    }
}

/// A problem with condition `index` (its field is `filter.N`).
fn problem(index: usize, code: &str, message: String) -> FieldError {
    FieldError::new(&format!("filter.{index}"), code, message)
}

/// The local offset of the user (minutes east of UTC), checked.
fn offset(minutes: i32) -> Result<UtcOffset> {
    if !(-16 * 60..=16 * 60).contains(&minutes) {
        return Err(bad_offset(minutes));
    }
    // In range, so always valid; a refusal rather than a panic all the same.
    UtcOffset::from_whole_seconds(minutes * 60).map_err(|_| bad_offset(minutes))
}

fn bad_offset(minutes: i32) -> Error {
    Error::conflict(
        "badTimeZoneOffset",
        serde_json::json!({ "minutes": minutes }),
        format!("The time zone offset {minutes} minutes is not a real one"),
    )
}

/// Compiles `query`'s conditions and sort. Every problem is a validation error naming the
/// condition (`filter.N`) and what is wrong with it.
pub(crate) fn compile(query: &ListQuery, ctx: &Context) -> Result<Compiled> {
    if query.filter.len() > MAX_CONDITIONS {
        return Err(Error::limit(
            "tooManyConditions",
            serde_json::json!({ "limit": MAX_CONDITIONS, "conditions": query.filter.len() }),
            format!(
                "A filter holds at most {MAX_CONDITIONS} conditions (this one has {})",
                query.filter.len()
            ),
        ));
    }
    let offset = offset(query.utc_offset_minutes)?;
    let today = ctx.now.to_offset(offset).date();
    let mut parts: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    for (i, condition) in query.filter.iter().enumerate() {
        let mut b = Builder {
            index: i,
            params: &mut params,
            offset,
            today,
            region: ctx.region,
        };
        let sql = match condition {
            Condition::Field {
                field,
                op,
                value,
                value2,
            } => {
                let def = ctx
                    .fields
                    .iter()
                    .find(|f| &f.key == field && !f.hidden)
                    .ok_or_else(|| {
                        problem(
                            i,
                            "unknownField",
                            format!("There is no field “{field}” to filter on"),
                        )
                        .with("value", field)
                    })?;
                b.field(def, *op, value, value2)?
            }
            Condition::Consent { channel, status } => {
                let ch = ctx
                    .channels
                    .iter()
                    .find(|c| &c.key == channel)
                    .ok_or_else(|| {
                        problem(
                            i,
                            "unknownChannel",
                            format!("There is no consent channel “{channel}”"),
                        )
                        .with("value", channel)
                    })?;
                b.consent(&ch.key, *status)
            }
            Condition::Source { source } => {
                if let SourceFilter::Job { job_id } = source {
                    if !(ctx.job_exists)(*job_id)? {
                        return Err(problem(
                            i,
                            "unknownJob",
                            format!("There is no import job {job_id}"),
                        )
                        .with("value", job_id)
                        .into());
                    }
                }
                b.source(source)
            }
        };
        parts.push(sql);
    }
    let (order_sql, default_order) = match &query.sort {
        None => ("p.id DESC".to_string(), true),
        Some(sort) => {
            let def = ctx.fields.iter().find(|f| f.key == sort.field);
            let column = sort_column(&sort.field).ok_or_else(|| {
                let label = def.map(|f| f.label.as_str()).unwrap_or(&sort.field);
                Error::conflict(
                    "notSortable",
                    serde_json::json!({ "field": sort.field, "label": label }),
                    format!("The list cannot be sorted by {label}"),
                )
            })?;
            let dir = if sort.descending { "DESC" } else { "ASC" };
            if column == "p.id" {
                (format!("p.id {dir}"), sort.descending)
            } else {
                // Empty values last either way; equal values newest first.
                (format!("{column} {dir} NULLS LAST, p.id DESC"), false)
            }
        }
    };
    Ok(Compiled {
        where_sql: parts.join(" AND "),
        params,
        order_sql,
        default_order,
    })
}

struct Builder<'a> {
    index: usize,
    params: &'a mut Vec<Value>,
    offset: UtcOffset,
    today: Date,
    region: &'a PhoneRegion,
}

impl Builder<'_> {
    fn bind(&mut self, v: impl Into<Value>) -> &'static str {
        self.params.push(v.into());
        "?"
    }

    /// A code as typed, upper- and lower-cased (codes are stored as typed and looked up on
    /// their index, so each spelling is one index lookup).
    fn spellings(code: &str) -> Vec<String> {
        let mut out = vec![code.to_string()];
        for s in [code.to_uppercase(), code.to_lowercase()] {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// A problem with this condition on `field` (named by `label` in the sentence).
    fn fail(&self, field: &FieldDef, code: &str, message: String) -> FieldError {
        problem(self.index, code, message).with("label", &field.label)
    }

    fn text_value(&self, field: &FieldDef, value: &str) -> Result<String> {
        let v = value.trim();
        if v.is_empty() {
            return Err(self
                .fail(
                    field,
                    "valueRequired",
                    format!("Enter a value to compare {} with", field.label),
                )
                .into());
        }
        if v.chars().count() > MAX_VALUE_CHARS {
            return Err(self
                .fail(
                    field,
                    "tooLong",
                    format!("A filter value is limited to {MAX_VALUE_CHARS} characters"),
                )
                .with("max", MAX_VALUE_CHARS)
                .into());
        }
        Ok(v.to_string())
    }

    fn folded(&self, field: &FieldDef, value: &str) -> Result<String> {
        let v = fold_for_search(&self.text_value(field, value)?);
        if v.is_empty() {
            return Err(self
                .fail(
                    field,
                    "lettersRequired",
                    format!("Enter letters or digits to compare {} with", field.label),
                )
                .into());
        }
        Ok(v)
    }

    fn date(&self, field: &FieldDef, value: &str) -> Result<Date> {
        let v = self.text_value(field, value)?;
        parse_date(&v).map_err(|e| {
            self.fail(field, "invalidDate", format!("{}: {e}", field.label))
                .with_all(e.params())
                .into()
        })
    }

    fn number(&self, field: &FieldDef, value: &str) -> Result<f64> {
        let v = self.text_value(field, value)?;
        let cleaned: String = v
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect();
        cleaned
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| {
                self.fail(
                    field,
                    "invalidNumber",
                    format!("{}: “{v}” is not a number", field.label),
                )
                .with("value", &v)
                .into()
            })
    }

    fn days(&self, field: &FieldDef, value: &str) -> Result<i64> {
        let v = self.text_value(field, value)?;
        v.parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LAST_DAYS).contains(n))
            .ok_or_else(|| {
                self.fail(
                    field,
                    "invalidDays",
                    format!(
                        "{}: “{v}” is not a number of days (1 to {MAX_LAST_DAYS})",
                        field.label
                    ),
                )
                .with("value", &v)
                .with("min", 1)
                .with("max", MAX_LAST_DAYS)
                .into()
            })
    }

    /// The first instant of local day `d`, as stored timestamps compare (`yyyy-mm-ddThh:mm:ss`,
    /// a prefix of every stored value of that second, so `>=` includes them all).
    fn day_start(&self, d: Date) -> String {
        let t = d
            .midnight()
            .assume_offset(self.offset)
            .to_offset(UtcOffset::UTC);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    /// The inclusive date range of a date operator: `(from, to)`, either open.
    fn date_range(
        &self,
        field: &FieldDef,
        op: FilterOp,
        value: &str,
        value2: &str,
    ) -> Result<(Option<Date>, Option<Date>)> {
        let next = |d: Date| d.next_day().unwrap_or(d);
        let prev = |d: Date| d.previous_day().unwrap_or(d);
        Ok(match op {
            FilterOp::Eq | FilterOp::Ne => {
                let d = self.date(field, value)?;
                (Some(d), Some(d))
            }
            FilterOp::Lt => (None, Some(prev(self.date(field, value)?))),
            FilterOp::Gt => (Some(next(self.date(field, value)?)), None),
            FilterOp::Between => {
                let (a, b) = (self.date(field, value)?, self.date(field, value2)?);
                (Some(a.min(b)), Some(a.max(b)))
            }
            FilterOp::LastDays => {
                let n = self.days(field, value)?;
                (
                    Some(
                        self.today
                            .checked_sub(Duration::days(n - 1))
                            .unwrap_or(Date::MIN),
                    ),
                    Some(self.today),
                )
            }
            _ => return Err(self.unsupported(field, op)),
        })
    }

    fn unsupported(&self, field: &FieldDef, op: FilterOp) -> Error {
        self.fail(
            field,
            "unsupportedOperator",
            format!(
                "{} cannot be filtered with “{}”",
                field.label,
                op.words(field.kind == FieldKind::Date, Lang::En)
            ),
        )
        .into()
    }

    fn field(
        &mut self,
        field: &FieldDef,
        op: FilterOp,
        value: &str,
        value2: &str,
    ) -> Result<String> {
        if !operators_for(field).contains(&op) {
            return Err(self.unsupported(field, op));
        }
        match field.kind {
            FieldKind::Phones => self.list(field, "profile_phones", op, value),
            FieldKind::Emails => self.list(field, "profile_emails", op, value),
            FieldKind::Tags => self.list(field, "profile_tags", op, value),
            _ => match builtin_column(&field.key) {
                Some(column) => self.column(field, column, op, value, value2),
                None if field.builtin => Err(self.unsupported(field, op)),
                None => self.custom(field, op, value, value2),
            },
        }
    }

    /// A condition on a column of `profiles`.
    fn column(
        &mut self,
        field: &FieldDef,
        column: Column,
        op: FilterOp,
        value: &str,
        value2: &str,
    ) -> Result<String> {
        use FilterOp::*;
        let col = match column {
            Column::Text(c) | Column::Select(c) | Column::Date(c) | Column::Timestamp(c) => c,
            Column::Code => "code_key",
        };
        if op == Empty {
            return Ok(format!("(p.{col} IS NULL OR p.{col} = '')"));
        }
        if op == NotEmpty {
            return Ok(format!("(p.{col} IS NOT NULL AND p.{col} <> '')"));
        }
        Ok(match column {
            Column::Code => {
                let v = self.text_value(field, value)?;
                match op {
                    // Codes are identifiers: exact, as typed or upper-cased, on the index.
                    Is | IsNot => {
                        let list = Self::spellings(&v)
                            .into_iter()
                            .map(|s| self.bind(s))
                            .collect::<Vec<_>>()
                            .join(", ");
                        if op == Is {
                            format!("p.code_key IN ({list})")
                        } else {
                            format!("(p.code_key IS NULL OR p.code_key NOT IN ({list}))")
                        }
                    }
                    Contains => format!(
                        "instr(pdesk_fold(p.code_key), {}) > 0",
                        self.bind(self.folded(field, value)?)
                    ),
                    StartsWith => {
                        // A key range on the index, as typed and upper-cased.
                        let mut ranges = Vec::new();
                        for prefix in Self::spellings(&v) {
                            let lo = self.bind(prefix.clone());
                            let hi = self.bind(format!("{prefix}\u{10FFFF}"));
                            ranges.push(format!("(p.code_key >= {lo} AND p.code_key < {hi})"));
                        }
                        format!("({})", ranges.join(" OR "))
                    }
                    _ => return Err(self.unsupported(field, op)),
                }
            }
            Column::Text("full_name") => self.name(field, op, value)?,
            Column::Text(c) if INDEXED_TEXT.contains(&c) => {
                // Few distinct values behind an index: fold those (a loose index scan, one seek
                // per distinct value), then look the matching ones up on the index.
                let test = match op {
                    Is | IsNot => "pdesk_fold(v) = ?",
                    Contains => "instr(pdesk_fold(v), ?) > 0",
                    StartsWith => "instr(pdesk_fold(v), ?) = 1",
                    _ => return Err(self.unsupported(field, op)),
                };
                self.bind(self.folded(field, value)?);
                let values = format!(
                    "WITH RECURSIVE d(v) AS (SELECT min({c}) FROM profiles WHERE {c} IS NOT NULL \
                     UNION ALL SELECT (SELECT min({c}) FROM profiles WHERE {c} > d.v) FROM d \
                     WHERE d.v IS NOT NULL) SELECT v FROM d WHERE v IS NOT NULL AND {test}"
                );
                if op == IsNot {
                    format!("(p.{c} IS NULL OR p.{c} NOT IN ({values}))")
                } else {
                    format!("p.{c} IN ({values})")
                }
            }
            Column::Text(c) => {
                let folded = self.folded(field, value)?;
                let p = self.bind(folded);
                match op {
                    Is => format!("pdesk_fold(p.{c}) = {p}"),
                    IsNot => format!("(p.{c} IS NULL OR pdesk_fold(p.{c}) <> {p})"),
                    Contains => format!("instr(pdesk_fold(p.{c}), {p}) > 0"),
                    StartsWith => format!("instr(pdesk_fold(p.{c}), {p}) = 1"),
                    _ => return Err(self.unsupported(field, op)),
                }
            }
            Column::Select(c) => {
                let v = self.option(field, value)?;
                let p = self.bind(v);
                match op {
                    Is => format!("p.{c} = {p}"),
                    IsNot => format!("(p.{c} IS NULL OR p.{c} <> {p})"),
                    _ => return Err(self.unsupported(field, op)),
                }
            }
            Column::Date(c) => {
                let (from, to) = self.date_range(field, op, value, value2)?;
                let range = self.range_sql(
                    &format!("p.{c}"),
                    from.map(|d| d.to_string()),
                    to.map(|d| d.to_string()),
                    true,
                );
                if op == Ne {
                    format!("(p.{c} IS NULL OR NOT {range})")
                } else {
                    range
                }
            }
            Column::Timestamp(c) => {
                let (from, to) = self.date_range(field, op, value, value2)?;
                let lo = from.map(|d| self.day_start(d));
                let hi = to.map(|d| self.day_start(d.next_day().unwrap_or(d)));
                let range = self.range_sql(&format!("p.{c}"), lo, hi, false);
                if op == Ne {
                    format!("NOT {range}")
                } else {
                    range
                }
            }
        })
    }

    /// The full name, through its stored folded key (`name_key`) and, for "is" and "starts
    /// with", the name search index to find the candidates first.
    fn name(&mut self, field: &FieldDef, op: FilterOp, value: &str) -> Result<String> {
        use FilterOp::*;
        let folded = self.folded(field, value)?;
        let words: Vec<&str> = folded.split(' ').collect();
        let fts = |prefix_last: bool| -> String {
            words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if prefix_last && i + 1 == words.len() {
                        format!("\"{w}\"*")
                    } else {
                        format!("\"{w}\"")
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        const SEARCH: &str = "SELECT rowid FROM profile_search WHERE profile_search MATCH";
        Ok(match op {
            Is => {
                let f = self.bind(folded.clone());
                let m = self.bind(fts(false));
                format!("(p.name_key = {f} AND p.id IN ({SEARCH} {m}))")
            }
            IsNot => format!(
                "(p.name_key IS NULL OR p.name_key <> {})",
                self.bind(folded.clone())
            ),
            StartsWith => {
                let f = self.bind(folded.clone());
                let m = self.bind(fts(true));
                format!("(instr(p.name_key, {f}) = 1 AND p.id IN ({SEARCH} {m}))")
            }
            Contains => format!("instr(p.name_key, {}) > 0", self.bind(folded.clone())),
            _ => return Err(self.unsupported(field, op)),
        })
    }

    /// `expr >= lo AND expr <= hi` (`< hi` when `inclusive_hi` is false); open ends left out.
    fn range_sql(
        &mut self,
        expr: &str,
        lo: Option<String>,
        hi: Option<String>,
        inclusive_hi: bool,
    ) -> String {
        let mut parts = Vec::new();
        if let Some(lo) = lo {
            parts.push(format!("{expr} >= {}", self.bind(lo)));
        }
        if let Some(hi) = hi {
            let cmp = if inclusive_hi { "<=" } else { "<" };
            parts.push(format!("{expr} {cmp} {}", self.bind(hi)));
        }
        if parts.is_empty() {
            "1".into()
        } else {
            format!("({})", parts.join(" AND "))
        }
    }

    /// The stored value of a select option given its value or label (folded).
    fn option(&self, field: &FieldDef, value: &str) -> Result<String> {
        let folded = self.folded(field, value)?;
        field
            .options
            .iter()
            .find(|o| fold_for_search(&o.value) == folded || fold_for_search(&o.label) == folded)
            .map(|o| o.value.clone())
            .ok_or_else(|| {
                self.fail(
                    field,
                    "invalidOption",
                    format!(
                        "“{}” is not one of the options of {}",
                        value.trim(),
                        field.label
                    ),
                )
                .with("value", value.trim())
                .into()
            })
    }

    /// Membership of the profile in a subquery over `table` (rows keyed by `profile_id`).
    fn member(&self, table: &str, extra: Option<&str>, predicate: &str, negate: bool) -> String {
        let extra = extra.map(|e| format!("{e} AND ")).unwrap_or_default();
        let not = if negate { "NOT " } else { "" };
        format!("p.id {not}IN (SELECT profile_id FROM {table} WHERE {extra}{predicate})")
    }

    /// Phones, e-mails and tags.
    fn list(&mut self, field: &FieldDef, table: &str, op: FilterOp, value: &str) -> Result<String> {
        use FilterOp::*;
        if matches!(op, Empty | NotEmpty) {
            let not = if op == Empty { "NOT " } else { "" };
            return Ok(format!("p.id {not}IN (SELECT profile_id FROM {table})"));
        }
        let predicate = match (table, op) {
            ("profile_phones", Has | HasNot) => {
                let v = self.text_value(field, value)?;
                let e164 = normalize_phone(&v, self.region).map_err(|e| {
                    self.fail(field, "invalidPhone", format!("{}: {e}", field.label))
                        .with_all(e.params())
                })?;
                format!("e164 = {}", self.bind(e164))
            }
            ("profile_phones", Contains) => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                if digits.is_empty() {
                    return Err(self
                        .fail(
                            field,
                            "digitsRequired",
                            format!("Enter digits to look for in {}", field.label),
                        )
                        .into());
                }
                format!("instr(e164, {}) > 0", self.bind(digits))
            }
            ("profile_emails", Has | HasNot) => {
                let key = email_key(&self.text_value(field, value)?);
                format!("email_key = {}", self.bind(key))
            }
            ("profile_emails", Contains) => {
                let key = email_key(&self.text_value(field, value)?);
                format!("instr(email_key, {}) > 0", self.bind(key))
            }
            (_, Has | HasNot) => {
                let f = self.folded(field, value)?;
                format!("pdesk_fold(tag) = {}", self.bind(f))
            }
            (_, Contains) => {
                let f = self.folded(field, value)?;
                format!("instr(pdesk_fold(tag), {}) > 0", self.bind(f))
            }
            _ => return Err(self.unsupported(field, op)),
        };
        Ok(self.member(table, None, &predicate, op == HasNot))
    }

    /// Custom fields: one JSON value per profile in `profile_custom_values`.
    fn custom(
        &mut self,
        field: &FieldDef,
        op: FilterOp,
        value: &str,
        value2: &str,
    ) -> Result<String> {
        use FilterOp::*;
        let key_param = self.bind(field.key.clone());
        let of_field = format!("field_key = {key_param}");
        const V: &str = "json_extract(value, '$')";
        if matches!(op, Empty | NotEmpty) {
            return Ok(self.member("profile_custom_values", None, &of_field, op == Empty));
        }
        let (predicate, negate) = match field.kind {
            FieldKind::Text | FieldKind::LongText => {
                let p = self.bind(self.folded(field, value)?);
                match op {
                    Is => (format!("pdesk_fold({V}) = {p}"), false),
                    IsNot => (format!("pdesk_fold({V}) = {p}"), true),
                    Contains => (format!("instr(pdesk_fold({V}), {p}) > 0"), false),
                    StartsWith => (format!("instr(pdesk_fold({V}), {p}) = 1"), false),
                    _ => return Err(self.unsupported(field, op)),
                }
            }
            FieldKind::Select => {
                let p = self.bind(self.option(field, value)?);
                (format!("{V} = {p}"), op == IsNot)
            }
            FieldKind::MultiSelect => {
                let p = self.bind(self.option(field, value)?);
                (
                    format!("EXISTS (SELECT 1 FROM json_each(profile_custom_values.value) j WHERE j.value = {p})"),
                    op == HasNot,
                )
            }
            FieldKind::Boolean => {
                let folded = self.folded(field, value)?;
                let b = match folded.as_str() {
                    "yes" | "y" | "true" | "1" | "co" => 1,
                    "no" | "n" | "false" | "0" | "khong" => 0,
                    _ => {
                        return Err(self
                            .fail(
                                field,
                                "invalidBoolean",
                                format!("{}: “{}” is not yes or no", field.label, value.trim()),
                            )
                            .with("value", value.trim())
                            .into())
                    }
                };
                (format!("{V} = {}", self.bind(b)), false)
            }
            FieldKind::Number => {
                let n = self.number(field, value)?;
                let num = format!("CAST({V} AS REAL)");
                match op {
                    Eq => (format!("{num} = {}", self.bind(n)), false),
                    Ne => (format!("{num} = {}", self.bind(n)), true),
                    Lt => (format!("{num} < {}", self.bind(n)), false),
                    Gt => (format!("{num} > {}", self.bind(n)), false),
                    Between => {
                        let m = self.number(field, value2)?;
                        let (lo, hi) = (n.min(m), n.max(m));
                        (
                            format!("{num} BETWEEN {} AND {}", self.bind(lo), self.bind(hi)),
                            false,
                        )
                    }
                    _ => return Err(self.unsupported(field, op)),
                }
            }
            FieldKind::Date => {
                let (from, to) = self.date_range(field, op, value, value2)?;
                let range = self.range_sql(
                    V,
                    from.map(|d| d.to_string()),
                    to.map(|d| d.to_string()),
                    true,
                );
                (range, op == Ne)
            }
            _ => return Err(self.unsupported(field, op)),
        };
        Ok(self.member("profile_custom_values", Some(&of_field), &predicate, negate))
    }

    fn consent(&mut self, channel: &str, status: ConsentStatus) -> String {
        let ch = self.bind(channel.to_string());
        match status {
            // No record at all is unknown too.
            ConsentStatus::Unknown => format!(
                "p.id NOT IN (SELECT profile_id FROM consent_current WHERE channel = {ch} AND status <> 'unknown')"
            ),
            s => format!(
                "p.id IN (SELECT profile_id FROM consent_current WHERE channel = {ch} AND status = {})",
                self.bind(s.as_str().to_string())
            ),
        }
    }

    fn source(&mut self, source: &SourceFilter) -> String {
        match source {
            SourceFilter::Manual => format!("p.source_kind = {}", self.bind("manual".to_string())),
            SourceFilter::File => format!("p.source_kind = {}", self.bind("file".to_string())),
            SourceFilter::Paste => format!("p.source_kind = {}", self.bind("paste".to_string())),
            SourceFilter::Sync => format!("p.source_kind = {}", self.bind("sync".to_string())),
            SourceFilter::Job { job_id } => format!(
                "p.id IN (SELECT profile_id FROM import_job_rows WHERE job_id = {} AND profile_id IS NOT NULL)",
                self.bind(*job_id)
            ),
        }
    }
}

/// How a query reads for people (the export's audit entry, the exports list, the segments
/// panel, an export's e-mail in its reader's `lang`): `Search “nguyen” · City is Hà Nội ·
/// E-mail consent: granted`; `Tìm “nguyen” · Tỉnh/Thành phố là Hà Nội · …`.
pub fn describe(
    query: &ListQuery,
    fields: &[FieldDef],
    channels: &[ConsentChannel],
    lang: Lang,
) -> String {
    let vi = lang == Lang::Vi;
    let mut parts: Vec<String> = Vec::new();
    if !query.search.trim().is_empty() {
        let search = query.search.trim();
        parts.push(if vi {
            format!("Tìm “{search}”")
        } else {
            format!("Search “{search}”")
        });
    }
    for c in &query.filter {
        parts.push(match c {
            Condition::Field {
                field,
                op,
                value,
                value2,
            } => {
                let def = fields.iter().find(|f| &f.key == field);
                let label = def
                    .map(|f| pdesk_rule::catalogue::field_name(f, lang).to_string())
                    .unwrap_or_else(|| field.clone());
                let date = def.is_some_and(|f| {
                    f.kind == FieldKind::Date
                        || matches!(builtin_column(&f.key), Some(Column::Timestamp(_)))
                });
                let words = op.words(date, lang);
                let (and, days) = if vi {
                    ("đến", "ngày qua")
                } else {
                    ("and", "days")
                };
                match op {
                    FilterOp::Empty | FilterOp::NotEmpty => format!("{label} {words}"),
                    FilterOp::Between => {
                        format!("{label} {words} {} {and} {}", value.trim(), value2.trim())
                    }
                    FilterOp::LastDays => format!("{label} {words} {} {days}", value.trim()),
                    _ => format!("{label} {words} {}", value.trim()),
                }
            }
            Condition::Consent { channel, status } => {
                let label = channels
                    .iter()
                    .find(|c| &c.key == channel)
                    .map(|c| c.label.clone())
                    .unwrap_or_else(|| channel.clone());
                if vi {
                    let status = match status {
                        ConsentStatus::Granted => "đồng ý",
                        ConsentStatus::Denied => "từ chối",
                        ConsentStatus::Unknown => "chưa rõ",
                    };
                    format!("Sự đồng ý qua {label}: {status}")
                } else {
                    format!("{label} consent: {}", status.as_str())
                }
            }
            Condition::Source { source } => match (source, vi) {
                (SourceFilter::Manual, false) => "Source: created by hand".into(),
                (SourceFilter::File, false) => "Source: file import".into(),
                (SourceFilter::Paste, false) => "Source: paste".into(),
                (SourceFilter::Sync, false) => "Source: sync".into(),
                (SourceFilter::Job { job_id }, false) => format!("Source: import job {job_id}"),
                (SourceFilter::Manual, true) => "Nguồn: tạo thủ công".into(),
                (SourceFilter::File, true) => "Nguồn: nhập từ tệp".into(),
                (SourceFilter::Paste, true) => "Nguồn: dán dữ liệu".into(),
                (SourceFilter::Sync, true) => "Nguồn: đồng bộ".into(),
                (SourceFilter::Job { job_id }, true) => format!("Nguồn: lượt nhập {job_id}"),
            },
        });
    }
    match (parts.is_empty(), vi) {
        (true, false) => "All profiles".into(),
        (true, true) => "Tất cả hồ sơ".into(),
        (false, _) => parts.join(" · "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: FieldKind, builtin: bool) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: key.into(),
            kind,
            builtin,
            mandatory: false,
            displayed: false,
            hidden: false,
            position: 0,
            options: Vec::new(),
            synonyms: Vec::new(),
        }
    }

    fn compile_one(c: Condition) -> Result<Compiled> {
        let fields = vec![
            field("city", FieldKind::Text, true),
            field("birthday", FieldKind::Date, true),
            field("created_at", FieldKind::System, true),
            field("score", FieldKind::Number, false),
        ];
        let no_job = |_| Ok(false);
        let ctx = Context {
            fields: &fields,
            channels: &[],
            region: PhoneRegion::by_iso("VN").expect("VN"),
            job_exists: &no_job,
            now: OffsetDateTime::UNIX_EPOCH + Duration::days(20_000),
        };
        compile(
            &ListQuery {
                filter: vec![c],
                ..ListQuery::default()
            },
            &ctx,
        )
    }

    #[test]
    fn user_text_is_only_ever_a_bound_parameter() {
        let evil = "'; DROP TABLE profiles; --";
        let c = compile_one(Condition::Field {
            field: "city".into(),
            op: FilterOp::Contains,
            value: evil.into(),
            value2: String::new(),
        })
        .unwrap();
        assert!(
            !c.where_sql.contains("DROP") && !c.where_sql.contains('\''),
            "the value never reaches the SQL text: {}",
            c.where_sql
        );
        assert_eq!(
            c.params,
            vec![Value::Text(fold_for_search(evil))],
            "it is bound as a parameter"
        );
    }

    #[test]
    fn unknown_fields_and_wrong_operators_are_refused_with_the_condition_named() {
        let e = compile_one(Condition::Field {
            field: "p.id; --".into(),
            op: FilterOp::Is,
            value: "x".into(),
            value2: String::new(),
        })
        .unwrap_err();
        assert_eq!(
            e.code(),
            "validation",
            "an unknown field is a validation error"
        );
        assert!(e.to_string().contains("no field"), "{e}");
        let e = compile_one(Condition::Field {
            field: "score".into(),
            op: FilterOp::Contains,
            value: "1".into(),
            value2: String::new(),
        })
        .unwrap_err();
        assert!(
            e.to_string().contains("cannot be filtered with “contains”"),
            "numbers have no contains: {e}"
        );
    }

    #[test]
    fn local_days_become_utc_bounds() {
        let fields = vec![field("created_at", FieldKind::System, true)];
        let no_job = |_| Ok(false);
        let ctx = Context {
            fields: &fields,
            channels: &[],
            region: PhoneRegion::by_iso("VN").expect("VN"),
            job_exists: &no_job,
            now: OffsetDateTime::UNIX_EPOCH,
        };
        let c = compile(
            &ListQuery {
                filter: vec![Condition::Field {
                    field: "created_at".into(),
                    op: FilterOp::Eq,
                    value: "28/11/2026".into(),
                    value2: String::new(),
                }],
                utc_offset_minutes: 7 * 60,
                ..ListQuery::default()
            },
            &ctx,
        )
        .unwrap();
        assert_eq!(
            c.params,
            vec![
                Value::Text("2026-11-27T17:00:00".into()),
                Value::Text("2026-11-28T17:00:00".into())
            ],
            "28 November in Hanoi (UTC+7) is 27 Nov 17:00 to 28 Nov 17:00 UTC"
        );
    }

    #[test]
    fn a_query_is_described_in_the_readers_language() {
        let mut city = field("city", FieldKind::Text, true);
        city.label = "City".into();
        let mut renamed = field("birthday", FieldKind::Date, true);
        renamed.label = "Ngày sinh nhật".into();
        let fields = vec![city, renamed];
        let channels = vec![ConsentChannel {
            key: "email".into(),
            label: "E-mail".into(),
        }];
        let query = ListQuery {
            search: " nguyen ".into(),
            filter: vec![
                Condition::Field {
                    field: "city".into(),
                    op: FilterOp::Is,
                    value: "Hà Nội".into(),
                    value2: String::new(),
                },
                Condition::Field {
                    field: "birthday".into(),
                    op: FilterOp::Between,
                    value: "01/01/1990".into(),
                    value2: "31/12/1999".into(),
                },
                Condition::Consent {
                    channel: "email".into(),
                    status: ConsentStatus::Granted,
                },
                Condition::Source {
                    source: SourceFilter::Job { job_id: 7 },
                },
            ],
            ..ListQuery::default()
        };
        assert_eq!(
            describe(&query, &fields, &channels, Lang::En),
            "Search “nguyen” · City is Hà Nội · Ngày sinh nhật is between 01/01/1990 and \
             31/12/1999 · E-mail consent: granted · Source: import job 7"
        );
        assert_eq!(
            describe(&query, &fields, &channels, Lang::Vi),
            "Tìm “nguyen” · Tỉnh/Thành phố là Hà Nội · Ngày sinh nhật từ 01/01/1990 đến \
             31/12/1999 · Sự đồng ý qua E-mail: đồng ý · Nguồn: lượt nhập 7",
            "a built-in field keeps its Vietnamese name, a renamed one its label"
        );
        let all = ListQuery::default();
        assert_eq!(describe(&all, &fields, &channels, Lang::En), "All profiles");
        assert_eq!(describe(&all, &fields, &channels, Lang::Vi), "Tất cả hồ sơ");
    }
}
