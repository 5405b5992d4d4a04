// The daily backup's chip in the top bar: it runs after the list's first page (issue 18), so
// the user sees that something works in the background while they do. It shows only while
// the backup runs; a failure is said in a banner that stays (app.ts), a success quietly
// (Settings → Backup lists it).
import { h } from "./dom";
import { m } from "./messages";
import type { AutoBackupStatus } from "../ipc";

export class BackupChip {
  readonly element: HTMLElement;

  constructor() {
    this.element = h(
      "span",
      { class: "sync-chip backup-chip", role: "status", "data-testid": "backup-chip", "data-tone": "busy", title: m.backupRunningTitle, hidden: true },
      h("span", { class: "sync-chip-dot", "aria-hidden": "true" }),
      m.backupRunning,
    );
  }

  show(status: AutoBackupStatus): void {
    this.element.hidden = status.state !== "running";
  }
}
