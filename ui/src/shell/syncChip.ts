// The sync status chip in the top bar (SYNC.md §6.4): shown while the store is connected to a
// CDP server — "Synced · 2 min ago", "3 changes waiting", "Sync problem", "Paused", "First
// sync…" — updated after every sync round (the `sync-status` event) and every half minute
// (the "ago" moves); during a long round "Uploading 12,000 / 50,000" or "Downloading 430,000"
// (the `sync-progress` event, until the round's status). A click opens conflict review while
// there are open conflicts, else Settings → Remote CDP for those who may open Settings.
import { onSyncProgress, onSyncStatus, syncStatus, type SyncProgress, type SyncStatus } from "../ipc";
import { h } from "./dom";
import { m } from "./messages";

/** "just now", "2 min ago", "3 h ago", "5 days ago" (`now` in ms). */
export function agoText(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const minutes = Math.floor(Math.max(0, now - then) / 60_000);
  if (minutes < 1) return m.justNow;
  if (minutes < 60) return m.minutesAgo(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return m.hoursAgo(hours);
  return m.daysAgo(Math.floor(hours / 24));
}

/** "in 40 s", "in 3 min" (`now` in ms); "now" when past. */
export function inText(iso: string, now: number): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return "";
  const seconds = Math.ceil((at - now) / 1000);
  if (seconds <= 0) return m.now;
  if (seconds < 60) return m.inSeconds(seconds);
  return m.inMinutes(Math.ceil(seconds / 60));
}

/** A clock difference in words, when it is worth a warning (over 2 minutes): "3 h", "5 min". */
export function clockOffText(offsetMs: number): string | null {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  if (Math.abs(offsetMs) <= 120_000) return null;
  if (minutes < 90) return m.minutes(minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 48) return m.hours(hours);
  return m.days(Math.round(hours / 24));
}

export type ChipTone = "ok" | "busy" | "warn" | "off";

/** What the chip says about `s` at `now`: its words, its tone and its tooltip. */
export function chipText(s: SyncStatus, now: number): { text: string; tone: ChipTone; title: string } {
  const where = m.connectedAs(s.serverUrl ?? m.theServer, s.userName ?? "");
  if (s.paused) return { text: m.syncPaused, tone: "off", title: m.syncPausedTitle(where) };
  // Short words (the top bar must fit a 1280 px window); the tooltip says it in full.
  const waiting = s.pendingOps > 0 ? m.waitingSuffix(s.pendingOps) : "";
  const next = s.nextAttemptAt ? m.nextTry(inText(s.nextAttemptAt, now)) : "";
  if (s.lastError) {
    // The core's words: they stay as received.
    const title = `${where}. ${s.lastError}`;
    switch (s.lastErrorKind) {
      case "offline":
        return { text: m.offline(waiting), tone: "warn", title: m.offlineTitle(title, s.pendingOps, next) };
      case "signIn":
        return { text: m.signInAgain, tone: "warn", title: m.signInAgainTitle(title) };
      case "busy":
        return { text: m.serverBusy(s.nextAttemptAt ? inText(s.nextAttemptAt, now) : null), tone: "busy", title: `${title}${next}.` };
      default:
        return { text: m.syncProblem, tone: "warn", title };
    }
  }
  const clock = clockOffText(s.clockOffsetMs);
  if (clock) {
    return { text: m.clockOff(clock), tone: "warn", title: m.clockOffTitle(where, clock) };
  }
  if (s.phase === "initialPush" || s.phase === "snapshot") return { text: m.firstSync, tone: "busy", title: m.firstSyncTitle(where) };
  if (s.openConflicts > 0) {
    return { text: m.conflicts(s.openConflicts), tone: "warn", title: m.conflictsTitle(where, s.openConflicts) };
  }
  if (s.rejections > 0) {
    return { text: m.refused(s.rejections), tone: "warn", title: m.refusedTitle(where, s.rejections) };
  }
  if (s.pendingOps > 0) {
    return { text: m.waiting(s.pendingOps), tone: "busy", title: m.waitingTitle(where, s.pendingOps) };
  }
  if (!s.lastSyncAt) return { text: m.notSynced, tone: "busy", title: where };
  const held = s.heldOps > 0 ? m.heldForUndo(s.heldOps) : "";
  return { text: m.synced(agoText(s.lastSyncAt, now)), tone: "ok", title: m.syncedTitle(where, s.lastSyncAt, held) };
}

/** What the chip says during a long round (`null`: nothing worth saying). */
export function progressText(p: SyncProgress, server: string): { text: string; tone: ChipTone; title: string } | null {
  if (p.sent < p.toSend) {
    return { text: m.uploading(p.sent, p.toSend), tone: "busy", title: m.uploadingTitle(server, p.sent, p.toSend) };
  }
  if (p.downloaded > 0 && p.toDownload > 0) {
    return {
      text: m.downloadingOf(p.downloaded, p.toDownload),
      tone: "busy",
      title: m.downloadingOfTitle(server, p.downloaded, p.toDownload),
    };
  }
  if (p.downloaded > 0) {
    return { text: m.downloading(p.downloaded), tone: "busy", title: m.downloadingTitle(server, p.downloaded) };
  }
  return null;
}

/** What a click on the chip opens. */
export interface ChipTargets {
  settings: (() => void) | null;
  conflicts: (() => void) | null;
}

export class SyncChip {
  readonly element: HTMLButtonElement;
  private status: SyncStatus | null = null;
  /** How far the round under way has come; cleared by the round's status. */
  private progress: SyncProgress | null = null;
  private readonly timer: number;

  /** `open.conflicts` while there are open conflicts, else `open.settings`; `null`: not for this user. */
  constructor(private readonly open: ChipTargets) {
    this.element = h("button", {
      type: "button",
      class: "sync-chip",
      "data-testid": "sync-chip",
      hidden: true,
      disabled: true,
      onclick: () => this.target()?.(),
    });
    void syncStatus().then((s) => this.show(s), () => undefined);
    void onSyncStatus((s) => this.show(s));
    void onSyncProgress((p) => {
      this.progress = p;
      this.render();
    });
    this.timer = window.setInterval(() => this.render(), 30_000);
  }

  dispose(): void {
    window.clearInterval(this.timer);
  }

  show(status: SyncStatus): void {
    this.status = status;
    this.progress = null;
    this.render();
  }

  private target(): (() => void) | null {
    return (this.status?.openConflicts ?? 0) > 0 && this.open.conflicts ? this.open.conflicts : this.open.settings;
  }

  private render(): void {
    this.element.disabled = this.target() === null;
    const s = this.status;
    if (!s?.connected) {
      this.element.hidden = true;
      return;
    }
    const during = this.progress && !s.paused ? progressText(this.progress, s.serverUrl ?? m.theServer) : null;
    const { text, tone, title } = during ?? chipText(s, Date.now());
    this.element.hidden = false;
    this.element.dataset.tone = tone;
    this.element.title = title;
    this.element.replaceChildren(h("span", { class: "sync-chip-dot", "aria-hidden": "true" }), text);
  }
}
