// Field catalogue (SPEC 1, 7.1): every field in order with its type and
// flags; custom fields of every kind are added, any field is renamed, hidden,
// reordered, made mandatory on create or a default list column, and gets
// mapping synonyms. The core enforces every rule (a type is locked once a
// field holds data, identifiers cannot be hidden, a field with data is only
// deleted when confirmed) and audits each change; what it locks comes with
// its reason (a code, worded here: lockText), shown as the disabled control's tooltip.
import { h } from "../shell/dom";
import { Modal } from "../shell/modal";
import {
  IpcError,
  addField,
  deleteField,
  fieldSettings,
  reorderFields,
  saveImportTemplate,
  updateField,
  type FieldDef,
  type FieldDraft,
  type FieldKind,
  type FieldLock,
  type FieldSetting,
  type SelectOption,
} from "../ipc";
import { shownName } from "../ipc/builtinNames";
import { moveColumn } from "../list/columnChooser";
import { confirmDialog } from "../shell/confirmDialog";
import { fieldErrorText } from "../shell/fieldErrors";
import { fe } from "../shell/messages";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";
import { common } from "../i18n/common";
import { lang } from "../i18n/lang";
import { m } from "./messages";

/** The kinds a custom field may have, in the order the type menu lists them. */
export const CUSTOM_KINDS: readonly FieldKind[] = ["text", "longText", "number", "date", "boolean", "select", "multiSelect"];

/** Why a part of `field`'s settings is locked, in the UI's language (the core sends the reason). */
export function lockText(field: FieldDef, lock: FieldLock): string {
  const label = shownName(`field:${field.key}`, field.label);
  switch (lock.reason) {
    // The same sentences as the core's refusals of these changes (shell/messages.ts `fe`).
    case "builtIn":
      return fe.kindLocked(label);
    case "holdsValues":
      return fe.kindInUse(label, lock.profiles);
    case "identifies":
      return fe.identifierHidden(label);
    case "setByApp":
      return m.lockSetByApp(label);
  }
}

export function kindLabel(kind: FieldKind): string {
  switch (kind) {
    case "text":
      return m.kindText;
    case "longText":
      return m.kindLongText;
    case "number":
      return m.kindNumber;
    case "date":
      return m.kindDate;
    case "boolean":
      return m.kindBoolean;
    case "select":
      return m.kindSelect;
    case "multiSelect":
      return m.kindMultiSelect;
    case "phones":
      return m.kindPhones;
    case "emails":
      return m.kindEmails;
    case "tags":
      return m.kindTags;
    case "system":
      return m.kindSystem;
  }
}

