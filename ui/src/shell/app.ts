// The app once someone is signed in: the top bar, the home screen (the list), the screens the
// registry shows over it, the background-job panels, the create/import wizards, the idle lock
// and the core's events. Each screen comes from its feature folder (`<feature>/screen.ts`).
import { h } from "./dom";
import { AboutDialog } from "./about";
import { auditScreen } from "../audit/screen";
import { AuditView } from "../audit/auditView";
import { CreateWizard } from "../profile/createWizard";
import { savedToast } from "../profile/createMatches";
import { deletedMessage } from "../profile/deleteDialog";
import { DetailView } from "../profile/detail";
import { DETAIL_SCREEN, detailScreen } from "../profile/screen";
import { ExportDialog } from "../export/exportDialog";
import { ExportsPanel, ExportsView } from "../export/exportsView";
import { EXPORTS_SCREEN, exportsScreen } from "../export/screen";
import { JobsPanel, handleImportFinished } from "../import/importJobs";
import { ImportReport } from "../import/importReport";
import { ImportWizard, type ImportMode } from "../import/importWizard";
import { REPORT_SCREEN, reportScreen } from "../import/screen";
import { IdleLock } from "../session/idleLock";
import { ListView } from "../list/list";
import { MergeReviewView } from "../review/mergeReview";
import { ConflictReviewView } from "../conflicts/conflictReview";
import { CONFLICTS_SCREEN, conflictsScreen } from "../conflicts/screen";
import { REVIEW_SCREEN, reviewScreen } from "../review/screen";
import { LockScreen } from "../session/signIn";
import { UserMenu } from "../session/userMenu";
import { SettingsView } from "../settings/settingsView";
import { SETTINGS_SCREEN, settingsScreen } from "../settings/screen";
import { BackupChip } from "./backupChip";
import { SyncChip } from "./syncChip";
import {
  consentChannels,
  exportJobs,
  fieldCatalogue,
  filterFields,
  importJobs,
  lockSession,
  onAutoBackup,
  onExportFinished,
  onExportProgress,
  onImportDrag,
  onImportFilesDropped,
  onImportFinished,
  onSyncChanged,
  onSyncConfig,
  onImportProgress,
  onJobMail,
  onSessionLost,
  openDemo,
  signOut,
  startScreen,
  touchSession,
  type AppInfo,
  type AutoBackupStatus,
  type ConsentChannel,
  type DeleteResult,
  type FieldDef,
  type FilterField,
  type SaveResult,
  type Session,
  type StartScreen,
} from "../ipc";
import { Menu } from "./menu";
import { m } from "./messages";
import { ScreenRegistry } from "./screens";
import { mountNotices, showError, showToast } from "./toast";
import { keepOnOneRow } from "./topbarFit";
import { Shortcuts, undoNewestImport } from "./shortcuts";

export interface Boot {
  session: Session;
  idleLockMinutes: number;
  info: AppInfo;
  fields: FieldDef[];
  channels: ConsentChannel[];
  columns: string[];
  filterFields: FilterField[];
}

