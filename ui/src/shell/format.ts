import { formatDate, formatDateTime } from "../i18n/dates";
import { locale } from "../i18n/lang";
import type { ConsentStatus } from "../ipc/bindings/ConsentStatus";
import type { FieldKind } from "../ipc/bindings/FieldKind";
import type { MatchKey } from "../ipc/bindings/MatchKey";
import type { Source } from "../ipc/bindings/Source";
import { m } from "./messages";
import { formatPhoneList } from "./phone";

// The UI language's grouping, not the OS's: "1,234" in English, "1.234" in Vietnamese, the
// same on every machine (tests compare counts across machines).
const countFormats = new Map<string, Intl.NumberFormat>();

export function formatCount(n: number): string {
  const tag = locale();
  let format = countFormats.get(tag);
  if (!format) {
    format = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
    countFormats.set(tag, format);
  }
  return format.format(n);
}

export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

// Dates and times have one format in both languages (dd/mm/yyyy, dd/mm/yyyy HH:mm): see
// i18n/dates.ts. Re-exported here, where the screens have always found them.
export { formatDate, formatDateTime };

export function sourceLabel(source: Source): string {
  switch (source.kind) {
    case "manual":
      return m.sourceManual;
    case "fileImport":
      return source.jobId === null ? m.sourceFile(source.fileName) : m.sourceFileJob(source.fileName, source.jobId);
    case "paste":
      return source.jobId === null ? m.sourcePaste : m.sourcePasteJob(source.jobId);
    case "sync":
      return m.sourceSync;
  }
}

/**
 * A source as the history and consent records keep it — the core's words at the time
 * ("Manual", "File import: khach.xlsx", "Paste", "Sync") — in the UI's language; any other
 * text as kept.
 */
export function storedSourceLabel(text: string): string {
  const file = /^File import: (.+)$/.exec(text);
  if (file?.[1]) return m.sourceFile(file[1]);
  switch (text) {
    case "Manual":
      return m.sourceManual;
    case "Paste":
      return m.sourcePaste;
    case "Sync":
      return m.sourceSync;
    default:
      return text;
  }
}

export function matchKeyLabel(key: MatchKey): string {
  switch (key) {
    case "phone":
      return m.keyPhone;
    case "email":
      return m.keyEmail;
    case "customerCode":
      return m.keyCustomerCode;
  }
}

export function consentLabel(status: ConsentStatus): string {
  switch (status) {
    case "granted":
      return m.consentGranted;
    case "denied":
      return m.consentDenied;
    case "unknown":
      return m.consentUnknown;
  }
}

/** "fieldImport" / "field_import" / "created" → "Field import" / "Created". */
export function humanize(text: string): string {
  const spaced = text
    .replace(/[_-]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/**
 * A field's display text from the core (a list cell, a review's value, a history change) as
 * every screen shows it: phones in one format (shell/phone.ts), dates dd/mm/yyyy, timestamps
 * (`created_at`, `updated_at`) in local time; other text as it came.
 */
export function fieldText(key: string, text: string, kind?: FieldKind): string {
  if (text === "") return text;
  if (key === "phones" || kind === "phones") return formatPhoneList(text);
  if (kind === "date") return formatDate(text);
  if (key.endsWith("_at")) return formatDateTime(text);
  return text;
}

/** A server URL as people say it: its host ("cdp.example.vn", "127.0.0.1:8931"). */
export function serverName(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