/** Synonyms typed one per line or separated by commas. */
export function parseSynonyms(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A field's name as Settings shows it: a built-in one under its default name in the UI's language. */
export function fieldName(f: FieldDef): string {
  return shownName(`field:${f.key}`, f.label);
}

/**
 * The label to save from what the name input holds: the name shown for a built-in field left
 * as it was goes back as the stored name, so a save never writes a translation into the store
 * (the catalogue keeps the name it was created with; each UI shows it in its language).
 */
export function labelToSave(f: FieldDef | null, typed: string): string {
  return f !== null && typed.trim() === fieldName(f) ? f.label : typed;
}

export function draftOf(s: FieldSetting): FieldDraft {
  const f = s.field;
  return {
    label: f.label,
    kind: f.kind,
    options: f.options.map((o) => ({ ...o })),
    synonyms: [...f.synonyms],
    mandatory: f.mandatory,
    displayed: f.displayed,
    hidden: f.hidden,
  };
}

const EMPTY_DRAFT: FieldDraft = { label: "", kind: "text", options: [], synonyms: [], mandatory: false, displayed: false, hidden: false };

class FieldCatalogue implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error = h("div", { class: "general-errors", role: "alert", "data-testid": "fields-error" });
  private fields: FieldSetting[] = [];
  private busy = false;

  constructor(private readonly ctx: SettingsContext) {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.fieldsWhat));
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-fields" },
      sectionHead(
        m.fieldsTitle,
        m.fieldsDescription,
        // The import template of this catalogue, for users who may import.
        ctx.session.permissions.includes("profile.import")
          ? h(
              "button",
              { type: "button", class: "button button-secondary", title: m.fieldsTemplateTip, "data-testid": "fields-template", onclick: () => void this.downloadTemplate() },
              m.fieldsTemplate,
            )
          : null,
        h("button", { type: "button", class: "button button-primary", "data-testid": "field-add", onclick: () => this.edit(null) }, m.addField),
      ),
      this.error,
      this.body,
    );
    void this.load();
  }

  /** Saves the import template (native save dialog) in the UI's language. */
  private async downloadTemplate(): Promise<void> {
    this.error.replaceChildren();
    try {
      const path = await saveImportTemplate(lang());
      if (path) showToast(m.fieldsTemplateSaved(path));
    } catch (err) {
      this.error.replaceChildren(h("div", { class: "field-error" }, errorMessage(err)));
    }
  }

  private async load(): Promise<void> {
    try {
      this.render(await fieldSettings());
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.fieldsWhat, errorMessage(err), () => void this.load()));
    }
  }

  private render(fields: FieldSetting[]): void {
    this.fields = fields;
    this.body.replaceChildren(h("ul", { class: "card settings-rows", "data-testid": "field-list" }, fields.map((s, i) => this.row(s, i))));
  }

  private row(s: FieldSetting, index: number): HTMLElement {
    const f = s.field;
    const name = fieldName(f);
    const move = (delta: -1 | 1, glyph: string, disabled: boolean): HTMLElement =>
      h(
        "button",
        {
          type: "button",
          class: "icon-button",
          "aria-label": delta < 0 ? m.moveNamedUp(name) : m.moveNamedDown(name),
          title: delta < 0 ? m.moveUp : m.moveDown,
          "data-testid": `field-${delta < 0 ? "up" : "down"}-${f.key}`,
          disabled: disabled || this.busy,
          onclick: () => void this.move(f.key, delta),
        },
        glyph,
      );
    const flag = (on: boolean, text: string, cls = ""): HTMLElement | null => (on ? h("span", { class: `badge ${cls}` }, text) : null);
    const synonyms = f.synonyms.length === 0 ? null : h("span", { class: "muted small field-synonyms", title: f.synonyms.join(", ") }, m.synonymsShort(`${f.synonyms.slice(0, 3).join(", ")}${f.synonyms.length > 3 ? ` +${f.synonyms.length - 3}` : ""}`));
    return h(
      "li",
      { class: `settings-row${f.hidden ? " field-hidden" : ""}`, "data-testid": `field-${f.key}` },
      h("div", { class: "settings-row-order" }, move(-1, "↑", index === 0), move(1, "↓", index === this.fields.length - 1)),
      h(
        "div",
        { class: "settings-row-main" },
        h("span", { class: "settings-row-title", "data-testid": `field-label-${f.key}` }, name),
        h("span", { class: "badge field-kind" }, kindLabel(f.kind)),
        flag(f.mandatory, m.flagMandatory, "badge-required"),
        flag(f.displayed, m.flagListColumn),
        flag(f.hidden, m.hidden, "badge-hidden"),
        flag(f.builtin, m.builtIn),
        s.values !== null ? h("span", { class: "muted small" }, s.values === 0 ? m.noValuesYet : m.profiles(s.values)) : null,
        synonyms,
      ),
      h(
        "div",
        { class: "settings-row-actions" },
        h(
          "button",
          { type: "button", class: "button button-secondary button-small", "data-testid": `field-edit-${f.key}`, disabled: this.busy, onclick: () => this.edit(s) },
          common.edit,
        ),
        h(
          "button",
          {
            type: "button",
            class: "button button-danger-ghost button-small",
            "data-testid": `field-delete-${f.key}`,
            disabled: !s.deletable || this.busy,
            title: s.deletable ? m.deleteNamed(name) : m.fieldBuiltinNoDelete(name),
            onclick: () => void this.remove(s),
          },
          common.delete,
        ),
      ),
    );
  }

  private async run(action: () => Promise<FieldSetting[]>, done: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error.replaceChildren();
    try {
      const fields = await action();
      this.busy = false;
      this.render(fields);
      this.ctx.catalogueChanged();
      showToast(done);
    } catch (err) {
      this.busy = false;
      this.render(this.fields);
      this.error.replaceChildren(h("div", { class: "field-error" }, errorMessage(err)));
    }
  }

  private async move(key: string, delta: -1 | 1): Promise<void> {
    const order = moveColumn(
      this.fields.map((s) => s.field.key),
      key,
      delta,
    );
    await this.run(() => reorderFields(order), m.fieldOrderSaved);
    this.element.querySelector<HTMLElement>(`[data-testid="field-${delta < 0 ? "up" : "down"}-${key}"]:not(:disabled)`)?.focus();
  }

  private async remove(s: FieldSetting): Promise<void> {
    const n = s.values ?? 0;
    const ok = await confirmDialog({
      title: m.deleteFieldTitle(fieldName(s.field)),
      body: n > 0 ? h("p", null, h("strong", null, m.profilesHoldValue(n)), m.deleteFieldValuesBody) : h("p", null, m.deleteFieldEmptyBody),
      confirmLabel: n > 0 ? m.deleteFieldAndValues(n) : m.deleteField,
      danger: true,
      testid: "field-delete-confirm",
    });
    if (ok) await this.run(() => deleteField(s.field.key, n > 0), m.fieldDeleted(fieldName(s.field)));
  }

  private edit(s: FieldSetting | null): void {
    new FieldEditor(s, async (draft) => {
      const fields = s ? await updateField(s.field.key, draft) : await addField(draft);
      const before = new Set(this.fields.map((f) => f.field.key));
      this.render(fields);
      // Bring the added (or edited) field into view.
      const key = s?.field.key ?? fields.find((f) => !before.has(f.field.key))?.field.key;
      this.element.querySelector<HTMLElement>(`[data-testid="field-${key}"]`)?.scrollIntoView?.({ block: "center" });
      this.ctx.catalogueChanged();
      const saved = fields.find((f) => f.field.key === key)?.field;
      showToast(s ? m.fieldSaved(saved ? fieldName(saved) : draft.label.trim()) : m.fieldAdded(draft.label.trim()));
    }).open();
  }
}

