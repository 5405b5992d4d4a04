// The audit log screen in the shell, with its top-bar button.
import { h } from "../shell/dom";
import type { Screen } from "../shell/screens";
import type { AuditView } from "./auditView";
import { m } from "./messages";

export const AUDIT_SCREEN = "audit";

export function auditScreen(view: AuditView): Screen<unknown> {
  return {
    id: AUDIT_SCREEN,
    title: m.title,
    element: view.element,
    focus: '[data-testid="audit-back"]',
    again: "ignore",
    mount: () => view.refresh(),
    nav: {
      order: 40,
      testid: "audit-button",
      title: m.navTitle,
      label: [h("span", { class: "button-icon icon-shield", "aria-hidden": "true" }), m.title],
    },
  };
}
