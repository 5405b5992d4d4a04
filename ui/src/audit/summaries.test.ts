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

  it("name a built-in role in the UI's language and a custom one as named", () => {
    setLang("vi");
    expect(auditSummary(entry("user.add", "user:sam", { role: "Sales" }))).toBe("Đã thêm người dùng sam với vai trò Nhân viên kinh doanh");
    expect(auditSummary(entry("user.add", "user:kt", { role: "Kế toán" }))).toBe("Đã thêm người dùng kt với vai trò Kế toán");
    expect(auditSummary(entry("user.update", "user:sam", { role: ["Viewer", "Kế toán"] }))).toContain("vai trò Người xem → Kế toán");
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

/**
 * The actions the core writes but its `summary` does not word (it lists their raw details),
 * with details shaped as the core writes them: [entry, English, Vietnamese].
 */
const OWN: Array<[AuditEntry, string, string]> = [
  [
    entry("settings.field", "field:hang", { change: "added", label: "Hạng", kind: "select", mandatory: true, displayed: false, hidden: false, options: ["Vàng", "Bạc"], synonyms: [] }),
    "Added the field Hạng (single-select: Vàng, Bạc, mandatory)",
    "Đã thêm trường Hạng (chọn một: Vàng, Bạc, bắt buộc)",
  ],
  [
    entry("settings.field", "field:hang", { label: ["Hạng", "Hạng thành viên"], mandatory: [true, false], options: [["Vàng"], ["Vàng", "Bạc"]], change: "updated" }),
    "Changed the field Hạng thành viên: name Hạng → Hạng thành viên, no longer mandatory, options Vàng → Vàng, Bạc",
    "Đã thay đổi trường Hạng thành viên: tên Hạng → Hạng thành viên, không còn bắt buộc, lựa chọn Vàng → Vàng, Bạc",
  ],
  [
    entry("settings.field", "field:city", { displayed: [false, true], synonyms: [[], ["Tỉnh/TP"]], change: "updated" }),
    "Changed the field City: now a list column by default, other column names none → Tỉnh/TP",
    "Đã thay đổi trường Tỉnh/Thành phố: trở thành cột mặc định của danh sách, tên cột khác không có → Tỉnh/TP",
  ],
  [
    entry("settings.field", "fields", { change: "reordered", order: ["phones", "full_name", "hang"] }),
    "Reordered the fields: Phones, Full name, hang",
    "Đã sắp xếp lại các trường: Số điện thoại, Họ và tên, hang",
  ],
  [
    entry("settings.field", "field:hang", { change: "deleted", label: "Hạng", values: 1200 }),
    "Deleted the field Hạng and its values on 1,200 profiles",
    "Đã xóa trường Hạng cùng giá trị của trường này trên 1.200 hồ sơ",
  ],
  [entry("settings.field", "field:hang", { change: "deleted", label: "Hạng", values: 0 }), "Deleted the field Hạng", "Đã xóa trường Hạng"],
  [entry("settings.field", "field:birthday", { mandatory: true }), "Made the field Birthday mandatory", "Đã đặt trường Ngày sinh thành bắt buộc"],
  [
    entry("settings.mail", "settings", { host: "smtp.congty.vn", port: 587, security: "startTls", username: "lan", sender: "pdesk@congty.vn", password: "changed" }),
    "Changed the e-mail settings: server smtp.congty.vn:587 (STARTTLS), sender pdesk@congty.vn, user name lan, new password",
    "Đã thay đổi cài đặt email: máy chủ smtp.congty.vn:587 (STARTTLS), địa chỉ gửi pdesk@congty.vn, tên đăng nhập lan, đã đổi mật khẩu",
  ],
  [
    entry("settings.mail", "settings", { host: "localhost", port: 25, security: "none", username: "", sender: "a@b.vn", password: "unchanged" }),
    "Changed the e-mail settings: server localhost:25 (no encryption), sender a@b.vn, no sign-in, password unchanged",
    "Đã thay đổi cài đặt email: máy chủ localhost:25 (không mã hóa), địa chỉ gửi a@b.vn, không đăng nhập, giữ nguyên mật khẩu",
  ],
  [
    entry("settings.mail", "settings", { host: "", port: 587, security: "startTls", username: "", sender: "", password: "removed" }),
    "Turned e-mail off (no mail server)",
    "Đã tắt email (không có máy chủ thư)",
  ],
  [
    entry("settings.mail_policy", "settings", { before: { allowedDomains: [], attachmentRows: 10000 }, after: { allowedDomains: ["congty.vn", "congty.com.vn"], attachmentRows: 5000 } }),
    "Changed who may receive results by e-mail: addresses at congty.vn, congty.com.vn, attachments up to 5,000 rows",
    "Đã thay đổi quy định nhận kết quả qua email: địa chỉ thuộc congty.vn, congty.com.vn, đính kèm tối đa 5.000 dòng",
  ],
  [
    entry("settings.mail_policy", "settings", { before: { allowedDomains: ["a.vn"], attachmentRows: 1 }, after: { allowedDomains: [], attachmentRows: 0 } }),
    "Changed who may receive results by e-mail: any address, nothing attached",
    "Đã thay đổi quy định nhận kết quả qua email: mọi địa chỉ, không đính kèm",
  ],
  [entry("sync.config", "settings", { version: 3, refused: [] }), "Took the server's configuration (version 3)", "Đã nhận cấu hình từ máy chủ (phiên bản 3)"],
  [
    entry("sync.config", "settings", { version: 4, refused: ["the synchronization rule: unknown phone region XX", "the consent channels: not readable (bad)"] }),
    "Took the server's configuration (version 4); not taken: the synchronization rule (unknown phone region XX); the consent channels (not readable (bad))",
    "Đã nhận cấu hình từ máy chủ (phiên bản 4); không nhận: quy tắc đồng bộ hóa (unknown phone region XX); các kênh đồng ý (not readable (bad))",
  ],
  [
    entry("sync.conflict", "conflict:c-17", { conflict: "c-17", field: "phones", decision: "lost" }),
    "Decided a sync conflict on Phones: used the other value",
    "Đã giải quyết xung đột đồng bộ ở trường Số điện thoại: dùng giá trị còn lại",
  ],
  [
    entry("sync.conflict", "conflict:c-18", { conflict: "c-18", field: "city", decision: "kept", serverValuesOfImport: 12 }),
    "Decided a sync conflict on City: kept the value the server kept (Keep all server values for import #12)",
    "Đã giải quyết xung đột đồng bộ ở trường Tỉnh/Thành phố: giữ giá trị máy chủ đã giữ (Giữ mọi giá trị máy chủ cho lượt nhập #12)",
  ],
  [
    entry("sync.review", "review:rv_7", { review: "rv_7", profile: "0190aa", decision: "merge_all", target: "0190bb" }),
    "Decided merge review rv_7 of the server: merge all into one customer",
    "Đã quyết định mục xem xét hợp nhất rv_7 của máy chủ: hợp nhất tất cả vào một khách hàng",
  ],
  [
    entry("sync.conflict", "conflict:c-19", { conflict: "c-19", field: "note", decision: "edited" }),
    "Decided a sync conflict on Note: typed a new value",
    "Đã giải quyết xung đột đồng bộ ở trường Ghi chú: nhập giá trị mới",
  ],
  [
    entry("profile.create_separate", "profile:9", { keptApartFrom: [3, 5] }),
    "Created profile #9 as a separate profile, kept apart from #3, #5",
    "Đã tạo hồ sơ #9 thành hồ sơ riêng, không gộp với #3, #5",
  ],
  [
    entry("profile.edit_shared", "profile:9", { profileId: 9, keptApartFrom: [3] }),
    "Kept profile #9 apart from #3 after an edit gave them the same identifier",
    "Đã giữ hồ sơ #9 tách riêng với #3 dù sau khi sửa có cùng thông tin định danh",
  ],
];

describe("the sentences of the actions the core lists as raw details", () => {
  it("read as English sentences, not the details", () => {
    expect(OWN.map(([e]) => auditSummary(e))).toEqual(OWN.map(([, en]) => en));
  });

  it("read as Vietnamese sentences", () => {
    setLang("vi");
    expect(OWN.map(([e]) => auditSummary(e))).toEqual(OWN.map(([, , vi]) => vi));
  });

  it("fall back to the core's text for a change they cannot word", () => {
    expect(auditSummary(entry("settings.field", "field:x", { change: "renumbered" }, "settings.field field:x (change: renumbered)"))).toBe("settings.field field:x (change: renumbered)");
    expect(auditSummary(entry("settings.field", "field:x", { change: "updated" }, "settings.field field:x (change: updated)"))).toBe("settings.field field:x (change: updated)");
  });
});

describe("an export's filter", () => {
  /** An export entry as the core would write it with its query (the English `filter` kept beside it). */
  const exported = (extra: Record<string, unknown>): AuditEntry =>
    entry("export", "export:4", { filter: "City is Hà Nội · Birthday is between 1990-01-01 and 1990-12-31", fields: "displayed", columns: [], rows: 1200, destination: "/x.xlsx", ...extra });
  const query = {
    search: "nguyen",
    filter: [
      { kind: "field", field: "city", op: "is", value: "Hà Nội", value2: "" },
      { kind: "field", field: "birthday", op: "between", value: "1990-01-01", value2: "1990-12-31" },
      { kind: "field", field: "gender", op: "is", value: "female", value2: "" },
      { kind: "field", field: "hang", op: "empty", value: "", value2: "" },
      { kind: "field", field: "created_at", op: "lastDays", value: "7", value2: "" },
      { kind: "consent", channel: "email", status: "granted" },
      { kind: "source", source: { kind: "job", jobId: 12 } },
    ],
    sort: null,
    utcOffsetMinutes: 420,
  };
  const names = { fields: { city: { label: "City", kind: "text" }, birthday: { label: "Birthday", kind: "date" }, hang: { label: "Hạng", kind: "select" } }, channels: { email: "E-mail" } };

  it("keeps the core's English sentence when the entry has no query", () => {
    setLang("vi");
    expect(auditSummary(exported({}))).toBe("Đã xuất 1.200 hồ sơ (City is Hà Nội · Birthday is between 1990-01-01 and 1990-12-31) vào /x.xlsx");
  });

  it("reads the query in Vietnamese when the entry carries it", () => {
    setLang("vi");
    expect(auditSummary(exported({ query, names }))).toBe(
      "Đã xuất 1.200 hồ sơ (Tìm “nguyen” · Tỉnh/Thành phố là Hà Nội · Ngày sinh từ 01/01/1990 đến 31/12/1990 · Giới tính là Nữ · Hạng để trống · " +
        "Ngày tạo trong 7 ngày qua · Sự đồng ý qua Email: đồng ý · Nguồn: lượt nhập 12) vào /x.xlsx",
    );
    expect(auditSummary(exported({ query: { ...query, search: "", filter: [] }, selected: 3 }))).toBe("Đã xuất 1.200 hồ sơ (3 hồ sơ đã chọn (trong số: Tất cả hồ sơ)) vào /x.xlsx");
  });

  it("reads it in English like the core's sentence", () => {
    expect(auditSummary(exported({ query: { ...query, search: "", filter: query.filter.slice(0, 2) }, names }))).toBe(
      "Exported 1,200 profiles (City is Hà Nội · Birthday is between 01/01/1990 and 31/12/1990) to /x.xlsx",
    );
    expect(auditSummary(exported({ query: { ...query, search: "", filter: [] }, selected: 1 }))).toBe("Exported 1,200 profiles (1 selected profile (of: All profiles)) to /x.xlsx");
  });

  it("names a field as the entry kept it (renamed or deleted since), a field it did not name by its key", () => {
    setLang("vi");
    const q = { ...query, search: "", filter: [{ kind: "field", field: "hang", op: "is", value: "Vàng", value2: "" }, { kind: "field", field: "zalo_id", op: "notEmpty", value: "", value2: "" }] };
    expect(auditSummary(exported({ query: q, names }))).toBe("Đã xuất 1.200 hồ sơ (Hạng là Vàng · zalo_id không để trống) vào /x.xlsx");
  });
});
