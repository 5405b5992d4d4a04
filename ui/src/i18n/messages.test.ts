import { afterEach, describe, expect, it } from "vitest";

import { lang, setLang } from "./lang";
import { messages, registeredCatalogues, type Catalogue } from "./messages";

// Every folder's catalogue, loaded so the registry holds them all.
const modules = import.meta.glob(["../**/messages.ts", "!./messages.ts", "./common.ts"], { eager: true });

/** Sample arguments for a message function: numbers for 0, 1 and many, text otherwise. */
function samples(fn: (...args: unknown[]) => string): unknown[][] {
  const arity = fn.length;
  const values: unknown[] = [0, 1, 1234, "x"];
  return values.map((v) => Array.from({ length: arity }, () => v));
}

function rendered(catalogue: Catalogue, key: string): string[] {
  const message = catalogue[key];
  if (typeof message === "string") return [message];
  if (typeof message !== "function") return [];
  return samples(message as (...args: unknown[]) => string).map((args) => message(...args));
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
        for (const text of [...rendered(texts.en, key), ...rendered(texts.vi, key)]) {
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
