import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { SharedIdentifier } from "../ipc";
import { XSS, catalogue, channels, detail, profile, settle } from "../testFixtures";
import { DetailView, appendedItems, changedConsent } from "./detail";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function view(canEdit: boolean): DetailView {
  const v = new DetailView({ fields: catalogue, channels, canEdit, onBack: () => undefined, onChanged: () => undefined });
  v.element.hidden = false;
  document.body.appendChild(v.element);
  return v;
}

function q(root: ParentNode, testid: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

describe("profile detail", () => {
  it("renders profile data containing markup as text", () => {
    const v = view(true);
    const p = profile({ label: XSS, tags: [XSS], values: { full_name: XSS, note: XSS } });
    const d = detail(p);
    d.history[0]!.changes = [{ field: "note", before: XSS, after: XSS }];
    v.render(d);
    expect(v.element.querySelector("img"), "no element may come from profile data").toBeNull();
    expect(q(v.element, "detail-label")?.textContent, "the label is shown literally").toBe(XSS);
    expect(q(v.element, "detail-field-note")?.textContent, "fields are shown literally").toBe(XSS);
  });

  it("marks the first phone and e-mail as primary and shows linked objects", () => {
    const v = view(true);
    v.render(detail());
    const phones = q(v.element, "detail-field-phones")!;
    expect(phones.querySelectorAll("li").length, "one entry per phone").toBe(2);
    expect(phones.querySelector("li")?.textContent, "the first phone is primary").toContain("primary");
    expect(phones.querySelectorAll("li")[1]?.textContent, "the second is not").not.toContain("primary");
    expect(q(v.element, "links-accounts")?.textContent, "empty link groups say None").toContain("None");
    expect(q(v.element, "links-opportunities")?.textContent, "linked opportunities are listed").toContain("Renewal 2025");
    expect(q(v.element, "consent-status-email")?.textContent, "current consent per channel").toBe("Granted");
    expect(q(v.element, "consent-status-sms")?.textContent, "no record means Unknown").toBe("Unknown");
  });

  it("shows phones and dates one way: the phones from their E.164 form, dates dd/mm/yyyy, history included", () => {
    const v = view(true);
    const p = profile({
      label: "912345678",
      phones: [
        { raw: "912345678", e164: "+84912345678", label: "Zalo" },
        { raw: "+84 24 3825 1234", e164: "+842438251234" },
        { raw: "+1 (415) 555-2671", e164: "+14155552671" },
      ],
      values: { birthday: "1990-05-01", customer_code: "0912345678" },
    });
    const d = detail(p);
    d.history[0]!.changes = [
      { field: "birthday", before: "1990-05-10", after: "1990-05-01" },
      { field: "phones", before: "912345678", after: "912345678, +84 24 3825 1234" },
      { field: "phones", before: "0162 345 6789", after: "0323456789" },
    ];
    v.render(d);
    const phones = [...q(v.element, "detail-field-phones")!.querySelectorAll("li")].map((li) => li.firstChild?.textContent);
    expect(phones, "national form for Vietnam, + and the code for others").toEqual(["0912 345 678", "024 3825 1234", "+1 415 555 2671"]);
    expect(q(v.element, "detail-field-phones")?.textContent, "what the source wrote beside the number").toContain("Zalo");
    expect(q(v.element, "detail-field-phones")?.textContent, "no second, E.164 form").not.toContain("+84");
    expect(q(v.element, "detail-field-birthday")?.textContent).toBe("01/05/1990");
    expect(q(v.element, "detail-field-customer_code")?.textContent, "a code of digits is no phone").toBe("0912345678");
    expect(q(v.element, "detail-label")?.textContent, "a profile without a name goes by its phone, read as in the list of phones").toBe("0912 345 678");
    const history = q(v.element, "history")?.textContent ?? "";
    expect(history, "a date change").toContain("10/05/1990→01/05/1990");
    expect(history, "a phone added, in the same format").toContain("024 3825 1234");
    expect(history, "an old number as typed, the new one formatted").toContain("0162 345 6789→0323 456 789");
  });

  it("reads the profile again after a sync round, but never under an edit", async () => {
    const v = view(true);
    v.render(detail());
    const synced = detail();
    synced.links.tickets = [{ id: 9, title: "Đổi địa chỉ giao hàng", status: "open", updatedAt: "2026-12-03T10:00:00Z" }];
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return synced;
    });
    await v.refresh();
    await settle();
    expect(q(v.element, "links-tickets")?.textContent, "the ticket the server linked").toContain("Đổi địa chỉ giao hàng");
    q(v.element, "edit-button")!.click();
    await v.refresh();
    expect(calls, "not read again while the form is open").toEqual(["get_profile"]);
  });

  it("disables Edit with a tooltip naming the missing permission", () => {
    const v = view(false);
    v.render(detail());
    const edit = q(v.element, "edit-button") as HTMLButtonElement;
    expect(edit.disabled, "a viewer cannot edit").toBe(true);
    expect(edit.title, "the tooltip says which permission is missing").toContain("profile.edit");
  });

  it("switches the fields to the prefilled form on Edit", () => {
    const v = view(true);
    v.render(detail());
    q(v.element, "edit-button")!.click();
    expect((q(v.element, "field-full_name") as HTMLInputElement).value, "the form is prefilled").toBe("Nguyễn Văn A");
    expect(q(v.element, "detail-save"), "Save is offered").not.toBeNull();
    expect((q(v.element, "consent-email") as HTMLSelectElement).value, "consent is editable, starting from the current value").toBe("granted");
    q(v.element, "detail-cancel")!.click();
    expect(q(v.element, "field-full_name"), "Cancel goes back to the read-only view").toBeNull();
  });

  it("sends only the consent channels that changed", () => {
    const chosen = new Map([
      ["email", "granted"],
      ["sms", "denied"],
      ["phone_call", "unknown"],
    ]);
    expect(changedConsent({ email: "granted" }, chosen), "email unchanged, phone_call still unknown").toEqual({
      channels: { sms: "denied" },
    });
  });

  it("describes a merge that only adds list entries as an addition", () => {
    expect(appendedItems("a@x.vn", "a@x.vn, b@x.vn"), "the new e-mail is what was added").toBe("b@x.vn");
    expect(appendedItems("", "a@x.vn"), "a first value is a change from empty").toBeNull();
    expect(appendedItems("Huế", "Vinh"), "a replaced value is not an addition").toBeNull();
  });
});

