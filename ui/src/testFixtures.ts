// Shared data for unit tests: the default field catalogue and channels as
// the core describes them (SPEC section 1).
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ConsentChannel, FieldDef, FieldKind, FilterField, ImportCounts, Profile, ProfileDetail, SharedKey, SyncStatus } from "./ipc";

/** One IPC call the UI made: the command and its arguments. */
export type Call = [string, Record<string, unknown>];

/**
 * Mocks the core with one handler per command (an unexpected command fails the test) and
 * records every call in order.
 */
export function mockCore(handlers: Record<string, (args: Record<string, unknown>) => unknown>): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push([cmd, a]);
    const handler = handlers[cmd];
    if (!handler) throw new Error(`unexpected command ${cmd}`);
    return handler(a);
  });
  return calls;
}

let position = 0;
function field(key: string, label: string, kind: FieldKind, extra: Partial<FieldDef> = {}): FieldDef {
  position += 1;
  return {
    key,
    label,
    kind,
    builtin: true,
    mandatory: false,
    displayed: false,
    hidden: false,
    position,
    options: [],
    synonyms: [],
    ...extra,
  };
}

export const catalogue: FieldDef[] = [
  field("full_name", "Full name", "text", { displayed: true }),
  field("phones", "Phones", "phones", { displayed: true }),
  field("emails", "E-mails", "emails", { displayed: true }),
  field("gender", "Gender", "select", {
    options: [
      { value: "male", label: "Male" },
      { value: "female", label: "Female" },
      { value: "other", label: "Other" },
      { value: "unknown", label: "Unknown" },
    ],
  }),
  field("birthday", "Birthday", "date"),
  field("address", "Address", "text"),
  field("city", "City", "text", { displayed: true }),
  field("company", "Company", "text"),
  field("job_title", "Job title", "text"),
  field("customer_code", "Customer code", "text", { displayed: true }),
  field("tags", "Tags", "tags"),
  field("note", "Note", "longText"),
  field("source", "Source", "system"),
  field("created_at", "Created at", "system", { displayed: true }),
  field("updated_at", "Updated at", "system"),
  field("created_by", "Created by", "system"),
  field("updated_by", "Updated by", "system"),
];

export const channels: ConsentChannel[] = [
  { key: "email", label: "E-mail" },
  { key: "sms", label: "SMS" },
  { key: "phone_call", label: "Phone call" },
];

export const XSS = "<img src=x onerror=alert(1)>";

export function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: 42,
    label: "Nguyễn Văn A",
    phones: [
      { raw: "0912 345 678", e164: "+84912345678" },
      { raw: "0987 654 321", e164: "+84987654321" },
    ],
    emails: ["a@example.com"],
    tags: ["vip"],
    values: {
      full_name: "Nguyễn Văn A",
      gender: "Male",
      birthday: "1990-05-01",
      city: "Hà Nội",
      customer_code: "KH001",
      source: "Manual",
      created_at: "2024-05-01T07:03:00Z",
    },
    source: { kind: "manual" },
    createdAt: "2024-05-01T07:03:00Z",
    updatedAt: "2024-05-02T08:00:00Z",
    createdBy: "admin",
    updatedBy: "admin",
    ...overrides,
  };
}

export function detail(p: Profile = profile()): ProfileDetail {
  return {
    profile: p,
    consent: { email: "granted" },
    consentHistory: [
      { channel: "email", status: "granted", recordedBy: "admin", recordedAt: "2024-05-01T07:03:00Z", source: "manual" },
    ],
    links: { accounts: [], opportunities: [{ id: 1, title: "Renewal 2025", status: "open", updatedAt: "2024-05-03T00:00:00Z" }], tickets: [], tasks: [] },
    history: [
      {
        at: "2024-05-01T07:03:00Z",
        actor: "admin",
        kind: "created",
        source: "manual",
        matchedBy: null,
        changes: [{ field: "full_name", before: "", after: p.label }],
      },
    ],
    version: "v1",
  };
}

/** An import's counts: all zero but `overrides` (the guard counts included). */
export function importCounts(overrides: Partial<ImportCounts> = {}): ImportCounts {
  return {
    rows: 0,
    created: 0,
    updated: 0,
    duplicates: 0,
    reviews: 0,
    failed: 0,
    sharedKeyRows: 0,
    nameDiffers: 0,
    identifierLimit: 0,
    blockedValues: 0,
    fixed: 0,
    excluded: 0,
    ...overrides,
  };
}

/** A shop's switchboard typed for 42 customers: the shared value a real file holds. */
export const switchboard: SharedKey = {
  key: "phone",
  value: "028 3822 1234",
  normalized: "+842838221234",
  rows: 42,
  names: 40,
  exampleRows: [3, 7, 12],
  usedAnyway: false,
};

/** Lets pending promises and zero-delay timers run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

/** The filter builder's fields as the core describes them (`filter_fields`). */
export const filterFieldList: FilterField[] = [
  { key: "full_name", label: "Full name", kind: "text", takesDates: false, operators: ["is", "isNot", "contains", "startsWith", "empty", "notEmpty"], options: [], sortable: true },
  { key: "phones", label: "Phones", kind: "phones", takesDates: false, operators: ["has", "hasNot", "contains", "empty", "notEmpty"], options: [], sortable: false },
  {
    key: "gender",
    label: "Gender",
    kind: "select",
    takesDates: false,
    operators: ["is", "isNot", "empty", "notEmpty"],
    options: [
      { value: "male", label: "Male" },
      { value: "female", label: "Female" },
    ],
    sortable: true,
  },
  { key: "birthday", label: "Birthday", kind: "date", takesDates: true, operators: ["eq", "ne", "lt", "gt", "between", "lastDays", "empty", "notEmpty"], options: [], sortable: true },
  { key: "city", label: "City", kind: "text", takesDates: false, operators: ["is", "isNot", "contains", "startsWith", "empty", "notEmpty"], options: [], sortable: true },
  { key: "source", label: "Source", kind: "system", takesDates: false, operators: [], options: [], sortable: true },
];

/** A store connected to https://cdp.example.vn, synced at 09:58 on 2026-12-03 (UTC), nothing waiting. */
export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    connected: true,
    serverUrl: "https://cdp.example.vn",
    userName: "lan",
    deviceName: "Lan's laptop",
    phase: "pull",
    pendingOps: 0,
    heldOps: 0,
    heldUntil: null,
    importHoldMinutes: 10,
    lastSyncAt: "2026-12-03T09:58:00Z",
    lastError: null,
    lastErrorKind: null,
    nextAttemptAt: null,
    clockOffsetMs: 0,
    paused: false,
    openConflicts: 0,
    rejections: 0,
    mergedOnServer: 0,
    certificatePin: null,
    customCa: false,
    ...overrides,
  };
}
