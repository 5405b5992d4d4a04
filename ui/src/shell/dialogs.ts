// A small modal dialog that asks for one line of text (a segment's name) and runs an action
// with it, showing the action's error in place. Built on Modal: it traps focus, closes on Escape
// and gives focus back to where it was. (Yes/no questions: confirmDialog.ts.)
import { common } from "../i18n/common";
import { h, uid } from "./dom";
import { Modal } from "./modal";
import { errorMessage } from "./toast";

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
    let result = false;
    let busy = false;
    const modal = new Modal({
      title: opts.title,
      testid: opts.testid,
      form: true,
      bodyClass: "dialog-form",
      body: [h("label", { class: "field-label", for: inputId }, opts.label), input, error],
      start: [{ key: "cancel", label: common.cancel, testid: `${opts.testid}-cancel` }],
      end: [{ key: "ok", label: opts.confirm, kind: "primary", submit: true, testid: `${opts.testid}-confirm` }],
      onSubmit: () => {
        if (busy) return;
        busy = true;
        const ok = modal.button("ok");
        ok.disabled = true;
        input.removeAttribute("aria-invalid");
        error.textContent = "";
        opts.submit(input.value).then(
          () => {
            result = true;
            modal.close();
          },
          (err: unknown) => {
            busy = false;
            ok.disabled = false;
            input.setAttribute("aria-invalid", "true");
            error.textContent = errorMessage(err);
            input.focus();
          },
        );
      },
      onClosed: () => resolve(result),
    });
    modal.open(document.body, input);
    input.select();
  });
}
