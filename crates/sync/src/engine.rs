//! The sync loop (SYNC.md §6.1): hello → the initial push (first connection) → push until the
//! outbox is empty (one batch in flight; a batch sent again keeps its seqs and bodies) → the
//! first download (snapshot pages, resumable) → pull until caught up. [`sync_once`] is one
//! round; [`run`] repeats it with a long-poll between rounds and backs off on failure.
//!
//! Every step commits what it learnt before the next request (the store's methods are each
//! one transaction), so a kill at any point resumes where it stopped: an unanswered batch goes
//! again, a page is applied once.

use std::sync::Arc;
use std::time::Duration;

use pdesk_core::keychain::Secrets;
use pdesk_core::sync::{NewConnection, PageApplied, Phase, PushRecorded, ServerTrust};
use pdesk_core::{Actor, Permission, Store};
use pdesk_sync_proto::devices::RegisterDevice;
use pdesk_sync_proto::problem::ProblemCode;
use pdesk_sync_proto::push::PushRequest;
use pdesk_sync_proto::PROTOCOL_VERSION;
use serde::Serialize;

use crate::backoff::Backoff;
use crate::client::Client;
use crate::error::{SyncError, SyncResult};

/// Ops per push: the protocol's limit. A 413 halves it for the batch that got it.
const MAX_OPS: usize = 1_000;
/// Profiles per snapshot page and changes per pull page: one page is one local transaction.
/// 2,000 keeps it to a fraction of a second (the app's own writes wait that long at most) and
/// the requests well under the server's 20 a second per token (pages of 500 were applied
/// faster than that, and a first sync of a million was told to slow down).
const PAGE: u32 = 2_000;
/// How often one request is tried again when the server asks to wait (429, 503, 409
/// in_progress) before the round gives up and the loop's backoff takes over.
const BUSY_TRIES: u32 = 6;
/// Profiles queued per step of the initial push.
const INITIAL_STEP: usize = 1_000;

/// The keychain entry of a device's refresh token.
pub fn token_key(device_id: &str) -> String {
    format!("pdesk-sync:{device_id}")
}

/// How far a round has come, for "Uploading 12,000 / 50,000" and "Downloading 430,000".
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundProgress {
    /// Ops sent and answered in this round.
    pub sent: u64,
    /// What had to go up when the round began (and more, if changes were made meanwhile).
    pub to_send: u64,
    /// Profiles received by the first download in this round.
    pub downloaded: u64,
    /// How many the server has, when the download began in this round (0: not known, e.g. a
    /// download resumed after a restart).
    pub to_download: u64,
}

/// What a round did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundReport {
    /// Profiles held before connecting, queued as creates by this round's initial push.
    pub initial_queued: u64,
    pub batches: u32,
    pub pushed: PushRecorded,
    pub downloaded: PageApplied,
    pub pulled: PageApplied,
    /// How far this computer's clock is from the server's (ms; positive: ahead).
    pub clock_offset_ms: i64,
    /// Acknowledged ops sent again to a server restored from an older backup.
    pub resent: u64,
}

fn add(total: &mut PageApplied, page: &PageApplied) {
    total.profiles += page.profiles;
    total.deleted += page.deleted;
    total.consent_events += page.consent_events;
    total.waiting += page.waiting;
    total.conflicts += page.conflicts;
}

fn add_push(total: &mut PushRecorded, answer: &PushRecorded) {
    total.applied += answer.applied;
    total.merged += answer.merged;
    total.review += answer.review;
    total.rejected += answer.rejected;
    total.conflicts += answer.conflicts;
}

