import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { ReviewList, ServerReview } from "../ipc";
import { setLang } from "../i18n/lang";
import { catalogue, mockCore, settle } from "../testFixtures";
import { MergeReviewView } from "./mergeReview";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const NO_LOCAL: ReviewList = { open: 0, recentlyResolved: 0, matching: 0, items: [] };

/** A customer the server holds: entered here (profile 7), matching An (here) and one not downloaded yet. */
function review(overrides: Partial<ServerReview> = {}): ServerReview {
  return {
    id: "rv_1",
    held: { gid: "g-held", profileId: 7, label: "Nguyễn Văn An" },
    candidates: [
      { gid: "g-an", profileId: 3, label: "Nguyễn V. An" },
      { gid: "g-far", profileId: null, label: null },
    ],
    reason: "severalMatches",
    resolved: false,
    decision: null,
    target: null,
    decidedBy: null,
    decidedAt: null,
    at: "2026-12-04T08:00:00Z",
    ...overrides,
  };
}

async function showScreen(reviews: ServerReview[], can: (p: string) => boolean = () => true): Promise<{ calls: Array<[string, Record<string, unknown>]>; opened: number[]; changed: number[] }> {
  let now = reviews;
  const calls = mockCore({
    merge_reviews: () => NO_LOCAL,
    server_reviews: () => now,
    resolve_server_review: (a) => {
      const decision = a.decision as { action: string; target?: string };
      now = now.map((r) =>
        r.id === a.id ? { ...r, decision: decision.action as ServerReview["decision"], target: decision.target ?? null, decidedBy: "lan", decidedAt: "2026-12-04T09:00:00Z" } : r,
      );
      return now;
    },
    field_catalogue: () => catalogue,
  });
  const opened: number[] = [];
  const changed: number[] = [];
  const view = new MergeReviewView({ can, onBack: () => undefined, onChanged: () => changed.push(1), onOpenProfile: (id) => opened.push(id) });
  view.element.hidden = false;
  document.body.appendChild(view.element);
  await view.open(null);
  await settle();
  return { calls, opened, changed };
}

describe("merge reviews the server opened", () => {
  it("lists the held customer and those it matched, and sends the decision taken after a confirmation", async () => {
    const { calls, opened, changed } = await showScreen([review()]);
    const card = q("server-review-rv_1")!;
    expect(q("server-reviews")?.textContent).toContain("Held by the server (1)");
    expect(card.textContent, "the held customer and why").toContain("Nguyễn Văn An");
    expect(card.textContent).toContain("Several matches");
    expect(q("server-review-candidate-g-an")?.textContent).toContain("Nguyễn V. An");
    expect(q("server-review-candidate-g-far")?.textContent, "one not downloaded yet").toContain("A customer not on this computer yet");
    expect(q("server-review-open-g-far"), "nothing to open for it").toBeNull();
    expect(q("review-empty"), "not 'nothing waiting' while the server holds one").toBeNull();
    expect(q("review-tab-open")?.textContent, "the tab counts it").toBe("Open (1)");

    q("server-review-open-g-an")!.click();
    expect(opened).toEqual([3]);

    q("server-review-attach-g-an")!.click();
    await settle();
    expect(q("server-review-confirm")?.textContent).toContain("Add Nguyễn Văn An to Nguyễn V. An?");
    q("server-review-confirm-yes")!.click();
    await settle();
    expect(calls.find(([cmd]) => cmd === "resolve_server_review")?.[1]).toEqual({ id: "rv_1", decision: { action: "attach", target: "g-an" } });
    expect(q("server-review-decided-rv_1")?.textContent).toBe("Added to Nguyễn V. An — decided by lan, waiting for the server.");
    expect(q("server-review-attach-g-an"), "no second decision").toBeNull();
    expect(changed.length, "the top bar's count refetches").toBe(1);
  });

  it("keeps a customer separate without a confirmation, merges all after a red one, and disables what the role may not do", async () => {
    const { calls } = await showScreen([review(), review({ id: "rv_2", held: { gid: "g-2", profileId: 8, label: "Lê Thị Hoa" }, reason: "deletedRecently" })], (p) => p !== "profile.create");
    expect(q("server-review-separate-rv_1")?.hasAttribute("disabled"), "create new needs profile.create").toBe(true);
    expect(q("server-review-separate-rv_1")?.title).toContain("profile.create");
    expect(q("server-review-rv_2")?.textContent).toContain("Deleted recently");

    q("server-review-merge-g-an")!.click();
    await settle();
    expect(q("server-review-confirm")?.textContent).toContain("Merge all into Nguyễn V. An?");
    q("server-review-confirm-yes")!.click();
    await settle();
    expect(calls.find(([cmd]) => cmd === "resolve_server_review")?.[1]).toEqual({ id: "rv_1", decision: { action: "mergeAll", target: "g-an" } });
  });

  it("lists what the server decided under Resolved", async () => {
    mockCore({
      merge_reviews: () => NO_LOCAL,
      server_reviews: () => [review({ resolved: true, decision: "createNew", decidedBy: "minh", decidedAt: null })],
      field_catalogue: () => catalogue,
    });
    const view = new MergeReviewView({ can: () => true, onBack: () => undefined, onChanged: () => undefined, onOpenProfile: () => undefined });
    view.element.hidden = false;
    document.body.appendChild(view.element);
    await view.open(null);
    await settle();
    expect(q("server-review-rv_1"), "resolved: not among the open").toBeNull();
    expect(q("review-empty"), "nothing waiting").not.toBeNull();
    q("review-tab-resolved")!.click();
    await settle();
    expect(q("server-review-resolved-rv_1")?.textContent).toContain("Kept as a separate customer");
    expect(q("server-review-resolved-rv_1")?.textContent).toContain("minh");
    expect(q("review-empty"), "not 'nothing resolved' above what the server decided").toBeNull();
  });

  it("says a refusal in place", async () => {
    const failing = await showScreen([review()]);
    mockCore({
      merge_reviews: () => NO_LOCAL,
      server_reviews: () => [review()],
      resolve_server_review: () => {
        throw { code: "conflict", message: "Review rv_1 is already decided", reason: "serverReviewDecided", details: { serverReview: "rv_1" } };
      },
    });
    q("server-review-separate-rv_1")!.click();
    await settle();
    expect(q("server-review-error")?.textContent).toBe("Review rv_1 is already decided");
    expect(failing.changed).toEqual([]);
  });

  it("speaks Vietnamese", async () => {
    setLang("vi");
    await showScreen([review(), review({ id: "rv_3", held: { gid: "g-3", profileId: 9, label: "Phạm Minh" }, decision: "createNew", decidedBy: "lan", decidedAt: "2026-12-04T09:00:00Z" })]);
    expect(q("server-reviews")?.textContent).toContain("Máy chủ đang giữ lại (2)");
    expect(q("server-review-rv_1")?.textContent).toContain("Khớp nhiều hồ sơ");
    expect(q("server-review-candidate-g-far")?.textContent).toContain("Một khách hàng chưa có trên máy tính này");
    expect(q("server-review-attach-g-an")?.textContent).toBe("Bổ sung vào khách hàng này");
    expect(q("server-review-separate-rv_1")?.textContent).toBe("Giữ thành khách hàng riêng");
    expect(q("server-review-decided-rv_3")?.textContent).toBe("Đã giữ thành khách hàng riêng — do lan quyết định, đang chờ máy chủ.");
  });
});
