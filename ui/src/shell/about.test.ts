import { afterEach, describe, expect, it } from "vitest";
import type { AppInfo, LicenceNotices, PackageNotice } from "../ipc";
import { settle } from "../testFixtures";
import { AboutDialog, filterPackages, packageSummary } from "./about";

afterEach(() => document.body.replaceChildren());

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

const INFO: AppInfo = {
  productName: "Profile Desk",
  version: "0.1.0",
  publisher: "Profile Desk team",
  description: "Create and manage the customer Profiles of a Customer Data Platform, offline.",
  identifier: "com.profiledesk.app",
  dataPath: "/home/an/.local/share/com.profiledesk.app/profiles.db",
  encryption: { encrypted: false, message: "The database is NOT encrypted: this computer has no keychain to keep its key in." },
  dev: false,
  demo: false,
};

const pkg = (ecosystem: string, name: string, license: string, textIds: number[] = []): PackageNotice => ({
  ecosystem,
  name,
  version: "1.0.0",
  license,
  repository: null,
  authors: [],
  textIds,
});

const NOTICES: LicenceNotices = {
  packages: [pkg("crate", "tauri", "Apache-2.0 OR MIT", [0]), pkg("crate", "zip", "MIT"), pkg("npm", "@tauri-apps/api", "Apache-2.0 OR MIT", [0])],
  texts: [{ id: 0, fileName: "LICENSE_APACHE-2.0", text: "Apache License\nVersion 2.0 <script>alert(1)</script>" }],
};

describe("About", () => {
  it("filters packages by name or licence and sorts them by name", () => {
    expect(filterPackages(NOTICES.packages, "").map((p) => p.name), "all, by name").toEqual(["@tauri-apps/api", "tauri", "zip"]);
    expect(filterPackages(NOTICES.packages, "mit").length, "licence matches, any case").toBe(3);
    expect(filterPackages(NOTICES.packages, "ZIP").map((p) => p.name)).toEqual(["zip"]);
    expect(packageSummary(NOTICES.packages)).toBe("2 Rust crates and 1 npm package");
  });

  it("shows version, publisher, build and data file, then the licences on demand", async () => {
    new AboutDialog({ info: INFO, loadNotices: () => Promise.resolve(NOTICES) }).open(document.body);
    expect(q("about-version")?.textContent, "the version from Cargo.toml").toBe("Version 0.1.0");
    expect(q("about-build")?.textContent, "release build and its identifier").toBe("Release build · com.profiledesk.app");
    expect(q("about-data-path")?.textContent, "where the data lives").toBe(INFO.dataPath);
    expect(q("about-encryption")?.textContent, "whether it is encrypted, said plainly").toBe(INFO.encryption.message);
    expect(q("about-data-kind")?.textContent, "a normal store").toBe("Your profiles");
    expect(q("licence-list"), "licences load only when asked").toBeNull();
    q("about-show-licences")?.click();
    await settle();
    expect(q("licence-summary")?.textContent).toBe("Inside Profile Desk: 2 Rust crates and 1 npm package.");
    const items = [...document.querySelectorAll<HTMLElement>('[data-testid="licence-item"]')];
    expect(items.map((i) => i.dataset.name)).toEqual(["@tauri-apps/api", "tauri", "zip"]);
    items[1]?.click();
    const text = q("licence-text");
    expect(text?.textContent, "the licence text is shown").toContain("Apache License");
    expect(text?.querySelector("script"), "licence text is text, never markup").toBeNull();
    items[2]?.click();
    expect(q("licence-text")?.textContent, "a package without a licence file says so").toContain("ships no licence file");
    const filter = q("licence-filter") as HTMLInputElement;
    filter.value = "zip";
    filter.dispatchEvent(new Event("input"));
    expect(document.querySelectorAll('[data-testid="licence-item"]').length, "the filter narrows the list").toBe(1);
  });

  it("marks demo data and development builds", () => {
    new AboutDialog({ info: { ...INFO, demo: true, dev: true, identifier: "com.profiledesk.app.dev" } }).open(document.body);
    expect(q("about-data-kind")?.textContent).toContain("Demo data");
    expect(q("about-build")?.textContent).toBe("Development build · com.profiledesk.app.dev");
  });

  it("closes with Escape and the Close button", () => {
    const d = new AboutDialog({ info: INFO });
    d.open(document.body);
    q("about-dialog")?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(q("about-dialog"), "Escape closes").toBeNull();
    new AboutDialog({ info: INFO }).open(document.body);
    q("about-close")?.click();
    expect(q("about-dialog"), "Close closes").toBeNull();
  });
});
