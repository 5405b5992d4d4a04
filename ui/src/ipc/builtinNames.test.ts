import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { shownChannels, shownName, shownRole } from "./builtinNames";
import { BUILTIN_NAMES_EN } from "./messages";

// The store's own defaults: the English names must be exactly the ones a new store gets.
const DEFAULTS = Object.values(
  import.meta.glob<string>("../../../crates/core/migrations/0002_defaults.sql", { query: "?raw", import: "default", eager: true }),
)[0];

afterEach(() => setLang("en"));

describe("built-in names", () => {
  it("include the three roles a new store has", () => {
    const roles = Object.keys(BUILTIN_NAMES_EN).filter((k) => k.startsWith("role:"));
    expect(DEFAULTS).toContain("INSERT INTO roles(id, name, builtin) VALUES (1, 'Administrator', 1), (2, 'Sales', 1), (3, 'Viewer', 1);");
    expect(roles).toEqual(["role:administrator", "role:sales", "role:viewer"]);
  });

  it("name a built-in role in the UI's language, any other role as named", () => {
    expect(shownRole("Administrator")).toBe("Administrator");
    setLang("vi");
    expect(["Administrator", "Sales", "Viewer"].map(shownRole)).toEqual(["Quản trị viên", "Nhân viên kinh doanh", "Người xem"]);
    expect(shownRole("Kế toán"), "a custom role").toBe("Kế toán");
    expect(shownRole("ADMINISTRATOR"), "a custom role spelled otherwise is not the built-in one").toBe("ADMINISTRATOR");
  });

  it("are the names a new store is created with", () => {
    expect(DEFAULTS).toContain("INSERT INTO consent_channels");
    for (const [key, name] of Object.entries(BUILTIN_NAMES_EN)) {
      const [kind, a, b] = key.split(":");
      const stored =
        kind === "field" || kind === "channel" ? `('${a}', '${name}',` : kind === "role" ? `'${name}', 1)` : `{"value":"${b}","label":"${name}"}`;
      expect(DEFAULTS, key).toContain(stored);
      if (kind === "role") expect(a, "a role's key is its name in lower case").toBe(name.toLowerCase());
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
