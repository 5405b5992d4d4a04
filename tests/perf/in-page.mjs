// What the benchmark measures inside the page (timed with the page's own clock, so WebDriver's
// round trips are not in the figures): a search keystroke to its rows in the list, the same
// page asked of the core alone through the IPC, and scrolling the list.
//
// The UI's constants are read from its source, so a change there changes the figures' basis
// instead of leaving a guess behind.

import { readFileSync } from "node:fs";
import path from "node:path";

/** `const NAME = <number>` (TypeScript or Rust, optionally typed) from a source file. */
export function sourceNumber(repo, file, name) {
  const found = new RegExp(`const ${name}(?::\\s*\\w+)?\\s*=\\s*([\\d_]+)\\s*;`).exec(readFileSync(path.join(repo, file), "utf8"));
  if (!found) throw new Error(`${file} no longer defines ${name} as a number: update tests/perf/in-page.mjs`);
  return Number(found[1].replace(/_/g, ""));
}

/** `const NAME: &str = "<text>"` from a Rust source file. */
export function sourceString(repo, file, name) {
  const found = new RegExp(`const ${name}: &str = "([^"]*)";`).exec(readFileSync(path.join(repo, file), "utf8"));
  if (!found) throw new Error(`${file} no longer defines ${name} as a string: update tests/perf/in-page.mjs`);
  return found[1];
}

/**
 * Arms a watch of the list's rows before the search is typed (run in the page). It notes the
 * time of every `input` event of the search box; the search is applied `debounceMs` after the
 * last one, which empties the list's row layer (a new query forgets the old rows) before its
 * first page is drawn. The watch resolves at the first change of the layer that puts rows in
 * it after such an emptying, no earlier than `debounceMs` after the last key — so rows of an
 * earlier, shorter search that arrive while the keys are still coming do not count. Times are
 * taken in the MutationObserver's callback: the rows are in the DOM, before the next paint.
 */
function armRowsWatch(debounceMs, timeoutMs) {
  const input = document.querySelector('[data-testid="search-input"]');
  const layer = document.querySelector('[data-testid="profile-table"] .vt-layer');
  if (!input || !layer) return "no search box or list";
  const keys = [];
  const onInput = () => keys.push(performance.now());
  input.addEventListener("input", onInput, true);
  window.__pdeskPerfRows = new Promise((resolve) => {
    let emptied = null;
    const observer = new MutationObserver(() => {
      const now = performance.now();
      const last = keys[keys.length - 1];
      // setTimeout never fires early; 1 ms covers the clock's rounding.
      if (last === undefined || now < last + debounceMs - 1) return;
      const rows = layer.querySelectorAll('[data-testid="profile-row"]').length;
      if (emptied === null) {
        if (rows === 0) emptied = now;
        return;
      }
      if (rows > 0) finish({ drawnMs: now - last, appliedMs: emptied - last, typingMs: last - keys[0], keys: keys.length, rows });
    });
    const timer = setTimeout(() => finish({ error: `no rows within ${timeoutMs} ms of the last key (${keys.length} keys seen)` }), timeoutMs);
    function finish(result) {
      observer.disconnect();
      clearTimeout(timer);
      input.removeEventListener("input", onInput, true);
      resolve(result);
    }
    observer.observe(layer, { childList: true });
  });
  return "armed";
}

/**
 * Types `term` into the list's search box with real key events (WebDriver) and returns
 * { drawnMs, appliedMs, typingMs, keys, rows }: last key → the search's first rows in the list,
 * and last key → the list emptied for the new query (the debounce's timer as it really fired).
 */
export async function timeSearchKeystroke(app, term, { debounceMs, timeoutMs = 20_000 }) {
  const armed = await app.browser.execute(armRowsWatch, debounceMs, timeoutMs);
  if (armed !== "armed") throw new Error(`Could not watch the list: ${armed}`);
  await app.type("search-input", term);
  const result = await app.browser.execute(() => window.__pdeskPerfRows);
  if (result.error) throw new Error(`Search ${JSON.stringify(term)}: ${result.error}`);
  return result;
}

/**
 * Makes the core forget the position indexes of earlier searches (run from the page): it keeps
 * `slots` of them (`CACHED_INDEXES` in crates/core/src/list.rs), so counting that many other
 * searches, each matching nothing, pushes every earlier one out. A search measured after this
 * is one the user types for the first time since the data changed — the index its count
 * builds is part of its cost, for the UI and for the floor alike.
 */