/** The add/edit dialog of one field. `save` throws the core's refusal, shown in the dialog. */
class FieldEditor {
  private readonly modal: Modal;
  private readonly form: HTMLFormElement;
  private readonly errors: Record<string, HTMLElement> = {};
  private readonly general = h("div", { class: "general-errors", role: "alert", "data-testid": "field-editor-error" });
  private readonly optionList = h("div", { class: "option-list", "data-testid": "field-options" });
  private readonly optionsBlock: HTMLElement;
  private options: SelectOption[];

  constructor(
    private readonly setting: FieldSetting | null,
    private readonly save: (draft: FieldDraft) => Promise<void>,
  ) {
    const d = setting ? draftOf(setting) : { ...EMPTY_DRAFT };
    this.options = d.options.length > 0 ? d.options : [];
    const err = (key: string): HTMLElement => (this.errors[key] = h("div", { class: "field-error", "data-testid": `field-editor-error-${key}`, hidden: true }));
    const labelInput = h("input", {
      type: "text",
      name: "label",
      "data-testid": "field-editor-label",
      value: setting ? fieldName(setting.field) : d.label,
      maxlength: 60,
      placeholder: m.fieldLabelPlaceholder,
    });
    const builtin = setting?.field.builtin ?? false;
    const locked = (lock: FieldLock | null | undefined): string | null => (setting && lock ? lockText(setting.field, lock) : null);
    const kindLocked = locked(setting?.kindLocked);
    const kinds: readonly FieldKind[] = builtin ? [d.kind] : CUSTOM_KINDS;
    const kindSelect = h(
      "select",
      {
        name: "kind",
        "data-testid": "field-editor-kind",
        disabled: kindLocked !== null,
        title: kindLocked,
        onchange: () => this.paintOptions(kindSelect.value as FieldKind),
      },
      kinds.map((k) => h("option", { value: k, selected: k === d.kind }, kindLabel(k))),
    );
    const check = (name: string, label: string, on: boolean, locked: string | null, hint: string): HTMLElement =>
      h(
        "label",
        { class: "check field-editor-check", title: locked ?? null },
        h("input", { type: "checkbox", name, "data-testid": `field-editor-${name}`, checked: on, disabled: Boolean(locked) }),
        h("span", null, h("span", { class: "field-label" }, label), h("span", { class: "muted small" }, locked ?? hint)),
      );
    const synonyms = h("textarea", {
      name: "synonyms",
      "data-testid": "field-editor-synonyms",
      rows: 3,
      placeholder: m.synonymsPlaceholder,
      value: d.synonyms.join("\n"),
    });
    this.optionsBlock = h(
      "div",
      { class: "field" },
      h("span", { class: "field-label" }, m.options),
      this.optionList,
      h("button", { type: "button", class: "link-button add-entry", "data-testid": "field-option-add", onclick: () => this.addOption() }, m.addOption),
      err("options"),
    );
    this.modal = new Modal({
      title: setting ? m.editNamed(fieldName(setting.field)) : m.addAField,
      testid: "field-editor",
      className: "field-editor",
      form: true,
      closeButton: true,
      bodyClass: "field-editor-body",
      body: [
        h("div", { class: "form-grid" },
          h("div", { class: "field" }, h("label", { class: "field-label" }, m.name, labelInput), err("label")),
          h("div", { class: "field" }, h("label", { class: "field-label" }, m.fieldType, kindSelect), kindLocked ? h("p", { class: "muted small" }, kindLocked) : null, err("kind")),
        ),
        this.optionsBlock,
        h("div", { class: "field" }, h("label", { class: "field-label" }, m.synonymsLabel, synonyms), err("synonyms")),
        h(
          "div",
          { class: "field-editor-checks" },
          check("mandatory", m.mandatoryOnCreate, d.mandatory, locked(setting?.mandatoryLocked), m.mandatoryHint),
          check("displayed", m.displayedLabel, d.displayed, null, m.displayedHint),
          check("hidden", m.hidden, d.hidden, locked(setting?.hideLocked), m.hiddenHint),
        ),
        err("mandatory"),
        err("hidden"),
        this.general,
      ],
      start: [{ key: "cancel", label: common.cancel }],
      end: [{ key: "save", label: setting ? m.saveField : m.addField, kind: "primary", submit: true, testid: "field-editor-save" }],
      onSubmit: () => void this.submit(),
    });
    this.form = this.modal.dialog as HTMLFormElement;
    this.paintOptions(d.kind);
  }

