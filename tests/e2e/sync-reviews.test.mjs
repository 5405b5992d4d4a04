// A merge review the server opened, decided in the real app (issue 13; SYNC.md §5.2), against a
// real `pdesk-server` on loopback: Minh's laptop (`pdesk`) sends An and Bình; Hùng's laptop had
// entered "Nguyễn An Bình" with An's phone and Bình's e-mail before it first connected, so the
// server matches it to both and holds it for review. The app downloads all three and the review:
// the merge review screen shows the held customer and the two it matched, the top bar counts it,
// and "Add to this customer" (An) goes to the server with the next sync — which merges the two
// there and sends the result back: the list has two customers, An with Bình's e-mail, and the
// review is listed as decided. Both languages are looked at.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { ADMIN, ADMIN_PASSWORD, SERVER_PASSWORD, TEST_TIMEOUT, cli, fillConnectForm, scratchDir, startSyncServer, stopAll, withApp } from "./harness.mjs";

after(stopAll);

/** A laptop of `pdesk` with `rows` pasted before it connects, then one sync round. */
async function laptop(dir, name, rows, server, env) {
  const db = path.join(dir, name, "profiles.db");
  await cli(db, ["init", "--admin", ADMIN, "--display-name", name], { newPassword: ADMIN_PASSWORD, env });
  const file = path.join(dir, `${name}.tsv`);
  writeFileSync(file, rows);
  await cli(db, ["paste", "--file", file, "--columns", "full_name,phones,emails"], { env });
  await cli(db, ["sync", "connect", server.url, "--user", ADMIN, "--device", `Laptop của ${name}`], {
    env: { ...env, PDESK_SYNC_PASSWORD: SERVER_PASSWORD },
  });
  return cli(db, ["--json", "sync", "--once"], { env });
}

test("a customer the server holds for review is decided in the app and the server's merge comes back", { timeout: TEST_TIMEOUT * 2 }, async () => {
  const dir = scratchDir("sync-reviews");
  const server = await startSyncServer(dir);
  try {
    await withApp({ name: "sync-reviews", keyring: true }, async (app) => {
      const env = app.keyring.vars;
      const minh = await laptop(dir, "Minh", "Nguyễn Văn An\t0912 345 678\t\nTrần Thị Bình\t\tbinh.tran@example.vn\n", server, env);
      assert.equal(minh.pushed.applied, 2, "An and Bình went up");
      const hung = await laptop(dir, "Hung", "Nguyễn An Bình\t0912 345 678\tbinh.tran@example.vn\n", server, env);
      assert.equal(hung.pushed.review, 1, "the server held Hùng's customer for review");

      await fillConnectForm(app, server);
      await app.click("sync-connect");
      await app.waitForText("sync-state", "Synced", { timeout: 30_000 });
      await app.click("settings-back");
      await app.waitFor("list-view");
      await app.waitForText("count-total", "3", { timeout: 30_000 });
      await app.waitForText("review-count", "1", { timeout: 30_000 });

      await app.click("review-button");
      await app.waitFor("server-reviews");
      const card = await app.browser.$('[data-testid^="server-review-rv_"]');
      const id = (await card.getAttribute("data-testid")).replace("server-review-", "");
      const text = await app.text(`server-review-${id}`);
      assert.match(text, /Nguyễn An Bình/);
      assert.match(text, /Several matches/);
      assert.match(text, /Nguyễn Văn An/);
      assert.match(text, /Trần Thị Bình/);
      await app.screenshot("server-review-open");

      assert.equal(await app.text("review-tab-open"), "Open (1)", "the tab counts it");
      // The shell is drawn again in the chosen language: the screen is opened again.
      await app.chooseLanguage("vi");
      await app.click("review-button");
      await app.waitForText("server-reviews", /Máy chủ đang giữ lại \(1\)/);
      await app.screenshot("server-review-open-vi");
      await app.chooseLanguage("en");
      await app.click("review-button");
      await app.waitForText("server-reviews", /Held by the server \(1\)/);

      // Add Hùng's customer to An: confirmed, sent, and nothing left to do here.
      const an = await app.browser.execute(
        (id) =>
          [...document.querySelectorAll(`[data-testid="server-review-${id}"] [data-testid^="server-review-candidate-"]`)]
            .find((row) => row.textContent.includes("Nguyễn Văn An"))
            ?.getAttribute("data-testid")
            .replace("server-review-candidate-", ""),
        id,
      );
      await app.click(`server-review-attach-${an}`);
      await app.waitForText("server-review-confirm", /Add Nguyễn An Bình to Nguyễn Văn An\?/);
      await app.screenshot("server-review-confirm");
      await app.click("server-review-confirm-yes");
      await app.waitForText(`server-review-decided-${id}`, /^Added to Nguyễn Văn An — decided by /);
      await app.screenshot("server-review-decided");

      // The worker sends it at once; the server merges, and its result comes down.
      await app.click("review-back");
      await app.waitFor("list-view");
      await app.waitForText("count-total", "2", { timeout: 30_000 });
      await app.type("search-input", "binh.tran@example.vn");
      await app.waitForText("count-filtered", "2");
      const hungNow = await cli(path.join(dir, "Hung", "profiles.db"), ["--json", "sync", "--once"], { env });
      assert.equal(hungNow.pulled.deleted + hungNow.downloaded.deleted, 1, "Hùng's laptop lets its customer go into An");
      const reviews = await cli(app.db, ["--json", "server-reviews"], { env });
      assert.equal(reviews.length, 1);
      assert.equal(reviews[0].resolved, true, "resolved on the server");
      assert.equal(reviews[0].decision, "attach");

      await app.click("review-button");
      await app.click("review-tab-resolved");
      await app.waitForText(`server-review-resolved-${id}`, /Added to Nguyễn Văn An/);
      await app.screenshot("server-review-resolved");
      await app.chooseLanguage("vi");
      await app.click("review-button");
      await app.click("review-tab-resolved");
      await app.waitForText(`server-review-resolved-${id}`, /Đã bổ sung vào Nguyễn Văn An/);
      await app.screenshot("server-review-resolved-vi");
    });
  } finally {
    await server.stop();
  }
});
