// A small modal question ("Remove the channel Zalo?") with a Cancel and a
// confirm button; resolves true when confirmed. Escape, Cancel and the close
// button answer false; focus returns to where it was.
import { common } from "../i18n/common";
import { h, type Child } from "./dom";
import { Modal } from "./modal";
import { m } from "./messages";

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
  return new Promise((resolve) => {
    let answer = false;
    const finish = (yes: boolean): void => {
      answer = yes;
      modal.close();
    };
    const modal = new Modal({
      title: opts.title,
      testid,
      role: "alertdialog",
      closeButton: true,
      body: opts.body,
      start: [{ key: "no", label: opts.cancelLabel ?? common.cancel, testid: `${testid}-no`, onClick: () => finish(false) }],
      end: [
        { key: "yes", label: opts.confirmLabel, kind: opts.danger ? "danger" : "primary", testid: `${testid}-yes`, onClick: () => finish(true) },
      ],
      onClosed: () => resolve(answer),
    });
    modal.open(document.body, modal.button(opts.danger ? "no" : "yes"));
  });
}

/**
 * "Discard your changes?" before a form something was typed into closes (the create wizard,
 * the detail's edit), as Settings asks before a section with edits is left. `body` says what
 * would be lost; resolves true when the person discards, false when they keep editing.
 */
export function confirmDiscard(body: string, testid = "discard-changes"): Promise<boolean> {
  return confirmDialog({
    title: m.discardTitle,
    body: h("p", null, body),
    confirmLabel: m.discardChanges,
    cancelLabel: m.keepEditing,
    danger: true,
    testid,
  });
}
