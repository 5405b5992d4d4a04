// The import report screen in the shell, with its top-bar button.
import type { Screen } from "../shell/screens";
import type { ImportReport } from "./importReport";
import { m } from "./messages";

export const REPORT_SCREEN = "report";

export function reportScreen(view: ImportReport, opts: { canView: boolean }): Screen<unknown> {
  return {
    id: REPORT_SCREEN,
    title: m.reportScreenTitle,
    element: view.element,
    focus: '[data-testid="report-back"]',
    mount: () => view.refresh(),
    // The report lists what was imported: it needs profile.view like the list.
    nav: { order: 10, testid: "import-report-button", hidden: !opts.canView },
  };
}
