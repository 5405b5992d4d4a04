// The signed-in user in the top bar, with a menu: change password, lock now,
// sign out. Sign-out and lock are the core's (audited); the password change
// is checked by the core against the current password.
import { h, trapFocus, uid } from "../shell/dom";
import { IpcError, changeOwnPassword, type Session } from "../ipc";
import { newPasswordProblem } from "./signIn";
import { showToast } from "../shell/toast";

export interface UserMenuOptions {
  session: Session;
  title: string;
  onLock(): void;
  onSignOut(): void;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}

export class UserMenu {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly menu: HTMLElement;

  constructor(private readonly opts: UserMenuOptions) {
    const s = opts.session;
    const item = (testid: string, title: string, hint: string, action: () => void): HTMLElement =>
      h(
        "button",
        {
          type: "button",
          role: "menuitem",
          class: "menu-item",
          "data-testid": testid,
          onclick: () => {
            this.close();
            action();
          },
        },
        h("span", { class: "menu-item-title" }, title),
        h("span", { class: "menu-item-hint" }, hint),
      );
    this.menu = h(
      "div",
      { class: "menu user-menu", role: "menu", "data-testid": "user-menu", hidden: true },
      item("change-password", "Change password…", "Your own password", () => this.changePassword()),
      item("lock-now", "Lock now", "Your password reopens the session", () => opts.onLock()),
      item("sign-out", "Sign out", "Back to the sign-in screen", () => opts.onSignOut()),
    );
    this.button = h(
      "button",
      {
        type: "button",
        class: "user-button user",
        "data-testid": "current-user",
        title: opts.title,
        "aria-haspopup": "menu",
        "aria-expanded": "false",
        onclick: () => (this.menu.hidden ? this.open() : this.close()),
      },
      h("span", { class: "avatar", "aria-hidden": "true" }, initials(s.displayName || s.userName)),
      h(
        "span",
        { class: "user-text" },
        h("span", { class: "user-name" }, s.displayName || s.userName),
        h("span", { class: "user-role", "data-testid": "current-role" }, s.role),
      ),
    );
    this.element = h("div", { class: "popover-anchor" }, this.button, this.menu);
    this.menu.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.close();
        this.button.focus();
      }
    });
    document.addEventListener("mousedown", (e) => {
      if (!this.menu.hidden && e.target instanceof Node && !this.element.contains(e.target)) this.close();
    });
  }

  private open(): void {
    this.menu.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    this.menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }

  private close(): void {
    this.menu.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
  }

  /** A small dialog: current password, new password twice. */
  private changePassword(): void {
    const titleId = uid("password-title");
    const input = (testid: string, autocomplete: string): HTMLInputElement =>
      h("input", { type: "password", "data-testid": testid, autocomplete, maxlength: 128 });
    const current = input("password-current", "current-password");
    const next = input("password-new", "new-password");
    const again = input("password-again", "new-password");
    const error = h("div", { class: "field-error", role: "alert", "data-testid": "password-error", hidden: true });
    const close = (): void => {
      backdrop.remove();
      this.button.focus();
    };
    const save = h("button", { type: "submit", class: "button button-primary", "data-testid": "password-save" }, "Change password");
    const row = (label: string, el: HTMLInputElement): HTMLElement => {
      el.id = uid("pw");
      return h("div", { class: "field" }, h("label", { class: "field-label", for: el.id }, label), el);
    };
    const form = h(
      "form",
      { class: "modal modal-narrow", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, "data-testid": "password-dialog", novalidate: true },
      h(
        "header",
        { class: "modal-head" },
        h("h2", { id: titleId }, "Change your password"),
        h("button", { type: "button", class: "icon-button", "aria-label": "Close", onclick: close }, "×"),
      ),
      h("div", { class: "modal-body auth-form" }, row("Current password", current), row("New password", next), row("New password again", again), error),
      h(
        "footer",
        { class: "modal-foot" },
        h("button", { type: "button", class: "button button-secondary", onclick: close }, "Cancel"),
        h("div", { class: "toolbar-spacer" }),
        save,
      ),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void (async () => {
        const problem = newPasswordProblem(next.value, again.value);
        if (problem) {
          error.textContent = problem;
          error.hidden = false;
          return;
        }
        save.disabled = true;
        try {
          await changeOwnPassword(current.value, next.value);
          close();
          showToast("Your password was changed");
        } catch (err) {
          save.disabled = false;
          const e2 = IpcError.from(err);
          error.textContent = e2.fieldErrors[0]?.message ?? e2.message;
          error.hidden = false;
        }
      })();
    });
    const backdrop = h("div", { class: "modal-backdrop" }, form);
    backdrop.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        close();
      } else if (e.key === "Tab") {
        trapFocus(form, e);
      }
    });
    document.body.appendChild(backdrop);
    current.focus();
  }
}
