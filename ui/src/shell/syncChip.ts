// The sync status chip in the top bar (SYNC.md §6.4): shown while the store is connected to a
// CDP server — "Synced · 2 min ago", "3 changes waiting", "Sync problem", "Paused", "First
// sync…" — updated after every sync round (the `sync-status` event) and every half minute
// (the "ago" moves); during a long round "Uploading 12,000 / 50,000" or "Downloading 430,000"
// (the `sync-progress` event, until the round's status). A click opens conflict review while
// there are open conflicts, else Settings → Remote CDP for those who may open Settings.
import { onSyncProgress, onSyncStatus, syncStatus, type SyncProgress, type SyncStatus } from "../ipc";
import { h } from "./dom";
import { formatCount, plural } from "./format";

/** "just now", "2 min ago", "3 h ago", "5 days ago" (`now` in ms). */
export function agoText(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const minutes = Math.floor(Math.max(0, now - then) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${plural(Math.floor(hours / 24), "day", "days")} ago`;
}

/** "in 40 s", "in 3 min" (`now` in ms); "now" when past. */
export function inText(iso: string, now: number): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return "";
  const seconds = Math.ceil((at - now) / 1000);
  if (seconds <= 0) return "now";
  if (seconds < 60) return `in ${seconds} s`;
  return `in ${Math.ceil(seconds / 60)} min`;
}

/** A clock difference in words, when it is worth a warning (over 2 minutes): "3 h", "5 min". */
export function clockOffText(offsetMs: number): string | null {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  if (Math.abs(offsetMs) <= 120_000) return null;
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return plural(Math.round(hours / 24), "day", "days");
}

export type ChipTone = "ok" | "busy" | "warn" | "off";

/** What the chip says about `s` at `now`: its words, its tone and its tooltip. */
export function chipText(s: SyncStatus, now: number): { text: string; tone: ChipTone; title: string } {
  const where = `Connected to ${s.serverUrl ?? "the server"} as ${s.userName ?? ""}`;
  if (s.paused) return { text: "Sync paused", tone: "off", title: `${where}. Sync is paused; changes wait here.` };
  // Short words (the top bar must fit a 1280 px window); the tooltip says it in full.
  const waitingFull = `${plural(s.pendingOps, "change", "changes")} waiting`;
  const waiting = s.pendingOps > 0 ? ` · ${formatCount(s.pendingOps)} waiting` : "";
  const next = s.nextAttemptAt ? `, next try ${inText(s.nextAttemptAt, now)}` : "";
  if (s.lastError) {
    const title = `${where}. ${s.lastError}`;
    switch (s.lastErrorKind) {
      case "offline":
        return { text: `Offline${waiting}`, tone: "warn", title: `${title}. ${s.pendingOps > 0 ? `${waitingFull}: they` : "Changes"} go up when the server can be reached${next}.` };
      case "signIn":
        return { text: "Sign in again", tone: "warn", title: `${title}. Disconnect and connect again in Settings → Remote CDP.` };
      case "busy":
        return { text: `Server busy${s.nextAttemptAt ? ` · ${inText(s.nextAttemptAt, now)}` : ""}`, tone: "busy", title: `${title}${next}.` };
      default:
        return { text: "Sync problem", tone: "warn", title };
    }
  }
  const clock = clockOffText(s.clockOffsetMs);
  if (clock) {
    return { text: `Clock ${clock} off`, tone: "warn", title: `${where}. Your computer's clock is ${clock} off: set its date and time; edits made at the same time as a colleague's are ordered by the clocks.` };
  }
  if (s.phase === "initialPush" || s.phase === "snapshot") return { text: "First sync…", tone: "busy", title: `${where}. The first sync is in progress.` };
  if (s.openConflicts > 0) {
    const conflicts = plural(s.openConflicts, "conflict", "conflicts");
    return { text: conflicts, tone: "warn", title: `${where}. ${conflicts} to review: click to open conflict review.` };
  }
  if (s.rejections > 0) {
    const refused = `${formatCount(s.rejections)} refused`;
    return { text: refused, tone: "warn", title: `${where}. ${plural(s.rejections, "change was", "changes were")} refused by the server: see why, and try again, in Settings → Remote CDP.` };
  }
  if (s.pendingOps > 0) {
    return { text: `${formatCount(s.pendingOps)} waiting`, tone: "busy", title: `${where}. ${waitingFull}: they go up in a moment.` };
  }
  if (!s.lastSyncAt) return { text: "Not synced yet", tone: "busy", title: where };
  const held = s.heldOps > 0 ? ` ${plural(s.heldOps, "imported change waits", "imported changes wait")} for the undo window.` : "";
  return { text: `Synced · ${agoText(s.lastSyncAt, now)}`, tone: "ok", title: `${where}. Last sync: ${s.lastSyncAt}.${held}` };
}

/** What the chip says during a long round (`null`: nothing worth saying). */
export function progressText(p: SyncProgress, server: string): { text: string; tone: ChipTone; title: string } | null {
  if (p.sent < p.toSend) {
    return {
      text: `Uploading ${formatCount(p.sent)} / ${formatCount(p.toSend)}`,
      tone: "busy",
      title: `Sending changes to ${server}: ${formatCount(p.sent)} of ${formatCount(p.toSend)} sent. You can keep working.`,
    };
  }
  if (p.downloaded > 0 && p.toDownload > 0) {
    return {
      text: `Downloading ${formatCount(p.downloaded)} / ${formatCount(p.toDownload)}`,
      tone: "busy",
      title: `Receiving the profiles of ${server}: ${formatCount(p.downloaded)} of ${plural(p.toDownload, "profile", "profiles")} so far. You can keep working.`,
    };
  }
  if (p.downloaded > 0) {
    return {
      text: `Downloading ${formatCount(p.downloaded)}`,
      tone: "busy",
      title: `Receiving the profiles of ${server}: ${plural(p.downloaded, "profile", "profiles")} so far. You can keep working.`,
    };
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
    const during = this.progress && !s.paused ? progressText(this.progress, s.serverUrl ?? "the server") : null;
    const { text, tone, title } = during ?? chipText(s, Date.now());
    this.element.hidden = false;
    this.element.dataset.tone = tone;
    this.element.title = title;
    this.element.replaceChildren(h("span", { class: "sync-chip-dot", "aria-hidden": "true" }), text);
  }
}
