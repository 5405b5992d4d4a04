import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "./dom";
import { Modal, type ModalOptions } from "./modal";

afterEach(() => document.body.replaceChildren());

function key(target: Element, k: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e;
}

function modal(extra: Partial<ModalOptions> = {}): Modal {
  return new Modal({
    title: "Rename",
    testid: "rename",
    body: h("input", { type: "text", "data-testid": "field" }),
    start: [{ key: "cancel", label: "Cancel", testid: "no" }],
    end: [{ key: "ok", label: "OK", kind: "primary", testid: "yes" }],
    ...extra,
  });
}

function q(testid: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no ${testid}`);
  return el;
}

describe("Modal", () => {
  it("draws the title, body and footer actions with the dialog's classes and roles", () => {
    const m = modal({ role: "alertdialog", closeButton: "x" }).open();
    const dialog = q("rename");
    expect(dialog.className, "the narrow modal by default").toBe("modal modal-narrow");
    expect(dialog.getAttribute("role"), "the role asked for").toBe("alertdialog");
    expect(dialog.getAttribute("aria-modal"), "a modal dialog").toBe("true");
    const title = dialog.querySelector("h2");
    expect(title?.textContent, "the title in the header").toBe("Rename");
    expect(dialog.getAttribute("aria-labelledby"), "the dialog is named by its title").toBe(title?.id);
    const foot = dialog.querySelector(".modal-foot");
    expect([...(foot?.children ?? [])].map((c) => c.getAttribute("data-testid") ?? c.className), "start actions, spacer, end actions").toEqual([
      "no",
      "toolbar-spacer",
      "yes",
    ]);
    expect(q("yes").className, "the kind picks the button style").toBe("button button-primary");
    expect(m.element.parentElement, "the backdrop is on the page").toBe(document.body);
    expect(Modal.anyOpen(), "an open modal is known to the shell").toBe(true);
  });

  it("focuses the first field on open and gives focus back on close", () => {
    const opener = h("button", { type: "button" }, "Open");
    document.body.appendChild(opener);
    opener.focus();
    const onClosed = vi.fn();
    const m = modal({ onClosed }).open();
    expect(document.activeElement, "the body's first field takes focus").toBe(q("field"));
    expect(m.close(), "closing works when not busy").toBe(true);
    expect(document.querySelector('[data-testid="rename"]'), "the dialog is gone").toBeNull();
    expect(document.activeElement, "focus is back on the opener").toBe(opener);
    expect(onClosed, "onClosed runs once").toHaveBeenCalledTimes(1);
    m.close();
    expect(onClosed, "closing twice does nothing more").toHaveBeenCalledTimes(1);
    expect(Modal.anyOpen(), "no modal open any more").toBe(false);
  });

  it("cancels on Escape, on × and on the cancel action, and keeps Escape from the page", () => {
    for (const how of ["escape", "x", "cancel"] as const) {
      const onCancel = vi.fn();
      const m = modal({ onCancel, closeButton: "x" }).open();
      const outside = vi.fn();
      document.addEventListener("keydown", outside);
      if (how === "escape") key(q("field"), "Escape");
      else q(how === "x" ? "x" : "no").click();
      document.removeEventListener("keydown", outside);
      expect(onCancel, `${how} cancels`).toHaveBeenCalledTimes(1);
      if (how === "escape") expect(outside, "Escape does not reach the page's shortcuts").not.toHaveBeenCalled();
      m.close();
    }
    const m = modal().open();
    key(q("field"), "Escape");
    expect(m.closed, "without onCancel, Escape closes").toBe(true);
  });

  it("runs onEnter on Enter in a field, never on a button; Ctrl+Enter when asked", () => {
    const onEnter = vi.fn();
    modal({ onEnter }).open();
    key(q("field"), "Enter");
    expect(onEnter, "Enter in a field runs the main action").toHaveBeenCalledTimes(1);
    key(q("no"), "Enter");
    expect(onEnter, "Enter on a button is the button's own click").toHaveBeenCalledTimes(1);
    document.body.replaceChildren();

    const onCtrl = vi.fn();
    modal({ onEnter: onCtrl, enter: "ctrl", body: h("textarea", { "data-testid": "field" }) }).open();
    key(q("field"), "Enter");
    expect(onCtrl, "plain Enter in a text area is a new line").not.toHaveBeenCalled();
    const e = key(q("field"), "Enter", { ctrlKey: true });
    expect(onCtrl, "Ctrl+Enter runs the main action").toHaveBeenCalledTimes(1);
    expect(e.defaultPrevented, "and no new line is typed").toBe(true);
  });

  it("keeps Tab inside the dialog", () => {
    modal().open();
    const first = q("field");
    const last = q("yes");
    // happy-dom lays nothing out: every element reports one box.
    for (const el of [first, q("no"), last]) el.getClientRects = () => [{}] as unknown as DOMRectList;
    last.focus();
    const tab = key(last, "Tab");
    expect(tab.defaultPrevented, "Tab on the last control is taken").toBe(true);
    expect(document.activeElement, "and wraps to the first").toBe(first);
    const back = key(first, "Tab", { shiftKey: true });
    expect(back.defaultPrevented, "Shift+Tab on the first control is taken").toBe(true);
    expect(document.activeElement, "and wraps to the last").toBe(last);
  });

  it("while busy: actions disabled, aria-busy, no cancel or close; after: the actions' own state back", () => {
    const onCancel = vi.fn();
    const onEnter = vi.fn();
    const m = modal({
      onCancel,
      onEnter,
      closeButton: "x",
      end: [
        { key: "ok", label: "OK", kind: "primary", testid: "yes" },
        { key: "off", label: "Later", testid: "off", disabled: true },
      ],
    }).open();
    m.setBusy(true);
    expect(m.busy, "busy").toBe(true);
    expect(q("rename").getAttribute("aria-busy"), "the dialog says it is busy").toBe("true");
    expect((q("yes") as HTMLButtonElement).disabled, "actions are disabled").toBe(true);
    expect((q("no") as HTMLButtonElement).disabled, "Cancel too").toBe(true);
    key(q("field"), "Escape");
    q("x").click();
    key(q("field"), "Enter");
    expect(onCancel, "Escape and × do nothing while busy").not.toHaveBeenCalled();
    expect(onEnter, "nor does Enter").not.toHaveBeenCalled();
    expect(m.close(), "close refuses while busy").toBe(false);
    expect(m.closed, "still open").toBe(false);
    m.setBusy(false);
    expect(q("rename").getAttribute("aria-busy"), "no longer busy").toBe("false");
    expect((q("yes") as HTMLButtonElement).disabled, "enabled again").toBe(false);
    expect((q("off") as HTMLButtonElement).disabled, "a button disabled before stays disabled").toBe(true);
    key(q("field"), "Escape");
    expect(onCancel, "Escape cancels again").toHaveBeenCalledTimes(1);
  });

  it("as a form, submit buttons and Enter run onSubmit (not while busy)", () => {
    const onSubmit = vi.fn();
    const m = modal({ form: true, onSubmit, end: [{ key: "ok", label: "OK", kind: "primary", submit: true, testid: "yes" }] }).open();
    expect(q("rename").tagName, "the dialog is the form").toBe("FORM");
    q("rename").dispatchEvent(new Event("submit", { cancelable: true }));
    expect(onSubmit, "a submit runs onSubmit").toHaveBeenCalledTimes(1);
    m.setBusy(true);
    q("rename").dispatchEvent(new Event("submit", { cancelable: true }));
    expect(onSubmit, "not while busy").toHaveBeenCalledTimes(1);
  });

  it("closes on a backdrop click when asked, not on a click inside", () => {
    const m = modal({ closeOnBackdrop: true }).open();
    q("field").dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    expect(m.closed, "a click inside keeps it").toBe(false);
    m.element.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    expect(m.closed, "a click on the backdrop closes it").toBe(true);
  });
});
