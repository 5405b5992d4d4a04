//! Every message of pdsync/1 serialises to JSON that reads back to itself, and reads the same
//! with fields it does not know added at every level (additive changes within v1).

use std::fmt::Debug;

use pdesk_sync_proto::buckets::{BucketEntry, BucketPage};
use pdesk_sync_proto::cursor::Cursor;
use pdesk_sync_proto::devices::*;
use pdesk_sync_proto::hello::*;
use pdesk_sync_proto::problem::{Problem, ProblemCode};
use pdesk_sync_proto::profile::*;
use pdesk_sync_proto::pull::*;
use pdesk_sync_proto::push::*;
use pdesk_sync_proto::snapshot;
use pdesk_sync_proto::Hlc;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ăđêơưĐẠ@.+_-]{0,12}"
}

fn id() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}"
}

fn hlc() -> impl Strategy<Value = Hlc> {
    (0..=Hlc::MAX_WALL_MS, any::<u16>()).prop_map(|(w, c)| Hlc::new(w, c).unwrap())
}

/// A field value: never `null` (an `Option<Value>` holding `null` reads back as `None`).
fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        vec(text(), 0..3).prop_map(Value::from),
    ]
}

fn phones() -> impl Strategy<Value = Vec<PhoneItem>> {
    vec(
        (text(), option::of(text()), id()).prop_map(|(raw, e164, tag)| PhoneItem {
            raw,
            e164,
            tag,
        }),
        0..3,
    )
}

fn emails() -> impl Strategy<Value = Vec<EmailItem>> {
    vec(
        (text(), id()).prop_map(|(raw, tag)| EmailItem { raw, tag }),
        0..3,
    )
}

fn tags() -> impl Strategy<Value = Vec<TagItem>> {
    vec((text(), id()).prop_map(|(v, tag)| TagItem { v, tag }), 0..3)
}

fn fields() -> impl Strategy<Value = ProfileFields> {
    (
        vec(option::of(text()), 9),
        phones(),
        emails(),
        tags(),
        btree_map(text(), value(), 0..3),
    )
        .prop_map(|(mut s, phones, emails, tags, custom)| ProfileFields {
            full_name: s.pop().unwrap(),
            gender: s.pop().unwrap(),
            birthday: s.pop().unwrap(),
            address: s.pop().unwrap(),
            city: s.pop().unwrap(),
            company: s.pop().unwrap(),
            job_title: s.pop().unwrap(),
            customer_code: s.pop().unwrap(),
            note: s.pop().unwrap(),
            phones,
            emails,
            tags,
            custom,
        })
}

fn consent_status() -> impl Strategy<Value = ConsentStatus> {
    select(vec![
        ConsentStatus::Granted,
        ConsentStatus::Denied,
        ConsentStatus::Unknown,
    ])
}

fn consent_event() -> impl Strategy<Value = ConsentEvent> {
    (id(), text(), consent_status(), text(), option::of(text())).prop_map(
        |(event_id, channel, status, recorded_at, recorded_by)| ConsentEvent {
            event_id,
            channel,
            status,
            recorded_at,
            recorded_by,
        },
    )
}

fn match_key() -> impl Strategy<Value = MatchKey> {
    select(vec![
        MatchKey::Phone,
        MatchKey::Email,
        MatchKey::CustomerCode,
    ])
}

fn state() -> impl Strategy<Value = ProfileState> {
    (
        id(),
        any::<u64>(),
        fields(),
        btree_map(text(), any::<u64>(), 0..3),
        any::<bool>(),
        text(),
        text(),
        vec(link(), 0..3),
    )
        .prop_map(
            |(gid, rev, fields, fv, review_open, created_at, updated_at, links)| ProfileState {
                gid,
                rev,
                fields,
                fv,
                review_open,
                links,
                created_at,
                updated_at,
            },
        )
}

