// The Linux installer as a user gets it: the .deb built by `cargo xtask bundle` is within the
// size budget, installs with dpkg, the INSTALLED app starts on its first-run screen (release
// build, its own data folder), sets up the administrator, saves a profile; uninstalling (purge) removes the app and leaves the
// user's data folder as it was. Run by `cargo xtask test` after the bundle step, as root (or
// with passwordless sudo), under a lock so two checkouts on one machine never install at once.
//
//   PDESK_DEB=/path/to/Profile\ Desk_0.1.0_amd64.deb node --test tests/installer/
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";

import { ADMIN, ADMIN_PASSWORD, TEST_TIMEOUT, cli, createProfile, stopAll, withApp } from "../e2e/harness.mjs";

const execFileP = promisify(execFile);
after(stopAll);

/** SPEC section 9: the .deb is at most 15 MB. */
const DEB_BUDGET_BYTES = 15_000_000;
const PACKAGE = "profile-desk";
const INSTALLED_APP = "/usr/bin/profile-desk";

const asRoot = (cmd, args) =>
  process.getuid?.() === 0 ? execFileP(cmd, args) : execFileP("sudo", ["-n", cmd, ...args]);

async function installed() {
  const out = await execFileP("dpkg-query", ["-W", "-f=${Status}", PACKAGE]).catch(() => ({ stdout: "" }));
  return out.stdout.includes("install ok installed");
}

test("the .deb installs, the installed app runs, and uninstalling keeps the user's data", { timeout: TEST_TIMEOUT * 2 }, async () => {
  const deb = process.env.PDESK_DEB;
  assert.ok(deb && existsSync(deb), `PDESK_DEB names the built .deb (${deb}); run cargo xtask bundle first`);
  const bytes = statSync(deb).size;
  assert.ok(bytes <= DEB_BUDGET_BYTES, `the .deb is ${bytes} bytes, over the ${DEB_BUDGET_BYTES}-byte budget`);

  if (await installed()) await asRoot("dpkg", ["--purge", PACKAGE]); // left by an interrupted run
  await asRoot("dpkg", ["-i", deb]);
  const home = mkdtempSync(path.join(os.tmpdir(), "pdesk-installed-"));
  const dataHome = path.join(home, "data");
  const userDb = path.join(dataHome, "com.profiledesk.app", "profiles.db");
  try {
    assert.ok(await installed(), "dpkg reports the package installed");
    assert.ok(existsSync(INSTALLED_APP), "the app is installed in /usr/bin");
    assert.ok(
      !readFileSync(INSTALLED_APP).includes("PROFILE_DESK_E2E_"),
      "a release build has no end-to-end test hooks (they are the e2e-hooks feature's)",
    );
    const desktop = readFileSync("/usr/share/applications/Profile Desk.desktop", "utf8");
    assert.match(desktop, /^Exec=profile-desk/m, "the menu entry starts the installed app");
    assert.match(desktop, /^Name=Profile Desk$/m, "under its product name");
    assert.ok(existsSync("/usr/share/icons/hicolor/128x128/apps/profile-desk.png"), "with its icon");

    await withApp(
      { name: "installed-deb", binary: INSTALLED_APP, useDb: false, firstRun: true, env: { XDG_DATA_HOME: dataHome } },
      async (app) => {
        // A first start of the installed app: the administrator is set up on the first-run screen.
        await app.type("first-run-name", ADMIN);
        await app.type("first-run-display-name", "Admin");
        await app.type("first-run-password", ADMIN_PASSWORD);
        await app.type("first-run-password-again", ADMIN_PASSWORD);
        await app.click("first-run-submit");
        await app.waitForText("count-total", "0", { timeout: 20_000 });
        await app.waitFor("empty-state");
        await app.click("about-button");
        assert.equal(await app.text("about-build"), "Release build · com.profiledesk.app", "an installed app is a release build");
        assert.equal(await app.text("about-data-path"), userDb, "it keeps its data in the user's data folder");
        await app.click("about-close");
        const toast = await createProfile(app, { full_name: "Trịnh Công Sơn", phones: ["0913 456 789"] });
        assert.equal(toast, "Created profile Trịnh Công Sơn", "the installed app saves a profile");
        await app.waitForText("count-total", "1");
        await app.screenshot("installed-deb-app");
      },
    );
    assert.ok(!existsSync(path.join(dataHome, "com.profiledesk.app.dev")), "a release build never uses the development folder");
  } finally {
    await asRoot("dpkg", ["--purge", PACKAGE]);
  }
  try {
    assert.ok(!(await installed()), "dpkg reports the package removed");
    assert.ok(!existsSync(INSTALLED_APP), "the app is gone from /usr/bin");
    assert.ok(existsSync(userDb), "the user's database survives the uninstall");
    const listed = await cli(userDb, ["--json", "list"]);
    assert.equal(listed.counts.total, 1, "with the profile saved before the uninstall");
    assert.equal(listed.rows[0].cells.full_name, "Trịnh Công Sơn");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
