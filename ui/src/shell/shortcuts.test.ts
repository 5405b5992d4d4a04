import { afterEach, describe, expect, it, vi } from "vitest";
import { setLang } from "../i18n/lang";
import { h } from "./dom";
import { confirmDialog } from "./confirmDialog";
import type { ScreenActions } from "./screens";
import { Shortcuts, isTyping, undoNewestImport } from "./shortcuts";

afterEach(() => {
  setLang("en");
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

interface Setup {
  keys: Shortcuts;
  actions: { save: ReturnType<typeof vi.fn>; undo: ReturnType<typeof vi.fn>; deleteSelected: ReturnType<typeof vi.fn> };
  newProfile: ReturnType<typeof vi.fn>;
  locked: { on: boolean };
}

function setup(actions: Partial<ScreenActions> | null = {}, canCreate = true): Setup {
  const a = {
    save: vi.fn(() => true),
    undo: vi.fn(() => true),
    deleteSelected: vi.fn(() => true),
  };
  const newProfile = vi.fn();
  const locked = { on: false };
  const keys = new Shortcuts({
    actions: () => (actions === null ? {} : { ...a, ...actions }),
    newProfile: canCreate ? newProfile : null,
    enabled: () => !locked.on,
    sheet: { save: true, deleteSelected: true, undo: true },
  });
  return { keys, actions: a, newProfile, locked };
}

/** A keydown as a person presses it, on `target`; returns whether the app took it (default prevented). */
function press(keys: Shortcuts, key: string, opts: KeyboardEventInit = {}, target: HTMLElement = document.body): boolean {
  const e = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...opts });
  Object.defineProperty(e, "target", { value: target });
  keys.onKey(e);
  return e.defaultPrevented;
}

