// The app at scale (issue 18): the release app in a real window (Xvfb, WebKitWebDriver, the
// E2E harness), on a store of N generated profiles and, as the peer, on an empty store, doing
// the same things in the same run:
//   1. launch → the first rows drawn (the harness's start-up timing), the start of a normal
//      day (the last run closed the store cleanly); then the daily backup is let finish;
//   2. scroll the list through to its end;
//   3. search: a name prefix, a phone fragment and an e-mail fragment, typed with real keys,
//      each timed from the last key to its rows in the list, beside the same page asked of
//      the core alone through the IPC (the floor: what is left is the UI's own cost);
//   4. the resident memory of the app's whole process tree (the app and WebKit's processes).
// And one more launch on the N-profile store as after a crash (health check first).
// Prints a table in the Rust benchmark's columns and writes the figures as JSON beside the
// screenshot in test-output/perf/.
//
//   node tests/perf/app-at-scale.mjs [--profiles N] [--work-dir DIR] [--rounds R]
// `cargo xtask bench --only app` builds the release app and CLI and runs it with
// PDESK_APP / PDESK_CLI set; without them it takes <CARGO_TARGET_DIR or ./target>/release/.

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import {
  forgetSearches,
  scrollListTo,
  shownCount,
  sourceNumber,
  sourceString,
  timeCoreSearch,
  timeSearchKeystroke,
  waitForDailyBackup,
} from "./in-page.mjs";
import { findBelow, treeMemory } from "./proctree.mjs";
import { cachedStore, prepareStore } from "./store.mjs";
import { formatTable, median } from "./table.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const OUT_DIR = path.join(REPO, "test-output", "perf");

/** Search terms as a user types them: a family name's prefix, a phone fragment, an e-mail's start. */
const TERMS = [
  { label: "name prefix", term: "Nguyễn" },
  { label: "phone fragment", term: "0912" },
  { label: "e-mail fragment", term: "tran.thi" },
];
/** Memory samples after the actions, a second apart (the median is reported). */
const MEMORY_SAMPLES = 5;
/** Before sampling: the searches' count queries and the list's renders settle. */
const SETTLE_MS = 3_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function options() {
  const { values } = parseArgs({
    options: {
      profiles: { type: "string", default: "1000000" },
      "work-dir": { type: "string", default: path.join(os.tmpdir(), "pdesk-bench") },
      rounds: { type: "string", default: "3" },
    },
  });
  const profiles = Number(values.profiles);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(profiles) || profiles < 1) throw new Error(`--profiles wants a whole number ≥ 1, got ${values.profiles}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds wants a whole number ≥ 1, got ${values.rounds}`);
  return { profiles, rounds, workDir: values["work-dir"] };
}

/** The release binaries unless PDESK_APP / PDESK_CLI say otherwise (set before the harness loads). */
function useReleaseBinaries() {
  const release = path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, "target"), "release");
  process.env.PDESK_APP ??= path.join(release, "profile-desk");
  process.env.PDESK_CLI ??= path.join(release, "pdesk");
}

/** The app's pid: the profile-desk process WebKitWebDriver started. */
function appPid(app) {
  const found = findBelow(app.driver.pid, "profile-desk");
  if (!found) throw new Error(`No profile-desk process below WebKitWebDriver (pid ${app.driver.pid})`);
  return found.pid;
}

/** Launch → the first rows drawn (ms), from the harness's timing of the launch. */
async function firstRowsMs(harness, app) {
  // The harness stops at the counts; the rows may come a moment later.
  const countsAt = Date.now();
  if (!((await shownCount(app)) > 0)) return app.startMs;
  await harness.until(() => app.browser.execute(() => !!document.querySelector('[data-testid="profile-row"]')), {
    interval: 10,
    message: "the first rows",
  });
  return app.startMs + (Date.now() - countsAt);
}

/** Launches on a store as after a crash (no clean exit recorded) and times the start alone. */
async function uncleanStart(harness, { name, source }) {
  const app = await harness.launchApp({ name, prepare: prepareStore({ source, lastExit: null }) });
  let failed = true;
  try {
    const ms = await firstRowsMs(harness, app);
    failed = false;
    return ms;
  } finally {
    await app.stop({ failed });
  }
}

