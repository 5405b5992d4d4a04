// Delete with an audited reason (SPEC 5). The dialog states what will be
// removed (the profiles by name — the first few of a selection and how many
// more — and the core's delete preview: how many linked Accounts,
// Opportunities, Tickets and Tasks lose their link), warns that deletion is
// irreversible and requires a reason. The core checks everything again —
// permission, the 100-profile limit, the reason — and its refusals are shown
// inline; the dialog only spares the round trip for an empty reason.
import { h, uid } from "../shell/dom";
import { Modal } from "../shell/modal";
import { formatCount, serverName } from "../shell/format";
import { formatLabel } from "../shell/phone";
import { errorMessage } from "../shell/toast";
import { IpcError, deletePreview, deleteProfiles, type DeletePreview, type DeleteResult } from "../ipc";
import { common } from "../i18n/common";
import { m } from "./messages";

/** The core's limit on the reason (characters, after trimming). */
export const MAX_REASON_CHARS = 500;

export interface DeleteDialogOptions {
  ids: readonly number[];
  /** The profile's label, when one profile is deleted from its detail screen. */
  label?: string;
  /** The profiles' names as the list showed them, in the order of `ids` ("" where unknown). */
  names?: readonly string[];
  onDeleted(result: DeleteResult): void;
  onClosed?(): void;
  /** Where focus goes back to when the dialog closes without deleting. */
  returnFocus?: HTMLElement | null;
}

/** A selection names this many profiles; one more is named rather than said as "and 1 more". */
export const NAMED_PROFILES = 3;

/**
 * The names a delete of several profiles shows: all of them up to NAMED_PROFILES + 1, else the
 * first NAMED_PROFILES and how many more; an unknown name is the profile's id.
 */
export function namedTargets(ids: readonly number[], names: readonly string[]): { names: string[]; more: number } {
  const shown = ids.length <= NAMED_PROFILES + 1 ? ids.length : NAMED_PROFILES;
  return {
    // A profile without a name goes by its phone: shown as the list and the detail show it.
    names: ids.slice(0, shown).map((id, i) => formatLabel(names[i] ?? "") || `#${id}`),
    more: ids.length - shown,
  };
}

/** Characters as the core counts them (Unicode scalar values, not UTF-16 units). */
function charCount(text: string): number {
  return [...text].length;
}

/** Why `reason` cannot be sent, or null. The same rule as the core: trimmed, 1 to 500 characters. */
export function reasonProblem(reason: string): string | null {
  const n = charCount(reason.trim());
  if (n === 0) return m.reasonRequired;
  if (n > MAX_REASON_CHARS) return m.reasonTooLong(MAX_REASON_CHARS, n);
  return null;
}

/** The toast after a delete: "Deleted 2 profiles". */
export function deletedMessage(result: DeleteResult): string {
  return m.deleted(result.deleted);
}

type LinkKind = "accounts" | "opportunities" | "tickets" | "tasks";

const LINK_KINDS: readonly LinkKind[] = ["accounts", "opportunities", "tickets", "tasks"];

/** "Account" / "Accounts": the kind of linked object, for `n` of them. */
function linkKindLabel(kind: LinkKind, n: number): string {
  switch (kind) {
    case "accounts":
      return m.accounts(n);
    case "opportunities":
      return m.opportunities(n);
    case "tickets":
      return m.tickets(n);
    case "tasks":
      return m.tasks(n);
  }
}

export class DeleteDialog {
  readonly element: HTMLElement;
  private readonly dialog: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly reason: HTMLTextAreaElement;
  private readonly counter: HTMLElement;
  private readonly error: HTMLElement;
  private readonly confirm: HTMLButtonElement;
  private readonly modal: Modal;
  private previewReady = false;
  private busy = false;
  private closed = false;

