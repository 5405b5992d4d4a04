// The one panel of background jobs docked at the bottom of the window (imports bottom-left,
// exports bottom-right): a titled list that hides itself when empty, updated by the jobs'
// events. What happens to a finished job is the feature's rule: an import leaves the panel
// (its result pops up elsewhere) and never comes back on a late answer; an export stays as a
// notice with its file actions until dismissed. The panels dock below the app rather than
// float over it (styles.css: the list's last rows and scrollbar stay reachable), and the title
// folds a panel to one line (a new job, or one that finished, unfolds it to be seen).
import { h, type Attrs } from "./dom";
import { formatCount } from "./format";

export interface PanelJob {
  id: number;
  status: string;
  rowsDone: number;
  totalRows: number;
}

export interface JobProgressEvent {
  jobId: number;
  rowsDone: number;
  totalRows: number;
}

export interface JobPanelOptions<J extends PanelJob> {
  title: string;
  /** aria-label of the panel. */
  label: string;
  testid: string;
  /** Classes after `jobs-panel`. */
  className?: string;
  isActive(this: void, job: J): boolean;
  /** A finished job `leave`s the panel (for good), or stays as a `notice` until dismissed. */
  finished: "leave" | "notice";
  /** `load` replaces the panel's jobs (else it adds the active ones to what is there). */
  loadReplaces: boolean;
  /** Jobs the panel does not show at all. */
  ignore?(this: void, job: J): boolean;
  /** Newest (highest id) first; else in the order they came. */
  newestFirst?: boolean;
  renderItem(this: void, job: J): HTMLElement;
}

export class JobPanel<J extends PanelJob> {
  readonly element: HTMLElement;
  private readonly list = h("ul", { class: "jobs-list" });
  private readonly toggle: HTMLButtonElement;
  /** How many jobs the folded panel holds (shown only while folded). */
  private readonly count = h("span", { class: "jobs-count", "data-testid": "jobs-count", hidden: true });
  private readonly jobs = new Map<number, J>();
  /** Jobs seen finished (`leave`): a late "queued" answer (a small job can finish before the
   * webview handles the reply that queued it) must not bring one back as queued forever. */
  private readonly finishedIds = new Set<number>();

  constructor(private readonly opts: JobPanelOptions<J>) {
    // The title is the fold's button: its name stays the panel's title, aria-expanded says the rest.
    this.toggle = h(
      "button",
      {
        type: "button",
        class: "jobs-toggle",
        "aria-expanded": "true",
        "data-testid": `${opts.testid}-toggle`,
        onclick: () => this.setFolded(!this.folded),
      },
      h("span", { class: "jobs-title-text" }, opts.title),
      this.count,
    );
    this.element = h(
      "aside",
      { class: opts.className ? `jobs-panel ${opts.className}` : "jobs-panel", "data-testid": opts.testid, "aria-label": opts.label, hidden: true },
      h("h2", { class: "jobs-title" }, this.toggle),
      this.list,
    );
  }

  /** Folded: the panel is its title line only (the jobs and the count of them behind it). */
  get folded(): boolean {
    return this.list.hidden;
  }

  setFolded(folded: boolean): void {
    this.list.hidden = folded;
    this.element.classList.toggle("is-folded", folded);
    this.toggle.setAttribute("aria-expanded", String(!folded));
    this.paintCount();
  }

  private paintCount(): void {
    this.count.hidden = !this.folded;
    this.count.textContent = formatCount(this.jobs.size);
  }

  /** The active jobs of `jobs` (e.g. after a restart). */
  load(jobs: readonly J[]): void {
    if (this.opts.loadReplaces) this.jobs.clear();
    for (const j of jobs) if (this.opts.isActive(j)) this.jobs.set(j.id, { ...j });
    this.render();
  }

  /** A job was queued here or changed state. */
  upsert(job: J): void {
    if (this.opts.ignore?.(job)) return;
    const before = this.jobs.get(job.id);
    if (this.opts.finished === "leave") {
      if (!this.opts.isActive(job)) {
        this.finishedIds.add(job.id);
        this.jobs.delete(job.id);
      } else if (!this.finishedIds.has(job.id)) {
        this.jobs.set(job.id, { ...job });
      }
    } else {
      this.jobs.set(job.id, { ...job });
    }
    // Something to see (a job new here, or a notice of one that just finished) unfolds the panel.
    const notice = before !== undefined && this.opts.isActive(before) && !this.opts.isActive(job);
    if (this.folded && this.jobs.has(job.id) && (before === undefined || notice)) this.setFolded(false);
    this.render();
  }

  /** Rows done of a job shown; a queued one is running from its first progress on. */
  progress(p: JobProgressEvent): void {
    const job = this.jobs.get(p.jobId);
    if (!job) return;
    job.rowsDone = p.rowsDone;
    job.totalRows = p.totalRows;
    if (job.status === "queued") job.status = "running";
    this.render();
  }

  /** Takes a job off the panel (a notice's ×). */
  dismiss(id: number): void {
    this.jobs.delete(id);
    this.render();
  }

  get ids(): number[] {
    return [...this.jobs.keys()];
  }

  /** Draws the jobs again (e.g. after their e-mail changed). */
  render(): void {
    this.element.hidden = this.jobs.size === 0;
    const jobs = [...this.jobs.values()];
    if (this.opts.newestFirst) jobs.sort((a, b) => b.id - a.id);
    this.list.replaceChildren(...jobs.map((j) => this.opts.renderItem(j)));
    this.paintCount();
  }
}

/** A job's progress bar (`pct` 0–100); CSSOM, not a style attribute: the CSP forbids those. */
export function progressBar(pct: number, attrs: Attrs): HTMLElement {
  const fill = h("div", { class: "progress-fill" });
  fill.style.width = `${pct}%`;
  return h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": pct, ...attrs }, fill);
}
