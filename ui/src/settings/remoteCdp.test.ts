import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../ipc";
import { conflictValue, syncStateText } from "./remoteCdp";

const base: SyncStatus = {
  connected: true,
  serverUrl: "https://cdp.example.vn",
  userName: "lan",
  deviceName: "Laptop",
  phase: "pull",
  pendingOps: 0,
  lastSyncAt: "2026-12-03T09:58:00Z",
  lastError: null,
  lastErrorKind: null,
  nextAttemptAt: null,
  clockOffsetMs: 0,
  paused: false,
  openConflicts: 0,
  rejections: 0,
  mergedOnServer: 0,
};

describe("Remote CDP", () => {
  it("names the state of sync", () => {
    expect(syncStateText({ ...base, connected: false })).toBe("Not connected");
    expect(syncStateText(base)).toBe("Synced");
    expect(syncStateText({ ...base, pendingOps: 2 })).toBe("2 changes waiting");
    expect(syncStateText({ ...base, phase: "initialPush" })).toBe("First sync in progress");
    expect(syncStateText({ ...base, lastError: "down", lastErrorKind: "offline", pendingOps: 3 })).toBe("Offline · 3 changes waiting");
    expect(syncStateText({ ...base, lastError: "revoked", lastErrorKind: "signIn" })).toBe("Sign in again");
    expect(syncStateText({ ...base, lastError: "x", lastErrorKind: "failed" })).toBe("Sync problem");
    expect(syncStateText({ ...base, paused: true })).toBe("Paused");
  });

  it("shows a conflict's values as text", () => {
    expect(conflictValue('"Hà Nội"')).toBe("Hà Nội");
    expect(conflictValue("null")).toBe("(empty)");
    expect(conflictValue('["a","b"]')).toBe('["a","b"]');
    expect(conflictValue("not json")).toBe("not json");
  });
});
