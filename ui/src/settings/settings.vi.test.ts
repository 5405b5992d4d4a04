import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { LimitSetting, Session } from "../ipc";
import { mockCore, settle, syncStatus } from "../testFixtures";
import { describeBackup } from "./backupFormat";
import { kindLabel } from "./fields";
import { syncStateText } from "./remoteCdp";
import { SettingsView } from "./settingsView";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

const ADMIN: Session = {
  userName: "admin",
  displayName: "Admin",
  role: "Administrator",
  permissions: ["profile.view", "settings.manage", "audit.view"],
};

const LIMITS: LimitSetting[] = [
  { key: "file_size", label: "file_size", hint: "file_size hint", unit: "megabytes", value: 10, default: 10, min: 1, max: 10_000 },
  { key: "paste_rows", label: "paste_rows", hint: "paste_rows hint", unit: "rows", value: 1000, default: 1000, min: 1, max: 50_000 },
];

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

async function openLimits(): Promise<HTMLElement> {
  mockCore({ limit_settings: () => LIMITS });
  const view = new SettingsView({ context: { session: ADMIN, catalogueChanged: () => undefined }, onBack: () => undefined });
  document.body.appendChild(view.element);
  view.element.hidden = false;
  await view.open("limits");
  await settle();
  return view.element;
}

describe("Settings in Vietnamese", () => {
  it("shows the screen, its section list and the limits in Vietnamese", async () => {
    setLang("vi");
    const el = await openLimits();
    const text = el.textContent ?? "";
    expect(el.querySelector("h1")?.textContent, "the title").toBe("Cài đặt");
    expect(q("settings-back")?.textContent, "the back button").toBe("← Quay lại danh sách hồ sơ");
    expect(q("settings-nav")?.getAttribute("aria-label")).toBe("Các mục cài đặt");
    expect(q("settings-nav-fields")?.textContent, "a section's title and summary").toContain("Danh mục trường");
    expect(q("settings-nav-remote")?.textContent).toContain("CDP từ xa");
    expect(q("settings-nav-sync")?.textContent).toContain("Quy tắc đồng bộ hóa");
    expect(q("settings-section-limits")?.querySelector("h2")?.textContent, "the section's heading").toBe("Giới hạn");
    expect(q("limits-save")?.textContent, "the shared words").toBe("Lưu thay đổi");
    expect(q("limits-defaults")?.textContent).toBe("Dùng giá trị mặc định");
    expect(text, "counts grouped the Vietnamese way, no plural").toContain("Mặc định 1.000 dòng · 1–50.000 dòng");
    expect(text).toContain("Mặc định 10 MB · 1–10.000 MB");
    for (const english of ["Settings", "Back to profiles", "Field catalogue", "Limits", "Save changes", "Use the defaults", "Default ", " rows"]) {
      expect(text, `no English "${english}" left`).not.toContain(english);
    }
  });

  it("asks about unsaved edits in Vietnamese", async () => {
    setLang("vi");
    await openLimits();
    const input = q<HTMLInputElement>("limit-paste_rows")!;
    input.value = "20";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    q("settings-nav-users")!.click();
    await settle();
    const dialog = q("settings-discard");
    expect(dialog?.textContent).toContain("Bỏ các thay đổi?");
    expect(dialog?.textContent).toContain("Mục Giới hạn có thay đổi chưa được lưu.");
    expect(q("settings-discard-no")?.textContent).toBe("Tiếp tục chỉnh sửa");
    expect(q("settings-discard-yes")?.textContent).toBe("Bỏ thay đổi");
    expect(dialog?.textContent).not.toContain("Discard");
    q("settings-discard-no")!.click();
    await settle();
  });

  it("names states, kinds and backups in Vietnamese, and in English again after switching back", () => {
    const base = syncStatus();
    const backup = { fileName: "a.pdesk", path: "/b/a.pdesk", createdAt: "", kind: "daily", bytes: 4_200_000 } as const;
    setLang("vi");
    expect(syncStateText({ ...base, pendingOps: 1234 })).toBe("1.234 thay đổi đang chờ");
    expect(syncStateText({ ...base, connected: false })).toBe("Chưa kết nối");
    expect(kindLabel("multiSelect")).toBe("Chọn nhiều");
    expect(describeBackup(backup)).toBe(" · Sao lưu hằng ngày · 4,2 MB");
    setLang("en");
    expect(syncStateText({ ...base, pendingOps: 1234 })).toBe("1,234 changes waiting");
    expect(kindLabel("multiSelect")).toBe("Multi-select");
    expect(describeBackup(backup)).toBe(" · Daily backup · 4.2 MB");
  });
});
