import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { DeletePreview } from "../ipc";
import { catalogue, channels, detail, settle } from "../testFixtures";
import { CreateWizard } from "./createWizard";
import { DeleteDialog } from "./deleteDialog";
import { DetailView } from "./detail";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q(root: ParentNode, testid: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

/** The texts of the buttons and headings under `root`. */
function labels(root: ParentNode): string[] {
  return [...root.querySelectorAll("button, h1, h2, h3, th")].map((el) => el.textContent?.trim() ?? "").filter((t) => t !== "");
}

describe("profile screens in Vietnamese", () => {
  it("shows the detail, and its edit form, in Vietnamese", () => {
    setLang("vi");
    const v = new DetailView({ fields: catalogue, channels, canEdit: true, canDelete: true, onBack: () => undefined, onChanged: () => undefined });
    v.element.hidden = false;
    document.body.appendChild(v.element);
    v.render(detail());

    const text = v.element.textContent ?? "";
    expect(q(v.element, "detail-back")?.textContent).toBe("← Hồ sơ");
    expect(q(v.element, "edit-button")?.textContent, "a shared word").toBe("Sửa");
    expect(q(v.element, "delete-button")?.getAttribute("aria-label")).toBe("Xóa hồ sơ này");
    expect(q(v.element, "detail-field-phones")?.textContent, "the primary phone").toContain("chính");
    expect(q(v.element, "detail-field-phones")?.textContent, "phones as everywhere").toContain("0912 345 678");
    expect(q(v.element, "detail-field-birthday")?.textContent, "a date dd/mm/yyyy").toBe("01/05/1990");
    expect(text, "when it was created, dd/mm/yyyy HH:mm").toMatch(/Tạo lúc \d{2}\/05\/2024 \d{2}:\d{2}/);
    expect(q(v.element, "links-accounts")?.textContent, "an empty link group").toContain("Không có");
    expect(labels(v.element), "the cards").toEqual(expect.arrayContaining(["Trường thông tin", "Lịch sử", "Đồng ý", "Đối tượng liên kết"]));
    expect(text, "who created it").toContain("Tạo lúc ");
    for (const english of ["Edit", "Fields", "History", "Linked objects", "Accounts", "← Profiles", "primary", "None", "Created "]) {
      expect(labels(v.element), `no English “${english}” is left`).not.toContain(english);
      expect(text, `no English “${english}” is left`).not.toContain(english);
    }

    q(v.element, "edit-button")!.click();
    expect(q(v.element, "detail-save")?.textContent).toBe("Lưu");
    expect(q(v.element, "detail-cancel")?.textContent).toBe("Hủy");
    const form = q(v.element, "profile-form")!;
    expect(form.textContent, "the identification rule").toContain("Cần có ít nhất một trong các thông tin: họ và tên, số điện thoại hoặc email.");
    expect(q(form, "add-phones")?.textContent).toBe("+ Thêm số điện thoại");
    expect(q(form, "remove-phones-0")?.getAttribute("aria-label")).toBe("Xóa số điện thoại 1");
    for (const english of ["At least one of", "+ Add", "are mandatory", "Save", "Cancel"]) {
      expect(v.element.textContent, `no English “${english}” is left`).not.toContain(english);
    }
    (q(v.element, "detail-cancel") as HTMLButtonElement).click();
  });

  it("asks for the delete and its reason in Vietnamese", async () => {
    setLang("vi");
    const preview: DeletePreview = { profiles: 2, accounts: 3, opportunities: 1, tickets: 0, tasks: 2, server: "https://cdp.example.vn" };
    mockIPC((cmd) => {
      if (cmd === "delete_preview") return preview;
      throw new Error(`unexpected command ${cmd}`);
    });
    const dialog = new DeleteDialog({ ids: [7, 8], onDeleted: () => undefined });
    await dialog.open(document.body);
    await settle();
    const root = q(document, "delete-dialog")!;
    expect(root.querySelector("h2")?.textContent, "the title counts the profiles").toBe("Xóa 2 hồ sơ");
    expect(q(root, "delete-confirm")?.textContent).toBe("Xóa 2 hồ sơ");
    expect(q(root, "delete-cancel")?.textContent).toBe("Hủy");
    expect(q(root, "delete-counts")?.textContent).toContain("Cơ hội");
    expect(q(root, "delete-counts")?.textContent).toContain("mất liên kết với 2 hồ sơ, tại đây và trên cdp.example.vn");
    expect(q(root, "delete-server")?.textContent).toContain("Máy tính này đồng bộ với cdp.example.vn");
    expect(q(root, "delete-warning")?.textContent).toContain("Không thể hoàn tác");
    expect(q(root, "delete-reason")?.getAttribute("placeholder")).toMatch(/^Ví dụ: /);
    (q(root, "delete-confirm") as HTMLButtonElement).click();
    await settle();
    expect(q(root, "delete-error")?.textContent, "the reason is asked for").toBe("Nhập lý do xóa (lý do được lưu trong nhật ký hoạt động)");
    for (const english of ["Delete", "Cancel", "Accounts", "Opportunit", "irreversible", "Reason", "will be deleted"]) {
      expect(root.textContent, `no English “${english}” is left`).not.toContain(english);
    }
    dialog.close();
  });

  it("opens the create wizard in Vietnamese", () => {
    setLang("vi");
    const wizard = new CreateWizard({ fields: catalogue, channels, onSaved: () => undefined, onOpenProfile: () => undefined });
    wizard.open(document.body);
    const root = q(document, "create-form")!;
    expect(root.querySelector("h2")?.textContent).toBe("Tạo hồ sơ");
    expect(q(root, "continue-button")?.textContent).toBe("Tiếp tục");
    expect(q(root, "cancel-button")?.textContent).toBe("Hủy");
    expect(root.textContent, "the stepper").toContain("Đồng ý");
    for (const english of ["Create profile", "Continue", "Cancel", "Consent", "Send to merge review", "Create a separate profile"]) {
      expect(labels(root), `no English “${english}” is left`).not.toContain(english);
    }
    wizard.close();
  });
});

describe("the create form's refusals in Vietnamese", () => {
  it("says a wrong phone and a wrong e-mail in Vietnamese, from the core's codes and params", async () => {
    setLang("vi");
    // What the core answers for these two inputs (crates/rule/src/validate.rs, its tests).
    const refusals = [
      {
        field: "phones.0",
        code: "invalidPhone",
        message: "“0912 345” is not a phone number: it is too short: 7 digits, where a mobile number in Vietnam (region VN) has 10 digits with its leading 0",
        params: { value: "0912 345", reason: "tooShort", region: "VN", callingCode: "84", typed: "7", kind: "mobile", min: "10", max: "10", trunk: "0" },
      },
      {
        field: "emails.0",
        code: "invalidEmail",
        message: "“lan.congty.vn” is not a valid e-mail address: it has no @",
        params: { value: "lan.congty.vn", reason: "noAt" },
      },
    ];
    mockIPC((cmd) => {
      if (cmd === "validate_profile") return refusals;
      if (cmd === "find_identifier_owner") return null;
      throw new Error(`unexpected command ${cmd}`);
    });
    new CreateWizard({ fields: catalogue, channels, onSaved: () => undefined, onOpenProfile: () => undefined }).open(document.body);
    for (const [testid, value] of [
      ["field-phones-0", "0912 345"],
      ["field-emails-0", "lan.congty.vn"],
    ] as const) {
      const input = q(document.body, testid) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    q(document.body, "continue-button")!.click();
    await settle();
    expect(q(document.body, "error-phones")?.textContent).toBe(
      "“0912 345” không phải là số điện thoại: số quá ngắn: 7 chữ số, trong khi số di động ở Việt Nam (vùng VN) có 10 chữ số, kể cả số 0 ở đầu",
    );
    expect(q(document.body, "error-emails")?.textContent).toBe("“lan.congty.vn” không phải là địa chỉ email hợp lệ: thiếu ký tự @");
  });
});
