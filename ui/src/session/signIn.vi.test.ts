import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { StartScreen } from "../ipc";
import { settle } from "../testFixtures";
import { RecoveryScreen } from "./recovery";
import { LockScreen, firstRunScreen, newPasswordProblem, signInScreen } from "./signIn";

afterEach(() => {
  setLang("en");
  clearMocks();
  localStorage.clear();
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

describe("the session screens in Vietnamese", () => {
  it("first run, sign-in and the lock screen speak Vietnamese, with no English title or button left", () => {
    setLang("vi");
    const firstRun: StartScreen = { screen: "firstRun", suggestedName: "root", regions: [{ iso: "VN", name: "Vietnam", callingCode: "+84" }], defaultRegion: "VN" };
    document.body.appendChild(firstRunScreen(firstRun, () => undefined));
    const setup = q("first-run")!;
    expect(setup.querySelector("h1")?.textContent).toBe("Chào mừng bạn đến với Profile Desk");
    expect(q("first-run-submit")?.textContent).toBe("Tạo quản trị viên và bắt đầu");
    expect([...setup.querySelectorAll(".field-label")].map((l) => l.textContent)).toEqual([
      "Tên đăng nhập",
      "Tên của bạn",
      "Mật khẩu",
      "Nhập lại mật khẩu",
      "Vùng số điện thoại mặc định",
    ]);
    expect(q("first-run-display-name")?.getAttribute("placeholder")).toBe("Ví dụ: Trần Thị Lan");
    expect(newPasswordProblem("short", "short")).toBe("Mật khẩu cần có ít nhất 8 ký tự");
    expect(newPasswordProblem("long enough 1", "long enough 2")).toBe("Hai mật khẩu không khớp");

    document.body.replaceChildren(signInScreen({ screen: "signIn", users: [{ name: "lan", displayName: "Lan" }], preselect: null }, () => undefined));
    expect(q("sign-in")?.querySelector("h1")?.textContent).toBe("Đăng nhập");
    expect(q("sign-in-submit")?.textContent).toBe("Đăng nhập");
    expect(q("sign-in")?.textContent).not.toMatch(/Sign in|Password|Choose your name/);

    const app = document.createElement("div");
    document.body.replaceChildren(app);
    new LockScreen(app, () => undefined).show({ name: "lan", displayName: "Trần Thị Lan" });
    expect(q("lock-screen")?.querySelector("h1")?.textContent).toBe("Phiên làm việc đã khóa");
    expect(q("lock-screen")?.textContent).toContain("Trần Thị Lan (lan), hãy nhập mật khẩu để tiếp tục.");
    expect(q("unlock-submit")?.textContent).toBe("Mở khóa");
    expect(q("lock-screen")?.textContent).not.toMatch(/Session locked|Unlock|Sign out instead/);
  });

  it("says why a sign-in failed in Vietnamese, from the core's reason", async () => {
    setLang("vi");
    const refusals = [
      { code: "auth", message: "Wrong password for “lan”", details: { reason: "wrongPassword", name: "lan" } },
      { code: "auth", message: "Too many wrong passwords for “lan”; try again in 58 seconds", details: { reason: "signInPaused", name: "lan", seconds: 58 } },
    ];
    mockIPC((cmd) => {
      if (cmd === "sign_in") throw refusals.shift();
      throw new Error(`unexpected ${cmd}`);
    });
    document.body.appendChild(signInScreen({ screen: "signIn", users: [{ name: "lan", displayName: "Lan" }], preselect: "lan" }, () => undefined));
    const signIn = async (): Promise<string | null | undefined> => {
      const password = q("sign-in-password") as HTMLInputElement;
      password.value = "sai";
      password.dispatchEvent(new Event("input", { bubbles: true }));
      password.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
      await settle();
      return q("sign-in-error")?.textContent;
    };
    expect(await signIn()).toBe("Sai mật khẩu của “lan”");
    expect(await signIn()).toBe("Nhập sai mật khẩu của “lan” quá nhiều lần; hãy thử lại sau 58 giây");
  });

  it("the recovery screen speaks Vietnamese around the core's words", () => {
    setLang("vi");
    const screen = new RecoveryScreen({
      report: { database: "/data/profiles.db", problem: "database disk image is malformed", newestGoodBackup: null, backupFolder: "/backups", backupsFound: 0, foundAfterOpening: false },
      onRecovered: () => undefined,
    });
    document.body.appendChild(screen.element);
    expect(q("recovery-screen")?.querySelector("h1")?.textContent).toBe("Profile Desk phát hiện sự cố với cơ sở dữ liệu");
    expect(q("recovery-problem")?.textContent, "the core's finding as it came").toBe("Kết quả kiểm tra: database disk image is malformed");
    expect(q("recovery-no-backup")?.textContent).toContain("Không có bản sao lưu nào trong /backups.");
    expect(q("recovery-choose-file")?.textContent).toBe("Chọn tệp sao lưu…");
    expect(q("recovery-screen")?.textContent).not.toMatch(/Restore|Choose a backup|found a problem/);
  });
});
