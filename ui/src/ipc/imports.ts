// Import (SPEC 4.1, 4.2): pick, inspect, map, dry run, confirm; the jobs and their events.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ColumnMapping } from "./bindings/ColumnMapping";
import type { DryRun } from "./bindings/DryRun";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportSettings } from "./bindings/ImportSettings";
import type { ImportSourceArg } from "./bindings/ImportSourceArg";
import type { JobProgress } from "./bindings/JobProgress";
import type { JobSummary } from "./bindings/JobSummary";
import type { Lang } from "./bindings/Lang";
import type { RefusedUpload } from "./bindings/RefusedUpload";
import type { MappingProblem } from "./bindings/MappingProblem";
import type { SourceColumn } from "./bindings/SourceColumn";
import type { UndoResult } from "./bindings/UndoResult";
import { call } from "./call";

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

/**
 * Reads pasted text (tab-separated); over 1,000 rows is a `limit` error. A first row that looks
 * like column names comes back as `headerRow` (it names the columns and is not imported) unless
 * `firstRowIsData` says it is a customer.
 */
export function inspectPaste(text: string, firstRowIsData = false): Promise<ImportPreview> {
  return call("inspect_paste", { text, firstRowIsData });
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

/** Files refused at upload (too big, not .xlsx, several sheets, …), newest first. */
export function refusedUploads(): Promise<RefusedUpload[]> {
  return call("refused_uploads");
}

export function undoImport(jobId: number): Promise<UndoResult> {
  return call("undo_import", { jobId });
}

/** Saves the failed rows as .xlsx (native save dialog); null when the user cancelled. */
export function saveFailedRows(jobId: number): Promise<string | null> {
  return call("save_failed_rows", { jobId });
}

/**
 * Saves the import template (the catalogue's columns, headers and notes in `lang`, the UI's
 * language) where the user chooses in the native save dialog; null when they cancelled.
 */
export function saveImportTemplate(lang: Lang): Promise<string | null> {
  return call("save_import_template", { lang });
}

export function onImportProgress(handler: (p: JobProgress) => void): Promise<UnlistenFn> {
  return listen<JobProgress>("import-progress", (e) => handler(e.payload));
}

export function onImportFinished(handler: (job: JobSummary) => void): Promise<UnlistenFn> {
  return listen<JobSummary>("import-finished", (e) => handler(e.payload));
}

/** Files are dragged over the window (`over`), or no longer. (src-tauri/src/file_grants.rs sends it as plain JSON: no generated type.) */
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
