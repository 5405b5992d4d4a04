// The profile form, generated from the field catalogue. Create (wizard step 1)
// and edit (detail view) both use it, so both show the same fields, the same
// inline errors from the core's validation and the same duplicate guard.
import { debounce, h, uid } from "../shell/dom";
import { Latest } from "../shell/latest";
import { matchKeyLabel } from "../shell/format";
import {
  IpcError,
  findIdentifierOwner,
  validateProfile,
  type FieldDef,
  type FieldError,
  type IdentifierOwner,
  type InputValue,
  type Profile,
  type ProfileInput,
} from "../ipc";
import { fieldErrorText } from "../shell/fieldErrors";
import { showError } from "../shell/toast";
import { common } from "../i18n/common";
import { checkDate, dateForInput } from "../i18n/dates";
import { m } from "./messages";

export const IDENTIFICATION = "identification";
const IDENTIFICATION_FIELDS = ["full_name", "phones", "emails"];
const LIST_KINDS = new Set(["phones", "emails", "tags"]);
const VALIDATE_MS = 300;
const GUARD_MS = 250;

export interface ProfileFormOptions {
  fields: readonly FieldDef[];
  mode: "create" | "edit";
  /** Values to start from (edit). */
  profile?: Profile;
  /** The profile being edited, which the duplicate guard must not report. */
  excludeId?: number | null;
  onOpenProfile?: (id: number) => void;
  /** Enter in a single-line input. */
  onSubmit?: () => void;
}

/** The fields a person fills in: system fields are written by the core. */
export function formFields(fields: readonly FieldDef[]): FieldDef[] {
  return fields
    .filter((f) => !f.hidden && f.kind !== "system")
    .slice()
    .sort((a, b) => a.position - b.position);
}

