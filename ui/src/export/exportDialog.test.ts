import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { ExportRequest } from "../ipc";
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

function mount(rows: number, selected: number[] = []): { calls: Array<[string, ExportRequest | undefined]>; started: unknown[] } {
  const calls: Array<[string, ExportRequest | undefined]> = [];
  const started: unknown[] = [];
  mockIPC((cmd, args) => {
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

describe("export and e-mail wording", () => {
  it("reads sizes and e-mail states", () => {
    expect(formatBytes(2_048)).toBe("2 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    const failed = { jobKind: "export", jobId: 1, status: "failed", reason: "serverRefused", recipient: "a@b.vn", detail: "refused", attempts: 1, updatedAt: "" } as const;
    expect(mailLabel(failed)).toBe("E-mail failed: refused");
    const skipped = { ...failed, status: "skipped", reason: "domainNotAllowed", recipient: null, detail: "Not sent to a@b.vn: …" } as const;
    expect(mailLabel(skipped), "a skipped e-mail says why").toBe("E-mail not sent: Not sent to a@b.vn: …");
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
