import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DryRun, ImportPreview, ImportSettings, JobSummary, MappingProblem } from "../ipc";
import { catalogue, channels, importCounts, settle, switchboard } from "../testFixtures";
import { ImportWizard, type ImportMode } from "./importWizard";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function choose(testid: string, value: string): void {
  const select = q<HTMLSelectElement>(testid)!;
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

const preview: ImportPreview = {
  fileName: "customers.xlsx",
  path: "/data/customers.xlsx",
  columns: [
    { index: 0, header: "Họ và tên", samples: ["Nguyễn Văn A", "Trần Thị B", "Lê C", "Phạm D"] },
    { index: 1, header: "SDT", samples: ["0912345678"] },
    { index: 2, header: "Ghi chú", samples: [] },
  ],
  totalRows: 120,
  mapping: [
    { column: 0, target: "full_name", reason: "sameName" },
    { column: 1, target: "phones", reason: "synonym" },
    { column: 2, target: null, reason: "noMatch" },
  ],
  problems: [],
  headerRow: null,
};

const dryRun: DryRun = {
  counts: { rows: 120, created: 100, updated: 12, duplicates: 5, reviews: 1, failed: 2, sharedKeyRows: 0, nameDiffers: 0, identifierLimit: 0, blockedValues: 0, fixed: 0, excluded: 0 },
  firstErrors: [{ row: 7, column: "SDT", value: "12", reason: "Not a phone number" }],
  sharedKeys: [],
  rowsToCheck: [
    {
      row: 7,
      cells: ["Lê C", "12", ""],
      problems: [{ column: 1, error: { field: "phones.0", code: "invalidPhone", message: "Not a phone number" } }],
      review: null,
      fixed: false,
    },
  ],
};

function job(id: number, fileName = "customers.xlsx"): JobSummary {
  return {
    id,
    kind: "file",
    fileName,
    status: "queued",
    createdBy: "admin",
    createdAt: "2024-05-01T07:00:00Z",
    startedAt: null,
    finishedAt: null,
    totalRows: 120,
    rowsDone: 0,
    counts: { rows: 0, created: 0, updated: 0, duplicates: 0, reviews: 0, failed: 0, sharedKeyRows: 0, nameDiffers: 0, identifierLimit: 0, blockedValues: 0, fixed: 0, excluded: 0 },
    error: null,
    errorCode: null,
    errorDetails: null,
    sharedKeys: [],
  };
}

let calls: Array<{ cmd: string; args: Record<string, unknown> }> = [];
let picked: string[];
let inspect: (path: string) => ImportPreview;
let problems: MappingProblem[];
let dryRunFor: (settings: ImportSettings) => DryRun;
let pasteFor: (text: string, firstRowIsData: boolean) => ImportPreview;

beforeEach(() => {
  calls = [];
  picked = ["/data/customers.xlsx"];
  inspect = () => preview;
  problems = [];
  dryRunFor = () => dryRun;
  pasteFor = () => {
    throw { code: "limit", message: "The pasted data has 1,204 rows; at most 1,000 rows can be pasted", details: null };
  };
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "pick_import_files":
        return picked;
      case "inspect_import_file":
        return inspect(a.path as string);
      case "check_import_mapping":
        return problems;
      case "dry_run_import":
        return dryRunFor(a.settings as ImportSettings);
      case "confirm_import":
        return job(calls.filter((c) => c.cmd === "confirm_import").length);
      case "read_clipboard":
        return "a\tb\nc\td";
      case "inspect_paste":
        return pasteFor(a.text as string, a.firstRowIsData as boolean);
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
});

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function openWizard(mode: ImportMode = "file", queued: JobSummary[] = []): ImportWizard {
  const w = new ImportWizard({ mode, fields: catalogue, channels, onQueued: (j) => queued.push(j), checkDelayMs: 0 });
  w.open(document.body);
  return w;
}

async function toMapping(): Promise<void> {
  q("import-choose-files")!.click();
  await settle();
  q("import-continue")!.click();
  await settle();
}

describe("import wizard: source", () => {
  it("takes files dropped on the window like chosen ones, once each, whichever item opened the wizard", async () => {
    const w = openWizard();
    expect(w.addDroppedFiles(["/drop/customers.xlsx"]), "an upload wizard takes dropped files").toBe(true);
    await settle();
    expect(w.addDroppedFiles(["/drop/customers.xlsx", "/drop/more.xlsx"]), "more can be dropped").toBe(true);
    await settle();
    const inspected = calls.filter((c) => c.cmd === "inspect_import_file").map((c) => c.args.path);
    expect(inspected, "each dropped file is checked by the core, once").toEqual(["/drop/customers.xlsx", "/drop/more.xlsx"]);
    expect(q("import-file-1")?.dataset.state, "the dropped files are listed and ready").toBe("ready");
    expect(q<HTMLButtonElement>("import-continue")?.disabled, "Continue goes on with them").toBe(false);
    w.close();

    const paste = openWizard("paste");
    expect(paste.addDroppedFiles(["/drop/customers.xlsx"]), "the paste shortcut's step takes files too").toBe(true);
    await settle();
    expect(q("import-file-0")?.dataset.state, "listed above the paste area").toBe("ready");
    paste.close();
    expect(paste.addDroppedFiles(["/drop/more.xlsx"]), "a closed wizard takes nothing").toBe(false);
  });

  it("lists chosen files; a refused file shows its message, is excluded, and the others go on", async () => {
    picked = ["/data/bad.xlsx", "/data/customers.xlsx"];
    inspect = (path) => {
      if (path === "/data/bad.xlsx") {
        throw { code: "importRefused", message: '"bad.xlsx" is not an Excel .xlsx file (it looks like a PDF)', details: { refusal: "notXlsx" } };
      }
      return preview;
    };
    openWizard();
    expect(q<HTMLButtonElement>("import-continue")?.disabled, "nothing chosen yet: Continue is disabled").toBe(true);
    q("import-choose-files")!.click();
    await settle();

    expect(q("import-file-0")?.dataset.state, "the refused file is marked").toBe("refused");
    expect(q("import-file-status-0")?.textContent, "the core's message is shown as is").toBe(
      '"bad.xlsx" is not an Excel .xlsx file (it looks like a PDF)',
    );
    expect(q("import-file-1")?.dataset.state, "the other file is ready").toBe("ready");
    expect(q("import-file-1")?.textContent, "the ready file shows its row count").toContain("120 rows");

    q("import-continue")!.click();
    await settle();
    expect(q("import-current-file")?.textContent, "the mapping step is for the accepted file").toContain("customers.xlsx");
  });

  it("offers to split a several-sheet workbook and queues the new files", async () => {
    picked = ["/data/book.xlsx"];
    inspect = (path) => {
      if (path === "/data/book.xlsx") {
        throw {
          code: "importRefused",
          message: '"book.xlsx" has 2 sheets with data (A, B): separate each sheet into its own file',
          details: { refusal: "severalSheets", sheets: ["A", "B"] },
        };
      }
      return { ...preview, fileName: path.slice(6), path };
    };
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      if (cmd === "pick_import_files") return picked;
      if (cmd === "inspect_import_file") return inspect(a.path as string);
      if (cmd === "split_import_file") return ["/data/book - A.xlsx", "/data/book - B.xlsx"];
      throw new Error(`unexpected ${cmd}`);
    });
    openWizard();
    q("import-choose-files")!.click();
    await settle();
    q("import-split-0")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "split_import_file")?.args, "the refused file is split").toEqual({ path: "/data/book.xlsx" });
    expect(q("import-file-1")?.dataset.state, "the first sheet's file is added and inspected").toBe("ready");
    expect(q("import-file-2")?.dataset.state, "the second too").toBe("ready");
    expect(q<HTMLButtonElement>("import-continue")?.disabled, "the split files can go on").toBe(false);
  });

  it("shows the paste row-limit refusal inline", async () => {
    openWizard("paste");
    q("import-read-clipboard")!.click();
    await settle();
    expect(q<HTMLTextAreaElement>("import-paste-text")?.value, "the clipboard text fills the text area").toBe("a\tb\nc\td");
    expect(q("import-paste-error")?.textContent, "the limit message is shown as is").toBe(
      "The pasted data has 1,204 rows; at most 1,000 rows can be pasted",
    );
    expect(q<HTMLButtonElement>("import-continue")?.disabled, "nothing can be imported").toBe(true);
    expect(q("error-banner"), "the refusal is inline, not a banner").toBeNull();
  });
});

