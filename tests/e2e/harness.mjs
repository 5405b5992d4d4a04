// End-to-end harness: drives the REAL Profile Desk binary in a real window
// through WebKitWebDriver (no tauri-driver needed), under Xvfb when no display
// is available. Every launch gets a fresh temp folder holding its database and
// the XDG folders WebKit writes to, so tests never share state.
//
//   const app = await launchApp({ seed: 2000 });   // optional CLI pre-seed
//   try { await app.click('create-profile-button'); ... } finally { await app.stop(); }
//
// Every wait is bounded: a hung app fails the test instead of hanging CI.
// Binaries: PDESK_APP / PDESK_CLI, else <CARGO_TARGET_DIR or ./target>/debug/{profile-desk,pdesk}.
// Keep a failing run's temp folder with PDESK_E2E_KEEP=1.

import { spawn, execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { remote } from "webdriverio";

const execFileP = promisify(execFile);

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(REPO, "target");
export const APP = process.env.PDESK_APP ?? path.join(TARGET, "debug", "profile-desk");
export const CLI = process.env.PDESK_CLI ?? path.join(TARGET, "debug", "pdesk");
/** The reference CDP server, built beside `pdesk` by the workspace's tests. */
export const SERVER = process.env.PDESK_SERVER ?? path.join(path.dirname(CLI), "pdesk-server");
export const OUT_DIR = path.join(REPO, "test-output", "e2e");

/** Default bound for a single wait (element, text, toast…). */
export const WAIT_MS = 15_000;
/** Per-test bound for node:test (`test(name, { timeout: TEST_TIMEOUT }, fn)`). */
export const TEST_TIMEOUT = 120_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects with a clear message when `promise` does not settle within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `fn` until it returns a truthy value; returns that value or throws after `ms`. */
export async function until(fn, { timeout = WAIT_MS, interval = 100, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastErr;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const detail = lastErr ? ` (last error: ${lastErr.message})` : "";
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}${detail}`);
    }
    await sleep(interval);
  }
}

// ---- processes ---------------------------------------------------------------

/** Child processes started here, killed (by process group) on stop and on exit. */
const children = new Set();

function startProcess(cmd, args, env, name) {
  // Own process group, so a kill also reaches what it spawned (the app under WebKitWebDriver).
  const child = spawn(cmd, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.name = name;
  child.output = "";
  const keep = (chunk) => {
    child.output += chunk.toString();
    if (child.output.length > 64_000) child.output = child.output.slice(-32_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.once("error", (err) => {
    child.output += `\n[spawn error] ${err.message}`;
  });
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

function signalGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

async function stopProcess(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child, "SIGTERM");
  const done = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    signalGroup(child, "SIGKILL");
    await Promise.race([child.exited, sleep(2000)]);
  }
}

// Last resort if a test process dies without running its after hooks.
process.once("exit", () => {
  for (const child of children) signalGroup(child, "SIGKILL");
});

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
    sock.setTimeout(1000, () => {
      sock.destroy();
      resolve(false);
    });
  });
}

// ---- display -------------------------------------------------------------------

let display = null; // { name, proc|null }

/** The X display to use: $DISPLAY when set, else a private Xvfb started once per test file. */
export async function ensureDisplay() {
  if (display) return display.name;
  if (process.env.DISPLAY) {
    display = { name: process.env.DISPLAY, proc: null };
    return display.name;
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const n = 100 + Math.floor(Math.random() * 800);
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const proc = startProcess("Xvfb", [`:${n}`, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], process.env, "Xvfb");
    const ready = await Promise.race([
      until(() => existsSync(`/tmp/.X11-unix/X${n}`), { timeout: 10_000, interval: 50, message: `Xvfb :${n}` }).then(
        () => true,
        () => false,
      ),
      proc.exited.then(() => false),
    ]);
    if (ready && proc.exitCode === null) {
      display = { name: `:${n}`, proc };
      return display.name;
    }
    await stopProcess(proc);
  }
  throw new Error("Could not start Xvfb on a free display");
}

/** The X display in use (after a launch), e.g. ":123". */
export function currentDisplay() {
  return display?.name ?? process.env.DISPLAY ?? null;
}

/** Stops the Xvfb this file started (no-op when $DISPLAY was given). */
export async function stopDisplay() {
  if (display?.proc) await stopProcess(display.proc);
  display = null;
}

/**
 * File-level cleanup for `after(stopAll)`: ends every process this file
 * started that is still running (e.g. after a test timed out mid-way), then Xvfb.
 */
export async function stopAll() {
  for (const app of [...liveApps]) await app.stop({ failed: true });
  const xvfb = display?.proc;
  await Promise.all([...children].filter((c) => c !== xvfb).map((c) => stopProcess(c)));
  await stopDisplay();
}

// ---- CLI -----------------------------------------------------------------------

/** The administrator every launched store gets (unless `firstRun`), and their password. */
export const ADMIN = "admin";
export const ADMIN_PASSWORD = "e2e admin password";

/** The password the harness gives a user it adds (`users` option of launchApp). */
export function passwordOf(name) {
  return name === ADMIN ? ADMIN_PASSWORD : `${name} e2e password`;
}

/**
 * Runs `pdesk --db <db> ...args` as the administrator (PDESK_PASSWORD); returns stdout (parsed
 * when `--json` is among args). `newPassword` feeds commands that set one (PDESK_NEW_PASSWORD).
 */
export async function cli(db, args, { timeout = 60_000, newPassword = null, password = ADMIN_PASSWORD, env: extra = {} } = {}) {
  const env = { ...process.env, PDESK_PASSWORD: password, ...extra };
  if (newPassword) env.PDESK_NEW_PASSWORD = newPassword;
  else delete env.PDESK_NEW_PASSWORD;
  const { stdout } = await execFileP(CLI, ["--db", db, ...args], { timeout, env, maxBuffer: 32 * 1024 * 1024 });
  return args.includes("--json") ? JSON.parse(stdout) : stdout;
}

// ---- sync: a keychain and a server -------------------------------------------------

/**
 * A private D-Bus session with an unlocked GNOME Keyring in `dir` — a real Secret Service for
 * the app (and `pdesk`) to keep a sync device's token in, never the keyring of the computer
 * running the tests. Returns { vars, stop }: `vars` is the environment that reaches it.
 */
export async function startKeyring(dir) {
  const home = path.join(dir, "keyring-home");
  for (const sub of ["data", "run"]) mkdirSync(path.join(home, sub), { recursive: true, mode: 0o700 });
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, "data"), XDG_RUNTIME_DIR: path.join(home, "run") };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const bus = startProcess("dbus-daemon", ["--session", "--nofork", "--print-address=1"], env, "dbus-daemon");
  const address = await until(() => bus.output.split("\n")[0].trim() || null, {
    timeout: 10_000,
    message: "the private D-Bus session's address",
  });
  env.DBUS_SESSION_BUS_ADDRESS = address;
  await execFileP("sh", ["-c", "printf test | gnome-keyring-daemon --unlock --components=secrets"], { env, timeout: 10_000 });
  return { vars: { DBUS_SESSION_BUS_ADDRESS: address }, stop: () => stopProcess(bus) };
}

export const SERVER_PASSWORD = "server e2e password";

/**
 * A real `pdesk-server` on a free loopback port, on a new SQLite database in `dir`, with the
 * administrator ADMIN / SERVER_PASSWORD. Returns { url, stop, start, setRole, addLink, admin }.
 */
export async function startSyncServer(dir) {
  if (!existsSync(SERVER)) throw new Error(`Missing ${SERVER} (set PDESK_SERVER): cargo build -p pdesk-server`);
  const db = path.join(dir, "server.db");
  const env = { ...process.env, PDESK_SERVER_PASSWORD: SERVER_PASSWORD };
  await execFileP(SERVER, ["init", "--db", db, "--admin", ADMIN], { env, timeout: 30_000 });
  const port = await freePort();
  let proc = null;
  const start = async () => {
    proc = startProcess(SERVER, ["serve", "--db", db, "--listen", `127.0.0.1:${port}`], env, "pdesk-server");
    await until(async () => (proc.exitCode !== null ? Promise.reject(new Error(proc.output)) : portOpen(port)), {
      timeout: 10_000,
      message: `pdesk-server on port ${port}`,
    });
  };
  await start();
  // `stop` then `start` again: the same server (database, port) back after an outage.
  // `setRole`: what an administrator of the server does with `pdesk-server user set-role`.
  const setRole = (name, role) => execFileP(SERVER, ["user", "set-role", name, role, "--db", db], { env, timeout: 30_000 });
  // `addLink`: the CRM links an account, opportunity, ticket or task to the profile holding
  // `identifier` (`pdesk-server link add`).
  const addLink = (identifier, kind, title) =>
    execFileP(SERVER, ["link", "add", "--profile", identifier, "--kind", kind, "--title", title, "--db", db], { env, timeout: 30_000 });
  // `admin`: any other `pdesk-server` command on this server's database (`config show`, …).
  const admin = (args) => execFileP(SERVER, [...args, "--db", db], { env, timeout: 30_000 });
  return { url: `http://127.0.0.1:${port}`, stop: () => stopProcess(proc), start, setRole, addLink, admin };
}

// ---- the app -------------------------------------------------------------------

function checkBinaries(needCli, app = APP) {
  const missing = [[app, "PDESK_APP"], ...(needCli ? [[CLI, "PDESK_CLI"]] : [])].filter(([p]) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `Missing binary ${missing.map(([p, v]) => `${p} (set ${v})`).join(", ")}. Build it first: ` +
        "npm run build && cargo build -p profile-desk --features custom-protocol,e2e-hooks && cargo build -p pdesk-cli",
    );
  }
}

