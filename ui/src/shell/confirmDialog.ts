// A small modal question ("Remove the channel Zalo?") with a Cancel and a
// confirm button; resolves true when confirmed. Escape, Cancel and the close
// button answer false; focus returns to where it was.
import { h, trapFocus, uid, type Child } from "./dom";

export interface ConfirmOptions {
  title: string;
  body: Child;
  confirmLabel: string;
  cancelLabel?: string;
  /** The confirm button is red (irreversible or destructive actions). */
  danger?: boolean;
  /** data-testid of the dialog; its buttons get `<testid>-yes` / `<testid>-no`. */
  testid?: string;
}

export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  const testid = opts.testid ?? "confirm-dialog";
  const returnFocus = document.activeElement;
  const titleId = uid("confirm-title");
  return new Promise((resolve) => {
    const finish = (answer: boolean): void => {
      backdrop.remove();
      if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
      resolve(answer);
    };
    const no = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": `${testid}-no`, onclick: () => finish(false) },
      opts.cancelLabel ?? "Cancel",
    );
    const yes = h(
      "button",
      {
        type: "button",
        class: `button ${opts.danger ? "button-danger" : "button-primary"}`,
        "data-testid": `${testid}-yes`,
        onclick: () => finish(true),
      },
      opts.confirmLabel,
    );
    const dialog = h(
      "div",
      { class: "modal modal-narrow", role: "alertdialog", "aria-modal": "true", "aria-labelledby": titleId, "data-testid": testid },
      h(
        "header",
        { class: "modal-head" },
        h("h2", { id: titleId }, opts.title),
        h("button", { type: "button", class: "icon-button", "aria-label": "Close", onclick: () => finish(false) }, "×"),
      ),
      h("div", { class: "modal-body" }, opts.body),
      h("footer", { class: "modal-foot" }, no, h("div", { class: "toolbar-spacer" }), yes),
    );
    const backdrop = h("div", { class: "modal-backdrop" }, dialog);
    backdrop.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        finish(false);
      } else if (e.key === "Tab") {
        trapFocus(dialog, e);
      }
    });
    document.body.appendChild(backdrop);
    (opts.danger ? no : yes).focus();
  });
}
