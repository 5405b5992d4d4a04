//! Resolving a merge review: attach, merge all into one, create new, dismiss — and their
//! previews, which run the same code in a transaction that is rolled back. Each decision is one
//! transaction with its audit entries; the undo of an import discards the job's open reviews.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection, TransactionBehavior};

use super::read::{
    current_candidates, load_review, review_from_row, version, Candidate, StoredOutcome,
    StoredReview, REVIEW_COLUMNS,
};
use super::text::{field_labels, ids_text, kept_note, mask_label, outcome_message, plural};
use super::types::{
    FieldPick, RemovedProfile, ResultValue, ReviewAction, ReviewDecision, ReviewResolution,
    ReviewStatus,
};
use crate::auth::Actor;
use crate::error::{Error, Result};
use crate::model::{
    ConsentInput, ConsentStatus, FieldDef, FieldError, FieldKind, MatchCandidate, MergePolicy,
    ProfileId,
};
use crate::outbox::OpBatch;
use crate::profiles::delete::LINKS;
use crate::profiles::mask::masked_label;
use crate::profiles::storage::{self, Stamp};
use crate::profiles::writes::Writes;
use crate::profiles::{self, current_consent, merge, merge_all, not_kept, record_consent};
use crate::store::Store;
use pdesk_rule::validate::{ValidProfile, MAX_LIST_VALUES};

/// The custom fields whose values are lists (merge all unions them).
fn custom_lists(fields: &[FieldDef]) -> BTreeSet<String> {
    fields
        .iter()
        .filter(|f| f.kind == FieldKind::MultiSelect)
        .map(|f| f.key.clone())
        .collect()
}

// ---- deciding ------------------------------------------------------------------------------

/// What every decision needs.
struct Context<'a> {
    actor: &'a Actor,
    stamp: Stamp<'a>,
    fields: &'a [FieldDef],
    policy: MergePolicy,
    preview: bool,
}

/// The live candidate `id` of the review, or a refusal that says why it cannot be chosen.
fn chosen<'c>(
    review: &StoredReview,
    cands: &'c [Candidate],
    id: ProfileId,
) -> Result<&'c Candidate> {
    match cands.iter().find(|c| c.profile_id == id) {
        Some(c) if c.live.is_some() => Ok(c),
        Some(c) => Err(Error::conflict(
            "candidateGone",
            serde_json::json!({
                "id": id,
                "label": mask_label(&c.stored_label),
                "review": review.id,
            }),
            format!(
                "Profile #{id} ({}) no longer exists, so merge review {} cannot go to it; \
                 choose another candidate or create a new profile",
                mask_label(&c.stored_label),
                review.id
            ),
        )),
        None => Err(Error::conflict(
            "notACandidate",
            serde_json::json!({ "id": id, "review": review.id }),
            format!(
                "Profile #{id} is not a candidate of merge review {}",
                review.id
            ),
        )),
    }
}

/// The list fields of `p` over the per-profile limit, as a refusal.
fn check_lists(p: &ValidProfile, fields: &[FieldDef]) -> Result<()> {
    let label = |key: &str, fallback: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label.clone())
            .unwrap_or_else(|| fallback.to_string())
    };
    for (key, fallback, n) in [
        ("phones", "Phones", p.phones.len()),
        ("emails", "E-mails", p.emails.len()),
        ("tags", "Tags", p.tags.len()),
    ] {
        if n > MAX_LIST_VALUES {
            return Err(Error::limit(
                "mergedListTooLong",
                serde_json::json!({
                    "values": n,
                    "field": key,
                    "label": label(key, fallback),
                    "limit": MAX_LIST_VALUES,
                }),
                format!(
                    "The merged profile would have {n} values in {}; a profile holds at most \
                     {MAX_LIST_VALUES}. Remove some from the candidates first, or attach instead",
                    label(key, fallback)
                ),
            ));
        }
    }
    Ok(())
}

