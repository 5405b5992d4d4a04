// Pure pieces of the export flow (no DOM, no IPC): what the dialog sends, and how sizes,
// statuses and e-mail states read.
import { lang } from "../i18n/lang";
import { formatCount } from "../shell/format";
import type { ExportFields, ExportJob, ExportRequest, JobMail, ListQuery } from "../ipc";
import { m } from "./messages";

/** The request for the dialog's choices: the list's query, or only the selected rows. */
export function exportRequest(
  query: ListQuery,
  columns: readonly string[],
  fields: ExportFields,
  selected: readonly number[] | null,
): ExportRequest {
  return { query, fields, columns: [...columns], ids: selected && selected.length > 0 ? [...selected] : null };
}

/** "340 KB", "12.5 MB" (Vietnamese: "12,5 MB"). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatCount(Math.round(bytes / 1024))} KB`;
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return `${lang() === "vi" ? mb.replace(".", ",") : mb} MB`;
}

export function exportStatusLabel(job: ExportJob): string {
  switch (job.status) {
    case "queued":
      return m.statusWaiting;
    case "running":
      return m.statusWriting;
    case "done":
      return m.statusDone;
    case "failed":
      return m.statusFailed;
    case "cancelled":
      return m.statusCancelled;
  }
}

/** Whether result e-mails can go out: a mail server is set up, or not; null while unknown. */
export type MailServer = "configured" | "notConfigured";

/**
 * What the newest result e-mail (of imports and exports) says of the mail server, for users
 * who may not read the mail settings: skipped as not set up — the core checks the server
 * before anything else — or anything else, which got past that check; null with none yet.
 */
export function mailServerFromHistory(mails: readonly JobMail[]): MailServer | null {
  let newest: JobMail | null = null;
  for (const mail of mails) if (!newest || mail.updatedAt > newest.updatedAt) newest = mail;
  if (!newest) return null;
  return newest.reason === "notConfigured" ? "notConfigured" : "configured";
}

/** How a job's e-mail reads next to it ("E-mail sent to lan@…", "E-mail failed: …"). */
export function mailLabel(mail: JobMail | undefined): string {
  if (!mail) return "";
  switch (mail.status) {
    case "sent":
      return m.mailSent(mail.recipient ?? m.mailYou);
    case "failed":
      return m.mailFailed(mail.detail ?? m.mailServerRefused);
    case "skipped":
      return m.mailSkipped(skipReason(mail.reason) ?? mail.detail ?? m.mailNotSetUp);
    case "pending":
      return m.mailPending;
  }
}

/** Why an e-mail was given up before a server was asked, in the UI's language; null where the
 * core's sentence says more (the address and the allowed domains, the keychain's own words) or
 * the reason is one this UI does not know. */
function skipReason(reason: string | null | undefined): string | null {
  switch (reason) {
    case "notConfigured":
      return m.skipNotConfigured;
    case "noAddress":
      return m.skipNoAddress;
    case "jobNotFinished":
      return m.skipJobNotFinished;
    default:
      return null;
  }
}

/** Whether Retry may help: a failure, or a skip whose cause can be fixed (an address, the
 * settings, the keychain) — not a job that never finished. */
export function mailRetryable(mail: JobMail): boolean {
  return mail.status === "failed" || (mail.status === "skipped" && mail.reason !== "jobNotFinished");
}

/** The file name of a job's path (either separator). */
export function baseName(path: string | null): string {
  if (!path) return "";
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}