function safeName(text) {
  return text.replace(/[^a-z0-9._-]+/gi, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "shot";
}

/** Folders a test file writes its own files in (pasted rows, saved exports, a server's store). */
const scratchDirs = [];
process.on("exit", () => {
  if (process.env.PDESK_E2E_KEEP) return;
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new folder for a test's own files, removed when the test file's process ends (kept with
 * PDESK_E2E_KEEP, as the apps' folders are when a test fails).
 */
export function scratchDir(name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pdesk-e2e-${safeName(name)}-`));
  scratchDirs.push(dir);
  return dir;
}

/**
 * Starts the app on a fresh store. Options:
 *   seed: number of generated profiles to add first with `pdesk seed-demo`
 *   name: label for the temp folder and failure screenshots
 *   firstRun: leave the store new, so the app opens on the first-run screen (otherwise the
 *     harness sets up the administrator ADMIN / ADMIN_PASSWORD with `pdesk init --admin`)
 *   users: more users to add with `pdesk user add`, e.g. [{ name: "sam", role: "Sales" }]
 *     (password: passwordOf(name))
 *   signInAs: the user to sign in as through the sign-in screen, which every start shows
 *     (default ADMIN; false: stay on the sign-in screen)
 *   env: extra environment for the app (e.g. the native-dialog bypass PROFILE_DESK_E2E_PICK)
 *   prepare: async (db, dir) => … run after seeding, before the app starts (e.g. damage the file)
 *   demo: start in demo mode (`--demo`: no --db; the app opens its own demo database)
 *   useDb: false starts the app without --db / PROFILE_DESK_DB, on its default data folder
 *          (inside the launch's XDG_DATA_HOME unless `env` says otherwise)
 *   ready: "list" (default: the list has its counts) or "recovery" (the damaged-database screen)
 *   binary: the app to start (default APP; the installer test passes the installed one)
 *   keyring: give the app a real Secret Service of its own (startKeyring); `app.keyring.vars`
 *     lets `cli(…, { env })` reach it too
 * Resolves once the list screen has its counts (or the first-run / recovery screen is shown);
 * returns an App handle.
 */
export async function launchApp({
  seed = 0,
  name = "app",
  firstRun = false,
  users = [],
  signInAs = null,
  env: extraEnv = {},
  prepare = null,
  demo = false,
  useDb = true,
  ready = "list",
  binary = APP,
  keyring = false,
} = {}) {
  checkBinaries(true, binary);
  const dir = mkdtempSync(path.join(os.tmpdir(), `pdesk-e2e-${safeName(name)}-`));
  const db = path.join(dir, "profiles.db");
  const xdg = {};
  for (const k of ["XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"]) {
    xdg[k] = path.join(dir, k.toLowerCase());
    mkdirSync(xdg[k], { recursive: true, mode: 0o700 });
  }
  const app = new App(name, dir, db);
  liveApps.add(app);
  try {
    if (!firstRun) {
      await cli(db, ["init", "--admin", ADMIN, "--display-name", "Admin"], { newPassword: ADMIN_PASSWORD });
    }
    for (const u of users) {
      await cli(db, ["user", "add", u.name, "--role", u.role, "--display-name", u.displayName ?? u.name], {
        newPassword: passwordOf(u.name),
      });
    }
    if (seed > 0) await cli(db, ["seed-demo", "--profiles", String(seed)], { timeout: 90_000 });
    if (prepare) await prepare(db, dir);
    if (keyring) app.keyring = await startKeyring(dir);
    const displayName = await ensureDisplay();
    const port = await freePort();
    const env = {
      ...process.env,
      ...xdg,
      DISPLAY: displayName,
      TAURI_WEBVIEW_AUTOMATION: "true",
      // No accessibility bus under Xvfb: keeps GTK from waiting for one.
      NO_AT_BRIDGE: "1",
      GTK_A11Y: "none",
    };
    // Every start asks for the password (even the store's only user's); demo mode and the
    // recovery screen come before any sign-in.
    const asksPassword = !firstRun && !demo && ready !== "recovery";
    const user = signInAs === false ? null : (signInAs ?? (asksPassword ? ADMIN : null));
    const ownDb = useDb && !demo;
    if (ownDb) env.PROFILE_DESK_DB = db;
    if (app.keyring) Object.assign(env, app.keyring.vars);
    Object.assign(env, extraEnv);
    delete env.WAYLAND_DISPLAY;
    app.driver = startProcess("WebKitWebDriver", [`--port=${port}`], env, "WebKitWebDriver");
    await until(async () => (app.driver.exitCode !== null ? Promise.reject(new Error("exited")) : portOpen(port)), {
      timeout: 10_000,
      message: `WebKitWebDriver on port ${port}`,
    });
    const args = [...(demo ? ["--demo"] : []), ...(ownDb ? ["--db", db] : []), ...(user ? ["--user", user] : [])];
    const launched = Date.now();
    app.browser = await withTimeout(
      remote({
        hostname: "127.0.0.1",
        port,
        path: "/",
        logLevel: "error",
        connectionRetryCount: 0,
        connectionRetryTimeout: 30_000,
        waitforTimeout: WAIT_MS,
        capabilities: { "webkitgtk:browserOptions": { binary, args } },
      }),
      40_000,
      "WebDriver session (the app did not start)",
    );
    if (firstRun || signInAs === false) {
      await app.waitFor(firstRun ? "first-run" : "sign-in", { timeout: 20_000 });
      return app;
    }
    // What the user waits for, without the time the test takes to type the password.
    let typingMs = 0;
    if (user) {
      await app.waitFor("sign-in", { timeout: 20_000 });
      const shown = Date.now();
      typingMs = (await app.signIn(user)) - shown;
    }
    // Booted: the list asked the core for its counts (or the boot failed visibly).
    const bootState = () =>
      app.browser
        .execute(() => `${location.href} — ${(document.body?.innerText ?? "").slice(0, 300)}`)
        .catch((e) => e.message);
    await until(
      () =>
        app.browser.execute((want) => {
          const banner = document.querySelector('[data-testid="error-banner"]');
          if (banner) return `error: ${banner.textContent}`;
          if (document.querySelector('[data-testid="recovery-screen"]')) return want === "recovery" ? "ok" : "recovery screen";
          const total = document.querySelector('[data-testid="count-total"]');
          return want === "list" && total && /\d/.test(total.textContent ?? "") ? "ok" : null;
        }, ready),
      { timeout: 20_000, message: "the app's list to load" },
    ).then(
      (state) => {
        if (state !== "ok") throw new Error(`The app did not start cleanly: ${state}`);
        // Issue 18: printed, never asserted (a loaded CI machine is not a benchmark).
        if (ready === "list") {
          app.startMs = Date.now() - launched - typingMs;
          console.log(`# start-up of ${name}: launch → rows drawn in ${app.startMs} ms (not counting ${typingMs} ms of typing the password)`);
        }
      },
      async (err) => {
        // A binary built without `--features custom-protocol` shows "connection refused" for the dev server.
        err.message += ` — page: ${await bootState()} (is ${binary} built with --features custom-protocol?)`;
        throw err;
      },
    );
    return app;
  } catch (err) {
    await app.stop({ failed: true });
    const output = app.driver?.output?.trim();
    if (output) err.message += `\n--- WebKitWebDriver/app output ---\n${output.slice(-4000)}`;
    throw err;
  }
}

