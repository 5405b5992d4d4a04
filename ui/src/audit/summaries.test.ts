// The audit screen's sentences: in English word for word the core's `audit_log::summary`
// (the expected strings are its format strings filled in by hand), in Vietnamese without an
// English sentence left, and a renderer for every action the core's `summary` knows.
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import type { AuditEntry } from "../ipc/audit";
import { RENDERED_ACTIONS, auditSummary } from "./summaries";

const CORE = import.meta.glob<string>("../../../crates/core/src/audit_log.rs", { query: "?raw", import: "default", eager: true });

function entry(action: string, target: string, details: unknown, summary = "the core's sentence"): AuditEntry {
  return { id: 1, at: "2026-12-01T08:00:00.000Z", actor: "lan", action, target, summary, details: typeof details === "string" ? details : JSON.stringify(details) };
}

/** [entry, the core's sentence for it]. */
const CASES: Array<[AuditEntry, string]> = [
  [
    entry("profile.delete", "profile:7", { profileId: 7, label: "Ng*** V** A", reason: "Duplicate", removedLinks: { accounts: 2, opportunities: 1, tickets: 0, tasks: 0 }, batchSize: 2 }),
    "Deleted profile #7 Ng*** V** A — reason: “Duplicate” (2 accounts, 1 opportunity removed)",
  ],
  [entry("profile.delete", "profile:8", { profileId: 8, label: "T** B", reason: "Asked", removedLinks: { accounts: 0 } }), "Deleted profile #8 T** B — reason: “Asked” (no links removed)"],
  [entry("profile.create", "profile:9", { profileId: 9, label: "L* C", fields: ["full_name", "phones"], via: "create" }), "Created profile #9 L* C (full_name, phones)"],
  [entry("profile.create", "profile:9", { profileId: 9, label: "L* C", fields: [] }), "Created profile #9 L* C (no fields)"],
  [entry("profile.edit", "profile:9", { profileId: 9, label: "L* C", fields: ["city"] }), "Edited profile #9 L* C (city)"],
  [entry("profile.edit", "profile:9", { profileId: 9, label: "L* C", fields: [], consentChannels: 2 }), "Edited profile #9 L* C (consent of 2 channel(s))"],
  [entry("profile.edit", "profile:9", { profileId: 9, label: "L* C", fields: ["note"], consentChannels: 1 }), "Edited profile #9 L* C (note; consent of 1 channel(s))"],
  [entry("auth.first_run", "user:admin", { region: "VN" }), "Set up Profile Desk as its administrator (default phone region VN)"],
  [entry("auth.sign_in", "user:lan", { automatic: true }), "Signed in (the only user: no sign-in screen)"],
  [entry("auth.sign_in", "user:lan", {}), "Signed in"],
  [entry("auth.sign_in_failed", "user:sam", { attempt: 5, paused: true }), "Wrong password for sam (attempt 5); sign-in paused for 30 seconds"],
  [entry("auth.sign_in_failed", "user:sam", { attempt: 2 }), "Wrong password for sam (attempt 2)"],
  [entry("user.add", "user:sam", { role: "Sales" }), "Added user sam with the role Sales"],
  [entry("user.update", "user:sam", { role: ["Sales", "Viewer"], active: [true, false] }), "Changed user sam: active true → false, role Sales → Viewer"],
  [entry("role.update", "role:Sales", { permissions: { before: ["profile.view"], after: ["profile.view", "profile.edit"] } }), "Changed the role Sales: profile.view, profile.edit"],
  [entry("import.confirm", "job:5", { file: "khach.xlsx", rows: 120 }), "Confirmed the import of khach.xlsx (120 rows)"],
  [entry("import.undo", "job:5", {}), "Undid import job:5"],
  [entry("settings.limits", "settings:limits", { changes: { paste_rows: { before: 1000, after: 5 } } }), "Changed limits: paste rows 1000 → 5"],
  [
    entry("export", "export:4", { filter: "City is Hà Nội", fields: "displayed", columns: ["full_name", "phones"], rows: 120, destination: "/home/lan/profiles-export-4.xlsx" }),
    "Exported 120 profiles (City is Hà Nội) to /home/lan/profiles-export-4.xlsx",
  ],
  [entry("mail.sent", "user:lan", { job: 7, kind: "import", recipient: "lan@congty.vn", attachedRows: 5 }), "E-mailed the result of import 7 to lan@congty.vn (5 rows attached)"],
  [entry("sync.pull", "sync", { profiles: 12, deleted: 1, consentEvents: 3 }), "Took the server's changes: 12 profiles (1 deleted), 3 consent records"],
  [entry("backup.write", "/media/usb/b.db", { profiles: 120 }), "Backed up the database (120 profiles) to /media/usb/b.db"],
  [
    entry("backup.restore", "/media/usb/profile-desk-20250102T101112Z-manual.db", { profiles: 120, backupSchemaVersion: 4, savedCurrentAs: "/b/before-restore.db" }),
    "Restored the database from /media/usb/profile-desk-20250102T101112Z-manual.db (120 profiles); the data before is kept in /b/before-restore.db",
  ],
  [
    entry("backup.recover", "/b/x.db", { profiles: 3, damagedKeptAs: "/b/damaged.db" }),
    "Replaced the damaged database with the backup /b/x.db (3 profiles); the damaged file is kept as /b/damaged.db",
  ],
  [
    entry("settings.backup", "settings:backup", { before: { folder: "/a", keep: 7, autoDaily: true }, after: { folder: "/media/usb", keep: 3, autoDaily: false } }),
    "Changed the backup settings: folder /media/usb, keep 3, daily backup off",
  ],
  [entry("review.resolve", "review:4", { review: 4, action: "mergeAll", profileId: 7, removed: [3, 5] }), "Merge review 4 resolved: merged profiles #3, #5 into profile #7"],
  [entry("review.resolve", "job:5", { reviews: [1] }), "Discarded 1 open merge review of import job 5 (the import was undone)"],
  [entry("settings.sync_rule", "settings", { matchKeys: ["phone", "email"], region: "VN", mergePolicy: "fill_empty_only" }), "Changed the synchronization rule: match by phone, email, region VN, fill empty only"],
  [entry("sync.disconnect", "sync", { server: "https://s", discardedOps: 4 }), "Disconnected this computer from https://s (4 changes not sent were discarded)"],
  [entry("export.save", "export:4", { rows: 120, destination: "/x.xlsx" }), "Saved export 4 (120 profiles) as /x.xlsx"],
  [entry("profile.merge", "profile:3", { profileId: 3, label: "A*", mergedInto: 7, review: 4, moved: { links: { tickets: 1 } } }), "Merged profile #3 A* into profile #7 (merge review 4; 1 ticket moved)"],
];