describe("editing: the save bar, Ctrl+S and leaving with changes", () => {
  function typeInto(root: ParentNode, testid: string, value: string): void {
    const input = q(root, testid) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function escapeIn(el: HTMLElement): void {
    el.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  }

  function editing(onBack: () => void = () => undefined): DetailView {
    mockIPC((cmd) => {
      if (cmd === "validate_profile") return [];
      if (cmd === "find_identifier_owner") return null;
      if (cmd === "preview_edit") return { shared: [] };
      if (cmd === "update_profile") return detail(profile({ values: { full_name: "Nguyễn Văn A", city: "Đà Nẵng" } }));
      throw new Error(`unexpected command ${cmd}`);
    });
    const v = new DetailView({ fields: catalogue, channels, canEdit: true, onBack, onChanged: () => undefined });
    v.element.hidden = false;
    document.body.appendChild(v.element);
    v.render(detail());
    q(v.element, "edit-button")!.click();
    return v;
  }

  it("puts Save and Cancel in a bar at the bottom of the detail while editing, and only then", () => {
    const v = view(true);
    v.render(detail());
    expect(q(v.element, "detail-savebar"), "not while reading").toBeNull();
    q(v.element, "edit-button")!.click();
    const bar = q(v.element, "detail-savebar")!;
    expect(v.element.lastElementChild, "the last thing in the detail (CSS keeps it stuck to the bottom)").toBe(bar);
    expect([...bar.querySelectorAll("button")].map((b) => b.dataset.testid), "Cancel, then Save").toEqual(["detail-cancel", "detail-save"]);
    expect(bar.textContent, "says which profile is being edited").toContain("Editing Nguyễn Văn A");
    expect(q(v.element, "detail-save")?.title, "Save names its shortcut").toBe("Save (Ctrl+S)");
  });

  it("Escape with nothing typed ends the edit at once; with changes it asks first", async () => {
    const v = editing();
    escapeIn(q(v.element, "field-city")!);
    expect(q(document.body, "discard-changes"), "nothing typed: no question").toBeNull();
    expect(v.editing, "the edit ended").toBe(false);

    q(v.element, "edit-button")!.click();
    typeInto(v.element, "field-city", "Cần Thơ");
    escapeIn(q(v.element, "field-city")!);
    expect(q(document.body, "discard-changes")?.textContent, "names the profile").toContain("Your changes to Nguyễn Văn A have not been saved.");
    q(document.body, "discard-changes-no")!.click();
    await settle();
    expect((q(v.element, "field-city") as HTMLInputElement).value, "Keep editing keeps what was typed").toBe("Cần Thơ");

    escapeIn(q(v.element, "field-city")!);
    q(document.body, "discard-changes-yes")!.click();
    await settle();
    expect(v.editing, "Discard changes ends the edit").toBe(false);
    expect(q(v.element, "detail-field-city")?.textContent, "the stored value shows again").toBe("Hà Nội");
  });

  it("a consent changed is a change too; Cancel is the deliberate way out and does not ask", () => {
    const v = editing();
    expect(v.hasUnsavedChanges(), "nothing yet").toBe(false);
    (q(v.element, "consent-sms") as HTMLSelectElement).value = "denied";
    expect(v.hasUnsavedChanges(), "a consent chosen").toBe(true);
    q(v.element, "detail-cancel")!.click();
    expect(q(document.body, "discard-changes"), "no question").toBeNull();
    expect(v.editing, "ended").toBe(false);
  });

  it("Back and leaving for another screen ask about changes; refusing keeps the edit", async () => {
    let back = 0;
    const v = editing(() => back++);
    typeInto(v.element, "field-city", "Cần Thơ");
    q(v.element, "detail-back")!.click();
    q(document.body, "discard-changes-no")!.click();
    await settle();
    expect(back, "kept editing: still here").toBe(0);
    const leaving = v.canLeave();
    q(document.body, "discard-changes-no")!.click();
    expect(await leaving, "another screen may not replace it").toBe(false);
    q(v.element, "detail-back")!.click();
    q(document.body, "discard-changes-yes")!.click();
    await settle();
    expect(back, "discarded: back to the list").toBe(1);
  });

  it("Ctrl+S saves the edit; without an edit it is not taken", async () => {
    const v = editing();
    typeInto(v.element, "field-city", "Đà Nẵng");
    expect(v.saveShortcut(), "an edit to save").toBe(true);
    await settle();
    expect(v.editing, "saved: the edit ended").toBe(false);
    expect(q(v.element, "detail-field-city")?.textContent, "the saved value").toBe("Đà Nẵng");
    expect(v.saveShortcut(), "nothing being edited").toBe(false);
  });
});

describe("an edit that shares an identifier", () => {
  const lan: SharedIdentifier = { value: "0935 111 222", kind: "phone", profileId: 7, label: "Trần Thị Lan" };

  /** Opens the edit form with the core answering `shared` to preview_edit; returns the calls. */
  async function saveWith(shared: SharedIdentifier[]): Promise<Array<{ cmd: string; args: Record<string, unknown> }>> {
    const calls: Array<{ cmd: string; args: Record<string, unknown> }> = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "validate_profile") return [];
      if (cmd === "find_identifier_owner") return null;
      if (cmd === "preview_edit") return { shared };
      if (cmd === "update_profile") return detail();
      if (cmd === "get_profile") return detail(profile({ id: 7, label: "Trần Thị Lan" }));
      throw new Error(`unexpected command ${cmd}`);
    });
    const v = view(true);
    v.render(detail());
    q(v.element, "edit-button")!.click();
    q(v.element, "detail-save")!.click();
    await settle();
    return calls;
  }

  it("saves without asking when nothing is shared", async () => {
    const calls = await saveWith([]);
    expect(q(document.body, "shared-identifier-dialog"), "no question").toBeNull();
    const update = calls.find((c) => c.cmd === "update_profile");
    expect(update?.args.decision, "an ordinary save").toBe("ask");
  });

  it("asks, names the owner, and Back saves nothing", async () => {
    const calls = await saveWith([lan]);
    const dialog = q(document.body, "shared-identifier-dialog");
    expect(dialog?.textContent, "the owner and the value are named").toContain("0935 111 222 (phone) belongs to Trần Thị Lan (#7)");
    q(document.body, "shared-identifier-back")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "update_profile"), "Back saves nothing").toBe(false);
    expect(q(document.body, "detail-save"), "the form is still open").not.toBeNull();
  });

  it("Keep both profiles saves with the person's decision", async () => {
    const calls = await saveWith([lan]);
    q(document.body, "shared-identifier-keep")!.click();
    await settle();
    const update = calls.find((c) => c.cmd === "update_profile");
    expect(update?.args.decision, "the core records that they were kept apart").toBe("keepSeparate");
  });

  it("the owner's name opens that profile instead of saving", async () => {
    const calls = await saveWith([lan]);
    q(document.body, "shared-identifier-open-7")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "update_profile"), "nothing saved").toBe(false);
    expect(calls.some((c) => c.cmd === "get_profile" && c.args.id === 7), "the other profile opens").toBe(true);
  });
});

