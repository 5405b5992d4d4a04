// A merge review as the core describes it, for the unit tests of the screen
// and its logic: incoming data matching A (by phone) and B (by e-mail).
import type { ReviewColumn, ReviewDetail, ReviewRow, ReviewSummary } from "../ipc";

export function column(overrides: Partial<ReviewColumn> = {}): ReviewColumn {
  return {
    profileId: null,
    label: "Nguyễn Văn A",
    matchedBy: null,
    gone: false,
    newMatch: false,
    stillMatches: true,
    changedSince: false,
    source: "Pasted data, row 2",
    createdAt: "2024-05-01T07:00:00.000Z",
    updatedAt: null,
    links: 0,
    ...overrides,
  };
}

export function reviewRow(field: string, values: string[], overrides: Partial<ReviewRow> = {}): ReviewRow {
  const distinct = new Set(values.filter((v) => v !== ""));
  return { field, label: field, kind: "single", values, differs: distinct.size > 1, ...overrides };
}

export function summary(overrides: Partial<ReviewSummary> = {}): ReviewSummary {
  return {
    id: 4,
    status: "open",
    createdAt: "2024-05-01T07:00:00.000Z",
    createdBy: "admin",
    origin: "Pasted data, row 2",
    jobId: 3,
    row: 2,
    incomingLabel: "Nguyễn Văn A",
    candidates: [
      { profileId: 12, label: "Nguyễn Văn A", matchedBy: "phone", gone: false },
      { profileId: 13, label: "Nguyễn V. A", matchedBy: "email", gone: false },
    ],
    outcome: null,
    reason: "severalMatches",
    ...overrides,
  };
}

/** Incoming | A (#12, by phone) | B (#13, by e-mail). */
export function detail(overrides: Partial<ReviewDetail> = {}): ReviewDetail {
  return {
    summary: summary(),
    columns: [
      column(),
      column({ profileId: 12, matchedBy: "phone", source: "Manual", updatedAt: "2024-04-01T07:00:00.000Z", links: 2 }),
      column({ profileId: 13, label: "Nguyễn V. A", matchedBy: "email", source: "Manual", updatedAt: "2024-04-02T07:00:00.000Z" }),
    ],
    rows: [
      reviewRow("full_name", ["Nguyễn Văn A", "Nguyễn Văn A", "Nguyễn V. A"]),
      reviewRow("phones", ["+84 912 345 678", "0912 345 678", "0987 654 321"], { kind: "list", differs: true }),
      reviewRow("city", ["Huế", "", "Hà Nội"]),
      reviewRow("company", ["", "", "ABC"]),
      reviewRow("consent.email", ["Granted", "Unknown", "Denied"], { kind: "consent" }),
      reviewRow("links", ["", "2 accounts", "None"], { kind: "links", differs: false }),
    ],
    policy: "overwrite",
    notes: [],
    version: "v1",
    ...overrides,
  };
}
