import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { shownChannels, shownName } from "./builtinNames";
import { BUILTIN_NAMES_EN } from "./messages";

// The store's own defaults: the English names must be exactly the ones a new store gets.
const DEFAULTS = Object.values(
  import.meta.glob<string>("../../../crates/core/migrations/0002_defaults.sql", { query: "?raw", import: "default", eager: true }),
)[0];

afterEach(() => setLang("en"));

describe("built-in names", () => {
  it("are the names a new store is created with", () => {
    expect(DEFAULTS).toContain("INSERT INTO consent_channels");
    for (const [key, name] of Object.entries(BUILTIN_NAMES_EN)) {
      const [kind, a, b] = key.split(":");
      const stored =
        kind === "field" ? `('${a}', '${name}',` : kind === "channel" ? `('${a}', '${name}',` : `{"value":"${b}","label":"${name}"}`;
      expect(DEFAULTS, key).toContain(stored);
    }
  });

  it("are shown as stored in English", () => {
    expect(shownName("field:full_name", "Full name")).toBe("Full name");
  });

  it("read in Vietnamese while still as the store was created, and as typed once renamed", () => {
    setLang("vi");
    expect(shownName("field:full_name", "Full name")).toBe("Họ và tên");
    expect(shownName("option:gender:female", "Female")).toBe("Nữ");
    expect(shownName("field:full_name", "Tên khách")).toBe("Tên khách");
    expect(shownName("field:zalo", "Zalo")).toBe("Zalo");
    expect(shownChannels([{ key: "phone_call", label: "Phone call" }, { key: "zalo", label: "Zalo OA" }])).toEqual([
      { key: "phone_call", label: "Gọi điện" },
      { key: "zalo", label: "Zalo OA" },
    ]);
  });
});
