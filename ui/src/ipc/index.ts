// The one module that talks to the Rust core. Everything else imports these
// typed functions, so command names and argument shapes live in one place.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { AppInfo } from "./bindings/AppInfo";
import type { ConsentChannel } from "./bindings/ConsentChannel";
import type { ConsentInput } from "./bindings/ConsentInput";
import type { DeletePreview } from "./bindings/DeletePreview";
import type { DeleteResult } from "./bindings/DeleteResult";
import type { FieldDef } from "./bindings/FieldDef";
import type { FieldError } from "./bindings/FieldError";
import type { IdentifierOwner } from "./bindings/IdentifierOwner";
import type { ListQuery } from "./bindings/ListQuery";
import type { ColumnMapping } from "./bindings/ColumnMapping";
import type { DryRun } from "./bindings/DryRun";
import type { ImportSettings } from "./bindings/ImportSettings";
import type { JobSummary } from "./bindings/JobSummary";
import type { MappingProblem } from "./bindings/MappingProblem";
import type { ProfileCounts } from "./bindings/ProfileCounts";
import type { SourceColumn } from "./bindings/SourceColumn";
import type { ProfileDetail } from "./bindings/ProfileDetail";
import type { ProfileInput } from "./bindings/ProfileInput";
import type { ProfilePage } from "./bindings/ProfilePage";
import type { SaveResult } from "./bindings/SaveResult";
import type { Session } from "./bindings/Session";
import type { FilterField } from "./bindings/FilterField";
import type { Segment } from "./bindings/Segment";
import type { AutoBackupStatus } from "./bindings/AutoBackupStatus";
import type { BackupOverview } from "./bindings/BackupOverview";
import type { BackupReport } from "./bindings/BackupReport";
import type { BackupSettings } from "./bindings/BackupSettings";
import type { LicenceNotices } from "./bindings/LicenceNotices";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { StartupStatus } from "./bindings/StartupStatus";
import type { ExportJob } from "./bindings/ExportJob";
import type { ExportPlan } from "./bindings/ExportPlan";
import type { ExportProgress } from "./bindings/ExportProgress";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { JobKind } from "./bindings/JobKind";
import type { JobMail } from "./bindings/JobMail";
import type { MailSettings } from "./bindings/MailSettings";
import type { MailSettingsInput } from "./bindings/MailSettingsInput";
import type { MailSettingsSaved } from "./bindings/MailSettingsSaved";

