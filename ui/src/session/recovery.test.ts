import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { DamageReport, RestoreReport } from "../ipc";
import { settle } from "../testFixtures";
import { RecoveryScreen } from "./recovery";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

const NEWEST = {
  path: "/home/an/backups/profile-desk-20250102T101112Z-daily.db",
  fileName: "profile-desk-20250102T101112Z-daily.db",
  createdAt: "2025-01-02T10:11:12Z",
  kind: "daily" as const,
  bytes: 4_200_000,
};

const REPORT: DamageReport = {
  database: "/home/an/.local/share/com.profiledesk.app/profiles.db",
  problem: "database disk image is malformed",
  newestGoodBackup: NEWEST,
  backupFolder: "/home/an/backups",
  backupsFound: 3,
  foundAfterOpening: false,
};

const RESTORED: RestoreReport = {
  restoredFrom: NEWEST.path,
  profiles: 1200,
  backupSchemaVersion: 3,
  savedCurrentAs: null,
  damagedKeptAs: "/home/an/.local/share/com.profiledesk.app/profiles.damaged-20250103T080000Z.db",
  mailSettingsReset: [],
  message: "Restored 1200 profiles from profile-desk-20250102T101112Z-daily.db.",
};

describe("Recovery screen", () => {
  it("explains, offers the newest good backup and restores it", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "recover_from_backup") return RESTORED;
      throw new Error(`unexpected ${cmd}`);
    });
    let recovered: RestoreReport | null = null;
    document.body.appendChild(new RecoveryScreen({ report: REPORT, onRecovered: (r) => (recovered = r) }).element);
    expect(q("recovery-screen")?.textContent, "says nothing was changed").toContain("changed nothing in it");
    expect(q("recovery-problem")?.textContent, "names what the check found").toContain("malformed");
    expect(q("recovery-newest")?.textContent, "describes the backup").toContain("Daily backup · 4.2 MB");
    expect(q("recovery-screen")?.textContent, "says where the damaged file stays").toContain(REPORT.database);
    q("recovery-restore-newest")?.click();
    await settle();
    expect(calls, "restores exactly the offered file").toEqual([["recover_from_backup", { path: NEWEST.path }]]);
    expect(recovered, "then the app starts on it").toEqual(RESTORED);
  });

  it("says what happened when the check after opening found the damage (the last run closed cleanly)", () => {
    document.body.appendChild(new RecoveryScreen({ report: { ...REPORT, foundAfterOpening: true }, onRecovered: () => undefined }).element);
    const text = q("recovery-screen")?.textContent ?? "";
    expect(text, "not the claim that it was never opened").not.toContain("did not open it");
    expect(text).toContain("run just after it opened");
    expect(text, "what the app did not do on it").toContain("ran no import, export, sync or backup on it");
  });

  it("without a good backup asks for a file, and shows a refusal inline", async () => {
    mockIPC((cmd) => {
      if (cmd === "pick_backup_file") return "/media/usb/old.db";
      if (cmd === "recover_from_backup") throw { code: "backup", message: "/media/usb/old.db is not a usable Profile Desk backup: it is damaged. Nothing was changed." };
      throw new Error(`unexpected ${cmd}`);
    });
    document.body.appendChild(
      new RecoveryScreen({ report: { ...REPORT, newestGoodBackup: null, backupsFound: 0 }, onRecovered: () => undefined }).element,
    );
    expect(q("recovery-restore-newest"), "nothing to offer").toBeNull();
    expect(q("recovery-no-backup")?.textContent).toContain("There is no backup in /home/an/backups");
    q("recovery-choose-file")?.click();
    await settle();
    const error = q("recovery-error");
    expect(error?.hidden, "the refusal is shown").toBe(false);
    expect(error?.textContent).toContain("not a usable Profile Desk backup");
  });
});
