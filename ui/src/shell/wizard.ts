// The one wizard frame (create profile, import): a Modal with a stepper in its header and the
// footer Cancel · Back ··· Continue · <finish>. The wizard decides which buttons show and when
// they are enabled; the frame paints the stepper, traps focus and answers Escape and ×
// (both cancel, never while busy; "Discard your changes?" first when the wizard says something
// typed would be lost).
import { confirmDiscard } from "./confirmDialog";
import { h, type Child } from "./dom";
import { Modal, type ModalAction } from "./modal";

export type WizardButton = "cancel" | "back" | "cont" | "finish";

export interface WizardOptions {
  title: Child;
  titleId: string;
  testid: string;
  steps: readonly string[];
  stepperTestid?: string;
  closeTestid: string;
  /** Classes after `modal` (default none). */
  className?: string;
  /** The step panes (the body). */
  body: Child;
  /** Labels and data-testids of the four footer buttons. */
  buttons: Record<WizardButton, { label: string; testid: string; onClick: () => void }>;
  /**
   * Footer buttons of a pane that is not one of the steps (the create wizard's question about
   * matching profiles): after Cancel · Back and after Continue · <finish>, hidden until shown.
   */
  more?: { start?: ModalAction[]; end?: ModalAction[] };
  /** Escape and ×: the wizard's own close (not called while busy). */
  onCancel: () => void;
  /**
   * Before Escape or × closes the wizard: whether something typed would be lost (`changed`),
   * and the sentence saying what (`body`). The person is asked first; nothing typed: closes.
   */
  unsaved?: { changed(): boolean; body(): string };
  returnFocus?: Element | null;
}

export class Wizard {
  readonly modal: Modal;
  readonly buttons: Record<WizardButton, HTMLButtonElement>;
  private readonly stepEls: HTMLElement[];
  private asking = false;

  constructor(private readonly opts: WizardOptions) {
    this.stepEls = opts.steps.map((name, i) => h("li", { class: "step" }, h("span", { class: "step-num" }, String(i + 1)), name));
    const b = opts.buttons;
    this.modal = new Modal({
      title: opts.title,
      titleId: opts.titleId,
      testid: opts.testid,
      className: opts.className ?? "",
      head: h("ol", { class: "stepper", "data-testid": opts.stepperTestid ?? null }, this.stepEls),
      closeButton: opts.closeTestid,
      body: opts.body,
      start: [
        { key: "cancel", label: b.cancel.label, testid: b.cancel.testid, onClick: b.cancel.onClick },
        { key: "back", label: b.back.label, testid: b.back.testid, onClick: b.back.onClick },
        ...(opts.more?.start ?? []).map((a) => ({ ...a, hidden: true })),
      ],
      end: [
        { key: "cont", label: b.cont.label, kind: "primary", testid: b.cont.testid, onClick: b.cont.onClick },
        { key: "finish", label: b.finish.label, kind: "primary", testid: b.finish.testid, onClick: b.finish.onClick },
        ...(opts.more?.end ?? []).map((a) => ({ ...a, hidden: true })),
      ],
      onCancel: () => void this.cancel(),
      returnFocus: opts.returnFocus,
    });
    this.buttons = {
      cancel: this.modal.button("cancel"),
      back: this.modal.button("back"),
      cont: this.modal.button("cont"),
      finish: this.modal.button("finish"),
    };
  }

  get element(): HTMLElement {
    return this.modal.element;
  }

  get dialog(): HTMLElement {
    return this.modal.dialog;
  }

  /**
   * Escape or ×: `onCancel`, after asking "Discard your changes?" when `unsaved` says something
   * typed would be lost (kept editing: the wizard stays as it was). One question at a time.
   */
  async cancel(): Promise<void> {
    if (this.asking || this.modal.closed || this.modal.busy) return;
    if (this.opts.unsaved?.changed()) {
      this.asking = true;
      let discard: boolean;
      try {
        discard = await confirmDiscard(this.opts.unsaved.body());
      } finally {
        this.asking = false;
      }
      if (!discard || this.modal.closed) return;
    }
    this.opts.onCancel();
  }

  /** Marks `step` (1-based) current and the ones before it done. */
  setStep(step: number): void {
    this.stepEls.forEach((el, i) => {
      el.classList.toggle("current", i + 1 === step);
      el.classList.toggle("done", i + 1 < step);
      if (i + 1 === step) el.setAttribute("aria-current", "step");
      else el.removeAttribute("aria-current");
    });
  }
}