  open(): void {
    this.modal.open(document.body, this.form.querySelector<HTMLInputElement>('[name="label"]'));
  }

  close(): void {
    this.modal.close();
  }

  private paintOptions(kind: FieldKind): void {
    const select = kind === "select" || kind === "multiSelect";
    const builtin = this.setting?.field.builtin ?? false;
    this.optionsBlock.hidden = !select;
    if (select && this.options.length === 0 && !builtin) this.options = [{ value: "", label: "" }];
    this.optionList.replaceChildren(
      ...this.options.map((o, i) =>
        h(
          "div",
          { class: "list-editor-line" },
          h("input", {
            type: "text",
            "data-testid": `field-option-${i}`,
            "aria-label": m.optionN(i + 1),
            // A built-in option cannot be renamed: shown in the UI's language, saved as stored.
            value: builtin && this.setting ? shownName(`option:${this.setting.field.key}:${o.value}`, o.label) : o.label,
            disabled: builtin,
            maxlength: 60,
            oninput: (e: Event) => {
              const opt = this.options[i];
              if (opt) opt.label = (e.target as HTMLInputElement).value;
            },
          }),
          builtin
            ? null
            : h(
                "button",
                {
                  type: "button",
                  class: "icon-button",
                  "aria-label": m.removeOptionN(i + 1),
                  onclick: () => {
                    this.options.splice(i, 1);
                    this.paintOptions(kind);
                  },
                },
                "×",
              ),
        ),
      ),
    );
  }

  private addOption(): void {
    this.options.push({ value: "", label: "" });
    this.paintOptions(this.value<HTMLSelectElement>("kind").value as FieldKind);
    this.optionList.lastElementChild?.querySelector("input")?.focus();
  }

  private value<T extends HTMLElement>(name: string): T {
    return this.form.querySelector<T>(`[name="${name}"]`) as T;
  }

  private draft(): FieldDraft {
    const kind = this.value<HTMLSelectElement>("kind").value as FieldKind;
    const select = kind === "select" || kind === "multiSelect";
    return {
      label: labelToSave(this.setting?.field ?? null, this.value<HTMLInputElement>("label").value),
      kind,
      options: select ? this.options.filter((o) => o.label.trim() !== "" || o.value !== "") : [],
      synonyms: parseSynonyms(this.value<HTMLTextAreaElement>("synonyms").value),
      mandatory: this.value<HTMLInputElement>("mandatory").checked,
      displayed: this.value<HTMLInputElement>("displayed").checked,
      hidden: this.value<HTMLInputElement>("hidden").checked,
    };
  }

  private async submit(): Promise<void> {
    for (const slot of Object.values(this.errors)) {
      slot.textContent = "";
      slot.hidden = true;
    }
    this.general.replaceChildren();
    const button = this.form.querySelector<HTMLButtonElement>('[type="submit"]');
    if (button) button.disabled = true;
    try {
      await this.save(this.draft());
      this.close();
    } catch (err) {
      if (button) button.disabled = false;
      const e = IpcError.from(err);
      const fieldErrors = e.fieldErrors;
      if (fieldErrors.length === 0) this.general.replaceChildren(h("div", { class: "field-error" }, e.message));
      for (const f of fieldErrors) {
        const slot = this.errors[f.field];
        if (slot) {
          slot.textContent = fieldErrorText(f);
          slot.hidden = false;
        } else {
          this.general.replaceChildren(h("div", { class: "field-error" }, fieldErrorText(f)));
        }
      }
    }
  }
}

export const fieldsSection: SettingsSection = {
  id: "fields",
  get title() {
    return m.fieldsTitle;
  },
  get summary() {
    return m.fieldsSummary;
  },
  get managedByServer() {
    return m.fieldsWhat;
  },
  mount: (ctx) => new FieldCatalogue(ctx),
};
