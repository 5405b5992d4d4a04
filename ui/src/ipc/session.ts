// Sign-in commands: the only ones that answer before someone is signed in.
// Any other command fails with `signedOut` or `locked` then; `call` reports
// those to the shell through onSessionLost so it can show the right screen.
import type { FirstRunSetup } from "./bindings/FirstRunSetup";
import type { Lang } from "./bindings/Lang";
import type { StartScreen } from "./bindings/StartScreen";
import { call } from "./call";

export type { FirstRunSetup } from "./bindings/FirstRunSetup";
export type { RegionChoice } from "./bindings/RegionChoice";
export type { SignInUser } from "./bindings/SignInUser";
export type { StartScreen } from "./bindings/StartScreen";

export function startScreen(): Promise<StartScreen> {
  return call("start_screen");
}

export function completeFirstRun(setup: FirstRunSetup): Promise<StartScreen> {
  return call("complete_first_run", { setup });
}

export function signIn(name: string, password: string): Promise<StartScreen> {
  return call("sign_in", { name, password });
}

export function unlockSession(password: string): Promise<StartScreen> {
  return call("unlock_session", { password });
}

export function lockSession(): Promise<StartScreen> {
  return call("lock_session");
}

export function signOut(): Promise<StartScreen> {
  return call("sign_out");
}

/** The user was active: the core's idle time starts again. */
export function touchSession(): Promise<StartScreen> {
  return call("touch_session");
}

export function changeOwnPassword(current: string, newPassword: string): Promise<null> {
  return call("change_own_password", { current, newPassword });
}

/**
 * The signed-in user reads the app in `lang`: the core writes what it makes for them while
 * they are not looking (result e-mails, notifications, failed-rows files) in it.
 */
export function setMyLang(lang: Lang): Promise<null> {
  return call("set_my_lang", { lang });
}