  constructor(private readonly opts: DeleteDialogOptions) {
    const n = opts.ids.length;
    const single = n === 1;
    const reasonId = uid("delete-reason");
    const errorId = uid("delete-error");

    this.counts = h(
      "div",
      { class: "delete-counts", "data-testid": "delete-counts", "aria-live": "polite" },
      h("p", { class: "muted" }, m.checkingLinks),
    );
    this.counter = h("span", { class: "delete-counter muted", "aria-hidden": "true" }, `0 / ${MAX_REASON_CHARS}`);
    this.error = h("div", { class: "field-error delete-error", id: errorId, role: "alert", "data-testid": "delete-error", hidden: true });
    this.reason = h("textarea", {
      id: reasonId,
      class: "delete-reason",
      "data-testid": "delete-reason",
      rows: 3,
      required: true,
      "aria-required": "true",
      "aria-describedby": errorId,
      placeholder: m.reasonPlaceholder,
      oninput: () => this.onReasonInput(),
    });
    const target =
      single && opts.label
        ? h(
            "p",
            null,
            m.targetOneOpen,
            h("strong", null, formatLabel(opts.label)),
            m.targetOneClose,
            h("span", { class: "muted" }, m.idInParens(opts.ids[0] as number)),
            m.willBeDeleted,
          )
        : opts.names
          ? this.namedTarget(opts.ids, opts.names)
          : h("p", null, h("strong", null, m.selectedProfiles(n)), m.willBeDeleted);

    const title = single ? m.deleteOneTitle : m.deleteManyTitle(n);
    this.modal = new Modal({
      title,
      testid: "delete-dialog",
      role: "alertdialog",
      className: "modal-narrow delete-dialog",
      closeButton: true,
      bodyClass: "delete-body",
      returnFocus: opts.returnFocus ?? document.activeElement,
      body: [
        target,
        this.counts,
        h(
          "p",
          { class: "delete-warning", "data-testid": "delete-warning" },
          h("strong", null, m.irreversible),
          single ? m.removedForGoodOne : m.removedForGoodMany,
        ),
        h(
          "div",
          { class: "field" },
          h(
            "label",
            { class: "field-label", for: reasonId },
            m.reasonLabel,
            h("span", { class: "req", "aria-hidden": "true" }, "*"),
            h("span", { class: "muted" }, m.reasonKept),
          ),
          this.reason,
          h("div", { class: "delete-reason-foot" }, this.error, this.counter),
        ),
      ],
      start: [{ key: "cancel", label: common.cancel, testid: "delete-cancel" }],
      end: [{ key: "confirm", label: title, kind: "danger", testid: "delete-confirm", disabled: true, onClick: () => void this.submit() }],
      onEnter: () => void this.submit(),
      enter: "ctrl",
      onClosed: () => {
        this.closed = true;
        this.opts.onClosed?.();
      },
    });
    this.element = this.modal.element;
    this.dialog = this.modal.dialog;
    this.confirm = this.modal.button("confirm");
  }

  /** "3 selected profiles will be deleted:" and their names (the first few, then how many more). */
  private namedTarget(ids: readonly number[], names: readonly string[]): HTMLElement {
    const target = namedTargets(ids, names);
    return h(
      "div",
      { class: "delete-target" },
      h("p", null, h("strong", null, m.selectedProfiles(ids.length)), m.willBeDeletedNamed),
      h(
        "ul",
        { class: "delete-names", "data-testid": "delete-names" },
        target.names.map((name) => h("li", null, name)),
        target.more > 0 ? h("li", { class: "muted delete-names-more" }, m.andMore(target.more)) : null,
      ),
    );
  }

  /** Shows the dialog and asks the core what the delete would remove. */
  open(parent: HTMLElement): Promise<void> {
    this.modal.open(parent, this.reason);
    return this.loadPreview();
  }

  close(): void {
    this.modal.close();
  }

  private async loadPreview(): Promise<void> {
    try {
      const preview = await deletePreview(this.opts.ids);
      if (this.closed) return;
      this.showPreview(preview);
      this.previewReady = true;
      this.confirm.disabled = false;
    } catch (err) {
      if (this.closed) return;
      this.counts.replaceChildren();
      this.showError(errorMessage(err));
    }
  }

  private showPreview(p: DeletePreview): void {
    const items = LINK_KINDS.map((key) => {
      const n = p[key];
      return h(
        "li",
        { class: n > 0 ? "delete-count has-links" : "delete-count", "data-kind": key },
        h("span", { class: "delete-count-number" }, formatCount(n)),
        h("span", null, linkKindLabel(key, n)),
      );
    });
    const linked = LINK_KINDS.reduce((sum, key) => sum + p[key], 0);
    const parts: HTMLElement[] = [
      h("ul", { class: "delete-count-list" }, items),
      h(
        "p",
        { class: "muted" },
        linked === 0 ? m.noLinks : m.linksLost(p.profiles, p.server ? serverName(p.server) : ""),
      ),
    ];
    if (p.server) {
      parts.push(
        h(
          "p",
          { class: "muted", "data-testid": "delete-server" },
          m.deleteGoesToServer(serverName(p.server), p.profiles),
        ),
      );
    }
    this.counts.replaceChildren(...parts);
  }

  private onReasonInput(): void {
    const n = charCount(this.reason.value.trim());
    this.counter.textContent = `${formatCount(n)} / ${MAX_REASON_CHARS}`;
    this.counter.classList.toggle("over", n > MAX_REASON_CHARS);
    if (!this.error.hidden) this.clearError();
  }

  private showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  private clearError(): void {
    this.error.textContent = "";
    this.error.hidden = true;
    this.reason.removeAttribute("aria-invalid");
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.modal.setBusy(busy);
    this.reason.disabled = busy;
  }

  private async submit(): Promise<void> {
    if (this.busy || !this.previewReady) return;
    const problem = reasonProblem(this.reason.value);
    if (problem) {
      this.showError(problem);
      this.reason.setAttribute("aria-invalid", "true");
      this.reason.focus();
      return;
    }
    this.setBusy(true);
    let result: DeleteResult;
    try {
      result = await deleteProfiles(this.opts.ids, this.reason.value.trim());
    } catch (err) {
      this.setBusy(false);
      const e = IpcError.from(err);
      const reasonError = e.fieldErrors.find((f) => f.field === "reason");
      this.showError(reasonError?.message ?? errorMessage(e));
      if (reasonError) {
        this.reason.setAttribute("aria-invalid", "true");
        this.reason.focus();
      }
      return;
    }
    this.setBusy(false);
    this.close();
    this.opts.onDeleted(result);
  }


}