fn link() -> impl Strategy<Value = pdesk_sync_proto::links::LinkedObject> {
    (id(), 0..4usize, text(), text(), text()).prop_map(|(id, kind, title, status, created_at)| {
        pdesk_sync_proto::links::LinkedObject {
            id,
            kind: pdesk_sync_proto::links::LinkKind::ALL[kind],
            title,
            status,
            created_at,
        }
    })
}

fn removals() -> impl Strategy<Value = Vec<Removal>> {
    vec(
        (text(), vec(id(), 0..3)).prop_map(|(v, observed)| Removal { v, observed }),
        0..2,
    )
}

fn op_body() -> impl Strategy<Value = OpBody> {
    let origin = (
        select(vec![
            OriginSource::Form,
            OriginSource::Import,
            OriginSource::Paste,
            OriginSource::InitialPush,
        ]),
        option::of(any::<u64>()),
        option::of(any::<u64>()),
    )
        .prop_map(|(source, job, row)| Origin { source, job, row });
    let create = (
        id(),
        option::of(origin),
        fields(),
        vec(consent_event(), 0..2),
        any::<bool>(),
    )
        .prop_map(|(gid, origin, fields, consent, fill_empty_only)| {
            OpBody::ProfileCreate(ProfileCreate {
                gid,
                origin,
                fields,
                consent,
                fill_empty_only,
            })
        });
    let update = (
        id(),
        any::<u64>(),
        btree_map(text(), (option::of(value()), any::<u64>()), 0..3),
        (phones(), emails(), tags(), btree_map(text(), tags(), 0..2)),
        (
            removals(),
            removals(),
            removals(),
            btree_map(text(), removals(), 0..2),
        ),
    )
        .prop_map(|(gid, base_rev, set, (p, e, t, c), (rp, re, rt, rc))| {
            OpBody::ProfileUpdate(ProfileUpdate {
                gid,
                base_rev,
                set: set
                    .into_iter()
                    .map(|(k, (v, base_fv))| (k, FieldSet { v, base_fv }))
                    .collect(),
                add: ListAdds {
                    phones: p,
                    emails: e,
                    tags: t,
                    custom: c,
                },
                remove: ListRemoves {
                    phones: rp,
                    emails: re,
                    tags: rt,
                    custom: rc,
                },
            })
        });
    let delete = (id(), any::<u64>(), text(), option::of(text())).prop_map(
        |(gid, base_rev, reason, reason_code)| {
            OpBody::ProfileDelete(ProfileDelete {
                gid,
                base_rev,
                reason,
                reason_code,
            })
        },
    );
    let merge = (
        id(),
        vec(id(), 1..3),
        btree_map(id(), any::<u64>(), 0..3),
        btree_map(text(), id(), 0..3),
    )
        .prop_map(|(survivor, absorbed, base_revs, choices)| {
            OpBody::ProfileMerge(ProfileMerge {
                survivor,
                absorbed,
                base_revs,
                choices,
            })
        });
    let consent = (id(), consent_event()).prop_map(|(gid, e)| {
        OpBody::ConsentRecord(ConsentRecord {
            gid,
            event_id: e.event_id,
            channel: e.channel,
            status: e.status,
            recorded_at: e.recorded_at,
            recorded_by: e.recorded_by,
        })
    });
    let review = (
        id(),
        any::<u64>(),
        select(vec![
            ReviewDecision::Attach,
            ReviewDecision::CreateNew,
            ReviewDecision::MergeAll,
        ]),
        option::of(id()),
    )
        .prop_map(|(review, base_rev, decision, target)| {
            OpBody::ReviewResolve(ReviewResolve {
                review,
                base_rev,
                decision,
                target,
            })
        });
    let conflict = (
        id(),
        select(vec![
            ConflictChoice::Kept,
            ConflictChoice::Lost,
            ConflictChoice::Edited,
        ]),
        option::of(value()),
        any::<u64>(),
    )
        .prop_map(|(conflict, choice, value, base_fv)| {
            OpBody::ConflictResolve(ConflictResolve {
                conflict,
                choice,
                value,
                base_fv,
            })
        });
    prop_oneof![create, update, delete, merge, consent, review, conflict]
}

