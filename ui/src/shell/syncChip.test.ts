import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../ipc";
import { agoText, chipText } from "./syncChip";

const NOW = Date.parse("2026-12-03T10:00:00Z");

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    connected: true,
    serverUrl: "https://cdp.example.vn",
    userName: "lan",
    deviceName: "Lan's laptop",
    phase: "pull",
    pendingOps: 0,
    lastSyncAt: "2026-12-03T09:58:00Z",
    lastError: null,
    paused: false,
    openConflicts: 0,
    rejections: 0,
    mergedOnServer: 0,
    ...over,
  };
}

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
    expect(chipText(status({ pendingOps: 1234 }), NOW).text).toBe("1,234 changes waiting");
    expect(chipText(status({ pendingOps: 1 }), NOW).text).toBe("1 change waiting");
    expect(chipText(status({ phase: "snapshot" }), NOW).text).toBe("First sync…");
    const problem = chipText(status({ lastError: "the server could not be reached: connection refused", pendingOps: 3 }), NOW);
    expect(problem).toMatchObject({ text: "Sync problem", tone: "warn" });
    expect(problem.title).toContain("connection refused");
    expect(chipText(status({ paused: true, lastError: "x" }), NOW).text).toBe("Sync paused");
    expect(chipText(status({ openConflicts: 2 }), NOW)).toMatchObject({ text: "Synced · 2 min ago · 2 conflicts", tone: "warn" });
    expect(chipText(status({ lastSyncAt: null }), NOW).text).toBe("Not synced yet");
  });
});
