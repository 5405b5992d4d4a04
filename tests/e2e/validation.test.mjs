// Inline validation in the create wizard: Continue runs the core's
// validation, its messages show next to the fields, and nothing is saved.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { TEST_TIMEOUT, cli, fillProfileForm, openCreateWizard, stopAll, withApp } from "./harness.mjs";

after(stopAll);

test("Continue with an invalid e-mail, phone and date shows the core's errors and creates nothing", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "validation" }, async (app) => {
    await app.waitFor("empty-state");
    await openCreateWizard(app);
    await fillProfileForm(app, { full_name: "Lê Thị Hoa", phones: ["09ab"], emails: ["not-an-email"], birthday: "31/02/1990" });
    await app.click("continue-button");

    // A date written the right way that does not exist is told so, not told its format.
    const dateError = await app.waitForText("error-birthday", /\S/);
    assert.match(dateError, /February 1990 has 28 days/, "the date's error says what is wrong");
    assert.doesNotMatch(dateError, /dd\/mm\/yyyy/, "and gives no wrong advice");

    // The core's messages (pdesk_core::normalize::{phone,email}).
    const phoneError = await app.waitForText("error-phones", /\S/);
    const emailError = await app.waitForText("error-emails", /\S/);
    assert.match(phoneError, /^“09ab” is not a phone number/, "the phone error is the core's message naming the value");
    assert.match(
      emailError,
      /^“not-an-email” is not a valid e-mail address/,
      "the e-mail error is the core's message naming the value",
    );
    const invalid = await app.browser.execute(() =>
      ["field-phones-0", "field-emails-0", "field-full_name"].map(
        (id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute("aria-invalid") ?? null,
      ),
    );
    assert.deepEqual(invalid, ["true", "true", null], "only the two bad inputs are marked invalid");
    assert.equal(
      await (await app.$("save-button")).isDisplayed(),
      false,
      "with errors the wizard stays on step 1, so there is no Save to press",
    );
    assert.equal(await (await app.$("continue-button")).isDisplayed(), true, "Continue stays on step 1");
    await app.screenshot("validation-errors");

    // Fixing one field clears its error only.
    await app.type("field-emails-0", "hoa.le@example.vn", { within: "create-form" });
    await app.waitGone("error-emails");
    assert.match(await app.text("error-phones"), /09ab/, "the phone is still wrong, so its error stays");

    // Leave without saving: nothing was created.
    await app.click("cancel-button");
    await app.waitGone("create-form");
    await app.waitFor("empty-state");
    assert.equal(await app.text("count-total"), "0", "a form that failed validation must not create a profile");
    const stored = await cli(app.db, ["list", "--json"]);
    assert.equal(stored.counts.total, 0, "the store is still empty");
  });
});

test("Continue with nothing filled in asks for an identifier", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "validation-empty" }, async (app) => {
    await openCreateWizard(app);
    await fillProfileForm(app, { city: "Huế" });
    await app.click("continue-button");
    const text = await app.waitForText("error-identification", /\S/);
    assert.match(
      text,
      /at least one identifier: full name, phone or e-mail/,
      "a profile needs a name, phone or e-mail (the core's rule)",
    );
    assert.equal(await (await app.$("save-button")).isDisplayed(), false, "the wizard stays on step 1");
    await app.click("cancel-button");
    await app.waitGone("create-form");
    assert.equal(await app.text("count-total"), "0", "nothing was created");
  });
});
