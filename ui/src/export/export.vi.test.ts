import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { ExportJob, JobMail } from "../ipc";
import { settle } from "../testFixtures";
import { ExportDialog } from "./exportDialog";
import { formatBytes, mailLabel } from "./exportLogic";
import { ExportsPanel, ExportsView } from "./exportsView";
import { exportsScreen } from "./screen";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

const q = (id: string): HTMLElement | null => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const query = { search: "", filter: [], sort: null, utcOffsetMinutes: 0 };

function exportJob(overrides: Partial<ExportJob> = {}): ExportJob {
  return {
    id: 1,
    status: "done",
    background: true,
    fields: "all",
    description: "All profiles",
    createdBy: "lan",
    createdAt: "2024-05-01T07:00:00Z",
    startedAt: "2024-05-01T07:00:00Z",
    finishedAt: "2024-05-01T07:01:00Z",
    totalRows: 12000,
    rowsDone: 12000,
    fileBytes: 5 * 1024 * 1024 + 512 * 1024,
    path: "/exports/ho-so.xlsx",
    error: null,
    errorCode: null,
    errorDetails: null,
    ...overrides,
  };
}

const failedMail: JobMail = {
  jobKind: "export",
  jobId: 1,
  status: "failed",
  reason: null,
  recipient: "lan@congty.vn",
  detail: null,
  attempts: 1,
  updatedAt: "2024-05-01T07:01:01Z",
};

function expectNoEnglish(text: string, english: readonly string[]): void {
  for (const en of english) expect(text, en).not.toContain(en);
}