describe("import wizard: one upload step, files or pasted data (seed 4.2 step 3)", () => {
  const pasted: ImportPreview = { ...preview, fileName: "Pasted data", path: null, totalRows: 2 };

  /** Mapping → consent → check → Confirm. */
  async function confirmCurrent(): Promise<void> {
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    q("import-confirm")!.click();
    await settle();
  }

  it("offers the file chooser and the paste area on the same step; each menu item focuses its own", () => {
    const expected = { file: ["Upload file", "import-choose-files"], paste: ["Paste data", "import-paste-text"] } as const;
    for (const mode of ["file", "paste"] as const) {
      const w = openWizard(mode);
      const step = document.querySelector<HTMLElement>('[data-testid="import-wizard"] [data-step="1"]')!;
      const within = (testid: string): Element | null => step.querySelector(`[data-testid="${testid}"]`);
      expect(document.getElementById("import-title")?.textContent, `${mode}: titled after the item`).toBe(expected[mode][0]);
      expect(within("import-choose-files"), `${mode}: .xlsx files can be chosen`).not.toBeNull();
      expect(within("import-file-source")?.textContent, `${mode}: or dropped`).toContain("drop them on the window");
      expect(within("import-paste-source")?.textContent, `${mode}: or data pasted instead`).toContain("Paste data instead");
      for (const testid of ["import-paste-text", "import-read-clipboard", "import-paste-summary"]) {
        expect(within(testid), `${mode}: the paste area's ${testid} is on the step`).not.toBeNull();
      }
      expect(document.activeElement?.getAttribute("data-testid"), `${mode}: focused`).toBe(expected[mode][1]);
      expect(q<HTMLButtonElement>("import-continue")?.disabled, `${mode}: nothing given yet`).toBe(true);
      w.close();
    }
  });

  it("data pasted in the Upload file wizard goes the paste's way: summary, mapping, a paste job", async () => {
    pasteFor = () => pasted;
    const queued: JobSummary[] = [];
    openWizard("file", queued);
    q("import-read-clipboard")!.click();
    await settle();
    expect(q("import-paste-summary")?.textContent, "the paste's summary").toBe("2 rows, 3 columns");
    expect(calls.filter((c) => c.cmd === "inspect_paste").map((c) => c.args.text), "read by the core's paste reader").toEqual(["a\tb\nc\td"]);
    q("import-continue")!.click();
    await settle();
    expect(q("import-current-file")?.textContent, "the mapping is for the pasted data").toContain("Pasted data");
    expect(q("import-position"), "alone in line: no position").toBeNull();
    await confirmCurrent();
    const confirm = calls.find((c) => c.cmd === "confirm_import");
    expect(confirm?.args.source, "queued as a paste").toEqual({ kind: "paste", text: "a\tb\nc\td" });
    expect(queued.length, "one job").toBe(1);
    expect(q("import-wizard"), "nothing else to take: closed").toBeNull();
  });

  it("takes files and pasted data given together: the files in their order, then the paste", async () => {
    picked = ["/data/thang-11.xlsx", "/data/thang-9.xlsx"];
    inspect = (path) => ({ ...preview, fileName: path.slice(6), path });
    pasteFor = () => pasted;
    const queued: JobSummary[] = [];
    openWizard("paste", queued);
    q("import-read-clipboard")!.click();
    await settle();
    q("import-choose-files")!.click();
    await settle();
    q("import-continue")!.click();
    await settle();
    expect(q("import-current-file")?.textContent, "the first file given first").toContain("thang-11.xlsx");
    expect(q("import-position")?.textContent, "its place among the three").toBe("1 of 3");
    await confirmCurrent();
    expect(q("import-current-file")?.textContent, "then the second file").toContain("thang-9.xlsx");
    expect(q("import-position")?.textContent).toBe("2 of 3");
    expect(q("import-back")?.hidden, "no way back once a source is queued").toBe(true);
    await confirmCurrent();
    expect(q("import-current-file")?.textContent, "the paste last").toContain("Pasted data");
    expect(q("import-position")?.textContent).toBe("3 of 3");
    await confirmCurrent();
    const sources = calls.filter((c) => c.cmd === "confirm_import").map((c) => c.args.source);
    expect(sources, "queued in the order given, nothing left out").toEqual([
      { kind: "file", path: "/data/thang-11.xlsx" },
      { kind: "file", path: "/data/thang-9.xlsx" },
      { kind: "paste", text: "a\tb\nc\td" },
    ]);
    expect(queued.length, "three jobs").toBe(3);
    expect(q("import-wizard"), "closed after the last").toBeNull();
  });

  it("a refused paste does not hold up the files given with it", async () => {
    openWizard("file");
    q("import-read-clipboard")!.click(); // over the limit (the default pasteFor)
    await settle();
    expect(q("import-paste-error")?.textContent, "the paste's refusal is said").toContain("at most 1,000 rows");
    expect(q<HTMLButtonElement>("import-continue")?.disabled, "nothing to import yet").toBe(true);
    q("import-choose-files")!.click();
    await settle();
    expect(q<HTMLButtonElement>("import-continue")?.disabled, "the file can go on").toBe(false);
    q("import-continue")!.click();
    await settle();
    expect(q("import-current-file")?.textContent).toContain("customers.xlsx");
    expect(q("import-position"), "the refused paste is not in line").toBeNull();
  });
});

