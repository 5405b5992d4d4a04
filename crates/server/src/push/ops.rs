//! Each op kind applied to the server's state (SYNC.md §5.2–§5.5): creates through the
//! synchronization rule (`pdesk_rule`, the same code as the app), updates through the field
//! policies (fast-forward applies; only a concurrent edit is decided, by last-writer-wins on
//! the HLC, and the losing value is kept as a conflict), deletes as tombstones with their
//! reason, consent as append-only events, and people's merge, review and conflict decisions.

use std::collections::{BTreeSet, HashMap};

use pdesk_rule::vocab::{MergePolicy, ProfileId};
use pdesk_rule::{Candidates, MatchPlan, ReviewReason, SharedKeys, ValidProfile};
use pdesk_sync_proto::profile::{ConsentEvent, EmailItem, PhoneItem, ProfileFields, TagItem};
use pdesk_sync_proto::pull::{ConflictState, ItemStatus, ReviewState, Tombstone};
use pdesk_sync_proto::push::{
    Applied, ConflictChoice, ConflictResolve, ConsentRecord, FieldConflict, Merged, OpBody,
    Outcome, ProfileCreate, ProfileDelete, ProfileMerge, ProfileUpdate, RejectCode, Removal,
    ReviewDecision, ReviewOpened, ReviewResolve,
};
use serde_json::Value;

use super::convert::{self, get_value, is_empty, set_value};
use super::{ApplyResult, OpContext, Reject};
use crate::clock::rfc3339;
use crate::config::{wire_key, ServerConfig};
use crate::db::{DbError, Sql, Val};
use crate::decisions::{self, Table};
use crate::feed::kind;
use crate::ids::new_id;
use crate::record::ProfileRecord;

pub fn apply(cx: &mut OpContext, op: &OpBody) -> ApplyResult<Outcome> {
    match op {
        OpBody::ProfileCreate(op) => create(cx, op),
        OpBody::ProfileUpdate(op) => update(cx, op),
        OpBody::ProfileDelete(op) => delete(cx, op),
        OpBody::ProfileMerge(op) => merge(cx, op),
        OpBody::ConsentRecord(op) => consent(cx, op),
        OpBody::ReviewResolve(op) => resolve_review(cx, op),
        OpBody::ConflictResolve(op) => resolve_conflict(cx, op),
    }
}

fn invalid(errors: Vec<pdesk_rule::vocab::FieldError>) -> Reject {
    let first = errors.into_iter().next();
    match first {
        Some(e) => Reject::new(RejectCode::Invalid, e.message).field(e.field),
        None => Reject::new(RejectCode::Invalid, "the values do not pass validation"),
    }
}

fn not_found(what: &str, id: &str) -> Reject {
    Reject::new(
        RejectCode::NotFound,
        format!("there is no {what} {id} on the server"),
    )
}

fn deleted(record: &ProfileRecord) -> Reject {
    let why = record
        .tombstone
        .as_ref()
        .map(|t| {
            format!(
                " by {} on {}: {}",
                t.by.as_deref().unwrap_or("someone"),
                t.at,
                t.reason.as_deref().unwrap_or("no reason given")
            )
        })
        .unwrap_or_default();
    Reject::new(
        RejectCode::Deleted,
        format!("the profile was deleted{why}; deleting wins over editing"),
    )
}

/// A live profile by gid, following merges to their survivor.
fn live_profile(sql: &mut dyn Sql, gid: &str) -> ApplyResult<ProfileRecord> {
    match ProfileRecord::load_following(sql, gid)? {
        None => Err(not_found("profile", gid).into()),
        Some(r) if r.deleted => Err(deleted(&r).into()),
        Some(r) => Ok(r),
    }
}

/// Match keys already read, with the gids holding each: a create's live keys and the salted
/// keys a deleted holder of them would have left, read in one query before the rule runs (each
/// query is a round trip on PostgreSQL, and the rule asks for each key in turn). A push's run
/// of plain creates shares one ([`super::creates`]), primed for many ops at once and kept up to
/// date with the creates it holds back.
#[derive(Default)]
pub(super) struct KnownKeys(HashMap<(String, String), Vec<String>>);

/// Key pairs per look-up query, padded to a power of two so a few prepared statements serve
/// every size.
const KEYS_PER_QUERY: usize = 128;

impl KnownKeys {
    /// Every (kind, key) a create of `fields` can be looked up by: live and tombstone forms.
    pub(super) fn wanted(salt: &str, fields: &ProfileFields) -> Vec<(String, String)> {
        let mut wanted = Vec::new();
        for (kind, key) in crate::record::identifier_keys(fields) {
            wanted.push((
                format!("{kind}~"),
                crate::record::tombstone_key(salt, kind, &key),
            ));
            wanted.push((kind.to_string(), key));
        }
        wanted
    }

    pub(super) fn holds_all(&self, wanted: &[(String, String)]) -> bool {
        wanted.iter().all(|pair| self.0.contains_key(pair))
    }

    /// Reads the holders of the pairs not held yet.
    pub(super) fn read_missing(
        &mut self,
        sql: &mut dyn Sql,
        wanted: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), DbError> {
        let mut missing: Vec<(String, String)> = Vec::new();
        for pair in wanted {
            if !self.0.contains_key(&pair) {
                self.0.insert(pair.clone(), Vec::new());
                missing.push(pair);
            }
        }
        for chunk in missing.chunks(KEYS_PER_QUERY) {
            let padded = chunk.len().next_power_of_two();
            let mut params = Vec::with_capacity(padded * 2);
            let mut terms = Vec::with_capacity(padded);
            for i in 0..padded {
                let (kind, key) = &chunk[i.min(chunk.len() - 1)];
                terms.push(format!("(kind = ${} AND k = ${})", 2 * i + 1, 2 * i + 2));
                params.push(Val::from(kind.as_str()));
                params.push(Val::from(key.as_str()));
            }
            let rows = sql.query(
                &format!(
                    "SELECT kind, k, gid FROM identifiers WHERE {} ORDER BY gid",
                    terms.join(" OR ")
                ),
                &params,
            )?;
            for r in rows {
                if let Some(gids) = self.0.get_mut(&(r.text(0), r.text(1))) {
                    gids.push(r.text(2));
                }
            }
        }
        Ok(())
    }

