// First run, About, demo mode and the damaged-database recovery, in the real
// app: the empty state points to both ways in; About shows the version from
// Cargo.toml, the data file and the generated licence notices; --demo opens a
// separate, clearly marked database of generated profiles; a damaged database
// is never opened — the recovery screen restores the newest good backup and
// keeps the damaged file.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { ADMIN, REPO, TEST_TIMEOUT, cli, currentDisplay, stopAll, until, withApp } from "./harness.mjs";

const execFileP = promisify(execFile);

after(stopAll);

const cargoVersion = () => /^version = "([^"]+)"/m.exec(readFileSync(path.join(REPO, "Cargo.toml"), "utf8"))?.[1];

test("first run: the empty state points to Create individually and Upload file; About tells who and where", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "empty-state" }, async (app) => {
    const empty = await app.waitForText("empty-state", "No profiles yet");
    assert.match(empty, /Create new Profile.*Create individually.*Upload file/, "the empty state names the menu and both ways in");
    assert.ok(await (await app.$("empty-create")).isDisplayed(), "a Create individually button");
    assert.ok(await (await app.$("empty-upload")).isDisplayed(), "an Upload file button");
    assert.ok(await (await app.$("empty-demo")).isDisplayed(), "a way to explore the demo without touching this store");
    await app.screenshot("first-run-empty-state");

    await app.click("empty-upload");
    await app.waitFor("import-choose-files");
    await app.click("import-close");
    await app.waitGone("import-wizard");

    await app.click("about-button");
    await app.waitFor("about-dialog");
    assert.equal(await app.text("about-version"), `Version ${cargoVersion()}`, "the version comes from Cargo.toml");
    assert.equal(await app.text("about-data-path"), app.db, "About says which database file is in use");
    await app.click("about-show-licences");
    const summary = await app.waitForText("licence-summary", /Rust crates and \d+ npm package/);
    const crates = Number(/(\d[\d,]*) Rust crates/.exec(summary)?.[1].replace(/,/g, ""));
    assert.ok(crates > 100, `the notices list every shipped crate (${summary})`);
    await app.type("licence-filter", "rusqlite");
    await app.click("licence-item");
    const text = await app.waitForText("licence-text", "rusqlite");
    assert.match(text, /MIT/, "rusqlite's licence text is shown");
    await app.screenshot("about-dialog-licences");
    await app.click("about-close");
    await app.waitGone("about-dialog");
  });
});

test("--demo opens a separate, marked database of generated profiles", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "demo", demo: true }, async (app) => {
    await app.waitForText("demo-badge", "Demo data");
    assert.match(await app.text("demo-strip"), /Your own profiles are not here/, "the strip says whose data this is");
    assert.equal((await app.counts()).total, "2,500", "the demo store is filled with generated profiles");
    const { stdout } = await execFileP("xdotool", ["search", "--name", "Profile Desk — Demo data"], {
      env: { ...process.env, DISPLAY: currentDisplay() },
    }).catch((e) => ({ stdout: e.stdout ?? "" }));
    assert.match(stdout, /\d+/, "the window title carries the demo mark too");
    await app.screenshot("demo-mode");
    const data = path.join(app.dir, "xdg_data_home");
    const folders = readdirSync(data);
    assert.equal(folders.length, 1, `one app folder: ${folders}`);
    const appFolder = path.join(data, folders[0]);
    assert.ok(existsSync(path.join(appFolder, "demo", "profiles.db")), "demo data lives in the demo folder");
    assert.ok(!existsSync(path.join(appFolder, "profiles.db")), "the user's own database is not created or touched");
    const other = await cli(app.db, ["--json", "list"]);
    assert.equal(other.counts.total, 0, "nor the store the harness prepared for --db");
  });
});

const sha = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

test("a damaged database is never opened; the recovery screen restores the newest good backup", { timeout: TEST_TIMEOUT }, async () => {
  let damagedHash = null;
  const prepare = async (db, dir) => {
    const report = await cli(db, ["--json", "backup", path.join(dir, "backups")]);
    assert.equal(report.profiles, 300, "the backup holds the seeded profiles");
    const bytes = readFileSync(db);
    for (let i = 4096; i < 4096 * 12; i++) bytes[i] ^= 0xa5;
    writeFileSync(db, bytes);
    damagedHash = sha(db);
  };
  await withApp({ name: "recovery", seed: 300, prepare, ready: "recovery" }, async (app) => {
    assert.match(await app.text("recovery-screen"), /changed nothing in it/, "it says nothing was changed");
    assert.match(await app.text("recovery-newest"), /Backed up by hand/, "the newest good backup is offered");
    assert.equal(sha(app.db), damagedHash, "the damaged database was not written at start");
    await app.screenshot("recovery-screen");

    await app.click("recovery-restore-newest");
    // The restored store is a store like any other: its administrator signs in.
    await app.signIn(ADMIN);
    await app.waitForText("count-total", "300", { timeout: 30_000 });
    const toast = await app.waitForToast(/Restored 300 profiles/);
    assert.match(toast, /damaged database is kept as/, "the toast says where the damaged file is");
    const kept = readdirSync(path.dirname(app.db)).filter((f) => f.startsWith("profiles.damaged-") && f.endsWith(".db"));
    assert.equal(kept.length, 1, `the damaged file is kept: ${kept}`);
    assert.equal(sha(path.join(path.dirname(app.db), kept[0])), damagedHash, "byte for byte");
    await app.screenshot("recovered");
  });
});

