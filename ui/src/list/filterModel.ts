// The filter builder's model: the rows a user edits (subject, operator, values) and how they
// become the typed `Condition`s the core compiles. The UI never builds SQL, and the core
// checks every condition again; this only decides which rows are complete enough to send.
import type {
  Condition,
  ConsentChannel,
  ConsentStatus,
  FieldError,
  FilterField,
  FilterOp,
  JobSummary,
  ListQuery,
  SourceFilter,
} from "../ipc";
import { common } from "../i18n/common";
import { checkDate, dateForInput } from "../i18n/dates";
import { fieldErrorText } from "../shell/fieldErrors";
import { m } from "./messages";

/** What a row filters on: a field, a consent channel, or the source. */
export type Subject = { kind: "field"; field: FilterField } | { kind: "consent"; channel: ConsentChannel } | { kind: "source" };

export interface DraftRow {
  /** Stable id for the DOM (rows are added and removed). */
  id: number;
  /** `field:city`, `consent:email` or `source`. */
  subject: string;
  op: FilterOp;
  value: string;
  value2: string;
}

export interface Choice {
  value: string;
  label: string;
}

/** The operator as the builder shows it, in the current language (dates read as before/after). */
export function opLabel(op: FilterOp, dates: boolean): string {
  switch (op) {
    case "is":
      return m.opIs;
    case "isNot":
      return m.opIsNot;
    case "contains":
      return m.opContains;
    case "startsWith":
      return m.opStartsWith;
    case "empty":
      return m.opEmpty;
    case "notEmpty":
      return m.opNotEmpty;
    case "eq":
      return dates ? m.opOnDate : "=";
    case "ne":
      return dates ? m.opNotOnDate : "≠";
    case "lt":
      return dates ? m.opBefore : "<";
    case "gt":
      return dates ? m.opAfter : ">";
    case "between":
      return m.opBetween;
    case "lastDays":
      return m.opLastDays;
    case "has":
      return m.opHas;
    case "hasNot":
      return m.opHasNot;
  }
}

/** How many values an operator takes. */
export function arity(op: FilterOp): 0 | 1 | 2 {
  if (op === "empty" || op === "notEmpty") return 0;
  return op === "between" ? 2 : 1;
}

const CONSENT_VALUES: readonly ConsentStatus[] = ["granted", "denied", "unknown"];

/** The consent statuses a consent row offers, labelled in the current language. */
export function consentChoices(): Choice[] {
  return [
    { value: "granted", label: m.granted },
    { value: "denied", label: m.denied },
    { value: "unknown", label: m.unknown },
  ];
}

/** Yes and no, for a boolean field, labelled in the current language. */
export function booleanChoices(): Choice[] {
  return [
    { value: "yes", label: common.yes },
    { value: "no", label: common.no },
  ];
}

/** The source choices: the four origins, then one per import job (newest first). */
export function sourceChoices(jobs: readonly JobSummary[]): Choice[] {
  return [
    { value: "manual", label: m.sourceManual },
    { value: "file", label: m.sourceFile },
    { value: "paste", label: m.sourcePaste },
    { value: "sync", label: m.sourceSync },
    ...[...jobs]
      .sort((a, b) => b.id - a.id)
      .map((j) => ({ value: `job:${j.id}`, label: m.importJob(j.id, j.fileName) })),
  ];
}

export function sourceFromChoice(value: string): SourceFilter | null {
  switch (value) {
    case "manual":
    case "file":
    case "paste":
    case "sync":
      return { kind: value };
  }
  const m = /^job:(\d+)$/.exec(value);
  return m ? { kind: "job", jobId: Number(m[1]) } : null;
}

export function sourceToChoice(source: SourceFilter): string {
  return source.kind === "job" ? `job:${source.jobId}` : source.kind;
}

/** Every subject the builder offers: filterable fields, then consent per channel, then source. */
export function subjects(fields: readonly FilterField[], channels: readonly ConsentChannel[]): Choice[] {
  return [
    ...fields.filter((f) => f.operators.length > 0).map((f) => ({ value: `field:${f.key}`, label: f.label })),
    ...channels.map((c) => ({ value: `consent:${c.key}`, label: m.consentOf(c.label) })),
    { value: "source", label: m.source },
  ];
}

export function resolveSubject(
  subject: string,
  fields: readonly FilterField[],
  channels: readonly ConsentChannel[],
): Subject | null {
  if (subject === "source") return { kind: "source" };
  const [kind, key] = [subject.slice(0, subject.indexOf(":")), subject.slice(subject.indexOf(":") + 1)];
  if (kind === "field") {
    const field = fields.find((f) => f.key === key);
    return field ? { kind: "field", field } : null;
  }
  if (kind === "consent") {
    const channel = channels.find((c) => c.key === key);
    return channel ? { kind: "consent", channel } : null;
  }
  return null;
}

/** The operators a subject offers (consent and source have only "is"). */
export function operatorsOf(subject: Subject | null): FilterOp[] {
  if (!subject) return [];
  return subject.kind === "field" ? subject.field.operators : ["is"];
}

