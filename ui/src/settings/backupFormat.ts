// How backups read on screen: kind, size, and the one-line description used
// by the recovery screen, Settings → Backup and the toasts.
import { formatDateTime } from "../shell/format";
import type { BackupEntry, BackupKind } from "../ipc";
import { lang } from "../i18n/lang";
import { m } from "./messages";

export function backupKindLabel(kind: BackupKind): string {
  switch (kind) {
    case "manual":
      return m.kindManualBackup;
    case "daily":
      return m.kindDailyBackup;
    case "beforeRestore":
      return m.kindBeforeRestore;
    case "beforeUpgrade":
      return m.kindBeforeUpgrade;
  }
}

/** One decimal, with the UI language's decimal mark: "1.2" in English, "1,2" in Vietnamese. */
function oneDecimal(n: number): string {
  const text = n.toFixed(1);
  return lang() === "vi" ? text.replace(".", ",") : text;
}

/** "1.2 MB", "340 kB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${oneDecimal(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${oneDecimal(bytes / 1e6)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** "2025-05-12 14:03 · Daily backup · 4.2 MB". */
export function describeBackup(b: BackupEntry): string {
  return `${formatDateTime(b.createdAt)} · ${backupKindLabel(b.kind)} · ${formatBytes(b.bytes)}`;
}