    /// A profile not yet written now holds `(kind, key)` (kept in gid order, as read).
    pub(super) fn add(&mut self, kind: &str, key: &str, gid: &str) {
        let gids = self
            .0
            .entry((kind.to_string(), key.to_string()))
            .or_default();
        if let Err(at) = gids.binary_search_by(|g| g.as_str().cmp(gid)) {
            gids.insert(at, gid.to_string());
        }
    }

    fn get(&self, kind: &str, key: &str) -> Option<&Vec<String>> {
        self.0.get(&(kind.to_string(), key.to_string()))
    }
}

/// The rule's candidate look-ups on the server's `identifiers` (from [`KnownKeys`], or a
/// query for a key it does not hold — unless `strict`, when profiles not yet written exist and
/// a query could not see them: the look-up then notes `missed`): gids interned as the rule's
/// integer ids, in the order first seen.
struct Lookup<'a> {
    sql: &'a mut dyn Sql,
    known: &'a KnownKeys,
    gids: Vec<String>,
    strict: bool,
    missed: bool,
}

impl Lookup<'_> {
    fn find(&mut self, kind: &str, key: &str) -> Result<Vec<ProfileId>, DbError> {
        let found: Vec<String> = match self.known.get(kind, key) {
            Some(gids) => gids.clone(),
            None if self.strict => {
                self.missed = true;
                Vec::new()
            }
            None => self
                .sql
                .query(
                    "SELECT gid FROM identifiers WHERE kind = $1 AND k = $2 ORDER BY gid",
                    &[kind.into(), key.into()],
                )?
                .into_iter()
                .map(|r| r.text(0))
                .collect(),
        };
        Ok(found
            .into_iter()
            .map(|gid| {
                let at = self.gids.iter().position(|g| *g == gid).unwrap_or_else(|| {
                    self.gids.push(gid);
                    self.gids.len() - 1
                });
                at as ProfileId
            })
            .collect())
    }
}

impl Candidates for Lookup<'_> {
    type Error = DbError;
    fn by_phone(&mut self, e164: &str) -> Result<Vec<ProfileId>, DbError> {
        self.find("phone", e164)
    }
    fn by_email(&mut self, key: &str) -> Result<Vec<ProfileId>, DbError> {
        self.find("email", key)
    }
    fn by_customer_code(&mut self, code: &str) -> Result<Vec<ProfileId>, DbError> {
        self.find("code", code)
    }
}

/// Recently deleted profiles that held one of the create's keys, `wanted` (SYNC.md §5.2: an
/// offline laptop must not silently bring back a customer deleted, e.g., on an erasure
/// request). Only the create's own keys: a push's run holds the keys of 200 ops.
fn deleted_holders(known: &KnownKeys, wanted: &[(String, String)]) -> Vec<String> {
    let gids: BTreeSet<String> = wanted
        .iter()
        .filter(|(kind, _)| kind.ends_with('~'))
        .filter_map(|pair| known.0.get(pair))
        .flatten()
        .cloned()
        .collect();
    gids.into_iter().collect()
}

fn fresh_tag(cx: &OpContext) -> impl FnMut() -> String {
    let now = cx.now_ms;
    move || new_id("", now)
}

/// Field versions and writer stamps for every field `fields` holds, at `rev`.
fn stamp_fields(cx: &OpContext, record: &mut ProfileRecord, keys: &[String]) {
    for key in keys {
        record.meta.fv.insert(key.clone(), record.rev);
        record.meta.stamps.insert(key.clone(), cx.stamp.clone());
    }
    for (entry, tag) in convert::list_tags(&record.fields) {
        record.meta.tags.entry(entry).or_default().insert(tag);
    }
}

fn touch_profile(cx: &mut OpContext, record: &ProfileRecord, before: Option<(u64, bool)>) {
    cx.touched
        .profile(&record.gid, before, (record.rev, !record.deleted));
}

fn record_consent(cx: &mut OpContext, gid: &str, event: &ConsentEvent) -> ApplyResult<()> {
    if !cx.config.channels.iter().any(|c| c.key == event.channel) {
        return Err(Reject::new(
            RejectCode::Invalid,
            format!(
                "there is no consent channel \"{}\" on the server",
                event.channel
            ),
        )
        .field("channel")
        .into());
    }
    let status = serde_json::to_value(event.status).expect("status serialises");
    let inserted = cx.sql.execute(
        "INSERT INTO consent_events (event_id, gid, channel, status, recorded_at, recorded_by, source, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING",
        &[
            event.event_id.as_str().into(),
            gid.into(),
            event.channel.as_str().into(),
            status.as_str().unwrap_or("unknown").into(),
            event.recorded_at.as_str().into(),
            event
                .recorded_by
                .clone()
                .unwrap_or_else(|| cx.session.user_name.clone())
                .into(),
            format!("sync:{}", cx.session.device_id).into(),
            rfc3339(cx.now_ms).into(),
        ],
    )?;
    if inserted > 0 {
        cx.touched.object(kind::CONSENT, &event.event_id, gid);
    }
    Ok(())
}

fn origin(cx: &OpContext) -> Option<(String, u64)> {
    Some((cx.replica.to_string(), cx.seq))
}

fn gid_taken(gid: &str) -> Reject {
    Reject::new(
        RejectCode::Invalid,
        format!("a profile with gid {gid} exists: a create needs a new gid"),
    )
    .field("gid")
}

