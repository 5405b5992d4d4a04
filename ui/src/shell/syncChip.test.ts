import { describe, expect, it } from "vitest";
import { syncStatus } from "../testFixtures";
import { agoText, chipText, progressText } from "./syncChip";

const NOW = Date.parse("2026-12-03T10:00:00Z");

const status = syncStatus;

describe("the sync chip", () => {
  it("says how long ago the last sync was", () => {
    expect(agoText("2026-12-03T09:59:40Z", NOW)).toBe("just now");
    expect(agoText("2026-12-03T09:58:00Z", NOW)).toBe("2 min ago");
    expect(agoText("2026-12-03T07:00:00Z", NOW)).toBe("3 h ago");
    expect(agoText("2026-11-28T10:00:00Z", NOW)).toBe("5 days ago");
    expect(agoText("2026-12-02T10:00:00Z", NOW)).toBe("1 day ago");
  });

  it("puts what needs attention first: paused, a problem, the first sync, changes waiting", () => {
    expect(chipText(status(), NOW)).toMatchObject({ text: "Synced · 2 min ago", tone: "ok" });
    expect(chipText(status({ pendingOps: 1234 }), NOW).text).toBe("1,234 waiting");
    const refused = chipText(status({ rejections: 2, pendingOps: 5 }), NOW);
    expect(refused).toMatchObject({ text: "2 refused", tone: "warn" });
    expect(refused.title).toContain("2 changes were refused by the server");
    expect(chipText(status({ pendingOps: 1 }), NOW).title).toContain("1 change waiting");
    expect(chipText(status({ phase: "snapshot" }), NOW).text).toBe("First sync…");
    const offline = chipText(status({ lastError: "the server could not be reached: connection refused", lastErrorKind: "offline", pendingOps: 1234 }), NOW);
    expect(offline).toMatchObject({ text: "Offline · 1,234 waiting", tone: "warn" });
    expect(offline.title).toContain("connection refused");
    expect(offline.title).toContain("1,234 changes waiting");
    expect(chipText(status({ lastError: "revoked", lastErrorKind: "signIn" }), NOW).text).toBe("Sign in again");
    expect(chipText(status({ lastError: "busy", lastErrorKind: "busy", nextAttemptAt: "2026-12-03T10:00:40Z" }), NOW).text).toBe("Server busy · in 40 s");
    expect(chipText(status({ lastError: "no", lastErrorKind: "refused" }), NOW).text).toBe("Sync problem");
    expect(chipText(status({ clockOffsetMs: 3 * 3_600_000 }), NOW).text).toBe("Clock 3 h off");
    expect(chipText(status({ clockOffsetMs: -90_000 }), NOW).text, "under 2 minutes: no warning").toBe("Synced · 2 min ago");
    expect(chipText(status({ paused: true, lastError: "x" }), NOW).text).toBe("Sync paused");
    expect(chipText(status({ openConflicts: 2 }), NOW)).toMatchObject({ text: "2 conflicts", tone: "warn" });
    expect(chipText(status({ lastSyncAt: null }), NOW).text).toBe("Not synced yet");
  });

  it("counts a long round: what is sent of what was to go, what came down", () => {
    const server = "https://cdp.example.vn";
    expect(progressText({ sent: 12_000, toSend: 50_000, downloaded: 0, toDownload: 0 }, server)).toMatchObject({
      text: "Uploading 12,000 / 50,000",
      tone: "busy",
    });
    expect(progressText({ sent: 50_000, toSend: 50_000, downloaded: 430_000, toDownload: 0 }, server)?.text).toBe("Downloading 430,000");
    expect(progressText({ sent: 0, toSend: 0, downloaded: 2_000, toDownload: 0 }, server)?.title).toContain("2,000 profiles so far");
    expect(progressText({ sent: 3, toSend: 3, downloaded: 0, toDownload: 0 }, server)).toBeNull();
    const known = progressText({ sent: 0, toSend: 0, downloaded: 430_000, toDownload: 1_000_000 }, server);
    expect(known?.text, "with the server's total").toBe("Downloading 430,000 / 1,000,000");
    expect(known?.title).toContain("430,000 of 1,000,000 profiles");
  });
});
