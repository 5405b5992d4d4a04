// A mapping problem of the core (MappingProblem: `code`, `params`, `message`) as a sentence in
// the UI's language, worded from its code and params — the import wizard's mapping and check
// steps, and the `mappingUnusable` refusal (reasons.ts), which carries the problem's code and
// params. A built-in field is named as the UI names it ("Họ và tên"); a code this UI has no
// words for, or params it cannot read (another core), show the core's English: never a blank.
// mappingProblems.test.ts reads crates/core/src/mapping.rs for every code.
import type { MappingProblem } from "../ipc";
import { shownName } from "../ipc/builtinNames";
import { formatCount } from "./format";
import { mp } from "./messages";

type Params = Readonly<Partial<Record<string, unknown>>>;

/** A param the sentence needs is missing or not what it should be: the core's message is shown. */
class Unworded extends Error {}

function str(p: Params, name: string): string {
  const v = p[name];
  if (typeof v !== "string") throw new Unworded(name);
  return v;
}

function num(p: Params, name: string): number {
  const v = p[name];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Unworded(name);
  return v;
}

/** “a”, “b”, “c” — values or headers quoted as both languages quote them. */
function quoted(p: Params, name: string): string {
  const v = p[name];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new Unworded(name);
  return v.map((x) => `“${x}”`).join(", ");
}

/** The field's name as the UI shows it: a built-in one's in its language, else as named. */
function field(p: Params): string {
  return shownName(`field:${str(p, "key")}`, str(p, "label"));
}

/** What values of the field's kind look like (`FieldKind`, as the core sends it). */
function kindWords(p: Params): string {
  switch (str(p, "kind")) {
    case "phones":
      return mp.kindPhones;
    case "emails":
      return mp.kindEmails;
    case "date":
      return mp.kindDate;
    case "number":
      return mp.kindNumber;
    case "boolean":
      return mp.kindBoolean;
    case "select":
    case "multiSelect":
      return mp.kindOptions;
    default:
      return mp.kindText;
  }
}

/** What a sentence is made from: the params, and a header as the screen names its column. */
type Sentence = (p: Params, header: (name: string) => string) => string;

const SENTENCES: Readonly<Record<string, Sentence>> = {
  unknownField: (p, header) => mp.unknownField(header(str(p, "header")), str(p, "key")),
  typeMisfits: (p, header) =>
    mp.typeMisfits(
      formatCount(num(p, "sampled") - num(p, "fits")),
      formatCount(num(p, "sampled")),
      header(str(p, "header")),
      field(p),
      kindWords(p),
      quoted(p, "samples"),
    ),
  typeMismatch: (p, header) =>
    mp.typeMismatch(formatCount(num(p, "fits")), formatCount(num(p, "sampled")), header(str(p, "header")), field(p), kindWords(p), quoted(p, "samples")),
  mappedTwice: (p, header) => {
    const headers = p.headers;
    if (!Array.isArray(headers) || !headers.every((x) => typeof x === "string")) throw new Unworded("headers");
    return mp.mappedTwice(field(p), headers.length, quoted({ headers: headers.map(header) }, "headers"));
  },
  identificationUnmapped: () => mp.identificationUnmapped,
  mandatoryUnmapped: (p) => mp.mandatoryUnmapped(field(p)),
};

/** Every code this UI words (the test compares them with the core's). */
export const MAPPING_CODES: readonly string[] = Object.keys(SENTENCES);

/**
 * The problem as a sentence in the UI's language, else the core's English. `header` names a
 * column the sentence quotes as the screen does (importLogic's `headerNamer`: a paste's
 * unnamed "Column 3" in the UI's language).
 */
export function mappingProblemText(
  problem: Pick<MappingProblem, "code" | "message" | "params">,
  header: (name: string) => string = (name) => name,
): string {
  const sentence = Object.prototype.hasOwnProperty.call(SENTENCES, problem.code) ? SENTENCES[problem.code] : undefined;
  if (sentence === undefined) return problem.message;
  try {
    return sentence(problem.params ?? {}, header);
  } catch (e) {
    if (e instanceof Unworded) return problem.message;
    throw e;
  }
}
