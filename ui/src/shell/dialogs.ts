// A small modal dialog that asks for one line of text (a segment's name) and runs an action
// with it, showing the action's error in place. It traps focus, closes on Escape and gives
// focus back to where it was. (Yes/no questions: confirmDialog.ts.)
import { h, trapFocus, uid } from "./dom";
import { errorMessage } from "./toast";

interface Shell {
  backdrop: HTMLElement;
  close(): void;
}

function shell(title: string, testid: string, body: HTMLElement, foot: HTMLElement, onCancel: () => void): Shell {
  const returnFocus = document.activeElement;
  const titleId = uid("dialog-title");
  const dialog = h(
    "div",
    { class: "modal modal-narrow", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, "data-testid": testid },
    h("header", { class: "modal-head" }, h("h2", { id: titleId }, title)),
    body,
    foot,
  );
  const backdrop = h("div", { class: "modal-backdrop" }, dialog);
  backdrop.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onCancel();
    } else if (e.key === "Tab") {
      trapFocus(dialog, e);
    }
  });
  document.body.appendChild(backdrop);
  return {
    backdrop,
    close: () => {
      backdrop.remove();
      if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
    },
  };
}

export interface AskTextOptions {
  title: string;
  label: string;
  value?: string;
  confirm: string;
  testid: string;
  maxLength?: number;
  /** Runs the action with the text; a rejection is shown in the dialog, which stays open. */
  submit(text: string): Promise<void>;
}

/** Asks for one line of text and runs `submit` with it; resolves true when it succeeded. */
export function askText(opts: AskTextOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const inputId = uid("dialog-input");
    const errorId = uid("dialog-error");
    const input = h("input", {
      type: "text",
      id: inputId,
      "data-testid": `${opts.testid}-input`,
      value: opts.value ?? "",
      maxlength: opts.maxLength ?? null,
      "aria-describedby": errorId,
      autocomplete: "off",
    });
    const error = h("div", { class: "field-error", id: errorId, role: "alert", "data-testid": `${opts.testid}-error` });
    let busy = false;
    const ok = h(
      "button",
      { type: "submit", class: "button button-primary", "data-testid": `${opts.testid}-confirm` },
      opts.confirm,
    );
    const cancel = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": `${opts.testid}-cancel`, onclick: () => done(false) },
      "Cancel",
    );
    const form = h(
      "form",
      { class: "modal-body dialog-form" },
      h("label", { class: "field-label", for: inputId }, opts.label),
      input,
      error,
    );
    const foot = h("footer", { class: "modal-foot" }, cancel, h("div", { class: "toolbar-spacer" }), ok);
    // The submit button lives in the footer: tie it to the form.
    const formId = uid("dialog-form");
    form.id = formId;
    ok.setAttribute("form", formId);
    const s = shell(opts.title, opts.testid, form, foot, () => done(false));
    function done(result: boolean): void {
      s.close();
      resolve(result);
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (busy) return;
      busy = true;
      ok.disabled = true;
      input.removeAttribute("aria-invalid");
      error.textContent = "";
      opts.submit(input.value).then(
        () => done(true),
        (err: unknown) => {
          busy = false;
          ok.disabled = false;
          input.setAttribute("aria-invalid", "true");
          error.textContent = errorMessage(err);
          input.focus();
        },
      );
    });
    input.focus();
    input.select();
  });
}
