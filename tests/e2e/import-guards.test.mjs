// The synchronization rule's guards (issue 17) through the import wizard in the real app: a
// shop's own list of 200 customers written by openpyxl (crates/core/tests/fixtures, made by
// make_fixtures.py realistic) — a switchboard number typed for 42 customers, annotated, double
// and old 11-digit phone cells, n/a, 0000000000, noemail@…, a customer typed twice, and a
// stranger with an existing customer's phone. The store holds that customer (Trần Thị Lan)
// before the app starts. Nothing is refused at mapping; the dry run names the switchboard; using
// it anyway changes the counts; the job's result and the report tell what the guards did.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { REPO, TEST_TIMEOUT, cli, pasteRows, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const FIXTURE = path.join(REPO, "crates", "core", "tests", "fixtures", "realistic-customers-openpyxl.xlsx");

/** Lan, whose phone the file's last row gives a stranger of another name (import job 1). */
async function addLan(db, dir) {
  const rows = path.join(dir, "lan.tsv");
  writeFileSync(rows, "Trần Thị Lan\t0935 111 222\n");
  await cli(db, ["paste", "--file", rows, "--columns", "full_name,phones"]);
}

async function number(app, testid) {
  const t = await app.waitForText(testid, (x) => /\d/.test(x));
  return Number(t.replace(/[^\d]/g, ""));
}

async function dryRunCounts(app) {
  const ids = {
    created: "dry-run-created",
    updated: "dry-run-updated",
    duplicates: "dry-run-duplicates",
    reviews: "dry-run-reviews",
    failed: "dry-run-failed",
    sharedKeyRows: "dry-run-shared-key-rows",
    nameDiffers: "dry-run-name-differs",
    identifierLimit: "dry-run-identifier-limit",
    blockedValues: "dry-run-blocked-values",
  };
  const out = {};
  for (const [key, testid] of Object.entries(ids)) out[key] = await number(app, testid);
  return out;
}

