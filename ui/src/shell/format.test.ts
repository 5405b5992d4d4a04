import { afterEach, describe, expect, it } from "vitest";

import { setLang } from "../i18n/lang";
import { consentLabel, fieldText, formatCount, formatDateTime, matchKeyLabel, serverName, sourceLabel, storedSourceLabel } from "./format";

afterEach(() => {
  setLang("en");
  localStorage.clear();
});

describe("fieldText of list cells", () => {
  it("shows timestamp columns in local time, other columns as they are", () => {
    const iso = "2026-11-28T10:47:16.041Z";
    const local = fieldText("created_at", iso);
    expect(local, "an ISO timestamp becomes 'dd/mm/yyyy HH:mm'").toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(local.slice(2, 10), "the date survives the conversion").toBe("/11/2026");
    expect(fieldText("full_name", iso), "only *_at columns are dates").toBe(iso);
    expect(fieldText("updated_at", "not a date"), "unparseable text is shown as is").toBe("not a date");
  });

  it("formats counts with thousands separators", () => {
    expect(formatCount(1000000), "the list header reads 1,000,000").toBe("1,000,000");
  });
});

describe("fieldText", () => {
  it("shows dates, phones and timestamps one way, other fields as the core sent them", () => {
    expect(fieldText("birthday", "1990-09-05", "date"), "a date field").toBe("05/09/1990");
    expect(fieldText("note", "1990-09-05", "text"), "a text field that looks like a date stays").toBe("1990-09-05");
    expect(fieldText("phones", "0912345678, +84 28 3823 4567", "phones"), "each phone of the list").toBe("0912 345 678, 028 3823 4567");
    expect(fieldText("phones", "912345678"), "the key alone says phones; what cannot be read safely stays").toBe("912345678");
    expect(fieldText("customer_code", "0912345678", "text"), "a code made of digits is no phone").toBe("0912345678");
    expect(fieldText("updated_at", new Date(2024, 4, 1, 14, 3).toISOString(), "system")).toBe("01/05/2024 14:03");
    expect(fieldText("birthday", "", "date")).toBe("");
    setLang("vi");
    expect(fieldText("birthday", "1990-09-05", "date"), "the same in Vietnamese").toBe("05/09/1990");
  });
});

describe("serverName", () => {
  it("names a server by its host", () => {
    expect(serverName("https://cdp.example.vn")).toBe("cdp.example.vn");
    expect(serverName("http://127.0.0.1:8931/")).toBe("127.0.0.1:8931");
    expect(serverName("not a url")).toBe("not a url");
  });
});

describe("dates and code labels in the UI's language", () => {
  // Local time: built from the parts so the test passes in any time zone.
  const iso = new Date(2024, 4, 1, 14, 3).toISOString();

  it("writes dates dd/mm/yyyy HH:mm in both languages (one format, see i18n/dates.ts)", () => {
    expect(formatDateTime(iso)).toBe("01/05/2024 14:03");
    expect(fieldText("created_at", iso)).toBe("01/05/2024 14:03");
    setLang("vi");
    expect(formatDateTime(iso)).toBe("01/05/2024 14:03");
    expect(fieldText("created_at", iso), "timestamp columns too").toBe("01/05/2024 14:03");
    expect(formatDateTime("not a date"), "unparseable text is shown as is").toBe("not a date");
    expect(formatDateTime(""), "nothing is nothing").toBe("");
  });

  it("names sources, match keys and consent in English as before, and in Vietnamese", () => {
    const labels = (): string[] => [
      sourceLabel({ kind: "manual" }),
      sourceLabel({ kind: "fileImport", fileName: "khach-hang.xlsx", jobId: null }),
      sourceLabel({ kind: "fileImport", fileName: "khach-hang.xlsx", jobId: 7 }),
      sourceLabel({ kind: "paste", jobId: null }),
      sourceLabel({ kind: "paste", jobId: 8 }),
      sourceLabel({ kind: "sync" }),
      matchKeyLabel("phone"),
      matchKeyLabel("email"),
      matchKeyLabel("customerCode"),
      consentLabel("granted"),
      consentLabel("denied"),
      consentLabel("unknown"),
    ];
    expect(labels()).toEqual([
      "Manual",
      "File import: khach-hang.xlsx",
      "File import: khach-hang.xlsx (job 7)",
      "Paste",
      "Paste (job 8)",
      "Sync",
      "phone",
      "e-mail",
      "customer code",
      "Granted",
      "Denied",
      "Unknown",
    ]);
    setLang("vi");
    expect(labels()).toEqual([
      "Thủ công",
      "Nhập từ tệp: khach-hang.xlsx",
      "Nhập từ tệp: khach-hang.xlsx (tác vụ 7)",
      "Dán dữ liệu",
      "Dán dữ liệu (tác vụ 8)",
      "Đồng bộ",
      "số điện thoại",
      "email",
      "mã khách hàng",
      "Đồng ý",
      "Từ chối",
      "Chưa rõ",
    ]);
  });
});

describe("a source as the history keeps it", () => {
  afterEach(() => setLang("en"));

  it("reads in the UI's language, and any other text as kept", () => {
    expect(storedSourceLabel("Manual")).toBe("Manual");
    expect(storedSourceLabel("File import: khach.xlsx")).toBe("File import: khach.xlsx");
    setLang("vi");
    expect(storedSourceLabel("Manual")).toBe("Thủ công");
    expect(storedSourceLabel("Paste")).toBe("Dán dữ liệu");
    expect(storedSourceLabel("Sync")).toBe("Đồng bộ");
    expect(storedSourceLabel("File import: khach.xlsx")).toMatch(/khach\.xlsx/);
    expect(storedSourceLabel("File import: khach.xlsx")).not.toMatch(/File import/);
    expect(storedSourceLabel("Merge review #4")).toBe("Merge review #4");
  });
});
