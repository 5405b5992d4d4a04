// Export and e-mail in the real app, with a real SMTP server on loopback started here:
// Settings → E-mail (and its test e-mail), a filter saved as a segment and exported (≤ 1,000
// rows: written at once — the save dialog is bypassed with PROFILE_DESK_E2E_SAVE_DIR, nothing
// else), then every profile (> 1,000 rows: a background export with progress, the ready
// notice with Save as…, and the e-mail with the file attached arriving at the server).
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { TEST_TIMEOUT, cli, scratchDir, stopAll, until, withApp } from "./harness.mjs";
import { startSmtp, xlsxRowCount } from "./mailbox.mjs";

after(stopAll);

const ME = "lan.nguyen@example.vn";
const fmt = (n) => n.toLocaleString("en-US");

test("a filtered segment exports at once; all profiles export in the background and arrive by e-mail", { timeout: TEST_TIMEOUT * 3 }, async () => {
  const smtp = await startSmtp();
  const saveDir = scratchDir("export");
  try {
    await withApp({ name: "export", seed: 1_200, env: { PROFILE_DESK_E2E_SAVE_DIR: saveDir } }, async (app) => {
      // Settings → E-mail: a relay on loopback without encryption, chosen explicitly.
      await app.click("settings-button");
      await app.click("settings-nav-email");
      await app.waitFor("settings-section-email");
      await app.type("mail-host", "127.0.0.1");
      await app.select("mail-security", "none");
      await app.type("mail-port", String(smtp.port));
      await app.type("mail-sender", "profile-desk@example.vn");
      await app.click("mail-save");
      await app.waitForToast("E-mail settings saved");
      await app.type("mail-test-to", ME);
      await app.click("mail-test");
      await app.waitForToast(`Test e-mail sent to ${ME}`);
      const [testMail] = await smtp.waitFor(1);
      assert.equal(testMail.parsed.subject, "Profile Desk test e-mail", "the test e-mail reached the SMTP server");
      assert.deepEqual(testMail.to, [ME], "addressed as asked");
      await app.screenshot("settings-email");
      await app.dismissToasts();
      await app.click("settings-back");
      await app.waitFor("list-view");

      // A filter, saved as a segment, exported at once.
      await app.click("filter-toggle");
      await app.select("filter-subject-0", "field:city");
      await app.type("filter-value-0", "Hà Nội");
      const filter = [{ kind: "field", field: "city", op: "is", value: "Hà Nội" }];
      const expected = (await cli(app.db, ["--json", "list", "--limit", "1", "--filter", JSON.stringify(filter)])).counts.filtered;
      assert.ok(expected > 0 && expected <= 1_000, `a city holds at most the direct limit (${expected})`);
      await app.waitForText("count-filtered", (t) => t === fmt(expected));
      await app.click("segment-save");
      await app.type("segment-name-dialog-input", "Hà Nội");
      await app.click("segment-name-dialog-confirm");
      await app.waitForToast("Saved the segment “Hà Nội”");
      await app.dismissToasts();

      await app.click("export-button");
      await app.waitFor("export-dialog");
      await app.waitForText("export-rows", fmt(expected));
      assert.equal(await (await app.$("export-mode")).getAttribute("data-mode"), "direct", "up to 1,000 rows: written at once");
      await app.screenshot("export-dialog-direct");
      await app.click("export-confirm");
      const toast = await app.waitForToast(`Exported ${fmt(expected)} profiles to ${saveDir}`);
      const direct = readdirSync(saveDir).find((f) => f.endsWith(".xlsx"));
      assert.ok(direct && toast.includes(direct), `the file the toast names is in the chosen folder: ${toast}`);
      assert.equal(xlsxRowCount(readFileSync(path.join(saveDir, direct))), expected + 1, "header + the filtered rows in the file");
      assert.equal(smtp.messages.length, 1, "a direct export sends no e-mail");
      await app.dismissToasts();

      // Every profile: over the limit, in the background, e-mailed.
      await app.click("filter-clear");
      await app.waitForText("count-filtered", (t) => t === "1,200");
      await app.click("export-button");
      await app.waitFor("export-dialog");
      await app.click("export-fields-all");
      await app.waitForText("export-rows", "1,200");
      await until(async () => (await (await app.$("export-mode")).getAttribute("data-mode")) === "background", {
        message: "the dialog to announce a background export",
      });
      await app.type("export-mail-address", ME);
      await app.click("export-mail-save");
      await app.waitForText("export-mail-to", ME);
      await app.screenshot("export-dialog-background");
      await app.click("export-confirm");
      const noticeId = await until(
        () => app.browser.execute(() => document.querySelector('[data-testid^="export-notice-"]')?.getAttribute("data-testid")),
        { timeout: 60_000, message: "the export's ready notice" },
      );
      const id = noticeId.replace("export-notice-", "");
      assert.equal(await (await app.$(noticeId)).getAttribute("data-status"), "done", "the background export is done");
      await until(async () => (await (await app.$(`export-mail-${id}`)).getAttribute("data-status")) === "sent", {
        timeout: 30_000,
        message: "the export's e-mail to be marked sent",
      });
      const mails = await smtp.waitFor(2);
      const exportMail = mails[1];
      assert.deepEqual(exportMail.to, [ME], "the file goes to the user's address");
      assert.match(exportMail.parsed.subject, /^Export finished: 1200 profiles/, "the subject says what is ready");
      const attached = exportMail.parsed.attachments.filter((a) => a.filename?.endsWith(".xlsx"));
      assert.equal(attached.length, 1, "the .xlsx is attached");
      assert.equal(xlsxRowCount(attached[0].content), 1_201, "the attachment holds the header and every profile");
      await app.screenshot("export-ready-notice");

      await app.dismissToasts();
      await app.click(`export-saveas-${id}`);
      const saved = (await app.waitForToast("Saved the export to ")).replace(/^Saved the export to /, "");
      assert.ok(saved.startsWith(saveDir), `Save as wrote where the user chose: ${saved}`);
      assert.equal(xlsxRowCount(readFileSync(saved)), 1_201, "the copy is the whole export");

      await app.click("exports-button");
      await app.waitFor("exports-table");
      await app.waitForText(`exports-status-${id}`, "Done");
      assert.ok(existsSync(saveDir), "the save folder is still there");
      await app.screenshot("exports-screen");
    });
  } finally {
    await smtp.stop();
  }
});