/// Refuses a create whose gid the server already has. The plain-create and merge paths need no
/// look-up: their insert of the new gid refuses a taken one itself ([`ProfileRecord::insert_new`]).
fn require_new_gid(sql: &mut dyn Sql, gid: &str) -> ApplyResult<()> {
    if ProfileRecord::load(sql, gid)?.is_some() {
        return Err(gid_taken(gid).into());
    }
    Ok(())
}

/// A create's fields as the server's catalogue checks and converts them.
pub(super) fn checked_create(
    config: &ServerConfig,
    now_ms: u64,
    op: &ProfileCreate,
) -> Result<(ValidProfile, ProfileFields), Reject> {
    let incoming = convert::validate(&op.fields, config, true).map_err(invalid)?;
    pdesk_rule::matching::require_within_limits(&incoming, &config.guards)
        .map_err(|e| invalid(vec![e]))?;
    let fields = convert::to_fields(&incoming, &[&op.fields], config.region(), &mut || {
        new_id("", now_ms)
    });
    Ok((incoming, fields))
}

/// What the synchronization rule makes of a create.
pub(super) struct CreatePlan {
    pub(super) plan: MatchPlan,
    /// The rule's candidate ids, as gids.
    gids: Vec<String>,
    /// Recently deleted profiles that held one of its keys.
    pub(super) holders: Vec<String>,
}

/// Runs the rule on a checked create — `wanted`: the keys it can be looked up by
/// ([`KnownKeys::wanted`]) — with the keys in `known`; `None` when `strict` and the rule asked
/// for a key `known` does not hold.
pub(super) fn plan_create(
    sql: &mut dyn Sql,
    config: &ServerConfig,
    incoming: &ValidProfile,
    wanted: &[(String, String)],
    known: &KnownKeys,
    strict: bool,
) -> ApplyResult<Option<CreatePlan>> {
    let mut lookup = Lookup {
        sql,
        known,
        gids: Vec::new(),
        strict,
        missed: false,
    };
    let matches =
        pdesk_rule::find_matches(incoming, &config.keys, &SharedKeys::default(), &mut lookup)?;
    if lookup.missed {
        return Ok(None);
    }
    Ok(Some(CreatePlan {
        plan: pdesk_rule::plan(matches),
        gids: lookup.gids,
        holders: deleted_holders(known, wanted),
    }))
}

/// A new profile of this op at rev 1, every field stamped by it.
pub(super) fn new_profile(cx: &OpContext, gid: &str, fields: ProfileFields) -> ProfileRecord {
    let mut record = ProfileRecord::new(gid, fields, cx.now_ms);
    record.rev = 1;
    record.origin = origin(cx);
    let keys = convert::keys_with_values(&record.fields);
    stamp_fields(cx, &mut record, &keys);
    record
}

pub(super) fn applied_new(record: &ProfileRecord) -> Outcome {
    Outcome::Applied(Applied {
        gid: Some(record.gid.clone()),
        rev: record.rev,
        conflicts: Vec::new(),
        state: None,
    })
}

fn create(cx: &mut OpContext, op: &ProfileCreate) -> ApplyResult<Outcome> {
    let (incoming, fields) = checked_create(cx.config, cx.now_ms, op)?;
    let wanted = KnownKeys::wanted(cx.key_salt, &fields);
    let mut known = KnownKeys::default();
    known.read_missing(cx.sql, wanted.iter().cloned())?;
    let CreatePlan {
        plan,
        gids,
        holders,
    } = plan_create(cx.sql, cx.config, &incoming, &wanted, &known, false)?
        .expect("a look-up that may query misses nothing");
    let gid_of = |id: ProfileId| gids[id as usize].clone();
    match plan {
        MatchPlan::Create => {
            if !holders.is_empty() {
                require_new_gid(cx.sql, &op.gid)?;
                return open_review(cx, op, fields, holders, "deleted_recently");
            }
            let record = new_profile(cx, &op.gid, fields);
            if !record.insert_new(cx.sql)? {
                return Err(gid_taken(&op.gid).into());
            }
            touch_profile(cx, &record, None);
            for event in &op.consent {
                record_consent(cx, &record.gid, event)?;
            }
            Ok(applied_new(&record))
        }
        MatchPlan::Merge { profile_id, key } => {
            let target = gid_of(profile_id);
            let mut existing = live_profile(cx.sql, &target)?;
            let existing_valid =
                convert::validate(&existing.fields, cx.config, false).map_err(invalid)?;
            let policy = if op.fill_empty_only {
                MergePolicy::FillEmptyOnly
            } else {
                cx.config.merge_policy
            };
            let merged = match pdesk_rule::guarded_merge(
                &existing_valid,
                &incoming,
                policy,
                &cx.config.guards,
            ) {
                Ok((merged, _)) => merged,
                Err(reason) => {
                    require_new_gid(cx.sql, &op.gid)?;
                    return open_review(cx, op, fields, vec![target], review_reason(reason));
                }
            };
            let before = (existing.rev, true);
            let new_fields = convert::to_fields(
                &merged,
                &[&existing.fields, &fields],
                cx.config.region(),
                &mut fresh_tag(cx),
            );
            let changed: Vec<String> = convert::keys_with_values(&new_fields)
                .into_iter()
                .filter(|k| field_differs(&existing.fields, &new_fields, k))
                .collect();
            existing.fields = new_fields;
            existing.rev += 1;
            existing.updated_at = rfc3339(cx.now_ms);
            existing.origin = origin(cx);
            stamp_fields(cx, &mut existing, &changed);
            existing.save(cx.sql)?;
            touch_profile(cx, &existing, Some(before));
            // The incoming gid stays as an alias of the survivor: ops the client sent for it
            // before it read this answer land on the survivor.
            let mut alias = ProfileRecord::new(&op.gid, ProfileFields::default(), cx.now_ms);
            alias.rev = 1;
            alias.deleted = true;
            alias.merged_into = Some(existing.gid.clone());
            alias.tombstone = Some(Tombstone {
                merged_into: Some(existing.gid.clone()),
                by: Some(cx.session.user_name.clone()),
                reason: None,
                reason_code: None,
                at: rfc3339(cx.now_ms),
                lost_edits: Vec::new(),
            });
            alias.deleted_ms = Some(cx.now_ms);
            // The alias's insert is the gid check of this path: a taken gid refuses the op,
            // and its savepoint takes back the survivor's save.
            if !alias.insert_new(cx.sql)? {
                return Err(gid_taken(&op.gid).into());
            }
            for event in &op.consent {
                record_consent(cx, &existing.gid, event)?;
            }
            Ok(Outcome::Merged(Merged {
                gid: op.gid.clone(),
                into: existing.gid.clone(),
                matched_by: wire_key(key),
                rev: existing.rev,
                state: Some(existing.state(cx.sql)?),
            }))
        }
        MatchPlan::Review(matches) => {
            require_new_gid(cx.sql, &op.gid)?;
            let candidates = matches.into_iter().map(|(id, _)| gid_of(id)).collect();
            open_review(cx, op, fields, candidates, "several_matches")
        }
    }
}

