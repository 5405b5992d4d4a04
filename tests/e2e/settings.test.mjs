// The Settings screen in the real app: an administrator changes a limit and adds a consent
// channel, and both hold at once — the paste check uses the new limit, the create form's
// consent step offers the new channel. Screenshots of the sections for people to look at.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { TEST_TIMEOUT, fillProfileForm, openCreateWizard, openSettings, pasteRows, stopAll, withApp } from "./harness.mjs";

after(stopAll);

test("a lowered paste limit and a new consent channel hold at once", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "settings-limits-channels" }, async (app) => {
    await openSettings(app, "limits");
    assert.equal(await (await app.$("limit-paste_rows")).getValue(), "1000", "the SPEC default paste limit");
    assert.equal(await (await app.$("limit-file_size")).getValue(), "10", "the SPEC default file size (MB)");
    await app.type("limit-paste_rows", "20000");
    await app.click("limits-save");
    const refusal = await app.waitForText("limit-error-paste_rows", /\S/);
    assert.match(refusal, /between 1 row and 10,000 rows/, "the core's bounds are shown under the limit");
    await app.type("limit-paste_rows", "2");
    await app.click("limits-save");
    await app.waitForToast("Limit saved");
    await app.screenshot("settings-limits");

    await app.click("settings-nav-consent");
    await app.waitFor("channel-list");
    await app.type("channel-add-input", "Zalo");
    await app.click("channel-add-button");
    await app.waitForText("channel-label-zalo", "Zalo");
    const removeEmail = await app.$("channel-remove-email");
    assert.equal(await removeEmail.isEnabled(), false, "a built-in channel cannot be removed");
    assert.match(await removeEmail.getAttribute("title"), /Built-in/, "and the tooltip says why");
    await app.screenshot("settings-consent-channels");
    await app.click("settings-back");
    await app.waitFor("list-view");

    // The create form's consent step offers the new channel straight away.
    await openCreateWizard(app);
    await fillProfileForm(app, { full_name: "Phạm Thu Hà" });
    await app.click("continue-button");
    await app.waitFor("consent-zalo");
    await app.click("wizard-close");
    // Something was typed: × asks first (ui/src/shell/wizard.ts).
    await app.click("discard-changes-yes");
    await app.waitGone("create-form");

    // The paste check uses the new limit: three rows are over it.
    await pasteRows(app, "Lý Thị Mai\t0901234567\nTrương Văn Tài\t0902345678\nHồ Ngọc Hà\t0903456789\n");
    const pasteRefusal = await app.waitForText("import-paste-error", /\S/);
    assert.match(pasteRefusal, /\b3\b/, `the refusal names the count: ${pasteRefusal}`);
    assert.match(pasteRefusal, /\b2\b/, `and the new limit: ${pasteRefusal}`);
  });
});

test("the synchronization rule's live example follows the keys being edited", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "settings-sync-rule" }, async (app) => {
    await openSettings(app, "sync");
    await app.waitForText("sync-example-outcome", "Merge review");
    await app.click("sync-key-on-email");
    await app.click("sync-key-on-customerCode");
    await app.waitForText("sync-example-outcome", "Updated");
    assert.match(await app.text("sync-example-message"), /matched by phone/, "only the phone ties the row to profile #1");
    await app.click("sync-policy-fillEmptyOnly");
    await app.waitForText("sync-example-changes", (t) => !t.includes("Đà Nẵng"), { timeout: 5_000 });
    await app.select("sync-region", "TH");
    await app.waitForText("sync-example-region", "+66912345678");
    await app.screenshot("settings-sync-rule");
    await app.click("sync-save");
    await app.waitForToast("Synchronization rule saved");
  });
});
