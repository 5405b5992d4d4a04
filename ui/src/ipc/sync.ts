// Sync with a remote CDP (issue 13): the connection, its status, conflicts and rejected changes.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ConflictDecision } from "./bindings/ConflictDecision";
import type { JobOps } from "./bindings/JobOps";
import type { MergeNotice } from "./bindings/MergeNotice";
import type { Rejection } from "./bindings/Rejection";
import type { ServerReview } from "./bindings/ServerReview";
import type { ServerReviewDecision } from "./bindings/ServerReviewDecision";
import type { SyncConflict } from "./bindings/SyncConflict";
import type { SyncStatus } from "./bindings/SyncStatus";
import { call } from "./call";

export function syncStatus(): Promise<SyncStatus> {
  return call("sync_status");
}

/** Registers this computer as a device of the server account and connects the store. */
/** How the server's certificate is trusted beyond the platform's roots (a self-hosted server). */
export interface ServerTrust {
  /** `sha256/…`: that key alone is trusted. */
  pin?: string | null;
  /** The server's CA certificate(s), PEM text read from the file the user picked. */
  caPem?: string | null;
}

export function syncConnect(url: string, user: string, password: string, device: string, trust: ServerTrust = {}): Promise<SyncStatus> {
  return call("sync_connect", { url, user, password, device, trustPin: trust.pin ?? null, trustCaPem: trust.caPem ?? null });
}

/** Syncs at once; imports held for their undo window go too. */
export function syncNow(): Promise<null> {
  return call("sync_now");
}

/** How long an import's changes wait here so Undo import still works (minutes; 0: at once). */
export function syncSetImportHold(minutes: number): Promise<SyncStatus> {
  return call("sync_set_import_hold", { minutes });
}

/** How far an import's changes have gone to the server: held here, or sent. */
export function syncJobOps(job: number): Promise<JobOps> {
  return call("sync_job_ops", { job });
}

export function syncPause(paused: boolean): Promise<SyncStatus> {
  return call("sync_pause", { paused });
}

/** Refused while changes wait to be sent, unless `discardPending`. */
export function syncDisconnect(discardPending: boolean): Promise<SyncStatus> {
  return call("sync_disconnect", { discardPending });
}

/** Pushes what waits, then downloads every profile of the server again. */
export function syncRedownload(): Promise<SyncStatus> {
  return call("sync_redownload");
}

export function syncConflicts(): Promise<SyncConflict[]> {
  return call("sync_conflicts");
}

/** The merge reviews the server opened: open ones first, then the latest resolved. */
export function serverReviews(): Promise<ServerReview[]> {
  return call("server_reviews");
}

/** Decides a merge review the server opened (the server makes the merge); the reviews as they are now. */
export function resolveServerReview(id: string, decision: ServerReviewDecision): Promise<ServerReview[]> {
  return call("resolve_server_review", { id, decision });
}

export function syncRejections(): Promise<Rejection[]> {
  return call("sync_rejections");
}

/** Keep the server's value, take the one that lost, or set a new one (checked like the edit form). */
export function resolveSyncConflict(id: string, decision: ConflictDecision): Promise<SyncConflict[]> {
  return call("resolve_sync_conflict", { id, decision });
}

/** "Keep all server values for import #N": decides every open conflict of that import for the value set elsewhere. */
export function syncKeepServerValues(job: number): Promise<SyncConflict[]> {
  return call("sync_keep_server_values", { job });
}

/** Gives up a change the server refused: its profile takes the server's version again (a refused new profile is removed). The refused changes that remain. */
export function syncDiscardRejected(opId: string): Promise<Rejection[]> {
  return call("sync_discard_rejected", { opId });
}

/** Sends a change the server refused again, as a new op; the refused changes that remain. */
export function syncRetryRejected(opId: string): Promise<Rejection[]> {
  return call("sync_retry_rejected", { opId });
}

/** The profiles created here that the server merged into customers it had, newest first. */
export function syncMergeNotices(): Promise<MergeNotice[]> {
  return call("sync_merge_notices");
}

/** How far a long sync round has come (the engine's `RoundProgress`, pdesk-sync). */
export interface SyncProgress {
  /** Ops sent and answered in this round, of `toSend`. */
  sent: number;
  toSend: number;
  /** Profiles received by the first download so far, of `toDownload` (0: not known). */
  downloaded: number;
  toDownload: number;
}

/** During a long round: more to send or to receive. */
export function onSyncProgress(handler: (progress: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>("sync-progress", (e) => handler(e.payload));
}

/** After every sync round, and when the connection changes. */
export function onSyncStatus(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>("sync-status", (e) => handler(e.payload));
}

/** A sync round took the server's settings (rule, field catalogue, consent channels): reload them. */
export function onSyncConfig(handler: () => void): Promise<UnlistenFn> {
  return listen<null>("sync-config", () => handler());
}

/** A sync round wrote profiles here (`count`: written or removed): the list reloads. */
export function onSyncChanged(handler: (count: number) => void): Promise<UnlistenFn> {
  return listen<number>("sync-changed", (e) => handler(e.payload));
}