fn push_request() -> impl Strategy<Value = PushRequest> {
    (
        id(),
        any::<u64>(),
        1..u64::MAX / 2,
        vec((id(), hlc(), op_body()), 0..6),
    )
        .prop_map(|(replica, config_version, first, ops)| PushRequest {
            replica,
            config_version,
            ops: ops
                .into_iter()
                .enumerate()
                .map(|(i, (op_id, hlc, body))| Op {
                    seq: first + i as u64,
                    op_id,
                    hlc,
                    body,
                })
                .collect(),
        })
}

fn reject_code() -> impl Strategy<Value = RejectCode> {
    select(vec![
        RejectCode::Forbidden,
        RejectCode::Invalid,
        RejectCode::UnknownField,
        RejectCode::NotFound,
        RejectCode::Deleted,
        RejectCode::ReviewAlreadyResolved,
        RejectCode::ConflictAlreadyResolved,
        RejectCode::OpTooLarge,
        RejectCode::Unknown,
    ])
}

fn first_outcome() -> impl Strategy<Value = Outcome> {
    let conflict =
        (id(), text(), value(), value()).prop_map(|(id, field, kept, lost)| FieldConflict {
            id,
            field,
            kept,
            lost,
        });
    let applied = (
        option::of(id()),
        any::<u64>(),
        vec(conflict, 0..2),
        option::of(state()),
    )
        .prop_map(|(gid, rev, conflicts, state)| {
            Outcome::Applied(Applied {
                gid,
                rev,
                conflicts,
                state,
            })
        });
    let merged = (id(), id(), match_key(), any::<u64>(), option::of(state())).prop_map(
        |(gid, into, matched_by, rev, state)| {
            Outcome::Merged(Merged {
                gid,
                into,
                matched_by,
                rev,
                state,
            })
        },
    );
    let review = (id(), vec(id(), 0..3), option::of(id())).prop_map(|(review, candidates, gid)| {
        Outcome::Review(ReviewOpened {
            review,
            candidates,
            gid,
        })
    });
    let rejected = (
        reject_code(),
        option::of(text()),
        option::of(text()),
        any::<bool>(),
        text(),
    )
        .prop_map(|(code, permission, field, permanent, detail)| {
            Outcome::Rejected(Rejected {
                code,
                permission,
                field,
                permanent,
                detail,
            })
        });
    prop_oneof![applied, merged, review, rejected]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        3 => first_outcome(),
        1 => (first_outcome(), option::of(change())).prop_map(|(o, now)| {
            Outcome::Duplicate(Duplicate {
                original: Box::new(o),
                // The profile's tombstone, when it was deleted since.
                now: now.and_then(|c| match c {
                    Change::Profile(p) => Some(Box::new(p)),
                    _ => None,
                }),
            })
        }),
    ]
}

fn push_response() -> impl Strategy<Value = PushResponse> {
    (any::<u64>(), hlc(), vec((any::<u64>(), outcome()), 0..6)).prop_map(
        |(acked_through, hlc, r)| PushResponse {
            acked_through,
            hlc,
            results: r
                .into_iter()
                .map(|(seq, outcome)| OpResult { seq, outcome })
                .collect(),
        },
    )
}

fn item_status() -> impl Strategy<Value = ItemStatus> {
    select(vec![ItemStatus::Open, ItemStatus::Resolved])
}

fn rule_config() -> impl Strategy<Value = RuleConfig> {
    (vec(match_key(), 0..3), text(), option::of(text())).prop_map(
        |(keys, default_region, policy)| RuleConfig {
            keys,
            default_region,
            merge_policy: policy.map(serde_json::Value::String),
            guards: None,
        },
    )
}

