// The one popover: a trigger button and a panel under it (the Create menu, the user menu, a
// segment's actions, the column chooser). It opens on click (and ArrowDown when asked), focuses
// the panel's first control, closes on Escape (focus back on the trigger), on a click outside
// and when another popover opens: one is open at a time. `Menu` is a popover of menu items
// whose action closes it first.
import { h, uid } from "./dom";

export interface PopoverOptions {
  /** The trigger; the popover sets its aria-haspopup/aria-expanded and click. */
  button: HTMLButtonElement;
  /** The panel (built by the caller; hidden until opened). */
  panel: HTMLElement;
  /** What the panel is (aria-haspopup). */
  popup?: "menu" | "dialog";
  /** What gets focus on open (default the first menu item). */
  focus?: string;
  /** ArrowDown on the trigger opens it. */
  arrowDownOpens?: boolean;
  /** It closes when focus leaves it (Tab away). */
  closeOnFocusOut?: boolean;
  /** Before it shows (fill the panel). */
  onOpen?: () => void;
}

/** The open popover, if any (one at a time). */
const state: { open: Popover | null; listening: boolean } = { open: null, listening: false };

function closeOnOutsideClick(e: MouseEvent): void {
  const open = state.open;
  if (open && !(e.target instanceof Node && open.element.contains(e.target))) open.close();
}

export class Popover {
  /** The anchor holding the trigger and the panel (what goes into the page). */
  readonly element: HTMLElement;
  readonly panel: HTMLElement;
  readonly button: HTMLButtonElement;

  constructor(private readonly opts: PopoverOptions) {
    this.button = opts.button;
    this.panel = opts.panel;
    this.panel.hidden = true;
    this.button.setAttribute("aria-haspopup", opts.popup ?? "menu");
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
    this.element = h("div", { class: "popover-anchor" }, this.button, this.panel);
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.close();
        this.button.focus();
      }
    });
    if (opts.closeOnFocusOut) {
      this.panel.addEventListener("focusout", (e) => {
        const next = e.relatedTarget;
        if (next instanceof Node && this.element.contains(next)) return;
        if (next !== null) this.close();
      });
    }
    if (!state.listening) {
      state.listening = true;
      document.addEventListener("mousedown", closeOnOutsideClick, true);
    }
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  open(): void {
    if (this.button.disabled) return;
    if (state.open !== this) state.open?.close();
    state.open = this;
    this.opts.onOpen?.();
    this.panel.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    this.panel.querySelector<HTMLElement>(this.opts.focus ?? '[role^="menuitem"]:not([hidden])')?.focus();
  }

  close(): void {
    if (state.open === this) state.open = null;
    this.panel.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
  }
}

export interface MenuItem {
  testid: string;
  title: string;
  hint?: string;
  hidden?: boolean;
  /** A choice of its group (menuitemradio): whether it is the one in force. */
  checked?: boolean;
  /** The title's language when it is not the UI's ("Tiếng Việt" in an English menu). */
  lang?: string;
  run: () => void;
}

/** Items under a name of their own (the user menu's languages), after the other items. */
export interface MenuGroup {
  group: string;
  testid?: string;
  /** Side by side (short choices), instead of one under the other. */
  inline?: boolean;
  items: readonly MenuItem[];
}

export interface MenuOptions extends Omit<PopoverOptions, "panel" | "popup" | "focus"> {
  items: readonly (MenuItem | MenuGroup)[];
  /** Classes after `menu`. */
  className?: string;
  testid?: string;
}

function menuItem(item: MenuItem, onPick: () => void): HTMLButtonElement {
  const choice = item.checked !== undefined;
  return h(
    "button",
    {
      type: "button",
      role: choice ? "menuitemradio" : "menuitem",
      "aria-checked": choice ? String(item.checked) : null,
      class: choice ? "menu-item menu-choice" : "menu-item",
      "data-testid": item.testid,
      hidden: item.hidden ?? false,
      onclick: () => {
        onPick();
        item.run();
      },
    },
    h("span", { class: "menu-item-title", lang: item.lang ?? null }, item.title),
    item.hint ? h("span", { class: "menu-item-hint" }, item.hint) : null,
  );
}

function menuGroup(group: MenuGroup, onPick: () => void): HTMLElement {
  const labelId = uid("menu-group");
  return h(
    "div",
    { class: "menu-group", role: "group", "aria-labelledby": labelId, "data-testid": group.testid ?? null },
    h("div", { class: "menu-group-label", id: labelId }, group.group),
    h("div", { class: group.inline ? "menu-group-items menu-group-inline" : "menu-group-items" }, group.items.map((item) => menuItem(item, onPick))),
  );
}

export class Menu extends Popover {
  constructor(opts: MenuOptions) {
    const panel = h("div", { class: opts.className ? `menu ${opts.className}` : "menu", role: "menu", "data-testid": opts.testid ?? null });
    super({ ...opts, panel, popup: "menu" });
    const close = (): void => this.close();
    panel.append(...opts.items.map((entry) => ("group" in entry ? menuGroup(entry, close) : menuItem(entry, close))));
  }

  get menu(): HTMLElement {
    return this.panel;
  }
}