export async function forgetSearches(app, slots) {
  await app.browser.execute(async (n) => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const minutes = -new Date().getTimezoneOffset();
    for (let i = 0; i < n; i++) {
      const query = { search: `qxzv${"q".repeat(i)}`, filter: [], sort: null, utcOffsetMinutes: minutes === 0 ? 0 : minutes };
      await invoke("count_profiles", { query });
    }
  }, slots);
}

/**
 * The floor of a search: the first page the list asks for (`list_profiles`: offset 0, a page,
 * the list's columns, the query the search box makes), asked of the core alone through the
 * IPC from the page and timed there; then the counts the list asks for beside it
 * (`count_profiles`, which builds the search's position index), timed apart. Tauri's
 * `invoke` is what `ui/src/ipc` calls.
 */
export async function timeCoreSearch(app, term, { pageSize }) {
  return app.browser.execute(
    async (search, limit) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      const row = document.querySelector('[data-testid="profile-row"]');
      const columns = row ? [...row.querySelectorAll("[data-col]")].map((c) => c.getAttribute("data-col")) : [];
      const minutes = -new Date().getTimezoneOffset();
      const query = { search: search.trim(), filter: [], sort: null, utcOffsetMinutes: minutes === 0 ? 0 : minutes };
      const t0 = performance.now();
      const page = await invoke("list_profiles", { query, offset: 0, limit, columns });
      const t1 = performance.now();
      const counts = await invoke("count_profiles", { query });
      const t2 = performance.now();
      return { listMs: t1 - t0, countMs: t2 - t1, rows: page.rows.length, filtered: counts.filtered, columns: columns.length };
    },
    term,
    pageSize,
  );
}

/** The list's row count as shown (count-filtered), or null when the list shows none. */
export async function shownCount(app) {
  const text = await app.text("count-filtered");
  return text && /\d/.test(text) ? Number(text.replace(/[^\d]/g, "")) : null;
}

/**
 * Scrolls the list to `fraction` of its height (1 = the end) and waits until the rows there are
 * drawn (no placeholder left); returns the highest row index drawn, or null when the list has
 * no rows to draw (an empty store: it is scrolled all the same).
 */
export async function scrollListTo(app, fraction, { until, timeout = 30_000 }) {
  const empty = !((await shownCount(app)) > 0);
  const scrolled = await app.browser.execute((f) => {
    const scroller = document.querySelector('[data-testid="profile-table"]');
    if (!scroller || scroller.offsetParent === null) return false;
    scroller.scrollTop = f * (scroller.scrollHeight - scroller.clientHeight);
    scroller.dispatchEvent(new Event("scroll"));
    return true;
  }, fraction);
  if (!scrolled || empty) return null;
  const drawn = await until(
    () =>
      app.browser.execute(() => {
        const layer = document.querySelector('[data-testid="profile-table"] .vt-layer');
        const rows = [...layer.querySelectorAll('[data-testid="profile-row"]')];
        if (rows.length === 0 || layer.querySelector(".placeholder")) return null;
        return { last: Math.max(...rows.map((r) => Number(r.getAttribute("data-index")))) };
      }),
    { timeout, message: `the list's rows at ${Math.round(fraction * 100)} % of its height` },
  );
  return drawn.last;
}

/**
 * Waits for the app's daily backup, which starts after the list's first page (a new store's
 * first start always takes one), to end — so that what is measured next does not share the
 * machine with it. Returns { state, ms } ("done", "failed", or "notDue" when none started
 * within `quietMs`), asked through the `startup_status` command the UI boots with.
 */
export async function waitForDailyBackup(app, { until, quietMs = 8_000, timeout = 300_000 }) {
  const started = Date.now();
  const state = await until(
    async () => {
      const status = await app.browser.execute(() => window.__TAURI_INTERNALS__.invoke("startup_status"));
      const s = status?.autoBackup?.state ?? "unknown";
      if (s === "done" || s === "failed") return s;
      return s === "notDue" && Date.now() - started > quietMs ? s : null;
    },
    { timeout, interval: 250, message: "the daily backup to end" },
  );
  return { state, ms: Date.now() - started };
}
