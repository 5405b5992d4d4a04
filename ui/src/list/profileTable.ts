// The DOM side of the virtual profile table: a scroll container with a spacer
// as tall as the (possibly scaled) list, and a layer holding only the rows in
// view. Rows come in pages of 100 fetched by offset and cached; rows whose
// page has not arrived are drawn as placeholders. The maths lives in
// virtualTable.ts.
import { h } from "../shell/dom";
import { Latest } from "../shell/latest";
import { fieldText } from "../shell/format";
import type { FieldKind, ProfileRow } from "../ipc";
import { BULK_LIMIT, type PageState, type Selection } from "./selection";
import { showError, showToast } from "../shell/toast";
import {
  PAGE_SIZE,
  PageCache,
  ROW_HEIGHT,
  pageOffset,
  pagesForRange,
  rowsPerViewport,
  scrollTopForRow,
  spacerHeight,
  visibleRange,
  type Geometry,
} from "./virtualTable";
import { m } from "./messages";

export interface TableColumn {
  key: string;
  label: string;
  width: number;
  /** The field's kind: how its cells are shown (dates dd/mm/yyyy, phones in one format). */
  kind?: FieldKind;
  /** The list can be ordered by this column (its header is a button). */
  sortable?: boolean;
}

/** The list's order as the header shows it. */
export interface TableSort {
  key: string;
  descending: boolean;
}

export interface ProfileTableOptions {
  selection: Selection;
  /** Rows [offset, offset + limit) of the list as currently queried. */
  fetchPage(offset: number, limit: number): Promise<ProfileRow[]>;
  onOpen(id: number): void;
  /** The selection changed, or which of the rows on screen are selected (scrolling). */
  onSelectionChange(): void;
  /** A sortable header was clicked. */
  onSort?(key: string): void;
}

/** A few pages at once keep a fast drag of the scrollbar from queueing hundreds of requests. */
const MAX_CONCURRENT_PAGES = 4;
/** A shift-click range needs every id in it; beyond this it would mean thousands of requests. */
export const MAX_SHIFT_RANGE = 10_000;
const CHECK_WIDTH = 44;

interface RenderedRow {
  el: HTMLElement;
  id: number | null;
  checkbox: HTMLInputElement | null;
}

export class ProfileTable {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly headerRow: HTMLElement;
  private readonly headerCheckbox: HTMLInputElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;

  private columns: TableColumn[] = [];
  private sort: TableSort | null = null;
  private count = 0;
  /** False while the count is a guess (search typed, count not back yet). */
  private countExact = true;
  private readonly cache = new PageCache<ProfileRow>(60, PAGE_SIZE);
  private readonly generation = new Latest();
  private inflight = new Set<number>();
  private failedPages = new Set<number>();
  private rendered = new Map<number, RenderedRow>();
  private renderedOrder: number[] = [];
  private renderQueued = false;
  private active = -1;
  /** What the header checkbox showed last (a scroll that changes it tells the list). */
  private shownPageState: PageState = "none";