describe("the export in Vietnamese", () => {
  it("asks which rows and fields, and says how the file comes, in Vietnamese", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      if (cmd === "export_plan") return { rows: 1200, directLimit: 1000, background: true, columns: ["Full name"], description: "All profiles", fileName: "Profiles.xlsx" };
      if (cmd === "my_mail_address") return null;
      throw new Error(`unexpected ${cmd}`);
    });
    new ExportDialog({ query, columns: ["full_name", "phones"], selected: [4, 5, 6], returnFocus: null, onStarted: () => undefined }).open(document.body);
    await settle();
    const dialog = q("export-dialog")!;
    const text = dialog.textContent ?? "";
    for (const vi of ["Xuất dữ liệu hồ sơ", "3 dòng đã chọn", "Mọi hồ sơ trong danh sách", "Trường đang hiển thị", "2 cột đang hiển thị", "Tất cả trường", "Hơn 1.000 dòng", "Để nhận cả tệp qua email"]) {
      expect(text, vi).toContain(vi);
    }
    expect(q("export-count")?.textContent, "the core's column labels stay as sent").toBe("1.200 hồ sơ · 1 cột: Full name");
    expect(q("export-confirm")?.textContent).toBe("Bắt đầu xuất");
    expect(q("export-cancel")?.textContent).toBe("Hủy");
    expect(q("export-mail-save")?.textContent).toBe("Lưu");
    expect(q("export-mail-address")?.getAttribute("aria-label")).toBe("Địa chỉ email của bạn");
    expectNoEnglish(text.replace("Full name", ""), ["Export", "Rows", "Fields", "selected", "Every profile", "Displayed", "All fields", "profiles", "columns", "More than", "background", "Start", "Cancel", "Save", "e-mail"]);
  });

  it("says in Vietnamese, before the export starts, that no mail server is set up and the file is only saved", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      if (cmd === "export_plan") return { rows: 1200, directLimit: 1000, background: true, columns: ["Full name"], description: "", fileName: "P.xlsx" };
      if (cmd === "my_mail_address") return "lan@congty.vn";
      if (cmd === "mail_settings") return { host: " ", port: 587, security: "startTls", username: "", sender: "", hasPassword: false, keychain: "available" };
      throw new Error(`unexpected ${cmd}`);
    });
    new ExportDialog({ query, columns: ["full_name"], selected: [], returnFocus: null, onStarted: () => undefined }).open(document.body);
    await settle();
    const off = q("export-mail-off")?.textContent ?? "";
    expect(off).toContain("Tệp sẽ không được gửi qua email: chưa thiết lập máy chủ thư");
    expect(off).toContain("Tệp chỉ được lưu trên máy tính này");
    expect(off).toContain("Lưu thành… và Hiện trong thư mục");
    expectNoEnglish(off, ["e-mail", "mail server", "saved", "Save as", "Show in folder"]);
    expect(q("export-mail-to"), "no e-mail promised").toBeNull();
  });

  it("shows the exports panel and the Exports screen in Vietnamese", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      if (cmd === "export_jobs")
        return [
          exportJob(),
          exportJob({ id: 2, status: "failed", background: false, fields: "displayed", fileBytes: null, error: "Disk full" }),
          exportJob({
            id: 4,
            status: "failed",
            background: false,
            fileBytes: null,
            error: "Profile Desk stopped while writing the file",
            errorCode: "internal",
            errorDetails: { reason: "exportInterrupted" },
          }),
        ];
      if (cmd === "job_mails") return [failedMail];
      throw new Error(`unexpected ${cmd}`);
    });
    const panel = new ExportsPanel();
    document.body.appendChild(panel.element);
    panel.upsert(exportJob({ id: 3, status: "running", rowsDone: 1500, finishedAt: null }));
    expect(q("export-job-3")?.textContent).toContain("12.000 hồ sơ");
    expect(q("export-status-3")?.textContent).toBe("Đang ghi");
    expect(q("export-job-3")?.textContent).toContain("1.500 / 12.000 dòng");
    panel.upsert(exportJob({ id: 3 }));
    panel.mail({ ...failedMail, jobId: 3 });
    const notice = q("export-notice-3")!;
    expect(notice.textContent).toContain("12.000 hồ sơ, 5,5 MB. Tệp xuất của bạn đã sẵn sàng.");
    expect(q("export-saveas-3")?.textContent).toBe("Lưu thành…");
    expect(q("export-show-3")?.textContent).toBe("Hiện trong thư mục");
    expect(q("export-mail-3")?.textContent).toContain("Gửi email không thành công: máy chủ đã từ chối");
    expect(q("export-mail-retry-3")?.textContent).toBe("Thử lại");
    expect(q("export-dismiss-3")?.getAttribute("aria-label")).toBe("Đóng");
    expectNoEnglish(notice.textContent ?? "", ["profiles", "ready", "Save as", "Show in folder", "E-mail", "Retry", "Done"]);

    const view = new ExportsView({ onBack: () => undefined });
    expect(exportsScreen(view).title).toBe("Xuất dữ liệu");
    view.element.hidden = false;
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    const text = view.element.textContent ?? "";
    for (const vi of ["← Quay lại danh sách hồ sơ", "Làm mới", "Bắt đầu", "Người dùng", "Phạm vi", "Trường", "Dung lượng", "Trạng thái", "Hoàn tất", "Thất bại", "Tất cả", "Đang hiển thị", " · ghi ngay", "Gửi email không thành công"]) {
      expect(text, vi).toContain(vi);
    }
    expect(text, "a failure worded from its reason").toContain("Profile Desk đã dừng khi đang ghi tệp");
    expectNoEnglish(text.replaceAll("All profiles", "").replace("Disk full", ""), ["Back", "Exports", "Refresh", "Started", "User", "Rows", "Fields", "Size", "Status", "E-mail", "Done", "Failed", "Displayed", "at once", "Save as", "Show in folder"]);
  });

  it("keeps the English wording and decimal point", () => {
    expect(formatBytes(5.5 * 1024 * 1024)).toBe("5.5 MB");
    expect(mailLabel(failedMail)).toBe("E-mail failed: the server refused it");
    setLang("vi");
    expect(formatBytes(5.5 * 1024 * 1024)).toBe("5,5 MB");
    expect(formatBytes(1000 * 1024)).toBe("1.000 KB");
    expect(mailLabel({ ...failedMail, status: "skipped", reason: "notConfigured", detail: "E-mail is not set up: an administrator enters the SMTP server in Settings" })).toBe(
      "Chưa gửi email: chưa thiết lập email: quản trị viên cần nhập máy chủ SMTP trong Cài đặt",
    );
  });
});
