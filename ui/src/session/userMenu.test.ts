import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lang, langOf, setLang } from "../i18n/lang";
import type { Session } from "../ipc";
import { settle } from "../testFixtures";
import { applyUserLang } from "./userLang";
import { UserMenu, type UserMenuOptions } from "./userMenu";

const SESSION: Session = { userName: "lan", displayName: "Trần Thị Lan", role: "Administrator", permissions: [] };

/** The languages the core was told, in order (`set_my_lang`). */
function coreHears(): string[] {
  const told: string[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "set_my_lang") told.push(String((args as { lang?: unknown }).lang));
    return null;
  });
  return told;
}

afterEach(() => {
  clearMocks();
  setLang("en");
  localStorage.clear();
  document.documentElement.lang = "en";
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T {
  const el = document.querySelector<T>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no ${testid}`);
  return el;
}

function userMenu(extra: Partial<UserMenuOptions> = {}): { onLangChanged: ReturnType<typeof vi.fn> } {
  const onLangChanged = vi.fn();
  const menu = new UserMenu({ session: SESSION, title: "Lan", onLock: vi.fn(), onSignOut: vi.fn(), onLangChanged, ...extra });
  document.body.appendChild(menu.element);
  return { onLangChanged };
}

describe("the user's role in the user menu", () => {
  it("names a built-in role in the UI's language and a custom one as named", () => {
    userMenu();
    expect(q("current-role").textContent).toBe("Administrator");
    document.body.replaceChildren();
    setLang("vi");
    userMenu();
    expect(q("current-role").textContent).toBe("Quản trị viên");
    document.body.replaceChildren();
    userMenu({ session: { ...SESSION, role: "Kế toán" } });
    expect(q("current-role").textContent).toBe("Kế toán");
  });
});

describe("the language choice in the user menu", () => {
  it("offers English and Tiếng Việt, each named in itself, the current one checked", () => {
    userMenu();
    q("current-user").click();
    const group = q("language-choice");
    expect(group.getAttribute("role"), "a named group of the menu").toBe("group");
    expect(group.querySelector(".menu-group-label")?.textContent).toBe("Language");
    expect(q("language-en").textContent).toBe("English");
    expect(q("language-vi").textContent).toBe("Tiếng Việt");
    expect(q("language-vi").querySelector("[lang]")?.getAttribute("lang"), "read out as Vietnamese").toBe("vi");
    expect(q("language-en").getAttribute("role")).toBe("menuitemradio");
    expect([q("language-en").getAttribute("aria-checked"), q("language-vi").getAttribute("aria-checked")]).toEqual(["true", "false"]);
  });

  it("choosing Tiếng Việt remembers it for the user, marks <html lang> and draws the UI again", async () => {
    const told = coreHears();
    const { onLangChanged } = userMenu();
    q("current-user").click();
    q("language-vi").click();
    await settle();
    expect(lang()).toBe("vi");
    expect(langOf("lan"), "remembered for Lan on this computer").toBe("vi");
    expect(document.documentElement.lang).toBe("vi");
    expect(onLangChanged, "the UI is drawn again").toHaveBeenCalledWith("vi");
    expect(told, "the core hears it, for Lan's e-mails and notifications").toEqual(["vi"]);

    // Drawn again (the app reloads the window): the menu speaks Vietnamese.
    document.body.replaceChildren();
    userMenu();
    q("current-user").click();
    expect(q("language-choice").querySelector(".menu-group-label")?.textContent).toBe("Ngôn ngữ");
    expect(q("sign-out").textContent).toContain("Đăng xuất");
    expect(q("language-en").textContent, "English keeps its own name").toBe("English");
    expect(q("language-vi").getAttribute("aria-checked")).toBe("true");
  });

  it("the language in force is remembered as the user's choice without drawing again", async () => {
    const { onLangChanged } = userMenu();
    q("current-user").click();
    q("language-en").click();
    await settle();
    expect(langOf("lan")).toBe("en");
    expect(onLangChanged).not.toHaveBeenCalled();
  });

  it("keeps the language when a screen with unsaved edits is not left", async () => {
    const told = coreHears();
    const { onLangChanged } = userMenu({ canLeave: () => Promise.resolve(false) });
    q("current-user").click();
    q("language-vi").click();
    await settle();
    expect(lang()).toBe("en");
    expect(langOf("lan")).toBeNull();
    expect(onLangChanged).not.toHaveBeenCalled();
    expect(told, "the core is told nothing").toEqual([]);
  });
});

describe("a user's language at sign-in", () => {
  it("comes back when they sign in; nothing changes for a user who never chose", async () => {
    const told = coreHears();
    setLang("vi", "lan");
    setLang("en");
    expect(applyUserLang("sam"), "Sam never chose").toBe(false);
    expect(lang()).toBe("en");
    expect(applyUserLang("lan"), "Lan chose Vietnamese").toBe(true);
    expect(lang()).toBe("vi");
    expect(document.documentElement.lang).toBe("vi");
    expect(applyUserLang("lan"), "already in force: nothing to draw again").toBe(false);
    await settle();
    expect(told, "the core hears the language each one reads: Sam the one in force, Lan hers").toEqual(["en", "vi", "vi"]);
  });

  it("a core that cannot be told changes nothing on screen", async () => {
    mockIPC(() => {
      throw { code: "signedOut", message: "Signed out" };
    });
    setLang("vi", "lan");
    expect(applyUserLang("lan")).toBe(false);
    await settle();
    expect(lang()).toBe("vi");
  });
});