describe("import wizard: a pasted header row", () => {
  const named: ImportPreview = {
    ...preview,
    fileName: "Pasted data",
    path: null,
    totalRows: 1,
    headerRow: ["Họ và tên", "SDT", "Ghi chú"],
  };
  const byPosition: ImportPreview = {
    ...named,
    totalRows: 2,
    headerRow: null,
    columns: named.columns.map((c) => ({ ...c, header: `Column ${c.index + 1}` })),
  };

  it("says the first row is taken for column names, and the user can say it is a customer", async () => {
    pasteFor = (_, firstRowIsData) => (firstRowIsData ? byPosition : named);
    openWizard("paste");
    q("import-read-clipboard")!.click();
    await settle();
    const notice = q("import-paste-header")!;
    expect(notice.hidden, "said under the text").toBe(false);
    expect(notice.textContent, "with the names it read").toContain("“Họ và tên”, “SDT”, “Ghi chú”");
    expect(q("import-paste-summary")?.textContent, "the names are not counted").toBe("1 row, 3 columns");
    q("import-paste-header-keep")!.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "inspect_paste").at(-1)?.args.firstRowIsData, "read again from the first row").toBe(true);
    expect(notice.textContent, "and says so").toContain("imported as a customer");
    expect(q("import-paste-summary")?.textContent).toBe("2 rows, 3 columns");
    // → mapping → consent → dry run
    for (let step = 0; step < 3; step++) {
      q("import-continue")!.click();
      await settle();
    }
    const dry = calls.find((c) => c.cmd === "dry_run_import");
    expect((dry?.args.settings as ImportSettings).headerRow, "the first row is imported").toBeUndefined();
  });

  it("leaves the names out of the import by default", async () => {
    pasteFor = () => named;
    openWizard("paste");
    q("import-read-clipboard")!.click();
    await settle();
    q("import-continue")!.click();
    await settle();
    expect(q("mapping-row-0")?.textContent, "the columns carry the names").toContain("Họ và tên");
    // → consent → dry run
    for (let step = 0; step < 2; step++) {
      q("import-continue")!.click();
      await settle();
    }
    const dry = calls.find((c) => c.cmd === "dry_run_import");
    expect((dry?.args.settings as ImportSettings).headerRow, "the core leaves the first row out").toBe(true);
  });

  it("says nothing for a paste of customers only", async () => {
    pasteFor = () => byPosition;
    openWizard("paste");
    q("import-read-clipboard")!.click();
    await settle();
    expect(q("import-paste-header")?.hidden).toBe(true);
  });
});

