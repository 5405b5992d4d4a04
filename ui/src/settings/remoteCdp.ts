// Remote CDP (issue 13; SYNC.md §6.4): connect this computer to the company's CDP server —
// server address, the account there, a name for this computer — and, once connected, what
// sync is doing: changes waiting, the last sync, the last error in words, Sync now, Pause,
// Disconnect; how many field conflicts wait (decided in conflict review) and the changes it
// refused. The device's sign-in lives in this computer's keychain.
import { h, uid } from "../shell/dom";
import {
  onSyncStatus,
  syncConflicts,
  syncConnect,
  syncDisconnect,
  syncNow,
  syncPause,
  syncRedownload,
  syncRejections,
  syncSetImportHold,
  syncMergeNotices,
  syncRetryRejected,
  syncDiscardRejected,
  syncStatus,
  type MergeNotice,
  type Rejection,
  type SyncConflict,
  type SyncStatus,
} from "../ipc";
import { confirmDialog } from "../shell/confirmDialog";
import { formatDateTime } from "../shell/format";
import { clockOffText } from "../shell/syncChip";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";
import { common } from "../i18n/common";
import { m } from "./messages";

/** The state of sync in a few words: what the status chip and the section both say. */
export function syncStateText(s: SyncStatus): string {
  if (!s.connected) return m.stateNotConnected;
  if (s.paused) return m.statePaused;
  if (s.lastError && s.lastErrorKind === "offline") {
    return s.pendingOps > 0 ? m.stateOfflineWaiting(s.pendingOps) : m.stateOffline;
  }
  if (s.lastError && s.lastErrorKind === "signIn") return m.stateSignIn;
  if (s.lastError && s.lastErrorKind === "busy") return m.stateBusy;
  if (s.lastError) return m.stateProblem;
  if (s.phase === "initialPush" || s.phase === "snapshot") return m.stateFirstSync;
  if (s.pendingOps > 0) return m.stateWaiting(s.pendingOps);
  return s.lastSyncAt ? m.stateSynced : m.stateNotSynced;
}

