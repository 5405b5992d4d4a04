// Roles (SPEC 7.2): the built-in Administrator, Sales and Viewer (named in the
// UI's language: shownRole) with the permissions the SPEC gives them, and custom
// roles an administrator makes from the eight permissions. A permission change applies at once to every
// user of the role (the core resolves permissions on every command).
import { h } from "../shell/dom";
import {
  createRole,
  deleteRole,
  permissionCatalogue,
  roles,
  updateRole,
  type PermissionInfo,
  type RoleSummary,
} from "../ipc";
import { shownRole } from "../ipc/builtinNames";
import { confirmDialog } from "../shell/confirmDialog";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";
import { common } from "../i18n/common";
import { m } from "./messages";

/** What each permission allows, by its key; one this UI does not know shows the core's words. */
const PERMISSION_WORDS: Readonly<Record<string, () => string>> = {
  "profile.view": () => m.permProfileView,
  "profile.create": () => m.permProfileCreate,
  "profile.edit": () => m.permProfileEdit,
  "profile.import": () => m.permProfileImport,
  "profile.export": () => m.permProfileExport,
  "profile.delete": () => m.permProfileDelete,
  "audit.view": () => m.permAuditView,
  "settings.manage": () => m.permSettingsManage,
};

/** A permission's description in the UI's language. */
export function permissionText(p: PermissionInfo): string {
  const words = Object.prototype.hasOwnProperty.call(PERMISSION_WORDS, p.key) ? PERMISSION_WORDS[p.key] : undefined;
  return words?.() ?? p.description;
}

/** A permission named by its key alone (a role's list), in the UI's language. */
function permissionWords(key: string, known: readonly PermissionInfo[]): string {
  return permissionText(known.find((p) => p.key === key) ?? { key, description: key });
}

/** Why a role cannot be deleted, or null. */
export function deleteBlocker(r: RoleSummary): string | null {
  if (r.builtin) return m.roleBuiltinNoDelete;
  if (r.users > 0) return m.roleHasUsers(r.users);
  return null;
}

class RolesEditor implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error = h("div", { class: "general-errors", role: "alert", "data-testid": "roles-error" });
  private permissions: PermissionInfo[] = [];

  constructor(private readonly ctx: SettingsContext) {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.rolesWhat));
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-roles" },
      sectionHead(m.rolesTitle, m.rolesDescription),
      this.error,
      this.body,
    );
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [r, p] = await Promise.all([roles(), permissionCatalogue()]);
      this.permissions = p;
      this.body.replaceChildren(h("ul", { class: "card settings-rows", "data-testid": "role-list" }, r.map((x) => this.row(x))), this.editor(null));
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.rolesWhat, errorMessage(err), () => void this.load()));
    }
  }

  private row(r: RoleSummary): HTMLElement {
    const blocker = deleteBlocker(r);
    return h(
      "li",
      { class: "settings-row", "data-testid": `role-${r.name}` },
      h(
        "div",
        { class: "settings-row-main" },
        h("span", { class: "settings-row-title" }, shownRole(r.name)),
        r.builtin ? h("span", { class: "badge" }, m.builtIn) : null,
        h("span", { class: "muted small" }, m.usersCount(r.users)),
        h(
          "span",
          { class: "chips role-permissions" },
          // What the role may do in words; the key (as the CLI and the audit log name it) on hover.
          r.permissions.map((p) => h("span", { class: "chip", title: p, "data-permission": p }, permissionWords(p, this.permissions))),
        ),
      ),
      h(
        "div",
        { class: "settings-row-actions" },
        h(
          "button",
          {
            type: "button",
            class: "button button-secondary button-small",
            "data-testid": `role-edit-${r.name}`,
            disabled: r.builtin,
            title: r.builtin ? m.roleBuiltinTooltip : m.editNamed(r.name),
            onclick: (e: Event) => (e.currentTarget as HTMLElement).closest("li")?.after(this.editor(r)),
          },
          common.edit,
        ),
        h(
          "button",
          {
            type: "button",
            class: "button button-danger-ghost button-small",
            "data-testid": `role-delete-${r.name}`,
            disabled: blocker !== null,
            title: blocker ?? m.deleteNamed(r.name),
            onclick: () => void this.remove(r),
          },
          common.delete,
        ),
      ),
    );
  }

  /** The form to add a role (`role` null) or change a custom one. */
  private editor(role: RoleSummary | null): HTMLElement {
    const name = h("input", { type: "text", "data-testid": role ? "role-edit-name" : "role-add-name", value: role?.name ?? "", maxlength: 40, placeholder: m.rolePlaceholder });
    const boxes = this.permissions.map((p) =>
      h(
        "label",
        { class: "check", title: permissionText(p) },
        h("input", { type: "checkbox", value: p.key, "data-testid": `${role ? "role-edit" : "role-add"}-perm-${p.key}`, checked: role?.permissions.includes(p.key) ?? false }),
        h("span", null, permissionText(p), " ", h("code", { class: "muted small" }, p.key)),
      ),
    );
    const error = h("div", { class: "field-error", role: "alert", hidden: true, "data-testid": role ? "role-edit-error" : "role-add-error" });
    const submit = h("button", { type: "submit", class: "button button-primary", "data-testid": role ? "role-edit-save" : "role-add-submit" }, role ? m.saveRole : m.addRole);
    const form = h(
      "form",
      { class: `card settings-add${role ? " role-editing" : ""}`, novalidate: true },
      h("h3", { class: "card-title" }, role ? m.editNamed(role.name) : m.addCustomRole),
      h("label", { class: "field" }, h("span", { class: "field-label" }, m.name), name),
      h("div", { class: "role-boxes" }, boxes),
      error,
      h(
        "div",
        { class: "settings-foot" },
        role ? h("button", { type: "button", class: "button button-secondary", onclick: () => form.remove() }, common.cancel) : null,
        h("div", { class: "toolbar-spacer" }),
        submit,
      ),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const perms = boxes.map((b) => b.querySelector("input")!).filter((i) => i.checked).map((i) => i.value);
      void (async () => {
        error.hidden = true;
        try {
          const saved = role ? await updateRole(role.name, name.value, perms) : await createRole(name.value, perms);
          showToast(role ? m.roleSaved(saved.name) : m.roleAdded(saved.name));
          if (role && this.ctx.session.role === role.name) {
            location.reload();
            return;
          }
          await this.load();
        } catch (err) {
          error.textContent = errorMessage(err);
          error.hidden = false;
        }
      })();
    });
    return form;
  }

  private async remove(r: RoleSummary): Promise<void> {
    const ok = await confirmDialog({ title: m.deleteRoleTitle(r.name), body: h("p", null, m.deleteRoleBody), confirmLabel: m.deleteRole, danger: true, testid: "role-delete-confirm" });
    if (!ok) return;
    try {
      await deleteRole(r.name);
      showToast(m.roleDeleted(r.name));
    } catch (err) {
      this.error.replaceChildren(h("div", { class: "field-error" }, errorMessage(err)));
    }
    await this.load();
  }
}

export const rolesSection: SettingsSection = {
  id: "roles",
  get title() {
    return m.rolesTitle;
  },
  get summary() {
    return m.rolesSummary;
  },
  mount: (ctx) => new RolesEditor(ctx),
};
