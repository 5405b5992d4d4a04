// The export dialog (SPEC 4.3): which rows (the current filter, or the selected rows), which
// fields (displayed or all), the count from the core, and then — up to the direct limit — the
// native save dialog and the file at once, or a background export that e-mails the file.
import { h, uid } from "../shell/dom";
import { Latest } from "../shell/latest";
import { Modal } from "../shell/modal";
import { formatCount, plural } from "../shell/format";
import {
  exportNow,
  exportPlan,
  myMailAddress,
  setMyMailAddress,
  startExport,
  type ExportFields,
  type ExportJob,
  type ExportPlan,
  type ListQuery,
} from "../ipc";
import { exportRequest } from "./exportLogic";
import { errorMessage, showToast } from "../shell/toast";

export interface ExportDialogOptions {
  query: ListQuery;
  columns: readonly string[];
  /** The list's selection (may be empty). */
  selected: readonly number[];
  /** The filter in words, for the "which rows" choice. */
  returnFocus: HTMLElement | null;
  /** A background export was queued (the panel shows its progress). */
  onStarted(job: ExportJob): void;
  /** A direct export was written. */
  onWritten?(job: ExportJob): void;
}

export class ExportDialog {
  private readonly modal: Modal;
  private readonly summary: HTMLElement;
  private readonly mode: HTMLElement;
  private readonly error: HTMLElement;
  private readonly confirm: HTMLButtonElement;
  private fields: ExportFields = "displayed";
  private onlySelected: boolean;
  private plan: ExportPlan | null = null;
  private readonly planRequest = new Latest();
  private busy = false;
  private address: string | null = null;

  constructor(private readonly opts: ExportDialogOptions) {
    this.onlySelected = opts.selected.length > 0;
    const radio = (name: string, value: string, checked: boolean, testid: string, label: string, hint: string, onpick: () => void): HTMLElement =>
      h(
        "label",
        { class: "choice" },
        h("input", { type: "radio", name, value, checked, "data-testid": testid, onchange: onpick }),
        h("span", { class: "choice-text" }, h("span", { class: "choice-title" }, label), h("span", { class: "choice-hint muted" }, hint)),
      );
    const group = uid("export-rows");
    const rows =
      opts.selected.length > 0
        ? h(
            "fieldset",
            { class: "choice-group" },
            h("legend", null, "Rows"),
            radio(group, "selected", true, "export-scope-selection", `The ${plural(opts.selected.length, "selected row", "selected rows")}`, "Only the profiles ticked in the list", () => this.pickRows(true)),
            radio(group, "filter", false, "export-scope-filter", "Every profile of the list", "The current search and filter", () => this.pickRows(false)),
          )
        : null;
    const fieldsGroup = uid("export-fields");
    this.summary = h("p", { class: "export-summary", "data-testid": "export-count", "aria-live": "polite" }, "Counting…");
    this.mode = h("div", { class: "export-mode", "data-testid": "export-mode" });
    this.error = h("div", { class: "field-error", role: "alert", "data-testid": "export-error" });
    this.modal = new Modal({
      title: "Export profiles",
      testid: "export-dialog",
      className: "modal-narrow export-dialog",
      closeButton: true,
      closeGlyph: true,
      bodyClass: "export-body",
      returnFocus: opts.returnFocus,
      body: [
        rows,
        h(
          "fieldset",
          { class: "choice-group" },
          h("legend", null, "Fields"),
          radio(fieldsGroup, "displayed", true, "export-fields-displayed", "Displayed fields", `The ${plural(opts.columns.length, "column", "columns")} shown in the list, in their order`, () => this.pickFields("displayed")),
          radio(fieldsGroup, "all", false, "export-fields-all", "All fields", "Every field of the catalogue, custom fields included", () => this.pickFields("all")),
        ),
        this.summary,
        this.mode,
        this.error,
      ],
      start: [{ key: "cancel", label: "Cancel", testid: "export-cancel" }],
      end: [{ key: "confirm", label: "Export…", kind: "primary", testid: "export-confirm", disabled: true, onClick: () => void this.run() }],
    });
    this.confirm = this.modal.button("confirm");
  }

  open(parent: HTMLElement): void {
    this.modal.open(parent, this.modal.dialog.querySelector<HTMLInputElement>('input[type="radio"]:checked'));
    void this.loadAddress();
    void this.refresh();
  }

