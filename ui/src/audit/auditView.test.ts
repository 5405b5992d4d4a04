import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditPage } from "../ipc";
import { settle } from "../testFixtures";
import { AuditView, actionLabel, auditQuery, dayStart } from "./auditView";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function q<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`);
}

function entry(id: number, action: string, summary: string) {
  return { id, at: "2026-12-01T08:00:00.000Z", actor: "lan", action, target: `profile:${id}`, summary, details: `{"profileId":${id}}` };
}

describe("audit view", () => {
  it("turns local days into the core's instants, the end day inclusive", () => {
    const start = new Date(dayStart("2026-12-01")!);
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours()], "local midnight").toEqual([2026, 11, 1, 0]);
    const q1 = auditQuery({ action: "", actor: "lan", from: "", to: "2026-12-01" }, null);
    expect(new Date(q1.to!).getDate(), "to = the next local midnight").toBe(2);
    expect(q1.action, "no action filter").toBeNull();
    expect(q1.actor, "the user filter").toBe("lan");
    expect(dayStart("yesterday"), "not a date").toBeNull();
    const typed = auditQuery({ action: "", actor: "", from: "1/12/2026", to: "01/12/2026" }, null);
    expect(typed.from, "dd/mm/yyyy as typed in the filter").toBe(dayStart("2026-12-01"));
    expect(typed.to).toBe(dayStart("2026-12-01", 1));
    expect(auditQuery({ action: "", actor: "", from: "31/02/2026", to: "" }, null).from, "a day that does not exist bounds nothing").toBeNull();
    expect(actionLabel("profile.delete"), "actions read as words").toBe("Profile delete");
  });

  it("shows the chain state, the entries and pages further", async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      switch (cmd) {
        case "verify_audit":
          return { entries: 3, firstBroken: null, message: "Audit log verified, 3 entries", tail: ["Its end matches this computer's keychain (entry 3 of 2026-12-03T05:00:00.000Z)"] };
        case "audit_filters":
          return { actions: ["profile.delete", "user.add"], actors: ["lan"] };
        case "audit_entries": {
          const before = (args as { query: { beforeId: number | null } }).query.beforeId;
          const page: AuditPage = before
            ? { entries: [entry(1, "user.add", "Added user sam with the role Sales")], total: 3, hasMore: false }
            : { entries: [entry(3, "profile.delete", "Deleted profile #3"), entry(2, "profile.delete", "Deleted profile #2")], total: 3, hasMore: true };
          return page;
        }
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const view = new AuditView({ onBack: () => undefined });
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    expect(q("audit-chain")?.textContent, "the chain state").toBe("Chain verified, 3 entries");
    expect(q("audit-count")?.textContent, "the filter's total").toBe("3 entries match");
    expect(document.querySelectorAll('[data-testid="audit-row"]').length, "the first page").toBe(2);
    q("audit-more")!.click();
    await settle();
    expect(document.querySelectorAll('[data-testid="audit-row"]').length, "the next page is added").toBe(3);
    expect(q("audit-more")?.hidden, "no more pages").toBe(true);
    const last = calls.filter((c) => c[0] === "audit_entries").at(-1)?.[1] as { query: { beforeId: number } };
    expect(last.query.beforeId, "older than the last entry shown").toBe(2);
  });

  it("says when the chain is broken", async () => {
    mockIPC((cmd) => {
      if (cmd === "verify_audit") return { entries: 2, firstBroken: 2, message: "The audit log was tampered with: entry 2 does not match the chain", tail: [] };
      if (cmd === "audit_filters") return { actions: [], actors: [] };
      return { entries: [], total: 0, hasMore: false };
    });
    const view = new AuditView({ onBack: () => undefined });
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    expect(q("audit-chain")?.textContent, "the broken entry is named").toContain("entry 2");
    expect(q("audit-empty")?.textContent, "the empty state").toContain("No entry");
  });

  it("says when entries were cut from the end, with what it compared the end to", async () => {
    const message = "The audit log was cut short or replaced: the manifest of backup b.db recorded entry 5, but the log now ends at entry 3.";
    mockIPC((cmd) => {
      if (cmd === "verify_audit") return { entries: 3, firstBroken: 4, message, tail: ["The keychain holds no record of this log's end yet"] };
      if (cmd === "audit_filters") return { actions: [], actors: [] };
      return { entries: [], total: 0, hasMore: false };
    });
    const view = new AuditView({ onBack: () => undefined });
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    expect(q("audit-chain")?.textContent, "a cut, not an edit").toBe("Tampered with: entries from 4 on were removed");
    expect(q("audit-chain")?.title, "the details on hover").toContain("keychain holds no record");
  });

  it("takes From and To as dd/mm/yyyy in text fields, not the OS's date picker, and says when a day does not exist", async () => {
    const asked: Array<{ from: string | null; to: string | null }> = [];
    mockIPC((cmd, args) => {
      if (cmd === "verify_audit") return { entries: 0, firstBroken: null, message: "", tail: [] };
      if (cmd === "audit_filters") return { actions: [], actors: [] };
      if (cmd === "audit_entries") {
        asked.push((args as { query: { from: string | null; to: string | null } }).query);
        return { entries: [], total: 0, hasMore: false };
      }
      if (cmd === "export_audit") throw new Error("the export must not start");
      throw new Error(`unexpected ${cmd}`);
    });
    const view = new AuditView({ onBack: () => undefined });
    document.body.appendChild(view.element);
    await view.refresh();
    await settle();
    const from = q<HTMLInputElement>("audit-filter-from")!;
    const to = q<HTMLInputElement>("audit-filter-to")!;
    expect([from.type, to.type], "no native date input: it shows the OS locale's mm/dd/yyyy").toEqual(["text", "text"]);
    expect(from.placeholder).toBe("dd/mm/yyyy");
    const change = (input: HTMLInputElement, value: string): void => {
      input.value = value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    change(from, "1/12/2026");
    await settle();
    expect(from.value, "written back the way dates read").toBe("01/12/2026");
    expect(asked.at(-1)?.from, "the local day's start").toBe(dayStart("2026-12-01"));
    const before = asked.length;
    change(to, "31/02/2026");
    await settle();
    expect(q("audit-date-error")?.hidden).toBe(false);
    expect(q("audit-date-error")?.textContent, "the day does not exist, said so").toBe("“31/02/2026” is not a date: February 2026 has 28 days");
    expect(to.getAttribute("aria-invalid")).toBe("true");
    expect(asked.length, "the log is not asked with a day it cannot read").toBe(before);
    q("audit-export")!.click();
    await settle();
    expect(q("audit-date-error")?.hidden, "nor exported").toBe(false);
    change(to, "02/12/2026");
    await settle();
    expect(q("audit-date-error")?.hidden, "fixed: the message goes").toBe(true);
    expect(to.hasAttribute("aria-invalid")).toBe(false);
    expect(asked.at(-1), "both days, To inclusive").toEqual(expect.objectContaining({ from: dayStart("2026-12-01"), to: dayStart("2026-12-02", 1) }));
  });
});
