import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { ReviewList, ReviewResolution } from "../ipc";
import { settle } from "../testFixtures";
import { MergeReviewView } from "./mergeReview";
import { detail, summary } from "./mergeReviewFixtures";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

const LIST: ReviewList = {
  open: 2,
  recentlyResolved: 0,
  matching: 2,
  items: [summary(), summary({ id: 5, row: 3, reason: "nameDiffers" })],
};

const PREVIEW: ReviewResolution = {
  reviewId: 4,
  action: "mergeAll",
  profileId: 12,
  label: "Nguyễn Văn A",
  removed: [{ profileId: 13, label: "Nguyễn V. A" }],
  values: [{ field: "phones", label: "Phones", value: "0912 345 678, 0987 654 321" }],
  changedFields: ["phones"],
  movedLinks: 0,
  message: "(the core's sentence)",
  applied: false,
};

beforeEach(() => {
  setLang("vi");
  mockIPC((cmd) => {
    switch (cmd) {
      case "merge_reviews":
        return LIST;
      case "merge_review":
        return detail();
      case "preview_review_decision":
        return PREVIEW;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
});

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

async function show(): Promise<MergeReviewView> {
  const view = new MergeReviewView({ can: () => true, onBack: () => undefined, onChanged: () => undefined, onOpenProfile: () => undefined });
  view.element.hidden = false;
  document.body.appendChild(view.element);
  await view.open(3);
  await settle();
  return view;
}

/** The texts of the buttons and headings under `root`. */
function labels(root: ParentNode): string[] {
  return [...root.querySelectorAll("button, h1, h2, th")].map((el) => el.textContent?.trim() ?? "").filter((t) => t !== "");
}

describe("merge review in Vietnamese", () => {
  it("lists the reviews in Vietnamese", async () => {
    const view = await show();
    const text = view.element.textContent ?? "";
    expect(view.element.querySelector("h1")?.textContent, "the title").toBe("Xem xét hợp nhất");
    expect(q("review-back")?.textContent).toBe("← Quay lại danh sách hồ sơ");
    expect(q("review-refresh")?.textContent, "a shared word").toBe("Làm mới");
    expect(q("review-tab-open")?.textContent, "the open tab with its count").toBe("Đang chờ (2)");
    expect(q("review-job-filter")?.textContent).toContain("Chỉ tác vụ nhập 3");
    expect(q("review-reason-4")?.textContent, "why the rule left it").toBe("Khớp nhiều hồ sơ");
    expect(q("review-reason-5")?.title, "explained on hover").toContain("tên lại là của người khác");
    expect(q("review-open-4")?.textContent).toBe("Xem xét");
    expect(text, "the table headers").toContain("Hồ sơ khớp");
    for (const english of ["Merge review", "Refresh", "Open (2)", "Review", "Candidates", "Several matches", "Back to profiles"]) {
      expect(labels(view.element), `no English “${english}” is left`).not.toContain(english);
      expect(text, `no English “${english}” is left`).not.toContain(english);
    }
  });

  it("shows one review and its confirmation in Vietnamese", async () => {
    const view = await show();
    q("review-open-4")!.click();
    await settle();
    expect(q("review-title")?.textContent).toBe("Mục xem xét #4: Nguyễn Văn A");
    expect(q("review-position")?.textContent).toBe("1/2");
    expect(q("review-merge-all")?.textContent, "the decision names the kept profile").toBe("Hợp nhất tất cả vào Nguyễn Văn A");
    expect(q("review-dismiss")?.textContent).toBe("Loại bỏ dữ liệu mới");
    expect(q("review-col-0")?.textContent, "the incoming column").toContain("Dữ liệu mới");
    expect(q("review-col-1")?.textContent, "the kept profile").toContain("Hồ sơ được giữ");
    expect(q("review-actions-status")?.textContent).toContain("hợp nhất tất cả sẽ xóa 1 hồ sơ khác");
    const text = view.element.textContent ?? "";
    for (const english of ["Merge all", "Attach to", "Discard", "Create new profile", "Kept profile", "All reviews", "Previous", "Incoming"]) {
      expect(text, `no English “${english}” is left`).not.toContain(english);
    }

    q("review-merge-all")!.click();
    await settle();
    const dialog = q("review-confirm")!;
    expect(dialog.querySelector("h2")?.textContent, "the question").toBe("Hợp nhất vào Nguyễn Văn A?");
    expect(q("review-confirm-yes")?.textContent).toBe("Hợp nhất");
    expect(q("review-confirm-no")?.textContent, "Cancel from the shared words").toBe("Hủy");
    expect(q("review-preview")?.textContent).toContain("Bị xóa: Nguyễn V. A (#13)");
    expect(q("review-preview-message")?.textContent, "the core's sentence as received").toBe("(the core's sentence)");
    expect(labels(dialog), "no English button").not.toContain("Cancel");
    q("review-confirm-no")!.click();
    await settle();
  });
});
