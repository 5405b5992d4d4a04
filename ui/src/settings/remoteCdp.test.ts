import { describe, expect, it } from "vitest";
import { syncStatus } from "../testFixtures";
import { syncStateText } from "./remoteCdp";

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
});
