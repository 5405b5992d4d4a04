// The import mapping's problems in the UI's language: every code the core's mapping check
// builds (read from crates/core/src/mapping.rs) has a sentence; the English is the core's own
// message; Vietnamese is worded from the params, a built-in field named in Vietnamese; a code
// or params this UI cannot word show the core's message.
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { MappingProblem } from "../ipc";
import { headerNamer } from "../import/importLogic";
import { MAPPING_CODES, mappingProblemText } from "./mappingProblems";
import { reasonText } from "./reasons";

const MAPPING = import.meta.glob<string>("../../../crates/core/src/mapping.rs", { query: "?raw", import: "default", eager: true });

afterEach(() => setLang("en"));

/** The codes `MappingProblem::new("code", …)` is called with (a warning's either of two). */
function coreCodes(): string[] {
  const source = Object.values(MAPPING).join("\n");
  const found = new Set<string>();
  for (const hit of source.matchAll(/MappingProblem::new\(\s*(?:if \w+ \{\s*"(\w+)"\s*\} else \{\s*"(\w+)"\s*\}|"(\w+)")/g)) {
    for (const code of hit.slice(1)) if (code !== undefined) found.add(code);
  }
  return [...found].sort();
}

/** Problems as the core sends them (messages copied from its `check_mapping`). */
const misfits: MappingProblem = {
  code: "typeMisfits",
  column: 1,
  message:
    "3 of 20 sampled values of column “SĐT” do not fit Phones (phone numbers), e.g. “gọi sau”, “x”, “12”; rows whose value does not fit will fail with the reason",
  warning: true,
  params: { header: "SĐT", key: "phones", label: "Phones", kind: "phones", sampled: 20, fits: 17, samples: ["gọi sau", "x", "12"] },
};
const mismatch: MappingProblem = {
  code: "typeMismatch",
  column: 2,
  message: "Only 1 of 4 sampled values of column “DOB” fit Birthday (dates: dd/mm/yyyy, yyyy-mm-dd or Excel dates), e.g. not “x”, “y”, “z”; check the mapping",
  warning: false,
  params: { header: "DOB", key: "birthday", label: "Birthday", kind: "date", sampled: 4, fits: 1, samples: ["x", "y", "z"] },
};
const twice: MappingProblem = {
  code: "mappedTwice",
  column: 1,
  message: "Full name holds one value but is mapped from 2 columns (“Tên”, “Tên 2”); map only one",
  warning: false,
  params: { key: "full_name", label: "Full name", headers: ["Tên", "Tên 2"] },
};
const unknown: MappingProblem = {
  code: "unknownField",
  column: 0,
  message: "Column “Zalo” is mapped to an unknown field “zalo”",
  warning: false,
  params: { header: "Zalo", key: "zalo" },
};
const noIdentifier: MappingProblem = {
  code: "identificationUnmapped",
  column: null,
  message: "Map at least one identification field: full name, phone or e-mail",
  warning: false,
};
const mandatory: MappingProblem = {
  code: "mandatoryUnmapped",
  column: null,
  message: "Hạng thành viên is mandatory; map a column to it",
  warning: false,
  params: { key: "hang_thanh_vien", label: "Hạng thành viên" },
};
const ALL = [misfits, mismatch, twice, unknown, noIdentifier, mandatory];

describe("mapping problems", () => {
  it("has a sentence for every code the core's mapping check builds, and none for another", () => {
    const codes = coreCodes();
    expect(codes.length, "the core's codes were read").toBeGreaterThanOrEqual(6);
    expect([...MAPPING_CODES].sort()).toEqual(codes);
    expect(ALL.map((p) => p.code).sort(), "each is tested below").toEqual(codes);
  });

  it("says in English what the core says", () => {
    for (const p of ALL) expect(mappingProblemText(p), p.code).toBe(p.message);
  });

  it("words each in Vietnamese from its params, a built-in field by its Vietnamese name", () => {
    setLang("vi");
    expect(ALL.map((p) => mappingProblemText(p))).toEqual([
      "3 trong 20 giá trị mẫu của cột “SĐT” không hợp với trường Số điện thoại (số điện thoại), ví dụ “gọi sau”, “x”, “12”; những dòng có giá trị không hợp sẽ bị báo lỗi kèm lý do",
      "Chỉ 1 trong 4 giá trị mẫu của cột “DOB” hợp với trường Ngày sinh (ngày: dd/mm/yyyy, yyyy-mm-dd hoặc ngày dạng Excel), còn “x”, “y”, “z” thì không; hãy kiểm tra lại ánh xạ",
      "Họ và tên chỉ chứa một giá trị nhưng đang được ánh xạ từ 2 cột (“Tên”, “Tên 2”); hãy chỉ ánh xạ một cột",
      "Cột “Zalo” được ánh xạ tới trường “zalo” không tồn tại",
      "Hãy ánh xạ ít nhất một trường nhận diện: họ và tên, số điện thoại hoặc email",
      "Hạng thành viên là trường bắt buộc; hãy ánh xạ một cột vào trường này",
    ]);
  });

  it("keeps a renamed built-in field's name and words the kind of a select field", () => {
    setLang("vi");
    const renamed = { ...mismatch, params: { ...mismatch.params, label: "Sinh nhật", kind: "select" } };
    expect(mappingProblemText(renamed)).toContain("hợp với trường Sinh nhật (một trong các lựa chọn)");
  });

  it("names a paste's unnamed column as the wizard does, in the UI's language", () => {
    setLang("vi");
    const columns = [
      { index: 1, header: "Column 2", samples: [], generated: true },
      { index: 2, header: "Column 3", samples: [] },
    ];
    const pasted = { ...misfits, params: { ...misfits.params, header: "Column 2" } };
    expect(mappingProblemText(pasted, headerNamer(columns))).toContain("của cột “Cột 2” không hợp");
    const named = { ...misfits, params: { ...misfits.params, header: "Column 3" } };
    expect(mappingProblemText(named, headerNamer(columns)), "a header the file gave is its own").toContain("của cột “Column 3”");
    const both = { ...twice, params: { ...twice.params, headers: ["Column 2", "Tên"] } };
    expect(mappingProblemText(both, headerNamer(columns))).toContain("(“Cột 2”, “Tên”)");
  });

  it("shows the core's message for a code it does not know or params it cannot read", () => {
    setLang("vi");
    const newer = { code: "somethingNew", column: null, message: "Something new", warning: false };
    expect(mappingProblemText(newer)).toBe("Something new");
    const older = { ...misfits, params: undefined };
    expect(mappingProblemText(older), "an older core sent no params").toBe(misfits.message);
    const broken = { ...twice, params: { ...twice.params, headers: "Tên" } };
    expect(mappingProblemText(broken), "headers not a list").toBe(twice.message);
  });
});

describe("the mappingUnusable refusal", () => {
  const refusal = (p: MappingProblem): Record<string, unknown> => ({ reason: "mappingUnusable", problem: p.code, column: p.column, detail: p.message, params: p.params ?? {} });

  it("says the core's sentence in English", () => {
    expect(reasonText(refusal(twice))).toBe(`The mapping cannot be used: ${twice.message}`);
  });

  it("words the problem's detail in Vietnamese from the params it carries", () => {
    setLang("vi");
    expect(reasonText(refusal(mandatory))).toBe("Không dùng được ánh xạ cột này. Hạng thành viên là trường bắt buộc; hãy ánh xạ một cột vào trường này");
    expect(reasonText(refusal(noIdentifier))).toBe(
      "Không dùng được ánh xạ cột này. Hãy ánh xạ ít nhất một trường nhận diện: họ và tên, số điện thoại hoặc email",
    );
    const olderCore = refusal(twice);
    delete olderCore.params;
    expect(reasonText(olderCore), "without params: the core's detail").toBe(`Không dùng được ánh xạ cột này. ${twice.message}`);
  });
});
