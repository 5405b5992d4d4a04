// "Create new Profile → Create individually": step 1 the profile form, step 2
// consent per channel, then Save through the core's synchronization rule
// (which may update an existing profile instead of creating one).
import { h } from "../shell/dom";
import { Wizard } from "../shell/wizard";
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
  private readonly buttons: Record<"cancel" | "cont" | "back" | "save", HTMLButtonElement>;
  private readonly wizard: Wizard;
  private step: 1 | 2 = 1;
  private busy = false;

  constructor(private readonly opts: CreateWizardOptions) {
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

    this.wizard = new Wizard({
      title: "Create profile",
      titleId: "create-title",
      testid: "create-form",
      steps: ["Profile", "Consent"],
      closeTestid: "wizard-close",
      body: [this.step1, this.step2],
      buttons: {
        cancel: { label: "Cancel", testid: "cancel-button", onClick: () => this.close() },
        back: { label: "Back", testid: "back-button", onClick: () => this.goTo(1) },
        cont: { label: "Continue", testid: "continue-button", onClick: () => void this.continue() },
        finish: { label: "Save", testid: "save-button", onClick: () => void this.save() },
      },
      onCancel: () => this.close(),
      returnFocus: opts.returnFocus ?? document.activeElement,
    });
    this.element = this.wizard.element;
    const b = this.wizard.buttons;
    this.buttons = { cancel: b.cancel, cont: b.cont, back: b.back, save: b.finish };
    this.goTo(1);
  }

  open(parent: HTMLElement): void {
    this.wizard.modal.open(parent, null);
    this.form.focusFirst();
  }

  close(): void {
    this.form.destroy();
    this.wizard.modal.setBusy(false);
    this.wizard.modal.close();
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
    this.wizard.setStep(step);
    if (step === 1) this.form.focusFirst();
    else (this.consent.values().next().value ?? this.buttons.save).focus();
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.wizard.modal.setBusy(busy);
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


}
