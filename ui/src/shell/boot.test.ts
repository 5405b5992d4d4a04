import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lang, langOf, setLang } from "../i18n/lang";
import type { AppInfo, StartScreen } from "../ipc";
import { catalogue, channels, settle, syncStatus } from "../testFixtures";
import { start } from "./boot";
import { h } from "./dom";

// The static frame of ui/index.html, painted before any script runs.
function staticFrame(): void {
  document.documentElement.lang = "en";
  document.body.replaceChildren(
    h(
      "div",
      { id: "app" },
      h(
        "div",
        { class: "app" },
        h("header", { class: "topbar" }, h("div", { class: "brand" }, h("span", { class: "brand-name" }, "Profile Desk"))),
        h("div", { class: "boot", role: "status" }, "Opening Profile Desk…"),
      ),
    ),
  );
}

const INFO: AppInfo = {
  productName: "Profile Desk",
  version: "0.1.0",
  publisher: "Profile Desk team",
  description: "Customer profiles, offline.",
  identifier: "com.profiledesk.app",
  dataPath: "/tmp/profiles.db",
  encryption: { encrypted: true, message: "Encrypted." },
  dev: false,
  demo: false,
};

const SIGN_IN: StartScreen = {
  screen: "signIn",
  users: [
    { name: "lan", displayName: "Lan" },
    { name: "sam", displayName: "Sam" },
  ],
  preselect: "lan",
};

function ready(userName: string): StartScreen {
  // No profile.view: the app asks the core for no profiles, its top bar is what is checked.
  return { screen: "ready", session: { userName, displayName: userName, role: "Auditor", permissions: [] }, idleLockMinutes: 15 };
}

/** The core: the start-up answers, the sign-in, what the app asks when it opens. */
function mockCore(first: StartScreen): string[] {
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    // The language the core is told is kept with the command: `set_my_lang:vi`.
    calls.push(cmd === "set_my_lang" ? `${cmd}:${String(a.lang)}` : cmd);
    switch (cmd) {
      case "startup_status":
        return { state: "ready", notice: null, autoBackup: { state: "notDue" } };
      case "start_screen":
        return first;
      case "sign_in":
        return ready(a.name as string);
      case "app_info":
        return INFO;
      case "field_catalogue":
        return catalogue;
      case "consent_channels":
        return channels;
      case "sync_status":
        return syncStatus({ connected: false });
      case "plugin:event|listen":
        return 1;
      default:
        return null;
    }
  });
  return calls;
}

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function signInAs(user: string): void {
  const select = q<HTMLSelectElement>("sign-in-user")!;
  select.value = user;
  q<HTMLInputElement>("sign-in-password")!.value = "a long password";
  q("sign-in-submit")!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
}

afterEach(() => {
  clearMocks();
  setLang("en");
  localStorage.clear();
  document.documentElement.lang = "en";
  document.body.replaceChildren();
});

describe("start-up in the UI's language", () => {
  it("says the static frame's text again in the UI's language and marks <html lang>", async () => {
    setLang("vi");
    staticFrame();
    // The database check has not answered yet: the static frame stays.
    mockIPC(() => new Promise(() => undefined));
    void start();
    await settle();
    expect(document.documentElement.lang, "<html lang> follows the language").toBe("vi");
    expect(document.querySelector(".boot")?.textContent, "the frame speaks Vietnamese").toBe("Đang mở Profile Desk…");
  });

  it("keeps the English frame and <html lang=en> in English", async () => {
    staticFrame();
    mockIPC(() => new Promise(() => undefined));
    void start();
    await settle();
    expect(document.documentElement.lang).toBe("en");
    expect(document.querySelector(".boot")?.textContent).toBe("Opening Profile Desk…");
  });

  it("says why it could not start, in the UI's language", async () => {
    setLang("vi");
    staticFrame();
    mockIPC(() => {
      throw { code: "internal", message: "disk full" };
    });
    await start();
    const banner = q("error-banner");
    expect(banner?.querySelector("h1")?.textContent).toBe("Không khởi động được Profile Desk");
    expect(banner?.textContent, "the core's words stay as they came").toContain("disk full");
    expect(banner?.querySelector("button")?.textContent).toBe("Thử lại");
  });
});

