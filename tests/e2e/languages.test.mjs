// The seed's flows walked in each language of the UI (issue 16): a user picks Tiếng Việt in
// the user menu (the choice is remembered for them), then creates a profile individually,
// uploads a file written by openpyxl, pastes data, opens the export and delete dialogs (the
// bulk delete names the first three picked profiles and "and N more" in the UI's language), the
// audit log, merge review and every Settings section — with a screenshot of each screen in
// both languages (test-output/e2e/<lang>-<screen>.png) and, on each, a check that no button,
// heading or tab has its text cut off.
import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";

import { REPO, TEST_TIMEOUT, createProfile, openSettings, pasteRows, scratchDir, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const FIXTURE = path.join(REPO, "tests", "e2e", "fixtures", "customers-300.xlsx");
const SECTIONS = ["fields", "sync", "limits", "consent", "users", "roles", "backup", "email", "remote"];

/** What each language must show on a few screens (from ui/src/*\/messages.ts). */
const WORDS = {
  en: {
    create: "Create new Profile",
    report: "File Upload Connector Report",
    exportTitle: "Export profiles",
    audit: "Audit log",
    settings: "Settings",
    review: "Merge review",
    created: /^Created profile Trần Thị Bích/,
    deleteTitle: "Delete 5 profiles",
    deleteTarget: "5 selected profiles will be deleted:",
    andMore: "and 2 more",
  },
  vi: {
    create: "Tạo hồ sơ mới",
    report: "Báo cáo tải tệp",
    exportTitle: "Xuất dữ liệu hồ sơ",
    audit: "Nhật ký hoạt động",
    settings: "Cài đặt",
    review: "Xem xét hợp nhất",
    created: /Trần Thị Bích/,
    deleteTitle: "Xóa 5 hồ sơ",
    deleteTarget: "5 hồ sơ đã chọn sẽ bị xóa:",
    andMore: "và 2 hồ sơ khác",
  },
};

/** Buttons, headings, tabs and menu items whose text does not fit their box. */
async function cutOff(app) {
  return app.browser.execute(() => {
    const cut = [];
    for (const el of document.querySelectorAll("button, h1, h2, h3, [role=tab], .menu-item, label, th")) {
      if (el.closest("[hidden]") || el.getClientRects().length === 0) continue;
      const style = getComputedStyle(el);
      // Text that wraps onto a second line is fine; text hidden past the edge is not.
      if (style.overflowX !== "visible" || style.whiteSpace === "nowrap" || style.textOverflow === "ellipsis") {
        if (el.scrollWidth > el.clientWidth + 1) cut.push(`${el.tagName.toLowerCase()} “${(el.textContent ?? "").trim()}”`);
      }
    }
    return cut;
  });
}

async function shot(app, lang, screen) {
  await app.screenshot(`${lang}-${screen}`);
  assert.deepEqual(await cutOff(app), [], `${lang} ${screen}: every label fits its box`);
}

/** Whether the top bar's items all sit on one row. */
async function topBarOnOneRow(app) {
  return app.browser.execute(() => {
    const items = [...document.querySelectorAll(".topbar > *")].filter((e) => e.offsetHeight > 0);
    const firstRowBottom = Math.min(...items.map((i) => i.offsetTop + i.offsetHeight));
    return items.every((i) => i.offsetTop < firstRowBottom);
  });
}

async function htmlLang(app) {
  return app.browser.execute(() => document.documentElement.lang);
}

async function walk(lang) {
  const saveDir = scratchDir(lang);
  const words = WORDS[lang];
  const env = { PROFILE_DESK_E2E_PICK: FIXTURE, PROFILE_DESK_E2E_SAVE_DIR: saveDir, LANG: "en_US.UTF-8" };
  await withApp({ name: `walk-${lang}`, seed: 12, env }, async (app) => {
    await app.waitForText("count-total", "12");
    if (lang === "vi") {
      // The webview starts in the OS's language (English here); the user menu switches it.
      await app.click("current-user");
      await app.waitFor("language-choice");
      await app.screenshot("vi-user-menu");
      await app.click("language-vi");
      await until(async () => (await htmlLang(app)) === "vi", { message: "the UI to be drawn again in Vietnamese" });
      await app.waitForText("count-total", "12");
    }
    assert.equal(await htmlLang(app), lang);
    // The switch draws the shell again: wait for the new button rather than reading the old one.
    await app.waitForText("create-profile-button", (t) => t === words.create);
    await until(() => topBarOnOneRow(app), { message: "the top bar to fit one row at 1280 px" });
    await shot(app, lang, "list");

    // Create individually.
    const toast = await createProfile(app, { full_name: "Trần Thị Bích", phones: ["0377 920 611"], city: "Đà Nẵng" });
    assert.match(toast, words.created);
    await app.waitFor("detail-view");
    await shot(app, lang, "detail");
    await app.click("detail-back");
    await app.waitForText("count-total", "13");

    // Someone else with her phone: left to a merge review, whose count joins the top bar —
    // which must still fit one row.
    await createProfile(
      app,
      { full_name: "Nguyễn Văn Khác", phones: ["0377920611"] },
      { onMatch: (a) => a.click("create-review") },
    );
    await until(() => topBarOnOneRow(app), { message: "the top bar to fit one row with the review count" });
    await shot(app, lang, "review-toast");

    // Upload file: mapping, dry run, the result and the report.
    const screens = { upload: "upload", mapping: "mapping", consent: "import-consent", check: "dry-run" };
    await app.uploadToCheck({ at: (step) => shot(app, lang, screens[step]) });
    await app.click("import-confirm");
    await app.waitFor("import-result", { timeout: 60_000 });
    await shot(app, lang, "import-result");
    await app.click("import-result-report");
    await app.waitFor("import-report");
    assert.match(await app.text("import-report"), new RegExp(words.report));
    await shot(app, lang, "report");
    await app.click("report-back");

    // Paste data (the seed's third way in).
    await pasteRows(app, "Lý Thị Mai\t0901 234 567\tmai.ly@example.vn\nHồ Ngọc Hà\t0903456789\tha.ho@example.vn\n");
    await app.waitForText("import-paste-summary", "2");
    await shot(app, lang, "paste");
    await app.click("import-continue");
    await app.waitFor("mapping-grid");
    await app.browser.keys("Escape");
    await app.waitGone("import-wizard");

    // Export and delete dialogs.
    await app.dismissToasts();
    await app.click("export-button");
    await app.waitFor("export-dialog");
    assert.match(await app.text("export-dialog"), new RegExp(words.exportTitle));
    await shot(app, lang, "export");
    await app.browser.keys("Escape");
    await app.waitGone("export-dialog");
    // Five rows: the dialog names the first three, in the order they were picked, and says
    // how many more — in the UI's language.
    const boxes = await app.browser.$$('[data-testid="row-checkbox"]');
    for (const box of boxes.slice(0, 5)) await box.click();
    await app.waitForText("selection-count", "5");
    const picked = (await app.rows()).slice(0, 5).map((r) => r.cells.full_name.trim());
    assert.equal(picked.filter((name) => name !== "").length, 5, `the picked rows have names: ${JSON.stringify(picked)}`);
    await app.click("bulk-delete-button");
    await app.waitFor("delete-dialog");
    await app.waitFor("delete-counts");
    assert.match(await app.text("delete-dialog"), new RegExp(words.deleteTitle), "the dialog's title counts the selection");
    assert.match(await app.text("delete-dialog"), new RegExp(words.deleteTarget));
    const named = await app.browser.execute(() =>
      [...document.querySelectorAll('[data-testid="delete-names"] > li')].map((li) => (li.textContent ?? "").trim()),
    );
    assert.deepEqual(named, [...picked.slice(0, 3), words.andMore], "the first three profiles by name, then how many more");
    await shot(app, lang, "delete");
    await app.browser.keys("Escape");
    await app.waitGone("delete-dialog");

    // The audit log and merge review.
    await app.click("audit-button");
    await app.waitFor("audit-view");
    assert.match(await app.text("audit-view"), new RegExp(words.audit));
    await shot(app, lang, "audit");
    await app.click("audit-back");
    await app.click("review-button");
    await app.waitFor("review-back");
    await shot(app, lang, "merge-review");
    await app.click("review-back");

    // Every Settings section.
    for (const section of SECTIONS) {
      await openSettings(app, section);
      await shot(app, lang, `settings-${section}`);
    }
    // A self-hosted server's certificate, behind its disclosure on the connect form.
    await app.browser.execute(() => {
      const trust = document.querySelector('[data-testid="sync-trust"]');
      trust.open = true;
      trust.scrollIntoView({ block: "center" });
    });
    await app.waitFor("sync-pin");
    await shot(app, lang, "settings-remote-trust");
    assert.match(await app.text("settings-view"), new RegExp(words.settings));
    await app.click("settings-back");
  });
}

test("the seed's flows in Vietnamese, chosen in the user menu: every screen drawn in it, nothing cut off", { timeout: TEST_TIMEOUT * 3 }, async () => {
  await walk("vi");
});

test("the same flows in English", { timeout: TEST_TIMEOUT * 3 }, async () => {
  await walk("en");
});
