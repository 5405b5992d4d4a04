import { describe, expect, it } from "vitest";
import { column, detail, reviewRow, summary } from "./mergeReviewFixtures";
import {
  actionLabel,
  actionStates,
  candidatesText,
  decisionFor,
  defaultPick,
  defaultSurvivor,
  emptyText,
  isDestructive,
  isPickable,
  keptColumn,
  nextReviewId,
  picksFor,
  policyText,
  reasonText,
} from "./mergeReviewLogic";

const all = (): boolean => true;

describe("merge review logic", () => {
  it("keeps the first live candidate by default, skipping deleted ones", () => {
    expect(defaultSurvivor(detail()), "the candidate matched by the first key").toBe(12);
    const d = detail();
    d.columns[1] = column({ ...d.columns[1], gone: true });
    expect(defaultSurvivor(d), "a deleted candidate cannot be kept").toBe(13);
    d.columns[2] = column({ ...d.columns[2], gone: true });
    expect(defaultSurvivor(d), "none left").toBeNull();
  });

  it("offers a pick only in single-value rows with different values", () => {
    const d = detail();
    const row = (f: string) => d.rows.find((r) => r.field === f)!;
    expect(isPickable(row("full_name"), d), "two different names").toBe(true);
    expect(isPickable(row("city"), d), "Huế or Hà Nội").toBe(true);
    expect(isPickable(row("company"), d), "one value only: nothing to choose").toBe(false);
    expect(isPickable(row("phones"), d), "lists are combined, not picked").toBe(false);
    expect(isPickable(row("consent.email"), d), "consent follows its own rule").toBe(false);
    const gone = detail();
    gone.columns[2] = column({ ...gone.columns[2], gone: true });
    const name = gone.rows[0]!;
    expect(isPickable(name, gone), "a deleted candidate's value cannot be picked").toBe(false);
  });

  it("shows the value the core keeps by default: the survivor's, else the first in column order", () => {
    const d = detail();
    const city = d.rows.find((r) => r.field === "city")!;
    expect(defaultPick(city, d, 12), "A has no city: the incoming one fills it").toBe(0);
    expect(defaultPick(city, d, 13), "B keeps its own city").toBe(2);
    const name = d.rows[0]!;
    expect(keptColumn(name, d, 12, new Map([["full_name", 2]])), "the user's pick wins").toBe(2);
    expect(keptColumn(name, d, 12, new Map([["full_name", 9]])), "a pick that is no column is ignored").toBe(1);
  });

  it("sends a pick for every pickable row, so the core does what the screen shows", () => {
    const d = detail();
    expect(picksFor(d, 12, new Map()), "defaults made explicit").toEqual([
      { field: "full_name", from: 12 },
      { field: "city", from: null },
    ]);
    expect(picksFor(d, 12, new Map([["full_name", 2], ["city", 2]])), "the user's choices").toEqual([
      { field: "full_name", from: 13 },
      { field: "city", from: 13 },
    ]);
    expect(decisionFor("mergeAll", d, 13, new Map()), "merge into B").toEqual({
      action: "mergeAll",
      survivor: 13,
      picks: [
        { field: "full_name", from: 13 },
        { field: "city", from: 13 },
      ],
    });
    expect(decisionFor("attach", d, 12, new Map())).toEqual({ action: "attach", profileId: 12 });
    expect(decisionFor("attach", d, null, new Map()), "nothing to attach to").toBeNull();
    expect(decisionFor("createNew", d, null, new Map())).toEqual({ action: "createNew" });
    expect(decisionFor("dismiss", d, 12, new Map())).toEqual({ action: "dismiss" });
  });

  it("disables what does not apply and says why", () => {
    const d = detail();
    const s = actionStates(d, 12, all);
    expect(Object.values(s).every((x) => x.enabled), "an administrator may do all four").toBe(true);
    expect(s.mergeAll.title, "merge says who is removed").toMatch(/1 other profile into the chosen one; it is removed/);
    const sales = actionStates(d, 12, (p) => p !== "profile.create");
    expect(sales.createNew, "create needs profile.create").toEqual({ enabled: false, title: "Requires the profile.create permission" });
    const viewer = actionStates(d, 12, () => false);
    expect(viewer.attach.title, "attach needs profile.edit").toBe("Requires the profile.edit permission");
    const none = actionStates(d, null, all);
    expect(none.attach, "no profile chosen").toEqual({ enabled: false, title: "Choose the profile to keep first" });
    expect(none.createNew.enabled, "create new needs no candidate").toBe(true);
    const resolved = actionStates(detail({ summary: summary({ status: "resolved" }) }), 12, all);
    expect(Object.values(resolved).some((x) => x.enabled), "a resolved review takes no decision").toBe(false);
  });

  it("asks with a red button when data goes", () => {
    expect(isDestructive("mergeAll", detail()), "merge all removes B").toBe(true);
    expect(isDestructive("dismiss", detail()), "discard drops the incoming data").toBe(true);
    expect(isDestructive("attach", detail()), "attach removes nothing").toBe(false);
    const one = detail();
    one.columns[2] = column({ ...one.columns[2], gone: true });
    expect(isDestructive("mergeAll", one), "with one candidate left, merge removes nothing").toBe(false);
  });

  it("words the labels, the candidates and the policy", () => {
    expect(actionLabel("mergeAll", "Nguyễn Văn A")).toBe("Merge all into Nguyễn Văn A");
    expect(actionLabel("attach", null)).toBe("Attach to the chosen profile");
    expect(candidatesText(summary()), "the key per candidate").toBe("Nguyễn Văn A (phone) · Nguyễn V. A (e-mail)");
    const gone = summary({ candidates: [{ profileId: 13, label: "Ng*** V* A*", matchedBy: "email", gone: true }] });
    expect(candidatesText(gone)).toBe("Ng*** V* A* (deleted)");
    expect(policyText("fillEmptyOnly"), "the import's policy").toMatch(/only fill empty fields/);
    expect(emptyText("open", 3).title).toBe("No merge reviews waiting for import job 3");
  });

  it("moves on to the next review after a decision", () => {
    expect(nextReviewId([4, 5, 6], 5), "the one after").toBe(6);
    expect(nextReviewId([4, 5, 6], 6), "the last: the one before").toBe(5);
    expect(nextReviewId([4], 4), "none left").toBeNull();
    expect(nextReviewId([4, 5], 9), "not in the list: the first").toBe(4);
  });

  it("treats a row whose only values are equal as no difference", () => {
    const d = detail({ rows: [reviewRow("full_name", ["An", "An", ""])] });
    expect(isPickable(d.rows[0]!, d), "same name twice").toBe(false);
  });
});

describe("why a review waits", () => {
  it("has a label and a sentence for every reason the rule gives", () => {
    const reasons = ["severalMatches", "nameDiffers", "identifierLimit", "keptApart"] as const;
    const labels = reasons.map((r) => reasonText(r).label);
    expect(new Set(labels).size, "each reason reads differently").toBe(reasons.length);
    expect(reasonText("nameDiffers").sentence, "the name guard says it protects strangers").toContain("another person's");
    expect(reasonText("identifierLimit").sentence, "the limit guard names phones and e-mails").toContain("phones or e-mails");
  });
});