/// The consent of the incoming data that still applies to profile `id`: a channel whose
/// consent was recorded again after the review was created keeps that newer record.
fn consent_to_apply(
    conn: &Connection,
    id: ProfileId,
    review: &StoredReview,
) -> Result<(ConsentInput, Vec<String>)> {
    let mut newer = BTreeSet::new();
    let mut stmt = conn.prepare_cached(
        "SELECT channel FROM consent_records WHERE profile_id = ?1 AND recorded_at > ?2",
    )?;
    for ch in stmt.query_map(params![id, review.created_at], |r| r.get::<_, String>(0))? {
        newer.insert(ch?);
    }
    let mut apply = ConsentInput::default();
    let mut kept = Vec::new();
    for (channel, status) in &review.incoming.consent.channels {
        if newer.contains(channel) {
            kept.push(channel.clone());
        } else {
            apply.channels.insert(channel.clone(), *status);
        }
    }
    Ok((apply, kept))
}

/// After consent records were copied onto `id`: makes each channel's current consent the
/// latest recorded one (copies are older than what they are appended after).
fn settle_consent(conn: &Connection, id: ProfileId, stamp: &Stamp, source: &str) -> Result<()> {
    let current = current_consent(conn, id)?;
    let mut latest: BTreeMap<String, ConsentStatus> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT channel, status FROM consent_records WHERE profile_id = ?1
          ORDER BY recorded_at DESC, id DESC",
    )?;
    for row in stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (channel, status) = row?;
        latest
            .entry(channel)
            .or_insert(ConsentStatus::parse(&status).unwrap_or(ConsentStatus::Unknown));
    }
    for (channel, status) in latest {
        if current.get(&channel) != Some(&status) {
            storage::append_consent(
                conn,
                &mut OpBatch::immediate(),
                id,
                &channel,
                status,
                stamp,
                source,
                None,
            )?;
        }
    }
    Ok(())
}

/// Moves what belongs to profile `from` onto `to` before `from` is removed: links (each
/// object once), consent records (each keeping its event id) and profile history (marked with
/// where it came from). Returns the links moved per kind and the counts.
///
/// **A merge keeps the consent events' ids**, whoever made it: the server's merge moves the
/// same events to the survivor, and a merge decided here goes up as one `profile.merge` op
/// that makes the server do so. A copy under a new id was an event the server never had, kept
/// on this computer alone — and the server's own, pulled later, came beside it (found by the
/// model test, issue 14).
pub(crate) fn absorb(
    conn: &Connection,
    from: ProfileId,
    to: ProfileId,
) -> Result<serde_json::Value> {
    let mut links = serde_json::Map::new();
    for (kind, table, column) in LINKS {
        let n: u32 = conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM {table} WHERE profile_id = ?1"
            ))?
            .query_row([from], |r| r.get(0))?;
        conn.prepare_cached(&format!(
            "INSERT OR IGNORE INTO {table}(profile_id, {column})
             SELECT ?1, {column} FROM {table} WHERE profile_id = ?2"
        ))?
        .execute([to, from])?;
        links.insert(kind.into(), n.into());
    }
    let consent = move_consent_events(conn, from, to)?;
    let history = conn
        .prepare_cached(
            "UPDATE profile_history SET profile_id = ?1,
                    source = source || ' (from profile #' || ?2 || ')'
              WHERE profile_id = ?2",
        )?
        .execute([to, from])?;
    Ok(serde_json::json!({
        "links": links, "consentRecords": consent, "historyEntries": history
    }))
}

/// Moves `from`'s consent records onto `to` under their event ids (an event `to` has already
/// is not written twice). Records cannot be updated, and an event id is unique: `from`'s are
/// taken away first (it is being removed anyway). Answers how many `to` gained.
fn move_consent_events(conn: &Connection, from: ProfileId, to: ProfileId) -> Result<usize> {
    let records: Vec<(String, String, String, String, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT channel, status, recorded_by, recorded_at, source, event_id
               FROM consent_records WHERE profile_id = ?1 ORDER BY recorded_at, id",
        )?
        .query_map([from], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached("DELETE FROM consent_records WHERE profile_id = ?1")?
        .execute([from])?;
    let mut moved = 0;
    for (channel, status, by, at, source, event_id) in records {
        moved += conn
            .prepare_cached(
                "INSERT OR IGNORE INTO consent_records(profile_id, channel, status, recorded_by,
                                                       recorded_at, source, event_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6 || ' (from profile #' || ?7 || ')', ?8)",
            )?
            .execute(params![to, channel, status, by, at, source, from, event_id])?;
    }
    Ok(moved)
}

