import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "./dom";
import { Wizard } from "./wizard";

afterEach(() => document.body.replaceChildren());

function wizard(onCancel = vi.fn(), unsaved?: { changed(): boolean; body(): string }): Wizard {
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
    unsaved,
  });
}

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

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

  it("asks before Escape or × throws typed work away; nothing typed closes at once", async () => {
    const onCancel = vi.fn();
    let typed = false;
    const w = wizard(onCancel, { changed: () => typed, body: () => "The new profile has not been saved." });
    w.modal.open();
    const field = w.dialog.querySelector("input") as HTMLInputElement;
    field.focus();

    w.dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(onCancel, "nothing typed: Escape closes without a question").toHaveBeenCalledTimes(1);
    expect(q("discard-changes"), "no question").toBeNull();

    typed = true;
    w.dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(q("discard-changes")?.textContent, "typed: the question says what would be lost").toContain("The new profile has not been saved.");
    expect(document.activeElement, "Keep editing has focus, so Enter keeps the work").toBe(q("discard-changes-no"));
    (w.dialog.querySelector('[data-testid="wiz-close"]') as HTMLElement).click();
    expect(document.querySelectorAll('[data-testid="discard-changes"]').length, "× while asking asks no second time").toBe(1);
    q("discard-changes-no")!.click();
    await settle();
    expect(onCancel, "Keep editing: the wizard stays").toHaveBeenCalledTimes(1);
    expect(document.activeElement, "focus goes back to the field").toBe(field);

    (w.dialog.querySelector('[data-testid="wiz-close"]') as HTMLElement).click();
    q("discard-changes-yes")!.click();
    await settle();
    expect(onCancel, "Discard changes: the wizard's own close runs").toHaveBeenCalledTimes(2);
  });
});
