// The screens before the app (SPEC 7.2): the first run (the administrator's
// name and password, and the default phone region), the sign-in screen when
// more than one user can sign in, and the lock screen laid over the app after
// the idle time (or "Lock now"). Passwords go to the core, which checks them
// (Argon2id) and audits every attempt; nothing here decides who may enter.
import "./signIn.css";

import { h, trapFocus, uid } from "../shell/dom";
import { fieldErrorText } from "../shell/fieldErrors";
import { errorMessage } from "../shell/toast";
import {
  IpcError,
  completeFirstRun,
  signIn,
  signOut,
  unlockSession,
  type SignInUser,
  type StartScreen,
} from "../ipc";
import { m } from "./messages";

type FirstRun = Extract<StartScreen, { screen: "firstRun" }>;
type SignIn = Extract<StartScreen, { screen: "signIn" }>;

/** The core's minimum; the core checks again. */
export const MIN_PASSWORD_CHARS = 8;

/** Why the two typed passwords cannot be sent, or null. */
export function newPasswordProblem(password: string, again: string): string | null {
  if ([...password].length < MIN_PASSWORD_CHARS) return m.passwordTooShort(MIN_PASSWORD_CHARS);
  if (password !== again) return m.passwordsDiffer;
  return null;
}

function field(label: string, input: HTMLElement, hint?: string, error?: HTMLElement): HTMLElement {
  const id = input.id || uid("auth-field");
  input.id = id;
  return h(
    "div",
    { class: "field" },
    h("label", { class: "field-label", for: id }, label),
    input,
    hint ? h("p", { class: "muted small auth-hint" }, hint) : null,
    error ?? null,
  );
}

function errorSlot(testid: string): HTMLElement {
  return h("div", { class: "field-error", role: "alert", "data-testid": testid, hidden: true });
}

function showProblem(slot: HTMLElement, message: string | null): void {
  slot.textContent = message ?? "";
  slot.hidden = message === null;
}

/** Field errors of a validation refusal go under their input; anything else under the form. */
function showRefusal(err: unknown, general: HTMLElement, byField: Record<string, HTMLElement>): void {
  const e = IpcError.from(err);
  const fieldErrors = e.fieldErrors;
  if (fieldErrors.length === 0) {
    showProblem(general, errorMessage(e));
    return;
  }
  for (const f of fieldErrors) showProblem(byField[f.field] ?? general, fieldErrorText(f));
}

function authCard(testid: string, title: string, intro: string, ...body: Node[]): HTMLElement {
  return h(
    "div",
    { class: "auth-screen" },
    h(
      "div",
      { class: "auth-card", "data-testid": testid },
      h(
        "div",
        { class: "brand auth-brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }, "P"),
        h("span", { class: "brand-name" }, "Profile Desk"),
      ),
      h("h1", null, title),
      h("p", { class: "muted auth-intro" }, intro),
      ...body,
    ),
  );
}

function password(testid: string, autocomplete: string): HTMLInputElement {
  return h("input", { type: "password", "data-testid": testid, autocomplete, maxlength: 128 });
}

/** The first start: who the administrator is, their password, the default phone region. */
export function firstRunScreen(screen: FirstRun, onReady: (s: StartScreen) => void): HTMLElement {
  const name = h("input", { type: "text", "data-testid": "first-run-name", value: screen.suggestedName, maxlength: 64, autocomplete: "username" });
  const display = h("input", { type: "text", "data-testid": "first-run-display-name", maxlength: 80, placeholder: m.yourNamePlaceholder });
  const pw = password("first-run-password", "new-password");
  const again = password("first-run-password-again", "new-password");
  const region = h(
    "select",
    { "data-testid": "first-run-region" },
    screen.regions.map((r) =>
      h("option", { value: r.iso, selected: r.iso === screen.defaultRegion }, `${r.name} (${r.callingCode})`),
    ),
  );
  const errors = {
    name: errorSlot("first-run-error-name"),
    password: errorSlot("first-run-error-password"),
    region: errorSlot("first-run-error-region"),
  };
  const general = errorSlot("first-run-error");
  for (const [input, slot] of [
    [name, errors.name],
    [pw, errors.password],
    [again, errors.password],
  ] as const) {
    input.addEventListener("input", () => showProblem(slot, null));
  }
  const submit = h("button", { type: "submit", class: "button button-primary auth-submit", "data-testid": "first-run-submit" }, m.createAdministrator);
  const form = h(
    "form",
    { class: "auth-form", novalidate: true },
    field(m.userName, name, m.userNameHint, errors.name),
    field(m.yourName, display, m.yourNameHint),
    field(m.password, pw, m.passwordHint(MIN_PASSWORD_CHARS), errors.password),
    field(m.passwordAgain, again),
    field(m.phoneRegion, region, m.phoneRegionHint, errors.region),
    general,
    submit,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      for (const slot of [...Object.values(errors), general]) showProblem(slot, null);
      const problem = newPasswordProblem(pw.value, again.value);
      if (problem) {
        showProblem(errors.password, problem);
        pw.focus();
        return;
      }
      submit.disabled = true;
      try {
        onReady(await completeFirstRun({ name: name.value, displayName: display.value, password: pw.value, region: region.value }));
      } catch (err) {
        submit.disabled = false;
        showRefusal(err, general, errors);
      }
    })();
  });
  queueMicrotask(() => name.focus());
  return authCard("first-run", m.welcome, m.welcomeIntro, form);
}

