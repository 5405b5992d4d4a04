import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { RoleSummary, SyncExample, SyncRuleDraft } from "../ipc";
import { setLang } from "../i18n/lang";
import { settle } from "../testFixtures";
import { deleteBlocker, permissionText, rolesSection } from "./roles";
import { keyOrder, sameRule, syncRuleSection } from "./syncRule";
import { usersSection } from "./users";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const CTX = { session: { userName: "lan", displayName: "Lan", role: "Administrator", permissions: ["settings.manage"] }, catalogueChanged: () => undefined };

const GUARDS = { maxPhones: 5, maxEmails: 5, sharedKeyRows: 3, blocked: ["0000000000"] };

function role(name: string, builtin: boolean, users: number, permissions: string[] = ["profile.view"]): RoleSummary {
  return { name, builtin, users, permissions };
}

describe("synchronization rule section", () => {
  it("orders the keys and compares rules", () => {
    expect(keyOrder(["email"]), "chosen first, then the rest").toEqual(["email", "phone", "customerCode"]);
    const a: SyncRuleDraft = { matchKeys: ["phone", "email"], region: "VN", mergePolicy: "overwrite" };
    expect(sameRule(a, { ...a, matchKeys: ["email", "phone"] }), "the order matters").toBe(false);
    expect(sameRule(a, { ...a }), "same").toBe(true);
  });

  it("asks the core for the example of the rule being edited and saves it", async () => {
    const drafts: SyncRuleDraft[] = [];
    const example = (d: SyncRuleDraft): SyncExample => ({
      existing: [],
      incoming: { title: "Incoming row", values: [] },
      outcome: d.matchKeys.length === 1 ? "updated" : "review",
      message: d.matchKeys.length === 1 ? "Updated existing profile Nguyễn Văn An — matched by phone" : "Matches 2 different profiles",
      changes: [],
      regionNote: `region ${d.region}`,
    });
    let saved: SyncRuleDraft | null = null;
    mockIPC((cmd, args) => {
      const a = args as { draft: SyncRuleDraft };
      if (cmd === "sync_rule_settings") return { rule: { matchKeys: ["phone", "email", "customerCode"], region: "VN", mergePolicy: "overwrite" }, regions: [{ iso: "VN", name: "Vietnam", callingCode: "+84" }], guards: GUARDS };
      if (cmd === "sync_rule_example") {
        drafts.push(a.draft);
        return example(a.draft);
      }
      if (cmd === "set_sync_rule") {
        saved = a.draft;
        return { rule: a.draft, regions: [], guards: GUARDS };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = syncRuleSection.mount(CTX);
    document.body.appendChild(handle.element);
    await settle();
    await new Promise((r) => setTimeout(r, 200));
    expect(q("sync-example-outcome")?.textContent, "the saved rule's example").toBe("Merge review");
    q<HTMLInputElement>("sync-key-on-email")!.click();
    q<HTMLInputElement>("sync-key-on-customerCode")!.click();
    expect(handle.hasUnsavedChanges?.(), "edited").toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect(drafts.at(-1)?.matchKeys, "the example follows the edit").toEqual(["phone"]);
    expect(q("sync-example-message")?.textContent, "the core's sentence").toContain("matched by phone");
    q("sync-save")!.click();
    await settle();
    expect(saved, "the edited rule is saved").toMatchObject({ matchKeys: ["phone"] });
    expect(handle.hasUnsavedChanges?.(), "nothing left to save").toBe(false);
    handle.dispose?.();
  });
});

describe("roles section", () => {
  it("says why a role cannot be deleted", () => {
    expect(deleteBlocker(role("Sales", true, 0)), "built in").toContain("Built-in");
    expect(deleteBlocker(role("Auditor", false, 2)), "in use").toContain("2 users have this role");
    expect(deleteBlocker(role("Temp", false, 0)), "free").toBeNull();
  });

  it("creates a custom role from the ticked permissions", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "roles") return [role("Administrator", true, 1, ["profile.view", "settings.manage"]), role("Temp", false, 0)];
      if (cmd === "permission_catalogue") return [{ key: "profile.view", description: "See profiles" }, { key: "audit.view", description: "See the audit log" }];
      if (cmd === "create_role") return role("Auditor", false, 0, ["profile.view", "audit.view"]);
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = rolesSection.mount(CTX);
    document.body.appendChild(handle.element);
    await settle();
    expect(q<HTMLButtonElement>("role-edit-Administrator")?.disabled, "built-in roles are fixed").toBe(true);
    expect(q<HTMLButtonElement>("role-delete-Temp")?.disabled, "an unused custom role can go").toBe(false);
    q<HTMLInputElement>("role-add-name")!.value = "Auditor";
    q<HTMLInputElement>("role-add-perm-profile.view")!.checked = true;
    q<HTMLInputElement>("role-add-perm-audit.view")!.checked = true;
    q("role-add-submit")!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(calls.find((c) => (c as [string])[0] === "create_role")?.[1 as never], "name and permissions go to the core").toEqual({
      name: "Auditor",
      permissions: ["profile.view", "audit.view"],
    });
  });
});

describe("permissions' descriptions", () => {
  const DEFAULTS = Object.values(
    import.meta.glob<string>("../../../crates/core/migrations/0002_defaults.sql", { query: "?raw", import: "default", eager: true }),
  ).join("");
  /** The permissions a new store has, with the core's description: `('profile.view', 'See profiles')`. */
  const core = [...DEFAULTS.matchAll(/\('([a-z]+\.[a-z]+)',\s*'([^']+)'\)/g)].map(([, key, description]) => ({ key: key ?? "", description: description ?? "" }));

  it("are the core's in English, for every permission it has", () => {
    expect(core.length, "the core's permissions were read").toBe(8);
    for (const p of core) expect(permissionText({ key: p.key, description: "?" }), p.key).toBe(p.description);
  });

  it("read in Vietnamese, and as the core sends one this UI does not know", () => {
    setLang("vi");
    for (const p of core) expect(permissionText(p), p.key).not.toBe(p.description);
    expect(permissionText({ key: "profile.import", description: "Import and paste profiles" })).toBe("Nhập và dán hồ sơ");
    expect(permissionText({ key: "mail.send", description: "Send e-mails" })).toBe("Send e-mails");
  });

  it("show in the role form in the UI's language", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      if (cmd === "roles") return [role("Administrator", true, 1)];
      if (cmd === "permission_catalogue") return [{ key: "audit.view", description: "See the audit log" }];
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = rolesSection.mount(CTX);
    document.body.appendChild(handle.element);
    await settle();
    const box = q("role-add-perm-audit.view")?.closest("label");
    expect(box?.textContent).toBe("Xem nhật ký hoạt động audit.view");
    expect(box?.title).toBe("Xem nhật ký hoạt động");
    // A role's permissions read as words too, the key on hover.
    const chips = [...(q("role-Administrator")?.querySelectorAll<HTMLElement>(".role-permissions .chip") ?? [])];
    expect(chips.map((c) => [c.textContent, c.title])).toEqual([["Xem hồ sơ", "profile.view"]]);
  });
});

describe("built-in roles in Vietnamese", () => {
  const ROLES = [role("Administrator", true, 1), role("Sales", true, 0), role("Viewer", true, 1), role("Kế toán", false, 1)];

  it("lists a built-in role by its Vietnamese name and a custom one as named", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      if (cmd === "roles") return ROLES;
      if (cmd === "permission_catalogue") return [];
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = rolesSection.mount(CTX);
    document.body.appendChild(handle.element);
    await settle();
    const title = (name: string): string | null | undefined => q(`role-${name}`)?.querySelector(".settings-row-title")?.textContent;
    expect(["Administrator", "Sales", "Viewer", "Kế toán"].map(title)).toEqual(["Quản trị viên", "Nhân viên kinh doanh", "Người xem", "Kế toán"]);
  });

  it("offers the roles by their shown names while sending the stored one", async () => {
    setLang("vi");
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "users") return [{ name: "vy", displayName: "vy", role: "Viewer", active: true, hasPassword: true, createdAt: "" }];
      if (cmd === "roles") return ROLES;
      if (cmd === "idle_lock_minutes") return 15;
      if (cmd === "update_user") return { name: "vy", displayName: "vy", role: "Sales", active: true, hasPassword: true, createdAt: "" };
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = usersSection.mount({ ...CTX, idleLockChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    const select = q<HTMLSelectElement>("user-role-vy")!;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["Administrator", "Quản trị viên"],
      ["Sales", "Nhân viên kinh doanh"],
      ["Viewer", "Người xem"],
      ["Kế toán", "Kế toán"],
    ]);
    expect(select.selectedOptions[0]?.textContent, "the user's role, shown").toBe("Người xem");
    expect(q<HTMLSelectElement>("user-add-role")?.selectedOptions[0]?.textContent, "a new user is Sales by default").toBe("Nhân viên kinh doanh");
    select.value = "Sales";
    select.dispatchEvent(new Event("change"));
    await settle();
    const update = calls.find((c) => (c as [string])[0] === "update_user") as [string, { update: { role: string } }] | undefined;
    expect(update?.[1].update.role, "the core gets the stored name").toBe("Sales");
  });
});

