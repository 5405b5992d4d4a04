// The synchronization rule seen from the UI: a second "create" whose phone
// matches an existing profile (in another format) asks first — the match step
// shows the profile and what updating it would change — and updates it only when
// the person says so; a name that is another person's is warned about and may be
// kept apart as a separate profile; the duplicate guard hints at it while the
// phone is being typed; and the guards are edited in Settings.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import {
  TEST_TIMEOUT,
  cli,
  createProfile,
  fillProfileForm,
  openCreateWizard,
  openSettings,
  stopAll,
  until,
  withApp,
} from "./harness.mjs";

after(stopAll);

/** The detail's profile id, once the detail of `label` is shown. */
async function detailId(app, label) {
  await app.waitFor("detail-view");
  await app.waitForText("detail-label", (t) => t === label);
  return Number(await app.browser.$('[data-testid="detail-view"]').getAttribute("data-id"));
}

/** The rows of the match step's "what Update would change" table for profile `id`: [[field, now, after]]. */
function changeRows(app, id) {
  return app.browser.execute(
    (testid) =>
      [...document.querySelectorAll(`[data-testid="${testid}"] tbody tr`)].map((tr) =>
        [...tr.children].map((td) => (td.textContent ?? "").trim()),
      ),
    `create-changes-${id}`,
  );
}

test("a second create with the same phone asks, and Update this profile updates the existing profile", { timeout: TEST_TIMEOUT }, async () => {
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

    // No name, the same phone in international format, another e-mail: Save asks, Update updates.
    const second = await createProfile(app, { phones: ["+84 912 345 678"], emails: ["b@example.vn"] }, {
      beforeContinue: async () => {
        const text = await app.waitForText("duplicate-guard", "Nguyễn Văn Ánh");
        assert.match(text, /Save will ask whether to update that profile or create a separate one/, "the guard says Save will ask, not merge");
        await app.screenshot("duplicate-guard");
      },
      onMatch: async () => {
        const step = await app.waitForText("create-match-step", "Nguyễn Văn Ánh");
        assert.match(step, /This profile may already exist/, "one match: the question names it");
        assert.equal(await app.text(`create-match-by-${firstId}`), "matched by phone", "and says what matched");
        assert.deepEqual(
          await changeRows(app, firstId),
          [["E-mails", "a@example.vn", "added b@example.vn"]],
          "field by field, what Update would change: only the e-mail is added",
        );
        assert.equal(await app.text(`create-name-differs-${firstId}`), null, "no name typed: no warning");
        assert.equal(await app.text("count-total"), "1", "nothing is saved while the question is open");
        await app.screenshot("create-match-step");
        await app.click(`create-update-${firstId}`);
      },
    });
    assert.equal(
      second,
      "Updated existing profile Nguyễn Văn Ánh — matched by phone",
      "+84 912 345 678 and 0912 345 678 normalise to the same E.164 number; the person chose to update",
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

test("a name typed without accents with an existing phone asks, and Update keeps the accented name", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "create-match-accents" }, async (app) => {
    await createProfile(app, { full_name: "Nguyễn Văn Ánh", phones: ["0912 345 678"] });
    const id = await detailId(app, "Nguyễn Văn Ánh");
    await app.click("detail-back");

    const toast = await createProfile(app, { full_name: "Nguyen Van Anh", phones: ["0912345678"], city: "Huế" }, {
      onMatch: async () => {
        await app.waitForText("create-match-step", "Nguyễn Văn Ánh");
        assert.equal(await app.text(`create-name-differs-${id}`), null, "the same name without accents is the same person: no warning");
        const rows = await changeRows(app, id);
        assert.deepEqual(rows, [["City", "(empty)", "Huế"]], "the accented name is kept, only the city is added");
        await app.click(`create-update-${id}`);
      },
    });
    assert.equal(toast, "Updated existing profile Nguyễn Văn Ánh — matched by phone", "the toast says what happened");
    assert.equal(await detailId(app, "Nguyễn Văn Ánh"), id, "the existing profile opens, its name with the accents");
    await app.waitForText("detail-field-city", "Huế");
    await app.click("detail-back");
    await app.waitForText("count-total", (t) => t === "1");
    const stored = await cli(app.db, ["list", "--json"]);
    assert.equal(stored.counts.total, 1, "no second profile");
  });
});