describe("import wizard: mapping grid", () => {
  it("renders one row per column with the suggested target selected and its status chip", async () => {
    openWizard();
    await toMapping();
    const rows = document.querySelectorAll('[data-testid^="mapping-row-"]:not([data-testid^="mapping-row-problems"])');
    expect(rows.length, "one row per source column").toBe(3);
    expect(q<HTMLSelectElement>("mapping-target-0")?.value, "suggested target selected").toBe("full_name");
    expect(q<HTMLSelectElement>("mapping-target-1")?.value, "synonym suggestion selected").toBe("phones");
    expect(q<HTMLSelectElement>("mapping-target-2")?.value, "no match: Do not import").toBe("");
    expect(q("mapping-status-0")?.textContent, "same-name chip").toBe("Same name");
    expect(q("mapping-status-1")?.textContent, "synonym chip").toBe("Synonym");
    expect(q("mapping-status-2")?.textContent, "not mapped chip").toBe("Not mapped");
    expect(q("mapping-row-0")?.querySelectorAll(".sample").length, "at most 3 sample values").toBe(3);
    const options = [...q<HTMLSelectElement>("mapping-target-0")!.options].map((o) => o.value);
    expect(options[0], "Do not import comes first").toBe("");
    expect(options.includes("created_at"), "system fields are not targets").toBe(false);
    expect(options.includes("note"), "other fields are").toBe(true);
  });

  it("sends the changed target to check_import_mapping and shows the problems", async () => {
    openWizard();
    await toMapping();
    problems = [{ code: "duplicateTarget", column: 2, message: "Full name is mapped twice (columns A and C)", warning: false }];
    choose("mapping-target-2", "full_name");
    await settle();
    const check = calls.filter((c) => c.cmd === "check_import_mapping").pop();
    expect(check?.args.mapping, "the grid's state is sent").toEqual([
      { column: 0, target: "full_name", reason: "sameName" },
      { column: 1, target: "phones", reason: "synonym" },
      { column: 2, target: "full_name", reason: "noMatch" },
    ]);
    expect(check?.args.columns, "with the source columns").toEqual(preview.columns);
    expect(q("mapping-status-2")?.textContent, "the chip says the user chose it").toBe("Chosen by you");
    expect(q("mapping-problems")?.textContent, "the problem is listed").toContain("Full name is mapped twice");
    expect(q("mapping-row-problems-2")?.textContent, "and shown on its row").toBe("Full name is mapped twice (columns A and C)");
  });
});