/// Open reviews that name `from` as a candidate name `to` instead (it was merged into `to`).
fn redirect_candidates(
    conn: &Connection,
    review: i64,
    from: ProfileId,
    to: ProfileId,
) -> Result<()> {
    let affected: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, candidates FROM merge_reviews
              WHERE status = 'open' AND id <> ?1
                AND EXISTS (SELECT 1 FROM json_each(candidates)
                             WHERE json_extract(value, '$.profileId') = ?2)",
        )?
        .query_map(params![review, from], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let label = profiles::stored_label(conn, to)?;
    for (id, json) in affected {
        let mut candidates: Vec<MatchCandidate> = serde_json::from_str(&json).unwrap_or_default();
        let has_to = candidates.iter().any(|c| c.profile_id == to);
        if has_to {
            candidates.retain(|c| c.profile_id != from);
        } else {
            for c in candidates.iter_mut().filter(|c| c.profile_id == from) {
                c.profile_id = to;
                c.label = label.clone();
            }
        }
        conn.prepare_cached("UPDATE merge_reviews SET candidates = ?2 WHERE id = ?1")?
            .execute(params![
                id,
                serde_json::to_string(&candidates).unwrap_or_default()
            ])?;
    }
    Ok(())
}

/// Marks the review resolved (refused when someone resolved it meanwhile), keeping only the
/// decision, ids and masked labels.
fn mark_resolved(
    conn: &Connection,
    review: &StoredReview,
    stamp: &Stamp,
    outcome: &StoredOutcome,
) -> Result<()> {
    let masked: Vec<MatchCandidate> = review
        .candidates
        .iter()
        .map(|c| MatchCandidate {
            profile_id: c.profile_id,
            label: mask_label(&c.label),
            matched_by: c.matched_by,
        })
        .collect();
    let changed = conn
        .prepare_cached(
            "UPDATE merge_reviews SET status = 'resolved', resolved_at = ?2, resolved_by = ?3,
                    resolution = ?4, incoming = '{}', candidates = ?5
              WHERE id = ?1 AND status = 'open'",
        )?
        .execute(params![
            review.id,
            stamp.at,
            stamp.actor,
            serde_json::to_string(outcome).unwrap_or_default(),
            serde_json::to_string(&masked).unwrap_or_default(),
        ])?;
    if changed == 0 {
        return Err(Error::conflict(
            "reviewAlreadyResolved",
            serde_json::json!({ "id": review.id }),
            format!("Merge review {} was already resolved", review.id),
        ));
    }
    Ok(())
}

/// The fields of `p` as the result shows them.
fn result_values(fields: &[FieldDef], p: &ValidProfile) -> Vec<ResultValue> {
    fields
        .iter()
        .filter(|f| f.kind != FieldKind::System)
        .filter_map(|f| {
            let value = profiles::display_value(f, p);
            (!value.is_empty()).then(|| ResultValue {
                field: f.key.clone(),
                label: f.label.clone(),
                value,
            })
        })
        .collect()
}