/** "phones.1", "phones[1]" and "phones" all belong to the phones field. */
export function splitErrorField(field: string): { key: string; index: number | null } {
  const m = /^([^.[/]+)(?:[.[/](\d+)\]?)?/.exec(field);
  if (!m?.[1]) return { key: field, index: null };
  return { key: m[1], index: m[2] === undefined ? null : Number(m[2]) };
}

interface ListRow {
  wrap: HTMLElement;
  input: HTMLInputElement;
  remove: HTMLButtonElement;
  guard: HTMLElement;
  guardRequest: Latest;
  guardCheck: ReturnType<typeof debounce<[]>> | null;
}

interface Editor {
  def: FieldDef;
  block: HTMLElement;
  errorSlot: HTMLElement;
  read(): InputValue;
  focus(index?: number | null): void;
  markInvalid(invalid: boolean, index: number | null): void;
  destroy(): void;
}

export class ProfileForm {
  readonly element: HTMLFormElement;
  private readonly editors = new Map<string, Editor>();
  private readonly touched = new Set<string>();
  private revealAll = false;
  private errors: FieldError[] = [];
  private saveErrors: FieldError[] = [];
  private readonly validateSeq = new Latest();
  private readonly identificationSlot: HTMLElement;
  private readonly generalSlot: HTMLElement;
  private readonly scheduleValidate = debounce(() => void this.runValidation(), VALIDATE_MS);
  private destroyed = false;
  /** Each field's value as the form opened (edit): what Save compares with. */
  private readonly opened = new Map<string, string>();

  constructor(private readonly opts: ProfileFormOptions) {
    this.identificationSlot = h("div", { class: "identification-error", "aria-live": "polite" });
    this.generalSlot = h("div", { class: "general-errors", "aria-live": "polite" });
    const grid = h("div", { class: "form-grid" });
    for (const def of formFields(opts.fields)) {
      const editor = this.buildEditor(def);
      this.editors.set(def.key, editor);
      grid.appendChild(editor.block);
      this.opened.set(def.key, sameValue(editor.read()));
    }
    this.element = h(
      "form",
      {
        class: "profile-form",
        novalidate: true,
        "data-testid": "profile-form",
        onsubmit: (e: Event) => {
          e.preventDefault();
          opts.onSubmit?.();
        },
      },
      h(
        "p",
        { class: "form-hint" },
        m.identificationHint,
        h("span", { class: "form-hint-mandatory" }, m.mandatoryBefore, h("span", { class: "req" }, "*"), m.mandatoryAfter),
      ),
      this.identificationSlot,
      this.generalSlot,
      grid,
    );
    // Enter in a single-line input moves on (Continue / Save), as in any
    // desktop form; handled here because implicit submission needs a
    // visible submit button, which the callers place outside the form.
    this.element.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || e.shiftKey || e.isComposing) return;
      if (!(e.target instanceof HTMLInputElement) || e.target.type === "checkbox") return;
      e.preventDefault();
      opts.onSubmit?.();
    });
  }

  private get forCreate(): boolean {
    return this.opts.mode === "create";
  }

  /**
   * The form's values for the core. Create sends only what was filled in;
   * edit sends only the fields the person changed (an empty value clears
   * the field), so Save never overwrites what someone else changed
   * meanwhile in the other fields. List fields never carry empty entries.
   */
  collect(): ProfileInput {
    const values: Record<string, InputValue> = {};
    for (const [key, editor] of this.editors) {
      const value = editor.read();
      if (this.forCreate) {
        if (Array.isArray(value) ? value.length === 0 : value.trim() === "") continue;
      } else if (sameValue(value) === this.opened.get(key)) {
        continue;
      }
      values[key] = value;
    }
    return { values };
  }

  /**
   * Something was typed or chosen: a field's value differs from the one the form opened with
   * (create: empty). Spaces around a value and empty list entries are not a change.
   */
  hasChanges(): boolean {
    for (const [key, editor] of this.editors) if (sameValue(editor.read()) !== this.opened.get(key)) return true;
    return false;
  }

  /** Shows every error from now on (Continue / Save) and validates at once. */
  async validate(): Promise<FieldError[]> {
    this.revealAll = true;
    this.scheduleValidate.cancel();
    const isLatest = this.validateSeq.begin();
    const errors = await validateProfile(this.collect(), this.forCreate);
    if (isLatest() && !this.destroyed) {
      this.errors = errors;
      this.renderErrors();
    }
    return [...this.saveErrors, ...errors];
  }

  /**
   * Errors that came back from a save (a `validation` IpcError). They are
   * kept apart from live validation, which may not know every rule Save
   * applies, so the next keystroke elsewhere does not wipe them.
   */
  showErrors(errors: FieldError[]): void {
    this.revealAll = true;
    this.saveErrors = errors;
    this.renderErrors();
    this.focusFirstError();
  }

  focusFirst(): void {
    const first = this.editors.values().next();
    if (!first.done) first.value.focus();
  }

  focusFirstError(): void {
    for (const err of [...this.saveErrors, ...this.errors]) {
      const { key, index } = splitErrorField(err.field);
      const editor = this.editors.get(key) ?? (key === IDENTIFICATION ? this.editors.get("full_name") : undefined);
      if (editor) {
        editor.focus(index);
        return;
      }
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.scheduleValidate.cancel();
    for (const editor of this.editors.values()) editor.destroy();
  }

  private async runValidation(): Promise<void> {
    if (this.destroyed) return;
    const isLatest = this.validateSeq.begin();
    try {
      const errors = await validateProfile(this.collect(), this.forCreate);
      if (!isLatest() || this.destroyed) return;
      this.errors = errors;
      this.renderErrors();
    } catch (err) {
      if (!(err instanceof IpcError && err.code === "validation")) showError(err);
    }
  }

  private onEdited(key: string): void {
    // A refusal from Save stays until the user changes the field it names.
    const before = this.saveErrors.length;
    this.saveErrors = this.saveErrors.filter((e) => {
      const k = splitErrorField(e.field).key;
      return k !== key && !(k === IDENTIFICATION && IDENTIFICATION_FIELDS.includes(key));
    });
    if (this.saveErrors.length !== before) this.renderErrors();
    this.scheduleValidate();
  }

  private onLeft(key: string): void {
    this.touched.add(key);
    this.scheduleValidate();
    this.scheduleValidate.flush();
  }

  private renderErrors(): void {
    const byKey = new Map<string, FieldError[]>();
    const general: FieldError[] = [];
    for (const err of [...this.saveErrors, ...this.errors]) {
      const { key } = splitErrorField(err.field);
      if (key === IDENTIFICATION || this.editors.has(key)) {
        const list = byKey.get(key) ?? [];
        list.push(err);
        byKey.set(key, list);
      } else {
        general.push(err);
      }
    }

    for (const [key, editor] of this.editors) {
      const shown = this.revealAll || this.touched.has(key) ? (byKey.get(key) ?? []) : [];
      editor.markInvalid(false, null);
      for (const err of shown) editor.markInvalid(true, splitErrorField(err.field).index);
      setErrorText(editor.errorSlot, `error-${key}`, shown, editor.def.label);
    }

    const identShown =
      this.revealAll || IDENTIFICATION_FIELDS.some((k) => this.touched.has(k))
        ? (byKey.get(IDENTIFICATION) ?? [])
        : [];
    setErrorText(this.identificationSlot, "error-identification", identShown);
    setErrorText(this.generalSlot, "error-general", this.revealAll ? general : []);
  }

  // ---- editors -----------------------------------------------------------

  private buildEditor(def: FieldDef): Editor {
    if (LIST_KINDS.has(def.kind)) return this.listEditor(def);
    switch (def.kind) {
      case "select":
      case "boolean":
        return this.selectEditor(def);
      case "multiSelect":
        return this.multiSelectEditor(def);
      case "longText":
        return this.textEditor(def, true);
      default:
        return this.textEditor(def, false);
    }
  }

  private frame(def: FieldDef, control: HTMLElement, labelFor: string | null, wide: boolean): {
    block: HTMLElement;
    errorSlot: HTMLElement;
  } {
    const errorSlot = h("div", { class: "field-error-slot", id: uid(`err-${def.key}`), "aria-live": "polite" });
    const labelChildren = [def.label, def.mandatory ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null];
    const label = labelFor
      ? h("label", { class: "field-label", for: labelFor }, labelChildren)
      : h("span", { class: "field-label" }, labelChildren);
    const block = h(
      "div",
      {
        class: `field field-kind-${def.kind}${wide ? " field-wide" : ""}`,
        "data-field": def.key,
        onfocusout: (e: Event) => {
          // Leaving the whole field (not moving between its own inputs) marks it touched.
          const next = (e as FocusEvent).relatedTarget;
          if (!(next instanceof Node && block.contains(next))) this.onLeft(def.key);
        },
      },
      label,
      control,
      errorSlot,
    );
    return { block, errorSlot };
  }

  private initialScalar(def: FieldDef): string {
    return this.opts.profile?.values[def.key] ?? "";
  }

  private textEditor(def: FieldDef, multiline: boolean): Editor {
    const id = uid(`f-${def.key}`);
    const shared = {
      id,
      name: def.key,
      "data-testid": `field-${def.key}`,
      autocomplete: "off",
      spellcheck: def.kind === "longText" ? "true" : "false",
      "aria-required": def.mandatory ? "true" : null,
      oninput: () => this.onEdited(def.key),
    };
    const date = def.kind === "date";
    let input: HTMLInputElement | HTMLTextAreaElement;
    if (multiline) {
      input = h("textarea", { ...shared, rows: 3 });
      input.value = this.initialScalar(def);
    } else {
      input = h("input", {
        ...shared,
        type: "text",
        // A date reads dd/mm/yyyy here as everywhere (the core sends yyyy-mm-dd).
        value: date ? dateForInput(this.initialScalar(def)) : this.initialScalar(def),
        placeholder: date ? common.datePlaceholder : null,
        inputmode: def.kind === "number" ? "decimal" : null,
      });
    }
    const { block, errorSlot } = this.frame(def, input, id, multiline);
    return {
      def,
      block,
      errorSlot,
      // A readable date goes to the core as its ISO date; anything else as typed, for the
      // core to refuse with the field named.
      read: () => (date ? (checkDate(input.value).iso ?? input.value) : input.value),
      focus: () => input.focus(),
      markInvalid: (invalid) => setInvalid(input, invalid, errorSlot.id),
      destroy: () => undefined,
    };
  }

  private selectEditor(def: FieldDef): Editor {
    const id = uid(`f-${def.key}`);
    const options =
      def.kind === "boolean"
        ? [
            { value: "true", label: common.yes },
            { value: "false", label: common.no },
          ]
        : def.options;
    const initial = matchOption(this.initialScalar(def), options);
    const select = h(
      "select",
      {
        id,
        name: def.key,
        "data-testid": `field-${def.key}`,
        "aria-required": def.mandatory ? "true" : null,
        onchange: () => this.onEdited(def.key),
      },
      h("option", { value: "" }, "—"),
      options.map((o) => h("option", { value: o.value }, o.label)),
      // A stored value outside the options is kept, not silently dropped on save.
      initial.unknown ? h("option", { value: initial.value }, initial.value) : null,
    );
    select.value = initial.value;
    const { block, errorSlot } = this.frame(def, select, id, false);
    return {
      def,
      block,
      errorSlot,
      read: () => select.value,
      focus: () => select.focus(),
      markInvalid: (invalid) => setInvalid(select, invalid, errorSlot.id),
      destroy: () => undefined,
    };
  }

  private multiSelectEditor(def: FieldDef): Editor {
    const initial = new Set(
      this.initialScalar(def)
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .map((s) => matchOption(s, def.options).value),
    );
    const boxes = def.options.map((o) =>
      h("input", {
        type: "checkbox",
        value: o.value,
        checked: initial.has(o.value),
        "data-testid": `field-${def.key}-${o.value}`,
        onchange: () => this.onEdited(def.key),
      }),
    );
    const group = h(
      "div",
      { class: "check-group", role: "group", "data-testid": `field-${def.key}`, "aria-label": def.label },
      boxes.map((box, i) => h("label", { class: "check" }, box, def.options[i]?.label ?? box.value)),
    );
    const { block, errorSlot } = this.frame(def, group, null, true);
    return {
      def,
      block,
      errorSlot,
      read: () => boxes.filter((b) => b.checked).map((b) => b.value),
      focus: () => boxes[0]?.focus(),
      markInvalid: (invalid) => group.classList.toggle("invalid", invalid),
      destroy: () => undefined,
    };
  }

  private listEditor(def: FieldDef): Editor {
    const key = def.key;
    const noun = key === "phones" ? m.nounPhone : key === "emails" ? m.nounEmail : key === "tags" ? m.nounTag : m.nounValue;
    const guardKind: "phone" | "email" | null = key === "phones" ? "phone" : key === "emails" ? "email" : null;
    const rows: ListRow[] = [];
    const list = h("div", { class: "list-editor-rows" });
    const errorId = uid(`err-${key}`);

    const renumber = (): void => {
      rows.forEach((row, i) => {
        row.input.dataset.testid = `field-${key}-${i}`;
        row.input.setAttribute("aria-label", `${def.label} ${i + 1}`);
        row.remove.dataset.testid = `remove-${key}-${i}`;
        row.remove.setAttribute("aria-label", m.removeEntry(noun, i + 1));
        // The first phone and e-mail are the primary ones: say so while typing.
        row.wrap.classList.toggle("primary", i === 0 && rows.length > 1 && guardKind !== null);
      });
    };

    const addRow = (value: string, focus: boolean): void => {
      const input = h("input", {
        type: guardKind === "email" ? "email" : guardKind === "phone" ? "tel" : "text",
        value,
        autocomplete: "off",
        spellcheck: "false",
        inputmode: guardKind === "phone" ? "tel" : guardKind === "email" ? "email" : null,
      });
      const guard = h("div", { class: "guard-slot" });
      const remove = h("button", { type: "button", class: "icon-button remove-entry" }, "×");
      const wrap = h(
        "div",
        { class: "list-editor-row" },
        h("div", { class: "list-editor-line" }, input, remove),
        guard,
      );
      const row: ListRow = { wrap, input, remove, guard, guardRequest: new Latest(), guardCheck: null };
      if (guardKind) {
        row.guardCheck = debounce(() => void this.checkOwner(row, guardKind), GUARD_MS);
      }
      input.addEventListener("input", () => {
        this.onEdited(key);
        if (row.guardCheck) {
          // Hide a stale notice at once; the new answer follows within 250 ms.
          row.guardRequest.invalidate();
          row.guard.replaceChildren();
          row.guardCheck();
        }
      });
      remove.addEventListener("click", () => {
        if (rows.length === 1) {
          input.value = "";
          row.guardRequest.invalidate();
          row.guard.replaceChildren();
          input.focus();
        } else {
          const at = rows.indexOf(row);
          row.guardCheck?.cancel();
          rows.splice(at, 1);
          wrap.remove();
          renumber();
          const next = rows[Math.min(at, rows.length - 1)];
          next?.input.focus();
        }
        this.touched.add(key);
        this.onEdited(key);
      });
      rows.push(row);
      list.appendChild(wrap);
      renumber();
      if (focus) input.focus();
      if (value && row.guardCheck) row.guardCheck();
    };

    const initial = this.initialList(def);
    if (initial.length === 0) addRow("", false);
    for (const v of initial) addRow(v, false);

    const add = h(
      "button",
      {
        type: "button",
        class: "link-button add-entry",
        "data-testid": `add-${key}`,
        onclick: () => addRow("", true),
      },
      m.addEntry(noun),
    );
    const control = h("div", { class: "list-editor", role: "group", "aria-label": def.label }, list, add);
    const { block, errorSlot } = this.frame(def, control, null, false);
    errorSlot.id = errorId;
    return {
      def,
      block,
      errorSlot,
      read: () => rows.map((r) => r.input.value.trim()).filter((v) => v !== ""),
      focus: (index) => (rows[index ?? 0] ?? rows[0])?.input.focus(),
      markInvalid: (invalid, index) => {
        if (!invalid) {
          for (const r of rows) setInvalid(r.input, false, errorId);
          return;
        }
        // The core counts only non-empty entries; map its index back to
        // inputs. Without an index the entry is only known when there is one
        // (the message names the value; the UI never parses messages).
        const filled = rows.filter((r) => r.input.value.trim() !== "");
        let targets: ListRow[];
        if (index !== null) targets = [filled[index]].filter((r) => r !== undefined);
        else targets = filled.length <= 1 ? (filled.length ? filled : rows.slice(0, 1)) : [];
        for (const r of targets) setInvalid(r.input, true, errorId);
      },
      destroy: () => {
        for (const r of rows) r.guardCheck?.cancel();
      },
    };
  }

  private initialList(def: FieldDef): string[] {
    const p = this.opts.profile;
    if (!p) return [];
    if (def.key === "phones") return p.phones.map((x) => x.raw);
    if (def.key === "emails") return [...p.emails];
    if (def.key === "tags") return [...p.tags];
    const text = p.values[def.key] ?? "";
    return text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }

  private async checkOwner(row: ListRow, kind: "phone" | "email"): Promise<void> {
    const value = row.input.value.trim();
    const isLatest = row.guardRequest.begin();
    if (value === "" || this.destroyed) {
      row.guard.replaceChildren();
      return;
    }
    let owner: IdentifierOwner | null;
    try {
      owner = await findIdentifierOwner(kind, value, this.opts.excludeId ?? null);
    } catch {
      // The guard is advice only: an unparseable phone is reported by
      // validation, and Save runs the real matching anyway.
      owner = null;
    }
    if (!isLatest() || this.destroyed) return;
    row.guard.replaceChildren(owner ? this.guardNotice(owner) : "");
  }

  private guardNotice(owner: IdentifierOwner): HTMLElement {
    const open = this.opts.onOpenProfile;
    return h(
      "div",
      { class: "duplicate-guard", role: "status", "data-testid": "duplicate-guard" },
      m.alreadyBelongsTo,
      open
        ? h(
            "button",
            {
              type: "button",
              class: "link-button",
              "data-testid": "duplicate-guard-open",
              onclick: () => open(owner.profileId),
            },
            owner.label,
          )
        : h("strong", null, owner.label),
      h(
        "span",
        { class: "guard-hint" },
        this.forCreate
          ? m.guardCreate(matchKeyLabel(owner.matchedBy))
          : m.guardEdit(matchKeyLabel(owner.matchedBy)),
      ),
    );
  }
}

