import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobSummary } from "../ipc";
import { importCounts, settle, switchboard } from "../testFixtures";
import { JobsPanel, handleImportFinished } from "./importJobs";
import { m } from "./messages";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function job(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 4,
    kind: "file",
    fileName: "customers.xlsx",
    status: "running",
    createdBy: "admin",
    createdAt: "2024-05-01T07:00:00Z",
    startedAt: "2024-05-01T07:00:01Z",
    finishedAt: null,
    totalRows: 200,
    rowsDone: 0,
    counts: { rows: 0, created: 0, updated: 0, duplicates: 0, reviews: 0, failed: 0, sharedKeyRows: 0, nameDiffers: 0, identifierLimit: 0, blockedValues: 0, fixed: 0, excluded: 0 },
    error: null,
    errorCode: null,
    errorDetails: null,
    sharedKeys: [],
    ...overrides,
  };
}

let calls: Array<{ cmd: string; args: unknown }> = [];

beforeEach(() => {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "cancel_import") return null;
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

describe("jobs panel", () => {
  it("shows progress for running jobs and cancels by id", async () => {
    const panel = new JobsPanel();
    document.body.appendChild(panel.element);
    expect(panel.element.hidden, "hidden while nothing runs").toBe(true);
    panel.upsert(job());
    panel.progress({ jobId: 4, rowsDone: 50, totalRows: 200 });
    expect(panel.element.hidden, "shown while a job runs").toBe(false);
    expect(q("job-progress-4")?.getAttribute("aria-valuenow"), "progress in percent").toBe("25");
    expect(q("job-rows-4")?.textContent, "rows done / total").toBe("50 / 200 rows");
    q("job-cancel-4")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "cancel_import")?.args, "cancel names the job").toEqual({ jobId: 4 });
  });

  it("loads only queued and running jobs (e.g. after a restart)", () => {
    const panel = new JobsPanel();
    panel.load([job({ id: 1, status: "done" }), job({ id: 2, status: "queued" })]);
    expect(panel.activeIds, "finished jobs are not in the panel").toEqual([2]);
  });

  it("tells each waiting job its place in line, in the order the worker runs them (oldest first)", () => {
    const panel = new JobsPanel();
    document.body.appendChild(panel.element);
    // As the core lists them after a restart: newest first.
    panel.load([
      job({ id: 9, status: "queued", fileName: "khach-thang-9.xlsx" }),
      job({ id: 8, status: "queued", fileName: "khach-thang-11.xlsx" }),
      job({ id: 7, status: "running", fileName: "khach-thang-10.xlsx" }),
    ]);
    const shown = (): Array<string | null> => [...panel.element.querySelectorAll(".job")].map((li) => li.getAttribute("data-testid"));
    expect(shown(), "listed in the order they run").toEqual(["job-7", "job-8", "job-9"]);
    expect(q("job-status-7")?.textContent, "the running job says so").toBe("Running");
    expect(q("job-status-8")?.textContent, "behind the running one").toBe("2nd in line");
    expect(q("job-status-9")?.textContent).toBe("3rd in line");

    // One queued from the wizard meanwhile, then the first finishes and the next starts.
    panel.upsert(job({ id: 10, status: "queued", fileName: "khach-thang-12.xlsx" }));
    expect(q("job-status-10")?.textContent, "the newest is last").toBe("4th in line");
    panel.upsert(job({ id: 7, status: "done" }));
    expect(q("job-status-8")?.textContent, "with nothing running ahead, it is next").toBe("Next in line");
    panel.progress({ jobId: 8, rowsDone: 10, totalRows: 200 });
    expect(q("job-status-8")?.textContent, "its first progress: running").toBe("Running");
    expect(q("job-status-9")?.textContent, "each moved up").toBe("2nd in line");
    expect(q("job-status-10")?.textContent).toBe("3rd in line");
  });

  it("names places in line as English ordinals", () => {
    const places = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 1002].map((n) => m.queuePosition(n));
    expect(places).toEqual([
      "Next in line",
      "2nd in line",
      "3rd in line",
      "4th in line",
      "11th in line",
      "12th in line",
      "13th in line",
      "21st in line",
      "22nd in line",
      "23rd in line",
      "101st in line",
      "111th in line",
      "1,002nd in line",
    ]);
  });

  it("does not bring back as queued a job whose end arrived before Confirm's answer", () => {
    const panel = new JobsPanel();
    panel.upsert(job({ id: 7, status: "done" }));
    panel.upsert(job({ id: 7, status: "queued" }));
    expect(panel.activeIds, "a small job can finish before the wizard hears it was queued").toEqual([]);
    expect(panel.element.hidden, "nothing left to show").toBe(true);
  });
});

