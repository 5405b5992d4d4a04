//! `pdesk sync …` and `pdesk conflicts` / `pdesk conflict`: the store's connection to a CDP
//! server, run by the same engine as the app (`pdesk-sync`). The device's refresh token lives
//! in the OS keychain (the one that keeps the store's key), never in the store.

use std::io::IsTerminal;

use clap::Subcommand;
use pdesk_core::sync::ServerTrust;
use pdesk_core::{Actor, Error, Store};
use pdesk_sync::{RoundReport, SyncError};

/// How many rounds `pdesk sync --once` tries when the server or the network fails.
const ONCE_TRIES: u32 = 5;

/// The environment variable with the server account's password for `sync connect`.
const SYNC_PASSWORD_ENV: &str = "PDESK_SYNC_PASSWORD";

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Connect this store to a server as a new device of a server account (--user NAME; the
    /// password from PDESK_SYNC_PASSWORD, or typed when asked). The profiles held now go up on
    /// the first sync; the server's come down.
    Connect {
        /// The server, e.g. https://cdp.example.vn (plain http:// only to this computer).
        url: String,
        /// The device's name as the server lists it (default: this computer's name).
        #[arg(long)]
        device: Option<String>,
        /// A self-hosted server's CA certificate (PEM file), trusted beside the platform's roots.
        #[arg(long, value_name = "PEM", conflicts_with = "pin")]
        ca_file: Option<std::path::PathBuf>,
        /// The pin of the server's key (`sha256/…`, as `pdesk-server serve` prints it): only
        /// that key is trusted, whatever signed its certificate.
        #[arg(long, value_name = "sha256/…")]
        pin: Option<String>,
    },
    /// Connected or not, changes waiting, the last sync, conflicts and rejected changes.
    Status,
    /// Disconnect from the server (refused while changes wait to be sent, unless
    /// --discard-pending). The profiles stay.
    Disconnect {
        #[arg(long)]
        discard_pending: bool,
    },
    /// How long an import's changes wait here before they are sent, so that Undo import can
    /// still take them back (minutes, 0–1440; 10 when connecting; 0: sent at once).
    Hold { minutes: u32 },
    /// Send a change the server refused again (after what it refused for was fixed there):
    /// OP is its id as `pdesk sync status` lists it.
    Retry { op: String },
    /// Give up a change the server refused: its profile takes the server's version again (a
    /// new profile the server never took is removed from this store).
    Discard { op: String },
}

/// A sync error as the CLI's error: refusals (exit 1) for what the user must fix, failures
/// (exit 3) for the network and the server.
pub fn cli_error(e: SyncError) -> Error {
    match e {
        SyncError::Store(e) => e,
        // The CLI's own sentence names the command that connects.
        SyncError::NotConnected => {
            Error::conflict("notConnected", serde_json::Value::Null, e.to_string())
        }
        SyncError::BadAddress(_) => {
            Error::conflict("badServerAddress", serde_json::Value::Null, e.to_string())
        }
        SyncError::Problem(ref p) if !p.retryable => {
            Error::auth("serverRefused", serde_json::Value::Null, e.to_string())
        }
        other => Error::Internal(other.to_string()),
    }
}

fn password() -> Result<String, Error> {
    if let Ok(p) = std::env::var(SYNC_PASSWORD_ENV) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::auth(
            "serverPasswordNeeded",
            serde_json::Value::Null,
            format!(
                "Set {SYNC_PASSWORD_ENV} to the server account's password (no terminal to type \
                 it in)"
            ),
        ));
    }
    rpassword::prompt_password("Password on the server: ")
        .map_err(|e| Error::Internal(format!("the password could not be read: {e}")))
}

fn device_name(given: &Option<String>) -> String {
    given
        .clone()
        .unwrap_or_else(|| hostname_of().unwrap_or_else(|| "Profile Desk".into()))
}

fn hostname_of() -> Option<String> {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
}

