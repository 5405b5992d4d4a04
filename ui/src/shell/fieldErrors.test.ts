// Every validation error the core can produce has words here: the codes are read from the Rust
// sources (each call that builds a FieldError), the reasons of a phone, an e-mail and a date
// from the normalisation crate. The English follows the core's message; Vietnamese is worded
// from the params; a code or params this UI cannot word shows the core's message.
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { FieldError } from "../ipc";
import { DATE_REASONS, EMAIL_REASONS, PHONE_REASONS, fieldErrorText, fieldErrorsText, hasWordsFor } from "./fieldErrors";

const SOURCES = import.meta.glob<string>(["../../../crates/rule/src/**/*.rs", "../../../crates/core/src/**/*.rs"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const NORMALIZE = import.meta.glob<string>("../../../crates/normalize/src/{phone,email,date}.rs", { query: "?raw", import: "default", eager: true });

afterEach(() => setLang("en"));

/** The top-level arguments of the call whose `(` is at `open` in `source` (their text, trimmed). */
function callArgs(source: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = open + 1;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) {
        args.push(source.slice(start, i).trim());
        return args;
      }
    } else if (c === "," && depth === 1) {
      args.push(source.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args;
}

/**
 * The codes of every FieldError the core builds: `FieldError::new(field, "code", …)`,
 * `invalid(field, "code", …)` (crates/core/src/error.rs), and the modules' own helpers that
 * take the code after the field (`labelled(def, field, "code", …)`, a filter's
 * `fail(field, "code", …)`, `problem(index, "code", …)`).
 */
function coreCodes(): Map<string, string> {
  const CALLS: ReadonlyArray<[RegExp, number]> = [
    [/FieldError::new\(/g, 1],
    [/(?<![\w])invalid\(/g, 1],
    [/(?<![\w])labelled\(/g, 2],
    [/\.fail\(/g, 1],
    [/(?<![\w.])problem\(/g, 1],
  ];
  const codes = new Map<string, string>();
  for (const [path, source] of Object.entries(SOURCES)) {
    for (const [call, at] of CALLS) {
      for (const hit of source.matchAll(call)) {
        const literal = /^"([a-z][A-Za-z]*)"$/.exec(callArgs(source, hit.index + hit[0].length - 1)[at] ?? "");
        if (literal?.[1]) codes.set(literal[1], path.replace(/^(\.\.\/)+/, ""));
      }
    }
  }
  return codes;
}

/** The names a normalisation problem's `code` (or `params`) answers: `=> "name"`, or `"name"` alone on its line (a match arm's value), in the fn's body. */
function reasonNames(file: string, fnName: string): string[] {
  const source = Object.entries(NORMALIZE).find(([path]) => path.endsWith(file))?.[1] ?? "";
  const start = source.indexOf(`fn ${fnName}`);
  const body = start < 0 ? "" : source.slice(start, source.indexOf("\n    }\n", start));
  return [...body.matchAll(/(?:=>\s*|^\s*)"([a-z][A-Za-z]*)",?\s*$/gm)].map((hit) => hit[1] ?? "");
}

const err = (field: string, code: string, params: Record<string, string> = {}, message = "the core's sentence"): FieldError => ({
  field,
  code,
  message,
  params,
});

describe("field error codes", () => {
  it("has words for every code the core's FieldErrors carry", () => {
    const codes = coreCodes();
    expect(codes.size, "the core's codes were read").toBeGreaterThan(60);
    for (const known of ["invalidPhone", "invalidEmail", "required", "tooLong", "outOfRange", "invalidPin", "unsupportedOperator", "tooManyValues"]) {
      expect([...codes.keys()], `the reader finds ${known}`).toContain(known);
    }
    const unworded = [...codes].filter(([code]) => !hasWordsFor(code)).map(([code, path]) => `${code} (${path})`);
    expect(unworded, "codes with no sentence in shell/fieldErrors.ts").toEqual([]);
  });

  it("has words for every reason a phone, an e-mail or a date is refused", () => {
    const phone = reasonNames("phone.rs", "code(&self)");
    const email = reasonNames("email.rs", "code(self)");
    const date = reasonNames("date.rs", "params(&self)");
    expect([phone.length, email.length, date.length], "the reasons were read").toEqual([9, 8, 4]);
    expect(phone.filter((r) => !(r in PHONE_REASONS)), "phone reasons").toEqual([]);
    expect(email.filter((r) => !(r in EMAIL_REASONS)), "e-mail reasons").toEqual([]);
    expect(date.filter((r) => !(r in DATE_REASONS)), "date reasons").toEqual([]);
  });
});

describe("field error sentences", () => {
  const shortPhone = err(
    "phones.0",
    "invalidPhone",
    { value: "0912 345", reason: "tooShort", region: "VN", callingCode: "84", typed: "7", kind: "mobile", min: "10", max: "10", trunk: "0" },
    "“0912 345” is not a phone number: it is too short: 7 digits, where a mobile number in Vietnam (region VN) has 10 digits with its leading 0",
  );
  const longPhone = err(
    "phones.0",
    "invalidPhone",
    { value: "+84 912 345 6789 1", reason: "tooLong", region: "VN", callingCode: "84", intl: "true", typed: "11", kind: "mobile", min: "9", max: "9" },
    "“+84 912 345 6789 1” is not a phone number: it is too long: 11 digits, where a mobile number in Vietnam (+84) has 9 digits after +84",
  );
  const noAt = err("emails.1", "invalidEmail", { value: "lan.congty.vn", reason: "noAt" }, "“lan.congty.vn” is not a valid e-mail address: it has no @");
  const tooManyTags = err("tags", "tooManyValues", { label: "Tags", max: "20", given: "21" }, "Tags holds at most 20 values (21 given)");

  it("says in English what the core says", () => {
    for (const e of [shortPhone, longPhone, noAt, tooManyTags]) expect(fieldErrorText(e)).toBe(e.message);
  });

  it("words them in Vietnamese from the params, names in Vietnamese too", () => {
    setLang("vi");
    expect(fieldErrorText(shortPhone)).toBe(
      "“0912 345” không phải là số điện thoại: số quá ngắn: 7 chữ số, trong khi số di động ở Việt Nam (vùng VN) có 10 chữ số, kể cả số 0 ở đầu",
    );
    expect(fieldErrorText(longPhone)).toBe("“+84 912 345 6789 1” không phải là số điện thoại: số quá dài: 11 chữ số, trong khi số di động ở Việt Nam (+84) có 9 chữ số sau +84");
    expect(fieldErrorText(noAt)).toBe("“lan.congty.vn” không phải là địa chỉ email hợp lệ: thiếu ký tự @");
    expect(fieldErrorText(tooManyTags), "a built-in field's name in Vietnamese").toBe("Nhãn có tối đa 20 giá trị (đã nhập 21)");
    expect(fieldErrorText(tooManyTags, "Thẻ"), "the form's own name wins").toBe("Thẻ có tối đa 20 giá trị (đã nhập 21)");
    expect(fieldErrorText(err("birthday", "invalidDate", { value: "31/02/1990", reason: "noSuchDay", month: "2", year: "1990", days: "28" }))).toBe(
      "“31/02/1990” không phải là ngày có thật: tháng 2 năm 1990 chỉ có 28 ngày",
    );
    expect(fieldErrorText(err("limit.max_file_mb", "outOfRange", { label: "Tệp lớn nhất", min: "1", max: "500", value: "900", unit: "megabytes" }))).toBe(
      "Tệp lớn nhất phải từ 1 MB đến 500 MB (bạn đã nhập 900 MB)",
    );
  });

  it("chooses the sentence by the field where the code alone is not enough", () => {
    expect(fieldErrorText(err("reason", "required"))).toBe("Enter the reason for deleting (it is kept in the audit log)");
    expect(fieldErrorText(err("city", "required", { label: "City" })), "a profile's field").toBe("City is mandatory");
    expect(fieldErrorText(err("reason", "required", { label: "Reason" })), "a custom field keyed like a form's input").toBe("Reason is mandatory");
    expect(fieldErrorText(err("filter.2", "invalidNumber", { label: "Score", value: "ten" })), "a filter's condition names its field").toBe(
      "Score: “ten” is not a number",
    );
  });

  it("shows the core's message for a code it does not know, or without the params its sentence needs", () => {
    expect(fieldErrorText(err("phones.0", "somethingNew", {}, "A newer core's sentence"))).toBe("A newer core's sentence");
    expect(fieldErrorText(err("phones.0", "invalidPhone", { value: "1" }, "An older core's sentence")), "no reason").toBe("An older core's sentence");
    expect(fieldErrorText(err("phones.0", "invalidPhone", { value: "1", reason: "newReason" }, "Not yet worded")), "an unknown reason").toBe("Not yet worded");
    expect(fieldErrorText({ field: "tags", code: "tooManyValues", message: "No params at all" })).toBe("No params at all");
  });

  it("puts several errors on one line: the first, and how many more", () => {
    expect(fieldErrorsText([])).toBeNull();
    expect(fieldErrorsText([noAt])).toBe(noAt.message);
    setLang("vi");
    expect(fieldErrorsText([noAt, shortPhone, tooManyTags])).toBe("“lan.congty.vn” không phải là địa chỉ email hợp lệ: thiếu ký tự @ (và 2 lỗi khác)");
  });
});
