// Fix before Confirm (issue 16), in each language: a trade fair's list typed by hand and saved
// by LibreOffice (crates/core/tests/fixtures/typos-libreoffice.xlsx) goes through Upload file;
// the dry run lists the five rows that would fail and the one bound for merge review (a stranger
// with a customer's phone); the user corrects three cells in place and leaves two rows out; the
// dry run runs again with the fixes, Confirm imports exactly that, and the result and the File
// Upload Connector Report count the fixes. Screenshots: <lang>-import-rows-to-check,
// <lang>-import-fixed, <lang>-import-fixes-report.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { REPO, TEST_TIMEOUT, cli, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const FIXTURE = path.join(REPO, "crates", "core", "tests", "fixtures", "typos-libreoffice.xlsx");
/** The fixture's source columns (0 = STT): the cells the user corrects. */
const PHONE = 2;
const EMAIL = 3;
const BORN = 4;

const WORDS = {
  en: {
    title: "Rows to check before Confirm (6)",
    review: /Goes to merge review \(.+\): matches Trần Thị Lan/,
    fixes: "3 rows fixed, 2 left out — for this import only",
    fixed: "Row 3: SĐT “09o3 456 789” → “0903 456 789”",
    leftOut: "Row 7: left out of this import",
    counted: "Fixed before Confirm: 3 · left out: 2",
  },
  vi: {
    title: "Các dòng cần kiểm tra trước khi Xác nhận (6)",
    review: /Chuyển sang xem xét hợp nhất \(.+\): khớp với Trần Thị Lan/,
    fixes: "3 dòng đã sửa, 2 dòng bỏ qua — chỉ cho lần nhập này",
    fixed: "Dòng 3: SĐT “09o3 456 789” → “0903 456 789”",
    leftOut: "Dòng 7: bỏ khỏi lần nhập này",
    counted: "Sửa trước khi xác nhận: 3 · bỏ qua: 2",
  },
};

/**
 * Corrects one cell as a person does: clicks it, deletes what it holds, types the value and
 * leaves it (Tab). (WebDriver's own clear would fire a change of its own — a fix of an empty
 * cell —, and its session-wide key input drops a repeated key: the 8 of "1988".)
 */
async function correct(app, row, column, value) {
  const cell = await app.click(`fix-cell-${row}-${column}`);
  await app.browser.keys(["Control", "a"]);
  await app.browser.keys(["Backspace"]);
  await cell.addValue(value);
  assert.equal(await cell.getValue(), value, `row ${row}: typed as given`);
  await app.browser.keys(["Tab"]);
}

for (const lang of ["vi", "en"]) {
  test(`${lang}: the rows a dry run would refuse are corrected or left out before Confirm, and counted`, { timeout: TEST_TIMEOUT * 2 }, async () => {
    const words = WORDS[lang];
    const prepare = async (db, dir) => {
      // The customer whose phone the list gives a stranger (row 10).
      const lan = path.join(dir, "lan.tsv");
      writeFileSync(lan, "Trần Thị Lan\t0935 111 222\n");
      await cli(db, ["paste", "--file", lan, "--columns", "full_name,phones"]);
    };
    const env = { PROFILE_DESK_E2E_PICK: FIXTURE, LANG: "en_US.UTF-8" };
    await withApp({ name: `import-fixes-${lang}`, seed: 0, env, prepare }, async (app) => {
      await app.waitForText("count-total", "1");
      if (lang === "vi") {
        await app.chooseLanguage("vi");
        await app.waitForText("count-total", "1");
      }
      await app.uploadToCheck();
      await app.waitFor("rows-to-check-table");
      assert.equal(await app.text("dry-run-failed"), "5");
      assert.equal(await app.text("dry-run-reviews"), "1");
      const listed = await app.browser.execute(() =>
        [...document.querySelectorAll('[data-testid^="row-to-check-"]')].map((r) => r.getAttribute("data-testid").slice(13)),
      );
      assert.deepEqual(listed, ["3", "4", "5", "7", "9", "10"], "the rows to check, in file order");
      assert.match(await app.text("rows-to-check"), new RegExp(words.title.replace(/[()]/g, "\\$&")));
      assert.match(await app.text("row-problems-10"), words.review);
      assert.equal(
        await app.browser.execute(() => document.querySelector('[data-testid="fix-cell-3-2"]').getAttribute("aria-invalid")),
        "true",
        "the failing cell is marked",
      );
      await app.screenshot(`${lang}-import-rows-to-check`);

      await correct(app, 3, PHONE, "0903 456 789");
      await app.waitGone("row-to-check-3");
      assert.match(await app.text("fix-summary-3"), new RegExp(words.fixed.replace(/[()]/g, "\\$&")));
      await correct(app, 4, EMAIL, "thu.le@gmail.com");
      await app.waitGone("row-to-check-4");
      await correct(app, 5, BORN, "28/02/1988");
      await app.waitGone("row-to-check-5");
      await app.click("fix-exclude-7");
      await app.waitGone("row-to-check-7");
      await app.click("fix-exclude-9");
      await app.waitGone("row-to-check-9");
      await app.waitForText("dry-run-fixes", words.fixes);
      assert.equal(await app.text("dry-run-failed"), "0");
      assert.match(await app.text("fix-summary-7"), new RegExp(words.leftOut));
      await app.screenshot(`${lang}-import-fixed`);

      await until(async () => (await app.$("import-confirm")).isEnabled(), { message: "Confirm after the dry run of the fixes" });
      await app.click("import-confirm");
      await app.waitFor("import-result", { timeout: 60_000 });
      assert.equal(await app.text("result-created"), "21", "18 rows as typed and the 3 corrected");
      assert.equal(await app.text("import-result-fixes"), words.counted);
      await app.click("import-result-report");
      await app.waitFor("import-report");
      const counted = await app.browser.execute(() => document.querySelector('[data-testid^="report-fixes-"]')?.textContent);
      assert.equal(counted, words.counted, "the report counts the fixes");
      await app.screenshot(`${lang}-import-fixes-report`);
      await app.click("report-back");

      // The corrected customers are in the list; the rows left out are not.
      await app.waitForText("count-total", "22", { timeout: 10_000 });
      for (const [search, found] of [
        ["Trần Văn Minh", "1"],
        ["thu.le@gmail.com", "1"],
        ["Bùi Văn Nam", "0"],
      ]) {
        await app.type("search-input", search);
        await app.waitForText("count-filtered", (t) => t === found, { timeout: 10_000 });
      }
    });
  });
}