/// Registers this device on the server with the user's password, keeps the refresh token in
/// the keychain and connects the store. Nothing is registered when the actor may not connect
/// the store or it is connected already.
pub fn connect(
    store: &mut Store,
    actor: &Actor,
    secrets: &dyn Secrets,
    server_url: &str,
    user: &str,
    password: &str,
    device_name: &str,
    trust: &ServerTrust,
) -> SyncResult<String> {
    actor.require(Permission::SettingsManage)?;
    if store.sync_cursor()?.is_some() {
        return Err(SyncError::Store(pdesk_core::sync::already_connected()));
    }
    let client = Client::new(server_url, trust)?;
    let registered = client.register(&RegisterDevice {
        user: user.to_string(),
        password: Some(password.to_string()),
        oidc_code: None,
        device_name: device_name.to_string(),
        platform: std::env::consts::OS.to_string(),
    })?;
    let key = token_key(&registered.device_id);
    secrets
        .set(&key, &registered.refresh_token)
        .map_err(|e| SyncError::Keychain(e.to_string()))?;
    let connected = store.sync_connect(
        actor,
        &NewConnection {
            server_url: client.base().to_string(),
            user_name: user.to_string(),
            device_id: registered.device_id.clone(),
            device_name: device_name.to_string(),
            trust: trust.clone(),
        },
    );
    if let Err(e) = connected {
        let _ = secrets.delete(&key);
        return Err(e.into());
    }
    Ok(registered.device_id)
}

/// Disconnects the store (see `Store::sync_disconnect`), revokes the device on the server
/// when it can be reached, and forgets the refresh token.
pub fn disconnect(
    store: &mut Store,
    actor: &Actor,
    secrets: &dyn Secrets,
    discard_pending: bool,
) -> SyncResult<()> {
    let cursor = store.sync_cursor()?.ok_or(SyncError::NotConnected)?;
    let device = store.sync_disconnect(actor, discard_pending)?;
    if let Ok(client) = Client::new(&cursor.server_url, &cursor.trust) {
        let mut auth = Auth::new(&device, secrets);
        let _ = auth.call(&client, |c, token| c.revoke(token, &device));
    }
    let _ = secrets.delete(&token_key(&device));
    Ok(())
}

/// How the engine waits when the server asks it to (429, 503, 409 `in_progress`): the thread
/// sleeps, unless the caller passed another way in ([`Engine::with_pause`]) — the model test
/// moves its clocks instead, so it never sleeps (time is passed in, as everywhere).
pub type Pause = Arc<dyn Fn(Duration) + Send + Sync>;

/// The access token of one engine run: kept in memory only; refreshed with the keychain's
/// refresh token, whose successor is written back before the access token is used.
pub struct Auth<'s> {
    device_id: String,
    secrets: &'s dyn Secrets,
    access: Option<String>,
    pause: Pause,
}

impl<'s> Auth<'s> {
    pub fn new(device_id: &str, secrets: &'s dyn Secrets) -> Auth<'s> {
        Auth {
            device_id: device_id.to_string(),
            secrets,
            access: None,
            pause: Arc::new(std::thread::sleep),
        }
    }

    /// This sign-in, waiting with `pause` instead of sleeping when the server asks it to wait.
    pub fn with_pause(mut self, pause: Pause) -> Auth<'s> {
        self.pause = pause;
        self
    }

    fn refresh(&mut self, client: &Client) -> SyncResult<String> {
        let key = token_key(&self.device_id);
        let refresh = self
            .secrets
            .get(&key)
            .map_err(|e| SyncError::Keychain(e.to_string()))?
            .ok_or_else(|| {
                SyncError::Keychain(
                    "this device's sign-in is not in the keychain: disconnect and connect again"
                        .into(),
                )
            })?;
        let issued = client.token(&refresh)?;
        self.secrets
            .set(&key, &issued.refresh_token)
            .map_err(|e| SyncError::Keychain(e.to_string()))?;
        self.access = Some(issued.access_token.clone());
        Ok(issued.access_token)
    }

