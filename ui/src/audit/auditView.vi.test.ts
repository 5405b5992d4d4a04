import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { humanize } from "../shell/format";
import { settle } from "../testFixtures";
import { AuditView, actionLabel } from "./auditView";
import { auditScreen } from "./screen";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

describe("the audit log in Vietnamese", () => {
  it("shows the screen, the chain state, the filters and the entries in Vietnamese, with no English left", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      switch (cmd) {
        case "verify_audit":
          return { entries: 1234, firstBroken: null, message: "Audit log verified", tail: [] };
        case "audit_filters":
          return { actions: ["profile.delete", "user.add"], actors: ["lan"] };
        case "audit_entries":
          return {
            entries: [{ id: 3, at: "2026-12-01T08:00:00.000Z", actor: "lan", action: "profile.delete", target: "profile:3", summary: "Deleted profile #3", details: "{}" }],
            total: 3,
            hasMore: true,
          };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const view = new AuditView({ onBack: () => undefined });
    const screen = auditScreen(view);
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    expect(screen.title, "the screen's title").toBe("Nhật ký hoạt động");
    expect(q("audit-chain")?.textContent, "the chain state, grouped the Vietnamese way").toBe("Chuỗi đã được xác minh, 1.234 bản ghi");
    expect(q("audit-count")?.textContent).toBe("3 bản ghi phù hợp");
    expect(q("audit-back")?.textContent).toBe("← Quay lại danh sách hồ sơ");
    const text = view.element.textContent ?? "";
    for (const vi of ["Nhật ký hoạt động", "Xuất tệp .xlsx", "Thao tác", "Người dùng", "Thời gian", "Nội dung", "Tất cả thao tác", "Xóa hồ sơ", "Thêm người dùng", "Chi tiết", "Xem các bản ghi cũ hơn"]) {
      expect(text, vi).toContain(vi);
    }
    for (const en of ["Audit log", "Back to profiles", "Export", "Action", "User", "Time", "What happened", "All actions", "All users", "Profile delete", "Details", "Show older entries", "entries"]) {
      expect(text, en).not.toContain(en);
    }
  });

  it("says what happened in Vietnamese, not the core's English sentence", async () => {
    setLang("vi");
    const deleted = { profileId: 7, label: "Ng*** V** A", reason: "Trùng", removedLinks: { accounts: 2, tickets: 0 } };
    mockIPC((cmd) => {
      if (cmd === "verify_audit") return { entries: 2, firstBroken: null, message: "", tail: [] };
      if (cmd === "audit_filters") return { actions: [], actors: [] };
      if (cmd === "audit_entries")
        return {
          entries: [
            { id: 2, at: "2026-12-01T08:00:00.000Z", actor: "lan", action: "profile.delete", target: "profile:7", summary: "Deleted profile #7 Ng*** V** A — reason: “Trùng” (2 accounts removed)", details: JSON.stringify(deleted) },
            { id: 1, at: "2026-12-01T07:00:00.000Z", actor: "lan", action: "auth.sign_in", target: "user:lan", summary: "Signed in", details: "{}" },
          ],
          total: 2,
          hasMore: false,
        };
      throw new Error(`unexpected ${cmd}`);
    });
    const view = new AuditView({ onBack: () => undefined });
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    const said = [...document.querySelectorAll('[data-testid="audit-summary"]')].map((s) => s.textContent);
    expect(said).toEqual(["Đã xóa hồ sơ #7 Ng*** V** A — lý do: “Trùng” (liên kết đã gỡ: 2 tài khoản)", "Đã đăng nhập"]);
  });

  it("names every action in Vietnamese and keeps the English names as the code reads", () => {
    const codes = ["profile.delete", "user.add", "settings.sync_rule", "auth.sign_in_failed"];
    expect(codes.map(actionLabel), "English: the code as words").toEqual(codes.map((c) => humanize(c.replace(".", " "))));
    setLang("vi");
    expect(codes.map(actionLabel)).toEqual(["Xóa hồ sơ", "Thêm người dùng", "Cài đặt quy tắc đồng bộ hóa", "Đăng nhập không thành công"]);
    expect(actionLabel("something.new"), "an action the UI does not know yet reads as its code").toBe("Something new");
  });

  it("asks for days dd/mm/yyyy and says in Vietnamese when one does not exist", async () => {
    setLang("vi");
    mockIPC((cmd) => {
      if (cmd === "verify_audit") return { entries: 0, firstBroken: null, message: "", tail: [] };
      if (cmd === "audit_filters") return { actions: [], actors: [] };
      if (cmd === "audit_entries") return { entries: [], total: 0, hasMore: false };
      throw new Error(`unexpected ${cmd}`);
    });
    const view = new AuditView({ onBack: () => undefined });
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    const from = q("audit-filter-from") as HTMLInputElement;
    expect(from.placeholder).toBe("dd/mm/yyyy");
    from.value = "29/02/2026";
    from.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(q("audit-date-error")?.textContent).toBe("“29/02/2026” không phải là ngày có thật: tháng 2 năm 2026 chỉ có 28 ngày");
    from.value = "12/31/2026";
    from.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(q("audit-date-error")?.textContent, "the US order").toBe("“12/31/2026” không phải là ngày: không có tháng 31 (ngày viết trước tháng: dd/mm/yyyy)");
  });
});
