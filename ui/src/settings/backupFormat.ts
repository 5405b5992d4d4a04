// How backups read on screen: kind, size, and the one-line description used
// by the recovery screen, Settings → Backup and the toasts.
import { formatDateTime } from "../shell/format";
import type { BackupEntry, BackupKind } from "../ipc";

export function backupKindLabel(kind: BackupKind): string {
  switch (kind) {
    case "manual":
      return "Backed up by hand";
    case "daily":
      return "Daily backup";
    case "beforeRestore":
      return "Before a restore";
    case "beforeUpgrade":
      return "Before an update";
  }
}

/** "1.2 MB", "340 kB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** "2025-05-12 14:03 · Daily backup · 4.2 MB". */
export function describeBackup(b: BackupEntry): string {
  return `${formatDateTime(b.createdAt)} · ${backupKindLabel(b.kind)} · ${formatBytes(b.bytes)}`;
}
