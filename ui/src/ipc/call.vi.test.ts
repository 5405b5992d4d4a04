import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { IpcError } from "./call";

afterEach(() => {
  setLang("en");
  localStorage.clear();
});

describe("the words the IPC layer writes itself", () => {
  it("a failure the core did not describe is said in the UI's language; the core's words stay as they came", () => {
    expect(IpcError.from(undefined).message).toBe("Unexpected error from the application core.");
    setLang("vi");
    const e = IpcError.from(42);
    expect(e.code).toBe("internal");
    expect(e.message).toBe("Lỗi không xác định từ phần lõi của ứng dụng.");
    expect(e.details, "what came is kept for diagnostics").toBe(42);
    expect(IpcError.from({ code: "auth", message: "Wrong password for “sam”" }).message, "the core's message as received").toBe("Wrong password for “sam”");
  });
});