fn change() -> impl Strategy<Value = Change> {
    let tombstone = (
        option::of(id()),
        option::of(text()),
        option::of(text()),
        option::of(text()),
        text(),
        vec(
            (text(), text(), vec(text(), 0..3), id(), any::<u64>()),
            0..3,
        ),
    )
        .prop_map(
            |(merged_into, by, reason, reason_code, at, lost)| Tombstone {
                merged_into,
                by,
                reason,
                reason_code,
                at,
                lost_edits: lost
                    .into_iter()
                    .map(|(by, at, fields, replica, seq)| LostEdit {
                        by,
                        at,
                        fields,
                        replica,
                        seq,
                    })
                    .collect(),
            },
        );
    let profile = (
        id(),
        any::<u64>(),
        (any::<u32>(), any::<u64>()),
        option::of(state()),
        any::<bool>(),
        option::of(tombstone),
        option::of(state()),
        option::of((id(), any::<u64>())),
    )
        .prop_map(
            |(gid, rev, (p, c), state, deleted, tombstone, survivor, origin)| {
                Change::Profile(ProfileChange {
                    gid,
                    rev,
                    cseq: Cseq(p, c),
                    state,
                    deleted,
                    tombstone,
                    survivor,
                    origin: origin.map(|(replica, seq)| ChangeOrigin { replica, seq }),
                })
            },
        );
    let consent = (
        id(),
        id(),
        text(),
        consent_status(),
        text(),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(
            |(event_id, gid, channel, status, recorded_at, by, source)| {
                Change::Consent(ConsentChange {
                    event_id,
                    gid,
                    channel,
                    status,
                    recorded_at,
                    by,
                    source,
                })
            },
        );
    let review = (
        id(),
        any::<u64>(),
        (
            id(),
            vec(id(), 0..3),
            text(),
            item_status(),
            option::of(text()),
        ),
        option::of(select(vec![
            ReviewDecision::Attach,
            ReviewDecision::CreateNew,
            ReviewDecision::MergeAll,
        ])),
    )
        .prop_map(
            |(id, rev, (gid, candidates, reason, status, resolved_by), decision)| {
                Change::Review(ReviewChange {
                    id,
                    rev,
                    state: ReviewState {
                        gid,
                        candidates,
                        reason,
                        status,
                        resolved_by,
                        decision,
                    },
                })
            },
        );
    let conflict = (
        id(),
        any::<u64>(),
        (
            id(),
            text(),
            value(),
            value(),
            text(),
            text(),
            hlc(),
            hlc(),
            item_status(),
        ),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(
            |(
                id,
                rev,
                (gid, field, kept, lost, kept_by, lost_by, kept_hlc, lost_hlc, status),
                replica,
                device,
            )| {
                Change::Conflict(ConflictChange {
                    id,
                    rev,
                    state: ConflictState {
                        gid,
                        field,
                        kept,
                        lost,
                        kept_by,
                        lost_by,
                        kept_hlc,
                        lost_hlc,
                        status,
                        kept_replica: replica.clone(),
                        lost_replica: replica,
                        kept_device: device.clone(),
                        lost_device: device,
                    },
                })
            },
        );
    let config = (
        any::<u64>(),
        rule_config(),
        btree_map(text(), value(), 0..3),
        vec(text(), 0..3),
    )
        .prop_map(|(version, rule, catalog, channels)| {
            Change::Config(ConfigChange {
                version,
                rule,
                catalog: json!(catalog),
                channels: json!(channels),
            })
        });
    prop_oneof![profile, consent, review, conflict, config]
}

fn pull_response() -> impl Strategy<Value = PullResponse> {
    (
        vec(change(), 0..5),
        "[A-Za-z0-9_-]{0,40}",
        any::<bool>(),
        option::of(any::<[u64; 4]>()),
    )
        .prop_map(|(changes, cursor, has_more, sums)| PullResponse {
            changes,
            cursor: Cursor(cursor),
            has_more,
            checksums: sums.map(|s| {
                let mut all = [0u64; 256];
                all[..4].copy_from_slice(&s);
                Checksums::from_sums(&all)
            }),
        })
}

fn hello() -> impl Strategy<Value = Hello> {
    (
        (any::<u32>(), any::<u32>(), id(), text(), hlc()),
        (any::<u64>(), rule_config(), any::<u64>(), any::<u64>()),
        (text(), vec(text(), 0..3), vec(text(), 0..5)),
        (id(), option::of(id()), any::<u64>()),
    )
        .prop_map(
            |(
                (min, max, server_epoch, server_time, hlc),
                (version, rule, cv, chv),
                (uid, roles, permissions),
                (did, replica, last_seq),
            )| Hello {
                protocol: ProtocolRange { min, max },
                server_epoch,
                server_time,
                hlc,
                limits: Limits::V1,
                config: ConfigSummary {
                    version,
                    rule,
                    catalog_version: cv,
                    channels_version: chv,
                },
                user: HelloUser {
                    id: uid,
                    roles,
                    permissions,
                },
                device: HelloDevice {
                    id: did,
                    replica,
                    last_seq,
                },
            },
        )
}

fn problem() -> impl Strategy<Value = Problem> {
    (
        select(ProblemCode::ALL.to_vec()),
        text(),
        option::of(any::<u64>()),
        option::of(any::<u64>()),
        option::of(text()),
        option::of(any::<u64>()),
    )
        .prop_map(
            |(code, detail, retry_after_ms, expected, permission, limit)| Problem {
                retry_after_ms,
                expected,
                permission,
                limit,
                ..Problem::new(code, detail)
            },
        )
}

/// Adds a field no version of the protocol has to every JSON object of `value`, except the
/// maps keyed by data (their keys are content, not fields).
fn with_unknown_fields(value: &mut Value, in_map: bool) {
    const MAPS: [&str; 7] = [
        "custom",
        "set",
        "base_revs",
        "choices",
        "fv",
        "catalog",
        "kept",
    ];
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                let is_map =
                    MAPS.contains(&key.as_str()) || ["lost", "v", "value"].contains(&key.as_str());
                with_unknown_fields(child, is_map);
            }
            if !in_map {
                object.insert("zz_added_in_v1_9".into(), json!({"nested": [1, "two"]}));
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| with_unknown_fields(item, in_map)),
        _ => {}
    }
}

