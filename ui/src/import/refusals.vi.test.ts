// A refused file in Vietnamese: every code's sentence with Vietnamese numbers and sizes and no
// English left (but the system's own text, shown as is under it), every kind of file named in
// Vietnamese, and the import wizard's file list, its dry run and the report's refused rows
// saying it so.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { ImportPreview, RefusedUpload } from "../ipc";
import { catalogue, channels, settle } from "../testFixtures";
import { ImportReport } from "./importReport";
import { ImportWizard } from "./importWizard";
import { REFUSAL_SAMPLES, type RefusalSample } from "./refusalFixtures";
import { refusalBytes, refusalText } from "./refusals";

beforeEach(() => setLang("vi"));

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

function sample(code: string, n = 0): RefusalSample {
  const found = REFUSAL_SAMPLES.filter((s) => s.code === code)[n];
  if (!found) throw new Error(`no sample ${code} ${n}`);
  return found;
}

/** English words of the core's sentences that must not be left in a Vietnamese one. */
const ENGLISH = [" is ", " the ", "limit", "file ", "sheet", "column", "rows", "save it", "looks like", "refused", "could not", "password", "cell"];

/** [sample, the Vietnamese sentence]. */
const EXPECTED: Array<[RefusalSample, string]> = [
  [sample("notXlsx"), "Tệp “khách-hàng-tháng-11.xlsx” không phải là tệp Excel .xlsx (có vẻ là tệp văn bản CSV)"],
  [sample("notXlsx", 1), "Tệp “danh-sach.xlsm” không phải là tệp Excel .xlsx (có vẻ là sổ làm việc có macro (.xlsm); hãy lưu lại dưới dạng .xlsx)"],
  [sample("tooLarge"), "Tệp “khách-hàng-tháng-11.xlsx” có dung lượng 12,4 MB, vượt giới hạn 10 MB cho mỗi tệp"],
  [sample("tooLarge", 1), "Tệp “khách-hàng-tháng-11.xlsx” có dung lượng 10,1 MB, vượt giới hạn 10 MB cho mỗi tệp"],
  [
    sample("tooManyRows"),
    "Tệp “khách-hàng-tháng-11.xlsx” có 50.001 dòng dữ liệu, vượt giới hạn 50.000 dòng cho mỗi tệp (không tính dòng tên cột)",
  ],
  [
    sample("tooManyRows", 1),
    "Tệp “khách-hàng-tháng-11.xlsx” có hơn 200.000 dòng dữ liệu, vượt giới hạn 50.000 dòng cho mỗi tệp (không tính dòng tên cột)",
  ],
  [
    sample("severalSheets"),
    "Tệp “khách-hàng-tháng-11.xlsx” có 2 trang tính chứa dữ liệu (Hà Nội, TP. Hồ Chí Minh): hãy tách mỗi trang tính thành một tệp riêng",
  ],
  [sample("emptyHeader"), "Tệp “khách-hàng-tháng-11.xlsx”: ô C1 chưa có tên cột; dòng đầu tiên phải chứa tên của các cột"],
  [sample("duplicateHeader"), "Tệp “khách-hàng-tháng-11.xlsx”: tên cột “Số điện thoại” xuất hiện hai lần (ở B1 và E1)"],
  [sample("empty"), "Tệp “khách-hàng-tháng-11.xlsx” không có dữ liệu: dòng đầu tiên phải chứa tên của các cột"],
  [sample("zipBomb"), "Tệp “khách-hàng-tháng-11.xlsx” bị từ chối vì có thể là tệp nén độc hại (zip bomb)"],
  [
    sample("encrypted"),
    "Tệp “khách-hàng-tháng-11.xlsx” được đặt mật khẩu: hãy mở tệp bằng Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ Sổ làm việc) rồi lưu lại",
  ],
  [sample("damaged"), "Tệp “khách-hàng-tháng-11.xlsx” bị hỏng hoặc không đầy đủ nên không đọc được"],
  [sample("tooManyColumns"), "Tệp “khách-hàng-tháng-11.xlsx” có giá trị ở ô AAA2, vượt giới hạn 500 cột cho mỗi tệp"],
  [sample("cellTooLarge"), "Tệp “khách-hàng-tháng-11.xlsx”: ô D17 chứa hơn 32.767 ký tự, vượt giới hạn của một ô (giới hạn của chính Excel)"],
  [sample("writeFailed"), "Không tách được tệp “khách-hàng-tháng-11.xlsx”: ghi tệp “khách-hàng-tháng-11 - Hà Nội.xlsx” không thành công"],
  [sample("unreadable"), "Không đọc được tệp “khách-hàng-tháng-11.xlsx”"],
];

