// Editing a profile from its detail, and profile data that looks like HTML
// being shown as text (never parsed as markup) in the list and the detail.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { TEST_TIMEOUT, createProfile, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

/** The rendered row (if any) whose full_name cell equals `name`. */
async function rowNamed(app, name) {
  return (await app.rows()).find((r) => r.cells.full_name === name) ?? null;
}

test("edit the city in the detail: detail, list and history show the change", { timeout: TEST_TIMEOUT }, async () => {
  await withApp({ name: "edit" }, async (app) => {
    await createProfile(app, { full_name: "Nguyễn Văn Ánh", phones: ["0912 345 678"], city: "Hà Nội" });
    await app.waitFor("detail-view");
    await app.waitForText("detail-field-city", (t) => t === "Hà Nội");

    await app.click("edit-button");
    const city = await app.waitFor("field-city", { within: "detail-view" });
    assert.equal(await city.getValue(), "Hà Nội", "the edit form starts from the stored value");
    await app.type("field-city", "Đà Nẵng", { within: "detail-view" });
    await app.click("detail-save");

    await app.waitForToast("Profile saved");
    await app.waitGone("detail-save");
    assert.equal(
      await app.waitForText("detail-field-city", (t) => t === "Đà Nẵng"),
      "Đà Nẵng",
      "after Save the detail shows the new city",
    );
    const history = await app.browser.execute(() =>
      [...document.querySelectorAll('[data-testid="history"] .timeline-item')].map((li) => li.textContent ?? ""),
    );
    const edited = history.find((t) => t.startsWith("Edited"));
    assert.ok(edited, `the history must have an "Edited" entry (entries: ${JSON.stringify(history)})`);
    assert.match(edited, /City\s*Hà Nội\s*→\s*Đà Nẵng/, "the edited entry shows the city's old and new value");
    await app.screenshot("detail-edited");

    await app.click("detail-back");
    const row = await until(() => rowNamed(app, "Nguyễn Văn Ánh"), { message: "the edited profile's row" });
    assert.equal(row.cells.city, "Đà Nẵng", "the list refetches after an edit and shows the new city");
    assert.equal(await app.text("count-total"), "1", "an edit must not create a profile");
  });
});

test("a name that looks like HTML is shown as text, never parsed", { timeout: TEST_TIMEOUT }, async () => {
  const NAME = "<img src=x onerror=alert(1)>";
  await withApp({ name: "xss" }, async (app) => {
    // An executed onerror=alert(1) would call this instead of opening a dialog.
    await app.browser.execute(() => {
      window.__alerts = [];
      window.alert = (msg) => window.__alerts.push(String(msg));
    });
    const toast = await createProfile(app, { full_name: NAME, emails: ["xss@example.vn"] });
    assert.equal(toast, `Created profile ${NAME}`, "the toast shows the name literally");

    await app.waitFor("detail-view");
    const detail = await app.browser.execute(() => {
      const view = document.querySelector('[data-testid="detail-view"]');
      return {
        label: document.querySelector('[data-testid="detail-label"]')?.textContent ?? null,
        field: document.querySelector('[data-testid="detail-field-full_name"]')?.textContent ?? null,
        imgs: view.querySelectorAll("img").length,
        toastImgs: document.querySelectorAll('[data-testid="toast"] img').length,
      };
    });
    assert.equal(detail.label, NAME, "the detail's title is the name as text");
    assert.equal(detail.field, NAME, "the detail's full name field is the name as text");
    assert.equal(detail.imgs, 0, "no <img> may be created inside the detail from profile data");
    assert.equal(detail.toastImgs, 0, "no <img> may be created inside the toast from profile data");

    await app.click("detail-back");
    const row = await until(() => rowNamed(app, NAME), { message: "the row with the HTML-like name" });
    assert.equal(row.cells.full_name, NAME, "the list cell's textContent equals the name literally");
    const imgsInRows = await app.browser.execute(
      () => document.querySelectorAll('[data-testid="profile-table"] img, [data-testid="profile-row"] img').length,
    );
    assert.equal(imgsInRows, 0, "no <img> may be created inside the table rows from profile data");

    // Nothing ran.
    assert.deepEqual(
      await app.browser.execute(() => window.__alerts),
      [],
      "no script from profile data may run (alert was never called)",
    );

    // Searching for it is just text too.
    const found = await app.search("<img", { expectFiltered: "1" });
    assert.equal(found[0].cells.full_name, NAME, "the search finds the profile by its literal name");
    await app.screenshot("xss-list");
  });
});

