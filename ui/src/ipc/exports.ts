// Export (SPEC 4.3): plan, run now or in the background, the jobs and their events.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ExportJob } from "./bindings/ExportJob";
import type { ExportPlan } from "./bindings/ExportPlan";
import type { ExportProgress } from "./bindings/ExportProgress";
import type { ExportRequest } from "./bindings/ExportRequest";
import { call } from "./call";

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
