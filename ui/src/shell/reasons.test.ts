// A refusal worded from its reason: every reason the core can send to the app (read from its
// sources: `Error::conflict("…"` and the other constructors, a job's `JobError::internal("…"`,
// the SQL that fails an interrupted export) has a sentence here and no sentence is left for a
// reason the core no longer sends; the English is the core's sentence; an unknown reason or
// unreadable parameters fall back to the core's message.
import { afterEach, describe, expect, it } from "vitest";
import { IpcError } from "../ipc";
import { REASONS, reasonText, storedError } from "./reasons";
import { errorMessage, jobErrorText, showError } from "./toast";

// The crates the app runs (the CLI's own refusals never reach the UI).
const SOURCES = import.meta.glob<string>(["../../../crates/core/src/**/*.rs", "../../../crates/sync/src/**/*.rs", "../../../src-tauri/src/**/*.rs"], {
  query: "?raw",
  import: "default",
  eager: true,
});

afterEach(() => document.body.replaceChildren());

/** Every reason code the app's crates send, with the file that sends it. */
function coreReasons(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [/Error::(?:conflict|limit|not_found|auth)\(\s*"([A-Za-z]+)"/g, /JobError::internal\(\s*"([A-Za-z]+)"/g, /\\"reason\\":\\"([A-Za-z]+)\\"/g];
  for (const [file, source] of Object.entries(SOURCES)) {
    for (const pattern of patterns) {
      for (const hit of source.matchAll(pattern)) found.set(hit[1] ?? "", file);
    }
  }
  return found;
}

describe("refusal reasons", () => {
  it("has a sentence for every reason the core sends, and none for a reason it does not", () => {
    const core = coreReasons();
    expect(core.size, "the core's reasons were read").toBeGreaterThan(80);
    expect(core.get("wrongPassword"), "a sign-in failure is among them").toContain("users.rs");
    expect(core.get("exportInterrupted"), "and the interrupted export's SQL").toContain("export/jobs.rs");
    const missing = [...core].filter(([reason]) => !REASONS.includes(reason)).map(([reason, file]) => `${reason} (${file})`);
    expect(missing, "reasons with no sentence here").toEqual([]);
    expect(
      REASONS.filter((reason) => !core.has(reason)),
      "sentences for reasons the core no longer sends",
    ).toEqual([]);
  });

  it("says in English what the core says", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ reason: "wrongPassword", name: "lan" }, "Wrong password for “lan”"],
      [
        { reason: "wrongPasswordPaused", name: "lan", attempts: 5, seconds: 30 },
        "Wrong password for “lan”. After 5 wrong passwords, sign-in pauses for 30 seconds, twice as long after each further one",
      ],
      [{ reason: "noSuchUser", name: "nobody" }, "There is no user named “nobody” in this store"],
      [{ reason: "pasteTooManyRows", rows: 1001, limit: 1000 }, "You pasted 1,001 rows; at most 1,000 rows can be pasted at once"],
      [{ reason: "roleInUse", role: "Sales", users: 2 }, "Sales is the role of 2 users; give them another role first"],
      [{ reason: "jobHeldByOther", job: "import", id: 3, runner: "pdesk on host X, pid 9" }, "Import job 3 is being run by another Profile Desk (pdesk on host X, pid 9)"],
      [{ reason: "exportNotCancellable", id: 4, status: "done" }, "Export 4 is done; only queued or running exports can be cancelled"],
      [{ reason: "profilesMissing", ids: [7, 9] }, "Profiles #7, #9 do not exist; nothing was deleted"],
      [{ reason: "builtinField", key: "city", label: "City" }, "City is a built-in field and cannot be deleted (you can hide it)"],
      [{ reason: "notConnected" }, "This store is not connected to a server"],
    ];
    for (const [details, core] of cases) expect(reasonText(details), String(details.reason)).toBe(core);
  });

  it("answers nothing for a reason it does not know or parameters it cannot read", () => {
    expect(reasonText({ reason: "somethingNew", id: 3 }), "a newer core's reason").toBeNull();
    expect(reasonText({ reason: "serverUnreachable" }), "a mail reason is worded by the mail screens").toBeNull();
    expect(reasonText({ reason: "noProfile" }), "no id").toBeNull();
    expect(reasonText({ reason: "pasteTooManyRows", rows: "1001", limit: 1000 }), "a count that is not a number").toBeNull();
    expect(reasonText({ reason: "profilesMissing", ids: ["#7"] }), "ids that are not numbers").toBeNull();
    expect(reasonText({ reason: "toString" }), "not a reason: an object's own property").toBeNull();
    expect(reasonText(null)).toBeNull();
    expect(reasonText([{ reason: "notConnected" }]), "a list is not details").toBeNull();
  });

  it("words an IPC error from its reason, and keeps the core's message otherwise", () => {
    const refused = IpcError.from({ code: "auth", message: "the core's words", details: { reason: "wrongPassword", name: "lan" } });
    expect(errorMessage(refused)).toBe("Wrong password for “lan”");
    const unknown = IpcError.from({ code: "conflict", message: "the core's words", details: { reason: "somethingNew" } });
    expect(errorMessage(unknown), "an unknown reason: the core's sentence").toBe("the core's words");
    expect(errorMessage(IpcError.from({ code: "internal", message: "database error: disk I/O error" }))).toBe("database error: disk I/O error");
    const banner = showError(IpcError.from({ code: "limit", message: "x", details: { reason: "tooManySegments", limit: 50 } }));
    expect(banner.textContent).toBe("You can keep at most 50 segments; delete some first");
    expect(banner.dataset.code, "the banner still branches on the code").toBe("limit");
  });

  it("words a job's stored failure, and a job failed before its code was kept by its sentence", () => {
    const failed = { error: "Import job 3 is …", errorCode: "conflict", errorDetails: { reason: "jobTakenOver", job: "import", id: 3, runner: "pdesk on host X, pid 9" } };
    expect(storedError(failed)?.code).toBe("conflict");
    expect(jobErrorText(failed)).toBe("Import job 3 was taken over by another Profile Desk (pdesk on host X, pid 9): this one stopped without writing more");
    expect(jobErrorText({ error: "kept before migration 0026", errorCode: null, errorDetails: null })).toBe("kept before migration 0026");
    expect(jobErrorText({ error: null, errorCode: null, errorDetails: null }), "no failure").toBeNull();
    expect(jobErrorText({ error: "Profile Desk stopped while writing the file", errorCode: "internal", errorDetails: { reason: "exportInterrupted" } })).toBe(
      "Profile Desk stopped while writing the file",
    );
  });
});
