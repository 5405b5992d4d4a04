// Editing a profile so that it holds another profile's phone asks first (issue 17): the
// question names the owner; Back keeps the form; "Keep both profiles" saves and the history
// says they were kept apart. The core refuses the edit without an answer, so this dialog is
// the only way it is saved.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { TEST_TIMEOUT, createProfile, stopAll, withApp } from "./harness.mjs";

after(stopAll);

test("an edit that gives a profile another customer's phone asks before saving", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "edit-shared" }, async (app) => {
    await createProfile(app, { full_name: "Trần Thị Lan", phones: ["0935 111 222"] });
    await app.waitFor("detail-view");
    await app.click("detail-back");
    await app.waitForText("count-total", (t) => t === "1");
    await createProfile(app, { full_name: "Phạm Văn Hùng", phones: ["0912 000 111"] });
    await app.waitFor("detail-view");

    await app.click("edit-button");
    await app.type("field-phones-0", "0935111222", { within: "detail-view" });
    await app.click("detail-save");
    const question = await app.waitForText("shared-identifier-dialog", "Trần Thị Lan");
    assert.match(question, /0935111222 \(phone\) belongs to Trần Thị Lan \(#\d+\)/, "the value and its owner are named");
    await app.screenshot("edit-shared-identifier");

    await app.click("shared-identifier-back");
    await app.waitGone("shared-identifier-dialog");
    assert.ok(await (await app.$("detail-save")).isDisplayed(), "Back returns to the form, nothing saved");

    await app.click("detail-save");
    await app.waitFor("shared-identifier-dialog");
    await app.click("shared-identifier-keep");
    await app.waitForToast("Profile saved");
    await app.waitGone("detail-save");
    const history = await app.waitForText("history", "kept apart from #");
    assert.match(history, /kept apart from #\d+ Trần Thị Lan/, "the choice is in the history");
    await app.screenshot("edit-shared-kept-apart");
    await app.click("detail-back");
    await app.waitForText("count-total", (t) => t === "2");
  });
});
