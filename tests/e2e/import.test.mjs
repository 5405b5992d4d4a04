// Bulk import through the whole flow in the real app: a 300-row .xlsx written by openpyxl
// (tests/e2e/fixtures) → mapping grid → consent → check with the dry run → Confirm →
// progress and the result pop-up → the File Upload Connector Report and its failed-rows file;
// then a paste read from the real clipboard (set with xclip), and a paste over the limit.
// The native file dialogs are bypassed with the app's test hooks (PROFILE_DESK_E2E_PICK,
// PROFILE_DESK_E2E_SAVE_DIR) — nothing else is.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { REPO, TEST_TIMEOUT, currentDisplay, scratchDir, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const FIXTURE = path.join(REPO, "tests", "e2e", "fixtures", "customers-300.xlsx");

async function number(app, testid) {
  const t = await app.waitForText(testid, (x) => /\d/.test(x));
  return Number(t.replace(/[^\d]/g, ""));
}

/** Sets the X clipboard of the app's display, as a user copying cells would. */
function setClipboard(text) {
  // xclip stays in the background to serve the selection; give it no output pipes to hold.
  execFileSync("xclip", ["-selection", "clipboard"], {
    input: text,
    stdio: ["pipe", "ignore", "ignore"],
    env: { ...process.env, DISPLAY: currentDisplay() },
    timeout: 5_000,
  });
}

test("a 300-row .xlsx goes through mapping, dry run, confirm, report and failed rows", { timeout: TEST_TIMEOUT * 2 }, async () => {
  const saveDir = scratchDir("saved");
  const env = { PROFILE_DESK_E2E_PICK: FIXTURE, PROFILE_DESK_E2E_SAVE_DIR: saveDir };
  await withApp({ name: "import-file", env }, async (app) => {
    await app.openImport("import-upload-file");
    await app.chooseFile();
    await app.screenshot("import-upload-template");
    await app.click("import-continue");
    await app.waitFor("mapping-grid");
    const targets = [];
    for (let i = 0; i < 5; i++) targets.push(await (await app.$(`mapping-target-${i}`)).getValue());
    assert.deepEqual(
      targets,
      ["full_name", "phones", "emails", "birthday", "city"],
      "Vietnamese headers (Họ và tên, Số điện thoại, Email, Ngày sinh, Thành phố) map automatically",
    );
    await app.screenshot("import-mapping-grid");
    await app.click("import-continue");
    await app.select("import-consent-email", "granted");
    await app.click("import-continue");
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    const dry = {
      created: await number(app, "dry-run-created"),
      updated: await number(app, "dry-run-updated"),
      duplicates: await number(app, "dry-run-duplicates"),
      reviews: await number(app, "dry-run-reviews"),
      failed: await number(app, "dry-run-failed"),
    };
    assert.deepEqual(
      dry,
      { created: 290, updated: 0, duplicates: 5, reviews: 0, failed: 5 },
      "the dry run announces 290 new, 5 in-file duplicates (same phone typed differently), 5 invalid e-mails",
    );
    await app.waitForText("rows-to-check", "khong-hop-le-1");
    await app.screenshot("import-dry-run");
    await app.click("import-confirm");

    await app.waitFor("import-result", { timeout: 60_000 });
    assert.equal(await number(app, "result-created"), 290, "the job did what the dry run announced");
    assert.equal(await number(app, "result-failed"), 5, "and reports the 5 failed rows");
    await app.screenshot("import-result");
    await app.click("import-result-report");
    await app.waitFor("import-report");
    const row = await app.waitForText('[data-testid^="report-row-"]', "customers-300.xlsx");
    assert.match(row, /customers-300\.xlsx/, "the report lists the job by file name");
    await app.screenshot("import-report");
    await app.click("report-failed-1"); // the first job of a fresh store
    await until(() => readdirSync(saveDir).some((f) => f.endsWith(".xlsx")), {
      message: "the failed-rows file to be written",
    });
    const saved = readdirSync(saveDir).find((f) => f.endsWith(".xlsx"));
    assert.ok(existsSync(path.join(saveDir, saved)), `failed rows saved as ${saved}`);
    await app.click("report-back");
    await app.waitForText("count-total", (t) => t === "290");
  });
});