test("another person's name with an existing phone is warned about; Back keeps the values; Create a separate profile keeps them apart", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "create-match-separate" }, async (app) => {
    await createProfile(app, { full_name: "Trần Thị Lan", phones: ["0987 654 321"] });
    const lanId = await detailId(app, "Trần Thị Lan");
    await app.click("detail-back");

    await openCreateWizard(app);
    await fillProfileForm(app, { full_name: "Phạm Văn Hùng", phones: ["0987654321"], city: "Đà Nẵng" });
    await app.click("continue-button");
    await app.click("save-button");
    const warning = await app.waitForText(`create-name-differs-${lanId}`, "≠");
    assert.match(warning, /The name is another person's: Trần Thị Lan ≠ Phạm Văn Hùng/, "both names, side by side");
    assert.equal(await app.text(`create-match-by-${lanId}`), "matched by phone", "what matched");
    assert.equal(await (await app.$("create-review")).isDisplayed(), true, "the rule alone would leave a review: offered, labelled as such");
    await app.screenshot("create-name-differs");

    // Back: the form again, with what was typed.
    await app.click("create-back");
    await app.waitFor("continue-button");
    assert.equal(await (await app.$("create-match-step")).isDisplayed(), false, "the question is gone");
    assert.equal(await (await app.$("field-full_name")).getValue(), "Phạm Văn Hùng", "the name is kept");
    assert.equal(await (await app.$("field-phones-0")).getValue(), "0987654321", "the phone is kept");
    assert.equal(await (await app.$("field-city")).getValue(), "Đà Nẵng", "the city is kept");

    // Save again: asked again; this time a separate profile.
    await app.click("continue-button");
    await app.click("save-button");
    await app.waitFor(`create-name-differs-${lanId}`);
    await app.click("create-separate");
    const toast = await app.waitForToast("Created separate profile");
    assert.equal(toast, "Created separate profile Phạm Văn Hùng — not merged with Trần Thị Lan", "the toast says it was kept apart");
    const hungId = await detailId(app, "Phạm Văn Hùng");
    assert.notEqual(hungId, lanId, "a new profile");
    const history = await app.waitForText("history", "created separately");
    assert.match(history, new RegExp(`created separately from #${lanId} Trần Thị Lan`), "the history says why it exists beside Trần Thị Lan");
    await app.click("detail-back");
    await app.waitForText("count-total", (t) => t === "2");
    const stored = await cli(app.db, ["list", "--json"]);
    assert.equal(stored.counts.total, 2, "two profiles in the store");
  });
});

test("the guards are edited in Settings; a blocked value added there is refused in the create form", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "settings-guards" }, async (app) => {
    await openSettings(app, "sync");
    await app.waitFor("guards");
    assert.equal(await (await app.$("guards-max-phones")).getValue(), "5", "the default");
    assert.match(await app.text("guards-blocked"), /0000000000/, "the default blocked values are listed");
    await app.type("guards-max-phones", "3");
    await app.type("guards-blocked-input", "0901 234 567");
    await app.click("guards-blocked-add");
    await app.waitForText("guards-blocked", "0901 234 567");
    // The whole card in view, down to its Save button, for the screenshot.
    await app.browser.execute(() => document.querySelector('[data-testid="guards-save"]')?.scrollIntoView({ block: "end" }));
    await app.screenshot("settings-guards");
    await app.click("guards-save");
    await app.waitForToast("Guards saved");

    // Reopened, the section reads the saved values back from the core.
    await app.click("settings-nav-limits");
    await app.waitFor("settings-section-limits");
    await app.click("settings-nav-sync");
    await app.waitFor("guards");
    await until(async () => (await (await app.$("guards-max-phones")).getValue()) === "3", { message: "max phones 3 after reopening" });
    assert.match(await app.text("guards-blocked"), /0901 234 567/, "the added value is kept");
    await app.click("settings-back");
    await app.waitFor("list-view");

    await openCreateWizard(app);
    await fillProfileForm(app, { full_name: "Lê Văn Tâm", phones: ["0901234567"] });
    await app.click("continue-button");
    const error = await app.waitForText("error-phones", "blocked");
    assert.match(error, /“0901234567” is on the list of blocked values/, "the value is named");
    assert.match(error, /Settings → Synchronization rule/, "and the rule that refuses it");
    assert.equal(await (await app.$("save-button")).isDisplayed(), false, "it cannot be saved");
    await app.click("cancel-button");
    await app.waitGone("create-form");
  });
});
