// Background exports (SPEC 4.3): the panel docked bottom-right with each running export's
// progress bar and Cancel, then its "ready" notice with Save as… and Show in folder and the
// e-mail's fate (Retry when it failed); and the Exports screen listing every export with its
// status, rows, size and who ran it.
import { h } from "../shell/dom";
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
import { baseName, exportStatusLabel, formatBytes, mailLabel } from "./exportLogic";
import { progressPercent } from "../import/importLogic";
import { errorMessage, showError, showToast } from "../shell/toast";

/** The e-mail line of an export, with Retry when it failed or was skipped for a fixable reason. */
function mailLine(job: ExportJob, mail: JobMail | undefined, prefix: string, onChange: (m: JobMail) => void): HTMLElement | null {
  if (!mail) return null;
  const retry =
    mail.status === "failed"
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
          "Retry",
        )
      : null;
  return h(
    "div",
    { class: `export-mail mail-${mail.status}`, "data-testid": `${prefix}-mail-${job.id}`, "data-status": mail.status },
    h("span", null, mailLabel(mail)),
    retry ? " " : null,
    retry,
  );
}

async function saveAs(job: ExportJob): Promise<void> {
  try {
    const path = await saveExportAs(job.id);
    if (path) showToast(`Saved the export to ${path}`);
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
      "Save as…",
    ),
    h(
      "button",
      { type: "button", class: "button button-ghost button-small", "data-testid": `${prefix}-show-${job.id}`, onclick: () => void reveal(job) },
      "Show in folder",
    ),
  ];
}

export class ExportsPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly jobs = new Map<number, ExportJob>();
  private readonly mails = new Map<number, JobMail>();

  constructor() {
    this.list = h("ul", { class: "jobs-list" });
    this.element = h(
      "aside",
      { class: "jobs-panel exports-panel", "data-testid": "exports-panel", "aria-label": "Exports", hidden: true },
      h("h2", { class: "jobs-title" }, "Exports"),
      this.list,
    );
  }

  /** Running and waiting exports after a start or restart. */
  load(jobs: readonly ExportJob[]): void {
    for (const j of jobs) if (j.status === "queued" || j.status === "running") this.jobs.set(j.id, { ...j });
    this.render();
  }

  /** A background export was queued here, or one changed (finished ones become notices). */
  upsert(job: ExportJob): void {
    if (!job.background && job.status === "done") return;
    this.jobs.set(job.id, { ...job });
    this.render();
  }

  progress(p: ExportProgress): void {
    const job = this.jobs.get(p.jobId);
    if (!job) return;
    job.rowsDone = p.rowsDone;
    job.totalRows = p.totalRows;
    if (job.status === "queued") job.status = "running";
    this.render();
  }

  mail(m: JobMail): void {
    if (m.jobKind !== "export") return;
    this.mails.set(m.jobId, m);
    this.render();
  }

  private dismiss(id: number): void {
    this.jobs.delete(id);
    this.render();
  }

  private render(): void {
    this.element.hidden = this.jobs.size === 0;
    const sorted = [...this.jobs.values()].sort((a, b) => b.id - a.id);
    this.list.replaceChildren(...sorted.map((j) => this.item(j)));
  }

  private item(job: ExportJob): HTMLElement {
    const active = job.status === "queued" || job.status === "running";
    const head = h(
      "div",
      { class: "job-line" },
      h("span", { class: "job-name", title: job.description }, active ? `${formatCount(job.totalRows)} profiles` : baseName(job.path) || "Export"),
      h("span", { class: "job-status", "data-testid": `export-status-${job.id}` }, exportStatusLabel(job)),
    );
    if (active) {
      const pct = progressPercent(job.rowsDone, job.totalRows);
      const fill = h("div", { class: "progress-fill" });
      fill.style.width = `${pct}%`;
      const cancel = h(
        "button",
        {
          type: "button",
          class: "button button-secondary button-small",
          "data-testid": `export-cancel-${job.id}`,
          onclick: () => {
            cancel.disabled = true;
            void cancelExport(job.id).then(
              () => showToast("Cancelling the export", "info"),
              (err: unknown) => {
                cancel.disabled = false;
                showError(err);
              },
            );
          },
        },
        "Cancel",
      );
      return h(
        "li",
        { class: "job", "data-testid": `export-job-${job.id}`, "data-status": job.status },
        head,
        h(
          "div",
          { class: "progress", role: "progressbar", "aria-label": "Export progress", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": pct, "data-testid": `export-progress-${job.id}` },
          fill,
        ),
        h("div", { class: "job-line" }, h("span", { class: "job-rows muted" }, `${formatCount(job.rowsDone)} / ${formatCount(job.totalRows)} rows`), cancel),
      );
    }
    const close = h("button", {
      type: "button",
      class: "icon-button close-glyph",
      "aria-label": "Dismiss",
      "data-testid": `export-dismiss-${job.id}`,
      onclick: () => this.dismiss(job.id),
    });
    return h(
      "li",
      { class: "job export-notice", role: "status", "data-testid": `export-notice-${job.id}`, "data-status": job.status },
      h("div", { class: "job-line" }, head, close),
      job.status === "done"
        ? h("p", { class: "muted export-notice-text" }, `${formatCount(job.rowsDone)} profiles, ${formatBytes(job.fileBytes)}. Your export is ready.`)
        : h("p", { class: job.status === "failed" ? "field-error" : "muted" }, job.error ?? exportStatusLabel(job)),
      job.status === "done" ? h("div", { class: "job-line export-actions" }, ...fileActions(job, "export")) : null,
      mailLine(job, this.mails.get(job.id), "export", (m) => this.mail(m)),
    );
  }
}

