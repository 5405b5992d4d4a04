// The one screen registry. The list is the home screen, always laid out underneath (it keeps
// its scroll position); every other screen registers itself here (id, title, mount, unmount)
// and the shell shows one at a time over the home screen, which is then inert. A screen may
// stack over named others (a profile opened from the merge review returns to it). Adding a
// screen touches no other screen: register it, and the shell hides whatever else is shown.
import { h, type Child } from "./dom";
import { Modal } from "./modal";

export interface ScreenNav {
  testid: string;
  /** Position among the top bar's screen buttons (lowest first). */
  order: number;
  /** Button content (default the screen's title). */
  label?: Child;
  title?: string;
  hidden?: boolean;
}

/**
 * What a screen can do from the keyboard (shortcuts.ts): each answers whether it did something
 * (false: nothing to save, no undo, no selection — the key then does nothing).
 */
export interface ScreenActions {
  /** Ctrl+S: saves what is being edited. */
  save?(): boolean;
  /** Ctrl+Z: undoes the last thing that can be undone here (it may ask first). */
  undo?(): boolean;
  /** Delete: deletes the selected items (asking first). */
  deleteSelected?(): boolean;
}

export interface Screen<A = void> {
  id: string;
  title: string;
  element: HTMLElement;
  /** Fills the screen (after it is shown); `arg` is what `show` was given. */
  mount: (arg: A) => Promise<void> | void;
  /** After the screen was hidden. */
  unmount?: () => void;
  /** Asked before another screen replaces this one; false keeps it (unsaved edits). */
  canLeave?: () => Promise<boolean>;
  /** What gets focus when the screen shows (a selector inside it). */
  focus?: string;
  /** Focus after `mount` instead of before it. */
  focusAfterMount?: boolean;
  /** Shown again while it is up: `mount` again (default) or nothing. */
  again?: "mount" | "ignore";
  /** Escape: closes the screen (default), is the screen's own business, or closes it when true. */
  escape?: "close" | "own" | (() => boolean);
  /** Screens this one stacks over (they stay underneath and come back when it closes). */
  over?: readonly string[];
  /** It is on top again after the screen stacked over it closed. */
  resume?: () => void;
  /** A button in the top bar that shows the screen. */
  nav?: ScreenNav;
  /** What its keyboard shortcuts do here. */
  actions?: ScreenActions;
}

export interface Home {
  element: HTMLElement;
  /** Focus where the user works on the home screen (the list's search). */
  focus(): void;
  /** What its keyboard shortcuts do (while no screen is over it). */
  actions?: ScreenActions;
}

// The registry stores screens of any argument type; `show` is typed by the caller.
type AnyScreen = Screen<never>;

export class ScreenRegistry {
  private readonly screens = new Map<string, AnyScreen>();
  /** Shown screens, bottom first (the home screen is not in it). */
  private stack: AnyScreen[] = [];

  constructor(
    private readonly main: HTMLElement,
    private readonly home: Home,
  ) {}

  /** Adds a screen (hidden) to the main area. */
  register<A>(screen: Screen<A>): void {
    if (this.screens.has(screen.id)) throw new Error(`screen ${screen.id} registered twice`);
    this.screens.set(screen.id, screen);
    screen.element.hidden = true;
    this.main.appendChild(screen.element);
  }

  has(id: string): boolean {
    return this.screens.has(id);
  }

  /** The screen on top, or null when the home screen shows. */
  get current(): string | null {
    return this.stack[this.stack.length - 1]?.id ?? null;
  }

  /** What the screen on top (or the home screen when none is) can do from the keyboard. */
  get actions(): ScreenActions {
    const top = this.stack[this.stack.length - 1];
    return (top ? top.actions : this.home.actions) ?? {};
  }

  isShown(id: string): boolean {
    return this.stack.some((s) => s.id === id);
  }

