// The one modal dialog of the app: a backdrop, a dialog with a title (and an optional ×), a body
// and a footer of actions. It traps Tab inside, answers Escape (cancel) and, when asked, Enter or
// Ctrl+Enter; while busy it refuses to close and its actions are disabled; on close focus goes
// back to where it was. Every dialog and both wizards (wizard.ts) are built on it.
import { common } from "../i18n/common";
import { h, trapFocus, uid, type Child } from "./dom";

export type ActionKind = "primary" | "secondary" | "danger" | "ghost";

export interface ModalAction {
  /** Name for `button(key)`. */
  key: string;
  label: Child;
  kind?: ActionKind;
  testid?: string;
  /** A submit button of the dialog's form (`form: true`): it runs `onSubmit`. */
  submit?: boolean;
  disabled?: boolean;
  hidden?: boolean;
  title?: string;
  onClick?(): void;
}

export interface ModalOptions {
  title: Child;
  /** data-testid of the dialog. */
  testid: string;
  /** A fixed id for the title (else a unique one). */
  titleId?: string;
  /** `alertdialog` for questions about irreversible actions. */
  role?: "dialog" | "alertdialog";
  /** Classes after `modal` (default `modal-narrow`). */
  className?: string;
  /** More header content after the title (a wizard's stepper). */
  head?: Child;
  /** The × button in the header (its data-testid when a string). */
  closeButton?: boolean | string;
  /** The × is drawn by CSS (`close-glyph`) instead of the "×" character. */
  closeGlyph?: boolean;
  body: Child;
  /** Classes after `modal-body`. */
  bodyClass?: string;
  /** Footer actions before the spacer (Cancel, Back) and after it (the main action). */
  start?: ModalAction[];
  end?: ModalAction[];
  /** The dialog is a <form> (submit buttons, Enter in a field submits); runs `onSubmit`. */
  form?: boolean;
  onSubmit?(): void;
  /** Escape, × and the `cancel` action; default: close. Not called while busy. */
  onCancel?(): void;
  /** Enter (or Ctrl/Cmd+Enter with `enter: "ctrl"`) outside buttons and text areas. */
  onEnter?(): void;
  enter?: "plain" | "ctrl";
  /** A click on the backdrop cancels. */
  closeOnBackdrop?: boolean;
  /** Where focus returns on close (default: the focused element when the modal was built). */
  returnFocus?: Element | null;
  /** Called once the modal closed. */
  onClosed?(): void;
}

const open = new Set<Modal>();

export class Modal {
  /** The backdrop (what is added to the page). */
  readonly element: HTMLElement;
  readonly dialog: HTMLElement;
  readonly body: HTMLElement;
  readonly foot: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly closeButton: HTMLButtonElement | null;
  private readonly returnFocus: Element | null;
  private busyState = false;
  private closedState = false;
  private savedDisabled = new Map<HTMLButtonElement, boolean>();

  /** True while any modal is open (global shortcuts stay off then). */
  static anyOpen(): boolean {
    for (const m of open) if (!m.element.isConnected) open.delete(m);
    return open.size > 0;
  }