const sel = (testid) => `[data-testid="${testid}"]`;
export { sel };

/** Apps launched and not stopped yet (for stopAll). */
const liveApps = new Set();

/**
 * Launches the app, runs `fn(app)` and always stops it; on failure a
 * screenshot FAILED-<name>.png lands in test-output/e2e/.
 */
export async function withApp(options, fn) {
  const app = await launchApp(options);
  let failed = true;
  try {
    await fn(app);
    failed = false;
  } finally {
    await app.stop({ failed });
  }
}

class App {
  constructor(name, dir, db) {
    this.name = name;
    this.dir = dir;
    this.db = db;
    this.driver = null;
    this.browser = null;
    this.keyring = null;
    this.stopped = false;
    /** Launch → the list's rows drawn, in ms (printed, never asserted). */
    this.startMs = null;
  }

  /** Ends the session, the driver (and with it the app) and removes the temp folder. Safe to call twice. */
  async stop({ failed = false } = {}) {
    if (this.stopped) return;
    this.stopped = true;
    liveApps.delete(this);
    if (this.browser) {
      if (failed) await this.screenshot(`FAILED-${this.name}`).catch(() => undefined);
      await withTimeout(this.browser.deleteSession(), 10_000, "deleteSession").catch(() => undefined);
      this.browser = null;
    }
    await stopProcess(this.driver);
    await this.keyring?.stop();
    if (!(failed && process.env.PDESK_E2E_KEEP)) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Signs `user` in through the sign-in screen with the harness's password for them; when
   *  the form was submitted (Date.now()). */
  async signIn(user, password = passwordOf(user)) {
    await this.waitFor("sign-in", { timeout: 20_000 });
    await this.select("sign-in-user", user);
    await this.type("sign-in-password", password);
    const submitted = Date.now();
    await this.click("sign-in-submit");
    await this.waitGone("sign-in");
    return submitted;
  }

  // ---- finding things -------------------------------------------------------

  /** The element with this data-testid (optionally inside `within`, a testid or selector). */
  $(testid, within = null) {
    const selector = within ? `${within.startsWith("[") ? within : sel(within)} ${sel(testid)}` : sel(testid);
    return this.browser.$(selector);
  }

  async waitFor(testid, { timeout = WAIT_MS, within = null } = {}) {
    const el = await this.$(testid, within);
    await el.waitForDisplayed({ timeout, timeoutMsg: `[data-testid=${testid}] not displayed after ${timeout} ms` });
    return el;
  }

  async waitGone(testid, { timeout = WAIT_MS } = {}) {
    await until(async () => !(await (await this.$(testid)).isDisplayed()), {
      timeout,
      message: `[data-testid=${testid}] to disappear`,
    });
  }

  /** textContent of the first [data-testid=…] (trimmed), or null when absent. */
  text(selector) {
    const s = selector.startsWith("[") || selector.includes(" ") ? selector : sel(selector);
    return this.browser.execute((q) => {
      const el = document.querySelector(q);
      return el ? (el.textContent ?? "").trim() : null;
    }, s);
  }

  /** Waits until the text of `selector` satisfies `test` (string: includes; RegExp; function). Returns the text. */
  async waitForText(selector, expected, { timeout = WAIT_MS } = {}) {
    const ok =
      typeof expected === "function"
        ? expected
        : expected instanceof RegExp
          ? (t) => expected.test(t)
          : (t) => t.includes(expected);
    let last = null;
    try {
      await until(
        async () => {
          last = await this.text(selector);
          return last !== null && ok(last);
        },
        { timeout, message: `${selector} text ${expected}` },
      );
    } catch (err) {
      err.message += ` — last text: ${JSON.stringify(last)}`;
      throw err;
    }
    return last;
  }

  /** Texts of every toast currently shown (the message, without an action button's label). */
  toasts() {
    return this.browser.execute(() =>
      [...document.querySelectorAll('[data-testid="toast"]')].map((t) => (t.querySelector(".toast-text")?.textContent ?? t.textContent ?? "").trim()),
    );
  }

  /**
   * Dismisses every toast shown (their × button). Toasts sit bottom-right
   * for 6 s, over the wizard's Continue/Save buttons: a click there would be
   * intercepted.
   */
  async dismissToasts() {
    // The × of each, never a toast's action ("Open merge review"); again while waiting, for a
    // toast drawn after the first look (a command's answer arriving just then).
    await until(
      async () => {
        for (const button of await this.browser.$$('[data-testid="toast"] button:not([data-testid="toast-action"])')) {
          if (await button.isDisplayed().catch(() => false)) await button.click().catch(() => undefined);
        }
        return (await this.toasts()).length === 0;
      },
      { timeout: 5_000, message: "the toasts to go" },
    );
  }

  /** Chooses `lang` ("vi", "en") in the user menu and waits until the UI is drawn again in it. */
  async chooseLanguage(lang) {
    await this.dismissToasts();
    await this.click("current-user");
    await this.click(`language-${lang}`);
    await until(async () => (await this.browser.execute(() => document.documentElement.lang)) === lang, {
      message: `the UI drawn again in ${lang}`,
    });
  }

  /** Create new Profile → `item` ("import-upload-file", "import-paste-data"): the import wizard. */
  async openImport(item) {
    await this.dismissToasts();
    await this.click("create-profile-button");
    await this.click(item);
    await this.waitFor("import-wizard");
  }

  /** Chooses the file the test hook picks (PROFILE_DESK_E2E_PICK) and waits until it is `state`. */
  async chooseFile(state = "ready") {
    await this.click("import-choose-files");
    await until(async () => (await (await this.$("import-file-0")).getAttribute("data-state")) === state, {
      message: `the chosen file to be ${state === "ready" ? "inspected" : state}`,
    });
  }

  /**
   * Upload file with the picked file, through the suggested mapping and no consent, to the dry
   * run's Check step. `at(step)` runs on each step ("upload", "mapping", "consent", "check"),
   * for screenshots and checks.
   */
  async uploadToCheck({ at = async () => {} } = {}) {
    await this.openImport("import-upload-file");
    await this.chooseFile();
    await at("upload");
    await this.click("import-continue");
    await this.waitFor("mapping-grid");
    await at("mapping");
    await this.click("import-continue");
    await this.waitFor("import-consent-email");
    await at("consent");
    await this.click("import-continue");
    await this.waitFor("dry-run-counts", { timeout: 30_000 });
    await at("check");
  }

  /** Waits for a toast whose text satisfies `expected` (RegExp or substring); returns its text. */
  async waitForToast(expected, { timeout = WAIT_MS } = {}) {
    const ok =
      typeof expected === "function"
        ? expected
        : expected instanceof RegExp
          ? (t) => expected.test(t)
          : (t) => t.includes(expected);
    let seen = [];
    try {
      return await until(
        async () => {
          seen = await this.toasts();
          return seen.find(ok);
        },
        { timeout, message: `a toast matching ${expected}` },
      );
    } catch (err) {
      const banner = await this.text("error-banner").catch(() => null);
      err.message += ` — toasts seen: ${JSON.stringify(seen)}${banner ? `; error banner: ${banner}` : ""}`;
      throw err;
    }
  }

  // ---- acting ---------------------------------------------------------------

  async click(testid, { within = null, timeout = WAIT_MS } = {}) {
    const el = await this.$(testid, within);
    await el.waitForClickable({ timeout, timeoutMsg: `[data-testid=${testid}] not clickable after ${timeout} ms` });
    // A disabled button takes the click and does nothing: wait until it is enabled (a section
    // that enables it when it is drawn again, e.g. after Resume, must not lose the click).
    await el.waitForEnabled({ timeout, timeoutMsg: `[data-testid=${testid}] not enabled after ${timeout} ms` });
    await el.click();
    return el;
  }

  /**
   * Clicks `testid` until `shown` is displayed: a section that a status event draws again (Settings
   * → Remote CDP, each sync round) may replace the button between finding it and the click.
   */
  async clickUntilShown(testid, shown, { timeout = WAIT_MS } = {}) {
    await until(
      async () => {
        await (await this.$(testid)).click().catch(() => undefined);
        return (await this.$(shown)).isDisplayed().catch(() => false);
      },
      { timeout, interval: 500, message: `[data-testid=${shown}] after clicking [data-testid=${testid}]` },
    );
    return this.$(shown);
  }

  /**
   * Types `text` into the input with this testid with real key events
   * (replacing what was there) and checks the field really holds it.
   */
  async type(testid, text, { within = null, timeout = WAIT_MS } = {}) {
    const el = await this.$(testid, within);
    await el.waitForDisplayed({ timeout, timeoutMsg: `[data-testid=${testid}] not displayed after ${timeout} ms` });
    if (text === "") {
      // As a person clears a field (WebDriver's own clear fires no input event): select all, delete.
      await el.click();
      await this.browser.keys(["Control", "a"]);
      await this.browser.keys(["Backspace"]);
    } else {
      await el.clearValue();
      await el.setValue(text);
    }
    const value = await el.getValue();
    if (value !== text) {
      throw new Error(`Typed ${JSON.stringify(text)} into [data-testid=${testid}] but it holds ${JSON.stringify(value)}`);
    }
    return el;
  }

  /** Picks an <option> of a select by its value. */
  async select(testid, value, { within = null } = {}) {
    const el = await this.waitFor(testid, { within });
    await el.selectByAttribute("value", value);
    const now = await el.getValue();
    if (now !== value) throw new Error(`[data-testid=${testid}] is ${JSON.stringify(now)}, wanted ${JSON.stringify(value)}`);
    return el;
  }

  /** Counts as shown: { total: "2,001", filtered: "2,001" }. */
  async counts() {
    return { total: await this.text("count-total"), filtered: await this.text("count-filtered") };
  }

  /** Rendered list rows: [{ id, cells: { key: text } }] in DOM order. */
  rows() {
    return this.browser.execute(() =>
      [...document.querySelectorAll('[data-testid="profile-row"]')].map((r) => ({
        id: Number(r.getAttribute("data-id")),
        index: Number(r.getAttribute("data-index")),
        cells: Object.fromEntries(
          [...r.querySelectorAll("[data-col]")].map((c) => [c.getAttribute("data-col"), c.textContent ?? ""]),
        ),
      })),
    );
  }

  /**
   * Searches and waits until the list shows that search's result: first an
   * impossible search (the no-match state), so that a result equal to the
   * previous one cannot be mistaken for the new one; then `text`, waiting for
   * count-filtered to equal `expectFiltered` (a formatted count, e.g. "1")
   * and for the rows to be rendered. Returns the rendered rows.
   */
  async search(text, { expectFiltered }) {
    await this.type("search-input", "zzzz-no-such-profile-qqqq");
    await this.waitFor("no-match");
    await this.waitForText("count-filtered", (t) => t === "0");
    await this.type("search-input", text);
    await this.waitForText("count-filtered", (t) => t === expectFiltered);
    const want = Number(expectFiltered.replace(/,/g, ""));
    return until(
      async () => {
        const rows = await this.rows();
        // Only the rows in view are rendered: at least one when something matched.
        return (want === 0 ? rows.length === 0 : rows.length > 0 && rows.length <= want) ? rows : null;
      },
      { message: `the rows of the search ${JSON.stringify(text)}` },
    );
  }

  // ---- screenshots ------------------------------------------------------------

  /**
   * Waits for the webview to paint what the DOM holds now. WebKitGTK under
   * Xvfb renders only a few frames per second, and a WebDriver screenshot
   * taken right after a DOM change shows an older frame: one animation frame
   * (plus a task) guarantees a rendering update happened since.
   */
  async settle() {
    await withTimeout(
      this.browser.execute(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))),
      5_000,
      "a rendered frame",
    ).catch(() => sleep(1000));
  }

  /**
   * Saves a PNG of the window under test-output/e2e/<name>.png. Uses the
   * WebDriver screenshot (the webview) and falls back to `import -window root`
   * on the X display. Returns the file path.
   */
  async screenshot(name) {
    mkdirSync(OUT_DIR, { recursive: true });
    const file = path.join(OUT_DIR, `${safeName(name)}.png`);
    await this.settle();
    // WebKitGTK's snapshot waits for the next rendered frame, and a page with nothing moving
    // (no caret, no animation) renders none: the snapshot then hangs until its timeout. A 1 px,
    // practically transparent element that changes every frame keeps frames coming while the
    // snapshot is taken; it removes itself.
    await this.browser
      .execute(() => {
        const tick = document.createElement("div");
        tick.setAttribute("aria-hidden", "true");
        tick.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0.01";
        document.body.appendChild(tick);
        const started = performance.now();
        const step = (now) => {
          tick.style.opacity = tick.style.opacity === "0.01" ? "0.02" : "0.01";
          if (now - started < 3000) requestAnimationFrame(step);
          else tick.remove();
        };
        requestAnimationFrame(step);
      })
      .catch(() => undefined);
    // The image comes as data and is written here, so a late answer of a snapshot that timed
    // out can never overwrite the fallback's file with a later frame of the window.
    const png = await withTimeout(this.browser.takeScreenshot(), 15_000, "takeScreenshot").catch(() => null);
    if (png) {
      writeFileSync(file, Buffer.from(png, "base64"));
    } else {
      await execFileP("import", ["-window", "root", file], {
        env: { ...process.env, DISPLAY: display?.name ?? process.env.DISPLAY },
        timeout: 15_000,
      });
    }
    return file;
  }

  /** Writes a text file next to the screenshots (e.g. a DOM dump when debugging). */
  writeArtifact(name, content) {
    mkdirSync(OUT_DIR, { recursive: true });
    const file = path.join(OUT_DIR, safeName(name));
    writeFileSync(file, content);
    return file;
  }
}