fn review_reason(reason: ReviewReason) -> &'static str {
    match reason {
        ReviewReason::SeveralMatches => "several_matches",
        ReviewReason::NameDiffers => "name_differs",
        ReviewReason::IdentifierLimit => "identifier_limit",
        ReviewReason::KeptApart => "kept_apart",
    }
}

fn field_differs(a: &ProfileFields, b: &ProfileFields, key: &str) -> bool {
    match key {
        "phones" => a.phones != b.phones,
        "emails" => a.emails != b.emails,
        "tags" => a.tags != b.tags,
        k => get_value(a, k) != get_value(b, k),
    }
}

/// Stores the incoming profile under its own gid, flagged, and opens a merge review: nothing
/// is merged automatically and nothing is dropped.
fn open_review(
    cx: &mut OpContext,
    op: &ProfileCreate,
    fields: ProfileFields,
    candidates: Vec<String>,
    reason: &str,
) -> ApplyResult<Outcome> {
    let mut record = new_profile(cx, &op.gid, fields);
    record.review_open = true;
    record.save(cx.sql)?;
    touch_profile(cx, &record, None);
    for event in &op.consent {
        record_consent(cx, &record.gid, event)?;
    }
    let review = new_id("rv_", cx.now_ms);
    let state = ReviewState {
        gid: record.gid.clone(),
        candidates: candidates.clone(),
        reason: reason.into(),
        status: ItemStatus::Open,
        resolved_by: None,
        decision: None,
    };
    decisions::save(cx.sql, Table::Reviews, &review, &state.gid, 1, &state)?;
    cx.touched.object(kind::REVIEW, &review, &record.gid);
    Ok(Outcome::Review(ReviewOpened {
        review,
        candidates,
        gid: Some(record.gid),
    }))
}

/// One scalar value from an update, validated and normalised by the catalogue's rules.
fn validated_value(cx: &OpContext, key: &str, value: &Option<Value>) -> ApplyResult<Value> {
    let Some(field) = cx.config.field(key) else {
        return Err(Reject::new(
            RejectCode::UnknownField,
            format!("the server's catalogue has no field \"{key}\": an administrator can add it"),
        )
        .field(key)
        .into());
    };
    if field.kind.is_list() || field.kind == pdesk_rule::vocab::FieldKind::System {
        return Err(Reject::new(
            RejectCode::Invalid,
            format!(
                "{} is not set with `set`: lists change through add and remove",
                field.label
            ),
        )
        .field(key)
        .into());
    }
    let Some(value) = value.as_ref().filter(|v| !is_empty(v)) else {
        return Ok(Value::Null);
    };
    let mut input = pdesk_rule::vocab::ProfileInput::default();
    input
        .values
        .insert(key.to_string(), convert::input_value(value));
    let valid = pdesk_rule::validate(&input, &cx.config.fields, cx.config.region(), false)
        .map_err(invalid)?;
    Ok(valid
        .scalars
        .get(key)
        .map(|s| Value::String(s.clone()))
        .or_else(|| valid.custom.get(key).cloned())
        .unwrap_or(Value::Null))
}

fn conflict(
    cx: &mut OpContext,
    gid: &str,
    field: &str,
    kept: (Value, &crate::record::Stamp),
    lost: (Value, &crate::record::Stamp),
) -> Result<FieldConflict, DbError> {
    let id = new_id("cf_", cx.now_ms);
    let kept_device = device_of_replica(cx.sql, &kept.1.replica)?;
    let lost_device = device_of_replica(cx.sql, &lost.1.replica)?;
    let state = ConflictState {
        gid: gid.into(),
        field: field.into(),
        kept: kept.0.clone(),
        lost: lost.0.clone(),
        kept_by: kept.1.user.clone(),
        lost_by: lost.1.user.clone(),
        kept_hlc: kept.1.hlc,
        lost_hlc: lost.1.hlc,
        status: ItemStatus::Open,
        kept_replica: Some(kept.1.replica.clone()),
        lost_replica: Some(lost.1.replica.clone()),
        kept_device,
        lost_device,
    };
    decisions::save(cx.sql, Table::Conflicts, &id, &state.gid, 1, &state)?;
    cx.touched.object(kind::CONFLICT, &id, gid);
    Ok(FieldConflict {
        id,
        field: field.into(),
        kept: kept.0,
        lost: lost.0,
    })
}

/// The name of the device a replica belongs to (what conflict review shows as "which device").
fn device_of_replica(sql: &mut dyn Sql, replica: &str) -> Result<Option<String>, DbError> {
    Ok(sql
        .query_opt(
            "SELECT d.name FROM replicas r JOIN devices d ON d.id = r.device_id WHERE r.id = $1",
            &[replica.into()],
        )?
        .map(|row| row.text(0)))
}

