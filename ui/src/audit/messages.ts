// The audit log's words, in English and Vietnamese (read at render time: `m.title`).
// What an entry says is rendered by summaries.ts (the `said` catalogue below); the chain check's explanation and user names come from the
// core and are not here.
import { messages } from "../i18n/messages";
import { formatCount, humanize } from "../shell/format";

/** "1 entry", "3 entries" (as `plural` from shell/format writes it). */
function entries(n: number): string {
  return `${formatCount(n)} ${n === 1 ? "entry" : "entries"}`;
}

/** An action code as words when the catalogue has no name for it: "profile.delete" → "Profile delete". */
function codeAsWords(code: string): string {
  return humanize(String(code).replace(".", " "));
}

/** The Vietnamese names of the actions the core records (codes from crates/core). */
const VI_ACTIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  "audit.export": "Xuất nhật ký hoạt động",
  "auth.first_run": "Thiết lập lần đầu",
  "auth.lock": "Khóa phiên",
  "auth.sign_in": "Đăng nhập",
  "auth.sign_in_failed": "Đăng nhập không thành công",
  "auth.sign_out": "Đăng xuất",
  "auth.unlock": "Mở khóa phiên",
  "backup.recover": "Khôi phục cơ sở dữ liệu bị hỏng",
  "backup.restore": "Khôi phục bản sao lưu",
  "backup.write": "Sao lưu",
  "export": "Xuất dữ liệu",
  "export.save": "Lưu tệp xuất dữ liệu",
  "import.cancel": "Hủy lượt nhập",
  "import.confirm": "Xác nhận lượt nhập",
  "import.failed_rows": "Lưu các dòng lỗi của lượt nhập",
  "import.template": "Tải tệp mẫu nhập",
  "import.undo": "Hoàn tác lượt nhập",
  "mail.sent": "Gửi email",
  "profile.create": "Tạo hồ sơ",
  "profile.create_separate": "Tạo hồ sơ riêng",
  "profile.delete": "Xóa hồ sơ",
  "profile.edit": "Sửa hồ sơ",
  "profile.edit_shared": "Sửa hồ sơ trùng lặp, giữ riêng",
  "profile.merge": "Hợp nhất hồ sơ",
  "review.resolve": "Xử lý xem xét hợp nhất",
  "role.add": "Thêm vai trò",
  "role.delete": "Xóa vai trò",
  "role.update": "Sửa vai trò",
  "settings.backup": "Cài đặt sao lưu",
  "settings.consent_channel": "Cài đặt kênh đồng ý",
  "settings.field": "Cài đặt danh mục trường",
  "settings.idle_lock": "Cài đặt tự động khóa",
  "settings.limits": "Cài đặt giới hạn",
  "settings.mail": "Cài đặt email",
  "settings.mail_policy": "Cài đặt quy định gửi email",
  "settings.sync_rule": "Cài đặt quy tắc đồng bộ hóa",
  "sync.config": "Cấu hình đồng bộ",
  "sync.conflict": "Xử lý xung đột đồng bộ",
  "sync.review": "Quyết định mục xem xét hợp nhất của máy chủ",
  "sync.connect": "Kết nối máy chủ",
  "sync.disconnect": "Ngắt kết nối máy chủ",
  "sync.discard": "Bỏ thay đổi bị máy chủ từ chối",
  "sync.pull": "Nhận dữ liệu đồng bộ",
  "sync.retry": "Thử đồng bộ lại",
  "sync.settings": "Cài đặt đồng bộ",
  "user.add": "Thêm người dùng",
  "user.mail_address": "Đổi địa chỉ email người dùng",
  "user.password": "Đổi mật khẩu",
  "user.update": "Sửa người dùng",
}));