/// How `pdesk sync connect` trusts the server: `--ca-file` (read here, refused in words when
/// it cannot be) or `--pin`.
pub fn trust_of(
    ca_file: Option<&std::path::Path>,
    pin: Option<&str>,
) -> Result<ServerTrust, Error> {
    let ca_pem = ca_file
        .map(|path| {
            std::fs::read_to_string(path).map_err(|e| {
                Error::conflict(
                    "caFileUnreadable",
                    serde_json::json!({ "path": path.display().to_string() }),
                    format!("{}: the CA file cannot be read: {e}", path.display()),
                )
            })
        })
        .transpose()?;
    Ok(ServerTrust {
        ca_pem,
        pin: pin.map(str::to_string),
    })
}

#[allow(clippy::too_many_arguments)]
pub fn connect(
    store: &mut Store,
    actor: &Actor,
    url: &str,
    server_user: &str,
    device: &Option<String>,
    trust: &ServerTrust,
    json: bool,
) -> Result<(), Error> {
    let keychain = pdesk_core::store::cipher::store_keychain();
    let password = password()?;
    let name = device_name(device);
    let device_id = pdesk_sync::connect(
        store,
        actor,
        &*keychain,
        url,
        server_user,
        &password,
        &name,
        trust,
    )
    .map_err(cli_error)?;
    if json {
        crate::print_json(&serde_json::json!({ "connected": true, "deviceId": device_id }));
    } else {
        println!(
            "Connected to {url} as {server_user} (device “{name}”). Run `pdesk sync` to sync."
        );
    }
    Ok(())
}

pub fn discard(store: &mut Store, actor: &Actor, op: &str) -> Result<(), Error> {
    let keychain = pdesk_core::store::cipher::store_keychain();
    let mut engine = pdesk_sync::Engine::for_store(store, &*keychain).map_err(cli_error)?;
    let done = engine
        .discard_rejected(store, actor, op)
        .map_err(cli_error)?;
    use pdesk_core::sync::Discarded;
    println!(
        "{}",
        match done {
            Discarded::ServerVersion => "Discarded: the profile shows the server's version again",
            Discarded::Deleted =>
                "Discarded: the server has this profile deleted; so has this store",
            Discarded::Removed => "Discarded: the new profile the server refused is removed",
            Discarded::Listed => "Discarded from the list (a consent record stays in the history)",
        }
    );
    Ok(())
}

pub fn disconnect(store: &mut Store, actor: &Actor, discard: bool) -> Result<(), Error> {
    let keychain = pdesk_core::store::cipher::store_keychain();
    pdesk_sync::disconnect(store, actor, &*keychain, discard).map_err(cli_error)?;
    println!("Disconnected; the profiles stay in this store");
    Ok(())
}

pub fn status(store: &Store, actor: &Actor, json: bool) -> Result<(), Error> {
    let status = store.sync_status()?;
    if json {
        crate::print_json(&serde_json::to_value(&status).unwrap_or_default());
        return Ok(());
    }
    let Some(server) = &status.server_url else {
        println!("Not connected to a server");
        return Ok(());
    };
    println!(
        "Connected to {server} as {} (device “{}”)",
        status.user_name.as_deref().unwrap_or_default(),
        status.device_name.as_deref().unwrap_or_default()
    );
    println!("Changes waiting to be sent: {}", status.pending_ops);
    if status.held_ops > 0 {
        println!(
            "Imported changes held for undo: {} (sent from {}; pdesk sync --once sends them now)",
            status.held_ops,
            status.held_until.as_deref().unwrap_or("now")
        );
    }
    match (&status.certificate_pin, status.custom_ca) {
        (Some(pin), _) => println!("Server certificate: only the key {pin} is trusted"),
        (None, true) => println!("Server certificate: the platform's roots and the CA given"),
        (None, false) => {}
    }
    println!(
        "Last sync: {}",
        status.last_sync_at.as_deref().unwrap_or("never")
    );
    if let Some(e) = &status.last_error {
        println!("Last error: {e}");
    }
    if let Some(at) = &status.next_attempt_at {
        println!("Next try: {at}");
    }
    if status.clock_offset_ms.unsigned_abs() > 120_000 {
        println!(
            "This computer's clock is {} minutes {} the server's",
            status.clock_offset_ms.unsigned_abs() / 60_000,
            if status.clock_offset_ms > 0 {
                "ahead of"
            } else {
                "behind"
            }
        );
    }
    println!("Open conflicts: {}", status.open_conflicts);
    println!("Rejected changes: {}", status.rejections);
    for r in store.sync_rejections(actor)? {
        println!(
            "  {} {} {}: {} — {}",
            r.op_id,
            r.kind,
            r.gid.unwrap_or_default(),
            r.code,
            r.detail
        );
    }
    if status.merged_on_server > 0 {
        println!(
            "Profiles merged into existing customers on the server: {}",
            status.merged_on_server
        );
    }
    Ok(())
}