describe("an edit on the version it was opened on (lost updates)", () => {
  type Call = { cmd: string; args: Record<string, unknown> };
  const conflict = {
    code: "editConflict",
    message: "Changed by someone else since you opened it: City — yours: Vinh, now: Đà Nẵng. Nothing was saved",
    details: {
      conflicts: [{ field: "city", label: "City", yours: "Vinh", theirs: "Đà Nẵng", base: "Hà Nội" }],
      version: "v2",
    },
  };

  /** Edits the city to Vinh and saves; the first update_profile answers `first`. */
  async function editCity(first: "ok" | "conflict"): Promise<{ calls: Call[]; v: DetailView }> {
    const calls: Call[] = [];
    let updates = 0;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "validate_profile") return [];
      if (cmd === "find_identifier_owner") return null;
      if (cmd === "preview_edit") return { shared: [] };
      if (cmd === "update_profile") {
        updates += 1;
        if (first === "conflict" && updates === 1) throw conflict;
        return detail();
      }
      throw new Error(`unexpected command ${cmd}`);
    });
    const v = view(true);
    v.render(detail());
    q(v.element, "edit-button")!.click();
    const city = q(v.element, "field-city") as HTMLInputElement;
    city.value = "Vinh";
    city.dispatchEvent(new Event("input", { bubbles: true }));
    q(v.element, "detail-save")!.click();
    await settle();
    return { calls, v };
  }

  const updates = (calls: Call[]): Call[] => calls.filter((c) => c.cmd === "update_profile");

  it("sends only the changed field, with the version and its value as opened", async () => {
    const { calls } = await editCity("ok");
    const [update] = updates(calls);
    expect(update?.args.input, "untouched fields are not sent, so they cannot overwrite a change made meanwhile").toEqual({
      values: { city: "Vinh" },
    });
    expect(update?.args.base, "the version and the city the form was opened on").toEqual({
      version: "v1",
      values: { city: "Hà Nội" },
    });
  });

  it("shows both values of a field changed meanwhile and saves nothing on Back", async () => {
    const { calls, v } = await editCity("conflict");
    const dialog = q(document.body, "edit-conflict-dialog");
    expect(dialog?.textContent, "the field, mine and theirs").toContain("City — yours: Vinh, now: Đà Nẵng");
    expect(dialog?.textContent, "and the value opened on").toContain("when you opened it: Hà Nội");
    q(document.body, "edit-conflict-back")!.click();
    await settle();
    expect(updates(calls).length, "nothing sent again").toBe(1);
    expect(q(v.element, "detail-save"), "the form is still open").not.toBeNull();
  });

  it("Use mine sends the field again on the current value and version", async () => {
    const { calls } = await editCity("conflict");
    q(document.body, "edit-conflict-mine-city")!.click();
    q(document.body, "edit-conflict-save")!.click();
    await settle();
    const again = updates(calls)[1];
    expect(again?.args.input, "my city").toEqual({ values: { city: "Vinh" } });
    expect(again?.args.base, "based on what is stored now").toEqual({ version: "v2", values: { city: "Đà Nẵng" } });
  });

  it("Keep theirs for all drops the field from the edit", async () => {
    const { calls } = await editCity("conflict");
    q(document.body, "edit-conflict-theirs-all")!.click();
    q(document.body, "edit-conflict-save")!.click();
    await settle();
    const again = updates(calls)[1];
    expect(again?.args.input, "their city stays").toEqual({ values: {} });
    expect(again?.args.base).toEqual({ version: "v2", values: {} });
  });
});