describe("refusal sentences in Vietnamese", () => {
  it("words every refusal in Vietnamese, numbers and sizes the Vietnamese way", () => {
    expect(new Set(EXPECTED.map(([s]) => s.code)).size, "every code").toBe(new Set(REFUSAL_SAMPLES.map((s) => s.code)).size);
    for (const [s, vi] of EXPECTED) {
      const said = refusalText(s.code, s.details);
      expect(said?.sentence, s.code).toBe(vi);
      const english = s.details.detail;
      expect(said?.detail ?? null, "the system's text, as it came").toBe(typeof english === "string" ? english : null);
      const lower = vi.toLowerCase();
      for (const word of ENGLISH) expect(lower, `${s.code}: "${word}"`).not.toContain(word);
    }
  });

  it("names every kind of file in Vietnamese", () => {
    const kinds = [
      ["an empty file", "tệp rỗng"],
      ["a PDF document", "tài liệu PDF"],
      ["an old Excel 97-2003 .xls file; open it in Excel and save it as .xlsx", "tệp Excel 97-2003 định dạng cũ (.xls); hãy mở bằng Excel và lưu lại dưới dạng .xlsx"],
      ["an HTML web page (some systems export web pages named .xlsx)", "trang web HTML (một số hệ thống xuất trang web nhưng đặt đuôi .xlsx)"],
      ["a tab-separated text file", "tệp văn bản phân cách bằng tab"],
    ];
    for (const [looksLike, vi] of kinds) {
      expect(refusalText("notXlsx", { file: "a.xlsx", looksLike })?.sentence).toBe(`Tệp “a.xlsx” không phải là tệp Excel .xlsx (có vẻ là ${vi})`);
    }
    expect(refusalText("notXlsx", { file: "a.xlsx", looksLike: "a Lotus 1-2-3 worksheet" }), "a kind without words: as the core wrote it, below").toEqual({
      sentence: "Tệp “a.xlsx” không phải là tệp Excel .xlsx",
      detail: "a Lotus 1-2-3 worksheet",
    });
  });

  it("says sizes with a decimal comma and small sizes in bytes", () => {
    expect(refusalBytes(13_002_342)).toBe("12,4 MB");
    expect(refusalBytes(1536)).toBe("1,5 KB");
    expect(refusalBytes(512)).toBe("512 byte");
  });
});

