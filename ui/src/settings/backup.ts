// Settings → Backup: where backups go, how many are kept, the automatic daily
// backup, "Back up now", and restore (from the list or any backup file). The
// core does and checks everything — the consistent copy, its verification,
// the generations, the refusal of a bad file, the copy of the current data
// before a restore, the audit entries; this screen edits, asks and reports.
import "../shell/system.css";

import { h, uid } from "../shell/dom";
import {
  backUpNow,
  backupOverview,
  pickBackupFile,
  pickBackupFolder,
  restoreBackup,
  setBackupSettings,
  type BackupEntry,
  type BackupOverview,
  type BackupSettings,
} from "../ipc";
import { backupKindLabel, describeBackup, formatBytes } from "./backupFormat";
import { confirmDialog } from "../shell/confirmDialog";
import { formatDateTime } from "../shell/format";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsSection } from "./section";
import { m } from "./messages";

/** The settings typed into the form, or why they cannot be sent. Same bounds as the core. */
export function readBackupForm(folder: string, keep: string, autoDaily: boolean): BackupSettings | { problem: string } {
  const n = Number(keep.trim());
  if (!/^\d{1,3}$/.test(keep.trim()) || n < 1 || n > 100) return { problem: m.keepBetween };
  return { folder: folder.trim(), keep: n, autoDaily };
}

export interface BackupSectionOptions {
  /** After a restore the app reopens on the restored data (tests pass their own). */
  reload?: () => void;
}

