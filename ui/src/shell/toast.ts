import { h } from "./dom";
import { common } from "../i18n/common";
import { IpcError } from "../ipc";
import { m } from "./messages";

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

export type ToastKind = "success" | "info";

export function showToast(message: string, kind: ToastKind = "success"): HTMLElement {
  const region = regionFor("toast");
  const close = (): void => {
    toast.classList.add("leaving");
    setTimeout(() => toast.remove(), 180);
  };
  const toast = h(
    "div",
    { class: `toast toast-${kind}`, role: "status", "data-testid": "toast" },
    // Glyphs come from CSS so the element's text is exactly the message.
    h("span", { class: "toast-icon", "aria-hidden": "true" }),
    h("span", { class: "toast-text" }, message),
    h("button", { class: "icon-button close-glyph", type: "button", "aria-label": m.dismiss, onclick: close }),
  );
  region.appendChild(toast);
  setTimeout(close, TOAST_MS);
  return toast;
}

export function errorMessage(err: unknown): string {
  if (err instanceof IpcError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
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
