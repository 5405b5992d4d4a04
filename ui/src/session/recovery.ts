// The screen shown instead of the app when the database failed its check at
// start (SPEC "a damaged database is not written to"). It says what happened,
// that nothing was changed, offers the newest good backup (found by the core)
// or another backup file, and says where the damaged file is kept for
// support. The core refuses every other command while the database is damaged.
import "../shell/system.css";

import { h } from "../shell/dom";
import { pickBackupFile, recoverFromBackup, type DamageReport, type RestoreReport } from "../ipc";
import { describeBackup } from "../settings/backupFormat";
import { errorMessage } from "../shell/toast";
import { m } from "./messages";

export interface RecoveryOptions {
  report: DamageReport;
  /** The restore worked: start the app on the restored data. */
  onRecovered(report: RestoreReport): void;
}

export class RecoveryScreen {
  readonly element: HTMLElement;
  private readonly error: HTMLElement;
  private readonly buttons: HTMLButtonElement[] = [];
  private busy = false;

  constructor(private readonly opts: RecoveryOptions) {
    const r = opts.report;
    const newest = r.newestGoodBackup;
    this.error = h("div", { class: "field-error recovery-error", role: "alert", "data-testid": "recovery-error", hidden: true });
    const restoreNewest = newest
      ? this.button("recovery-restore-newest", "button button-primary", m.restoreThis, () => newest.path)
      : null;
    const chooseOther = this.button("recovery-choose-file", newest ? "button button-secondary" : "button button-primary", m.chooseBackupFile, () =>
      pickBackupFile(r.backupFolder),
    );
    this.element = h(
      "div",
      { class: "recovery", role: "alert", "data-testid": "recovery-screen" },
      h(
        "div",
        { class: "recovery-card" },
        h("h1", null, m.recoveryTitle),
        r.foundAfterOpening
          ? h("p", null, m.recoveryLateIntroBefore, h("strong", null, m.recoveryLateIntroStrong), m.recoveryLateIntroAfter)
          : h("p", null, m.recoveryIntroBefore, h("strong", null, m.recoveryIntroStrong), m.recoveryIntroAfter),
        h("p", { class: "muted recovery-problem", "data-testid": "recovery-problem" }, m.checkFound(r.problem)),
        newest
          ? h(
              "div",
              { class: "recovery-backup", "data-testid": "recovery-newest" },
              h("div", { class: "recovery-backup-title" }, m.newestGoodBackup),
              h("div", null, describeBackup(newest)),
              h("div", { class: "muted about-path" }, newest.path),
            )
          : h(
              "p",
              { class: "recovery-backup", "data-testid": "recovery-no-backup" },
              r.backupsFound > 0 ? m.noGoodBackup(r.backupsFound, r.backupFolder) : m.noBackup(r.backupFolder),
              m.chooseElsewhere,
            ),
        this.error,
        h("div", { class: "recovery-actions" }, restoreNewest, chooseOther),
        h(
          "p",
          { class: "muted small" },
          m.damagedKept,
          h("span", { class: "about-path" }, r.database),
        ),
      ),
    );
  }

  private button(testid: string, cls: string, label: string, path: () => string | Promise<string | null>): HTMLButtonElement {
    const b = h("button", { type: "button", class: cls, "data-testid": testid, onclick: () => void this.restore(path) }, label);
    this.buttons.push(b);
    return b;
  }

  private async restore(choose: () => string | Promise<string | null>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error.hidden = true;
    try {
      const path = await choose();
      if (!path) return;
      for (const b of this.buttons) b.disabled = true;
      this.element.setAttribute("aria-busy", "true");
      const report = await recoverFromBackup(path);
      this.opts.onRecovered(report);
    } catch (err) {
      this.error.textContent = errorMessage(err);
      this.error.hidden = false;
    } finally {
      this.busy = false;
      this.element.removeAttribute("aria-busy");
      for (const b of this.buttons) b.disabled = false;
    }
  }
}
