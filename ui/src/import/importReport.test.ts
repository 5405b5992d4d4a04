import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobMail, JobSummary, RefusedUpload } from "../ipc";
import { h } from "../shell/dom";
import { Shortcuts, undoNewestImport } from "../shell/shortcuts";
import { settle, switchboard } from "../testFixtures";
import { ImportReport } from "./importReport";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const base: JobSummary = {
  id: 1,
  kind: "file",
  fileName: "customers.xlsx",
  status: "done",
  createdBy: "admin",
  createdAt: "2024-05-01T07:00:00Z",
  startedAt: "2024-05-01T07:00:00Z",
  finishedAt: "2024-05-01T07:02:05Z",
  totalRows: 200,
  rowsDone: 200,
  counts: { rows: 200, created: 150, updated: 30, duplicates: 12, reviews: 3, failed: 5, sharedKeyRows: 0, nameDiffers: 0, identifierLimit: 0, blockedValues: 0, fixed: 0, excluded: 0 },
  error: null,
  errorCode: null,
  errorDetails: null,
  sharedKeys: [],
};

let calls: Array<{ cmd: string; args: unknown }> = [];
let mails: JobMail[] = [];
let refused: RefusedUpload[] = [];
let syncServer: string | null = null;
/** What import_jobs answers; null: the default pair (a done job, then a running paste). */
let jobs: JobSummary[] | null = null;