/** English sentences' tell-tale words: none may be left in Vietnamese. */
const ENGLISH = /\b(Deleted|Created|Edited|reason|removed|Signed|Wrong|password|Added|Changed|Confirmed|import of|Exported|profiles|E-mailed|Took|server's|Backed|Restored|Replaced|database|backup|settings|Merge|merged|into|rows|fields|links|consent|channel|limits|paste|attempt|sign-in|region|Undid|the )\b/;

/** Every string a details object holds, longest first. */
function values(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (typeof v !== "object" || v === null) return [];
  return Object.values(v).flatMap(values).sort((a, b) => b.length - a.length);
}

afterEach(() => setLang("en"));

describe("the audit entries' sentences", () => {
  it("say in English exactly what the core's summary says", () => {
    expect(CASES.map(([e]) => auditSummary(e))).toEqual(CASES.map(([, core]) => core));
  });

  it("say it in Vietnamese, with no English sentence left", () => {
    setLang("vi");
    for (const [e, core] of CASES) {
      const vi = auditSummary(e);
      expect(vi, e.action).not.toBe(core);
      // The details' own text (a file name, the core's filter description) is shown as kept.
      const words = values(JSON.parse(e.details)).reduce((text, kept) => text.replaceAll(kept, ""), vi);
      expect(words, `${e.action}: ${vi}`).not.toMatch(ENGLISH);
    }
    expect(auditSummary(CASES[0]![0])).toBe("Đã xóa hồ sơ #7 Ng*** V** A — lý do: “Duplicate” (liên kết đã gỡ: 2 tài khoản, 1 cơ hội)");
    expect(auditSummary(entry("profile.create", "profile:9", { profileId: 9, label: "Profile #9", fields: ["full_name", "phones"] })), "built-in field names and the core's label").toBe(
      "Đã tạo hồ sơ #9 Hồ sơ #9 (Họ và tên, Số điện thoại)",
    );
    expect(auditSummary(entry("import.confirm", "job:5", { file: "k.xlsx", rows: 1234 })), "counts grouped the Vietnamese way").toBe("Đã xác nhận nhập tệp k.xlsx (1.234 dòng)");
  });

  it("group counts and agree in number in English", () => {
    expect(auditSummary(entry("import.confirm", "job:5", { file: "k.xlsx", rows: 1 }))).toBe("Confirmed the import of k.xlsx (1 row)");
    expect(auditSummary(entry("backup.write", "/b.db", { profiles: 1200 }))).toBe("Backed up the database (1,200 profiles) to /b.db");
    expect(auditSummary(entry("sync.disconnect", "sync", { server: "s", discardedOps: 1 }))).toBe("Disconnected this computer from s (1 change not sent was discarded)");
  });

  it("fall back to the core's sentence for an action they do not know or details they cannot read", () => {
    expect(auditSummary(entry("custom.thing", "x:1", { a: "b" }, "custom.thing x:1 (a: b)"))).toBe("custom.thing x:1 (a: b)");
    setLang("vi");
    expect(auditSummary(entry("profile.delete", "profile:7", "{not json", "Deleted profile #7"))).toBe("Deleted profile #7");
  });

  it("render every action the core's summary has an arm for", () => {
    const source = Object.values(CORE)[0] ?? "";
    const body = source.slice(source.indexOf("pub fn summary("));
    const end = body.indexOf("\n}\n");
    // The match's own arms, as rustfmt indents them (a nested match's arms sit deeper).
    const arms = [...(end < 0 ? body : body.slice(0, end)).matchAll(/^ {8}"([a-z_]+(?:\.[a-z_]+)?)"(?:\s+if\b[^\n]*)?\s*=>/gm)].map((hit) => hit[1] ?? "");
    expect(arms.length, "the core's arms were read").toBeGreaterThan(30);
    expect(arms.filter((action) => !RENDERED_ACTIONS.includes(action))).toEqual([]);
  });
});
