// Shell of the app: top bar, list, detail overlay, create wizard, notices.
// Loads what every screen needs (session, catalogue, channels, columns) once.
import "./styles.css";

import { h } from "./shell/dom";
import { formatCount } from "./shell/format";
import {
  appInfo,
  consentChannels,
  exportJobs,
  fieldCatalogue,
  filterFields,
  importJobs,
  openReviewCount,
  onExportFinished,
  onExportProgress,
  onJobMail,
  listColumns,
  lockSession,
  onAutoBackupFinished,
  onImportDrag,
  onImportFilesDropped,
  onImportFinished,
  onImportProgress,
  onSessionLost,
  openDemo,
  signOut,
  startScreen,
  startupStatus,
  touchSession,
  type AppInfo,
  type AutoBackupStatus,
  type DamageReport,
  type ConsentChannel,
  type DeleteResult,
  type FieldDef,
  type FilterField,
  type SaveResult,
  type Session,
  type StartScreen,
} from "./ipc";
import { AboutDialog } from "./shell/about";
import { AuditView } from "./audit/auditView";
import { CreateWizard } from "./profile/createWizard";
import { deletedMessage } from "./profile/deleteDialog";
import { DetailView } from "./profile/detail";
import { ExportDialog } from "./export/exportDialog";
import { ExportsPanel, ExportsView } from "./export/exportsView";
import { JobsPanel, handleImportFinished } from "./import/importJobs";
import { ImportReport } from "./import/importReport";
import { ImportWizard, type ImportMode } from "./import/importWizard";
import { IdleLock } from "./session/idleLock";
import { ListView } from "./list/list";
import { RecoveryScreen } from "./session/recovery";
import { MergeReviewView } from "./review/mergeReview";
import { LockScreen, firstRunScreen, signInScreen } from "./session/signIn";
import { UserMenu } from "./session/userMenu";
import { SettingsView } from "./settings/settingsView";
import { errorMessage, mountNotices, showError, showToast } from "./shell/toast";

interface Boot {
  session: Session;
  idleLockMinutes: number;
  info: AppInfo;
  fields: FieldDef[];
  channels: ConsentChannel[];
  columns: string[];
  filterFields: FilterField[];
}

function permissionTitle(permission: string): string {
  return `Requires the ${permission} permission`;
}

class App {
  private readonly list: ListView;
  private readonly detail: DetailView;
  private readonly main: HTMLElement;
  private wizard: CreateWizard | null = null;
  private importWizard: ImportWizard | null = null;
  private readonly jobsPanel = new JobsPanel();
  private readonly report: ImportReport;
  private readonly reviews: MergeReviewView;
  private readonly reviewCount: HTMLElement;
  private readonly exportsPanel = new ExportsPanel();
  private readonly exportsView: ExportsView;
  private readonly settings: SettingsView | null;
  private readonly audit: AuditView | null;
  private readonly createButton: HTMLButtonElement;
  private readonly createMenu: HTMLElement;
  private readonly can: (permission: string) => boolean;
  private readonly lockScreen: LockScreen;
  /** Shown while files are dragged over the window. */
  private readonly dropOverlay = h(
    "div",
    { class: "drop-overlay", "data-testid": "drop-overlay", hidden: true, "aria-hidden": "true" },
    h("div", { class: "drop-overlay-card" }, h("strong", null, "Drop Excel files to import them"), h("span", null, ".xlsx, one sheet each")),
  );
  private readonly idle: IdleLock;

