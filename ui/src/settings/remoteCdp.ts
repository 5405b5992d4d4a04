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
import { formatCount, formatDateTime, humanize, plural } from "../shell/format";
import { clockOffText } from "../shell/syncChip";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";

/** The state of sync in a few words: what the status chip and the section both say. */
export function syncStateText(s: SyncStatus): string {
  if (!s.connected) return "Not connected";
  if (s.paused) return "Paused";
  if (s.lastError && s.lastErrorKind === "offline") {
    return s.pendingOps > 0 ? `Offline · ${plural(s.pendingOps, "change", "changes")} waiting` : "Offline";
  }
  if (s.lastError && s.lastErrorKind === "signIn") return "Sign in again";
  if (s.lastError && s.lastErrorKind === "busy") return "Server busy";
  if (s.lastError) return "Sync problem";
  if (s.phase === "initialPush" || s.phase === "snapshot") return "First sync in progress";
  if (s.pendingOps > 0) return `${plural(s.pendingOps, "change", "changes")} waiting`;
  return s.lastSyncAt ? "Synced" : "Not synced yet";
}

class RemoteCdp implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body = h("div", { class: "settings-body" }, loadingPanel("the sync settings"));
  private readonly general = h("div", { class: "general-errors", role: "alert", "data-testid": "sync-error" });
  private unlisten: (() => void) | null = null;
  private disposed = false;

  constructor(private readonly ctx: SettingsContext) {
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-remote" },
      sectionHead(
        "Remote CDP",
        "Sync this computer's profiles with your company's CDP server: new and changed profiles go up, colleagues' changes come down. You can keep working offline; changes wait and go up when the server can be reached.",
      ),
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
      this.body.replaceChildren(failedPanel("the sync settings", errorMessage(err), () => void this.load()));
    }
  }

  private renderConnectForm(): void {
    if (this.body.querySelector('[data-testid="sync-connect-form"]')) return;
    const field = (key: string, label: string, input: HTMLInputElement, hint?: string): HTMLElement => {
      const id = uid(`sync-${key}`);
      input.id = id;
      input.setAttribute("data-testid", `sync-${key}`);
      return h(
        "div",
        { class: "field" },
        h("label", { class: "field-label", for: id }, label),
        input,
        hint ? h("p", { class: "muted small" }, hint) : null,
      );
    };
    const url = h("input", { type: "text", inputmode: "url", placeholder: "https://cdp.example.vn", autocomplete: "url", spellcheck: "false", required: true });
    const user = h("input", { type: "text", autocomplete: "username", spellcheck: "false", required: true });
    const password = h("input", { type: "password", autocomplete: "current-password", required: true });
    const device = h("input", { type: "text", placeholder: "e.g. Lan's laptop", required: true });
    const connect = h("button", { type: "submit", class: "button button-primary", "data-testid": "sync-connect" }, "Connect");
    const form = h(
      "form",
      {
        class: "card sync-connect-form",
        "data-testid": "sync-connect-form",
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.connect(url.value, user.value, password.value, device.value, connect);
        },
      },
      h("h3", { class: "card-title" }, "Connect to a server"),
      field("url", "Server address", url, "The address your administrator gave you. Plain http:// works only for a server on this computer."),
      field("user", "User name on the server", user),
      field("password", "Password on the server", password, "Used once to register this computer; the server's sign-in is then kept in this computer's keychain."),
      field("device", "This computer's name", device, "How the server lists this computer, so an administrator can tell your devices apart."),
      h(
        "p",
        { class: "muted small" },
        "The profiles already in Profile Desk go up first; the server's synchronization rule merges them with the customers it has. Then the server's profiles come down.",
      ),
      h("div", { class: "sync-actions" }, connect),
    );
    this.body.replaceChildren(form);
    url.focus();
  }

  private async connect(url: string, user: string, password: string, device: string, button: HTMLButtonElement): Promise<void> {
    this.general.textContent = "";
    button.disabled = true;
    button.textContent = "Connecting…";
    try {
      const status = await syncConnect(url.trim(), user.trim(), password, device.trim());
      showToast(`Connected to ${status.serverUrl ?? url}: the first sync has started`);
      await this.load(status);
    } catch (err) {
      this.general.textContent = errorMessage(err);
      button.disabled = false;
      button.textContent = "Connect";
    }
  }

  private renderConnected(s: SyncStatus, conflicts: SyncConflict[], rejections: Rejection[], merged: MergeNotice[]): void {
    const row = (label: string, value: string | HTMLElement, testid: string): HTMLElement =>
      h("div", { class: "kv" }, h("dt", null, label), h("dd", { "data-testid": testid }, value));
    const state = syncStateText(s);
    const facts = h(
      "dl",
      { class: "kv-list sync-facts" },
      row("Server", s.serverUrl ?? "", "sync-server"),
      row("Account", `${s.userName ?? ""} · ${s.deviceName ?? ""}`, "sync-account"),
      row("State", state, "sync-state"),
      row("Waiting to go up", `${plural(s.pendingOps, "change", "changes")}`, "sync-pending"),
      s.heldOps > 0
        ? row(
            "Held for undo",
            `${plural(s.heldOps, "imported change", "imported changes")} until ${s.heldUntil ? formatDateTime(s.heldUntil) : "the next sync"}, so Undo import can still take ${s.heldOps === 1 ? "it" : "them"} back. Sync now sends ${s.heldOps === 1 ? "it" : "them"} at once.`,
            "sync-held",
          )
        : null,
      row("Last sync", s.lastSyncAt ? formatDateTime(s.lastSyncAt) : "Never", "sync-last"),
      row(
        "Merged on the server",
        `${plural(s.mergedOnServer, "profile", "profiles")} created here matched a customer the server had`,
        "sync-merged",
      ),
      s.lastError
        ? h(
            "div",
            { class: "kv kv-wide" },
            h("dt", null, "Last error"),
            h(
              "dd",
              { class: "field-error", "data-testid": "sync-last-error" },
              s.nextAttemptAt ? `${s.lastError} — next try at ${formatDateTime(s.nextAttemptAt)}` : s.lastError,
            ),
          )
        : null,
      clockOffText(s.clockOffsetMs)
        ? h(
            "div",
            { class: "kv kv-wide" },
            h("dt", null, "Clock"),
            h(
              "dd",
              { class: "field-error", "data-testid": "sync-clock" },
              `This computer's clock is ${clockOffText(s.clockOffsetMs)} ${s.clockOffsetMs > 0 ? "ahead of" : "behind"} the server's. Set its date and time: edits made at the same time as a colleague's are ordered by the clocks.`,
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
        onclick: () => void syncNow().then(() => showToast("Syncing…"), (err) => (this.general.textContent = errorMessage(err))),
      },
      "Sync now",
    );
    const pause = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "sync-pause",
        onclick: () => void syncPause(!s.paused).then((st) => this.load(st), (err) => (this.general.textContent = errorMessage(err))),
      },
      s.paused ? "Resume" : "Pause",
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
      "Re-download everything",
    );
    const disconnect = h(
      "button",
      { type: "button", class: "button button-ghost", "data-testid": "sync-disconnect", onclick: () => void this.disconnect(s) },
      "Disconnect…",
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
      h("h3", { class: "card-title" }, `Merged into existing customers (${formatCount(merged.length)})`),
      h(
        "p",
        { class: "muted small" },
        merged.length === 1
          ? "1 profile you created here was merged on the server into a customer it already had: the same customer, entered twice. What you entered is on that customer now."
          : `${formatCount(merged.length)} profiles you created here were merged on the server into customers it already had: the same customers, entered twice. What you entered is on them now.`,
      ),
      h(
        "table",
        { class: "backup-table sync-table" },
        h("thead", null, h("tr", null, h("th", null, "When"), h("th", null, "Customer"), h("th", null, ""))),
        h(
          "tbody",
          null,
          merged.map((m, i) =>
            h(
              "tr",
              { "data-testid": `sync-merge-notice-${i}` },
              h("td", null, formatDateTime(m.at)),
              h("td", null, m.profileId === null ? h("span", { class: "muted" }, "Deleted since") : (m.label ?? `Profile #${m.profileId}`)),
              h(
                "td",
                { class: "sync-row-actions" },
                m.profileId !== null && this.ctx.openProfile
                  ? h(
                      "button",
                      {
                        type: "button",
                        class: "button button-secondary",
                        "data-testid": `sync-merge-open-${i}`,
                        onclick: () => {
                          if (m.profileId !== null) this.ctx.openProfile?.(m.profileId);
                        },
                      },
                      "Open",
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
    const save = h("button", { type: "submit", class: "button button-secondary", "data-testid": "sync-hold-save" }, "Save");
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
            error.textContent = "Enter whole minutes from 0 to 1440 (one day).";
            return;
          }
          void syncSetImportHold(value).then(
            (st) => {
              showToast(value === 0 ? "Imports now go to the server as they run" : `Imports now wait ${plural(value, "minute", "minutes")} before they go to the server`);
              void this.load(st);
            },
            (err) => (error.textContent = errorMessage(err)),
          );
        },
      },
      h("h3", { class: "card-title" }, "Undo window for imports"),
      h(
        "p",
        { class: "muted small" },
        "An import's changes stay on this computer for a while, so Undo import can take them back before the server or any colleague sees them. Once they are sent, Undo import keeps those profiles as they are. Sync now sends them at once; 0 sends them as the import runs.",
      ),
      h("div", { class: "sync-actions" }, h("label", { for: id, class: "sync-hold-label" }, "Hold for"), minutes, h("span", null, "minutes"), save),
      error,
    );
  }

  /** How many conflicts wait, and the way to conflict review (where they are decided). */
  private conflictsCard(conflicts: SyncConflict[]): HTMLElement {
    const open = conflicts.filter((c) => c.open);
    if (open.length === 0) {
      return h("div", { class: "card", "data-testid": "sync-conflicts" }, h("h3", { class: "card-title" }, "Conflicts"), h("p", { class: "muted" }, "No conflicts: nobody changed the same field as you at the same time."));
    }
    const profiles = new Set(open.map((c) => c.gid)).size;
    return h(
      "div",
      { class: "card", "data-testid": "sync-conflicts" },
      h("h3", { class: "card-title" }, `Conflicts (${formatCount(open.length)})`),
      h(
        "p",
        { class: "muted small" },
        `Someone changed the same field as you at the same time on ${plural(profiles, "profile", "profiles")}. The server kept one value; the other is kept here, so nothing is lost. Conflict review shows both, with who changed them, where and when.`,
      ),
      this.ctx.openConflicts
        ? h("div", { class: "sync-actions" }, h("button", { type: "button", class: "button button-primary", "data-testid": "sync-conflicts-review", onclick: () => this.ctx.openConflicts?.() }, "Review conflicts"))
        : null,
    );
  }

  private rejectionsCard(rejections: Rejection[]): HTMLElement | null {
    if (rejections.length === 0) return null;
    return h(
      "div",
      { class: "card", "data-testid": "sync-rejections" },
      h("h3", { class: "card-title" }, `Changes the server refused (${formatCount(rejections.length)})`),
      h("p", { class: "muted small" }, "These changes stay here but were not applied on the server. The reason says what to do; once it is done on the server (a field added, a permission given), try the change again — or discard it, and the profile shows the server's version again."),
      h(
        "table",
        { class: "backup-table sync-table" },
        h("thead", null, h("tr", null, h("th", null, "When"), h("th", null, "Change"), h("th", null, "Reason"), h("th", null, ""))),
        h(
          "tbody",
          null,
          rejections.map((r) =>
            h(
              "tr",
              { "data-testid": `sync-rejection-${r.opId}` },
              h("td", null, formatDateTime(r.at)),
              h("td", null, humanize(r.kind.replace(".", " "))),
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
                    title: "Send it again, e.g. after an administrator added the field or gave the permission",
                    onclick: () =>
                      void syncRetryRejected(r.opId).then(
                        () => {
                          showToast("The change goes to the server again");
                          void this.load();
                        },
                        (err) => (this.general.textContent = errorMessage(err)),
                      ),
                  },
                  "Try again",
                ),
                h(
                  "button",
                  {
                    type: "button",
                    class: "button button-ghost",
                    "data-testid": `sync-discard-${r.opId}`,
                    title: "Give the change up: the profile takes the server's version again",
                    onclick: () => void this.discard(r),
                  },
                  "Discard…",
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
      title: "Discard this change?",
      body: h(
        "p",
        null,
        created
          ? "The server refused this new profile. Discarding it removes the profile from this computer; what it held is not kept anywhere else."
          : "The profile goes back to the version the server has (a profile deleted here comes back if the server still has it). What this change did is lost.",
      ),
      confirmLabel: "Discard the change",
      danger: true,
      testid: "sync-discard-confirm",
    });
    if (!ok) return;
    try {
      // The command tells the shell (sync-changed): the list reloads.
      await syncDiscardRejected(r.opId);
      showToast(created ? "The refused profile was removed" : "The profile shows the server's version again");
      void this.load();
    } catch (err) {
      this.general.textContent = errorMessage(err);
    }
  }

  private async redownload(): Promise<void> {
    const yes = await confirmDialog({
      title: "Download every profile again?",
      body: "Changes waiting on this computer go up first. Then every profile on the server comes down again and replaces the copy here; no profile is removed. With many profiles this takes a few minutes; you can keep working.",
      confirmLabel: "Download again",
      testid: "sync-redownload-confirm",
    });
    if (!yes) return;
    try {
      await this.load(await syncRedownload());
      showToast("Downloading every profile again…");
    } catch (err) {
      this.general.textContent = errorMessage(err);
    }
  }

  private async disconnect(s: SyncStatus): Promise<void> {
    const waiting = s.pendingOps + s.heldOps;
    const yes = await confirmDialog({
      title: "Disconnect from the server?",
      body:
        waiting > 0
          ? `${plural(waiting, "change has", "changes have")} not reached the server yet and will never be sent. The profiles stay on this computer.`
          : "Sync stops. The profiles stay on this computer; connecting again sends them up again and the server's rule matches them.",
      confirmLabel: waiting > 0 ? "Disconnect and discard" : "Disconnect",
      danger: waiting > 0,
      testid: "sync-disconnect-confirm",
    });
    if (!yes) return;
    try {
      const status = await syncDisconnect(waiting > 0);
      showToast("Disconnected from the server");
      await this.load(status);
    } catch (err) {
      this.general.textContent = errorMessage(err);
    }
  }
}

export const remoteCdpSection: SettingsSection = {
  id: "remote",
  title: "Remote CDP",
  summary: "Sync with your company's CDP server",
  mount: (ctx) => new RemoteCdp(ctx),
};
