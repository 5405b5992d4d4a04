// The export folder's texts: the export dialog, the exports panel with its notices, and the
// Exports screen. Core texts (the rows' description, column labels, errors, an e-mail's
// detail) are shown as the core sends them.
import { messages } from "../i18n/messages";
import { formatCount, plural } from "../shell/format";

export const m = messages(
  "export",
  {
    // Shell: the Exports screen
    screenTitle: "Exports",

    // Export logic: job states
    statusWaiting: "Waiting",
    statusWriting: "Writing",
    statusDone: "Done",
    statusFailed: "Failed",
    statusCancelled: "Cancelled",
    // Export logic: a job's result e-mail (`detail` comes from the core)
    mailSent: (to: string) => `E-mail sent to ${to}`,
    mailYou: "you",
    mailFailed: (detail: string) => `E-mail failed: ${detail}`,
    mailServerRefused: "the server refused it",
    mailSkipped: (detail: string) => `E-mail not sent: ${detail}`,
    mailNotSetUp: "e-mail is not set up",
    // Why a result e-mail was not sent, by the core's reason (a failure keeps the server's text)
    skipNotConfigured: "e-mail is not set up: an administrator enters the SMTP server in Settings",
    skipNoAddress: "you have no address for results: set one in the user menu (E-mail for results…)",
    skipJobNotFinished: "the job did not finish, so there is no file to send",
    mailPending: "Sending the e-mail…",

    // Export dialog
    dialogTitle: "Export profiles",
    rowsLegend: "Rows",
    selectedRows: (n: number) => `The ${plural(n, "selected row", "selected rows")}`,
    selectedRowsHint: "Only the profiles ticked in the list",
    everyProfile: "Every profile of the list",
    everyProfileHint: "The current search and filter",
    fieldsLegend: "Fields",
    displayedFields: "Displayed fields",
    displayedFieldsHint: (columns: number) => `The ${plural(columns, "column", "columns")} shown in the list, in their order`,
    allFields: "All fields",
    allFieldsHint: "Every field of the catalogue, custom fields included",
    counting: "Counting…",
    exportNow: "Export…",
    startExport: "Start export",
    /** After the bold count of profiles: " profiles · 12 columns: " (then the columns' labels). */
    planAfterCount: (rows: number, columns: number) => ` ${rows === 1 ? "profile" : "profiles"} · ${plural(columns, "column", "columns")}: `,
    nothingToExport: "Nothing to export: no profile matches.",
    directNote: (limit: number) => `Up to ${plural(limit, "row is", "rows are")} written at once, to a file you choose next.`,
    backgroundNote: (limit: number) =>
      `More than ${plural(limit, "row", "rows")}: the export runs in the background. Keep working — a notification tells you when the file is ready, with Save as… and Show in folder.`,
    /** Around the user's bold address: "When it is ready, the file is e-mailed to " … " (attached, …)." */
    mailToBefore: "When it is ready, the file is e-mailed to ",
    mailToAfter: " (attached, or where it is saved when it is too large).",
    addressPlaceholder: "you@example.com",
    addressLabel: "Your e-mail address",
    addressPrompt: "To get the file by e-mail too, add your address:",
    /** Bold, before mailOffBody: said before a background export starts when no mail server is set up. */
    mailOffTitle: "The file will not be e-mailed:",
    mailOffBody:
      " no mail server is set up (an administrator adds one in Settings → E-mail). The file is only saved on this computer: when it is ready, the notification and the Exports screen offer Save as… and Show in folder.",
    exportingInBackground: (n: number) => `Exporting ${plural(n, "profile", "profiles")} in the background`,
    exportedTo: (n: number, path: string) => `Exported ${plural(n, "profile", "profiles")} to ${path}`,
    theFile: "the file",

    // Exports panel and screen
    retry: "Retry",
    savedExportTo: (path: string) => `Saved the export to ${path}`,
    saveAs: "Save as…",
    showInFolder: "Show in folder",
    panelTitle: "Exports",
    panelLabel: "Exports",
    profiles: (n: number) => plural(n, "profile", "profiles"),
    exportFallbackName: "Export",
    cancellingExport: "Cancelling the export",
    progressLabel: "Export progress",
    jobRows: (done: number, total: number) => `${formatCount(done)} / ${plural(total, "row", "rows")}`,
    dismiss: "Dismiss",
    ready: (n: number, size: string) => `${plural(n, "profile", "profiles")}, ${size}. Your export is ready.`,
    // Exports screen
    backToProfiles: "← Back to profiles",
    screenMeta: "Every export, newest first. Background exports keep their file in the exports folder.",
    /** For "Loading exports…". */
    theExports: "exports",
    couldNotLoadExports: "Could not load the exports",
    noExports: "No exports yet",
    noExportsHint: "Exports made with the Export button of the list are listed here.",
    headStarted: "Started",
    headUser: "User",
    headRowsOf: "Rows of",
    headFields: "Fields",
    headRows: "Rows",
    headSize: "Size",
    headStatus: "Status",
    headMail: "E-mail",
    fieldsAll: "All",
    fieldsDisplayed: "Displayed",
    atOnce: " · at once",
  },
  {
    // Shell: the Exports screen
    screenTitle: "Xuất dữ liệu",

    // Export logic: job states
    statusWaiting: "Đang chờ",
    statusWriting: "Đang ghi",
    statusDone: "Hoàn tất",
    statusFailed: "Thất bại",
    statusCancelled: "Đã hủy",
    // Export logic: a job's result e-mail (`detail` comes from the core)
    mailSent: (to: string) => `Đã gửi email tới ${to}`,
    mailYou: "bạn",
    mailFailed: (detail: string) => `Gửi email không thành công: ${detail}`,
    mailServerRefused: "máy chủ đã từ chối",
    mailSkipped: (detail: string) => `Chưa gửi email: ${detail}`,
    mailNotSetUp: "chưa thiết lập email",
    skipNotConfigured: "chưa thiết lập email: quản trị viên cần nhập máy chủ SMTP trong Cài đặt",
    skipNoAddress: "bạn chưa có địa chỉ nhận kết quả: hãy đặt địa chỉ trong menu người dùng (Email nhận kết quả…)",
    skipJobNotFinished: "lượt này chưa hoàn tất nên không có tệp để gửi",
    mailPending: "Đang gửi email…",

    // Export dialog
    dialogTitle: "Xuất dữ liệu hồ sơ",
    rowsLegend: "Dòng",
    selectedRows: (n: number) => `${formatCount(n)} dòng đã chọn`,
    selectedRowsHint: "Chỉ các hồ sơ được đánh dấu trong danh sách",
    everyProfile: "Mọi hồ sơ trong danh sách",
    everyProfileHint: "Theo tìm kiếm và bộ lọc hiện tại",
    fieldsLegend: "Trường",
    displayedFields: "Trường đang hiển thị",
    displayedFieldsHint: (columns: number) => `${formatCount(columns)} cột đang hiển thị trong danh sách, theo đúng thứ tự`,
    allFields: "Tất cả trường",
    allFieldsHint: "Mọi trường trong danh mục trường, kể cả trường tùy chỉnh",
    counting: "Đang đếm…",
    exportNow: "Xuất…",
    startExport: "Bắt đầu xuất",
    planAfterCount: (_rows: number, columns: number) => ` hồ sơ · ${formatCount(columns)} cột: `,
    nothingToExport: "Không có gì để xuất: không có hồ sơ nào phù hợp.",
    directNote: (limit: number) => `Tối đa ${formatCount(limit)} dòng được ghi ngay vào tệp bạn chọn ở bước tiếp theo.`,
    backgroundNote: (limit: number) =>
      `Hơn ${formatCount(limit)} dòng: việc xuất dữ liệu sẽ chạy nền. Bạn cứ tiếp tục làm việc — một thông báo sẽ cho biết khi tệp sẵn sàng, kèm Lưu thành… và Hiện trong thư mục.`,
    mailToBefore: "Khi xong, tệp sẽ được gửi qua email tới ",
    mailToAfter: " (đính kèm, hoặc nơi lưu tệp nếu tệp quá lớn).",
    addressPlaceholder: "ban@example.com",
    addressLabel: "Địa chỉ email của bạn",
    addressPrompt: "Để nhận cả tệp qua email, hãy thêm địa chỉ của bạn:",
    mailOffTitle: "Tệp sẽ không được gửi qua email:",
    mailOffBody:
      " chưa thiết lập máy chủ thư (quản trị viên thiết lập trong Cài đặt → Email). Tệp chỉ được lưu trên máy tính này: khi tệp sẵn sàng, thông báo và màn hình Xuất dữ liệu sẽ có Lưu thành… và Hiện trong thư mục.",
    exportingInBackground: (n: number) => `Đang xuất ${formatCount(n)} hồ sơ ở chế độ chạy nền`,
    exportedTo: (n: number, path: string) => `Đã xuất ${formatCount(n)} hồ sơ vào ${path}`,
    theFile: "tệp",

    // Exports panel and screen
    retry: "Thử lại",
    savedExportTo: (path: string) => `Đã lưu tệp xuất vào ${path}`,
    saveAs: "Lưu thành…",
    showInFolder: "Hiện trong thư mục",
    panelTitle: "Xuất dữ liệu",
    panelLabel: "Xuất dữ liệu",
    profiles: (n: number) => `${formatCount(n)} hồ sơ`,
    exportFallbackName: "Tệp xuất",
    cancellingExport: "Đang hủy việc xuất dữ liệu",
    progressLabel: "Tiến độ xuất dữ liệu",
    jobRows: (done: number, total: number) => `${formatCount(done)} / ${formatCount(total)} dòng`,
    dismiss: "Đóng",
    ready: (n: number, size: string) => `${formatCount(n)} hồ sơ, ${size}. Tệp xuất của bạn đã sẵn sàng.`,
    // Exports screen
    backToProfiles: "← Quay lại danh sách hồ sơ",
    screenMeta: "Mọi lượt xuất, mới nhất ở trên. Lượt xuất chạy nền giữ tệp trong thư mục xuất dữ liệu.",
    theExports: "các lượt xuất",
    couldNotLoadExports: "Không tải được các lượt xuất",
    noExports: "Chưa có lượt xuất nào",
    noExportsHint: "Các lượt xuất thực hiện bằng nút Xuất dữ liệu của danh sách được liệt kê tại đây.",
    headStarted: "Bắt đầu",
    headUser: "Người dùng",
    headRowsOf: "Phạm vi",
    headFields: "Trường",
    headRows: "Dòng",
    headSize: "Dung lượng",
    headStatus: "Trạng thái",
    headMail: "Email",
    fieldsAll: "Tất cả",
    fieldsDisplayed: "Đang hiển thị",
    atOnce: " · ghi ngay",
  },
);
