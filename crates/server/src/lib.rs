//! `pdesk-server`, the reference CDP server of pdsync/1 (SYNC.md §7; the protocol:
//! `docs/sync/protocol.md`; how this server is built and why: `docs/sync/server.md`).
//!
//! Layers, lowest first: `db` (the [`db::Sql`] trait, one dialect subset for every backend),
//! `meta`/`config` (the database's single facts and the rule's settings), `accounts` (users,
//! devices, tokens), `record`/`feed` (a profile as stored; the change feed and bucket sums),
//! `push` (ops through the synchronization rule and the field policies), `read` (pull,
//! snapshot, buckets), `admin` (the CLI's maintenance commands), `http` (axum routes).
//! Nothing here knows the app's store: the rule is `pdesk-rule`, the wire is
//! `pdesk-sync-proto`.

pub mod accounts;
pub mod admin;
pub mod clock;
pub mod config;
pub mod db;
pub mod decisions;
pub mod error;
pub mod feed;
pub mod http;
pub mod ids;
pub mod links;
pub mod meta;
pub mod push;
pub mod read;
pub mod record;
pub mod shared_pages;
pub mod startup;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;

/// How often the server looks for commits made by another process on its database.
const OUTSIDE_COMMITS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Serves pdsync/1 on `listen` until Ctrl-C / SIGTERM, over HTTPS when `tls` is given.
/// `ready` is called with the bound address (a test passes port 0 and learns the port).
pub async fn serve(
    server: Arc<http::Server>,
    listen: SocketAddr,
    tls: Option<Arc<rustls::ServerConfig>>,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    // The handlers are in place before the address is announced: a service manager (or a
    // test) that sends SIGTERM right after reading it gets a clean stop, not the default
    // disposition's kill (axum polls its shutdown future on a task of its own, later).
    let shutdown = shutdown_signal()?;
    ready(listener.local_addr()?);
    tokio::spawn(server.clone().watch_outside_commits(OUTSIDE_COMMITS_EVERY));
    let app = http::router(server);
    match tls {
        Some(config) => {
            axum::serve(tls::TlsListener::new(listener, config)?, app)
                .with_graceful_shutdown(shutdown)
                .await
        }
        None => {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
        }
    }
}

/// Plain HTTP is for a server on this machine only (protocol.md: plain `http://` only to
/// loopback): anything else needs `--tls-cert` and `--tls-key`, or a proxy in front that
/// listens for the world while this server listens on loopback.
pub fn plain_http_allowed(listen: SocketAddr) -> bool {
    listen.ip().is_loopback()
}

/// Installs the Ctrl-C and SIGTERM handlers now, and answers the future that ends at either.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = term.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        let mut ctrl_c = tokio::signal::windows::ctrl_c()?;
        Ok(async move {
            let _ = ctrl_c.recv().await;
        })
    }
}