  constructor(private readonly opts: ModalOptions) {
    this.returnFocus = opts.returnFocus === undefined ? document.activeElement : opts.returnFocus;
    const titleId = opts.titleId ?? uid("modal-title");
    this.closeButton = opts.closeButton
      ? h(
          "button",
          {
            type: "button",
            class: opts.closeGlyph ? "icon-button close-glyph" : "icon-button",
            "aria-label": common.close,
            "data-testid": typeof opts.closeButton === "string" ? opts.closeButton : null,
            onclick: () => this.cancel(),
          },
          opts.closeGlyph ? null : "×",
        )
      : null;
    const action = (a: ModalAction): HTMLButtonElement => {
      const b = h(
        "button",
        {
          type: a.submit ? "submit" : "button",
          class: `button button-${a.kind ?? "secondary"}`,
          "data-testid": a.testid ?? null,
          disabled: a.disabled ?? false,
          hidden: a.hidden ?? false,
          title: a.title ?? null,
          onclick: a.onClick ? () => a.onClick?.() : a.key === "cancel" && !a.submit ? () => this.cancel() : null,
        },
        a.label,
      );
      this.buttons.set(a.key, b);
      return b;
    };
    const start = (opts.start ?? []).map(action);
    const end = (opts.end ?? []).map(action);
    this.body = h("div", { class: opts.bodyClass ? `modal-body ${opts.bodyClass}` : "modal-body" }, opts.body);
    this.foot = h("footer", { class: "modal-foot" }, start, h("div", { class: "toolbar-spacer" }), end);
    this.dialog = h(opts.form ? "form" : "div", {
      class: ["modal", opts.className ?? "modal-narrow"].filter(Boolean).join(" "),
      role: opts.role ?? "dialog",
      "aria-modal": "true",
      "aria-labelledby": titleId,
      "data-testid": opts.testid,
      novalidate: opts.form ? true : null,
    });
    this.dialog.append(
      h("header", { class: "modal-head" }, h("h2", { id: titleId }, opts.title), opts.head, this.closeButton),
      this.body,
      this.foot,
    );
    if (opts.form) {
      this.dialog.addEventListener("submit", (e) => {
        e.preventDefault();
        if (!this.busyState) opts.onSubmit?.();
      });
    }
    this.element = h("div", { class: "modal-backdrop" }, this.dialog);
    this.element.addEventListener("keydown", (e) => this.onKey(e));
    if (opts.closeOnBackdrop) {
      this.element.addEventListener("mousedown", (e) => {
        if (e.target === this.element) this.cancel();
      });
    }
  }

  /** Shows the modal and focuses `focus` (else the first field or button). */
  open(parent: HTMLElement = document.body, focus?: HTMLElement | null): this {
    parent.appendChild(this.element);
    open.add(this);
    const target =
      focus ?? this.dialog.querySelector<HTMLElement>(".modal-body input, .modal-body select, .modal-body textarea, .modal-foot button:not([hidden])");
    target?.focus();
    return this;
  }

  get closed(): boolean {
    return this.closedState;
  }

  get busy(): boolean {
    return this.busyState;
  }

  /** A footer button by its action key. */
  button(key: string): HTMLButtonElement {
    const b = this.buttons.get(key);
    if (!b) throw new Error(`no action ${key}`);
    return b;
  }

  /**
   * Busy: an action runs. The footer's buttons are disabled (and get their state back after),
   * the dialog says aria-busy, and Escape, × and Cancel do nothing.
   */
  setBusy(busy: boolean): void {
    if (busy === this.busyState) return;
    this.busyState = busy;
    this.dialog.setAttribute("aria-busy", String(busy));
    if (busy) {
      this.savedDisabled = new Map([...this.buttons.values()].map((b) => [b, b.disabled]));
      for (const b of this.buttons.values()) b.disabled = true;
    } else {
      for (const [b, was] of this.savedDisabled) b.disabled = was;
      this.savedDisabled.clear();
    }
  }

  /** Escape, × or Cancel: `onCancel` (default close), unless busy. */
  cancel(): void {
    if (this.busyState || this.closedState) return;
    if (this.opts.onCancel) this.opts.onCancel();
    else this.close();
  }

  /** Removes the modal and gives focus back; false (and nothing happens) while busy. */
  close(): boolean {
    if (this.closedState) return true;
    if (this.busyState) return false;
    this.closedState = true;
    open.delete(this);
    this.element.remove();
    if (this.returnFocus instanceof HTMLElement && this.returnFocus.isConnected) this.returnFocus.focus();
    this.opts.onClosed?.();
    return true;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      e.stopPropagation();
      this.cancel();
    } else if (e.key === "Tab") {
      trapFocus(this.dialog, e);
    } else if (e.key === "Enter" && this.opts.onEnter) {
      const ctrl = e.ctrlKey || e.metaKey;
      if (this.opts.enter === "ctrl" ? !ctrl : ctrl) return;
      const t = e.target;
      if (this.opts.enter !== "ctrl" && (t instanceof HTMLButtonElement || t instanceof HTMLTextAreaElement || t instanceof HTMLAnchorElement || t instanceof HTMLSelectElement)) return;
      e.preventDefault();
      if (!this.busyState) this.opts.onEnter();
    }
  }
}
