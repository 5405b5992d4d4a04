// Where results may be e-mailed, in the real app with a real SMTP server on loopback: an
// administrator allows one domain (Settings → E-mail → Who may receive results), the user sets
// their own address once in the user menu (an address elsewhere is refused there, with why),
// the administrator then allows another domain only, and the import's e-mail is not sent —
// the File Upload Connector Report says so, and why. And a Sales user (SPEC 4.1) sets their
// own address in the user menu and gets the e-mail of the import they ran.
import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";

import { REPO, TEST_TIMEOUT, openSettings, stopAll, until, withApp } from "./harness.mjs";
import { startSmtp } from "./mailbox.mjs";

after(stopAll);

const FIXTURE = path.join(REPO, "tests", "e2e", "fixtures", "customers-300.xlsx");

/** Settings → E-mail → Who may receive results: allows `domains` only, then back to the list. */
async function allowDomains(app, domains) {
  await openSettings(app, "email");
  await app.waitFor("mail-policy");
  await app.type("mail-allowed-domains", domains);
  await app.click("mail-policy-save");
  await app.waitForToast(`Results may go to ${domains} only`);
  await app.screenshot(`mail-policy-${domains}`);
  await app.dismissToasts();
  await app.click("settings-back");
  await app.waitFor("list-view");
}

/** Imports the 300-row fixture (the file the test hook picks) and opens the report. */
async function importFixtureAndOpenTheReport(app) {
  await app.uploadToCheck();
  await app.click("import-confirm");
  await app.waitFor("import-result", { timeout: 60_000 });
  await app.click("import-result-report");
  await app.waitFor("import-report");
}

/** Settings → E-mail: the relay on loopback (no encryption: only allowed to this computer). */
async function configureSmtp(app, port) {
  await openSettings(app, "email");
  await app.type("mail-host", "127.0.0.1");
  await app.select("mail-security", "none");
  await app.type("mail-port", String(port));
  await app.type("mail-sender", "profile-desk@congty.vn");
  await app.click("mail-save");
  await app.waitForToast("E-mail settings saved");
  await app.dismissToasts();
  await app.click("settings-back");
  await app.waitFor("list-view");
}

/** The user menu → E-mail for results…: saves `address` (or expects the refusal's text). */
async function setOwnAddress(app, address, { refused = null } = {}) {
  await app.dismissToasts();
  await app.click("current-user");
  await app.click("my-mail-address");
  await app.waitFor("my-mail-address-dialog");
  await app.type("my-mail-address-input", address);
  await app.click("my-mail-address-save");
  if (refused) return app.waitForText("my-mail-address-error", refused);
  await app.waitForToast(`Results are e-mailed to ${address}`);
  await app.waitGone("my-mail-address-dialog");
  return null;
}

test("the address set in the user menu is checked against the allowed domains, and a skipped e-mail shows why in the report", { timeout: TEST_TIMEOUT * 2 }, async () => {
  const smtp = await startSmtp();
  try {
    await withApp({ name: "mail-address", env: { PROFILE_DESK_E2E_PICK: FIXTURE } }, async (app) => {
      await configureSmtp(app, smtp.port);
      await allowDomains(app, "congty.vn");

      // The user menu: an address outside the allowed domains is refused, with the rule.
      const refusal = await setOwnAddress(app, "lan@gmail.com", { refused: "congty.vn" });
      assert.match(refusal, /only be e-mailed to addresses at congty\.vn/, refusal);
      await app.screenshot("mail-address-refused");
      await app.type("my-mail-address-input", "lan@congty.vn");
      await app.click("my-mail-address-save");
      await app.waitForToast("Results are e-mailed to lan@congty.vn");
      await app.waitGone("my-mail-address-dialog");

      // The list changes afterwards: the address is no longer mailed.
      await allowDomains(app, "chinhanh.vn");

      await importFixtureAndOpenTheReport(app);
      await until(async () => (await (await app.$("report-mail-1")).getAttribute("data-reason")) === "domainNotAllowed", {
        timeout: 30_000,
        message: "the import's e-mail to be recorded as not sent (domain not allowed)",
      });
      const line = await app.waitForText("report-mail-1", "E-mail not sent");
      assert.match(line, /lan@congty\.vn/, `the address that was not mailed: ${line}`);
      assert.match(line, /chinhanh\.vn/, `and the domains that are allowed: ${line}`);
      assert.equal(await (await app.$("report-mail-1")).getAttribute("data-status"), "skipped");
      await app.screenshot("import-report-mail-not-sent");
      assert.equal(smtp.messages.length, 0, "nothing reached the SMTP server");
    });
  } finally {
    await smtp.stop();
  }
});

test("a Sales user sets their own address in the user menu and gets the e-mail of the import they ran", { timeout: TEST_TIMEOUT * 2 }, async () => {
  const smtp = await startSmtp();
  try {
    const users = [{ name: "sam", role: "Sales", displayName: "Sam Trần" }];
    await withApp({ name: "mail-sales", users, env: { PROFILE_DESK_E2E_PICK: FIXTURE } }, async (app) => {
      await configureSmtp(app, smtp.port);
      await app.dismissToasts();
      await app.click("current-user");
      await app.click("sign-out");
      await app.signIn("sam");
      await app.waitForText("current-role", "Sales");
      await setOwnAddress(app, "sam@congty.vn");
      await importFixtureAndOpenTheReport(app);
      await until(async () => (await (await app.$("report-mail-1")).getAttribute("data-status")) === "sent", {
        timeout: 30_000,
        message: "the import's e-mail to be sent",
      });
      await app.waitForText("report-mail-1", "E-mail sent to sam@congty.vn");
      await app.screenshot("import-report-mail-sent-to-sales");
      const [mail] = await smtp.waitFor(1);
      assert.deepEqual(mail.to, ["sam@congty.vn"], "to the Sales user who ran the import");
      assert.match(mail.parsed.subject, /Import finished: customers-300\.xlsx/, mail.parsed.subject);
    });
  } finally {
    await smtp.stop();
  }
});