fn print_round(report: &RoundReport, json: bool) {
    if json {
        crate::print_json(&serde_json::to_value(report).unwrap_or_default());
        return;
    }
    let p = &report.pushed;
    println!(
        "Sent: {} applied, {} merged into existing customers, {} sent to review, {} rejected",
        p.applied, p.merged, p.review, p.rejected
    );
    let d = &report.downloaded;
    let l = &report.pulled;
    println!(
        "Received: {} profiles written, {} deleted, {} consent records",
        d.profiles + l.profiles,
        d.deleted + l.deleted,
        d.consent_events + l.consent_events
    );
    let conflicts = p.conflicts + d.conflicts + l.conflicts;
    if conflicts > 0 {
        println!("Conflicts to review: {conflicts} (pdesk conflicts)");
    }
    if report.clock_offset_ms.unsigned_abs() > 120_000 {
        println!(
            "This computer's clock is off by {} minutes",
            report.clock_offset_ms.unsigned_abs() / 60_000
        );
    }
}

/// `pdesk sync --once`: one round, imports' held changes included; `pdesk sync`: rounds with a long-poll between them until
/// Ctrl-C. Stopping it at any moment is safe — every step is committed before the next request
/// (a batch without an answer is sent again with the same seqs) — so no handler is needed.
pub fn run(store: &mut Store, actor: &Actor, once: bool, json: bool) -> Result<(), Error> {
    let keychain = pdesk_core::store::cipher::store_keychain();
    if once {
        // "Sync now": what imports hold for their undo window goes too.
        store.sync_release_held(actor)?;
        // A round the server could not finish (busy, restarting, the connection dropped) is
        // tried again a few times, waiting as the server asks: what it committed is not lost
        // and is not done twice (the same ops go again under the same seqs).
        let mut engine = pdesk_sync::Engine::for_store(store, &*keychain).map_err(cli_error)?;
        let mut backoff = pdesk_sync::Backoff::new(
            std::time::Duration::from_millis(500),
            std::time::Duration::from_secs(10),
        );
        let mut tries = 1;
        let report = loop {
            match engine.round(store, 0) {
                Err(e) if e.retryable() && tries < ONCE_TRIES => {
                    eprintln!("pdesk: sync: {e}; trying again");
                    let asked = e.retry_after_ms().map(std::time::Duration::from_millis);
                    std::thread::sleep(backoff.next(asked));
                    tries += 1;
                }
                other => break other.map_err(cli_error)?,
            }
        };
        print_round(&report, json);
        return Ok(());
    }
    pdesk_sync::run(
        store,
        &*keychain,
        25,
        &|| false,
        &mut |result| match result {
            Ok(report) => print_round(report, json),
            Err(e) => eprintln!("pdesk: sync: {e}"),
        },
    )
    .map_err(cli_error)
}