// ---- common flows --------------------------------------------------------------

/** Opens the create wizard through the top bar menu ("Create new Profile" → "Create individually"). */
export async function openCreateWizard(app) {
  await app.dismissToasts();
  await app.click("create-profile-button");
  await app.click("create-individually");
  return app.waitFor("create-form");
}

/**
 * Opens "Create new Profile" → "Paste data" and pastes `text` into its text area (as Ctrl+V
 * would: the value changes and an input event fires).
 */
export async function pasteRows(app, text) {
  await app.openImport("import-paste-data");
  await app.waitFor("import-paste-text");
  await app.browser.execute((t) => {
    const area = document.querySelector('[data-testid="import-paste-text"]');
    area.value = t;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

/** Opens Settings from the top bar, then `section` (its id in ui/src/settings/sections.ts). */
export async function openSettings(app, section) {
  await app.dismissToasts();
  await app.click("settings-button");
  await app.waitFor("settings-view");
  await app.click(`settings-nav-${section}`);
  return app.waitFor(`settings-section-${section}`);
}

/** Opens Settings → Remote CDP and fills its sign-in form for `server` (not yet sent). */
export async function fillConnectForm(app, server, device = "Laptop của Lan") {
  await openSettings(app, "remote");
  await app.waitFor("sync-connect-form");
  await app.type("sync-url", server.url);
  await app.type("sync-user", ADMIN);
  await app.type("sync-password", SERVER_PASSWORD);
  await app.type("sync-device", device);
}

/**
 * Fills step 1 of the wizard. `values`: { full_name, phones: [...], emails: [...], city, ... }.
 * List fields get one input per entry (clicking "+ Add" as needed).
 */
export async function fillProfileForm(app, values, { within = "create-form" } = {}) {
  for (const [key, value] of Object.entries(values)) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (i > 0 && !(await (await app.$(`field-${key}-${i}`, within)).isExisting())) {
          await app.click(`add-${key}`, { within });
        }
        await app.type(`field-${key}-${i}`, value[i], { within });
      }
    } else {
      const el = await app.$(`field-${key}`, within);
      if ((await el.getTagName()) === "select") await app.select(`field-${key}`, value, { within });
      else await app.type(`field-${key}`, value, { within });
    }
  }
}