/// The picks of a merge all, checked: catalogue single-value fields, taken from the incoming
/// data or a live candidate that has a value for the field.
fn check_picks(
    picks: &[FieldPick],
    fields: &[FieldDef],
    incoming: &ValidProfile,
    cands: &[Candidate],
) -> Result<BTreeMap<String, Option<ProfileId>>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for pick in picks {
        let field = fields.iter().find(|f| f.key == pick.field);
        let Some(field) = field.filter(|f| !f.kind.is_list() && f.kind != FieldKind::System) else {
            errors.push(FieldError::new(
                &pick.field,
                "notPickable",
                format!(
                    "“{}” is not a single-value field: list fields are combined, not picked",
                    pick.field
                ),
            ));
            continue;
        };
        let source = match pick.from {
            None => Some(incoming),
            Some(id) => cands
                .iter()
                .find(|c| c.profile_id == id)
                .and_then(|c| c.live.as_ref())
                .map(|l| &l.profile),
        };
        match source {
            Some(p) if p.has(&field.key) => {
                out.insert(field.key.clone(), pick.from);
            }
            Some(_) => errors.push(
                FieldError::new(
                    &field.key,
                    "emptyPick",
                    format!(
                        "The value picked for {} is empty; pick a column that has one",
                        field.label
                    ),
                )
                .with("label", &field.label),
            ),
            None => errors.push(
                FieldError::new(
                    &field.key,
                    "unknownPick",
                    format!(
                        "The value for {} is picked from profile #{}, which is not a live candidate",
                        field.label,
                        pick.from.unwrap_or_default()
                    ),
                )
                .with("label", &field.label)
                .with("profileId", pick.from.unwrap_or_default()),
            ),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Validation(errors))
    }
}

/// Writes the merged values of candidate `target` (refused over the list limits) and its
/// "merged" history entry with the key that matched it.
fn store_merge(
    conn: &Connection,
    ctx: &Context,
    review: &StoredReview,
    target: &Candidate,
    before: &ValidProfile,
    merged: &ValidProfile,
    changes: &[crate::model::FieldChange],
) -> Result<()> {
    check_lists(merged, ctx.fields)?;
    if !changes.is_empty() {
        storage::update(
            conn,
            target.profile_id,
            before,
            merged,
            &crate::model::Source::Manual,
            &ctx.stamp,
            &mut Writes::immediate(),
        )?;
    }
    storage::record_history_as(
        conn,
        target.profile_id,
        &ctx.stamp,
        "merged",
        &format!("{} · Merge review {}", review.source.label(), review.id),
        Some(target.matched_by.as_str()),
        changes,
    )
}

