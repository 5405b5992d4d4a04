// Consent channels (SPEC 1, 7.1): the built-in e-mail, SMS and phone call,
// plus channels administrators add. Every action is saved at once by the
// core (which audits it); the create form's consent step and the import's
// consent step offer the new list straight away.
import { h } from "../shell/dom";
import {
  addConsentChannel,
  consentChannelSettings,
  removeConsentChannel,
  renameConsentChannel,
  reorderConsentChannels,
  type ConsentChannelSetting,
} from "../ipc";
import { moveColumn } from "../list/columnChooser";
import { confirmDialog } from "../shell/confirmDialog";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";
import { common } from "../i18n/common";
import { m } from "./messages";

/** Why a channel cannot be removed, or null when it can. */
export function removeBlocker(c: ConsentChannelSetting): string | null {
  if (c.builtin) return m.channelBuiltinNoRemove;
  if (c.records > 0) return m.channelHoldsRecords(c.records);
  return null;
}

class ChannelsEditor implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly addInput: HTMLInputElement;
  private readonly addError: HTMLElement;
  private readonly addButton: HTMLButtonElement;
  private channels: ConsentChannelSetting[] = [];
  private editing: string | null = null;
  private busy = false;

  constructor(private readonly ctx: SettingsContext) {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.channelsWhat));
    this.addError = h("div", { class: "field-error", id: "channel-add-error", "data-testid": "channel-add-error", hidden: true });
    this.addInput = h("input", {
      type: "text",
      id: "channel-add",
      "data-testid": "channel-add-input",
      placeholder: m.channelPlaceholder,
      maxlength: 40,
      "aria-describedby": "channel-add-error",
      oninput: () => this.setAddError(null),
      onkeydown: (e: Event) => {
        if ((e as KeyboardEvent).key === "Enter") void this.add();
      },
    });
    this.addButton = h(
      "button",
      { type: "button", class: "button button-primary", "data-testid": "channel-add-button", onclick: () => void this.add() },
      m.addChannel,
    );
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-consent" },
      sectionHead(m.channelsTitle, m.channelsDescription),
      this.body,
      h(
        "div",
        { class: "card settings-add" },
        h("label", { class: "field-label", for: "channel-add" }, m.newChannel),
        h("div", { class: "settings-add-line" }, this.addInput, this.addButton),
        this.addError,
      ),
    );
    void this.load();
  }

  hasUnsavedChanges(): boolean {
    return this.addInput.value.trim() !== "" || this.editing !== null;
  }

  private async load(): Promise<void> {
    try {
      this.render(await consentChannelSettings());
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.channelsWhat, errorMessage(err), () => void this.load()));
    }
  }

  private render(channels: ConsentChannelSetting[]): void {
    this.channels = channels;
    const rows = channels.map((c, i) => this.row(c, i));
    this.body.replaceChildren(h("ul", { class: "card settings-rows", "data-testid": "channel-list" }, rows));
  }

  private row(c: ConsentChannelSetting, index: number): HTMLElement {
    const blocker = removeBlocker(c);
    const move = (delta: -1 | 1, glyph: string, disabled: boolean): HTMLElement =>
      h(
        "button",
        {
          type: "button",
          class: "icon-button",
          "aria-label": delta < 0 ? m.moveUpNamed(c.label) : m.moveDownNamed(c.label),
          title: delta < 0 ? m.moveUp : m.moveDown,
          "data-testid": `channel-${delta < 0 ? "up" : "down"}-${c.key}`,
          disabled: disabled || this.busy,
          onclick: () => void this.move(c.key, delta),
        },
        glyph,
      );
    const name =
      this.editing === c.key
        ? this.renameEditor(c)
        : h(
            "div",
            { class: "settings-row-main" },
            h("span", { class: "settings-row-title", "data-testid": `channel-label-${c.key}` }, c.label),
            c.builtin ? h("span", { class: "badge" }, m.builtIn) : null,
            h("span", { class: "muted small" }, c.records === 0 ? m.noRecords : m.records(c.records)),
          );
    return h(
      "li",
      { class: "settings-row", "data-testid": `channel-${c.key}` },
      h("div", { class: "settings-row-order" }, move(-1, "↑", index === 0), move(1, "↓", index === this.channels.length - 1)),
      name,
      this.editing === c.key
        ? null
        : h(
            "div",
            { class: "settings-row-actions" },
            h(
              "button",
              {
                type: "button",
                class: "button button-secondary button-small",
                "data-testid": `channel-rename-${c.key}`,
                disabled: this.busy,
                onclick: () => this.startRename(c.key),
              },
              m.rename,
            ),
            // Disabled, not hidden, with the reason as its tooltip.
            h(
              "button",
              {
                type: "button",
                class: "button button-danger-ghost button-small",
                "data-testid": `channel-remove-${c.key}`,
                disabled: blocker !== null || this.busy,
                title: blocker ?? m.removeNamed(c.label),
                onclick: () => void this.remove(c),
              },
              m.remove,
            ),
          ),
    );
  }

  private renameEditor(c: ConsentChannelSetting): HTMLElement {
    const error = h("div", { class: "field-error", "data-testid": "channel-rename-error", hidden: true });
    const input = h("input", {
      type: "text",
      value: c.label,
      maxlength: 40,
      "aria-label": m.newNameFor(c.label),
      "data-testid": "channel-rename-input",
      onkeydown: (e: Event) => {
        const key = (e as KeyboardEvent).key;
        if (key === "Enter") void save();
        if (key === "Escape") {
          e.stopPropagation();
          this.editing = null;
          this.render(this.channels);
        }
      },
    });
    const save = async (): Promise<void> => {
      try {
        this.busy = true;
        const channels = await renameConsentChannel(c.key, input.value);
        this.busy = false;
        this.editing = null;
        this.render(channels);
        this.ctx.catalogueChanged();
        showToast(m.channelRenamed(input.value.trim()));
      } catch (err) {
        this.busy = false;
        error.textContent = errorMessage(err);
        error.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.focus();
      }
    };
    queueMicrotask(() => {
      input.focus();
      input.select();
    });
    return h(
      "div",
      { class: "settings-row-main settings-row-edit" },
      input,
      h("button", { type: "button", class: "button button-primary button-small", "data-testid": "channel-rename-save", onclick: () => void save() }, common.save),
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary button-small",
          onclick: () => {
            this.editing = null;
            this.render(this.channels);
          },
        },
        common.cancel,
      ),
      error,
    );
  }

  private startRename(key: string): void {
    this.editing = key;
    this.render(this.channels);
  }

  private setAddError(message: string | null): void {
    this.addError.textContent = message ?? "";
    this.addError.hidden = message === null;
    if (message === null) this.addInput.removeAttribute("aria-invalid");
    else this.addInput.setAttribute("aria-invalid", "true");
  }

  private async run(action: () => Promise<ConsentChannelSetting[]>, done: string): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      const channels = await action();
      this.busy = false;
      this.render(channels);
      this.ctx.catalogueChanged();
      showToast(done);
      return true;
    } catch (err) {
      this.busy = false;
      this.render(this.channels);
      throw err;
    }
  }

  private async add(): Promise<void> {
    const label = this.addInput.value;
    try {
      if (await this.run(() => addConsentChannel(label), m.channelAdded(label.trim()))) {
        this.addInput.value = "";
        this.addInput.focus();
      }
    } catch (err) {
      this.setAddError(errorMessage(err));
      this.addInput.focus();
    }
  }

  private async move(key: string, delta: -1 | 1): Promise<void> {
    const order = moveColumn(
      this.channels.map((c) => c.key),
      key,
      delta,
    );
    try {
      await this.run(() => reorderConsentChannels(order), m.channelOrderSaved);
      this.element.querySelector<HTMLElement>(`[data-testid="channel-${delta < 0 ? "up" : "down"}-${key}"]:not(:disabled)`)?.focus();
    } catch (err) {
      this.setAddError(errorMessage(err));
    }
  }

  private async remove(c: ConsentChannelSetting): Promise<void> {
    const ok = await confirmDialog({
      title: m.removeChannelTitle(c.label),
      body: h("p", null, m.removeChannelBody),
      confirmLabel: m.removeChannel,
      danger: true,
      testid: "channel-remove-confirm",
    });
    if (!ok) return;
    try {
      await this.run(() => removeConsentChannel(c.key), m.channelRemoved(c.label));
    } catch (err) {
      this.setAddError(errorMessage(err));
    }
  }
}

export const consentChannelsSection: SettingsSection = {
  id: "consent",
  get title() {
    return m.channelsTitle;
  },
  get summary() {
    return m.channelsSummary;
  },
  get managedByServer() {
    return m.channelsWhat;
  },
  mount: (ctx) => new ChannelsEditor(ctx),
};
