// Which catalogue fields the list shows, and in which order. Every change is
// saved at once through the core (set_list_columns), which remembers it per
// user; the core's answer is what the list then uses.
import { h } from "../shell/dom";
import { Popover } from "../shell/menu";
import type { FieldDef } from "../ipc";
import { showError } from "../shell/toast";
import { m } from "./messages";

export interface ColumnChooserOptions {
  fields: readonly FieldDef[];
  getColumns(): readonly string[];
  /** Persists the new columns; resolves once the list uses them. */
  setColumns(columns: string[]): Promise<void>;
}

/** Order shown in the panel: displayed columns in their order, then the rest by catalogue position. */
export function chooserOrder(fields: readonly FieldDef[], columns: readonly string[]): FieldDef[] {
  const visible = fields.filter((f) => !f.hidden);
  const byKey = new Map(visible.map((f) => [f.key, f]));
  const shown = columns.map((k) => byKey.get(k)).filter((f): f is FieldDef => f !== undefined);
  const rest = visible
    .filter((f) => !columns.includes(f.key))
    .sort((a, b) => a.position - b.position);
  return [...shown, ...rest];
}

export function toggleColumn(columns: readonly string[], key: string, on: boolean): string[] {
  if (on) return columns.includes(key) ? [...columns] : [...columns, key];
  return columns.filter((k) => k !== key);
}

export function moveColumn(columns: readonly string[], key: string, delta: -1 | 1): string[] {
  const next = [...columns];
  const at = next.indexOf(key);
  const to = at + delta;
  if (at < 0 || to < 0 || to >= next.length) return next;
  const moved = next[at] as string;
  next[at] = next[to] as string;
  next[to] = moved;
  return next;
}

export class ColumnChooser {
  readonly element: HTMLElement;
  private readonly popover: Popover;
  private readonly panel: HTMLElement;
  private readonly list: HTMLElement;
  private busy = false;

  constructor(private readonly opts: ColumnChooserOptions) {
    this.list = h("div", { class: "column-list", role: "group", "aria-label": m.displayedColumns });
    this.panel = h(
      "div",
      {
        class: "popover column-panel",
        role: "dialog",
        "aria-label": m.chooseColumns,
        "data-testid": "column-chooser-panel",
      },
      h("div", { class: "popover-title" }, m.columns),
      h("div", { class: "popover-hint" }, m.columnsHint),
      this.list,
    );
    this.popover = new Popover({
      button: h(
        "button",
        { type: "button", class: "button button-secondary", "data-testid": "column-chooser" },
        h("span", { class: "button-icon icon-columns", "aria-hidden": "true" }),
        m.columns,
      ),
      panel: this.panel,
      popup: "dialog",
      focus: "input",
      onOpen: () => this.render(),
    });
    this.element = this.popover.element;
  }

  get isOpen(): boolean {
    return this.popover.isOpen;
  }

  open(): void {
    this.popover.open();
  }

  close(): void {
    this.popover.close();
  }

  private async apply(columns: string[], refocus: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.list.setAttribute("aria-busy", "true");
    try {
      await this.opts.setColumns(columns);
    } catch (err) {
      showError(err);
    } finally {
      this.busy = false;
      this.list.removeAttribute("aria-busy");
      this.render();
      // The panel is rebuilt; keep the keyboard where the user was.
      const target = this.list.querySelector<HTMLElement>(`[data-testid="${refocus}"]`);
      if (target && !(target as HTMLButtonElement).disabled) target.focus();
      else this.list.querySelector<HTMLElement>(`[data-testid="${refocus.replace(/^column-(up|down)-/, "column-option-")}"]`)?.focus();
    }
  }

  private render(): void {
    const columns = this.opts.getColumns();
    const items = chooserOrder(this.opts.fields, columns).map((f) => {
      const shown = columns.includes(f.key);
      const pos = columns.indexOf(f.key);
      const isLast = shown && columns.length === 1;
      const checkbox = h("input", {
        type: "checkbox",
        checked: shown,
        "data-testid": `column-option-${f.key}`,
        // At least one column must stay, or the list would show nothing.
        disabled: isLast,
        title: isLast ? m.lastColumn : null,
        onchange: (e: Event) =>
          void this.apply(toggleColumn(columns, f.key, (e.target as HTMLInputElement).checked), `column-option-${f.key}`),
      });
      return h(
        "div",
        { class: `column-item${shown ? " shown" : ""}`, "data-key": f.key },
        h("label", { class: "check" }, checkbox, f.label),
        h(
          "span",
          { class: "column-move" },
          h(
            "button",
            {
              type: "button",
              class: "icon-button",
              "data-testid": `column-up-${f.key}`,
              "aria-label": m.moveUp(f.label),
              disabled: !shown || pos === 0,
              onclick: () => void this.apply(moveColumn(columns, f.key, -1), `column-up-${f.key}`),
            },
            "↑",
          ),
          h(
            "button",
            {
              type: "button",
              class: "icon-button",
              "data-testid": `column-down-${f.key}`,
              "aria-label": m.moveDown(f.label),
              disabled: !shown || pos === columns.length - 1,
              onclick: () => void this.apply(moveColumn(columns, f.key, 1), `column-down-${f.key}`),
            },
            "↓",
          ),
        ),
      );
    });
    this.list.replaceChildren(...items);
  }
}