fn update(cx: &mut OpContext, op: &ProfileUpdate) -> ApplyResult<Outcome> {
    let mut record = live_profile(cx.sql, &op.gid)?;
    // An edit of a profile merged away lands on its survivor, as a concurrent edit.
    let redirected = record.gid != op.gid;
    let before = (record.rev, true);
    let next_rev = record.rev + 1;
    let mut changed = false;
    let mut conflicts = Vec::new();
    for (key, set) in &op.set {
        let new = validated_value(cx, key, &set.v)?;
        let current = get_value(&record.fields, key);
        if new == current {
            continue;
        }
        let stored = record.meta.stamps.get(key).cloned();
        let fast_forward =
            !redirected && set.base_fv == record.meta.fv.get(key).copied().unwrap_or(0);
        let wins = fast_forward || stored.as_ref().is_none_or(|s| cx.stamp.wins_over(s));
        if wins {
            if !fast_forward && !is_empty(&current) {
                let loser = stored.clone().unwrap_or_else(|| cx.stamp.clone());
                let stamp = cx.stamp.clone();
                conflicts.push(conflict(
                    cx,
                    &record.gid,
                    key,
                    (new.clone(), &stamp),
                    (current, &loser),
                )?);
            }
            set_value(&mut record.fields, key, new);
            record.meta.fv.insert(key.clone(), next_rev);
            record.meta.stamps.insert(key.clone(), cx.stamp.clone());
            changed = true;
        } else if !is_empty(&new) {
            let winner = stored.expect("a losing edit has a stored stamp");
            let stamp = cx.stamp.clone();
            conflicts.push(conflict(
                cx,
                &record.gid,
                key,
                (current, &winner),
                (new, &stamp),
            )?);
        }
    }
    let tags_before = record.meta.tags.clone();
    changed |= apply_list_changes(cx, &mut record, op, next_rev)?;
    if !changed {
        if record.meta.tags != tags_before {
            // A value added again under a new tag: nothing shows, but a later remove that did
            // not observe this tag must keep the value.
            record.save(cx.sql)?;
        }
        return Ok(Outcome::Applied(Applied {
            gid: redirected.then(|| record.gid.clone()),
            rev: record.rev,
            conflicts,
            state: Some(record.state(cx.sql)?),
        }));
    }
    record.rev = next_rev;
    record.updated_at = rfc3339(cx.now_ms);
    record.origin = origin(cx);
    record.save(cx.sql)?;
    touch_profile(cx, &record, Some(before));
    Ok(Outcome::Applied(Applied {
        gid: redirected.then(|| record.gid.clone()),
        rev: record.rev,
        conflicts,
        state: Some(record.state(cx.sql)?),
    }))
}

/// OR-set adds and removes of phones, e-mails and tags. A remove deletes only the tags it
/// observed: a value someone else added meanwhile (an unseen tag) stays.
fn apply_list_changes(
    cx: &mut OpContext,
    record: &mut ProfileRecord,
    op: &ProfileUpdate,
    next_rev: u64,
) -> ApplyResult<bool> {
    let mut changed = BTreeSet::new();
    if !op.add.phones.is_empty() || !op.add.emails.is_empty() {
        // New identifiers are validated and normalised like a create's (blocked values dropped).
        let probe = ProfileFields {
            phones: op.add.phones.clone(),
            emails: op.add.emails.clone(),
            ..ProfileFields::default()
        };
        let valid = convert::validate(&probe, cx.config, false).map_err(invalid)?;
        let mut tag = fresh_tag(cx);
        let added = convert::to_fields(&valid, &[&probe], cx.config.region(), &mut tag);
        if or_add(
            &mut record.meta.tags,
            "phones",
            &mut record.fields.phones,
            added.phones,
            convert::phone_key,
            |p| p.tag.clone(),
        ) {
            changed.insert("phones");
        }
        if or_add(
            &mut record.meta.tags,
            "emails",
            &mut record.fields.emails,
            added.emails,
            convert::email_key,
            |e| e.tag.clone(),
        ) {
            changed.insert("emails");
        }
    }
    for tag in &op.add.tags {
        let value = pdesk_normalize::clean_text(&tag.v);
        if value.is_empty() {
            continue;
        }
        let entry = format!("tags\u{1f}{value}");
        record
            .meta
            .tags
            .entry(entry)
            .or_default()
            .insert(tag.tag.clone());
        if !record.fields.tags.iter().any(|t| t.v == value) {
            record.fields.tags.push(TagItem {
                v: value,
                tag: tag.tag.clone(),
            });
            changed.insert("tags");
        }
    }
    let guards = &cx.config.guards;
    if record.fields.phones.len() > guards.max_phones as usize && changed.contains("phones")
        || record.fields.emails.len() > guards.max_emails as usize && changed.contains("emails")
    {
        return Err(Reject::new(
            RejectCode::Invalid,
            format!(
                "a profile holds at most {} phones and {} e-mails (the server's synchronization rule)",
                guards.max_phones, guards.max_emails
            ),
        )
        .field("identifierLimit")
        .into());
    }
    let region = cx.config.region();
    for removal in &op.remove.phones {
        let key = pdesk_normalize::normalize_phone(&removal.v, region)
            .unwrap_or_else(|_| removal.v.clone());
        if remove_observed(record, "phones", &key, removal) {
            record
                .fields
                .phones
                .retain(|p: &PhoneItem| convert::phone_key(p) != key);
            changed.insert("phones");
        }
    }
    for removal in &op.remove.emails {
        let key = pdesk_normalize::email_key(&removal.v);
        if remove_observed(record, "emails", &key, removal) {
            record
                .fields
                .emails
                .retain(|e: &EmailItem| convert::email_key(e) != key);
            changed.insert("emails");
        }
    }
    for removal in &op.remove.tags {
        let key = removal.v.clone();
        if remove_observed(record, "tags", &key, removal) {
            record.fields.tags.retain(|t| t.v != key);
            changed.insert("tags");
        }
    }
    if !op.add.custom.is_empty() || !op.remove.custom.is_empty() {
        return Err(Reject::new(
            RejectCode::UnknownField,
            "the server's catalogue has no multi-select custom fields",
        )
        .field(
            op.add
                .custom
                .keys()
                .chain(op.remove.custom.keys())
                .next()
                .cloned()
                .unwrap_or_default(),
        )
        .into());
    }
    for list in &changed {
        record.meta.fv.insert(list.to_string(), next_rev);
        record
            .meta
            .stamps
            .insert(list.to_string(), cx.stamp.clone());
    }
    Ok(!changed.is_empty())
}