fn round_trips<T: Serialize + DeserializeOwned + PartialEq + Debug>(
    message: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(message).unwrap();
    let back: T =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&back, message);
    let mut extended = serde_json::to_value(message).unwrap();
    with_unknown_fields(&mut extended, false);
    let back: T = serde_json::from_value(extended.clone())
        .map_err(|e| TestCaseError::fail(format!("{e}: {extended}")))?;
    prop_assert_eq!(&back, message);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn push_requests(push in push_request()) { round_trips(&push)?; }

    #[test]
    fn push_responses(answer in push_response()) { round_trips(&answer)?; }

    #[test]
    fn pull_responses(page in pull_response()) { round_trips(&page)?; }

    #[test]
    fn snapshot_pages(changes in vec(change(), 0..5)) {
        let body: String = changes.iter().map(snapshot::encode_line).collect();
        prop_assert_eq!(body.lines().count(), changes.len());
        prop_assert_eq!(snapshot::decode_page(&body), Ok(changes));
    }

    #[test]
    fn hellos(hello in hello()) { round_trips(&hello)?; }

    #[test]
    fn problems(problem in problem()) { round_trips(&problem)?; }

    #[test]
    fn devices_and_tokens(user in text(), password in option::of(text()), oidc in option::of(text()), name in text(), token in text(), n in any::<u32>(), seq in any::<u64>()) {
        round_trips(&RegisterDevice { user, password, oidc_code: oidc, device_name: name.clone(), platform: "linux".into() })?;
        round_trips(&DeviceRegistered { device_id: name, refresh_token: token.clone() })?;
        round_trips(&TokenRequest { refresh_token: token.clone() })?;
        round_trips(&TokenIssued { access_token: token.clone(), expires_in: n, refresh_token: token })?;
        round_trips(&ReplicaStatus { last_seq: seq })?;
    }

    #[test]
    fn bucket_pages(bucket in any::<u32>(), entries in vec((id(), any::<u64>()), 0..5), next in option::of(text())) {
        round_trips(&BucketPage {
            bucket,
            entries: entries.into_iter().map(|(gid, rev)| BucketEntry { gid, rev }).collect(),
            next,
        })?;
    }

    #[test]
    fn checksums_carry_256_sums(sums in vec(any::<u64>(), 256)) {
        let sums: [u64; 256] = sums.try_into().unwrap();
        let checksums = Checksums::from_sums(&sums);
        prop_assert_eq!(checksums.sums(), Some(sums));
    }
}

