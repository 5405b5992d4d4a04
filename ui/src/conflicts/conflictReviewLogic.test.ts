import { describe, expect, it } from "vitest";
import { conflict } from "./conflictFixtures";
import { byImport, byProfile, conflictValue, keepServerText, sideOrigin } from "./conflictReviewLogic";

describe("conflict review logic", () => {
  it("shows a conflict's values as text", () => {
    expect(conflictValue('"Hà Nội"')).toBe("Hà Nội");
    expect(conflictValue("null")).toBe("(empty)");
    expect(conflictValue('["a","b"]')).toBe('["a","b"]');
    expect(conflictValue("not json")).toBe("not json");
  });

  it("says who set a value, where and when; this computer's side names it", () => {
    const c = conflict();
    expect(sideOrigin(c.kept, false)).toMatch(/^lan · Lan's laptop · \S/);
    expect(sideOrigin(c.lost, true)).toMatch(/^an · this computer · /);
    expect(sideOrigin({ value: "null", by: null, device: null, at: null }, false)).toBe("");
  });

  it("groups the open conflicts by profile, decided ones left out", () => {
    const groups = byProfile([
      conflict(),
      conflict({ id: "cf_2", field: "company" }),
      conflict({ id: "cf_3", gid: "g2", profileId: null, label: null }),
      conflict({ id: "cf_4", gid: "g3", open: false }),
    ]);
    expect(groups.map((g) => [g.gid, g.conflicts.length])).toEqual([
      ["g1", 2],
      ["g2", 1],
    ]);
    expect(groups[1]?.label).toBe("A profile not on this computer");
  });

  it("offers the bulk decision per import, for conflicts with this computer's side only", () => {
    const imports = byImport([
      conflict({ job: 12, jobFile: "customers.xlsx" }),
      conflict({ id: "cf_2", job: 12, jobFile: "customers.xlsx", ours: "kept" }),
      conflict({ id: "cf_3", job: 3, jobFile: null }),
      conflict({ id: "cf_4", job: 12, ours: null }),
      conflict({ id: "cf_5", job: 12, open: false }),
    ]);
    expect(imports).toEqual([
      { job: 3, file: null, count: 1 },
      { job: 12, file: "customers.xlsx", count: 2 },
    ]);
    expect(keepServerText(imports[1]!)).toMatch(/^2 fields that import #12 \(customers\.xlsx\) changed/);
  });
});
