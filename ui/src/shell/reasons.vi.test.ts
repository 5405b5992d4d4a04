// A refusal in Vietnamese: every reason's sentence with Vietnamese numbers and no English left
// (but what the parameters hold: names, paths, the system's own text), a built-in field named
// in Vietnamese, and a sign-in failure, a mapping refusal and a limit as people read them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { IpcError } from "../ipc";
import { REASONS, reasonText } from "./reasons";
import { errorMessage, jobErrorText } from "./toast";

beforeEach(() => setLang("vi"));

afterEach(() => setLang("en"));

/** Every parameter any reason reads, with values that are not English words. */
const PARAMS = {
  path: "/du-lieu/kho.db",
  limit: 50,
  key: "city",
  label: "City",
  field: "city",
  records: 2,
  profiles: 2,
  region: "XX",
  host: "cdp.congty.vn",
  problem: "typeMismatch",
  detail: "lỗi hệ thống",
  rows: 1001,
  columns: 201,
  fixes: 5001,
  characters: 40000,
  row: 9,
  column: 12,
  header: "SĐT",
  id: 3,
  status: "done",
  file: "khach.xlsx",
  job: "import",
  runner: "pdesk trên máy X, pid 9",
  what: "chỉ số vượt giới hạn",
  minutes: 2000,
  conditions: 60,
  name: "lan",
  ids: [7, 9],
  selected: 600,
  profile: "Nguyễn Văn An",
  maxPhones: 5,
  maxEmails: 5,
  review: 4,
  serverReview: "rv_01",
  values: 30,
  by: "lan",
  on: "2024-05-01",
  opId: "op-1",
  conflict: "c-1",
  changes: 3,
  server: "cdp.congty.vn",
  seconds: 30,
  attempts: 5,
  role: "Sales",
  users: 2,
  address: "khach@",
};

/** English words of the core's sentences that must not be left in a Vietnamese one. */
const ENGLISH = [" is ", " the ", " not ", "cannot", "There ", " was ", " at most ", " and ", " first", " of ", " to "];

describe("refusal reasons in Vietnamese", () => {
  it("words every reason in Vietnamese, with no English left", () => {
    const english: string[] = [];
    for (const reason of REASONS) {
      setLang("en");
      const en = reasonText({ ...PARAMS, reason });
      setLang("vi");
      const vi = reasonText({ ...PARAMS, reason });
      expect(vi, `${reason}: every parameter it reads is given`).not.toBeNull();
      expect(vi, `${reason}: not the English`).not.toBe(en);
      for (const word of ENGLISH) if (vi?.includes(word)) english.push(`${reason}: “${word.trim()}” in ${vi}`);
    }
    expect(english).toEqual([]);
  });

  it("says a sign-in failure, a mapping refusal and a limit as a Vietnamese reader expects", () => {
    expect(reasonText({ reason: "wrongPassword", name: "lan" })).toBe("Sai mật khẩu của “lan”");
    expect(reasonText({ reason: "signInPaused", name: "lan", seconds: 45 })).toBe("Nhập sai mật khẩu của “lan” quá nhiều lần; hãy thử lại sau 45 giây");
    expect(reasonText({ reason: "noSuchUser", name: "minh" })).toBe("Không có người dùng nào tên “minh” trong kho dữ liệu này");
    expect(reasonText({ reason: "mappingUnusable", problem: "identificationUnmapped", column: null, detail: "Map at least one identification field: full name, phone or e-mail" })).toBe(
      "Không dùng được ánh xạ cột này. Hãy ánh xạ ít nhất một trường nhận diện: họ và tên, số điện thoại hoặc email",
    );
    expect(reasonText({ reason: "roleInUse", role: "Sales", users: 2 }), "a built-in role by its Vietnamese name").toBe(
      "Nhân viên kinh doanh là vai trò của 2 người dùng; hãy gán vai trò khác cho họ trước",
    );
    expect(reasonText({ reason: "roleInUse", role: "Kế toán", users: 1 }), "a custom role as named").toBe("Kế toán là vai trò của 1 người dùng; hãy gán vai trò khác cho họ trước");
    expect(reasonText({ reason: "pasteTooManyRows", rows: 1001, limit: 1000 }), "Vietnamese grouping").toBe(
      "Bạn đã dán 1.001 dòng; mỗi lần chỉ dán được tối đa 1.000 dòng",
    );
    expect(reasonText({ reason: "tooManyToDelete", selected: 1200, limit: 1000 })).toBe("Bạn đã chọn 1.200 hồ sơ; mỗi lần chỉ xóa được tối đa 1.000 hồ sơ");
  });

  it("names a built-in field in Vietnamese, and a field an administrator named as typed", () => {
    expect(reasonText({ reason: "builtinField", key: "city", label: "City" })).toBe("Tỉnh/Thành phố là trường có sẵn nên không xóa được (bạn có thể ẩn trường này)");
    expect(reasonText({ reason: "builtinField", key: "city", label: "Khu vực" }), "renamed").toBe("Khu vực là trường có sẵn nên không xóa được (bạn có thể ẩn trường này)");
  });

  it("words an error and a job's failure, and keeps the core's English for a reason it does not know", () => {
    const auth = IpcError.from({ code: "auth", message: "Wrong password for “lan”", details: { reason: "wrongPassword", name: "lan" } });
    expect(errorMessage(auth)).toBe("Sai mật khẩu của “lan”");
    expect(
      jobErrorText({ error: "x", errorCode: "conflict", errorDetails: { reason: "fileChanged", file: "khach.xlsx", before: 10, now: 12 } }),
    ).toBe("khach.xlsx đã thay đổi sau khi bạn xác nhận nhập: không có gì từ tệp đã thay đổi được nhập. Hãy tải tệp lên lại để nhập nội dung hiện có của tệp");
    expect(errorMessage(IpcError.from({ code: "conflict", message: "the core's words", details: { reason: "somethingNew" } }))).toBe("the core's words");
  });
});
