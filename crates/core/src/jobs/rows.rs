//! One source row through an import, in two halves that run on different threads:
//! [`RowPreparer`] turns the row's cells into a validated, normalised profile (pure work, done
//! on the reading thread), and [`RowApplier`] sends it through the synchronization rule inside
//! the writer's transaction.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;

use super::fixes::{Fixed, Fixes};
use super::{CellProblem, ImportCounts, ImportSettings, RowError};
use crate::error::Result;
use crate::model::{
    ConsentInput, FieldDef, FieldKind, InputValue, Lang, MatchKey, MergePolicy, ProfileInput,
    SaveOutcome, Source,
};
use crate::profiles::storage::Stamp;
use crate::profiles::writes::Writes;
use crate::profiles::{apply_incoming, apply_plan, rule_plan, validate, Rule, ValidProfile};
use pdesk_normalize::PhoneRegion;
use pdesk_rule::guards::{drop_blocked_values, BlockedValues};
use pdesk_rule::{Guards, MatchPlan, ReviewReason, SharedKeys};

/// A source row after preparation.
pub(crate) struct PreparedRow {
    /// The Excel row number (files) or line number (pastes).
    pub row: u32,
    /// The row's cells as the import reads them (the user's fixes applied): the failed-rows
    /// file and the dry run's review step show them.
    pub cells: Vec<String>,
    /// Whether the user corrected or left out the row after the dry run.
    pub fixed: Fixed,
    pub prepared: Prepared,
}

pub(crate) enum Prepared {
    Valid {
        profile: ValidProfile,
        /// The row's match-key values, to recognise later rows of the same source that match it.
        keys: Vec<(MatchKey, String)>,
        /// Identifier values of the row dropped as blocked (`0000000000`, `n/a`).
        blocked: u32,
    },
    /// The row cannot be imported: its first problem as the report words it, and every
    /// problem with the column it points at (the dry run's review step).
    Invalid {
        error: RowError,
        problems: Vec<CellProblem>,
    },
    /// The user left the row out after the dry run.
    Excluded,
}

/// The outcome of one applied row.
pub(crate) enum RowOutcome {
    Applied {
        outcome: SaveOutcome,
        /// The earlier row of the same source this row was merged with.
        duplicate_of: Option<u32>,
        /// For an update: the profile as it was, for undo.
        before: Option<ValidProfile>,
        /// The row holds a value the file shares among many people, not used to match.
        shared: bool,
        /// Identifier values of the row dropped as blocked.
        blocked: u32,
        /// Where the touched profile stood right after the row, for undo.
        marks: Option<UndoMarks>,
    },
    Failed,
    /// Left out by the user: nothing was written.
    Excluded,
}

/// Where a profile stood right after a row of a job changed it, so that undo can tell what
/// happened since (migration 0011). Ids only grow while the profile exists: a later history
/// entry or consent record of the profile has a greater id than its newest one now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UndoMarks {
    /// The id of the profile's newest history entry (the one the row wrote).
    pub history: i64,
    /// The id of the profile's newest consent record, 0 when it has none.
    pub consent: i64,
    /// The newest consent record of the whole store before the row: the row's own consent
    /// records have greater ids.
    pub consent_from: i64,
}

/// How a mapped cell is split into values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Phones, e-mails, tags, multi-select: values separated by `,` `;` or line breaks.
    List,
    /// One value; a `;` inside means several values were put in one cell, which validation
    /// refuses ("… holds one value, but 2 were given"). Commas and line breaks stay: they
    /// belong to names, addresses (Alt+Enter lines) and company names.
    Single,
    /// Long text: semicolons are part of the value too.
    Free,
}

/// Validates rows against the catalogue by the user's mapping. Holds no connection, so it can
/// run on the thread that reads the file.
pub(crate) struct RowPreparer {
    fields: Vec<FieldDef>,
    region: &'static PhoneRegion,
    /// The rule's blocked values, made ready once for every row.
    blocked: BlockedValues,
    targets: Vec<(usize, String, Shape)>,
    headers: HashMap<u32, String>,
    /// The user's corrections after the dry run.
    fixes: Fixes,
}

impl RowPreparer {
    pub fn new(
        fields: Vec<FieldDef>,
        region: &'static PhoneRegion,
        guards: Guards,
        settings: &ImportSettings,
    ) -> Self {
        let shapes: HashMap<&str, Shape> = fields
            .iter()
            .map(|f| {
                let shape = if f.kind.is_list() {
                    Shape::List
                } else if f.kind == FieldKind::LongText {
                    Shape::Free
                } else {
                    Shape::Single
                };
                (f.key.as_str(), shape)
            })
            .collect();
        let targets = settings
            .mapping
            .iter()
            .filter_map(|m| {
                let target = m.target.clone()?;
                let shape = shapes
                    .get(target.as_str())
                    .copied()
                    .unwrap_or(Shape::Single);
                Some((m.column as usize, target, shape))
            })
            .collect();
        let headers = settings
            .columns
            .iter()
            .map(|c| (c.index, c.header.clone()))
            .collect();
        RowPreparer {
            fields,
            region,
            blocked: guards.blocked_values(),
            targets,
            headers,
            fixes: Fixes::new(&settings.fixes),
        }
    }