  constructor(
    root: HTMLElement,
    private readonly boot: Boot,
  ) {
    const perms = new Set(boot.session.permissions);
    this.can = (p) => perms.has(p);
    const canCreate = this.can("profile.create");
    const canDelete = this.can("profile.delete");
    const canImport = this.can("profile.import");

    this.list = new ListView({
      fields: boot.fields,
      columns: boot.columns,
      canCreate,
      canDelete,
      onOpen: (id) => void this.openDetail(id),
      onCreate: () => this.openWizard(),
      canImport,
      onUpload: () => this.openImport("file"),
      onDemo: boot.info.demo ? undefined : () => void this.openDemo(),
      // The list has already cleared its selection and refreshed itself.
      onDeleted: (result) => showToast(deletedMessage(result)),
      filterFields: boot.filterFields,
      channels: boot.channels,
      loadJobs: () => importJobs(),
      // Users without profile.export do not get the button (the core refuses anyway).
      onExport: this.can("profile.export")
        ? ({ query, columns, selected }, returnFocus) =>
            new ExportDialog({
              query,
              columns,
              selected,
              returnFocus,
              onStarted: (job) => this.exportsPanel.upsert(job),
              onWritten: () => {
                if (this.exportsView.shown) void this.exportsView.refresh();
              },
            }).open(document.body)
        : undefined,
    });
    this.detail = new DetailView({
      fields: boot.fields,
      channels: boot.channels,
      canEdit: this.can("profile.edit"),
      canDelete,
      onBack: () => this.closeDetail(),
      onChanged: () => void this.list.refresh(),
      onDeleted: (result) => this.afterDelete(result),
    });

    this.report = new ImportReport({
      onBack: () => this.closeReport(),
      onChanged: () => void this.list.refresh(),
      onShowProfiles: (jobId) => {
        this.closeReport();
        this.list.showJobProfiles(jobId);
      },
      onShowReviews: (jobId) => void this.openReviews(jobId),
    });

    this.reviews = new MergeReviewView({
      can: this.can,
      onBack: () => this.closeReviews(),
      onChanged: () => {
        void this.list.refresh();
        void this.refreshReviewCount();
      },
      onOpenProfile: (id) => void this.openDetail(id),
    });
    this.reviewCount = h("span", { class: "count-pill review-count", "data-testid": "review-count", hidden: true });
    this.exportsView = new ExportsView({ onBack: () => this.closeExports() });

    // Users without settings.manage do not get the Settings screen at all (the core refuses
    // every settings command anyway).
    this.settings = this.can("settings.manage")
      ? new SettingsView({
          context: {
            session: boot.session,
            catalogueChanged: () => void this.reloadCatalogue(),
            idleLockChanged: (minutes) => this.idle.setMinutes(minutes),
          },
          onBack: () => this.closeSettings(),
        })
      : null;

    // The audit log only for audit.view (the core refuses its commands to others anyway).
    this.audit = this.can("audit.view") ? new AuditView({ onBack: () => this.closeAudit() }) : null;

    const importItem = (testid: string, title: string, hint: string, mode: ImportMode): HTMLElement =>
      h(
        "button",
        {
          type: "button",
          role: "menuitem",
          class: "menu-item",
          "data-testid": testid,
          onclick: () => {
            this.closeMenu();
            this.openImport(mode);
          },
        },
        h("span", { class: "menu-item-title" }, title),
        h("span", { class: "menu-item-hint" }, hint),
      );
    // Users without profile.import do not see the import items (the core refuses anyway).
    const importItems = canImport
      ? [
          importItem("import-upload-file", "Upload file", "Import profiles from .xlsx files", "file"),
          importItem("import-paste-data", "Paste data", "Paste rows copied from a spreadsheet", "paste"),
        ]
      : [];
    const menuItem = h(
      "button",
      {
        type: "button",
        role: "menuitem",
        class: "menu-item",
        "data-testid": "create-individually",
        hidden: !canCreate,
        onclick: () => {
          this.closeMenu();
          this.openWizard();
        },
      },
      h("span", { class: "menu-item-title" }, "Create individually"),
      h("span", { class: "menu-item-hint" }, "Fill in one profile by hand"),
    );
    this.createMenu = h("div", { class: "menu", role: "menu", "data-testid": "create-menu", hidden: true }, menuItem, importItems);
    this.createButton = h(
      "button",
      {
        type: "button",
        class: "button button-primary",
        "data-testid": "create-profile-button",
        "aria-haspopup": "menu",
        "aria-expanded": "false",
        disabled: !canCreate && !canImport,
        title: canCreate || canImport ? null : permissionTitle("profile.create"),
        onclick: () => (this.createMenu.hidden ? this.openMenu() : this.closeMenu()),
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key === "ArrowDown") {
            e.preventDefault();
            this.openMenu();
          }
        },
      },
      h("span", { "aria-hidden": "true", class: "button-icon icon-plus" }),
      "Create new Profile",
      h("span", { "aria-hidden": "true", class: "caret" }),
    );
    this.createMenu.addEventListener("focusout", (e) => {
      const next = e.relatedTarget;
      if (next instanceof Node && this.createMenu.parentElement?.contains(next)) return;
      if (next !== null) this.closeMenu();
    });
    this.createMenu.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.closeMenu();
        this.createButton.focus();
      }
    });

    const { session: s, info } = boot;
    const topbar = h(
      "header",
      { class: "topbar" },
      h(
        "div",
        { class: "brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }, "P"),
        h("span", { class: "brand-name" }, "Profile Desk"),
        info.dev ? h("span", { class: "badge badge-dev", title: `Development data: ${info.dataPath}` }, "DEV") : null,
        info.demo
          ? h(
              "span",
              { class: "badge badge-demo", "data-testid": "demo-badge", title: `Generated profiles in a separate database: ${info.dataPath}` },
              "Demo data",
            )
          : null,
      ),
      h("div", { class: "toolbar-spacer" }),
      new UserMenu({
        session: s,
        title: `Signed in as ${s.userName} · Profile Desk ${info.version}`,
        onLock: () => void this.lockNow(),
        onSignOut: () => void signOut().finally(() => location.reload()),
      }).element,
      h(
        "button",
        {
          type: "button",
          class: "button button-ghost",
          "data-testid": "about-button",
          title: "Version, data folder and licences",
          onclick: (e: Event) => new AboutDialog({ info, returnFocus: e.currentTarget as HTMLElement }).open(document.body),
        },
        "About",
      ),
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary",
          "data-testid": "import-report-button",
          // The report lists what was imported: it needs profile.view like the list.
          hidden: !this.can("profile.view"),
          onclick: () => void this.openReport(),
        },
        "Import report",
      ),
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary",
          "data-testid": "review-button",
          title: "Incoming data that matched several profiles, waiting for a decision",
          // Reviews show profiles: they need profile.view like the list.
          hidden: !this.can("profile.view"),
          onclick: () => void this.openReviews(null),
        },
        "Merge review",
        this.reviewCount,
      ),
      this.can("profile.export")
        ? h(
            "button",
            {
              type: "button",
              class: "button button-secondary",
              "data-testid": "exports-button",
              onclick: () => void this.openExports(),
            },
            "Exports",
          )
        : null,
      this.audit
        ? h(
            "button",
            {
              type: "button",
              class: "button button-secondary",
              "data-testid": "audit-button",
              title: "Who deleted, imported, exported or changed what, and when",
              onclick: () => void this.openAudit(),
            },
            h("span", { class: "button-icon icon-shield", "aria-hidden": "true" }),
            "Audit log",
          )
        : null,
      this.settings
        ? h(
            "button",
            {
              type: "button",
              class: "button button-secondary",
              "data-testid": "settings-button",
              title: "Fields, synchronization rule, limits, consent channels, users and roles",
              onclick: () => void this.openSettings(),
            },
            h("span", { class: "button-icon icon-gear", "aria-hidden": "true" }),
            "Settings",
          )
        : null,
      h("div", { class: "popover-anchor" }, this.createButton, this.createMenu),
    );

    const banner = h("div", { class: "banner-region" });
    const toasts = h("div", { class: "toast-region", "aria-live": "polite" });
    mountNotices(toasts, banner);
    this.main = h(
      "main",
      { class: "main" },
      this.list.element,
      this.reviews.element,
      this.detail.element,
      this.report.element,
      this.exportsView.element,
      this.settings?.element,
      this.audit?.element,
    );
    const demoStrip = info.demo
      ? h(
          "div",
          { class: "demo-strip", role: "note", "data-testid": "demo-strip" },
          h("strong", null, "Demo data. "),
          "These are generated profiles in a separate database, for trying Profile Desk out. Your own profiles are not here, and nothing you do here touches them.",
        )
      : null;
    const app = h("div", { class: "app" }, topbar, demoStrip, banner, this.main);
    root.replaceChildren(app, this.jobsPanel.element, this.exportsPanel.element, toasts, this.dropOverlay);
    this.lockScreen = new LockScreen(root, (screen) => this.afterUnlock(screen));
    this.idle = new IdleLock({
      minutes: boot.idleLockMinutes,
      onIdle: () => void this.lockNow(),
      touch: () => void touchSession().then((screen) => this.showScreen(screen), () => undefined),
    });
    // A command refused because the session locked (the core's idle check) or ended.
    onSessionLost((code) => {
      if (code === "signedOut") location.reload();
      else void startScreen().then((screen) => this.showScreen(screen));
    });

    document.addEventListener("mousedown", (e) => {
      if (this.createMenu.hidden) return;
      if (e.target instanceof Node && this.createMenu.parentElement?.contains(e.target)) return;
      this.closeMenu();
    });
    document.addEventListener("keydown", (e) => this.onGlobalKey(e));
  }

  /** `notice`: said once (an upgrade, a recovery); `autoBackup`: the daily backup's state. */
  start(notice: string | null, autoBackup: AutoBackupStatus): void {
    this.idle.start();
    if (notice) showToast(notice, "info");
    void this.watchAutoBackup(autoBackup);
    if (!this.can("profile.view")) {
      this.list.element.replaceChildren(
        h(
          "div",
          { class: "state-panel", "data-testid": "no-view-permission" },
          h("h2", null, "Your role cannot see profiles"),
          h("p", null, "It lacks the profile.view permission. Ask an administrator for a role that has it."),
        ),
      );
      return;
    }
    void this.list.refresh();
    void this.list.loadSegments();
    void this.startImports();
    void this.refreshReviewCount();
    void this.startExports();
  }

  /** Locks the session now (the user menu, or the idle time passed). */
  private async lockNow(): Promise<void> {
    this.idle.stop();
    try {
      this.showScreen(await lockSession());
    } catch {
      location.reload();
    }
  }

  /**
   * The automatic daily backup works quietly (Settings → Backup lists it); a failure is said
   * in a banner that stays, because an unnoticed failing backup means data at risk.
   */
  private async watchAutoBackup(initial: AutoBackupStatus): Promise<void> {
    let told = false;
    const tell = (status: AutoBackupStatus): void => {
      if (told || status.state !== "failed") return;
      told = true;
      showError(new Error(status.message));
    };
    tell(initial);
    if (initial.state === "running") {
      try {
        await onAutoBackupFinished(tell);
      } catch {
        // No event channel (unit tests): the Settings → Backup list still shows the result.
      }
    }
  }

  private async openDemo(): Promise<void> {
    try {
      await openDemo();
      showToast("Opening the demo in its own window…", "info");
    } catch (err) {
      showError(err);
    }
  }

  /** Follows what the core says the window should show. */
  private showScreen(screen: StartScreen): void {
    if (screen.screen === "locked") {
      this.idle.stop();
      this.lockScreen.show(screen.user);
    } else if (screen.screen !== "ready") {
      location.reload();
    }
  }

  private afterUnlock(screen: StartScreen): void {
    if (screen.screen !== "ready" || screen.session.userName !== this.boot.session.userName) {
      location.reload();
      return;
    }
    this.idle.setMinutes(screen.idleLockMinutes);
    this.idle.start();
  }

  /** Files dropped on the window: into the open upload wizard, or a new one. */
  private takeDroppedFiles(paths: string[]): void {
    if (paths.length === 0 || this.lockScreen.shown) return;
    if (!this.can("profile.import")) {
      showToast("You do not have permission to import profiles (profile.import)", "info");
      return;
    }
    if (this.importWizard) {
      if (!this.importWizard.addDroppedFiles(paths)) {
        showToast("Close Paste data first to import the dropped files", "info");
      }
      return;
    }
    if (this.wizard) {
      showToast("Finish or cancel the new profile first to import the dropped files", "info");
      return;
    }
    this.openImport("file")?.addDroppedFiles(paths);
  }

  /** Jobs still queued or running (e.g. resumed after a restart) and the import events. */
  private async startImports(): Promise<void> {
    try {
      await onImportDrag((drag) => {
        this.dropOverlay.hidden = !(drag.over && this.can("profile.import") && !this.lockScreen.shown);
      });
      await onImportFilesDropped((paths) => this.takeDroppedFiles(paths));
      await onImportProgress((p) => this.jobsPanel.progress(p));
      await onImportFinished((job) =>
        handleImportFinished(job, {
          panel: this.jobsPanel,
          refreshProfiles: () => void this.list.refresh(),
          refreshReport: () => {
            if (this.report.shown) void this.report.refresh();
          },
          openReport: () => void this.openReport(),
        }),
      );
      // A finished import may have left merge reviews.
      await onImportFinished(() => void this.refreshReviewCount());
      this.jobsPanel.load(await importJobs());
    } catch {
      // An older core without the import commands: the rest of the app works on.
    }
  }

  /** Background exports still waiting or running (e.g. after a restart), their events and e-mails. */
  private async startExports(): Promise<void> {
    try {
      await onExportProgress((p) => this.exportsPanel.progress(p));
      await onExportFinished((job) => {
        this.exportsPanel.upsert(job);
        if (this.exportsView.shown) void this.exportsView.refresh();
      });
      await onJobMail((mail) => {
        this.exportsPanel.mail(mail);
        this.exportsView.mail(mail);
        if (mail.jobKind === "import" && this.report.shown) void this.report.refresh();
      });
      if (this.can("profile.export")) this.exportsPanel.load(await exportJobs());
    } catch (err) {
      showError(err);
    }
  }

  private async openExports(): Promise<void> {
    if (this.settings?.shown && !(await this.leaveSettings())) return;
    if (!this.detail.element.hidden) this.closeDetail();
    if (this.report.shown) this.closeReport();
    if (this.audit?.shown) this.closeAudit();
    if (this.reviews.shown) this.reviews.element.hidden = true;
    this.exportsView.element.hidden = false;
    this.list.element.setAttribute("inert", "");
    this.list.element.setAttribute("aria-hidden", "true");
    this.exportsView.element.querySelector<HTMLElement>('[data-testid="exports-back"]')?.focus();
    await this.exportsView.refresh();
  }

  private closeExports(): void {
    this.exportsView.element.hidden = true;
    this.list.element.removeAttribute("inert");
    this.list.element.removeAttribute("aria-hidden");
    this.list.focusSearch();
  }

  private openImport(mode: ImportMode): ImportWizard | null {
    if (this.importWizard || this.wizard || !this.can("profile.import")) return null;
    const wizard = new ImportWizard({
      mode,
      fields: this.boot.fields,
      channels: this.boot.channels,
      onQueued: (job) => this.jobsPanel.upsert(job),
      onClosed: () => {
        this.importWizard = null;
      },
      returnFocus: this.createButton,
    });
    this.importWizard = wizard;
    wizard.open(document.body);
    return wizard;
  }

  /** The top bar's count of open merge reviews (hidden when there are none). */
  private async refreshReviewCount(): Promise<void> {
    try {
      const n = await openReviewCount();
      this.reviewCount.textContent = formatCount(n);
      this.reviewCount.hidden = n === 0;
      this.reviewCount.title = `${formatCount(n)} open`;
    } catch {
      this.reviewCount.hidden = true;
    }
  }

  /** The merge review screen, on the open reviews (of one import job when given). */
  private async openReviews(jobId: number | null): Promise<void> {
    if (this.settings?.shown && !(await this.leaveSettings())) return;
    if (this.audit?.shown) this.audit.element.hidden = true;
    if (!this.detail.element.hidden) this.closeDetail();
    if (this.report.shown) this.closeReport();
    if (this.exportsView.shown) this.closeExports();
    this.reviews.element.hidden = false;
    this.list.element.setAttribute("inert", "");
    this.list.element.setAttribute("aria-hidden", "true");
    this.reviews.element.querySelector<HTMLElement>('[data-testid="review-back"]')?.focus();
    await this.reviews.open(jobId);
    void this.refreshReviewCount();
  }

  private closeReviews(): void {
    this.reviews.element.hidden = true;
    this.list.element.removeAttribute("inert");
    this.list.element.removeAttribute("aria-hidden");
    this.list.focusSearch();
  }

  private async openReport(): Promise<void> {
    if (this.settings?.shown && !(await this.leaveSettings())) return;
    if (this.audit?.shown) this.audit.element.hidden = true;
    if (this.reviews.shown) this.reviews.element.hidden = true;
    if (!this.detail.element.hidden) this.closeDetail();
    if (this.exportsView.shown) this.closeExports();
    this.report.element.hidden = false;
    this.list.element.setAttribute("inert", "");
    this.list.element.setAttribute("aria-hidden", "true");
    this.report.element.querySelector<HTMLElement>('[data-testid="report-back"]')?.focus();
    await this.report.refresh();
  }

  private closeReport(): void {
    this.report.element.hidden = true;
    this.list.element.removeAttribute("inert");
    this.list.element.removeAttribute("aria-hidden");
    this.list.focusSearch();
  }

  private async openAudit(): Promise<void> {
    if (!this.audit || this.audit.shown) return;
    if (this.settings?.shown && !(await this.leaveSettings())) return;
    if (!this.detail.element.hidden) this.closeDetail();
    if (this.report.shown) this.closeReport();
    if (this.reviews.shown) this.reviews.element.hidden = true;
    if (this.exportsView.shown) this.closeExports();
    this.audit.element.hidden = false;
    this.list.element.setAttribute("inert", "");
    this.list.element.setAttribute("aria-hidden", "true");
    this.audit.element.querySelector<HTMLElement>('[data-testid="audit-back"]')?.focus();
    await this.audit.refresh();
  }

  private closeAudit(): void {
    if (!this.audit) return;
    this.audit.element.hidden = true;
    this.list.element.removeAttribute("inert");
    this.list.element.removeAttribute("aria-hidden");
    this.list.focusSearch();
  }

  private async openSettings(): Promise<void> {
    if (!this.settings || this.settings.shown) return;
    if (this.audit?.shown) this.audit.element.hidden = true;
    if (!this.detail.element.hidden) this.closeDetail();
    if (this.report.shown) this.closeReport();
    if (this.reviews.shown) this.reviews.element.hidden = true;
    if (this.exportsView.shown) this.closeExports();
    this.settings.element.hidden = false;
    this.list.element.setAttribute("inert", "");
    this.list.element.setAttribute("aria-hidden", "true");
    await this.settings.open();
    this.settings.element.querySelector<HTMLElement>('[data-testid="settings-back"]')?.focus();
  }

  /** Hides the Settings screen (the screen itself asked about unsaved edits). */
  private closeSettings(): void {
    if (!this.settings) return;
    this.settings.close();
    this.settings.element.hidden = true;
    this.list.element.removeAttribute("inert");
    this.list.element.removeAttribute("aria-hidden");
    this.list.focusSearch();
  }

  /** Leaves Settings for another screen; false when the user keeps unsaved edits. */
  private async leaveSettings(): Promise<boolean> {
    if (!this.settings?.shown) return true;
    if (!(await this.settings.requestClose())) return false;
    this.settings.element.hidden = true;
    return true;
  }

  /**
   * The catalogue or the consent channels changed in Settings: reload them in place (every
   * view shares these arrays), so the next create form, mapping grid and the list use them.
   */
  private async reloadCatalogue(): Promise<void> {
    try {
      const [fields, channels, filters] = await Promise.all([fieldCatalogue(), consentChannels(), filterFields()]);
      this.boot.fields.splice(0, this.boot.fields.length, ...fields);
      this.boot.channels.splice(0, this.boot.channels.length, ...channels);
      this.boot.filterFields.splice(0, this.boot.filterFields.length, ...filters);
      this.list.catalogueChanged();
    } catch (err) {
      showError(err);
    }
  }

  private openMenu(): void {
    if (this.createButton.disabled) return;
    this.createMenu.hidden = false;
    this.createButton.setAttribute("aria-expanded", "true");
    this.createMenu.querySelector<HTMLElement>('[role="menuitem"]:not([hidden])')?.focus();
  }

  private closeMenu(): void {
    this.createMenu.hidden = true;
    this.createButton.setAttribute("aria-expanded", "false");
  }

  private openWizard(): void {
    if (this.wizard || !this.can("profile.create")) return;
    this.wizard = new CreateWizard({
      fields: this.boot.fields,
      channels: this.boot.channels,
      onSaved: (result) => this.afterCreate(result),
      onOpenProfile: (id) => void this.openDetail(id),
      onClosed: () => {
        this.wizard = null;
      },
      returnFocus: this.createButton,
    });
    this.wizard.open(document.body);
  }

  private afterCreate(result: SaveResult): void {
    showToast(result.message);
    void this.list.refresh();
    const o = result.outcome;
    if (o.outcome === "created" || o.outcome === "updated") void this.openDetail(o.profileId);
  }

  /** After a delete from the detail: say so, close the detail, refresh the list and its counts. */
  private afterDelete(result: DeleteResult): void {
    showToast(deletedMessage(result));
    this.list.clearSelection();
    this.closeDetail();
    void this.list.refresh();
  }

  private async openDetail(id: number): Promise<void> {
    this.report.element.hidden = true;
    this.exportsView.element.hidden = true;
    this.detail.element.hidden = false;
    // The list stays laid out underneath (keeping its scroll position) but
    // out of reach of Tab and screen readers.
    this.list.element.setAttribute("inert", "");
    this.list.element.setAttribute("aria-hidden", "true");
    await this.detail.show(id);
    if (!this.detail.element.contains(document.activeElement)) {
      this.detail.element.querySelector<HTMLElement>('[data-testid="detail-back"]')?.focus();
    }
  }

  private closeDetail(): void {
    this.detail.element.hidden = true;
    this.detail.element.replaceChildren();
    if (this.reviews.shown) {
      // Opened from the merge review screen: back to it, as it was.
      void this.reviews.reload();
      this.reviews.element.querySelector<HTMLElement>('[data-testid="review-list-back"], [data-testid="review-back"]')?.focus();
      return;
    }
    this.list.element.removeAttribute("inert");
    this.list.element.removeAttribute("aria-hidden");
    this.list.focusSearch();
  }

  private onGlobalKey(e: KeyboardEvent): void {
    if (this.wizard || this.importWizard || e.defaultPrevented) return;
    const typing =
      e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
    const listShown =
      this.detail.element.hidden &&
      this.report.element.hidden &&
      !this.exportsView.shown &&
      !this.settings?.shown &&
      !this.audit?.shown &&
      !this.reviews.shown;
    if (listShown && !typing && (e.key === "/" || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f"))) {
      e.preventDefault();
      this.list.focusSearch();
    } else if (e.key === "Escape" && !this.report.element.hidden) {
      this.closeReport();
    } else if (e.key === "Escape" && this.audit?.shown) {
      this.closeAudit();
    } else if (e.key === "Escape" && this.exportsView.shown) {
      this.closeExports();
    } else if (this.reviews.shown && this.detail.element.hidden) {
      // The merge review screen handles its own keys (Escape goes back a level).
    } else if (this.settings?.shown) {
      // The Settings screen handles its own keys (Escape asks about unsaved edits first).
    } else if (e.key === "Escape" && !listShown && !this.detail.editing) {
      // Focus may be outside the detail (e.g. on the body after a click).
      this.closeDetail();
    }
  }
}

