// The synchronization rule seen from the UI: a second "create" whose phone
// matches an existing profile (in another format) updates that profile, and
// the duplicate guard warns about it while the phone is being typed.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import {
  TEST_TIMEOUT,
  cli,
  createProfile,
  fillProfileForm,
  openCreateWizard,
  stopAll,
  until,
  withApp,
} from "./harness.mjs";

after(stopAll);

test("a second create with the same phone updates the existing profile", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "sync-rule" }, async (app) => {
    const first = await createProfile(app, {
      full_name: "Nguyễn Văn Ánh",
      phones: ["0912 345 678"],
      emails: ["a@example.vn"],
    });
    assert.equal(first, "Created profile Nguyễn Văn Ánh", "the store was empty, so the first save creates");
    await app.waitFor("detail-view");
    const firstId = Number(await app.browser.$('[data-testid="detail-view"]').getAttribute("data-id"));
    await app.click("detail-back");
    await app.waitForText("count-total", (t) => t === "1");

    // While the phone of a new profile is typed, the guard names the owner before Save.
    await openCreateWizard(app);
    await app.type("field-phones-0", "0912345678");
    const guard = await app.waitForText("duplicate-guard", "Nguyễn Văn Ánh");
    assert.match(guard, /^Already belongs to Nguyễn Văn Ánh/, "0912345678 is the same number as 0912 345 678");
    assert.match(guard, /matched by phone/, "the guard says which identifier matched");
    assert.equal(
      await (await app.$("save-button")).isDisplayed(),
      false,
      "the guard shows on step 1, before anything can be saved",
    );
    await app.click("cancel-button");
    await app.waitGone("create-form");
    assert.equal(await app.text("count-total"), "1", "cancelling the wizard saves nothing");

    // No name, the same phone in international format, another e-mail: the rule updates.
    const second = await createProfile(app, { phones: ["+84 912 345 678"], emails: ["b@example.vn"] }, {
      beforeContinue: async () => {
        const text = await app.waitForText("duplicate-guard", "Nguyễn Văn Ánh");
        assert.match(text, /saving will update that profile/, "the guard says Save will update, not create");
        await app.screenshot("duplicate-guard");
      },
    });
    assert.equal(
      second,
      "Updated existing profile Nguyễn Văn Ánh — matched by phone",
      "+84 912 345 678 and 0912 345 678 normalise to the same E.164 number, so the rule updates",
    );

    // The updated profile opens: it is the first one and now has both e-mails.
    await app.waitFor("detail-view");
    await until(
      async () => Number(await app.browser.$('[data-testid="detail-view"]').getAttribute("data-id")) === firstId,
      { message: "the detail of the existing profile" },
    );
    const emails = await app.waitForText("detail-field-emails", "b@example.vn");
    assert.match(emails, /a@example\.vn/, "the existing e-mail is kept by the update");
    assert.match(emails, /b@example\.vn/, "the new e-mail is added by the update");
    assert.equal(await app.text("detail-label"), "Nguyễn Văn Ánh", "an empty name does not erase the existing one");
    const history = await app.text("history");
    assert.match(history, /matched by phone/, "the history records the update and what matched");

    // Still exactly one profile, in the list and in the store.
    await app.screenshot("detail-after-sync");
    await app.click("detail-back");
    await app.waitForText("count-total", (t) => t === "1");
    assert.equal(await app.text("count-filtered"), "1", "no search: the one profile is shown");
    const rows = await until(
      async () => {
        const r = await app.rows();
        return r.length > 0 ? r : null;
      },
      { message: "the row to render" },
    );
    assert.equal(rows.length, 1, "the update must not add a row");
    assert.equal(rows[0].id, firstId, "the only row is the original profile");
    const stored = await cli(app.db, ["list", "--json"]);
    assert.equal(stored.counts.total, 1, "the store holds one profile after the update");
  });
});

test("the duplicate guard names the owner of an e-mail too, and disappears when the value changes", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "duplicate-guard" }, async (app) => {
    await createProfile(app, { full_name: "Trần Thị Bích", emails: ["bich.tran@example.vn"] });
    await app.waitFor("detail-view");
    await app.click("detail-back");

    await openCreateWizard(app);
    await fillProfileForm(app, { emails: ["BICH.TRAN@example.vn"] });
    const guard = await app.waitForText("duplicate-guard", "Trần Thị Bích");
    assert.match(guard, /matched by e-mail/, "e-mail matching ignores case");
    await app.type("field-emails-0", "someone.else@example.vn");
    await app.waitGone("duplicate-guard");
    await app.click("cancel-button");
    await app.waitGone("create-form");
  });
});
