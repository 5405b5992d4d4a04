// The Settings screen (SPEC 7.1): the section list on the left, the open
// section on the right. Only users with settings.manage reach it (the shell
// hides its button for others; the core refuses every settings command
// anyway). Sections are modules listed in ./sections.ts.
import "./settings.css";

import { h } from "../shell/dom";
import { confirmDialog } from "../shell/confirmDialog";
import { serverName } from "../shell/format";
import { syncStatus } from "../ipc";
import { SETTINGS_SECTIONS } from "./sections";
import { visibleSections, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";
import { m } from "./messages";

export interface SettingsViewOptions {
  context: SettingsContext;
  onBack(): void;
  /** Defaults to SETTINGS_SECTIONS (tests pass their own). */
  sections?: readonly SettingsSection[];
}

export class SettingsView {
  readonly element: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly pane: HTMLElement;
  private readonly sections: SettingsSection[];
  private current: { section: SettingsSection; handle: SectionHandle } | null = null;

  constructor(private readonly opts: SettingsViewOptions) {
    this.sections = visibleSections(opts.sections ?? SETTINGS_SECTIONS, opts.context.session.permissions);
    this.nav = h(
      "nav",
      { class: "settings-nav", "aria-label": m.sectionsLabel, "data-testid": "settings-nav" },
      this.sections.map((s) =>
        h(
          "button",
          {
            type: "button",
            class: "settings-nav-item",
            "data-testid": `settings-nav-${s.id}`,
            "data-section": s.id,
            onclick: () => void this.open(s.id),
          },
          h("span", { class: "settings-nav-title" }, s.title),
          h("span", { class: "settings-nav-summary" }, s.summary),
        ),
      ),
    );
    this.pane = h("div", { class: "settings-pane", role: "region", "aria-live": "polite" });
    this.element = h(
      "section",
      { class: "detail-view settings-view", "data-testid": "settings-view", hidden: true },
      h(
        "header",
        { class: "detail-head" },
        h(
          "button",
          { type: "button", class: "button button-ghost back", "data-testid": "settings-back", onclick: () => void this.leave(() => opts.onBack()) },
          m.backToProfiles,
        ),
        h("div", { class: "detail-title" }, h("h1", null, m.settingsTitle)),
        h("div", { class: "detail-meta" }, m.settingsMeta),
      ),
      h("div", { class: "settings-layout" }, this.nav, this.pane),
    );
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !document.querySelector(".modal-backdrop") && !(e.target instanceof HTMLInputElement)) {
        e.stopPropagation();
        void this.leave(() => opts.onBack());
      }
    });
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  /** The ids of the sections this user sees, in order. */
  get sectionIds(): string[] {
    return this.sections.map((s) => s.id);
  }

  /** Opens a section (the first one when `id` is unknown or omitted). */
  async open(id?: string): Promise<void> {
    const section = this.sections.find((s) => s.id === id) ?? this.current?.section ?? this.sections[0];
    if (!section) {
      this.pane.replaceChildren(h("div", { class: "state-panel compact" }, h("h2", null, m.noSettingsForRole)));
      return;
    }
    if (this.current?.section === section) return;
    const managedBy = section.managedByServer ? await this.syncServer() : null;
    await this.leave(() => {
      this.current?.handle.dispose?.();
      const handle = section.mount(this.opts.context);
      this.current = { section, handle };
      this.pane.replaceChildren(managedBy && section.managedByServer ? managedPane(handle.element, section.managedByServer, managedBy) : handle.element);
      for (const b of this.nav.querySelectorAll<HTMLElement>(".settings-nav-item")) {
        const on = b.dataset.section === section.id;
        b.classList.toggle("current", on);
        if (on) b.setAttribute("aria-current", "page");
        else b.removeAttribute("aria-current");
      }
    });
  }

  /** The server this computer syncs with (its host), or null: it manages some sections. */
  private async syncServer(): Promise<string | null> {
    try {
      const s = await syncStatus();
      return s.connected && s.serverUrl ? serverName(s.serverUrl) : null;
    } catch {
      return null;
    }
  }

  /** Closes the open section (when the screen is left). */
  close(): void {
    this.current?.handle.dispose?.();
    this.current = null;
    this.pane.replaceChildren();
  }

  /** Runs `then` unless the open section has unsaved edits the user wants to keep. */
  private async leave(then: () => void): Promise<void> {
    if (this.current?.handle.hasUnsavedChanges?.()) {
      const discard = await confirmDialog({
        title: m.discardTitle,
        body: h("p", null, m.discardBody(this.current.section.title)),
        confirmLabel: m.discardChanges,
        cancelLabel: m.keepEditing,
        danger: true,
        testid: "settings-discard",
      });
      if (!discard) return;
    }
    then();
  }

  /** Leaves the screen (asking first about unsaved edits); resolves true when it was left. */
  async requestClose(): Promise<boolean> {
    let left = false;
    await this.leave(() => {
      left = true;
    });
    if (left) this.close();
    return left;
  }
}

/**
 * A section the server manages while this computer syncs: a notice naming the server over the
 * section, whose every control is disabled (a disabled fieldset disables all it holds).
 */
export function managedPane(section: HTMLElement, what: string, server: string): HTMLElement {
  return h(
    "div",
    { class: "settings-managed", "data-testid": "settings-managed" },
    h(
      "p",
      { class: "settings-managed-notice", role: "note", "data-testid": "settings-managed-notice" },
      h("strong", null, m.managedBy(server)),
      m.managedBody(server, what),
    ),
    h("fieldset", { class: "settings-managed-fields", disabled: true }, section),
  );
}