/// OR-set adds to one list: each item's tag joins the live tags of its value, and a value not
/// yet in the list is appended. Answers whether the list grew.
fn or_add<T>(
    tags: &mut std::collections::BTreeMap<String, BTreeSet<String>>,
    list_name: &str,
    list: &mut Vec<T>,
    items: Vec<T>,
    key: fn(&T) -> String,
    tag: fn(&T) -> String,
) -> bool {
    let mut grew = false;
    for item in items {
        let value = key(&item);
        tags.entry(format!("{list_name}\u{1f}{value}"))
            .or_default()
            .insert(tag(&item));
        if !list.iter().any(|existing| key(existing) == value) {
            list.push(item);
            grew = true;
        }
    }
    grew
}

/// Drops the observed tags of a list value; answers whether the value is gone (no tag left).
fn remove_observed(record: &mut ProfileRecord, list: &str, key: &str, removal: &Removal) -> bool {
    let entry = format!("{list}\u{1f}{key}");
    let Some(tags) = record.meta.tags.get_mut(&entry) else {
        return false;
    };
    for tag in &removal.observed {
        tags.remove(tag);
    }
    if tags.is_empty() {
        record.meta.tags.remove(&entry);
        true
    } else {
        false
    }
}

fn delete(cx: &mut OpContext, op: &ProfileDelete) -> ApplyResult<Outcome> {
    let (mut record, existed) = match ProfileRecord::load(cx.sql, &op.gid)? {
        Some(record) => (record, true),
        // A delete of a customer this server does not know: made on a device that had it from
        // another whose create has not reached this server yet — after a restore from an
        // older backup, each device sends its lost ops again, in no order between devices.
        // The tombstone is written now, so that create, when it comes, finds the customer
        // deleted (refused: its gid is taken) rather than bringing it back (found by the model
        // test, issue 14).
        None => (new_profile(cx, &op.gid, ProfileFields::default()), false),
    };
    if let Some(into) = &record.merged_into {
        return Err(Reject::new(
            RejectCode::Deleted,
            format!(
                "this profile was merged into {into} on the server: delete that one if you mean to"
            ),
        )
        .into());
    }
    if record.deleted {
        // Already deleted: the goal holds; the first delete's who and why stay.
        return Ok(Outcome::Applied(Applied {
            gid: None,
            rev: record.rev,
            conflicts: Vec::new(),
            state: None,
        }));
    }
    if op.reason.trim().is_empty() {
        return Err(
            Reject::new(RejectCode::Invalid, "a delete needs the user's reason")
                .field("reason")
                .into(),
        );
    }
    let before = existed.then_some((record.rev, true));
    let keys = crate::record::identifier_keys(&record.fields);
    record.rev += 1;
    record.deleted = true;
    record.review_open = false;
    // The customer's data goes with the delete (an erasure request must erase); the tombstone
    // keeps who, when and why, and salted hashes of the match keys.
    record.fields = ProfileFields::default();
    record.meta = crate::record::RecordMeta::default();
    record.deleted_ms = Some(cx.now_ms);
    record.updated_at = rfc3339(cx.now_ms);
    record.origin = origin(cx);
    record.tombstone = Some(Tombstone {
        merged_into: None,
        by: Some(cx.session.user_name.clone()),
        reason: Some(op.reason.clone()),
        reason_code: op.reason_code.clone(),
        at: rfc3339(cx.now_ms),
        lost_edits: Vec::new(),
    });
    record.save(cx.sql)?;
    crate::links::remove_all(cx.sql, &record.gid)?;
    for (kind, key) in keys {
        cx.sql.execute(
            "INSERT INTO identifiers (kind, k, gid) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[
                format!("{kind}~").into(),
                crate::record::tombstone_key(cx.key_salt, kind, &key).into(),
                record.gid.as_str().into(),
            ],
        )?;
    }
    touch_profile(cx, &record, before);
    Ok(Outcome::Applied(Applied {
        gid: None,
        rev: record.rev,
        conflicts: Vec::new(),
        state: None,
    }))
}

fn consent(cx: &mut OpContext, op: &ConsentRecord) -> ApplyResult<Outcome> {
    let record = live_profile(cx.sql, &op.gid)?;
    let event = ConsentEvent {
        event_id: op.event_id.clone(),
        channel: op.channel.clone(),
        status: op.status,
        recorded_at: op.recorded_at.clone(),
        recorded_by: op.recorded_by.clone(),
    };
    record_consent(cx, &record.gid, &event)?;
    Ok(Outcome::Applied(Applied {
        gid: (record.gid != op.gid).then(|| record.gid.clone()),
        rev: record.rev,
        conflicts: Vec::new(),
        state: None,
    }))
}

