// Create a profile through the wizard on an empty store and find it again by
// an accent-less search; then a realistic store (2,000 generated profiles):
// thousands separators in the counts and a virtual list that scrolls to the end.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { TEST_TIMEOUT, cli, createProfile, sel, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const ANH = {
  full_name: "Nguyễn Văn Ánh",
  phones: ["0912 345 678"],
  emails: ["anh.nguyen@example.vn"],
  city: "Hà Nội",
};

test("create a profile on an empty store, then find it without accents", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "create-and-find" }, async (app) => {
    // Empty store.
    await app.waitFor("empty-state");
    assert.equal(await app.text("count-total"), "0", "a fresh store holds no profiles, so the total must read 0");
    assert.deepEqual(await app.rows(), [], "an empty store must render no profile rows");

    // Create through the wizard, screenshot of the filled form before Continue.
    const toast = await createProfile(app, ANH, {
      consent: { email: "granted" },
      beforeContinue: async () => {
        // Let the form's live validation and duplicate guard settle so the shot shows the real state.
        await new Promise((r) => setTimeout(r, 500));
        const errors = await app.browser.execute(() =>
          [...document.querySelectorAll('[data-testid^="error-"]')].map((e) => e.textContent),
        );
        assert.deepEqual(errors, [], "valid input must not show any inline error before Continue");
        await app.screenshot("create-form");
      },
    });
    assert.equal(toast, "Created profile Nguyễn Văn Ánh", "on an empty store nothing can match, so Save must create");

    // The new profile's detail opens with what was entered and the consent chosen.
    await app.waitFor("detail-view");
    await app.waitForText("detail-label", "Nguyễn Văn Ánh");
    assert.equal(await app.text("detail-field-city"), "Hà Nội", "the detail must show the city typed in the wizard");
    assert.match(
      await app.text("detail-field-phones"),
      /0912 345 678/,
      "the detail must show the phone as typed",
    );
    assert.match(
      await app.text("detail-field-emails"),
      /anh\.nguyen@example\.vn/,
      "the detail must show the e-mail typed in the wizard",
    );
    assert.equal(
      await app.text("consent-status-email"),
      "Granted",
      "e-mail consent was set to Granted on the consent step",
    );

    // Back to the list: the accent-less search finds exactly that row.
    await app.click("detail-back");
    await app.waitFor("search-input");
    const rows = await app.search("nguyen van anh", { expectFiltered: "1" });
    assert.equal(rows.length, 1, "one profile matches, so exactly one row is rendered");
    assert.equal(rows[0].cells.full_name, "Nguyễn Văn Ánh", "search ignores accents, so it must find the Vietnamese name");
    assert.equal(rows[0].cells.city, "Hà Nội", "the row's city column shows the stored city");
    assert.deepEqual(
      await app.counts(),
      { total: "1", filtered: "1" },
      "one profile in the store and it matches the search",
    );
    assert.equal(await app.text("no-match"), null, "a search with a result must not show the no-match state");

    // The profile really is in the store (checked through the CLI, a second reader of the same database).
    const listed = await cli(app.db, ["list", "--search", "nguyen van anh", "--json"]);
    assert.equal(listed.counts.total, 1, "the store itself must hold exactly the one created profile");
    assert.equal(listed.rows[0].id, rows[0].id, "the row shown is the profile stored");
  });
});

/**
 * Cells of rendered rows whose glyphs reach above the cell's clip box: the
 * ink top (baseline minus the text's actual ascent, measured with the cell's
 * own font on a canvas) must not be above the cell's top edge, or tone marks
 * on Vietnamese capitals (Á, Ấ, Ổ…) are cut off.
 */
function clippedCells(app) {
  return app.browser.execute(() => {
    const ctx = document.createElement("canvas").getContext("2d");
    const clipped = [];
    for (const cell of document.querySelectorAll('[data-testid="profile-row"] [data-col]')) {
      const text = cell.textContent;
      const cs = getComputedStyle(cell);
      if (!text || cs.overflowY === "visible") continue;
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const m = ctx.measureText(text);
      const range = document.createRange();
      range.selectNodeContents(cell);
      const baseline = range.getBoundingClientRect().top + m.fontBoundingBoxAscent;
      const over = cell.getBoundingClientRect().top - (baseline - m.actualBoundingBoxAscent);
      if (over > 0.5) clipped.push(`${text} (${over}px)`);
    }
    return clipped;
  });
}

test("a store of 2,000 profiles: counts with separators and scrolling to the end", { timeout: TEST_TIMEOUT }, async (ctx) => {
  await withApp({ name: "large-list", seed: 2000 }, async (app) => {
    assert.deepEqual(
      await app.counts(),
      { total: "2,000", filtered: "2,000" },
      "seed-demo added 2,000 profiles; counts use thousands separators",
    );
    const toast = await createProfile(app, ANH, { consent: { email: "granted" } });
    assert.equal(toast, "Created profile Nguyễn Văn Ánh", "no generated profile shares this phone or e-mail");
    await app.waitFor("detail-view");
    await app.click("detail-back");

    await app.waitForText("count-total", (t) => t === "2,001");
    assert.equal(await app.text("count-filtered"), "2,001", "no search: every profile is shown");
    const top = await until(
      async () => {
        const r = await app.rows();
        return r.length > 5 ? r : null;
      },
      { message: "the first rows to render" },
    );
    assert.equal(top[0].cells.full_name, "Nguyễn Văn Ánh", "the list is newest first, so the new profile is on top");
    assert.ok(top.length < 200, `the table is virtual: only rows near the viewport are in the DOM (got ${top.length})`);
    await app.screenshot("profile-list");

    // The same accent-less search on the big store: the UI agrees with the CLI, new profile first.
    const expected = await cli(app.db, ["list", "--search", "nguyen van anh", "--json"]);
    const found = await app.search("nguyen van anh", { expectFiltered: expected.counts.filtered.toLocaleString("en-US") });
    assert.equal(found[0].cells.full_name, "Nguyễn Văn Ánh", "the newest match (the created profile) comes first");
    assert.deepEqual(
      found.slice(0, expected.rows.length).map((r) => r.id),
      expected.rows.slice(0, found.length).map((r) => r.id),
      "the UI lists the same matches in the same order as the CLI",
    );
    await app.type("search-input", "");
    await app.waitForText("count-filtered", (t) => t === "2,001");
    await ctx.test(
      "tone marks of Vietnamese names are not clipped in the list",
      async () => {
        const clipped = await clippedCells(app);
        assert.deepEqual(clipped, [], "every diacritic must be drawn inside its cell (e.g. the Á of Ánh)");
      },
    );

    // Scroll the table's scroll container to the bottom: the last rows load and render.
    await app.browser.execute((q) => {
      const scroller = document.querySelector(q);
      scroller.scrollTop = scroller.scrollHeight;
    }, sel("profile-table"));
    const bottom = await until(
      async () => {
        const r = await app.rows();
        return r.some((row) => row.index === 2000) ? r : null;
      },
      { message: "the row at index 2,000 (the last) to render after scrolling" },
    );
    const last = bottom.find((row) => row.index === 2000);
    assert.equal(last.id, 1, "the list is ordered by id descending, so the last of 2,001 rows is profile #1");
    assert.ok(last.cells.full_name || last.cells.phones || last.cells.emails, "the last row shows real data, not a placeholder");
    assert.ok(
      bottom.every((row) => row.index >= 1900),
      "after scrolling to the bottom only rows near the end are rendered",
    );
    await app.screenshot("profile-list-bottom");
  });
});
