// Each user's language: the one they chose in the user menu on this computer comes back when
// they sign in (before anyone has, the sign-in screen speaks the last choice, or the OS's).
import { langOf, type Lang } from "../i18n/lang";
import { switchLang } from "../shell/pageLang";

/** Each language's name in itself, as the language choice shows it. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: "English", vi: "Tiếng Việt" };

/**
 * `user` signed in: the language they chose before becomes the UI's. True when it changed:
 * what is on screen must be drawn again (the app drawn after sign-in already is).
 */
export function applyUserLang(user: string): boolean {
  const chosen = langOf(user);
  return chosen !== null && switchLang(chosen);
}
