// Start-up, backup and restore, About, the demo.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AutoBackupStatus } from "./bindings/AutoBackupStatus";
import type { BackupOverview } from "./bindings/BackupOverview";
import type { BackupReport } from "./bindings/BackupReport";
import type { BackupSettings } from "./bindings/BackupSettings";
import type { DamageReport } from "./bindings/DamageReport";
import type { LicenceNotices } from "./bindings/LicenceNotices";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { StartupStatus } from "./bindings/StartupStatus";
import { call } from "./call";

/** Waits for the store to open: ready (with a one-time notice) or damaged. After a clean exit
 *  the health check runs later, and damage it finds comes by `onDatabaseDamaged`. */
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

/** Restores a backup into the running app's database (the current data is backed up first).
 *  The backup's e-mail settings and result addresses are taken only with `keepBackupMailSettings`. */
export function restoreBackup(path: string, keepBackupMailSettings = false): Promise<RestoreReport> {
  return call("restore_backup", { path, keepBackupMailSettings });
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

/** The daily backup starts (after the list's first page) or ends. */
export function onAutoBackup(handler: (status: AutoBackupStatus) => void): Promise<UnlistenFn> {
  return listen<AutoBackupStatus>("auto-backup", (e) => handler(e.payload));
}

/** The health check run after the first page (the last run closed cleanly) found damage. */
export function onDatabaseDamaged(handler: (report: DamageReport) => void): Promise<UnlistenFn> {
  return listen<DamageReport>("database-damaged", (e) => handler(e.payload));
}