export type { AppInfo } from "./bindings/AppInfo";
export * from "./admin";
export * from "./audit";
export * from "./session";
export * from "./review";
export type { ConsentChannel } from "./bindings/ConsentChannel";
export type { ConsentInput } from "./bindings/ConsentInput";
export type { ConsentRecord } from "./bindings/ConsentRecord";
export type { ConsentStatus } from "./bindings/ConsentStatus";
export type { DeletePreview } from "./bindings/DeletePreview";
export type { DeleteResult } from "./bindings/DeleteResult";
export type { FieldChange } from "./bindings/FieldChange";
export type { FieldDef } from "./bindings/FieldDef";
export type { FieldError } from "./bindings/FieldError";
export type { FieldKind } from "./bindings/FieldKind";
export type { HistoryEntry } from "./bindings/HistoryEntry";
export type { IdentifierOwner } from "./bindings/IdentifierOwner";
export type { InputValue } from "./bindings/InputValue";
export type { LinkedObject } from "./bindings/LinkedObject";
export type { LinkedObjects } from "./bindings/LinkedObjects";
export type { ListQuery } from "./bindings/ListQuery";
export type { MatchCandidate } from "./bindings/MatchCandidate";
export type { MatchKey } from "./bindings/MatchKey";
export type { PhoneValue } from "./bindings/PhoneValue";
export type { Profile } from "./bindings/Profile";
export type { ProfileCounts } from "./bindings/ProfileCounts";
export type { ProfileDetail } from "./bindings/ProfileDetail";
export type { ProfileInput } from "./bindings/ProfileInput";
export type { ProfilePage } from "./bindings/ProfilePage";
export type { ProfileRow } from "./bindings/ProfileRow";
export type { SaveOutcome } from "./bindings/SaveOutcome";
export type { SaveResult } from "./bindings/SaveResult";
export type { SelectOption } from "./bindings/SelectOption";
export type { Session } from "./bindings/Session";
export type { Source } from "./bindings/Source";
export type { ColumnMapping } from "./bindings/ColumnMapping";
export type { DryRun } from "./bindings/DryRun";
export type { ImportCounts } from "./bindings/ImportCounts";
export type { ImportSettings } from "./bindings/ImportSettings";
export type { JobStatus } from "./bindings/JobStatus";
export type { JobSummary } from "./bindings/JobSummary";
export type { MappingProblem } from "./bindings/MappingProblem";
export type { MergePolicy } from "./bindings/MergePolicy";
export type { RowError } from "./bindings/RowError";
export type { SourceColumn } from "./bindings/SourceColumn";
export type { SuggestionReason } from "./bindings/SuggestionReason";
export type { Condition } from "./bindings/Condition";
export type { FilterField } from "./bindings/FilterField";
export type { FilterOp } from "./bindings/FilterOp";
export type { ListSort } from "./bindings/ListSort";
export type { Segment } from "./bindings/Segment";
export type { SourceFilter } from "./bindings/SourceFilter";
export type { AutoBackupStatus } from "./bindings/AutoBackupStatus";
export type { BackupEntry } from "./bindings/BackupEntry";
export type { BackupKind } from "./bindings/BackupKind";
export type { BackupOverview } from "./bindings/BackupOverview";
export type { BackupReport } from "./bindings/BackupReport";
export type { BackupSettings } from "./bindings/BackupSettings";
export type { DamageReport } from "./bindings/DamageReport";
export type { LicenceNotices } from "./bindings/LicenceNotices";
export type { LicenceText } from "./bindings/LicenceText";
export type { PackageNotice } from "./bindings/PackageNotice";
export type { RestoreReport } from "./bindings/RestoreReport";
export type { StartupStatus } from "./bindings/StartupStatus";
export type { ExportFields } from "./bindings/ExportFields";
export type { ExportJob } from "./bindings/ExportJob";
export type { ExportPlan } from "./bindings/ExportPlan";
export type { ExportProgress } from "./bindings/ExportProgress";
export type { ExportRequest } from "./bindings/ExportRequest";
export type { ExportStatus } from "./bindings/ExportStatus";
export type { JobKind } from "./bindings/JobKind";
export type { JobMail } from "./bindings/JobMail";
export type { KeychainStatus } from "./bindings/KeychainStatus";
export type { MailSettings } from "./bindings/MailSettings";
export type { MailSettingsInput } from "./bindings/MailSettingsInput";
export type { MailSettingsSaved } from "./bindings/MailSettingsSaved";
export type { MailStatus } from "./bindings/MailStatus";
export type { SmtpSecurity } from "./bindings/SmtpSecurity";

// Declared here until the core's bindings generate them (same shapes as the
// Rust `ImportPreview` / `ImportSourceArg`); switch to ./bindings when they exist.
/** A file or paste read for the mapping grid: columns with samples and the suggested mapping. */
export type ImportPreview = {
  fileName: string;
  path: string | null;
  columns: SourceColumn[];
  totalRows: number;
  mapping: ColumnMapping[];
  problems: MappingProblem[];
};
/** What to import: a file on disk or pasted text. */
export type ImportSourceArg = { kind: "file"; path: string } | { kind: "paste"; text: string };
/** Payload of the `import-progress` event. */
export type ImportProgress = { jobId: number; rowsDone: number; totalRows: number };

