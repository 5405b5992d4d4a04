// The signed-in user in the top bar, with a menu: e-mail for results, change
// password, lock now, sign out. Sign-out and lock are the core's (audited); the
// password change is checked by the core against the current password; the
// address for results is checked by the core (an e-mail address at an allowed
// domain) and audited.
import { h, uid } from "../shell/dom";
import { Menu } from "../shell/menu";
import { Modal } from "../shell/modal";
import { IpcError, changeOwnPassword, myMailAddress, setMyMailAddress, type Session } from "../ipc";
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
  private readonly menu: Menu;

  constructor(private readonly opts: UserMenuOptions) {
    const s = opts.session;
    const button = h(
      "button",
      { type: "button", class: "user-button user", "data-testid": "current-user", title: opts.title },
      h("span", { class: "avatar", "aria-hidden": "true" }, initials(s.displayName || s.userName)),
      h(
        "span",
        { class: "user-text" },
        h("span", { class: "user-name" }, s.displayName || s.userName),
        h("span", { class: "user-role", "data-testid": "current-role" }, s.role),
      ),
    );
    this.menu = new Menu({
      button,
      className: "user-menu",
      testid: "user-menu",
      items: [
        { testid: "my-mail-address", title: "E-mail for results…", hint: "Where your imports and exports are e-mailed", run: () => void this.mailAddress() },
        { testid: "change-password", title: "Change password…", hint: "Your own password", run: () => this.changePassword() },
        { testid: "lock-now", title: "Lock now", hint: "Your password reopens the session", run: () => opts.onLock() },
        { testid: "sign-out", title: "Sign out", hint: "Back to the sign-in screen", run: () => opts.onSignOut() },
      ],
    });
    this.element = this.menu.element;
  }

  /** A small dialog: the user's own address for result e-mails (empty: none). */
  private async mailAddress(): Promise<void> {
    const current = await myMailAddress().catch(() => null);
    const input = h("input", {
      type: "email",
      id: uid("mail"),
      "data-testid": "my-mail-address-input",
      autocomplete: "email",
      placeholder: "you@example.com",
      value: current ?? "",
      maxlength: 254,
    });
    const error = h("div", { class: "field-error", role: "alert", "data-testid": "my-mail-address-error", hidden: true });
    const modal = new Modal({
      title: "Your e-mail for results",
      testid: "my-mail-address-dialog",
      form: true,
      closeButton: true,
      bodyClass: "auth-form",
      body: [
        h("p", { class: "muted small" }, "The imports and exports you run are e-mailed here when they finish. Leave empty to get no e-mail."),
        h("div", { class: "field" }, h("label", { class: "field-label", for: input.id }, "E-mail address"), input),
        error,
      ],
      start: [{ key: "cancel", label: "Cancel" }],
      end: [{ key: "save", label: "Save", kind: "primary", submit: true, testid: "my-mail-address-save" }],
      returnFocus: this.menu.button,
      onSubmit: () => {
        const save = modal.button("save");
        save.disabled = true;
        void setMyMailAddress(input.value).then(
          (saved) => {
            modal.close();
            showToast(saved ? `Results are e-mailed to ${saved}` : "No e-mail for your results");
          },
          (err: unknown) => {
            save.disabled = false;
            const e = IpcError.from(err);
            error.textContent = e.fieldErrors[0]?.message ?? e.message;
            error.hidden = false;
          },
        );
      },
    });
    modal.open(document.body, input);
  }

  /** A small dialog: current password, new password twice. */
  private changePassword(): void {
    const input = (testid: string, autocomplete: string): HTMLInputElement =>
      h("input", { type: "password", "data-testid": testid, autocomplete, maxlength: 128 });
    const current = input("password-current", "current-password");
    const next = input("password-new", "new-password");
    const again = input("password-again", "new-password");
    const error = h("div", { class: "field-error", role: "alert", "data-testid": "password-error", hidden: true });
    const row = (label: string, el: HTMLInputElement): HTMLElement => {
      el.id = uid("pw");
      return h("div", { class: "field" }, h("label", { class: "field-label", for: el.id }, label), el);
    };
    const modal = new Modal({
      title: "Change your password",
      testid: "password-dialog",
      form: true,
      closeButton: true,
      bodyClass: "auth-form",
      body: [row("Current password", current), row("New password", next), row("New password again", again), error],
      start: [{ key: "cancel", label: "Cancel" }],
      end: [{ key: "save", label: "Change password", kind: "primary", submit: true, testid: "password-save" }],
      returnFocus: this.menu.button,
      onSubmit: () => {
        const save = modal.button("save");
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
            modal.close();
            showToast("Your password was changed");
          } catch (err) {
            save.disabled = false;
            const e2 = IpcError.from(err);
            error.textContent = e2.fieldErrors[0]?.message ?? e2.message;
            error.hidden = false;
          }
        })();
      },
    });
    modal.open(document.body, current);
  }
}
