// The synchronization rule's guards (Settings → Synchronization rule, issue 17): what keeps the
// rule from merging strangers — the most phones and e-mails a profile may hold, the number of
// rows of one file above which a shared phone or e-mail (a switchboard, a shop's own number) is
// not used for matching, and the blocked values (0000000000, test@test.com …) that never match
// and are refused when typed. The core owns the bounds and the validation; this card edits a
// draft and saves it with set_rule_guards, showing the core's refusals under their input.
import { h } from "../shell/dom";
import { IpcError, setRuleGuards, type Guards } from "../ipc";
import { fieldErrorText } from "../shell/fieldErrors";
import { showToast } from "../shell/toast";
import { parseLimit } from "./limits";
import { m } from "./messages";

type NumberKey = "maxPhones" | "maxEmails" | "sharedKeyRows";
/** The core's field names for its errors, and the inputs' testids; the texts are read when shown. */
const NUMBERS: ReadonlyArray<{ key: NumberKey; testid: string; readonly label: string; readonly unit: string; readonly hint: string }> = [
  {
    key: "maxPhones",
    testid: "guards-max-phones",
    get unit() {
      return m.guardsMaxPhonesUnit;
    },
    get label() {
      return m.guardsMaxPhones;
    },
    get hint() {
      return m.guardsMaxPhonesHint;
    },
  },
  {
    key: "maxEmails",
    testid: "guards-max-emails",
    get unit() {
      return m.guardsMaxEmailsUnit;
    },
    get label() {
      return m.guardsMaxEmails;
    },
    get hint() {
      return m.guardsMaxEmailsHint;
    },
  },
  {
    key: "sharedKeyRows",
    testid: "guards-shared-rows",
    get unit() {
      return m.rowsUnit;
    },
    get label() {
      return m.guardsShared;
    },
    get hint() {
      return m.guardsSharedHint;
    },
  },
];

export function sameGuards(a: Guards, b: Guards): boolean {
  return (
    a.maxPhones === b.maxPhones &&
    a.maxEmails === b.maxEmails &&
    a.sharedKeyRows === b.sharedKeyRows &&
    a.blocked.length === b.blocked.length &&
    a.blocked.every((v, i) => v === b.blocked[i])
  );
}

/** Whether `value` is already in `list` (the core compares blocked values without case). */
export function hasBlocked(list: readonly string[], value: string): boolean {
  const v = value.trim().toLowerCase();
  return list.some((x) => x.trim().toLowerCase() === v);
}

export class GuardsCard {
  readonly element: HTMLElement;
  private saved: Guards;
  private blocked: string[];
  private readonly numbers = new Map<NumberKey, { input: HTMLInputElement; error: HTMLElement }>();
  private readonly list = h("ul", { class: "guards-blocked-list", "data-testid": "guards-blocked", "aria-label": m.blockedValues });
  private readonly newValue: HTMLInputElement;
  private readonly blockedError = h("div", { class: "field-error", "data-testid": "guards-error-blocked", id: "guards-blocked-error", hidden: true });
  private readonly general = h("div", { class: "general-errors", role: "alert", "data-testid": "guards-error" });
  private readonly save: HTMLButtonElement;
  private readonly revert: HTMLButtonElement;
  private busy = false;