test("three rows pasted from the clipboard are imported, a pasted header row is left out; 1,001 rows are refused", { timeout: TEST_TIMEOUT * 2 }, async () => {
  await withApp({ name: "import-paste" }, async (app) => {
    setClipboard(
      "Lý Thị Mai\t0901 234 567\tmai.ly@example.vn\n" +
        "Trương Văn Tài\t+84 902 345 678\ttai.truong@example.vn\n" +
        "Hồ Ngọc Hà\t0903456789\tha.ho@example.vn\n",
    );
    await app.openImport("import-paste-data");
    await app.click("import-read-clipboard");
    await app.waitForText("import-paste-summary", "3");
    await app.click("import-continue");
    await app.waitFor("mapping-grid");
    assert.equal(await (await app.$("mapping-target-1")).getValue(), "phones", "phones are sniffed from values");
    assert.equal(await (await app.$("mapping-target-2")).getValue(), "emails", "e-mails are sniffed from values");
    await app.select("mapping-target-0", "full_name");
    await app.click("import-continue");
    await app.click("import-continue");
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    assert.equal(await number(app, "dry-run-created"), 3, "three new profiles announced");
    await app.click("import-confirm");
    await app.waitFor("import-result", { timeout: 30_000 });
    assert.equal(await number(app, "result-created"), 3, "three profiles created");
    await app.click("import-result-close");
    await app.waitForText("count-total", (t) => t === "3");

    // "Do not paste column names" — pasted anyway, as a sales team's sheet has them: the row
    // is said, names the columns, and no customer is called "Họ và tên".
    setClipboard(
      "Họ và tên\tSĐT\tEmail\n" +
        "Đặng Thu Trang\t0377920611 (Zalo)\ttrang.dang@example.vn\n" +
        "Vũ Minh Khoa\t0912345678 / 0987654321\t\n",
    );
    await app.openImport("import-paste-data");
    await app.click("import-read-clipboard");
    await app.waitForText("import-paste-header", "column names");
    assert.equal(await app.text("import-paste-summary"), "2 rows, 3 columns", "the names are not a row");
    await app.screenshot("import-paste-header-row");
    await app.click("import-paste-header-keep");
    await app.waitForText("import-paste-header", "imported as a customer");
    await app.waitForText("import-paste-summary", (t) => t === "3 rows, 3 columns");
    await app.screenshot("import-paste-header-kept");
    await app.click("import-paste-header-drop");
    await app.waitForText("import-paste-header", "column names");
    await app.waitForText("import-paste-summary", (t) => t === "2 rows, 3 columns");
    await app.click("import-continue");
    await app.waitFor("mapping-grid");
    assert.equal(await (await app.$("mapping-target-0")).getValue(), "full_name", "mapped by the pasted names");
    await app.click("import-continue");
    await app.click("import-continue");
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    assert.equal(await number(app, "dry-run-created"), 2, "two customers, not three");
    await app.click("import-confirm");
    await app.waitFor("import-result", { timeout: 30_000 });
    await app.click("import-result-close");
    await app.waitForText("count-total", (t) => t === "5");

    const many = Array.from({ length: 1_001 }, (_, i) => `Khách ${i + 1}\t09${String(i).padStart(8, "0")}`).join("\n");
    setClipboard(many);
    await app.openImport("import-paste-data");
    await app.click("import-read-clipboard");
    const refusal = await app.waitForText("import-paste-error", "1,000");
    assert.match(refusal, /1,001/, "the refusal says how many rows were pasted");
    assert.match(refusal, /1,000/, "and the limit");
    await app.screenshot("import-paste-refused");
  });
});