export const m = messages(
  "audit",
  {
    // Top bar and screen
    title: "Audit log",
    navTitle: "Who deleted, imported, exported or changed what, and when",
    back: "← Back to profiles",
    intro: "Deletions, imports, exports, settings, users and sign-ins — append-only and hash-chained.",
    exportXlsx: "Export .xlsx",
    savedTo: (path: string) => `Saved the audit log to ${path}`,

    // Chain state badge
    checkingChain: "Checking the chain…",
    chainVerified: (n: number) => `Chain verified, ${entries(n)}`,
    /** The log was cut: entries from number `first` on are gone. */
    chainCut: (first: number) => `Tampered with: entries from ${first} on were removed`,
    chainBroken: (entry: number) => `Tampered with: entry ${entry} breaks the chain`,

    // Filters
    action: "Action",
    user: "User",
    from: "From",
    to: "To",
    allActions: "All actions",
    allUsers: "All users",
    matching: (n: number) => `${entries(n)} match`,

    // Table
    time: "Time",
    whatHappened: "What happened",
    noEntry: "No entry matches these filters.",
    details: "Details",
    hideDetails: "Hide details",
    showOlder: "Show older entries",
    /** An action code ("profile.delete") as its name. */
    actionName: (code: string) => codeAsWords(code),
  },
  {
    // Top bar and screen
    title: "Nhật ký hoạt động",
    navTitle: "Ai đã xóa, nhập, xuất hay thay đổi gì, và vào lúc nào",
    back: "← Quay lại danh sách hồ sơ",
    intro: "Các lần xóa, nhập, xuất dữ liệu, thay đổi cài đặt, người dùng và đăng nhập — chỉ ghi thêm, nối chuỗi bằng mã băm.",
    exportXlsx: "Xuất tệp .xlsx",
    savedTo: (path: string) => `Đã lưu nhật ký hoạt động vào ${path}`,

    // Chain state badge
    checkingChain: "Đang kiểm tra chuỗi…",
    chainVerified: (n: number) => `Chuỗi đã được xác minh, ${formatCount(n)} bản ghi`,
    chainCut: (first: number) => `Đã bị can thiệp: các bản ghi từ số ${first} trở đi đã bị xóa`,
    chainBroken: (entry: number) => `Đã bị can thiệp: bản ghi số ${entry} làm đứt chuỗi`,

    // Filters
    action: "Thao tác",
    user: "Người dùng",
    from: "Từ ngày",
    to: "Đến ngày",
    allActions: "Tất cả thao tác",
    allUsers: "Tất cả người dùng",
    matching: (n: number) => `${formatCount(n)} bản ghi phù hợp`,

    // Table
    time: "Thời gian",
    whatHappened: "Nội dung",
    noEntry: "Không có bản ghi nào phù hợp với bộ lọc này.",
    details: "Chi tiết",
    hideDetails: "Ẩn chi tiết",
    showOlder: "Xem các bản ghi cũ hơn",
    actionName: (code: string) => VI_ACTIONS.get(code) ?? codeAsWords(code),
  },
);

/** A count as the UI's language groups it; text (a value the core kept as text) as it is. */
function num(v: number | string): string {
  return typeof v === "number" ? formatCount(v) : String(v);
}

/** "1 row", "3 rows": the count and its noun, agreeing in number. */
function counted(v: number | string, one: string, many: string): string {
  return `${num(v)} ${v === 1 ? one : many}`;
}

const VI_LINKS: ReadonlyMap<string, string> = new Map(Object.entries({ accounts: "tài khoản", opportunities: "cơ hội", tickets: "phiếu hỗ trợ", tasks: "công việc" }));
const VI_USER_FIELDS: ReadonlyMap<string, string> = new Map(Object.entries({ displayName: "tên", role: "vai trò", active: "trạng thái hoạt động", email: "email" }));
const VI_LIMITS: ReadonlyMap<string, string> = new Map(Object.entries({
  file_size: "dung lượng tệp",
  file_rows: "số dòng mỗi tệp",
  paste_rows: "số dòng mỗi lần dán",
  export_direct_rows: "số dòng xuất trực tiếp",
  mail_attachment_size: "dung lượng tệp đính kèm email",
}));
const VI_MATCH_KEYS: ReadonlyMap<string, string> = new Map(Object.entries({ phone: "số điện thoại", email: "email", customer_code: "mã khách hàng", customerCode: "mã khách hàng" }));
const VI_POLICIES: ReadonlyMap<string, string> = new Map(Object.entries({ overwrite: "ghi đè", fill_empty_only: "chỉ điền vào ô trống" }));
const VI_JOB_KINDS: ReadonlyMap<string, string> = new Map(Object.entries({ import: "lượt nhập", export: "lượt xuất" }));
const VI_LANGUAGES: ReadonlyMap<string, string> = new Map(Object.entries({ vi: "tiếng Việt", en: "tiếng Anh" }));

