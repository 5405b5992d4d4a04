// The "Identified Profiles" screen: search, filter builder, segments panel, counts, column
// chooser, selection bar and the virtual table (sortable by its headers), plus the empty and
// no-match states. The search, the conditions and the sort form one ListQuery that the core
// compiles; the list, the counts and the selection follow it.
import { debounce, h, replace, type Child } from "../shell/dom";
import { Latest } from "../shell/latest";
import { formatCount } from "../shell/format";
import {
  IpcError,
  countProfiles,
  listProfiles,
  setListColumns,
  type Condition,
  type ConsentChannel,
  type DeleteResult,
  type FieldDef,
  type FilterField,
  type JobSummary,
  type ListQuery,
  type ProfileRow,
  type Segment,
} from "../ipc";
import { BULK_LIMIT, Selection } from "./selection";
import { ColumnChooser } from "./columnChooser";
import { DeleteDialog } from "../profile/deleteDialog";
import { FilterBuilder } from "./filterBuilder";
import { errorsByRow, sameQuery, utcOffsetMinutes } from "./filterModel";
import { ProfileTable, type TableColumn } from "./profileTable";
import { SegmentsPanel } from "./segmentsPanel";
import { showError } from "../shell/toast";
import { PAGE_SIZE } from "./virtualTable";
import { common } from "../i18n/common";
import { m } from "./messages";

const SEARCH_MS = 150;

/**
 * A sentence with elements in it: `message` is called with one marker per node and each
 * marker is replaced by its node, so the translation decides where the elements stand.
 */
export function withNodes(message: (...marks: string[]) => string, ...nodes: Child[]): Child[] {
  const marks = nodes.map((_, i) => `\uE000${i}\uE001`);
  const parts = message(...marks).split(/\uE000(\d+)\uE001/);
  return parts.map((part, k) => (k % 2 === 0 ? part || null : (nodes[Number(part)] ?? null)));
}

export interface ListViewOptions {
  fields: readonly FieldDef[];
  columns: readonly string[];
  canCreate: boolean;
  /** The user has profile.delete: the selection bar offers bulk delete. */
  canDelete?: boolean;
  onOpen(id: number): void;
  onCreate(): void;
  /** The user has profile.import: the empty state offers "Upload file". */
  canImport?: boolean;
  /** "Upload file" from the empty state. */
  onUpload?(): void;
  /** "Explore the demo" from the empty state (opens demo mode in its own window). */
  onDemo?(): void;
  /** Profiles were deleted from the list (the selection is already cleared). */
  onDeleted?(result: DeleteResult): void;
  /** The filter builder's fields (from the core) and the consent channels. */
  filterFields?: readonly FilterField[];
  channels?: readonly ConsentChannel[];
  /** The import jobs, for "Source is import job N". */
  loadJobs?(): Promise<JobSummary[]>;
  /** The user has profile.export: the toolbar offers Export, which calls this. */
  onExport?(request: { query: ListQuery; columns: string[]; selected: number[] }, returnFocus: HTMLElement): void;
}

/** Column widths by field: wide enough for typical Vietnamese names, e-mails and phone lists. */
export function columnWidth(def: FieldDef | undefined): number {
  if (!def) return 160;
  switch (def.key) {
    case "full_name":
      return 210;
    case "emails":
      return 220;
    case "phones":
      return 160;
    case "gender":
      return 100;
    case "city":
      return 130;
    case "customer_code":
      return 130;
    case "address":
    case "note":
      return 240;
  }
  switch (def.kind) {
    case "date":
    case "number":
    case "boolean":
      return 120;
    case "longText":
      return 260;
    case "system":
      return def.key.endsWith("_at") ? 140 : 150;
    default:
      return 160;
  }
}

/**
 * A column wide enough for its field's values and for its header: a longer name (Vietnamese
 * "Tỉnh/Thành phố", "Mã khách hàng", an admin's own label) widens it rather than being cut.
 * The header's text is estimated (about 8 px a character in its 13 px semibold type, plus the
 * cell's padding and the sort mark), so it needs no layout to know.
 */
export function columnWidthFor(def: FieldDef | undefined, label: string): number {
  return Math.max(columnWidth(def), Math.ceil([...label].length * 8) + 36);
}

