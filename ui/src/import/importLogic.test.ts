import { describe, expect, it } from "vitest";
import { catalogue, importCounts, switchboard } from "../testFixtures";
import { setLang } from "../i18n/lang";
import {
  blockingProblems,
  columnTitle,
  columnTitleAt,
  consentFromChoices,
  exampleRowsText,
  gridFromSuggestion,
  guardLines,
  jobDuration,
  mappableFields,
  mappingWarnings,
  settingsFromGrid,
  undoSyncNote,
  sharedKeyLine,
  type ConsentChoice,
} from "./importLogic";

const columns = [
  { index: 0, header: "Email", samples: ["a@x.vn"] },
  { index: 1, header: "", samples: ["x"] },
];

describe("column names", () => {
  it("shows a file's header as it is and a column the source did not name by its number in the UI's language", () => {
    const pasted = [
      { index: 0, header: "Column 1", samples: [], generated: true },
      { index: 1, header: "SĐT", samples: [] },
    ];
    setLang("vi");
    try {
      expect(pasted.map(columnTitle)).toEqual(["Cột 1", "SĐT"]);
      expect(columnTitle(columns[1]!), "a blank header cell").toBe("Cột 2");
      expect(columnTitleAt(pasted, 4), "a column the settings no longer carry").toBe("Cột 5");
    } finally {
      setLang("en");
    }
    expect(pasted.map(columnTitle)).toEqual(["Column 1", "SĐT"]);
  });
});

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

describe("the rule's guards", () => {
  it("sends the shared values to use anyway, sorted, and leaves the field out when there are none", () => {
    const grid = gridFromSuggestion(columns, []);
    expect(settingsFromGrid(grid, new Map(), new Set(["b@x.vn", "+842838221234"])).useSharedKeys, "sorted normalised values").toEqual([
      "+842838221234",
      "b@x.vn",
    ]);
    expect("useSharedKeys" in settingsFromGrid(grid, new Map(), new Set()), "none chosen: the core's default").toBe(false);
  });

  it("tells warnings from blocking problems", () => {
    const problems = [
      { code: "typeMisfits", column: 1, message: "3 of 20 …", warning: true },
      { code: "noIdentification", column: null, message: "Map …", warning: false },
    ];
    expect(blockingProblems(problems).map((p) => p.code), "only the real problem blocks").toEqual(["noIdentification"]);
    expect(mappingWarnings(problems).map((p) => p.code), "the warning apart").toEqual(["typeMisfits"]);
  });

  it("words only the guard counts that acted", () => {
    expect(guardLines(importCounts({ created: 5 })), "no guard acted: nothing to say").toEqual([]);
    expect(
      guardLines(importCounts({ sharedKeyRows: 12, nameDiffers: 3, identifierLimit: 1, blockedValues: 4 })).map((l) => l.text),
      "one sentence per nonzero count, singular and plural",
    ).toEqual([
      "12 rows with a shared value not used for matching",
      "3 sent to review: name differs",
      "1 sent to review: too many phones or e-mails",
      "4 blocked values dropped",
    ]);
    expect(guardLines(importCounts({ sharedKeyRows: 1 }))[0]?.text, "singular").toBe("1 row with a shared value not used for matching");
  });

  it("describes a shared value and its example rows", () => {
    expect(sharedKeyLine(switchboard)).toBe("Shared phone 028 3822 1234 in 42 rows (40 different names) — not used for matching");
    expect(sharedKeyLine({ ...switchboard, key: "email", value: "shop@x.vn", usedAnyway: true })).toBe(
      "Shared e-mail shop@x.vn in 42 rows (40 different names) — used for matching, as chosen",
    );
    expect(exampleRowsText(switchboard), "more rows than examples: an ellipsis").toBe("rows 3, 7, 12 …");
    expect(exampleRowsText({ ...switchboard, rows: 3 }), "all rows listed: no ellipsis").toBe("rows 3, 7, 12");
    expect(exampleRowsText({ ...switchboard, rows: 1, exampleRows: [1204] }), "one row, counted with a separator").toBe("row 1,204");
  });
});

describe("the Undo dialog on a store that syncs", () => {
  const server = "https://cdp.example.vn";
  it("says what is still held here and what already went", () => {
    const held = undoSyncNote(server, { held: 2, sent: 0, heldUntil: null });
    expect(held).toBe(`2 changes of this import are still on this computer: undo takes them back, and ${server} never sees them.`);
    const both = undoSyncNote(server, { held: 1, sent: 3, heldUntil: null });
    expect(both).toContain("1 change of this import is still on this computer");
    expect(both).toContain(`3 changes have already gone to ${server}: the profiles they touched stay as they are`);
  });
  it("falls back to the rule when the job's ops cannot be read", () => {
    expect(undoSyncNote(server, null)).toContain("Profiles already sent there are kept as they are");
    expect(undoSyncNote(server, { held: 0, sent: 0, heldUntil: null })).toContain("undone here only");
  });
});
