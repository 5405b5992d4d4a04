import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { StartScreen } from "../ipc";
import { settle } from "../testFixtures";
import { IdleLock } from "./idleLock";
import { LockScreen, firstRunScreen, newPasswordProblem, signInScreen } from "./signIn";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
  vi.useRealTimers();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function typeInto(testid: string, text: string): void {
  const input = q<HTMLInputElement>(testid)!;
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

function submit(testid: string): void {
  q(testid)!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
}

const READY: StartScreen = {
  screen: "ready",
  session: { userName: "lan", displayName: "Lan", role: "Administrator", permissions: [] },
  idleLockMinutes: 15,
};

describe("first run", () => {
  const SCREEN: StartScreen = {
    screen: "firstRun",
    suggestedName: "root",
    regions: [
      { iso: "VN", name: "Vietnam", callingCode: "+84" },
      { iso: "TH", name: "Thailand", callingCode: "+66" },
    ],
    defaultRegion: "VN",
  };

  it("checks the two passwords before asking the core", () => {
    expect(newPasswordProblem("short", "short"), "the minimum").toContain("at least 8");
    expect(newPasswordProblem("long enough 1", "long enough 2"), "the same twice").toBe("The two passwords differ");
    expect(newPasswordProblem("long enough", "long enough"), "fine").toBeNull();
  });

  it("sends the administrator and the region, and shows the core's refusal under its field", async () => {
    const calls: unknown[] = [];
    let refuse = true;
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (refuse) throw { code: "validation", message: "bad", details: [{ field: "name", code: "invalidName", message: "A user name must have 1 to 64 characters" }] };
      return READY;
    });
    let ready: StartScreen | null = null;
    document.body.appendChild(firstRunScreen(SCREEN, (s) => (ready = s)));
    expect(q<HTMLInputElement>("first-run-name")?.value, "the OS user is suggested").toBe("root");
    expect(q<HTMLSelectElement>("first-run-region")?.value, "the default region").toBe("VN");
    typeInto("first-run-password", "a long password");
    typeInto("first-run-password-again", "a long password");
    submit("first-run-submit");
    await settle();
    expect(q("first-run-error-name")?.textContent, "under the name").toContain("1 to 64 characters");
    refuse = false;
    const region = q<HTMLSelectElement>("first-run-region")!;
    region.value = "TH";
    submit("first-run-submit");
    await settle();
    expect(calls.at(-1), "the setup goes to the core").toEqual([
      "complete_first_run",
      { setup: { name: "root", displayName: "", password: "a long password", region: "TH" } },
    ]);
    expect(ready, "and the app starts").toEqual(READY);
  });
});

describe("sign-in", () => {
  it("preselects the user, signs in, and clears the password after a refusal", async () => {
    let wrong = true;
    mockIPC((cmd, args) => {
      expect(cmd, "the sign-in command").toBe("sign_in");
      if (wrong) throw { code: "auth", message: "Wrong password for “sam”", details: null };
      expect(args, "name and password").toEqual({ name: "sam", password: "right one" });
      return READY;
    });
    let ready: StartScreen | null = null;
    const screen = { screen: "signIn", users: [{ name: "lan", displayName: "Lan" }, { name: "sam", displayName: "sam" }], preselect: "sam" } as const;
    document.body.appendChild(signInScreen({ ...screen, users: [...screen.users] }, (s) => (ready = s)));
    expect(q<HTMLSelectElement>("sign-in-user")?.value, "preselected").toBe("sam");
    typeInto("sign-in-password", "wrong");
    submit("sign-in-submit");
    await settle();
    expect(q("sign-in-error")?.textContent, "the core's refusal").toBe("Wrong password for “sam”");
    expect(q<HTMLInputElement>("sign-in-password")?.value, "the wrong password is cleared").toBe("");
    wrong = false;
    typeInto("sign-in-password", "right one");
    submit("sign-in-submit");
    await settle();
    expect(ready, "signed in").toEqual(READY);
  });

  it("says so when nobody can sign in", () => {
    document.body.appendChild(signInScreen({ screen: "signIn", users: [], preselect: null }, () => undefined));
    expect(q("sign-in")?.textContent, "the way out is named").toContain("pdesk user passwd");
  });
});

describe("lock screen", () => {
  it("covers the app, keeps it out of reach, and unlocks with the password", async () => {
    mockIPC((cmd) => {
      expect(cmd, "unlock").toBe("unlock_session");
      return READY;
    });
    const app = document.createElement("div");
    document.body.appendChild(app);
    let unlocked = false;
    const lock = new LockScreen(app, () => (unlocked = true));
    lock.show({ name: "lan", displayName: "Lan" });
    expect(app.hasAttribute("inert"), "the app is out of reach").toBe(true);
    typeInto("unlock-password", "a long password");
    submit("unlock-submit");
    await settle();
    expect(unlocked, "unlocked").toBe(true);
    expect(q("lock-screen"), "the lock screen is gone").toBeNull();
    expect(app.hasAttribute("inert"), "the app is back").toBe(false);
  });
});

describe("idle lock", () => {
  it("locks after the idle minutes without input and pings the core while active", () => {
    let now = 0;
    let idle = 0;
    let touches = 0;
    vi.useFakeTimers();
    const lock = new IdleLock({ minutes: 2, onIdle: () => (idle += 1), touch: () => (touches += 1), now: () => now, touchEveryMs: 20_000, checkEveryMs: 1_000 });
    lock.start();
    now = 90_000;
    document.dispatchEvent(new Event("keydown"));
    expect(touches, "activity after 90 s pings the core").toBe(1);
    now = 100_000;
    document.dispatchEvent(new Event("mousemove"));
    expect(touches, "but at most every 20 s").toBe(1);
    now = 90_000 + 119_000;
    vi.advanceTimersByTime(1_000);
    expect(idle, "not yet: 2 minutes since the last input have not passed").toBe(0);
    now = 100_000 + 120_000;
    vi.advanceTimersByTime(1_000);
    expect(idle, "locked once the idle time passed").toBe(1);
    now += 600_000;
    vi.advanceTimersByTime(10_000);
    expect(idle, "once: the watcher stops itself").toBe(1);
    lock.stop();
  });
});