/** The saved columns that still exist; falls back to the catalogue's default columns. */
export function effectiveColumns(fields: readonly FieldDef[], saved: readonly string[]): string[] {
  const known = new Set(fields.filter((f) => !f.hidden).map((f) => f.key));
  const cols = saved.filter((k) => known.has(k));
  if (cols.length > 0) return cols;
  const defaults = fields
    .filter((f) => f.displayed && !f.hidden)
    .sort((a, b) => a.position - b.position)
    .map((f) => f.key);
  return defaults.length > 0 ? defaults : [...known].slice(0, 1);
}

export class ListView {
  readonly element: HTMLElement;
  private readonly selection = new Selection();
  private readonly table: ProfileTable;
  private readonly search: HTMLInputElement;
  private readonly totalEl: HTMLElement;
  private readonly filteredEl: HTMLElement;
  private readonly countsSep: HTMLElement;
  private readonly countsEl: HTMLElement;
  private readonly selectionBar: HTMLElement;
  private readonly selectionCount: HTMLElement;
  /** Above the table: which rows the selection holds, and the offer to take the whole list. */
  private readonly scopeEl: HTMLElement;
  private readonly body: HTMLElement;
  private readonly stateSlot: HTMLElement;
  private readonly fieldsByKey: Map<string, FieldDef>;
  private columns: string[];
  private query: ListQuery = { search: "", filter: [], sort: null, utcOffsetMinutes: utcOffsetMinutes() };
  /** Row ids of the conditions in `query.filter` (to show the core's errors on their row). */
  private conditionRows: number[] = [];
  private readonly filters: FilterBuilder;
  private readonly filterButton: HTMLButtonElement;
  private readonly filterBadge: HTMLElement;
  private readonly segments: SegmentsPanel;
  private readonly segmentsButton: HTMLButtonElement;
  /** The segment applied last, and its query (to tell when the filter was changed since). */
  private activeSegment: Segment | null = null;
  /** Bumped per query/refresh so late answers of an older one are dropped. */
  private readonly seq = new Latest();
  private total: number | null = null;
  private filtered = 0;
  private readonly onSearchInput = debounce(() => this.applySearch(), SEARCH_MS);

