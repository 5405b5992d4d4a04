// The upload step's "Download template" (issue 16, "Recommended to use the sample file"): the
// line recommending it beside the file chooser, the file saved in the UI's language, the
// toast naming where it went, nothing said when the dialog was cancelled, the refusal shown.
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { catalogue, channels, mockCore, settle } from "../testFixtures";
import { ImportWizard } from "./importWizard";

afterEach(() => {
  setLang("en");
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function openWizard(): ImportWizard {
  const w = new ImportWizard({ mode: "file", fields: catalogue, channels, onQueued: () => undefined, checkDelayMs: 0 });
  w.open(document.body);
  return w;
}

describe("import wizard: the template", () => {
  it("recommends the template beside the file chooser and saves it in the UI's language", async () => {
    let answer: string | null = "/home/lan/Profile import template.xlsx";
    const calls = mockCore({ save_import_template: () => answer });
    const w = openWizard();
    const line = q("import-template");
    expect(line?.textContent, "the line says the template is recommended").toContain("Recommended: start from the template");
    expect(q("import-choose-files")?.parentElement?.nextElementSibling, "right under the file chooser").toBe(line);
    q("import-download-template")!.click();
    await settle();
    expect(calls, "one save, in English").toEqual([["save_import_template", { lang: "en" }]]);
    expect(document.body.textContent, "the toast names the file").toContain("Template saved to /home/lan/Profile import template.xlsx");
    answer = null;
    q("import-download-template")!.click();
    await settle();
    expect(calls.length, "saved again").toBe(2);
    expect(document.body.textContent?.match(/Template saved/g)?.length, "a cancelled dialog says nothing").toBe(1);
    w.close();
  });

  it("sends Vietnamese when the UI is in Vietnamese, with the Vietnamese words", async () => {
    setLang("vi");
    const calls = mockCore({ save_import_template: () => "/home/lan/Tệp mẫu nhập khách hàng.xlsx" });
    openWizard();
    const button = q("import-download-template")!;
    expect(button.textContent, "the button's Vietnamese name").toBe("Tải tệp mẫu");
    expect(q("import-template")?.textContent, "the recommendation in Vietnamese").toContain("Nên dùng tệp mẫu");
    button.click();
    await settle();
    expect(calls, "the template in Vietnamese").toEqual([["save_import_template", { lang: "vi" }]]);
    expect(document.body.textContent).toContain("Đã lưu tệp mẫu vào /home/lan/Tệp mẫu nhập khách hàng.xlsx");
  });

  it("shows the core's refusal", async () => {
    mockCore({
      save_import_template: () => {
        throw { code: "permission", message: "You do not have permission to import profiles", details: { permission: "profile.import" } };
      },
    });
    openWizard();
    q("import-download-template")!.click();
    await settle();
    expect(document.body.textContent, "the refusal is shown").toContain("You do not have permission to import profiles");
  });
});
