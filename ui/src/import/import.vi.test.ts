import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { DryRun, ImportPreview, JobSummary, MappingProblem } from "../ipc";
import { catalogue, channels, importCounts, settle, switchboard } from "../testFixtures";
import { handleImportFinished, JobsPanel } from "./importJobs";
import { sharedKeyLine } from "./importLogic";
import { ImportReport } from "./importReport";
import { ImportWizard } from "./importWizard";
import { FixesState, rowsToCheckSection } from "./rowsToCheck";
import { reportScreen } from "./screen";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const preview: ImportPreview = {
  fileName: "khach-hang.xlsx",
  path: "/data/khach-hang.xlsx",
  columns: [
    { index: 0, header: "Họ và tên", samples: ["Nguyễn Văn A"] },
    { index: 1, header: "SDT", samples: ["0912345678"] },
    { index: 2, header: "", samples: [] },
  ],
  totalRows: 1234,
  mapping: [
    { column: 0, target: "full_name", reason: "sameName" },
    { column: 1, target: "phones", reason: "synonym" },
    { column: 2, target: null, reason: "noMatch" },
  ],
  problems: [],
  headerRow: null,
};

const dryRun: DryRun = {
  counts: importCounts({ rows: 1234, created: 1200, updated: 12, failed: 2, sharedKeyRows: 42 }),
  firstErrors: [{ row: 7, column: "SDT", value: "12", reason: "Not a phone number" }],
  sharedKeys: [switchboard],
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

function job(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 1,
    kind: "file",
    fileName: "khach-hang.xlsx",
    status: "done",
    createdBy: "lan",
    createdAt: "2024-05-01T07:00:00Z",
    startedAt: "2024-05-01T07:00:00Z",
    finishedAt: "2024-05-01T07:02:05Z",
    totalRows: 1234,
    rowsDone: 1234,
    counts: importCounts({ rows: 1234, created: 1200, updated: 12, reviews: 3, failed: 2, nameDiffers: 3 }),
    error: null,
    errorCode: null,
    errorDetails: null,
    sharedKeys: [],
    ...overrides,
  };
}

/** English words of the import screens that must not be left once the UI speaks Vietnamese. */
function expectNoEnglish(text: string, english: readonly string[]): void {
  for (const en of english) expect(text, en).not.toContain(en);
}