  constructor(private readonly opts: ListViewOptions) {
    this.fieldsByKey = new Map(opts.fields.map((f) => [f.key, f]));
    this.columns = effectiveColumns(opts.fields, opts.columns);

    this.table = new ProfileTable({
      selection: this.selection,
      fetchPage: (offset, limit) => this.fetchPage(offset, limit),
      onOpen: (id) => opts.onOpen(id),
      onSelectionChange: () => this.paintSelection(),
      onSort: (key) => this.toggleSort(key),
    });
    this.table.setColumns(this.tableColumns());

    this.search = h("input", {
      type: "search",
      class: "search-input",
      "data-testid": "search-input",
      placeholder: m.searchPlaceholder,
      "aria-label": m.searchLabel,
      autocomplete: "off",
      spellcheck: "false",
      oninput: () => this.onSearchInput(),
      onkeydown: (e: Event) => {
        const key = (e as KeyboardEvent).key;
        if (key === "Escape" && this.search.value !== "") {
          e.stopPropagation();
          this.search.value = "";
          this.onSearchInput.cancel();
          this.applySearch();
        } else if (key === "Enter") {
          this.onSearchInput.flush();
        } else if (key === "ArrowDown") {
          e.preventDefault();
          this.table.focus();
        }
      },
    });

    this.totalEl = h("span", { class: "count-number", "data-testid": "count-total" }, "…");
    this.filteredEl = h("span", { class: "count-number", "data-testid": "count-filtered" }, "…");
    this.countsSep = h("span", { class: "counts-sep", "aria-hidden": "true" }, "·");
    this.countsEl = h("div", { class: "counts", "aria-live": "polite" });
    this.paintCounts(0);

    this.selectionCount = h("span", { "data-testid": "selection-count" }, "0");
    this.selectionBar = h(
      "div",
      { class: "selection-bar", hidden: true },
      withNodes(m.selected, this.selectionCount),
      h(
        "button",
        {
          type: "button",
          class: "link-button",
          "data-testid": "clear-selection",
          onclick: () => {
            this.selection.clear();
            this.table.selectionChanged();
          },
        },
        m.clearSelection,
      ),
      // Users without profile.delete do not get the action at all (the core refuses anyway).
      opts.canDelete
        ? h(
            "button",
            {
              type: "button",
              class: "button button-danger-ghost button-small",
              "data-testid": "bulk-delete-button",
              title: m.bulkDeleteTitle,
              onclick: (e: Event) => this.openBulkDelete(e.currentTarget as HTMLElement),
            },
            h("span", { class: "button-icon icon-trash", "aria-hidden": "true" }),
            common.delete,
          )
        : null,
    );

    this.scopeEl = h("div", { class: "selection-scope", "data-testid": "selection-scope", role: "status", tabindex: "-1", hidden: true });

    const chooser = new ColumnChooser({
      fields: opts.fields,
      getColumns: () => this.columns,
      setColumns: async (cols) => {
        const saved = await setListColumns(cols);
        this.columns = effectiveColumns(opts.fields, saved);
        this.table.setColumns(this.tableColumns());
      },
    });

    this.stateSlot = h("div", { class: "list-state" });
    this.body = h("div", { class: "list-body" }, this.table.element, this.stateSlot);

    this.filters = new FilterBuilder({
      fields: opts.filterFields ?? [],
      channels: opts.channels ?? [],
      loadJobs: () => (opts.loadJobs ? opts.loadJobs() : Promise.resolve([])),
      onChange: (conditions, rowIds) => {
        this.conditionRows = rowIds;
        this.applyQuery({ ...this.query, filter: conditions });
      },
      onSave: () => void this.segments.saveCurrent(),
    });
    this.filterBadge = h("span", { class: "filter-badge", "data-testid": "filter-count", hidden: true });
    this.filterButton = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "filter-toggle",
        "aria-expanded": "false",
        title: m.filterTitle,
        onclick: () => this.toggleFilters(),
      },
      h("span", { class: "button-icon icon-filter", "aria-hidden": "true" }),
      m.filter,
      this.filterBadge,
    );
    this.segments = new SegmentsPanel({
      current: () => ({ query: this.query, columns: [...this.columns] }),
      onApply: (segment) => void this.applySegment(segment),
      onForget: () => {
        this.activeSegment = null;
      },
      onSaved: (segment) => {
        this.activeSegment = segment;
        this.segmentsButton.setAttribute("aria-expanded", "true");
        this.segmentsButton.classList.add("is-active");
      },
    });
    this.segmentsButton = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "segments-toggle",
        "aria-expanded": "false",
        title: m.savedSegments,
        onclick: () => this.toggleSegments(),
      },
      h("span", { class: "button-icon icon-segments", "aria-hidden": "true" }),
      m.segments,
    );

    this.element = h(
      "section",
      { class: "list-view", "aria-label": m.title, "data-testid": "list-view" },
      h(
        "div",
        { class: "list-head" },
        h("h1", { class: "view-title" }, m.title),
        this.countsEl,
      ),
      h(
        "div",
        { class: "toolbar" },
        h(
          "div",
          { class: "search-box" },
          h("span", { class: "search-icon", "aria-hidden": "true" }, "⌕"),
          this.search,
        ),
        this.filterButton,
        this.segmentsButton,
        this.selectionBar,
        h("div", { class: "toolbar-spacer" }),
        opts.onExport
          ? h(
              "button",
              {
                type: "button",
                class: "button button-secondary",
                "data-testid": "export-button",
                title: m.exportTitle,
                onclick: (e: Event) =>
                  opts.onExport?.({ query: this.query, columns: [...this.columns], selected: this.selection.values() }, e.currentTarget as HTMLElement),
              },
              h("span", { class: "button-icon icon-export", "aria-hidden": "true" }),
              m.export,
            )
          : null,
        chooser.element,
      ),
      this.filters.element,
      this.scopeEl,
      h("div", { class: "list-columns" }, this.segments.element, this.body),
    );
  }

  /** The query the list shows now (search, conditions, sort) and its columns. */
  get current(): { query: ListQuery; columns: string[] } {
    return { query: this.query, columns: [...this.columns] };
  }

  /** Loads the saved segments (once, at start). */
  async loadSegments(): Promise<void> {
    await this.segments.load();
  }

  /** "Show profiles" of an import job: the list filtered to what that job created or updated. */
  showJobProfiles(jobId: number): void {
    const filter: Condition[] = [{ kind: "source", source: { kind: "job", jobId } }];
    this.search.value = "";
    this.filters.setConditions(filter);
    this.conditionRows = [];
    this.openFilters();
    this.applyQuery({ ...this.query, search: "", filter });
  }

  private toggleFilters(): void {
    if (this.filters.element.hidden) this.openFilters();
    else {
      this.filters.close();
      this.filterButton.setAttribute("aria-expanded", "false");
    }
  }

  private openFilters(): void {
    this.filters.open();
    this.filterButton.setAttribute("aria-expanded", "true");
  }

  private toggleSegments(): void {
    const show = this.segments.element.hidden;
    this.segments.element.hidden = !show;
    this.segmentsButton.setAttribute("aria-expanded", String(show));
    this.segmentsButton.classList.toggle("is-active", show);
  }

  private async applySegment(segment: Segment): Promise<void> {
    this.activeSegment = segment;
    this.search.value = segment.query.search;
    this.onSearchInput.cancel();
    this.filters.setConditions(segment.query.filter);
    this.conditionRows = [];
    if (segment.query.filter.length > 0) this.openFilters();
    const cols = effectiveColumns(this.opts.fields, segment.columns);
    if (cols.join() !== this.columns.join()) {
      try {
        this.columns = effectiveColumns(this.opts.fields, await setListColumns(cols));
      } catch (err) {
        showError(err);
      }
      this.table.setColumns(this.tableColumns());
    }
    this.applyQuery({ ...segment.query, utcOffsetMinutes: utcOffsetMinutes() }, true);
  }

  /** Header click: ascending, then descending, then back to newest first. */
  private toggleSort(key: string): void {
    const now = this.query.sort;
    const sort = now?.field !== key ? { field: key, descending: false } : !now.descending ? { field: key, descending: true } : null;
    this.applyQuery({ ...this.query, sort });
  }

  /**
   * A new filter or sort (or a segment): counts first — an invalid condition comes back as a
   * validation error shown on its row — then the table from the top.
   */
  private applyQuery(next: ListQuery, force = false): void {
    if (!force && sameQuery(next, this.query)) return;
    const previous = this.query;
    this.query = next;
    this.selection.clear();
    this.paintSelection();
    this.paintQueryState();
    const isLatest = this.seq.begin();
    this.element.classList.add("counting");
    countProfiles(this.query).then(
      (counts) => {
        if (!isLatest()) return;
        this.filters.setErrors(new Map());
        this.table.setSort(this.query.sort ? { key: this.query.sort.field, descending: this.query.sort.descending } : null);
        this.setCounts(counts.total, counts.filtered);
        this.table.reset(counts.filtered, true);
      },
      (err: unknown) => {
        if (!isLatest()) return;
        // The list keeps showing the last query that worked; the rows show what is wrong.
        this.query = previous;
        this.paintQueryState();
        this.element.classList.remove("counting");
        const errors = err instanceof IpcError ? errorsByRow(err.fieldErrors, this.conditionRows) : new Map<number, string>();
        if (errors.size > 0) this.filters.setErrors(errors);
        else showError(err);
      },
    );
  }

  /** The filter button's badge and the active segment's "changed" mark. */
  private paintQueryState(): void {
    const n = this.query.filter.length;
    this.filterBadge.hidden = n === 0;
    this.filterBadge.textContent = String(n);
    this.filterButton.classList.toggle("is-active", n > 0);
    const seg = this.activeSegment;
    this.segments.setActive(seg?.id ?? null, seg ? !sameQuery(seg.query, this.query) : false);
  }

  /** First load and every later "data changed" (after a save). */
  async refresh(): Promise<void> {
    const isLatest = this.seq.begin();
    try {
      const counts = await countProfiles(this.query);
      if (!isLatest()) return;
      this.setCounts(counts.total, counts.filtered);
      this.table.reload(counts.filtered);
    } catch (err) {
      if (isLatest()) showError(err);
    }
  }

  /** Forgets the selection (after the selected profiles were deleted). */
  clearSelection(): void {
    this.selection.clear();
    this.table.selectionChanged();
    this.paintSelection();
  }

  /** The catalogue changed in Settings (`opts.fields` holds it now): labels, hidden and removed fields. */
  catalogueChanged(): void {
    this.fieldsByKey.clear();
    for (const f of this.opts.fields) this.fieldsByKey.set(f.key, f);
    this.columns = effectiveColumns(this.opts.fields, this.columns);
    this.table.setColumns(this.tableColumns());
  }

  focusSearch(): void {
    this.search.focus();
    this.search.select();
  }

  private tableColumns(): TableColumn[] {
    const sortable = new Set((this.opts.filterFields ?? []).filter((f) => f.sortable).map((f) => f.key));
    return this.columns.map((key) => {
      const def = this.fieldsByKey.get(key);
      const label = def?.label ?? key;
      return { key, label, kind: def?.kind, width: columnWidthFor(def, label), sortable: sortable.has(key) };
    });
  }

  private fetchPage(offset: number, limit: number): Promise<ProfileRow[]> {
    return listProfiles(this.query, offset, limit, this.columns).then((page) => page.rows);
  }

  private applySearch(): void {
    const search = this.search.value.trim();
    if (search === this.query.search) return;
    this.query = { ...this.query, search };
    this.paintQueryState();
    // A selection made under another search would act on rows no longer shown.
    this.selection.clear();
    this.paintSelection();
    const isLatest = this.seq.begin();
    // Rows are fetched at once with a guessed count (one page); the count
    // query may be slower on a large store and corrects it when it lands.
    const guess = this.total === 0 ? 0 : PAGE_SIZE;
    this.table.reset(guess, false);
    this.element.classList.add("counting");
    // Asked after the table's first page (its fetch goes out in the microtask `reset` queued):
    // the core answers one at a time, and counting a common name at 1,000,000 profiles takes
    // longer than its first page (issue 18: "Nguyễn" waited 31 ms of counting for its rows).
    const query = this.query;
    queueMicrotask(() => {
      if (!isLatest()) return;
      countProfiles(query).then(
        (counts) => {
          if (!isLatest()) return;
          this.setCounts(counts.total, counts.filtered);
          this.table.setCount(counts.filtered);
        },
        (err: unknown) => {
          if (isLatest()) showError(err);
        },
      );
    });
  }

  private setCounts(total: number, filtered: number): void {
    this.total = total;
    this.filtered = filtered;
    this.element.classList.remove("counting");
    this.totalEl.textContent = formatCount(total);
    this.filteredEl.textContent = formatCount(filtered);
    this.paintCounts(total);
    this.paintState();
    this.paintScope();
  }

  /** The counts' sentence around the numbers, whose noun follows the total ("1 profile"). */
  private paintCounts(total: number): void {
    replace(this.countsEl, withNodes((a, b, c) => m.counts(total, a, b, c), this.totalEl, this.countsSep, this.filteredEl));
  }

  private paintState(): void {
    if (this.total === 0) {
      this.stateSlot.replaceChildren(this.emptyState());
      this.body.classList.add("has-state");
    } else if (this.filtered === 0) {
      this.stateSlot.replaceChildren(this.noMatchState());
      this.body.classList.add("has-state");
    } else {
      this.stateSlot.replaceChildren();
      this.body.classList.remove("has-state");
    }
  }

  private emptyState(): HTMLElement {
    const { canCreate } = this.opts;
    const canUpload = Boolean(this.opts.canImport) && this.opts.onUpload !== undefined;
    const actions = [
      canCreate
        ? h(
            "button",
            { type: "button", class: "button button-primary", "data-testid": "empty-create", onclick: () => this.opts.onCreate() },
            m.createIndividually,
          )
        : null,
      canUpload
        ? h(
            "button",
            { type: "button", class: "button button-secondary", "data-testid": "empty-upload", onclick: () => this.opts.onUpload?.() },
            m.uploadFile,
          )
        : null,
    ];
    return h(
      "div",
      { class: "state-panel", "data-testid": "empty-state" },
      h("div", { class: "state-art", "aria-hidden": "true" }, h("span", null), h("span", null), h("span", null)),
      h("h2", null, m.emptyTitle),
      h(
        "p",
        null,
        withNodes(
          m.emptyBody,
          h("strong", null, m.createNewProfile),
          h("strong", null, m.createIndividually),
          h("strong", null, m.uploadFile),
        ),
      ),
      canCreate || canUpload
        ? h("div", { class: "state-actions" }, actions)
        : h("p", { class: "muted" }, m.cannotCreate),
      this.opts.onDemo
        ? h(
            "p",
            { class: "muted small" },
            withNodes(
              m.demoLine,
              h(
                "button",
                { type: "button", class: "link-button", "data-testid": "empty-demo", onclick: () => this.opts.onDemo?.() },
                m.exploreDemo,
              ),
            ),
          )
        : null,
    );
  }

  private noMatchState(): HTMLElement {
    return h(
      "div",
      { class: "state-panel compact", "data-testid": "no-match" },
      h("h2", null, m.noMatchTitle),
      this.query.filter.length > 0
        ? h("p", null, this.query.search ? m.noMatchFilterSearch(this.query.search) : m.noMatchFilter)
        : h("p", null, m.noMatchSearch(this.query.search)),
      this.query.search
        ? h(
            "button",
            {
              type: "button",
              class: "button button-secondary",
              "data-testid": "clear-search",
              onclick: () => {
                this.search.value = "";
                this.applySearch();
                this.search.focus();
              },
            },
            m.clearSearch,
          )
        : null,
    );
  }

  /**
   * The Delete key: the selected rows' delete dialog, as the bulk Delete button opens it (focus
   * comes back where it was); false when nothing is selected or the user may not delete.
   */
  deleteSelected(): boolean {
    if (this.selection.size === 0 || !this.opts.canDelete) return false;
    const from = document.activeElement;
    const button = this.selectionBar.querySelector<HTMLElement>('[data-testid="bulk-delete-button"]');
    this.openBulkDelete(from instanceof HTMLElement && from !== document.body ? from : (button ?? document.body));
    return true;
  }

  private openBulkDelete(returnFocus: HTMLElement): void {
    const ids = this.selection.values();
    if (ids.length === 0 || !this.opts.canDelete) return;
    const dialog = new DeleteDialog({
      ids,
      names: this.selection.labels(),
      returnFocus,
      onDeleted: (result) => {
        this.clearSelection();
        void this.refresh();
        this.opts.onDeleted?.(result);
      },
    });
    void dialog.open(document.body);
  }

  private paintSelection(): void {
    const n = this.selection.size;
    this.selectionBar.hidden = n === 0;
    this.selectionCount.textContent = formatCount(n);
    this.paintScope();
  }

  /**
   * The header checkbox takes the rows on screen; once they are all selected and the list has
   * more, the line above the table says so and offers the whole list — up to BULK_LIMIT, the
   * most one delete takes; past that it says why not. Selecting the whole list says that too.
   */
  private paintScope(): void {
    const n = this.selection.size;
    const onScreen = this.table.visibleIds().length;
    const listed = this.filtered;
    let line: Child[] | null = null;
    if (n > 0 && listed > onScreen && n >= listed) {
      line = [h("span", null, m.wholeListSelected(listed))];
    } else if (n > 0 && onScreen > 0 && listed > onScreen && this.table.pageState() === "all") {
      line = [
        h("span", null, m.screenSelected(onScreen)),
        listed <= BULK_LIMIT
          ? h(
              "button",
              {
                type: "button",
                class: "link-button",
                "data-testid": "select-whole-list",
                onclick: () =>
                  void this.table.selectAll().then((done) => {
                    if (done) this.scopeEl.focus();
                  }),
              },
              m.selectWholeList(listed),
            )
          : h("span", { class: "muted", "data-testid": "whole-list-too-large" }, m.wholeListTooLarge(listed, BULK_LIMIT)),
      ];
    }
    this.scopeEl.hidden = line === null;
    replace(this.scopeEl, line);
  }
}
