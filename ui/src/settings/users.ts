// Users (SPEC 7.2): local users with their role, added by an administrator
// with an initial password; roles changed, users deactivated (never deleted:
// the audit log names them), passwords reset; and the idle lock. The core
// hashes passwords, keeps one active user who can manage settings, and
// audits every change.
import { h } from "../shell/dom";
import {
  createUser,
  idleLockMinutes,
  roles,
  setIdleLockMinutes,
  setUserPassword,
  updateUser,
  users,
  type RoleSummary,
  type UserSummary,
} from "../ipc";
import { shownRole } from "../ipc/builtinNames";
import { confirmDialog } from "../shell/confirmDialog";
import { newPasswordProblem } from "../session/signIn";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";
import { common } from "../i18n/common";
import { m } from "./messages";

function input(testid: string, type = "text", extra: Record<string, string | number> = {}): HTMLInputElement {
  return h("input", { type, "data-testid": testid, ...extra });
}

function labelled(label: string, el: HTMLElement): HTMLElement {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, label), el);
}

class UsersEditor implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error = h("div", { class: "general-errors", role: "alert", "data-testid": "users-error" });
  private roleNames: string[] = [];
  private list: UserSummary[] = [];

  constructor(private readonly ctx: SettingsContext) {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.usersWhat));
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-users" },
      sectionHead(m.usersTitle, m.usersDescription),
      this.error,
      this.body,
    );
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [u, r, idle] = await Promise.all([users(), roles(), idleLockMinutes()]);
      this.roleNames = r.map((x: RoleSummary) => x.name);
      this.render(u, idle);
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.usersWhat, errorMessage(err), () => void this.load()));
    }
  }

  private render(list: UserSummary[], idle: number): void {
    this.list = list;
    this.body.replaceChildren(
      h("ul", { class: "card settings-rows", "data-testid": "user-list" }, list.map((u) => this.row(u))),
      this.addForm(),
      this.idleForm(idle),
    );
  }

  private row(u: UserSummary): HTMLElement {
    const me = u.name === this.ctx.session.userName;
    const role = h(
      "select",
      {
        "data-testid": `user-role-${u.name}`,
        "aria-label": m.roleOf(u.name),
        onchange: () => void this.change(u, { displayName: null, role: role.value, active: null }),
      },
      this.roleNames.map((r) => h("option", { value: r, selected: r === u.role }, shownRole(r))),
    );
    role.value = u.role;
    return h(
      "li",
      { class: `settings-row${u.active ? "" : " field-hidden"}`, "data-testid": `user-${u.name}` },
      h(
        "div",
        { class: "settings-row-main" },
        h("span", { class: "settings-row-title" }, u.displayName),
        u.displayName === u.name ? null : h("span", { class: "muted" }, u.name),
        me ? h("span", { class: "badge" }, m.you) : null,
        u.active ? null : h("span", { class: "badge badge-hidden" }, m.deactivated),
        u.hasPassword ? null : h("span", { class: "badge badge-required", title: m.noPasswordTooltip }, m.noPassword),
      ),
      h(
        "div",
        { class: "settings-row-actions" },
        role,
        h("button", { type: "button", class: "button button-secondary button-small", "data-testid": `user-password-${u.name}`, onclick: () => this.resetPassword(u) }, m.setPasswordMenu),
        h(
          "button",
          {
            type: "button",
            class: `button button-small ${u.active ? "button-danger-ghost" : "button-secondary"}`,
            "data-testid": `user-active-${u.name}`,
            onclick: () => void this.toggleActive(u),
          },
          u.active ? m.deactivate : m.activate,
        ),
      ),
    );
  }

  private async change(u: UserSummary, update: { displayName: string | null; role: string | null; active: boolean | null }): Promise<void> {
    this.error.replaceChildren();
    try {
      await updateUser(u.name, update);
      showToast(m.userSaved(u.displayName));
      if (u.name === this.ctx.session.userName) {
        // Your own role or state changed: start again with what the core now allows.
        location.reload();
        return;
      }
    } catch (err) {
      this.error.replaceChildren(h("div", { class: "field-error" }, errorMessage(err)));
    }
    await this.load();
  }

  private async toggleActive(u: UserSummary): Promise<void> {
    if (u.active) {
      const ok = await confirmDialog({
        title: m.deactivateTitle(u.displayName),
        body: h("p", null, m.deactivateBody),
        confirmLabel: m.deactivate,
        danger: true,
        testid: "user-deactivate-confirm",
      });
      if (!ok) return;
    }
    await this.change(u, { displayName: null, role: null, active: !u.active });
  }

  private resetPassword(u: UserSummary): void {
    const pw = input("user-new-password", "password", { autocomplete: "new-password" });
    const again = input("user-new-password-again", "password", { autocomplete: "new-password" });
    const error = h("div", { class: "field-error", "data-testid": "user-password-error", hidden: true });
    const dialogBody = h("div", { class: "auth-form" }, labelled(m.newPassword, pw), labelled(m.passwordRepeat, again), error);
    void (async () => {
      for (;;) {
        const ok = await confirmDialog({ title: m.setPasswordTitle(u.displayName), body: dialogBody, confirmLabel: m.setPassword, testid: "user-password-dialog" });
        if (!ok) return;
        const problem = newPasswordProblem(pw.value, again.value);
        if (!problem) {
          try {
            await setUserPassword(u.name, pw.value);
            showToast(m.passwordSetFor(u.displayName));
            await this.load();
            return;
          } catch (err) {
            error.textContent = errorMessage(err);
            error.hidden = false;
            continue;
          }
        }
        error.textContent = problem;
        error.hidden = false;
      }
    })();
  }

  private addForm(): HTMLElement {
    const name = input("user-add-name", "text", { maxlength: 64, autocomplete: "off" });
    const display = input("user-add-display-name", "text", { maxlength: 80 });
    const role = h("select", { "data-testid": "user-add-role" }, this.roleNames.map((r) => h("option", { value: r, selected: r === "Sales" }, shownRole(r))));
    const pw = input("user-add-password", "password", { autocomplete: "new-password" });
    const again = input("user-add-password-again", "password", { autocomplete: "new-password" });
    const error = h("div", { class: "field-error", role: "alert", "data-testid": "user-add-error", hidden: true });
    const submit = h("button", { type: "submit", class: "button button-primary", "data-testid": "user-add-submit" }, m.addUser);
    const form = h(
      "form",
      { class: "card settings-add", novalidate: true },
      h("h3", { class: "card-title" }, m.addAUser),
      h("div", { class: "form-grid" }, labelled(m.userName, name), labelled(m.nameShown, display), labelled(m.role, role), h("div", null), labelled(m.password, pw), labelled(m.passwordAgain, again)),
      error,
      h("div", { class: "settings-foot" }, h("div", { class: "toolbar-spacer" }), submit),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void (async () => {
        error.hidden = true;
        const problem = newPasswordProblem(pw.value, again.value);
        if (problem) {
          error.textContent = problem;
          error.hidden = false;
          return;
        }
        submit.disabled = true;
        try {
          const added = await createUser({ name: name.value, displayName: display.value, role: role.value, password: pw.value });
          showToast(m.userAdded(added.displayName, shownRole(added.role)));
          await this.load();
        } catch (err) {
          submit.disabled = false;
          error.textContent = errorMessage(err);
          error.hidden = false;
        }
      })();
    });
    return form;
  }

  private idleForm(minutes: number): HTMLElement {
    const value = input("idle-minutes", "number", { min: 1, max: 240, value: minutes });
    const error = h("div", { class: "field-error", "data-testid": "idle-error", hidden: true });
    const save = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "idle-save",
        onclick: () =>
          void (async () => {
            error.hidden = true;
            try {
              const saved = await setIdleLockMinutes(Number(value.value));
              this.ctx.idleLockChanged?.(saved);
              showToast(m.idleLockSaved(saved));
            } catch (err) {
              error.textContent = errorMessage(err);
              error.hidden = false;
            }
          })(),
      },
      common.save,
    );
    return h(
      "div",
      { class: "card settings-add" },
      h("h3", { class: "card-title" }, m.idleLock),
      h("p", { class: "muted small" }, m.idleLockHint),
      h("div", { class: "settings-add-line idle-line" }, value, h("span", null, m.minutes), save),
      error,
    );
  }
}

export const usersSection: SettingsSection = {
  id: "users",
  get title() {
    return m.usersTitle;
  },
  get summary() {
    return m.usersSummary;
  },
  mount: (ctx) => new UsersEditor(ctx),
};