/**
 * The same sequence on one store: launch, scroll to the end, search (timed when the store
 * has rows), memory. `timed`: record the keystroke and core timings (the store with profiles).
 */
async function session(harness, { name, prepare, rounds, debounceMs, pageSize, cachedIndexes, timed, screenshot }) {
  const app = await harness.launchApp({ name, prepare });
  let failed = true;
  try {
    const result = { startMs: app.startMs, scroll: [], searches: [], memory: null };
    result.firstRowsMs = await firstRowsMs(harness, app);
    result.backup = await waitForDailyBackup(app, { until: harness.until });
    result.afterBackup = treeMemory(appPid(app));

    // Through the list to its end, as a user dragging the scroll bar down.
    for (const fraction of [0.25, 0.5, 0.75, 1]) {
      const started = Date.now();
      const last = await scrollListTo(app, fraction, { until: harness.until });
      result.scroll.push({ fraction, lastIndex: last, ms: Date.now() - started });
    }
    const shown = await shownCount(app);
    const end = result.scroll.at(-1).lastIndex;
    if (shown > 0 && end !== shown - 1) throw new Error(`Scrolled to the end but the last row drawn is ${end} of ${shown}`);

    // A warm-up round first (untimed): each term has been asked once, so SQLite's and the
    // OS's caches are as warm for every timed search, the UI's and the core's. Before each,
    // the core forgets the searches' position indexes: each is a search typed afresh.
    for (let round = 0; round <= rounds; round++) {
      for (const { label, term } of TERMS) {
        if (!timed) {
          // An empty store may show its empty state without a search box: nothing to type into.
          if (!(await (await app.$("search-input")).isDisplayed())) continue;
          await app.type("search-input", term);
          await harness.until(async () => (await shownCount(app)) === 0, { message: `the empty list's answer to ${term}` }).catch(() => undefined);
          continue;
        }
        await forgetSearches(app, cachedIndexes);
        const ui = await timeSearchKeystroke(app, term, { debounceMs });
        await forgetSearches(app, cachedIndexes);
        const core = await timeCoreSearch(app, term, { pageSize });
        if (round > 0) result.searches.push({ label, term, round, ...ui, afterDebounceMs: ui.drawnMs - debounceMs, core });
      }
    }
    if (screenshot) {
      const file = await app.screenshot(screenshot);
      mkdirSync(OUT_DIR, { recursive: true });
      result.screenshot = path.join(OUT_DIR, path.basename(file));
      renameSync(file, result.screenshot);
    }

    await sleep(SETTLE_MS);
    const pid = appPid(app);
    const samples = [];
    for (let i = 0; i < MEMORY_SAMPLES; i++) {
      samples.push(treeMemory(pid));
      await sleep(1000);
    }
    const pick = (key) => median(samples.map((s) => s[key]));
    result.memory = {
      ussMb: pick("ussMb"),
      pssMb: pick("pssMb"),
      rssMb: pick("rssMb"),
      anonMb: pick("anonMb"),
      maxUssMb: Math.max(...samples.map((s) => s.ussMb)),
      processes: samples.at(-1).processes,
    };
    failed = false;
    return result;
  } finally {
    await app.stop({ failed });
  }
}