/**
 * The whole wizard: open, fill, Continue, set consent ({ email: "granted" }),
 * Save; resolves with the toast text once the wizard closed.
 *
 * When the typed phone, e-mail or code matches existing profiles, Save asks first
 * (`create-match-step`). `onMatch` then answers it — an async function that gets the app and
 * clicks one of the step's buttons (`create-update-<id>`, `create-separate`, `create-review`);
 * it may check the step before. Without `onMatch` a match step fails the call, so a test that
 * did not expect one says so.
 */
export async function createProfile(app, values, { consent = {}, beforeContinue = null, onMatch = null } = {}) {
  await openCreateWizard(app);
  await fillProfileForm(app, values);
  if (beforeContinue) await beforeContinue();
  await app.click("continue-button");
  await app.waitFor("save-button");
  for (const [channel, status] of Object.entries(consent)) await app.select(`consent-${channel}`, status);
  // Toasts already shown are marked, so the one this save brings is told apart even if its text repeats.
  await app.browser.execute(() => {
    for (const t of document.querySelectorAll('[data-testid="toast"]')) t.setAttribute("data-e2e-seen", "");
  });
  await app.click("save-button");
  let answered = false;
  for (;;) {
    const outcome = await until(
      () =>
        app.browser.execute((asked) => {
          const banner = document.querySelector('[data-testid="error-banner"]');
          if (banner) return { error: `error banner: ${banner.textContent}` };
          const errors = [...document.querySelectorAll('[data-testid="create-form"] [data-testid^="error-"]')];
          if (errors.length) return { error: `form errors: ${errors.map((e) => e.textContent).join(" | ")}` };
          const step = document.querySelector('[data-testid="create-match-step"]');
          if (!asked && step && step.closest("[hidden]") === null) return { match: (step.textContent ?? "").trim() };
          const refused = document.querySelector('[data-testid="create-match-error"]');
          if (refused && refused.textContent) return { error: `decision refused: ${refused.textContent}` };
          if (document.querySelector('[data-testid="create-form"]')) return null;
          const toast = document.querySelector('[data-testid="toast"]:not([data-e2e-seen])');
          const text = toast?.querySelector(".toast-text")?.textContent ?? toast?.textContent;
          return toast ? { toast: (text ?? "").trim() } : null;
        }, answered),
      { message: "the wizard to close with a toast after Save" },
    );
    if (outcome.error) throw new Error(`Save did not go through: ${outcome.error}`);
    if (outcome.toast !== undefined) return outcome.toast;
    if (!onMatch) throw new Error(`Save asked about matching profiles and the test gave no answer (onMatch): ${outcome.match}`);
    await onMatch(app);
    answered = true;
  }
}