    fn header(&self, column: usize) -> String {
        self.headers
            .get(&(column as u32))
            .cloned()
            .unwrap_or_else(|| format!("Column {}", column + 1))
    }

    /// The row's cells as a profile input, by the mapping. Several columns mapped to a list
    /// field all feed it.
    fn input(&self, cells: &[String]) -> ProfileInput {
        let mut input = ProfileInput::default();
        for (column, target, shape) in &self.targets {
            let Some(value) = cells.get(*column) else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            match shape {
                Shape::List => {
                    let entry = input
                        .values
                        .entry(target.clone())
                        .or_insert(InputValue::List(Vec::new()));
                    if let InputValue::List(items) = entry {
                        items.extend(value.split([',', ';', '\n']).map(str::to_string));
                    }
                }
                Shape::Single if value.contains(';') => {
                    let parts = value.split(';').map(str::to_string).collect();
                    input.values.insert(target.clone(), InputValue::List(parts));
                }
                Shape::Single | Shape::Free => {
                    input
                        .values
                        .insert(target.clone(), InputValue::Text(value.clone()));
                }
            }
        }
        input
    }

    /// The source column a field error points at (its field's first mapped column).
    fn column_of(&self, field: &str) -> Option<usize> {
        let key = field.split('.').next().unwrap_or(field);
        self.targets
            .iter()
            .find(|(_, target, _)| target == key)
            .map(|(column, _, _)| *column)
    }

    /// The column a field error points at, and its value.
    fn blame(&self, field: &str, cells: &[String]) -> (String, String) {
        match self.column_of(field) {
            Some(column) => (
                self.header(column),
                cells.get(column).cloned().unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        }
    }

    pub fn prepare(&self, row: u32, mut cells: Vec<String>) -> PreparedRow {
        let fixed = self.fixes.apply(row, &mut cells);
        if fixed == Fixed::Excluded {
            return PreparedRow {
                row,
                cells,
                fixed,
                prepared: Prepared::Excluded,
            };
        }
        let mut input = self.input(&cells);
        let blocked = drop_blocked_values(&mut input, &self.fields, &self.blocked).len() as u32;
        let prepared = match validate(&input, &self.fields, self.region, true) {
            Ok(profile) => Prepared::Valid {
                keys: match_values(&profile),
                profile,
                blocked,
            },
            Err(errors) => {
                let first = &errors[0];
                let (column, value) = self.blame(&first.field, &cells);
                let reason =
                    crate::error::and_more(first.message.clone(), errors.len() - 1, Lang::En);
                let problems = errors
                    .into_iter()
                    .map(|error| CellProblem {
                        column: self.column_of(&error.field).map(|c| c as u32),
                        error,
                    })
                    .collect();
                Prepared::Invalid {
                    error: RowError {
                        row,
                        column,
                        value,
                        reason,
                    },
                    problems,
                }
            }
        };
        PreparedRow {
            row,
            cells,
            fixed,
            prepared,
        }
    }
}

/// The match-key values of a profile, as the in-file duplicate detection compares them.
fn match_values(p: &ValidProfile) -> Vec<(MatchKey, String)> {
    let mut out: Vec<(MatchKey, String)> = p
        .phones
        .iter()
        .map(|x| (MatchKey::Phone, x.e164.clone()))
        .collect();
    out.extend(p.emails.iter().map(|e| (MatchKey::Email, e.key.clone())));
    if let Some(code) = p.scalars.get("customer_code") {
        out.push((MatchKey::CustomerCode, code.trim().to_string()));
    }
    out
}

/// Sends prepared rows through the synchronization rule, remembering which profile each
/// earlier row went to so that in-file duplicates are recognised.
pub(crate) struct RowApplier<'a> {
    pub keys: Vec<MatchKey>,
    pub consent: &'a ConsentInput,
    pub policy: MergePolicy,
    pub source: Source,
    guards: Guards,
    /// The values this file shares among many people (found by a first pass over it).
    shared: SharedKeys,
    /// Match-key values of rows already applied in this job → (row number, profile id; 0 for
    /// a row the dry run has not written yet).
    seen: HashMap<(MatchKey, String), (u32, i64)>,
    /// The dry run's creates not written yet; `None` in a job, which writes every row.
    deferred: Option<DeferredCreates>,
}