describe("users section", () => {
  it("lists users with their role and refuses a weak password before asking the core", async () => {
    const calls: string[] = [];
    let idle = 0;
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "users") return [{ name: "lan", displayName: "Lan", role: "Administrator", active: true, hasPassword: true, createdAt: "" }, { name: "vy", displayName: "vy", role: "Viewer", active: true, hasPassword: false, createdAt: "" }];
      if (cmd === "roles") return [role("Administrator", true, 1), role("Sales", true, 0), role("Viewer", true, 1)];
      if (cmd === "idle_lock_minutes") return 15;
      if (cmd === "set_idle_lock_minutes") return 5;
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = usersSection.mount({ ...CTX, idleLockChanged: (m: number) => (idle = m) });
    document.body.appendChild(handle.element);
    await settle();
    expect(q<HTMLSelectElement>("user-role-vy")?.value, "each user's role").toBe("Viewer");
    expect(q("user-vy")?.textContent, "a user without a password is flagged").toContain("No password");
    expect(q("user-lan")?.textContent, "you are marked").toContain("You");
    q<HTMLInputElement>("user-add-name")!.value = "sam";
    q<HTMLInputElement>("user-add-password")!.value = "short";
    q<HTMLInputElement>("user-add-password-again")!.value = "short";
    q("user-add-submit")!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(q("user-add-error")?.textContent, "said at once").toContain("at least 8");
    expect(calls.includes("create_user"), "nothing sent").toBe(false);
    q<HTMLInputElement>("idle-minutes")!.value = "5";
    q("idle-save")!.click();
    await settle();
    expect(idle, "the window's idle timer follows at once").toBe(5);
  });
});
