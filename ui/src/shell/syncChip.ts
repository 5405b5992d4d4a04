// The sync status chip in the top bar (SYNC.md §6.4): shown while the store is connected to a
// CDP server — "Synced · 2 min ago", "3 changes waiting", "Sync problem", "Paused", "First
// sync…" — updated after every sync round (the `sync-status` event) and every half minute
// (the "ago" moves). A click opens Settings → Remote CDP for those who may open Settings.
import { onSyncStatus, syncStatus, type SyncStatus } from "../ipc";
import { h } from "./dom";
import { plural } from "./format";

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

export type ChipTone = "ok" | "busy" | "warn" | "off";

/** What the chip says about `s` at `now`: its words, its tone and its tooltip. */
export function chipText(s: SyncStatus, now: number): { text: string; tone: ChipTone; title: string } {
  const where = `Connected to ${s.serverUrl ?? "the server"} as ${s.userName ?? ""}`;
  if (s.paused) return { text: "Sync paused", tone: "off", title: `${where}. Sync is paused; changes wait here.` };
  if (s.lastError) return { text: "Sync problem", tone: "warn", title: `${where}. ${s.lastError}` };
  if (s.phase === "initialPush" || s.phase === "snapshot") return { text: "First sync…", tone: "busy", title: `${where}. The first sync is in progress.` };
  const conflicts = s.openConflicts > 0 ? ` · ${plural(s.openConflicts, "conflict", "conflicts")}` : "";
  if (s.pendingOps > 0) {
    return { text: `${plural(s.pendingOps, "change", "changes")} waiting${conflicts}`, tone: "busy", title: `${where}. Changes go up when the server can be reached.` };
  }
  if (!s.lastSyncAt) return { text: "Not synced yet", tone: "busy", title: where };
  return { text: `Synced · ${agoText(s.lastSyncAt, now)}${conflicts}`, tone: conflicts ? "warn" : "ok", title: where };
}

export class SyncChip {
  readonly element: HTMLButtonElement;
  private status: SyncStatus | null = null;
  private readonly timer: number;

  constructor(onOpen: (() => void) | null) {
    this.element = h("button", {
      type: "button",
      class: "sync-chip",
      "data-testid": "sync-chip",
      hidden: true,
      disabled: onOpen === null,
      onclick: () => onOpen?.(),
    });
    void syncStatus().then((s) => this.show(s), () => undefined);
    void onSyncStatus((s) => this.show(s));
    this.timer = window.setInterval(() => this.render(), 30_000);
  }

  dispose(): void {
    window.clearInterval(this.timer);
  }

  show(status: SyncStatus): void {
    this.status = status;
    this.render();
  }

  private render(): void {
    const s = this.status;
    if (!s?.connected) {
      this.element.hidden = true;
      return;
    }
    const { text, tone, title } = chipText(s, Date.now());
    this.element.hidden = false;
    this.element.dataset.tone = tone;
    this.element.title = title;
    this.element.replaceChildren(h("span", { class: "sync-chip-dot", "aria-hidden": "true" }), text);
  }
}
