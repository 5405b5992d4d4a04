// The export dialog (SPEC 4.3): which rows (the current filter, or the selected rows), which
// fields (displayed or all), the count from the core, and then — up to the direct limit — the
// native save dialog and the file at once, or a background export that e-mails the file — or,
// when no mail server is set up, says so before it starts: the file is then only saved.
import { h, replace, uid } from "../shell/dom";
import { Latest } from "../shell/latest";
import { Modal } from "../shell/modal";
import { formatCount } from "../shell/format";
import { common } from "../i18n/common";
import {
  exportNow,
  exportPlan,
  jobMails,
  mailSettings,
  myMailAddress,
  setMyMailAddress,
  startExport,
  type ExportFields,
  type ExportJob,
  type ExportPlan,
  type ListQuery,
} from "../ipc";
import { exportRequest, mailServerFromHistory, type MailServer } from "./exportLogic";
import { errorMessage, showToast } from "../shell/toast";
import { m } from "./messages";

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
  /** Whether the file can be e-mailed; null until known (a background export waits for it). */
  private mailServer: MailServer | null = null;

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
            h("legend", null, m.rowsLegend),
            radio(group, "selected", true, "export-scope-selection", m.selectedRows(opts.selected.length), m.selectedRowsHint, () => this.pickRows(true)),
            radio(group, "filter", false, "export-scope-filter", m.everyProfile, m.everyProfileHint, () => this.pickRows(false)),
          )
        : null;
    const fieldsGroup = uid("export-fields");
    this.summary = h("p", { class: "export-summary", "data-testid": "export-count", "aria-live": "polite" }, m.counting);
    this.mode = h("div", { class: "export-mode", "data-testid": "export-mode" });
    this.error = h("div", { class: "field-error", role: "alert", "data-testid": "export-error" });
    this.modal = new Modal({
      title: m.dialogTitle,
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
          h("legend", null, m.fieldsLegend),
          radio(fieldsGroup, "displayed", true, "export-fields-displayed", m.displayedFields, m.displayedFieldsHint(opts.columns.length), () => this.pickFields("displayed")),
          radio(fieldsGroup, "all", false, "export-fields-all", m.allFields, m.allFieldsHint, () => this.pickFields("all")),
        ),
        this.summary,
        this.mode,
        this.error,
      ],
      start: [{ key: "cancel", label: common.cancel, testid: "export-cancel" }],
      end: [{ key: "confirm", label: m.exportNow, kind: "primary", testid: "export-confirm", disabled: true, onClick: () => void this.run() }],
    });
    this.confirm = this.modal.button("confirm");
  }

  open(parent: HTMLElement): void {
    this.modal.open(parent, this.modal.dialog.querySelector<HTMLInputElement>('input[type="radio"]:checked'));
    void this.loadAddress();
    void this.loadMailServer();
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

  /**
   * Whether a mail server is set up: the mail settings say so to an administrator; anyone else
   * learns it from the newest result e-mail. Known neither way (no e-mail yet), the dialog
   * promises what it always did.
   */
  private async loadMailServer(): Promise<void> {
    let known: MailServer | null = null;
    try {
      known = (await mailSettings()).host.trim() === "" ? "notConfigured" : "configured";
    } catch {
      try {
        const [exports, imports] = await Promise.all([jobMails("export"), jobMails("import")]);
        known = mailServerFromHistory([...exports, ...imports]);
      } catch {
        known = null;
      }
    }
    this.mailServer = known ?? "configured";
    this.paintMode();
    this.paintConfirm();
  }

  /** Export is offered once the count is in, and a background one once it can say how the file comes. */
  private paintConfirm(): void {
    const plan = this.plan;
    this.confirm.disabled = this.busy || !plan || plan.rows === 0 || (plan.background && this.mailServer === null);
  }

  private async refresh(): Promise<void> {
    const isLatest = this.planRequest.begin();
    this.confirm.disabled = true;
    this.error.textContent = "";
    this.summary.textContent = m.counting;
    try {
      const plan = await exportPlan(this.request());
      if (!isLatest()) return;
      this.plan = plan;
      this.summary.replaceChildren(
        h("strong", { "data-testid": "export-rows" }, formatCount(plan.rows)),
        m.planAfterCount(plan.rows, plan.columns.length),
        h("span", { class: "muted" }, plan.columns.join(", ")),
      );
      this.confirm.textContent = plan.background ? m.startExport : m.exportNow;
      this.paintConfirm();
      if (plan.rows === 0) this.error.textContent = m.nothingToExport;
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
        h("p", { class: "export-note" }, m.directNote(plan.directLimit)),
      );
      return;
    }
    const mail =
      this.mailServer === null
        ? null
        : this.mailServer === "notConfigured"
        ? h("p", { class: "export-mail-off", "data-testid": "export-mail-off" }, h("strong", null, m.mailOffTitle), m.mailOffBody)
        : this.address
          ? h("p", { class: "muted", "data-testid": "export-mail-to" }, m.mailToBefore, h("strong", null, this.address), m.mailToAfter)
          : this.addressForm();
    replace(this.mode, h("p", { class: "export-note" }, m.backgroundNote(plan.directLimit)), mail);
  }

  /** No address yet: the user may add theirs to get the file by e-mail. */
  private addressForm(): HTMLElement {
    const input = h("input", { type: "email", "data-testid": "export-mail-address", placeholder: m.addressPlaceholder, "aria-label": m.addressLabel });
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
      common.save,
    );
    return h(
      "div",
      { class: "export-address" },
      h("p", { class: "muted" }, m.addressPrompt),
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
        showToast(m.exportingInBackground(plan.rows), "info");
        this.opts.onStarted(job);
      } else {
        const job = await exportNow(this.request());
        if (!job) return; // the save dialog was cancelled: the dialog stays
        this.close();
        showToast(m.exportedTo(job.rowsDone, job.path ?? m.theFile));
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