beforeEach(() => {
  calls = [];
  mails = [];
  refused = [];
  syncServer = null;
  jobs = null;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "job_mails") return mails;
    if (cmd === "refused_uploads") return refused;
    if (cmd === "sync_status") return { connected: syncServer !== null, serverUrl: syncServer };
    if (cmd === "sync_job_ops") return { held: 140, sent: 10, heldUntil: null };
    if (cmd === "import_jobs" && jobs) return jobs;
    if (cmd === "import_jobs")
      return [
        base,
        {
          ...base,
          id: 2,
          kind: "paste",
          fileName: "",
          status: "running",
          finishedAt: null,
          counts: { ...base.counts, failed: 0, sharedKeyRows: 12, nameDiffers: 3, fixed: 3, excluded: 2 },
          sharedKeys: [{ ...switchboard, usedAnyway: true }],
        },
      ];
    if (cmd === "save_failed_rows") return "/home/u/customers - failed rows.xlsx";
    if (cmd === "undo_import")
      return {
        job: { ...base, status: "undone" },
        removed: 149,
        restored: 30,
        kept: [{ profileId: 7, label: "Lan", why: "edited" }],
        message:
          "Undid the import of customers.xlsx: 149 profiles removed, 30 profiles restored. 1 profile changed since the import was kept: Lan (#7, edited since).",
      };
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

async function show(changed: () => void = () => undefined): Promise<ImportReport> {
  const r = new ImportReport({ onBack: () => undefined, onChanged: changed });
  r.element.hidden = false;
  document.body.appendChild(r.element);
  await r.refresh();
  return r;
}

describe("import report", () => {
  it("shows an e-mail that was not sent with why, and Retry", async () => {
    mails = [
      {
        jobKind: "import",
        jobId: 1,
        status: "skipped",
        reason: "domainNotAllowed",
        recipient: null,
        detail: "Not sent to lan@gmail.com: results may only be e-mailed to addresses at congty.vn",
        attempts: 0,
        updatedAt: "2024-05-01T07:02:06Z",
      },
    ];
    await show();
    const line = q("report-mail-1");
    expect(line?.textContent, "the reason is in the row").toContain("E-mail not sent: Not sent to lan@gmail.com");
    expect(line?.dataset.reason).toBe("domainNotAllowed");
    expect(q("report-mail-retry-1"), "fixable: Retry").not.toBeNull();
    expect(q("report-mail-2"), "no e-mail recorded for the running job").toBeNull();
  });

  it("lists a file refused at upload among the jobs by time, with why, who and when", async () => {
    refused = [
      {
        id: 4,
        fileName: "khach-hang.xlsm",
        code: "notXlsx",
        reason: "khach-hang.xlsm is not an Excel .xlsx file (it looks like a macro-enabled workbook (.xlsm); save it as .xlsx)",
        details: null,
        refusedBy: "lan",
        refusedAt: "2099-01-01T00:00:00Z",
      },
    ];
    await show();
    const row = q("report-refused-4")!;
    expect(row.textContent, "the file and who gave it").toContain("khach-hang.xlsm");
    expect(row.textContent).toContain("lan");
    expect(row.textContent, "said as refused").toContain("Refused at upload");
    expect(q("report-refused-reason-4")?.textContent, "with the sentence the user saw").toContain("macro-enabled workbook");
    const order = [...document.querySelectorAll("[data-testid=report-table] tbody tr")].map((r) => r.getAttribute("data-testid"));
    expect(order[0], "the newest first").toBe("report-refused-4");
    expect(row.querySelector("button"), "nothing to undo or download").toBeNull();
  });

  it("lists every job with its counts and the actions that apply", async () => {
    await show();
    const row = q("report-row-1")!;
    expect(row.textContent, "file name").toContain("customers.xlsx");
    expect(row.textContent, "duration").toContain("2 min 5 s");
    expect(q("report-created-1")?.textContent, "created").toBe("150");
    expect(q("report-duplicates-1")?.textContent, "in-file duplicates").toBe("12");
    expect(q("report-failed-count-1")?.textContent, "failed").toBe("5");
    expect(q("report-row-2")?.textContent, "a paste is called Pasted data").toContain("Pasted data");
    expect(q<HTMLButtonElement>("report-failed-2")?.disabled, "no failed rows: no download").toBe(true);
    expect(q("report-undo-2"), "a running job cannot be undone").toBeNull();
  });

  it("downloads the failed rows and toasts where they went", async () => {
    await show();
    q("report-failed-1")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "save_failed_rows")?.args, "by job id").toEqual({ jobId: 1 });
    expect(q("toast")?.textContent, "the saved path is told").toContain("/home/u/customers - failed rows.xlsx");
  });

  it("asks before undoing, then undoes and refreshes", async () => {
    let changed = 0;
    await show(() => (changed += 1));
    q("report-undo-1")!.click();
    await settle();
    expect(q("undo-confirm")?.textContent, "the consequences are spelled out").toContain("150 created profiles will be removed");
    expect(q("undo-confirm")?.textContent, "no sync is claimed when none is set up").not.toMatch(/sync/i);
    expect(calls.some((c) => c.cmd === "undo_import"), "nothing undone before confirming").toBe(false);
    q("undo-confirm-yes")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "undo_import")?.args, "undo by job id").toEqual({ jobId: 1 });
    expect(q("toast")?.textContent, "the result is toasted").toContain("149 profiles removed");
    expect(q("toast")?.textContent, "profiles changed since are named").toContain("1 profile changed since the import was kept: Lan (#7");
    expect(q("undo-confirm"), "the question closes").toBeNull();
    expect(changed, "the profile list refreshes").toBe(1);
  });

  it("says what the undo can still take back when the store syncs with a server", async () => {
    syncServer = "https://cdp.example.vn";
    await show();
    q("report-undo-1")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "sync_job_ops")?.args, "the job's ops are asked for").toEqual({ job: 1 });
    const note = q("undo-sync-note")?.textContent;
    expect(note).toContain("140 changes of this import are still on this computer: undo takes them back, and cdp.example.vn never sees them.");
    expect(note).toContain("10 changes have already gone to cdp.example.vn: the profiles they touched stay as they are");
  });

  it("opens the merge reviews of a job from its reviews count", async () => {
    const opened: number[] = [];
    const r = new ImportReport({ onBack: () => undefined, onChanged: () => undefined, onShowReviews: (id) => opened.push(id) });
    r.element.hidden = false;
    document.body.appendChild(r.element);
    await r.refresh();
    expect(q("report-reviews-1")?.textContent, "the count stays readable").toBe("3");
    q("report-open-reviews-1")!.click();
    expect(opened, "the reviews of job 1").toEqual([1]);
    expect(q("report-open-reviews-2")?.textContent, "job 2 has reviews too").toBe("3");
  });
});