/** A fresh row for `subject`, with its first operator and a sensible default value. */
export function newRow(id: number, subjectKey: string, subject: Subject | null): DraftRow {
  const op = operatorsOf(subject)[0] ?? "is";
  let value = "";
  if (subject?.kind === "consent") value = "granted";
  if (subject?.kind === "source") value = "manual";
  if (subject?.kind === "field" && (subject.field.kind === "select" || subject.field.kind === "multiSelect")) {
    value = subject.field.options[0]?.value ?? "";
  }
  if (subject?.kind === "field" && subject.field.kind === "boolean") value = "yes";
  return { id, subject: subjectKey, op, value, value2: "" };
}

/** The row as a condition, or null while it is incomplete (a value still to type). */
export function rowCondition(
  row: DraftRow,
  fields: readonly FilterField[],
  channels: readonly ConsentChannel[],
): Condition | null {
  const subject = resolveSubject(row.subject, fields, channels);
  if (!subject) return null;
  if (subject.kind === "consent") {
    if (!CONSENT_VALUES.some((v) => v === row.value)) return null;
    return { kind: "consent", channel: subject.channel.key, status: row.value as ConsentStatus };
  }
  if (subject.kind === "source") {
    const source = sourceFromChoice(row.value);
    return source ? { kind: "source", source } : null;
  }
  const n = arity(row.op);
  if (n >= 1 && row.value.trim() === "") return null;
  if (n === 2 && row.value2.trim() === "") return null;
  let value = n >= 1 ? row.value.trim() : "";
  let value2 = n === 2 ? row.value2.trim() : "";
  if (takesTypedDates(subject.field, row.op)) {
    // Typed dd/mm/yyyy, sent as the ISO date; a date that cannot be read keeps the row out
    // (its problem is shown under it: `dateProblems`).
    const first = checkDate(value).iso;
    const second = n === 2 ? checkDate(value2).iso : "";
    if (first === null || second === null) return null;
    value = first;
    value2 = second;
  }
  return { kind: "field", field: subject.field.key, op: row.op, value, value2 };
}

/** A row whose values are dates typed by the user (not "in the last N days"). */
function takesTypedDates(field: FilterField, op: FilterOp): boolean {
  return field.takesDates && arity(op) > 0 && op !== "lastDays";
}

/**
 * Why the dates typed into complete rows cannot be read, by row id: "“31/02/1990” is not a
 * date: February 1990 has 28 days", in the UI's language.
 */
export function dateProblems(
  rows: readonly DraftRow[],
  fields: readonly FilterField[],
  channels: readonly ConsentChannel[],
): Map<number, string> {
  const out = new Map<number, string>();
  for (const row of rows) {
    const subject = resolveSubject(row.subject, fields, channels);
    if (subject?.kind !== "field" || !takesTypedDates(subject.field, row.op)) continue;
    const typed = arity(row.op) === 2 ? [row.value, row.value2] : [row.value];
    const error = typed.map((t) => checkDate(t).error).find((e) => e !== null);
    if (error) out.set(row.id, error);
  }
  return out;
}

/** The conditions of the complete rows, and for each the id of its row (to place errors). */
export function conditionsOf(
  rows: readonly DraftRow[],
  fields: readonly FilterField[],
  channels: readonly ConsentChannel[],
): { conditions: Condition[]; rowIds: number[] } {
  const conditions: Condition[] = [];
  const rowIds: number[] = [];
  for (const row of rows) {
    const c = rowCondition(row, fields, channels);
    if (c) {
      conditions.push(c);
      rowIds.push(row.id);
    }
  }
  return { conditions, rowIds };
}

/**
 * Rows that show `conditions` (a loaded segment, or "Show profiles" of an import job); dates,
 * however the condition holds them, as the user types them (dd/mm/yyyy).
 */
export function rowsOf(conditions: readonly Condition[], firstId: number, fields: readonly FilterField[] = []): DraftRow[] {
  return conditions.map((c, i) => {
    const id = firstId + i;
    switch (c.kind) {
      case "field": {
        const field = fields.find((f) => f.key === c.field);
        const dates = field !== undefined && takesTypedDates(field, c.op);
        const shown = (v: string): string => (dates ? dateForInput(v) : v);
        return { id, subject: `field:${c.field}`, op: c.op, value: shown(c.value), value2: shown(c.value2) };
      }
      case "consent":
        return { id, subject: `consent:${c.channel}`, op: "is", value: c.status, value2: "" };
      case "source":
        return { id, subject: "source", op: "is", value: sourceToChoice(c.source), value2: "" };
    }
  });
}

/** The core's errors about conditions (`filter.N`), by row id. */
export function errorsByRow(errors: readonly FieldError[], rowIds: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of errors) {
    const m = /^filter\.(\d+)$/.exec(e.field);
    const rowId = m ? rowIds[Number(m[1])] : undefined;
    if (rowId !== undefined && !out.has(rowId)) out.set(rowId, fieldErrorText(e));
  }
  return out;
}

/** The user's time zone as the core wants it: minutes east of UTC. */
export function utcOffsetMinutes(date: Date = new Date()): number {
  const minutes = -date.getTimezoneOffset();
  return minutes === 0 ? 0 : minutes;
}

/** Two queries select the same rows in the same order (time zone aside). */
export function sameQuery(a: ListQuery, b: ListQuery): boolean {
  return (
    a.search.trim() === b.search.trim() &&
    JSON.stringify(a.filter) === JSON.stringify(b.filter) &&
    JSON.stringify(a.sort) === JSON.stringify(b.sort)
  );
}
