// Dates and times as people read and type them.
//
// One format, the same in both of the UI's languages: dd/mm/yyyy for a date ("05/09/1990") and
// dd/mm/yyyy HH:mm on a 24-hour clock for a moment ("01/05/2024 14:03"), on every screen — the
// list's cells, the detail, its history, the reviews, the audit log, the import report, backups,
// exports — and in every field that takes a date (the profile form, the list's filters, the audit
// log's From/To). Why English reads day first too: the data is Vietnamese, and the core reads a
// typed date day first whatever the UI's language (`parse_date` in crates/normalize; the form and
// the template have always asked for dd/mm/yyyy). A second order for English — the US month
// first, or the ISO yyyy-mm-dd the core sends — would make one value read two ways between what a
// user types and what the app shows. Never the OS's order either: a native <input type="date">
// shows its locale's (mm/dd/yyyy under en-US), so no screen uses one.
//
// The core sends dates as ISO (`yyyy-mm-dd`) and moments as RFC 3339 instants; they are shown in
// local time here. What people type is read as the core reads it (dd/mm/yyyy, d/m/yyyy, with `/`,
// `-` or `.`, or yyyy-mm-dd) and sent on as ISO; a date written the right way that does not exist
// (31/02/1990) is told so, not told its format.
import { common } from "./common";

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as the core sends it (`1990-09-05`) → `05/09/1990`; other text as is. */
export function formatDate(iso: string): string {
  const m = ISO_DAY.exec(iso.trim());
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

const ISO_CELL = /^(\d{4}-\d{2}-\d{2})(?: \d{2}:\d{2}:\d{2})?$/;

/**
 * A workbook's date cell as the core reads it (`1985-07-04`, a date-time cell
 * `1985-07-04 08:30:00`) → `04/07/1985`, what a date field keeps of it (the core ignores the
 * time of day); any other text as is.
 */
export function formatCellDate(cell: string): string {
  const day = ISO_CELL.exec(cell.trim())?.[1];
  return day === undefined ? cell : formatDate(day);
}

/**
 * A moment (RFC 3339) in local time → `01/05/2024 14:03`; a bare calendar date as
 * `formatDate`; unparseable text as is.
 */
export function formatDateTime(iso: string): string {
  if (!iso) return "";
  if (ISO_DAY.test(iso.trim())) return formatDate(iso);
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Why a typed text is no date (the same cases as the core's `DateProblem`). */
export type DateProblem =
  | { kind: "format" }
  | { kind: "month"; month: number }
  | { kind: "day"; month: number; year: number; days: number }
  | { kind: "year" };

export type DateReading = { ok: true; iso: string } | { ok: false; problem: DateProblem };

function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Reads a typed date as the core does: dd/mm/yyyy (also d/m/yyyy, with `-` or `.`) or
 * yyyy-mm-dd; a time after it (a pasted date-time) is ignored. Years 1800–2200.
 */
export function readDate(typed: string): DateReading {
  const value = typed.trim();
  const format: DateReading = { ok: false, problem: { kind: "format" } };
  const space = value.indexOf(" ");
  if (space >= 0) {
    const time = value.slice(space + 1).trim();
    if (time.split(":").length < 2 || !/^[\d:.]+$/.test(time)) return format;
    const day = readDate(value.slice(0, space));
    return day.ok ? day : format;
  }
  const parts = value.split(/[/.-]/);
  if (parts.length !== 3 || !parts.every((p) => /^\d{1,4}$/.test(p))) return format;
  const [a, b, c] = parts as [string, string, string];
  let y: string, mo: string, d: string;
  if (a.length === 4) [y, mo, d] = [a, b, c];
  else if (c.length === 4) [y, mo, d] = [c, b, a];
  else return format;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1800 || year > 2200) return { ok: false, problem: { kind: "year" } };
  if (month < 1 || month > 12) return { ok: false, problem: { kind: "month", month } };
  const days = daysIn(month, year);
  if (day < 1 || day > days) return { ok: false, problem: { kind: "day", month, year, days } };
  return { ok: true, iso: `${y.padStart(4, "0")}-${pad(month)}-${pad(day)}` };
}

/** The sentence for a date that could not be read, naming what was typed. */
export function dateProblemText(typed: string, problem: DateProblem): string {
  const text = typed.trim();
  switch (problem.kind) {
    case "format":
      return common.dateNotWritten(text);
    case "month":
      return common.dateNoSuchMonth(text, problem.month);
    case "day":
      return common.dateNoSuchDay(text, problem.month, problem.year, problem.days);
    case "year":
      return common.dateYear(text);
  }
}

/**
 * A date field's text checked: nothing typed (`iso` and `error` null), the ISO date to send, or
 * why it is no date.
 */
export function checkDate(typed: string): { iso: string | null; error: string | null } {
  if (typed.trim() === "") return { iso: null, error: null };
  const r = readDate(typed);
  return r.ok ? { iso: r.iso, error: null } : { iso: null, error: dateProblemText(typed, r.problem) };
}

/** What a date field shows for a stored or typed value: a readable date as dd/mm/yyyy, else as typed. */
export function dateForInput(value: string): string {
  const r = readDate(value);
  return r.ok ? formatDate(r.iso) : value;
}
