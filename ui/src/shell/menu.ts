// The one popover menu (the Create menu, the user menu, a segment's actions): a trigger button
// and a list of menu items under it. It opens on click (and ArrowDown when asked), focuses the
// first item, closes on Escape (focus back on the trigger), on a click outside, on an item's
// action and when another menu opens: one menu is open at a time.
import { h, type Child } from "./dom";

export interface MenuItem {
  testid: string;
  title: string;
  hint?: string;
  hidden?: boolean;
  run(): void;
}

export interface MenuOptions {
  /** The trigger; the menu sets its aria-haspopup/aria-expanded and click. */
  button: HTMLButtonElement;
  items: readonly MenuItem[];
  /** Classes after `menu`. */
  className?: string;
  testid?: string;
  /** ArrowDown on the trigger opens the menu. */
  arrowDownOpens?: boolean;
  /** The menu closes when focus leaves it (Tab away). */
  closeOnFocusOut?: boolean;
}

/** The open menu, if any (one at a time). */
const state: { open: Menu | null; listening: boolean } = { open: null, listening: false };

function closeOnOutsideClick(e: MouseEvent): void {
  const open = state.open;
  if (open && !(e.target instanceof Node && open.element.contains(e.target))) open.close();
}

export function menuItem(item: MenuItem, onPick: () => void): HTMLButtonElement {
  return h(
    "button",
    {
      type: "button",
      role: "menuitem",
      class: "menu-item",
      "data-testid": item.testid,
      hidden: item.hidden ?? false,
      onclick: () => {
        onPick();
        item.run();
      },
    },
    h("span", { class: "menu-item-title" }, item.title),
    item.hint ? h("span", { class: "menu-item-hint" }, item.hint) : null,
  );
}

export class Menu {
  /** The anchor holding the trigger and the menu (what goes into the page). */
  readonly element: HTMLElement;
  readonly menu: HTMLElement;
  readonly button: HTMLButtonElement;

  constructor(opts: MenuOptions, ...extra: Child[]) {
    this.button = opts.button;
    this.menu = h(
      "div",
      { class: opts.className ? `menu ${opts.className}` : "menu", role: "menu", "data-testid": opts.testid ?? null, hidden: true },
      opts.items.map((item) => menuItem(item, () => this.close())),
      extra,
    );
    this.button.setAttribute("aria-haspopup", "menu");
    this.button.setAttribute("aria-expanded", "false");
    this.button.addEventListener("click", () => this.toggle());
    if (opts.arrowDownOpens) {
      this.button.addEventListener("keydown", (e) => {
        if (e.key === "ArrowDown") {
          e.preventDefault();
          this.open();
        }
      });
    }
    this.element = h("div", { class: "popover-anchor" }, this.button, this.menu);
    this.menu.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.close();
        this.button.focus();
      }
    });
    if (opts.closeOnFocusOut) {
      this.menu.addEventListener("focusout", (e) => {
        const next = e.relatedTarget;
        if (next instanceof Node && this.element.contains(next)) return;
        if (next !== null) this.close();
      });
    }
    if (!state.listening) {
      state.listening = true;
      document.addEventListener("mousedown", closeOnOutsideClick);
    }
  }

  get isOpen(): boolean {
    return !this.menu.hidden;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  open(): void {
    if (this.button.disabled) return;
    if (state.open !== this) state.open?.close();
    state.open = this;
    this.menu.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    this.menu.querySelector<HTMLElement>('[role="menuitem"]:not([hidden])')?.focus();
  }

  close(): void {
    if (state.open === this) state.open = null;
    this.menu.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
  }
}
