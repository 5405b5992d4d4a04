// Limits (SPEC 4, 7.1): file size, rows per file, paste rows, direct-export
// rows, e-mail attachment size. The core owns the defaults, the bounds and
// the validation; this form edits the values, shows each limit's bounds and
// default, and saves all changes at once (the core audits them).
import { h } from "../shell/dom";
import { formatCount } from "../shell/format";
import { IpcError, limitSettings, setLimits, type LimitSetting, type LimitUnit } from "../ipc";
import { fieldErrorText } from "../shell/fieldErrors";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsSection } from "./section";
import { common } from "../i18n/common";
import { m } from "./messages";

export function unitLabel(unit: LimitUnit, n: number): string {
  if (unit === "megabytes") return `${formatCount(n)} MB`;
  return m.rows(n);
}

/** Each limit's label and hint by its key; a limit this UI does not know shows the core's words. */
const LIMIT_WORDS: Readonly<Record<string, () => { label: string; hint: string }>> = {
  file_size: () => ({ label: m.limitFileSize, hint: m.limitFileSizeHint }),
  file_rows: () => ({ label: m.limitFileRows, hint: m.limitFileRowsHint }),
  paste_rows: () => ({ label: m.limitPasteRows, hint: m.limitPasteRowsHint }),
  export_direct_rows: () => ({ label: m.limitExportDirectRows, hint: m.limitExportDirectRowsHint }),
  mail_attachment_size: () => ({ label: m.limitMailAttachmentSize, hint: m.limitMailAttachmentSizeHint }),
};

/** A limit's label and hint in the UI's language. */
export function limitWords(limit: Pick<LimitSetting, "key" | "label" | "hint">): { label: string; hint: string } {
  const words = Object.prototype.hasOwnProperty.call(LIMIT_WORDS, limit.key) ? LIMIT_WORDS[limit.key] : undefined;
  return words?.() ?? { label: limit.label, hint: limit.hint };
}

/** The value typed into a limit's input, or null when it is not a whole number. */
export function parseLimit(text: string): number | null {
  const t = text.replace(/[\s,]/g, "");
  if (!/^\d{1,10}$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

class LimitsForm implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly save: HTMLButtonElement;
  private readonly reset: HTMLButtonElement;
  private readonly general = h("div", { class: "general-errors", role: "alert", "data-testid": "limits-error" });
  private limits: LimitSetting[] = [];
  private readonly inputs = new Map<string, { input: HTMLInputElement; error: HTMLElement }>();
  private busy = false;

  constructor() {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.limitsWhat));
    this.save = h(
      "button",
      { type: "button", class: "button button-primary", "data-testid": "limits-save", disabled: true, onclick: () => void this.submit() },
      common.saveChanges,
    );
    this.reset = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "limits-defaults", onclick: () => this.fillDefaults() },
      m.useDefaults,
    );
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-limits" },
      sectionHead(m.limitsTitle, m.limitsDescription),
      this.general,
      this.body,
      h("footer", { class: "settings-foot" }, this.reset, h("div", { class: "toolbar-spacer" }), this.save),
    );
    void this.load();
  }

  hasUnsavedChanges(): boolean {
    return this.changed().length > 0;
  }

  private async load(): Promise<void> {
    try {
      this.render(await limitSettings());
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.limitsWhat, errorMessage(err), () => void this.load()));
    }
  }

  private render(limits: LimitSetting[]): void {
    this.limits = limits;
    this.inputs.clear();
    const rows = limits.map((l) => {
      const id = `limit-${l.key}`;
      const error = h("div", { class: "field-error", id: `${id}-error`, "data-testid": `limit-error-${l.key}`, hidden: true });
      const input = h("input", {
        id,
        type: "text",
        inputmode: "numeric",
        class: "limit-input",
        "data-testid": `limit-${l.key}`,
        value: String(l.value),
        "aria-describedby": `${id}-hint ${id}-error`,
        oninput: () => this.onInput(l.key),
      });
      this.inputs.set(l.key, { input, error });
      const words = limitWords(l);
      return h(
        "div",
        { class: "limit-row" },
        h(
          "div",
          { class: "limit-text" },
          h("label", { class: "field-label", for: id }, words.label),
          h("p", { class: "muted small", id: `${id}-hint` }, words.hint),
        ),
        h(
          "div",
          { class: "limit-value" },
          h("div", { class: "limit-input-wrap" }, input, h("span", { class: "limit-unit" }, l.unit === "megabytes" ? "MB" : m.rowsUnit)),
          h(
            "p",
            { class: "muted small limit-bounds" },
            m.defaultBounds(unitLabel(l.unit, l.default), formatCount(l.min), unitLabel(l.unit, l.max)),
          ),
          error,
        ),
      );
    });
    this.body.replaceChildren(h("div", { class: "card limit-list" }, rows));
    this.paintButtons();
  }

  /** The limits whose input differs from the saved value (unparseable inputs count as changed). */
  private changed(): Array<{ key: string; value: number | null }> {
    return this.limits.flatMap((l) => {
      const text = this.inputs.get(l.key)?.input.value ?? "";
      const value = parseLimit(text);
      return value === l.value ? [] : [{ key: l.key, value }];
    });
  }

  private onInput(key: string): void {
    this.showError(key, null);
    this.paintButtons();
  }

  private paintButtons(): void {
    const dirty = this.changed().length > 0;
    this.save.disabled = this.busy || !dirty;
    this.reset.disabled = this.busy || this.limits.every((l) => this.inputs.get(l.key)?.input.value === String(l.default));
  }

  private showError(key: string, message: string | null): void {
    const slot = this.inputs.get(key);
    if (!slot) return;
    slot.error.textContent = message ?? "";
    slot.error.hidden = message === null;
    if (message === null) slot.input.removeAttribute("aria-invalid");
    else slot.input.setAttribute("aria-invalid", "true");
  }

  private fillDefaults(): void {
    for (const l of this.limits) {
      const slot = this.inputs.get(l.key);
      if (slot) slot.input.value = String(l.default);
      this.showError(l.key, null);
    }
    this.paintButtons();
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    const changes = this.changed();
    let bad = false;
    for (const c of changes) {
      if (c.value === null) {
        this.showError(c.key, m.enterWholeNumber);
        bad = true;
      }
    }
    if (bad || changes.length === 0) return;
    this.busy = true;
    this.general.replaceChildren();
    this.paintButtons();
    try {
      const saved = await setLimits(changes.map((c) => ({ key: c.key, value: c.value as number })));
      this.busy = false;
      this.render(saved);
      showToast(m.limitsSaved(changes.length));
    } catch (err) {
      this.busy = false;
      const e = IpcError.from(err);
      const fieldErrors = e.fieldErrors;
      if (fieldErrors.length === 0) this.general.replaceChildren(h("div", { class: "field-error" }, e.message));
      // A bound's sentence names the limit as this screen does, not by the core's English label.
      for (const f of fieldErrors) {
        const limit = this.limits.find((l) => l.key === f.field);
        this.showError(f.field, fieldErrorText(f, limit ? limitWords(limit).label : undefined));
      }
      this.paintButtons();
    }
  }
}

export const limitsSection: SettingsSection = {
  id: "limits",
  get title() {
    return m.limitsTitle;
  },
  get summary() {
    return m.limitsSummary;
  },
  mount: () => new LimitsForm(),
};
