// Running imports (SPEC 4.1 "Processing"): a panel docked bottom-left with a
// progress bar and Cancel per queued/running job, and the pop-up that tells
// the result when a job finishes.
import { h } from "../shell/dom";
import { JobPanel, progressBar } from "../shell/jobPanel";
import { Modal } from "../shell/modal";
import { formatCount } from "../shell/format";
import { common } from "../i18n/common";
import { cancelImport, type ImportProgress, type JobSummary } from "../ipc";
import { countLabels, fixesText, guardLines, jobLabel, progressPercent, sharedKeyWithRows, statusLabel } from "./importLogic";
import { showError, showToast } from "../shell/toast";
import { m } from "./messages";
import { jobFailureView } from "./refusals";

function isActive(job: JobSummary): boolean {
  return job.status === "queued" || job.status === "running";
}

/** The imports panel: a finished job leaves it (its result pops up) and never comes back. */
export class JobsPanel {
  private readonly panel: JobPanel<JobSummary> = new JobPanel<JobSummary>({
    title: m.jobsTitle,
    label: m.jobsLabel,
    testid: "import-jobs-panel",
    isActive,
    finished: "leave",
    loadReplaces: true,
    renderItem: (job) => this.item(job),
  });

  get element(): HTMLElement {
    return this.panel.element;
  }

  /** Replaces the panel's jobs with the active ones of `jobs` (e.g. after a restart), in the
   * order they run: the worker takes the oldest first (the core lists them newest first). */
  load(jobs: readonly JobSummary[]): void {
    this.panel.load([...jobs].sort((a, b) => a.id - b.id));
  }

  /** A job was queued here or changed state. Finished jobs leave the panel. */
  upsert(job: JobSummary): void {
    this.panel.upsert(job);
  }

  progress(p: ImportProgress): void {
    this.panel.progress(p);
  }

  get activeIds(): number[] {
    return this.panel.ids;
  }

  /** A job's place in line: the worker runs one job at a time, oldest (lowest id) first, so
   * the jobs ahead of it are the active ones with a lower id (the running one among them). */
  private place(job: JobSummary): number {
    return this.panel.ids.filter((id) => id < job.id).length + 1;
  }

  private item(job: JobSummary): HTMLElement {
    const pct = progressPercent(job.rowsDone, job.totalRows);
    const cancel = h(
      "button",
      {
        type: "button",
        class: "button button-secondary button-small",
        "data-testid": `job-cancel-${job.id}`,
        "aria-label": m.cancelImportOf(jobLabel(job)),
        onclick: () => void this.cancel(job, cancel),
      },
      common.cancel,
    );
    return h(
      "li",
      { class: "job", "data-testid": `job-${job.id}`, "data-status": job.status },
      h(
        "div",
        { class: "job-line" },
        h("span", { class: "job-name", title: jobLabel(job) }, jobLabel(job)),
        h(
          "span",
          { class: "job-status", "data-testid": `job-status-${job.id}` },
          job.status === "queued" ? m.queuePosition(this.place(job)) : statusLabel(job.status),
        ),
      ),
      progressBar(pct, { "aria-label": m.progressOf(jobLabel(job)), "data-testid": `job-progress-${job.id}` }),
      h(
        "div",
        { class: "job-line" },
        h("span", { class: "job-rows muted", "data-testid": `job-rows-${job.id}` }, m.jobRows(job.rowsDone, job.totalRows)),
        cancel,
      ),
    );
  }

  private async cancel(job: JobSummary, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await cancelImport(job.id);
      showToast(m.cancellingImportOf(jobLabel(job)), "info");
    } catch (err) {
      button.disabled = false;
      showError(err);
    }
  }
}

// ---- result pop-up ------------------------------------------------------------

export interface ResultOptions {
  onOpenReport(): void;
  /** The merge review screen on the reviews job `jobId` left (absent: no button). */
  onOpenReviews?: (jobId: number) => void;
}

let openResult: { element: HTMLElement; body: HTMLElement; close(): void } | null = null;

/** What the synchronization rule's guards did, one line each (only those that acted). */
function guardList(job: JobSummary): HTMLElement | null {
  const lines = guardLines(job.counts);
  if (lines.length === 0) return null;
  return h(
    "ul",
    { class: "result-guards", "data-testid": "import-result-guards" },
    lines.map((l) => h("li", { "data-testid": `result-guard-${l.key}` }, l.text)),
  );
}