test("a real customer list: shared switchboard listed, used anyway on request, guard counts in the result and report", { timeout: TEST_TIMEOUT * 2 }, async () => {
  await withApp({ name: "import-guards", env: { PROFILE_DESK_E2E_PICK: FIXTURE }, prepare: addLan }, async (app) => {
    await app.waitForText("count-total", (t) => t === "1");
    await app.openImport("import-upload-file");
    await app.chooseFile();
    await app.click("import-continue");
    await app.waitFor("mapping-grid");

    // Mapping: odd phone cells only warn (if at all); nothing blocks.
    await app.waitForText("mapping-problems", /meets every condition/);
    assert.equal(await app.text("mapping-blocking"), null, "no mapping problem blocks a real customer list");
    const warnings = await app.text("mapping-warnings");
    if (warnings !== null) assert.match(warnings, /import can go on/, "a warning says the import goes on");
    assert.equal(await (await app.$("import-continue")).isEnabled(), true, "Continue is enabled");
    await app.screenshot("import-guards-mapping");
    await app.click("import-continue");
    await app.click("import-continue");

    // Check: the dry run with every guard count and the shared switchboard.
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    assert.deepEqual(
      await dryRunCounts(app),
      {
        created: 198,
        updated: 0,
        duplicates: 1,
        reviews: 1,
        failed: 0,
        sharedKeyRows: 42,
        nameDiffers: 1,
        identifierLimit: 0,
        blockedValues: 4,
      },
      "198 new, the customer typed twice merged, the stranger with Lan's phone to review, 42 rows not matched on the switchboard, n/a, 0000000000 and two noemail@ dropped",
    );
    const shared = await app.waitForText("dry-run-shared-keys", "Shared phone");
    assert.match(shared, /Shared phone .+ in 42 rows \(42 different names\) — not used for matching/, "the switchboard is named with its rows and names");
    assert.match(await app.text("shared-key-0"), /rows \d+(, \d+)* …/, "with example row numbers");
    assert.equal(await app.text("shared-key-1"), null, "the switchboard is the only shared value");
    assert.equal(await (await app.$("import-confirm")).isEnabled(), true, "Confirm is possible");
    await app.screenshot("import-dry-run-shared-keys");

    // Use the switchboard anyway: the dry run runs again and 42 customers now match each other.
    await app.click("shared-key-use-0");
    await app.waitForText("dry-run-shared-key-rows", (t) => t === "0", { timeout: 30_000 });
    await app.waitForText("shared-key-0", "used for matching, as chosen");
    const used = await dryRunCounts(app);
    assert.ok(used.created < 198, `fewer new profiles when the switchboard matches: ${JSON.stringify(used)}`);
    assert.ok(used.duplicates + used.reviews > 2, `rows merge or wait on the switchboard: ${JSON.stringify(used)}`);
    await app.screenshot("import-dry-run-shared-key-used");

    // Back to the rule's choice, then Confirm: the job does what the dry run said.
    await app.click("shared-key-use-0");
    await app.waitForText("dry-run-shared-key-rows", (t) => t === "42", { timeout: 30_000 });
    await until(async () => (await app.$("import-confirm")).isEnabled(), { message: "Confirm after the dry run" });
    await app.click("import-confirm");

    await app.waitFor("import-result", { timeout: 60_000 });
    assert.equal(await number(app, "result-created"), 198, "the job created what the dry run said");
    assert.equal(await app.text("result-guard-sharedKeyRows"), "42 rows with a shared value not used for matching");
    assert.equal(await app.text("result-guard-nameDiffers"), "1 sent to review: name differs");
    assert.equal(await app.text("result-guard-blockedValues"), "4 blocked values dropped");
    assert.equal(await app.text("result-guard-identifierLimit"), null, "a guard that did not act is not mentioned");
    assert.match(
      await app.text("result-shared-key-0"),
      /^Shared phone .+ in 42 rows \(42 different names\) — not used for matching \(rows \d+/,
      "the job names the switchboard it did not match on",
    );
    await app.screenshot("import-guards-result");

    // The pop-up's button opens the job's merge review (job 2: the paste of Lan was job 1).
    await app.click("import-result-reviews-2");
    await app.waitFor("review-list");
    await app.waitForText("review-job-filter", "import job 2");
    await app.waitForText('[data-testid^="review-reason-"]', "Name differs");
    await app.screenshot("import-guards-review");
    await app.click("review-back");

    await app.click("import-report-button");
    await app.waitFor("report-guards-2");
    const report = await app.text("report-guards-2");
    assert.match(report, /42 rows with a shared value not used for matching/, "the report tells the shared rows");
    assert.match(report, /1 sent to review: name differs/, "and the name guard's review");
    assert.match(report, /4 blocked values dropped/, "and the blocked values");
    await app.browser.$('[data-testid="report-shared-2"] summary').then((s) => s.click());
    await app.waitFor("report-shared-key-2-0");
    assert.match(await app.text("report-shared-key-2-0"), /Shared phone .+ in 42 rows/, "and the shared value, unfolded");
    await app.screenshot("import-guards-report");
  });
});

test("a pasted phone column with a few non-phones warns at mapping and still imports", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "import-guards-warning" }, async (app) => {
    // 18 phones and two notes typed into the phone column: slips, not a wrong mapping.
    const notes = new Map([
      [7, "gọi lại sau"],
      [13, "123"],
    ]);
    const rows = Array.from({ length: 20 }, (_, i) => `Khách ${i + 1}\t${notes.get(i) ?? `09${String(i + 10).padStart(8, "0")}`}`);
    await pasteRows(app, rows.join("\n"));
    await app.waitForText("import-paste-summary", "20 rows");
    await app.click("import-continue");
    await app.waitFor("mapping-grid");
    await app.select("mapping-target-0", "full_name");
    assert.equal(await (await app.$("mapping-target-1")).getValue(), "phones", "the phone column is still recognised");
    const warning = await app.waitForText("mapping-warnings", "gọi lại sau");
    assert.match(warning, /1 warning: the import can go on/, "it is a warning");
    assert.match(warning, /2 of 20 sampled values/, "counting the notes");
    assert.match(warning, /of 20 sampled values .* do not fit Phones/, "with the core's message");
    assert.equal(await app.text("mapping-blocking"), null, "nothing blocks");
    await app.screenshot("import-mapping-warning");
    await app.click("import-continue");
    await app.click("import-continue");
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    assert.equal(await number(app, "dry-run-created"), 18, "the 18 phones are imported");
    assert.equal(await number(app, "dry-run-failed"), 2, "the rows with a note fail with the reason");
    await app.waitForText("rows-to-check", "gọi lại sau");
    await until(async () => (await app.$("import-confirm")).isEnabled(), { message: "Confirm despite the warning" });
    await app.click("import-confirm");
    await app.waitFor("import-result", { timeout: 30_000 });
    assert.equal(await number(app, "result-created"), 18, "imported");
  });
});
