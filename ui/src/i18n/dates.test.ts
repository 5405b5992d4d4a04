import { afterEach, describe, expect, it } from "vitest";

import { checkDate, dateForInput, formatCellDate, formatDate, formatDateTime, readDate } from "./dates";
import { setLang } from "./lang";

afterEach(() => {
  setLang("en");
  localStorage.clear();
});

describe("dates as shown", () => {
  // Local time: built from the parts so the test passes in any time zone.
  const moment = new Date(2024, 4, 1, 14, 3).toISOString();

  it("reads dd/mm/yyyy and dd/mm/yyyy HH:mm in English", () => {
    expect(formatDate("1990-09-05")).toBe("05/09/1990");
    expect(formatDateTime(moment)).toBe("01/05/2024 14:03");
  });

  it("reads the same in Vietnamese: one format for both languages", () => {
    setLang("vi");
    expect(formatDate("1990-09-05")).toBe("05/09/1990");
    expect(formatDateTime(moment)).toBe("01/05/2024 14:03");
  });

  it("leaves what is no date as it is", () => {
    expect(formatDate("khi nào rảnh")).toBe("khi nào rảnh");
    expect(formatDate("05/09/1990"), "already shown").toBe("05/09/1990");
    expect(formatDateTime("not a date")).toBe("not a date");
    expect(formatDateTime("")).toBe("");
    expect(formatDateTime("1990-09-05"), "a calendar date is not shifted by the time zone").toBe("05/09/1990");
  });
});

describe("a workbook's date cells", () => {
  it("read day first in both languages, a date-time cell by its day", () => {
    for (const lang of ["en", "vi"] as const) {
      setLang(lang);
      expect(formatCellDate("1985-07-04"), lang).toBe("04/07/1985");
      expect(formatCellDate("1985-07-04 08:30:00"), `${lang}: the core keeps the day of a date-time`).toBe("04/07/1985");
    }
  });

  it("leave any other text as the file has it", () => {
    for (const text of ["31/02/1988", "5/9/1990", "1985-07-04T08:30:00Z", "gọi lại sau", ""]) expect(formatCellDate(text)).toBe(text);
  });

  it("are read back by the core's rule as the same day", () => {
    expect(readDate(formatCellDate("1985-07-04 08:30:00"))).toEqual({ ok: true, iso: "1985-07-04" });
  });
});

describe("dates as typed", () => {
  it("reads day first, as the core does, into the ISO date", () => {
    expect(readDate("05/09/1990")).toEqual({ ok: true, iso: "1990-09-05" });
    expect(readDate("5/9/1990"), "single digits").toEqual({ ok: true, iso: "1990-09-05" });
    expect(readDate("05-09-1990"), "dashes").toEqual({ ok: true, iso: "1990-09-05" });
    expect(readDate("05.09.1990"), "dots").toEqual({ ok: true, iso: "1990-09-05" });
    expect(readDate(" 1990-09-05 "), "ISO, pasted").toEqual({ ok: true, iso: "1990-09-05" });
    expect(readDate("05/09/1990 08:30"), "a date-time is its date").toEqual({ ok: true, iso: "1990-09-05" });
    expect(readDate("29/02/2024"), "a leap day").toEqual({ ok: true, iso: "2024-02-29" });
  });

  it("tells a day that does not exist from a text that is no date", () => {
    expect(readDate("31/02/1990")).toEqual({ ok: false, problem: { kind: "day", month: 2, year: 1990, days: 28 } });
    expect(readDate("29/02/1900"), "1900 was no leap year").toEqual({ ok: false, problem: { kind: "day", month: 2, year: 1900, days: 28 } });
    expect(readDate("05/13/1990"), "the US order").toEqual({ ok: false, problem: { kind: "month", month: 13 } });
    expect(readDate("05/09/1700")).toEqual({ ok: false, problem: { kind: "year" } });
    expect(readDate("05/09/90"), "a two-digit year").toEqual({ ok: false, problem: { kind: "format" } });
    expect(readDate("hôm qua")).toEqual({ ok: false, problem: { kind: "format" } });
    expect(readDate("05/09/1990 sáng")).toEqual({ ok: false, problem: { kind: "format" } });
  });

  it("says what is wrong in English, without wrong advice", () => {
    expect(checkDate("")).toEqual({ iso: null, error: null });
    expect(checkDate("31/02/1990").error).toBe("“31/02/1990” is not a date: February 1990 has 28 days");
    expect(checkDate("31/04/2024").error).toBe("“31/04/2024” is not a date: April 2024 has 30 days");
    expect(checkDate("12/31/2024").error).toBe("“12/31/2024” is not a date: there is no month 31 (the day comes first: dd/mm/yyyy)");
    expect(checkDate("1/1/1700").error).toBe("“1/1/1700” is not a date: the year must be between 1800 and 2200");
    expect(checkDate("tomorrow").error).toBe("“tomorrow” is not a date: write it as dd/mm/yyyy, e.g. 05/09/1990");
    expect(checkDate("31/02/1990").error, "the format was right").not.toMatch(/write it as/);
  });

  it("says what is wrong in Vietnamese", () => {
    setLang("vi");
    expect(checkDate("31/02/1990").error).toBe("“31/02/1990” không phải là ngày có thật: tháng 2 năm 1990 chỉ có 28 ngày");
    expect(checkDate("12/31/2024").error).toBe("“12/31/2024” không phải là ngày: không có tháng 31 (ngày viết trước tháng: dd/mm/yyyy)");
    expect(checkDate("1/1/1700").error).toBe("“1/1/1700” không phải là ngày: năm phải từ 1800 đến 2200");
    expect(checkDate("ngày mai").error).toBe("“ngày mai” không phải là ngày: hãy viết theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/09/1990");
  });

  it("fills a date field dd/mm/yyyy, whatever form the value came in", () => {
    expect(dateForInput("1990-09-05")).toBe("05/09/1990");
    expect(dateForInput("5/9/1990")).toBe("05/09/1990");
    expect(dateForInput("31/02/1990"), "what cannot be read stays as typed").toBe("31/02/1990");
    expect(dateForInput("")).toBe("");
  });
});
