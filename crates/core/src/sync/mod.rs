//! The store's side of sync with a remote CDP server (issue 13; SYNC.md §3, §6;
//! `docs/sync/client.md`). The engine (`pdesk-sync`) speaks HTTP; everything it reads from or
//! writes to the store goes through the methods here, each in one transaction:
//!
//! - the connection (`connect`, `disconnect`, `status`) — one `sync_state` row while
//!   connected; ops are captured (`outbox`) only then;
//! - the outbox (`push`): the next batch to send, the server's answer recorded op by op —
//!   acknowledged, merged into another profile (its gid rewritten), rejected (listed, never
//!   dropped), conflicts kept for review;
//! - what comes down (`apply`): snapshot pages and pull pages, written through the profiles'
//!   writer with source "sync" and no op, the resume point in the same transaction.
//!
//! **A pulled change never overwrites a profile that still has ops on their way up**: its
//! state waits in `sync_base` until those ops are answered.

mod apply;
mod config;
mod conflicts;
mod discard;
mod links;
mod push;
mod reviews;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::store::Store;

pub use apply::PageApplied;
pub use conflicts::{ConflictDecision, ConflictSide, Side, SyncConflict};
pub use discard::Discarded;
pub use push::PushRecorded;
pub use reviews::{
    ServerReview, ServerReviewAction, ServerReviewDecision, ServerReviewProfile, ServerReviewReason,
};

/// Where the sync of a connected store stands in its first-sync sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    /// The profiles held before connecting go up as creates.
    InitialPush,
    /// The server's profiles come down, page by page.
    Snapshot,
    /// Caught up: the change feed from the cursor.
    Pull,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::InitialPush => "initial_push",
            Phase::Snapshot => "snapshot",
            Phase::Pull => "pull",
        }
    }

    fn parse(text: &str) -> Phase {
        match text {
            "initial_push" => Phase::InitialPush,
            "snapshot" => Phase::Snapshot,
            _ => Phase::Pull,
        }
    }
}

/// What kind of trouble the last round met: what the status chip says and what cures it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum SyncErrorKind {
    /// The server could not be reached: changes wait here.
    Offline,
    /// The server refused this device's sign-in (revoked, expired, reused): connect again.
    SignIn,
    /// The server asked to wait (busy, rate limit).
    Busy,
    /// The server refused the request itself: someone has to act (the words say who).
    Refused,
    /// Anything else: an answer not understood, the store, the keychain.
    Failed,
}

impl SyncErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            SyncErrorKind::Offline => "offline",
            SyncErrorKind::SignIn => "signIn",
            SyncErrorKind::Busy => "busy",
            SyncErrorKind::Refused => "refused",
            SyncErrorKind::Failed => "failed",
        }
    }

    fn parse(text: &str) -> SyncErrorKind {
        match text {
            "offline" => SyncErrorKind::Offline,
            "signIn" => SyncErrorKind::SignIn,
            "busy" => SyncErrorKind::Busy,
            "refused" => SyncErrorKind::Refused,
            _ => SyncErrorKind::Failed,
        }
    }
}

/// A device registered on a server, to connect this store to.
#[derive(Debug, Clone)]
pub struct NewConnection {
    pub server_url: String,
    pub user_name: String,
    pub device_id: String,
    pub device_name: String,
    pub trust: ServerTrust,
}

/// What this device trusts the server's certificate by, beyond the platform's roots (SYNC.md
/// §6.5): a self-hosted server's CA certificate(s) as PEM text, or the pin of its key
/// (`sha256/…`, which the sync client checks). The engine builds its HTTP client from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerTrust {
    pub ca_pem: Option<String>,
    pub pin: Option<String>,
}

impl ServerTrust {
    /// How the audit log and `pdesk sync status` name it.
    pub fn describe(&self) -> String {
        match (&self.pin, &self.ca_pem) {
            (Some(pin), _) => format!("pinned key {pin}"),
            (None, Some(_)) => "the platform's roots and a CA given at connection".into(),
            (None, None) => "the platform's roots".into(),
        }
    }
}