/** A field's type (FieldKind's codes, crates/rule/src/vocab.rs) as Settings → Fields names it. */
const EN_KINDS: ReadonlyMap<string, string> = new Map(Object.entries({
  text: "text",
  longText: "long text",
  number: "number",
  date: "date",
  boolean: "yes / no",
  select: "single-select",
  multiSelect: "multi-select",
  phones: "phone list",
  emails: "e-mail list",
  tags: "tags",
  system: "set by the app",
}));
const VI_KINDS: ReadonlyMap<string, string> = new Map(Object.entries({
  text: "văn bản",
  longText: "văn bản dài",
  number: "số",
  date: "ngày",
  boolean: "có / không",
  select: "chọn một",
  multiSelect: "chọn nhiều",
  phones: "danh sách số điện thoại",
  emails: "danh sách email",
  tags: "thẻ",
  system: "do ứng dụng đặt",
}));
/** The parts of the server's configuration `sync.config` may refuse, as the core names them (crates/core/src/sync/config.rs). */
const VI_CONFIG_PARTS: ReadonlyMap<string, string> = new Map(Object.entries({
  "the synchronization rule": "quy tắc đồng bộ hóa",
  "the field catalogue": "danh mục trường",
  "the consent channels": "các kênh đồng ý",
}));

/** The core's names of the configuration's parts (the English of them is the core's). */
export const CONFIG_PARTS: readonly string[] = [...VI_CONFIG_PARTS.keys()];

/** "a, b → a, b, c", with "none" for an empty side. */
function listChange(before: string, after: string, none: string): string {
  return `${before || none} → ${after || none}`;
}

/**
 * What an entry says (summaries.ts renders it from the entry's action and details). The
 * English is word for word the core's `audit_log::summary` (crates/core/src/audit_log.rs),
 * except that counts are grouped and agree in number ("1 row").
 */