describe("import wizard: check and confirm", () => {
  it("keeps Confirm disabled while problems exist and does not dry-run", async () => {
    openWizard();
    await toMapping();
    problems = [{ code: "noIdentification", column: null, message: "Map at least one of full name, phones, e-mails", warning: false }];
    q("import-continue")!.click(); // → consent
    q("import-continue")!.click(); // → check
    await settle();
    expect(q("import-blocking")?.textContent, "the reason is given").toContain("Map at least one of full name, phones, e-mails");
    expect(q<HTMLButtonElement>("import-confirm")?.disabled, "Confirm is blocked").toBe(true);
    expect(calls.some((c) => c.cmd === "dry_run_import"), "no dry run with a failing mapping").toBe(false);
  });

  it("renders the dry-run counts and first errors, then confirms with the chosen settings", async () => {
    const queued: JobSummary[] = [];
    openWizard("file", queued);
    await toMapping();
    q<HTMLInputElement>("import-fill-empty")!.click();
    q("import-continue")!.click();
    choose("import-consent-sms", "granted");
    choose("import-consent-email", "denied");
    q("import-continue")!.click();
    await settle();

    expect(q("dry-run-created")?.textContent, "created count").toBe("100");
    expect(q("dry-run-updated")?.textContent, "updated count").toBe("12");
    expect(q("dry-run-duplicates")?.textContent, "in-file duplicates").toBe("5");
    expect(q("dry-run-reviews")?.textContent, "merge reviews").toBe("1");
    expect(q("dry-run-failed")?.textContent, "failed rows").toBe("2");
    expect(q("row-problems-7")?.textContent, "the rows to check are listed with their problem").toBe("SDT: Not a phone number");
    expect(q<HTMLInputElement>("fix-cell-7-1")?.value, "the failing cell, ready to correct").toBe("12");
    expect(q("dry-run-explain")?.textContent, "rows ≠ profiles is explained").toContain("merge into one profile");

    const dry = calls.find((c) => c.cmd === "dry_run_import");
    expect(dry?.args.source, "the file is the source").toEqual({ kind: "file", path: "/data/customers.xlsx" });
    expect(dry?.args.settings, "policy and consent come from the choices").toMatchObject({
      policy: "fillEmptyOnly",
      consent: { channels: { sms: "granted", email: "denied" } },
    });

    const confirm = q<HTMLButtonElement>("import-confirm")!;
    expect(confirm.disabled, "Confirm is enabled after a clean dry run").toBe(false);
    confirm.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "confirm_import").length, "confirmed once").toBe(1);
    expect(queued.map((j) => j.id), "the job goes to the jobs panel").toEqual([1]);
    expect(q("import-wizard"), "the wizard closes after the last file").toBeNull();
  });

  it("Back keeps the grid choices", async () => {
    openWizard();
    await toMapping();
    choose("mapping-target-2", "note");
    await settle();
    q("import-back")!.click();
    q("import-continue")!.click();
    await settle();
    expect(q<HTMLSelectElement>("mapping-target-2")?.value, "the choice survives Back → Continue").toBe("note");
  });

  it("moves to the next file after Confirm", async () => {
    picked = ["/data/a.xlsx", "/data/b.xlsx"];
    inspect = (path) => ({ ...preview, fileName: path.slice(6), path });
    const queued: JobSummary[] = [];
    openWizard("file", queued);
    await toMapping();
    expect(q("import-current-file")?.textContent, "first file first").toContain("a.xlsx");
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    q("import-confirm")!.click();
    await settle();
    expect(q("import-wizard"), "the wizard stays open for the next file").not.toBeNull();
    expect(q("import-current-file")?.textContent, "the next file is on the mapping step").toContain("b.xlsx");
    expect(queued.length, "the first file is queued").toBe(1);
  });
});

