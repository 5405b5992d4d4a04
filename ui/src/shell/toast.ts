import { h } from "./dom";
import { common } from "../i18n/common";
import { IpcError } from "../ipc";
import { fieldErrorsText } from "./fieldErrors";
import { m } from "./messages";
import { reasonText, storedError, type StoredFailure } from "./reasons";

// Short confirmations go to toasts (they fade); failures go to a banner that
// stays until dismissed, because an unnoticed failure means lost work.

const TOAST_MS = 6000;

let toastRegion: HTMLElement | null = null;
let bannerRegion: HTMLElement | null = null;

/** Where toasts and the error banner are placed; called once by the shell. */
export function mountNotices(toasts: HTMLElement, banner: HTMLElement): void {
  toastRegion = toasts;
  bannerRegion = banner;
}

function regionFor(kind: "toast" | "banner"): HTMLElement {
  const existing = kind === "toast" ? toastRegion : bannerRegion;
  if (existing?.isConnected) return existing;
  // Fallback so notices still show (e.g. in tests) before the shell mounted.
  const el = h("div", { class: kind === "toast" ? "toast-region" : "banner-region" });
  document.body.appendChild(el);
  if (kind === "toast") toastRegion = el;
  else bannerRegion = el;
  return el;
}

/** `success` (green ✓) only when the thing asked for was done; `warning` when it was not quite. */
export type ToastKind = "success" | "info" | "warning";

export interface ToastOptions {
  /** Default `success`. */
  tone?: ToastKind;
  /** A button in the toast (e.g. "Open merge review"): runs, then the toast goes. */
  action?: { label: string; run: () => void };
}

/** A toast with an action stays longer, and never leaves while the pointer or focus is on it. */
const ACTION_TOAST_MS = 15000;

/** A short notice that fades; `options`: its tone (the old form: the tone alone) and an action. */
export function showToast(message: string, options: ToastKind | ToastOptions = {}): HTMLElement {
  const { tone = "success", action } = typeof options === "string" ? { tone: options } : options;
  const region = regionFor("toast");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const close = (): void => {
    clearTimeout(timer);
    toast.classList.add("leaving");
    setTimeout(() => toast.remove(), 180);
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(close, action ? ACTION_TOAST_MS : TOAST_MS);
  };
  const toast = h(
    "div",
    {
      class: `toast toast-${tone}`,
      role: "status",
      "data-testid": "toast",
      "data-tone": tone,
    },
    // Glyphs come from CSS so the element's text is exactly the message.
    h("span", { class: "toast-icon", "aria-hidden": "true" }),
    h("span", { class: "toast-text" }, message),
    action
      ? h(
          "button",
          {
            type: "button",
            class: "button button-small toast-action",
            "data-testid": "toast-action",
            onclick: () => {
              close();
              action.run();
            },
          },
          action.label,
        )
      : null,
    h("button", { class: "icon-button close-glyph", type: "button", "aria-label": m.dismiss, onclick: close }),
  );
  if (action) {
    // Someone reaching for the button keeps the toast.
    const hold = (): void => clearTimeout(timer);
    toast.addEventListener("mouseenter", hold);
    toast.addEventListener("focusin", hold);
    toast.addEventListener("mouseleave", schedule);
    toast.addEventListener("focusout", schedule);
  }
  region.appendChild(toast);
  schedule();
  return toast;
}

/**
 * An error's sentence for people: a refusal the core sent with a reason, in the UI's language
 * (reasons.ts); any other error's message as it came.
 */
export function errorMessage(err: unknown): string {
  // A validation refusal is worded from its field errors, any other refusal from its reason,
  // in the UI's language; the core's English when this UI does not know them.
  if (err instanceof IpcError) return fieldErrorsText(err.fieldErrors) ?? reasonText(err.details) ?? err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A job's failure in the UI's language (null when the job has none). */
export function jobErrorText(job: StoredFailure): string | null {
  const err = storedError(job);
  return err === null ? null : errorMessage(err);
}

export function showError(err: unknown): HTMLElement {
  const region = regionFor("banner");
  const message = errorMessage(err);
  const code = err instanceof IpcError ? err.code : "internal";
  const banner = h(
    "div",
    { class: "error-banner", role: "alert", "data-testid": "error-banner", "data-code": code },
    h("span", { class: "error-banner-icon", "aria-hidden": "true" }),
    h("span", { class: "error-banner-text" }, message),
    h("button", {
      class: "icon-button close-glyph",
      type: "button",
      "aria-label": common.dismissError,
      onclick: () => banner.remove(),
    }),
  );
  // One banner at a time: the newest failure is the one that matters.
  region.replaceChildren(banner);
  return banner;
}

export function clearError(): void {
  bannerRegion?.replaceChildren();
}
