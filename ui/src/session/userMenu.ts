// The signed-in user in the top bar, with a menu: e-mail for results, change
// password, lock now, sign out, and the language (English or Tiếng Việt, each
// named in itself; remembered for this user on this computer, and by the core for
// what it writes them: e-mails, notifications). Sign-out and lock
// are the core's (audited); the password change is checked by the core against
// the current password; the address for results is checked by the core (an
// e-mail address at an allowed domain) and audited.
import { common } from "../i18n/common";
import { LANGS, lang, type Lang } from "../i18n/lang";
import { h, uid } from "../shell/dom";
import { Menu } from "../shell/menu";
import { Modal } from "../shell/modal";
import { IpcError, changeOwnPassword, myMailAddress, setMyMailAddress, type Session } from "../ipc";
import { shownRole } from "../ipc/builtinNames";
import { m } from "./messages";
import { newPasswordProblem } from "./signIn";
import { LANG_NAMES, chooseUserLang } from "./userLang";
import { errorMessage, showToast } from "../shell/toast";

export interface UserMenuOptions {
  session: Session;
  title: string;
  onLock(): void;
  onSignOut(): void;
  /**
   * Asked before the language changes (the window is drawn again): false keeps the language
   * (a screen with unsaved edits the user keeps). Default: yes.
   */
  canLeave?(): Promise<boolean>;
  /** Draws the UI again in the language just chosen (the app reloads the window). */
  onLangChanged(lang: Lang): void;
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
        h("span", { class: "user-role", "data-testid": "current-role" }, shownRole(s.role)),
      ),
    );
    this.menu = new Menu({
      button,
      className: "user-menu",
      testid: "user-menu",
      items: [
        { testid: "my-mail-address", title: m.mailForResults, hint: m.mailForResultsHint, run: () => void this.mailAddress() },
        { testid: "change-password", title: m.changePassword, hint: m.changePasswordHint, run: () => this.changePassword() },
        { testid: "lock-now", title: m.lockNow, hint: m.lockNowHint, run: () => opts.onLock() },
        { testid: "sign-out", title: m.signOut, hint: m.signOutHint, run: () => opts.onSignOut() },
        {
          group: m.language,
          testid: "language-choice",
          inline: true,
          items: LANGS.map((l) => ({
            testid: `language-${l}`,
            title: LANG_NAMES[l],
            lang: l,
            checked: l === lang(),
            run: () => void this.chooseLang(l),
          })),
        },
      ],
    });
    this.element = this.menu.element;
  }

  /** The language chosen in the menu: remembered for this user, then the UI is drawn in it. */
  private async chooseLang(next: Lang): Promise<void> {
    const user = this.opts.session.userName;
    if (next === lang()) {
      // Already shown in it: nothing to draw again, but it is now this user's own choice.
      chooseUserLang(next, user);
      return;
    }
    if (this.opts.canLeave && !(await this.opts.canLeave())) return;
    chooseUserLang(next, user);
    this.opts.onLangChanged(next);
  }

  /** A small dialog: the user's own address for result e-mails (empty: none). */
  private async mailAddress(): Promise<void> {
    const current = await myMailAddress().catch(() => null);
    const input = h("input", {
      type: "email",
      id: uid("mail"),
      "data-testid": "my-mail-address-input",
      autocomplete: "email",
      placeholder: m.mailPlaceholder,
      value: current ?? "",
      maxlength: 254,
    });
    const error = h("div", { class: "field-error", role: "alert", "data-testid": "my-mail-address-error", hidden: true });
    const modal = new Modal({
      title: m.mailTitle,
      testid: "my-mail-address-dialog",
      form: true,
      closeButton: true,
      bodyClass: "auth-form",
      body: [
        h("p", { class: "muted small" }, m.mailIntro),
        h("div", { class: "field" }, h("label", { class: "field-label", for: input.id }, m.mailAddress), input),
        error,
      ],
      start: [{ key: "cancel", label: common.cancel }],
      end: [{ key: "save", label: common.save, kind: "primary", submit: true, testid: "my-mail-address-save" }],
      returnFocus: this.menu.button,
      onSubmit: () => {
        const save = modal.button("save");
        save.disabled = true;
        void setMyMailAddress(input.value).then(
          (saved) => {
            modal.close();
            showToast(saved ? m.mailSaved(saved) : m.mailCleared);
          },
          (err: unknown) => {
            save.disabled = false;
            error.textContent = errorMessage(IpcError.from(err));
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
      title: m.passwordTitle,
      testid: "password-dialog",
      form: true,
      closeButton: true,
      bodyClass: "auth-form",
      body: [row(m.currentPassword, current), row(m.newPassword, next), row(m.newPasswordAgain, again), error],
      start: [{ key: "cancel", label: common.cancel }],
      end: [{ key: "save", label: m.changePasswordButton, kind: "primary", submit: true, testid: "password-save" }],
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
            showToast(m.passwordChanged);
          } catch (err) {
            save.disabled = false;
            error.textContent = errorMessage(IpcError.from(err));
            error.hidden = false;
          }
        })();
      },
    });
    modal.open(document.body, current);
  }
}
