import type { ConsentStatus } from "../ipc/bindings/ConsentStatus";
import type { MatchKey } from "../ipc/bindings/MatchKey";
import type { Source } from "../ipc/bindings/Source";

// Fixed locale: counts are read by tests and compared across machines, and
// the product's users read "1,234" the same way.
const countFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return countFormat.format(n);
}

export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local date and time, "2024-05-01 14:03"; unparseable input is shown as is. */
export function formatDateTime(iso: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

export function sourceLabel(source: Source): string {
  switch (source.kind) {
    case "manual":
      return "Manual";
    case "fileImport":
      return source.jobId === null
        ? `File import: ${source.fileName}`
        : `File import: ${source.fileName} (job ${source.jobId})`;
    case "paste":
      return source.jobId === null ? "Paste" : `Paste (job ${source.jobId})`;
    case "sync":
      return "Sync";
  }
}

export function matchKeyLabel(key: MatchKey): string {
  switch (key) {
    case "phone":
      return "phone";
    case "email":
      return "e-mail";
    case "customerCode":
      return "customer code";
  }
}

export function consentLabel(status: ConsentStatus): string {
  switch (status) {
    case "granted":
      return "Granted";
    case "denied":
      return "Denied";
    case "unknown":
      return "Unknown";
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

/** Timestamps columns (`created_at`, `updated_at`) come as ISO text; show them in local time. */
export function formatCell(key: string, text: string): string {
  return key.endsWith("_at") ? formatDateTime(text) : text;
}

/** A server URL as people say it: its host ("cdp.example.vn", "127.0.0.1:8931"). */
export function serverName(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
