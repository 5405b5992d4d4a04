// The segments side panel (SPEC 2): the user's saved filters. Click one to apply it (search,
// conditions, sort and columns); its menu renames it, updates it with the current filter, or
// deletes it. The core owns the segments and checks every filter before saving it.
import { h } from "../shell/dom";
import { Menu } from "../shell/menu";
import {
  createSegment,
  deleteSegment,
  renameSegment,
  segments as loadSegments,
  updateSegment,
  type ListQuery,
  type Segment,
} from "../ipc";
import { confirmDialog } from "../shell/confirmDialog";
import { askText } from "../shell/dialogs";
import { errorMessage, showError, showToast } from "../shell/toast";
import { m } from "./messages";

export interface SegmentsPanelOptions {
  /** The list's current query and columns (what "Save" and "Update" store). */
  current(): { query: ListQuery; columns: string[] };
  /** A segment was picked: the list takes its query and columns. */
  onApply(segment: Segment): void;
  /** The active segment was deleted: the list keeps its filter but no longer names it. */
  onForget?(id: number): void;
  /** The current filter was saved as (or into) `segment`, which is now the active one. */
  onSaved?(segment: Segment): void;
}

export class SegmentsPanel {
  readonly element: HTMLElement;
  private readonly listEl: HTMLElement;
  private items: Segment[] = [];
  private activeId: number | null = null;
  private modified = false;
  /** The action menus of the segments shown. */
  private menus: Menu[] = [];

  constructor(private readonly opts: SegmentsPanelOptions) {
    this.listEl = h("ul", { class: "segment-list", "aria-label": m.savedSegments });
    this.element = h(
      "aside",
      { class: "segments-panel", "data-testid": "segments-panel", "aria-label": m.segments, hidden: true },
      h(
        "div",
        { class: "segments-head" },
        h("h2", { class: "segments-title" }, m.segments),
        h(
          "button",
          {
            type: "button",
            class: "button button-ghost button-small",
            "data-testid": "segment-save-current",
            title: m.saveCurrentTitle,
            onclick: () => void this.saveCurrent(),
          },
          h("span", { class: "button-icon icon-plus", "aria-hidden": "true" }),
          m.saveCurrent,
        ),
      ),
      this.listEl,
    );
  }

  get segments(): readonly Segment[] {
    return this.items;
  }

  async load(): Promise<void> {
    try {
      this.items = await loadSegments();
      this.render();
    } catch (err) {
      this.listEl.replaceChildren(h("li", { class: "segment-empty field-error" }, errorMessage(err)));
    }
  }

  /** Which segment the list shows, and whether its filter was changed since. */
  setActive(id: number | null, modified: boolean): void {
    if (this.activeId === id && this.modified === modified) return;
    this.activeId = id;
    this.modified = modified;
    this.render();
  }

  /** Asks for a name and saves the list's current query and columns as a new segment. */
  async saveCurrent(): Promise<void> {
    const { query, columns } = this.opts.current();
    let saved: Segment | null = null;
    await askText({
      title: m.saveAsSegment,
      label: m.segmentName,
      confirm: m.saveSegment,
      testid: "segment-name-dialog",
      maxLength: 80,
      submit: async (name) => {
        saved = await createSegment(name, query, columns);
      },
    });
    if (!saved) return;
    const segment: Segment = saved;
    this.items = [...this.items, segment].sort((a, b) => a.name.localeCompare(b.name));
    this.activeId = segment.id;
    this.modified = false;
    this.element.hidden = false;
    this.render();
    this.opts.onSaved?.(segment);
    showToast(m.segmentSaved(segment.name));
  }

  private replace(segment: Segment): void {
    this.items = this.items.map((s) => (s.id === segment.id ? segment : s)).sort((a, b) => a.name.localeCompare(b.name));
    this.render();
  }

  private async update(segment: Segment): Promise<void> {
    const { query, columns } = this.opts.current();
    try {
      const updated = await updateSegment(segment.id, query, columns);
      this.activeId = updated.id;
      this.modified = false;
      this.replace(updated);
      this.opts.onSaved?.(updated);
      showToast(m.segmentUpdated(updated.name));
    } catch (err) {
      showError(err);
    }
  }

  private async rename(segment: Segment): Promise<void> {
    let renamed: Segment | null = null;
    await askText({
      title: m.renameSegment,
      label: m.segmentName,
      value: segment.name,
      confirm: m.rename,
      testid: "segment-rename-dialog",
      maxLength: 80,
      submit: async (name) => {
        renamed = await renameSegment(segment.id, name);
      },
    });
    if (renamed) this.replace(renamed);
  }

  private async remove(segment: Segment): Promise<void> {
    const yes = await confirmDialog({
      title: m.deleteSegmentQuestion(segment.name),
      body: m.deleteSegmentBody,
      confirmLabel: m.deleteSegment,
      testid: "segment-delete-dialog",
      danger: true,
    });
    if (!yes) return;
    try {
      await deleteSegment(segment.id);
      this.items = this.items.filter((s) => s.id !== segment.id);
      if (this.activeId === segment.id) {
        this.activeId = null;
        this.opts.onForget?.(segment.id);
      }
      this.render();
      showToast(m.segmentDeleted(segment.name));
    } catch (err) {
      showError(err);
    }
  }

  private closeMenu(): void {
    for (const menu of this.menus) menu.close();
    this.menus = [];
  }

  private render(): void {
    this.closeMenu();
    if (this.items.length === 0) {
      this.listEl.replaceChildren(
        h(
          "li",
          { class: "segment-empty muted", "data-testid": "segments-empty" },
          m.noSegments,
        ),
      );
      return;
    }
    this.listEl.replaceChildren(...this.items.map((s) => this.item(s)));
  }

  private item(segment: Segment): HTMLElement {
    const active = segment.id === this.activeId;
    const menu = new Menu({
      button: h("button", {
        type: "button",
        class: "icon-button segment-more",
        "data-testid": `segment-menu-${segment.id}`,
        "aria-label": m.segmentActions(segment.name),
      }),
      className: "segment-menu",
      items: [
        { testid: `segment-update-${segment.id}`, title: m.updateSegment, run: () => void this.update(segment) },
        { testid: `segment-rename-${segment.id}`, title: m.renameMenu, run: () => void this.rename(segment) },
        { testid: `segment-delete-${segment.id}`, title: m.deleteMenu, run: () => void this.remove(segment) },
      ],
    });
    this.menus.push(menu);
    return h(
      "li",
      { class: `segment${active ? " active" : ""}`, "data-testid": `segment-${segment.id}` },
      h(
        "button",
        {
          type: "button",
          class: "segment-open",
          "data-testid": `segment-open-${segment.id}`,
          "aria-current": active ? "true" : null,
          title: segment.description,
          onclick: () => {
            this.activeId = segment.id;
            this.modified = false;
            this.render();
            this.opts.onApply(segment);
          },
        },
        h("span", { class: "segment-name" }, segment.name, active && this.modified ? h("span", { class: "segment-modified", title: m.segmentChangedTitle }, ` ${m.segmentChanged}`) : null),
        h("span", { class: "segment-desc muted" }, segment.description),
      ),
      menu.element,
    );
  }
}