export const IPC_ERROR_CODES = [
  "validation",
  "permission",
  "notFound",
  "limit",
  "conflict",
  "internal",
  "schema",
  "importRefused",
  "auth",
  "locked",
  "signedOut",
  "backup",
  "damaged",
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

function isErrorCode(code: string): code is IpcErrorCode {
  return (IPC_ERROR_CODES as readonly string[]).includes(code);
}

/**
 * A command's failure as the core reported it. The UI branches on `code`
 * only: messages are for people and may change wording.
 */
export class IpcError extends Error {
  override readonly name = "IpcError";
  readonly code: IpcErrorCode;
  readonly details: unknown;

  constructor(code: IpcErrorCode, message: string, details: unknown = null) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** Wraps whatever `invoke` rejected with into an IpcError. */
  static from(raw: unknown): IpcError {
    if (raw instanceof IpcError) return raw;
    if (typeof raw === "object" && raw !== null) {
      const obj = raw as Record<string, unknown>;
      if (typeof obj.code === "string" && typeof obj.message === "string") {
        if (isErrorCode(obj.code)) return new IpcError(obj.code, obj.message, obj.details ?? null);
        // A code this UI does not know yet (a newer core): keep the message
        // and the original code, handle it as an internal failure.
        return new IpcError("internal", obj.message, { code: obj.code, details: obj.details ?? null });
      }
    }
    if (raw instanceof Error) return new IpcError("internal", raw.message, null);
    // Tauri itself rejects with a plain string when a command is missing or
    // its arguments do not deserialise.
    if (typeof raw === "string") return new IpcError("internal", raw, null);
    return new IpcError("internal", "Unexpected error from the application core.", raw ?? null);
  }

  /** The per-field errors of a `validation` failure (empty otherwise). */
  get fieldErrors(): FieldError[] {
    if (this.code !== "validation" || !Array.isArray(this.details)) return [];
    return this.details.filter(isFieldError);
  }

  /** The permission a `permission` failure names, if any. */
  get missingPermission(): string | null {
    if (this.code !== "permission") return null;
    const d = this.details as { permission?: unknown } | null;
    return d && typeof d.permission === "string" ? d.permission : null;
  }
}

/** Why the core refused an import file: the rule's code and, for `severalSheets`, the sheet names. */
export function importRefusal(err: unknown): { refusal: string; sheets: string[] } | null {
  if (!(err instanceof IpcError) || err.code !== "importRefused") return null;
  const d = (err.details ?? {}) as { refusal?: unknown; sheets?: unknown };
  const refusal = typeof d.refusal === "string" ? d.refusal : "unknown";
  const sheets = Array.isArray(d.sheets) ? d.sheets.filter((x): x is string => typeof x === "string") : [];
  return { refusal, sheets };
}

function isFieldError(x: unknown): x is FieldError {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.field === "string" && typeof o.message === "string";
}

/** Invokes a command; failures become IpcError (for the other modules of ui/src/ipc). */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    const err = IpcError.from(raw);
    if (err.code === "locked" || err.code === "signedOut") sessionLost?.(err.code);
    throw err;
  }
}

let sessionLost: ((code: "locked" | "signedOut") => void) | null = null;

/**
 * Tells the shell when a command was refused because the session is locked
 * (idle) or nobody is signed in, so it can show the lock or sign-in screen.
 */
export function onSessionLost(handler: ((code: "locked" | "signedOut") => void) | null): void {
  sessionLost = handler;
}

export function session(): Promise<Session> {
  return call("session");
}

export function appInfo(): Promise<AppInfo> {
  return call("app_info");
}

export function fieldCatalogue(): Promise<FieldDef[]> {
  return call("field_catalogue");
}

export function consentChannels(): Promise<ConsentChannel[]> {
  return call("consent_channels");
}

export function listColumns(): Promise<string[]> {
  return call("list_columns");
}

export function setListColumns(columns: string[]): Promise<string[]> {
  return call("set_list_columns", { columns });
}

export function countProfiles(query: ListQuery): Promise<ProfileCounts> {
  return call("count_profiles", { query });
}

export function listProfiles(
  query: ListQuery,
  offset: number,
  limit: number,
  columns: string[],
): Promise<ProfilePage> {
  return call("list_profiles", { query, offset, limit, columns });
}

export function getProfile(id: number): Promise<ProfileDetail> {
  return call("get_profile", { id });
}

export function validateProfile(input: ProfileInput, forCreate: boolean): Promise<FieldError[]> {
  return call("validate_profile", { input, forCreate });
}

export function findIdentifierOwner(
  kind: "phone" | "email",
  value: string,
  excludeId: number | null,
): Promise<IdentifierOwner | null> {
  return call("find_identifier_owner", { kind, value, excludeId });
}

export function createProfile(input: ProfileInput, consent: ConsentInput): Promise<SaveResult> {
  return call("create_profile", { input, consent });
}

export function updateProfile(
  id: number,
  input: ProfileInput,
  consent: ConsentInput,
): Promise<ProfileDetail> {
  return call("update_profile", { id, input, consent });
}

