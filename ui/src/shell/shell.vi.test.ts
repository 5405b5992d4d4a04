import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { AppInfo } from "../ipc";
import { settle, syncStatus } from "../testFixtures";
import { AboutDialog, packageSummary } from "./about";
import { confirmDialog } from "./confirmDialog";
import { markPageLang, switchLang } from "./pageLang";
import { agoText, chipText, progressText } from "./syncChip";
import { showError, showToast } from "./toast";

afterEach(() => {
  setLang("en");
  localStorage.clear();
  document.documentElement.lang = "en";
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

const INFO: AppInfo = {
  productName: "Profile Desk",
  version: "0.1.0",
  publisher: "Profile Desk team",
  description: "Create and manage the customer Profiles of a Customer Data Platform, offline.",
  identifier: "com.profiledesk.app",
  dataPath: "/home/an/profiles.db",
  encryption: { encrypted: true, message: "The database is encrypted." },
  dev: false,
  demo: false,
};

const NOW = Date.parse("2026-12-03T10:00:00Z");

describe("the shell in Vietnamese", () => {
  it("About speaks Vietnamese, around what the core says as it came", async () => {
    setLang("vi");
    new AboutDialog({
      info: INFO,
      loadNotices: () => Promise.resolve({ packages: [{ ecosystem: "crate", name: "zip", version: "1.0.0", license: "MIT", repository: null, authors: [], textIds: [] }], texts: [] }),
    }).open(document.body);
    const dialog = q("about-dialog")!;
    expect(dialog.querySelector("h2")?.textContent).toBe("Giới thiệu Profile Desk");
    expect(q("about-version")?.textContent).toBe("Phiên bản 0.1.0");
    expect(q("about-build")?.textContent).toBe("Bản phát hành · com.profiledesk.app");
    expect([...dialog.querySelectorAll("dt")].map((d) => d.textContent)).toEqual(["Nhà phát hành", "Bản dựng", "Dữ liệu", "Tệp cơ sở dữ liệu", "Mã hóa"]);
    expect(q("about-close")?.textContent).toBe("Đóng");
    expect(dialog.querySelector(".modal-head .icon-button")?.getAttribute("aria-label"), "the × too").toBe("Đóng");
    expect(q("about-encryption")?.textContent, "the core's words").toBe("The database is encrypted.");
    q("about-show-licences")?.click();
    await settle();
    expect(q("licence-summary")?.textContent).toBe("Bên trong Profile Desk: 1 crate Rust và 0 gói npm.");
    expect(dialog.textContent).not.toMatch(/About|Version|Publisher|Open-source licences|Close|Inside Profile Desk/);
  });

  it("the sync chip speaks Vietnamese and counts the Vietnamese way", () => {
    setLang("vi");
    expect(agoText("2026-12-03T09:58:00Z", NOW)).toBe("2 phút trước");
    expect(agoText("2026-11-28T10:00:00Z", NOW)).toBe("5 ngày trước");
    expect(chipText(syncStatus(), NOW)).toMatchObject({ text: "Đã đồng bộ · 2 phút trước", tone: "ok" });
    expect(chipText(syncStatus({ pendingOps: 1234 }), NOW).text).toBe("1.234 đang chờ");
    expect(chipText(syncStatus({ openConflicts: 2 }), NOW).text).toBe("2 xung đột");
    const offline = chipText(syncStatus({ lastError: "connection refused", lastErrorKind: "offline", pendingOps: 3 }), NOW);
    expect(offline.text).toBe("Mất kết nối · 3 đang chờ");
    expect(offline.title).toBe(
      "Đã kết nối với https://cdp.example.vn bằng tài khoản lan. connection refused. 3 thay đổi đang chờ: chúng sẽ được gửi lên khi kết nối được với máy chủ.",
    );
    expect(progressText({ sent: 12_000, toSend: 50_000, downloaded: 0, toDownload: 0 }, "cdp.example.vn")?.text).toBe("Đang gửi lên 12.000 / 50.000");
    expect(packageSummary([])).toBe("0 crate Rust và 0 gói npm");
  });

  it("notices and questions speak Vietnamese", async () => {
    setLang("vi");
    expect(showToast("Đã lưu").querySelector("button")?.getAttribute("aria-label")).toBe("Đóng");
    expect(showError(new Error("x")).querySelector("button")?.getAttribute("aria-label")).toBe("Đóng thông báo lỗi");
    const answer = confirmDialog({ title: "Xóa kênh Zalo?", body: "…", confirmLabel: "Xóa" });
    expect(q("confirm-dialog-no")?.textContent).toBe("Hủy");
    q("confirm-dialog-no")?.click();
    expect(await answer).toBe(false);
  });

  it("marks <html lang> with the UI's language", () => {
    markPageLang();
    expect(document.documentElement.lang).toBe("en");
    expect(switchLang("vi", "lan"), "changed").toBe(true);
    expect(document.documentElement.lang).toBe("vi");
    expect(switchLang("vi"), "already").toBe(false);
    expect(switchLang("en")).toBe(true);
    expect(document.documentElement.lang).toBe("en");
  });
});
