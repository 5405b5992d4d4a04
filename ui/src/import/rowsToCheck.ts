// Fix before Confirm (issue 16): after the dry run, the rows that would fail or go to merge
// review are listed with their mapped cells as inputs. The user corrects a cell or leaves the
// row out; every change runs the dry run again with the fixes (the core checks them as it checks
// the file), and Confirm sends them with the settings. The fixes apply to this import only: the
// user's file is never written. What the user changed stays listed under "Your fixes", each
// with Undo, since a fixed row leaves the list of rows to check. A date cell of the workbook
// (which the core sends as ISO) is shown as dates are everywhere, dd/mm/yyyy; left as shown, it
// is no fix, and a fix typed from it is read by the core day first.
import { h, type Child } from "../shell/dom";
import { formatCellDate } from "../i18n/dates";
import { formatCount } from "../shell/format";
import type { CellProblem, DryRun, RowFixes, RowToCheck, SourceColumn } from "../ipc";
import { reasonText } from "../review/mergeReviewLogic";
import { columnTitle, columnTitleAt } from "./importLogic";
import { m } from "./messages";

interface CellChange {
  row: number;
  column: number;
  /** The value as the file has it. */
  original: string;
  value: string;
}

/** The fixes the user made on the review step, keyed by row and source column. */
export class FixesState {
  private readonly cells = new Map<string, CellChange>();
  private readonly excluded = new Set<number>();

  get empty(): boolean {
    return this.cells.size === 0 && this.excluded.size === 0;
  }

  /** `shown`: the cell as the dry run listed it (the file's value unless already fixed). */
  setCell(row: number, column: number, value: string, shown: string): void {
    const key = `${row}:${column}`;
    const original = this.cells.get(key)?.original ?? shown;
    if (value === original) this.cells.delete(key);
    else this.cells.set(key, { row, column, original, value });
  }

  /** The file's value of a cell the user changed, else undefined. */
  original(row: number, column: number): string | undefined {
    return this.cells.get(`${row}:${column}`)?.original;
  }

  setExcluded(row: number, out: boolean): void {
    if (out) this.excluded.add(row);
    else this.excluded.delete(row);
  }

  isExcluded(row: number): boolean {
    return this.excluded.has(row);
  }

  /** Takes back every fix of `row`. */
  undoRow(row: number): void {
    for (const [key, change] of this.cells) if (change.row === row) this.cells.delete(key);
    this.excluded.delete(row);
  }

  clear(): void {
    this.cells.clear();
    this.excluded.clear();
  }

  /** The fixes as the settings carry them (undefined when there are none). */
  toSettings(): RowFixes | undefined {
    if (this.empty) return undefined;
    const cells = [...this.cells.values()].map(({ row, column, value }) => ({ row, column, value }));
    return { cells, excluded: [...this.excluded].sort((a, b) => a - b) };
  }

  /** Every row the user touched, in row order: its changed cells, or left out. */
  rows(): Array<{ row: number; changes: CellChange[]; excluded: boolean }> {
    const rows = new Set<number>([...this.excluded, ...[...this.cells.values()].map((c) => c.row)]);
    return [...rows]
      .sort((a, b) => a - b)
      .map((row) => ({
        row,
        changes: [...this.cells.values()].filter((c) => c.row === row).sort((a, b) => a.column - b.column),
        excluded: this.excluded.has(row),
      }));
  }
}

export interface RowsToCheckOptions {
  result: DryRun;
  /** The source columns a field is mapped to, in source order (their cells are editable). */
  columns: readonly SourceColumn[];
  /** The source columns mapped to a date field (their date cells read dd/mm/yyyy). */
  dateColumns: ReadonlySet<number>;
  fixes: FixesState;
  /** A fix changed: run the dry run again; `focus` is the testid to give the focus back to. */
  onChange(focus: string | null): void;
  /** The sentence for one validation problem, in the UI's language. */
  problemText(problem: CellProblem): string;
}

/** The review step's section: the rows to check and the user's fixes; null when both are empty. */
export function rowsToCheckSection(opts: RowsToCheckOptions): Child {
  const { result, fixes } = opts;
  const toCheck = result.rowsToCheck;
  if (toCheck.length === 0 && fixes.empty) return null;
  const all = result.counts.failed + result.counts.reviews;
  return h(
    "section",
    { class: "rows-to-check", "data-testid": "rows-to-check", "aria-labelledby": "rows-to-check-title" },
    h("h3", { class: "sub-title", id: "rows-to-check-title" }, m.rowsToCheckTitle(all)),
    toCheck.length > 0 ? h("p", { class: "form-hint" }, m.rowsToCheckHint) : null,
    all > toCheck.length ? h("p", { class: "muted", "data-testid": "rows-to-check-more" }, m.rowsToCheckFirst(toCheck.length, all)) : null,
    toCheck.length > 0 ? table(opts) : null,
    yourFixes(opts),
  );
}

