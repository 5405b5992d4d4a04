// The field catalogue in the real app (SPEC 7.1): the administrator adds a custom field that is
// mandatory on create, with a mapping synonym; at once the create form requires it and the
// mapping grid offers it (and the import check asks for it while it is not mapped).
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { TEST_TIMEOUT, fillProfileForm, openCreateWizard, openSettings, pasteRows, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

test("a custom mandatory field is required by the create form and offered by the mapping grid", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "field-catalogue" }, async (app) => {
    await openSettings(app, "fields");
    await app.waitFor("field-list");
    assert.equal(await (await app.$("field-delete-full_name")).isEnabled(), false, "built-in fields cannot be deleted");
    await app.click("field-add");
    await app.waitFor("field-editor");
    await app.type("field-editor-label", "Chi nhánh");
    await app.select("field-editor-kind", "select");
    await app.type("field-option-0", "Hà Nội");
    await app.click("field-option-add");
    await app.type("field-option-1", "TP. Hồ Chí Minh");
    await app.click("field-editor-mandatory");
    await app.browser.execute(() => {
      const area = document.querySelector('[data-testid="field-editor-synonyms"]');
      area.value = "Mã CN\nBranch";
    });
    await app.screenshot("field-editor");
    await app.click("field-editor-save");
    await app.waitForToast("Added the field Chi nhánh");
    await app.waitForText("field-label-chi_nhanh", "Chi nhánh");
    await app.dismissToasts();
    await app.browser.execute(() => document.querySelector('[data-testid="field-chi_nhanh"]')?.scrollIntoView({ block: "center" }));
    await app.screenshot("field-catalogue");
    await app.click("settings-back");

    // The create form requires it at once.
    await openCreateWizard(app);
    await fillProfileForm(app, { full_name: "Lê Văn Nam" });
    await app.click("continue-button");
    const required = await app.waitForText("error-chi_nhanh", /\S/);
    assert.equal(required, "Chi nhánh is mandatory", "the core's mandatory rule, named");
    await app.select("field-chi_nhanh", "ha_noi");
    await app.click("continue-button");
    await app.waitFor("save-button");
    await app.click("wizard-close");
    // Something was typed: × asks first (ui/src/shell/wizard.ts).
    await app.click("discard-changes-yes");
    await app.waitGone("create-form");

    // The mapping grid offers it, and the check asks for it until it is mapped.
    await pasteRows(app, "Lê Văn Nam\t0912345678\tHà Nội\n");
    await app.waitForText("import-paste-summary", "1");
    await app.click("import-continue");
    await app.waitFor("mapping-grid");
    const offered = await app.browser.execute(() =>
      [...document.querySelectorAll('[data-testid="mapping-target-2"] option')].map((o) => o.value),
    );
    assert.ok(offered.includes("chi_nhanh"), `the grid offers the new field: ${offered}`);
    await until(async () => /Chi nhánh/.test((await app.text("mapping-problems")) ?? ""), {
      message: "the mapping check to ask for the mandatory field",
    });
    await app.select("mapping-target-2", "chi_nhanh");
    await until(async () => !/Chi nhánh/.test((await app.text("mapping-problems")) ?? ""), {
      message: "the problem to go once the field is mapped",
    });
  });
});
