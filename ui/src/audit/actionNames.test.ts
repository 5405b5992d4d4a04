// Every action the core writes into the audit log has a Vietnamese name: the codes are read
// from the core's own calls of `audit::append` / `append_as`, so a new action without a name
// fails here.
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { m } from "./messages";

const CORE = import.meta.glob<string>("../../../crates/core/src/**/*.rs", { query: "?raw", import: "default", eager: true });

/** The action codes written by the core: the first `"area.action"` literal of each append. */
function coreActions(): string[] {
  const codes = new Set<string>();
  for (const text of Object.values(CORE)) {
    for (const call of text.matchAll(/audit::append(?:_as)?\(([\s\S]{0,400}?)\)\?;/g)) {
      const code = /"([a-z]+\.[a-z_]+)"/.exec(call[1] ?? "")?.[1];
      if (code) codes.add(code);
    }
  }
  return [...codes].sort();
}

afterEach(() => setLang("en"));

describe("the audit log's action names", () => {
  it("name every action the core records in Vietnamese", () => {
    const codes = coreActions();
    expect(codes.length, "the core's actions were read").toBeGreaterThan(30);
    // Without a name, Vietnamese falls back to the English words of the code.
    const english = new Map(codes.map((code) => [code, m.actionName(code)]));
    setLang("vi");
    expect(codes.filter((code) => m.actionName(code) === english.get(code))).toEqual([]);
  });
});