describe("import report: Ctrl+Z", () => {
  /** The app's shortcuts with the report on screen (as shell/app.ts registers it). */
  function keysOn(r: ImportReport): Shortcuts {
    return new Shortcuts({
      actions: () => ({ undo: () => undoNewestImport(r.element) }),
      newProfile: null,
      sheet: { save: false, deleteSelected: false, undo: true },
    });
  }

  function ctrlZ(keys: Shortcuts, target: HTMLElement = document.body): boolean {
    const e = new KeyboardEvent("keydown", { key: "z", ctrlKey: true, bubbles: true, cancelable: true });
    Object.defineProperty(e, "target", { value: target });
    keys.onKey(e);
    return e.defaultPrevented;
  }

  const newer: JobSummary = { ...base, id: 3, fileName: "leads.xlsx", createdAt: "2024-05-02T09:00:00Z", startedAt: "2024-05-02T09:00:00Z" };

  it("asks the Undo button's question about the newest import, and undoes only after Yes", async () => {
    jobs = [base, newer];
    const r = await show();
    const keys = keysOn(r);
    q("report-undo-3")!.click();
    await settle();
    const asked = q("undo-confirm")!.textContent;
    q("undo-confirm-no")!.click();

    expect(ctrlZ(keys), "Ctrl+Z is taken").toBe(true);
    await settle();
    expect(q("undo-confirm")?.textContent, "the same question as the button's").toBe(asked);
    expect(q("undo-confirm")?.textContent, "about the newest import").toContain("leads.xlsx");
    expect(ctrlZ(keys), "a second Ctrl+Z while it asks does nothing more").toBe(false);
    expect(document.querySelectorAll('[data-testid="undo-confirm"]').length, "one question").toBe(1);
    q("undo-confirm-no")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "undo_import"), "Keep: nothing undone").toBe(false);

    ctrlZ(keys);
    await settle();
    q("undo-confirm-yes")!.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "undo_import").map((c) => c.args), "Yes: the newest import undone").toEqual([{ jobId: 3 }]);
  });

  it("does nothing when the newest import has no undo (still running), nor while typing in a field", async () => {
    const r = await show(); // the newest: a paste still running
    const keys = keysOn(r);
    expect(ctrlZ(keys), "no undo: the key is left alone").toBe(false);
    expect(q("undo-confirm"), "no question").toBeNull();

    jobs = [base, newer];
    await r.refresh();
    const search = h("input", { type: "search" });
    document.body.appendChild(search);
    expect(ctrlZ(keys, search), "typing keeps the browser's own undo").toBe(false);
    await settle();
    expect(q("undo-confirm"), "no question from a field").toBeNull();
    expect(calls.some((c) => c.cmd === "undo_import")).toBe(false);
  });
});

describe("import report: the rule's guards", () => {
  it("shows under the file what the guards did, only when they acted", async () => {
    await show();
    expect(q("report-guards-1"), "job 1: no guard acted").toBeNull();
    expect(q("report-guard-sharedKeyRows-2")?.textContent, "job 2: shared rows").toBe("12 rows with a shared value not used for matching");
    expect(q("report-guard-nameDiffers-2")?.textContent, "job 2: name guard").toBe("3 sent to review: name differs");
    expect(q("report-guard-blockedValues-2"), "zero counts are left out").toBeNull();
    expect(q("report-fixes-1"), "job 1: nothing fixed before Confirm").toBeNull();
    expect(q("report-fixes-2")?.textContent, "job 2: its fixes counted").toBe("Fixed before Confirm: 3 · left out: 2");
    expect(q("report-shared-1"), "job 1 shared nothing").toBeNull();
    expect(q("report-shared-2")?.querySelector("summary")?.textContent, "job 2: folded, counted").toBe("1 shared value");
    expect(q("report-shared-key-2-0")?.textContent, "with what the job did with it").toBe(
      "Shared phone 028 3822 1234 in 42 rows (40 different names) — used for matching, as chosen (rows 3, 7, 12 …)",
    );
  });
});
