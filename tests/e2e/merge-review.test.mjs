// Merge review in the real app (SPEC 6): a pasted row that matches two different profiles —
// one by phone, the other by e-mail — is not merged automatically; the File Upload Connector
// Report shows 1 review, its count opens the merge review screen on that job's review, the
// candidates are side by side with the key that matched each, "merge all into one" asks with
// the core's own preview, and afterwards the list shows one profile holding both phones.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { TEST_TIMEOUT, cli, createProfile, openCreateWizard, pasteRows, scratchDir, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

async function number(app, testid) {
  const t = await app.waitForText(testid, (x) => /\d/.test(x));
  return Number(t.replace(/[^\d]/g, ""));
}

test("a pasted row matching two profiles is reviewed side by side and merged into one", { timeout: TEST_TIMEOUT * 2 }, async () => {
  await withApp({ name: "merge-review" }, async (app) => {
    // Two customers already in the store (entered through the command line, the same core).
    const seed = path.join(scratchDir("review"), "seed.tsv");
    writeFileSync(seed, "Nguyễn Văn A\t0912 345 678\t\tHà Nội\nNguyễn V. A\t0987 654 321\tnva@example.vn\t\n");
    const seeded = await cli(app.db, ["--json", "paste", "--file", seed, "--columns", "full_name,phones,emails,city"]);
    assert.equal(seeded.created, 2, "two separate profiles: no shared phone, e-mail or code");

    // The paste: A's phone in another format and B's e-mail, so the row matches both.
    await pasteRows(app, "Nguyễn Văn A\t+84 912 345 678\tNVA@example.vn\n");
    await app.waitForText("import-paste-summary", "1");
    await app.click("import-continue");
    await app.waitFor("mapping-grid");
    await app.select("mapping-target-0", "full_name");
    assert.equal(await (await app.$("mapping-target-1")).getValue(), "phones", "phones are sniffed");
    assert.equal(await (await app.$("mapping-target-2")).getValue(), "emails", "e-mails are sniffed");
    await app.click("import-continue");
    await app.click("import-continue");
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    assert.equal(await number(app, "dry-run-reviews"), 1, "the dry run announces one merge review");
    await app.click("import-confirm");
    await app.waitFor("import-result", { timeout: 30_000 });
    assert.equal(await number(app, "result-reviews"), 1, "the job left one review");
    await app.waitForText("review-count", "1");

    // The report shows the review; its count opens the review screen on that job.
    await app.click("import-result-report");
    await app.waitFor("import-report");
    const job = (await cli(app.db, ["--json", "jobs"]))[0].id;
    assert.equal(await app.waitForText(`report-reviews-${job}`, "1"), "1", "the report counts one review");
    await app.screenshot("merge-review-report");
    await app.click(`report-open-reviews-${job}`);
    await app.waitFor("merge-review");
    assert.match(await app.text("review-job-filter"), new RegExp(`import job ${job}`), "filtered to the job");
    const list = await app.waitForText("review-list", "Nguyễn Văn A");
    assert.match(list, /Pasted data, row 1/, "the row the review came from");
    assert.match(list, /\(phone\)/, "one candidate matched by phone");
    assert.match(list, /\(e-mail\)/, "the other by e-mail");
    await app.screenshot("merge-review-list");

    // Side by side: Incoming | A | B, the matched key per candidate, differences highlighted.
    const reviewId = (await cli(app.db, ["--json", "reviews"])).items[0].id;
    await app.click(`review-open-${reviewId}`);
    await app.waitFor("review-compare");
    const heads = [await app.text("review-col-0"), await app.text("review-col-1"), await app.text("review-col-2")];
    assert.match(heads[0], /Incoming/, "the incoming data is the first column");
    assert.match(heads[1], /Nguyễn Văn A/, "candidate 1: A");
    assert.match(heads[1], /matched by phone/, "A matched by phone");
    assert.match(heads[2], /Nguyễn V\. A/, "candidate 2: B");
    assert.match(heads[2], /matched by e-mail/, "B matched by e-mail");
    const nameRow = await app.$("review-row-full_name");
    assert.equal(await nameRow.getAttribute("data-differs"), "true", "the names differ and are highlighted");
    assert.equal(
      await app.text("review-cell-phones-2"),
      "0987 654 321",
      "B's phone is shown as stored",
    );
    await app.screenshot("merge-review-compare");

    // Keep A; merge all. The confirmation is the core's preview of exactly this decision.
    await app.click("review-survivor-1");
    await app.click("review-merge-all");
    await app.waitFor("review-confirm");
    const preview = await app.text("review-preview-message");
    assert.match(preview, /^2 profiles will be merged into Nguyễn Văn A \(#1\)/, `says what will happen: ${preview}`);
    assert.match(preview, /1 will be removed \(#2\)/, `and what is removed: ${preview}`);
    await app.screenshot("merge-review-confirm");
    await app.click("review-confirm-yes");
    const result = await app.waitForText("review-result", "Merged 2 profiles into Nguyễn Văn A");
    assert.match(result, /removed #2/, `the result names what was removed: ${result}`);
    await app.waitFor("review-empty");
    await until(async () => (await (await app.$("review-count")).isDisplayed()) === false, {
      message: "the top bar's count to go when no review is open",
    });
    await app.screenshot("merge-review-done");

    // The decision is listed as resolved; the kept profile's history tells what was merged.
    await app.click("review-tab-resolved");
    const resolved = await app.waitForText(`review-outcome-${reviewId}`, "Merged 2 profiles");
    assert.match(resolved, /into Nguyễn Văn A \(#1\); removed #2/, `the resolved list says what was decided: ${resolved}`);
    await app.screenshot("merge-review-resolved");
    await app.click("review-result-open");
    await app.waitFor("detail-view");
    const history = await app.waitForText("history", "Merged from");
    assert.match(history, /Merge review \d+: profile #2/, `B's merge is in A's history: ${history}`);
    assert.match(history, /\(from profile #2\)/, `and B's own history moved with it: ${history}`);
    await app.screenshot("merge-review-history");
    await app.click("detail-back");
    await app.waitFor("merge-review");

    // The list: one profile, with both phones.
    await app.click("review-back");
    await app.waitForText("count-total", (t) => t === "1");
    const rows = await until(
      async () => {
        const r = await app.rows();
        return r.length === 1 ? r : null;
      },
      { message: "the one remaining row" },
    );
    assert.equal(rows[0].id, 1, "the kept profile is A");
    const stored = await cli(app.db, ["--json", "list"]);
    assert.equal(stored.counts.total, 1, "the store holds one profile");
    // The list (the CLI's too) reads phones one way: the stored numbers, nationally.
    assert.equal(stored.rows[0].cells.phones, "0912345678, 0987654321", "with both phones");
    assert.equal(stored.rows[0].cells.emails, "NVA@example.vn", "and the e-mail");
    const phonesShown = Object.values(rows[0].cells).join(" ");
    assert.match(phonesShown, /0912 345 678/, `the list row shows A's phone: ${phonesShown}`);
    assert.match(phonesShown, /0987 654 321/, `and B's: ${phonesShown}`);
  });
});

/** What each language says (ui/src/shell/messages.ts, ui/src/profile/messages.ts). */
const WORDS = {
  en: { discard: "Discard your changes?", open: "Open merge review", review: /a merge review was created/ },
  vi: { discard: "Bỏ các thay đổi?", open: "Mở xem xét hợp nhất", review: /đã tạo một xem xét hợp nhất/ },
};

test("a create that leaves a merge review says so, not in green, and opens it; Escape asks before typed work goes", { timeout: TEST_TIMEOUT * 2 }, async () => {
  await withApp({ name: "create-review-toast" }, async (app) => {
    const seed = path.join(scratchDir("review-toast"), "seed.tsv");
    writeFileSync(seed, "Nguyễn Văn A\t0912 345 678\t\tHà Nội\nNguyễn V. A\t0987 654 321\tnva@example.vn\t\n");
    await cli(app.db, ["--json", "paste", "--file", seed, "--columns", "full_name,phones,emails,city"]);

    for (const lang of ["en", "vi"]) {
      const words = WORDS[lang];
      if (lang === "vi") {
        await app.chooseLanguage("vi");
      }

      // Escape with a name typed: the question, not the loss. Keep editing keeps it; Discard closes.
      await openCreateWizard(app);
      await app.type("field-full_name", "Nguyễn Văn A");
      await app.browser.keys("Escape");
      await app.waitFor("discard-changes");
      const question = await app.text("discard-changes");
      assert.ok(question.includes(words.discard), `${lang}: the question: ${question}`);
      await app.screenshot(`${lang}-create-discard-question`);
      await app.click("discard-changes-no");
      await app.waitGone("discard-changes");
      assert.equal(await (await app.$("field-full_name")).getValue(), "Nguyễn Văn A", `${lang}: Keep editing keeps the name`);
      await app.browser.keys("Escape");
      await app.click("discard-changes-yes");
      await app.waitGone("create-form");
      // Nothing typed: Escape closes at once.
      await openCreateWizard(app);
      await app.browser.keys("Escape");
      await app.waitGone("create-form");
      assert.equal(await (await app.$("discard-changes")).isExisting(), false, `${lang}: no question when nothing was typed`);

      // A's phone and B's e-mail: the rule cannot decide, the person sends it to review.
      const toast = await createProfile(app, { full_name: "Nguyễn Văn A", phones: ["+84 912 345 678"], emails: ["NVA@example.vn"] }, {
        onMatch: (a) => a.click("create-review"),
      });
      assert.match(toast, words.review, `${lang}: the toast says a review waits: ${toast}`);
      const shown = await app.browser.execute(() => {
        const t = [...document.querySelectorAll('[data-testid="toast"]')].pop();
        return { tone: t?.getAttribute("data-tone"), icon: t ? getComputedStyle(t.querySelector(".toast-icon")).backgroundColor : null };
      });
      assert.equal(shown.tone, "warning", `${lang}: not a success`);
      assert.notEqual(shown.icon, "rgb(52, 199, 123)", `${lang}: and not the success green`);
      assert.equal(await app.text("toast-action"), words.open, `${lang}: the toast's action`);
      await app.screenshot(`${lang}-create-review-toast`);

      const newest = Math.max(...(await cli(app.db, ["--json", "reviews"])).items.map((r) => r.id));
      await app.click("toast-action");
      await app.waitFor("merge-review");
      const title = await app.waitForText("review-title", "Nguyễn Văn A");
      assert.ok(title.includes(`#${newest}:`), `${lang}: the review this save left (#${newest}) opens: ${title}`);
      await app.waitFor("review-compare");
      await app.click("review-back");
      await app.waitFor("list-view");
    }
  });
});
