import { describe, expect, it } from "vitest";
import { syncStatus } from "../testFixtures";
import { conflictValue, syncStateText } from "./remoteCdp";

const base = syncStatus();

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