/** What each language says (ui/src/shell/messages.ts, ui/src/profile/messages.ts). */
const KEYS_WORDS = {
  en: { sheet: "Keyboard shortcuts", newProfile: "New profile", discard: "Discard your changes?", saved: "Profile saved", editing: "Editing " },
  vi: { sheet: "Phím tắt", newProfile: "Hồ sơ mới", discard: "Bỏ các thay đổi?", saved: "Đã lưu hồ sơ", editing: "Đang sửa " },
};

/** Whether the element with this testid lies inside the window (not below the fold). */
function inView(app, testid) {
  return app.browser.execute((id) => {
    const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
    return Boolean(r && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight);
  }, testid);
}

test("the keyboard and the save bar: ? lists the shortcuts, Ctrl+N, Escape asks, Ctrl+S saves; Save stays in view", { timeout: TEST_TIMEOUT * 2 }, async () => {
  await withApp({ name: "edit-keys", seed: 6 }, async (app) => {
    await app.waitForText("count-total", "6");
    for (const lang of ["en", "vi"]) {
      const words = KEYS_WORDS[lang];
      if (lang === "vi") {
        await app.chooseLanguage("vi");
        await app.waitForText("count-total", "6");
      }

      // `?` away from any field: the sheet, in the UI's language.
      await app.browser.execute(() => document.activeElement?.blur());
      await app.browser.keys("?");
      await app.waitFor("shortcut-sheet");
      const sheet = await app.text("shortcut-sheet");
      assert.ok(sheet.includes(words.sheet) && sheet.includes(words.newProfile), `${lang}: the sheet lists the shortcuts: ${sheet}`);
      await app.screenshot(`${lang}-shortcut-sheet`);
      await app.browser.keys("Escape");
      await app.waitGone("shortcut-sheet");

      // `?` typed into the search is a question mark, not the sheet.
      await app.click("search-input");
      await app.browser.keys("?");
      assert.equal(await (await app.$("shortcut-sheet")).isExisting(), false, `${lang}: typing ? in the search opens nothing`);
      await app.type("search-input", "");

      // Ctrl+N: the create wizard; nothing typed, so Escape closes it at once.
      await app.browser.keys(["Control", "n"]);
      await app.waitFor("create-form");
      await app.browser.keys("Escape");
      await app.waitGone("create-form");

      // A profile's edit: the save bar is in view however long the form; Escape asks; Ctrl+S saves.
      await (await app.browser.$('[data-testid="profile-row"] [data-col="full_name"]')).click();
      await app.waitFor("detail-view");
      await app.click("edit-button");
      await app.waitFor("detail-savebar");
      assert.ok(await inView(app, "detail-save"), `${lang}: Save is in view without scrolling`);
      const bar = await app.text("detail-savebar");
      assert.ok(bar.startsWith(words.editing), `${lang}: the bar says what is being edited: ${bar}`);
      const note = await app.$("field-note", "detail-view");
      await note.scrollIntoView();
      await app.type("field-note", lang === "en" ? "Gọi lại sau 17 giờ" : "Khách hẹn gọi lại thứ Hai", { within: "detail-view" });
      assert.ok(await inView(app, "detail-save"), `${lang}: and still in view at the bottom of the form`);
      await app.screenshot(`${lang}-detail-save-bar`);

      await app.browser.keys("Escape");
      await app.waitFor("discard-changes");
      assert.ok((await app.text("discard-changes")).includes(words.discard), `${lang}: Escape asks first`);
      await app.click("discard-changes-no");
      await app.waitGone("discard-changes");
      await app.click("field-note", { within: "detail-view" });
      await app.browser.keys(["Control", "s"]);
      await app.waitForToast(words.saved);
      await app.waitGone("detail-savebar");
      const typed = lang === "en" ? "Gọi lại sau 17 giờ" : "Khách hẹn gọi lại thứ Hai";
      assert.equal(await app.waitForText("detail-field-note", typed), typed, `${lang}: Ctrl+S saved the note`);
      await app.click("detail-back");
      await app.waitFor("list-view");
    }
  });
});