/// Merges `absorbed` into `survivor`: scalars by `choices` (field → gid whose value wins; by
/// default the survivor's, its empty fields filled from the others), lists united with their
/// tags. Each absorbed profile becomes a tombstone pointing at the survivor.
fn merge_into(
    cx: &mut OpContext,
    survivor_gid: &str,
    absorbed_gids: &[String],
    choices: &std::collections::BTreeMap<String, String>,
) -> ApplyResult<ProfileRecord> {
    let mut survivor = live_profile(cx.sql, survivor_gid)?;
    let mut absorbed = Vec::new();
    for gid in absorbed_gids {
        let record = match ProfileRecord::load_following(cx.sql, gid)? {
            None => return Err(not_found("profile", gid).into()),
            // Deleted meanwhile (a delete wins over an edit, and a merge is one): nothing of
            // it is left to absorb; the others still are.
            Some(r) if r.deleted => continue,
            Some(r) => r,
        };
        if record.gid != survivor.gid
            && !absorbed.iter().any(|a: &ProfileRecord| a.gid == record.gid)
        {
            absorbed.push(record);
        }
    }
    let before = (survivor.rev, true);
    let old_fields = survivor.fields.clone();
    let mut fields = survivor.fields.clone();
    let keys: BTreeSet<String> = std::iter::once(&survivor)
        .chain(&absorbed)
        .flat_map(|r| convert::keys_with_values(&r.fields))
        .filter(|k| !matches!(k.as_str(), "phones" | "emails" | "tags"))
        .collect();
    for key in &keys {
        let chosen = choices.get(key).and_then(|gid| {
            std::iter::once(&survivor)
                .chain(&absorbed)
                .find(|r| &r.gid == gid)
        });
        let value = match chosen {
            Some(r) => get_value(&r.fields, key),
            None if is_empty(&get_value(&fields, key)) => absorbed
                .iter()
                .map(|r| get_value(&r.fields, key))
                .find(|v| !is_empty(v))
                .unwrap_or(Value::Null),
            None => continue,
        };
        set_value(&mut fields, key, value);
    }
    for other in &absorbed {
        for p in &other.fields.phones {
            if !fields
                .phones
                .iter()
                .any(|q| convert::phone_key(q) == convert::phone_key(p))
            {
                fields.phones.push(p.clone());
            }
        }
        for e in &other.fields.emails {
            if !fields
                .emails
                .iter()
                .any(|f| convert::email_key(f) == convert::email_key(e))
            {
                fields.emails.push(e.clone());
            }
        }
        for t in &other.fields.tags {
            if !fields.tags.iter().any(|u| u.v == t.v) {
                fields.tags.push(t.clone());
            }
        }
        for (entry, tags) in &other.meta.tags {
            survivor
                .meta
                .tags
                .entry(entry.clone())
                .or_default()
                .extend(tags.iter().cloned());
        }
    }
    survivor.rev += 1;
    let changed: Vec<String> = convert::keys_with_values(&fields)
        .into_iter()
        .filter(|k| field_differs(&old_fields, &fields, k))
        .collect();
    survivor.fields = fields;
    survivor.review_open = false;
    survivor.updated_at = rfc3339(cx.now_ms);
    survivor.origin = origin(cx);
    stamp_fields(cx, &mut survivor, &changed);
    for mut other in absorbed {
        crate::links::move_all(cx.sql, &other.gid, &survivor.gid)?;
        move_consent(cx, &other.gid, &survivor.gid)?;
        let before = (other.rev, true);
        other.rev += 1;
        other.deleted = true;
        other.review_open = false;
        other.merged_into = Some(survivor.gid.clone());
        other.deleted_ms = Some(cx.now_ms);
        other.updated_at = rfc3339(cx.now_ms);
        other.origin = origin(cx);
        other.tombstone = Some(Tombstone {
            merged_into: Some(survivor.gid.clone()),
            by: Some(cx.session.user_name.clone()),
            reason: None,
            reason_code: None,
            at: rfc3339(cx.now_ms),
            lost_edits: Vec::new(),
        });
        other.save(cx.sql)?;
        touch_profile(cx, &other, Some(before));
    }
    // Saved after the absorbed ones: their identifiers move to the survivor.
    survivor.save(cx.sql)?;
    touch_profile(cx, &survivor, Some(before));
    Ok(survivor)
}

/// The consent events of a profile merged away go to the survivor with their ids (SYNC.md §5.2:
/// a merge moves history, links and consent), each in the feed again under its new profile.
/// A laptop that applies the merge's tombstone moves them the same way, so both sides hold
/// them on the survivor (left on the tombstone here, they were on the survivor only on the
/// laptops: found by the model test, issue 14).
fn move_consent(cx: &mut OpContext, from: &str, to: &str) -> ApplyResult<()> {
    let events = cx.sql.query(
        "SELECT event_id FROM consent_events WHERE gid = $1",
        &[from.into()],
    )?;
    if events.is_empty() {
        return Ok(());
    }
    cx.sql.execute(
        "UPDATE consent_events SET gid = $1 WHERE gid = $2",
        &[to.into(), from.into()],
    )?;
    for event in events {
        cx.touched.object(kind::CONSENT, &event.text(0), to);
    }
    Ok(())
}

fn merge(cx: &mut OpContext, op: &ProfileMerge) -> ApplyResult<Outcome> {
    if op.absorbed.is_empty() {
        return Err(Reject::new(
            RejectCode::Invalid,
            "a merge needs at least one profile to absorb",
        )
        .field("absorbed")
        .into());
    }
    let survivor = merge_into(cx, &op.survivor, &op.absorbed, &op.choices)?;
    Ok(Outcome::Applied(Applied {
        gid: Some(survivor.gid.clone()),
        rev: survivor.rev,
        conflicts: Vec::new(),
        state: Some(survivor.state(cx.sql)?),
    }))
}

fn load_review(sql: &mut dyn Sql, id: &str) -> ApplyResult<(u64, ReviewState)> {
    decisions::load(sql, Table::Reviews, id)?.ok_or_else(|| not_found("review", id).into())
}

