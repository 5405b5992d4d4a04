// Settings → E-mail when something fails: a sentence of the catalogue chosen by what failed,
// the system's own text (the SMTP server's answer, the OS's error) only as a "Details" line.
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { MailSettings } from "../ipc";
import { IpcError } from "../ipc";
import { mockCore, settle } from "../testFixtures";
import { emailSection } from "./email";
import { mailProblem, passwordProblem, systemWords } from "./mailProblem";
import { fieldErrorText } from "../shell/fieldErrors";
import type { FieldError } from "../ipc";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

const CTX = { session: { userName: "admin", displayName: "Admin", role: "Administrator", permissions: ["settings.manage"] }, catalogueChanged: () => undefined };

/** The core's sentence about a missing keychain, the OS's words at its end (crates/core/src/keychain.rs). */
const NO_KEYCHAIN =
  "No keychain is available on this computer, so the password cannot be stored safely and was not stored: Profile Desk never keeps passwords in its database. " +
  "Start your desktop's keychain (on Linux, a Secret Service such as GNOME Keyring or KWallet) and enter the password again, or use a relay that needs no password. " +
  "(The system said: Platform failure: zbus error: Failed to connect to address `unix:path=/tmp/x/bus`: No such file or directory (os error 2))";
const OS_WORDS = "Platform failure: zbus error: Failed to connect to address `unix:path=/tmp/x/bus`: No such file or directory (os error 2)";

/** What the core says today when the test e-mail's server cannot be reached (a plain conflict). */
const UNREACHABLE = "The SMTP server smtp.congty.vn:587 could not be reached: Connection refused (os error 111)";

function settings(overrides: Partial<MailSettings> = {}): MailSettings {
  return {
    host: "smtp.congty.vn",
    port: 587,
    security: "startTls",
    username: "pdesk",
    sender: "pdesk@congty.vn",
    hasPassword: true,
    keychain: { available: true, message: null },
    ...overrides,
  };
}

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

/** Mounts the section with the core answering `handlers` (and the section's three reads). */
async function mountEmail(handlers: Record<string, (args: Record<string, unknown>) => unknown>, s: MailSettings = settings()): Promise<HTMLElement> {
  mockCore({ mail_settings: () => s, my_mail_address: () => "lan@congty.vn", mail_policy: () => ({ allowedDomains: [], attachmentRows: 100 }), ...handlers });
  const handle = emailSection.mount(CTX);
  document.body.appendChild(handle.element);
  await settle();
  return handle.element;
}

describe("what a failed test e-mail or save says", () => {
  it("leads with a sentence chosen by the error's code, the system's text as details", () => {
    const sent = mailProblem(new IpcError("conflict", UNREACHABLE), "test");
    expect(sent.sentence).toMatch(/^The test e-mail was not sent: check the settings above/);
    expect(sent.sentence, "no system text in the sentence").not.toContain("os error");
    expect(sent.detail).toBe(UNREACHABLE);
    expect(mailProblem(new IpcError("internal", "database is locked"), "test").sentence, "a fault here, not the settings").toMatch(/something went wrong in Profile Desk/);
    expect(mailProblem(new IpcError("permission", "Not allowed"), "test").sentence).toMatch(/^Only an administrator/);
    expect(mailProblem(new IpcError("internal", "disk I/O error"), "save")).toEqual({ sentence: "The e-mail settings were not saved.", detail: "disk I/O error" });
    expect(mailProblem(new Error("The e-mail settings were not saved."), "save").detail, "nothing repeated").toBe("");
  });

  it("says what the reason is when the core names one", () => {
    const reason = (r: string): string => mailProblem(new IpcError("conflict", UNREACHABLE, { reason: r }), "test").sentence;
    expect(reason("serverUnreachable")).toMatch(/^The mail server could not be reached: check the server name, the port/);
    expect(reason("serverRefused")).toMatch(/^The mail server refused the test e-mail/);
    expect(reason("keychainUnavailable")).toMatch(/keychain: type it again/);
    expect(reason("notConfigured")).toMatch(/^E-mail cannot be sent with these settings/);
    expect(reason("somethingNew"), "an unknown reason: the code's sentence").toMatch(/^The test e-mail was not sent/);
    // A newer core's own code: IpcError keeps its details wrapped.
    expect(mailProblem(IpcError.from({ code: "mailNotSent", message: UNREACHABLE, details: { reason: "serverUnreachable" } }), "test").sentence).toMatch(/^The mail server could not be reached/);
  });

  it("says why a typed password was not stored from what the user asked for", () => {
    expect(passwordProblem("A password needs a user name: enter the user name the server signs in with", "secret", "")).toEqual({
      sentence: "The password was not stored: a password needs a user name. Enter the user name the server signs in with, then save again.",
      detail: "",
    });
    expect(passwordProblem("Secret Service: no such object", "secret", "pdesk")).toEqual({
      sentence: "The password was not stored in this computer's keychain: e-mails that need it cannot be sent until it is.",
      detail: "Secret Service: no such object",
    });
    expect(passwordProblem("Secret Service: locked", "", "pdesk").sentence).toBe("The stored password could not be removed from this computer's keychain.");
    expect(passwordProblem(NO_KEYCHAIN, "secret", "pdesk").detail, "only the system's words under the sentence").toBe(OS_WORDS);
  });

  it("keeps only what the system said from the core's keychain sentence", () => {
    expect(systemWords(NO_KEYCHAIN)).toBe(OS_WORDS);
    expect(systemWords("  Secret Service: locked ")).toBe("Secret Service: locked");
  });
});

