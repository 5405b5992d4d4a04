// Connecting to a self-hosted server: the certificate's CA file or the pin of its key go to the
// core with the sign-in (the file's text, read by the webview, never a path), and the card of
// a connected store says how the server is trusted.
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { Session } from "../ipc";
import { mockCore, settle, syncStatus } from "../testFixtures";
import { trustText } from "./remoteCdp";
import { SettingsView } from "./settingsView";

const ADMIN: Session = {
  userName: "admin",
  displayName: "Admin",
  role: "Administrator",
  permissions: ["profile.view", "settings.manage", "audit.view"],
};
const PIN = "sha256/kZs9SIr243431WUEZhrV3ORnn/H44esgOSW64H9NmVw=";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T {
  const el = document.querySelector<T>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no ${testid}`);
  return el;
}

async function openConnectForm(connected = syncStatus({ serverUrl: "https://cdp.congty.vn", certificatePin: PIN })) {
  const calls = mockCore({
    sync_status: () => syncStatus({ connected: false, serverUrl: null }),
    sync_connect: () => connected,
    sync_conflicts: () => [],
    sync_rejections: () => [],
    sync_merge_notices: () => [],
    // The section listens for the worker's sync events.
    "plugin:event|listen": () => 1,
    "plugin:event|unlisten": () => null,
  });
  const view = new SettingsView({ context: { session: ADMIN, catalogueChanged: () => undefined }, onBack: () => undefined });
  document.body.appendChild(view.element);
  view.element.hidden = false;
  await view.open("remote");
  await settle();
  return calls;
}

function fill(testid: string, value: string): void {
  const input = q<HTMLInputElement>(testid);
  input.value = value;
  input.dispatchEvent(new Event("input"));
}

function fillSignIn(): void {
  fill("sync-url", "https://cdp.congty.vn");
  fill("sync-user", "lan");
  fill("sync-password", "mật khẩu");
  fill("sync-device", "Laptop của Lan");
}

function pickFile(testid: string, file: File): void {
  const input = q<HTMLInputElement>(testid);
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  input.dispatchEvent(new Event("change"));
}

describe("Remote CDP: a self-hosted server's certificate", () => {
  it("sends the pin with the sign-in, and shows it once connected", async () => {
    const calls = await openConnectForm();
    expect(q("sync-trust").tagName).toBe("DETAILS");
    fillSignIn();
    fill("sync-pin", `  ${PIN} `);
    q("sync-connect").click();
    await settle();
    const connect = calls.find(([cmd]) => cmd === "sync_connect");
    expect(connect?.[1]).toMatchObject({ url: "https://cdp.congty.vn", user: "lan", trustPin: PIN, trustCaPem: null });
    expect(q("sync-trust-state").textContent).toBe(`Only the key ${PIN} is trusted`);
  });

  it("sends the CA file's text, not its path", async () => {
    const calls = await openConnectForm(syncStatus({ customCa: true }));
    fillSignIn();
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    expect(q("sync-ca-file-name").textContent).toBe("No file chosen");
    pickFile("sync-ca-file", new File([pem], "ca.pem", { type: "application/x-pem-file" }));
    expect(q("sync-ca-file-name").textContent, "the chosen file is named").toBe("ca.pem");
    q("sync-connect").click();
    await settle();
    await settle();
    const connect = calls.find(([cmd]) => cmd === "sync_connect");
    expect(connect?.[1]).toMatchObject({ trustPin: null, trustCaPem: pem });
  });

  it("refuses a CA file and a pin together, before asking the core", async () => {
    const calls = await openConnectForm();
    fillSignIn();
    fill("sync-pin", PIN);
    pickFile("sync-ca-file", new File(["x"], "ca.pem"));
    q("sync-connect").click();
    await settle();
    expect(calls.some(([cmd]) => cmd === "sync_connect")).toBe(false);
    expect(document.body.textContent).toContain("Give the CA file or the pin, not both.");
  });

  it("says how the server is trusted, in both languages", () => {
    expect(trustText(syncStatus())).toBe("Trusted by this computer's authorities");
    expect(trustText(syncStatus({ customCa: true }))).toBe("Trusted by this computer's authorities and the CA given when connecting");
    setLang("vi");
    expect(trustText(syncStatus({ certificatePin: PIN }))).toBe(`Chỉ khóa ${PIN} được tin cậy`);
    expect(trustText(syncStatus())).toBe("Được tin cậy qua các tổ chức mà máy tính này tin cậy");
  });
});
