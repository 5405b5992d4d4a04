import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { Guards, SyncRuleSetting } from "../ipc";
import { mockCore, settle } from "../testFixtures";
import { hasBlocked, sameGuards } from "./guards";
import { syncRuleSection } from "./syncRule";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function typeInto(testid: string, text: string): void {
  const input = q<HTMLInputElement>(testid)!;
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

const CTX = { session: { userName: "lan", displayName: "Lan", role: "Administrator", permissions: ["settings.manage"] }, catalogueChanged: () => undefined };
const DEFAULTS: Guards = { maxPhones: 5, maxEmails: 5, sharedKeyRows: 3, blocked: ["0000000000", "test@test.com", "n/a"] };

function setting(guards: Guards): SyncRuleSetting {
  return { rule: { matchKeys: ["phone", "email"], region: "VN", mergePolicy: "overwrite" }, regions: [{ iso: "VN", name: "Vietnam", callingCode: "+84" }], guards };
}

function blockedShown(): string[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="guards-blocked"] [data-value]')].map((li) => li.dataset.value ?? "");
}

async function mount(handlers: Record<string, (args: Record<string, unknown>) => unknown>) {
  const calls = mockCore({
    sync_rule_settings: () => setting(DEFAULTS),
    sync_rule_example: () => ({ existing: [], incoming: { title: "Incoming row", values: [] }, outcome: "created", message: "", changes: [], regionNote: "" }),
    ...handlers,
  });
  const handle = syncRuleSection.mount(CTX);
  document.body.appendChild(handle.element);
  await settle();
  return { calls, handle };
}

describe("guards", () => {
  it("compares drafts and finds blocked values without case", () => {
    expect(sameGuards(DEFAULTS, { ...DEFAULTS, blocked: [...DEFAULTS.blocked] }), "equal copies").toBe(true);
    expect(sameGuards(DEFAULTS, { ...DEFAULTS, maxEmails: 6 }), "a number differs").toBe(false);
    expect(sameGuards(DEFAULTS, { ...DEFAULTS, blocked: ["0000000000"] }), "the list differs").toBe(false);
    expect(hasBlocked(DEFAULTS.blocked, " TEST@test.com "), "the core ignores case and spaces").toBe(true);
    expect(hasBlocked(DEFAULTS.blocked, "none"), "absent").toBe(false);
  });

  it("shows the saved guards, edits them and saves them with set_rule_guards", async () => {
    const { calls, handle } = await mount({
      set_rule_guards: (a) => setting({ ...(a.guards as Guards), blocked: [...(a.guards as Guards).blocked] }),
    });
    expect(q<HTMLInputElement>("guards-max-phones")?.value, "the saved value").toBe("5");
    expect(q<HTMLInputElement>("guards-max-emails")?.value, "the saved value").toBe("5");
    expect(q<HTMLInputElement>("guards-shared-rows")?.value, "the saved value").toBe("3");
    expect(blockedShown(), "the list as the core holds it (the defaults on a new store)").toEqual(DEFAULTS.blocked);
    expect(q<HTMLButtonElement>("guards-save")?.disabled, "nothing to save yet").toBe(true);

    typeInto("guards-max-phones", "3");
    typeInto("guards-blocked-input", "111");
    q("guards-blocked-add")!.click();
    typeInto("guards-blocked-input", "N/A");
    q("guards-blocked-add")!.click();
    expect(q("guards-error-blocked")?.textContent, "a value already listed is refused at once").toBe("“N/A” is already in the list");
    q("guards-blocked-remove-1")!.click();
    expect(blockedShown(), "added at the end, removed in place").toEqual(["0000000000", "n/a", "111"]);
    expect(handle.hasUnsavedChanges?.(), "the section knows it holds edits").toBe(true);

    q("guards-save")!.click();
    await settle();
    expect(calls.find(([cmd]) => cmd === "set_rule_guards")?.[1], "the whole draft is sent").toEqual({
      guards: { maxPhones: 3, maxEmails: 5, sharedKeyRows: 3, blocked: ["0000000000", "n/a", "111"] },
    });
    expect(q("toast")?.textContent, "confirmed").toContain("Guards saved");
    expect(handle.hasUnsavedChanges?.(), "nothing left to save").toBe(false);
    expect(q<HTMLButtonElement>("guards-save")?.disabled, "Save is off again").toBe(true);
  });

  it("shows the core's refusal under the input it names, and refuses a non-number itself", async () => {
    const { calls } = await mount({
      set_rule_guards: () => {
        throw { code: "validation", message: "Invalid", details: [{ field: "sharedKeyRows", code: "outOfRange", message: "The number of rows … must be between 1 and 1000" }] };
      },
    });
    typeInto("guards-max-emails", "two");
    q("guards-save")!.click();
    await settle();
    expect(q("guards-error-maxEmails")?.textContent, "checked before asking the core").toBe("Enter a whole number");
    expect(q("guards-max-emails")?.getAttribute("aria-invalid"), "marked for assistive tech").toBe("true");
    expect(calls.some(([cmd]) => cmd === "set_rule_guards"), "the core is not asked").toBe(false);

    typeInto("guards-max-emails", "5");
    typeInto("guards-shared-rows", "0");
    q("guards-save")!.click();
    await settle();
    expect(q("guards-error-sharedKeyRows")?.textContent, "the core's message under its input").toContain("between 1 and 1000");
    expect(q("guards-error-maxEmails")?.hidden, "the fixed input's error is gone").toBe(true);

    q("guards-revert")!.click();
    expect(q<HTMLInputElement>("guards-shared-rows")?.value, "Undo goes back to the saved value").toBe("3");
    expect(q("guards-error-sharedKeyRows")?.hidden, "and clears the error").toBe(true);
  });
});
