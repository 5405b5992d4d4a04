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
