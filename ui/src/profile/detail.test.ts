import { afterEach, describe, expect, it } from "vitest";
import { XSS, catalogue, channels, detail, profile } from "../testFixtures";
import { DetailView, appendedItems, changedConsent } from "./detail";

afterEach(() => document.body.replaceChildren());

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