describe("import wizard: warnings and the rule's guards", () => {
  const typeFit: MappingProblem = {
    code: "typeMisfits",
    column: 1,
    message:
      "3 of 20 sampled values of column “SDT” do not fit Phones (phone numbers), e.g. “gọi sau”, “x”, “12”; rows whose value does not fit will fail with the reason",
    warning: true,
  };

  it("shows a warning in amber on its row and in the box, and neither Continue nor Confirm is blocked", async () => {
    inspect = () => ({ ...preview, problems: [typeFit] });
    problems = [typeFit];
    openWizard();
    await toMapping();
    expect(q("mapping-warnings")?.textContent, "the core's message is shown").toContain("3 of 20 sampled values of column “SDT” do not fit Phones");
    expect(q("mapping-blocking"), "a warning is not a problem to fix").toBeNull();
    expect(q("mapping-row-problems-1")?.querySelector(".field-warning")?.textContent, "on its row, as a warning").toBe(typeFit.message);
    expect(q("mapping-row-1")?.classList.contains("has-warning"), "the row is marked as warned").toBe(true);
    expect(q("mapping-row-1")?.classList.contains("has-problem"), "not as failing").toBe(false);
    expect(q<HTMLButtonElement>("import-continue")?.disabled, "Continue is not blocked").toBe(false);

    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    expect(q("import-blocking"), "the check step does not refuse").toBeNull();
    expect(calls.some((c) => c.cmd === "dry_run_import"), "the dry run runs").toBe(true);
    expect(q<HTMLButtonElement>("import-confirm")?.disabled, "Confirm is enabled").toBe(false);
  });

  it("still blocks on a real problem next to a warning", async () => {
    problems = [typeFit, { code: "noIdentification", column: null, message: "Map at least one of full name, phones, e-mails", warning: false }];
    openWizard();
    await toMapping();
    choose("mapping-target-2", "note");
    await settle();
    expect(q("mapping-blocking")?.textContent, "one problem to fix").toContain("1 problem to fix");
    expect(q("mapping-warnings")?.textContent, "and the warning apart").toContain("1 warning");
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    expect(q("import-blocking")?.textContent, "only the real problem is listed").not.toContain("sampled values");
    expect(q("import-blocking")?.textContent, "which is listed").toContain("Map at least one of full name");
    expect(q<HTMLButtonElement>("import-confirm")?.disabled, "Confirm is blocked").toBe(true);
  });

  it("shows every guard count (0 included) and the shared values with their example rows", async () => {
    dryRunFor = () => ({
      ...dryRun,
      counts: importCounts({ rows: 200, created: 198, duplicates: 1, reviews: 1, sharedKeyRows: 42, nameDiffers: 1, blockedValues: 4 }),
      sharedKeys: [switchboard],
    });
    openWizard();
    await toMapping();
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    expect(q("dry-run-shared-key-rows")?.textContent, "rows with a shared value").toBe("42");
    expect(q("dry-run-name-differs")?.textContent, "reviews because the name differs").toBe("1");
    expect(q("dry-run-identifier-limit")?.textContent, "a guard that did not act shows 0").toBe("0");
    expect(q("dry-run-blocked-values")?.textContent, "blocked values dropped").toBe("4");
    expect(q("shared-key-0")?.textContent, "the shared value, its rows and names").toContain(
      "Shared phone 028 3822 1234 in 42 rows (40 different names) — not used for matching",
    );
    expect(q("shared-key-0")?.textContent, "with example rows").toContain("rows 3, 7, 12 …");
    expect(q<HTMLInputElement>("shared-key-use-0")?.checked, "not used unless the user says so").toBe(false);
  });

  it("toggling 'use it anyway' re-runs the dry run with useSharedKeys, and Confirm sends the same settings", async () => {
    dryRunFor = (settings) =>
      settings.useSharedKeys?.includes(switchboard.normalized)
        ? { ...dryRun, counts: importCounts({ rows: 200, created: 150, duplicates: 45, reviews: 5 }), sharedKeys: [{ ...switchboard, usedAnyway: true }] }
        : { ...dryRun, counts: importCounts({ rows: 200, created: 198, duplicates: 1, reviews: 1, sharedKeyRows: 42 }), sharedKeys: [switchboard] };
    const queued: JobSummary[] = [];
    openWizard("file", queued);
    await toMapping();
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    expect(q("dry-run-shared-key-rows")?.textContent, "before: 42 rows not matched on the switchboard").toBe("42");
    const first = calls.filter((c) => c.cmd === "dry_run_import");
    expect(first.length, "one dry run so far").toBe(1);
    expect((first[0]?.args.settings as ImportSettings).useSharedKeys, "no shared value used at first").toBeUndefined();

    const toggle = q<HTMLInputElement>("shared-key-use-0")!;
    toggle.focus();
    toggle.click();
    expect(q<HTMLButtonElement>("import-confirm")?.disabled, "Confirm waits for the new dry run").toBe(true);
    await settle();
    const runs = calls.filter((c) => c.cmd === "dry_run_import");
    expect(runs.length, "the toggle re-ran the dry run").toBe(2);
    expect((runs[1]?.args.settings as ImportSettings).useSharedKeys, "with the normalised value").toEqual(["+842838221234"]);
    expect(q("dry-run-shared-key-rows")?.textContent, "the counts are the new ones").toBe("0");
    expect(q("dry-run-duplicates")?.textContent, "rows now merge on the switchboard").toBe("45");
    expect(q("shared-key-0")?.textContent, "the line says it is used").toContain("used for matching, as chosen");
    expect(q<HTMLInputElement>("shared-key-use-0")?.checked, "the toggle stays on").toBe(true);
    expect(document.activeElement?.getAttribute("data-testid"), "the toggle keeps the focus").toBe("shared-key-use-0");

    q("import-confirm")!.click();
    await settle();
    const confirm = calls.find((c) => c.cmd === "confirm_import");
    expect(confirm?.args.settings, "Confirm sends what the dry run ran").toEqual(runs[1]?.args.settings);
    expect(queued.length, "queued").toBe(1);
  });

  it("toggling back leaves the value out again", async () => {
    dryRunFor = () => ({ ...dryRun, sharedKeys: [switchboard] });
    openWizard();
    await toMapping();
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    q("shared-key-use-0")!.click();
    await settle();
    q("shared-key-use-0")!.click();
    await settle();
    const runs = calls.filter((c) => c.cmd === "dry_run_import");
    expect(runs.length, "one run per toggle").toBe(3);
    expect((runs[2]?.args.settings as ImportSettings).useSharedKeys, "nothing used anymore").toBeUndefined();
  });
});

