// Filters and segments in the real app: build a two-condition filter in the filter builder
// (the counts must equal what the CLI's `list --filter` says for the same conditions), see a
// bad value refused on its row, sort by a header, save the filter as a segment, clear it, and
// get it back from the segments panel.
import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";

import { REPO, TEST_TIMEOUT, cli, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const fmt = (n) => n.toLocaleString("en-US");

/** The CLI's filtered count for `filter` on the app's store. */
async function cliCount(app, filter) {
  const out = await cli(app.db, ["--json", "list", "--limit", "1", "--filter", JSON.stringify(filter)]);
  return out.counts.filtered;
}

test("a filter built in the builder narrows list and counts, and comes back as a segment", { timeout: TEST_TIMEOUT * 2 }, async () => {
  await withApp({ name: "filters", seed: 600 }, async (app) => {
    const total = (await app.counts()).total;
    assert.equal(total, "600", "the seeded store");

    await app.click("filter-toggle");
    await app.waitFor("filter-builder");
    await app.select("filter-subject-0", "field:city");
    await app.select("filter-op-0", "is");
    await app.type("filter-value-0", "ha noi");
    const byCity = await cliCount(app, [{ kind: "field", field: "city", op: "is", value: "ha noi" }]);
    assert.ok(byCity > 0 && byCity < 600, `some but not all generated profiles live in Hà Nội (${byCity})`);
    await app.waitForText("count-filtered", (t) => t === fmt(byCity));
    assert.equal(await app.text("count-total"), "600", "the total stays the store's");
    const rows = await until(async () => {
      const r = await app.rows();
      return r.length > 0 ? r : null;
    });
    assert.ok(
      rows.every((r) => r.cells.city === "Hà Nội"),
      `every row shown is in Hà Nội: ${JSON.stringify(rows.map((r) => r.cells.city))}`,
    );

    await app.click("filter-add");
    await app.select("filter-subject-1", "field:gender");
    await app.select("filter-op-1", "is");
    await app.select("filter-value-1", "female");
    const both = await cliCount(app, [
      { kind: "field", field: "city", op: "is", value: "ha noi" },
      { kind: "field", field: "gender", op: "is", value: "female" },
    ]);
    assert.ok(both > 0 && both < byCity, `the second condition narrows further (${both} of ${byCity})`);
    await app.waitForText("count-filtered", (t) => t === fmt(both));
    assert.equal(await app.text("filter-count"), "2", "the filter button counts the conditions");

    // A bad value is refused by the core, on its row; the list keeps the last good filter.
    await app.click("filter-add");
    await app.select("filter-subject-2", "field:birthday");
    await app.select("filter-op-2", "lt");
    await app.type("filter-value-2", "31/02/1990");
    await app.waitForText("filter-error-2", "not a date");
    assert.equal(await app.text("count-filtered"), fmt(both), "the list still shows the last valid filter");
    await app.click("filter-remove-2");
    await app.waitGone("filter-error-2");

    // Sort by a header: ascending names.
    await app.click("sort-full_name");
    await until(async () => (await (await app.browser.$('[data-col="full_name"][aria-sort]')).getAttribute("aria-sort")) === "ascending", {
      message: "the name header to show the ascending order",
    });
    const sorted = await until(async () => {
      const r = await app.rows();
      return r.length > 1 ? r : null;
    });
    const names = sorted.map((r) => r.cells.full_name);
    const folded = names.map((n) => n.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase());
    assert.deepEqual(folded, [...folded].sort(), `rows in name order (accents folded): ${names.join(", ")}`);
    assert.equal(await app.text("count-filtered"), fmt(both), "sorting keeps the count");
    await app.screenshot("filter-builder");

    // Save as a segment.
    await app.click("segment-save");
    await app.waitFor("segment-name-dialog");
    await app.type("segment-name-dialog-input", "Hà Nội — nữ");
    await app.click("segment-name-dialog-confirm");
    await app.waitGone("segment-name-dialog");
    await app.waitForToast("Saved the segment “Hà Nội — nữ”");
    await app.waitFor("segments-panel");
    const segId = await app.browser.execute(() =>
      document.querySelector('[data-testid^="segment-open-"]')?.getAttribute("data-testid")?.replace("segment-open-", ""),
    );
    assert.ok(segId, "the segment is listed in the panel");
    await app.waitForText(`segment-${segId}`, "City is ha noi · Gender is female");

    // Clear the filter: back to every profile.
    await app.click("filter-clear");
    await app.waitForText("count-filtered", (t) => t === "600");
    await app.waitForText(`segment-${segId}`, "changed");

    // Pick the segment: its conditions and sort come back.
    await app.click(`segment-open-${segId}`);
    await app.waitForText("count-filtered", (t) => t === fmt(both));
    assert.equal(await (await app.$("filter-value-0")).getValue(), "ha noi", "the first condition is back in the builder");
    assert.equal(await (await app.$("filter-value-1")).getValue(), "female", "the second too");
    assert.equal(
      await (await app.browser.$('[data-col="full_name"][aria-sort]')).getAttribute("aria-sort"),
      "ascending",
      "the segment's sort is back",
    );
    await app.screenshot("segments-panel");

    // Rename it; the CLI sees the segment by its new name.
    await app.click(`segment-menu-${segId}`);
    await app.click(`segment-rename-${segId}`);
    await app.type("segment-rename-dialog-input", "Khách nữ Hà Nội");
    await app.click("segment-rename-dialog-confirm");
    await app.waitForText(`segment-${segId}`, "Khách nữ Hà Nội");
    const bySegment = await cli(app.db, ["--json", "list", "--limit", "1", "--segment", "Khách nữ Hà Nội"]);
    assert.equal(bySegment.counts.filtered, both, "the CLI applies the same segment");
  });
});

test("Show profiles in the import report opens the list filtered to that import job", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "job-profiles", seed: 50 }, async (app) => {
    const fixture = path.join(REPO, "tests", "e2e", "fixtures", "customers-300.xlsx");
    const out = await cli(app.db, ["--json", "import", fixture]);
    const job = out.files?.[0] ?? out[0] ?? out;
    await app.click("import-report-button");
    await app.waitFor("import-report");
    const rowTestid = await until(
      () => app.browser.execute(() => document.querySelector('[data-testid^="report-row-"]')?.getAttribute("data-testid")),
      { message: "the CLI's import job in the report" },
    );
    const jobId = rowTestid.replace("report-row-", "");
    await app.click(`report-show-${jobId}`);
    await app.waitFor("list-view");
    const expected = await cliCount(app, [{ kind: "source", source: { kind: "job", jobId: Number(jobId) } }]);
    assert.equal(expected, 290, `the job created 290 profiles (its 5 duplicates merged into them): ${JSON.stringify(job).slice(0, 300)}`);
    await app.waitForText("count-filtered", (t) => t === "290");
    assert.equal(await app.text("count-total"), "340", "the 50 seeded profiles are only hidden by the filter");
    assert.equal(await (await app.$("filter-subject-0")).getValue(), "source", "the builder shows the source condition");
    assert.equal(await (await app.$("filter-value-0")).getValue(), `job:${jobId}`, "for that job");
  });
});