fn resolve_review(cx: &mut OpContext, op: &ReviewResolve) -> ApplyResult<Outcome> {
    let (rev, mut state) = load_review(cx.sql, &op.review)?;
    if state.status == ItemStatus::Resolved {
        return Err(Reject::new(
            RejectCode::ReviewAlreadyResolved,
            format!(
                "{} resolved this review first",
                state.resolved_by.as_deref().unwrap_or("someone")
            ),
        )
        .into());
    }
    let no_choices = std::collections::BTreeMap::new();
    match op.decision {
        ReviewDecision::CreateNew => {
            let mut record = live_profile(cx.sql, &state.gid)?;
            let before = (record.rev, true);
            record.review_open = false;
            record.rev += 1;
            record.updated_at = rfc3339(cx.now_ms);
            record.origin = origin(cx);
            record.save(cx.sql)?;
            touch_profile(cx, &record, Some(before));
        }
        ReviewDecision::Attach => {
            let Some(target) = op.target.as_ref().filter(|t| state.candidates.contains(t)) else {
                return Err(Reject::new(
                    RejectCode::Invalid,
                    "attach needs a target among the review's candidates",
                )
                .field("target")
                .into());
            };
            merge_into(cx, target, std::slice::from_ref(&state.gid), &no_choices)?;
        }
        ReviewDecision::MergeAll => {
            let target = op
                .target
                .clone()
                .or_else(|| state.candidates.first().cloned())
                .unwrap_or_else(|| state.gid.clone());
            let mut absorbed: Vec<String> = state.candidates.clone();
            absorbed.push(state.gid.clone());
            absorbed.retain(|g| *g != target);
            merge_into(cx, &target, &absorbed, &no_choices)?;
        }
    }
    state.status = ItemStatus::Resolved;
    state.resolved_by = Some(cx.session.user_name.clone());
    state.decision = Some(op.decision);
    decisions::save(
        cx.sql,
        Table::Reviews,
        &op.review,
        &state.gid,
        rev + 1,
        &state,
    )?;
    cx.touched.object(kind::REVIEW, &op.review, &state.gid);
    Ok(Outcome::Applied(Applied {
        gid: None,
        rev: rev + 1,
        conflicts: Vec::new(),
        state: None,
    }))
}

fn resolve_conflict(cx: &mut OpContext, op: &ConflictResolve) -> ApplyResult<Outcome> {
    let Some((rev, mut state)) =
        decisions::load::<ConflictState>(cx.sql, Table::Conflicts, &op.conflict)?
    else {
        return Err(not_found("conflict", &op.conflict).into());
    };
    if state.status == ItemStatus::Resolved {
        return Err(Reject::new(
            RejectCode::ConflictAlreadyResolved,
            "someone resolved this conflict first",
        )
        .into());
    }
    let value = match op.choice {
        ConflictChoice::Kept => None,
        ConflictChoice::Lost => Some(state.lost.clone()),
        ConflictChoice::Edited => Some(validated_value(cx, &state.field, &op.value)?),
    };
    if let Some(value) = value {
        let mut record = live_profile(cx.sql, &state.gid)?;
        if get_value(&record.fields, &state.field) != value {
            let before = (record.rev, true);
            record.rev += 1;
            set_value(&mut record.fields, &state.field, value);
            record.meta.fv.insert(state.field.clone(), record.rev);
            record
                .meta
                .stamps
                .insert(state.field.clone(), cx.stamp.clone());
            record.updated_at = rfc3339(cx.now_ms);
            record.origin = origin(cx);
            record.save(cx.sql)?;
            touch_profile(cx, &record, Some(before));
        }
    }
    state.status = ItemStatus::Resolved;
    decisions::save(
        cx.sql,
        Table::Conflicts,
        &op.conflict,
        &state.gid,
        rev + 1,
        &state,
    )?;
    cx.touched.object(kind::CONFLICT, &op.conflict, &state.gid);
    Ok(Outcome::Applied(Applied {
        gid: None,
        rev: rev + 1,
        conflicts: Vec::new(),
        state: None,
    }))
}

/// The fields an update would have changed (a lost edit keeps only these names).
fn updated_fields(op: &ProfileUpdate) -> Vec<String> {
    let mut fields: BTreeSet<String> = op.set.keys().cloned().collect();
    for (list, added, removed) in [
        (
            "phones",
            !op.add.phones.is_empty(),
            !op.remove.phones.is_empty(),
        ),
        (
            "emails",
            !op.add.emails.is_empty(),
            !op.remove.emails.is_empty(),
        ),
        ("tags", !op.add.tags.is_empty(), !op.remove.tags.is_empty()),
    ] {
        if added || removed {
            fields.insert(list.to_string());
        }
    }
    fields.extend(op.add.custom.keys().cloned());
    fields.extend(op.remove.custom.keys().cloned());
    fields.into_iter().collect()
}

/// An update that lost to a delete (after its own changes were rolled back): noted in the
/// deleted profile's tombstone — who, when, which fields, never the values — with a new rev, so
/// every device's copy of the tombstone says what was lost (SYNC.md §5.3).
pub fn keep_lost_edit(
    sql: &mut dyn Sql,
    touched: &mut crate::feed::Touched,
    op: &ProfileUpdate,
    by: &str,
    replica: &str,
    seq: u64,
    now_ms: u64,
) -> Result<(), DbError> {
    let Some(mut record) = ProfileRecord::load_following(sql, &op.gid)? else {
        return Ok(());
    };
    let Some(tombstone) = record.tombstone.as_mut().filter(|_| record.deleted) else {
        return Ok(());
    };
    tombstone.lost_edits.push(pdesk_sync_proto::pull::LostEdit {
        by: by.to_string(),
        at: rfc3339(now_ms),
        fields: updated_fields(op),
        replica: replica.to_string(),
        seq,
    });
    let excess = tombstone
        .lost_edits
        .len()
        .saturating_sub(Tombstone::MAX_LOST_EDITS);
    tombstone.lost_edits.drain(..excess);
    let before = (record.rev, false);
    record.rev += 1;
    // The row only: `save` would also rewrite the match keys, and a tombstone's are the salted
    // hashes the delete wrote (a later create of this customer must still meet them).
    sql.execute(
        "UPDATE profiles SET rev = $1, tombstone = $2 WHERE gid = $3",
        &[
            Val::from(record.rev),
            serde_json::to_string(&record.tombstone)
                .expect("a tombstone serialises")
                .into(),
            record.gid.as_str().into(),
        ],
    )?;
    touched.profile(&record.gid, Some(before), (record.rev, false));
    Ok(())
}
