// The benchmark's store of N generated profiles, made once with the release `pdesk` and kept in
// the work dir (seeding 1,000,000 takes about a minute): <work dir>/app-<N>/profiles.db. Each
// launch gets a copy, so what the app writes (its start marker, the daily backup's record, the
// searches' audit) never changes the cached store.

import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const STORE_FILE = "profiles.db";

/**
 * The cached store of `profiles` profiles (seeding it when missing), with the harness's
 * administrator (ADMIN / ADMIN_PASSWORD) so the app signs in as in the E2E tests. Every call
 * opens it once with `pdesk`, which applies the migrations a newer build brings: the launches
 * then time the app, not a one-off migration of the copy.
 */
export async function cachedStore(harness, workDir, profiles) {
  const dir = path.join(workDir, `app-${profiles}`);
  const db = path.join(dir, STORE_FILE);
  const marker = path.join(dir, "seeded.json");
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    console.error(`# seeding ${profiles} profiles into ${db} (once; kept for later runs)`);
    await harness.cli(db, ["init", "--admin", harness.ADMIN, "--display-name", "Admin"], { newPassword: harness.ADMIN_PASSWORD });
    await harness.cli(db, ["seed-demo", "--profiles", String(profiles)], { timeout: 60 * 60_000 });
    writeFileSync(marker, JSON.stringify({ profiles, seconds: (Date.now() - started) / 1000 }) + "\n");
    console.error(`# seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await harness.cli(db, ["list", "--limit", "1"], { timeout: 10 * 60_000 });
  return db;
}

/**
 * A `prepare` for launchApp: replaces the store the harness made with a copy of `source` (and
 * its WAL, if one was left) when one is given, and says how the app's last run on it ended.
 * `lastExit`: the text the app leaves in `<store>.lock` when it closes normally (CLEAN_EXIT in
 * src-tauri/src/instance.rs) — the start of a normal day, whose health check waits until the
 * list shows; null: no lock file, as after a crash or for a file copied in, whose health check
 * reads the whole store before the list.
 */
export function prepareStore({ source = null, lastExit = null }) {
  return async (db) => {
    const dir = path.dirname(db);
    if (source) {
      for (const name of readdirSync(dir)) {
        if (name.startsWith(path.basename(db))) rmSync(path.join(dir, name), { force: true });
      }
      for (const name of readdirSync(path.dirname(source))) {
        if (!name.startsWith(path.basename(source)) || name.endsWith(".lock")) continue;
        const copy = path.join(dir, name.replace(path.basename(source), path.basename(db)));
        copyFileSync(path.join(path.dirname(source), name), copy);
        // On disk before the app starts: else the OS writes the copy's hundreds of MB back
        // while the app starts, and the app's own first fsync waits behind them.
        const fd = openSync(copy, "r+");
        fsyncSync(fd);
        closeSync(fd);
      }
    }
    const lock = `${db}.lock`;
    if (lastExit === null) rmSync(lock, { force: true });
    else writeFileSync(lock, lastExit);
  };
}