  constructor(private readonly opts: ProfileTableOptions) {
    this.headerCheckbox = h("input", {
      type: "checkbox",
      "data-testid": "select-page-checkbox",
      // Says which rows it takes: those on screen (the whole list is offered above the table).
      "aria-label": m.selectRowsOnScreen(0),
      title: m.selectRowsOnScreen(0),
      // Not cancelled: a cancelled click makes the browser restore the old
      // checked state after the listeners ran, undoing the repaint.
      onclick: () => {
        const rows = new Map(this.visibleRows().map((row) => [row.id, row]));
        this.opts.selection.togglePage([...rows.keys()], (id) => {
          const row = rows.get(id);
          return row ? this.rowLabel(row) : undefined;
        });
        this.selectionChanged();
      },
    });
    this.headerRow = h("div", { class: "vt-row vt-header-row", role: "row", "aria-rowindex": 1 });
    this.header = h("div", { class: "vt-header", role: "rowgroup" }, this.headerRow);
    this.layer = h("div", { class: "vt-layer", role: "rowgroup" });
    this.spacer = h("div", { class: "vt-spacer" }, this.layer);
    this.scroller = h(
      "div",
      {
        class: "vt-scroller",
        tabindex: "0",
        role: "grid",
        "aria-label": m.tableLabel,
        "aria-multiselectable": "true",
        "data-testid": "profile-table",
      },
      this.spacer,
    );
    this.element = h("div", { class: "vt-table" }, this.header, this.scroller);

    this.scroller.addEventListener(
      "scroll",
      () => {
        this.header.scrollLeft = this.scroller.scrollLeft;
        this.schedule();
      },
      { passive: true },
    );
    this.scroller.addEventListener("keydown", (e) => this.onKey(e));
    this.scroller.addEventListener("focus", () => {
      if (this.active < 0 && this.count > 0) {
        this.active = visibleRange(this.scroller.scrollTop, this.geometry(), 0).start;
        this.schedule();
      }
    });
    this.layer.addEventListener("click", (e) => this.onClick(e));
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(() => this.schedule()).observe(this.scroller);
    } else {
      window.addEventListener("resize", () => this.schedule());
    }
  }

  get rowCount(): number {
    return this.count;
  }

  setColumns(columns: TableColumn[]): void {
    this.columns = columns;
    const template = [
      `${CHECK_WIDTH}px`,
      ...columns.map((c, i) => (i === columns.length - 1 ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)),
    ].join(" ");
    const width = CHECK_WIDTH + columns.reduce((sum, c) => sum + c.width, 0);
    this.element.style.setProperty("--vt-cols", template);
    this.element.style.setProperty("--vt-width", `${width}px`);
    this.headerRow.replaceChildren(
      h("div", { class: "vt-cell vt-check", role: "columnheader" }, this.headerCheckbox),
      ...columns.map((c) => this.headerCell(c)),
    );
    // The rows are fetched again with the new columns and drawn at once (not at the next
    // scroll: the list stood blank until then).
    this.invalidate();
    this.schedule();
  }

  /** Shows the order in the headers (the rows are refetched by the caller). */
  setSort(sort: TableSort | null): void {
    this.sort = sort;
    this.setColumns(this.columns);
  }

  private headerCell(c: TableColumn): HTMLElement {
    const sorted = this.sort?.key === c.key ? this.sort : null;
    const ariaSort = sorted ? (sorted.descending ? "descending" : "ascending") : c.sortable ? "none" : null;
    const content: HTMLElement | string = c.sortable
      ? h(
          "button",
          {
            type: "button",
            class: "vt-sort",
            "data-testid": `sort-${c.key}`,
            title: m.sortBy(c.label),
            onclick: () => this.opts.onSort?.(c.key),
          },
          h("span", { class: "vt-sort-label" }, c.label),
          h("span", { class: `vt-sort-mark${sorted ? (sorted.descending ? " desc" : " asc") : ""}`, "aria-hidden": "true" }),
        )
      : c.label;
    return h(
      "div",
      { class: "vt-cell vt-head", role: "columnheader", "data-col": c.key, title: c.label, "aria-sort": ariaSort },
      content,
    );
  }

  /** A new query: forget rows, go back to the top. `exact` is false for a guessed count. */
  reset(count: number, exact: boolean): void {
    this.invalidate();
    this.count = count;
    this.countExact = exact;
    this.active = -1;
    this.opts.selection.resetAnchor();
    this.scroller.scrollTop = 0;
    this.schedule();
  }

  /** Same query, data changed (e.g. a profile was saved): refetch in place. */
  reload(count: number): void {
    this.invalidate();
    this.count = count;
    this.countExact = true;
    this.active = Math.min(this.active, count - 1);
    this.opts.selection.resetAnchor();
    this.schedule();
  }

  /** The real count arrived for the current query. */
  setCount(count: number): void {
    this.count = count;
    this.countExact = true;
    this.active = Math.min(this.active, count - 1);
    this.schedule();
  }

  /** Ids of the loaded rows actually on screen (the "page" of select-all). */
  visibleIds(): number[] {
    return this.visibleRows().map((row) => row.id);
  }

  private visibleRows(): ProfileRow[] {
    const range = visibleRange(this.scroller.scrollTop, this.geometry(), 0);
    const rows: ProfileRow[] = [];
    for (let i = range.start; i < range.end; i++) {
      const row = this.cache.row(i);
      if (row) rows.push(row);
    }
    return rows;
  }

  /** How many of the rows on screen are selected: none, some, all. */
  pageState(): PageState {
    return this.opts.selection.pageState(this.visibleIds());
  }

  /**
   * Selects every row of the list as queried, when it holds at most BULK_LIMIT (one page is
   * fetched for their ids and names); false when it holds more, its count is still a guess,
   * or the query changed meanwhile.
   */
  async selectAll(): Promise<boolean> {
    if (!this.countExact || this.count === 0 || this.count > BULK_LIMIT) return false;
    let rows: Map<number, ProfileRow> | null;
    try {
      rows = await this.rowsFor(0, this.count - 1);
    } catch (err) {
      showError(err);
      return false;
    }
    if (!rows) return false;
    for (const row of rows.values()) this.opts.selection.set(row.id, true, this.rowLabel(row));
    this.selectionChanged();
    return true;
  }

  selectionChanged(): void {
    for (const [, r] of this.rendered) this.paintRowState(r);
    this.paintHeaderCheckbox();
    this.opts.onSelectionChange();
  }

  /** The name a row goes by, as shown: its full name, else its first non-empty cell, else its id. */
  private rowLabel(row: ProfileRow): string {
    return row.cells.full_name || this.columns.map((c) => this.cellText(row, c)).find((t) => t) || `#${row.id}`;
  }

  /** A cell as shown: the core's display text, dates and phones in the UI's one format. */
  private cellText(row: ProfileRow, c: TableColumn): string {
    return fieldText(c.key, row.cells[c.key] ?? "", c.kind);
  }

  focus(): void {
    this.scroller.focus();
  }

  private invalidate(): void {
    this.generation.invalidate();
    this.cache.clear();
    this.inflight = new Set();
    this.failedPages = new Set();
    this.rendered.clear();
    this.renderedOrder = [];
    this.layer.replaceChildren();
  }

  private geometry(): Geometry {
    return { rowCount: this.count, rowHeight: ROW_HEIGHT, viewportHeight: this.scroller.clientHeight };
  }

  /**
   * Coalesces the state changes of one task into one render, run before the
   * next paint. A microtask rather than requestAnimationFrame: WebKitGTK
   * throttles animation frames to a few per second when it has no real
   * display (Xvfb, where the end-to-end tests run), and scroll events
   * already arrive at most once per frame.
   */
  private schedule(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    const g = this.geometry();
    this.spacer.style.height = `${spacerHeight(g)}px`;
    this.scroller.setAttribute("aria-rowcount", String(this.count + 1));
    // The header has no vertical scrollbar; pad it so columns line up.
    const gutter = this.scroller.offsetWidth - this.scroller.clientWidth;
    this.header.style.paddingRight = `${Math.max(0, gutter)}px`;

    const range = visibleRange(this.scroller.scrollTop, g);
    this.layer.style.transform = `translateY(${range.offsetY}px)`;
    this.requestPages(range.start, range.end);

    const order: number[] = [];
    const next = new Map<number, RenderedRow>();
    for (let i = range.start; i < range.end; i++) {
      const row = this.cache.row(i);
      const id = row ? row.id : null;
      const existing = this.rendered.get(i);
      // Rows are reused while they show the same profile, so a checkbox
      // element stays the same element across selection changes.
      const r = existing && existing.id === id ? existing : this.buildRow(i, row);
      this.paintRowState(r, i);
      next.set(i, r);
      order.push(i);
    }
    const sameOrder =
      order.length === this.renderedOrder.length &&
      order.every((v, k) => v === this.renderedOrder[k] && next.get(v) === this.rendered.get(v));
    if (!sameOrder) this.layer.replaceChildren(...order.map((i) => (next.get(i) as RenderedRow).el));
    this.rendered = next;
    this.renderedOrder = order;
    if (this.active >= 0) this.scroller.setAttribute("aria-activedescendant", `vt-row-${this.active}`);
    else this.scroller.removeAttribute("aria-activedescendant");
    // A scroll can bring unselected rows on screen (or only selected ones): the list's offer
    // to select the whole list follows the header checkbox.
    if (this.paintHeaderCheckbox()) this.opts.onSelectionChange();
  }

  private buildRow(index: number, row: ProfileRow | undefined): RenderedRow {
    if (!row) {
      const el = h(
        "div",
        { class: "vt-row placeholder", role: "row", "aria-rowindex": index + 2, "aria-busy": "true" },
        h("div", { class: "vt-cell vt-check", role: "gridcell" }),
        this.columns.map((c) =>
          h("div", { class: "vt-cell", role: "gridcell", "data-col": c.key }, h("span", { class: "skeleton" })),
        ),
      );
      return { el, id: null, checkbox: null };
    }
    const label = this.rowLabel(row);
    const checkbox = h("input", {
      type: "checkbox",
      tabindex: "-1",
      "data-testid": "row-checkbox",
      "aria-label": m.selectRow(label),
    });
    const el = h(
      "div",
      {
        class: "vt-row",
        role: "row",
        id: `vt-row-${index}`,
        "aria-rowindex": index + 2,
        "data-testid": "profile-row",
        "data-id": row.id,
        "data-index": index,
      },
      h("div", { class: "vt-cell vt-check", role: "gridcell" }, checkbox),
      this.columns.map((c) => {
        const text = this.cellText(row, c);
        return h("div", { class: "vt-cell", role: "gridcell", "data-col": c.key, title: text || null }, text);
      }),
    );
    return { el, id: row.id, checkbox };
  }

  private paintRowState(r: RenderedRow, index?: number): void {
    const i = index ?? Number(r.el.dataset.index ?? -1);
    r.el.classList.toggle("active", i === this.active);
    if (r.id === null || !r.checkbox) return;
    const selected = this.opts.selection.has(r.id);
    r.el.classList.toggle("selected", selected);
    r.el.setAttribute("aria-selected", String(selected));
    r.checkbox.checked = selected;
  }

  /** Paints the header checkbox and says what a click on it does; true when its state changed. */
  private paintHeaderCheckbox(): boolean {
    const ids = this.visibleIds();
    const state = this.opts.selection.pageState(ids);
    this.headerCheckbox.checked = state === "all";
    this.headerCheckbox.indeterminate = state === "some";
    const says = state === "all" ? m.unselectRowsOnScreen(ids.length) : m.selectRowsOnScreen(ids.length);
    this.headerCheckbox.setAttribute("aria-label", says);
    this.headerCheckbox.title = says;
    const changed = state !== this.shownPageState;
    this.shownPageState = state;
    return changed;
  }

  private requestPages(start: number, end: number): void {
    for (const page of pagesForRange(start, end)) {
      if (this.cache.has(page)) {
        this.cache.touch(page);
        continue;
      }
      if (this.inflight.has(page) || this.failedPages.has(page)) continue;
      if (this.inflight.size >= MAX_CONCURRENT_PAGES) break;
      void this.loadPage(page);
    }
  }

  private async loadPage(page: number): Promise<void> {
    const isLatest = this.generation.stamp();
    const inflight = this.inflight;
    inflight.add(page);
    try {
      const rows = await this.opts.fetchPage(pageOffset(page), PAGE_SIZE);
      if (!isLatest()) return;
      this.cache.set(page, rows);
      // A short page ends the list: while the count is still a guess this
      // gives the exact count before count_profiles answers.
      if (!this.countExact && rows.length < PAGE_SIZE) this.count = pageOffset(page) + rows.length;
    } catch (err) {
      if (!isLatest()) return;
      // Not retried until the next query or refresh, so a failing core does
      // not get asked again on every frame.
      if (this.failedPages.size === 0) showError(err);
      this.failedPages.add(page);
    } finally {
      inflight.delete(page);
      if (isLatest()) this.schedule();
    }
  }

  /** Rows at positions [from, to], fetching pages that are not cached; null if the query changed meanwhile. */
  private async rowsFor(from: number, to: number): Promise<Map<number, ProfileRow> | null> {
    const isLatest = this.generation.stamp();
    const found = new Map<number, ProfileRow>();
    for (const page of pagesForRange(from, to + 1)) {
      let rows: ProfileRow[] | undefined;
      if (this.cache.has(page)) {
        rows = [];
        for (let k = 0; k < PAGE_SIZE; k++) {
          const r = this.cache.row(pageOffset(page) + k);
          if (r) rows.push(r);
        }
      } else {
        rows = await this.opts.fetchPage(pageOffset(page), PAGE_SIZE);
        if (!isLatest()) return null;
      }
      rows.forEach((r, k) => {
        const at = pageOffset(page) + k;
        if (at >= from && at <= to) found.set(at, r);
      });
    }
    return found;
  }

  private async toggleAt(index: number, shift: boolean): Promise<void> {
    const { selection } = this.opts;
    const { from, to } = selection.rangeFor(index, shift);
    if (to - from + 1 > MAX_SHIFT_RANGE) {
      showToast(m.shiftRangeLimit(MAX_SHIFT_RANGE), "info");
      return;
    }
    let rowAt = (i: number): ProfileRow | undefined => this.cache.row(i);
    if (from !== to) {
      try {
        const rows = await this.rowsFor(from, to);
        if (!rows) return;
        rowAt = (i) => rows.get(i);
      } catch (err) {
        showError(err);
        return;
      }
    }
    selection.click(
      index,
      shift,
      (i) => rowAt(i)?.id,
      (i) => {
        const row = rowAt(i);
        return row ? this.rowLabel(row) : undefined;
      },
    );
    this.active = index;
    this.selectionChanged();
    this.schedule();
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>(".vt-row");
    if (!rowEl || rowEl.classList.contains("placeholder")) return;
    const index = Number(rowEl.dataset.index);
    const id = Number(rowEl.dataset.id);
    if (target.closest(".vt-check")) {
      // The browser's own toggle of the clicked box agrees with the model
      // (a shift-range takes the clicked row's new state); the repaint sets
      // every box from the model anyway. Cancelling the click would make the
      // browser restore the old state after the repaint.
      void this.toggleAt(index, e.shiftKey);
      return;
    }
    this.active = index;
    this.schedule();
    this.opts.onOpen(id);
  }

  private setActive(index: number): void {
    if (this.count === 0) return;
    this.active = Math.min(Math.max(0, index), this.count - 1);
    this.scroller.scrollTop = scrollTopForRow(this.active, this.scroller.scrollTop, this.geometry());
    this.schedule();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.scroller || this.count === 0) return;
    const page = rowsPerViewport(this.geometry());
    const from = this.active < 0 ? visibleRange(this.scroller.scrollTop, this.geometry(), 0).start - 1 : this.active;
    switch (e.key) {
      case "ArrowDown":
        this.setActive(from + 1);
        break;
      case "ArrowUp":
        this.setActive(Math.max(0, from - 1));
        break;
      case "PageDown":
        this.setActive(from + page);
        break;
      case "PageUp":
        this.setActive(from - page);
        break;
      case "Home":
        this.setActive(0);
        break;
      case "End":
        this.setActive(this.count - 1);
        break;
      case "Enter": {
        const row = this.active >= 0 ? this.cache.row(this.active) : undefined;
        if (row) this.opts.onOpen(row.id);
        break;
      }
      case " ":
        if (this.active >= 0 && this.cache.row(this.active)) void this.toggleAt(this.active, e.shiftKey);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}