export class App {
  private readonly list: ListView;
  private readonly detail: DetailView;
  private readonly screens: ScreenRegistry;
  private wizard: CreateWizard | null = null;
  /** Opens Settings → Remote CDP (null for users who may not open Settings). */
  private openSyncSettings: (() => void) | null = null;
  private importWizard: ImportWizard | null = null;
  /** Shows while the daily backup runs (after the first page). */
  private readonly backupChip = new BackupChip();
  private readonly jobsPanel = new JobsPanel();
  private readonly report: ImportReport;
  private readonly exportsPanel = new ExportsPanel();
  private readonly exportsView: ExportsView;
  private readonly refreshReviewCount: () => Promise<void>;
  private readonly createMenu: Menu;
  private readonly can: (permission: string) => boolean;
  private readonly lockScreen: LockScreen;
  /** Shown while files are dragged over the window. */
  private readonly dropOverlay = h(
    "div",
    { class: "drop-overlay", "data-testid": "drop-overlay", hidden: true, "aria-hidden": "true" },
    h("div", { class: "drop-overlay-card" }, h("strong", null, m.dropTitle), h("span", null, m.dropHint)),
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
    const canView = this.can("profile.view");

    this.list = new ListView({
      fields: boot.fields,
      columns: boot.columns,
      canCreate,
      canDelete,
      onOpen: (id) => this.openDetail(id),
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
    const main = h("main", { class: "main" }, this.list.element);
    this.screens = new ScreenRegistry(main, {
      element: this.list.element,
      focus: () => this.list.focusSearch(),
      actions: { deleteSelected: () => this.list.deleteSelected() },
    });

    // The screens (the one shown last lies on top of those it stacks over).
    const reviews = new MergeReviewView({
      can: this.can,
      onBack: () => this.screens.close(REVIEW_SCREEN),
      onChanged: () => {
        void this.list.refresh();
        void this.refreshReviewCount();
      },
      onOpenProfile: (id) => this.openDetail(id),
    });
    const review = reviewScreen(reviews, { canView });
    this.refreshReviewCount = review.refreshCount;
    this.screens.register(review.screen);

    const detail = (this.detail = new DetailView({
      fields: boot.fields,
      channels: boot.channels,
      canEdit: this.can("profile.edit"),
      canDelete,
      onBack: () => this.screens.close(DETAIL_SCREEN),
      onChanged: () => void this.list.refresh(),
      onDeleted: (result) => this.afterDelete(result),
    }));
    this.screens.register(detailScreen(detail));

    this.report = new ImportReport({
      onBack: () => this.screens.close(REPORT_SCREEN),
      onChanged: () => void this.list.refresh(),
      onShowProfiles: (jobId) => {
        this.screens.close(REPORT_SCREEN);
        this.list.showJobProfiles(jobId);
      },
      onShowReviews: (jobId) => void this.screens.show(REVIEW_SCREEN, jobId),
    });
    // Ctrl+Z on the report: the newest import's Undo (it asks first).
    this.screens.register({ ...reportScreen(this.report, { canView }), actions: { undo: () => undoNewestImport(this.report.element) } });

    this.exportsView = new ExportsView({ onBack: () => this.screens.close(EXPORTS_SCREEN) });
    if (this.can("profile.export")) this.screens.register(exportsScreen(this.exportsView));

    // Users without settings.manage do not get the Settings screen at all (the core refuses
    // every settings command anyway).
    if (this.can("settings.manage")) {
      const settings: SettingsView = new SettingsView({
        context: {
          session: boot.session,
          catalogueChanged: () => void this.reloadCatalogue(),
          idleLockChanged: (minutes) => this.idle.setMinutes(minutes),
          openProfile: (id) => this.openDetail(id),
          openConflicts: () => void this.screens.show(CONFLICTS_SCREEN, undefined),
        },
        onBack: () => this.screens.close(settingsView.id),
      });
      const settingsView = settingsScreen(settings);
      this.screens.register(settingsView);
      this.openSyncSettings = () => {
        if (this.screens.current === SETTINGS_SCREEN) void settings.open("remote");
        else void this.screens.show(SETTINGS_SCREEN, "remote");
      };
    }

    const conflicts = new ConflictReviewView({
      fields: boot.fields,
      canEdit: this.can("profile.edit"),
      onBack: () => this.screens.close(CONFLICTS_SCREEN),
      onChanged: () => void this.list.refresh(),
      onOpenProfile: (id) => this.openDetail(id),
    });
    this.screens.register(conflictsScreen(conflicts));

    // The audit log only for audit.view (the core refuses its commands to others anyway).
    if (this.can("audit.view")) {
      const audit = auditScreen(new AuditView({ onBack: () => this.screens.close(audit.id) }));
      this.screens.register(audit);
    }

    // Users without profile.import do not see the import items (the core refuses anyway).
    const importItems = canImport
      ? [
          { testid: "import-upload-file", title: m.uploadFile, hint: m.uploadFileHint, run: () => this.openImport("file") },
          { testid: "import-paste-data", title: m.pasteData, hint: m.pasteDataHint, run: () => this.openImport("paste") },
        ]
      : [];
    this.createMenu = new Menu({
      button: h(
        "button",
        {
          type: "button",
          class: "button button-primary",
          "data-testid": "create-profile-button",
          disabled: !canCreate && !canImport,
          title: canCreate || canImport ? null : m.requiresPermission("profile.create"),
        },
        h("span", { "aria-hidden": "true", class: "button-icon icon-plus" }),
        m.createProfile,
        h("span", { "aria-hidden": "true", class: "caret" }),
      ),
      testid: "create-menu",
      arrowDownOpens: true,
      closeOnFocusOut: true,
      items: [
        {
          testid: "create-individually",
          title: m.createIndividually,
          hint: m.createIndividuallyHint,
          hidden: !canCreate,
          run: () => this.openWizard(),
        },
        ...importItems,
      ],
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
        info.dev ? h("span", { class: "badge badge-dev", title: m.devTitle(info.dataPath) }, m.devBadge) : null,
        info.demo
          ? h(
              "span",
              { class: "badge badge-demo", "data-testid": "demo-badge", title: m.demoTitle(info.dataPath) },
              m.demoBadge,
            )
          : null,
      ),
      h("div", { class: "toolbar-spacer" }),
      this.backupChip.element,
      new SyncChip({ settings: this.openSyncSettings, conflicts: canView ? () => void this.screens.show(CONFLICTS_SCREEN, undefined) : null }).element,
      new UserMenu({
        session: s,
        title: m.signedInAs(s.userName, info.version),
        onLock: () => void this.lockNow(),
        onSignOut: () => void signOut().finally(() => location.reload()),
        // Unsaved edits on a screen are asked about first; the core keeps the session
        // through the reload, so the window comes back signed in (boot.ts), in the new language.
        canLeave: () => this.screens.canLeaveAll(),
        onLangChanged: () => location.reload(),
      }).element,
      h(
        "button",
        {
          type: "button",
          class: "button button-ghost",
          "data-testid": "about-button",
          title: m.aboutButtonTitle,
          "aria-label": m.aboutButton,
          onclick: (e: Event) => new AboutDialog({ info, returnFocus: e.currentTarget as HTMLElement }).open(document.body),
        },
        h("span", { class: "about-icon", "aria-hidden": "true" }),
        h("span", { class: "about-label" }, m.aboutButton),
      ),
      this.screens.navButtons(),
      this.createMenu.element,
    );

    const banner = h("div", { class: "banner-region" });
    const toasts = h("div", { class: "toast-region", "aria-live": "polite" });
    mountNotices(toasts, banner);
    const demoStrip = info.demo
      ? h(
          "div",
          { class: "demo-strip", role: "note", "data-testid": "demo-strip" },
          h("strong", null, m.demoStripTitle),
          m.demoStripText,
        )
      : null;
    const app = h("div", { class: "app" }, topbar, demoStrip, banner, main);
    root.replaceChildren(app, this.jobsPanel.element, this.exportsPanel.element, toasts, this.dropOverlay);
    keepOnOneRow(topbar);
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
    document.addEventListener("keydown", (e) => this.screens.onKey(e));
    const shortcuts = new Shortcuts({
      actions: () => this.screens.actions,
      newProfile: canCreate ? () => this.openWizard() : null,
      enabled: () => !this.lockScreen.shown,
      sheet: { save: this.can("profile.edit"), deleteSelected: canDelete, undo: canImport && canView },
    });
    document.addEventListener("keydown", (e) => shortcuts.onKey(e));
    // Colleagues' changes that a sync round brought down show at once.
    void onSyncConfig(() => void this.reloadCatalogue());
    void onSyncChanged(() => {
      void this.list.refresh();
      void this.detail.refresh();
      void this.refreshReviewCount();
    });
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
          h("h2", null, m.noViewTitle),
          h("p", null, m.noViewText),
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
      this.backupChip.show(status);
      if (told || status.state !== "failed") return;
      told = true;
      showError(new Error(status.message));
    };
    tell(initial);
    // The backup starts after the list's first page, so usually after this: always listen.
    try {
      await onAutoBackup(tell);
    } catch {
      // No event channel (unit tests): the Settings → Backup list still shows the result.
    }
  }

  private async openDemo(): Promise<void> {
    try {
      await openDemo();
      showToast(m.openingDemo, "info");
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
      showToast(m.noImportPermission, "info");
      return;
    }
    if (this.importWizard) {
      if (!this.importWizard.addDroppedFiles(paths)) {
        showToast(m.closePasteFirst, "info");
      }
      return;
    }
    if (this.wizard) {
      showToast(m.finishProfileFirst, "info");
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
          openReport: () => void this.screens.show(REPORT_SCREEN, undefined),
          // Reviews show profiles: only for users who can see them, like the top-bar button.
          openReviews: this.can("profile.view") ? (jobId) => void this.screens.show(REVIEW_SCREEN, jobId) : undefined,
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
      returnFocus: this.createMenu.button,
    });
    this.importWizard = wizard;
    wizard.open(document.body);
    return wizard;
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

  private openWizard(): void {
    if (this.wizard || !this.can("profile.create")) return;
    this.wizard = new CreateWizard({
      fields: this.boot.fields,
      channels: this.boot.channels,
      onSaved: (result) => this.afterCreate(result),
      onOpenProfile: (id) => this.openDetail(id),
      onClosed: () => {
        this.wizard = null;
      },
      returnFocus: this.createMenu.button,
    });
    this.wizard.open(document.body);
  }

  private openDetail(id: number): void {
    void this.screens.show(DETAIL_SCREEN, id);
  }

  private afterCreate(result: SaveResult): void {
    // A merge review left instead of a save: a warning whose action opens that review.
    savedToast(result, this.can("profile.view") ? (reviewId) => void this.screens.show(REVIEW_SCREEN, { reviewId }) : null);
    void this.list.refresh();
    const o = result.outcome;
    if (o.outcome === "created" || o.outcome === "updated") this.openDetail(o.profileId);
    else void this.refreshReviewCount();
  }

  /** After a delete from the detail: say so, close the detail, refresh the list and its counts. */
  private afterDelete(result: DeleteResult): void {
    showToast(deletedMessage(result));
    this.list.clearSelection();
    this.screens.close(DETAIL_SCREEN);
    void this.list.refresh();
  }
}