describe("the import in Vietnamese", () => {
  it("takes a file through Source, Mapping, Consent and Check in Vietnamese", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      switch (cmd) {
        case "pick_import_files":
          return ["/data/khach-hang.xlsx"];
        case "inspect_import_file":
          return preview;
        case "check_import_mapping":
          return [];
        case "dry_run_import":
          return dryRun;
      }
      throw new Error(`unexpected command ${cmd}`);
    });
    const wizard = new ImportWizard({ mode: "file", fields: catalogue, channels, onQueued: () => undefined, checkDelayMs: 0 });
    wizard.open(document.body);
    const text = (): string => wizard.element.textContent ?? "";
    expect(document.getElementById("import-title")?.textContent).toBe("Tải tệp lên");
    expect(q("import-choose-files")?.textContent).toBe("Chọn tệp…");
    expect(q("import-file-source")?.querySelector("h3")?.textContent, "the upload step's two ways in").toBe("Tải lên tệp .xlsx");
    expect(q("import-paste-source")?.querySelector("h3")?.textContent).toBe("Hoặc dán dữ liệu");
    expect(q("import-read-clipboard")?.textContent).toBe("Đọc bộ nhớ tạm");
    expect(q("import-continue")?.textContent).toBe("Tiếp tục");
    expect(q("import-cancel")?.textContent).toBe("Hủy");
    for (const step of ["Nguồn", "Ánh xạ cột", "Sự đồng ý", "Kiểm tra"]) expect(q("import-stepper")?.textContent, step).toContain(step);

    q("import-choose-files")!.click();
    await settle();
    expect(q("import-file-status-0")?.textContent).toBe("Sẵn sàng");
    expect(q("import-file-0")?.textContent, "rows grouped the Vietnamese way").toContain("1.234 dòng");

    q("import-continue")!.click();
    await settle();
    expect(q("mapping-status-0")?.textContent).toBe("Cùng tên");
    expect(q("mapping-status-1")?.textContent).toBe("Từ đồng nghĩa");
    expect(q("mapping-status-2")?.textContent).toBe("Chưa ánh xạ");
    expect(q("mapping-row-2")?.textContent, "a column without a name, without samples").toContain("Cột 3(trống)");
    expect(q<HTMLSelectElement>("mapping-target-2")?.options[0]?.textContent).toBe("Không nhập");
    expect(q<HTMLSelectElement>("mapping-target-2")?.getAttribute("aria-label")).toBe("Nhập Cột 3 vào");
    expect(q("mapping-problems")?.textContent).toBe("Ánh xạ cột đáp ứng mọi điều kiện.");

    q("import-continue")!.click();
    await settle();
    const consent = q<HTMLSelectElement>("import-consent-sms")!;
    expect([...consent.options].map((o) => o.textContent)).toEqual(["Giữ nguyên", "Đồng ý", "Từ chối"]);
    expect(consent.getAttribute("aria-label")).toBe("Sự đồng ý qua SMS");

    q("import-continue")!.click();
    await settle();
    expect(q("dry-run-status")?.textContent).toBe("Chạy thử 1.234 dòng; chưa có gì được lưu.");
    expect(q("dry-run-counts")?.textContent).toContain("Đã tạo1.200");
    expect(q("dry-run-guard-counts")?.textContent).toContain("Dòng có giá trị dùng chung42");
    expect(q("shared-key-0")?.textContent).toContain("Số điện thoại 028 3822 1234 dùng chung ở 42 dòng (40 tên khác nhau) — không dùng để đối chiếu");
    expect(q("shared-key-0")?.textContent).toContain("Vẫn dùng để đối chiếu");
    expect(q("rows-to-check")?.textContent).toContain("Các dòng cần kiểm tra trước khi Xác nhận (2)");
    expect(q<HTMLInputElement>("fix-exclude-7")?.getAttribute("aria-label")).toBe("Bỏ dòng 7 khỏi lần nhập này");
    expect(q("import-confirm")?.textContent).toBe("Xác nhận nhập");

    expectNoEnglish(text(), [
      "Upload file",
      "Paste data instead",
      "Read clipboard",
      "Choose",
      "Continue",
      "Confirm import",
      "Sample values",
      "Import into",
      "Status",
      "Same name",
      "Synonym",
      "Not mapped",
      "Do not import",
      "Leave unchanged",
      "Granted",
      "Denied",
      "Dry run",
      "Created",
      "Updated",
      "In-file duplicates",
      "Shared phone",
      "Use it for matching",
      " rows",
      "First invalid rows",
    ]);
    wizard.close();
  });

  it("words the mapping's problems in Vietnamese on their rows, in the boxes and at Check", async () => {
    setLang("vi");
    const misfits: MappingProblem = {
      code: "typeMisfits",
      column: 1,
      message: "2 of 10 sampled values of column “SDT” do not fit Phones (phone numbers), e.g. “gọi sau”, “x”; rows whose value does not fit will fail with the reason",
      warning: true,
      params: { header: "SDT", key: "phones", label: "Phones", kind: "phones", sampled: 10, fits: 8, samples: ["gọi sau", "x"] },
    };
    const mandatory: MappingProblem = {
      code: "mandatoryUnmapped",
      column: null,
      message: "Birthday is mandatory; map a column to it",
      warning: false,
      params: { key: "birthday", label: "Birthday" },
    };
    mockIPC((cmd) => {
      switch (cmd) {
        case "pick_import_files":
          return ["/data/khach-hang.xlsx"];
        case "inspect_import_file":
          return { ...preview, problems: [misfits, mandatory] };
        case "check_import_mapping":
          return [misfits, mandatory];
      }
      throw new Error(`unexpected command ${cmd}`);
    });
    const wizard = new ImportWizard({ mode: "file", fields: catalogue, channels, onQueued: () => undefined, checkDelayMs: 0 });
    wizard.open(document.body);
    q("import-choose-files")!.click();
    await settle();
    q("import-continue")!.click();
    await settle();
    const warning =
      "2 trong 10 giá trị mẫu của cột “SDT” không hợp với trường Số điện thoại (số điện thoại), ví dụ “gọi sau”, “x”; những dòng có giá trị không hợp sẽ bị báo lỗi kèm lý do";
    expect(q("mapping-row-problems-1")?.textContent, "on its row").toBe(warning);
    expect(q("mapping-warnings")?.textContent, "in the warnings box").toContain(warning);
    const blocking = "Ngày sinh là trường bắt buộc; hãy ánh xạ một cột vào trường này";
    expect(q("mapping-blocking")?.textContent, "in the problems box").toContain(blocking);
    expectNoEnglish(q("mapping-problems")?.textContent ?? "", ["sampled values", "Phones", "Birthday", "mandatory"]);
    q("import-continue")!.click();
    q("import-continue")!.click();
    await settle();
    expect(q("import-blocking")?.textContent, "Check lists what blocks Confirm").toContain(blocking);
    wizard.close();
  });

  it("shows a row's date cell day first and the fix of it in Vietnamese", () => {
    setLang("vi");
    const fixes = new FixesState();
    const changed: Array<string | null> = [];
    const section = (): HTMLElement => {
      const el = rowsToCheckSection({
        result: {
          ...dryRun,
          counts: importCounts({ rows: 10, failed: 1 }),
          rowsToCheck: [{ row: 7, cells: ["Lê C", "12", "1985-07-04"], problems: [], review: null, fixed: false }],
        },
        columns: preview.columns.map((c) => (c.index === 2 ? { ...c, header: "Ngày sinh" } : c)),
        dateColumns: new Set([2]),
        fixes,
        onChange: (focus) => changed.push(focus),
        problemText: () => "",
      }) as HTMLElement;
      document.body.replaceChildren(el);
      return el;
    };
    section();
    const cell = q<HTMLInputElement>("fix-cell-7-2")!;
    expect(cell.value).toBe("04/07/1985");
    cell.value = "05/07/1985";
    cell.dispatchEvent(new Event("change"));
    expect(fixes.toSettings()?.cells).toEqual([{ row: 7, column: 2, value: "05/07/1985" }]);
    section();
    expect(q("fix-summary-7")?.textContent).toContain("Dòng 7: Ngày sinh “04/07/1985” → “05/07/1985”");
  });

  it("shows the jobs panel, the result and the report in Vietnamese", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      switch (cmd) {
        case "import_jobs":
          return [
            job(),
            job({ id: 2, kind: "paste", fileName: "", status: "failed", error: "The file could not be read" }),
            job({
              id: 5,
              status: "failed",
              error: "khach-hang.xlsx changed after the import was confirmed (1 KB then, 2 KB now): nothing was imported",
              errorCode: "conflict",
              errorDetails: { reason: "fileChanged", file: "khach-hang.xlsx", before: 1024, now: 2048 },
            }),
          ];
        case "job_mails":
        case "refused_uploads":
          return [];
      }
      throw new Error(`unexpected command ${cmd}`);
    });
    const panel = new JobsPanel();
    document.body.appendChild(panel.element);
    panel.upsert(job({ id: 3, status: "running", rowsDone: 1000, finishedAt: null }));
    expect(panel.element.textContent).toContain("Lượt nhập");
    expect(q("job-3")?.textContent).toContain("Đang chạy");
    expect(q("job-rows-3")?.textContent).toBe("1.000 / 1.234 dòng");
    expect(q("job-cancel-3")?.textContent).toBe("Hủy");
    expect(q("job-cancel-3")?.getAttribute("aria-label")).toBe("Hủy lượt nhập khach-hang.xlsx");
    panel.upsert(job({ id: 4, status: "queued", finishedAt: null }));
    expect(q("job-status-4")?.textContent, "a waiting job's place in line").toBe("Thứ 2 trong hàng đợi");

    handleImportFinished(job(), {
      panel,
      refreshProfiles: () => undefined,
      refreshReport: () => undefined,
      openReport: () => undefined,
      openReviews: () => undefined,
    });
    const result = q("import-result")!;
    expect(result.textContent).toContain("Đã nhập xong");
    expect(result.textContent).toContain("Hoàn tất · 1.234 dòng");
    expect(result.textContent).toContain("Xem xét hợp nhất3");
    expect(q("result-guard-nameDiffers")?.textContent).toBe("3 chuyển sang xem xét: khác tên");
    expect(q("import-result-reviews-1")?.textContent).toBe("Mở xem xét hợp nhất (3)");
    expect(q("import-result-report")?.textContent).toBe("Mở báo cáo");
    expect(q("import-result-close")?.textContent).toBe("Đóng");
    expectNoEnglish(result.textContent ?? "", ["Import finished", "Done", "rows", "Created", "Merge reviews", "sent to review", "Open", "Close"]);
    q("import-result-close")!.click();

    const report = new ImportReport({ onBack: () => undefined, onChanged: () => undefined, onShowProfiles: () => undefined });
    const screen = reportScreen(report, { canView: true });
    expect(screen.title).toBe("Báo cáo lượt nhập");
    report.element.hidden = false;
    document.body.appendChild(report.element);
    await report.refresh();
    await settle();
    const text = report.element.textContent ?? "";
    expect(q("report-back")?.textContent).toBe("← Quay lại danh sách hồ sơ");
    expect(q("report-refresh")?.textContent).toBe("Làm mới");
    expect(text).toContain("Báo cáo tải tệp");
    for (const head of ["Tệp", "Người dùng", "Bắt đầu", "Thời lượng", "Trạng thái", "Dòng", "Đã tạo", "Đã cập nhật", "Trùng lặp trong tệp", "Xem xét", "Lỗi"]) {
      expect(q("report-table")?.querySelector("thead")?.textContent, head).toContain(head);
    }
    expect(q("report-row-1")?.textContent).toContain("2 phút 5 giây");
    expect(q("report-row-2")?.textContent, "a paste is named in Vietnamese").toContain("Dữ liệu đã dán");
    expect(q("report-row-2")?.textContent, "an error kept without its reason stays as sent").toContain("The file could not be read");
    expect(q("report-error-5")?.textContent, "a job's failure worded from its reason").toBe(
      "khach-hang.xlsx đã thay đổi sau khi bạn xác nhận nhập: không có gì từ tệp đã thay đổi được nhập. Hãy tải tệp lên lại để nhập nội dung hiện có của tệp",
    );
    expect(q("report-undo-1")?.textContent).toBe("Hoàn tác");
    expect(q("report-failed-1")?.textContent).toBe("Tải xuống dòng lỗi");
    expect(q("report-show-1")?.textContent).toBe("Hiện hồ sơ");
    expectNoEnglish(text.replace("The file could not be read", ""), [
      "File Upload Connector Report",
      "Back to profiles",
      "Refresh",
      "Started",
      "Duration",
      "Created",
      "Updated",
      "In-file duplicates",
      "Reviews",
      "Failed",
      "Done",
      "Pasted data",
      "min",
      "Undo",
      "Download failed rows",
      "Show profiles",
    ]);
  });

  it("keeps the English sentences as they were", () => {
    expect(sharedKeyLine(switchboard)).toBe("Shared phone 028 3822 1234 in 42 rows (40 different names) — not used for matching");
  });
});