  constructor(guards: Guards) {
    this.saved = guards;
    this.blocked = [...guards.blocked];
    this.newValue = h("input", {
      type: "text",
      class: "guards-blocked-input",
      "data-testid": "guards-blocked-input",
      "aria-label": m.newBlockedValue,
      "aria-describedby": "guards-blocked-error",
      placeholder: m.blockedPlaceholder,
      autocomplete: "off",
      spellcheck: "false",
      oninput: () => this.showError("blocked", null),
      onkeydown: (e: Event) => {
        if ((e as KeyboardEvent).key !== "Enter") return;
        e.preventDefault();
        this.addBlocked();
      },
    });
    this.save = h(
      "button",
      { type: "button", class: "button button-primary", "data-testid": "guards-save", disabled: true, onclick: () => void this.submit() },
      m.saveGuards,
    );
    this.revert = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "guards-revert", disabled: true, onclick: () => this.fill(this.saved) },
      m.undoChanges,
    );
    const rows = NUMBERS.map((n) => {
      const id = `guards-${n.key}`;
      const error = h("div", { class: "field-error", id: `${id}-error`, "data-testid": `guards-error-${n.key}`, hidden: true });
      const input = h("input", {
        id,
        type: "text",
        inputmode: "numeric",
        class: "limit-input",
        "data-testid": n.testid,
        "aria-describedby": `${id}-hint ${id}-error`,
        oninput: () => {
          this.showError(n.key, null);
          this.paintButtons();
        },
      });
      this.numbers.set(n.key, { input, error });
      return h(
        "div",
        { class: "limit-row" },
        h("div", { class: "limit-text" }, h("label", { class: "field-label", for: id }, n.label), h("p", { class: "muted small", id: `${id}-hint` }, n.hint)),
        h("div", { class: "limit-value" }, h("div", { class: "limit-input-wrap" }, input, h("span", { class: "limit-unit" }, n.unit)), error),
      );
    });
    this.element = h(
      "section",
      { class: "card guards-card", "data-testid": "guards", "aria-labelledby": "guards-title" },
      h("h3", { class: "card-title", id: "guards-title" }, m.guardsTitle),
      h("p", { class: "muted small" }, m.guardsHint),
      this.general,
      h("div", { class: "limit-list" }, rows),
      h(
        "div",
        { class: "guards-blocked" },
        h("div", { class: "field-label" }, m.blockedValues),
        h("p", { class: "muted small" }, m.blockedHint),
        this.list,
        h(
          "div",
          { class: "guards-blocked-add" },
          this.newValue,
          h("button", { type: "button", class: "button button-secondary", "data-testid": "guards-blocked-add", onclick: () => this.addBlocked() }, m.add),
        ),
        this.blockedError,
      ),
      h("footer", { class: "settings-foot" }, this.revert, h("div", { class: "toolbar-spacer" }), this.save),
    );
    this.fill(guards);
  }

  hasUnsavedChanges(): boolean {
    const draft = this.draft();
    return draft === null || !sameGuards(draft, this.saved);
  }

  /** The values as edited, or null while a number is not a whole number. */
  private draft(): Guards | null {
    const read = (key: NumberKey): number | null => parseLimit(this.numbers.get(key)?.input.value ?? "");
    const maxPhones = read("maxPhones");
    const maxEmails = read("maxEmails");
    const sharedKeyRows = read("sharedKeyRows");
    if (maxPhones === null || maxEmails === null || sharedKeyRows === null) return null;
    return { maxPhones, maxEmails, sharedKeyRows, blocked: [...this.blocked] };
  }

  private fill(guards: Guards): void {
    for (const n of NUMBERS) {
      const slot = this.numbers.get(n.key);
      if (slot) slot.input.value = String(guards[n.key]);
      this.showError(n.key, null);
    }
    this.blocked = [...guards.blocked];
    this.showError("blocked", null);
    this.general.replaceChildren();
    this.renderBlocked();
    this.paintButtons();
  }

  private renderBlocked(): void {
    if (this.blocked.length === 0) {
      this.list.replaceChildren(h("li", { class: "muted small guards-blocked-empty" }, m.noBlockedValues));
      return;
    }
    this.list.replaceChildren(
      ...this.blocked.map((value, i) =>
        h(
          "li",
          { class: "guards-chip", "data-value": value },
          h("span", { class: "guards-chip-text" }, value),
          h(
            "button",
            {
              type: "button",
              class: "icon-button close-glyph",
              "data-testid": `guards-blocked-remove-${i}`,
              "aria-label": m.removeNamed(value),
              title: m.remove,
              onclick: () => this.removeBlocked(i),
            },
          ),
        ),
      ),
    );
  }

  private addBlocked(): void {
    const value = this.newValue.value.trim();
    if (value === "") return;
    if (hasBlocked(this.blocked, value)) {
      this.showError("blocked", m.alreadyInList(value));
      return;
    }
    this.blocked.push(value);
    this.newValue.value = "";
    this.showError("blocked", null);
    this.renderBlocked();
    this.paintButtons();
    this.newValue.focus();
  }

  private removeBlocked(index: number): void {
    this.blocked.splice(index, 1);
    this.showError("blocked", null);
    this.renderBlocked();
    this.paintButtons();
    // The removed chip had focus: keep it in the list rather than losing it to the page.
    (this.list.querySelector<HTMLElement>(`[data-testid="guards-blocked-remove-${Math.min(index, this.blocked.length - 1)}"]`) ?? this.newValue).focus();
  }

  private paintButtons(): void {
    const dirty = this.hasUnsavedChanges();
    this.save.disabled = this.busy || !dirty;
    this.revert.disabled = this.busy || !dirty;
  }

  private showError(key: NumberKey | "blocked", message: string | null): void {
    const el = key === "blocked" ? this.blockedError : this.numbers.get(key)?.error;
    const input = key === "blocked" ? this.newValue : this.numbers.get(key)?.input;
    if (!el || !input) return;
    el.textContent = message ?? "";
    el.hidden = message === null;
    if (message === null) input.removeAttribute("aria-invalid");
    else input.setAttribute("aria-invalid", "true");
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    let bad = false;
    for (const n of NUMBERS) {
      if (parseLimit(this.numbers.get(n.key)?.input.value ?? "") === null) {
        this.showError(n.key, m.enterWholeNumber);
        bad = true;
      }
    }
    const draft = this.draft();
    if (bad || draft === null) return;
    this.busy = true;
    this.general.replaceChildren();
    this.paintButtons();
    try {
      const s = await setRuleGuards(draft);
      this.busy = false;
      this.saved = s.guards;
      // The core cleans the list (spaces, duplicates): show what it kept.
      this.fill(s.guards);
      showToast(m.guardsSaved);
    } catch (err) {
      this.busy = false;
      const e = IpcError.from(err);
      const fieldErrors = e.fieldErrors;
      if (fieldErrors.length === 0) this.general.replaceChildren(h("div", { class: "field-error" }, e.message));
      for (const f of fieldErrors) {
        const key = NUMBERS.find((n) => n.key === f.field)?.key ?? (f.field.startsWith("blocked") ? "blocked" : null);
        const label = NUMBERS.find((n) => n.key === key)?.label;
        if (key) this.showError(key, fieldErrorText(f, label));
        else this.general.append(h("div", { class: "field-error" }, fieldErrorText(f)));
      }
      this.paintButtons();
    }
  }
}