/// Applies `decision` to `review` inside the caller's transaction.
fn decide(
    conn: &Connection,
    ctx: &Context,
    review: &StoredReview,
    cands: &[Candidate],
    decision: &ReviewDecision,
) -> Result<ReviewResolution> {
    let incoming = &review.incoming.profile;
    let incoming_label = masked_label(incoming).unwrap_or_else(|| format!("review {}", review.id));
    let review_source = format!("Merge review {}", review.id);
    let will = |preview: &str, done: &str| -> String {
        if ctx.preview { preview } else { done }.to_string()
    };
    let live: Vec<&Candidate> = cands.iter().filter(|c| c.live.is_some()).collect();
    let mut resolution = ReviewResolution {
        review_id: review.id,
        action: decision.action(),
        profile_id: None,
        label: String::new(),
        removed: Vec::new(),
        values: Vec::new(),
        changed_fields: Vec::new(),
        moved_links: 0,
        message: String::new(),
        applied: !ctx.preview,
    };
    let mut stored = StoredOutcome {
        action: decision.action(),
        profile_id: None,
        removed: Vec::new(),
        incoming_label,
        reason: None,
    };
    let mut audit =
        serde_json::json!({ "review": review.id, "action": decision.action().as_str() });
    match decision {
        ReviewDecision::Attach { profile_id } => {
            let target = chosen(review, cands, *profile_id)?;
            let existing = &target.live.as_ref().expect("chosen is live").profile;
            let (merged, changes) = merge(existing, incoming, ctx.policy);
            store_merge(conn, ctx, review, target, existing, &merged, &changes)?;
            let (consent, kept) = consent_to_apply(conn, *profile_id, review)?;
            let consented = record_consent(
                conn,
                &mut Writes::immediate(),
                *profile_id,
                &consent,
                &ctx.stamp,
                &review.source,
            )?;
            if consented > 0 && changes.is_empty() {
                conn.execute(
                    "UPDATE profiles SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                    params![profile_id, ctx.stamp.at, ctx.stamp.actor],
                )?;
            }
            let label = merged.label(*profile_id);
            resolution.changed_fields = changes.iter().map(|c| c.field.clone()).collect();
            let what = if changes.is_empty() {
                "no field changes".to_string()
            } else {
                format!(
                    "{} change",
                    field_labels(ctx.fields, &resolution.changed_fields)
                )
            };
            resolution.message = format!(
                "{} {label} (#{profile_id}), matched by {}: {what}{}. Nothing is removed.",
                will(
                    "The incoming data will be added to",
                    "Added the incoming data to"
                ),
                target.matched_by.label(),
                kept_note(&kept),
            );
            resolution.values = result_values(ctx.fields, &merged);
            resolution.profile_id = Some(*profile_id);
            resolution.label = label;
            stored.profile_id = Some(*profile_id);
            audit["profileId"] = (*profile_id).into();
            audit["matchedBy"] = target.matched_by.as_str().into();
            audit["changedFields"] = serde_json::json!(resolution.changed_fields);
        }
        ReviewDecision::MergeAll { survivor, picks } => {
            let target = chosen(review, cands, *survivor)?;
            let before = &target.live.as_ref().expect("chosen is live").profile;
            let others: Vec<&Candidate> = live
                .iter()
                .copied()
                .filter(|c| c.profile_id != *survivor)
                .collect();
            let picks = check_picks(picks, ctx.fields, incoming, cands)?;
            let mut sources: Vec<(Option<ProfileId>, &ValidProfile)> = vec![(None, incoming)];
            for o in &others {
                sources.push((Some(o.profile_id), &o.live.as_ref().expect("live").profile));
            }
            let (merged, changes) = merge_all(
                *survivor,
                before,
                &sources,
                &picks,
                &custom_lists(ctx.fields),
            );
            store_merge(conn, ctx, review, target, before, &merged, &changes)?;
            let mut removed_ids = Vec::new();
            for o in &others {
                let profile = &o.live.as_ref().expect("live").profile;
                let label =
                    masked_label(profile).unwrap_or_else(|| format!("Profile #{}", o.profile_id));
                // Their consent events keep their ids: the merge goes up as one op, and the
                // server moves the same events to the survivor.
                let moved = absorb(conn, o.profile_id, *survivor)?;
                resolution.moved_links += moved["links"]
                    .as_object()
                    .map(|m| m.values().filter_map(|v| v.as_u64()).sum::<u64>() as u32)
                    .unwrap_or(0);
                storage::record_history_as(
                    conn,
                    *survivor,
                    &ctx.stamp,
                    "mergedFrom",
                    &format!("{review_source}: profile #{}", o.profile_id),
                    Some(o.matched_by.as_str()),
                    &not_kept(profile, &merged),
                )?;
                redirect_candidates(conn, review.id, o.profile_id, *survivor)?;
                crate::audit::append(
                    conn,
                    ctx.stamp.at,
                    ctx.actor,
                    "profile.merge",
                    &format!("profile:{}", o.profile_id),
                    serde_json::json!({
                        "profileId": o.profile_id,
                        "label": label,
                        "mergedInto": survivor,
                        "review": review.id,
                        "moved": moved,
                    }),
                )?;
                removed_ids.push(o.profile_id);
                resolution.removed.push(RemovedProfile {
                    profile_id: o.profile_id,
                    label: profile.label(o.profile_id),
                });
            }
            // Removed together, after the survivor's update: one `profile.merge` op.
            storage::merge_away(
                conn,
                *survivor,
                &removed_ids,
                &format!("{review_source}: merged into profile #{survivor}"),
                ctx.stamp.at,
                &mut Writes::immediate(),
            )?;
            settle_consent(conn, *survivor, &ctx.stamp, &review_source)?;
            let (consent, kept) = consent_to_apply(conn, *survivor, review)?;
            record_consent(
                conn,
                &mut Writes::immediate(),
                *survivor,
                &consent,
                &ctx.stamp,
                &review.source,
            )?;
            conn.execute(
                "UPDATE profiles SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                params![survivor, ctx.stamp.at, ctx.stamp.actor],
            )?;
            let label = merged.label(*survivor);
            let n = others.len() + 1;
            resolution.message = if others.is_empty() {
                format!(
                    "{} {label} (#{survivor}) with the incoming data; no other candidate is left, \
                     so nothing is removed{}.",
                    will(
                        "Only the incoming data will be merged into",
                        "Merged only the incoming data into"
                    ),
                    kept_note(&kept),
                )
            } else {
                let links = if resolution.moved_links > 0 {
                    format!(
                        "; {} move to {label}",
                        plural(
                            resolution.moved_links as usize,
                            "linked object",
                            "linked objects"
                        )
                    )
                } else {
                    String::new()
                };
                if ctx.preview {
                    format!(
                        "{} will be merged into {label} (#{survivor}) together with the incoming data; \
                         {} will be removed ({}){links}{}.",
                        plural(n, "profile", "profiles"),
                        others.len(),
                        ids_text(&removed_ids),
                        kept_note(&kept),
                    )
                } else {
                    format!(
                        "Merged {} into {label} (#{survivor}) together with the incoming data; removed {}{links}{}.",
                        plural(n, "profile", "profiles"),
                        ids_text(&removed_ids),
                        kept_note(&kept),
                    )
                }
            };
            resolution.changed_fields = changes.iter().map(|c| c.field.clone()).collect();
            resolution.values = result_values(ctx.fields, &merged);
            resolution.profile_id = Some(*survivor);
            resolution.label = label;
            stored.profile_id = Some(*survivor);
            stored.removed = removed_ids.clone();
            audit["profileId"] = (*survivor).into();
            audit["removed"] = serde_json::json!(removed_ids);
            audit["changedFields"] = serde_json::json!(resolution.changed_fields);
            audit["picks"] = serde_json::json!(picks.keys().collect::<Vec<_>>());
        }
        ReviewDecision::CreateNew => {
            let id = storage::insert(
                conn,
                incoming,
                &review.source,
                &ctx.stamp,
                &mut Writes::immediate(),
            )?;
            storage::record_history_as(
                conn,
                id,
                &ctx.stamp,
                "created",
                &format!("{} · {review_source}: created new", review.source.label()),
                None,
                &[],
            )?;
            record_consent(
                conn,
                &mut Writes::immediate(),
                id,
                &review.incoming.consent,
                &ctx.stamp,
                &review.source,
            )?;
            let label = incoming.label(id);
            resolution.message = if ctx.preview {
                format!(
                    "A new profile {label} will be created from the incoming data; the {} stay as they are.",
                    plural(live.len(), "matching profile", "matching profiles")
                )
            } else {
                format!(
                    "Created a new profile {label} (#{id}); the {} stay as they are.",
                    plural(live.len(), "matching profile", "matching profiles")
                )
            };
            resolution.values = result_values(ctx.fields, incoming);
            resolution.profile_id = (!ctx.preview).then_some(id);
            resolution.label = label;
            stored.profile_id = Some(id);
            audit["profileId"] = id.into();
        }
        ReviewDecision::Dismiss => {
            resolution.message = format!(
                "{}; the {} stay as they are.",
                will(
                    "The incoming data will be discarded",
                    "Discarded the incoming data"
                ),
                plural(live.len(), "matching profile", "matching profiles")
            );
        }
    }
    mark_resolved(conn, review, &ctx.stamp, &stored)?;
    crate::audit::append(
        conn,
        ctx.stamp.at,
        ctx.actor,
        "review.resolve",
        &format!("review:{}", review.id),
        audit,
    )?;
    Ok(resolution)
}

