import { describe, expect, it } from "vitest";
import type { JobSummary } from "../ipc";
import { channels, filterFieldList as fields } from "../testFixtures";
import {
  conditionsOf,
  dateProblems,
  errorsByRow,
  newRow,
  opLabel,
  resolveSubject,
  rowsOf,
  sameQuery,
  sourceChoices,
  subjects,
  utcOffsetMinutes,
  type DraftRow,
} from "./filterModel";

const row = (id: number, subject: string, op: DraftRow["op"], value = "", value2 = ""): DraftRow => ({ id, subject, op, value, value2 });

describe("filter model", () => {
  it("offers fields with operators, then consent per channel, then source", () => {
    const s = subjects(fields, channels).map((c) => c.value);
    expect(s.slice(0, 5), "fields the core gave operators for").toEqual(["field:full_name", "field:phones", "field:gender", "field:birthday", "field:city"]);
    expect(s, "the source field has no operators: it is the Source subject instead").not.toContain("field:source");
    expect(s.slice(-4), "consent channels and source").toEqual(["consent:email", "consent:sms", "consent:phone_call", "source"]);
  });

  it("sends only complete rows, trimmed", () => {
    const rows = [
      row(1, "field:city", "is", "  Hà Nội "),
      row(2, "field:full_name", "contains", ""),
      row(3, "field:birthday", "between", "01/01/1990", ""),
      row(4, "field:phones", "empty"),
      row(5, "consent:email", "is", "denied"),
      row(6, "source", "is", "job:12"),
      row(7, "field:birthday", "lt", " 31/02/1990"),
      row(8, "field:birthday", "between", "1/1/1990", "1990-12-31"),
      row(9, "field:birthday", "lastDays", "30"),
    ];
    const { conditions, rowIds } = conditionsOf(rows, fields, channels);
    expect(rowIds, "rows 2 and 3 wait for their values; row 7's date cannot be read").toEqual([1, 4, 5, 6, 8, 9]);
    expect(conditions).toEqual([
      { kind: "field", field: "city", op: "is", value: "Hà Nội", value2: "" },
      { kind: "field", field: "phones", op: "empty", value: "", value2: "" },
      { kind: "consent", channel: "email", status: "denied" },
      { kind: "source", source: { kind: "job", jobId: 12 } },
      { kind: "field", field: "birthday", op: "between", value: "1990-01-01", value2: "1990-12-31" },
      { kind: "field", field: "birthday", op: "lastDays", value: "30", value2: "" },
    ]);
    expect([...dateProblems(rows, fields, channels)], "the unreadable date, told on its row").toEqual([
      [7, "“31/02/1990” is not a date: February 1990 has 28 days"],
    ]);
  });

  it("shows a condition's ISO dates dd/mm/yyyy in its row (a saved segment)", () => {
    const back = rowsOf(
      [
        { kind: "field", field: "birthday", op: "between", value: "1990-01-01", value2: "1990-12-31" },
        { kind: "field", field: "birthday", op: "lastDays", value: "30", value2: "" },
        { kind: "field", field: "city", op: "is", value: "2024-01-01", value2: "" },
      ],
      1,
      fields,
    );
    expect(back.map((r) => [r.value, r.value2])).toEqual([
      ["01/01/1990", "31/12/1990"],
      ["30", ""],
      ["2024-01-01", ""],
    ]);
  });

  it("puts the core's errors on the row of the condition they name", () => {
    const errors = errorsByRow(
      [
        { field: "filter.1", code: "invalidDate", message: "Birthday: “31/02” is not a date" },
        { field: "name", code: "x", message: "not about a condition" },
      ],
      [7, 9],
    );
    expect([...errors], "filter.1 is the second sent condition, row 9").toEqual([[9, "Birthday: “31/02” is not a date"]]);
  });

  it("round-trips conditions through rows (a loaded segment)", () => {
    const conditions = conditionsOf(
      [row(1, "field:gender", "is", "female"), row(2, "consent:sms", "is", "granted"), row(3, "source", "is", "manual")],
      fields,
      channels,
    ).conditions;
    const back = rowsOf(conditions, 10);
    expect(conditionsOf(back, fields, channels).conditions, "same conditions again").toEqual(conditions);
    expect(back.map((r) => r.id), "fresh row ids").toEqual([10, 11, 12]);
  });

  it("starts new rows with a sensible value and labels date operators as dates", () => {
    expect(newRow(1, "field:gender", resolveSubject("field:gender", fields, channels)).value, "first option").toBe("male");
    expect(newRow(1, "consent:email", resolveSubject("consent:email", fields, channels)).value).toBe("granted");
    expect(opLabel("lt", true), "dates read as before").toBe("is before");
    expect(opLabel("lt", false)).toBe("<");
  });

  it("lists import jobs as sources, newest first", () => {
    const job = (id: number, fileName: string) => ({ id, fileName }) as JobSummary;
    const choices = sourceChoices([job(3, "a.xlsx"), job(9, "b.xlsx")]);
    expect(choices.slice(4).map((c) => c.label)).toEqual(["Import job 9: b.xlsx", "Import job 3: a.xlsx"]);
  });

  it("compares queries without the time zone and sends minutes east of UTC", () => {
    const base = { search: "an", filter: [], sort: null, utcOffsetMinutes: 0 };
    expect(sameQuery(base, { ...base, utcOffsetMinutes: 420 }), "the zone does not change the selection").toBe(true);
    expect(sameQuery(base, { ...base, sort: { field: "city", descending: false } })).toBe(false);
    const hanoi = { getTimezoneOffset: () => -420 } as Date;
    expect(utcOffsetMinutes(hanoi), "UTC+7").toBe(420);
  });
});
