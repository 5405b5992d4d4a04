// "Create new Profile → Create individually": step 1 the profile form, step 2
// consent per channel, then Save through the core's synchronization rule
// (which may update an existing profile instead of creating one).
import { h, trapFocus } from "../shell/dom";
import { consentLabel } from "../shell/format";
import {
  IpcError,
  createProfile,
  type ConsentChannel,
  type ConsentInput,
  type ConsentStatus,
  type FieldDef,
  type SaveResult,
} from "../ipc";
import { ProfileForm } from "./profileForm";
import { showError } from "../shell/toast";

export interface CreateWizardOptions {
  fields: readonly FieldDef[];
  channels: readonly ConsentChannel[];
  onSaved(result: SaveResult): void;
  /** The duplicate guard's link: leave the wizard for that profile. */
  onOpenProfile(id: number): void;
  onClosed?(): void;
  /** Where focus goes back to on close (the menu item that opened it is hidden by then). */
  returnFocus?: HTMLElement;
}

const STATUSES: ConsentStatus[] = ["unknown", "granted", "denied"];

export function consentSelect(channel: ConsentChannel, value: ConsentStatus): HTMLSelectElement {
  const select = h(
    "select",
    { "data-testid": `consent-${channel.key}`, "aria-label": `${channel.label} consent`, class: "consent-select" },
    STATUSES.map((s) => h("option", { value: s }, consentLabel(s))),
  );
  select.value = value;
  select.dataset.status = value;
  select.addEventListener("change", () => (select.dataset.status = select.value));
  return select;
}

/**
 * Consent to send: only channels set to something other than Unknown.
 * "Unknown" means "the customer did not say", and when the save updates an
 * existing profile it must not overwrite consent recorded earlier.
 */
export function consentFromSelects(selects: ReadonlyMap<string, HTMLSelectElement>): ConsentInput {
  const channels: Record<string, ConsentStatus> = {};
  for (const [key, select] of selects) {
    const v = select.value as ConsentStatus;
    if (v !== "unknown") channels[key] = v;
  }
  return { channels };
}

export class CreateWizard {
  readonly element: HTMLElement;
  private readonly form: ProfileForm;
  private readonly consent = new Map<string, HTMLSelectElement>();
  private readonly step1: HTMLElement;
  private readonly step2: HTMLElement;
  private readonly steps: HTMLElement[];
  private readonly buttons: Record<"cancel" | "cont" | "back" | "save", HTMLButtonElement>;
  private readonly dialog: HTMLElement;
  private step: 1 | 2 = 1;
  private busy = false;
  private readonly returnFocus: Element | null;