export interface ExportsViewOptions {
  onBack(): void;
}

const HEADERS = ["Started", "User", "Rows of", "Fields", "Rows", "Size", "Status", "E-mail", ""];

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
        h("button", { type: "button", class: "button button-ghost back", "data-testid": "exports-back", onclick: () => opts.onBack() }, "← Back to profiles"),
        h("div", { class: "detail-title" }, h("h1", null, "Exports")),
        h("div", { class: "detail-meta" }, "Every export, newest first. Background exports keep their file in the exports folder."),
        h(
          "div",
          { class: "detail-actions" },
          h("button", { type: "button", class: "button button-secondary", "data-testid": "exports-refresh", onclick: () => void this.refresh() }, "Refresh"),
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

  mail(m: JobMail): void {
    if (m.jobKind !== "export") return;
    this.mails.set(m.jobId, m);
    if (this.shown) void this.refresh();
  }

  async refresh(): Promise<void> {
    const isLatest = this.seq.begin();
    if (!this.body.firstChild) this.body.replaceChildren(h("div", { class: "detail-loading", role: "status" }, "Loading exports…"));
    try {
      const [jobs, mails] = await Promise.all([exportJobs(), jobMails("export")]);
      if (!isLatest()) return;
      for (const m of mails) this.mails.set(m.jobId, m);
      this.render(jobs);
    } catch (err) {
      if (!isLatest()) return;
      this.body.replaceChildren(h("div", { class: "state-panel compact" }, h("h2", null, "Could not load the exports"), h("p", null, errorMessage(err))));
    }
  }

  private render(jobs: readonly ExportJob[]): void {
    if (jobs.length === 0) {
      this.body.replaceChildren(
        h("div", { class: "state-panel compact", "data-testid": "exports-empty" }, h("h2", null, "No exports yet"), h("p", null, "Exports made with the Export button of the list are listed here.")),
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
          h("thead", null, h("tr", null, HEADERS.map((t) => h("th", { scope: "col" }, t)))),
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
      h("td", null, job.fields === "all" ? "All" : "Displayed"),
      h("td", { class: "num" }, formatCount(job.status === "done" ? job.rowsDone : job.totalRows)),
      h("td", { class: "num" }, formatBytes(job.fileBytes)),
      h(
        "td",
        null,
        h("span", { class: `badge job-badge-${job.status}`, "data-testid": `exports-status-${job.id}` }, exportStatusLabel(job)),
        job.background ? null : h("span", { class: "muted" }, " · at once"),
        job.error ? h("div", { class: "field-error" }, job.error) : null,
      ),
      h("td", null, mailLine(job, this.mails.get(job.id), "exports", (m) => this.mail(m))),
      h("td", null, h("div", { class: "report-actions" }, job.status === "done" ? fileActions(job, "exports") : null)),
    );
  }
}