function table(opts: RowsToCheckOptions): HTMLElement {
  return h(
    "div",
    { class: "rows-to-check-scroll" },
    h(
      "table",
      { class: "mini-table rows-to-check-table", "data-testid": "rows-to-check-table" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", { scope: "col" }, m.headRow),
          opts.columns.map((c) => h("th", { scope: "col" }, columnTitle(c))),
          h("th", { scope: "col" }, m.headToCheck),
          h("th", { scope: "col" }, m.headLeaveOut),
        ),
      ),
      h(
        "tbody",
        null,
        opts.result.rowsToCheck.map((r) => rowLine(r, opts)),
      ),
    ),
  );
}

function rowLine(r: RowToCheck, opts: RowsToCheckOptions): HTMLElement {
  const blamed = new Set(r.problems.map((p) => p.column).filter((c): c is number => c !== null));
  const problems = r.problems.map((p) => {
    const text = opts.problemText(p);
    return p.column === null ? text : m.columnProblem(columnTitleAt(opts.columns, p.column), text);
  });
  if (r.review) {
    const names = r.review.candidates.join(", ");
    problems.push(m.goesToReview(reasonText(r.review.reason).label, names));
  }
  const leaveOut = h("input", {
    type: "checkbox",
    "data-testid": `fix-exclude-${r.row}`,
    "aria-label": m.leaveOutRow(r.row),
    checked: opts.fixes.isExcluded(r.row),
    onchange: (e: Event) => {
      opts.fixes.setExcluded(r.row, (e.currentTarget as HTMLInputElement).checked);
      opts.onChange(`fix-exclude-${r.row}`);
    },
  });
  return h(
    "tr",
    { "data-testid": `row-to-check-${r.row}`, class: r.review ? "row-to-review" : "row-failing" },
    h("th", { scope: "row" }, formatCount(r.row), r.fixed ? h("span", { class: "badge fix-badge" }, m.fixedBadge) : null),
    opts.columns.map((c) => {
      const shown = r.cells[c.index] ?? "";
      const display = cellText(opts, c.index, shown);
      const testid = `fix-cell-${r.row}-${c.index}`;
      const bad = blamed.has(c.index);
      return h(
        "td",
        null,
        h("input", {
          type: "text",
          class: `fix-cell${bad ? " is-invalid" : ""}`,
          value: display,
          "data-testid": testid,
          "aria-label": m.cellLabel(columnTitle(c), r.row),
          "aria-invalid": bad ? "true" : "false",
          spellcheck: false,
          onchange: (e: Event) => {
            const typed = (e.currentTarget as HTMLInputElement).value;
            // The file's value typed back as this screen shows it (a date dd/mm/yyyy): no fix.
            const original = opts.fixes.original(r.row, c.index) ?? shown;
            opts.fixes.setCell(r.row, c.index, typed === cellText(opts, c.index, original) ? original : typed, shown);
            opts.onChange(testid);
          },
        }),
      );
    }),
    h(
      "td",
      { class: "row-problems", "data-testid": `row-problems-${r.row}` },
      problems.map((p) => h("div", null, p)),
    ),
    h("td", { class: "row-leave-out" }, leaveOut),
  );
}

/** A cell as its input shows it: a date cell of a date field as dd/mm/yyyy, any other as is. */
function cellText(opts: RowsToCheckOptions, column: number, cell: string): string {
  return opts.dateColumns.has(column) ? formatCellDate(cell) : cell;
}

/** What the user changed, with Undo per row: a fixed row may have left the list above. */
function yourFixes(opts: RowsToCheckOptions): Child {
  const rows = opts.fixes.rows();
  if (rows.length === 0) return null;
  const header = (column: number) => columnTitleAt(opts.columns, column);
  return h(
    "div",
    { class: "your-fixes", "data-testid": "your-fixes" },
    h("h4", { class: "sub-title" }, m.yourFixesTitle(rows.length)),
    h(
      "ul",
      null,
      rows.map((r) =>
        h(
          "li",
          { "data-testid": `fix-summary-${r.row}` },
          h(
            "span",
            null,
            r.excluded
              ? m.rowLeftOut(r.row)
              : m.rowFixed(
                  r.row,
                  r.changes.map((c) => m.cellChange(header(c.column), cellText(opts, c.column, c.original), c.value)).join("; "),
                ),
          ),
          h(
            "button",
            {
              type: "button",
              class: "button button-ghost button-small",
              "data-testid": `fix-undo-${r.row}`,
              onclick: () => {
                opts.fixes.undoRow(r.row);
                opts.onChange(null);
              },
            },
            m.undoFix,
          ),
        ),
      ),
    ),
  );
}
