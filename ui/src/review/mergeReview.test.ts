import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReviewDetail, ReviewList, ReviewResolution } from "../ipc";
import { catalogue, settle } from "../testFixtures";
import { MergeReviewView } from "./mergeReview";
import { column, detail, reviewRow, summary } from "./mergeReviewFixtures";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const LIST: ReviewList = {
  open: 2,
  recentlyResolved: 1,
  matching: 2,
  items: [summary(), summary({ id: 5, row: 3, origin: "Pasted data, row 3", reason: "nameDiffers" })],
};

const RESOLUTION: ReviewResolution = {
  reviewId: 4,
  action: "mergeAll",
  profileId: 12,
  label: "Nguyễn Văn A",
  removed: [{ profileId: 13, label: "Nguyễn V. A" }],
  values: [{ field: "phones", label: "Phones", value: "0912 345 678, 0987 654 321" }],
  changedFields: ["phones"],
  movedLinks: 0,
  message: "2 profiles will be merged into Nguyễn Văn A (#12) together with the incoming data; 1 will be removed (#13).",
  applied: false,
};

let calls: Array<{ cmd: string; args: Record<string, unknown> }> = [];
let current: ReviewDetail = detail();
let resolveError: { code: string; message: string } | null = null;
let catalogueError = false;