    /// Calls `f` with an access token; an expired one is refreshed once and `f` called again.
    /// When the server asks to wait (429 / 503 / 409 `in_progress`), waits as long as it asks
    /// (at least a full-jitter backoff) and tries the same request again, up to
    /// [`BUSY_TRIES`] times: the same request gets the same answer, so this is safe for a push
    /// too.
    pub fn call<T>(
        &mut self,
        client: &Client,
        f: impl Fn(&Client, &str) -> SyncResult<T>,
    ) -> SyncResult<T> {
        let mut backoff = Backoff::new(Duration::from_millis(250), Duration::from_secs(10));
        let mut tries = 1;
        loop {
            match self.call_once(client, &f) {
                Err(e) if busy(&e) && tries < BUSY_TRIES => {
                    let asked = e.retry_after_ms().map(Duration::from_millis);
                    (self.pause)(backoff.next(asked));
                    tries += 1;
                }
                other => return other,
            }
        }
    }

    fn call_once<T>(
        &mut self,
        client: &Client,
        f: &impl Fn(&Client, &str) -> SyncResult<T>,
    ) -> SyncResult<T> {
        let token = match &self.access {
            Some(t) => t.clone(),
            None => self.refresh(client)?,
        };
        match f(client, &token) {
            Err(e) if e.code() == Some(ProblemCode::TokenExpired) => {
                self.access = None;
                let token = self.refresh(client)?;
                f(client, &token)
            }
            other => other,
        }
    }
}

/// The server asked to wait.
fn busy(e: &SyncError) -> bool {
    matches!(
        e.code(),
        Some(ProblemCode::RateLimited | ProblemCode::Unavailable | ProblemCode::InProgress)
    )
}

/// One round: hello, the initial push (first connection), push until the outbox is empty,
/// the first download, pull until caught up. Its outcome is noted in the store (the time of
/// the last sync, or the error in words).
pub fn sync_once(store: &mut Store, secrets: &dyn Secrets) -> SyncResult<RoundReport> {
    Engine::for_store(store, secrets)?.round(store, 0)
}

/// A store's sync with its server across rounds: the HTTP client and the access token are
/// kept between them (a token lasts 15 minutes; an expired one is refreshed once).
pub struct Engine<'s> {
    client: Client,
    auth: Auth<'s>,
    server_url: String,
    device_id: String,
}

impl<'s> Engine<'s> {
    /// The engine of the server `store` is connected to.
    pub fn for_store(store: &Store, secrets: &'s dyn Secrets) -> SyncResult<Engine<'s>> {
        let cursor = store.sync_cursor()?.ok_or(SyncError::NotConnected)?;
        Ok(Engine {
            client: Client::new(&cursor.server_url, &cursor.trust)?,
            auth: Auth::new(&cursor.device_id, secrets),
            server_url: cursor.server_url,
            device_id: cursor.device_id,
        })
    }

    /// This engine, waiting with `pause` instead of sleeping when the server asks it to wait.
    pub fn with_pause(mut self, pause: Pause) -> Engine<'s> {
        self.auth.pause = pause;
        self
    }

    /// Whether this engine still serves the store's connection (it may have been
    /// disconnected, or connected elsewhere, meanwhile).
    pub fn serves(&self, store: &Store) -> bool {
        store
            .sync_cursor()
            .ok()
            .flatten()
            .is_some_and(|c| c.server_url == self.server_url && c.device_id == self.device_id)
    }

    /// A watcher of the server's feed from where the store is, for a caller that runs rounds
    /// on its own schedule (the app's worker): `None` before the first download is done or
    /// before a round signed in.
    pub fn watcher(&self, store: &Store) -> Option<Watcher> {
        let cursor = store.sync_cursor().ok().flatten()?;
        if cursor.phase != Phase::Pull || cursor.paused {
            return None;
        }
        Some(Watcher {
            client: self.client.clone(),
            access: self.auth.access.clone()?,
            cursor: cursor.cursor?,
        })
    }

