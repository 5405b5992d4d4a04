// Which profiles an export took, in the UI's language, from the export's query itself. The core
// keeps the filter of an export's audit entry as one English sentence (`filter`, from
// `filter::describe` in crates/core/src/filter.rs); when the entry also carries the query —
// `query` (the ListQuery the export ran, as ui/src/ipc/bindings/ListQuery.ts), `selected` (how
// many profiles were picked by hand, when they were) and `names` (the fields' and channels'
// names and kinds when it ran: a field renamed or deleted since still reads as it was) — this
// words it the way the core's sentence does, with the filter builder's own words
// (list/filterModel.ts). Without a query the entry's English sentence is shown as kept.
import type { Condition, ListQuery } from "../ipc";
import { BUILTIN_NAMES_EN } from "../ipc/messages";
import { shownName } from "../ipc/builtinNames";
import { formatDate } from "../i18n/dates";
import { opLabel } from "../list/filterModel";
import { said } from "./messages";

/** The names an entry kept, as the core would write them (every part optional). */
interface Names {
  fields: Record<string, { label?: string; kind?: string }>;
  channels: Record<string, string>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function namesOf(v: unknown): Names {
  const fields: Names["fields"] = {};
  const channels: Names["channels"] = {};
  if (isObject(v) && isObject(v.fields)) {
    for (const [key, f] of Object.entries(v.fields)) {
      if (typeof f === "string") fields[key] = { label: f };
      else if (isObject(f)) fields[key] = { label: typeof f.label === "string" ? f.label : undefined, kind: typeof f.kind === "string" ? f.kind : undefined };
    }
  }
  if (isObject(v) && isObject(v.channels)) {
    for (const [key, label] of Object.entries(v.channels)) if (typeof label === "string") channels[key] = label;
  }
  return { fields, channels };
}

/** A built-in name in the UI's language when `stored` is still the built-in one (or absent). */
function builtin(id: string, stored: string | undefined): string | null {
  const known = Object.prototype.hasOwnProperty.call(BUILTIN_NAMES_EN, id) ? BUILTIN_NAMES_EN[id as keyof typeof BUILTIN_NAMES_EN] : null;
  if (stored !== undefined && stored !== "") return shownName(id, stored);
  return known === null ? null : shownName(id, known);
}

/** Timestamps the core reads as dates (its `builtin_column` Timestamp columns). */
const TIMESTAMPS: ReadonlySet<string> = new Set(["created_at", "updated_at"]);

function fieldCondition(c: Extract<Condition, { kind: "field" }>, names: Names): string {
  const kept = names.fields[c.field];
  const label = builtin(`field:${c.field}`, kept?.label) ?? c.field;
  const date = kept?.kind === "date" || TIMESTAMPS.has(c.field) || (kept?.kind === undefined && /^\d{4}-\d{2}-\d{2}$/.test(c.value.trim()));
  const words = opLabel(c.op, date);
  const value = (v: string): string => {
    const text = v.trim();
    if (date) return formatDate(text);
    // A built-in option (gender "male") reads by its name.
    return builtin(`option:${c.field}:${text}`, undefined) ?? text;
  };
  switch (c.op) {
    case "empty":
    case "notEmpty":
      return said.filterNoValue(label, words);
    case "between":
      return said.filterBetween(label, words, value(c.value), value(c.value2));
    case "lastDays":
      return said.filterLastDays(label, words, c.value.trim());
    default:
      return said.filterValue(label, words, value(c.value));
  }
}

function condition(c: Condition, names: Names): string {
  switch (c.kind) {
    case "field":
      return fieldCondition(c, names);
    case "consent":
      return said.filterConsent(builtin(`channel:${c.channel}`, names.channels[c.channel]) ?? c.channel, said.consentStatus(c.status));
    case "source":
      return said.filterSource(c.source.kind === "job" ? said.sourceJob(c.source.jobId) : said.sourceKind(c.source.kind));
  }
}

function isQuery(v: unknown): v is ListQuery {
  return isObject(v) && typeof v.search === "string" && Array.isArray(v.filter);
}

/**
 * The export's filter in the UI's language, or null when the details carry no query (the
 * caller then shows the core's sentence). Throws on a condition it cannot read (the caller
 * falls back then too).
 */
export function exportFilter(details: unknown): string | null {
  if (!isObject(details) || !isQuery(details.query)) return null;
  const names = namesOf(details.names);
  const parts: string[] = [];
  const search = details.query.search.trim();
  if (search !== "") parts.push(said.filterSearch(search));
  for (const c of details.query.filter) parts.push(condition(c, names));
  const base = parts.length === 0 ? said.allProfiles : parts.join(" · ");
  const selected = details.selected;
  return typeof selected === "number" ? said.selectedOf(selected, base) : base;
}