#[test]
fn the_examples_of_sync_md_read() {
    // The push of SYNC.md §4.3, with the "…" placeholders filled in.
    let push: PushRequest = serde_json::from_value(json!({
        "replica": "0190c1e2-0000", "config_version": 13,
        "ops": [
            {"seq": 4812, "op_id": "0190f3-01", "hlc": "0190f3a2b4c5-0001", "kind": "profile.create", "gid": "0190f3-aa",
             "origin": {"source": "import", "job": 57, "row": 1203},
             "fields": {"full_name": "Nguyễn Văn A", "phones": [{"raw": "0912 345 678", "e164": "+84912345678", "tag": "t1"}],
                        "emails": [{"raw": "A@Example.vn", "tag": "t2"}], "customer_code": "KH001", "tags": [{"v": "vip", "tag": "t3"}],
                        "custom": {"segment": "retail"}},
             "consent": [{"event_id": "c1", "channel": "sms", "status": "granted", "recorded_at": "2026-12-02T10:00:00Z", "recorded_by": "lan"}]},
            {"seq": 4813, "op_id": "o2", "hlc": "0190f3a2b4c5-0002", "kind": "profile.update", "gid": "0190-bb", "base_rev": 17,
             "set": {"city": {"v": "Hà Nội", "base_fv": 1530}, "note": {"v": null, "base_fv": 900}},
             "add": {"emails": [{"raw": "b@x.vn", "tag": "t9"}]},
             "remove": {"tags": [{"v": "lead", "observed": ["t4"]}]}},
            {"seq": 4814, "op_id": "o3", "hlc": "0190f3a2b4c5-0003", "kind": "profile.delete", "gid": "g", "base_rev": 18, "reason": "Customer request (erasure)"},
            {"seq": 4815, "op_id": "o4", "hlc": "0190f3a2b4c5-0004", "kind": "consent.record", "gid": "g", "event_id": "c2", "channel": "email", "status": "denied", "recorded_at": "2026-12-02T10:00:00Z"},
            {"seq": 4816, "op_id": "o5", "hlc": "0190f3a2b4c5-0005", "kind": "profile.merge", "survivor": "s", "absorbed": ["a", "b"], "base_revs": {"a": 4, "b": 9},
             "choices": {"full_name": "a", "birthday": "b"}},
            {"seq": 4817, "op_id": "o6", "hlc": "0190f3a2b4c5-0006", "kind": "review.resolve", "review": "rv_1", "base_rev": 3, "decision": "attach", "target": "g"},
            {"seq": 4818, "op_id": "o7", "hlc": "0190f3a2b4c5-0007", "kind": "conflict.resolve", "conflict": "cf_1", "choice": "lost", "base_fv": 1777}
        ]
    }))
    .unwrap();
    let kinds: Vec<_> = push.ops.iter().map(|op| op.body.kind()).collect();
    assert_eq!(
        kinds,
        [
            "profile.create",
            "profile.update",
            "profile.delete",
            "consent.record",
            "profile.merge",
            "review.resolve",
            "conflict.resolve"
        ]
    );
    let OpBody::ProfileUpdate(update) = &push.ops[1].body else {
        panic!()
    };
    assert_eq!(
        update.set["note"].v, None,
        "an explicit null clears the field"
    );
    assert_eq!(update.set["city"].v, Some(json!("Hà Nội")));

    let answer: PushResponse = serde_json::from_value(json!({
        "acked_through": 4818, "hlc": "0190f3a2b4c6-0000",
        "results": [
            {"seq": 4812, "status": "merged", "gid": "0190f3-aa", "into": "018e-77", "matched_by": "phone", "rev": 22},
            {"seq": 4813, "status": "applied", "rev": 18, "conflicts": [{"id": "cf_1", "field": "city", "kept": "Hồ Chí Minh", "lost": "Hà Nội"}]},
            {"seq": 4814, "status": "applied", "rev": 19},
            {"seq": 4815, "status": "duplicate", "original": {"status": "applied", "rev": 20}},
            {"seq": 4816, "status": "rejected", "code": "forbidden", "permission": "profile.delete", "permanent": true,
             "detail": "You do not have permission to delete profiles"},
            {"seq": 4817, "status": "review", "review": "rv_1", "candidates": ["a", "b"]},
            {"seq": 4818, "status": "applied", "rev": 31}
        ]
    }))
    .unwrap();
    let statuses: Vec<_> = answer.results.iter().map(|r| r.outcome.status()).collect();
    assert_eq!(
        statuses,
        [
            "merged",
            "applied",
            "applied",
            "duplicate",
            "rejected",
            "review",
            "applied"
        ]
    );

    let page: PullResponse = serde_json::from_value(json!({
        "changes": [
            {"type": "profile", "gid": "0190f3-aa", "rev": 1, "cseq": [7, 5002], "deleted": true,
             "tombstone": {"merged_into": "018e-77", "at": "2026-12-02T10:00:00Z"}},
            {"type": "profile", "gid": "g", "rev": 19, "cseq": [1, 771], "deleted": true, "tombstone": {"by": "u_minh", "reason": "Customer request", "at": "2026-12-02T10:00:00Z"}},
            {"type": "consent", "event_id": "c2", "gid": "g", "channel": "email", "status": "denied", "recorded_at": "2026-12-02T10:00:00Z", "by": "u_lan", "source": "sync:d_1"},
            {"type": "config", "version": 14, "rule": {"keys": ["phone", "email", "customer_code"], "default_region": "VN"}, "catalog": {}, "channels": {}}
        ],
        "cursor": "eyJ2IjoxfQ", "has_more": false
    }))
    .unwrap();
    assert_eq!(page.changes.len(), 4);
    assert!(!page.has_more);
}

