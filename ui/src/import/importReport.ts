// The File Upload Connector Report (SPEC 4.1): every import job with its
// counts, the failed rows as .xlsx, and Undo for finished jobs; and every file
// refused at upload, with why, who and when.
import { h } from "../shell/dom";
import { Latest } from "../shell/latest";
import { Modal } from "../shell/modal";
import { formatCount, formatDateTime, serverName } from "../shell/format";
import { common } from "../i18n/common";
import {
  importJobs,
  jobMails,
  refusedUploads,
  retryJobMail,
  saveFailedRows,
  syncJobOps,
  syncStatus,
  undoImport,
  type JobMail,
  type JobOps,
  type JobSummary,
  type RefusedUpload,
} from "../ipc";
import { mailLabel, mailRetryable } from "../export/exportLogic";
import { fixesText, guardLines, jobDuration, jobLabel, sharedKeyWithRows, statusLabel, undoSyncNote } from "./importLogic";
import { errorMessage, showError, showToast } from "../shell/toast";
import { m } from "./messages";
import { jobFailureView, refusalDetail, refusalText } from "./refusals";

export interface ImportReportOptions {
  onBack(): void;
  /** An undo changed profiles; the list should refetch. */
  onChanged(): void;
  /** "Show profiles": the list filtered to what job `jobId` created or updated. */
  onShowProfiles?(jobId: number): void;
  /** The job's "reviews" count: the merge review screen on the reviews of job `jobId`. */
  onShowReviews?(jobId: number): void;
}

/** The table's column headers; `num`: a column of counts, right-aligned like its numbers. */
function headers(): Array<{ text: string; num: boolean }> {
  const text = (t: string): { text: string; num: boolean } => ({ text: t, num: false });
  const num = (t: string): { text: string; num: boolean } => ({ text: t, num: true });
  return [
    text(m.headFile),
    text(m.headUser),
    text(m.headStarted),
    text(m.headDuration),
    text(m.headStatus),
    num(m.headRows),
    num(m.headCreated),
    num(m.headUpdated),
    num(m.headDuplicates),
    num(m.headReviews),
    num(m.headFailed),
    text(""),
  ];
}

export class ImportReport {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly loadSeq = new Latest();
  private busy = false;
  /** The result e-mail of each job that had one (sent, failed with Retry, skipped). */
  private mails = new Map<number, JobMail>();