test("a file refused at upload is listed in the report with why, who and when", { timeout: TEST_TIMEOUT }, async () => {
  // A CSV saved with an .xlsx name, as a shop's tool exports it.
  const dir = scratchDir("refused");
  const file = path.join(dir, "khach-hang-thang-11.xlsx");
  writeFileSync(file, "Họ và tên,SĐT\nNguyễn Thị Lan,0377920611\n");
  await withApp({ name: "import-refused", env: { PROFILE_DESK_E2E_PICK: file } }, async (app) => {
    await app.openImport("import-upload-file");
    await app.chooseFile("refused");
    await app.click("import-cancel");
    await app.click("import-report-button");
    await app.waitFor("import-report");
    const row = await app.waitForText('[data-testid^="report-refused-"]', "khach-hang-thang-11.xlsx");
    assert.match(row, /Refused at upload/, "said as refused");
    assert.match(row, /not an Excel \.xlsx file/, "with the sentence the user saw");
    assert.match(row, /admin/, "and who gave it");
    await app.screenshot("import-report-refused");
  });
});

test("the upload step takes .xlsx files or pasted data: given both, the file goes first, then the paste; the same step in Vietnamese", { timeout: TEST_TIMEOUT * 3 }, async () => {
  await withApp({ name: "import-upload-or-paste", env: { PROFILE_DESK_E2E_PICK: FIXTURE } }, async (app) => {
    setClipboard("Đặng Thu Trang\t0377920611 (Zalo)\ttrang.dang@example.vn\nVũ Minh Khoa\t0912 345 678\tkhoa.vu@example.vn\n");
    // Seed 4.2 step 3: Create new Profile → Upload file → the data file (.xlsx) or paste data.
    await app.openImport("import-upload-file");
    await app.waitFor("import-paste-text");
    await app.chooseFile();
    await app.click("import-read-clipboard");
    await app.waitForText("import-paste-summary", (t) => t === "2 rows, 3 columns");
    await app.screenshot("import-upload-or-paste");

    await app.click("import-continue");
    await app.waitForText("import-current-file", "customers-300.xlsx");
    assert.equal(await app.text("import-position"), "1 of 2", "the file first, the paste after it");
    await app.click("import-continue");
    await app.click("import-continue");
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    await app.click("import-confirm");
    // The file's job runs while the paste is mapped; its result pops up when it ends.
    await app.waitForText("import-current-file", "Pasted data");
    assert.equal(await app.text("import-position"), "2 of 2", "then the pasted data");
    await app.waitFor("import-result", { timeout: 60_000 });
    assert.equal(await number(app, "result-created"), 290, "the file's job did its work");
    await app.click("import-result-close");
    await app.select("mapping-target-0", "full_name");
    await app.click("import-continue");
    await app.click("import-continue");
    await app.waitFor("dry-run-counts", { timeout: 30_000 });
    assert.equal(await number(app, "dry-run-created"), 2, "the two pasted customers");
    await app.click("import-confirm");
    await app.waitFor("import-result", { timeout: 30_000 });
    assert.equal(await number(app, "result-created"), 2, "imported");
    await app.click("import-result-report");
    await app.waitFor("import-report");
    await app.waitForText('[data-testid^="report-row-"]', "Pasted data");
    const rows = await app.text("import-report");
    assert.match(rows, /customers-300\.xlsx/, "the report lists the file");
    assert.match(rows, /Pasted data/, "and the paste");
    await app.click("report-back");
    await app.waitForText("count-total", (t) => t === "292");

    // The same step in Vietnamese: longer words, both ways still side by side with the list.
    await app.chooseLanguage("vi");
    await app.waitForText("count-total", "292");
    await app.openImport("import-upload-file");
    assert.match(await app.text("import-file-source"), /Tải lên tệp \.xlsx/, "the file part, in Vietnamese");
    assert.match(await app.text("import-paste-source"), /Hoặc dán dữ liệu/, "and the paste part");
    await app.chooseFile();
    await app.click("import-read-clipboard");
    await app.waitForText("import-paste-summary", (t) => t === "2 dòng, 3 cột");
    await app.screenshot("import-upload-or-paste-vi");
    await app.click("import-cancel");
  });
});