#[test]
fn an_unknown_op_kind_or_status_is_refused_not_guessed() {
    let op = json!({"seq": 1, "op_id": "o", "hlc": "0190f3a2b4c5-0001", "kind": "profile.teleport", "gid": "g"});
    let error = serde_json::from_value::<Op>(op).unwrap_err().to_string();
    assert!(error.contains("profile.teleport"), "{error}");
    let result = json!({"seq": 1, "status": "maybe"});
    assert!(serde_json::from_value::<OpResult>(result).is_err());
}

#[test]
fn a_set_without_v_is_refused_rather_than_read_as_a_clear() {
    let op = |set: Value| {
        json!({"seq": 1, "op_id": "o", "hlc": "0190f3a2b4c5-0001", "kind": "profile.update",
               "gid": "g", "base_rev": 1, "set": set})
    };
    let missing = serde_json::from_value::<Op>(op(json!({"note": {"base_fv": 9}})));
    assert!(missing
        .unwrap_err()
        .to_string()
        .contains("missing field `v`"));
    let cleared: Op =
        serde_json::from_value(op(json!({"note": {"v": null, "base_fv": 9}}))).unwrap();
    let OpBody::ProfileUpdate(update) = cleared.body else {
        panic!()
    };
    assert_eq!(
        update.set["note"],
        FieldSet {
            v: None,
            base_fv: 9
        }
    );
}
