// The audit log's words, in English and Vietnamese (read at render time: `m.title`).
// What an entry says (its summary), the chain check's explanation and user names come from the
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
