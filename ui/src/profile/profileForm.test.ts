import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FieldError } from "../ipc";
import { setLang } from "../i18n/lang";
import { XSS, catalogue, profile, settle } from "../testFixtures";
import { ProfileForm, formFields, splitErrorField } from "./profileForm";

function q<T extends HTMLElement = HTMLElement>(root: ParentNode, testid: string): T | null {
  return root.querySelector<T>(`[data-testid="${testid}"]`);
}

function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

let validateCalls: unknown[] = [];
let validateAnswer: FieldError[] = [];

beforeEach(() => {
  validateCalls = [];
  validateAnswer = [];
  mockIPC((cmd, args) => {
    if (cmd === "validate_profile") {
      validateCalls.push(args);
      return validateAnswer;
    }
    if (cmd === "find_identifier_owner") {
      const a = args as { value: string };
      return a.value === "0912345678" ? { profileId: 7, label: XSS, matchedBy: "phone" } : null;
    }
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => {
  clearMocks();
  setLang("en");
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe("form generation", () => {
  it("builds one control per non-system, non-hidden field, in catalogue order", () => {
    const form = new ProfileForm({ fields: catalogue, mode: "create" });
    const keys = [...form.element.querySelectorAll<HTMLElement>("[data-field]")].map((el) => el.dataset.field);
    expect(keys, "system fields are written by the core, never typed").toEqual(formFields(catalogue).map((f) => f.key));
    expect(keys, "source/created_at are system fields").not.toContain("created_at");
    expect(q(form.element, "field-phones-0"), "phones is a list editor starting with one input").not.toBeNull();
    expect(q(form.element, "field-gender")?.tagName, "gender is a select").toBe("SELECT");
    expect(q(form.element, "field-note")?.tagName, "note is a textarea").toBe("TEXTAREA");
    expect(q<HTMLInputElement>(form.element, "field-birthday")?.placeholder, "dates may be typed dd/mm/yyyy").toBe("dd/mm/yyyy");
    expect(form.element.textContent, "the identification rule is explained").toContain(
      "At least one of full name, phone or e-mail is required",
    );
  });

  it("shows a value containing markup as text and creates no element from it", () => {
    const p = profile({ label: XSS, emails: [XSS], values: { full_name: XSS, note: XSS, city: XSS } });
    const form = new ProfileForm({ fields: catalogue, mode: "edit", profile: p, excludeId: p.id });
    document.body.appendChild(form.element);
    expect(form.element.querySelector("img"), "the value must never be parsed as HTML").toBeNull();
    expect(q<HTMLInputElement>(form.element, "field-full_name")?.value, "the text is kept exactly").toBe(XSS);
    expect(q<HTMLTextAreaElement>(form.element, "field-note")?.value, "textareas too").toBe(XSS);
    expect(q<HTMLInputElement>(form.element, "field-emails-0")?.value, "list entries too").toBe(XSS);
  });

  it("prefills an edit form from the profile, mapping the displayed gender to its option", () => {
    const form = new ProfileForm({ fields: catalogue, mode: "edit", profile: profile(), excludeId: 42 });
    expect(q<HTMLSelectElement>(form.element, "field-gender")?.value, "'Male' is displayed; 'male' is the value").toBe("male");
    expect(q<HTMLInputElement>(form.element, "field-phones-1")?.value, "every phone gets its own input").toBe("0987 654 321");
    expect(q<HTMLInputElement>(form.element, "field-birthday")?.value, "the core's 1990-05-01 reads dd/mm/yyyy, as typed").toBe("01/05/1990");
  });
});

describe("collect", () => {
  it("collects a create form into ProfileInput, lists as arrays without empty entries", () => {
    const form = new ProfileForm({ fields: catalogue, mode: "create" });
    const el = form.element;
    type(q<HTMLInputElement>(el, "field-full_name")!, "Trần Thị B");
    type(q<HTMLInputElement>(el, "field-phones-0")!, "0912 345 678");
    q(el, "add-phones")!.click();
    q(el, "add-phones")!.click();
    type(q<HTMLInputElement>(el, "field-phones-2")!, "  +84 987 654 321 ");
    q(el, "add-tags")!.click();
    type(q<HTMLInputElement>(el, "field-tags-1")!, "vip");
    const gender = q<HTMLSelectElement>(el, "field-gender")!;
    gender.value = "female";
    type(q<HTMLInputElement>(el, "field-birthday")!, "01/05/1990");

    const input = form.collect();
    expect(input.values.phones, "the empty middle phone is dropped, entries are trimmed").toEqual([
      "0912 345 678",
      "+84 987 654 321",
    ]);
    expect(input.values.tags, "the empty first tag is dropped").toEqual(["vip"]);
    expect(input.values.full_name, "text as typed").toBe("Trần Thị B");
    expect(input.values.gender, "the option value, not its label").toBe("female");
    expect(input.values.birthday, "dd/mm/yyyy goes to the core as its ISO date").toBe("1990-05-01");
    expect("emails" in input.values, "create leaves out what was not filled in").toBe(false);
    expect("city" in input.values, "create leaves out empty text fields").toBe(false);
  });

  it("sends only the fields changed when editing; an emptied field is cleared", () => {
    const form = new ProfileForm({ fields: catalogue, mode: "edit", profile: profile(), excludeId: 42 });
    expect(form.collect(), "nothing changed, nothing sent").toEqual({ values: {} });
    type(q<HTMLInputElement>(form.element, "field-city")!, "");
    q(form.element, "remove-emails-0")!.click();
    type(q<HTMLInputElement>(form.element, "field-full_name")!, "Nguyễn Văn A ");
    const input = form.collect();
    expect(input.values, "the emptied city and e-mails only").toEqual({ city: "", emails: [] });
    type(q<HTMLInputElement>(form.element, "field-city")!, "Hà Nội");
    expect("city" in form.collect().values, "typed back to the opened value: unchanged").toBe(false);
  });

  it("renumbers list testids after a removal", () => {
    const form = new ProfileForm({ fields: catalogue, mode: "edit", profile: profile(), excludeId: 42 });
    q(form.element, "remove-phones-0")!.click();
    expect(q<HTMLInputElement>(form.element, "field-phones-0")?.value, "the second phone moves up").toBe("0987 654 321");
    expect(q(form.element, "field-phones-1"), "no gap is left").toBeNull();
  });
});

describe("inline errors", () => {
  it("shows the core's errors under their fields after validate() (Continue)", async () => {
    validateAnswer = [
      { field: "identification", code: "identificationRequired", message: "A profile needs at least one identifier: full name, phone or e-mail" },
      { field: "emails[0]", code: "invalidEmail", message: "Not an e-mail address" },
    ];
    const form = new ProfileForm({ fields: catalogue, mode: "create" });
    type(q<HTMLInputElement>(form.element, "field-emails-0")!, "nope");
    const errors = await form.validate();
    expect(errors.length, "validate() returns what the core said").toBe(2);
    expect(validateCalls[validateCalls.length - 1], "create validates with forCreate=true").toEqual({
      input: { values: { emails: ["nope"] } },
      forCreate: true,
    });
    expect(q(form.element, "error-identification")?.textContent, "the identification rule is shown").toBe(
      "A profile needs at least one identifier: full name, phone or e-mail",
    );
    expect(q(form.element, "error-emails")?.textContent, "indexed errors belong to their list field").toBe("Not an e-mail address");
    expect(
      q(form.element, "field-emails-0")?.getAttribute("aria-invalid"),
      "the offending entry is marked for assistive tech",
    ).toBe("true");
  });

  it("hides errors of fields the user has not reached yet", async () => {
    vi.useFakeTimers();
    validateAnswer = [{ field: "city", code: "tooLong", message: "Too long" }];
    const form = new ProfileForm({ fields: catalogue, mode: "create" });
    type(q<HTMLInputElement>(form.element, "field-full_name")!, "A");
    await vi.advanceTimersByTimeAsync(400);
    expect(validateCalls.length, "typing validates (debounced)").toBe(1);
    expect(q(form.element, "error-city"), "city was never touched: no error yet").toBeNull();
  });

  it("maps indexed error fields to their field key", () => {
    expect(splitErrorField("phones.1"), "dot index").toEqual({ key: "phones", index: 1 });
    expect(splitErrorField("emails[0]"), "bracket index").toEqual({ key: "emails", index: 0 });
    expect(splitErrorField("birthday"), "plain key").toEqual({ key: "birthday", index: null });
  });
});

describe("duplicate guard", () => {
  it("says who owns a typed phone, as text, with a link that opens that profile", async () => {
    vi.useFakeTimers();
    const opened: number[] = [];
    const form = new ProfileForm({ fields: catalogue, mode: "create", onOpenProfile: (id) => opened.push(id) });
    type(q<HTMLInputElement>(form.element, "field-phones-0")!, "0912345678");
    expect(q(form.element, "duplicate-guard"), "the check is debounced, not per keystroke").toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    vi.useRealTimers();
    await settle();
    const notice = q(form.element, "duplicate-guard");
    expect(notice?.textContent, "the owner's label is named").toContain(`Already belongs to ${XSS}`);
    expect(notice?.querySelector("img"), "an owner's label is text, never markup").toBeNull();
    q(notice!, "duplicate-guard-open")!.click();
    expect(opened, "the link opens the owning profile").toEqual([7]);
  });

  it("removes the notice when the value no longer matches", async () => {
    vi.useFakeTimers();
    const form = new ProfileForm({ fields: catalogue, mode: "create" });
    const input = q<HTMLInputElement>(form.element, "field-phones-0")!;
    type(input, "0912345678");
    await vi.advanceTimersByTimeAsync(300);
    type(input, "0912345679");
    expect(q(form.element, "duplicate-guard"), "a stale notice goes away at once").toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    expect(q(form.element, "duplicate-guard"), "the new number belongs to nobody").toBeNull();
  });
});

describe("dates", () => {
  it("leaves an untouched date out of an edit, and sends a retyped one as its ISO date", () => {
    const form = new ProfileForm({ fields: catalogue, mode: "edit", profile: profile(), excludeId: 42 });
    expect(form.collect().values, "01/05/1990 shown is the 1990-05-01 stored: no change").toEqual({});
    expect(form.hasChanges()).toBe(false);
    type(q<HTMLInputElement>(form.element, "field-birthday")!, "1/5/1990");
    expect(form.hasChanges(), "the same day written another way is no change").toBe(false);
    type(q<HTMLInputElement>(form.element, "field-birthday")!, "02/05/1990");
    expect(form.collect().values).toEqual({ birthday: "1990-05-02" });
    type(q<HTMLInputElement>(form.element, "field-birthday")!, "31/02/1990");
    expect(form.collect().values, "an impossible date goes as typed, for the core to refuse").toEqual({ birthday: "31/02/1990" });
  });

  it("says a date does not exist in the UI's language, not that its format is wrong", async () => {
    const form = new ProfileForm({ fields: catalogue, mode: "create" });
    document.body.appendChild(form.element);
    type(q<HTMLInputElement>(form.element, "field-birthday")!, "31/02/1990");
    validateAnswer = [
      {
        field: "birthday",
        code: "invalidDate",
        message: "“31/02/1990” is not a date: February 1990 has 28 days",
        params: { value: "31/02/1990", reason: "noSuchDay", month: "2", year: "1990", days: "28" },
      },
    ];
    await form.validate();
    const error = (): string => q(form.element, "error-birthday")?.textContent ?? "";
    expect(error()).toBe("“31/02/1990” is not a date: February 1990 has 28 days");
    expect(error(), "no wrong advice").not.toMatch(/dd\/mm\/yyyy/);
    setLang("vi");
    await form.validate();
    expect(error(), "in Vietnamese").toBe("“31/02/1990” không phải là ngày có thật: tháng 2 năm 1990 chỉ có 28 ngày");
    type(q<HTMLInputElement>(form.element, "field-birthday")!, "1990/31/02");
    validateAnswer = [
      {
        field: "birthday",
        code: "invalidDate",
        message: "“1990/31/02” is not a date: there is no month 31",
        params: { value: "1990/31/02", reason: "noSuchMonth", month: "31" },
      },
    ];
    await form.validate();
    expect(error(), "a month that does not exist").toBe("“1990/31/02” không phải là ngày: không có tháng 31 (ngày viết trước tháng: dd/mm/yyyy)");
    expect(q<HTMLInputElement>(form.element, "field-birthday")?.placeholder).toBe("dd/mm/yyyy");
  });
});

describe("errors from Save", () => {
  it("keep showing until the named field is edited", async () => {
    const form = new ProfileForm({ fields: catalogue, mode: "create" });
    document.body.appendChild(form.element);
    form.showErrors([{ field: "phones.0", code: "invalidPhone", message: "Not a phone number" }]);
    await form.validate();
    expect(q(form.element, "error-phones")?.textContent, "live validation (which found nothing) does not wipe it").toBe(
      "Not a phone number",
    );
    expect((await form.validate()).length, "Continue stays blocked while it stands").toBe(1);
    type(q<HTMLInputElement>(form.element, "field-phones-0")!, "0912345678");
    expect(q(form.element, "error-phones"), "editing the phone clears the refusal").toBeNull();
  });
});
