import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "./dom";
import { Modal } from "./modal";
import { ScreenRegistry, type Screen } from "./screens";

afterEach(() => document.body.replaceChildren());

function setup(): { main: HTMLElement; home: HTMLElement; focusHome: ReturnType<typeof vi.fn>; reg: ScreenRegistry } {
  const home = h("section", { "data-testid": "home" }, h("input", { type: "search" }));
  const main = h("main", null, home);
  document.body.appendChild(main);
  const focusHome = vi.fn();
  return { main, home, focusHome, reg: new ScreenRegistry(main, { element: home, focus: focusHome }) };
}

function screen<A = unknown>(id: string, extra: Partial<Screen<A>> = {}): Screen<A> & { mount: ReturnType<typeof vi.fn>; unmount: ReturnType<typeof vi.fn> } {
  return {
    id,
    title: id,
    element: h("section", { "data-testid": id }, h("button", { type: "button", "data-testid": `${id}-back` }, "Back")),
    mount: vi.fn(),
    unmount: vi.fn(),
    focus: `[data-testid="${id}-back"]`,
    ...extra,
  } as Screen<A> & { mount: ReturnType<typeof vi.fn>; unmount: ReturnType<typeof vi.fn> };
}

function escape(target: EventTarget = document.body): void {
  const e = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
  target.dispatchEvent(e);
}

