import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "./dom";
import { Menu, Popover } from "./menu";

afterEach(() => document.body.replaceChildren());

function makeMenu(extra: { arrowDownOpens?: boolean; closeOnFocusOut?: boolean } = {}): { menu: Menu; run: ReturnType<typeof vi.fn> } {
  const run = vi.fn();
  const menu = new Menu({
    button: h("button", { type: "button", "data-testid": "trigger" }, "Create"),
    testid: "the-menu",
    className: "user-menu",
    items: [
      { testid: "hidden-item", title: "Hidden", hidden: true, run: vi.fn() },
      { testid: "first", title: "First", hint: "the first one", run },
      { testid: "second", title: "Second", run: vi.fn() },
    ],
    ...extra,
  });
  document.body.appendChild(menu.element);
  return { menu, run };
}

function q(testid: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no ${testid}`);
  return el;
}

describe("Menu", () => {
  it("draws a menu of items under its trigger, closed", () => {
    const { menu } = makeMenu();
    expect(menu.element.className, "the popover anchor").toBe("popover-anchor");
    expect(q("the-menu").className, "menu classes").toBe("menu user-menu");
    expect(q("the-menu").getAttribute("role"), "a menu").toBe("menu");
    expect(q("the-menu").hidden, "closed at first").toBe(true);
    expect(q("trigger").getAttribute("aria-haspopup"), "the trigger says it opens a menu").toBe("menu");
    expect(q("trigger").getAttribute("aria-expanded"), "closed").toBe("false");
    expect(q("first").querySelector(".menu-item-hint")?.textContent, "items have a title and a hint").toBe("the first one");
  });

  it("opens on click with focus on the first visible item; an item closes it, then runs", () => {
    const { menu, run } = makeMenu();
    q("trigger").click();
    expect(menu.isOpen, "open").toBe(true);
    expect(q("trigger").getAttribute("aria-expanded"), "expanded").toBe("true");
    expect(document.activeElement, "the first visible item has focus").toBe(q("first"));
    q("first").click();
    expect(menu.isOpen, "an item closes the menu").toBe(false);
    expect(run, "and runs its action").toHaveBeenCalledTimes(1);
    q("trigger").click();
    q("trigger").click();
    expect(menu.isOpen, "a second click closes it").toBe(false);
  });

  it("closes on Escape with focus back on the trigger, without the page seeing the Escape", () => {
    const { menu } = makeMenu();
    menu.open();
    const outside = vi.fn();
    document.addEventListener("keydown", outside);
    q("first").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    document.removeEventListener("keydown", outside);
    expect(menu.isOpen, "closed").toBe(false);
    expect(document.activeElement, "focus on the trigger").toBe(q("trigger"));
    expect(outside, "Escape stays in the menu").not.toHaveBeenCalled();
  });

  it("closes on a click outside, not inside", () => {
    const { menu } = makeMenu();
    menu.open();
    q("second").dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    expect(menu.isOpen, "a click inside keeps it").toBe(true);
    document.body.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    expect(menu.isOpen, "a click outside closes it").toBe(false);
  });

  it("one popover open at a time; a disabled trigger does not open", () => {
    const a = makeMenu().menu;
    const panel = h("div", { class: "popover" }, h("input", { type: "checkbox", "data-testid": "box" }));
    const b = new Popover({ button: h("button", { type: "button" }, "Columns"), panel, popup: "dialog", focus: "input" });
    document.body.appendChild(b.element);
    a.open();
    b.open();
    expect([a.isOpen, b.isOpen], "opening b closes a").toEqual([false, true]);
    expect(b.button.getAttribute("aria-haspopup"), "a dialog popover").toBe("dialog");
    expect(document.activeElement, "its focus target").toBe(q("box"));
    b.close();
    a.button.disabled = true;
    a.open();
    expect(a.isOpen, "disabled trigger").toBe(false);
  });

  it("ArrowDown on the trigger opens it when asked; focus leaving closes it when asked", () => {
    const { menu } = makeMenu({ arrowDownOpens: true, closeOnFocusOut: true });
    const elsewhere = h("button", { type: "button" }, "Elsewhere");
    document.body.appendChild(elsewhere);
    const down = new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true });
    q("trigger").dispatchEvent(down);
    expect(menu.isOpen, "ArrowDown opens").toBe(true);
    expect(down.defaultPrevented, "and does not scroll").toBe(true);
    q("first").dispatchEvent(new FocusEvent("focusout", { bubbles: true, relatedTarget: q("second") }));
    expect(menu.isOpen, "focus moving inside keeps it").toBe(true);
    q("first").dispatchEvent(new FocusEvent("focusout", { bubbles: true, relatedTarget: elsewhere }));
    expect(menu.isOpen, "focus leaving closes it").toBe(false);
  });

  it("draws a named group of choices after the items, the one in force checked", () => {
    const pick = vi.fn();
    const menu = new Menu({
      button: h("button", { type: "button", "data-testid": "trigger" }, "Me"),
      items: [
        { testid: "first", title: "First", run: vi.fn() },
        {
          group: "Language",
          testid: "choices",
          inline: true,
          items: [
            { testid: "en", title: "English", lang: "en", checked: true, run: vi.fn() },
            { testid: "vi", title: "Tiếng Việt", lang: "vi", checked: false, run: pick },
          ],
        },
      ],
    });
    document.body.appendChild(menu.element);
    const group = q("choices");
    expect(group.getAttribute("role"), "a group").toBe("group");
    expect(document.getElementById(group.getAttribute("aria-labelledby") ?? "")?.textContent, "named by its label").toBe("Language");
    expect(q("vi").getAttribute("role"), "choices are radio items").toBe("menuitemradio");
    expect([q("en").getAttribute("aria-checked"), q("vi").getAttribute("aria-checked")]).toEqual(["true", "false"]);
    expect(q("vi").querySelector(".menu-item-title")?.getAttribute("lang"), "a title in another language says so").toBe("vi");
    expect(q("first").hasAttribute("aria-checked"), "plain items are not choices").toBe(false);
    menu.open();
    expect(document.activeElement, "focus on the first item").toBe(q("first"));
    q("vi").click();
    expect(menu.isOpen, "a choice closes the menu").toBe(false);
    expect(pick, "and runs").toHaveBeenCalledTimes(1);
  });
});

