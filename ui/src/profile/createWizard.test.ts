import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CreatePreview, FieldError, SaveResult } from "../ipc";
import { catalogue, channels, settle } from "../testFixtures";
import { CreateWizard } from "./createWizard";

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function type(testid: string, value: string): void {
  const input = q<HTMLInputElement>(testid)!;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

let calls: Array<{ cmd: string; args: unknown }> = [];
let validation: FieldError[] = [];
let createAnswer: (args: unknown) => unknown;
let preview: () => CreatePreview;

beforeEach(() => {
  calls = [];
  validation = [];
  createAnswer = () => ({
    outcome: { outcome: "created", profileId: 9, label: "Trần Thị B" },
    message: "Created profile Trần Thị B",
  });
  preview = () => ({ matches: [], reviewReason: null });
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "validate_profile") return validation;
    if (cmd === "find_identifier_owner") return null;
    if (cmd === "preview_create") return preview();
    if (cmd === "create_profile") return createAnswer(args);
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function openWizard(saved: SaveResult[] = []): CreateWizard {
  const w = new CreateWizard({
    fields: catalogue,
    channels,
    onSaved: (r) => saved.push(r),
    onOpenProfile: () => undefined,
  });
  w.open(document.body);
  return w;
}

function escape(): void {
  q("create-form")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
}

describe("create wizard: leaving with typed work", () => {
  it("closes at once on Escape when nothing was typed", () => {
    let closed = 0;
    new CreateWizard({ fields: catalogue, channels, onSaved: () => undefined, onOpenProfile: () => undefined, onClosed: () => closed++ }).open(document.body);
    escape();
    expect(q("discard-changes"), "nothing to lose: no question").toBeNull();
    expect(q("create-form"), "the wizard closed").toBeNull();
    expect(closed, "once").toBe(1);
  });

  it("asks Discard your changes? on Escape and × once something was typed; Keep editing keeps it", async () => {
    openWizard();
    type("field-full_name", "Phạm Thị Hồng");
    escape();
    expect(q("discard-changes")?.querySelector("h2")?.textContent, "the question").toBe("Discard your changes?");
    expect(q("discard-changes")?.textContent, "what would be lost").toContain("The new profile has not been saved");
    q("discard-changes-no")!.click();
    await settle();
    expect(q<HTMLInputElement>("field-full_name")?.value, "Keep editing: the typed name is still there").toBe("Phạm Thị Hồng");

    q("wizard-close")!.click();
    q("discard-changes-yes")!.click();
    await settle();
    expect(q("create-form"), "Discard changes: the wizard closed").toBeNull();
    expect(calls.some((c) => c.cmd === "create_profile"), "nothing was saved").toBe(false);
  });

  it("counts a consent chosen on step 2 as typed work, and Cancel on step 1 as a deliberate way out", async () => {
    const w = openWizard();
    expect(w.hasChanges(), "a fresh form").toBe(false);
    type("field-full_name", "   ");
    expect(w.hasChanges(), "spaces alone are nothing typed").toBe(false);
    type("field-full_name", "Đặng Văn Lâm");
    q("continue-button")!.click();
    await settle();
    type("field-full_name", "");
    expect(w.hasChanges(), "the name cleared").toBe(false);
    const sms = q<HTMLSelectElement>("consent-sms")!;
    sms.value = "denied";
    expect(w.hasChanges(), "a consent was chosen").toBe(true);
    sms.value = "unknown";
    q("back-button")!.click();
    type("field-phones-0", "0377920611 (Zalo)");
    q("cancel-button")!.click();
    expect(q("discard-changes"), "Cancel does not ask").toBeNull();
    expect(q("create-form"), "and closes").toBeNull();
  });
});

describe("create wizard", () => {
  it("stays on step 1 and shows the errors when Continue finds problems", async () => {
    validation = [{ field: "identification", code: "identificationRequired", message: "A profile needs at least one identifier: full name, phone or e-mail" }];
    openWizard();
    q("continue-button")!.click();
    await settle();
    expect(q("error-identification")?.textContent, "the core's sentence is shown inline").toBe(
      "A profile needs at least one identifier: full name, phone or e-mail",
    );
    expect(q("save-button")?.hidden, "step 2 is not reached").toBe(true);
    expect(calls.some((c) => c.cmd === "create_profile"), "nothing is saved").toBe(false);
  });

  it("goes to consent, keeps values on Back, and saves only consent that was given", async () => {
    const saved: SaveResult[] = [];
    openWizard(saved);
    type("field-full_name", "Trần Thị B");
    type("field-emails-0", "b@example.com");
    q("continue-button")!.click();
    await settle();
    expect(q("save-button")?.hidden, "no errors: the consent step shows").toBe(false);
    expect(q<HTMLSelectElement>("consent-email")?.value, "consent defaults to Unknown").toBe("unknown");

    q("back-button")!.click();
    expect(q<HTMLInputElement>("field-full_name")?.value, "Back keeps what was typed").toBe("Trần Thị B");
    q("continue-button")!.click();
    await settle();

    const sms = q<HTMLSelectElement>("consent-sms")!;
    sms.value = "granted";
    sms.dispatchEvent(new Event("change"));
    q("save-button")!.click();
    await settle();

    const create = calls.find((c) => c.cmd === "create_profile");
    expect(calls.find((c) => c.cmd === "preview_create")?.args, "Save first asks what saving would do").toEqual({
      input: { values: { full_name: "Trần Thị B", emails: ["b@example.com"] } },
    });
    expect(create?.args, "no match: the values and only the non-Unknown consent are saved through the rule").toEqual({
      input: { values: { full_name: "Trần Thị B", emails: ["b@example.com"] } },
      consent: { channels: { sms: "granted" } },
      decision: { kind: "rule" },
    });
    expect(q("create-match-step"), "without matches no question is asked").toBeNull();
    expect(saved.map((r) => r.message), "the caller gets the result to toast it").toEqual(["Created profile Trần Thị B"]);
    expect(q("create-form"), "the wizard closes after saving").toBeNull();
  });

  it("returns to step 1 with the errors when Save is refused by validation", async () => {
    createAnswer = () => {
      throw {
        code: "validation",
        message: "The profile has errors",
        details: [{ field: "phones.0", code: "invalidPhone", message: "Not a phone number" }],
      };
    };
    const saved: SaveResult[] = [];
    openWizard(saved);
    type("field-phones-0", "12");
    q("continue-button")!.click();
    await settle();
    q("save-button")!.click();
    await settle();
    expect(q("continue-button")?.hidden, "back on step 1").toBe(false);
    expect(q("error-phones")?.textContent, "the refused field is explained").toBe("Not a phone number");
    expect(saved.length, "nothing was saved").toBe(0);
    expect(q("create-form"), "the wizard stays open").not.toBeNull();
  });

  it("shows a non-validation failure in the error banner and stays on consent", async () => {
    createAnswer = () => {
      throw { code: "permission", message: "You do not have permission to create profiles", details: { permission: "profile.create" } };
    };
    openWizard();
    type("field-full_name", "X");
    q("continue-button")!.click();
    await settle();
    q("save-button")!.click();
    await settle();
    expect(q("error-banner")?.textContent, "the core's message is shown").toContain("You do not have permission to create profiles");
    expect(q("save-button")?.hidden, "the user can retry from the consent step").toBe(false);
  });
});

describe("create wizard: when the typed identifiers match", () => {
  const LAN = { profileId: 7, label: "Trần Thị Lan", matchedBy: "phone" as const };

  async function toMatchStep(values: Record<string, string>, saved: SaveResult[] = []): Promise<void> {
    openWizard(saved);
    for (const [testid, value] of Object.entries(values)) type(testid, value);
    q("continue-button")!.click();
    await settle();
    q("save-button")!.click();
    await settle();
  }

  it("shows the matching profile with what Update would change, and Update this profile updates it", async () => {
    preview = () => ({
      matches: [{ ...LAN, nameDiffers: false, changes: [{ field: "emails", before: "lan@example.vn", after: "lan@example.vn, lan2@example.vn" }, { field: "city", before: "", after: "Huế" }] }],
      reviewReason: null,
    });
    createAnswer = () => ({
      outcome: { outcome: "updated", profileId: 7, label: "Trần Thị Lan", matchedBy: "phone", changedFields: ["emails", "city"] },
      message: "Updated existing profile Trần Thị Lan — matched by phone",
    });
    const saved: SaveResult[] = [];
    await toMatchStep({ "field-full_name": "Tran Thi Lan", "field-phones-0": "0912345678", "field-emails-0": "lan2@example.vn", "field-city": "Huế" }, saved);

    expect(q("create-match-step"), "Save asks instead of merging").not.toBeNull();
    expect(calls.some((c) => c.cmd === "create_profile"), "nothing is saved before the person decides").toBe(false);
    expect(q("create-form")?.textContent, "the existing profile is named").toContain("Trần Thị Lan");
    expect(q("create-match-by-7")?.textContent, "and what matched").toBe("matched by phone");
    const rows = [...document.querySelectorAll('[data-testid="create-changes-7"] tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent));
    expect(rows, "field labels from the catalogue; a list only gains the new entry").toEqual([
      ["E-mails", "lan@example.vn", "added lan2@example.vn"],
      ["City", "(empty)", "Huế"],
    ]);
    expect(q("create-name-differs-7"), "the same person: no warning").toBeNull();
    expect(q("create-update-7")?.classList.contains("button-primary"), "one match, same person: updating is the expected answer").toBe(true);
    expect(document.activeElement, "and has the focus").toBe(q("create-update-7"));
    expect(q("create-review")?.hidden, "the rule would merge: no review to offer").toBe(true);
    expect(q("save-button")?.hidden, "the consent step's buttons are gone").toBe(true);

    q("create-update-7")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "create_profile")?.args, "the previewed values with the decision").toMatchObject({
      input: { values: { full_name: "Tran Thi Lan", phones: ["0912345678"] } },
      decision: { kind: "update", profileId: 7 },
    });
    expect(saved.map((r) => r.message), "the core's sentence says what happened").toEqual(["Updated existing profile Trần Thị Lan — matched by phone"]);
    expect(q("create-form"), "the wizard closes").toBeNull();
  });

  it("warns when the name is another person's and creates a separate profile on request", async () => {
    preview = () => ({ matches: [{ ...LAN, nameDiffers: true, changes: [{ field: "full_name", before: "Trần Thị Lan", after: "Phạm Văn Hùng" }] }], reviewReason: "nameDiffers" });
    createAnswer = () => ({ outcome: { outcome: "created", profileId: 8, label: "Phạm Văn Hùng" }, message: "Created profile Phạm Văn Hùng" });
    const saved: SaveResult[] = [];
    await toMatchStep({ "field-full_name": "Phạm Văn Hùng", "field-phones-0": "0912345678" }, saved);

    expect(q("create-name-differs-7")?.textContent, "the two names side by side").toContain("The name is another person's: Trần Thị Lan ≠ Phạm Văn Hùng");
    expect(q("create-update-7")?.classList.contains("button-primary"), "updating a stranger is not the default").toBe(false);
    expect(document.activeElement?.classList.contains("create-match-title"), "focus on the question, not on Update").toBe(true);
    expect(q("create-review")?.hidden, "the rule would leave a review: offered").toBe(false);
    expect(q("create-review-reason")?.textContent, "and said honestly").toContain("neither creates nor updates a profile now");

    q("create-separate")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "create_profile")?.args, "the decision is sent").toMatchObject({ decision: { kind: "separate" } });
    expect(saved.map((r) => r.message), "the toast says it was kept apart, and from whom").toEqual([
      "Created separate profile Phạm Văn Hùng — not merged with Trần Thị Lan",
    ]);
  });

  it("goes back to the form with the values kept, and previews again on the next Save", async () => {
    preview = () => ({ matches: [{ ...LAN, nameDiffers: false, changes: [] }], reviewReason: null });
    await toMatchStep({ "field-full_name": "Trần Thị Lan", "field-phones-0": "0912345678" });
    expect(q("create-changes-7")?.textContent, "nothing would change").toContain("Nothing");
    q("create-back")!.click();
    expect(q("create-match-step")?.closest("[hidden]"), "the question is hidden").not.toBeNull();
    expect(q("continue-button")?.hidden, "back on the form").toBe(false);
    expect(q<HTMLInputElement>("field-full_name")?.value, "the name is kept").toBe("Trần Thị Lan");
    expect(q<HTMLInputElement>("field-phones-0")?.value, "the phone is kept").toBe("0912345678");
    expect(q("create-back")?.hidden, "the question's buttons are gone").toBe(true);

    preview = () => ({ matches: [], reviewReason: null });
    type("field-phones-0", "0987654321");
    q("continue-button")!.click();
    await settle();
    q("save-button")!.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "preview_create").length, "the changed values are previewed again").toBe(2);
    expect(calls.find((c) => c.cmd === "create_profile")?.args, "no match now: saved through the rule").toMatchObject({ decision: { kind: "rule" } });
  });

  it("lists several matches, each with its own Update, and sends to merge review on request", async () => {
    preview = () => ({
      matches: [
        { ...LAN, nameDiffers: false, changes: [] },
        { profileId: 9, label: "Lan Trần", matchedBy: "email", nameDiffers: false, changes: [{ field: "phones", before: "", after: "+84912345678" }] },
      ],
      reviewReason: "severalMatches",
    });
    createAnswer = () => ({
      outcome: { outcome: "review", reviewId: 3, candidates: [], reason: "severalMatches" },
      message: "Matches 2 different profiles (Trần Thị Lan, Lan Trần); nothing was merged — a merge review was created",
    });
    const saved: SaveResult[] = [];
    await toMatchStep({ "field-phones-0": "0912345678", "field-emails-0": "lan@example.vn" }, saved);
    expect(q("create-match-step")?.textContent, "the count is said").toContain("matches 2 existing profiles");
    expect(q("create-update-7"), "an Update for the first").not.toBeNull();
    expect(q("create-update-9"), "and one for the second").not.toBeNull();
    expect(q("create-match-by-9")?.textContent, "each says what matched").toBe("matched by e-mail");
    expect(q("create-review-reason")?.textContent, "why the rule would not decide").toContain("several profiles");
    q("create-review")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "create_profile")?.args, "the rule decides: a review").toMatchObject({ decision: { kind: "rule" } });
    expect(saved[0]?.message, "the core's sentence, unchanged").toContain("a merge review was created");
  });

  it("says in the question why a decision was refused, and lets the person choose again", async () => {
    preview = () => ({ matches: [{ ...LAN, nameDiffers: false, changes: [] }], reviewReason: null });
    createAnswer = () => {
      throw { code: "conflict", message: "Profile #7 no longer matches what was typed; go back and check the identifiers", details: null };
    };
    await toMatchStep({ "field-phones-0": "0912345678" });
    q("create-update-7")!.click();
    await settle();
    expect(q("create-match-error")?.textContent, "the refusal is shown where the decision is taken").toContain("no longer matches");
    expect(q("create-match-step"), "the question stays").not.toBeNull();
    expect(q<HTMLButtonElement>("create-update-7")?.disabled, "and can be answered again").toBe(false);
    expect(q<HTMLButtonElement>("create-separate")?.disabled, "every answer").toBe(false);
  });

  it("returns to the form when the preview refuses the values", async () => {
    preview = () => {
      throw { code: "validation", message: "The profile has errors", details: [{ field: "phones.0", code: "blockedValue", message: "“0000000000” is on the list of blocked values" }] };
    };
    await toMatchStep({ "field-phones-0": "0000000000" });
    expect(q("continue-button")?.hidden, "back on step 1").toBe(false);
    expect(q("error-phones")?.textContent, "with the core's reason").toContain("blocked values");
    expect(calls.some((c) => c.cmd === "create_profile"), "nothing is saved").toBe(false);
  });
});
