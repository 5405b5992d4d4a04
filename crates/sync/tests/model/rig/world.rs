//! One case's world: the server, the proxy in front of it, 2–4 laptops, and the reference
//! model — what each laptop committed locally (its ops, which must each end with exactly one
//! receipt), what was legitimately forgotten (an undone import's held ops; what a restore took
//! back), which profiles the server ever deleted, and which identifiers may be shared on
//! purpose. [`World::step`] runs one generated action; [`World::quiesce`] syncs every laptop
//! until nothing moves, with no faults; `checks` then compares.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use pdesk_core::jobs::{paste_columns, ImportSettings, ImportSource, JobStatus};
use pdesk_core::model::{ConsentInput, ConsentStatus, ProfileInput};
use pdesk_core::profiles::review::{ReviewDecision, ReviewQuery, ReviewStatus};
use pdesk_core::profiles::EditDecision;
use pdesk_core::sync::ConflictDecision;
use rusqlite::Connection;

use super::actions::{Action, Case};
use super::laptop::Laptop;
use super::pools;
use super::proxy::{Proxy, Route};
use super::server::ServerSide;

/// One op of a laptop's outbox, read from its file.
#[derive(Debug, Clone)]
pub struct OutboxOp {
    pub op_id: String,
    pub state: String,
    pub kind: String,
    pub gid: Option<String>,
    pub body: String,
}

#[derive(Debug, Default)]
pub struct Model {
    /// Per laptop: every op it committed locally and still owes the server an answer for.
    pub must: Vec<BTreeSet<String>>,
    /// Ops an undo took back: they must never reach the server.
    pub undone: BTreeSet<String>,
    /// Ops whose receipts a GC removed (their answer stays in the laptop's outbox).
    pub gc_receipts: BTreeSet<String>,
    /// Profiles the server has deleted (or merged away) at some point.
    pub deleted_ever: BTreeSet<String>,
    /// Every reason a laptop gave to delete each profile (gid → reasons), also for a delete
    /// that a later restore of that laptop's backup took out of its outbox: sent before the
    /// restore, the server may keep it.
    pub delete_reasons: BTreeMap<String, BTreeSet<String>>,
    /// Identifier keys that may end on two live profiles: added by an edit (the edit form
    /// does not merge), kept apart on purpose ("keep separate", a review's "create new").
    pub loose_keys: BTreeSet<String>,
    /// Per laptop: its imports, newest last.
    pub imports: Vec<Vec<i64>>,
    /// The steps run, with what they did, for a failing case's message.
    pub log: Vec<String>,
}

pub struct World {
    pub server: ServerSide,
    pub proxy: Proxy,
    pub laptops: Vec<Laptop>,
    pub model: Model,
}