  constructor(private readonly opts: CreateWizardOptions) {
    this.returnFocus = opts.returnFocus ?? document.activeElement;
    this.form = new ProfileForm({
      fields: opts.fields,
      mode: "create",
      excludeId: null,
      onOpenProfile: (id) => {
        this.close();
        opts.onOpenProfile(id);
      },
      onSubmit: () => void this.continue(),
    });

    this.step1 = h("div", { class: "wizard-step", "data-step": "1" }, this.form.element);
    this.step2 = h(
      "div",
      { class: "wizard-step", "data-step": "2", hidden: true },
      h(
        "p",
        { class: "form-hint" },
        "Record what the customer agreed to. Leave a channel on Unknown when they did not say; consent already recorded for an existing profile is then kept.",
      ),
      h(
        "div",
        { class: "consent-grid", role: "group", "aria-label": "Consent per channel" },
        opts.channels.map((c) => {
          const select = consentSelect(c, "unknown");
          this.consent.set(c.key, select);
          return h("label", { class: "consent-row" }, h("span", { class: "consent-channel" }, c.label), select);
        }),
      ),
      opts.channels.length === 0 ? h("p", { class: "muted" }, "No consent channels are configured.") : null,
    );

    const button = (label: string, cls: string, testid: string, onclick: () => void): HTMLButtonElement =>
      h("button", { type: "button", class: `button ${cls}`, "data-testid": testid, onclick }, label);
    this.buttons = {
      cancel: button("Cancel", "button-secondary", "cancel-button", () => this.close()),
      cont: button("Continue", "button-primary", "continue-button", () => void this.continue()),
      back: button("Back", "button-secondary", "back-button", () => this.goTo(1)),
      save: button("Save", "button-primary", "save-button", () => void this.save()),
    };

    this.steps = [
      h("li", { class: "step" }, h("span", { class: "step-num" }, "1"), "Profile"),
      h("li", { class: "step" }, h("span", { class: "step-num" }, "2"), "Consent"),
    ];
    const titleId = "create-title";
    this.dialog = h(
      "div",
      {
        class: "modal",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": titleId,
        "data-testid": "create-form",
      },
      h(
        "header",
        { class: "modal-head" },
        h("h2", { id: titleId }, "Create profile"),
        h("ol", { class: "stepper" }, this.steps),
        h(
          "button",
          { type: "button", class: "icon-button", "aria-label": "Close", "data-testid": "wizard-close", onclick: () => this.close() },
          "×",
        ),
      ),
      h("div", { class: "modal-body" }, this.step1, this.step2),
      h(
        "footer",
        { class: "modal-foot" },
        this.buttons.cancel,
        this.buttons.back,
        h("div", { class: "toolbar-spacer" }),
        this.buttons.cont,
        this.buttons.save,
      ),
    );
    this.element = h("div", { class: "modal-backdrop" }, this.dialog);
    this.element.addEventListener("keydown", (e) => this.onKey(e));
    this.goTo(1);
  }

  open(parent: HTMLElement): void {
    parent.appendChild(this.element);
    this.form.focusFirst();
  }

  close(): void {
    this.form.destroy();
    this.element.remove();
    if (this.returnFocus instanceof HTMLElement && this.returnFocus.isConnected) this.returnFocus.focus();
    this.opts.onClosed?.();
  }

  private goTo(step: 1 | 2): void {
    this.step = step;
    this.step1.hidden = step !== 1;
    this.step2.hidden = step !== 2;
    this.buttons.cancel.hidden = step !== 1;
    this.buttons.cont.hidden = step !== 1;
    this.buttons.back.hidden = step !== 2;
    this.buttons.save.hidden = step !== 2;
    this.steps.forEach((el, i) => {
      el.classList.toggle("current", i + 1 === step);
      el.classList.toggle("done", i + 1 < step);
      if (i + 1 === step) el.setAttribute("aria-current", "step");
      else el.removeAttribute("aria-current");
    });
    if (step === 1) this.form.focusFirst();
    else (this.consent.values().next().value ?? this.buttons.save).focus();
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.dialog.setAttribute("aria-busy", String(busy));
    for (const b of Object.values(this.buttons)) b.disabled = busy;
  }

  private async continue(): Promise<void> {
    if (this.busy || this.step !== 1) return;
    this.setBusy(true);
    try {
      const errors = await this.form.validate();
      if (errors.length === 0) this.goTo(2);
      else this.form.focusFirstError();
    } catch (err) {
      showError(err);
    } finally {
      this.setBusy(false);
    }
  }

  private async save(): Promise<void> {
    if (this.busy || this.step !== 2) return;
    this.setBusy(true);
    let result: SaveResult;
    try {
      result = await createProfile(this.form.collect(), consentFromSelects(this.consent));
    } catch (err) {
      this.setBusy(false);
      if (err instanceof IpcError && err.code === "validation") {
        this.goTo(1);
        this.form.showErrors(err.fieldErrors);
      } else {
        showError(err);
      }
      return;
    }
    this.setBusy(false);
    this.close();
    this.opts.onSaved(result);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      e.stopPropagation();
      if (!this.busy) this.close();
      return;
    }
    if (e.key === "Tab") trapFocus(this.dialog, e);
  }

}
