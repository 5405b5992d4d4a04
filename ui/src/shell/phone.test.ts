import { describe, expect, it } from "vitest";

import { formatE164, formatLabel, formatPhone, formatPhoneList, formatTypedPhone } from "./phone";

describe("a phone in E.164 (what the detail receives)", () => {
  it("shows Vietnamese numbers in national form with the usual grouping", () => {
    expect(formatE164("+84912345678"), "a mobile").toBe("0912 345 678");
    expect(formatE164("+84387654321"), "a mobile of the 03 range").toBe("0387 654 321");
    expect(formatE164("+842438251234"), "a Hà Nội landline").toBe("024 3825 1234");
    expect(formatE164("+842838234567"), "a TP. Hồ Chí Minh landline").toBe("028 3823 4567");
    expect(formatE164("+842363822222"), "another province's landline").toBe("0236 3822 222");
  });

  it("keeps + and the calling code for other countries, the rest grouped", () => {
    expect(formatE164("+14155552671")).toBe("+1 415 555 2671");
    expect(formatE164("+6561234567"), "Singapore").toBe("+65 6123 4567");
    expect(formatE164("+447911123456"), "the United Kingdom").toBe("+44 791 112 3456");
    expect(formatE164("+85523456789"), "Cambodia: a three-digit code").toBe("+855 2345 6789");
    expect(formatE164("+79123456789"), "Russia: a one-digit code").toBe("+7 912 345 6789");
  });

  it("leaves what is no E.164 number as it is", () => {
    expect(formatE164("")).toBe("");
    expect(formatE164("0912345678")).toBe("0912345678");
    expect(formatE164("+84123")).toBe("+84123");
  });

  it("formats a stored phone from its E.164 form, whatever was typed", () => {
    expect(formatPhone({ raw: "912345678", e164: "+84912345678" }), "the 0 Excel dropped").toBe("0912 345 678");
    expect(formatPhone({ raw: "(+84) 912.345.678", e164: "+84912345678" })).toBe("0912 345 678");
    expect(formatPhone({ raw: "0912345678", e164: "" }), "no E.164: from what was typed").toBe("0912 345 678");
  });
});

describe("a phone as typed (what the list and the reviews receive)", () => {
  it("formats what reads as one number without the store's region", () => {
    for (const typed of ["0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678", "(+84) 912 345 678", "0084912345678", "+84 0912 345 678", "+84912345678"]) {
      expect(formatTypedPhone(typed), typed).toBe("0912 345 678");
    }
    expect(formatTypedPhone("024.3825.1234")).toBe("024 3825 1234");
    expect(formatTypedPhone("(028) 3823 4567")).toBe("028 3823 4567");
    expect(formatTypedPhone("+1 (415) 555-2671")).toBe("+1 415 555 2671");
    expect(formatTypedPhone(" 0912345678 "), "spaces around").toBe("0912 345 678");
  });

  it("leaves as typed what could be read two ways, or not at all", () => {
    expect(formatTypedPhone("912345678"), "no 0: which region's number?").toBe("912345678");
    expect(formatTypedPhone("84912345678"), "a code without +").toBe("84912345678");
    expect(formatTypedPhone("0912 345"), "too short").toBe("0912 345");
    expect(formatTypedPhone("0162 345 6789"), "an old 11-digit mobile (the history's 'before')").toBe("0162 345 6789");
    expect(formatTypedPhone("+84 162 345 6789")).toBe("+84 162 345 6789");
    expect(formatTypedPhone("0912345678 Zalo"), "words").toBe("0912345678 Zalo");
    expect(formatTypedPhone("Nguyễn Văn An"), "a name").toBe("Nguyễn Văn An");
    expect(formatTypedPhone("an@example.vn")).toBe("an@example.vn");
    expect(formatTypedPhone("")).toBe("");
    expect(formatTypedPhone("+")).toBe("+");
  });

  it("formats each phone of a list and keeps the rest as typed", () => {
    expect(formatPhoneList("0912345678, +84 987 654 321")).toBe("0912 345 678, 0987 654 321");
    expect(formatPhoneList("912,345,678, 0987654321"), "a number written with commas stays whole").toBe("912,345,678, 0987 654 321");
    expect(formatPhoneList("")).toBe("");
  });

  it("shows a label that is a phone as the phone, and a name as it is", () => {
    expect(formatLabel("0912345678")).toBe("0912 345 678");
    expect(formatLabel("Trần Thị Lan")).toBe("Trần Thị Lan");
    expect(formatLabel("lan@example.vn")).toBe("lan@example.vn");
  });

  it("is stable: a shown number shows the same again", () => {
    for (const shown of ["0912 345 678", "024 3825 1234", "0236 3822 222", "+1 415 555 2671"]) expect(formatTypedPhone(shown)).toBe(shown);
  });
});
