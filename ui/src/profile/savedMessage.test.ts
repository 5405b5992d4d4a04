import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { SaveResult } from "../ipc";
import { savedMessage } from "./createMatches";

afterEach(() => setLang("en"));

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
