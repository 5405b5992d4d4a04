import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { h } from "../shell/dom";
import type { ConsentChannelSetting, LimitSetting, Session } from "../ipc";
import { mockCore, settle, syncStatus } from "../testFixtures";
import { consentChannelsSection, removeBlocker } from "./consentChannels";
import { limitsSection, parseLimit, unitLabel } from "./limits";
import { SETTINGS_SECTIONS } from "./sections";
import { visibleSections, type SettingsSection } from "./section";
import { SettingsView } from "./settingsView";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const ADMIN: Session = {
  userName: "admin",
  displayName: "Admin",
  role: "Administrator",
  permissions: ["profile.view", "settings.manage", "audit.view"],
};

function limit(key: string, value: number, unit: "megabytes" | "rows" = "rows"): LimitSetting {
  return { key, label: key, hint: `${key} hint`, unit, value, default: value, min: 1, max: 10_000 };
}

const LIMITS: LimitSetting[] = [limit("file_size", 10, "megabytes"), limit("paste_rows", 1000)];

function channel(key: string, label: string, builtin: boolean, records = 0): ConsentChannelSetting {
  return { key, label, builtin, records };
}


function typeInto(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

function context(changed: () => void = () => undefined) {
  return { session: ADMIN, catalogueChanged: changed };
}

describe("settings shell", () => {
  it("lists the sections the role may open and opens the first one", async () => {
    const section = (id: string, permission?: string): SettingsSection => ({
      id,
      title: `Title ${id}`,
      summary: `Summary ${id}`,
      permission,
      mount: () => ({ element: h("div", { "data-testid": `pane-${id}` }, id) }),
    });
    const sections = [section("a"), section("b", "audit.view"), section("c", "nobody.has")];
    expect(visibleSections(sections, ADMIN.permissions).map((s) => s.id), "filtered by permission").toEqual(["a", "b"]);
    const view = new SettingsView({ context: context(), onBack: () => undefined, sections });
    document.body.appendChild(view.element);
    await view.open();
    expect(view.sectionIds, "the sections this user sees").toEqual(["a", "b"]);
    expect(q("pane-a"), "the first section is open").not.toBeNull();
    expect(q("settings-nav-a")?.getAttribute("aria-current"), "and marked current").toBe("page");
    q("settings-nav-b")!.click();
    await settle();
    expect(q("pane-b"), "the clicked section opens").not.toBeNull();
    expect(q("pane-a"), "and replaces the previous one").toBeNull();
    expect(q("settings-nav-c"), "a section needing another permission is not listed").toBeNull();
  });

  it("shows a section the server manages read-only, under a notice naming it, while connected", async () => {
    let connected = true;
    mockCore({ sync_status: () => syncStatus({ connected, serverUrl: "https://cdp.example.vn" }) });
    const sections: SettingsSection[] = [
      {
        id: "fields",
        title: "Fields",
        summary: "",
        managedByServer: "the field catalogue",
        mount: () => ({ element: h("div", null, h("button", { type: "button", "data-testid": "pane-save" }, "Save")) }),
      },
      { id: "limits", title: "Limits", summary: "", mount: () => ({ element: h("div", { "data-testid": "pane-limits" }) }) },
    ];
    const view = new SettingsView({ context: context(), onBack: () => undefined, sections });
    document.body.appendChild(view.element);
    await view.open("fields");
    expect(q("settings-managed-notice")?.textContent).toContain("Managed by cdp.example.vn. This computer syncs with cdp.example.vn, so the field catalogue comes from there");
    const save = q<HTMLButtonElement>("pane-save")!;
    expect(save.closest("fieldset")?.disabled, "every control is disabled").toBe(true);
    await view.open("limits");
    expect(q("settings-managed"), "a section the server does not manage stays editable").toBeNull();
    connected = false;
    await view.open("fields");
    expect(q("settings-managed"), "not connected: editable").toBeNull();
  });

  it("asks before leaving a section with unsaved edits", async () => {
    let dirty = true;
    const sections: SettingsSection[] = [
      { id: "a", title: "A", summary: "", mount: () => ({ element: h("div", { "data-testid": "pane-a" }), hasUnsavedChanges: () => dirty }) },
      { id: "b", title: "B", summary: "", mount: () => ({ element: h("div", { "data-testid": "pane-b" }) }) },
    ];
    const view = new SettingsView({ context: context(), onBack: () => undefined, sections });
    document.body.appendChild(view.element);
    await view.open("a");
    q("settings-nav-b")!.click();
    await settle();
    expect(q("settings-discard"), "the question is asked").not.toBeNull();
    q("settings-discard-no")!.click();
    await settle();
    expect(q("pane-a"), "keeping the edits stays on the section").not.toBeNull();
    q("settings-nav-b")!.click();
    await settle();
    q("settings-discard-yes")!.click();
    await settle();
    expect(q("pane-b"), "discarding moves on").not.toBeNull();
    dirty = false;
    q("settings-nav-a")!.click();
    await settle();
    q("settings-nav-b")!.click();
    await settle();
    expect(q("settings-discard"), "a section without edits is left without asking").toBeNull();
  });

  it("registers real sections only, each with a unique id", () => {
    const ids = SETTINGS_SECTIONS.map((s) => s.id);
    expect(new Set(ids).size, "ids are unique").toBe(ids.length);
    expect(ids, "limits and consent channels are sections").toEqual(expect.arrayContaining(["limits", "consent"]));
  });
});

describe("limits section", () => {
  it("parses whole numbers and words units", () => {
    expect(parseLimit(" 50,000 "), "separators are fine").toBe(50_000);
    expect(parseLimit("12.5"), "no fractions").toBeNull();
    expect(parseLimit("-3"), "no signs").toBeNull();
    expect(unitLabel("megabytes", 10), "sizes").toBe("10 MB");
    expect(unitLabel("rows", 1), "one row").toBe("1 row");
    expect(unitLabel("rows", 50_000), "rows with separators").toBe("50,000 rows");
  });

  it("saves only the changed limits and shows the core's refusal under the limit", async () => {
    let refuse = true;
    const calls = mockCore({
      limit_settings: () => LIMITS,
      set_limits: (a) => {
        if (refuse) {
          throw {
            code: "validation",
            message: "Paste rows must be between 1 row and 10,000 rows",
            details: [{ field: "paste_rows", code: "outOfRange", message: "Paste rows must be between 1 row and 10,000 rows (you entered 20,000 rows)" }],
          };
        }
        const values = a.values as Array<{ key: string; value: number }>;
        return LIMITS.map((l) => ({ ...l, value: values.find((v) => v.key === l.key)?.value ?? l.value }));
      },
    });
    const handle = limitsSection.mount(context());
    document.body.appendChild(handle.element);
    await settle();
    const save = q<HTMLButtonElement>("limits-save")!;
    expect(save.disabled, "nothing to save yet").toBe(true);
    typeInto(q<HTMLInputElement>("limit-paste_rows")!, "20000");
    expect(save.disabled, "a change enables Save").toBe(false);
    expect(handle.hasUnsavedChanges?.(), "the shell knows about the edit").toBe(true);
    save.click();
    await settle();
    expect(calls.find((c) => c[0] === "set_limits")?.[1], "only the changed limit is sent").toEqual({
      values: [{ key: "paste_rows", value: 20000 }],
    });
    expect(q("limit-error-paste_rows")?.textContent, "the core's message sits under its limit").toContain("you entered 20,000 rows");
    refuse = false;
    typeInto(q<HTMLInputElement>("limit-paste_rows")!, "500");
    q("limits-save")!.click();
    await settle();
    expect(q<HTMLInputElement>("limit-paste_rows")?.value, "the saved value is shown").toBe("500");
    expect(q("limit-error-paste_rows")?.hidden, "the error went").toBe(true);
  });

  it("refuses a value that is not a whole number without calling the core", async () => {
    const calls = mockCore({ limit_settings: () => LIMITS });
    const handle = limitsSection.mount(context());
    document.body.appendChild(handle.element);
    await settle();
    typeInto(q<HTMLInputElement>("limit-file_size")!, "ten");
    q("limits-save")!.click();
    await settle();
    expect(q("limit-error-file_size")?.textContent, "said inline").toBe("Enter a whole number");
    expect(calls.some((c) => c[0] === "set_limits"), "nothing sent").toBe(false);
  });
});

describe("consent channels section", () => {
  const CHANNELS = [channel("email", "E-mail", true, 4), channel("sms", "SMS", true), channel("zalo", "Zalo", false), channel("post", "Post", false, 2)];

  it("explains why a channel cannot be removed", () => {
    expect(removeBlocker(CHANNELS[0]!), "built in").toContain("Built-in");
    expect(removeBlocker(CHANNELS[3]!), "has records").toContain("2 consent records");
    expect(removeBlocker(CHANNELS[2]!), "an unused added channel can go").toBeNull();
  });

  it("adds a channel, tells the shell, and disables Remove with the reason as tooltip", async () => {
    let changed = 0;
    const calls = mockCore({
      consent_channel_settings: () => CHANNELS,
      add_consent_channel: (a) => [...CHANNELS, channel("push", String(a.label).trim(), false)],
    });
    const handle = consentChannelsSection.mount(context(() => (changed += 1)));
    document.body.appendChild(handle.element);
    await settle();
    const remove = q<HTMLButtonElement>("channel-remove-email")!;
    expect(remove.disabled, "a built-in channel cannot be removed").toBe(true);
    expect(remove.title, "the tooltip says why").toContain("Built-in");
    expect(q<HTMLButtonElement>("channel-remove-zalo")?.disabled, "an unused added channel can").toBe(false);
    typeInto(q<HTMLInputElement>("channel-add-input")!, " Push ");
    q("channel-add-button")!.click();
    await settle();
    expect(calls.find((c) => c[0] === "add_consent_channel")?.[1], "the label goes to the core").toEqual({ label: " Push " });
    expect(q("channel-label-push")?.textContent, "the new channel is listed").toBe("Push");
    expect(changed, "the create form and imports are told").toBe(1);
    expect(q<HTMLInputElement>("channel-add-input")?.value, "the input is cleared").toBe("");
  });

  it("moves a channel with the arrows and removes one after asking", async () => {
    const calls = mockCore({
      consent_channel_settings: () => CHANNELS,
      reorder_consent_channels: (a) => (a.keys as string[]).map((k) => CHANNELS.find((c) => c.key === k)!),
      remove_consent_channel: (a) => CHANNELS.filter((c) => c.key !== a.key),
    });
    const handle = consentChannelsSection.mount(context());
    document.body.appendChild(handle.element);
    await settle();
    expect(q<HTMLButtonElement>("channel-up-email")?.disabled, "the first cannot go up").toBe(true);
    q("channel-up-zalo")!.click();
    await settle();
    expect(calls.find((c) => c[0] === "reorder_consent_channels")?.[1], "the whole order is sent").toEqual({
      keys: ["email", "zalo", "sms", "post"],
    });
    q("channel-remove-zalo")!.click();
    await settle();
    expect(q("channel-remove-confirm"), "removal asks first").not.toBeNull();
    q("channel-remove-confirm-yes")!.click();
    await settle();
    expect(q("channel-zalo"), "the channel is gone").toBeNull();
  });
});
