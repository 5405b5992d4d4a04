import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { ExportRequest, JobMail } from "../ipc";
import { settle } from "../testFixtures";
import { ExportDialog } from "./exportDialog";
import { formatBytes, mailLabel, mailRetryable } from "./exportLogic";
import { defaultPort, domainList, mailInput } from "../settings/email";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const query = { search: "", filter: [], sort: null, utcOffsetMinutes: 0 };

/** What the core says of e-mail: the mail settings' server (an administrator), else refused, and the newest result e-mails. */
interface MailWorld {
  host?: string | null;
  address?: string | null;
  mails?: { export?: Array<Partial<JobMail>>; import?: Array<Partial<JobMail>> };
}

function mount(
  rows: number,
  selected: number[] = [],
  mail: MailWorld = {},
): { calls: Array<[string, ExportRequest | undefined]>; started: unknown[] } {
  const calls: Array<[string, ExportRequest | undefined]> = [];
  const started: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "mail_settings") {
      if (mail.host === undefined || mail.host === null) throw { code: "permission", message: "Your role cannot change settings", details: { permission: "settings.manage" } };
      return { host: mail.host, port: 587, security: "startTls", username: "", sender: "desk@example.vn", hasPassword: false, keychain: "available" };
    }
    if (cmd === "job_mails") {
      const kind = (args as { kind: "export" | "import" }).kind;
      return (mail.mails?.[kind] ?? []).map((x, i) => ({ jobKind: kind, jobId: i + 1, status: "skipped", recipient: null, detail: null, reason: null, attempts: 1, updatedAt: "2026-01-01T00:00:00Z", ...x }));
    }
    if (cmd === "my_mail_address" && mail.address !== undefined) return mail.address;
    const request = (args as { request?: ExportRequest } | undefined)?.request;
    calls.push([cmd, request]);
    if (cmd === "export_plan") {
      const n = request?.ids ? request.ids.length : rows;
      return { rows: n, directLimit: 1000, background: n > 1000, columns: request?.fields === "all" ? ["Full name", "Phones", "Note"] : ["Full name"], description: "All profiles", fileName: "Profiles.xlsx" };
    }
    if (cmd === "my_mail_address") return null;
    if (cmd === "start_export") return { id: 9, status: "queued", background: true };
    if (cmd === "export_now") return { id: 3, status: "done", rowsDone: 12, path: "/tmp/x.xlsx" };
    throw new Error(`unexpected ${cmd}`);
  });
  new ExportDialog({ query, columns: ["full_name"], selected, returnFocus: null, onStarted: (j) => started.push(j) }).open(document.body);
  return { calls, started };
}

describe("export dialog", () => {
  it("shows the count and starts a background export over the limit, with all fields when chosen", async () => {
    const { calls, started } = mount(1_200);
    await settle();
    expect(q("export-rows")?.textContent, "the core's count").toBe("1,200");
    expect(q("export-mode")?.getAttribute("data-mode"), "over the limit").toBe("background");
    expect(q("export-mail-address"), "no address yet: the user may add one").not.toBeNull();
    (q("export-fields-all") as HTMLInputElement).click();
    (q("export-fields-all") as HTMLInputElement).dispatchEvent(new Event("change"));
    await settle();
    expect(q("export-count")?.textContent, "the columns of all fields").toContain("Note");
    expect(q("export-confirm")?.textContent).toBe("Start export");
    (q("export-confirm") as HTMLButtonElement).click();
    await settle();
    const start = calls.find(([c]) => c === "start_export");
    expect(start?.[1]?.fields, "all fields asked").toBe("all");
    expect(start?.[1]?.ids, "the whole list, not a selection").toBeNull();
    expect(started.length, "the panel is told").toBe(1);
    expect(q("export-dialog"), "the dialog closed").toBeNull();
  });

  it("offers the selected rows and writes up to the limit at once", async () => {
    const { calls } = mount(5_000, [4, 5, 6]);
    await settle();
    expect(q("export-rows")?.textContent, "the selection is the default").toBe("3");
    expect(q("export-mode")?.getAttribute("data-mode")).toBe("direct");
    (q("export-confirm") as HTMLButtonElement).click();
    await settle();
    const now = calls.find(([c]) => c === "export_now");
    expect(now?.[1]?.ids, "only the selected ids").toEqual([4, 5, 6]);
    expect(document.querySelector('[data-testid="toast"]')?.textContent, "where it went").toContain("/tmp/x.xlsx");
  });
});