/// What the engine needs to resume: the connection and its positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncCursor {
    pub server_url: String,
    pub user_name: String,
    pub device_id: String,
    pub replica_id: String,
    pub phase: Phase,
    pub initial_after: i64,
    pub server_epoch: Option<String>,
    pub snapshot_watermark: Option<String>,
    pub snapshot_after: Option<String>,
    pub cursor: Option<String>,
    pub config_version: u64,
    pub hlc: u64,
    pub paused: bool,
    pub trust: ServerTrust,
}

/// What `pdesk sync status` and the app's status chip show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub connected: bool,
    pub server_url: Option<String>,
    pub user_name: Option<String>,
    pub device_name: Option<String>,
    pub phase: Option<Phase>,
    /// Ops not yet answered by the server (the held ones not counted).
    pub pending_ops: u64,
    /// An import's ops held for its undo window, and when the first window closes.
    pub held_ops: u64,
    pub held_until: Option<String>,
    /// How long an import's changes are held (minutes; 0: sent at once).
    pub import_hold_minutes: u32,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_kind: Option<SyncErrorKind>,
    /// When the next try is, after a failed round (the backoff).
    pub next_attempt_at: Option<String>,
    /// How far this computer's clock is from the server's, as of the last hello (ms; positive:
    /// ahead).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clock_offset_ms: i64,
    pub paused: bool,
    pub open_conflicts: u64,
    pub rejections: u64,
    /// Profiles this device created that the server merged into existing customers.
    pub merged_on_server: u64,
    /// The pin of the server's key this device trusts alone (`sha256/…`), if it was given one.
    pub certificate_pin: Option<String>,
    /// Whether a CA given at connection is trusted beside the platform's roots.
    pub custom_ca: bool,
}

/// An op the server refused, as `pdesk sync status` and the rejected-changes list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// The refused op (what *Retry* names).
    pub op_id: String,
    pub seq: u64,
    pub kind: String,
    pub gid: Option<String>,
    pub code: String,
    pub detail: String,
    pub at: String,
}

/// A profile created here that the server merged into a customer it had: the notice says so
/// and links to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MergeNotice {
    /// The customer here that the profile went into (`None`: deleted since).
    pub profile_id: Option<i64>,
    /// Its name (or first phone or e-mail) as the list shows it.
    pub label: Option<String>,
    pub at: String,
}

/// The refusal of what needs a server when this store has none.
pub fn not_connected() -> Error {
    Error::conflict(
        "notConnected",
        serde_json::Value::Null,
        "This store is not connected to a server",
    )
}

/// The refusal to connect a store that is connected already.
pub fn already_connected() -> Error {
    Error::conflict(
        "alreadyConnected",
        serde_json::Value::Null,
        "This store is already connected to a server: disconnect it first",
    )
}

/// A refused change `op_id` as sent, and what it was refused for (`to`: what the person wanted
/// to do with it, for the error when there is no such change).
fn refused_op(
    tx: &rusqlite::Transaction,
    op_id: &str,
    to: &str,
) -> Result<(pdesk_sync_proto::push::OpBody, String)> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT o.body, r.code FROM sync_rejections r
               JOIN sync_outbox o ON o.op_id = r.op_id
              WHERE r.op_id = ?1",
            [op_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((body, code)) = row else {
        return Err(Error::not_found(
            "noRefusedChange",
            serde_json::json!({ "opId": op_id }),
            format!("There is no refused change {op_id} to {to}"),
        ));
    };
    let body = serde_json::from_str(&body)
        .map_err(|e| Error::Internal(format!("the refused change {op_id} is unreadable: {e}")))?;
    Ok((body, code))
}

/// How many merge notices the store lists, newest first.
const MERGE_NOTICES_SHOWN: i64 = 100;

/// How far an import job's changes have gone to the server (the Undo dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct JobOps {
    /// Ops held here for the undo window: undo takes them back.
    pub held: u64,
    /// Ops released or sent: the profiles they touch stay when the job is undone.
    pub sent: u64,
    /// When the first held op's window closes.
    pub held_until: Option<String>,
}

/// The longest undo window for imports (a day: changes should not wait longer to go up).
const MAX_IMPORT_HOLD_MINUTES: u32 = 1440;

