import { afterEach, describe, expect, it } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { SyncConflict } from "../ipc";
import { XSS, catalogue, mockCore, settle, type Call } from "../testFixtures";
import { ConflictReviewView } from "./conflictReview";
import { conflict } from "./conflictFixtures";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

async function show(conflicts: SyncConflict[], canEdit = true): Promise<{ calls: Call[]; changed: number[]; opened: number[]; state: { conflicts: SyncConflict[] } }> {
  const state = { conflicts };
  const decided = (ids: string[]): SyncConflict[] => (state.conflicts = state.conflicts.map((c) => (ids.includes(c.id) ? { ...c, open: false } : c)));
  const calls = mockCore({
    sync_conflicts: () => state.conflicts,
    resolve_sync_conflict: (a) => decided([a.id as string]),
    sync_keep_server_values: (a) => decided(state.conflicts.filter((c) => c.job === a.job).map((c) => c.id)),
  });
  const changed: number[] = [];
  const opened: number[] = [];
  const view = new ConflictReviewView({ fields: catalogue, canEdit, onBack: () => undefined, onChanged: () => changed.push(1), onOpenProfile: (id) => opened.push(id) });
  view.element.hidden = false;
  document.body.appendChild(view.element);
  await view.open();
  await settle();
  return { calls, changed, opened, state };
}

describe("conflict review screen", () => {
  it("shows each profile's conflicts with both values, who, where and when", async () => {
    await show([conflict(), conflict({ id: "cf_2", field: "company", kept: { value: "null", by: null, device: null, at: null } })]);
    expect(q("conflict-summary")?.textContent).toBe("2 open conflicts on 1 profile");
    const row = q("sync-conflict-cf_1")!;
    expect(row.textContent, "the field's label").toContain("City");
    expect(row.textContent, "the kept value and its origin").toContain("Huế");
    expect(row.textContent).toContain("lan · Lan's laptop");
    expect(row.textContent, "this computer's side").toContain("an · this computer");
    expect(q("sync-conflict-cf_2")?.textContent, "an empty value says so").toContain("(empty)");
  });

  it("decides one conflict and tells the shell", async () => {
    const { calls, changed } = await show([conflict()]);
    q("sync-conflict-other-cf_1")!.click();
    await settle();
    expect(calls.find(([cmd]) => cmd === "resolve_sync_conflict")?.[1]).toEqual({ id: "cf_1", decision: { kind: "takeOther" } });
    expect(changed.length).toBe(1);
    expect(q("conflict-empty"), "nothing open any more").not.toBeNull();
    expect(q("conflict-decided")?.textContent, "listed as decided").toContain("Decided recently (1)");
  });

  it("edits a value in place and shows the core's refusal under it", async () => {
    const { calls } = await show([conflict({ field: "company", kept: { value: '"Cty An Phát"', by: "lan", device: null, at: null } })]);
    const later = mockCore({
      sync_conflicts: () => [],
      resolve_sync_conflict: () => {
        throw { code: "validation", message: "Company: the value is too long" };
      },
    });
    q("sync-conflict-edit-cf_1")!.click();
    const input = q<HTMLInputElement>("sync-conflict-input-cf_1")!;
    expect(input.value, "filled with the kept value").toBe("Cty An Phát");
    input.value = "Cty An Phát Hưng";
    q("sync-conflict-save-cf_1")!.click();
    await settle();
    expect(q("sync-conflict-cf_1")?.textContent).toContain("the value is too long");
    expect(later.find(([cmd]) => cmd === "resolve_sync_conflict")?.[1], "the value as typed").toEqual({ id: "cf_1", decision: { kind: "edit", value: "Cty An Phát Hưng" } });
    expect(calls.length, "the first mock saw only the list").toBe(1);
  });

  it("shows a date dd/mm/yyyy, edits it so, tells a day that does not exist and sends the ISO date", async () => {
    await show([conflict({ field: "birthday", kept: { value: '"1990-05-01"', by: "lan", device: null, at: null }, lost: { value: '"1990-05-10"', by: "an", device: null, at: null } })]);
    const row = q("sync-conflict-cf_1")!;
    expect(row.textContent, "both sides as dates read everywhere").toContain("01/05/1990");
    expect(row.textContent).toContain("10/05/1990");
    expect(row.textContent, "not as the core stores them").not.toContain("1990-05-01");
    const later = mockCore({ sync_conflicts: () => [], resolve_sync_conflict: () => [] });
    q("sync-conflict-edit-cf_1")!.click();
    const input = q<HTMLInputElement>("sync-conflict-input-cf_1")!;
    expect(input.value, "filled with the kept date, day first").toBe("01/05/1990");
    expect(input.placeholder).toBe("dd/mm/yyyy");
    input.value = "31/02/1990";
    q("sync-conflict-save-cf_1")!.click();
    await settle();
    expect(q("sync-conflict-cf_1")?.textContent, "the day does not exist: said so, no format advice").toContain("“31/02/1990” is not a date: February 1990 has 28 days");
    expect(later.length, "nothing was sent").toBe(0);
    input.value = "2/5/1990";
    q("sync-conflict-save-cf_1")!.click();
    await settle();
    expect(later.find(([cmd]) => cmd === "resolve_sync_conflict")?.[1], "the ISO date the core takes").toEqual({ id: "cf_1", decision: { kind: "edit", value: "1990-05-02" } });
  });

  it("keeps all server values of an import after a confirmation", async () => {
    const { calls } = await show([
      conflict({ job: 12, jobFile: "customers.xlsx" }),
      conflict({ id: "cf_2", gid: "g2", job: 12, jobFile: "customers.xlsx", ours: "kept" }),
      conflict({ id: "cf_3", gid: "g3", ours: null }),
    ]);
    expect(q("conflict-import-12")?.textContent).toContain("Import #12 (customers.xlsx): 2 fields changed at the same time");
    expect(q("sync-conflict-cf_1")?.textContent).toContain("From import #12 (customers.xlsx)");
    q("conflict-keep-import-12")!.click();
    await settle();
    expect(q("conflict-keep-confirm")?.textContent).toContain("2 fields that import #12 (customers.xlsx) changed");
    q("conflict-keep-confirm-yes")!.click();
    await settle();
    expect(calls.find(([cmd]) => cmd === "sync_keep_server_values")?.[1]).toEqual({ job: 12 });
    expect(q("conflict-import-12"), "the import has nothing left to decide").toBeNull();
    expect(q("sync-conflict-cf_3"), "another device's conflict stays").not.toBeNull();
  });

  it("opens the profile, and sets profile data only as text", async () => {
    const { opened } = await show([conflict({ label: XSS, kept: { value: JSON.stringify(XSS), by: XSS, device: XSS, at: null } })]);
    expect(document.querySelector("img"), "no markup from profile data").toBeNull();
    q("conflict-open-g1")!.click();
    expect(opened).toEqual([7]);
  });

  it("without profile.edit the decisions are disabled", async () => {
    await show([conflict({ job: 1 })], false);
    expect(q<HTMLButtonElement>("sync-conflict-keep-cf_1")?.disabled).toBe(true);
    expect(q<HTMLButtonElement>("conflict-keep-import-1")?.disabled).toBe(true);
  });

  it("shows 100 profiles at a time", async () => {
    await show(Array.from({ length: 150 }, (_, i) => conflict({ id: `cf_${i}`, gid: `g${i}` })));
    expect(document.querySelectorAll(".conflict-profile").length).toBe(100);
    q("conflict-more")!.click();
    expect(document.querySelectorAll(".conflict-profile").length).toBe(150);
  });
});