    /// *Discard* refused change `op_id`: the server is asked for its profile as it has it now,
    /// and the profile here goes back to that (or away, when the server never took it).
    pub fn discard_rejected(
        &mut self,
        store: &mut Store,
        actor: &pdesk_core::Actor,
        op_id: &str,
    ) -> SyncResult<pdesk_core::sync::Discarded> {
        let server = match store.sync_rejection_gid(op_id)? {
            Some(gid) => self.auth.call(&self.client, |c, t| c.profile(t, &gid))?,
            None => None,
        };
        Ok(store.sync_discard_rejected(actor, op_id, server.as_ref())?)
    }

    /// One round (see [`sync_once`]); pulls long-poll up to `wait` seconds when there is
    /// nothing new. The outcome is noted in the store.
    pub fn round(&mut self, store: &mut Store, wait: u32) -> SyncResult<RoundReport> {
        self.round_reporting(store, wait, &mut |_| {})
    }

    /// [`Engine::round`], telling `progress` after each batch sent while more is to go, and
    /// after each page of the first download ("Uploading 12,000 / 50,000", "Downloading
    /// 430,000").
    pub fn round_reporting(
        &mut self,
        store: &mut Store,
        wait: u32,
        progress: &mut dyn FnMut(&RoundProgress),
    ) -> SyncResult<RoundReport> {
        let result = round(store, &self.client, &mut self.auth, wait, progress);
        let note = result.as_ref().err().map(|e| (e.kind(), e.to_string()));
        store.sync_note_round(note.as_ref().map(|(kind, text)| (*kind, text.as_str())))?;
        result
    }
}

/// A long-poll of the server's feed on a thread of its own (see [`Engine::watcher`]): it only
/// learns whether something new is there — the caller's next round reads and applies it — so
/// it never competes with the rounds for the store or the sign-in (it uses the access token it
/// was given, and says `Failed` when that no longer works).
pub struct Watcher {
    client: Client,
    access: String,
    cursor: String,
}

/// What a watcher heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Something is new on the server since the store's cursor: time for a round.
    Changed,
    /// Nothing within the wait: watch again.
    Quiet,
    /// The request failed (offline, an expired token): the next round will tell.
    Failed,
}

impl Watcher {
    /// Waits up to `wait_secs` (the server's long-poll) for a change after the cursor.
    pub fn listen(&self, wait_secs: u32) -> Heard {
        match self.client.pull(&self.access, &self.cursor, 1, wait_secs) {
            Ok(page) if !page.changes.is_empty() || page.has_more => Heard::Changed,
            Ok(_) => Heard::Quiet,
            Err(_) => Heard::Failed,
        }
    }
}

/// One round under way: the server, the sign-in, what the round did so far and how far it has
/// come (told to `progress` after each batch while more is to go and after each page of a
/// download), so the steps of a round share them instead of passing each along.
struct Round<'r, 's> {
    client: &'r Client,
    auth: &'r mut Auth<'s>,
    report: RoundReport,
    shown: RoundProgress,
    progress: &'r mut dyn FnMut(&RoundProgress),
}

fn round(
    store: &mut Store,
    client: &Client,
    auth: &mut Auth,
    wait: u32,
    progress: &mut dyn FnMut(&RoundProgress),
) -> SyncResult<RoundReport> {
    let mut r = Round {
        client,
        auth,
        report: RoundReport::default(),
        shown: RoundProgress::default(),
        progress,
    };
    let hello = r.auth.call(client, |c, t| c.hello(t))?;
    if !hello.protocol.accepts(PROTOCOL_VERSION) {
        return Err(SyncError::Protocol(format!(
            "the server speaks pdsync/{}–{} and this version of Profile Desk pdsync/{}: update \
             Profile Desk",
            hello.protocol.min, hello.protocol.max, PROTOCOL_VERSION
        )));
    }
    if let Ok(server) = time_of(&hello.server_time) {
        let local = time_of(&store.now()).unwrap_or(server);
        r.report.clock_offset_ms = (local - server) as i64;
    }
    if store.sync_note_hello(&hello.server_epoch, hello.hlc, r.report.clock_offset_ms)? {
        r.recover_from_restore(store)?;
    }
    // States that waited for ops an undo took back: nothing will answer those ops.
    store.sync_apply_waiting()?;
    let max_ops = (hello.limits.max_ops as usize).clamp(1, MAX_OPS);
    r.shown.to_send = store.sync_to_send()?;
    loop {
        let queued = store.sync_queue_initial(INITIAL_STEP)?;
        r.report.initial_queued += queued as u64;
        r.push_all(store, max_ops)?;
        if queued == 0 {
            break;
        }
    }
    r.download(store)?;
    r.pull_until_caught_up(store, wait)?;
    // Changes made while the pages came down go up in the same round.
    r.push_all(store, max_ops)?;
    Ok(r.report)
}

