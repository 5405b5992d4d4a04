// A refused file's sentence from the core's code and details: in English word for word the
// core's message (the CLI's, and what the E2E tests read), the system's own text on a line of
// its own; a sentence for every code the core has (read from crates/xlsx/src/refusal.rs) and
// words for every kind of file the core names (read from crates/xlsx/src/guard.rs).
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { IpcError, type RefusedUpload } from "../ipc";
import { settle } from "../testFixtures";
import { ImportReport } from "./importReport";
import { REFUSAL_SAMPLES } from "./refusalFixtures";
import { REFUSAL_CODES, failureText, refusalBytes, refusalSentence, refusalText } from "./refusals";

const REFUSAL_RS = import.meta.glob<string>("../../../crates/xlsx/src/refusal.rs", { query: "?raw", import: "default", eager: true });
const GUARD_RS = import.meta.glob<string>("../../../crates/xlsx/src/guard.rs", { query: "?raw", import: "default", eager: true });

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

/** The body of `fn name` in Rust source, up to its closing brace (`indent`: a method's 4). */
function rustFn(source: string, name: string, indent = 0): string {
  const start = source.indexOf(`fn ${name}`);
  if (start < 0) return "";
  const body = source.slice(start);
  const end = body.indexOf(`\n${" ".repeat(indent)}}\n`);
  return end < 0 ? body : body.slice(0, end);
}

/** The codes `ImportRefusal::code` answers. */
function coreCodes(): string[] {
  const source = Object.values(REFUSAL_RS)[0] ?? "";
  return [...rustFn(source, "code(", 4).matchAll(/=> "([A-Za-z]+)"/g)].map((hit) => hit[1] ?? "");
}

