// Delete with an audited reason in the real app (SPEC 5, 1): as the administrator, two
// profiles are selected in the list and deleted with a reason; the audit log then shows one
// entry per profile with the reason and a masked label, the chain is verified, the filter
// narrows to deletions, and the export writes an .xlsx.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { TEST_TIMEOUT, scratchDir, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const REASON = "Duplicates of profiles kept in the CRM";

test("two profiles deleted from the list with a reason appear in the audit log", { timeout: TEST_TIMEOUT }, async () => {
  const saveDir = scratchDir("audit");
  await withApp({ name: "delete-and-audit", seed: 5, env: { PROFILE_DESK_E2E_SAVE_DIR: saveDir } }, async (app) => {
    await app.waitForText("count-total", "5");
    const boxes = await app.browser.$$('[data-testid="row-checkbox"]');
    await boxes[0].click();
    await boxes[1].click();
    await app.waitForText("selection-count", "2");
    const chosen = (await app.rows()).slice(0, 2).map((r) => r.id);
    // The Delete key opens the same dialog as the button (focus is on a row's checkbox).
    await app.browser.keys("Delete");
    await app.waitFor("delete-dialog");
    await app.waitForText("delete-counts", /Account/);
    assert.match(await app.text("delete-dialog"), /Delete 2 profiles/, "the selection's dialog");
    await app.browser.keys("Escape");
    await app.waitGone("delete-dialog");
    await app.waitForText("selection-count", "2");
    await app.click("bulk-delete-button");
    await app.waitFor("delete-dialog");
    await app.waitForText("delete-counts", /Account/);
    assert.equal(await (await app.$("delete-confirm")).isEnabled(), true, "Delete is offered once the preview is in");
    await app.click("delete-confirm");
    await app.waitForText("delete-error", "Enter the reason", { timeout: 5_000 });
    await app.type("delete-reason", REASON);
    await app.screenshot("delete-dialog");
    await app.click("delete-confirm");
    await app.waitForToast("Deleted 2 profiles");
    await app.waitForText("count-total", "3");
    const left = (await app.rows()).map((r) => r.id);
    assert.ok(chosen.every((id) => !left.includes(id)), `the chosen profiles ${chosen} are gone from the list ${left}`);

    await app.dismissToasts();
    await app.click("audit-button");
    await app.waitFor("audit-view");
    await app.waitForText("audit-chain", /Chain verified, \d+ entries/);
    const deletions = await until(
      async () => {
        const rows = await app.browser.execute(() =>
          [...document.querySelectorAll('[data-testid="audit-row"][data-action="profile.delete"]')].map(
            (r) => r.querySelector('[data-testid="audit-summary"]')?.textContent ?? "",
          ),
        );
        return rows.length === 2 ? rows : null;
      },
      { message: "two deletion entries in the audit log" },
    );
    for (const id of chosen) {
      assert.ok(
        deletions.some((d) => d.includes(`#${id} `)),
        `profile ${id} has its entry: ${JSON.stringify(deletions)}`,
      );
    }
    assert.ok(deletions.every((d) => d.includes(`“${REASON}”`)), `each entry keeps the reason: ${JSON.stringify(deletions)}`);
    assert.ok(deletions.every((d) => d.includes("*")), `and a masked label, not the name: ${JSON.stringify(deletions)}`);
    await app.select("audit-filter-action", "profile.delete");
    await app.waitForText("audit-count", "2 entries match");
    await app.screenshot("audit-log");
    await app.click("audit-export");
    await app.waitForToast("Saved the audit log");
    const saved = readdirSync(saveDir).find((f) => f.endsWith(".xlsx"));
    assert.ok(saved && existsSync(path.join(saveDir, saved)), `the export was written: ${saved}`);
  });
});