fn time_of(text: &str) -> Result<i128, ()> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| ())
}

impl Round<'_, '_> {
    /// The server was restored from a backup (SYNC.md §9 F9): what it lost of this device's
    /// acknowledged ops (kept 30 days) goes up again, then everything is downloaded again.
    fn recover_from_restore(&mut self, store: &mut Store) -> SyncResult<()> {
        for replica in store.sync_acked_replicas()? {
            let status = self.auth.call(self.client, |c, t| c.replica(t, &replica))?;
            self.report.resent +=
                store.sync_resend_after(&replica, status.map_or(0, |s| s.last_seq))? as u64;
        }
        store.sync_restart_download()?;
        Ok(())
    }

    /// Sends what waits, batch by batch (halved when the server finds one too large, the
    /// numbering mended when it does not fit), until nothing is left.
    fn push_all(&mut self, store: &mut Store, max_ops: usize) -> SyncResult<()> {
        let mut size = max_ops;
        let mut renumbered = 0;
        while let Some(batch) = store.sync_next_batch(size)? {
            match self.auth.call(self.client, |c, t| c.push(t, &batch)) {
                Ok(answer) => {
                    let recorded = store
                        .sync_record_push(&batch, &answer)
                        .map_err(|e| SyncError::Protocol(e.to_string()))?;
                    add_push(&mut self.report.pushed, &recorded);
                    self.report.batches += 1;
                    size = max_ops;
                    let shown = &mut self.shown;
                    shown.sent += batch.ops.len() as u64;
                    // Changes made meanwhile count too; nothing is said about the last batch.
                    shown.to_send = shown.to_send.max(shown.sent);
                    if shown.sent < shown.to_send {
                        (self.progress)(shown);
                    }
                }
                Err(e)
                    if matches!(
                        e.code(),
                        Some(ProblemCode::PayloadTooLarge | ProblemCode::TooManyOps)
                    ) && batch.ops.len() > 1 =>
                {
                    // Smaller batches: the ops in flight go first again, the first half now.
                    size = batch.ops.len() / 2;
                }
                Err(e) if renumbered < RENUMBER_TRIES && numbering_mended(store, &batch, &e)? => {
                    renumbered += 1;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The snapshot's pages, while the store is in that phase ("Downloading 430,000 /
    /// 1,000,000": the total comes with a snapshot's first page).
    fn download(&mut self, store: &mut Store) -> SyncResult<()> {
        loop {
            let cursor = store.sync_cursor()?.ok_or(SyncError::NotConnected)?;
            if cursor.phase != Phase::Snapshot {
                return Ok(());
            }
            let watermark = cursor.snapshot_watermark.clone();
            let after = cursor.snapshot_after.clone();
            let page = self.auth.call(self.client, |c, t| {
                c.snapshot(t, watermark.as_deref(), after.as_deref(), PAGE)
            })?;
            let applied = store.sync_apply_snapshot_page(
                &page.watermark,
                &page.changes,
                page.next_after.as_deref(),
            )?;
            add(&mut self.report.downloaded, &applied);
            if let Some(total) = page.total {
                self.shown.to_download = total;
            }
            self.shown.downloaded += page
                .changes
                .iter()
                .filter(|c| matches!(c, pdesk_sync_proto::pull::Change::Profile(_)))
                .count() as u64;
            if page.next_after.is_some() {
                (self.progress)(&self.shown);
            }
        }
    }

    /// The change feed from the cursor until nothing more is new (the first request may wait
    /// `wait` seconds for a change); a cursor too old for the server downloads everything
    /// again, with its progress told as a first download's.
    fn pull_until_caught_up(&mut self, store: &mut Store, wait: u32) -> SyncResult<()> {
        let mut wait = wait;
        loop {
            let cursor = store.sync_cursor()?.ok_or(SyncError::NotConnected)?;
            let Some(position) = cursor.cursor.clone() else {
                return Ok(());
            };
            let page = match self
                .auth
                .call(self.client, |c, t| c.pull(t, &position, PAGE, wait))
            {
                Err(e) if e.code() == Some(ProblemCode::CursorExpired) => {
                    store.sync_restart_download()?;
                    return self.download(store);
                }
                // The hello that saw the new epoch noted it, but the recovery after it did not
                // finish (the network failed): the cursor says so now. Without this the
                // device was stuck on `epoch_changed` for good (found by the model test,
                // issue 14).
                Err(e) if e.code() == Some(ProblemCode::EpochChanged) => {
                    self.recover_from_restore(store)?;
                    return self.download(store);
                }
                other => other?,
            };
            let applied = store.sync_apply_pull_page(&page.changes, &page.cursor.0)?;
            add(&mut self.report.pulled, &applied);
            wait = 0;
            if !page.has_more {
                return Ok(());
            }
        }
    }
}

/// How often one push may mend its numbering before the error is shown.
const RENUMBER_TRIES: u32 = 3;

/// Mends the outbox's numbering when the server says it does not fit (SYNC.md §9 F7/F9):
/// `422 seq_reused` — a copy of this database (a restored backup, a copied file) sent other
/// ops under these numbers: ours from that seq on get a new replica; `409 seq_gap` — the
/// server (restored) misses earlier ops: sent again from where it stands, or numbered anew
/// when this store no longer has them. Answers whether it did (then the push goes on).
fn numbering_mended(store: &mut Store, batch: &PushRequest, e: &SyncError) -> SyncResult<bool> {
    let Some(problem) = e.problem() else {
        return Ok(false);
    };
    let first = batch.ops.first().map_or(1, |o| o.seq);
    match problem.code {
        ProblemCode::SeqReused => {
            store.sync_seq_reused(&batch.replica, problem.seq.unwrap_or(first))?;
            Ok(true)
        }
        ProblemCode::SeqGap => {
            store.sync_seq_gap(&batch.replica, problem.expected.unwrap_or(first))?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Syncs until `stop` says so: a round, then a long-poll of up to `long_poll_secs` for the
/// server's next change (so a colleague's edit arrives within a second or so), again. A failed
/// round waits (exponential backoff with full jitter, at least what the server asked) before
/// the next; an error that waiting cannot cure (a revoked device, a refused sign-in) ends the
/// run. `progress` hears every round's outcome.
pub fn run(
    store: &mut Store,
    secrets: &dyn Secrets,
    long_poll_secs: u32,
    stop: &dyn Fn() -> bool,
    progress: &mut dyn FnMut(&SyncResult<RoundReport>),
) -> SyncResult<()> {
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    let mut engine = Engine::for_store(store, secrets)?;
    let mut wait = 0;
    while !stop() {
        let result = engine.round(store, wait);
        progress(&result);
        match result {
            Ok(_) => {
                backoff.reset();
                wait = long_poll_secs;
            }
            Err(e) if e.retryable() => {
                let pause = backoff.next(e.retry_after_ms().map(Duration::from_millis));
                wait = 0;
                sleep_unless_stopped(pause, stop);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn sleep_unless_stopped(pause: Duration, stop: &dyn Fn() -> bool) {
    let step = Duration::from_millis(200);
    let mut left = pause;
    while !left.is_zero() && !stop() {
        let nap = left.min(step);
        std::thread::sleep(nap);
        left -= nap;
    }
}