  constructor(private readonly opts: ImportReportOptions) {
    this.body = h("div", { class: "report-body" });
    this.element = h(
      "section",
      { class: "detail-view report-view", "data-testid": "import-report", hidden: true },
      h(
        "header",
        { class: "detail-head" },
        h(
          "button",
          { type: "button", class: "button button-ghost back", "data-testid": "report-back", onclick: () => opts.onBack() },
          m.backToProfiles,
        ),
        h("div", { class: "detail-title" }, h("h1", null, m.reportTitle)),
        h("div", { class: "detail-meta" }, m.reportMeta),
        h(
          "div",
          { class: "detail-actions" },
          h(
            "button",
            { type: "button", class: "button button-secondary", "data-testid": "report-refresh", onclick: () => void this.refresh() },
            common.refresh,
          ),
        ),
      ),
      this.body,
    );
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !this.element.querySelector(".modal-backdrop")) {
        e.stopPropagation();
        opts.onBack();
      }
    });
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  async refresh(): Promise<void> {
    const isLatest = this.loadSeq.begin();
    if (!this.body.firstChild) this.body.replaceChildren(h("div", { class: "detail-loading", role: "status" }, common.loadingWhat(m.theImports)));
    try {
      const [jobs, mails, refused] = await Promise.all([importJobs(), jobMails("import").catch(() => []), refusedUploads()]);
      if (!isLatest()) return;
      this.mails = new Map(mails.map((mail) => [mail.jobId, mail]));
      this.render(jobs, refused);
    } catch (err) {
      if (!isLatest()) return;
      this.body.replaceChildren(
        h("div", { class: "state-panel compact" }, h("h2", null, m.couldNotLoadImports), h("p", null, errorMessage(err))),
      );
    }
  }

  render(jobs: readonly JobSummary[], refused: readonly RefusedUpload[] = []): void {
    if (jobs.length === 0 && refused.length === 0) {
      this.body.replaceChildren(
        h(
          "div",
          { class: "state-panel compact", "data-testid": "report-empty" },
          h("h2", null, m.noImports),
          h("p", null, m.noImportsHint),
        ),
      );
      return;
    }
    // Newest first, jobs and refusals together (their times are ISO 8601 UTC: they sort as text).
    const rows = [
      ...jobs.map((j) => ({ at: j.createdAt, id: j.id, row: () => this.row(j) })),
      ...refused.map((r) => ({ at: r.refusedAt, id: 0, row: () => this.refusedRow(r) })),
    ].sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1));
    this.body.replaceChildren(
      h(
        "div",
        { class: "card report-card" },
        h(
          "table",
          { class: "mini-table report-table", "data-testid": "report-table" },
          h("thead", null, h("tr", null, headers().map((t) => h("th", { scope: "col", class: t.num ? "num" : undefined }, t.text)))),
          h("tbody", null, rows.map((r) => r.row())),
        ),
      ),
    );
  }

  /**
   * A file refused at upload: never a job, so no counts and nothing to undo. Why, in the
   * reader's language from the kept code and details; a refusal kept before the details were
   * (or one this UI cannot word) keeps the core's English sentence.
   */
  private refusedRow(refused: RefusedUpload): HTMLElement {
    const none = (): HTMLElement => h("td", { class: "num muted" }, "—");
    const why = refusalText(refused.code, refused.details);
    return h(
      "tr",
      { "data-testid": `report-refused-${refused.id}`, "data-status": "refused" },
      h("td", { class: "report-file" }, refused.fileName),
      h("td", { class: "report-nowrap" }, refused.refusedBy),
      h("td", { class: "report-nowrap" }, formatDateTime(refused.refusedAt)),
      h("td", { class: "report-nowrap muted" }, "—"),
      h(
        "td",
        null,
        h("span", { class: "badge job-badge-refused" }, m.refusedAtUpload),
        h("div", { class: "field-error", "data-testid": `report-refused-reason-${refused.id}` }, why?.sentence ?? refused.reason),
        refusalDetail(why?.detail ?? null, `report-refused-detail-${refused.id}`),
      ),
      none(),
      none(),
      none(),
      none(),
      none(),
      none(),
      h("td", null),
    );
  }

  private row(job: JobSummary): HTMLElement {
    const c = job.counts;
    const num = (n: number, testid: string): HTMLElement => h("td", { class: "num", "data-testid": testid }, formatCount(n));
    const failedButton = h(
      "button",
      {
        type: "button",
        class: "button button-secondary button-small",
        "data-testid": `report-failed-${job.id}`,
        disabled: c.failed === 0,
        title: c.failed === 0 ? m.noFailedRows : m.saveFailedRowsHint,
        onclick: () => void this.downloadFailed(job, failedButton),
      },
      m.downloadFailedRows,
    );
    const undoButton =
      job.status === "done"
        ? h(
            "button",
            {
              type: "button",
              class: "button button-danger-ghost button-small",
              "data-testid": `report-undo-${job.id}`,
              onclick: () => this.askUndo(job),
            },
            m.undo,
          )
        : null;
    const touched = c.created + c.updated + c.duplicates;
    const showButton = this.opts.onShowProfiles
      ? h(
          "button",
          {
            type: "button",
            class: "button button-secondary button-small",
            "data-testid": `report-show-${job.id}`,
            disabled: touched === 0,
            title: touched === 0 ? m.showProfilesNone : m.showProfilesHint,
            onclick: () => this.opts.onShowProfiles?.(job.id),
          },
          m.showProfiles,
        )
      : null;
    return h(
      "tr",
      { "data-testid": `report-row-${job.id}`, "data-status": job.status },
      h("td", { class: "report-file" }, jobLabel(job), this.fixesLine(job), this.guardLine(job), this.sharedKeys(job)),
      h("td", { class: "report-nowrap" }, job.createdBy),
      h("td", { class: "report-nowrap" }, formatDateTime(job.startedAt ?? job.createdAt)),
      h("td", { class: "report-nowrap" }, jobDuration(job)),
      h(
        "td",
        null,
        h("span", { class: `badge job-badge-${job.status}`, "data-testid": `report-status-${job.id}` }, statusLabel(job.status)),
        jobFailureView(job, `report-error-${job.id}`),
        this.mailLine(job),
      ),
      num(c.rows || job.totalRows, `report-rows-${job.id}`),
      num(c.created, `report-created-${job.id}`),
      num(c.updated, `report-updated-${job.id}`),
      num(c.duplicates, `report-duplicates-${job.id}`),
      c.reviews > 0 && this.opts.onShowReviews
        ? h(
            "td",
            { class: "num", "data-testid": `report-reviews-${job.id}` },
            h(
              "button",
              {
                type: "button",
                class: "link-button",
                "data-testid": `report-open-reviews-${job.id}`,
                title: m.openReviewsHint,
                onclick: () => this.opts.onShowReviews?.(job.id),
              },
              formatCount(c.reviews),
            ),
          )
        : num(c.reviews, `report-reviews-${job.id}`),
      num(c.failed, `report-failed-count-${job.id}`),
      h("td", null, h("div", { class: "report-actions" }, showButton, failedButton, undoButton)),
    );
  }

  /** The rows corrected or left out before Confirm (issue 16), when there were any. */
  private fixesLine(job: JobSummary): HTMLElement | null {
    const text = fixesText(job.counts);
    return text ? h("p", { class: "report-fixes", "data-testid": `report-fixes-${job.id}` }, text) : null;
  }

  /** What the synchronization rule's guards did in this job, only the ones that acted. */
  private guardLine(job: JobSummary): HTMLElement | null {
    const lines = guardLines(job.counts);
    if (lines.length === 0) return null;
    return h(
      "ul",
      { class: "report-guards", "data-testid": `report-guards-${job.id}` },
      lines.map((l) => h("li", { "data-testid": `report-guard-${l.key}-${job.id}` }, l.text)),
    );
  }

  /** The values the job's source shared among many people, folded: the list can be long. */
  private sharedKeys(job: JobSummary): HTMLElement | null {
    if (job.sharedKeys.length === 0) return null;
    return h(
      "details",
      { class: "report-shared", "data-testid": `report-shared-${job.id}` },
      h("summary", null, m.sharedValues(job.sharedKeys.length)),
      h(
        "ul",
        null,
        job.sharedKeys.map((k, i) => h("li", { "data-testid": `report-shared-key-${job.id}-${i}` }, sharedKeyWithRows(k))),
      ),
    );
  }

  /** The job's result e-mail — sent, or not sent and why (no address, a domain not allowed,
   * e-mail not set up, no keychain, the server's refusal) — with Retry when that may help (the
   * e-mail never changes the job). */
  private mailLine(job: JobSummary): HTMLElement | null {
    const mail = this.mails.get(job.id);
    if (!mail) return null;
    const retry =
      mailRetryable(mail)
        ? h(
            "button",
            {
              type: "button",
              class: "link-button",
              "data-testid": `report-mail-retry-${job.id}`,
              onclick: (e: Event) => {
                const b = e.currentTarget as HTMLButtonElement;
                b.disabled = true;
                void retryJobMail("import", job.id).then(
                  () => void this.refresh(),
                  (err: unknown) => {
                    b.disabled = false;
                    showError(err);
                  },
                );
              },
            },
            m.retry,
          )
        : null;
    return h(
      "div",
      { class: `export-mail mail-${mail.status}`, "data-testid": `report-mail-${job.id}`, "data-status": mail.status, "data-reason": mail.reason ?? "" },
      mailLabel(mail),
      retry ? " " : null,
      retry,
    );
  }

  private async downloadFailed(job: JobSummary, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const path = await saveFailedRows(job.id);
      if (path) showToast(m.savedFailedRows(path));
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
    }
  }

  /** Undo asks first: it removes created profiles and restores updated fields. */
  private askUndo(job: JobSummary): void {
    void syncStatus().then(
      async (status) => {
        if (!status.connected) return this.openUndo(job, null);
        const ops = await syncJobOps(job.id).catch(() => null);
        this.openUndo(job, { server: serverName(status.serverUrl ?? ""), ops });
      },
      () => this.openUndo(job, null),
    );
  }

  /** The Undo dialog; `sync`: the CDP server this store syncs with and the job's ops, if any. */
  private openUndo(job: JobSummary, sync: { server: string; ops: JobOps | null } | null): void {
    const modal: Modal = new Modal({
      title: m.undoTitle(jobLabel(job)),
      titleId: "undo-title",
      testid: "undo-confirm",
      role: "alertdialog",
      body: h(
        "div",
        null,
        h(
          "p",
          null,
          m.undoBody(job.counts.created, job.counts.updated),
        ),
        sync ? h("p", { "data-testid": "undo-sync-note" }, undoSyncNote(sync.server, sync.ops)) : null,
      ),
      start: [{ key: "cancel", label: m.keep, testid: "undo-confirm-no" }],
      end: [
        {
          key: "yes",
          label: m.undoImport,
          kind: "danger",
          testid: "undo-confirm-yes",
          onClick: () => void this.undo(job, () => modal.close(), modal.button("yes")),
        },
      ],
    });
    modal.open(document.body, modal.button("cancel"));
  }

  private async undo(job: JobSummary, close: () => void, button: HTMLButtonElement): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    button.disabled = true;
    try {
      const result = await undoImport(job.id);
      close();
      showToast(result.message, result.kept.length > 0 ? "info" : undefined);
      this.opts.onChanged();
      await this.refresh();
    } catch (err) {
      close();
      showError(err);
    } finally {
      this.busy = false;
      button.disabled = false;
    }
  }
}