/** Every description of a file that is not .xlsx the core can send as `looksLike`. */
function coreKinds(): string[] {
  const source = Object.values(GUARD_RS)[0] ?? "";
  const bodies = ["sniff(", "zip_kind(", "other_workbook_kind<", "refuse_non_zip("].map((name) => rustFn(source, name));
  // String literals (not byte strings) that start like a description: "a …", "an …".
  return [...new Set(bodies.flatMap((body) => [...body.matchAll(/(?<![\w"])"(an? [^"\\]+)"/g)].map((hit) => hit[1] ?? "")))];
}

describe("refusal sentences", () => {
  it("has a sentence for every code of the core's ImportRefusal", () => {
    const codes = coreCodes();
    expect(codes.length, "the core's codes were read").toBeGreaterThanOrEqual(14);
    expect(codes.filter((code) => !(REFUSAL_CODES as readonly string[]).includes(code)), "codes with no sentence here").toEqual([]);
    expect(REFUSAL_CODES.filter((code) => !REFUSAL_SAMPLES.some((s) => s.code === code)), "codes without a sample to test").toEqual([]);
  });

  it("says in English what the core says, word for word, the system's text on its own line", () => {
    for (const sample of REFUSAL_SAMPLES) {
      const said = refusalText(sample.code, sample.details);
      expect(said, sample.core).not.toBeNull();
      const { sentence, detail } = said!;
      if (detail === null) {
        expect(sentence, sample.code).toBe(sample.core);
      } else {
        expect([`${sentence} (${detail})`, `${sentence}: ${detail}`], sample.code).toContain(sample.core);
      }
      expect(refusalSentence(sample.code, sample.details)).toBe(sentence);
    }
  });

  it("has words for every kind of file the core says a refused file looks like", () => {
    const kinds = coreKinds();
    expect(kinds.length, "the core's descriptions were read").toBeGreaterThan(20);
    expect(kinds, "a description of the core is read").toContain("a macro-enabled workbook (.xlsm); save it as .xlsx");
    for (const looksLike of kinds) {
      const said = refusalText("notXlsx", { file: "a.xlsx", looksLike });
      expect(said?.detail, `no words for "${looksLike}"`).toBeNull();
      expect(said?.sentence).toBe(`"a.xlsx" is not an Excel .xlsx file (it looks like ${looksLike})`);
    }
  });

  it("shows a kind it has no words for under the sentence, as the core wrote it", () => {
    expect(refusalText("notXlsx", { file: "a.xlsx", looksLike: "a Lotus 1-2-3 worksheet" })).toEqual({
      sentence: '"a.xlsx" is not an Excel .xlsx file',
      detail: "a Lotus 1-2-3 worksheet",
    });
  });

  it("answers nothing for a code it does not know or details it cannot read", () => {
    expect(refusalText("tooManyWorksheets", { file: "a.xlsx" }), "a newer core's code").toBeNull();
    expect(refusalText("tooLarge", null), "a refusal kept before the details were").toBeNull();
    expect(refusalText("empty", {}), "no file").toBeNull();
    expect(refusalText("tooLarge", { file: "a.xlsx", size: "12 MB", limit: 10 }), "a size that is not a number").toBeNull();
    expect(refusalText("tooManyRows", { file: "a.xlsx", rows: 3, limit: 2 }), "rows without exact").toBeNull();
    expect(refusalText("duplicateHeader", { file: "a.xlsx", name: "SĐT", cells: ["B1"] }), "one cell of two").toBeNull();
    expect(refusalText("damaged", { file: "a.xlsx" }), "no detail").toBeNull();
    expect(refusalSentence("severalSheets", { file: "a.xlsx", sheets: "A, B" }), "sheets not a list").toBeNull();
  });

  it("sizes a file as the core does: rounded up, so a file over the limit never reads as the limit", () => {
    const MB = 1024 * 1024;
    expect(refusalBytes(10 * MB)).toBe("10 MB");
    expect(refusalBytes(10 * MB + 1)).toBe("10.1 MB");
    expect(refusalBytes(13_002_342)).toBe("12.4 MB");
    expect(refusalBytes(2 * 1024 * MB)).toBe("2 GB");
    expect(refusalBytes(1536)).toBe("1.5 KB");
    expect(refusalBytes(512)).toBe("512 bytes");
  });

  it("words a failure from its IPC error, and keeps any other failure's message", () => {
    const core = REFUSAL_SAMPLES.find((s) => s.code === "damaged")!;
    const refused = IpcError.from({ code: "importRefused", message: core.core, details: { refusal: "damaged", ...core.details } });
    expect(failureText(refused)).toEqual({
      sentence: `"khách-hàng-tháng-11.xlsx" is damaged or truncated and cannot be read`,
      detail: "the workbook has no relationships part",
    });
    const unknown = IpcError.from({ code: "importRefused", message: "the core's words", details: { refusal: "somethingNew", file: "a.xlsx" } });
    expect(failureText(unknown), "an unknown refusal: the core's sentence").toEqual({ sentence: "the core's words", detail: null });
    expect(failureText(IpcError.from({ code: "internal", message: "database error: disk I/O error" }))).toEqual({
      sentence: "database error: disk I/O error",
      detail: null,
    });
  });
});

describe("the report's refused uploads", () => {
  function refusedUpload(id: number, code: string, details: unknown, reason: string): RefusedUpload {
    return { id, fileName: "khach.xlsx", code, reason, details, refusedBy: "lan", refusedAt: `2099-01-0${id}T00:00:00Z` };
  }

  it("words each refusal from its details, the system's text under it, and keeps an old row's sentence", async () => {
    const damaged = REFUSAL_SAMPLES.find((s) => s.code === "damaged")!;
    const refused = [
      refusedUpload(1, "notXlsx", null, "“khach.xlsx” is not an Excel .xlsx file (kept before migration 0024)"),
      refusedUpload(2, "damaged", damaged.details, damaged.core),
    ];
    mockIPC((cmd) => {
      if (cmd === "import_jobs") return [];
      if (cmd === "job_mails") return [];
      if (cmd === "refused_uploads") return refused;
      if (cmd === "sync_status") return { connected: false, serverUrl: null };
      throw new Error(`unexpected ${cmd}`);
    });
    const report = new ImportReport({ onBack: () => undefined, onChanged: () => undefined });
    document.body.appendChild(report.element);
    await report.refresh();
    await settle();
    const q = (testid: string): HTMLElement | null => document.querySelector(`[data-testid="${testid}"]`);
    expect(q("report-refused-reason-1")?.textContent, "an old row: the sentence kept").toBe("“khach.xlsx” is not an Excel .xlsx file (kept before migration 0024)");
    expect(q("report-refused-detail-1"), "and nothing under it").toBeNull();
    expect(q("report-refused-reason-2")?.textContent).toBe(`"khách-hàng-tháng-11.xlsx" is damaged or truncated and cannot be read`);
    expect(q("report-refused-detail-2")?.textContent, "the system's text under the sentence").toBe("the workbook has no relationships part");
  });
});