  /** Top-bar buttons of the registered screens that have one, in registration order. */
  navButtons(className = "button button-secondary"): HTMLButtonElement[] {
    return [...this.screens.values()]
      .filter((s) => s.nav)
      .sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0))
      .map((s) => {
        const nav = s.nav as ScreenNav;
        const parts = ([] as Child[]).concat(nav.label ?? s.title);
        // Words in a span of their own: a top bar short of room (topbarFit.ts) shows only the
        // icon of a button that has one, and the button keeps its name for screen readers.
        const icon = parts.some((p) => p instanceof HTMLElement && p.classList.contains("button-icon"));
        const content = parts.map((p) => (typeof p === "string" ? h("span", { class: "nav-text" }, p) : p));
        return h(
          "button",
          {
            type: "button",
            class: icon ? `${className} nav-has-icon` : className,
            "data-testid": nav.testid,
            title: nav.title ?? null,
            "aria-label": icon ? s.title : null,
            hidden: nav.hidden ?? false,
            onclick: () => void this.show(s.id, undefined as never),
          },
          content,
        );
      });
  }

  /**
   * Shows screen `id` with `arg`. Screens it does not stack over are left first (one that
   * refuses, e.g. Settings with unsaved edits the user keeps, cancels the change).
   */
  async show<A>(id: string, arg: A): Promise<void> {
    const screen = this.screens.get(id) as Screen<A> | undefined;
    if (!screen) throw new Error(`no screen ${id}`);
    const top = this.stack[this.stack.length - 1];
    if (top === (screen as unknown as AnyScreen)) {
      // Shown again: fill it again (a new argument, fresh data), focus as on the first show —
      // once what it holds may go (a profile being edited asks first).
      if (screen.again === "ignore") return;
      if (screen.canLeave && !(await screen.canLeave())) return;
    } else if (top && screen.over?.includes(top.id)) {
      this.stack.push(screen);
    } else {
      if (!(await this.canLeaveAll())) return;
      for (const s of this.stack.reverse()) this.hide(s);
      this.stack = [screen];
    }
    // The screen shown last lies on top of those it stacks over, whatever order they were
    // registered in.
    if (this.main.lastElementChild !== screen.element) this.main.appendChild(screen.element);
    screen.element.hidden = false;
    this.home.element.setAttribute("inert", "");
    this.home.element.setAttribute("aria-hidden", "true");
    if (!screen.focusAfterMount) this.focusIn(screen);
    await screen.mount(arg);
    if (screen.focusAfterMount) this.focusIn(screen);
  }

  /**
   * Asks the shown screens, top first, whether they may be left (unsaved edits): false as soon
   * as one refuses. Before another screen replaces them, or the window is drawn again.
   */
  async canLeaveAll(): Promise<boolean> {
    for (const s of [...this.stack].reverse()) if (s.canLeave && !(await s.canLeave())) return false;
    return true;
  }

  /** Closes the screen on top (or `id` when given and shown): back to the one underneath or home. */
  close(id?: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top || (id !== undefined && top.id !== id)) {
      if (id !== undefined && this.isShown(id)) {
        const s = this.stack.find((x) => x.id === id) as AnyScreen;
        this.stack = this.stack.filter((x) => x !== s);
        this.hide(s);
      }
      return;
    }
    this.stack.pop();
    this.hide(top);
    const under = this.stack[this.stack.length - 1];
    if (under) {
      under.resume?.();
      return;
    }
    this.home.element.removeAttribute("inert");
    this.home.element.removeAttribute("aria-hidden");
    this.home.focus();
  }

  /**
   * The shell's keys: `/` or Ctrl+F on the home screen focus its search; Escape closes the
   * screen on top unless it handles its own keys. Nothing while a modal dialog is open.
   */
  onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || Modal.anyOpen()) return;
    const top = this.stack[this.stack.length - 1];
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
    if (!top) {
      if (!typing && (e.key === "/" || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f"))) {
        e.preventDefault();
        this.home.focus();
      }
      return;
    }
    if (e.key !== "Escape") return;
    const escape = top.escape ?? "close";
    if (escape === "own" || (typeof escape === "function" && !escape())) return;
    this.close();
  }

  private hide(s: AnyScreen): void {
    s.element.hidden = true;
    s.unmount?.();
  }

  private focusIn(s: AnyScreen): void {
    if (s.focus) s.element.querySelector<HTMLElement>(s.focus)?.focus();
  }
}
