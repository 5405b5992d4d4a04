// A long first sync shows its progress (issue 13, "What the user sees"): a laptop that has
// worked offline on 20,000 customers connects to a real `pdesk-server` on loopback; while its
// profiles go up the status chip says "Uploading n / 20,000", while the server's snapshot comes
// down "Downloading n / N", and then "Synced". Screenshots: sync-chip-uploading,
// sync-chip-downloading. How long each phase took is printed, not asserted. The list then holds
// exactly the profiles of the server's snapshot.
import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";

import { TEST_TIMEOUT, fillConnectForm, scratchDir, startSyncServer, stopAll, until, withApp } from "./harness.mjs";

after(stopAll);

const PROFILES = 20_000;

test("a first sync of 20,000 profiles shows its progress in the status chip, then Synced", { timeout: TEST_TIMEOUT * 4 }, async () => {
  const dir = scratchDir("sync-progress");
  const server = await startSyncServer(dir);
  try {
    await withApp({ name: "sync-progress", seed: PROFILES, keyring: true }, async (app) => {
      await app.waitForText("count-total", "20,000");
      await fillConnectForm(app, server);
      const started = Date.now();
      await app.click("sync-connect");
      await app.click("settings-back");
      await app.dismissToasts();

      // Each phase is caught while it lasts: the chip is read as often as WebDriver allows.
      const seen = new Set();
      const texts = [];
      let uploadedAt = null;
      let snapshot = null;
      await until(
        async () => {
          const chip = (await app.text("sync-chip")) ?? "";
          if (texts.at(-1) !== chip) texts.push(chip);
          let m = /^Uploading ([\d,]+) \/ 20,000$/.exec(chip);
          if (m && !seen.has("up")) {
            seen.add("up");
            await app.screenshot("sync-chip-uploading");
          }
          // The server's rule merges the few customers the laptop had typed twice: the
          // snapshot holds what the server keeps.
          m = /^Downloading ([\d,]+) \/ ([\d,]+)$/.exec(chip);
          if (m) snapshot = m[2];
          if (m && !seen.has("down")) {
            seen.add("down");
            uploadedAt = Date.now();
            await app.screenshot("sync-chip-downloading");
          }
          return chip.startsWith("Synced");
        },
        { timeout: 240_000, interval: 50, message: "the first sync to end" },
      );
      console.log(
        `# first sync of ${PROFILES} profiles (debug build): ${Date.now() - started} ms` +
          (uploadedAt ? `, of which the upload ${uploadedAt - started} ms` : ""),
      );
      console.log(`# the chip said: ${texts.join(" → ")}`);
      assert.ok(seen.has("up"), "the chip said how many profiles had gone up");
      assert.ok(seen.has("down"), "the chip said how many had come down");
      // Nothing lost, nothing doubled: the list holds what the server sent.
      await app.waitForText("count-total", snapshot);
    });
  } finally {
    await server.stop();
  }
});