/** A value compared as text: leading/trailing spaces and list order as typed. */
function sameValue(value: InputValue): string {
  return Array.isArray(value) ? JSON.stringify(value) : JSON.stringify(value.trim());
}

function setInvalid(el: HTMLElement, invalid: boolean, errorId: string): void {
  if (invalid) {
    el.setAttribute("aria-invalid", "true");
    el.setAttribute("aria-describedby", errorId);
  } else {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
}

/** The errors under a field (`label`: its name as the form shows it), in the UI's language. */
function setErrorText(slot: HTMLElement, testid: string, errors: FieldError[], label?: string): void {
  if (errors.length === 0) {
    slot.replaceChildren();
    return;
  }
  const messages = [...new Set(errors.map((e) => fieldErrorText(e, label)))];
  slot.replaceChildren(
    h(
      "div",
      { class: "field-error", "data-testid": testid },
      messages.length === 1 ? messages[0] : messages.map((m) => h("div", null, m)),
    ),
  );
}

/** Maps a displayed value (option value or label) back to the option value. */
function matchOption(
  text: string,
  options: ReadonlyArray<{ value: string; label: string }>,
): { value: string; unknown: boolean } {
  const t = text.trim();
  if (t === "") return { value: "", unknown: false };
  const lower = t.toLowerCase();
  const found = options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower);
  if (found) return { value: found.value, unknown: false };
  if (["yes", "true", "1"].includes(lower) && options.some((o) => o.value === "true")) return { value: "true", unknown: false };
  if (["no", "false", "0"].includes(lower) && options.some((o) => o.value === "false")) return { value: "false", unknown: false };
  return { value: t, unknown: true };
}
