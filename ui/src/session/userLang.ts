// Each user's language: the one they chose in the user menu on this computer comes back when
// they sign in (before anyone has, the sign-in screen speaks the last choice, or the OS's).
// The core hears it too, at every sign-in and choice: it writes the user's result e-mails,
// notifications and failed-rows files in it.
import { lang, langOf, type Lang } from "../i18n/lang";
import { setMyLang } from "../ipc";
import { switchLang } from "../shell/pageLang";

/** Each language's name in itself, as the language choice shows it. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: "English", vi: "Tiếng Việt" };

/** Tells the core the language the signed-in user reads now. */
function tellCore(): void {
  setMyLang(lang()).catch(() => {
    // Not heard (the session ended meanwhile): the core keeps the language it heard last and
    // hears it again at the next sign-in; nothing on screen depends on it.
  });
}

/**
 * `user` signed in: the language they chose before becomes the UI's, and the core hears the
 * one they read. True when it changed: what is on screen must be drawn again (the app drawn
 * after sign-in already is).
 */
export function applyUserLang(user: string): boolean {
  const chosen = langOf(user);
  const changed = chosen !== null && switchLang(chosen);
  tellCore();
  return changed;
}

/**
 * `user` chose `next` in the user menu: remembered for them on this computer and told to the
 * core. True when it changed (the caller draws the UI again).
 */
export function chooseUserLang(next: Lang, user: string): boolean {
  const changed = switchLang(next, user);
  tellCore();
  return changed;
}
