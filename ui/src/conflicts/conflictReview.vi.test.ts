import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { catalogue, mockCore, settle } from "../testFixtures";
import { ConflictReviewView } from "./conflictReview";
import { conflict } from "./conflictFixtures";
import { byProfile, keepServerText } from "./conflictReviewLogic";
import { conflictsScreen } from "./screen";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

describe("conflict review in Vietnamese", () => {
  it("shows the conflicts, the import's bulk decision and the decided ones in Vietnamese", async () => {
    setLang("vi");
    const conflicts = [
      conflict(),
      conflict({ id: "cf_2", field: "company", kept: { value: "null", by: null, device: null, at: null }, job: 12, jobFile: "customers.xlsx", ours: "lost" }),
      conflict({ id: "cf_3", gid: "g2", profileId: null, label: null, job: 12, jobFile: "customers.xlsx", ours: "kept" }),
      conflict({ id: "cf_4", open: false }),
    ];
    mockCore({ sync_conflicts: () => conflicts });
    const view = new ConflictReviewView({ fields: catalogue, canEdit: true, onBack: () => undefined, onChanged: () => undefined, onOpenProfile: () => undefined });
    expect(conflictsScreen(view).title).toBe("Xung đột đồng bộ");
    view.element.hidden = false;
    document.body.appendChild(view.element);
    await view.open();
    await settle();

    expect(q("conflict-back")?.textContent).toBe("← Quay lại");
    expect(q("conflict-refresh")?.textContent).toBe("Làm mới");
    expect(q("conflict-summary")?.textContent).toBe("3 xung đột chưa giải quyết trên 2 hồ sơ");
    expect(q("conflict-import-12")?.textContent).toContain("Lượt nhập #12 (customers.xlsx): 2 trường đã được thay đổi cùng lúc với người khác.");
    expect(q("conflict-keep-import-12")?.textContent).toBe("Giữ mọi giá trị máy chủ");
    expect(q("conflict-profile-g2")?.textContent, "a profile not here").toContain("Một hồ sơ không có trên máy tính này");
    const row = q("sync-conflict-cf_1")!;
    expect(row.textContent, "our side").toContain("an · máy tính này");
    expect(q("sync-conflict-cf_2")?.textContent).toContain("(trống)");
    expect(q("sync-conflict-cf_3")?.textContent).toContain("Từ lượt nhập #12 (customers.xlsx)");
    expect(q("sync-conflict-keep-cf_1")?.textContent).toBe("Giữ");
    expect(q("sync-conflict-other-cf_1")?.textContent).toBe("Dùng giá trị kia");
    expect(q("sync-conflict-edit-cf_1")?.textContent).toBe("Sửa…");
    expect(q("conflict-decided")?.querySelector("summary")?.textContent).toBe("Đã quyết định gần đây (1)");

    q("sync-conflict-edit-cf_2")!.click();
    const input = q<HTMLInputElement>("sync-conflict-input-cf_2")!;
    expect(input.value, "an empty kept value starts the field empty").toBe("");
    expect(input.getAttribute("aria-label")).toBe("Giá trị mới cho Company");
    expect(q("sync-conflict-save-cf_2")?.textContent).toBe("Lưu");

    const text = view.element.textContent ?? "";
    for (const vi of ["Có người đã thay đổi cùng một trường", "Trường", "Được giữ (hiện có trong hồ sơ)", "Không được giữ", "Mở hồ sơ", "Hồ sơ", "Máy chủ giữ", "Thời điểm"]) {
      expect(text, vi).toContain(vi);
    }
    for (const en of ["Sync conflicts", "Back", "Refresh", "Someone changed", "open conflict", "profiles", "Import #", "import #", "Keep", "Use the other", "Edit", "Field", "Not kept", "Open profile", "this computer", "(empty)", "Decided", "Listed", "Save", "Cancel"]) {
      expect(text, en).not.toContain(en);
    }

    q("conflict-keep-import-12")!.click();
    await settle();
    const confirm = q("conflict-keep-confirm")!;
    expect(confirm.textContent).toContain("Giữ mọi giá trị máy chủ cho lượt nhập #12 (customers.xlsx)?");
    expect(confirm.textContent).toContain("2 trường mà lượt nhập #12 (customers.xlsx) đã thay đổi cùng lúc với người khác");
    expect(q("conflict-keep-confirm-yes")?.textContent).toBe("Giữ giá trị máy chủ");
    expect(q("conflict-keep-confirm-no")?.textContent).toBe("Hủy");
    q("conflict-keep-confirm-no")!.click();
    await settle();
  });

  it("keeps the English wording", () => {
    const groups = byProfile([conflict({ profileId: null, label: null })]);
    expect(groups[0]?.label).toBe("A profile not on this computer");
    expect(keepServerText({ job: 12, file: null, count: 1 })).toBe(
      "1 field that import #12 changed at the same time as someone else will take the value set elsewhere. The import's values stay listed under Decided.",
    );
  });
});