describe("signing in applies the user's own language", () => {
  it("draws the app in the language the user chose before, and <html lang> with it", async () => {
    setLang("vi", "sam"); // Sam chose Vietnamese on this computer once…
    setLang("en"); // …and the last choice (someone else's) was English.
    staticFrame();
    const calls = mockCore(SIGN_IN);
    await start();
    expect(q("sign-in")?.querySelector("h1")?.textContent, "the sign-in screen speaks the last choice").toBe("Sign in");
    signInAs("sam");
    await settle();
    await settle();
    expect(calls, "signed in, then the app opened").toContain("app_info");
    expect(lang(), "Sam's language").toBe("vi");
    expect(calls, "the core hears it, for Sam's e-mails and notifications").toContain("set_my_lang:vi");
    expect(document.documentElement.lang).toBe("vi");
    expect(q("about-button")?.textContent, "the top bar is drawn in it").toBe("Giới thiệu");
    expect(q("create-profile-button")?.textContent).toContain("Tạo hồ sơ mới");
    expect(q("no-view-permission")?.querySelector("h2")?.textContent).toBe("Vai trò của bạn không được xem hồ sơ");
    expect(document.querySelector(".topbar")?.textContent, "no English is left in the top bar").not.toMatch(/Create new Profile|About/);
  });

  it("keeps the current language for a user who never chose one", async () => {
    setLang("vi");
    staticFrame();
    const calls = mockCore(SIGN_IN);
    await start();
    expect(calls, "nobody to tell before sign-in").not.toContain("set_my_lang:vi");
    expect(q("sign-in")?.querySelector("h1")?.textContent, "the last choice before anyone signed in").toBe("Đăng nhập");
    signInAs("lan");
    await settle();
    await settle();
    expect(langOf("lan"), "nothing was chosen for Lan").toBeNull();
    expect(lang()).toBe("vi");
    expect(calls, "the core hears the language Lan reads").toContain("set_my_lang:vi");
    expect(q("about-button")?.textContent).toBe("Giới thiệu");
  });

  it("after a reload a signed-in session lands back in the app, in the user's language", async () => {
    // The language choice reloads the window: the core still has the session, so start()
    // routes straight to the app.
    setLang("vi", "lan");
    staticFrame();
    const calls = mockCore(ready("lan"));
    await start();
    await settle();
    expect(calls, "no sign-in was asked").not.toContain("sign_in");
    expect(q("about-button")?.textContent).toBe("Giới thiệu");
    expect(document.documentElement.lang).toBe("vi");
  });

  it("the user menu's language choice is remembered and the window reloads into the app, in that language", async () => {
    staticFrame();
    mockCore(ready("lan"));
    await start();
    await settle();
    const reload = vi.spyOn(window.location, "reload").mockImplementation(() => undefined);
    try {
      q("current-user")?.click();
      q("language-vi")?.click();
      await settle();
      expect(langOf("lan"), "Lan's choice").toBe("vi");
      expect(document.documentElement.lang).toBe("vi");
      expect(reload, "the window is drawn again").toHaveBeenCalledTimes(1);
    } finally {
      reload.mockRestore();
    }
    // The reload: the core kept the session, start() routes back into the app, in Vietnamese.
    staticFrame();
    await start();
    await settle();
    expect(q("about-button")?.textContent).toBe("Giới thiệu");
  });
});

describe("damage found after the first page (the last run closed cleanly)", () => {
  it("replaces the screen on show with the recovery screen", async () => {
    staticFrame();
    mockIPC(
      (cmd) => {
        switch (cmd) {
          case "startup_status":
            return { state: "ready", notice: null, autoBackup: { state: "notDue" } };
          case "start_screen":
            return SIGN_IN;
          default:
            return null;
        }
      },
      { shouldMockEvents: true },
    );
    await start();
    await settle();
    expect(q("sign-in-submit"), "the store opened at once: the sign-in screen").not.toBeNull();
    expect(q("recovery-screen")).toBeNull();

    await emit("database-damaged", {
      database: "/tmp/profiles.db",
      problem: "Tree 12 page 12: btreeInitPage() returns error code 11",
      newestGoodBackup: null,
      backupFolder: "/tmp/backups",
      backupsFound: 0,
      foundAfterOpening: true,
    });
    await settle();
    expect(q("recovery-screen"), "the check's damage shows the way out").not.toBeNull();
    expect(q("recovery-problem")?.textContent).toContain("btreeInitPage");
    expect(q("sign-in-submit"), "nothing of the screen before stays").toBeNull();
  });
});