class BackupPanel implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly status = h("div", { class: "backup-status", role: "status", "data-testid": "backup-status" });
  private readonly error = h("div", { class: "field-error", role: "alert", "data-testid": "backup-error", hidden: true });
  private readonly backUp: HTMLButtonElement;
  private overview: BackupOverview | null = null;
  private folder: HTMLInputElement | null = null;
  private keep: HTMLInputElement | null = null;
  private autoDaily: HTMLInputElement | null = null;
  private save: HTMLButtonElement | null = null;
  private busy = false;

  constructor(private readonly opts: BackupSectionOptions) {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.backupsWhat));
    this.backUp = h(
      "button",
      { type: "button", class: "button button-primary", "data-testid": "backup-now", onclick: () => void this.backUpNow() },
      m.backUpNow,
    );
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-backup" },
      sectionHead(m.backupTitle, m.backupDescription, this.backUp),
      this.status,
      this.error,
      this.body,
    );
    void this.load();
  }

  hasUnsavedChanges(): boolean {
    return this.formChanged();
  }

  private async load(): Promise<void> {
    try {
      this.render(await backupOverview());
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.backupsWhat, errorMessage(err), () => void this.load()));
    }
  }

  private render(o: BackupOverview): void {
    this.overview = o;
    const folderId = uid("backup-folder");
    const keepId = uid("backup-keep");
    this.folder = h("input", {
      id: folderId,
      type: "text",
      class: "backup-folder-input",
      "data-testid": "backup-folder",
      value: o.settings.folder,
      spellcheck: "false",
      oninput: () => this.paint(),
    });
    this.keep = h("input", {
      id: keepId,
      type: "text",
      inputmode: "numeric",
      class: "limit-input",
      "data-testid": "backup-keep",
      value: String(o.settings.keep),
      oninput: () => this.paint(),
    });
    this.autoDaily = h("input", { type: "checkbox", "data-testid": "backup-auto-daily", checked: o.settings.autoDaily, onchange: () => this.paint() });
    this.save = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "backup-save", disabled: true, onclick: () => void this.saveSettings() },
      m.saveSettings,
    );
    const choose = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "backup-choose-folder", onclick: () => void this.chooseFolder() },
      m.choose,
    );
    const settings = h(
      "div",
      { class: "card backup-settings" },
      h(
        "div",
        { class: "field" },
        h("label", { class: "field-label", for: folderId }, m.backupFolder),
        h("div", { class: "backup-folder-row" }, this.folder, choose),
        h("p", { class: "muted small" }, m.defaultFolder(o.defaultFolder)),
      ),
      h(
        "div",
        { class: "backup-settings-row" },
        h(
          "div",
          { class: "field" },
          h("label", { class: "field-label", for: keepId }, m.backupsToKeep),
          h("div", { class: "limit-input-wrap backup-keep-wrap" }, this.keep, h("span", { class: "limit-unit" }, m.newest)),
        ),
        h(
          "label",
          { class: "check backup-auto" },
          this.autoDaily,
          h("span", null, m.autoDaily),
        ),
      ),
      h("div", { class: "backup-settings-foot" }, h("div", { class: "toolbar-spacer" }), this.save),
    );
    const list =
      o.backups.length === 0
        ? h("p", { class: "muted", "data-testid": "backup-none" }, m.noBackup)
        : h(
            "table",
            { class: "backup-table", "data-testid": "backup-list" },
            h("thead", null, h("tr", null, h("th", null, m.columnTaken), h("th", null, m.columnWhy), h("th", null, m.columnSize), h("th", null, m.columnFile), h("th", null, ""))),
            h("tbody", null, o.backups.map((b) => this.row(b))),
          );
    this.body.replaceChildren(
      encryptionNote(o),
      settings,
      h(
        "div",
        { class: "card backup-list-card" },
        h(
          "div",
          { class: "backup-list-head" },
          h("h3", null, m.backupsInFolder),
          h("div", { class: "toolbar-spacer" }),
          h(
            "button",
            { type: "button", class: "button button-secondary", "data-testid": "backup-restore-file", onclick: () => void this.restoreFromFile() },
            m.restoreFromFile,
          ),
        ),
        list,
      ),
    );
    this.paint();
  }

  private row(b: BackupEntry): HTMLElement {
    return h(
      "tr",
      { "data-testid": "backup-row", "data-file": b.fileName },
      h("td", null, formatDateTime(b.createdAt)),
      h("td", null, backupKindLabel(b.kind)),
      h("td", { class: "num" }, formatBytes(b.bytes)),
      h("td", { class: "about-path" }, b.fileName),
      h(
        "td",
        { class: "backup-actions" },
        h(
          "button",
          { type: "button", class: "button button-ghost", "data-testid": "backup-restore", onclick: () => void this.restore(b.path, describeBackup(b)) },
          m.restoreMenu,
        ),
      ),
    );
  }

  private formChanged(): boolean {
    const o = this.overview;
    if (!o || !this.folder || !this.keep || !this.autoDaily) return false;
    return (
      this.folder.value.trim() !== o.settings.folder ||
      this.keep.value.trim() !== String(o.settings.keep) ||
      this.autoDaily.checked !== o.settings.autoDaily
    );
  }

  private paint(): void {
    if (this.save) this.save.disabled = this.busy || !this.formChanged();
    this.backUp.disabled = this.busy;
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('[data-testid="backup-restore"], [data-testid="backup-restore-file"]')) {
      b.disabled = this.busy;
    }
  }

  private setBusy(busy: boolean, status = ""): void {
    this.busy = busy;
    this.status.textContent = status;
    this.element.setAttribute("aria-busy", String(busy));
    this.paint();
  }

  private showError(err: unknown): void {
    this.error.textContent = err === null ? "" : errorMessage(err);
    this.error.hidden = err === null;
  }

  private async chooseFolder(): Promise<void> {
    const picked = await pickBackupFolder(this.folder?.value ?? null).catch((err: unknown) => {
      this.showError(err);
      return null;
    });
    if (picked && this.folder) {
      this.folder.value = picked;
      this.paint();
    }
  }

  private async saveSettings(): Promise<void> {
    if (this.busy || !this.folder || !this.keep || !this.autoDaily) return;
    const read = readBackupForm(this.folder.value, this.keep.value, this.autoDaily.checked);
    if ("problem" in read) {
      this.showError(new Error(read.problem));
      return;
    }
    this.showError(null);
    this.setBusy(true, m.saving);
    try {
      const saved = await setBackupSettings(read);
      this.setBusy(false);
      this.render(saved);
      showToast(m.backupSettingsSaved);
    } catch (err) {
      this.setBusy(false);
      this.showError(err);
    }
  }

  private async backUpNow(): Promise<void> {
    if (this.busy) return;
    this.showError(null);
    this.setBusy(true, m.backingUp);
    try {
      const report = await backUpNow();
      this.setBusy(false);
      showToast(report.message);
      await this.load();
    } catch (err) {
      this.setBusy(false);
      this.showError(err);
    }
  }

  private async restoreFromFile(): Promise<void> {
    const path = await pickBackupFile(this.overview?.settings.folder ?? null).catch((err: unknown) => {
      this.showError(err);
      return null;
    });
    if (path) await this.restore(path, path);
  }

  private async restore(path: string, what: string): Promise<void> {
    if (this.busy) return;
    // Off by default: a backup's e-mail settings and result addresses could send mail elsewhere.
    const keepMail = h("input", { type: "checkbox", "data-testid": "restore-keep-mail" });
    const sure = await confirmDialog({
      title: m.restoreTitle,
      body: h(
        "div",
        null,
        h("p", null, m.restoreReplaces),
        h("p", { class: "about-path" }, what),
        h("p", { class: "muted" }, m.restoreUndo),
        h(
          "label",
          { class: "check" },
          keepMail,
          h("span", null, m.restoreKeepMail),
        ),
      ),
      confirmLabel: m.restore,
      danger: true,
      testid: "restore-confirm",
    });
    if (!sure) return;
    this.showError(null);
    this.setBusy(true, m.restoring);
    try {
      const report = await restoreBackup(path, keepMail.checked);
      this.setBusy(false, report.message);
      showToast(report.message);
      // The app reopens on the restored data: users, fields and settings may all differ.
      setTimeout(() => (this.opts.reload ?? (() => location.reload()))(), 1200);
    } catch (err) {
      this.setBusy(false);
      this.showError(err);
    }
  }
}

export function backupSection(opts: BackupSectionOptions = {}): SettingsSection {
  return {
    id: "backup",
    get title() {
      return m.backupTitle;
    },
    get summary() {
      return m.backupSummary;
    },
    mount: () => new BackupPanel(opts),
  };
}

/** Whether the database and its backups are encrypted at rest; a plain store is said plainly. */
export function encryptionNote(o: BackupOverview): HTMLElement {
  return h(
    "p",
    {
      class: o.encryption.encrypted ? "muted small" : "field-error",
      role: o.encryption.encrypted ? null : "alert",
      "data-testid": "backup-encryption",
      "data-encrypted": String(o.encryption.encrypted),
    },
    o.encryption.message,
  );
}
