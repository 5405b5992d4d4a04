// The Settings screen in the shell, with its top-bar button. Leaving it for another screen asks
// about unsaved edits first; its own Back and Escape do the same (settingsView.ts).
import { h } from "../shell/dom";
import type { Screen } from "../shell/screens";
import type { SettingsView } from "./settingsView";
import { m } from "./messages";

export const SETTINGS_SCREEN = "settings";

export function settingsScreen(view: SettingsView): Screen<unknown> {
  return {
    id: SETTINGS_SCREEN,
    get title() {
      return m.settingsTitle;
    },
    element: view.element,
    focus: '[data-testid="settings-back"]',
    focusAfterMount: true,
    again: "ignore",
    // The Settings screen handles its own keys (Escape asks about unsaved edits first).
    escape: "own",
    // `arg`: the section to open (the sync chip opens Remote CDP).
    mount: (arg) => view.open(typeof arg === "string" ? arg : undefined),
    unmount: () => view.close(),
    canLeave: () => view.requestClose(),
    nav: {
      order: 50,
      testid: "settings-button",
      title: m.settingsNavTitle,
      label: [h("span", { class: "button-icon icon-gear", "aria-hidden": "true" }), m.settingsTitle],
    },
  };
}
