import { describe, expect, it } from "vitest";
import { catalogue } from "../testFixtures";
import { consentFromChoices, gridFromSuggestion, jobDuration, mappableFields, settingsFromGrid, type ConsentChoice } from "./importLogic";

const columns = [
  { index: 0, header: "Email", samples: ["a@x.vn"] },
  { index: 1, header: "", samples: ["x"] },
];

describe("import settings", () => {
  it("builds ImportSettings from the grid and consent choices", () => {
    const grid = gridFromSuggestion(columns, [{ column: 0, target: "emails", reason: "values" }]);
    grid.targets.set(1, "note");
    grid.fillEmptyOnly = true;
    const consent = new Map<string, ConsentChoice>([
      ["email", "granted"],
      ["sms", "unchanged"],
    ]);
    expect(settingsFromGrid(grid, consent), "one mapping per column, unchanged consent left out").toEqual({
      columns,
      mapping: [
        { column: 0, target: "emails", reason: "values" },
        { column: 1, target: "note", reason: "noMatch" },
      ],
      consent: { channels: { email: "granted" } },
      policy: "fillEmptyOnly",
    });
  });

  it("sends noMatch for a column set to Do not import", () => {
    const grid = gridFromSuggestion(columns, [{ column: 0, target: "emails", reason: "sameName" }]);
    grid.targets.set(0, null);
    expect(settingsFromGrid(grid, new Map()).mapping[0], "no target, no reason").toEqual({ column: 0, target: null, reason: "noMatch" });
    expect(settingsFromGrid(grid, new Map()).policy, "overwrite by default").toBe("overwrite");
  });

  it("leaves every unchanged channel out of ConsentInput", () => {
    expect(consentFromChoices(new Map<string, ConsentChoice>([["sms", "unchanged"]])), "empty").toEqual({ channels: {} });
  });

  it("offers only non-system, non-hidden fields", () => {
    const fields = [...catalogue, { ...catalogue[0]!, key: "secret", hidden: true }];
    const keys = mappableFields(fields).map((f) => f.key);
    expect(keys.includes("created_at") || keys.includes("secret"), "system and hidden fields excluded").toBe(false);
    expect(keys[0], "catalogue order").toBe("full_name");
  });

  it("formats durations", () => {
    expect(jobDuration({ startedAt: null, finishedAt: null }), "not started").toBe("—");
    expect(jobDuration({ startedAt: "2024-01-01T00:00:00Z", finishedAt: "2024-01-01T00:00:42Z" }), "seconds").toBe("42 s");
  });
});