function figures(profiles, big, empty, unclean, debounceMs) {
  const out = [];
  const n = profiles.toLocaleString("en-US");
  out.push({
    name: `Launch → first rows drawn, ${n} profiles (ms)`,
    value: big.firstRowsMs,
    target: 1000,
    peer: "same, empty store",
    peerValue: empty.firstRowsMs,
    result: `last run closed cleanly; one launch; backup then ${(big.backup.ms / 1000).toFixed(1)} s (${big.backup.state})`,
  });
  out.push({
    name: `Launch → first rows, after a crash, ${n} profiles (ms)`,
    value: unclean,
    target: null,
    peer: "same, empty store",
    peerValue: empty.firstRowsMs,
    result: "no clean exit recorded: quick_check before the store opens",
  });
  const byLabel = (label) => big.searches.filter((s) => s.label === label);
  for (const { label, term } of TERMS) {
    const runs = byLabel(label);
    out.push({
      name: `Search “${term}”: last key → rows − debounce (ms)`,
      value: median(runs.map((s) => s.afterDebounceMs)),
      target: 100,
      peer: "core: list_profiles IPC",
      peerValue: median(runs.map((s) => s.core.listMs)),
      result: `raw ${median(runs.map((s) => s.drawnMs)).toFixed(0)}, applied at ${median(runs.map((s) => s.appliedMs)).toFixed(0)}; core count ${median(runs.map((s) => s.core.countMs)).toFixed(0)} ms; ${runs[0]?.core.filtered ?? "?"} found`,
    });
  }
  out.push({
    name: `Search, ${TERMS.length} terms: last key → rows − debounce (ms)`,
    value: median(big.searches.map((s) => s.afterDebounceMs)),
    target: 100,
    peer: "core: list_profiles IPC",
    peerValue: median(big.searches.map((s) => s.core.listMs)),
    result: `raw ${median(big.searches.map((s) => s.drawnMs)).toFixed(1)} ms (debounce ${debounceMs} ms), ${big.searches.length} searches`,
  });
  const tree = (m) => m.processes.map((p) => `${p.comm} ${p.ussMb.toFixed(0)}`).join(", ");
  out.push({
    name: `App tree memory, USS, ${n} profiles (MB)`,
    value: big.memory.ussMb,
    target: 200,
    peer: "same, empty store",
    peerValue: empty.memory.ussMb,
    result: `${tree(big.memory)}; anonymous ${big.memory.anonMb.toFixed(0)}`,
  });
  out.push({
    name: `App tree memory, PSS, ${n} profiles (MB)`,
    value: big.memory.pssMb,
    target: null,
    peer: "same, empty store",
    peerValue: empty.memory.pssMb,
    result: "libraries counted by their share",
  });
  out.push({
    name: `App tree memory, RSS, ${n} profiles (MB)`,
    value: big.memory.rssMb,
    target: null,
    peer: "same, empty store",
    peerValue: empty.memory.rssMb,
    result: "shared pages counted in every process",
  });
  return out;
}

async function main() {
  const { profiles, rounds, workDir } = options();
  useReleaseBinaries();
  const harness = await import("../e2e/harness.mjs");
  const debounceMs = sourceNumber(REPO, "ui/src/list/list.ts", "SEARCH_MS");
  const pageSize = sourceNumber(REPO, "ui/src/list/virtualTable.ts", "PAGE_SIZE");
  const cachedIndexes = sourceNumber(REPO, "crates/core/src/list.rs", "CACHED_INDEXES");
  const cleanExit = sourceString(REPO, "src-tauri/src/instance.rs", "CLEAN_EXIT");
  mkdirSync(workDir, { recursive: true });
  try {
    const store = await cachedStore(harness, workDir, profiles);
    console.error(`# ${profiles} profiles: launching ${harness.APP}`);
    const common = { rounds, debounceMs, pageSize, cachedIndexes };
    const big = await session(harness, {
      ...common,
      name: `perf-${profiles}`,
      prepare: prepareStore({ source: store, lastExit: cleanExit }),
      timed: true,
      screenshot: `app-${profiles}-after-search`,
    });
    console.error("# empty store: the same actions");
    const empty = await session(harness, {
      ...common,
      name: "perf-empty",
      prepare: prepareStore({ lastExit: cleanExit }),
      timed: false,
      screenshot: null,
    });
    console.error(`# ${profiles} profiles, as after a crash: the start alone`);
    const unclean = await uncleanStart(harness, { name: `perf-${profiles}-unclean`, source: store });
    const table = formatTable(
      `Profile Desk in its window — ${profiles} profiles, release build, Xvfb, medians (${new Date().toISOString().slice(0, 10)})`,
      figures(profiles, big, empty, unclean, debounceMs),
    );
    console.log(table);
    mkdirSync(OUT_DIR, { recursive: true });
    const json = path.join(OUT_DIR, `app-at-scale-${profiles}.json`);
    writeFileSync(
      json,
      JSON.stringify({ profiles, rounds, debounceMs, pageSize, cachedIndexes, app: harness.APP, date: new Date().toISOString(), big, empty, unclean, table }, null, 2) + "\n",
    );
    console.error(`# figures: ${json}${big.screenshot ? `; screenshot: ${big.screenshot}` : ""}`);
  } finally {
    await harness.stopAll();
  }
}

main().catch((err) => {
  console.error(err.stack ?? String(err));
  process.exitCode = 1;
});