  close(): void {
    this.modal.close();
  }
  private pickRows(selected: boolean): void {
    this.onlySelected = selected;
    void this.refresh();
  }

  private pickFields(fields: ExportFields): void {
    this.fields = fields;
    void this.refresh();
  }

  private request() {
    return exportRequest(this.opts.query, this.opts.columns, this.fields, this.onlySelected ? this.opts.selected : null);
  }

  private async loadAddress(): Promise<void> {
    try {
      this.address = await myMailAddress();
    } catch {
      this.address = null;
    }
    this.paintMode();
  }

  private async refresh(): Promise<void> {
    const isLatest = this.planRequest.begin();
    this.confirm.disabled = true;
    this.error.textContent = "";
    this.summary.textContent = "Counting…";
    try {
      const plan = await exportPlan(this.request());
      if (!isLatest()) return;
      this.plan = plan;
      this.summary.replaceChildren(
        h("strong", { "data-testid": "export-rows" }, formatCount(plan.rows)),
        ` ${plan.rows === 1 ? "profile" : "profiles"} · ${plural(plan.columns.length, "column", "columns")}: `,
        h("span", { class: "muted" }, plan.columns.join(", ")),
      );
      this.confirm.textContent = plan.background ? "Start export" : "Export…";
      this.confirm.disabled = plan.rows === 0;
      if (plan.rows === 0) this.error.textContent = "Nothing to export: no profile matches.";
      this.paintMode();
    } catch (err) {
      if (!isLatest()) return;
      this.summary.textContent = "";
      this.error.textContent = errorMessage(err);
    }
  }

  private paintMode(): void {
    const plan = this.plan;
    if (!plan) return;
    this.mode.setAttribute("data-mode", plan.background ? "background" : "direct");
    if (!plan.background) {
      this.mode.replaceChildren(
        h("p", { class: "export-note" }, `Up to ${formatCount(plan.directLimit)} rows are written at once, to a file you choose next.`),
      );
      return;
    }
    const mail = this.address
      ? h("p", { class: "muted", "data-testid": "export-mail-to" }, "When it is ready, the file is e-mailed to ", h("strong", null, this.address), " (attached, or where it is saved when it is too large).")
      : this.addressForm();
    this.mode.replaceChildren(
      h(
        "p",
        { class: "export-note" },
        `More than ${formatCount(plan.directLimit)} rows: the export runs in the background. Keep working — a notification tells you when the file is ready, with Save as… and Show in folder.`,
      ),
      mail,
    );
  }

  /** No address yet: the user may add theirs to get the file by e-mail. */
  private addressForm(): HTMLElement {
    const input = h("input", { type: "email", "data-testid": "export-mail-address", placeholder: "you@example.com", "aria-label": "Your e-mail address" });
    const note = h("div", { class: "field-error", role: "alert" });
    const save = h(
      "button",
      {
        type: "button",
        class: "button button-secondary button-small",
        "data-testid": "export-mail-save",
        onclick: () => {
          void setMyMailAddress(input.value).then(
            (a) => {
              this.address = a;
              this.paintMode();
            },
            (err: unknown) => {
              note.textContent = errorMessage(err);
            },
          );
        },
      },
      "Save",
    );
    return h(
      "div",
      { class: "export-address" },
      h("p", { class: "muted" }, "To get the file by e-mail too, add your address:"),
      h("div", { class: "export-address-row" }, input, save),
      note,
    );
  }

  private async run(): Promise<void> {
    const plan = this.plan;
    if (!plan || this.busy) return;
    this.busy = true;
    this.confirm.disabled = true;
    this.error.textContent = "";
    try {
      if (plan.background) {
        const job = await startExport(this.request());
        this.close();
        showToast(`Exporting ${formatCount(plan.rows)} profiles in the background`, "info");
        this.opts.onStarted(job);
      } else {
        const job = await exportNow(this.request());
        if (!job) return; // the save dialog was cancelled: the dialog stays
        this.close();
        showToast(`Exported ${formatCount(job.rowsDone)} profiles to ${job.path ?? "the file"}`);
        this.opts.onWritten?.(job);
      }
    } catch (err) {
      this.error.textContent = errorMessage(err);
    } finally {
      this.busy = false;
      if (!this.modal.closed) this.confirm.disabled = false;
    }
  }
}
