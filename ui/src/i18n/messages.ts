// The catalogue: every string a user can read is a message here, in English and in
// Vietnamese. Each screen folder keeps its own `messages.ts` (so screens are translated
// next to the code that shows them) built with `messages()`, which
// - makes the Vietnamese half name exactly the English half's keys (a missing or extra key
//   is a type error, and messages.test.ts checks it again at run time), and
// - answers, for each key, the string (or the function building it from its parameters)
//   of the current language, read when the screen renders.
// Sentences with numbers or names are functions, so word order stays the translator's.

import { lang, type Lang } from "./lang";

/** A message: plain text, or a function from its parameters to the text. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each message has its own parameters
export type Message = string | ((...args: any[]) => string);
export type Catalogue = Record<string, Message>;

interface Registered {
  readonly name: string;
  readonly texts: Readonly<Record<Lang, Catalogue>>;
}

const registry: Registered[] = [];

/** Every catalogue built so far, for the tests that compare the languages. */
export function registeredCatalogues(): readonly Registered[] {
  return registry;
}

/**
 * A folder's catalogue: `en` and `vi` hold the same keys, each with the same parameters.
 * The answer reads the current language at each access: `m.save`, `m.rows(3)`.
 */
export function messages<T extends Catalogue>(name: string, en: T, vi: { [K in keyof T]: T[K] }): T {
  if (registry.some((r) => r.name === name)) throw new Error(`catalogue ${name} is defined twice`);
  const texts: Record<Lang, Catalogue> = { en, vi };
  registry.push({ name, texts });
  const live = {} as T;
  for (const key of Object.keys(en)) {
    Object.defineProperty(live, key, { enumerable: true, get: () => texts[lang()][key] });
  }
  return Object.freeze(live);
}