/// How many creates the dry run keeps unwritten at most (their profiles are held in memory):
/// past it, they are written and the count starts again. A default import (50,000 rows)
/// never reaches it.
const DEFERRED_MAX: usize = 60_000;

/// The dry run's shortcut — its writes are rolled back, so only their outcomes count. A row
/// that matches no profile of the store and no earlier row of the source is created whatever
/// comes after it, so it is counted as created and not written. It is written (in row order,
/// before the row that needs it) only when a later row shares one of its match values. That
/// late write still creates it: a value only reaches the store from a row checked against the
/// unwritten ones first, so nothing written in between matches it either.
#[derive(Default)]
struct DeferredCreates {
    rows: BTreeMap<u32, ValidProfile>,
    by_value: HashMap<(MatchKey, String), u32>,
}

impl DeferredCreates {
    /// The unwritten rows that share a value of `keys` (taken out, in row order).
    fn take_sharing(&mut self, keys: &[&(MatchKey, String)]) -> Vec<ValidProfile> {
        let mut rows: Vec<u32> = keys
            .iter()
            .filter_map(|v| self.by_value.get(*v).copied())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows.into_iter().filter_map(|r| self.take(r)).collect()
    }

    fn take(&mut self, row: u32) -> Option<ValidProfile> {
        let profile = self.rows.remove(&row)?;
        for v in match_values(&profile) {
            if self.by_value.get(&v) == Some(&row) {
                self.by_value.remove(&v);
            }
        }
        Some(profile)
    }

    fn take_all(&mut self) -> Vec<ValidProfile> {
        self.by_value.clear();
        std::mem::take(&mut self.rows).into_values().collect()
    }
}

impl<'a> RowApplier<'a> {
    pub fn new(
        keys: Vec<MatchKey>,
        settings: &'a ImportSettings,
        source: Source,
        guards: Guards,
    ) -> Self {
        RowApplier {
            keys,
            consent: &settings.consent,
            policy: settings.policy,
            source,
            guards,
            shared: SharedKeys::default(),
            seen: HashMap::new(),
            deferred: None,
        }
    }

    /// For the dry run: creates that nothing later needs are counted, not written
    /// ([`DeferredCreates`]).
    pub fn defer_creates(&mut self) {
        self.deferred = Some(DeferredCreates::default());
    }

    /// The values the file shares, as the first pass found them.
    pub fn set_shared(&mut self, shared: SharedKeys) {
        self.shared = shared;
    }

    pub fn apply(
        &mut self,
        conn: &Connection,
        stamp: &Stamp,
        writes: &mut Writes,
        row: &PreparedRow,
    ) -> Result<RowOutcome> {
        let (profile, keys, blocked) = match &row.prepared {
            Prepared::Valid {
                profile,
                keys,
                blocked,
            } => (profile, keys, blocked),
            Prepared::Invalid { .. } => return Ok(RowOutcome::Failed),
            Prepared::Excluded => return Ok(RowOutcome::Excluded),
        };
        let keys: Vec<&(MatchKey, String)> = keys
            .iter()
            .filter(|(key, value)| !self.shared.excludes(*key, value))
            .collect();
        let duplicate_of = keys.iter().find_map(|v| self.seen.get(*v)).map(|(r, _)| *r);
        let rule = Rule {
            keys: &self.keys,
            policy: self.policy,
            guards: &self.guards,
            shared: &self.shared,
        };
        // A job notes where the store stood, for undo (`UndoMarks`); a dry run keeps nothing.
        let consent_from: Option<i64> = match self.deferred {
            Some(_) => None,
            None => Some(
                conn.prepare_cached("SELECT IFNULL(MAX(id), 0) FROM consent_records")?
                    .query_row([], |r| r.get(0))?,
            ),
        };
        let plan = match &mut self.deferred {
            None => rule_plan(conn, profile, &rule)?,
            Some(deferred) => {
                let mut needed = deferred.take_sharing(&keys);
                if needed.is_empty() && deferred.rows.len() >= DEFERRED_MAX {
                    needed = deferred.take_all();
                }
                for earlier in &needed {
                    let created = apply_incoming(
                        conn,
                        stamp,
                        earlier,
                        self.consent,
                        &self.source,
                        &rule,
                        writes,
                    )?;
                    debug_assert!(matches!(created.outcome, SaveOutcome::Created { .. }));
                }
                let plan = rule_plan(conn, profile, &rule)?;
                if matches!(plan, MatchPlan::Create)
                    && !keys.iter().any(|v| self.seen.contains_key(*v))
                {
                    for v in &keys {
                        self.seen.insert((*v).clone(), (row.row, 0));
                        deferred.by_value.insert((*v).clone(), row.row);
                    }
                    deferred.rows.insert(row.row, profile.clone());
                    return Ok(RowOutcome::Applied {
                        outcome: SaveOutcome::Created {
                            profile_id: 0,
                            label: profile.label(0),
                        },
                        duplicate_of: None,
                        before: None,
                        shared: self.shared.touches(profile),
                        blocked: *blocked,
                        marks: None,
                    });
                }
                plan
            }
        };
        let applied = apply_plan(
            conn,
            stamp,
            profile,
            self.consent,
            &self.source,
            &rule,
            writes,
            plan,
        )?;
        let touched = match &applied.outcome {
            SaveOutcome::Created { profile_id, .. } | SaveOutcome::Updated { profile_id, .. } => {
                Some(*profile_id)
            }
            SaveOutcome::Review { .. } => None,
        };
        let mut marks = None;
        if let Some(id) = touched {
            for v in keys {
                self.seen.entry(v.clone()).or_insert((row.row, id));
            }
            if let Some(consent_from) = consent_from {
                let (history, consent) = conn
                    .prepare_cached(
                        "SELECT IFNULL((SELECT MAX(id) FROM profile_history WHERE profile_id = ?1), 0),
                                IFNULL((SELECT MAX(id) FROM consent_records WHERE profile_id = ?1), 0)",
                    )?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                marks = Some(UndoMarks {
                    history,
                    consent,
                    consent_from,
                });
            }
        }
        Ok(RowOutcome::Applied {
            outcome: applied.outcome,
            duplicate_of,
            before: applied.before,
            shared: self.shared.touches(profile),
            blocked: *blocked,
            marks,
        })
    }
}

