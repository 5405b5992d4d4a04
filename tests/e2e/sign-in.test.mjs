// Sign-in in the real app (SPEC 7.2): the first run sets up the administrator and the default
// phone region; with two users the sign-in screen asks who signs in and checks the password;
// Sales sees no trash icon, no bulk delete and no Settings; "Lock now" locks the session until
// the password is typed again.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { TEST_TIMEOUT, cli, openSettings, passwordOf, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

test("the first run sets up the administrator and the default phone region", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "first-run", firstRun: true }, async (app) => {
    assert.equal(await (await app.$("first-run-region")).getValue(), "VN", "Vietnam is the default region");
    await app.type("first-run-name", "lan");
    await app.type("first-run-display-name", "Trần Thị Lan");
    await app.type("first-run-password", "short");
    await app.type("first-run-password-again", "short");
    await app.click("first-run-submit");
    await app.waitForText("first-run-error-password", "at least 8 characters");
    await app.type("first-run-password", "lan's long password");
    await app.type("first-run-password-again", "lan's long password");
    await app.select("first-run-region", "TH");
    await app.screenshot("first-run");
    // In a small window (1024 × 700) the form scrolls, so its button can be reached.
    await app.browser.setWindowSize(1024, 700);
    const reachable = await until(
      () =>
        app.browser.execute(() => {
          const button = document.querySelector('[data-testid="first-run-submit"]');
          button.scrollIntoView({ block: "nearest" });
          const r = button.getBoundingClientRect();
          return window.innerHeight < 720 && r.bottom <= window.innerHeight && r.top >= 0;
        }),
      { message: "the first-run button to be scrolled into a 1024 × 700 window" },
    );
    assert.ok(reachable);
    await app.screenshot("first-run-1024x700");
    await app.click("first-run-submit");
    await app.waitForText("count-total", (t) => /\d/.test(t));
    await app.waitForText("current-user", "Trần Thị Lan");
    assert.equal(await app.text("current-role"), "Administrator", "the administrator is signed in");
    const users = await cli(app.db, ["--json", "user", "list"], { password: "lan's long password" });
    assert.equal(users[0].name, "lan", "the administrator was renamed");
    assert.equal(users[0].hasPassword, true, "and has a password");
  });
});

test("with two users the sign-in screen checks the password; Sales sees no delete and no Settings", { timeout: TEST_TIMEOUT }, async () => {
  const users = [{ name: "sam", role: "Sales", displayName: "Sam Lê" }];
  await withApp({ name: "sign-in-sales", seed: 3, users, signInAs: false }, async (app) => {
    await app.select("sign-in-user", "sam");
    await app.type("sign-in-password", "not sam's password");
    await app.click("sign-in-submit");
    const refusal = await app.waitForText("sign-in-error", /\S/);
    assert.match(refusal, /Wrong password for “sam”/, "the core's refusal is shown");
    await app.screenshot("sign-in-wrong-password");
    await app.signIn("sam", passwordOf("sam"));
    await app.waitForText("count-total", "3");
    assert.equal(await app.text("current-role"), "Sales", "signed in as Sales");
    assert.equal(await (await app.$("settings-button")).isExisting(), false, "Sales gets no Settings");
    assert.equal(await (await app.$("audit-button")).isExisting(), false, "nor the audit log");
    await app.click("row-checkbox");
    await app.waitForText("selection-count", "1");
    assert.equal(await (await app.$("bulk-delete-button")).isExisting(), false, "no bulk delete for Sales");
    await (await app.browser.$('[data-testid="profile-row"] [data-col="full_name"]')).click();
    await app.waitFor("detail-back");
    assert.equal(await (await app.$("delete-button")).isExisting(), false, "no trash icon on the detail for Sales");
    assert.equal(await (await app.$("edit-button")).isExisting(), true, "but Sales may edit");
    await app.screenshot("sales-detail-no-trash");
  });
});

test("Lock now locks the session until the password is typed again", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "lock-now" }, async (app) => {
    await app.click("current-user");
    await app.click("lock-now");
    await app.waitFor("lock-screen");
    await app.type("unlock-password", "wrong password!");
    await app.click("unlock-submit");
    await app.waitForText("unlock-error", "Wrong password");
    await app.screenshot("lock-screen");
    await app.type("unlock-password", passwordOf("admin"));
    await app.click("unlock-submit");
    await app.waitGone("lock-screen");
    await app.click("create-profile-button");
    await app.waitFor("create-individually");
    const log = await cli(app.db, ["--json", "audit", "verify"]);
    assert.ok(log.entries >= 4, `sign-in, lock, failed unlock and unlock are audited (${log.entries} entries)`);
  });
});

test("an administrator adds a custom role and a user, who then signs in with exactly that role (audit only)", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "users-and-roles", seed: 2 }, async (app) => {
    await openSettings(app, "roles");
    await app.type("role-add-name", "Auditor");
    await app.click("role-add-perm-audit.view");
    await app.click("role-add-submit");
    await app.waitForToast("Added the role Auditor");
    await app.waitFor("role-Auditor");
    assert.equal(await (await app.$("role-edit-Sales")).isEnabled(), false, "built-in roles are fixed");
    await app.click("settings-nav-users");
    await app.waitFor("user-list");
    await app.type("user-add-name", "an");
    await app.type("user-add-display-name", "Phạm An");
    await app.select("user-add-role", "Auditor");
    await app.type("user-add-password", passwordOf("an"));
    await app.type("user-add-password-again", passwordOf("an"));
    await app.click("user-add-submit");
    await app.waitForToast("Added Phạm An (Auditor)");
    await app.waitFor("user-an");
    await app.dismissToasts();
    await app.screenshot("settings-users");
    await app.click("settings-back");
    await app.click("current-user");
    await app.click("sign-out");
    await app.signIn("an");
    await app.waitForText("current-role", "Auditor");
    assert.equal(await (await app.$("audit-button")).isExisting(), true, "the Auditor sees the audit log");
    assert.equal(await (await app.$("settings-button")).isExisting(), false, "but not the Settings");
    await app.waitForText("no-view-permission", "profile.view");
    assert.equal(await (await app.$("import-report-button")).isDisplayed(), false, "nor the import report");
    const create = await app.$("create-profile-button");
    assert.equal(await create.isEnabled(), false, "cannot create profiles");
    assert.match(await create.getAttribute("title"), /profile\.create/, "and the tooltip names the missing permission");
    await app.click("audit-button");
    await app.waitForText("audit-chain", /Chain verified/);
  });
});
