import { afterEach, describe, expect, it } from "vitest";

import { lang, setLang } from "./lang";
import { messages, registeredCatalogues, type Catalogue } from "./messages";

// Every folder's catalogue, loaded so the registry holds them all.
const modules = import.meta.glob(["../**/messages.ts", "!./messages.ts", "./common.ts"], { eager: true });

/**
 * Sample arguments for a message function, the same value in every parameter: numbers (0, 1,
 * many), a word, and a String object holding a number (it formats as a number and has the
 * string methods, for messages that take both). A sample may not suit a message's types (a
 * word given for a count); at least one must render, and none may render a hole.
 */
const SAMPLES: readonly unknown[] = [0, 1, 1234, "x", new String("1234")];

function rendered(catalogue: Catalogue, key: string): string[] {
  const message = catalogue[key];
  if (typeof message === "string") return [message];
  if (typeof message !== "function") return [];
  const texts: string[] = [];
  for (const sample of SAMPLES) {
    let text: string;
    try {
      text = message(...Array.from({ length: message.length }, () => sample));
    } catch {
      continue;
    }
    // A word where a count goes reads NaN: that is the sample's fault, not the message's.
    if (sample === "x" && text.includes("NaN")) continue;
    texts.push(text);
  }
  return texts;
}

describe("the catalogue", () => {
  afterEach(() => setLang("en"));

  it("loads every folder's messages", () => {
    expect(Object.keys(modules).length).toBeGreaterThan(0);
    expect(registeredCatalogues().length).toBeGreaterThanOrEqual(Object.keys(modules).length);
  });

  it("has the same keys, kinds and arities in English and Vietnamese, none of them empty", () => {
    for (const { name, texts } of registeredCatalogues()) {
      expect(Object.keys(texts.vi).sort(), name).toEqual(Object.keys(texts.en).sort());
      for (const key of Object.keys(texts.en)) {
        const en = texts.en[key];
        const vi = texts.vi[key];
        expect(typeof vi, `${name}.${key}`).toBe(typeof en);
        if (typeof en === "function" && typeof vi === "function") expect(vi.length, `${name}.${key}`).toBe(en.length);
        const both = [rendered(texts.en, key), rendered(texts.vi, key)];
        for (const list of both) expect(list.length, `${name}.${key} renders`).toBeGreaterThan(0);
        for (const text of both.flat()) {
          expect(typeof text, `${name}.${key}`).toBe("string");
          expect(text.trim(), `${name}.${key}`).not.toBe("");
          expect(text, `${name}.${key}`).not.toMatch(/undefined|NaN|\[object /);
        }
      }
    }
  });

  it("agrees in number in English: 1 row, 2 rows (never 1 rows or 2 row)", () => {
    // Words ending in s that follow a count without being plural nouns ("entry 1 breaks",
    // "Connected to X as Y", a name then "is"/"has", "the cell D17 holds").
    const NOT_NOUNS = new Set(["is", "has", "was", "as", "breaks", "comes", "does", "goes", "holds", "passes", "needs", "keeps", "identifies"]);
    const SINGULAR = /(?<![\d.,])2 (row|profile|change|file|entry|field|conflict|column|problem|warning|character|candidate|review|backup|value|minute|limit|record|user|day|hour|second|item|name|link|error)\b/;
    const wrong: string[] = [];
    for (const { name, texts } of registeredCatalogues()) {
      for (const [key, message] of Object.entries(texts.en)) {
        if (typeof message !== "function") continue;
        for (const n of [1, 2]) {
          let text: string;
          try {
            text = message(...Array.from({ length: message.length }, () => n));
          } catch {
            continue;
          }
          const plurals = [...text.matchAll(/(?<![\d.,])1 ([a-z]+s)\b/g)].filter((hit) => !NOT_NOUNS.has(hit[1] ?? ""));
          if (n === 1 && plurals.length > 0) wrong.push(`${name}.${key}: ${text}`);
          if (n === 2 && SINGULAR.test(text)) wrong.push(`${name}.${key}: ${text}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("answers the current language's text at each read", () => {
    const m = messages("test-live", { hello: "Hello", rows: (n: number) => `${n} rows` }, { hello: "Xin chào", rows: (n: number) => `${n} dòng` });
    expect(m.hello).toBe("Hello");
    setLang("vi");
    expect(lang()).toBe("vi");
    expect(m.hello).toBe("Xin chào");
    expect(m.rows(3)).toBe("3 dòng");
  });

  it("refuses a catalogue name used twice", () => {
    messages("test-twice", { a: "A" }, { a: "Á" });
    expect(() => messages("test-twice", { a: "A" }, { a: "Á" })).toThrow(/twice/);
  });
});
