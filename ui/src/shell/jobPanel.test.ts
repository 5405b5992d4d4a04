import { afterEach, describe, expect, it } from "vitest";
import { h } from "./dom";
import { JobPanel, progressBar, type JobPanelOptions, type PanelJob } from "./jobPanel";

afterEach(() => document.body.replaceChildren());

type Job = PanelJob & { background: boolean };
const job = (id: number, status: string, background = true): Job => ({ id, status, rowsDone: 0, totalRows: 10, background });
const active = (j: Job): boolean => j.status === "queued" || j.status === "running";

function panel(extra: Partial<JobPanelOptions<Job>>): JobPanel<Job> {
  return new JobPanel<Job>({
    title: "Jobs",
    label: "Jobs",
    testid: "jobs",
    isActive: active,
    finished: "leave",
    loadReplaces: true,
    renderItem: (j) => h("li", { "data-id": j.id, "data-status": j.status }, `${j.rowsDone}/${j.totalRows}`),
    ...extra,
  });
}

const shown = (p: JobPanel<Job>): string[] =>
  [...p.element.querySelectorAll("li")].map((li) => `${li.getAttribute("data-id")}:${li.getAttribute("data-status")}`);

describe("JobPanel", () => {
  it("is hidden while empty and lists the active jobs it loads", () => {
    const p = panel({ className: "exports-panel" });
    expect(p.element.hidden, "nothing to show").toBe(true);
    expect(p.element.className, "panel classes").toBe("jobs-panel exports-panel");
    p.load([job(1, "running"), job(2, "done"), job(3, "queued")]);
    expect(p.element.hidden, "shown").toBe(false);
    expect(shown(p), "only the active jobs").toEqual(["1:running", "3:queued"]);
  });

  it("`leave`: a finished job leaves, and a late queued answer never brings it back", () => {
    const p = panel({ finished: "leave" });
    p.upsert(job(1, "queued"));
    p.upsert(job(1, "done"));
    expect(shown(p), "finished: gone").toEqual([]);
    p.upsert(job(1, "queued"));
    expect(shown(p), "the late queued answer is ignored").toEqual([]);
    expect(p.element.hidden, "empty again: hidden").toBe(true);
  });

  it("`notice`: a finished job stays until dismissed; ignored jobs never show; newest first", () => {
    const p = panel({ finished: "notice", loadReplaces: false, newestFirst: true, ignore: (j) => !j.background && j.status === "done" });
    p.upsert(job(1, "running"));
    p.upsert(job(2, "running"));
    p.upsert(job(1, "done"));
    p.upsert(job(3, "done", false));
    expect(shown(p), "newest first; the finished one is a notice; the direct one is not shown").toEqual(["2:running", "1:done"]);
    p.dismiss(1);
    expect(shown(p), "dismissed").toEqual(["2:running"]);
    p.load([job(4, "queued")]);
    expect(shown(p), "load adds to what is there").toEqual(["4:queued", "2:running"]);
  });

  it("`loadReplaces`: load replaces the jobs shown", () => {
    const p = panel({ loadReplaces: true });
    p.upsert(job(1, "running"));
    p.load([job(2, "running")]);
    expect(p.ids, "only the loaded job").toEqual([2]);
  });

  it("progress updates rows and turns a queued job running; unknown jobs are ignored", () => {
    const p = panel({});
    p.upsert(job(1, "queued"));
    p.progress({ jobId: 1, rowsDone: 4, totalRows: 8 });
    p.progress({ jobId: 9, rowsDone: 1, totalRows: 1 });
    expect(shown(p), "running now").toEqual(["1:running"]);
    expect(p.element.querySelector("li")?.textContent, "rows done").toBe("4/8");
  });

  it("draws a progress bar with its value", () => {
    const bar = progressBar(40, { "aria-label": "Progress", "data-testid": "bar" });
    expect(bar.getAttribute("role"), "a progress bar").toBe("progressbar");
    expect(bar.getAttribute("aria-valuenow"), "its value").toBe("40");
    expect((bar.firstElementChild as HTMLElement).style.width, "the fill").toBe("40%");
  });

  it("folds to its title line and back; a new job or a finished notice unfolds it", () => {
    const p = panel({ finished: "notice", loadReplaces: false, testid: "exports-panel" });
    p.upsert(job(1, "running"));
    p.upsert(job(2, "running"));
    const toggle = p.element.querySelector<HTMLButtonElement>('[data-testid="exports-panel-toggle"]')!;
    const count = toggle.querySelector<HTMLElement>('[data-testid="jobs-count"]')!;
    expect(toggle.textContent?.startsWith("Jobs"), "the title is the button").toBe(true);
    expect(count.hidden, "no count while open").toBe(true);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    toggle.click();
    expect(p.folded, "folded").toBe(true);
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(p.element.querySelector<HTMLElement>(".jobs-list")?.hidden, "the jobs are behind the title").toBe(true);
    expect(p.element.classList.contains("is-folded")).toBe(true);
    expect([count.hidden, count.textContent], "how many jobs it holds").toEqual([false, "2"]);
    p.progress({ jobId: 1, rowsDone: 5, totalRows: 10 });
    expect(p.folded, "progress leaves it folded").toBe(true);
    p.upsert(job(1, "done"));
    expect(p.folded, "a job finished: its notice is shown").toBe(false);
    toggle.click();
    p.upsert(job(3, "queued"));
    expect(p.folded, "a new job is shown").toBe(false);
    expect(p.element.querySelector<HTMLElement>(".jobs-list")?.hidden).toBe(false);
  });
});
