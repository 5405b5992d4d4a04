// The page's language: <html lang> names the language the text is in (screen readers choose
// their voice by it, the webview its hyphenation and spell-checking), so it follows lang().
import { lang, setLang, type Lang } from "../i18n/lang";

/** Writes the UI's language on the page (`<html lang>`). */
export function markPageLang(): void {
  document.documentElement.lang = lang();
}

/**
 * Switches the UI's language (remembered for `user` when given, and as the last choice) and
 * marks the page; true when it changed. The caller redraws what is on screen.
 */
export function switchLang(next: Lang, user?: string): boolean {
  const changed = next !== lang();
  setLang(next, user);
  markPageLang();
  return changed;
}
