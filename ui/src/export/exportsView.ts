// Background exports (SPEC 4.3): the panel docked bottom-right with each running export's
// progress bar and Cancel, then its "ready" notice with Save as… and Show in folder and the
// e-mail's fate (Retry when it failed); and the Exports screen listing every export with its
// status, rows, size and who ran it.
import { h } from "../shell/dom";
import { JobPanel, progressBar } from "../shell/jobPanel";
import { Latest } from "../shell/latest";
import { formatCount, formatDateTime } from "../shell/format";
import {
  cancelExport,
  exportJobs,
  jobMails,
  retryJobMail,
  saveExportAs,
  showExportInFolder,
  type ExportJob,
  type ExportProgress,
  type JobMail,
} from "../ipc";
import { baseName, exportStatusLabel, formatBytes, mailLabel, mailRetryable } from "./exportLogic";
import { progressPercent } from "../import/importLogic";
import { errorMessage, jobErrorText, showError, showToast } from "../shell/toast";
import { common } from "../i18n/common";
import { m } from "./messages";

/** The e-mail line of an export, with Retry when it failed or was skipped for a fixable reason. */
function mailLine(job: ExportJob, mail: JobMail | undefined, prefix: string, onChange: (m: JobMail) => void): HTMLElement | null {
  if (!mail) return null;
  const retry =
    mailRetryable(mail)
      ? h(
          "button",
          {
            type: "button",
            class: "link-button",
            "data-testid": `${prefix}-mail-retry-${job.id}`,
            onclick: (e: Event) => {
              const b = e.currentTarget as HTMLButtonElement;
              b.disabled = true;
              void retryJobMail("export", job.id).then(onChange, (err: unknown) => {
                b.disabled = false;
                showError(err);
              });
            },
          },
          m.retry,
        )
      : null;
  return h(
    "div",
    { class: `export-mail mail-${mail.status}`, "data-testid": `${prefix}-mail-${job.id}`, "data-status": mail.status, "data-reason": mail.reason ?? "" },
    h("span", null, mailLabel(mail)),
    retry ? " " : null,
    retry,
  );
}

async function saveAs(job: ExportJob): Promise<void> {
  try {
    const path = await saveExportAs(job.id);
    if (path) showToast(m.savedExportTo(path));
  } catch (err) {
    showError(err);
  }
}

async function reveal(job: ExportJob): Promise<void> {
  try {
    await showExportInFolder(job.id);
  } catch (err) {
    showError(err);
  }
}

/** Save as… and Show in folder; `prefix` keeps the panel's and the screen's test ids apart. */
function fileActions(job: ExportJob, prefix: string): HTMLElement[] {
  return [
    h(
      "button",
      { type: "button", class: "button button-secondary button-small", "data-testid": `${prefix}-saveas-${job.id}`, onclick: () => void saveAs(job) },
      m.saveAs,
    ),
    h(
      "button",
      { type: "button", class: "button button-ghost button-small", "data-testid": `${prefix}-show-${job.id}`, onclick: () => void reveal(job) },
      m.showInFolder,
    ),
  ];
}

/** The exports panel: running exports, then a notice per finished one until dismissed. */
export class ExportsPanel {
  private readonly mails = new Map<number, JobMail>();
  private readonly panel: JobPanel<ExportJob> = new JobPanel<ExportJob>({
    title: m.panelTitle,
    label: m.panelLabel,
    testid: "exports-panel",
    className: "exports-panel",
    isActive: (j) => j.status === "queued" || j.status === "running",
    finished: "notice",
    loadReplaces: false,
    // Written at once (no background): the save dialog already said where.
    ignore: (j) => !j.background && j.status === "done",
    newestFirst: true,
    renderItem: (job) => this.item(job),
  });

  get element(): HTMLElement {
    return this.panel.element;
  }

  /** Running and waiting exports after a start or restart. */
  load(jobs: readonly ExportJob[]): void {
    this.panel.load(jobs);
  }

  /** A background export was queued here, or one changed (finished ones become notices). */
  upsert(job: ExportJob): void {
    this.panel.upsert(job);
  }

  progress(p: ExportProgress): void {
    this.panel.progress(p);
  }

  mail(jobMail: JobMail): void {
    if (jobMail.jobKind !== "export") return;
    this.mails.set(jobMail.jobId, jobMail);
    this.panel.render();
  }

  private dismiss(id: number): void {
    this.panel.dismiss(id);
  }

