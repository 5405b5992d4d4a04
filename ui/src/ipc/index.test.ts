import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import {
  IpcError,
  cancelImport,
  createProfile,
  findIdentifierOwner,
  importRefusal,
  inspectImportFile,
  listProfiles,
  previewCreate,
  setRuleGuards,
  updateProfile,
  validateProfile,
} from "./index";

afterEach(() => clearMocks());

describe("IpcError wrapping", () => {
  it("wraps the core's serialised error object, keeping code, message and details", async () => {
    const details = [{ field: "emails", code: "invalidEmail", message: "Not an e-mail address: x" }];
    mockIPC(() => {
      throw { code: "validation", message: "The profile has errors", details };
    });
    const err = await validateProfile({ values: {} }, true).catch((e: unknown) => e);
    expect(err, "callers can rely on instanceof IpcError").toBeInstanceOf(IpcError);
    const e = err as IpcError;
    expect(e.code, "the UI branches on the code").toBe("validation");
    expect(e.message, "the user-facing message is kept verbatim").toBe("The profile has errors");
    expect(e.fieldErrors, "validation details are the per-field errors").toEqual(details);
  });

  it("exposes the missing permission of a permission error", async () => {
    mockIPC(() => {
      throw { code: "permission", message: "You do not have permission to edit profiles", details: { permission: "profile.edit" } };
    });
    const e = (await updateProfile(1, { values: {} }, { channels: {} }, "ask", { version: "v1", values: {} }).catch((x: unknown) => x)) as IpcError;
    expect(e.code, "permission code passes through").toBe("permission");
    expect(e.missingPermission, "the UI can name what is missing").toBe("profile.edit");
    expect(e.fieldErrors, "only validation errors carry field errors").toEqual([]);
  });

  it("turns a plain string rejection (Tauri's own errors) into an internal error", async () => {
    mockIPC(() => {
      throw "command list_profiles not found";
    });
    const e = (await listProfiles({ search: "", filter: [], sort: null, utcOffsetMinutes: 0 }, 0, 100, ["full_name"]).catch((x: unknown) => x)) as IpcError;
    expect(e, "still an IpcError").toBeInstanceOf(IpcError);
    expect(e.code, "unknown failures are internal").toBe("internal");
    expect(e.message, "the text is kept for the banner").toBe("command list_profiles not found");
  });

  it("maps an unknown code to internal without losing it", () => {
    const e = IpcError.from({ code: "quotaExceeded", message: "Too much", details: 3 });
    expect(e.code, "the UI only branches on codes it knows").toBe("internal");
    expect(e.details, "the original code stays available for diagnostics").toEqual({ code: "quotaExceeded", details: 3 });
  });
});

describe("command arguments", () => {
  it("sends camelCase argument names as Tauri expects", async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "list_profiles") return { offset: 200, rows: [] };
      return null;
    });
    await listProfiles({ search: "an", filter: [], sort: null, utcOffsetMinutes: 0 }, 200, 100, ["full_name", "phones"]);
    await findIdentifierOwner("phone", "0912345678", 7);
    expect(calls[0], "list_profiles gets query, offset, limit, columns").toEqual([
      "list_profiles",
      { query: { search: "an", filter: [], sort: null, utcOffsetMinutes: 0 }, offset: 200, limit: 100, columns: ["full_name", "phones"] },
    ]);
    expect(calls[1], "find_identifier_owner gets kind, value, excludeId").toEqual([
      "find_identifier_owner",
      { kind: "phone", value: "0912345678", excludeId: 7 },
    ]);
  });
});

describe("create and guard commands", () => {
  it("sends the typed profile, the person's decision (the rule by default) and the guards by the names the commands take", async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    const input = { values: { phones: ["0912345678"] } };
    const consent = { channels: {} };
    await previewCreate(input);
    await createProfile(input, consent);
    await createProfile(input, consent, { kind: "update", profileId: 7 });
    const guards = { maxPhones: 3, maxEmails: 5, sharedKeyRows: 3, blocked: ["n/a"] };
    await setRuleGuards(guards);
    expect(calls, "one call each, arguments as the core names them").toEqual([
      ["preview_create", { input }],
      ["create_profile", { input, consent, decision: { kind: "rule" } }],
      ["create_profile", { input, consent, decision: { kind: "update", profileId: 7 } }],
      ["set_rule_guards", { guards }],
    ]);
  });
});

describe("import commands", () => {
  it("sends camelCase arguments and keeps a refusal's rule and sheets", async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "inspect_import_file") {
        throw { code: "importRefused", message: '"b.xlsx" has 2 sheets', details: { refusal: "severalSheets", sheets: ["A", "B"] } };
      }
      return null;
    });
    await cancelImport(7);
    expect(calls[0], "jobId is camelCase").toEqual(["cancel_import", { jobId: 7 }]);
    const err = await inspectImportFile("/x/b.xlsx").catch((e: unknown) => e);
    expect((err as IpcError).code, "importRefused is a known code").toBe("importRefused");
    expect(importRefusal(err), "the rule and the sheet names are available").toEqual({ refusal: "severalSheets", sheets: ["A", "B"] });
  });
});
