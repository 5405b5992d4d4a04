// An edit never overwrites what changed after the form opened (issue 15): while the detail's
// form is open, the CLI imports a new city for the same customer; Save then shows both values
// and saves only after the person chose, here "Use mine".
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { TEST_TIMEOUT, cli, createProfile, stopAll, withApp } from "./harness.mjs";

after(stopAll);

test("a field changed by an import while the form was open asks before Save overwrites it", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "edit-conflict" }, async (app) => {
    await createProfile(app, { full_name: "Trần Thị Lan", phones: ["0935 111 222"], city: "Huế" });
    await app.waitFor("detail-view");
    await app.click("edit-button");
    await app.type("field-city", "Hà Nội", { within: "detail-view" });

    // Meanwhile a colleague's paste (here the CLI on the same store) moves her to Đà Nẵng.
    const rows = path.join(app.dir, "rows.tsv");
    writeFileSync(rows, "Trần Thị Lan\t0935111222\tĐà Nẵng\n");
    await cli(app.db, ["paste", "--file", rows, "--columns", "full_name,phones,city"]);

    await app.click("detail-save");
    const conflict = await app.waitForText("edit-conflict-city", "Đà Nẵng");
    assert.match(conflict, /City — yours: Hà Nội, now: Đà Nẵng/, "both values are shown");
    assert.match(conflict, /when you opened it: Huế/, "and the one the form opened with");
    await app.screenshot("edit-conflict");

    await app.click("edit-conflict-mine-all");
    await app.click("edit-conflict-save");
    await app.waitForToast("Profile saved");
    await app.waitForText("detail-field-city", (t) => t === "Hà Nội");
  });
});