/** What the start-up check said, for the app once someone is signed in. */
let startup: { notice: string | null; autoBackup: AutoBackupStatus } = { notice: null, autoBackup: { state: "notDue" } };

async function start(notice: string | null = null): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  // index.html already shows a static frame with "Opening Profile Desk…" (first paint before
  // any script); it stays until the app replaces it. The core checks the database first
  // (startupStatus waits for that): a damaged one gets the recovery screen instead of the app.
  try {
    const status = await startupStatus();
    if (status.state === "damaged") {
      showRecovery(root, status.report);
      return;
    }
    startup = { notice: notice ?? status.notice, autoBackup: status.autoBackup };
    route(root, await startScreen());
  } catch (err) {
    bootFailed(root, err);
  }
}

/** The recovery screen, in a frame without toolbar (there is no store to act on). */
function showRecovery(root: HTMLElement, report: DamageReport): void {
  const screen = new RecoveryScreen({ report, onRecovered: (restored) => void start(restored.message) });
  root.replaceChildren(
    h(
      "div",
      { class: "app" },
      h(
        "header",
        { class: "topbar" },
        h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "P"), h("span", { class: "brand-name" }, "Profile Desk")),
      ),
      h("main", { class: "main" }, screen.element),
    ),
  );
}

/** Shows the first-run, sign-in or lock screen, or boots the app once someone is signed in. */
function route(root: HTMLElement, screen: StartScreen): void {
  const next = (s: StartScreen): void => route(root, s);
  switch (screen.screen) {
    case "firstRun":
      root.replaceChildren(firstRunScreen(screen, next));
      return;
    case "signIn":
      root.replaceChildren(signInScreen(screen, next));
      return;
    case "locked":
      root.replaceChildren();
      new LockScreen(root, next).show(screen.user);
      return;
    case "ready":
      void boot(root, screen.session, screen.idleLockMinutes);
  }
}

async function boot(root: HTMLElement, s: Session, idleLockMinutes: number): Promise<void> {
  try {
    // A custom role may lack profile.view (an auditor, a settings-only role): the list's data
    // is then not asked for at all; the core would refuse it.
    const canView = s.permissions.includes("profile.view");
    const [info, fields, channels, columns, filters] = await Promise.all([
      appInfo(),
      fieldCatalogue(),
      consentChannels(),
      canView ? listColumns() : Promise.resolve([]),
      canView ? filterFields() : Promise.resolve([]),
    ]);
    const app = new App(root, { session: s, idleLockMinutes, info, fields, channels, columns, filterFields: filters });
    app.start(startup.notice, startup.autoBackup);
    startup = { notice: null, autoBackup: { state: "notDue" } };
  } catch (err) {
    bootFailed(root, err);
  }
}

function bootFailed(root: HTMLElement, err: unknown): void {
  root.replaceChildren(
    h(
      "div",
      { class: "boot boot-error", role: "alert", "data-testid": "error-banner" },
      h("h1", null, "Profile Desk could not start"),
      h("p", null, errorMessage(err)),
      h("button", { type: "button", class: "button button-primary", onclick: () => void start() }, "Try again"),
    ),
  );
}

void start();
