// Every action the core writes into the audit log has a Vietnamese name and a sentence of its
// own (never the raw details): the codes are read from the core's own calls of
// `audit::append` / `append_as`, so a new action without a name or a sentence fails here.
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { m } from "./messages";
import { RENDERED_ACTIONS } from "./summaries";

const CORE = import.meta.glob<string>("../../../crates/core/src/**/*.rs", { query: "?raw", import: "default", eager: true });

/** The top-level arguments of a call's text (what follows its opening parenthesis). */
function args(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quoted) {
      if (c === "\\") current += c + (text[++i] ?? "");
      else {
        if (c === '"') quoted = false;
        current += c;
      }
      continue;
    }
    if (c === '"') quoted = true;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) break;
      depth--;
    } else if (c === "," && depth === 0) {
      out.push(current.trim());
      current = "";
      continue;
    }
    current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/**
 * The action codes the core writes: the fourth argument of each `audit::append` /
 * `append_as` call when it is a literal (a variable's values are literals elsewhere).
 */
function coreActions(): string[] {
  const codes = new Set<string>();
  for (const text of Object.values(CORE)) {
    for (const call of text.matchAll(/audit::append(?:_as)?\(/g)) {
      const action = args(text.slice((call.index ?? 0) + call[0].length))[3] ?? "";
      const code = /^"([a-z_]+(?:\.[a-z_]+)?)"$/.exec(action)?.[1];
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

  it("word every action the core records, in both languages (none is left as raw details)", () => {
    const codes = coreActions();
    expect(codes.length, "the core's actions were read").toBeGreaterThan(30);
    expect(codes.filter((code) => !RENDERED_ACTIONS.includes(code))).toEqual([]);
  });
});
