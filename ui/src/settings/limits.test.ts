// The Limits screen names each limit by its key in the UI's language: every limit the core
// defines (crates/core/src/admin/limits.rs) has a label and a hint here, the English being the
// core's own; a limit this UI does not know shows the core's words; a bound refused by the
// core names the limit as the screen does.
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { LimitSetting } from "../ipc";
import { mockCore, settle } from "../testFixtures";
import { limitWords, limitsSection } from "./limits";

const SOURCE = Object.values(import.meta.glob<string>("../../../crates/core/src/admin/limits.rs", { query: "?raw", import: "default", eager: true })).join("");

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

/** `(key, settings key, label, hint, …)` of each limit the core defines. */
function coreLimits(): Array<{ key: string; label: string; hint: string }> {
  return [...SOURCE.matchAll(/\(\s*"(\w+)",\s*"limits\.\w+",\s*"([^"]+)",\s*"([^"]+)",/g)].map(([, key, label, hint]) => ({
    key: key ?? "",
    label: label ?? "",
    hint: hint ?? "",
  }));
}

function limit(key: string, label: string): LimitSetting {
  return { key, label, hint: `${label}: the core's hint`, unit: "rows", value: 1000, default: 1000, min: 1, max: 10_000 };
}

describe("limits' words", () => {
  it("has the core's English for every limit it defines", () => {
    const core = coreLimits();
    expect(core.map((l) => l.key), "the core's limits were read").toEqual(["file_size", "file_rows", "paste_rows", "export_direct_rows", "mail_attachment_size"]);
    for (const l of core) expect(limitWords({ key: l.key, label: "?", hint: "?" }), l.key).toEqual({ label: l.label, hint: l.hint });
  });

  it("words each in Vietnamese, and shows the core's words for a limit it does not know", () => {
    setLang("vi");
    const vi = coreLimits().map((l) => limitWords({ ...l }));
    expect(vi[2]).toEqual({ label: "Số dòng mỗi lần dán", hint: "Số dòng tối đa trong một lần dán." });
    for (const [i, l] of coreLimits().entries()) expect(vi[i]?.label, `${l.key} is not the core's English`).not.toBe(l.label);
    expect(limitWords({ key: "sms_rows", label: "SMS rows", hint: "Most SMS per day." })).toEqual({ label: "SMS rows", hint: "Most SMS per day." });
  });

  it("shows the labels, hints and a refused bound in Vietnamese on the screen", async () => {
    setLang("vi");
    mockCore({
      limit_settings: () => [limit("paste_rows", "Paste rows")],
      set_limits: () => {
        throw {
          code: "validation",
          message: "x",
          details: [
            {
              field: "paste_rows",
              code: "outOfRange",
              message: "Paste rows must be between 1 row and 10,000 rows (you entered 20,000 rows)",
              params: { label: "Paste rows", min: "1", max: "10000", value: "20000", unit: "rows" },
            },
          ],
        };
      },
    });
    const handle = limitsSection.mount({ session: { userName: "a", displayName: "a", role: "Administrator", permissions: ["settings.manage"] }, catalogueChanged: () => undefined });
    document.body.appendChild(handle.element);
    await settle();
    expect(document.querySelector('label[for="limit-paste_rows"]')?.textContent).toBe("Số dòng mỗi lần dán");
    expect(document.getElementById("limit-paste_rows-hint")?.textContent).toBe("Số dòng tối đa trong một lần dán.");
    const input = document.querySelector<HTMLInputElement>('[data-testid="limit-paste_rows"]')!;
    input.value = "20000";
    input.dispatchEvent(new Event("input"));
    document.querySelector<HTMLButtonElement>('[data-testid="limits-save"]')!.click();
    await settle();
    const error = document.querySelector('[data-testid="limit-error-paste_rows"]')?.textContent ?? "";
    expect(error, "the limit named as the screen names it").toContain("Số dòng mỗi lần dán");
    expect(error).not.toContain("Paste rows");
  });
});
