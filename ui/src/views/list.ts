// The "Identified Profiles" screen: search, counts, column chooser, selection
// bar and the virtual table, plus the empty and no-match states.
import { debounce, h } from "../dom";
import { formatCount } from "../format";
import {
  countProfiles,
  listProfiles,
  setListColumns,
  type DeleteResult,
  type FieldDef,
  type ListQuery,
  type ProfileRow,
} from "../ipc";
import { Selection } from "../selection";
import { ColumnChooser } from "./columnChooser";
import { DeleteDialog } from "./deleteDialog";
import { ProfileTable, type TableColumn } from "./profileTable";
import { showError } from "./toast";
import { PAGE_SIZE } from "./virtualTable";

const SEARCH_MS = 150;

export interface ListViewOptions {
  fields: readonly FieldDef[];
  columns: readonly string[];
  canCreate: boolean;
  /** The user has profile.delete: the selection bar offers bulk delete. */
  canDelete?: boolean;
  onOpen(id: number): void;
  onCreate(): void;
  /** Profiles were deleted from the list (the selection is already cleared). */
  onDeleted?(result: DeleteResult): void;
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
  private readonly countsEl: HTMLElement;
  private readonly selectionBar: HTMLElement;
  private readonly selectionCount: HTMLElement;
  private readonly body: HTMLElement;
  private readonly stateSlot: HTMLElement;
  private readonly fieldsByKey: Map<string, FieldDef>;
  private columns: string[];
  private query: ListQuery = { search: "" };
  /** Bumped per query/refresh so late answers of an older one are dropped. */
  private seq = 0;
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
    });
    this.table.setColumns(this.tableColumns());

    this.search = h("input", {
      type: "search",
      class: "search-input",
      "data-testid": "search-input",
      placeholder: "Search name, phone, e-mail, customer code",
      "aria-label": "Search profiles",
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
    this.countsEl = h(
      "div",
      { class: "counts", "aria-live": "polite" },
      this.totalEl,
      " profiles",
      h("span", { class: "counts-sep", "aria-hidden": "true" }, "·"),
      this.filteredEl,
      " shown",
    );

    this.selectionCount = h("span", { "data-testid": "selection-count" }, "0");
    this.selectionBar = h(
      "div",
      { class: "selection-bar", hidden: true },
      this.selectionCount,
      " selected",
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
        "Clear selection",
      ),
      // Users without profile.delete do not get the action at all (the core refuses anyway).
      opts.canDelete
        ? h(
            "button",
            {
              type: "button",
              class: "button button-danger-ghost button-small",
              "data-testid": "bulk-delete-button",
              title: "Delete the selected profiles (at most 100 at once)",
              onclick: (e: Event) => this.openBulkDelete(e.currentTarget as HTMLElement),
            },
            h("span", { class: "button-icon icon-trash", "aria-hidden": "true" }),
            "Delete",
          )
        : null,
    );

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

    this.element = h(
      "section",
      { class: "list-view", "aria-label": "Identified Profiles", "data-testid": "list-view" },
      h(
        "div",
        { class: "list-head" },
        h("h1", { class: "view-title" }, "Identified Profiles"),
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
        this.selectionBar,
        h("div", { class: "toolbar-spacer" }),
        chooser.element,
      ),
      this.body,
    );
  }

  /** First load and every later "data changed" (after a save). */
  async refresh(): Promise<void> {
    const seq = ++this.seq;
    try {
      const counts = await countProfiles(this.query);
      if (seq !== this.seq) return;
      this.setCounts(counts.total, counts.filtered);
      this.table.reload(counts.filtered);
    } catch (err) {
      if (seq === this.seq) showError(err);
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
    return this.columns.map((key) => {
      const def = this.fieldsByKey.get(key);
      return { key, label: def?.label ?? key, width: columnWidth(def) };
    });
  }

  private fetchPage(offset: number, limit: number): Promise<ProfileRow[]> {
    return listProfiles(this.query, offset, limit, this.columns).then((page) => page.rows);
  }

  private applySearch(): void {
    const search = this.search.value.trim();
    if (search === this.query.search) return;
    this.query = { search };
    // A selection made under another search would act on rows no longer shown.
    this.selection.clear();
    this.paintSelection();
    const seq = ++this.seq;
    // Rows are fetched at once with a guessed count (one page); the count
    // query may be slower on a large store and corrects it when it lands.
    const guess = this.total === 0 ? 0 : PAGE_SIZE;
    this.table.reset(guess, false);
    this.element.classList.add("counting");
    countProfiles(this.query).then(
      (counts) => {
        if (seq !== this.seq) return;
        this.setCounts(counts.total, counts.filtered);
        this.table.setCount(counts.filtered);
      },
      (err: unknown) => {
        if (seq === this.seq) showError(err);
      },
    );
  }

  private setCounts(total: number, filtered: number): void {
    this.total = total;
    this.filtered = filtered;
    this.element.classList.remove("counting");
    this.totalEl.textContent = formatCount(total);
    this.filteredEl.textContent = formatCount(filtered);
    this.paintState();
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
    return h(
      "div",
      { class: "state-panel", "data-testid": "empty-state" },
      h("div", { class: "state-art", "aria-hidden": "true" }, h("span", null), h("span", null), h("span", null)),
      h("h2", null, "No profiles yet"),
      h(
        "p",
        null,
        "Profiles you create appear here, newest first. Start with ",
        h("strong", null, "Create new Profile"),
        " → ",
        h("strong", null, "Create individually"),
        ".",
      ),
      this.opts.canCreate
        ? h(
            "button",
            { type: "button", class: "button button-primary", "data-testid": "empty-create", onclick: () => this.opts.onCreate() },
            "Create individually",
          )
        : h("p", { class: "muted" }, "Your role cannot create profiles (profile.create)."),
    );
  }

  private noMatchState(): HTMLElement {
    return h(
      "div",
      { class: "state-panel compact", "data-testid": "no-match" },
      h("h2", null, "No profiles match"),
      h("p", null, "Nothing matches “", this.query.search, "”. Try part of a name, a phone number in any format, an e-mail or a customer code."),
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary",
          onclick: () => {
            this.search.value = "";
            this.applySearch();
            this.search.focus();
          },
        },
        "Clear search",
      ),
    );
  }

  private openBulkDelete(returnFocus: HTMLElement): void {
    const ids = this.selection.values();
    if (ids.length === 0 || !this.opts.canDelete) return;
    const dialog = new DeleteDialog({
      ids,
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
  }
}