describe("import wizard: fix before Confirm (issue 16)", () => {
  const failing = (row: number, cell: string, fixed = false): DryRun["rowsToCheck"][number] => ({
    row,
    cells: [`Khách ${row}`, cell, ""],
    problems: [{ column: 1, error: { field: "phones.0", code: "invalidPhone", message: `“${cell}” is not a phone number` } }],
    review: null,
    fixed,
  });
  const review: DryRun["rowsToCheck"][number] = {
    row: 12,
    cells: ["Phạm Văn Hùng", "0935 111 222", ""],
    problems: [],
    review: { reason: "nameDiffers", candidates: ["Trần Thị Lan"] },
    fixed: false,
  };

  /** The core's dry run as the fixes make it: row 7 passes once its phone is fixed, row 9 is left out. */
  function withFixes(settings: ImportSettings): DryRun {
    const fixes = settings.fixes ?? { cells: [], excluded: [] };
    const seven = fixes.cells.find((c) => c.row === 7)?.value;
    const sevenOk = seven !== undefined && /^0\d{9}$/.test(seven.replace(/\s/g, ""));
    const nineOut = fixes.excluded.includes(9);
    const rows = [...(sevenOk ? [] : [failing(7, seven ?? "12", seven !== undefined)]), ...(nineOut ? [] : [failing(9, "090 123 45")]), review];
    return {
      ...dryRun,
      counts: importCounts({
        rows: 120,
        created: 120 - rows.length - (nineOut ? 1 : 0),
        failed: rows.length - 1,
        reviews: 1,
        fixed: seven !== undefined ? 1 : 0,
        excluded: nineOut ? 1 : 0,
      }),
      rowsToCheck: rows,
    };
  }

  async function toCheck(queued: JobSummary[] = []): Promise<void> {
    dryRunFor = withFixes;
    openWizard("file", queued);
    await toMapping();
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
  }

  function type(testid: string, value: string): void {
    const input = q<HTMLInputElement>(testid)!;
    input.focus();
    input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  const runs = () => calls.filter((c) => c.cmd === "dry_run_import").map((c) => c.args.settings as ImportSettings);

  it("lists the failing rows with their mapped cells as inputs and the review with whom it matched", async () => {
    await toCheck();
    expect(q("rows-to-check")?.querySelector("h3")?.textContent).toBe("Rows to check before Confirm (3)");
    const heads = [...document.querySelectorAll('[data-testid="rows-to-check-table"] th[scope="col"]')].map((th) => th.textContent);
    expect(heads, "the mapped columns under the file's own headers").toEqual(["Row", "Họ và tên", "SDT", "What to check", "Leave out"]);
    expect(q<HTMLInputElement>("fix-cell-9-1")?.value).toBe("090 123 45");
    expect(q<HTMLInputElement>("fix-cell-9-1")?.getAttribute("aria-invalid"), "the failing cell is marked").toBe("true");
    expect(q<HTMLInputElement>("fix-cell-9-0")?.getAttribute("aria-invalid")).toBe("false");
    expect(q("fix-cell-9-2"), "an unmapped column is not offered").toBeNull();
    expect(q("row-problems-12")?.textContent).toBe("Goes to merge review (Name differs): matches Trần Thị Lan");
    expect(q("your-fixes"), "no fixes yet").toBeNull();
  });

  it("a corrected cell re-runs the dry run with the fix; the row leaves the list and stays under Your fixes with Undo", async () => {
    await toCheck();
    type("fix-cell-7-1", "0912 345 678");
    expect(q<HTMLButtonElement>("import-confirm")?.disabled, "Confirm waits for the dry run of the fix").toBe(true);
    await settle();
    expect(runs().at(-1)?.fixes, "the fix goes to the core").toEqual({ cells: [{ row: 7, column: 1, value: "0912 345 678" }], excluded: [] });
    expect(q("row-to-check-7"), "row 7 passes now").toBeNull();
    expect(q("fix-summary-7")?.textContent).toContain("Row 7: SDT “12” → “0912 345 678”");
    expect(q("dry-run-fixes")?.textContent).toBe("1 row fixed, 0 left out — for this import only");
    expect(document.activeElement?.getAttribute("data-testid"), "the next cell to fix takes the focus").toBe("fix-cell-9-1");

    q("fix-exclude-9")!.click();
    await settle();
    expect(runs().at(-1)?.fixes?.excluded, "the row left out goes to the core").toEqual([9]);
    expect(q("fix-summary-9")?.textContent).toContain("Row 9: left out of this import");

    q("fix-undo-7")!.click();
    await settle();
    expect(runs().at(-1)?.fixes, "Undo takes the fix back").toEqual({ cells: [], excluded: [9] });
    expect(q<HTMLInputElement>("fix-cell-7-1")?.value, "row 7 is back with the file's value").toBe("12");
  });

  it("a fix that still fails keeps the row listed with the fixed value, and typing the file's value back drops the fix", async () => {
    await toCheck();
    type("fix-cell-7-1", "0912");
    await settle();
    expect(q<HTMLInputElement>("fix-cell-7-1")?.value).toBe("0912");
    expect(q("row-to-check-7")?.textContent, "marked as fixed").toContain("fixed");
    expect(q("fix-summary-7")?.textContent).toContain("“12” → “0912”");
    type("fix-cell-7-1", "12");
    await settle();
    expect(runs().at(-1)?.fixes, "no fix left: the settings carry none").toBeUndefined();
    expect(q("your-fixes")).toBeNull();
  });

  it("shows a date cell of a date field as dd/mm/yyyy; left as shown or typed back it is no fix, changed it is sent as typed", async () => {
    const phone = { column: 1, error: { field: "phones.0", code: "invalidPhone", message: "“12” is not a phone number" } };
    dryRunFor = (settings) => {
      const born = settings.fixes?.cells.find((c) => c.row === 7 && c.column === 2)?.value;
      return {
        ...dryRun,
        counts: importCounts({ rows: 120, created: 119, failed: 1, fixed: born === undefined ? 0 : 1 }),
        rowsToCheck: [{ row: 7, cells: ["Khách 7", "12", born ?? "1985-07-04"], problems: [phone], review: null, fixed: born !== undefined }],
      };
    };
    openWizard();
    await toMapping();
    choose("mapping-target-2", "birthday");
    await settle();
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    expect(q<HTMLInputElement>("fix-cell-7-2")?.value, "the workbook's date, day first").toBe("04/07/1985");
    expect(q<HTMLInputElement>("fix-cell-7-1")?.value, "other cells as the file has them").toBe("12");
    type("fix-cell-7-2", "04/07/1985");
    await settle();
    expect(runs().at(-1)?.fixes, "the date as shown is no fix").toBeUndefined();
    type("fix-cell-7-2", "05/07/1985");
    await settle();
    expect(runs().at(-1)?.fixes, "a changed date goes as typed").toEqual({ cells: [{ row: 7, column: 2, value: "05/07/1985" }], excluded: [] });
    expect(q("fix-summary-7")?.textContent, "the change reads in one format").toContain("“04/07/1985” → “05/07/1985”");
    expect(q<HTMLInputElement>("fix-cell-7-2")?.value, "the fixed value as typed").toBe("05/07/1985");
    type("fix-cell-7-2", "04/07/1985");
    await settle();
    expect(runs().at(-1)?.fixes, "typed back to the file's date: no fix left").toBeUndefined();
  });

  it("Confirm sends the fixes the last dry run checked", async () => {
    const queued: JobSummary[] = [];
    await toCheck(queued);
    type("fix-cell-7-1", "0912 345 678");
    await settle();
    q("fix-exclude-9")!.click();
    await settle();
    q("import-confirm")!.click();
    await settle();
    const confirm = calls.find((c) => c.cmd === "confirm_import");
    expect((confirm?.args.settings as ImportSettings).fixes).toEqual({ cells: [{ row: 7, column: 1, value: "0912 345 678" }], excluded: [9] });
    expect(confirm?.args.settings, "exactly what the dry run ran").toEqual(runs().at(-1));
    expect(queued.length).toBe(1);
  });
});