/** What deleting `ids` would remove: profiles and linked objects per kind. */
export function deletePreview(ids: readonly number[]): Promise<DeletePreview> {
  return call("delete_preview", { ids });
}

/** Deletes `ids` (at most 100) for `reason`; irreversible, audited by the core. */
export function deleteProfiles(ids: readonly number[], reason: string): Promise<DeleteResult> {
  return call("delete_profiles", { ids, reason });
}

// ---- import (SPEC 4.1, 4.2) ------------------------------------------------

/** The native file dialog (Rust side); [] when the user cancelled. */
export function pickImportFiles(): Promise<string[]> {
  return call("pick_import_files");
}

/** Reads a chosen file's header and samples; refusals come as `importRefused`. */
export function inspectImportFile(path: string): Promise<ImportPreview> {
  return call("inspect_import_file", { path });
}

/** Splits a several-sheet workbook into one .xlsx per sheet next to it; returns the new paths. */
export function splitImportFile(path: string): Promise<string[]> {
  return call("split_import_file", { path });
}

export function readClipboard(): Promise<string> {
  return call("read_clipboard");
}

/** Reads pasted text (tab-separated, no header); over 1,000 rows is a `limit` error. */
export function inspectPaste(text: string): Promise<ImportPreview> {
  return call("inspect_paste", { text });
}

export function checkImportMapping(columns: SourceColumn[], mapping: ColumnMapping[]): Promise<MappingProblem[]> {
  return call("check_import_mapping", { columns, mapping });
}

export function dryRunImport(source: ImportSourceArg, settings: ImportSettings): Promise<DryRun> {
  return call("dry_run_import", { source, settings });
}

/** Queues the import; the job runs in the background and reports through events. */
export function confirmImport(source: ImportSourceArg, settings: ImportSettings): Promise<JobSummary> {
  return call("confirm_import", { source, settings });
}

export function cancelImport(jobId: number): Promise<null> {
  return call("cancel_import", { jobId });
}

export function importJobs(): Promise<JobSummary[]> {
  return call("import_jobs");
}

export function undoImport(jobId: number): Promise<JobSummary> {
  return call("undo_import", { jobId });
}

/** Saves the failed rows as .xlsx (native save dialog); null when the user cancelled. */
export function saveFailedRows(jobId: number): Promise<string | null> {
  return call("save_failed_rows", { jobId });
}

export function onImportProgress(handler: (p: ImportProgress) => void): Promise<UnlistenFn> {
  return listen<ImportProgress>("import-progress", (e) => handler(e.payload));
}

export function onImportFinished(handler: (job: JobSummary) => void): Promise<UnlistenFn> {
  return listen<JobSummary>("import-finished", (e) => handler(e.payload));
}

/** Files are dragged over the window (`over`), or no longer. */
export interface ImportDrag {
  over: boolean;
  files: number;
}

export function onImportDrag(handler: (drag: ImportDrag) => void): Promise<UnlistenFn> {
  return listen<ImportDrag>("import-drag", (e) => handler(e.payload));
}

/** Files dropped on the window; the shell has granted them to the import commands. */
export function onImportFilesDropped(handler: (paths: string[]) => void): Promise<UnlistenFn> {
  return listen<{ paths: string[] }>("import-files-dropped", (e) => handler(e.payload.paths));
}

// ---- filters and segments (SPEC 2) -------------------------------------------

/** The fields the filter builder offers, with their operators (decided by the core). */
export function filterFields(): Promise<FilterField[]> {
  return call("filter_fields");
}

export function segments(): Promise<Segment[]> {
  return call("segments");
}

export function createSegment(name: string, query: ListQuery, columns: string[]): Promise<Segment> {
  return call("create_segment", { name, query, columns });
}

export function updateSegment(id: number, query: ListQuery, columns: string[]): Promise<Segment> {
  return call("update_segment", { id, query, columns });
}

export function renameSegment(id: number, name: string): Promise<Segment> {
  return call("rename_segment", { id, name });
}

export function deleteSegment(id: number): Promise<null> {
  return call("delete_segment", { id });
}

// ---- start-up, backup and restore, About ---------------------------------------

