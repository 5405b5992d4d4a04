// The UI's language: Vietnamese or English. At the first start it follows the OS locale
// (the webview's navigator.language); a user's choice in the user menu is remembered per
// user on this computer and, as the last choice, for the sign-in screen before anyone has
// signed in. Changing it reloads the UI (every screen builds its text once, from `lang()`).

export type Lang = "en" | "vi";
export const LANGS: readonly Lang[] = ["en", "vi"];

const LAST_KEY = "pdesk.lang";
const userKey = (user: string): string => `pdesk.lang.user.${user}`;

function isLang(value: string | null | undefined): value is Lang {
  return value === "en" || value === "vi";
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // A webview with storage disabled: the choice lasts until the window closes.
    return null;
  }
}

/** The OS locale's language when it is one we speak, else English. */
export function systemLang(): Lang {
  const tag = (globalThis.navigator?.language ?? "").toLowerCase();
  return tag === "vi" || tag.startsWith("vi-") ? "vi" : "en";
}

let current: Lang = (() => {
  const stored = storage()?.getItem(LAST_KEY);
  return isLang(stored) ? stored : systemLang();
})();

/** The language every string is rendered in now. */
export function lang(): Lang {
  return current;
}

/** The BCP 47 tag Intl formats with for the current language. */
export function locale(): string {
  return current === "vi" ? "vi-VN" : "en-US";
}

/** Switches the language (the caller re-renders) and remembers it, for `user` when given. */
export function setLang(next: Lang, user?: string): void {
  current = next;
  const store = storage();
  store?.setItem(LAST_KEY, next);
  if (user) store?.setItem(userKey(user), next);
}

/** The language `user` chose on this computer, if they ever did. */
export function langOf(user: string): Lang | null {
  const stored = storage()?.getItem(userKey(user));
  return isLang(stored) ? stored : null;
}