class RemoteCdp implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body = h("div", { class: "settings-body" }, loadingPanel(m.remoteWhat));
  private readonly general = h("div", { class: "general-errors", role: "alert", "data-testid": "sync-error" });
  private unlisten: (() => void) | null = null;
  private disposed = false;

  constructor(private readonly ctx: SettingsContext) {
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-remote" },
      sectionHead(m.remoteTitle, m.remoteDescription),
      this.general,
      this.body,
    );
    void onSyncStatus((status) => {
      if (!this.disposed) void this.load(status);
    }).then((un) => {
      if (this.disposed) un();
      else this.unlisten = un;
    });
    void this.load();
  }

  dispose(): void {
    this.disposed = true;
    this.unlisten?.();
  }

  private async load(known?: SyncStatus): Promise<void> {
    try {
      const status = known ?? (await syncStatus());
      if (!status.connected) {
        this.renderConnectForm();
        return;
      }
      const [conflicts, rejections, merged] = await Promise.all([
        syncConflicts(),
        syncRejections(),
        status.mergedOnServer > 0 ? syncMergeNotices() : Promise.resolve([]),
      ]);
      this.renderConnected(status, conflicts, rejections, merged);
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.remoteWhat, errorMessage(err), () => void this.load()));
    }
  }

  private renderConnectForm(): void {
    if (this.body.querySelector('[data-testid="sync-connect-form"]')) return;
    // `shown`: what stands for the input when it is not shown itself (the CA file's button).
    const field = (key: string, label: string, input: HTMLInputElement, hint?: string, shown?: HTMLElement): HTMLElement => {
      const id = uid(`sync-${key}`);
      input.id = id;
      input.setAttribute("data-testid", `sync-${key}`);
      return h(
        "div",
        { class: "field" },
        h("label", { class: "field-label", for: id }, label),
        shown ?? input,
        hint ? h("p", { class: "muted small" }, hint) : null,
      );
    };
    const url = h("input", { type: "text", inputmode: "url", placeholder: "https://cdp.example.vn", autocomplete: "url", spellcheck: "false", required: true });
    const user = h("input", { type: "text", autocomplete: "username", spellcheck: "false", required: true });
    const password = h("input", { type: "password", autocomplete: "current-password", required: true });
    const device = h("input", { type: "text", placeholder: m.devicePlaceholder, required: true });
    const pin = h("input", { type: "text", placeholder: "sha256/…", spellcheck: "false", autocomplete: "off" });
    // The webview's own file control speaks the OS's language: a button of ours opens it.
    const caName = h("span", { class: "muted small", "data-testid": "sync-ca-file-name" }, m.trustNoFile);
    const caFile = h("input", {
      type: "file",
      accept: ".pem,.crt,.cer,application/x-pem-file",
      onchange: () => {
        caName.textContent = caFile.files?.[0]?.name ?? m.trustNoFile;
      },
    });
    const caPick = h(
      "div",
      { class: "sync-file-pick" },
      h("button", { type: "button", class: "button button-secondary", "data-testid": "sync-ca-file-choose", onclick: () => caFile.click() }, m.trustChooseFile),
      caName,
      caFile,
    );
    const trust = h(
      "details",
      { class: "sync-trust", "data-testid": "sync-trust" },
      h("summary", null, m.trustTitle),
      h("p", { class: "muted small" }, m.trustIntro),
      field("ca-file", m.trustCaFile, caFile, m.trustCaFileHint, caPick),
      field("pin", m.trustPin, pin, m.trustPinHint),
    );
    const connect = h("button", { type: "submit", class: "button button-primary", "data-testid": "sync-connect" }, m.connect);
    const form = h(
      "form",
      {
        class: "card sync-connect-form",
        "data-testid": "sync-connect-form",
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.connect(url.value, user.value, password.value, device.value, { pin: pin.value, caFile: caFile.files?.[0] ?? null }, connect);
        },
      },
      h("h3", { class: "card-title" }, m.connectTitle),
      field("url", m.serverAddress, url, m.serverAddressHint),
      field("user", m.serverUser, user),
      field("password", m.serverPassword, password, m.serverPasswordHint),
      field("device", m.deviceName, device, m.deviceNameHint),
      trust,
      h("p", { class: "muted small" }, m.connectNote),
      h("div", { class: "sync-actions" }, connect),
    );
    this.body.replaceChildren(form);
    url.focus();
  }

  private async connect(
    url: string,
    user: string,
    password: string,
    device: string,
    trust: { pin: string; caFile: File | null },
    button: HTMLButtonElement,
  ): Promise<void> {
    this.general.textContent = "";
    const pin = trust.pin.trim();
    if (pin && trust.caFile) {
      this.general.textContent = m.trustBoth;
      return;
    }
    button.disabled = true;
    button.textContent = m.connecting;
    try {
      // The webview reads the file the user picked; the core gets its text, never a path.
      const caPem = trust.caFile ? await trust.caFile.text() : null;
      const status = await syncConnect(url.trim(), user.trim(), password, device.trim(), { pin: pin || null, caPem });
      showToast(m.connected(status.serverUrl ?? url));
      await this.load(status);
    } catch (err) {
      this.general.textContent = errorMessage(err);
      button.disabled = false;
      button.textContent = m.connect;
    }
  }

  private renderConnected(s: SyncStatus, conflicts: SyncConflict[], rejections: Rejection[], merged: MergeNotice[]): void {
    const row = (label: string, value: string | HTMLElement, testid: string): HTMLElement =>
      h("div", { class: "kv" }, h("dt", null, label), h("dd", { "data-testid": testid }, value));
    const state = syncStateText(s);
    const clock = clockOffText(s.clockOffsetMs);
    const facts = h(
      "dl",
      { class: "kv-list sync-facts" },
      row(m.factServer, s.serverUrl ?? "", "sync-server"),
      row(m.factAccount, `${s.userName ?? ""} · ${s.deviceName ?? ""}`, "sync-account"),
      row(m.factState, state, "sync-state"),
      row(m.factWaiting, m.changes(s.pendingOps), "sync-pending"),
      s.heldOps > 0
        ? row(m.factHeld, m.heldChanges(s.heldOps, s.heldUntil ? formatDateTime(s.heldUntil) : m.theNextSync), "sync-held")
        : null,
      row(m.factLastSync, s.lastSyncAt ? formatDateTime(s.lastSyncAt) : m.never, "sync-last"),
      row(m.factMerged, m.mergedCount(s.mergedOnServer), "sync-merged"),
      row(m.factTrust, trustText(s), "sync-trust-state"),
      s.lastError
        ? h(
            "div",
            { class: "kv kv-wide" },
            h("dt", null, m.factLastError),
            h(
              "dd",
              { class: "field-error", "data-testid": "sync-last-error" },
              s.nextAttemptAt ? m.nextTry(s.lastError, formatDateTime(s.nextAttemptAt)) : s.lastError,
            ),
          )
        : null,
      clock
        ? h(
            "div",
            { class: "kv kv-wide" },
            h("dt", null, m.factClock),
            h(
              "dd",
              { class: "field-error", "data-testid": "sync-clock" },
              s.clockOffsetMs > 0 ? m.clockAhead(clock) : m.clockBehind(clock),
            ),
          )
        : null,
    );
    const now = h(
      "button",
      {
        type: "button",
        class: "button button-primary",
        "data-testid": "sync-now",
        disabled: s.paused,
        onclick: () => void syncNow().then(() => showToast(m.syncing), (err) => (this.general.textContent = errorMessage(err))),
      },
      m.syncNow,
    );
    const pause = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "sync-pause",
        onclick: () => void syncPause(!s.paused).then((st) => this.load(st), (err) => (this.general.textContent = errorMessage(err))),
      },
      s.paused ? m.resume : m.pause,
    );
    const redownload = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "sync-redownload",
        disabled: s.paused || s.phase !== "pull",
        onclick: () => void this.redownload(),
      },
      m.redownload,
    );
    const disconnect = h(
      "button",
      { type: "button", class: "button button-ghost", "data-testid": "sync-disconnect", onclick: () => void this.disconnect(s) },
      m.disconnectMenu,
    );
    const rejected = this.rejectionsCard(rejections);
    const notices = this.mergeNoticesCard(merged);
    this.body.replaceChildren(
      h("div", { class: "card" }, facts, h("div", { class: "sync-actions" }, now, pause, redownload, h("div", { class: "toolbar-spacer" }), disconnect)),
      ...(notices ? [notices] : []),
      this.conflictsCard(conflicts),
      ...(rejected ? [rejected] : []),
      this.undoWindowCard(s),
    );
  }

  /** "3 profiles you created were merged into existing customers on the server", with links. */
  private mergeNoticesCard(merged: MergeNotice[]): HTMLElement | null {
    if (merged.length === 0) return null;
    return h(
      "div",
      { class: "card", "data-testid": "sync-merge-notices" },
      h("h3", { class: "card-title" }, m.mergedTitle(merged.length)),
      h("p", { class: "muted small" }, m.mergedBody(merged.length)),
      h(
        "table",
        { class: "backup-table sync-table" },
        h("thead", null, h("tr", null, h("th", null, m.columnWhen), h("th", null, m.columnCustomer), h("th", null, ""))),
        h(
          "tbody",
          null,
          merged.map((notice, i) =>
            h(
              "tr",
              { "data-testid": `sync-merge-notice-${i}` },
              h("td", null, formatDateTime(notice.at)),
              h("td", null, notice.profileId === null ? h("span", { class: "muted" }, m.deletedSince) : (notice.label ?? m.profileNumber(notice.profileId))),
              h(
                "td",
                { class: "sync-row-actions" },
                notice.profileId !== null && this.ctx.openProfile
                  ? h(
                      "button",
                      {
                        type: "button",
                        class: "button button-secondary",
                        "data-testid": `sync-merge-open-${i}`,
                        onclick: () => {
                          if (notice.profileId !== null) this.ctx.openProfile?.(notice.profileId);
                        },
                      },
                      m.open,
                    )
                  : null,
              ),
            ),
          ),
        ),
      ),
    );
  }

  /** How long an import's changes wait here so Undo import works (SYNC.md §3). */
  private undoWindowCard(s: SyncStatus): HTMLElement {
    const id = uid("sync-hold");
    const minutes = h("input", {
      id,
      type: "number",
      min: "0",
      max: "1440",
      step: "1",
      value: String(s.importHoldMinutes),
      class: "sync-hold-input",
      "data-testid": "sync-hold-minutes",
    });
    const save = h("button", { type: "submit", class: "button button-secondary", "data-testid": "sync-hold-save" }, common.save);
    const error = h("p", { class: "field-error", role: "alert" });
    return h(
      "form",
      {
        class: "card",
        "data-testid": "sync-hold",
        onsubmit: (e: Event) => {
          e.preventDefault();
          error.textContent = "";
          const value = Number(minutes.value);
          if (!Number.isInteger(value) || value < 0 || value > 1440) {
            error.textContent = m.holdInvalid;
            return;
          }
          void syncSetImportHold(value).then(
            (st) => {
              showToast(value === 0 ? m.holdNone : m.holdMinutes(value));
              void this.load(st);
            },
            (err) => (error.textContent = errorMessage(err)),
          );
        },
      },
      h("h3", { class: "card-title" }, m.undoWindow),
      h("p", { class: "muted small" }, m.undoWindowHint),
      h("div", { class: "sync-actions" }, h("label", { for: id, class: "sync-hold-label" }, m.holdFor), minutes, h("span", null, m.minutes), save),
      error,
    );
  }

  /** How many conflicts wait, and the way to conflict review (where they are decided). */
  private conflictsCard(conflicts: SyncConflict[]): HTMLElement {
    const open = conflicts.filter((c) => c.open);
    if (open.length === 0) {
      return h("div", { class: "card", "data-testid": "sync-conflicts" }, h("h3", { class: "card-title" }, m.conflicts), h("p", { class: "muted" }, m.noConflicts));
    }
    const profiles = new Set(open.map((c) => c.gid)).size;
    return h(
      "div",
      { class: "card", "data-testid": "sync-conflicts" },
      h("h3", { class: "card-title" }, m.conflictsTitle(open.length)),
      h("p", { class: "muted small" }, m.conflictsBody(profiles)),
      this.ctx.openConflicts
        ? h("div", { class: "sync-actions" }, h("button", { type: "button", class: "button button-primary", "data-testid": "sync-conflicts-review", onclick: () => this.ctx.openConflicts?.() }, m.reviewConflicts))
        : null,
    );
  }

  private rejectionsCard(rejections: Rejection[]): HTMLElement | null {
    if (rejections.length === 0) return null;
    return h(
      "div",
      { class: "card", "data-testid": "sync-rejections" },
      h("h3", { class: "card-title" }, m.refusedTitle(rejections.length)),
      h("p", { class: "muted small" }, m.refusedHint),
      h(
        "table",
        { class: "backup-table sync-table" },
        h("thead", null, h("tr", null, h("th", null, m.columnWhen), h("th", null, m.columnChange), h("th", null, m.columnReason), h("th", null, ""))),
        h(
          "tbody",
          null,
          rejections.map((r) =>
            h(
              "tr",
              { "data-testid": `sync-rejection-${r.opId}` },
              h("td", null, formatDateTime(r.at)),
              h("td", null, m.changeKind(r.kind)),
              h("td", null, r.detail),
              h(
                "td",
                { class: "sync-row-actions" },
                h(
                  "button",
                  {
                    type: "button",
                    class: "button button-secondary",
                    "data-testid": `sync-retry-${r.opId}`,
                    title: m.retryTooltip,
                    onclick: () =>
                      void syncRetryRejected(r.opId).then(
                        () => {
                          showToast(m.changeResent);
                          void this.load();
                        },
                        (err) => (this.general.textContent = errorMessage(err)),
                      ),
                  },
                  common.tryAgain,
                ),
                h(
                  "button",
                  {
                    type: "button",
                    class: "button button-ghost",
                    "data-testid": `sync-discard-${r.opId}`,
                    title: m.discardTooltip,
                    onclick: () => void this.discard(r),
                  },
                  m.discardMenu,
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  /** *Discard*, after saying what it does to the profile: the server's version comes back. */
  private async discard(r: Rejection): Promise<void> {
    const created = r.kind === "profile.create";
    const ok = await confirmDialog({
      title: m.discardChangeTitle,
      body: h("p", null, created ? m.discardCreatedBody : m.discardOtherBody),
      confirmLabel: m.discardTheChange,
      danger: true,
      testid: "sync-discard-confirm",
    });
    if (!ok) return;
    try {
      // The command tells the shell (sync-changed): the list reloads.
      await syncDiscardRejected(r.opId);
      showToast(created ? m.refusedProfileRemoved : m.serverVersionBack);
      void this.load();
    } catch (err) {
      this.general.textContent = errorMessage(err);
    }
  }

  private async redownload(): Promise<void> {
    const yes = await confirmDialog({
      title: m.redownloadTitle,
      body: m.redownloadBody,
      confirmLabel: m.downloadAgain,
      testid: "sync-redownload-confirm",
    });
    if (!yes) return;
    try {
      await this.load(await syncRedownload());
      showToast(m.redownloading);
    } catch (err) {
      this.general.textContent = errorMessage(err);
    }
  }

  private async disconnect(s: SyncStatus): Promise<void> {
    const waiting = s.pendingOps + s.heldOps;
    const yes = await confirmDialog({
      title: m.disconnectTitle,
      body: waiting > 0 ? m.disconnectWaiting(waiting) : m.disconnectBody,
      confirmLabel: waiting > 0 ? m.disconnectDiscard : m.disconnect,
      danger: waiting > 0,
      testid: "sync-disconnect-confirm",
    });
    if (!yes) return;
    try {
      const status = await syncDisconnect(waiting > 0);
      showToast(m.disconnected);
      await this.load(status);
    } catch (err) {
      this.general.textContent = errorMessage(err);
    }
  }
}

export const remoteCdpSection: SettingsSection = {
  id: "remote",
  get title() {
    return m.remoteTitle;
  },
  get summary() {
    return m.remoteSummary;
  },
  mount: (ctx) => new RemoteCdp(ctx),
};

/** How this computer trusts the server's certificate, in words. */
export function trustText(s: SyncStatus): string {
  if (s.certificatePin) return m.trustPinned(s.certificatePin);
  return s.customCa ? m.trustCustomCa : m.trustPlatform;
}
