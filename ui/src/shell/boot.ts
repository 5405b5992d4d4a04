// Start-up: the database check (or the recovery screen), then first run, sign-in or lock,
// then the app once someone is signed in (app.ts).
import { h } from "./dom";
import { App } from "./app";
import {
  appInfo,
  consentChannels,
  fieldCatalogue,
  filterFields,
  listColumns,
  onDatabaseDamaged,
  startScreen,
  startupStatus,
  type AutoBackupStatus,
  type DamageReport,
  type Session,
  type StartScreen,
} from "../ipc";
import { common } from "../i18n/common";
import { RecoveryScreen } from "../session/recovery";
import { LockScreen, firstRunScreen, signInScreen } from "../session/signIn";
import { applyUserLang } from "../session/userLang";
import { m } from "./messages";
import { markPageLang } from "./pageLang";
import { errorMessage } from "./toast";

/** What the start-up check said, for the app once someone is signed in. */
let startup: { notice: string | null; autoBackup: AutoBackupStatus } = { notice: null, autoBackup: { state: "notDue" } };

export async function start(notice: string | null = null): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  // index.html already shows a static frame with "Opening Profile Desk…" (first paint before
  // any script, in English: the CSP allows no inline script to choose); it stays until the app
  // replaces it, so it is said again here in the UI's language, and <html lang> follows it. The
  // core checks the database first (startupStatus waits for that): a damaged one gets the
  // recovery screen instead of the app.
  markPageLang();
  root.querySelector(".boot:not(.boot-error)")?.replaceChildren(m.opening);
  watchLateDamage(root);
  try {
    const status = await startupStatus();
    if (status.state === "damaged") {
      showRecovery(root, status.report);
      return;
    }
    startup = { notice: notice ?? status.notice, autoBackup: status.autoBackup };
    route(root, await startScreen());
  } catch (err) {
    bootFailed(root, err);
  }
}

/** Stops the listener of the previous start (a start after a recovery listens again). */
let stopWatchingDamage: (() => void) | null = null;

/**
 * After a clean exit the core opens the store at once and checks it once the list shows
 * (issue 18): damage found then replaces whatever is on screen with the recovery screen (the
 * core already refuses every command).
 */
function watchLateDamage(root: HTMLElement): void {
  stopWatchingDamage?.();
  stopWatchingDamage = null;
  onDatabaseDamaged((report) => showRecovery(root, report)).then(
    (unlisten) => {
      stopWatchingDamage = unlisten;
    },
    () => {
      // No event channel: a command's `damaged` error still says it.
    },
  );
}

/** The recovery screen, in a frame without toolbar (there is no store to act on). */
function showRecovery(root: HTMLElement, report: DamageReport): void {
  const screen = new RecoveryScreen({ report, onRecovered: (restored) => void start(restored.message) });
  root.replaceChildren(
    h(
      "div",
      { class: "app" },
      h(
        "header",
        { class: "topbar" },
        h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "P"), h("span", { class: "brand-name" }, "Profile Desk")),
      ),
      h("main", { class: "main" }, screen.element),
    ),
  );
}

/** Shows the first-run, sign-in or lock screen, or boots the app once someone is signed in. */
function route(root: HTMLElement, screen: StartScreen): void {
  const next = (s: StartScreen): void => route(root, s);
  switch (screen.screen) {
    case "firstRun":
      root.replaceChildren(firstRunScreen(screen, next));
      return;
    case "signIn":
      root.replaceChildren(signInScreen(screen, next));
      return;
    case "locked":
      root.replaceChildren();
      new LockScreen(root, next).show(screen.user);
      return;
    case "ready":
      // Whoever signed in (or still is, after a reload) gets the language they chose on this
      // computer: the app below is drawn in it.
      applyUserLang(screen.session.userName);
      void boot(root, screen.session, screen.idleLockMinutes);
  }
}

async function boot(root: HTMLElement, s: Session, idleLockMinutes: number): Promise<void> {
  try {
    // A custom role may lack profile.view (an auditor, a settings-only role): the list's data
    // is then not asked for at all; the core would refuse it.
    const canView = s.permissions.includes("profile.view");
    const [info, fields, channels, columns, filters] = await Promise.all([
      appInfo(),
      fieldCatalogue(),
      consentChannels(),
      canView ? listColumns() : Promise.resolve([]),
      canView ? filterFields() : Promise.resolve([]),
    ]);
    const app = new App(root, { session: s, idleLockMinutes, info, fields, channels, columns, filterFields: filters });
    app.start(startup.notice, startup.autoBackup);
    startup = { notice: null, autoBackup: { state: "notDue" } };
  } catch (err) {
    bootFailed(root, err);
  }
}

function bootFailed(root: HTMLElement, err: unknown): void {
  root.replaceChildren(
    h(
      "div",
      { class: "boot boot-error", role: "alert", "data-testid": "error-banner" },
      h("h1", null, m.couldNotStart),
      h("p", null, errorMessage(err)),
      h("button", { type: "button", class: "button button-primary", onclick: () => void start() }, common.tryAgain),
    ),
  );
}