pub fn outbox(db: &std::path::Path) -> Vec<OutboxOp> {
    let conn = Connection::open(db).unwrap();
    let rows = conn
        .prepare("SELECT op_id, state, kind, gid, body FROM sync_outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok(OutboxOp {
                op_id: r.get(0)?,
                state: r.get(1)?,
                kind: r.get(2)?,
                gid: r.get(3)?,
                body: r.get(4)?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

/// The live profiles' local ids, oldest first.
fn live_ids(db: &std::path::Path) -> Vec<i64> {
    let conn = Connection::open(db).unwrap();
    let ids = conn
        .prepare("SELECT id FROM profiles ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    ids
}

/// A profile's phones (or e-mails) as typed, in order.
fn list_of(db: &std::path::Path, id: i64, email: bool) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let sql = if email {
        "SELECT raw FROM profile_emails WHERE profile_id = ?1 ORDER BY position"
    } else {
        "SELECT raw FROM profile_phones WHERE profile_id = ?1 ORDER BY position"
    };
    let values = conn
        .prepare(sql)
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    values
}

/// The match keys of a profile (E.164 phones, e-mail keys).
fn keys_of(db: &std::path::Path, id: i64) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let keys = conn
        .prepare(
            "SELECT e164 FROM profile_phones WHERE profile_id = ?1
             UNION ALL SELECT email_key FROM profile_emails WHERE profile_id = ?1",
        )
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    keys
}

/// A paste maps its columns by position: name, phone, e-mail (as the core's import tests do).
fn paste_settings(store: &pdesk_core::Store, text: &str) -> ImportSettings {
    let admin = store.actor(None).unwrap();
    let (columns, _) = paste_columns(text, 1_000, 5, false).unwrap();
    let mut mapping = store.suggest_mapping(&admin, &columns).unwrap();
    for (m, target) in mapping.iter_mut().zip(["full_name", "phones", "emails"]) {
        m.target = Some(target.to_string());
        m.reason = pdesk_core::mapping::SuggestionReason::NoMatch;
    }
    ImportSettings::new(columns, mapping)
}

impl World {
    pub fn new(case: &Case) -> World {
        let server = ServerSide::new();
        let proxy = Proxy::start(server.current.clone());
        let laptops = (0..case.laptops)
            .map(|n| Laptop::connect(n, &proxy, if case.sales[n] { "lan" } else { "admin" }))
            .collect();
        let mut world = World {
            server,
            proxy,
            laptops,
            model: Model::default(),
        };
        world.model.must = vec![BTreeSet::new(); case.laptops];
        world.model.imports = vec![Vec::new(); case.laptops];
        // The first round of each: the (empty) initial push and the first download.
        for n in 0..case.laptops {
            world.laptops[n]
                .round(&world.proxy, &world.server.clock, Route::Any, &[])
                .expect("the first sync");
        }
        world
    }

    /// Laptop `n`'s administrator edits profile `id` as the form does.
    fn edit(
        &mut self,
        n: usize,
        id: i64,
        input: &ProfileInput,
        consent: &ConsentInput,
        decision: EditDecision,
    ) -> pdesk_core::Result<pdesk_core::model::ProfileDetail> {
        let laptop = &mut self.laptops[n];
        let admin = laptop.admin.clone();
        laptop
            .store()
            .update_profile_decided(&admin, id, input, consent, decision)
    }

    /// Decides the first merge review the server opened that nobody here decided: attach to
    /// or merge all into its first candidate, or keep it separate (sent as `review.resolve`;
    /// the server makes the merge).
    fn resolve_server_review(&mut self, n: usize, decision: u8) -> String {
        use pdesk_core::sync::ServerReviewDecision;
        let db = self.laptops[n].db();
        let laptop = &mut self.laptops[n];
        let admin = laptop.admin.clone();
        let reviews = laptop.store().server_reviews(&admin).unwrap();
        let Some(review) = reviews.iter().find(|r| !r.resolved && r.decision.is_none()) else {
            return "no open review".into();
        };
        let Some(first) = review.candidates.first() else {
            return "server review without candidates".into();
        };
        let decision = match decision % 3 {
            0 => ServerReviewDecision::Attach(first.gid.clone()),
            1 => ServerReviewDecision::MergeAll(first.gid.clone()),
            _ => ServerReviewDecision::CreateNew,
        };
        // As for this computer's reviews: "keep separate" shares the candidates' keys on
        // purpose, and "attach" gives one candidate the keys that matched the others.
        for id in review
            .candidates
            .iter()
            .chain([&review.held])
            .filter_map(|p| p.profile_id)
        {
            self.model.loose_keys.extend(keys_of(&db, id));
        }
        let id = review.id.clone();
        let result = self.laptops[n]
            .store()
            .resolve_server_review(&admin, &id, &decision);
        format!("server review {id} {decision:?}: {}", ok_or_code(&result))
    }

    fn laptop_index(&self, c: u8) -> usize {
        usize::from(c) % self.laptops.len()
    }

    /// The p-th live profile of laptop `n`, if it has any.
    fn profile(&self, n: usize, p: u8) -> Option<i64> {
        let ids = live_ids(&self.laptops[n].db());
        (!ids.is_empty()).then(|| ids[usize::from(p) % ids.len()])
    }

    fn note(&mut self, text: String) {
        self.model.log.push(text);
    }

    /// Runs one action, then the per-step checks and the model's bookkeeping.
    pub fn step(&mut self, action: &Action) {
        let outcome = self.run(action);
        self.note(format!("{action:?} → {outcome}"));
        // Time moves on for everyone (the server's rate limits refill; held imports' windows
        // close eventually); each laptop's clock follows, off by its skew.
        self.server.clock.advance(2_000);
        let now = self.server.now_ms();
        for laptop in &self.laptops {
            laptop.follow(now);
        }
        self.record_ops();
        self.record_deleted();
    }

    fn run(&mut self, action: &Action) -> String {
        match action {
            Action::Create {
                c,
                name,
                phone,
                email,
                consent,
            } => {
                let n = self.laptop_index(*c);
                let mut input = ProfileInput::default().with("full_name", pools::name(*name));
                if let Some(i) = phone {
                    input = input.with_list("phones", &[pools::phone(*i).0]);
                }
                if let Some(i) = email {
                    input = input.with_list("emails", &[pools::email(*i).0]);
                }
                let consent = consent_input(*consent);
                let laptop = &mut self.laptops[n];
                let admin = laptop.admin.clone();
                let outcome = laptop.store().create_profile(&admin, &input, &consent);
                if let Ok(pdesk_core::model::SaveOutcome::Updated { .. }) = &outcome {
                    // Merged here by the local rule: an update goes up, and the server never
                    // matches an update — its keys may meet another laptop's profile there.
                    let keys = phone.map(|i| pools::phone(i).1).into_iter();
                    let keys = keys.chain(email.map(|i| pools::email(i).1));
                    self.model.loose_keys.extend(keys.map(str::to_string));
                }
                format!("{:?}", outcome.map(|o| outcome_word(&o)))
            }
            Action::Edit { c, p, field, value } => {
                let n = self.laptop_index(*c);
                let Some(id) = self.profile(n, *p) else {
                    return "no profile".into();
                };
                let (field, value) = match field % 4 {
                    0 => ("city", pools::pick(&pools::CITIES, *value)),
                    1 => ("company", pools::pick(&pools::COMPANIES, *value)),
                    2 => ("full_name", pools::name(*value)),
                    _ => ("job_title", pools::pick(&["Sales", "Director"], *value)),
                };
                let input = ProfileInput::default().with(field, value);
                let result = self.edit(n, id, &input, &ConsentInput::default(), EditDecision::Ask);
                format!("#{id} {field}={value}: {}", ok_or_code(&result))
            }
            Action::ListAdd { c, p, email, value } => {
                let n = self.laptop_index(*c);
                let Some(id) = self.profile(n, *p) else {
                    return "no profile".into();
                };
                let db = self.laptops[n].db();
                let mut list = list_of(&db, id, *email);
                let (raw, key) = if *email {
                    pools::email(*value)
                } else {
                    pools::phone(*value)
                };
                list.push(raw.to_string());
                let input = list_input(*email, &list);
                self.model.loose_keys.insert(key.to_string());
                let result = self.edit(
                    n,
                    id,
                    &input,
                    &ConsentInput::default(),
                    EditDecision::KeepSeparate,
                );
                format!("#{id} + {raw}: {}", ok_or_code(&result))
            }
            Action::ListRemove { c, p, email } => {
                let n = self.laptop_index(*c);
                let Some(id) = self.profile(n, *p) else {
                    return "no profile".into();
                };
                let db = self.laptops[n].db();
                let mut list = list_of(&db, id, *email);
                if list.is_empty() {
                    return "empty list".into();
                }
                let removed = list.remove(0);
                let input = list_input(*email, &list);
                let result = self.edit(
                    n,
                    id,
                    &input,
                    &ConsentInput::default(),
                    EditDecision::KeepSeparate,
                );
                format!("#{id} - {removed}: {}", ok_or_code(&result))
            }
            Action::Delete { c, p, reason } => {
                let n = self.laptop_index(*c);
                let Some(id) = self.profile(n, *p) else {
                    return "no profile".into();
                };
                let laptop = &mut self.laptops[n];
                let admin = laptop.admin.clone();
                let result = laptop.store().delete_profiles(
                    &admin,
                    &[id],
                    pools::pick(&pools::REASONS, *reason),
                );
                format!("#{id}: {}", ok_or_code(&result))
            }
            Action::Consent {
                c,
                p,
                channel,
                granted,
            } => {
                let n = self.laptop_index(*c);
                let Some(id) = self.profile(n, *p) else {
                    return "no profile".into();
                };
                let consent = consent_input(Some((*channel, *granted)));
                let result =
                    self.edit(n, id, &ProfileInput::default(), &consent, EditDecision::Ask);
                format!("#{id}: {}", ok_or_code(&result))
            }
            Action::ResolveReview { c, decision } => {
                let n = self.laptop_index(*c);
                let db = self.laptops[n].db();
                let laptop = &mut self.laptops[n];
                let admin = laptop.admin.clone();
                let reviews = laptop
                    .store()
                    .merge_reviews(
                        &admin,
                        &ReviewQuery {
                            status: ReviewStatus::Open,
                            job_id: None,
                        },
                    )
                    .unwrap();
                let Some(review) = reviews.items.first() else {
                    return self.resolve_server_review(n, *decision);
                };
                let Some(first) = review.candidates.iter().find(|c| !c.gone) else {
                    return "candidates gone".into();
                };
                let decision = match decision % 4 {
                    0 => ReviewDecision::Attach {
                        profile_id: first.profile_id,
                    },
                    1 => ReviewDecision::MergeAll {
                        survivor: first.profile_id,
                        picks: Vec::new(),
                    },
                    2 => ReviewDecision::CreateNew,
                    _ => ReviewDecision::Dismiss,
                };
                if decision != ReviewDecision::Dismiss {
                    // "Create new" shares the candidates' keys on purpose; "attach" gives one
                    // candidate the keys that matched the others (the review was about them).
                    for candidate in &review.candidates {
                        self.model
                            .loose_keys
                            .extend(keys_of(&db, candidate.profile_id));
                    }
                }
                let id = review.id;
                let result = self.laptops[n]
                    .store()
                    .resolve_merge_review(&admin, id, &decision, None);
                format!("review {id} {decision:?}: {}", ok_or_code(&result))
            }
            Action::ResolveConflict { c, decision } => {
                let n = self.laptop_index(*c);
                let laptop = &mut self.laptops[n];
                let admin = laptop.admin.clone();
                let conflicts = laptop.store().sync_conflicts(&admin).unwrap();
                let Some(conflict) = conflicts.iter().find(|c| c.open) else {
                    return "no open conflict".into();
                };
                let decision = match decision % 3 {
                    0 => ConflictDecision::Keep,
                    1 => ConflictDecision::TakeOther,
                    _ => ConflictDecision::Edit(pools::pick(&pools::CITIES, *decision).to_string()),
                };
                let id = conflict.id.clone();
                let result = laptop.store().sync_resolve_conflict(&admin, &id, &decision);
                format!("conflict {id} {decision:?}: {}", ok_or_code(&result))
            }
            Action::Import { c, rows } => {
                let n = self.laptop_index(*c);
                let text: String = rows
                    .iter()
                    .map(|(name, phone, email)| {
                        format!(
                            "{}\t{}\t{}\n",
                            pools::name(*name),
                            pools::phone(*phone).0,
                            pools::email(*email).0
                        )
                    })
                    .collect();
                let laptop = &mut self.laptops[n];
                let admin = laptop.admin.clone();
                let settings = paste_settings(laptop.store(), &text);
                let id =
                    match laptop
                        .store()
                        .queue_import(&admin, &ImportSource::Paste(text), &settings)
                    {
                        Ok(id) => id,
                        Err(e) => return format!("refused: {}", e.code()),
                    };
                let job = laptop
                    .store()
                    .run_job(&admin, id, |_| ControlFlow::Continue(()))
                    .unwrap();
                if job.counts.updated > 0 {
                    // Rows merged into profiles here go up as updates (see Create).
                    for (_, phone, email) in rows {
                        self.model
                            .loose_keys
                            .insert(pools::phone(*phone).1.to_string());
                        self.model
                            .loose_keys
                            .insert(pools::email(*email).1.to_string());
                    }
                }
                if job.status == JobStatus::Done {
                    self.model.imports[n].push(id);
                }
                format!("job {id}: {:?} {:?}", job.status, job.counts)
            }
            Action::UndoImport { c } => {
                let n = self.laptop_index(*c);
                let Some(id) = self.model.imports[n].pop() else {
                    return "no import".into();
                };
                let before: BTreeSet<String> = outbox(&self.laptops[n].db())
                    .into_iter()
                    .map(|o| o.op_id)
                    .collect();
                let laptop = &mut self.laptops[n];
                let admin = laptop.admin.clone();
                let result = laptop.store().undo_job(&admin, id);
                let after: BTreeSet<String> = outbox(&self.laptops[n].db())
                    .into_iter()
                    .map(|o| o.op_id)
                    .collect();
                // Held ops taken back: the server must never hear of them.
                for gone in before.difference(&after) {
                    self.model.must[n].remove(gone);
                    self.model.undone.insert(gone.clone());
                }
                format!(
                    "job {id}: {} ({} ops taken back)",
                    ok_or_code(&result),
                    before.difference(&after).count()
                )
            }
            Action::Sync { c, route, faults } => {
                let n = self.laptop_index(*c);
                let result = self.laptops[n].round(&self.proxy, &self.server.clock, *route, faults);
                match result {
                    Ok(r) => format!(
                        "ok: pushed {:?}, pulled {} profiles{}",
                        r.pushed,
                        r.pulled.profiles + r.downloaded.profiles,
                        if r.pushed.rejected > 0 {
                            format!(", refused: {:?}", rejections(&self.laptops[n].db()))
                        } else {
                            String::new()
                        }
                    ),
                    Err(e) => format!("failed: {e}"),
                }
            }
            Action::CrashMidPush { c, fault } => {
                let n = self.laptop_index(*c);
                self.laptops[n].crash_mid_push(&self.proxy, &self.server.clock, *fault);
                "crashed and reopened".into()
            }
            Action::BackupLaptop { c } => {
                let n = self.laptop_index(*c);
                self.laptops[n].backup();
                "backed up".into()
            }
            Action::RestoreLaptop { c, which } => {
                let n = self.laptop_index(*c);
                if !self.laptops[n].restore(usize::from(*which)) {
                    return "no backup".into();
                }
                // A backup from before an undo holds the import again, and its ops with it:
                // they may go up now (the person restored what the undo had taken back).
                for op in outbox(&self.laptops[n].db()) {
                    self.model.undone.remove(&op.op_id);
                }
                self.forget_what_nobody_holds();
                self.forget_deletes_nobody_holds();
                "restored".into()
            }
            Action::Skew { c, hours } => {
                let n = self.laptop_index(*c);
                self.laptops[n].skew_hours = i64::from(*hours);
                format!("clock off by {hours} h")
            }
            Action::Advance { minutes } => {
                self.server.clock.advance(u64::from(*minutes) * 60_000);
                format!("+{minutes} min")
            }
            Action::BackupServer => {
                self.server.backup();
                "server backed up".into()
            }
            Action::RestoreServer { which } => {
                let went_back = self.server.restore(usize::from(*which));
                self.forget_what_nobody_holds();
                self.forget_deletes_nobody_holds();
                format!("server restored (data went back: {went_back})")
            }
            Action::GcServer => {
                let gone = self.server.gc();
                let count = gone.len();
                self.model.gc_receipts.extend(gone);
                // The GC (here with a horizon of zero) removes tombstones too: a create sent
                // again after it — a laptop recovering from a server restore — brings the
                // customer back, as SYNC.md accepts past the horizon. Only deletes the server
                // still remembers must stick.
                let still_deleted = self.server_deleted();
                self.model
                    .deleted_ever
                    .retain(|g| still_deleted.contains(g));
                format!("gc: {count} receipts")
            }
        }
    }

    /// After a restore (a laptop's or the server's) an op that no laptop's outbox holds any
    /// more and that the server has no receipt of is gone with the data that was rolled back:
    /// legitimately, as the user asked for the older copy.
    fn forget_what_nobody_holds(&mut self) {
        let receipts = self.server_receipts();
        for (n, laptop) in self.laptops.iter().enumerate() {
            let held: BTreeSet<String> =
                outbox(&laptop.db()).into_iter().map(|o| o.op_id).collect();
            self.model.must[n].retain(|op| held.contains(op) || receipts.contains_key(op));
        }
    }

    /// A profile deleted on the server lives again there after a restore of the server until
    /// the delete is sent again: only deletes the server still has, or that some laptop still
    /// holds (sent, or on their way), must stick. A laptop restoring a backup from before its
    /// delete takes the delete back too (found by the soak, seed 0x6b136847: the server
    /// restored first, then the laptop — nobody held the delete any more).
    fn forget_deletes_nobody_holds(&mut self) {
        let still_deleted = self.server_deleted();
        let held_deletes: BTreeSet<String> = self
            .laptops
            .iter()
            .flat_map(|l| outbox(&l.db()))
            .filter(|o| {
                o.kind == "profile.delete"
                    && matches!(o.state.as_str(), "acked" | "pending" | "inflight")
            })
            .filter_map(|o| o.gid)
            .collect();
        self.model
            .deleted_ever
            .retain(|g| still_deleted.contains(g) || held_deletes.contains(g));
    }

    /// Every op id the server has a receipt for, with how many.
    /// How many times the server took each op (by id) as a new one. An op sent again under
    /// another replica (held in a restored backup) is answered as a duplicate of its first
    /// answer, and its receipt says so: it is not counted.
    pub fn server_receipts(&self) -> BTreeMap<String, u64> {
        let rows = self.server.db(|db| {
            db.read(|sql| {
                sql.query(
                    "SELECT op_id FROM receipts WHERE result NOT LIKE '{\"status\":\"duplicate\"%'",
                    &[],
                )
            })
            .unwrap()
        });
        let mut counts = BTreeMap::new();
        for row in rows {
            *counts.entry(row.text(0)).or_insert(0) += 1;
        }
        counts
    }

    fn server_deleted(&self) -> BTreeSet<String> {
        let rows = self.server.db(|db| {
            db.read(|sql| sql.query("SELECT gid FROM profiles WHERE deleted = 1", &[]))
                .unwrap()
        });
        rows.iter().map(|r| r.text(0)).collect()
    }

    fn record_deleted(&mut self) {
        let deleted = self.server_deleted();
        self.model.deleted_ever.extend(deleted);
    }

    /// Every op in a laptop's outbox is one it committed: it joins what the laptop owes.
    /// Checked on the way: nothing it owed left its outbox (a crash loses no op: F5/F6).
    fn record_ops(&mut self) {
        for (n, laptop) in self.laptops.iter().enumerate() {
            let ops = outbox(&laptop.db());
            let held: BTreeSet<&str> = ops.iter().map(|o| o.op_id.as_str()).collect();
            let receipts_needed: Vec<&String> = self.model.must[n]
                .iter()
                .filter(|op| !held.contains(op.as_str()))
                .collect();
            if !receipts_needed.is_empty() {
                // Only a restore may drop ops, and then only ones the server has.
                let receipts = self.server_receipts();
                let lost: Vec<&&String> = receipts_needed
                    .iter()
                    .filter(|op| {
                        !receipts.contains_key(op.as_str())
                            && !self.model.gc_receipts.contains(op.as_str())
                    })
                    .collect();
                assert!(
                    lost.is_empty(),
                    "laptop {n} lost committed ops from its outbox: {lost:?}\n{}",
                    self.model.log.join("\n")
                );
            }
            for op in ops {
                if op.kind == "profile.delete" {
                    let body: serde_json::Value = serde_json::from_str(&op.body).unwrap();
                    if let (Some(gid), Some(reason)) = (&op.gid, body["reason"].as_str()) {
                        self.model
                            .delete_reasons
                            .entry(gid.clone())
                            .or_default()
                            .insert(reason.to_string());
                    }
                }
                if !self.model.undone.contains(&op.op_id) {
                    self.model.must[n].insert(op.op_id);
                }
            }
            check_outbox_numbering(n, &laptop.db(), &self.model.log);
        }
    }

    /// Every laptop's user discards the changes the server refused (after the receipts were
    /// checked: a refused change must be listed until then).
    pub fn discard_refused(&mut self) {
        for n in 0..self.laptops.len() {
            let discarded = self.laptops[n].discard_refused(&self.server.clock);
            self.model.log.push(format!(
                "laptop {n}: refused changes discarded on {discarded:?}"
            ));
        }
    }

    /// Faults off: every laptop releases its held imports and syncs, again and again, until a
    /// whole pass moves nothing. Panics if a round fails or it never settles.
    pub fn quiesce(&mut self) {
        for laptop in &mut self.laptops {
            let admin = laptop.admin.clone();
            laptop.store().sync_release_held(&admin).unwrap();
        }
        for pass in 0..12 {
            let mut moved = false;
            for n in 0..self.laptops.len() {
                let report = self.laptops[n]
                    .round(&self.proxy, &self.server.clock, Route::Any, &[])
                    .unwrap_or_else(|e| {
                        panic!(
                            "laptop {n}'s round failed with no fault in pass {pass}: {e}\n{}",
                            self.model.log.join("\n")
                        )
                    });
                self.model.log.push(format!(
                    "quiesce pass {pass}, laptop {n}: {} batches, pushed {:?}, downloaded {:?}, pulled {:?}",
                    report.batches, report.pushed, report.downloaded, report.pulled
                ));
                moved |= report.batches > 0
                    || report.initial_queued > 0
                    || report.pulled.profiles
                        + report.pulled.deleted
                        + report.pulled.consent_events
                        > 0
                    || report.downloaded.profiles > 0;
                self.server.clock.advance(3_000);
                let now = self.server.now_ms();
                self.laptops[n].follow(now);
            }
            self.record_ops();
            self.record_deleted();
            if !moved && pass > 0 {
                return;
            }
        }
        panic!("the laptops never settled\n{}", self.model.log.join("\n"));
    }
}

/// Numbered ops of one replica have distinct seqs with no hole (held ops have none yet).
fn check_outbox_numbering(n: usize, db: &std::path::Path, log: &[String]) {
    let conn = Connection::open(db).unwrap();
    let rows: Vec<(String, i64, i64, i64)> = conn
        .prepare(
            "SELECT replica_id, count(*), count(DISTINCT seq), max(seq) - min(seq) + 1
               FROM sync_outbox WHERE seq IS NOT NULL GROUP BY replica_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (replica, count, distinct, span) in rows {
        assert!(
            count == distinct && count == span,
            "laptop {n}: replica {replica} has {count} ops, {distinct} distinct seqs over a span of {span}\n{}",
            log.join("\n")
        );
    }
}

/// What the server refused of a laptop's ops: (kind, code).
fn rejections(db: &std::path::Path) -> Vec<(String, String)> {
    let conn = Connection::open(db).unwrap();
    let rows = conn
        .prepare("SELECT kind, code FROM sync_rejections ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

fn consent_input(consent: Option<(u8, bool)>) -> ConsentInput {
    let mut input = ConsentInput::default();
    if let Some((channel, granted)) = consent {
        input.channels.insert(
            pools::pick(&pools::CHANNELS, channel).to_string(),
            if granted {
                ConsentStatus::Granted
            } else {
                ConsentStatus::Denied
            },
        );
    }
    input
}

fn outcome_word(outcome: &pdesk_core::model::SaveOutcome) -> String {
    match outcome {
        pdesk_core::model::SaveOutcome::Created { profile_id, .. } => {
            format!("created #{profile_id}")
        }
        pdesk_core::model::SaveOutcome::Updated { profile_id, .. } => {
            format!("merged into #{profile_id}")
        }
        pdesk_core::model::SaveOutcome::Review { review_id, .. } => format!("review {review_id}"),
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}

/// An edit that sets a profile's whole phone (or e-mail) list to `list`.
fn list_input(email: bool, list: &[String]) -> ProfileInput {
    let values: Vec<&str> = list.iter().map(String::as_str).collect();
    ProfileInput::default().with_list(if email { "emails" } else { "phones" }, &values)
}

fn ok_or_code<T>(result: &pdesk_core::Result<T>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(e) => format!("refused ({})", e.code()),
    }
}