  private item(job: ExportJob): HTMLElement {
    const active = job.status === "queued" || job.status === "running";
    const head = h(
      "div",
      { class: "job-line" },
      h("span", { class: "job-name", title: job.description }, active ? m.profiles(job.totalRows) : baseName(job.path) || m.exportFallbackName),
      h("span", { class: "job-status", "data-testid": `export-status-${job.id}` }, exportStatusLabel(job)),
    );
    if (active) {
      const pct = progressPercent(job.rowsDone, job.totalRows);
      const cancel = h(
        "button",
        {
          type: "button",
          class: "button button-secondary button-small",
          "data-testid": `export-cancel-${job.id}`,
          onclick: () => {
            cancel.disabled = true;
            void cancelExport(job.id).then(
              () => showToast(m.cancellingExport, "info"),
              (err: unknown) => {
                cancel.disabled = false;
                showError(err);
              },
            );
          },
        },
        common.cancel,
      );
      return h(
        "li",
        { class: "job", "data-testid": `export-job-${job.id}`, "data-status": job.status },
        head,
        progressBar(pct, { "aria-label": m.progressLabel, "data-testid": `export-progress-${job.id}` }),
        h("div", { class: "job-line" }, h("span", { class: "job-rows muted" }, m.jobRows(job.rowsDone, job.totalRows)), cancel),
      );
    }
    const close = h("button", {
      type: "button",
      class: "icon-button close-glyph",
      "aria-label": m.dismiss,
      "data-testid": `export-dismiss-${job.id}`,
      onclick: () => this.dismiss(job.id),
    });
    return h(
      "li",
      { class: "job export-notice", role: "status", "data-testid": `export-notice-${job.id}`, "data-status": job.status },
      h("div", { class: "job-line" }, head, close),
      job.status === "done"
        ? h("p", { class: "muted export-notice-text" }, m.ready(job.rowsDone, formatBytes(job.fileBytes)))
        : h("p", { class: job.status === "failed" ? "field-error" : "muted" }, jobErrorText(job) ?? exportStatusLabel(job)),
      job.status === "done" ? h("div", { class: "job-line export-actions" }, ...fileActions(job, "export")) : null,
      mailLine(job, this.mails.get(job.id), "export", (jobMail) => this.mail(jobMail)),
    );
  }
}

export interface ExportsViewOptions {
  onBack(): void;
}

function headers(): string[] {
  return [m.headStarted, m.headUser, m.headRowsOf, m.headFields, m.headRows, m.headSize, m.headStatus, m.headMail, ""];
}

/** The Exports screen: every export, newest first. */
export class ExportsView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly seq = new Latest();
  private readonly mails = new Map<number, JobMail>();

  constructor(private readonly opts: ExportsViewOptions) {
    this.body = h("div", { class: "report-body" });
    this.element = h(
      "section",
      { class: "detail-view report-view", "data-testid": "exports-view", hidden: true },
      h(
        "header",
        { class: "detail-head" },
        h("button", { type: "button", class: "button button-ghost back", "data-testid": "exports-back", onclick: () => opts.onBack() }, m.backToProfiles),
        h("div", { class: "detail-title" }, h("h1", null, m.screenTitle)),
        h("div", { class: "detail-meta" }, m.screenMeta),
        h(
          "div",
          { class: "detail-actions" },
          h("button", { type: "button", class: "button button-secondary", "data-testid": "exports-refresh", onclick: () => void this.refresh() }, common.refresh),
        ),
      ),
      this.body,
    );
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        opts.onBack();
      }
    });
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  mail(jobMail: JobMail): void {
    if (jobMail.jobKind !== "export") return;
    this.mails.set(jobMail.jobId, jobMail);
    if (this.shown) void this.refresh();
  }

  async refresh(): Promise<void> {
    const isLatest = this.seq.begin();
    if (!this.body.firstChild) this.body.replaceChildren(h("div", { class: "detail-loading", role: "status" }, common.loadingWhat(m.theExports)));
    try {
      const [jobs, mails] = await Promise.all([exportJobs(), jobMails("export")]);
      if (!isLatest()) return;
      for (const jobMail of mails) this.mails.set(jobMail.jobId, jobMail);
      this.render(jobs);
    } catch (err) {
      if (!isLatest()) return;
      this.body.replaceChildren(h("div", { class: "state-panel compact" }, h("h2", null, m.couldNotLoadExports), h("p", null, errorMessage(err))));
    }
  }

  private render(jobs: readonly ExportJob[]): void {
    if (jobs.length === 0) {
      this.body.replaceChildren(
        h("div", { class: "state-panel compact", "data-testid": "exports-empty" }, h("h2", null, m.noExports), h("p", null, m.noExportsHint)),
      );
      return;
    }
    this.body.replaceChildren(
      h(
        "div",
        { class: "card report-card" },
        h(
          "table",
          { class: "mini-table report-table", "data-testid": "exports-table" },
          h("thead", null, h("tr", null, headers().map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", null, jobs.map((j) => this.row(j))),
        ),
      ),
    );
  }

  private row(job: ExportJob): HTMLElement {
    return h(
      "tr",
      { "data-testid": `exports-row-${job.id}`, "data-status": job.status },
      h("td", null, formatDateTime(job.startedAt ?? job.createdAt)),
      h("td", null, job.createdBy),
      h("td", { class: "report-file", title: job.description }, job.description),
      h("td", null, job.fields === "all" ? m.fieldsAll : m.fieldsDisplayed),
      h("td", { class: "num" }, formatCount(job.status === "done" ? job.rowsDone : job.totalRows)),
      h("td", { class: "num" }, formatBytes(job.fileBytes)),
      h(
        "td",
        null,
        h("span", { class: `badge job-badge-${job.status}`, "data-testid": `exports-status-${job.id}` }, exportStatusLabel(job)),
        job.background ? null : h("span", { class: "muted" }, m.atOnce),
        job.error ? h("div", { class: "field-error" }, jobErrorText(job)) : null,
      ),
      h("td", null, mailLine(job, this.mails.get(job.id), "exports", (jobMail) => this.mail(jobMail))),
      h("td", null, h("div", { class: "report-actions" }, job.status === "done" ? fileActions(job, "exports") : null)),
    );
  }
}