export const said = messages(
  "audit-summary",
  {
    profileDelete: (id: string, label: string, reason: string, links: string) => `Deleted profile #${id} ${label} — reason: “${reason}” (${links} removed)`,
    profileCreate: (id: string, label: string, fields: string) => `Created profile #${id} ${label} (${fields})`,
    profileEdit: (id: string, label: string, what: string) => `Edited profile #${id} ${label} (${what})`,
    /** A profile's label when it had no name to mask (the core writes it in English). */
    profileNumber: (id: string) => `Profile #${id}`,
    consentOf: (n: number | string) => `consent of ${num(n)} channel(s)`,
    fieldsAndConsent: (fields: string, consent: string) => `${fields}; ${consent}`,
    noFields: "no fields",
    /** A field key as the entry names it: English shows the key as the core does. */
    fieldName: (key: string, _name: string) => `${key}`,
    link: (kind: string, one: string, n: number) => (n === 1 ? `1 ${one}` : `${num(n)} ${kind}`),
    noLinks: "no links",
    firstRun: (region: string) => `Set up Profile Desk as its administrator (default phone region ${region})`,
    signInAutomatic: "Signed in (the only user: no sign-in screen)",
    signIn: "Signed in",
    signInFailed: (who: string, attempt: string, paused: boolean) => `Wrong password for ${who} (attempt ${attempt})${paused ? "; sign-in paused for 30 seconds" : ""}`,
    unlock: "Unlocked the session",
    lock: "Session locked",
    signOut: "Signed out",
    userAdd: (who: string, role: string) => `Added user ${who} with the role ${role}`,
    userUpdate: (who: string, changes: string) => `Changed user ${who}: ${changes}`,
    userField: (key: string) => (key === "displayName" ? "name" : `${key}`),
    userValue: (value: string) => `${value}`,
    change: (what: string, before: string, after: string) => `${what} ${before} → ${after}`,
    userPassword: (who: string) => `Changed the password of ${who}`,
    roleAdd: (who: string, permissions: string) => `Added the role ${who}: ${permissions}`,
    roleUpdate: (who: string, permissions: string) => `Changed the role ${who}: ${permissions}`,
    roleDelete: (who: string) => `Deleted the role ${who}`,
    importConfirm: (file: string, rows: number | string) => `Confirmed the import of ${file} (${counted(rows, "row", "rows")})`,
    importUndo: (target: string) => `Undid import ${target}`,
    importCancel: (target: string) => `Cancelled import ${target}`,
    limits: (changes: string) => `Changed limits: ${changes}`,
    limitName: (key: string) => key.replaceAll("_", " "),
    channelAdded: (label: string) => `Added the consent channel ${label}`,
    channelRenamed: (before: string, after: string) => `Renamed the consent channel ${before} to ${after}`,
    channelsReordered: (order: string) => `Reordered the consent channels: ${order}`,
    channelRemoved: (label: string) => `Removed the consent channel ${label}`,
    channelsChanged: (change: string) => `Changed the consent channels (${change})`,
    idleLock: (before: number | string, after: number | string) => `Changed the idle lock from ${num(before)} to ${counted(after, "minute", "minutes")}`,
    syncRule: (keys: string, region: string, policy: string) => `Changed the synchronization rule: match by ${keys}, region ${region}, ${policy}`,
    matchKey: (key: string) => `${key}`,
    policy: (code: string) => code.replaceAll("_", " "),
    auditExport: (rows: number | string) => `Exported ${counted(rows, "audit entry", "audit entries")}`,
    exported: (rows: number | string, filter: string, destination: string) => `Exported ${counted(rows, "profile", "profiles")} (${filter}) to ${destination}`,
    exportSave: (id: string, rows: number | string, destination: string) => `Saved export ${id} (${counted(rows, "profile", "profiles")}) as ${destination}`,
    failedRows: (rows: number | string, job: string) => `Saved the ${counted(rows, "failed row", "failed rows")} of import ${job}`,
    mailSent: (kind: string, job: string, recipient: string, rows: number | string) => `E-mailed the result of ${kind} ${job} to ${recipient} (${counted(rows, "row", "rows")} attached)`,
    jobKind: (kind: string) => `${kind}`,
    mailAddress: (who: string, address: string) => `Set where the results of ${who} are e-mailed: ${address}`,
    syncConnect: (server: string, user: string, device: string) => `Connected this computer to ${server} as ${user} (device “${device}”)`,
    syncDisconnect: (server: string, n: number | string) =>
      `Disconnected this computer from ${server} (${n === 1 ? "1 change not sent was" : `${num(n)} changes not sent were`} discarded)`,
    syncPull: (profiles: number | string, deleted: number | string, consent: number | string) =>
      `Took the server's changes: ${counted(profiles, "profile", "profiles")} (${num(deleted)} deleted), ${counted(consent, "consent record", "consent records")}`,
    syncSettings: (minutes: number | string) => `Imported changes now wait ${counted(minutes, "minute", "minutes")} before they are sent`,
    syncRetry: (kind: string, refusedFor: string) => `Sent again a change the server refused (${kind}, refused for ${refusedFor})`,
    syncDiscard: (kind: string, refusedFor: string) => `Discarded a change the server refused (${kind}, refused for ${refusedFor})`,
    importTemplate: (columns: number | string, language: string, destination: string) =>
      `Wrote the import template (${counted(columns, "column", "columns")}, ${language}) to ${destination}`,
    languageName: (code: string) => `${code}`,
    backupWrite: (profiles: number | string, target: string) => `Backed up the database (${counted(profiles, "profile", "profiles")}) to ${target}`,
    backupRestore: (target: string, profiles: number | string, savedAs: string) =>
      `Restored the database from ${target} (${counted(profiles, "profile", "profiles")}); the data before is kept in ${savedAs}`,
    backupRecover: (target: string, profiles: number | string, keptAs: string) =>
      `Replaced the damaged database with the backup ${target} (${counted(profiles, "profile", "profiles")}); the damaged file is kept as ${keptAs}`,
    settingsBackup: (folder: string, keep: string, daily: boolean) => `Changed the backup settings: folder ${folder}, keep ${keep}, daily backup ${daily ? "on" : "off"}`,
    reviewsDiscarded: (n: number, job: string) => `Discarded ${num(n)} open merge review${n === 1 ? "" : "s"} of import job ${job} (the import was undone)`,
    reviewResolved: (review: string, what: string) => `Merge review ${review} resolved: ${what}`,
    reviewAttached: (id: string) => `attached to profile #${id}`,
    reviewMergedProfiles: (ids: string, several: boolean, id: string) => `merged profile${several ? "s" : ""} ${ids} into profile #${id}`,
    reviewMerged: (id: string) => `merged into profile #${id}`,
    reviewCreated: (id: string) => `created profile #${id}`,
    reviewDismissed: "discarded the incoming data",
    profileMerge: (id: string, label: string, into: string, review: string, links: string) =>
      `Merged profile #${id} ${label} into profile #${into} (merge review ${review}; ${links} moved)`,

    // Actions the core's summary does not word: the UI's own sentences.
    fieldKind: (code: string) => EN_KINDS.get(code) ?? `${code}`,
    fieldAdded: (label: string, kind: string, options: string, mandatory: boolean, hidden: boolean) =>
      `Added the field ${label} (${kind}${options ? `: ${options}` : ""}${mandatory ? ", mandatory" : ""}${hidden ? ", hidden" : ""})`,
    fieldChanged: (name: string, changes: string) => `Changed the field ${name}: ${changes}`,
    fieldRenamed: (before: string, after: string) => `name ${before} → ${after}`,
    fieldKindChanged: (before: string, after: string) => `type ${before} → ${after}`,
    nowMandatory: "now mandatory",
    noLongerMandatory: "no longer mandatory",
    nowDisplayed: "now a list column by default",
    noLongerDisplayed: "no longer a list column by default",
    nowHidden: "now hidden",
    noLongerHidden: "no longer hidden",
    optionsChanged: (before: string, after: string) => `options ${listChange(before, after, "none")}`,
    synonymsChanged: (before: string, after: string) => `other column names ${listChange(before, after, "none")}`,
    fieldsReordered: (order: string) => `Reordered the fields: ${order}`,
    fieldDeleted: (name: string, values: number | string) =>
      values === 0 || values === "" ? `Deleted the field ${name}` : `Deleted the field ${name} and its values on ${counted(values, "profile", "profiles")}`,
    fieldMandatory: (name: string, mandatory: boolean) => (mandatory ? `Made the field ${name} mandatory` : `Made the field ${name} optional`),
    mailOff: "Turned e-mail off (no mail server)",
    mailSecurity: (code: string): string => (code === "startTls" ? "STARTTLS" : code === "tls" ? "TLS" : code === "none" ? "no encryption" : `${code}`),
    mailPassword: (code: string): string => (code === "changed" ? "new password" : code === "removed" ? "password removed" : "password unchanged"),
    mailSettings: (server: string, security: string, sender: string, user: string, password: string) =>
      `Changed the e-mail settings: server ${server} (${security}), sender ${sender || "none"}, ${user ? `user name ${user}` : "no sign-in"}, ${password}`,
    mailPolicy: (domains: string, rows: number | string) =>
      `Changed who may receive results by e-mail: ${domains ? `addresses at ${domains}` : "any address"}, ${
        rows === 0 ? "nothing attached" : `attachments up to ${counted(rows, "row", "rows")}`
      }`,
    configPart: (part: string, why: string) => `${part} (${why})`,
    syncConfig: (version: number | string, refused: string) =>
      `Took the server's configuration (version ${num(version)})${refused ? `; not taken: ${refused}` : ""}`,
    conflictDecision: (code: string): string =>
      code === "kept" ? "kept the value the server kept" : code === "lost" ? "used the other value" : code === "edited" ? "typed a new value" : `${code}`,
    syncConflict: (field: string, decision: string, job: string) =>
      `Decided a sync conflict on ${field}: ${decision}${job ? ` (Keep all server values for import #${job})` : ""}`,
    serverReview: (review: string, decision: string): string =>
      `Decided merge review ${review} of the server: ${
        decision === "attach"
          ? "add the customer to one it matched"
          : decision === "merge_all"
            ? "merge all into one customer"
            : decision === "create_new"
              ? "keep it as a separate customer"
              : decision
      }`,
    createSeparate: (id: string, others: string) => `Created profile #${id} as a separate profile, kept apart from ${others}`,
    // An export's filter from its query (filterWords.ts), as the core's `filter::describe` words it.
    allProfiles: "All profiles",
    selectedOf: (n: number, of: string) => `${counted(n, "selected profile", "selected profiles")} (of: ${of})`,
    filterSearch: (text: string) => `Search “${text}”`,
    filterValue: (field: string, op: string, value: string) => `${field} ${op} ${value}`,
    filterNoValue: (field: string, op: string) => `${field} ${op}`,
    filterBetween: (field: string, op: string, from: string, to: string) => `${field} ${op} ${from} and ${to}`,
    filterLastDays: (field: string, op: string, days: string) => `${field} ${op} ${days} ${String(days) === "1" ? "day" : "days"}`,
    filterConsent: (channel: string, status: string) => `${channel} consent: ${status}`,
    consentStatus: (code: string): string => (code === "granted" ? "granted" : code === "denied" ? "denied" : code === "unknown" ? "unknown" : `${code}`),
    filterSource: (source: string) => `Source: ${source}`,
    sourceKind: (code: string): string =>
      code === "manual" ? "created by hand" : code === "file" ? "file import" : code === "paste" ? "paste" : code === "sync" ? "sync" : `${code}`,
    sourceJob: (id: number) => `import job ${id}`,
    editShared: (id: string, others: string) => `Kept profile #${id} apart from ${others} after an edit gave them the same identifier`,
  },
  {
    profileDelete: (id: string, label: string, reason: string, links: string) => `Đã xóa hồ sơ #${id} ${label} — lý do: “${reason}” (liên kết đã gỡ: ${links})`,
    profileCreate: (id: string, label: string, fields: string) => `Đã tạo hồ sơ #${id} ${label} (${fields})`,
    profileEdit: (id: string, label: string, what: string) => `Đã sửa hồ sơ #${id} ${label} (${what})`,
    profileNumber: (id: string) => `Hồ sơ #${id}`,
    consentOf: (n: number | string) => `sự đồng ý trên ${num(n)} kênh`,
    fieldsAndConsent: (fields: string, consent: string) => `${fields}; ${consent}`,
    noFields: "không có trường nào",
    fieldName: (_key: string, name: string) => `${name}`,
    link: (kind: string, _one: string, n: number) => `${num(n)} ${VI_LINKS.get(kind) ?? kind}`,
    noLinks: "không có",
    firstRun: (region: string) => `Đã thiết lập Profile Desk và trở thành quản trị viên (vùng điện thoại mặc định ${region})`,
    signInAutomatic: "Đã đăng nhập (người dùng duy nhất: không cần màn hình đăng nhập)",
    signIn: "Đã đăng nhập",
    signInFailed: (who: string, attempt: string, paused: boolean) => `Sai mật khẩu của ${who} (lần thử thứ ${attempt})${paused ? "; tạm dừng đăng nhập trong 30 giây" : ""}`,
    unlock: "Đã mở khóa phiên",
    lock: "Phiên đã bị khóa",
    signOut: "Đã đăng xuất",
    userAdd: (who: string, role: string) => `Đã thêm người dùng ${who} với vai trò ${role}`,
    userUpdate: (who: string, changes: string) => `Đã thay đổi người dùng ${who}: ${changes}`,
    userField: (key: string) => VI_USER_FIELDS.get(key) ?? `${key}`,
    userValue: (value: string) => (value === "true" ? "có" : value === "false" ? "không" : `${value}`),
    change: (what: string, before: string, after: string) => `${what} ${before} → ${after}`,
    userPassword: (who: string) => `Đã đổi mật khẩu của ${who}`,
    roleAdd: (who: string, permissions: string) => `Đã thêm vai trò ${who}: ${permissions}`,
    roleUpdate: (who: string, permissions: string) => `Đã thay đổi vai trò ${who}: ${permissions}`,
    roleDelete: (who: string) => `Đã xóa vai trò ${who}`,
    importConfirm: (file: string, rows: number | string) => `Đã xác nhận nhập tệp ${file} (${num(rows)} dòng)`,
    importUndo: (target: string) => `Đã hoàn tác lượt nhập ${target}`,
    importCancel: (target: string) => `Đã hủy lượt nhập ${target}`,
    limits: (changes: string) => `Đã thay đổi giới hạn: ${changes}`,
    limitName: (key: string) => VI_LIMITS.get(key) ?? key.replaceAll("_", " "),
    channelAdded: (label: string) => `Đã thêm kênh đồng ý ${label}`,
    channelRenamed: (before: string, after: string) => `Đã đổi tên kênh đồng ý ${before} thành ${after}`,
    channelsReordered: (order: string) => `Đã sắp xếp lại các kênh đồng ý: ${order}`,
    channelRemoved: (label: string) => `Đã bỏ kênh đồng ý ${label}`,
    channelsChanged: (change: string) => `Đã thay đổi các kênh đồng ý (${change})`,
    idleLock: (before: number | string, after: number | string) => `Đã đổi thời gian tự động khóa từ ${num(before)} thành ${num(after)} phút`,
    syncRule: (keys: string, region: string, policy: string) => `Đã thay đổi quy tắc đồng bộ hóa: so khớp theo ${keys}, vùng ${region}, ${policy}`,
    matchKey: (key: string) => VI_MATCH_KEYS.get(key) ?? `${key}`,
    policy: (code: string) => VI_POLICIES.get(code) ?? code.replaceAll("_", " "),
    auditExport: (rows: number | string) => `Đã xuất ${num(rows)} bản ghi nhật ký hoạt động`,
    exported: (rows: number | string, filter: string, destination: string) => `Đã xuất ${num(rows)} hồ sơ (${filter}) vào ${destination}`,
    exportSave: (id: string, rows: number | string, destination: string) => `Đã lưu lượt xuất ${id} (${num(rows)} hồ sơ) thành ${destination}`,
    failedRows: (rows: number | string, job: string) => `Đã lưu ${num(rows)} dòng lỗi của lượt nhập ${job}`,
    mailSent: (kind: string, job: string, recipient: string, rows: number | string) => `Đã gửi email kết quả ${kind} ${job} đến ${recipient} (đính kèm ${num(rows)} dòng)`,
    jobKind: (kind: string) => VI_JOB_KINDS.get(kind) ?? `${kind}`,
    mailAddress: (who: string, address: string) => `Đã đặt địa chỉ nhận email kết quả của ${who}: ${address}`,
    syncConnect: (server: string, user: string, device: string) => `Đã kết nối máy này với ${server} bằng tài khoản ${user} (thiết bị “${device}”)`,
    syncDisconnect: (server: string, n: number | string) => `Đã ngắt kết nối máy này khỏi ${server} (đã bỏ ${num(n)} thay đổi chưa gửi)`,
    syncPull: (profiles: number | string, deleted: number | string, consent: number | string) =>
      `Đã nhận thay đổi từ máy chủ: ${num(profiles)} hồ sơ (${num(deleted)} hồ sơ đã xóa), ${num(consent)} bản ghi đồng ý`,
    syncSettings: (minutes: number | string) => `Thay đổi từ các lượt nhập giờ chờ ${num(minutes)} phút rồi mới được gửi`,
    syncRetry: (kind: string, refusedFor: string) => `Đã gửi lại một thay đổi bị máy chủ từ chối (${kind}, lý do từ chối: ${refusedFor})`,
    syncDiscard: (kind: string, refusedFor: string) => `Đã bỏ một thay đổi bị máy chủ từ chối (${kind}, lý do từ chối: ${refusedFor})`,
    importTemplate: (columns: number | string, language: string, destination: string) => `Đã ghi tệp mẫu nhập (${num(columns)} cột, ${language}) vào ${destination}`,
    languageName: (code: string) => VI_LANGUAGES.get(code) ?? `${code}`,
    backupWrite: (profiles: number | string, target: string) => `Đã sao lưu cơ sở dữ liệu (${num(profiles)} hồ sơ) vào ${target}`,
    backupRestore: (target: string, profiles: number | string, savedAs: string) =>
      `Đã khôi phục cơ sở dữ liệu từ ${target} (${num(profiles)} hồ sơ); dữ liệu trước đó được giữ trong ${savedAs}`,
    backupRecover: (target: string, profiles: number | string, keptAs: string) =>
      `Đã thay cơ sở dữ liệu bị hỏng bằng bản sao lưu ${target} (${num(profiles)} hồ sơ); tệp bị hỏng được giữ lại tại ${keptAs}`,
    settingsBackup: (folder: string, keep: string, daily: boolean) => `Đã thay đổi cài đặt sao lưu: thư mục ${folder}, giữ ${keep} bản, sao lưu hằng ngày ${daily ? "bật" : "tắt"}`,
    reviewsDiscarded: (n: number, job: string) => `Đã bỏ ${num(n)} lượt xem xét hợp nhất đang mở của lượt nhập ${job} (lượt nhập đã được hoàn tác)`,
    reviewResolved: (review: string, what: string) => `Đã xử lý lượt xem xét hợp nhất ${review}: ${what}`,
    reviewAttached: (id: string) => `gắn vào hồ sơ #${id}`,
    reviewMergedProfiles: (ids: string, _several: boolean, id: string) => `hợp nhất hồ sơ ${ids} vào hồ sơ #${id}`,
    reviewMerged: (id: string) => `hợp nhất vào hồ sơ #${id}`,
    reviewCreated: (id: string) => `tạo hồ sơ #${id}`,
    reviewDismissed: "bỏ dữ liệu mới đến",
    profileMerge: (id: string, label: string, into: string, review: string, links: string) =>
      `Đã hợp nhất hồ sơ #${id} ${label} vào hồ sơ #${into} (lượt xem xét hợp nhất ${review}; liên kết đã chuyển: ${links})`,

    fieldKind: (code: string) => VI_KINDS.get(code) ?? `${code}`,
    fieldAdded: (label: string, kind: string, options: string, mandatory: boolean, hidden: boolean) =>
      `Đã thêm trường ${label} (${kind}${options ? `: ${options}` : ""}${mandatory ? ", bắt buộc" : ""}${hidden ? ", ẩn" : ""})`,
    fieldChanged: (name: string, changes: string) => `Đã thay đổi trường ${name}: ${changes}`,
    fieldRenamed: (before: string, after: string) => `tên ${before} → ${after}`,
    fieldKindChanged: (before: string, after: string) => `kiểu ${before} → ${after}`,
    nowMandatory: "chuyển thành bắt buộc",
    noLongerMandatory: "không còn bắt buộc",
    nowDisplayed: "trở thành cột mặc định của danh sách",
    noLongerDisplayed: "không còn là cột mặc định của danh sách",
    nowHidden: "chuyển sang ẩn",
    noLongerHidden: "không còn ẩn",
    optionsChanged: (before: string, after: string) => `lựa chọn ${listChange(before, after, "không có")}`,
    synonymsChanged: (before: string, after: string) => `tên cột khác ${listChange(before, after, "không có")}`,
    fieldsReordered: (order: string) => `Đã sắp xếp lại các trường: ${order}`,
    fieldDeleted: (name: string, values: number | string) =>
      values === 0 || values === "" ? `Đã xóa trường ${name}` : `Đã xóa trường ${name} cùng giá trị của trường này trên ${num(values)} hồ sơ`,
    fieldMandatory: (name: string, mandatory: boolean) => (mandatory ? `Đã đặt trường ${name} thành bắt buộc` : `Đã đặt trường ${name} thành không bắt buộc`),
    mailOff: "Đã tắt email (không có máy chủ thư)",
    mailSecurity: (code: string) => (code === "startTls" ? "STARTTLS" : code === "tls" ? "TLS" : code === "none" ? "không mã hóa" : `${code}`),
    mailPassword: (code: string) => (code === "changed" ? "đã đổi mật khẩu" : code === "removed" ? "đã xóa mật khẩu" : "giữ nguyên mật khẩu"),
    mailSettings: (server: string, security: string, sender: string, user: string, password: string) =>
      `Đã thay đổi cài đặt email: máy chủ ${server} (${security}), địa chỉ gửi ${sender || "không có"}, ${user ? `tên đăng nhập ${user}` : "không đăng nhập"}, ${password}`,
    mailPolicy: (domains: string, rows: number | string) =>
      `Đã thay đổi quy định nhận kết quả qua email: ${domains ? `địa chỉ thuộc ${domains}` : "mọi địa chỉ"}, ${
        rows === 0 ? "không đính kèm" : `đính kèm tối đa ${num(rows)} dòng`
      }`,
    configPart: (part: string, why: string) => `${VI_CONFIG_PARTS.get(part) ?? part} (${why})`,
    syncConfig: (version: number | string, refused: string) =>
      `Đã nhận cấu hình từ máy chủ (phiên bản ${num(version)})${refused ? `; không nhận: ${refused}` : ""}`,
    conflictDecision: (code: string) =>
      code === "kept" ? "giữ giá trị máy chủ đã giữ" : code === "lost" ? "dùng giá trị còn lại" : code === "edited" ? "nhập giá trị mới" : `${code}`,
    syncConflict: (field: string, decision: string, job: string) =>
      `Đã giải quyết xung đột đồng bộ ở trường ${field}: ${decision}${job ? ` (Giữ mọi giá trị máy chủ cho lượt nhập #${job})` : ""}`,
    serverReview: (review: string, decision: string) =>
      `Đã quyết định mục xem xét hợp nhất ${review} của máy chủ: ${
        decision === "attach"
          ? "bổ sung khách hàng vào một khách hàng trùng"
          : decision === "merge_all"
            ? "hợp nhất tất cả vào một khách hàng"
            : decision === "create_new"
              ? "giữ thành khách hàng riêng"
              : decision
      }`,
    createSeparate: (id: string, others: string) => `Đã tạo hồ sơ #${id} thành hồ sơ riêng, không gộp với ${others}`,
    allProfiles: "Tất cả hồ sơ",
    selectedOf: (n: number, of: string) => `${num(n)} hồ sơ đã chọn (trong số: ${of})`,
    filterSearch: (text: string) => `Tìm “${text}”`,
    filterValue: (field: string, op: string, value: string) => `${field} ${op} ${value}`,
    filterNoValue: (field: string, op: string) => `${field} ${op}`,
    filterBetween: (field: string, op: string, from: string, to: string) => `${field} ${op} ${from} đến ${to}`,
    filterLastDays: (field: string, op: string, days: string) => `${field} ${op} ${days} ngày qua`,
    filterConsent: (channel: string, status: string) => `Sự đồng ý qua ${channel}: ${status}`,
    consentStatus: (code: string): string => (code === "granted" ? "đồng ý" : code === "denied" ? "từ chối" : code === "unknown" ? "chưa rõ" : `${code}`),
    filterSource: (source: string) => `Nguồn: ${source}`,
    sourceKind: (code: string): string =>
      code === "manual" ? "tạo thủ công" : code === "file" ? "nhập từ tệp" : code === "paste" ? "dán dữ liệu" : code === "sync" ? "đồng bộ" : `${code}`,
    sourceJob: (id: number) => `lượt nhập ${id}`,
    editShared: (id: string, others: string) => `Đã giữ hồ sơ #${id} tách riêng với ${others} dù sau khi sửa có cùng thông tin định danh`,
  },
);
