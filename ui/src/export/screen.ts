// The Exports screen in the shell, with its top-bar button.
import type { Screen } from "../shell/screens";
import type { ExportsView } from "./exportsView";
import { m } from "./messages";

export const EXPORTS_SCREEN = "exports";

export function exportsScreen(view: ExportsView): Screen<unknown> {
  return {
    id: EXPORTS_SCREEN,
    title: m.screenTitle,
    element: view.element,
    focus: '[data-testid="exports-back"]',
    mount: () => view.refresh(),
    nav: { order: 30, testid: "exports-button" },
  };
}