describe("a refused input", () => {
  const refusal = (field: string, code: string, params: Record<string, string> = {}, message = "the core's words"): FieldError => ({ field, code, message, params });

  it("reads as the catalogue's sentence with what the core names, chosen by its field and code", () => {
    expect(fieldErrorText(refusal("host", "invalidHost", { value: "smtp x" }))).toBe("“smtp x” is not a server name or address");
    expect(fieldErrorText(refusal("sender", "required"))).toBe("Give the sender address the e-mails come from");
    expect(fieldErrorText(refusal("sender", "invalidEmail", { value: "pdesk", reason: "noAt" }))).toBe("“pdesk” is not an e-mail address");
    expect(fieldErrorText(refusal("security", "encryptionRequired", { host: "smtp.congty.vn" }))).toMatch(/choose STARTTLS or TLS for smtp\.congty\.vn/);
    expect(fieldErrorText(refusal("address", "domainNotAllowed", { value: "lan@gmail.com", domain: "gmail.com", allowed: "congty.vn" }))).toMatch(
      /^Results may only be e-mailed to addresses at congty\.vn .*; lan@gmail\.com is at gmail\.com\./,
    );
    expect(fieldErrorText(refusal("allowedDomains", "invalidDomain", { value: "cong ty" }))).toBe(
      "“cong ty” is not a domain: write domains like congty.vn, one per line or separated by commas",
    );
  });

  it("keeps the core's message for a code it does not know, or without the params it needs", () => {
    expect(fieldErrorText(refusal("port", "somethingNew", {}, "Port 0 is reserved"))).toBe("Port 0 is reserved");
    expect(fieldErrorText(refusal("address", "domainNotAllowed", {}, "the core's sentence"))).toBe("the core's sentence");
  });
});

describe("Settings → E-mail's failures on screen", () => {
  it("shows the test e-mail's failure as a sentence beside the button, the server's answer under it", async () => {
    await mountEmail({
      send_test_mail: () => {
        throw { code: "conflict", message: UNREACHABLE, details: null };
      },
    });
    q<HTMLButtonElement>("mail-test")!.click();
    await settle();
    const card = q("mail-test")!.closest(".card")!;
    expect(card.querySelector('[data-testid="mail-test-error"]'), "in the test card").not.toBeNull();
    expect(q("mail-test-error-sentence")?.textContent).toMatch(/^The test e-mail was not sent/);
    expect(q("mail-test-error-sentence")?.textContent).not.toContain("os error");
    expect(q("mail-test-error-detail")?.textContent).toBe(`Details: ${UNREACHABLE}`);
    expect(q("mail-test-error-detail")?.className, "secondary").toContain("muted");
  });

  it("shows a missing keychain as the catalogue's sentence with the OS's words as details", async () => {
    await mountEmail({}, settings({ hasPassword: false, keychain: { available: false, message: NO_KEYCHAIN } }));
    expect(q("mail-keychain-problem-sentence")?.textContent).toMatch(/^No keychain is available on this computer, so a password cannot be stored/);
    expect(q("mail-keychain-problem-detail")?.textContent).toBe(`Details: ${OS_WORDS}`);
  });

  it("shows a save's keychain warning as a sentence, the keychain's words as details", async () => {
    await mountEmail({
      set_mail_settings: () => ({ settings: settings({ hasPassword: false }), warning: "Secret Service: no such object" }),
    });
    const password = document.querySelector<HTMLInputElement>('[data-testid="mail-password"]')!;
    password.value = "secret";
    password.dispatchEvent(new Event("input"));
    q<HTMLButtonElement>("mail-save")!.click();
    await settle();
    expect(q("mail-warning-sentence")?.textContent).toMatch(/^The password was not stored in this computer's keychain/);
    expect(q("mail-warning-detail")?.textContent).toBe("Details: Secret Service: no such object");
  });

  it("shows a save that failed outright as a sentence, the system's text as details", async () => {
    await mountEmail({
      set_mail_settings: () => {
        throw { code: "internal", message: "database is locked", details: null };
      },
    });
    q<HTMLButtonElement>("mail-save")!.click();
    await settle();
    expect(q("mail-save-error-sentence")?.textContent).toBe("The e-mail settings were not saved.");
    expect(q("mail-save-error-detail")?.textContent).toBe("Details: database is locked");
  });
});
