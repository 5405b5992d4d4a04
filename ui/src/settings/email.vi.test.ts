// Settings → E-mail's failures in Vietnamese: the sentence is the catalogue's, in Vietnamese;
// only the "Chi tiết" line holds the system's own (English) text.
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { MailSettings } from "../ipc";
import { mockCore, settle } from "../testFixtures";
import { emailSection } from "./email";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

const UNREACHABLE = "The SMTP server smtp.congty.vn:587 could not be reached: Connection refused (os error 111)";

const SETTINGS: MailSettings = {
  host: "smtp.congty.vn",
  port: 587,
  security: "startTls",
  username: "pdesk",
  sender: "pdesk@congty.vn",
  hasPassword: false,
  keychain: {
    available: false,
    message:
      "No keychain is available on this computer, so the password cannot be stored safely and was not stored: Profile Desk never keeps passwords in its database. (The system said: org.freedesktop.secrets was not provided by any .service files)",
  },
};

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

describe("Settings → E-mail's failures in Vietnamese", () => {
  it("say what happened in Vietnamese, the system's text only as details", async () => {
    setLang("vi");
    mockCore({
      mail_settings: () => SETTINGS,
      my_mail_address: () => null,
      mail_policy: () => ({ allowedDomains: [], attachmentRows: 100 }),
      send_test_mail: () => {
        throw { code: "conflict", message: UNREACHABLE, details: { reason: "serverUnreachable" } };
      },
    });
    const handle = emailSection.mount({ session: { userName: "admin", displayName: "Admin", role: "Administrator", permissions: ["settings.manage"] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    expect(q("mail-keychain-problem-sentence")?.textContent).toMatch(/^Máy tính này không có kho khóa nên không thể lưu mật khẩu/);
    expect(q("mail-keychain-problem-detail")?.textContent).toBe("Chi tiết: org.freedesktop.secrets was not provided by any .service files");

    q<HTMLButtonElement>("mail-test")!.click();
    await settle();
    expect(q("mail-test-error-sentence")?.textContent).toBe(
      "Không kết nối được với máy chủ thư: hãy kiểm tra tên máy chủ, cổng, kiểu bảo mật và kết nối mạng của máy tính này.",
    );
    expect(q("mail-test-error-detail")?.textContent).toBe(`Chi tiết: ${UNREACHABLE}`);
    // Everything but the details reads Vietnamese.
    const shown = [...handle.element.querySelectorAll(".mail-problem > p:not(.mail-problem-detail)")].map((p) => p.textContent ?? "").join(" ");
    expect(shown).not.toMatch(/\b(the|was|not|could|server|password)\b/i);
  });

  it("say an input's refusal in Vietnamese beside the input", async () => {
    setLang("vi");
    mockCore({
      mail_settings: () => ({ ...SETTINGS, keychain: { available: true, message: null } }),
      my_mail_address: () => null,
      mail_policy: () => ({ allowedDomains: ["congty.vn"], attachmentRows: 100 }),
      set_mail_settings: () => {
        throw {
          code: "validation",
          message: "invalid",
          details: [
            { field: "sender", code: "invalidEmail", message: "“pdesk” is not an e-mail address", params: { value: "pdesk", reason: "noAt" } },
            { field: "security", code: "encryptionRequired", message: "E-mails carry customers' data: …", params: { host: "smtp.congty.vn" } },
          ],
        };
      },
      set_my_mail_address: () => {
        throw { code: "validation", message: "invalid", details: [
            {
              field: "address",
              code: "domainNotAllowed",
              message: "Results may only be e-mailed to …",
              params: { value: "lan@gmail.com", domain: "gmail.com", allowed: "congty.vn" },
            },
          ],
        };
      },
    });
    const handle = emailSection.mount({ session: { userName: "admin", displayName: "Admin", role: "Administrator", permissions: ["settings.manage"] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    const sender = q<HTMLInputElement>("mail-sender")!;
    sender.value = "pdesk";
    q<HTMLButtonElement>("mail-save")!.click();
    await settle();
    expect(q("mail-error-sender")?.textContent).toBe("“pdesk” không phải là địa chỉ email");
    expect(q("mail-error-security")?.textContent).toMatch(/^Email chứa dữ liệu khách hàng: hãy chọn STARTTLS hoặc TLS cho smtp\.congty\.vn/);

    const address = q<HTMLInputElement>("mail-my-address")!;
    address.value = "lan@gmail.com";
    q<HTMLButtonElement>("mail-my-address-save")!.click();
    await settle();
    expect(address.closest(".card")?.textContent).toContain("Kết quả chỉ được gửi qua email đến địa chỉ thuộc congty.vn");
    expect(address.closest(".card")?.textContent).toContain("lan@gmail.com thuộc gmail.com");
  });
});
