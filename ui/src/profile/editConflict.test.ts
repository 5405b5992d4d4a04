import { describe, expect, it } from "vitest";
import { profile } from "../testFixtures";
import { editBase, openedText, resolveConflicts } from "./editConflict";

describe("the base of an edit", () => {
  it("holds the opened text of each sent field, lists as the core joins them", () => {
    const p = profile();
    expect(openedText(p, "phones"), "phones as typed, joined").toBe("0912 345 678, 0987 654 321");
    expect(openedText(p, "company"), "an empty field").toBe("");
    expect(editBase("v1", p, { values: { city: "Vinh", tags: [] } })).toEqual({
      version: "v1",
      values: { city: "Hà Nội", tags: "vip" },
    });
  });

  it("re-bases the fields kept and drops the others", () => {
    const refusal = {
      version: "v2",
      conflicts: [
        { field: "city", label: "City", yours: "Vinh", theirs: "Huế", base: "Hà Nội" },
        { field: "note", label: "Note", yours: "a", theirs: "b", base: "" },
      ],
    };
    const out = resolveConflicts(
      { values: { city: "Vinh", note: "a", company: "X" } },
      { version: "v1", values: { city: "Hà Nội", note: "", company: "" } },
      refusal,
      new Map([
        ["city", "mine"],
        ["note", "theirs"],
      ]),
    );
    expect(out.input.values).toEqual({ city: "Vinh", company: "X" });
    expect(out.base).toEqual({ version: "v2", values: { city: "Huế", company: "" } });
  });
});
