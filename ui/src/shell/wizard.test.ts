import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "./dom";
import { Wizard } from "./wizard";

afterEach(() => document.body.replaceChildren());

function wizard(onCancel = vi.fn()): Wizard {
  const clicks = { cancel: vi.fn(), back: vi.fn(), cont: vi.fn(), finish: vi.fn() };
  return new Wizard({
    title: "Create profile",
    titleId: "wiz-title",
    testid: "wiz",
    steps: ["Profile", "Consent"],
    stepperTestid: "wiz-steps",
    closeTestid: "wiz-close",
    body: h("div", null, h("input", { type: "text" })),
    buttons: {
      cancel: { label: "Cancel", testid: "wiz-cancel", onClick: clicks.cancel },
      back: { label: "Back", testid: "wiz-back", onClick: clicks.back },
      cont: { label: "Continue", testid: "wiz-continue", onClick: clicks.cont },
      finish: { label: "Save", testid: "wiz-save", onClick: clicks.finish },
    },
    onCancel,
  });
}

describe("Wizard", () => {
  it("has the stepper in its header and Cancel · Back ··· Continue · finish in its footer", () => {
    const w = wizard();
    w.modal.open();
    const dialog = w.dialog;
    expect(dialog.className, "a plain modal").toBe("modal");
    expect(dialog.querySelector("h2")?.id, "the fixed title id").toBe("wiz-title");
    expect([...dialog.querySelectorAll(".stepper .step")].map((s) => s.textContent), "numbered steps").toEqual(["1Profile", "2Consent"]);
    const foot = [...(dialog.querySelector(".modal-foot")?.children ?? [])].map((c) => c.getAttribute("data-testid") ?? c.className);
    expect(foot, "footer order").toEqual(["wiz-cancel", "wiz-back", "toolbar-spacer", "wiz-continue", "wiz-save"]);
    expect([w.buttons.cont.className, w.buttons.back.className], "button styles").toEqual(["button button-primary", "button button-secondary"]);
  });

  it("places a pane's own buttons after the standard ones, hidden until the wizard shows them", () => {
    const w = new Wizard({
      title: "Create profile",
      titleId: "wiz-title",
      testid: "wiz",
      steps: ["Profile"],
      closeTestid: "wiz-close",
      body: h("div"),
      buttons: {
        cancel: { label: "Cancel", testid: "wiz-cancel", onClick: vi.fn() },
        back: { label: "Back", testid: "wiz-back", onClick: vi.fn() },
        cont: { label: "Continue", testid: "wiz-continue", onClick: vi.fn() },
        finish: { label: "Save", testid: "wiz-save", onClick: vi.fn() },
      },
      more: { start: [{ key: "again", label: "Back", testid: "wiz-again" }], end: [{ key: "other", label: "Other", testid: "wiz-other" }] },
      onCancel: vi.fn(),
    });
    const foot = [...(w.dialog.querySelector(".modal-foot")?.children ?? [])].map((c) => c.getAttribute("data-testid") ?? c.className);
    expect(foot, "footer order").toEqual(["wiz-cancel", "wiz-back", "wiz-again", "toolbar-spacer", "wiz-continue", "wiz-save", "wiz-other"]);
    expect([w.modal.button("again").hidden, w.modal.button("other").hidden], "hidden at first").toEqual([true, true]);
  });

  it("marks the current step and the ones done", () => {
    const w = wizard();
    w.setStep(2);
    const steps = [...w.dialog.querySelectorAll(".step")];
    expect(steps.map((s) => s.className), "step 1 done, step 2 current").toEqual(["step done", "step current"]);
    expect(steps[1]?.getAttribute("aria-current"), "the current step is announced").toBe("step");
    expect(steps[0]?.hasAttribute("aria-current"), "only the current one").toBe(false);
  });

  it("Escape and × cancel, never while busy", () => {
    const onCancel = vi.fn();
    const w = wizard(onCancel);
    w.modal.open();
    w.modal.setBusy(true);
    w.dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    (w.dialog.querySelector('[data-testid="wiz-close"]') as HTMLElement).click();
    expect(onCancel, "busy: nothing").not.toHaveBeenCalled();
    expect(Object.values(w.buttons).every((b) => b.disabled), "busy: every footer button disabled").toBe(true);
    w.modal.setBusy(false);
    w.dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    (w.dialog.querySelector('[data-testid="wiz-close"]') as HTMLElement).click();
    expect(onCancel, "Escape and × cancel").toHaveBeenCalledTimes(2);
  });
});