// Damages the only page of a small index (profiles_company: the seeded profiles leave it
// empty), which opening the store and its first page never read; the store is plain here (no
// keychain under Xvfb). Python's sqlite3 also folds the WAL into the file first.
async function damageAnIndex(db) {
  const script = [
    "import sqlite3, sys",
    "c = sqlite3.connect(sys.argv[1])",
    "root = c.execute(\"SELECT rootpage FROM sqlite_master WHERE name = 'profiles_company'\").fetchone()[0]",
    "c.close()",
    "f = open(sys.argv[1], 'r+b'); f.seek((root - 1) * 4096); head = bytearray(f.read(8))",
    "f.seek((root - 1) * 4096); f.write(bytes(b ^ 0xA5 for b in head)); f.close()",
  ].join("\n");
  await execFileP("python3", ["-c", script, db]);
}

test("after a clean exit the store opens at once; damage the later check finds brings the recovery screen", { timeout: TEST_TIMEOUT }, async () => {
  // The lock file as a clean exit leaves it (the app writes it when its window closes; under
  // WebDriver the app is killed instead, so the file is written here).
  const prepare = async (db, dir) => {
    await cli(db, ["--json", "backup", path.join(dir, "backups")]);
    await damageAnIndex(db);
    writeFileSync(`${db}.lock`, "closed");
  };
  await withApp({ name: "late-damage", seed: 300, prepare, signInAs: false }, async (app) => {
    // The store opened without the check in front of it: the sign-in screen is up.
    await app.signIn(ADMIN);
    // The list asks for its first page; the check runs then and finds the damage.
    await app.waitFor("recovery-screen", { timeout: 30_000 });
    assert.match(await app.text("recovery-problem"), /page|malformed|corrupt|btree/i, "the check's finding is shown");
    assert.match(await app.text("recovery-newest"), /Backed up by hand/, "the newest good backup is offered");
    assert.match(readFileSync(`${app.db}.lock`, "utf8"), /^\d+$/, "while running, the lock file names the app's process");
    await app.screenshot("recovery-after-clean-exit");
    await app.click("recovery-restore-newest");
    // Signed in before the damage was found, the user stays signed in on the restored data.
    await app.waitForText("count-total", "300", { timeout: 30_000 });
    await app.screenshot("recovered-after-clean-exit");
  });
});

test("Settings → Backup: back up now, then restore it — the app reopens on the backed-up data", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "settings-backup", seed: 40 }, async (app) => {
    await app.click("settings-button");
    await app.click("settings-nav-backup");
    await app.waitFor("settings-section-backup");
    const listed = () =>
      app.browser.execute(() => [...document.querySelectorAll('[data-testid="backup-row"]')].map((r) => r.getAttribute("data-file")));
    // The store held profiles and had no backup: the automatic daily one ran at start.
    await app.waitFor("backup-list");
    // It starts once the list showed its first page: it may still be running.
    const daily = await until(async () => ((await listed()).length === 1 ? listed() : null), { message: "the daily backup listed" });
    assert.equal(daily.length, 1, `the automatic daily backup is listed: ${daily}`);
    assert.match(daily[0], /-daily\.db$/, "as a daily backup");
    await app.click("backup-now");
    await app.waitForToast(/Backup written and verified: .* \(40 profiles/);
    const files = await until(async () => ((await listed()).length === 2 ? listed() : null), { message: "two backups listed" });
    assert.match(files[0], /^profile-desk-\d{8}T\d{6}Z-manual(-\d+)?\.db$/, "the new one first, named by its time and kind");
    assert.ok(existsSync(path.join(path.dirname(app.db), "backups", files[0])), "in the default folder next to the database");
    await app.screenshot("settings-backup");

    // More data after the backup, then the restore brings back the 40.
    await cli(app.db, ["seed-demo", "--profiles", "5", "--seed", "7"]);
    await app.click("backup-restore");
    await app.waitFor("restore-confirm");
    await app.screenshot("settings-backup-restore-confirm");
    await app.click("restore-confirm-yes");
    await app.waitForText("backup-status", /Restored 40 profiles/, { timeout: 30_000 });
    await app.waitForText("count-total", "40", { timeout: 30_000 });
    const backups = readdirSync(path.join(path.dirname(app.db), "backups"));
    assert.ok(
      backups.some((f) => /-before-restore(-\d+)?\.db$/.test(f)),
      `the data as it was before the restore is kept: ${backups}`,
    );
  });
});