describe("export dialog: no mail server", () => {
  const offText = () => q("export-mail-off")?.textContent ?? "";

  it("says before a background export starts that the file will not be e-mailed, and what happens instead", async () => {
    const { calls } = mount(1_200, [], { host: "", address: "lan@example.vn" });
    await settle();
    expect(offText(), "said, in the dialog").toContain("The file will not be e-mailed:");
    expect(offText(), "why").toContain("no mail server is set up");
    expect(offText(), "what happens instead").toContain("The file is only saved on this computer");
    expect(q("export-mail-to"), "no promise of an e-mail to the address").toBeNull();
    expect(q("export-mail-address"), "nor a prompt for one").toBeNull();
    expect(calls.some(([c]) => c === "start_export"), "before anything starts").toBe(false);
    expect((q("export-confirm") as HTMLButtonElement).disabled, "the export can still start").toBe(false);
  });

  it("learns it from the newest result e-mail when the user may not read the mail settings", async () => {
    mount(1_200, [], {
      address: "lan@example.vn",
      mails: {
        export: [{ status: "sent", reason: null, updatedAt: "2026-01-01T08:00:00Z" }],
        import: [{ status: "skipped", reason: "notConfigured", updatedAt: "2026-01-02T08:00:00Z" }],
      },
    });
    await settle();
    expect(offText(), "the newest (an import's) was skipped: not set up").toContain("The file will not be e-mailed:");
  });

  it("promises the e-mail as before when a server is set up, or when nothing says otherwise", async () => {
    mount(1_200, [], { host: "smtp.example.vn", address: "lan@example.vn" });
    await settle();
    expect(q("export-mail-off"), "set up: no warning").toBeNull();
    expect(q("export-mail-to")?.textContent).toContain("lan@example.vn");
    document.body.replaceChildren();
    mount(1_200, [], { address: "lan@example.vn", mails: { export: [{ status: "sent", reason: null, updatedAt: "2026-01-03T08:00:00Z" }], import: [{ status: "skipped", reason: "notConfigured", updatedAt: "2026-01-02T08:00:00Z" }] } });
    await settle();
    expect(q("export-mail-off"), "the newest e-mail went out: set up (since)").toBeNull();
    document.body.replaceChildren();
    mount(1_200, [], { address: null });
    await settle();
    expect(q("export-mail-off"), "no e-mail yet, no settings: nothing claimed").toBeNull();
    expect(q("export-mail-address"), "the address prompt as before").not.toBeNull();
  });

  it("offers Start export only once it can say how the file comes", async () => {
    let answer: (host: string) => void = () => undefined;
    mockIPC((cmd) => {
      if (cmd === "export_plan") return { rows: 1_200, directLimit: 1000, background: true, columns: ["Full name"], description: "", fileName: "P.xlsx" };
      if (cmd === "my_mail_address") return "lan@example.vn";
      if (cmd === "mail_settings") return new Promise((resolve) => (answer = (host) => resolve({ host, port: 25, security: "none", username: "", sender: "", hasPassword: false, keychain: "available" })));
      throw new Error(`unexpected ${cmd}`);
    });
    new ExportDialog({ query, columns: ["full_name"], selected: [], returnFocus: null, onStarted: () => undefined }).open(document.body);
    await settle();
    expect((q("export-confirm") as HTMLButtonElement).disabled, "the mail server is not known yet").toBe(true);
    expect(q("export-mail-to"), "no promise made yet").toBeNull();
    answer("");
    await settle();
    expect(q("export-mail-off"), "now said").not.toBeNull();
    expect((q("export-confirm") as HTMLButtonElement).disabled, "and the export can start").toBe(false);
  });

  it("says nothing of e-mail for an export written at once", async () => {
    mount(12, [], { host: "" });
    await settle();
    expect(q("export-mode")?.getAttribute("data-mode")).toBe("direct");
    expect(q("export-mail-off"), "a direct export is never e-mailed").toBeNull();
  });
});

describe("export and e-mail wording", () => {
  it("reads sizes and e-mail states", () => {
    expect(formatBytes(2_048)).toBe("2 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    const failed = { jobKind: "export", jobId: 1, status: "failed", reason: "serverRefused", recipient: "a@b.vn", detail: "refused", attempts: 1, updatedAt: "" } as const;
    expect(mailLabel(failed)).toBe("E-mail failed: refused");
    const skipped = { ...failed, status: "skipped", reason: "domainNotAllowed", recipient: null, detail: "Not sent to a@b.vn: …" } as const;
    expect(mailLabel(skipped), "a skipped e-mail says why: the address in the core's sentence").toBe("E-mail not sent: Not sent to a@b.vn: …");
    expect(mailLabel({ ...skipped, reason: "noAddress", detail: "lan has no address" }), "a reason worded in the UI's language").toBe(
      "E-mail not sent: you have no address for results: set one in the user menu (E-mail for results…)",
    );
    expect(mailRetryable(skipped), "an address can be fixed: Retry").toBe(true);
    expect(mailRetryable({ ...skipped, reason: "jobNotFinished" }), "no file to send: no Retry").toBe(false);
  });

  it("reads the allowed domains as typed: commas, spaces or lines", () => {
    expect(domainList(" congty.vn,\nchinhanh.vn ;; ")).toEqual(["congty.vn", "chinhanh.vn"]);
    expect(domainList("   ")).toEqual([]);
  });

  it("sends the password only when one was typed, and a zero port when it is not a number", () => {
    const base = { host: " smtp.x.vn ", port: "587", security: "startTls", username: "u", sender: "d@x.vn", password: "" };
    expect(mailInput(base, false).password, "untouched: keep the stored password").toBeNull();
    expect(mailInput(base, true).password, "cleared: remove it").toBe("");
    expect(mailInput(base, false).host, "trimmed").toBe("smtp.x.vn");
    expect(mailInput({ ...base, port: "abc" }, false).port, "the core refuses port 0").toBe(0);
    expect(defaultPort("tls")).toBe(465);
  });
});
