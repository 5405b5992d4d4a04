// The filter builder (SPEC 2): rows of "subject · operator · value", combined with AND. Rows
// become typed conditions (filterModel.ts) that the list sends to the core, which compiles
// and checks them; its errors come back here, under the row they concern.
import { debounce, h } from "../shell/dom";
import type { Condition, ConsentChannel, FilterField, FilterOp, JobSummary } from "../ipc";
import {
  arity,
  booleanChoices,
  consentChoices,
  conditionsOf,
  dateProblems,
  newRow,
  opLabel,
  operatorsOf,
  resolveSubject,
  rowsOf,
  sourceChoices,
  subjects,
  type Choice,
  type DraftRow,
  type Subject,
} from "./filterModel";
import { common } from "../i18n/common";
import { m } from "./messages";

const TYPING_MS = 400;

export interface FilterBuilderOptions {
  fields: readonly FilterField[];
  channels: readonly ConsentChannel[];
  /** The import jobs, for "Source is import job N" (loaded when a source row needs them). */
  loadJobs(): Promise<JobSummary[]>;
  /** The complete rows changed: their conditions, and the row id of each (for errors). */
  onChange(conditions: Condition[], rowIds: number[]): void;
  /** "Save as segment" was pressed. */
  onSave(): void;
}

function selectOf(choices: readonly Choice[], value: string, attrs: Record<string, string>, onchange: (v: string) => void): HTMLSelectElement {
  const select = h(
    "select",
    { class: "filter-select", ...attrs, onchange: (e: Event) => onchange((e.target as HTMLSelectElement).value) },
    choices.map((c) => h("option", { value: c.value }, c.label)),
  );
  // A value missing from the choices (e.g. a deleted import job) is kept visible, not replaced.
  if (!choices.some((c) => c.value === value) && value !== "") {
    select.appendChild(h("option", { value }, value));
  }
  select.value = value;
  return select;
}

function sameErrors(a: ReadonlyMap<number, string>, b: ReadonlyMap<number, string>): boolean {
  return a.size === b.size && [...a].every(([id, text]) => b.get(id) === text);
}

export class FilterBuilder {
  readonly element: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private rows: DraftRow[] = [];
  private errors = new Map<number, string>();
  /** Dates typed that cannot be read, by row id: told here, before the core is asked. */
  private dateErrors = new Map<number, string>();
  private nextId = 1;
  private jobs: JobSummary[] | null = null;
  private loadingJobs = false;
  private readonly changedSoon = debounce(() => this.emit(), TYPING_MS);

  constructor(private readonly opts: FilterBuilderOptions) {
    this.rowsEl = h("div", { class: "filter-rows", role: "group", "aria-label": m.filterConditions });
    this.element = h(
      "section",
      { class: "filter-panel", "data-testid": "filter-builder", "aria-label": m.filter, hidden: true },
      this.rowsEl,
      h(
        "div",
        { class: "filter-actions" },
        h(
          "button",
          { type: "button", class: "button button-ghost button-small", "data-testid": "filter-add", onclick: () => this.addRow() },
          h("span", { class: "button-icon icon-plus", "aria-hidden": "true" }),
          m.addCondition,
        ),
        h(
          "button",
          { type: "button", class: "button button-ghost button-small", "data-testid": "filter-clear", onclick: () => this.clear() },
          m.clearAll,
        ),
        h("div", { class: "toolbar-spacer" }),
        h("span", { class: "filter-hint muted" }, m.combineHint),
        h(
          "button",
          { type: "button", class: "button button-secondary button-small", "data-testid": "segment-save", onclick: () => opts.onSave() },
          m.saveAsSegmentButton,
        ),
      ),
    );
  }