/** The rows the user corrected or left out before Confirm, when there were any. */
function fixesLine(job: JobSummary): HTMLElement | null {
  const text = fixesText(job.counts);
  return text ? h("p", { class: "result-fixes", "data-testid": "import-result-fixes" }, text) : null;
}

/** The pop-up names a few shared values; the report lists them all. */
const RESULT_SHARED_KEYS = 5;

function sharedList(job: JobSummary): HTMLElement | null {
  const keys = job.sharedKeys;
  if (keys.length === 0) return null;
  const more = keys.length - RESULT_SHARED_KEYS;
  return h(
    "ul",
    { class: "result-shared-keys", "data-testid": "import-result-shared-keys" },
    keys.slice(0, RESULT_SHARED_KEYS).map((k, i) => h("li", { "data-testid": `result-shared-key-${i}` }, sharedKeyWithRows(k))),
    more > 0 ? h("li", { class: "muted" }, m.moreSharedValues(more)) : null,
  );
}

function resultSection(job: JobSummary, opts: ResultOptions): HTMLElement {
  const onOpenReviews = opts.onOpenReviews;
  const reviews =
    job.counts.reviews > 0 && onOpenReviews
      ? h(
          "button",
          {
            type: "button",
            class: "button button-secondary button-small",
            "data-testid": `import-result-reviews-${job.id}`,
            onclick: () => {
              openResult?.close();
              onOpenReviews(job.id);
            },
          },
          m.openMergeReview(job.counts.reviews),
        )
      : null;
  return h(
    "section",
    { class: "result-job", "data-testid": `import-result-${job.id}`, "data-status": job.status },
    h(
      "p",
      { class: "result-file" },
      h("strong", { "data-testid": "import-result-file" }, jobLabel(job)),
      " ",
      h("span", { class: `badge job-badge-${job.status}` }, statusLabel(job.status)),
      h("span", { class: "muted" }, m.resultRows(job.counts.rows || job.totalRows)),
    ),
    jobFailureView(job, `import-result-error-${job.id}`),
    h(
      "dl",
      { class: "import-counts" },
      countLabels().map(([key, label]) =>
        h(
          "div",
          { class: `import-count import-count-${key}` },
          h("dt", null, label),
          h("dd", { "data-testid": `result-${key}` }, formatCount(job.counts[key])),
        ),
      ),
    ),
    fixesLine(job),
    guardList(job),
    sharedList(job),
    reviews ? h("div", { class: "result-actions" }, reviews) : null,
  );
}

/**
 * The in-app pop-up for a finished job. Jobs finishing while it is open are
 * added to it, so no result goes unseen.
 */
export function showImportResult(job: JobSummary, opts: ResultOptions): HTMLElement {
  if (openResult?.element.isConnected) {
    openResult.body.querySelector(`[data-testid="import-result-${job.id}"]`)?.remove();
    openResult.body.appendChild(resultSection(job, opts));
    return openResult.element;
  }
  const modal = new Modal({
    title: m.resultTitle,
    titleId: "import-result-title",
    testid: "import-result",
    bodyClass: "result-body",
    body: resultSection(job, opts),
    start: [
      {
        key: "report",
        label: m.openReport,
        testid: "import-result-report",
        onClick: () => {
          modal.close();
          opts.onOpenReport();
        },
      },
    ],
    end: [{ key: "close", label: common.close, kind: "primary", testid: "import-result-close", onClick: () => modal.close() }],
    onClosed: () => {
      openResult = null;
    },
  });
  openResult = { element: modal.element, body: modal.body, close: () => modal.close() };
  modal.open(document.body, modal.button("close"));
  return modal.element;
}

export interface FinishedDeps {
  panel: JobsPanel;
  /** Refetch the profile list and its counts. */
  refreshProfiles(): void;
  /** Refetch the report when it is shown. */
  refreshReport(): void;
  openReport(): void;
  /** The merge review screen on one job's reviews (absent when the user cannot see reviews). */
  openReviews?: (jobId: number) => void;
}

/** What the shell does on `import-finished`: update the panel, tell the user, refresh what changed. */
export function handleImportFinished(job: JobSummary, deps: FinishedDeps): void {
  deps.panel.upsert(job);
  showImportResult(job, { onOpenReport: () => deps.openReport(), onOpenReviews: deps.openReviews });
  deps.refreshProfiles();
  deps.refreshReport();
}
