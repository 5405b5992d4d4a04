import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { BackupEntry, BackupOverview, BackupReport, RestoreReport, Session } from "../ipc";
import { mockCore, settle } from "../testFixtures";
import { backupSection, readBackupForm } from "./backup";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const ADMIN: Session = { userName: "admin", displayName: "Admin", role: "Administrator", permissions: ["settings.manage"] };

const entry = (fileName: string, kind: BackupEntry["kind"] = "manual"): BackupEntry => ({
  path: `/home/an/backups/${fileName}`,
  fileName,
  createdAt: "2025-01-02T10:11:12Z",
  kind,
  bytes: 2_400_000,
});

const OVERVIEW: BackupOverview = {
  settings: { folder: "/home/an/backups", keep: 7, autoDaily: true },
  defaultFolder: "/home/an/.local/share/com.profiledesk.app/backups",
  backups: [entry("profile-desk-20250102T101112Z-daily.db", "daily")],
  database: "/home/an/.local/share/com.profiledesk.app/profiles.db",
  encryption: { encrypted: true, message: "The database and its backups are encrypted; the key is in this computer's keychain." },
};


function mount(reload: () => void = () => undefined): void {
  const handle = backupSection({ reload }).mount({ session: ADMIN, catalogueChanged: () => undefined });
  document.body.appendChild(handle.element);
}

describe("Settings → Backup", () => {
  it("checks the form with the core's bounds", () => {
    expect(readBackupForm(" /media/usb ", "3", false)).toEqual({ folder: "/media/usb", keep: 3, autoDaily: false });
    expect(readBackupForm("/x", "0", true), "at least one").toEqual({ problem: "Keep between 1 and 100 backups" });
    expect(readBackupForm("/x", "101", true), "at most 100").toEqual({ problem: "Keep between 1 and 100 backups" });
    expect(readBackupForm("/x", "seven", true), "a number").toEqual({ problem: "Keep between 1 and 100 backups" });
  });

  it("says whether the database is encrypted, and alerts when it is not", async () => {
    mockCore({ backup_overview: () => OVERVIEW });
    mount();
    await settle();
    expect(q("backup-encryption")?.dataset.encrypted).toBe("true");
    expect(q("backup-encryption")?.getAttribute("role"), "no alarm when encrypted").toBeNull();
    clearMocks();
    document.body.replaceChildren();
    const plain = "The database is NOT encrypted: this computer has no keychain to keep its key in.";
    mockCore({ backup_overview: () => ({ ...OVERVIEW, encryption: { encrypted: false, message: plain } }) });
    mount();
    await settle();
    expect(q("backup-encryption")?.textContent).toBe(plain);
    expect(q("backup-encryption")?.getAttribute("role"), "a plain store is an alert").toBe("alert");
  });

  it("lists the backups, backs up now and shows the new one", async () => {
    let overview = OVERVIEW;
    const report: BackupReport = {
      entry: entry("profile-desk-20250103T080000Z-manual.db"),
      profiles: 1200,
      rows: 9000,
      tables: 32,
      removed: [],
      millis: 800,
      message: "Backup written and verified: profile-desk-20250103T080000Z-manual.db (1200 profiles, 2.4 MB)",
    };
    const calls = mockCore({
      backup_overview: () => overview,
      back_up_now: () => {
        overview = { ...OVERVIEW, backups: [report.entry, ...OVERVIEW.backups] };
        return report;
      },
    });
    mount();
    await settle();
    expect(document.querySelectorAll('[data-testid="backup-row"]').length, "one backup listed").toBe(1);
    expect(q("backup-list")?.textContent, "kind and size are shown").toContain("Daily backup");
    q("backup-now")?.click();
    await settle();
    expect(calls.map((c) => c[0]), "back up, then reload the list").toEqual(["backup_overview", "back_up_now", "backup_overview"]);
    expect(document.querySelectorAll('[data-testid="backup-row"]').length, "the new backup is listed").toBe(2);
    expect(document.querySelector('[data-testid="toast"]')?.textContent).toContain("Backup written and verified");
  });

  it("saves changed settings only, and shows the core's refusal", async () => {
    const calls = mockCore({
      backup_overview: () => OVERVIEW,
      set_backup_settings: () => {
        throw { code: "backup", message: "Backups cannot be written into /readonly: Permission denied. Choose another folder." };
      },
    });
    mount();
    await settle();
    expect(q<HTMLButtonElement>("backup-save")?.disabled, "nothing changed yet").toBe(true);
    const folder = q<HTMLInputElement>("backup-folder");
    if (folder) folder.value = "/readonly";
    folder?.dispatchEvent(new Event("input"));
    expect(q<HTMLButtonElement>("backup-save")?.disabled, "a change can be saved").toBe(false);
    q("backup-save")?.click();
    await settle();
    expect(calls[1], "the typed settings go to the core").toEqual([
      "set_backup_settings",
      { settings: { folder: "/readonly", keep: 7, autoDaily: true } },
    ]);
    expect(q("backup-error")?.textContent, "the refusal is shown").toContain("cannot be written into /readonly");
  });

  it("restores only after confirmation, then reopens the app", async () => {
    const restored: RestoreReport = {
      restoredFrom: OVERVIEW.backups[0]?.path ?? "",
      profiles: 1200,
      backupSchemaVersion: 4,
      savedCurrentAs: "/home/an/backups/profile-desk-20250103T090000Z-before-restore.db",
      damagedKeptAs: null,
      mailSettingsReset: [],
      message: "Restored 1200 profiles from profile-desk-20250102T101112Z-daily.db.",
    };
    const calls = mockCore({ backup_overview: () => OVERVIEW, restore_backup: () => restored });
    let reloaded = false;
    mount(() => (reloaded = true));
    await settle();
    q("backup-restore")?.click();
    await settle();
    expect(q("restore-confirm")?.textContent, "the dialog says the current data is kept").toContain("backed up first");
    q("restore-confirm-no")?.click();
    await settle();
    expect(calls.some((c) => c[0] === "restore_backup"), "Cancel restores nothing").toBe(false);
    q("backup-restore")?.click();
    await settle();
    q("restore-confirm-yes")?.click();
    await settle();
    expect(calls.find((c) => c[0] === "restore_backup")?.[1], "the chosen file, the current mail settings kept").toEqual({
      path: OVERVIEW.backups[0]?.path,
      keepBackupMailSettings: false,
    });
    expect(q("backup-status")?.textContent).toContain("Restored 1200 profiles");
    await new Promise((r) => setTimeout(r, 1300));
    expect(reloaded, "the app reopens on the restored data").toBe(true);
  });

  it("takes the backup's mail settings only when the box is ticked", async () => {
    const calls = mockCore({
      backup_overview: () => OVERVIEW,
      restore_backup: () => ({
        restoredFrom: "",
        profiles: 1,
        backupSchemaVersion: 4,
        savedCurrentAs: null,
        damagedKeptAs: null,
        mailSettingsReset: [],
        message: "Restored 1 profiles.",
      }),
    });
    mount(() => undefined);
    await settle();
    q("backup-restore")?.click();
    await settle();
    const box = q<HTMLInputElement>("restore-keep-mail");
    expect(box?.checked, "off by default").toBe(false);
    if (box) box.checked = true;
    q("restore-confirm-yes")?.click();
    await settle();
    expect(calls.find((c) => c[0] === "restore_backup")?.[1]).toEqual({
      path: OVERVIEW.backups[0]?.path,
      keepBackupMailSettings: true,
    });
  });
});