/// Adds one row's outcome to the counts.
pub(crate) fn count(counts: &mut ImportCounts, row: &PreparedRow, outcome: &RowOutcome) {
    counts.rows += 1;
    counts.fixed += u32::from(row.fixed == Fixed::Cells);
    let (outcome, duplicate_of, shared, blocked) = match outcome {
        RowOutcome::Applied {
            outcome,
            duplicate_of,
            shared,
            blocked,
            ..
        } => (outcome, duplicate_of, shared, blocked),
        RowOutcome::Failed => {
            counts.failed += 1;
            return;
        }
        RowOutcome::Excluded => {
            counts.excluded += 1;
            return;
        }
    };
    counts.shared_key_rows += u32::from(*shared);
    counts.blocked_values += blocked;
    match (outcome, duplicate_of) {
        (SaveOutcome::Created { .. } | SaveOutcome::Updated { .. }, Some(_)) => {
            counts.duplicates += 1
        }
        (SaveOutcome::Created { .. }, None) => counts.created += 1,
        (SaveOutcome::Updated { .. }, None) => counts.updated += 1,
        (SaveOutcome::Review { reason, .. }, _) => {
            counts.reviews += 1;
            match reason {
                ReviewReason::NameDiffers => counts.name_differs += 1,
                ReviewReason::IdentifierLimit => counts.identifier_limit += 1,
                ReviewReason::SeveralMatches | ReviewReason::KeptApart => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdesk_rule::EmailValue;

    fn with_email(key: &str) -> ValidProfile {
        ValidProfile {
            emails: vec![EmailValue {
                raw: key.to_string(),
                key: key.to_string(),
            }],
            ..ValidProfile::default()
        }
    }

    fn defer(d: &mut DeferredCreates, row: u32, p: ValidProfile) {
        for v in match_values(&p) {
            d.by_value.insert(v, row);
        }
        d.rows.insert(row, p);
    }

    /// What a later row needs comes out in row order, once, with its values; the rest stays
    /// until the dry run's limit takes everything at once.
    #[test]
    fn unwritten_creates_are_taken_in_row_order_once_and_all_at_the_limit() {
        let mut d = DeferredCreates::default();
        defer(&mut d, 3, with_email("c@x.vn"));
        defer(&mut d, 1, with_email("a@x.vn"));
        defer(&mut d, 2, with_email("b@x.vn"));
        let wanted = [
            (MatchKey::Email, "c@x.vn".to_string()),
            (MatchKey::Email, "a@x.vn".to_string()),
            (MatchKey::Email, "a@x.vn".to_string()),
            (MatchKey::Phone, "+84911000001".to_string()),
        ];
        let taken = d.take_sharing(&wanted.iter().collect::<Vec<_>>());
        let keys: Vec<&str> = taken.iter().map(|p| p.emails[0].key.as_str()).collect();
        assert_eq!(keys, ["a@x.vn", "c@x.vn"], "in row order, each once");
        assert!(
            d.take_sharing(&wanted.iter().collect::<Vec<_>>())
                .is_empty(),
            "taken rows are gone, with their values"
        );
        assert_eq!(d.by_value.len(), 1, "b's value is still known");
        assert_eq!(d.take_all().len(), 1);
        assert!(d.rows.is_empty() && d.by_value.is_empty());
    }
}
