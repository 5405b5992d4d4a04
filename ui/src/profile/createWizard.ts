// "Create new Profile → Create individually": step 1 the profile form, step 2
// consent per channel, then Save. Save first asks the core what it would do
// (preview_create): when the typed phone, e-mail or code matches existing
// profiles, the wizard shows them and the person decides — update one, create a
// separate profile, or go back. Save never merges into a profile unseen.
import { h } from "../shell/dom";
import { Wizard } from "../shell/wizard";
import { consentLabel } from "../shell/format";
import {
  IpcError,
  createProfile,
  previewCreate,
  type ConsentChannel,
  type ConsentInput,
  type ConsentStatus,
  type CreateDecision,
  type CreatePreview,
  type FieldDef,
  type ProfileInput,
  type SaveResult,
} from "../ipc";
import { ProfileForm } from "./profileForm";
import { matchStep, savedMessage } from "./createMatches";
import { errorMessage, showError } from "../shell/toast";
import { common } from "../i18n/common";
import { m } from "./messages";

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

/** What the match step decides about: the values and consent as they were previewed. */
interface Pending {
  input: ProfileInput;
  consent: ConsentInput;
  preview: CreatePreview;
}

const STATUSES: ConsentStatus[] = ["unknown", "granted", "denied"];

export function consentSelect(channel: ConsentChannel, value: ConsentStatus): HTMLSelectElement {
  const select = h(
    "select",
    { "data-testid": `consent-${channel.key}`, "aria-label": m.consentOf(channel.label), class: "consent-select" },
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
  /** The question about matching profiles (filled when Save finds matches). */
  private readonly step3: HTMLElement;
  private readonly matchError = h("div", { class: "general-errors", role: "alert", "data-testid": "create-match-error" });
  private readonly buttons: Record<"cancel" | "cont" | "back" | "save" | "matchBack" | "separate" | "review", HTMLButtonElement>;
  private readonly wizard: Wizard;
  private step: 1 | 2 | 3 = 1;
  private busy = false;
  private pending: Pending | null = null;
  private updateButtons: HTMLButtonElement[] = [];

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
        m.consentHint,
      ),
      h(
        "div",
        { class: "consent-grid", role: "group", "aria-label": m.consentPerChannel },
        opts.channels.map((c) => {
          const select = consentSelect(c, "unknown");
          this.consent.set(c.key, select);
          return h("label", { class: "consent-row" }, h("span", { class: "consent-channel" }, c.label), select);
        }),
      ),
      opts.channels.length === 0 ? h("p", { class: "muted" }, m.noChannels) : null,
    );

    this.step3 = h("div", { class: "wizard-step", "data-step": "3", hidden: true });

    this.wizard = new Wizard({
      title: m.createTitle,
      titleId: "create-title",
      testid: "create-form",
      steps: [m.stepProfile, m.stepConsent],
      closeTestid: "wizard-close",
      body: [this.step1, this.step2, this.step3],
      buttons: {
        cancel: { label: common.cancel, testid: "cancel-button", onClick: () => this.close() },
        back: { label: common.back, testid: "back-button", onClick: () => this.goTo(1) },
        cont: { label: m.continue, testid: "continue-button", onClick: () => void this.continue() },
        finish: { label: common.save, testid: "save-button", onClick: () => void this.save() },
      },
      more: {
        start: [{ key: "matchBack", label: common.back, testid: "create-back", onClick: () => this.backToForm() }],
        end: [
          {
            key: "review",
            label: m.sendToReview,
            testid: "create-review",
            title: m.sendToReviewTitle,
            onClick: () => void this.decide({ kind: "rule" }),
          },
          { key: "separate", label: m.createSeparate, testid: "create-separate", onClick: () => void this.decide({ kind: "separate" }) },
        ],
      },
      onCancel: () => this.close(),
      // Escape and × ask before typed work goes; Cancel (step 1) is the deliberate way out.
      unsaved: { changed: () => this.hasChanges(), body: () => m.discardNewProfile },
      returnFocus: opts.returnFocus ?? document.activeElement,
    });
    this.element = this.wizard.element;
    const b = this.wizard.buttons;
    this.buttons = {
      cancel: b.cancel,
      cont: b.cont,
      back: b.back,
      save: b.finish,
      matchBack: this.wizard.modal.button("matchBack"),
      separate: this.wizard.modal.button("separate"),
      review: this.wizard.modal.button("review"),
    };
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

  /** Something was typed into the form or a consent was chosen. */
  hasChanges(): boolean {
    return this.form.hasChanges() || [...this.consent.values()].some((s) => s.value !== "unknown");
  }

  private goTo(step: 1 | 2 | 3): void {
    this.step = step;
    this.step1.hidden = step !== 1;
    this.step2.hidden = step !== 2;
    this.step3.hidden = step !== 3;
    this.buttons.cancel.hidden = step !== 1;
    this.buttons.cont.hidden = step !== 1;
    this.buttons.back.hidden = step !== 2;
    this.buttons.save.hidden = step !== 2;
    this.buttons.matchBack.hidden = step !== 3;
    this.buttons.separate.hidden = step !== 3;
    this.buttons.review.hidden = step !== 3 || !this.pending?.preview.reviewReason;
    if (step !== 3) {
      this.pending = null;
      this.matchError.replaceChildren();
    }
    // The question is not a step of its own: both steps are done, the stepper shows none current.
    this.wizard.setStep(step);
    if (step === 1) this.form.focusFirst();
    else if (step === 2) (this.consent.values().next().value ?? this.buttons.save).focus();
    else this.focusMatchStep();
  }

  /**
   * Focus on the question: on "Update this profile" only when it is the expected answer (one
   * match, the same person), else on the title, so Enter or Space never merges a stranger.
   */
  private focusMatchStep(): void {
    const matches = this.pending?.preview.matches ?? [];
    const only = matches.length === 1 ? matches[0] : undefined;
    const target = only && !only.nameDiffers ? this.updateButtons[0] : this.step3.querySelector<HTMLElement>(".create-match-title");
    target?.focus();
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.wizard.modal.setBusy(busy);
    // The Update buttons sit in the body, which the modal's busy state does not reach.
    for (const b of this.updateButtons) b.disabled = busy;
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

  /**
   * Save on the consent step: asks the core what saving would do. No match: the profile is
   * created at once. Matches: the wizard shows them and waits for the person's decision.
   */
  private async save(): Promise<void> {
    if (this.busy || this.step !== 2) return;
    const input = this.form.collect();
    const consent = consentFromSelects(this.consent);
    this.setBusy(true);
    let preview: CreatePreview;
    try {
      preview = await previewCreate(input);
    } catch (err) {
      this.setBusy(false);
      this.refused(err);
      return;
    }
    this.setBusy(false);
    if (preview.matches.length === 0) await this.commit({ input, consent, preview }, { kind: "rule" });
    else this.showMatches({ input, consent, preview });
  }

  private showMatches(pending: Pending): void {
    const step = matchStep({
      preview: pending.preview,
      typedName: typedName(pending.input),
      fields: this.opts.fields,
      onUpdate: (profileId) => void this.decide({ kind: "update", profileId }),
    });
    this.updateButtons = step.updateButtons;
    this.step3.replaceChildren(this.matchError, step.element);
    this.pending = pending;
    this.goTo(3);
  }

  private backToForm(): void {
    if (this.busy) return;
    this.goTo(1);
  }

  /** A button of the match step: saves what was previewed with the person's decision. */
  private async decide(decision: CreateDecision): Promise<void> {
    if (this.busy || this.step !== 3 || !this.pending) return;
    await this.commit(this.pending, decision);
  }

  private async commit(pending: Pending, decision: CreateDecision): Promise<void> {
    this.setBusy(true);
    this.matchError.replaceChildren();
    let result: SaveResult;
    try {
      result = await createProfile(pending.input, pending.consent, decision);
    } catch (err) {
      this.setBusy(false);
      if (this.step === 3 && !(err instanceof IpcError && err.code === "validation")) {
        // A refusal of the decision itself (the profile no longer matches, the phone limit):
        // said where the decision is taken, so the person can choose again.
        this.matchError.replaceChildren(h("div", { class: "field-error" }, errorMessage(err)));
      } else {
        this.refused(err);
      }
      return;
    }
    this.setBusy(false);
    this.close();
    const message = savedMessage(result, decision.kind === "separate" ? pending.preview.matches : []);
    this.opts.onSaved({ ...result, message });
  }

  /** A failed preview or save: field errors go back to the form, anything else to the banner. */
  private refused(err: unknown): void {
    if (err instanceof IpcError && err.code === "validation") {
      this.goTo(1);
      this.form.showErrors(err.fieldErrors);
    } else {
      showError(err);
    }
  }
}

/** The typed full name, for the match step's warning about different names. */
function typedName(input: ProfileInput): string {
  const name = input.values.full_name;
  return typeof name === "string" ? name : "";
}
