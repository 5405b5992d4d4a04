// Roles (SPEC 7.2): the built-in Administrator, Sales and Viewer with the
// permissions the SPEC gives them, and custom roles an administrator makes
// from the eight permissions. A permission change applies at once to every
// user of the role (the core resolves permissions on every command).
import { h } from "../shell/dom";
import { plural } from "../shell/format";
import {
  createRole,
  deleteRole,
  permissionCatalogue,
  roles,
  updateRole,
  type PermissionInfo,
  type RoleSummary,
} from "../ipc";
import { confirmDialog } from "../shell/confirmDialog";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsContext, type SettingsSection } from "./section";

/** Why a role cannot be deleted, or null. */
export function deleteBlocker(r: RoleSummary): string | null {
  if (r.builtin) return "Built-in roles cannot be deleted";
  if (r.users > 0) return `${plural(r.users, "user has", "users have")} this role; give them another role first`;
  return null;
}

class RolesEditor implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error = h("div", { class: "general-errors", role: "alert", "data-testid": "roles-error" });
  private permissions: PermissionInfo[] = [];

  constructor(private readonly ctx: SettingsContext) {
    this.body = h("div", { class: "settings-body" }, loadingPanel("the roles"));
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-roles" },
      sectionHead("Roles", "What each role may do. Built-in roles keep the permissions of the specification; custom roles combine any of them."),
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
      this.body.replaceChildren(failedPanel("the roles", errorMessage(err), () => void this.load()));
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
        h("span", { class: "settings-row-title" }, r.name),
        r.builtin ? h("span", { class: "badge" }, "Built in") : null,
        h("span", { class: "muted small" }, plural(r.users, "user", "users")),
        h("span", { class: "chips role-permissions" }, r.permissions.map((p) => h("span", { class: "chip" }, p))),
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
            title: r.builtin ? "Built-in roles keep the permissions of the specification" : `Edit ${r.name}`,
            onclick: (e: Event) => (e.currentTarget as HTMLElement).closest("li")?.after(this.editor(r)),
          },
          "Edit",
        ),
        h(
          "button",
          {
            type: "button",
            class: "button button-danger-ghost button-small",
            "data-testid": `role-delete-${r.name}`,
            disabled: blocker !== null,
            title: blocker ?? `Delete ${r.name}`,
            onclick: () => void this.remove(r),
          },
          "Delete",
        ),
      ),
    );
  }

  /** The form to add a role (`role` null) or change a custom one. */
  private editor(role: RoleSummary | null): HTMLElement {
    const name = h("input", { type: "text", "data-testid": role ? "role-edit-name" : "role-add-name", value: role?.name ?? "", maxlength: 40, placeholder: "For example: Auditor" });
    const boxes = this.permissions.map((p) =>
      h(
        "label",
        { class: "check", title: p.description },
        h("input", { type: "checkbox", value: p.key, "data-testid": `${role ? "role-edit" : "role-add"}-perm-${p.key}`, checked: role?.permissions.includes(p.key) ?? false }),
        h("span", null, h("code", null, p.key), " ", h("span", { class: "muted small" }, p.description)),
      ),
    );
    const error = h("div", { class: "field-error", role: "alert", hidden: true, "data-testid": role ? "role-edit-error" : "role-add-error" });
    const submit = h("button", { type: "submit", class: "button button-primary", "data-testid": role ? "role-edit-save" : "role-add-submit" }, role ? "Save role" : "Add role");
    const form = h(
      "form",
      { class: `card settings-add${role ? " role-editing" : ""}`, novalidate: true },
      h("h3", { class: "card-title" }, role ? `Edit ${role.name}` : "Add a custom role"),
      h("label", { class: "field" }, h("span", { class: "field-label" }, "Name"), name),
      h("div", { class: "role-boxes" }, boxes),
      error,
      h(
        "div",
        { class: "settings-foot" },
        role ? h("button", { type: "button", class: "button button-secondary", onclick: () => form.remove() }, "Cancel") : null,
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
          showToast(role ? `Saved the role ${saved.name}` : `Added the role ${saved.name}`);
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
    const ok = await confirmDialog({ title: `Delete the role ${r.name}?`, body: h("p", null, "Nobody has this role. This cannot be undone."), confirmLabel: "Delete role", danger: true, testid: "role-delete-confirm" });
    if (!ok) return;
    try {
      await deleteRole(r.name);
      showToast(`Deleted the role ${r.name}`);
    } catch (err) {
      this.error.replaceChildren(h("div", { class: "field-error" }, errorMessage(err)));
    }
    await this.load();
  }
}

export const rolesSection: SettingsSection = {
  id: "roles",
  title: "Roles",
  summary: "Permissions of each role, custom roles",
  mount: (ctx) => new RolesEditor(ctx),
};