/** Waits for the database's start-up check: ready (with a one-time notice) or damaged. */
export function startupStatus(): Promise<StartupStatus> {
  return call("startup_status");
}

export function backupOverview(): Promise<BackupOverview> {
  return call("backup_overview");
}

export function setBackupSettings(settings: BackupSettings): Promise<BackupOverview> {
  return call("set_backup_settings", { settings });
}

/** Writes and verifies a backup now (may take a while on a large store). */
export function backUpNow(): Promise<BackupReport> {
  return call("back_up_now");
}

/** Restores a backup into the running app's database (the current data is backed up first). */
export function restoreBackup(path: string): Promise<RestoreReport> {
  return call("restore_backup", { path });
}

/** Replaces a damaged database with a backup (the damaged file is kept for support). */
export function recoverFromBackup(path: string): Promise<RestoreReport> {
  return call("recover_from_backup", { path });
}

/** The native open dialog for a backup file; null when cancelled. */
export function pickBackupFile(folder: string | null): Promise<string | null> {
  return call("pick_backup_file", { folder });
}

/** The native folder dialog; null when cancelled. */
export function pickBackupFolder(folder: string | null): Promise<string | null> {
  return call("pick_backup_folder", { folder });
}

export function licenceNotices(): Promise<LicenceNotices> {
  return call("licence_notices");
}

/** Opens demo mode (generated profiles in a separate database) in a second window. */
export function openDemo(): Promise<null> {
  return call("open_demo");
}

export function onAutoBackupFinished(handler: (status: AutoBackupStatus) => void): Promise<UnlistenFn> {
  return listen<AutoBackupStatus>("auto-backup-finished", (e) => handler(e.payload));
}

// ---- export (SPEC 4.3) --------------------------------------------------------

/** How many rows an export writes, its columns, and whether it runs in the background. */
export function exportPlan(request: ExportRequest): Promise<ExportPlan> {
  return call("export_plan", { request });
}

/** Up to the direct limit: the native save dialog, then the file; null when cancelled. */
export function exportNow(request: ExportRequest): Promise<ExportJob | null> {
  return call("export_now", { request });
}

/** Over the direct limit: a background export (export-progress / export-finished follow). */
export function startExport(request: ExportRequest): Promise<ExportJob> {
  return call("start_export", { request });
}

export function exportJobs(): Promise<ExportJob[]> {
  return call("export_jobs");
}

export function cancelExport(id: number): Promise<ExportJob> {
  return call("cancel_export", { id });
}

/** "Save as…" of a finished export; the path, or null when the dialog was cancelled. */
export function saveExportAs(id: number): Promise<string | null> {
  return call("save_export_as", { id });
}

export function showExportInFolder(id: number): Promise<null> {
  return call("show_export_in_folder", { id });
}

export function onExportProgress(handler: (p: ExportProgress) => void): Promise<UnlistenFn> {
  return listen<ExportProgress>("export-progress", (e) => handler(e.payload));
}

export function onExportFinished(handler: (job: ExportJob) => void): Promise<UnlistenFn> {
  return listen<ExportJob>("export-finished", (e) => handler(e.payload));
}

// ---- e-mail (SPEC 7.1) ----------------------------------------------------------

export function mailSettings(): Promise<MailSettings> {
  return call("mail_settings");
}

/** Saves the SMTP settings; the password goes to the OS keychain (`warning` when it cannot). */
export function setMailSettings(input: MailSettingsInput): Promise<MailSettingsSaved> {
  return call("set_mail_settings", { input });
}

export function sendTestMail(to: string): Promise<null> {
  return call("send_test_mail", { to });
}

/** The signed-in user's address for result e-mails. */
export function myMailAddress(): Promise<string | null> {
  return call("my_mail_address");
}

export function setMyMailAddress(address: string): Promise<string | null> {
  return call("set_my_mail_address", { address });
}

export function jobMails(kind: JobKind): Promise<JobMail[]> {
  return call("job_mails", { kind });
}

export function retryJobMail(kind: JobKind, id: number): Promise<JobMail> {
  return call("retry_job_mail", { kind, id });
}

export function onJobMail(handler: (mail: JobMail) => void): Promise<UnlistenFn> {
  return listen<JobMail>("job-mail", (e) => handler(e.payload));
}