/** Choose who signs in and enter the password. */
export function signInScreen(screen: SignIn, onReady: (s: StartScreen) => void): HTMLElement {
  if (screen.users.length === 0) {
    return authCard("sign-in", m.nobodyCanSignIn, m.nobodyCanSignInIntro);
  }
  const user = h(
    "select",
    { "data-testid": "sign-in-user", autocomplete: "username" },
    screen.users.map((u) => h("option", { value: u.name, selected: u.name === screen.preselect }, u.displayName === u.name ? u.name : `${u.displayName} (${u.name})`)),
  );
  const pw = password("sign-in-password", "current-password");
  const general = errorSlot("sign-in-error");
  const submit = h("button", { type: "submit", class: "button button-primary auth-submit", "data-testid": "sign-in-submit" }, m.signIn);
  const form = h("form", { class: "auth-form", novalidate: true }, field(m.user, user), field(m.password, pw), general, submit);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      showProblem(general, null);
      submit.disabled = true;
      try {
        onReady(await signIn(user.value, pw.value));
      } catch (err) {
        submit.disabled = false;
        pw.value = "";
        showRefusal(err, general, {});
        pw.focus();
      }
    })();
  });
  queueMicrotask(() => (screen.preselect ? pw : user).focus());
  return authCard("sign-in", m.signIn, m.signInIntro, form);
}

/**
 * The lock screen over the app: the app stays underneath (unsaved work in an
 * open form survives), out of reach until the password unlocks it.
 */
export class LockScreen {
  private element: HTMLElement | null = null;

  constructor(
    private readonly app: HTMLElement,
    private readonly onUnlocked: (screen: StartScreen) => void,
  ) {}

  get shown(): boolean {
    return this.element !== null;
  }

  show(user: SignInUser): void {
    if (this.element) return;
    const pw = password("unlock-password", "current-password");
    const general = errorSlot("unlock-error");
    const submit = h("button", { type: "submit", class: "button button-primary auth-submit", "data-testid": "unlock-submit" }, m.unlock);
    const out = h(
      "button",
      {
        type: "button",
        class: "link-button",
        "data-testid": "unlock-sign-out",
        onclick: () => void signOut().finally(() => location.reload()),
      },
      m.signOutInstead,
    );
    const form = h("form", { class: "auth-form", novalidate: true }, field(m.password, pw), general, submit, h("p", { class: "auth-alt" }, out));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void (async () => {
        showProblem(general, null);
        submit.disabled = true;
        try {
          const screen = await unlockSession(pw.value);
          this.hide();
          this.onUnlocked(screen);
        } catch (err) {
          submit.disabled = false;
          pw.value = "";
          showRefusal(err, general, {});
          pw.focus();
        }
      })();
    });
    const who = user.displayName === user.name ? user.name : `${user.displayName} (${user.name})`;
    const card = authCard("lock-screen", m.sessionLocked, m.lockedIntro(who), form);
    card.classList.add("lock-overlay");
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-modal", "true");
    card.addEventListener("keydown", (e) => {
      if (e.key === "Tab") trapFocus(card, e);
    });
    this.app.setAttribute("inert", "");
    this.app.setAttribute("aria-hidden", "true");
    document.body.appendChild(card);
    this.element = card;
    pw.focus();
  }

  hide(): void {
    this.element?.remove();
    this.element = null;
    this.app.removeAttribute("inert");
    this.app.removeAttribute("aria-hidden");
  }
}