describe("import-finished handler", () => {
  it("shows the result pop-up with the counts, refreshes the list and the report, and leaves the panel", () => {
    const panel = new JobsPanel();
    panel.upsert(job());
    let profiles = 0;
    let reports = 0;
    let opened = 0;
    const finished = job({
      status: "done",
      finishedAt: "2024-05-01T07:01:00Z",
      rowsDone: 200,
      counts: { rows: 200, created: 150, updated: 30, duplicates: 12, reviews: 3, failed: 5, sharedKeyRows: 0, nameDiffers: 0, identifierLimit: 0, blockedValues: 0, fixed: 0, excluded: 0 },
    });
    handleImportFinished(finished, {
      panel,
      refreshProfiles: () => (profiles += 1),
      refreshReport: () => (reports += 1),
      openReport: () => (opened += 1),
    });
    expect(q("import-result"), "the pop-up opens").not.toBeNull();
    expect(q("import-result-file")?.textContent, "it names the file").toBe("customers.xlsx");
    expect(q("result-created")?.textContent, "created").toBe("150");
    expect(q("result-updated")?.textContent, "updated").toBe("30");
    expect(q("result-duplicates")?.textContent, "in-file duplicates").toBe("12");
    expect(q("result-reviews")?.textContent, "reviews").toBe("3");
    expect(q("result-failed")?.textContent, "failed").toBe("5");
    expect(profiles, "the profile list and counts refresh").toBe(1);
    expect(reports, "the report refreshes").toBe(1);
    expect(panel.activeIds, "the finished job leaves the panel").toEqual([]);

    q("import-result-report")!.click();
    expect(opened, "Open report opens the report").toBe(1);
    expect(q("import-result"), "and closes the pop-up").toBeNull();
  });

  it("adds a second finished job to the open pop-up instead of hiding the first", () => {
    const panel = new JobsPanel();
    const deps = { panel, refreshProfiles: () => undefined, refreshReport: () => undefined, openReport: () => undefined };
    handleImportFinished(job({ id: 1, status: "done" }), deps);
    handleImportFinished(job({ id: 2, kind: "paste", fileName: "", status: "failed", error: "The app stopped" }), deps);
    expect(document.querySelectorAll('[data-testid="import-result"]').length, "one pop-up").toBe(1);
    expect(q("import-result-2")?.textContent, "a paste is named as such, with its error").toContain("Pasted data");
    expect(q("import-result-2")?.textContent, "the failure is explained").toContain("The app stopped");
    q("import-result-close")!.click();
    expect(q("import-result"), "Close closes it").toBeNull();
  });
});

describe("import result: the row count", () => {
  it("says 1 row, 2 rows (not 1 rows)", () => {
    const deps = { panel: new JobsPanel(), refreshProfiles: () => undefined, refreshReport: () => undefined, openReport: () => undefined };
    const one = { rows: 1, created: 1, updated: 0, duplicates: 0, reviews: 0, failed: 0, sharedKeyRows: 0, nameDiffers: 0, identifierLimit: 0, blockedValues: 0, fixed: 0, excluded: 0 };
    handleImportFinished(job({ id: 1, status: "done", totalRows: 1, counts: one }), deps);
    handleImportFinished(job({ id: 2, status: "done", totalRows: 2, counts: { ...one, rows: 2, created: 2 } }), deps);
    expect(q("import-result-1")?.textContent).toContain("1 row");
    expect(q("import-result-1")?.textContent).not.toContain("1 rows");
    expect(q("import-result-2")?.textContent).toContain("2 rows");
  });
});

describe("import result: the rule's guards", () => {
  it("lists only the guard counts that acted and opens the job's merge reviews", () => {
    const opened: number[] = [];
    const deps = {
      panel: new JobsPanel(),
      refreshProfiles: () => undefined,
      refreshReport: () => undefined,
      openReport: () => undefined,
      openReviews: (id: number) => opened.push(id),
    };
    handleImportFinished(
      job({ id: 9, status: "done", counts: importCounts({ rows: 200, created: 198, duplicates: 1, reviews: 1, sharedKeyRows: 42, nameDiffers: 1, blockedValues: 4 }) }),
      deps,
    );
    expect(q("result-guard-sharedKeyRows")?.textContent, "shared rows").toBe("42 rows with a shared value not used for matching");
    expect(q("result-guard-nameDiffers")?.textContent, "name guard").toBe("1 sent to review: name differs");
    expect(q("result-guard-blockedValues")?.textContent, "blocked values").toBe("4 blocked values dropped");
    expect(q("result-guard-identifierLimit"), "a guard that did not act is not mentioned").toBeNull();
    q("import-result-reviews-9")!.click();
    expect(opened, "the merge reviews of job 9").toEqual([9]);
    expect(q("import-result"), "the pop-up closes").toBeNull();
  });

  it("names the job's shared values, a few of them, and points to the report for the rest", () => {
    const keys = Array.from({ length: 7 }, (_, i) => ({ ...switchboard, value: `028 3822 12${i}0`, normalized: `+8428382212${i}0` }));
    handleImportFinished(job({ id: 5, status: "done", counts: importCounts({ rows: 200, sharedKeyRows: 60 }), sharedKeys: keys }), {
      panel: new JobsPanel(),
      refreshProfiles: () => undefined,
      refreshReport: () => undefined,
      openReport: () => undefined,
    });
    expect(q("result-shared-key-0")?.textContent, "the value, its rows, names and example rows").toBe(
      "Shared phone 028 3822 1200 in 42 rows (40 different names) — not used for matching (rows 3, 7, 12 …)",
    );
    expect(q("result-shared-key-5"), "at most five").toBeNull();
    expect(q("import-result-shared-keys")?.textContent, "the rest is counted").toContain("… and 2 more shared values in the report");
  });

  it("says nothing about guards and offers no review button when there is nothing to show", () => {
    handleImportFinished(job({ id: 3, status: "done", counts: importCounts({ rows: 5, created: 5 }) }), {
      panel: new JobsPanel(),
      refreshProfiles: () => undefined,
      refreshReport: () => undefined,
      openReport: () => undefined,
      openReviews: () => undefined,
    });
    expect(q("import-result-guards"), "no guard line").toBeNull();
    expect(q("import-result-reviews-3"), "no reviews, no button").toBeNull();
  });
});
