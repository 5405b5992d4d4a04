// A field conflict as the core lists it, for the conflict review's tests.
import type { SyncConflict } from "../ipc";

export function conflict(overrides: Partial<SyncConflict> = {}): SyncConflict {
  return {
    id: "cf_1",
    gid: "g1",
    profileId: 7,
    label: "Nguyễn Văn An",
    field: "city",
    kept: { value: '"Huế"', by: "lan", device: "Lan's laptop", at: "2026-12-03T03:02:00Z" },
    lost: { value: '"Hà Nội"', by: "an", device: "An's laptop", at: "2026-12-03T03:01:00Z" },
    ours: "lost",
    job: null,
    jobFile: null,
    open: true,
    at: "2026-12-03T03:05:00Z",
    ...overrides,
  };
}
