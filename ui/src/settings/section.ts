// The contract between the Settings screen and its sections. A section is
// one module (ui/src/settings/<name>.ts) exporting a SettingsSection;
// the list of sections, in display order, is SETTINGS_SECTIONS in
// ./sections.ts — adding a section is adding one module and one line there.
import { h, type Child } from "../shell/dom";
import type { Session } from "../ipc";
import { common } from "../i18n/common";
import { m } from "./messages";

export interface SettingsContext {
  readonly session: Session;
  /**
   * The field catalogue or the consent channels changed: the shell reloads
   * them so that the create form, the mapping grid and the list use them at
   * once (the core already does).
   */
  catalogueChanged(): void;
  /** The idle lock changed (minutes): the window's own timer follows at once. */
  idleLockChanged?(minutes: number): void;
  /** Opens a profile's detail screen (a merge notice's link). */
  openProfile?(id: number): void;
  /** Opens conflict review (the Conflicts card's button). */
  openConflicts?(): void;
}

export interface SectionHandle {
  readonly element: HTMLElement;
  /** True while the section holds edits not saved yet; the shell asks before leaving. */
  hasUnsavedChanges?(): boolean;
  /** Called when the section is left (timers, listeners). */
  dispose?(): void;
}

export interface SettingsSection {
  /** Stable id: nav button `settings-nav-<id>`, pane `settings-section-<id>`. */
  readonly id: string;
  /** Read when shown (a getter in the sections: the text is in the current language). */
  readonly title: string;
  /** One line under the title in the section list. */
  readonly summary: string;
  /** Permission that shows the section (default `settings.manage`). */
  readonly permission?: string;
  /**
   * What the section edits, when a CDP server manages it while this computer syncs ("the field
   * catalogue"): the section is then shown read-only under a notice naming the server (the
   * core refuses such edits anyway).
   */
  readonly managedByServer?: string;
  /** Builds the section (fresh each time it is opened) and starts loading its data. */
  mount(ctx: SettingsContext): SectionHandle;
}

/** The permission a section needs. */
export function sectionPermission(section: SettingsSection): string {
  return section.permission ?? "settings.manage";
}

/** The sections `permissions` may open, in order. */
export function visibleSections(
  sections: readonly SettingsSection[],
  permissions: readonly string[],
): SettingsSection[] {
  return sections.filter((s) => permissions.includes(sectionPermission(s)));
}

/** The heading every section starts with: title, what it does, optional actions on the right. */
export function sectionHead(title: string, description: Child, ...actions: Child[]): HTMLElement {
  return h(
    "header",
    { class: "settings-head" },
    h("div", { class: "settings-head-text" }, h("h2", null, title), h("p", { class: "muted" }, description)),
    actions.length > 0 ? h("div", { class: "settings-head-actions" }, actions) : null,
  );
}

/** The loading and failure states of a section body. */
export function loadingPanel(what: string): HTMLElement {
  return h("div", { class: "detail-loading", role: "status" }, common.loadingWhat(what));
}

export function failedPanel(what: string, message: string, retry: () => void): HTMLElement {
  return h(
    "div",
    { class: "state-panel compact", role: "alert" },
    h("h2", null, m.couldNotLoadTitle(what)),
    h("p", null, message),
    h("button", { type: "button", class: "button button-secondary", onclick: retry }, common.tryAgain),
  );
}