  /** Conditions as shown, complete ones only. */
  get conditions(): Condition[] {
    return conditionsOf(this.rows, this.opts.fields, this.opts.channels).conditions;
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** Shows the builder; with no row yet, starts one. */
  open(): void {
    this.element.hidden = false;
    if (this.rows.length === 0) this.addRow();
    else this.focusRow(this.rows[this.rows.length - 1]?.id);
  }

  close(): void {
    this.element.hidden = true;
  }

  /** Replaces the rows with `conditions` (a segment, or a link from the import report); no change event. */
  setConditions(conditions: readonly Condition[]): void {
    this.changedSoon.cancel();
    this.rows = rowsOf(conditions, this.nextId, this.opts.fields);
    this.nextId += this.rows.length;
    this.errors.clear();
    this.dateErrors.clear();
    if (this.rows.some((r) => r.subject === "source")) void this.ensureJobs();
    this.render();
  }

  /** The core's messages about some rows (by row id); other rows lose theirs. */
  setErrors(errors: Map<number, string>): void {
    this.errors = errors;
    this.render();
  }

  private emit(): void {
    const dateErrors = dateProblems(this.rows, this.opts.fields, this.opts.channels);
    if (!sameErrors(dateErrors, this.dateErrors)) {
      this.dateErrors = dateErrors;
      this.render();
    }
    const { conditions, rowIds } = conditionsOf(this.rows, this.opts.fields, this.opts.channels);
    this.opts.onChange(conditions, rowIds);
  }

  /** Applies at once (a choice in a select), dropping a pending typed change. */
  private changedNow(): void {
    this.changedSoon.cancel();
    this.emit();
  }

  private addRow(): void {
    const first = subjects(this.opts.fields, this.opts.channels)[0];
    const key = first?.value ?? "source";
    const row = newRow(this.nextId++, key, resolveSubject(key, this.opts.fields, this.opts.channels));
    this.rows.push(row);
    this.render();
    this.focusRow(row.id);
    // A new row is incomplete until it has a value: nothing changes yet, unless it needs none.
    if (arity(row.op) === 0) this.changedNow();
  }

  private clear(): void {
    const had = this.conditions.length > 0;
    this.rows = [];
    this.errors.clear();
    this.dateErrors.clear();
    this.render();
    if (had) this.changedNow();
    this.addRow();
  }

  private remove(id: number): void {
    const index = this.rows.findIndex((r) => r.id === id);
    this.rows = this.rows.filter((r) => r.id !== id);
    this.errors.delete(id);
    this.dateErrors.delete(id);
    this.render();
    this.changedNow();
    const next = this.rows[Math.min(index, this.rows.length - 1)];
    if (next) this.focusRow(next.id);
    else this.element.querySelector<HTMLElement>('[data-testid="filter-add"]')?.focus();
  }

  /** A row changed: its messages go until it is checked again. */
  private forget(id: number): void {
    this.errors.delete(id);
    this.dateErrors.delete(id);
  }

  private focusRow(id: number | undefined): void {
    if (id === undefined) return;
    const el = this.rowsEl.querySelector<HTMLElement>(`[data-row-id="${id}"] .filter-subject`);
    el?.focus();
  }

  private async ensureJobs(): Promise<void> {
    if (this.jobs || this.loadingJobs) return;
    this.loadingJobs = true;
    try {
      this.jobs = await this.opts.loadJobs();
    } catch {
      this.jobs = [];
    } finally {
      this.loadingJobs = false;
    }
    this.render();
  }

  private render(): void {
    // Rows are rebuilt; the focused control (and a text caret) is put back where it was.
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.rowsEl.contains(active) ? active.getAttribute("data-testid") : null;
    const caret = active instanceof HTMLInputElement ? { start: active.selectionStart, end: active.selectionEnd } : null;
    this.rowsEl.replaceChildren(...this.rows.map((row, index) => this.renderRow(row, index)));
    if (!focusKey) return;
    const again = this.rowsEl.querySelector<HTMLElement>(`[data-testid="${focusKey}"]`);
    again?.focus();
    if (again instanceof HTMLInputElement && caret) again.setSelectionRange(caret.start, caret.end);
  }

  private renderRow(row: DraftRow, index: number): HTMLElement {
    const { fields, channels } = this.opts;
    const subject = resolveSubject(row.subject, fields, channels);
    const subjectSelect = selectOf(
      subjects(fields, channels),
      row.subject,
      { "data-testid": `filter-subject-${index}`, "aria-label": m.subjectLabel(index + 1), class: "filter-select filter-subject" },
      (value) => {
        const fresh = newRow(row.id, value, resolveSubject(value, fields, channels));
        Object.assign(row, fresh);
        this.forget(row.id);
        if (value === "source") void this.ensureJobs();
        this.render();
        this.changedNow();
      },
    );
    const dates = subject?.kind === "field" && subject.field.takesDates;
    const ops = operatorsOf(subject);
    const opSelect = selectOf(
      ops.map((op) => ({ value: op, label: opLabel(op, dates) })),
      row.op,
      { "data-testid": `filter-op-${index}`, "aria-label": m.operatorLabel(index + 1) },
      (value) => {
        const before = arity(row.op);
        row.op = value as FilterOp;
        if (arity(row.op) < 2) row.value2 = "";
        if (row.op === "lastDays" && !/^\d+$/.test(row.value)) row.value = "30";
        this.forget(row.id);
        this.render();
        if (arity(row.op) !== before || arity(row.op) === 0 || row.value !== "") this.changedNow();
      },
    );
    opSelect.disabled = ops.length <= 1;
    const error = this.dateErrors.get(row.id) ?? this.errors.get(row.id);
    return h(
      "div",
      { class: `filter-row${error ? " has-error" : ""}`, "data-testid": `filter-row-${index}`, "data-row-id": row.id },
      h("span", { class: "filter-join muted" }, index === 0 ? m.where : m.and),
      subjectSelect,
      opSelect,
      this.valueControls(row, index, subject),
      h("button", {
        type: "button",
        class: "icon-button close-glyph",
        "data-testid": `filter-remove-${index}`,
        "aria-label": m.removeConditionLabel(index + 1),
        title: m.removeCondition,
        onclick: () => this.remove(row.id),
      }),
      error ? h("div", { class: "field-error filter-error", role: "alert", "data-testid": `filter-error-${index}` }, error) : null,
    );
  }

  private valueControls(row: DraftRow, index: number, subject: Subject | null): HTMLElement | null {
    const n = subject?.kind === "field" ? arity(row.op) : 1;
    if (n === 0 || !subject) return h("span", { class: "filter-values" });
    const label = m.valueLabel(index + 1);
    const choose = (choices: readonly Choice[]): HTMLElement =>
      selectOf(choices, row.value, { "data-testid": `filter-value-${index}`, "aria-label": label }, (value) => {
        row.value = value;
        this.forget(row.id);
        this.changedNow();
      });
    if (subject.kind === "consent") return h("span", { class: "filter-values" }, choose(consentChoices()));
    if (subject.kind === "source") {
      const choices = sourceChoices(this.jobs ?? []);
      return h("span", { class: "filter-values" }, choose(choices));
    }
    const field = subject.field;
    if (field.kind === "select" || field.kind === "multiSelect") {
      return h("span", { class: "filter-values" }, choose(field.options.map((o) => ({ value: o.value, label: o.label }))));
    }
    if (field.kind === "boolean") return h("span", { class: "filter-values" }, choose(booleanChoices()));
    const placeholder = field.takesDates
      ? common.datePlaceholder
      : field.kind === "number"
        ? m.numberPlaceholder
        : field.kind === "phones"
          ? m.phonePlaceholder
          : m.valuePlaceholder;
    const input = (which: "value" | "value2", testid: string, ph: string): HTMLInputElement =>
      h("input", {
        type: "text",
        class: "filter-input",
        "data-testid": testid,
        "aria-label": which === "value" ? label : m.secondValueLabel(index + 1),
        placeholder: ph,
        value: row[which],
        inputmode: row.op === "lastDays" || field.kind === "number" ? "decimal" : null,
        autocomplete: "off",
        spellcheck: "false",
        oninput: (e: Event) => {
          row[which] = (e.target as HTMLInputElement).value;
          this.changedSoon();
        },
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key === "Enter") {
            e.preventDefault();
            this.changedSoon.flush();
          }
        },
      });
    if (row.op === "lastDays") {
      const days = input("value", `filter-value-${index}`, "30");
      days.classList.add("filter-days");
      return h("span", { class: "filter-values" }, days, h("span", { class: "muted" }, m.days));
    }
    if (n === 2) {
      return h(
        "span",
        { class: "filter-values" },
        input("value", `filter-value-${index}`, placeholder),
        h("span", { class: "muted" }, m.betweenAnd),
        input("value2", `filter-value2-${index}`, placeholder),
      );
    }
    return h("span", { class: "filter-values" }, input("value", `filter-value-${index}`, placeholder));
  }
}
