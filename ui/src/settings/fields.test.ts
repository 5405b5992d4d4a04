import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { FieldDraft, FieldSetting } from "../ipc";
import { catalogue, settle } from "../testFixtures";
import { draftOf, fieldsSection, kindLabel, lockText, parseSynonyms } from "./fields";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function setting(key: string, extra: Partial<FieldSetting> = {}): FieldSetting {
  const field = catalogue.find((f) => f.key === key)!;
  return { field, values: null, kindLocked: { reason: "builtIn" }, hideLocked: null, mandatoryLocked: null, deletable: false, ...extra };
}

const CUSTOM: FieldSetting = {
  field: { key: "hang", label: "Hạng", kind: "select", builtin: false, mandatory: false, displayed: false, hidden: false, position: 200, options: [{ value: "vang", label: "Vàng" }], synonyms: [] },
  values: 3,
  kindLocked: { reason: "holdsValues", profiles: 3 },
  hideLocked: null,
  mandatoryLocked: null,
  deletable: true,
};

describe("field catalogue", () => {
  it("words kinds and reads synonyms one per line or by commas", () => {
    expect(kindLabel("multiSelect"), "kinds read as words").toBe("Multi-select");
    expect(parseSynonyms(" Hạng thẻ \nMembership, Tier;;"), "trimmed, empty ones dropped").toEqual(["Hạng thẻ", "Membership", "Tier"]);
    expect(draftOf(CUSTOM).options, "the draft copies the options").toEqual([{ value: "vang", label: "Vàng" }]);
  });

  it("says why a part of a field is locked from the core's reason, in English and Vietnamese", () => {
    const fullName = catalogue.find((f) => f.key === "full_name")!;
    const createdAt = catalogue.find((f) => f.key === "created_at")!;
    const cases = [
      lockText(fullName, { reason: "builtIn" }),
      lockText(CUSTOM.field, { reason: "holdsValues", profiles: 1 }),
      lockText(CUSTOM.field, { reason: "holdsValues", profiles: 1200 }),
      lockText(fullName, { reason: "identifies" }),
      lockText(createdAt, { reason: "setByApp" }),
    ];
    expect(cases, "the core's former sentences").toEqual([
      "Full name is built in: its type is fixed",
      "Hạng holds values on 1 profile: its type cannot change",
      "Hạng holds values on 1,200 profiles: its type cannot change",
      "Full name identifies profiles and cannot be hidden",
      "Created at is set by the app",
    ]);
    setLang("vi");
    expect([
      lockText(fullName, { reason: "builtIn" }),
      lockText(CUSTOM.field, { reason: "holdsValues", profiles: 1200 }),
      lockText(fullName, { reason: "identifies" }),
      lockText(createdAt, { reason: "setByApp" }),
      lockText({ ...fullName, label: "Tên khách" }, { reason: "identifies" }),
    ], "a built-in field by its Vietnamese name, a renamed one as named").toEqual([
      "Họ và tên là trường có sẵn: không đổi được kiểu",
      "Hạng đang có giá trị ở 1.200 hồ sơ: không đổi được kiểu",
      "Họ và tên dùng để nhận diện hồ sơ nên không ẩn được",
      "Ngày tạo do ứng dụng tự ghi",
      "Tên khách dùng để nhận diện hồ sơ nên không ẩn được",
    ]);
  });

  it("shows the locks in Vietnamese in the editor", async () => {
    mockIPC((cmd) => {
      if (cmd === "field_settings") return [setting("full_name", { hideLocked: { reason: "identifies" } }), CUSTOM];
      throw new Error(`unexpected ${cmd}`);
    });
    setLang("vi");
    const handle = fieldsSection.mount({ session: { userName: "a", displayName: "a", role: "Administrator", permissions: [] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    q("field-edit-full_name")!.click();
    expect(q<HTMLSelectElement>("field-editor-kind")?.title, "the type's lock").toBe("Họ và tên là trường có sẵn: không đổi được kiểu");
    const hidden = q<HTMLInputElement>("field-editor-hidden")!;
    expect(hidden.disabled, "an identifier cannot be hidden").toBe(true);
    expect(hidden.closest("label")?.textContent, "and says why").toContain("Họ và tên dùng để nhận diện hồ sơ nên không ẩn được");
    expect(q<HTMLInputElement>("field-editor-mandatory")?.disabled, "nothing locks its mandatory box").toBe(false);
  });

  it("shows built-in names in Vietnamese and saves a name left as shown as the stored one", async () => {
    const sent: FieldDraft[] = [];
    const gender = setting("gender");
    mockIPC((cmd, args) => {
      if (cmd === "field_settings") return [setting("full_name"), gender];
      if (cmd === "update_field") {
        sent.push((args as { draft: FieldDraft }).draft);
        return [setting("full_name"), gender];
      }
      throw new Error(`unexpected ${cmd}`);
    });
    setLang("vi");
    const handle = fieldsSection.mount({ session: { userName: "a", displayName: "a", role: "Administrator", permissions: [] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    expect(q("field-label-full_name")?.textContent, "listed in the UI's language").toBe("Họ và tên");
    q("field-edit-gender")!.click();
    expect(q<HTMLInputElement>("field-editor-label")?.value).toBe("Giới tính");
    expect(q<HTMLInputElement>("field-option-0")?.value, "a built-in option too").toBe("Nam");
    q("field-editor-save")!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(sent[0]?.label, "no translation written into the store").toBe("Gender");
    expect(sent[0]?.options[0], "nor into its options").toEqual(gender.field.options[0]);
    q("field-edit-gender")!.click();
    q<HTMLInputElement>("field-editor-label")!.value = "Giới tính khách";
    q("field-editor-save")!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(sent[1]?.label, "a new name is saved as typed").toBe("Giới tính khách");
  });

  it("adds a field through the editor and shows the core's refusal under its input", async () => {
    let refuse = true;
    const sent: FieldDraft[] = [];
    let changed = 0;
    mockIPC((cmd, args) => {
      if (cmd === "field_settings") return [setting("full_name", { hideLocked: { reason: "identifies" } })];
      if (cmd === "add_field") {
        const draft = (args as { draft: FieldDraft }).draft;
        sent.push(draft);
        if (refuse) throw { code: "validation", message: "x", details: [{ field: "label", code: "duplicate", message: "There is already a field named “City”", params: { value: "City" } }] };
        return [setting("full_name"), { ...CUSTOM, field: { ...CUSTOM.field, key: "chi_nhanh", label: draft.label, kind: draft.kind, mandatory: draft.mandatory } }];
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = fieldsSection.mount({ session: { userName: "a", displayName: "a", role: "Administrator", permissions: [] }, catalogueChanged: () => (changed += 1) });
    document.body.appendChild(handle.element);
    await settle();
    expect(q<HTMLButtonElement>("field-delete-full_name")?.disabled, "built-in fields cannot be deleted").toBe(true);
    q("field-add")!.click();
    const label = q<HTMLInputElement>("field-editor-label")!;
    label.value = "City";
    q<HTMLInputElement>("field-editor-mandatory")!.checked = true;
    q<HTMLTextAreaElement>("field-editor-synonyms")!.value = "Mã CN\nBranch";
    q("field-editor-save")!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(q("field-editor-error-label")?.textContent, "the refusal sits under the name").toContain("There is already one named “City”");
    expect(sent[0], "the draft as typed").toMatchObject({ label: "City", kind: "text", mandatory: true, synonyms: ["Mã CN", "Branch"], options: [] });
    refuse = false;
    label.value = "Chi nhánh";
    q("field-editor-save")!.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(q("field-editor"), "the editor closes").toBeNull();
    expect(q("field-label-chi_nhanh")?.textContent, "the new field is listed").toBe("Chi nhánh");
    expect(changed, "the create form and the mapping grid are told").toBe(1);
  });

  it("locks the type with its reason and asks before deleting a field that holds values", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "field_settings") return [CUSTOM];
      if (cmd === "delete_field") return [];
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = fieldsSection.mount({ session: { userName: "a", displayName: "a", role: "Administrator", permissions: [] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    q("field-edit-hang")!.click();
    const kind = q<HTMLSelectElement>("field-editor-kind")!;
    expect(kind.disabled, "the type is locked").toBe(true);
    expect(kind.title, "the tooltip says why").toContain("holds values on 3 profiles");
    document.querySelector<HTMLButtonElement>('[data-testid="field-editor"] .modal-head .icon-button')!.click();
    q("field-delete-hang")!.click();
    await settle();
    expect(q("field-delete-confirm")?.textContent, "the question names the values").toContain("3 profiles hold a value");
    q("field-delete-confirm-yes")!.click();
    await settle();
    expect(calls.at(-1), "confirmed deletion").toEqual(["delete_field", { key: "hang", confirm: true }]);
  });

  it("downloads the import template for users who may import, in the UI's language", async () => {
    const calls: unknown[] = [];
    let answer: unknown = "/home/lan/Tệp mẫu nhập khách hàng.xlsx";
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "field_settings") return [setting("full_name")];
      if (cmd === "save_import_template") {
        if (answer instanceof Error) throw { code: "io", message: answer.message, details: null };
        return answer;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    setLang("vi");
    const handle = fieldsSection.mount({ session: { userName: "a", displayName: "a", role: "Administrator", permissions: ["settings.manage", "profile.import"] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    const button = q<HTMLButtonElement>("fields-template")!;
    expect(button.textContent, "named in the UI's language").toBe("Tải tệp mẫu");
    button.click();
    await settle();
    expect(calls.at(-1), "the template in Vietnamese").toEqual(["save_import_template", { lang: "vi" }]);
    expect(document.body.textContent, "the toast says where").toContain("Đã lưu tệp mẫu vào /home/lan/Tệp mẫu nhập khách hàng.xlsx");
    answer = new Error("The folder cannot be written to");
    button.click();
    await settle();
    expect(q("fields-error")?.textContent, "a failure is said above the list").toContain("The folder cannot be written to");
  });

  it("offers no template to an administrator who may not import", async () => {
    mockIPC((cmd) => {
      if (cmd === "field_settings") return [setting("full_name")];
      throw new Error(`unexpected ${cmd}`);
    });
    const handle = fieldsSection.mount({ session: { userName: "a", displayName: "a", role: "Settings only", permissions: ["settings.manage"] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    expect(q("field-add"), "the section is there").not.toBeNull();
    expect(q("fields-template"), "without the template button").toBeNull();
  });
});