describe("ScreenRegistry", () => {
  it("registers screens hidden in the main area and refuses an id twice", () => {
    const { main, reg } = setup();
    const a = screen("a");
    reg.register(a);
    expect(a.element.parentElement, "the screen lives in the main area").toBe(main);
    expect(a.element.hidden, "hidden until shown").toBe(true);
    expect(reg.current, "the home screen shows").toBeNull();
    expect(() => reg.register(screen("a")), "ids are unique").toThrow();
  });

  it("shows one screen at a time: mount with its argument, the others unmounted, home inert", async () => {
    const { home, reg } = setup();
    const a = screen<number>("a");
    const b = screen("b");
    reg.register(a);
    reg.register(b);
    await reg.show("a", 7);
    expect(a.mount, "mounted with the argument").toHaveBeenCalledWith(7);
    expect(a.element.hidden, "a shows").toBe(false);
    expect(document.activeElement, "its focus target has focus").toBe(a.element.querySelector('[data-testid="a-back"]'));
    expect(home.hasAttribute("inert"), "the home screen is out of reach underneath").toBe(true);
    expect(home.getAttribute("aria-hidden"), "and hidden from screen readers").toBe("true");

    await reg.show("b", undefined);
    expect(a.element.hidden, "a is hidden when b shows").toBe(true);
    expect(a.unmount, "a was unmounted").toHaveBeenCalledTimes(1);
    expect(b.element.hidden, "b shows").toBe(false);
    expect(reg.current, "b is current").toBe("b");
    expect([reg.isShown("a"), reg.isShown("b")], "one screen at a time").toEqual([false, true]);
  });

  it("close goes back home: home reachable again and focused", async () => {
    const { home, focusHome, reg } = setup();
    const a = screen("a");
    reg.register(a);
    await reg.show("a", undefined);
    reg.close("a");
    expect(a.element.hidden, "hidden").toBe(true);
    expect(a.unmount, "unmounted").toHaveBeenCalledTimes(1);
    expect(home.hasAttribute("inert"), "home reachable").toBe(false);
    expect(home.hasAttribute("aria-hidden"), "home readable").toBe(false);
    expect(focusHome, "focus back on the home screen").toHaveBeenCalledTimes(1);
    expect(reg.current, "home").toBeNull();
  });

  it("a screen that cannot be left keeps the screen shown", async () => {
    const { reg } = setup();
    let allow = false;
    const a = screen("a", { canLeave: () => Promise.resolve(allow) });
    const b = screen("b");
    reg.register(a);
    reg.register(b);
    await reg.show("a", undefined);
    await reg.show("b", undefined);
    expect(reg.current, "a refused: still a").toBe("a");
    expect(b.mount, "b never mounted").not.toHaveBeenCalled();
    allow = true;
    await reg.show("b", undefined);
    expect(reg.current, "a allowed: b").toBe("b");
  });

  it("asks every shown screen, top first, before the window is drawn again (a language change)", async () => {
    const { reg } = setup();
    const asked: string[] = [];
    let allowUnder = true;
    const under = screen("under", { canLeave: () => (asked.push("under"), Promise.resolve(allowUnder)) });
    const over = screen("over", { over: ["under"], canLeave: () => (asked.push("over"), Promise.resolve(true)) });
    reg.register(under);
    reg.register(over);
    expect(await reg.canLeaveAll(), "nothing shown: yes").toBe(true);
    await reg.show("under", undefined);
    await reg.show("over", undefined);
    expect(await reg.canLeaveAll(), "both may be left").toBe(true);
    expect(asked, "the top one first").toEqual(["over", "under"]);
    allowUnder = false;
    expect(await reg.canLeaveAll(), "one refuses: no").toBe(false);
    expect(reg.current, "and nothing was hidden").toBe("over");
  });

  it("a screen shown again mounts again, unless it says to ignore it", async () => {
    const { reg } = setup();
    const a = screen("a");
    const b = screen("b", { again: "ignore" });
    reg.register(a);
    reg.register(b);
    await reg.show("a", 1);
    await reg.show("a", 2);
    expect(a.mount.mock.calls, "a refreshes with the new argument").toEqual([[1], [2]]);
    await reg.show("b", undefined);
    await reg.show("b", undefined);
    expect(b.mount, "b mounted once").toHaveBeenCalledTimes(1);
  });

  it("stacks over the screens it names, and the one underneath resumes when it closes", async () => {
    const { home, reg } = setup();
    const resume = vi.fn();
    const under = screen("under", { resume });
    const other = screen("other");
    const top = screen("top", { over: ["under"] });
    // Registered before the screen it stacks over: it still lies on top of it.
    reg.register(top);
    reg.register(under);
    reg.register(other);
    await reg.show("under", undefined);
    await reg.show("top", undefined);
    expect([under.element.hidden, top.element.hidden], "both laid out, top over under").toEqual([false, false]);
    expect(top.element.compareDocumentPosition(under.element) & Node.DOCUMENT_POSITION_PRECEDING, "top comes after under: it is drawn over it").toBeTruthy();
    expect(under.unmount, "under stays mounted").not.toHaveBeenCalled();
    reg.close("top");
    expect(reg.current, "back to under").toBe("under");
    expect(resume, "under resumes").toHaveBeenCalledTimes(1);
    expect(home.hasAttribute("inert"), "home still underneath").toBe(true);

    await reg.show("other", undefined);
    await reg.show("top", undefined);
    expect(other.element.hidden, "top does not stack over other: other is left").toBe(true);
    reg.close("top");
    expect(reg.current, "so closing top goes home").toBeNull();
  });

  it("Escape closes the screen on top unless it handles its own keys; nothing while a modal is open", async () => {
    const { reg } = setup();
    document.addEventListener("keydown", (e) => reg.onKey(e));
    let editing = true;
    const own = screen("own", { escape: "own" });
    const guarded = screen("guarded", { escape: () => !editing });
    const plain = screen("plain");
    reg.register(own);
    reg.register(guarded);
    reg.register(plain);
    await reg.show("own", undefined);
    escape();
    expect(reg.current, "the screen's own Escape").toBe("own");
    await reg.show("guarded", undefined);
    escape();
    expect(reg.current, "the guard says no").toBe("guarded");
    editing = false;
    escape();
    expect(reg.current, "the guard says yes").toBeNull();
    await reg.show("plain", undefined);
    const m = new Modal({ title: "Q", testid: "q", body: "?" }).open();
    const e = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    document.dispatchEvent(e);
    expect(reg.current, "a modal dialog is on top: the screen stays").toBe("plain");
    m.close();
    escape();
    expect(reg.current, "plain closes on Escape").toBeNull();
  });

  it("`/` and Ctrl+F focus the home screen's search only when home shows and nobody types", async () => {
    const { focusHome, reg } = setup();
    reg.register(screen("a"));
    const press = (key: string, init: KeyboardEventInit = {}, target: EventTarget = document.body): KeyboardEvent => {
      const e = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
      Object.defineProperty(e, "target", { value: target });
      reg.onKey(e);
      return e;
    };
    expect(press("/").defaultPrevented, "`/` is taken").toBe(true);
    press("f", { ctrlKey: true });
    expect(focusHome, "both focus the search").toHaveBeenCalledTimes(2);
    press("/", {}, h("input"));
    expect(focusHome, "not while typing in a field").toHaveBeenCalledTimes(2);
    await reg.show("a", undefined);
    press("/");
    expect(focusHome, "not while another screen shows").toHaveBeenCalledTimes(2);
  });

  it("builds the top bar's buttons from the screens that have one, in their order", async () => {
    const { reg } = setup();
    reg.register(screen("b", { nav: { order: 2, testid: "b-button", title: "Bee" } }));
    reg.register(screen("none"));
    reg.register(screen("a", { nav: { order: 1, testid: "a-button", label: "Ay", hidden: true } }));
    const buttons = reg.navButtons();
    expect(buttons.map((b) => b.getAttribute("data-testid")), "ordered, only screens with a button").toEqual(["a-button", "b-button"]);
    expect(buttons.map((b) => b.textContent), "label or title").toEqual(["Ay", "b"]);
    expect(buttons[0]?.hidden, "hidden when asked").toBe(true);
    expect(buttons[1]?.title, "tooltip").toBe("Bee");
    buttons[1]?.click();
    await Promise.resolve();
    expect(reg.current, "a click shows the screen").toBe("b");
  });

  it("asks a screen shown again before filling it again (a profile being edited)", async () => {
    const { reg } = setup();
    let answer = false;
    const a = screen<number>("a", { canLeave: () => Promise.resolve(answer) });
    reg.register(a);
    await reg.show("a", 1);
    await reg.show("a", 2);
    expect(a.mount, "refused: not filled again").toHaveBeenCalledTimes(1);
    answer = true;
    await reg.show("a", 2);
    expect(a.mount, "allowed: filled with the new argument").toHaveBeenLastCalledWith(2);
  });

  it("answers the keyboard actions of the screen on top, or of the home screen", async () => {
    const home = h("section");
    const main = h("main", null, home);
    document.body.appendChild(main);
    const deleteSelected = (): boolean => true;
    const save = (): boolean => true;
    const reg = new ScreenRegistry(main, { element: home, focus: () => undefined, actions: { deleteSelected } });
    reg.register(screen("a", { actions: { save } }));
    reg.register(screen("b"));
    expect(reg.actions, "home shows: its actions").toEqual({ deleteSelected });
    await reg.show("a", undefined);
    expect(reg.actions, "a on top: a's, not home's").toEqual({ save });
    await reg.show("b", undefined);
    expect(reg.actions, "a screen without actions: none").toEqual({});
  });
});