/// How long answered ops stay in the outbox.
const ACKED_KEPT: time::Duration = time::Duration::days(30);

fn count(conn: &rusqlite::Connection, sql: &str) -> Result<u64> {
    Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
}

/// A pin as typed, in its one written form (`sha256/…=`); refused, naming the field, when it
/// is not a SHA-256 in base64.
fn checked_pin(pin: Option<&str>) -> Result<Option<String>> {
    let Some(text) = pin.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    text.parse::<pdesk_sync_proto::pin::Pin>()
        .map(|p| Some(p.to_string()))
        .map_err(|e| {
            pdesk_rule::vocab::FieldError::new("pin", "invalidPin", e.0)
                .with("value", text.trim())
                .into()
        })
}

impl Store {
    /// Connects this store to a server, as a device registered there: from now on every
    /// change is captured as an op, and the first sync begins with the "initial push" of the
    /// profiles held now. Audited. Refused while already connected.
    pub fn sync_connect(&mut self, actor: &Actor, connection: &NewConnection) -> Result<()> {
        actor.require(Permission::SettingsManage)?;
        let pin = checked_pin(connection.trust.pin.as_deref())?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let connected: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM sync_state)", [], |r| r.get(0))?;
        if connected {
            return Err(already_connected());
        }
        tx.execute(
            "INSERT INTO sync_state(id, server_url, user_name, device_id, device_name, replica_id,
                                    connected_at, connected_by, initial_upto, trust_ca_pem,
                                    trust_pin)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT IFNULL(MAX(id), 0) FROM profiles),
                     ?8, ?9)",
            params![
                connection.server_url,
                connection.user_name,
                connection.device_id,
                connection.device_name,
                crate::outbox::new_id(),
                at,
                actor.name,
                connection.trust.ca_pem,
                pin
            ],
        )?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "sync.connect",
            &format!("server:{}", connection.server_url),
            serde_json::json!({
                "server": connection.server_url,
                "user": connection.user_name,
                "device": connection.device_name,
                "deviceId": connection.device_id,
                "certificateTrust": connection.trust.describe(),
            }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Disconnects this store from its server. Ops not yet sent would be lost, so it is
    /// refused while any wait, unless `discard_pending` (the count is in the audit entry).
    /// The profiles stay. Answers the device id, whose token the caller removes from the
    /// keychain.
    pub fn sync_disconnect(&mut self, actor: &Actor, discard_pending: bool) -> Result<String> {
        actor.require(Permission::SettingsManage)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT server_url, device_id FROM sync_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((server, device)) = row else {
            return Err(not_connected());
        };
        let pending = count(
            &tx,
            "SELECT (SELECT COUNT(*) FROM sync_outbox WHERE state IN ('held', 'pending', 'inflight'))
                  + (SELECT COUNT(*) FROM sync_unsent)",
        )?;
        if pending > 0 && !discard_pending {
            let noun = if pending == 1 { "change" } else { "changes" };
            return Err(Error::conflict(
                "unsentChanges",
                serde_json::json!({ "changes": pending, "server": server }),
                format!(
                    "{} {noun} not yet sent to {server} would be lost: sync first, or \
                     disconnect discarding them",
                    pdesk_normalize::display::count(pending)
                ),
            ));
        }
        for table in [
            "sync_state",
            "sync_outbox",
            "sync_unsent",
            "sync_known",
            "sync_base",
            "sync_id_map",
            "sync_rejections",
            "sync_conflicts",
            "sync_reviews",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        crate::audit::append(
            &tx,
            &at,
            actor,
            "sync.disconnect",
            &format!("server:{server}"),
            serde_json::json!({ "server": server, "discardedOps": pending }),
        )?;
        tx.commit()?;
        Ok(device)
    }

    /// The connection and its resume points (`None`: not connected).
    pub fn sync_cursor(&self) -> Result<Option<SyncCursor>> {
        Ok(self
            .conn
            .query_row(
                "SELECT server_url, user_name, device_id, replica_id, phase, initial_after,
                        server_epoch, snapshot_watermark, snapshot_after, cursor, config_version,
                        hlc, paused, trust_ca_pem, trust_pin
                   FROM sync_state WHERE id = 1",
                [],
                |r| {
                    Ok(SyncCursor {
                        server_url: r.get(0)?,
                        user_name: r.get(1)?,
                        device_id: r.get(2)?,
                        replica_id: r.get(3)?,
                        phase: Phase::parse(&r.get::<_, String>(4)?),
                        initial_after: r.get(5)?,
                        server_epoch: r.get(6)?,
                        snapshot_watermark: r.get(7)?,
                        snapshot_after: r.get(8)?,
                        cursor: r.get(9)?,
                        config_version: r.get::<_, i64>(10)? as u64,
                        hlc: r.get::<_, i64>(11)? as u64,
                        paused: r.get(12)?,
                        trust: ServerTrust {
                            ca_pem: r.get(13)?,
                            pin: r.get(14)?,
                        },
                    })
                },
            )
            .optional()?)
    }

    /// Where sync stands, for the status chip and `pdesk sync status`.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let conn = &self.conn;
        // An import's new profiles waiting for their window count as its held changes; once
        // the window closed, as changes waiting to go up.
        let now = crate::outbox::millis_of(&self.now())?;
        let (waiting, waiting_until) = crate::outbox::unsent::still_waiting(conn, now)?;
        let due = crate::outbox::unsent::due_count(conn, now)?;
        let held_until: Option<i64> = conn.query_row(
            "SELECT MIN(held_until) FROM sync_outbox WHERE state = 'held'",
            [],
            |r| r.get(0),
        )?;
        let mut status = SyncStatus {
            connected: false,
            server_url: None,
            user_name: None,
            device_name: None,
            phase: None,
            pending_ops: count(
                conn,
                "SELECT COUNT(*) FROM sync_outbox WHERE state IN ('pending', 'inflight')",
            )? + due,
            held_ops: count(
                conn,
                "SELECT COUNT(*) FROM sync_outbox WHERE state = 'held'",
            )? + waiting,
            held_until: [held_until, waiting_until]
                .into_iter()
                .flatten()
                .min()
                .and_then(crate::outbox::time_of_millis),
            import_hold_minutes: 0,
            last_sync_at: None,
            last_error: None,
            last_error_kind: None,
            next_attempt_at: None,
            clock_offset_ms: 0,
            paused: false,
            open_conflicts: count(
                conn,
                "SELECT COUNT(*) FROM sync_conflicts WHERE status = 'open'",
            )?,
            rejections: count(conn, "SELECT COUNT(*) FROM sync_rejections")?,
            merged_on_server: count(conn, "SELECT COUNT(*) FROM sync_id_map")?,
            certificate_pin: None,
            custom_ca: false,
        };
        conn.query_row(
            "SELECT server_url, user_name, device_name, phase, last_sync_at, last_error, paused,
                    last_error_kind, next_attempt_at, clock_offset_ms, import_hold_minutes,
                    trust_pin, trust_ca_pem IS NOT NULL
               FROM sync_state WHERE id = 1",
            [],
            |r| {
                status.connected = true;
                status.server_url = Some(r.get(0)?);
                status.user_name = Some(r.get(1)?);
                status.device_name = Some(r.get(2)?);
                status.phase = Some(Phase::parse(&r.get::<_, String>(3)?));
                status.last_sync_at = r.get(4)?;
                status.last_error = r.get(5)?;
                status.paused = r.get(6)?;
                status.last_error_kind = r
                    .get::<_, Option<String>>(7)?
                    .map(|k| SyncErrorKind::parse(&k));
                status.next_attempt_at = r.get(8)?;
                status.clock_offset_ms = r.get(9)?;
                status.import_hold_minutes = r.get(10)?;
                status.certificate_pin = r.get(11)?;
                status.custom_ca = r.get(12)?;
                Ok(())
            },
        )
        .optional()?;
        Ok(status)
    }

    /// Whether ops wait to go up now (an import's held ops once their window has closed):
    /// what the app's worker asks every couple of seconds, so one indexed lookup, not counts.
    pub fn sync_due(&self) -> Result<bool> {
        let now = crate::outbox::millis_of(&self.now())? as i64;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM sync_outbox WHERE state IN ('pending', 'inflight'))
                     OR EXISTS(SELECT 1 FROM sync_outbox WHERE state = 'held'
                                                           AND held_until <= ?1)
                     OR EXISTS(SELECT 1 FROM sync_unsent WHERE held_until <= ?1)",
            )?
            .query_row([now], |r| r.get(0))?)
    }

    /// What still has to go up: the ops waiting (not the held ones) and, during the first
    /// sync, the profiles the initial push has not queued yet — the total of "Uploading
    /// 12,000 / 50,000".
    pub fn sync_to_send(&self) -> Result<u64> {
        let now = crate::outbox::millis_of(&self.now())?;
        Ok(count(
            &self.conn,
            "SELECT (SELECT COUNT(*) FROM sync_outbox WHERE state IN ('pending', 'inflight'))
                  + IFNULL((SELECT COUNT(*) FROM profiles, sync_state s
                             WHERE s.phase = 'initial_push'
                               AND profiles.id > s.initial_after
                               AND profiles.id <= s.initial_upto), 0)",
        )? + crate::outbox::unsent::due_count(&self.conn, now)?)
    }

    /// The profiles created here that the server merged into customers it had, newest first
    /// (at most 100), each with the customer it went into.
    pub fn sync_merge_notices(&self, actor: &Actor) -> Result<Vec<MergeNotice>> {
        actor.require(Permission::ProfileView)?;
        let rows: Vec<(Option<i64>, String)> = self
            .conn
            .prepare(
                "SELECT p.id, m.at FROM sync_id_map m LEFT JOIN profiles p ON p.gid = m.to_gid
                  ORDER BY m.at DESC, m.from_gid LIMIT ?1",
            )?
            .query_map([MERGE_NOTICES_SHOWN], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(profile_id, at)| {
                let label = profile_id
                    .map(|id| crate::profiles::stored_label(&self.conn, id))
                    .transpose()?;
                Ok(MergeNotice {
                    profile_id,
                    label,
                    at,
                })
            })
            .collect()
    }

    /// The ops the server refused, newest first.
    pub fn sync_rejections(&self, actor: &Actor) -> Result<Vec<Rejection>> {
        actor.require(Permission::ProfileView)?;
        let rows = self
            .conn
            .prepare(
                "SELECT op_id, seq, kind, gid, code, detail, at FROM sync_rejections
                  ORDER BY at DESC, seq DESC",
            )?
            .query_map([], |r| {
                Ok(Rejection {
                    op_id: r.get(0)?,
                    seq: r.get::<_, i64>(1)? as u64,
                    kind: r.get(2)?,
                    gid: r.get(3)?,
                    code: r.get(4)?,
                    detail: r.get(5)?,
                    at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// *Retry* a change the server refused (after an administrator added the custom field, or
    /// gave the permission): the same change goes up again as a new op, and leaves the list.
    /// Audited.
    pub fn sync_retry_rejected(&mut self, actor: &Actor, op_id: &str) -> Result<()> {
        actor.require(Permission::ProfileEdit)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let (body, code) = refused_op(&tx, op_id, "try again")?;
        crate::outbox::send_again(&tx, &body, &at)?;
        tx.execute("DELETE FROM sync_rejections WHERE op_id = ?1", [op_id])?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "sync.retry",
            &format!("op:{op_id}"),
            serde_json::json!({ "op": op_id, "kind": body.kind(), "gid": body.gid(), "refusedFor": code }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Pauses sync (nothing is sent or received; changes are still captured) or resumes it.
    pub fn sync_set_paused(&mut self, actor: &Actor, paused: bool) -> Result<()> {
        actor.require(Permission::ProfileView)?;
        let changed = self
            .conn
            .execute("UPDATE sync_state SET paused = ?1 WHERE id = 1", [paused])?;
        if changed == 0 {
            return Err(not_connected());
        }
        Ok(())
    }

    /// Notes the outcome of a sync round: `None` when it succeeded (the time of the last sync
    /// moves), else the error's kind and words, shown until the next success.
    pub fn sync_note_round(&mut self, error: Option<(SyncErrorKind, &str)>) -> Result<()> {
        let at = self.now();
        match error {
            None => {
                // Answered ops are kept 30 days (SYNC.md §3: to send again what a server
                // restored from an older backup lost), then pruned.
                let horizon = crate::clock::format(self.now_utc() - ACKED_KEPT);
                self.conn.execute(
                    "DELETE FROM sync_outbox WHERE state = 'acked' AND acked_at < ?1",
                    [horizon],
                )?;
                self.conn.execute(
                    "UPDATE sync_state SET last_sync_at = ?1, last_error = NULL,
                            last_error_kind = NULL, next_attempt_at = NULL
                      WHERE id = 1",
                    [at],
                )?
            }
            Some((kind, e)) => self.conn.execute(
                "UPDATE sync_state SET last_error = ?1, last_error_kind = ?2 WHERE id = 1",
                params![e, kind.as_str()],
            )?,
        };
        Ok(())
    }

    /// When the next try is (after a failed round), for the status chip.
    pub fn sync_note_next_attempt(&mut self, at: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_state SET next_attempt_at = ?1 WHERE id = 1",
            [at],
        )?;
        Ok(())
    }

    /// What the server said in `hello`: its epoch (a new one on a connected store is a
    /// restored server, which this version meets by downloading everything again after
    /// pushing) and its clock, which the store's HLC never falls behind.
    /// `clock_offset_ms`: how far this computer's clock is from the server's.
    pub fn sync_note_hello(
        &mut self,
        epoch: &str,
        server_hlc: pdesk_sync_proto::Hlc,
        clock_offset_ms: i64,
    ) -> Result<bool> {
        let now = crate::outbox::millis_of(&self.now())?;
        let tx = self.conn.transaction()?;
        let (known, hlc): (Option<String>, i64) = tx.query_row(
            "SELECT server_epoch, hlc FROM sync_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let moved = pdesk_sync_proto::Hlc::from_u64(hlc as u64)
            .observe(server_hlc, now)
            .map_or(hlc, |h| h.to_u64() as i64);
        let changed = known.as_deref().is_some_and(|k| k != epoch);
        tx.execute(
            "UPDATE sync_state SET server_epoch = ?1, hlc = ?2, clock_offset_ms = ?3 WHERE id = 1",
            params![epoch, moved, clock_offset_ms],
        )?;
        if changed {
            // The revs this device knows are the old epoch's: the restored server counts again
            // from its backup's, so "the higher rev wins" would keep this device's newer-looking
            // rows over the server's (found by the model test, issue 14). The download that
            // follows brings every rev back; the states waiting for answers are stale too.
            tx.execute("UPDATE sync_known SET rev = 0", [])?;
            tx.execute("DELETE FROM sync_base", [])?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// "Re-download everything": the next round pushes what waits, then downloads every
    /// profile of the server again (none is removed here). Refused until the first sync is over.
    pub fn sync_redownload(&mut self, actor: &Actor) -> Result<()> {
        actor.require(Permission::ProfileView)?;
        let phase = self.sync_cursor()?.map(|c| c.phase);
        match phase {
            None => Err(not_connected()),
            Some(Phase::Pull) => self.sync_restart_download(),
            Some(_) => Err(Error::conflict(
                "firstSyncUnderWay",
                serde_json::Value::Null,
                "The first sync is still under way: everything is being downloaded already",
            )),
        }
    }

    /// Starts the download of everything again (after the server was restored, or the cursor
    /// expired): a new snapshot, then the feed from its watermark.
    pub fn sync_restart_download(&mut self) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_state SET phase = 'snapshot', snapshot_watermark = NULL,
                    snapshot_after = NULL, cursor = NULL
              WHERE id = 1 AND phase = 'pull'",
            [],
        )?;
        Ok(())
    }

    /// How long an import's changes wait before they go up, so that "Undo import" can still
    /// take them back (SYNC.md §3; minutes, 0 to 1440; 0: sent at once). Audited.
    pub fn sync_set_import_hold(&mut self, actor: &Actor, minutes: u32) -> Result<()> {
        actor.require(Permission::SettingsManage)?;
        if minutes > MAX_IMPORT_HOLD_MINUTES {
            return Err(Error::limit(
                "importHoldTooLong",
                serde_json::json!({ "limit": MAX_IMPORT_HOLD_MINUTES, "minutes": minutes }),
                format!(
                    "The undo window for imports is at most {MAX_IMPORT_HOLD_MINUTES} minutes \
                     (one day); {minutes} was given"
                ),
            ));
        }
        let at = self.now();
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE sync_state SET import_hold_minutes = ?1 WHERE id = 1",
            [minutes],
        )?;
        if changed == 0 {
            return Err(not_connected());
        }
        crate::audit::append(
            &tx,
            &at,
            actor,
            "sync.settings",
            "sync:import_hold",
            serde_json::json!({ "importHoldMinutes": minutes }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// "Sync now": the imports' changes held for their undo window go with the next batch
    /// (they can no longer be undone). Answers how many were released.
    pub fn sync_release_held(&mut self, actor: &Actor) -> Result<usize> {
        actor.require(Permission::ProfileView)?;
        let tx = self.conn.transaction()?;
        let released = crate::outbox::release_held(&tx, &crate::outbox::Release::All)?;
        tx.commit()?;
        Ok(released)
    }

    /// How far import job `job`'s changes have gone, for the Undo dialog: how many ops are
    /// still held here (and until when), how many went up.
    pub fn sync_job_ops(&self, actor: &Actor, job: i64) -> Result<JobOps> {
        actor.require(Permission::ProfileView)?;
        let (held, sent, until): (i64, i64, Option<i64>) = self.conn.query_row(
            "SELECT IFNULL(SUM(state = 'held'), 0), IFNULL(SUM(state <> 'held'), 0),
                    MIN(held_until)
               FROM sync_outbox WHERE source_job = ?1",
            [job],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        // Its new profiles wait as ids until their creates are made.
        let (waiting, waiting_until) = crate::outbox::unsent::of_job(&self.conn, job)?;
        Ok(JobOps {
            held: held as u64 + waiting,
            sent: sent as u64,
            held_until: until
                .into_iter()
                .chain(waiting_until)
                .min()
                .and_then(crate::outbox::time_of_millis),
        })
    }

    /// The server refused a batch because it has another op at `(replica, seq)` (`422
    /// seq_reused`: a copy of this database sent its own ops under the same numbers): the ops
    /// from there on are numbered again under a new replica. Answers how many.
    pub fn sync_seq_reused(&mut self, replica: &str, seq: u64) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let moved = crate::outbox::renumber_from(&tx, replica, seq)?;
        tx.commit()?;
        Ok(moved)
    }

    /// The server misses `replica`'s ops before `expected` (`409 seq_gap`, after it was
    /// restored from a backup): they are sent again from `expected` when the outbox still has
    /// them, else the ops not yet answered are numbered again under a new replica.
    pub fn sync_seq_gap(&mut self, replica: &str, expected: u64) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let moved = if crate::outbox::holds(&tx, replica, expected)? {
            crate::outbox::resend_after(&tx, replica, expected.saturating_sub(1))?
        } else {
            crate::outbox::renumber_from(&tx, replica, 0)?
        };
        tx.commit()?;
        Ok(moved)
    }

    /// The replicas whose acknowledged ops this store still keeps (30 days).
    pub fn sync_acked_replicas(&self) -> Result<Vec<String>> {
        crate::outbox::acked_replicas(&self.conn)
    }

    /// A server restored from an older backup has `replica`'s ops up to `last_seq` only: the
    /// later ones it had answered are sent again (SYNC.md §9 F9). Answers how many.
    pub fn sync_resend_after(&mut self, replica: &str, last_seq: u64) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let resent = crate::outbox::resend_after(&tx, replica, last_seq)?;
        tx.commit()?;
        Ok(resent)
    }

    fn set_phase(tx: &rusqlite::Transaction, phase: Phase) -> Result<()> {
        tx.execute(
            "UPDATE sync_state SET phase = ?1 WHERE id = 1",
            [phase.as_str()],
        )?;
        Ok(())
    }
}