describe("refusals on the screens, in Vietnamese", () => {
  const preview: ImportPreview = {
    fileName: "ok.xlsx",
    path: "/data/ok.xlsx",
    columns: [{ index: 0, header: "Họ và tên", samples: ["Nguyễn Văn A"] }],
    totalRows: 3,
    mapping: [{ column: 0, target: "full_name", reason: "sameName" }],
    problems: [],
    headerRow: null,
  };

  function refusedError(s: RefusalSample): unknown {
    return { code: "importRefused", message: s.core, details: { refusal: s.code, ...s.details } };
  }

  it("the wizard's file list says why a file was refused in Vietnamese, the system's text under it", async () => {
    const damaged = sample("damaged");
    mockIPC((cmd, args) => {
      const path = (args as { path?: string } | undefined)?.path;
      if (cmd === "pick_import_files") return ["/data/tooMany.xlsx", "/data/broken.xlsx", "/data/ok.xlsx"];
      if (cmd === "inspect_import_file" && path === "/data/tooMany.xlsx") throw refusedError(sample("tooManyRows"));
      if (cmd === "inspect_import_file" && path === "/data/broken.xlsx") throw refusedError(damaged);
      if (cmd === "inspect_import_file") return preview;
      throw new Error(`unexpected ${cmd}`);
    });
    const wizard = new ImportWizard({ mode: "file", fields: catalogue, channels, onQueued: () => undefined, checkDelayMs: 0 });
    wizard.open(document.body);
    q("import-choose-files")!.click();
    await settle();
    expect(q("import-file-0")?.dataset.state).toBe("refused");
    expect(q("import-file-status-0")?.textContent).toBe(
      "Tệp “khách-hàng-tháng-11.xlsx” có 50.001 dòng dữ liệu, vượt giới hạn 50.000 dòng cho mỗi tệp (không tính dòng tên cột)",
    );
    expect(q("import-file-detail-0"), "nothing under a refusal without the system's text").toBeNull();
    expect(q("import-file-status-1")?.firstChild?.textContent).toBe("Tệp “khách-hàng-tháng-11.xlsx” bị hỏng hoặc không đầy đủ nên không đọc được");
    expect(q("import-file-detail-1")?.textContent, "the parser's text as it came").toBe("the workbook has no relationships part");
    expect(q("import-file-status-2")?.textContent, "the good file goes on").toBe("Sẵn sàng");
    wizard.close();
  });

  it("the dry run says in Vietnamese that the file was refused when it is read again", async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case "pick_import_files":
          return ["/data/ok.xlsx"];
        case "inspect_import_file":
          return preview;
        case "check_import_mapping":
          return [];
        case "dry_run_import":
          // Changed on disk since it was checked: now two sheets hold data.
          throw refusedError(sample("severalSheets"));
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const wizard = new ImportWizard({ mode: "file", fields: catalogue, channels, onQueued: () => undefined, checkDelayMs: 0 });
    wizard.open(document.body);
    q("import-choose-files")!.click();
    await settle();
    for (let step = 0; step < 3; step++) {
      q("import-continue")!.click();
      await settle();
    }
    expect(q("dry-run-error")?.textContent).toBe(
      "Chạy thử không thành công: Tệp “khách-hàng-tháng-11.xlsx” có 2 trang tính chứa dữ liệu (Hà Nội, TP. Hồ Chí Minh): hãy tách mỗi trang tính thành một tệp riêng",
    );
    wizard.close();
  });

  it("the report's refused rows say why in Vietnamese", async () => {
    const tooLarge = sample("tooLarge");
    const unreadable = sample("unreadable");
    const row = (id: number, s: RefusalSample): RefusedUpload => ({
      id,
      fileName: "khách-hàng-tháng-11.xlsx",
      code: s.code,
      reason: s.core,
      details: s.details,
      refusedBy: "lan",
      refusedAt: `2099-01-0${id}T00:00:00Z`,
    });
    mockIPC((cmd) => {
      if (cmd === "import_jobs" || cmd === "job_mails") return [];
      if (cmd === "refused_uploads") return [row(1, tooLarge), row(2, unreadable)];
      if (cmd === "sync_status") return { connected: false, serverUrl: null };
      throw new Error(`unexpected ${cmd}`);
    });
    const report = new ImportReport({ onBack: () => undefined, onChanged: () => undefined });
    document.body.appendChild(report.element);
    await report.refresh();
    await settle();
    expect(q("report-refused-1")?.textContent, "said as refused").toContain("Bị từ chối khi tải lên");
    expect(q("report-refused-reason-1")?.textContent).toBe("Tệp “khách-hàng-tháng-11.xlsx” có dung lượng 12,4 MB, vượt giới hạn 10 MB cho mỗi tệp");
    expect(q("report-refused-reason-2")?.textContent).toBe("Không đọc được tệp “khách-hàng-tháng-11.xlsx”");
    expect(q("report-refused-detail-2")?.textContent, "the system's text as it came").toBe("Permission denied (os error 13)");
    expect(q("report-table")?.textContent, "no English sentence left").not.toContain("the limit is");
  });
});