describe("keyboard shortcuts", () => {
  it("Ctrl+N opens a new profile, Ctrl+S saves, Delete deletes the selection, Ctrl+Z undoes", () => {
    const { keys, actions, newProfile } = setup();
    expect(press(keys, "n", { ctrlKey: true }), "Ctrl+N is taken").toBe(true);
    expect(newProfile, "the create wizard opens").toHaveBeenCalledTimes(1);
    expect(press(keys, "s", { ctrlKey: true }), "Ctrl+S is taken").toBe(true);
    expect(actions.save, "the screen saves").toHaveBeenCalledTimes(1);
    expect(press(keys, "Delete"), "Delete is taken").toBe(true);
    expect(actions.deleteSelected, "the selection's delete dialog").toHaveBeenCalledTimes(1);
    expect(press(keys, "z", { ctrlKey: true }), "Ctrl+Z is taken").toBe(true);
    expect(actions.undo, "the screen's undo").toHaveBeenCalledTimes(1);
    expect(press(keys, "N", { ctrlKey: true, shiftKey: true }), "Ctrl+Shift+N is not Ctrl+N").toBe(false);
    expect(press(keys, "z", { ctrlKey: true, altKey: true }), "nor is Ctrl+Alt+Z an undo").toBe(false);
    expect(newProfile, "still once").toHaveBeenCalledTimes(1);
    expect(actions.undo, "still once").toHaveBeenCalledTimes(1);
  });

  it("leaves a key to the browser when the screen has nothing to do with it", () => {
    const { keys } = setup({ save: () => false, undo: undefined, deleteSelected: () => false }, false);
    expect(press(keys, "n", { ctrlKey: true }), "no create permission: Ctrl+N does nothing").toBe(false);
    expect(press(keys, "s", { ctrlKey: true }), "nothing being edited: Ctrl+S is not taken").toBe(false);
    expect(press(keys, "z", { ctrlKey: true }), "no undo here").toBe(false);
    expect(press(keys, "Delete"), "nothing selected").toBe(false);
  });

  it("does nothing while typing in a field, except Ctrl+S (and Ctrl+N, which types nothing)", () => {
    const { keys, actions, newProfile } = setup();
    const input = h("input", { type: "text" });
    const area = h("textarea");
    const box = h("input", { type: "checkbox" });
    document.body.append(input, area, box);
    for (const field of [input, area]) {
      expect(press(keys, "Delete", {}, field), "Delete deletes text").toBe(false);
      expect(press(keys, "z", { ctrlKey: true }, field), "Ctrl+Z undoes typing").toBe(false);
      expect(press(keys, "?", { shiftKey: true }, field), "? is typed").toBe(false);
    }
    expect(actions.deleteSelected, "no delete from a field").not.toHaveBeenCalled();
    expect(actions.undo, "no undo from a field").not.toHaveBeenCalled();
    expect(q("shortcut-sheet"), "no sheet from a field").toBeNull();
    expect(press(keys, "s", { ctrlKey: true }, input), "Ctrl+S saves from the form's field").toBe(true);
    expect(actions.save).toHaveBeenCalledTimes(1);
    expect(press(keys, "n", { ctrlKey: true }, input), "Ctrl+N works from the search box").toBe(true);
    expect(newProfile).toHaveBeenCalledTimes(1);
    expect(press(keys, "Delete", {}, box), "a row's checkbox is not typing").toBe(true);
    expect([isTyping(input), isTyping(area), isTyping(h("select")), isTyping(box), isTyping(h("button"))], "what counts as typing").toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("does nothing while a modal dialog is open or the window is locked", async () => {
    const { keys, actions, newProfile, locked } = setup();
    const answer = confirmDialog({ title: "Delete the segment?", body: "", confirmLabel: "Delete", testid: "ask" });
    expect(press(keys, "n", { ctrlKey: true }), "a dialog is open").toBe(false);
    expect(press(keys, "Delete"), "a dialog is open").toBe(false);
    expect(press(keys, "s", { ctrlKey: true }), "a dialog is open").toBe(false);
    q("ask-no")!.click();
    await answer;
    locked.on = true;
    expect(press(keys, "n", { ctrlKey: true }), "locked").toBe(false);
    expect(press(keys, "?", { shiftKey: true }), "locked").toBe(false);
    expect(newProfile, "never while a dialog or the lock is up").not.toHaveBeenCalled();
    expect(actions.deleteSelected).not.toHaveBeenCalled();
    expect(actions.save).not.toHaveBeenCalled();
  });

  it("? opens the sheet listing the shortcuts; a second ? while it is open opens no other", () => {
    const { keys } = setup();
    expect(press(keys, "?", { shiftKey: true }), "? is taken").toBe(true);
    const sheet = q("shortcut-sheet")!;
    const rows = [...sheet.querySelectorAll("tr")].map((tr) => tr.textContent);
    expect(rows, "every shortcut with its keys").toEqual([
      "Ctrl+NNew profile (Create individually)",
      "Ctrl+SSave the profile you are editing",
      "DeleteDelete the selected profiles in the list",
      "Ctrl+ZUndo the last import (on the import report)",
      "/orCtrl+FSearch the list",
      "EscClose the dialog or screen, or go back",
      "?Show these shortcuts",
    ]);
    expect(document.activeElement, "Close has focus").toBe(q("shortcut-sheet-done"));
    press(keys, "?", { shiftKey: true });
    expect(document.querySelectorAll('[data-testid="shortcut-sheet"]').length, "one sheet").toBe(1);
    sheet.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(q("shortcut-sheet"), "Escape closes it").toBeNull();
  });

  it("lists only what the user can do, in Vietnamese too", () => {
    setLang("vi");
    const keys = new Shortcuts({ actions: () => ({}), newProfile: null, sheet: { save: false, deleteSelected: false, undo: false } });
    keys.openSheet();
    const sheet = q("shortcut-sheet")!;
    expect(sheet.querySelector("h2")?.textContent).toBe("Phím tắt");
    const rows = [...sheet.querySelectorAll("tr")].map((tr) => tr.textContent);
    expect(rows, "a viewer: search, Escape and the sheet").toEqual([
      "/hoặcCtrl+FTìm trong danh sách",
      "EscĐóng hộp thoại hoặc màn hình, hoặc quay lại",
      "?Xem các phím tắt này",
    ]);
  });
});

describe("the sheet's Ctrl+Z line", () => {
  it("is listed in both languages for a user who can undo imports, and only for one", () => {
    const line = (undo: boolean): string[] => {
      document.body.replaceChildren();
      new Shortcuts({ actions: () => ({}), newProfile: null, sheet: { save: false, deleteSelected: false, undo } }).openSheet();
      return [...q("shortcut-sheet")!.querySelectorAll("tr")].map((tr) => tr.textContent ?? "").filter((t) => t.startsWith("Ctrl+Z"));
    };
    expect(line(true)).toEqual(["Ctrl+ZUndo the last import (on the import report)"]);
    expect(line(false), "no undo for this user: no line").toEqual([]);
    setLang("vi");
    expect(line(true)).toEqual(["Ctrl+ZHoàn tác lượt nhập gần nhất (trong báo cáo nhập)"]);
  });
});

describe("Ctrl+Z on the import report", () => {
  function report(rows: Array<{ id: number; undo: boolean }>): { el: HTMLElement; clicks: number[] } {
    const clicks: number[] = [];
    const el = h(
      "section",
      null,
      h(
        "table",
        null,
        h("tr", { "data-testid": "report-refused-1" }),
        rows.map((r) =>
          h(
            "tr",
            { "data-testid": `report-row-${r.id}` },
            h("td", null, r.undo ? h("button", { type: "button", "data-testid": `report-undo-${r.id}`, onclick: () => clicks.push(r.id) }) : null),
          ),
        ),
      ),
    );
    return { el, clicks };
  }

  it("presses the newest import's Undo (which asks first)", () => {
    const { el, clicks } = report([
      { id: 9, undo: true },
      { id: 8, undo: true },
    ]);
    expect(undoNewestImport(el), "there is an undo").toBe(true);
    expect(clicks, "the newest job's, not an older one").toEqual([9]);
  });

  it("does nothing when the newest import cannot be undone (undone already, failed)", () => {
    const { el, clicks } = report([
      { id: 9, undo: false },
      { id: 8, undo: true },
    ]);
    expect(undoNewestImport(el), "nothing to undo").toBe(false);
    expect(clicks, "an older import is not undone instead").toEqual([]);
    expect(undoNewestImport(h("section")), "an empty report").toBe(false);
  });
});
