// Sync in the real app (issue 13), against a real `pdesk-server` on loopback and a real Secret
// Service (a private GNOME Keyring session): Settings → Remote CDP connects the store — its
// profiles go up — and the status chip says "Synced"; a colleague on another laptop (`pdesk`)
// receives them and adds a customer, which the app shows after "Sync now"; a profile created in
// the app reaches the colleague by itself within seconds (the worker pushes what waits); with
// the server down, a new profile waits ("Offline · 1 waiting") and goes up, once, when
// it is back.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";

import { ADMIN, ADMIN_PASSWORD, SERVER_PASSWORD, TEST_TIMEOUT, cli, createProfile, fillConnectForm, scratchDir, startSyncServer, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

test("the app syncs with a real server: connect, send, receive a colleague's customer, push its own", { timeout: TEST_TIMEOUT * 2 }, async () => {
  const dir = scratchDir("sync-server");
  const server = await startSyncServer(dir);
  try {
    await withApp({ name: "sync", seed: 12, keyring: true }, async (app) => {
      assert.equal(await app.text("sync-chip"), "", "not connected: no chip");

      await fillConnectForm(app, server);
      await app.screenshot("sync-connect-form");
      await app.click("sync-connect");
      await app.waitForText("sync-state", "Synced", { timeout: 30_000 });
      await app.waitForText("sync-pending", "0 changes");
      await app.waitForText("sync-chip", /^Synced · (just now|1 min ago)$/);
      await app.screenshot("sync-connected");

      // A colleague's laptop (pdesk on its own store, the same keychain): it receives the 12
      // and adds a customer.
      const env = app.keyring.vars;
      const colleague = path.join(dir, "colleague", "profiles.db");
      await cli(colleague, ["init", "--admin", ADMIN, "--display-name", "Minh"], { newPassword: ADMIN_PASSWORD, env });
      const rows = path.join(dir, "hoa.tsv");
      writeFileSync(rows, "Đặng Thị Hoa\t0977 123 456\thoa.dang@example.vn\tĐà Lạt\n");
      await cli(colleague, ["paste", "--file", rows, "--columns", "full_name,phones,emails,city"], { env });
      await cli(colleague, ["sync", "connect", server.url, "--user", ADMIN, "--device", "Laptop của Minh"], {
        env: { ...env, PDESK_SYNC_PASSWORD: SERVER_PASSWORD },
      });
      const round = await cli(colleague, ["--json", "sync", "--once"], { env });
      assert.equal(round.downloaded.profiles, 12, "the app's profiles reached the colleague");
      assert.equal(round.pushed.applied, 1, "the colleague's customer went up");

      await app.click("sync-now");
      await app.click("settings-back");
      await app.waitFor("list-view");
      await app.waitForText("count-total", (t) => t === "13", { timeout: 30_000 });
      await app.type("search-input", "Đặng Thị Hoa");
      await app.waitForText("count-filtered", (t) => t === "1");
      await app.screenshot("sync-colleagues-customer-in-the-list");

      // A colleague's next customer shows in the list by itself: the worker's watcher hears
      // the server and a round brings it. How long it took is printed, not asserted.
      writeFileSync(path.join(dir, "chau.tsv"), "Ngô Bảo Châu\t0911 555 666\n");
      await cli(colleague, ["paste", "--file", path.join(dir, "chau.tsv"), "--columns", "full_name,phones"], { env });
      const sent = Date.now();
      await cli(colleague, ["sync", "--once"], { env });
      const pushed = Date.now();
      await app.waitForText("count-total", (t) => t === "14", { timeout: 20_000 });
      console.log(`# a colleague's new customer in the app's list ${Date.now() - pushed} ms after their sync ended (${pushed - sent} ms to send it)`);

      // The CRM links an opportunity and a ticket to Hoa on the server: her detail lists them,
      // and the delete dialog counts them and says the delete goes to the server too.
      await server.addLink("0977 123 456", "opportunity", "Gói bảo hiểm 2027");
      await server.addLink("hoa.dang@example.vn", "ticket", "Đổi địa chỉ giao hàng");
      await app.click("sync-chip");
      await app.click("sync-now");
      await app.waitForText("sync-state", "Synced", { timeout: 30_000 });
      await app.click("settings-back");
      await app.waitFor("list-view");
      await (await app.browser.$('[data-testid="profile-row"] [data-col="full_name"]')).click();
      await app.waitForText("detail-label", "Đặng Thị Hoa");
      await app.waitForText("links-opportunities", /Gói bảo hiểm 2027/, { timeout: 30_000 });
      assert.match(await app.text("links-tickets"), /Đổi địa chỉ giao hàng.*open/s);
      await app.dismissToasts();
      await app.screenshot("sync-linked-objects");
      await app.click("delete-button");
      await app.waitForText("delete-counts", /here and on 127\.0\.0\.1:\d+/);
      assert.match(await app.text("delete-server"), /the delete and its reason go there too/);
      await app.screenshot("sync-delete-dialog-linked-objects");
      await app.click("delete-cancel");
      await app.click("detail-back");

      // While connected the server manages the field catalogue: an administrator adds a field
      // there, and it reaches the app, whose Field catalogue section is read-only meanwhile.
      const config = JSON.parse((await server.admin(["config", "show"])).stdout);
      const company = config.fields.find((f) => f.key === "company");
      config.fields.push({ ...company, key: "zalo", label: "Zalo", builtin: false, position: 900, synonyms: ["zalo"] });
      const configFile = path.join(dir, "config.json");
      writeFileSync(configFile, JSON.stringify(config));
      await server.admin(["config", "set", configFile]);
      await app.click("sync-chip");
      await app.click("sync-now");
      await until(
        async () => {
          await app.click("settings-nav-limits");
          await app.click("settings-nav-fields");
          // The section loads its rows after it is shown: read them once they are there.
          await app.waitFor("field-list");
          return /Zalo/.test(await app.text("settings-section-fields"));
        },
        { timeout: 30_000, interval: 1_000, message: "the server's new field in Settings" },
      );
      assert.match(await app.text("settings-managed-notice"), /^Managed by 127\.0\.0\.1:\d+\. This computer syncs with/);
      assert.equal(
        await app.browser.execute(() => document.querySelector('[data-testid="settings-section-fields"]')?.closest("fieldset")?.disabled),
        true,
        "the section's controls are disabled",
      );
      await app.dismissToasts();
      await app.screenshot("sync-settings-managed-by-the-server");
      await app.click("settings-back");

      // Created in the app: the worker sends it without being asked.
      await createProfile(app, { full_name: "Lê Minh Tuấn", phones: ["0903 456 789"] });
      await until(
        async () => {
          await cli(colleague, ["sync", "--once"], { env });
          const list = await cli(colleague, ["list", "--json", "--search", "Lê Minh Tuấn"], { env });
          return list.counts.filtered === 1;
        },
        { timeout: 30_000, interval: 1_000, message: "the app's new profile to reach the colleague" },
      );
      const status = await cli(colleague, ["--json", "sync", "status"], { env });
      assert.equal(status.pendingOps, 0);

      // The server goes down: a profile created meanwhile waits, and the chip says so; once the
      // server is back it goes up, once.
      await server.stop();
      await app.dismissToasts();
      await createProfile(app, { full_name: "Vũ Thị Lan", phones: ["0904 111 222"] });
      await app.waitForText("sync-chip", "Offline · 1 waiting", { timeout: 20_000 });
      await app.screenshot("sync-chip-offline");
      await server.start();
      await app.click("sync-chip");
      await app.waitFor("settings-section-remote");
      await app.click("sync-now");
      await app.waitForText("sync-state", "Synced", { timeout: 30_000 });
      await app.waitForText("sync-chip", /^Synced/);
      await cli(colleague, ["sync", "--once"], { env });
      const lan = await cli(colleague, ["list", "--json", "--search", "Vũ Thị Lan"], { env });
      assert.equal(lan.counts.filtered, 1, "the profile made offline arrived, once");

      // An import waits for its undo window (10 minutes): Remote CDP says so, the Undo dialog
      // says the server never sees it, and after the undo the colleague never receives it.
      const held = path.join(dir, "held.tsv");
      writeFileSync(held, "Phan Thị Mai\t0905 333 444\n");
      await cli(app.db, ["paste", "--file", held, "--columns", "full_name,phones"], { env });
      await app.waitForText("sync-held", /^1 imported change until .*Undo import can still take it back/, { timeout: 30_000 });
      await app.screenshot("sync-held-for-undo");
      await app.click("settings-back");
      await app.waitFor("list-view");
      await app.click("import-report-button");
      await app.waitFor("import-report");
      const rowTestid = await until(
        () =>
          app.browser.execute(() =>
            [...document.querySelectorAll('[data-testid^="report-row-"]')]
              .find((r) => r.textContent.includes("Pasted data") || r.textContent.includes("held.tsv"))
              ?.getAttribute("data-testid"),
          ),
        { message: "the paste's job in the report" },
      );
      const job = rowTestid.replace("report-row-", "");
      await app.click(`report-undo-${job}`);
      await app.waitForText("undo-sync-note", /^1 change of this import is still on this computer .*never sees it\.$/);
      await app.screenshot("sync-undo-held-import");
      await app.dismissToasts();
      await app.click("undo-confirm-yes");
      await app.waitForText("toast", /1 profile removed/);
      await cli(colleague, ["sync", "--once"], { env });
      const mai = await cli(colleague, ["list", "--json", "--search", "Phan Thị Mai"], { env });
      assert.equal(mai.counts.filtered, 0, "the undone import never reached the server");
      const after = await cli(app.db, ["--json", "sync", "status"], { env });
      assert.equal(after.heldOps + after.pendingOps, 0, "nothing of it waits to go up");

      // Sync paused, the colleague enters a customer and the app the same one (the phone
      // written another way): on resume the server merges the app's into the colleague's, and
      // Remote CDP says so, with a link to the customer.
      await app.click("sync-chip");
      await app.waitFor("settings-section-remote");
      await app.click("sync-pause");
      await app.waitForText("sync-pause", "Resume");
      const son = path.join(dir, "son.tsv");
      writeFileSync(son, "Trịnh Văn Sơn\t0911 222 333\tĐà Nẵng\n");
      await cli(colleague, ["paste", "--file", son, "--columns", "full_name,phones,city"], { env });
      await cli(colleague, ["sync", "--once"], { env });
      await createProfile(app, { full_name: "Trịnh V. Sơn", phones: ["0911222333"], emails: ["son.trinh@example.vn"] });
      await app.click("sync-chip"); // the new profile's detail screen is open: back to Remote CDP
      await app.waitForText("sync-pause", "Resume");
      await app.click("sync-pause");
      await app.waitForText("sync-merge-notices", /Merged into existing customers \(1\)/, { timeout: 30_000 });
      assert.match(await app.text("sync-merge-notice-0"), /Trịnh/, "the notice names the customer");
      await app.dismissToasts();
      await app.screenshot("sync-merge-notice");
      await app.click("sync-merge-open-0");
      await app.waitForText("detail-field-city", "Đà Nẵng");
      assert.match(await app.text("detail-view"), /son\.trinh@example\.vn/, "what the app entered is on the customer");
      await app.screenshot("sync-merge-notice-opens-the-customer");

      // Both change Sơn's city while the app is paused: the server keeps the later edit (the
      // app's) and hands the app the colleague's to review; the app types the right one.
      await app.clickUntilShown("sync-chip", "sync-pause");
      await app.click("sync-pause");
      await app.waitForText("sync-pause", "Resume");
      const moved = path.join(dir, "son-moved.tsv");
      writeFileSync(moved, "Trịnh Văn Sơn\t0911 222 333\tHội An\n");
      await cli(colleague, ["paste", "--file", moved, "--columns", "full_name,phones,city"], { env });
      await cli(colleague, ["sync", "--once"], { env });
      await app.click("sync-merge-open-0");
      await app.click("edit-button");
      await app.type("field-city", "Huế", { within: "detail-view" });
      await app.click("detail-save");
      await app.waitForToast("Profile saved");
      // The chip is drawn again as the saved edit starts to wait: click until Remote CDP shows.
      await app.clickUntilShown("sync-chip", "sync-pause");
      await app.click("sync-pause");
      await app.waitForText("sync-conflicts", /Conflicts \(1\)/, { timeout: 30_000 });
      await app.waitForText("sync-chip", "1 conflict");
      await app.clickUntilShown("sync-conflicts-review", "conflict-review");
      const conflict = await until(
        () =>
          app.browser.execute(() =>
            document.querySelector('[data-testid^="sync-conflict-edit-"]')?.getAttribute("data-testid")?.replace("sync-conflict-edit-", ""),
          ),
        { message: "the conflict's row" },
      );
      const row = await app.text(`sync-conflict-${conflict}`);
      assert.match(row, /City.*Huế.*this computer.*Hội An/s, "both values, this computer's first (it won)");
      assert.match(row, /Laptop của Minh/, "which device the other value came from");
      await app.dismissToasts();
      await app.screenshot("sync-conflict-review");
      await app.click(`sync-conflict-edit-${conflict}`);
      await app.type(`sync-conflict-input-${conflict}`, "Hội An, Quảng Nam");
      await app.screenshot("sync-conflict-edit");
      await app.click(`sync-conflict-save-${conflict}`);
      await app.waitFor("conflict-empty");
      assert.match(await app.text("conflict-decided"), /Decided recently \(1\)/);
      await until(
        async () => {
          await cli(colleague, ["sync", "--once"], { env });
          const filter = [{ kind: "field", field: "city", op: "is", value: "Hội An, Quảng Nam" }];
          const list = await cli(colleague, ["--json", "list", "--search", "0911 222 333", "--filter", JSON.stringify(filter)], { env });
          return list.counts.filtered === 1;
        },
        { timeout: 30_000, interval: 1_000, message: "the typed city to reach the colleague" },
      );

      // An import here changes Sơn's city while the colleague moved him too: conflict review
      // offers the import's conflicts at once, and "Keep all server values" gives the
      // colleague's city back, here and on the colleague's laptop.
      await app.click("conflict-back");
      await app.waitFor("settings-section-remote");
      await app.click("sync-pause");
      await app.waitForText("sync-pause", "Resume");
      const tamKy = path.join(dir, "son-tam-ky.tsv");
      writeFileSync(tamKy, "Trịnh Văn Sơn\t0911 222 333\tTam Kỳ\n");
      await cli(colleague, ["paste", "--file", tamKy, "--columns", "full_name,phones,city"], { env });
      await cli(colleague, ["sync", "--once"], { env });
      const dienBan = path.join(dir, "son-dien-ban.tsv");
      writeFileSync(dienBan, "Trịnh Văn Sơn\t0911 222 333\tĐiện Bàn\n");
      await cli(app.db, ["paste", "--file", dienBan, "--columns", "full_name,phones,city"], { env });
      await app.click("sync-pause");
      // "Sync now" is disabled while paused: wait for the section drawn after resuming.
      await app.waitForText("sync-pause", "Pause");
      await app.click("sync-now");
      await app.waitForText("sync-chip", "1 conflict", { timeout: 30_000 });
      await app.click("sync-chip");
      await app.waitFor("conflict-review");
      const keepAll = await until(
        () => app.browser.execute(() => document.querySelector('[data-testid^="conflict-keep-import-"]')?.getAttribute("data-testid")),
        { message: "the import's bulk decision" },
      );
      assert.match(await app.text(keepAll.replace("-keep-", "-")), /Import #\d+ \(Pasted data\): 1 field changed at the same time/);
      await app.dismissToasts();
      await app.screenshot("sync-conflict-review-import");
      await app.click(keepAll);
      await app.waitFor("conflict-keep-confirm");
      await app.screenshot("sync-conflict-keep-server-values");
      await app.click("conflict-keep-confirm-yes");
      await app.waitForToast(/1 conflict of import #\d+ \(Pasted data\) decided/);
      await app.waitFor("conflict-empty");
      await until(
        async () => {
          await cli(colleague, ["sync", "--once"], { env });
          const filter = [{ kind: "field", field: "city", op: "is", value: "Tam Kỳ" }];
          const list = await cli(colleague, ["--json", "list", "--search", "0911 222 333", "--filter", JSON.stringify(filter)], { env });
          return list.counts.filtered === 1;
        },
        { timeout: 30_000, interval: 1_000, message: "the colleague's city to stay on the server" },
      );
      const tamKyFilter = JSON.stringify([{ kind: "field", field: "city", op: "is", value: "Tam Kỳ" }]);
      const here = await cli(app.db, ["--json", "list", "--search", "0911 222 333", "--filter", tamKyFilter], { env });
      assert.equal(here.counts.filtered, 1, "the colleague's city is back here too");
      await app.click("conflict-back");

      // The server account loses the right to delete: a delete made here is refused there and
      // listed with why; once the right is back, Try again sends it, and the colleague's
      // laptop deletes him too.
      await server.setRole(ADMIN, "Sales");
      const found = await cli(app.db, ["--json", "list", "--search", "0911 222 333"], { env });
      await cli(app.db, ["delete", String(found.rows[0].id), "--reason", "Khách yêu cầu xoá dữ liệu"], { env });
      await app.waitFor("sync-rejections", { timeout: 30_000 });
      await app.waitForText("sync-chip", "1 refused");
      assert.match(await app.text("sync-rejections"), /delete profiles/, "why it was refused");
      await app.dismissToasts();
      await app.screenshot("sync-refused-change");
      await server.setRole(ADMIN, "Administrator");
      const retry = await until(
        () => app.browser.execute(() => document.querySelector('[data-testid^="sync-retry-"]')?.getAttribute("data-testid")),
        { message: "the refused change's Try again" },
      );
      await app.click(retry);
      await app.waitForToast("The change goes to the server again");
      await until(
        async () => {
          await cli(colleague, ["sync", "--once"], { env });
          const left = await cli(colleague, ["--json", "list", "--search", "0911 222 333"], { env });
          return left.counts.filtered === 0;
        },
        { timeout: 30_000, interval: 1_000, message: "the retried delete to reach the colleague" },
      );
      assert.equal((await cli(app.db, ["--json", "sync", "status"], { env })).rejections, 0, "nothing refused any more");

      // Made a viewer on the server, the account's import of a new city for Vũ Thị Lan is
      // refused; Discard gives her the server's version back, and nothing of it goes up.
      await server.setRole(ADMIN, "Viewer");
      const canTho = path.join(dir, "lan-can-tho.tsv");
      writeFileSync(canTho, "Vũ Thị Lan\t0904 111 222\tCần Thơ\n");
      await cli(app.db, ["paste", "--file", canTho, "--columns", "full_name,phones,city"], { env });
      await app.click("sync-now");
      await app.waitFor("sync-rejections", { timeout: 30_000 });
      const discard = await until(
        () => app.browser.execute(() => document.querySelector('[data-testid^="sync-discard-"]')?.getAttribute("data-testid")),
        { message: "the refused change's Discard" },
      );
      await app.click(discard);
      await app.waitFor("sync-discard-confirm");
      await app.dismissToasts();
      await app.screenshot("sync-discard-refused-change");
      await app.click("sync-discard-confirm-yes");
      await app.waitForToast("The profile shows the server's version again");
      const canThoFilter = JSON.stringify([{ kind: "field", field: "city", op: "is", value: "Cần Thơ" }]);
      const stillCanTho = await cli(app.db, ["--json", "list", "--search", "0904 111 222", "--filter", canThoFilter], { env });
      assert.equal(stillCanTho.counts.filtered, 0, "the city the server refused is gone here");
      const lanHere = await cli(app.db, ["--json", "list", "--search", "0904 111 222"], { env });
      assert.equal(lanHere.counts.filtered, 1, "and she is still here");
      const afterDiscard = await cli(app.db, ["--json", "sync", "status"], { env });
      assert.equal(afterDiscard.rejections + afterDiscard.pendingOps, 0, "nothing listed, nothing waits");
      await server.setRole(ADMIN, "Administrator");
    });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