beforeEach(() => {
  calls = [];
  current = detail();
  resolveError = null;
  catalogueError = false;
  mockIPC((cmd, args) => {
    // The server's reviews are read with every list (serverReviews.test.ts covers them).
    if (cmd === "server_reviews") return [];
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "merge_reviews":
        return (args as { query: { status: string } }).query.status === "open" ? LIST : { ...LIST, matching: 0, items: [] };
      case "merge_review":
        return (args as { id: number }).id === 5 ? detail({ summary: summary({ id: 5 }) }) : current;
      case "field_catalogue":
        if (catalogueError) throw { code: "internal", message: "no catalogue" };
        return catalogue;
      case "preview_review_decision":
        return RESOLUTION;
      case "resolve_merge_review":
        if (resolveError) throw resolveError;
        return { ...RESOLUTION, applied: true, message: "Merged 2 profiles into Nguyễn Văn A (#12) together with the incoming data; removed #13." };
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
});

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

async function show(can: (p: string) => boolean = () => true): Promise<{ view: MergeReviewView; changed: number[]; opened: number[] }> {
  const changed: number[] = [];
  const opened: number[] = [];
  const view = new MergeReviewView({
    can,
    onBack: () => undefined,
    onChanged: () => changed.push(1),
    onOpenProfile: (id) => opened.push(id),
  });
  view.element.hidden = false;
  document.body.appendChild(view.element);
  await view.open(3);
  await settle();
  return { view, changed, opened };
}

async function openFirst(): Promise<void> {
  q("review-open-4")!.click();
  await settle();
}

describe("merge review screen", () => {
  it("shows dates dd/mm/yyyy and phones in one format, picks and all", async () => {
    current = detail({
      columns: [column({ label: "0912345678" }), ...detail().columns.slice(1)],
      rows: [
        reviewRow("birthday", ["1990-09-05", "1990-05-09", ""]),
        reviewRow("phones", ["+84 912 345 678", "0912345678", "0987.654.321, 912345678"], { kind: "list", differs: true }),
        reviewRow("note", ["2024-05-01", "", ""]),
      ],
    });
    await show();
    await openFirst();
    expect(q("review-cell-birthday-0")?.textContent, "a date field reads dd/mm/yyyy").toBe("05/09/1990");
    expect(q("review-cell-birthday-1")?.textContent).toBe("09/05/1990");
    expect(q("review-pick-birthday-1")?.getAttribute("aria-label"), "the pick names the date as shown").toContain("09/05/1990");
    expect(q("review-cell-phones-0")?.textContent, "+84 … in national form").toBe("0912 345 678");
    expect(q("review-cell-phones-1")?.textContent, "as typed without spaces, the same").toBe("0912 345 678");
    expect(q("review-cell-phones-2")?.textContent, "each of a list; one that cannot be read safely stays as typed").toBe("0987 654 321, 912345678");
    expect(q("review-cell-note-0")?.textContent, "a text field that looks like a date is left alone").toBe("2024-05-01");
    expect(q("review-col-0")?.textContent, "a label that is a phone reads as one").toContain("0912 345 678");
  });

  it("shows the values as the core sent them when the catalogue cannot be read", async () => {
    catalogueError = true;
    current = detail({ rows: [reviewRow("birthday", ["1990-09-05", "1990-05-09", ""])] });
    await show();
    await openFirst();
    expect(q("review-cell-birthday-0")?.textContent).toBe("1990-09-05");
    expect(q("review-compare"), "the review opens all the same").not.toBeNull();
  });

  it("lists the open reviews of the job with their candidates and keys", async () => {
    await show();
    expect(calls[0], "the open reviews of job 3").toEqual({ cmd: "merge_reviews", args: { query: { status: "open", jobId: 3 } } });
    expect(q("review-tab-open")?.textContent, "the open count").toBe("Open (2)");
    expect(q("review-job-filter")?.textContent, "the job filter is shown").toContain("Only import job 3");
    const row = q("review-row-4")!.textContent ?? "";
    expect(row, "origin").toContain("Pasted data, row 2");
    expect(row, "candidates with their keys").toContain("Nguyễn Văn A (phone) · Nguyễn V. A (e-mail)");
    expect(q("review-reason-4")?.textContent, "why the rule left it").toBe("Several matches");
    expect(q("review-reason-5")?.textContent, "a guard's reason").toBe("Name differs");
    expect(q("review-reason-5")?.title, "explained on hover").toContain("another person's");
    q("review-job-filter-clear")!.click();
    await settle();
    expect(calls.at(-1)?.args, "every job's reviews").toEqual({ query: { status: "open", jobId: null } });
  });

  it("opens one review straight away (the toast after a create), with the queue around it", async () => {
    const view = new MergeReviewView({ can: () => true, onBack: () => undefined, onChanged: () => undefined, onOpenProfile: () => undefined });
    view.element.hidden = false;
    document.body.appendChild(view.element);
    await view.openOne(5);
    await settle();
    const asked = calls.filter((c) => c.cmd !== "field_catalogue");
    expect(asked.map((c) => c.cmd), "the open reviews, then that one").toEqual(["merge_reviews", "merge_review"]);
    expect(asked[0]?.args, "every job's open reviews").toEqual({ query: { status: "open", jobId: null } });
    expect(asked[1]?.args, "the review asked for").toEqual({ id: 5 });
    expect(q("review-title"), "the review shows side by side, not the list").not.toBeNull();
    expect(q("review-position")?.textContent, "its place in the queue").toBe("2 of 2");
    q("review-list-back")!.click();
    await settle();
    expect(q("review-row-4"), "All reviews goes to the list").not.toBeNull();
  });

  it("shows an empty state for the resolved tab with nothing in it", async () => {
    await show();
    q("review-tab-resolved")!.click();
    await settle();
    expect(calls.at(-1)?.args, "the resolved reviews").toEqual({ query: { status: "resolved", jobId: 3 } });
    expect(q("review-empty")?.textContent, "says so").toContain("Nothing resolved in the last 30 days");
  });

  it("shows a review side by side with the matched key, the differences and the kept profile", async () => {
    await show();
    await openFirst();
    expect(q("review-col-0")?.textContent, "the incoming data first").toContain("Incoming");
    expect(q("review-col-1")?.textContent, "A, matched by phone").toContain("matched by phone");
    expect(q("review-col-2")?.textContent, "B, matched by e-mail").toContain("matched by e-mail");
    expect(q("review-row-full_name")?.dataset.differs, "differing names are flagged").toBe("true");
    expect(q("review-row-company")?.dataset.differs, "one value only is no difference").toBe("false");
    expect(q<HTMLInputElement>("review-survivor-12")?.checked, "A is kept by default").toBe(true);
    expect(q("review-cell-city-0")?.classList.contains("review-cell-kept"), "A has no city: the incoming one is kept").toBe(true);
    expect(q("review-merge-all")?.textContent).toBe("Merge all into Nguyễn Văn A");
    expect(q("review-position")?.textContent, "where in the queue").toBe("1 of 2");
    expect(q("review-reason")?.textContent, "why it waits").toBe("Several matches: The incoming data matches more than one profile.");
    q("review-open-profile-13")!.click();
    expect(q("review-survivor-13"), "B can be kept too").not.toBeNull();
  });

  it("merges with the user's picks after a confirmation that shows the core's preview", async () => {
    const { changed } = await show();
    await openFirst();
    q<HTMLInputElement>("review-pick-full_name-2")!.click();
    await settle();
    expect(q("review-cell-full_name-2")?.classList.contains("review-cell-kept"), "B's name is now kept").toBe(true);
    q("review-merge-all")!.click();
    await settle();
    const preview = calls.find((c) => c.cmd === "preview_review_decision");
    expect(preview?.args, "the preview of exactly this decision").toEqual({
      id: 4,
      decision: {
        action: "mergeAll",
        survivor: 12,
        picks: [
          { field: "full_name", from: 13 },
          { field: "city", from: null },
        ],
      },
    });
    expect(q("review-preview-message")?.textContent, "the core's sentence").toBe(RESOLUTION.message);
    expect(q("review-preview")?.textContent, "who is removed").toContain("Removed: Nguyễn V. A (#13)");
    expect(q("review-confirm-yes")?.classList.contains("button-danger"), "merging away a profile is asked in red").toBe(true);
    q("review-confirm-yes")!.click();
    await settle();
    const resolve = calls.find((c) => c.cmd === "resolve_merge_review");
    expect(resolve?.args.version, "sent with the version that was shown").toBe("v1");
    expect(q("review-result")?.textContent, "the result says what happened").toContain("Merged 2 profiles into Nguyễn Văn A (#12)");
    expect(changed.length, "the app refreshes the list and the count").toBe(1);
    expect(q("review-compare")?.dataset.id, "the next open review is shown").toBe("5");
  });

  it("cancelling the confirmation changes nothing", async () => {
    await show();
    await openFirst();
    q("review-attach")!.click();
    await settle();
    q("review-confirm-no")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "resolve_merge_review"), "not resolved").toBe(false);
  });

  it("shows the candidates again when the core refuses a stale decision", async () => {
    await show();
    await openFirst();
    resolveError = { code: "conflict", message: "The profiles of merge review 4 changed since you opened it" };
    current = detail({ version: "v2", notes: ["Nguyễn Văn A (#12) was changed"] });
    q("review-create-new")!.click();
    await settle();
    q("review-confirm-yes")!.click();
    await settle();
    expect(q("error-banner")?.textContent, "the core's message").toContain("changed since you opened it");
    expect(calls.filter((c) => c.cmd === "merge_review").length, "the review was read again").toBe(2);
    expect(q("review-notes")?.textContent, "with what changed").toContain("was changed");
  });

  it("disables the decisions a user may not take", async () => {
    await show((p) => p === "profile.view");
    await openFirst();
    for (const id of ["review-attach", "review-merge-all", "review-create-new", "review-dismiss"]) {
      const b = q<HTMLButtonElement>(id)!;
      expect(b.disabled, `${id} is disabled for a viewer`).toBe(true);
      expect(b.title, "and says which permission is missing").toMatch(/^Requires the profile\.(edit|create) permission$/);
    }
  });

  it("renders profile data as text, never as markup", async () => {
    current = detail({
      columns: [column({ label: '<img src=x onerror="alert(1)">' }), ...detail().columns.slice(1)],
      rows: [{ field: "full_name", label: "Full name", kind: "single", values: ["<b>bold</b>", "A", ""], differs: true }],
    });
    await show();
    await openFirst();
    expect(document.querySelector("img"), "no element from profile data").toBeNull();
    expect(document.querySelector("b"), "no element from a value").toBeNull();
    expect(q("review-col-0")?.textContent, "the text as typed").toContain('<img src=x onerror="alert(1)">');
  });

  it("shows a deleted candidate as gone, without a way to keep it", async () => {
    current = detail();
    current.columns[2] = column({ ...current.columns[2], gone: true, label: "Ng*** V* A*" });
    await show();
    await openFirst();
    expect(q("review-col-2")?.textContent, "gone").toContain("deleted");
    expect(q("review-survivor-13"), "cannot be kept").toBeNull();
  });
});
