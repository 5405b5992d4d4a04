import { afterEach, describe, expect, it, vi } from "vitest";
import { setLang } from "../i18n/lang";
import type { SaveResult } from "../ipc";
import { savedMessage, savedToast } from "./createMatches";

afterEach(() => {
  setLang("en");
  document.body.replaceChildren();
});

const created: SaveResult = { outcome: { outcome: "created", profileId: 7, label: "Trần Thị Bích" }, message: "Created profile Trần Thị Bích" };
const updated: SaveResult = {
  outcome: { outcome: "updated", profileId: 3, label: "Lê Văn Tám", matchedBy: "phone", changedFields: ["city"] },
  message: "Updated existing profile Lê Văn Tám — matched by phone",
};
const review: SaveResult = {
  outcome: {
    outcome: "review",
    reviewId: 2,
    reason: "severalMatches",
    candidates: [
      { profileId: 1, label: "An", matchedBy: "phone" },
      { profileId: 2, label: "Bình", matchedBy: "email" },
    ],
  },
  message: "Matches 2 different profiles (An, Bình); nothing was merged — a merge review was created",
};

describe("the toast after Save", () => {
  it("says in English what the core says", () => {
    for (const result of [created, updated, review]) expect(savedMessage(result)).toBe(result.message);
  });

  it("says it in Vietnamese from the outcome, not by translating the core's sentence", () => {
    setLang("vi");
    expect(savedMessage(created)).toBe("Đã tạo hồ sơ Trần Thị Bích");
    expect(savedMessage(updated)).toBe("Đã cập nhật hồ sơ có sẵn Lê Văn Tám — khớp theo số điện thoại");
    expect(savedMessage(review)).toBe("Khớp với 2 hồ sơ khác nhau (An, Bình); không hợp nhất gì — đã tạo một xem xét hợp nhất");
  });
});

describe("the toast's tone and action", () => {
  it("is green for a profile created or updated, with nothing to click", () => {
    for (const result of [created, updated]) {
      const toast = savedToast(result, () => undefined);
      expect(toast.dataset.tone, `${result.outcome.outcome}: success`).toBe("success");
      expect(toast.querySelector('[data-testid="toast-action"]'), "no action").toBeNull();
    }
  });

  it("says a merge review was left as a warning, with Open merge review opening that review", () => {
    const open = vi.fn();
    const toast = savedToast(review, open);
    expect(toast.dataset.tone, "not the success green").toBe("warning");
    expect(toast.querySelector(".toast-text")?.textContent, "the sentence as before").toBe(review.message);
    const action = toast.querySelector<HTMLButtonElement>('[data-testid="toast-action"]')!;
    expect(action.textContent, "the action's label").toBe("Open merge review");
    action.click();
    expect(open, "the review of this save opens").toHaveBeenCalledWith(2);
  });

  it("has no action for a user who cannot open reviews, and speaks Vietnamese", () => {
    expect(savedToast(review, null).querySelector('[data-testid="toast-action"]'), "nothing to open").toBeNull();
    setLang("vi");
    expect(savedToast(review, () => undefined).querySelector('[data-testid="toast-action"]')?.textContent).toBe("Mở xem xét hợp nhất");
  });
});