/// Undo of import job `job` (SPEC 4.1): its open reviews are discarded with it (nothing of the
/// job is imported any more), with one audit entry. Inside the undo's transaction, stamped `at`.
pub(crate) fn discard_reviews_of_undone_job(
    conn: &Connection,
    at: &str,
    actor: &Actor,
    job: i64,
) -> Result<u32> {
    let stamp = Stamp {
        at,
        actor: &actor.name,
    };
    let reviews: Vec<StoredReview> = conn
        .prepare_cached(&format!(
            "SELECT {REVIEW_COLUMNS} FROM merge_reviews WHERE job_id = ?1 AND status = 'open'"
        ))?
        .query_map([job], review_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    for review in &reviews {
        let outcome = StoredOutcome {
            action: ReviewAction::Dismiss,
            profile_id: None,
            removed: Vec::new(),
            incoming_label: masked_label(&review.incoming.profile).unwrap_or_default(),
            reason: Some(format!("import job {job} was undone")),
        };
        mark_resolved(conn, review, &stamp, &outcome)?;
    }
    if !reviews.is_empty() {
        crate::audit::append(
            conn,
            at,
            actor,
            "review.resolve",
            &format!("job:{job}"),
            serde_json::json!({
                "action": "dismiss",
                "reason": "importUndone",
                "job": job,
                "reviews": reviews.iter().map(|r| r.id).collect::<Vec<_>>(),
            }),
        )?;
    }
    Ok(reviews.len() as u32)
}

impl Store {
    /// What `decision` would do to review `id` — the same code as
    /// [`Store::resolve_merge_review`] in a transaction that is rolled back, so the sentence and
    /// the resulting values are exactly what resolving does (given no change in between).
    pub fn preview_review_decision(
        &mut self,
        actor: &Actor,
        id: i64,
        decision: &ReviewDecision,
    ) -> Result<ReviewResolution> {
        self.resolve(actor, id, decision, None, true)
    }

    /// Resolves review `id` with `decision`, in one transaction, audited ("review.resolve",
    /// plus one "profile.merge" entry with a masked label per profile merged away). Refused
    /// when the review is resolved already, or when `expected_version` (the detail's
    /// `version`) no longer describes the candidates.
    pub fn resolve_merge_review(
        &mut self,
        actor: &Actor,
        id: i64,
        decision: &ReviewDecision,
        expected_version: Option<&str>,
    ) -> Result<ReviewResolution> {
        self.resolve(actor, id, decision, expected_version, false)
    }

    fn resolve(
        &mut self,
        actor: &Actor,
        id: i64,
        decision: &ReviewDecision,
        expected_version: Option<&str>,
        preview: bool,
    ) -> Result<ReviewResolution> {
        actor.require(decision.permission())?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        let at = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let review = load_review(&tx, id)?;
        if review.status == ReviewStatus::Resolved {
            let how = review
                .outcome
                .as_ref()
                .map(|o| outcome_message(&tx, o))
                .transpose()?
                .unwrap_or_default();
            let by = review.resolved_by.as_deref().unwrap_or("someone");
            let on = review
                .resolved_at
                .as_deref()
                .map(|t| t.get(..10).unwrap_or(t))
                .unwrap_or("?");
            return Err(Error::conflict(
                "reviewResolvedBy",
                serde_json::json!({
                    "id": id,
                    "by": review.resolved_by,
                    "on": review.resolved_at.as_deref().and_then(|t| t.get(..10)),
                    "how": how,
                }),
                format!("Merge review {id} was already resolved by {by} on {on}: {how}"),
            ));
        }
        let cands = current_candidates(&tx, &review, &settings.match_keys)?;
        if let Some(expected) = expected_version {
            if expected != version(&cands) {
                return Err(Error::conflict(
                    "reviewChanged",
                    serde_json::json!({ "id": id }),
                    format!(
                        "The profiles of merge review {id} changed since you opened it (edited, \
                         merged, deleted or newly matching); look at them again before deciding"
                    ),
                ));
            }
        }
        let ctx = Context {
            actor,
            stamp: Stamp {
                at: &at,
                actor: &actor.name,
            },
            fields: &fields,
            policy: review.incoming.policy.unwrap_or(settings.merge_policy),
            preview,
        };
        let resolution = decide(&tx, &ctx, &review, &cands, decision)?;
        if preview {
            tx.rollback()?;
        } else {
            tx.commit()?;
            self.touched();
        }
        Ok(resolution)
    }
}
