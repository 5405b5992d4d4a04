// The shell's sentences: the top bar, start-up, About, the sync chip, the notices, the labels
// format.ts gives codes. (Cancel, Close, Save, Try again…: ../i18n/common.ts.)
import { messages } from "../i18n/messages";
import { formatCount, formatDateTime, plural } from "./format";

export const m = messages(
  "shell",
  {
    // Start-up (boot.ts; the static frame of ui/index.html)
    opening: "Opening Profile Desk…",
    couldNotStart: "Profile Desk could not start",

    // The top bar and the app frame (app.ts)
    requiresPermission: (permission: string) => `Requires the ${permission} permission`,
    dropTitle: "Drop Excel files to import them",
    dropHint: ".xlsx, one sheet each",
    createProfile: "Create new Profile",
    createIndividually: "Create individually",
    createIndividuallyHint: "Fill in one profile by hand",
    uploadFile: "Upload file",
    uploadFileHint: "Import profiles from .xlsx files",
    pasteData: "Paste data",
    pasteDataHint: "Paste rows copied from a spreadsheet",
    /** The badge of a development build (a marker for developers, kept short). */
    devBadge: "DEV",
    devTitle: (path: string) => `Development data: ${path}`,
    demoBadge: "Demo data",
    demoTitle: (path: string) => `Generated profiles in a separate database: ${path}`,
    signedInAs: (user: string, version: string) => `Signed in as ${user} · Profile Desk ${version}`,
    aboutButton: "About",
    aboutButtonTitle: "Version, data folder and licences",
    demoStripTitle: "Demo data. ",
    demoStripText:
      "These are generated profiles in a separate database, for trying Profile Desk out. Your own profiles are not here, and nothing you do here touches them.",
    noViewTitle: "Your role cannot see profiles",
    noViewText: "It lacks the profile.view permission. Ask an administrator for a role that has it.",
    openingDemo: "Opening the demo in its own window…",
    noImportPermission: "You do not have permission to import profiles (profile.import)",
    closePasteFirst: "Close Paste data first to import the dropped files",
    finishProfileFirst: "Finish or cancel the new profile first to import the dropped files",

    // About (about.ts)
    packageSummary: (crates: number, npm: number) =>
      `${plural(crates, "Rust crate", "Rust crates")} and ${plural(npm, "npm package", "npm packages")}`,
    developmentBuild: "Development build",
    releaseBuild: "Release build",
    licencesTitle: "Open-source licences",
    licencesIntro: "Profile Desk is built with open-source software. Their licences and notices are listed here.",
    showLicences: "Show licences",
    aboutTitle: (product: string) => `About ${product}`,
    version: (version: string) => `Version ${version}`,
    publisher: "Publisher",
    build: "Build",
    data: "Data",
    demoData: "Demo data — generated profiles in a separate database",
    yourProfiles: "Your profiles",
    databaseFile: "Database file",
    encryption: "Encryption",
    loadingLicences: "Loading the licences…",
    licencesFailed: (error: string) => `The licences could not be loaded: ${error}`,
    choosePackage: "Choose a package to read its licence.",
    licence: (licence: string) => `Licence: ${licence}`,
    noLicenceFile: (licence: string) => `The package ships no licence file; it is distributed under ${licence}.`,
    noPackageMatches: "No package matches.",
    filterPlaceholder: "Filter by name or licence",
    filterLabel: "Filter the packages",
    inside: (summary: string) => `Inside Profile Desk: ${summary}.`,

    // Toasts (toast.ts)
    dismiss: "Dismiss",

    // Leaving a form something was typed into (confirmDialog.ts confirmDiscard)
    discardTitle: "Discard your changes?",
    discardChanges: "Discard changes",
    keepEditing: "Keep editing",

    // The keyboard shortcuts and their sheet (shortcuts.ts; `?` opens it)
    shortcutsTitle: "Keyboard shortcuts",
    shortcutsIntro: "They work when no dialog is open. While you type in a field, only Ctrl+N and Ctrl+S do.",
    keyCtrl: "Ctrl",
    keyDelete: "Delete",
    keyEscape: "Esc",
    keyOr: "or",
    shortcutNew: "New profile (Create individually)",
    shortcutSave: "Save the profile you are editing",
    shortcutDelete: "Delete the selected profiles in the list",
    shortcutUndo: "Undo the last import (on the import report)",
    shortcutSearch: "Search the list",
    shortcutEscape: "Close the dialog or screen, or go back",
    shortcutSheet: "Show these shortcuts",

    // Dates and the labels of codes (format.ts); the parts are zero-padded numbers
    dateTime: (year: string, month: string, day: string, time: string) => `${year}-${month}-${day} ${time}`,
    sourceManual: "Manual",
    sourceFile: (file: string) => `File import: ${file}`,
    sourceFileJob: (file: string, job: number) => `File import: ${file} (job ${job})`,
    sourcePaste: "Paste",
    sourcePasteJob: (job: number) => `Paste (job ${job})`,
    sourceSync: "Sync",
    keyPhone: "phone",
    keyEmail: "e-mail",
    keyCustomerCode: "customer code",
    consentGranted: "Granted",
    consentDenied: "Denied",
    consentUnknown: "Unknown",

    // The daily backup's chip in the top bar while it runs (backupChip.ts)
    backupRunning: "Backing up…",
    backupRunningTitle: "The daily backup is being made and checked. You can go on working.",

    // The sync chip in the top bar and its tooltip (syncChip.ts)
    justNow: "just now",
    minutesAgo: (minutes: number) => `${minutes} min ago`,
    hoursAgo: (hours: number) => `${hours} h ago`,
    daysAgo: (days: number) => `${plural(days, "day", "days")} ago`,
    now: "now",
    inSeconds: (seconds: number) => `in ${seconds} s`,
    inMinutes: (minutes: number) => `in ${minutes} min`,
    minutes: (minutes: number) => `${minutes} min`,
    hours: (hours: number) => `${hours} h`,
    days: (days: number) => plural(days, "day", "days"),
    theServer: "the server",
    connectedAs: (server: string, user: string) => `Connected to ${server} as ${user}`,
    syncPaused: "Sync paused",
    syncPausedTitle: (where: string) => `${where}. Sync is paused; changes wait here.`,
    waitingSuffix: (n: number) => ` · ${formatCount(n)} waiting`,
    nextTry: (when: string) => `, next try ${when}`,
    offline: (waiting: string) => `Offline${waiting}`,
    offlineTitle: (problem: string, pending: number, next: string) =>
      `${problem}. ${pending > 0 ? `${plural(pending, "change", "changes")} waiting: they` : "Changes"} go up when the server can be reached${next}.`,
    signInAgain: "Sign in again",
    signInAgainTitle: (problem: string) => `${problem}. Disconnect and connect again in Settings → Remote CDP.`,
    serverBusy: (when: string | null) => `Server busy${when ? ` · ${when}` : ""}`,
    syncProblem: "Sync problem",
    clockOff: (off: string) => `Clock ${off} off`,
    clockOffTitle: (where: string, off: string) =>
      `${where}. Your computer's clock is ${off} off: set its date and time; edits made at the same time as a colleague's are ordered by the clocks.`,
    firstSync: "First sync…",
    firstSyncTitle: (where: string) => `${where}. The first sync is in progress.`,
    conflicts: (n: number) => plural(n, "conflict", "conflicts"),
    conflictsTitle: (where: string, n: number) => `${where}. ${plural(n, "conflict", "conflicts")} to review: click to open conflict review.`,
    refused: (n: number) => `${formatCount(n)} refused`,
    refusedTitle: (where: string, n: number) =>
      `${where}. ${plural(n, "change was", "changes were")} refused by the server: see why, and try again, in Settings → Remote CDP.`,
    waiting: (n: number) => `${formatCount(n)} waiting`,
    waitingTitle: (where: string, n: number) => `${where}. ${plural(n, "change", "changes")} waiting: they go up in a moment.`,
    notSynced: "Not synced yet",
    heldForUndo: (n: number) => ` ${plural(n, "imported change waits", "imported changes wait")} for the undo window.`,
    synced: (ago: string) => `Synced · ${ago}`,
    syncedTitle: (where: string, lastSync: string, held: string) => `${where}. Last sync: ${lastSync}.${held}`,
    uploading: (sent: number, toSend: number) => `Uploading ${formatCount(sent)} / ${formatCount(toSend)}`,
    uploadingTitle: (server: string, sent: number, toSend: number) =>
      `Sending changes to ${server}: ${formatCount(sent)} of ${formatCount(toSend)} sent. You can keep working.`,
    downloadingOf: (done: number, total: number) => `Downloading ${formatCount(done)} / ${formatCount(total)}`,
    downloadingOfTitle: (server: string, done: number, total: number) =>
      `Receiving the profiles of ${server}: ${formatCount(done)} of ${plural(total, "profile", "profiles")} so far. You can keep working.`,
    downloading: (done: number) => `Downloading ${formatCount(done)}`,
    downloadingTitle: (server: string, done: number) =>
      `Receiving the profiles of ${server}: ${plural(done, "profile", "profiles")} so far. You can keep working.`,
  },
  {
    // Khởi động
    opening: "Đang mở Profile Desk…",
    couldNotStart: "Không khởi động được Profile Desk",

    // Thanh trên cùng và khung ứng dụng
    requiresPermission: (permission: string) => `Cần quyền ${permission}`,
    dropTitle: "Thả tệp Excel vào đây để nhập",
    dropHint: ".xlsx, mỗi tệp một trang tính",
    createProfile: "Tạo hồ sơ mới",
    createIndividually: "Tạo thủ công",
    createIndividuallyHint: "Tự điền thông tin cho một hồ sơ",
    uploadFile: "Tải tệp lên",
    uploadFileHint: "Nhập hồ sơ từ tệp .xlsx",
    pasteData: "Dán dữ liệu",
    pasteDataHint: "Dán các dòng sao chép từ bảng tính",
    devBadge: "DEV",
    devTitle: (path: string) => `Dữ liệu phát triển: ${path}`,
    demoBadge: "Dữ liệu dùng thử",
    demoTitle: (path: string) => `Hồ sơ được tạo tự động trong một cơ sở dữ liệu riêng: ${path}`,
    signedInAs: (user: string, version: string) => `Đã đăng nhập với tên ${user} · Profile Desk ${version}`,
    aboutButton: "Giới thiệu",
    aboutButtonTitle: "Phiên bản, thư mục dữ liệu và giấy phép",
    demoStripTitle: "Dữ liệu dùng thử. ",
    demoStripText:
      "Đây là các hồ sơ được tạo tự động trong một cơ sở dữ liệu riêng để bạn dùng thử Profile Desk. Hồ sơ thật của bạn không nằm ở đây và mọi thao tác ở đây đều không ảnh hưởng đến chúng.",
    noViewTitle: "Vai trò của bạn không được xem hồ sơ",
    noViewText: "Vai trò này thiếu quyền profile.view. Hãy đề nghị quản trị viên cấp cho bạn một vai trò có quyền này.",
    openingDemo: "Đang mở bản dùng thử trong một cửa sổ riêng…",
    noImportPermission: "Bạn không có quyền nhập hồ sơ (profile.import)",
    closePasteFirst: "Hãy đóng Dán dữ liệu trước để nhập các tệp vừa thả",
    finishProfileFirst: "Hãy hoàn tất hoặc hủy hồ sơ mới trước để nhập các tệp vừa thả",

    // Giới thiệu
    packageSummary: (crates: number, npm: number) => `${formatCount(crates)} crate Rust và ${formatCount(npm)} gói npm`,
    developmentBuild: "Bản phát triển",
    releaseBuild: "Bản phát hành",
    licencesTitle: "Giấy phép mã nguồn mở",
    licencesIntro: "Profile Desk được xây dựng bằng phần mềm mã nguồn mở. Giấy phép và thông báo của chúng được liệt kê tại đây.",
    showLicences: "Xem giấy phép",
    aboutTitle: (product: string) => `Giới thiệu ${product}`,
    version: (version: string) => `Phiên bản ${version}`,
    publisher: "Nhà phát hành",
    build: "Bản dựng",
    data: "Dữ liệu",
    demoData: "Dữ liệu dùng thử — hồ sơ được tạo tự động trong một cơ sở dữ liệu riêng",
    yourProfiles: "Hồ sơ của bạn",
    databaseFile: "Tệp cơ sở dữ liệu",
    encryption: "Mã hóa",
    loadingLicences: "Đang tải giấy phép…",
    licencesFailed: (error: string) => `Không tải được giấy phép: ${error}`,
    choosePackage: "Chọn một gói để đọc giấy phép của gói đó.",
    licence: (licence: string) => `Giấy phép: ${licence}`,
    noLicenceFile: (licence: string) => `Gói này không kèm tệp giấy phép; gói được phân phối theo ${licence}.`,
    noPackageMatches: "Không có gói nào phù hợp.",
    filterPlaceholder: "Lọc theo tên hoặc giấy phép",
    filterLabel: "Lọc các gói",
    inside: (summary: string) => `Bên trong Profile Desk: ${summary}.`,

    // Thông báo
    dismiss: "Đóng",

    // Rời một biểu mẫu đã nhập dữ liệu
    discardTitle: "Bỏ các thay đổi?",
    discardChanges: "Bỏ thay đổi",
    keepEditing: "Tiếp tục chỉnh sửa",

    // Phím tắt
    shortcutsTitle: "Phím tắt",
    shortcutsIntro: "Phím tắt hoạt động khi không có hộp thoại nào đang mở. Khi bạn đang nhập vào một ô, chỉ Ctrl+N và Ctrl+S hoạt động.",
    keyCtrl: "Ctrl",
    keyDelete: "Delete",
    keyEscape: "Esc",
    keyOr: "hoặc",
    shortcutNew: "Hồ sơ mới (Tạo thủ công)",
    shortcutSave: "Lưu hồ sơ đang sửa",
    shortcutDelete: "Xóa các hồ sơ đang chọn trong danh sách",
    shortcutUndo: "Hoàn tác lượt nhập gần nhất (trong báo cáo nhập)",
    shortcutSearch: "Tìm trong danh sách",
    shortcutEscape: "Đóng hộp thoại hoặc màn hình, hoặc quay lại",
    shortcutSheet: "Xem các phím tắt này",

    // Ngày giờ (dd/mm/yyyy) và nhãn của các mã
    dateTime: (year: string, month: string, day: string, time: string) => `${day}/${month}/${year} ${time}`,
    sourceManual: "Thủ công",
    sourceFile: (file: string) => `Nhập từ tệp: ${file}`,
    sourceFileJob: (file: string, job: number) => `Nhập từ tệp: ${file} (tác vụ ${job})`,
    sourcePaste: "Dán dữ liệu",
    sourcePasteJob: (job: number) => `Dán dữ liệu (tác vụ ${job})`,
    sourceSync: "Đồng bộ",
    keyPhone: "số điện thoại",
    keyEmail: "email",
    keyCustomerCode: "mã khách hàng",
    consentGranted: "Đồng ý",
    consentDenied: "Từ chối",
    consentUnknown: "Chưa rõ",

    // Sao lưu hằng ngày đang chạy
    backupRunning: "Đang sao lưu…",
    backupRunningTitle: "Bản sao lưu hằng ngày đang được tạo và kiểm tra. Bạn vẫn làm việc bình thường.",

    // Trạng thái đồng bộ
    justNow: "vừa xong",
    minutesAgo: (minutes: number) => `${minutes} phút trước`,
    hoursAgo: (hours: number) => `${hours} giờ trước`,
    daysAgo: (days: number) => `${formatCount(days)} ngày trước`,
    now: "ngay bây giờ",
    inSeconds: (seconds: number) => `sau ${seconds} giây`,
    inMinutes: (minutes: number) => `sau ${minutes} phút`,
    minutes: (minutes: number) => `${minutes} phút`,
    hours: (hours: number) => `${hours} giờ`,
    days: (days: number) => `${formatCount(days)} ngày`,
    theServer: "máy chủ",
    connectedAs: (server: string, user: string) => `Đã kết nối với ${server} bằng tài khoản ${user}`,
    syncPaused: "Đã tạm dừng đồng bộ",
    syncPausedTitle: (where: string) => `${where}. Đồng bộ đang tạm dừng; các thay đổi được giữ lại trên máy này.`,
    waitingSuffix: (n: number) => ` · ${formatCount(n)} đang chờ`,
    nextTry: (when: string) => `, thử lại ${when}`,
    offline: (waiting: string) => `Mất kết nối${waiting}`,
    offlineTitle: (problem: string, pending: number, next: string) =>
      `${problem}. ${pending > 0 ? `${formatCount(pending)} thay đổi đang chờ: chúng` : "Các thay đổi"} sẽ được gửi lên khi kết nối được với máy chủ${next}.`,
    signInAgain: "Cần đăng nhập lại",
    signInAgainTitle: (problem: string) => `${problem}. Hãy ngắt kết nối rồi kết nối lại trong Cài đặt → CDP từ xa.`,
    serverBusy: (when: string | null) => `Máy chủ bận${when ? ` · ${when}` : ""}`,
    syncProblem: "Lỗi đồng bộ",
    clockOff: (off: string) => `Đồng hồ lệch ${off}`,
    clockOffTitle: (where: string, off: string) =>
      `${where}. Đồng hồ của máy tính này lệch ${off}: hãy chỉnh lại ngày giờ; các chỉnh sửa cùng lúc với đồng nghiệp được sắp xếp theo đồng hồ.`,
    firstSync: "Đồng bộ lần đầu…",
    firstSyncTitle: (where: string) => `${where}. Đang đồng bộ lần đầu.`,
    conflicts: (n: number) => `${formatCount(n)} xung đột`,
    conflictsTitle: (where: string, n: number) => `${where}. ${formatCount(n)} xung đột cần xem xét: bấm để mở xem xét xung đột.`,
    refused: (n: number) => `${formatCount(n)} bị từ chối`,
    refusedTitle: (where: string, n: number) =>
      `${where}. ${formatCount(n)} thay đổi bị máy chủ từ chối: xem lý do và thử lại trong Cài đặt → CDP từ xa.`,
    waiting: (n: number) => `${formatCount(n)} đang chờ`,
    waitingTitle: (where: string, n: number) => `${where}. ${formatCount(n)} thay đổi đang chờ: sẽ được gửi lên trong giây lát.`,
    notSynced: "Chưa đồng bộ",
    heldForUndo: (n: number) => ` ${formatCount(n)} thay đổi từ lượt nhập đang chờ hết thời gian hoàn tác.`,
    synced: (ago: string) => `Đã đồng bộ · ${ago}`,
    syncedTitle: (where: string, lastSync: string, held: string) => `${where}. Lần đồng bộ gần nhất: ${formatDateTime(lastSync)}.${held}`,
    uploading: (sent: number, toSend: number) => `Đang gửi lên ${formatCount(sent)} / ${formatCount(toSend)}`,
    uploadingTitle: (server: string, sent: number, toSend: number) =>
      `Đang gửi thay đổi lên ${server}: đã gửi ${formatCount(sent)} / ${formatCount(toSend)}. Bạn có thể tiếp tục làm việc.`,
    downloadingOf: (done: number, total: number) => `Đang tải về ${formatCount(done)} / ${formatCount(total)}`,
    downloadingOfTitle: (server: string, done: number, total: number) =>
      `Đang nhận hồ sơ từ ${server}: đã nhận ${formatCount(done)} / ${formatCount(total)} hồ sơ. Bạn có thể tiếp tục làm việc.`,
    downloading: (done: number) => `Đang tải về ${formatCount(done)}`,
    downloadingTitle: (server: string, done: number) =>
      `Đang nhận hồ sơ từ ${server}: đã nhận ${formatCount(done)} hồ sơ. Bạn có thể tiếp tục làm việc.`,
  },
);

/** "10 digits", "9 to 11 digits" (a phone's expected length). */
function digitCount(min: number, max: number): string {
  return min === max ? plural(min, "digit", "digits") : `${formatCount(min)} to ${formatCount(max)} digits`;
}

/** "10 chữ số", "9 đến 11 chữ số". */
function digitCountVi(min: number, max: number): string {
  return min === max ? `${formatCount(min)} chữ số` : `${formatCount(min)} đến ${formatCount(max)} chữ số`;
}

/**
 * Validation errors (the core's FieldError) in the UI's language, from their code and params:
 * fieldErrors.ts picks the sentence. The English follows the core's own message (crates/rule,
 * crates/core), so the CLI and the app say the same; `label` is the field as the form names it.
 */
export const fe = messages(
  "field-errors",
  {
    // A phone (crates/normalize/src/phone.rs: PhoneProblem)
    notAPhone: (value: string, reason: string) => `“${value}” is not a phone number: ${reason}`,
    phoneEmpty: "it is empty",
    phoneLetters: "it contains letters",
    phoneOtherCharacters: "it contains characters other than digits and separators",
    phoneNoDigits: "it has no digits",
    phoneOldPrefix: (prefix: string) =>
      `it has the 11 digits of a mobile number from before 2018, but ${prefix} is not one of the old prefixes that were converted to 10 digits`,
    phoneTooShort: (typed: number, kind: string, place: string, expected: string) =>
      `it is too short: ${plural(typed, "digit", "digits")}, where a ${kind} in ${place} has ${expected}`,
    phoneTooLong: (typed: number, kind: string, place: string, expected: string) =>
      `it is too long: ${plural(typed, "digit", "digits")}, where a ${kind} in ${place} has ${expected}`,
    phoneSeveral: "; if these are several numbers, put a slash or a semicolon between them",
    phoneForeign: "; write a foreign number with + and its country code",
    phoneNotInPlan: (place: string) => `it does not fit the numbering plan of ${place}; write a foreign number with + and its country code`,
    phoneUnknownPlan: "the country code or the length does not fit any known numbering plan",
    kindLandline: "landline",
    kindMobile: "mobile number",
    kindNumber: "number",
    placeNational: (region: string, iso: string) => `${region} (region ${iso})`,
    placeIntl: (region: string, callingCode: string) => `${region} (+${callingCode})`,
    digitsWithTrunk: (min: number, max: number, trunk: string) => `${digitCount(min, max)} with its leading ${trunk}`,
    digitsAfterCode: (min: number, max: number, callingCode: string) => `${digitCount(min, max)} after +${callingCode}`,
    digits: (min: number, max: number) => digitCount(min, max),

    // An e-mail address (crates/normalize/src/email.rs: EmailProblem)
    notAnEmail: (value: string, reason: string) => `“${value}” is not a valid e-mail address: ${reason}`,
    emailEmpty: "it is empty",
    emailTooLong: (max: number) => `it is longer than ${plural(max, "character", "characters")}`,
    emailSpaces: "it contains spaces",
    emailNoAt: "it has no @",
    emailBadLocalPart: "the part before @ is empty, too long or has another @",
    emailMisplacedDot: "the part before @ has a misplaced dot",
    emailNoDotInDomain: "the domain after @ has no dot",
    emailBadDomain: "the domain after @ is not valid",
    resultAddress: (sentence: string) => `${sentence}: type the address results should be e-mailed to`,
    senderNotAnEmail: (value: string) => `“${value}” is not an e-mail address`,

    // A profile's values (crates/rule/src/validate.rs)
    severalValues: (label: string, given: number) => `${label} holds one value, but ${formatCount(given)} were given`,
    unknownField: (key: string) => `There is no field “${key}”`,
    readOnly: (label: string) => `${label} is set by the app`,
    identificationRequired: "A profile needs at least one identifier: full name, phone or e-mail",
    required: (label: string) => `${label} is mandatory`,
    requiredNoLabel: "This is mandatory",
    tooManyValues: (label: string, max: number, given: number) =>
      `${label} holds at most ${plural(max, "value", "values")} (${formatCount(given)} given)`,
    invalidOption: (value: string, label: string) => `“${value}” is not one of the options of ${label}`,
    tooLong: (label: string, max: number) => `${label} is limited to ${plural(max, "character", "characters")}`,
    tooLongGiven: (label: string, max: number, given: number) =>
      `${label} can have at most ${plural(max, "character", "characters")} (it has ${formatCount(given)})`,
    tooLongNoLabel: (max: number) => `At most ${plural(max, "character", "characters")}`,
    invalidNumber: (value: string) => `“${value}” is not a number`,
    invalidBoolean: (value: string) => `“${value}” is not yes or no`,
    blockedValue: (value: string) =>
      `“${value}” is on the list of blocked values: it never identifies a person (Settings → Synchronization rule)`,
    identifierLimitPhones: (max: number, given: number) =>
      `A profile holds at most ${plural(max, "phone", "phones")} (Settings → Synchronization rule); this one has ${formatCount(given)}`,
    identifierLimitEmails: (max: number, given: number) =>
      `A profile holds at most ${plural(max, "e-mail", "e-mails")} (Settings → Synchronization rule); this one has ${formatCount(given)}`,
    sharedIdentifier: (value: string, profile: string, id: string) =>
      `${value} already belongs to ${profile} (#${id}): choose to keep both profiles, or open the other one`,

    // Merge review's picks (crates/core/src/profiles/review/resolve.rs)
    notPickable: (key: string) => `“${key}” is not a single-value field: list fields are combined, not picked`,
    emptyPick: (label: string) => `The value picked for ${label} is empty; pick a column that has one`,
    unknownPick: (label: string, id: string) => `The value for ${label} is picked from profile #${id}, which is not a live candidate`,

    // Deleting profiles (crates/core/src/profiles/delete.rs)
    reasonRequired: "Enter the reason for deleting (it is kept in the audit log)",
    profilesRequired: "Select at least one profile to delete",

    // Names, lists and numbers of Settings and segments
    duplicate: (value: string) => `There is already one named “${value}”`,
    optionListedTwice: (value: string) => `The option “${value}” is listed twice`,
    matchKeyListedTwice: (key: string) => `The match key ${key} is listed twice`,
    between: (label: string, min: string, max: string) => `${label} must be between ${min} and ${max}`,
    betweenGiven: (label: string, min: string, max: string, value: string) => `${label} must be between ${min} and ${max} (you entered ${value})`,
    betweenNoLabel: (min: string, max: string) => `Enter a number between ${min} and ${max}`,
    megabytes: (n: number) => `${formatCount(n)} MB`,
    rows: (n: number) => (n === 1 ? "1 row" : `${formatCount(n)} rows`),
    tooMany: (max: number) => `There can be at most ${formatCount(max)}`,
    blockedTooLong: (max: number, value: string) => `A blocked value has at most ${plural(max, "character", "characters")}: “${value}”`,
    blockedTooMany: (max: number) => `The list holds at most ${plural(max, "blocked value", "blocked values")}`,
    optionsTooMany: (max: number) => `A select field can have at most ${plural(max, "option", "options")}`,
    synonymsTooMany: (label: string, max: number) => `${label} can have at most ${plural(max, "synonym", "synonyms")}`,
    synonymTooLong: (max: number) => `A synonym can have at most ${plural(max, "character", "characters")}`,
    fieldsTooMany: (max: number) => `A catalogue can have at most ${plural(max, "custom field", "custom fields")}`,
    optionsRequired: (label: string) => `${label} needs at least one option to choose from`,
    matchKeysRequired: "Choose at least one match key",
    permissionsRequired: "Give the role at least one permission",
    segmentNameRequired: "Give the segment a name",
    senderRequired: "Give the sender address the e-mails come from",
    kindLocked: (label: string) => `${label} is built in: its type is fixed`,
    kindInUse: (label: string, count: number) =>
      `${label} holds values on ${formatCount(count)} ${count === 1 ? "profile" : "profiles"}: its type cannot change`,
    unknownKind: "A custom field is text, long text, number, date, yes/no, single-select or multi-select",
    identifierHidden: (label: string) => `${label} identifies profiles and cannot be hidden`,
    systemMandatory: (label: string) => `${label} is set by the app`,
    hiddenMandatory: (label: string) => `${label} is hidden, so it cannot be mandatory`,
    emptyOption: (max: number) => `Every option needs a name of 1 to ${plural(max, "character", "characters")}`,
    optionInUse: (value: string, count: number) =>
      `The option “${value}” is used by ${formatCount(count)} ${count === 1 ? "profile" : "profiles"}; it cannot be removed (rename it instead)`,
    synonymTaken: (value: string, other: string) => `“${value}” already means ${other} in the mapping; a column name can mean one field only`,
    unknownLimit: (value: string) => `There is no limit “${value}”`,
    unknownRegion: (value: string) => `Unknown phone region “${value}”`,
    invalidTime: (value: string) => `“${value}” is not a date and time`,

    // The field catalogue as a whole (crates/rule/src/catalogue.rs)
    catalogueDuplicate: (key: string) => `The catalogue has two fields with the key ${key}`,
    builtinChanged: (key: string) => `The built-in field ${key} keeps its kind and stays built-in`,
    notBuiltin: (key: string) => `${key} is not a built-in field: mark it as custom`,
    badKey: (key: string, max: number) =>
      `The key “${key}” must be lower-case letters, digits and _, starting with a letter, at most ${plural(max, "character", "characters")}`,
    badLabel: (key: string, max: number) => `The name of ${key} must have 1 to ${plural(max, "character", "characters")}`,
    catalogueOptions: (max: number) => `A select field has 1 to ${plural(max, "option", "options")}`,
    optionValues: (key: string) => `The options of ${key} need distinct, non-empty values`,
    catalogueSynonyms: (key: string, max: number) => `${key} can have at most ${plural(max, "synonym", "synonyms")}`,
    builtinRemoved: (key: string) => `The built-in field ${key} cannot be removed`,

    // Users, roles, sign-in (crates/core/src/users.rs)
    passwordTooShort: (min: number) => `A password needs at least ${plural(min, "character", "characters")}`,
    passwordTooLong: (max: number) => `A password can have at most ${plural(max, "character", "characters")}`,
    sameAsName: "The password cannot be the user name",
    wrongPassword: "The current password is wrong",
    invalidName: (label: string, min: number, max: number) => `${label} must have ${formatCount(min)} to ${plural(max, "character", "characters")}`,
    invalidNameNoLabel: (min: number, max: number) => `A name must have ${formatCount(min)} to ${plural(max, "character", "characters")}`,
    controlCharacters: "A user name cannot hold control characters",
    unknownPermission: (value: string) => `There is no permission “${value}”`,

    // E-mail settings (crates/core/src/mail/)
    invalidHost: (value: string) => `“${value}” is not a server name or address`,
    invalidPort: "Choose the server's port (1–65535)",
    invalidUserName: "The user name is not valid",
    encryptionRequired: (host: string) =>
      `E-mails carry customers' data: choose STARTTLS or TLS for ${host} (only a server on this computer, localhost, may be used without encryption)`,
    domainNotAllowed: (allowed: string, address: string, domain: string) =>
      `Results may only be e-mailed to addresses at ${allowed} (an administrator's rule, Settings → E-mail); ${address} is at ${domain}. Set your address at an allowed domain (user menu → E-mail for results…), or ask an administrator.`,
    invalidDomain: (value: string) => `“${value}” is not a domain: write domains like congty.vn, one per line or separated by commas`,

    // Sync (crates/core/src/sync/)
    invalidPin: (value: string) => `“${value}” is not a certificate pin: expected sha256/ and 44 characters of base64, as pdesk-server prints it`,

    // The list's filter conditions (crates/core/src/filter.rs)
    inFilter: (label: string, sentence: string) => `${label}: ${sentence}`,
    valueRequired: (label: string) => `Enter a value to compare ${label} with`,
    lettersRequired: (label: string) => `Enter letters or digits to compare ${label} with`,
    digitsRequired: (label: string) => `Enter digits to look for in ${label}`,
    invalidDays: (value: string, min: number, max: number) => `“${value}” is not a number of days (${formatCount(min)} to ${formatCount(max)})`,
    unsupportedOperator: (label: string) => `${label} cannot be filtered this way`,
    unknownChannel: (value: string) => `There is no consent channel “${value}”`,
    unknownJob: (value: string) => `There is no import job ${value}`,

    /** More errors than the first (a toast, a banner). */
    andMore: (first: string, more: number) => `${first} (and ${formatCount(more)} more ${more === 1 ? "problem" : "problems"})`,
  },
  {
    notAPhone: (value: string, reason: string) => `“${value}” không phải là số điện thoại: ${reason}`,
    phoneEmpty: "chưa nhập gì",
    phoneLetters: "có chữ cái",
    phoneOtherCharacters: "có ký tự không phải chữ số hay dấu phân cách",
    phoneNoDigits: "không có chữ số nào",
    phoneOldPrefix: (prefix: string) =>
      `số có 11 chữ số như số di động trước năm 2018, nhưng ${prefix} không phải là đầu số cũ nào đã được chuyển sang 10 chữ số`,
    phoneTooShort: (typed: number, kind: string, place: string, expected: string) =>
      `số quá ngắn: ${formatCount(typed)} chữ số, trong khi ${kind} ở ${place} có ${expected}`,
    phoneTooLong: (typed: number, kind: string, place: string, expected: string) =>
      `số quá dài: ${formatCount(typed)} chữ số, trong khi ${kind} ở ${place} có ${expected}`,
    phoneSeveral: "; nếu đây là nhiều số, hãy ngăn cách chúng bằng dấu gạch chéo hoặc dấu chấm phẩy",
    phoneForeign: "; số nước ngoài cần viết kèm dấu + và mã quốc gia",
    phoneNotInPlan: (place: string) => `số không khớp với quy hoạch đánh số của ${place}; số nước ngoài cần viết kèm dấu + và mã quốc gia`,
    phoneUnknownPlan: "mã quốc gia hoặc độ dài không khớp với quy hoạch đánh số nào đã biết",
    kindLandline: "số cố định",
    kindMobile: "số di động",
    kindNumber: "số điện thoại",
    placeNational: (region: string, iso: string) => `${region} (vùng ${iso})`,
    placeIntl: (region: string, callingCode: string) => `${region} (+${callingCode})`,
    digitsWithTrunk: (min: number, max: number, trunk: string) => `${digitCountVi(min, max)}, kể cả số ${trunk} ở đầu`,
    digitsAfterCode: (min: number, max: number, callingCode: string) => `${digitCountVi(min, max)} sau +${callingCode}`,
    digits: (min: number, max: number) => digitCountVi(min, max),

    notAnEmail: (value: string, reason: string) => `“${value}” không phải là địa chỉ email hợp lệ: ${reason}`,
    emailEmpty: "chưa nhập gì",
    emailTooLong: (max: number) => `dài quá ${formatCount(max)} ký tự`,
    emailSpaces: "có dấu cách",
    emailNoAt: "thiếu ký tự @",
    emailBadLocalPart: "phần trước @ trống, quá dài hoặc có thêm một ký tự @",
    emailMisplacedDot: "phần trước @ có dấu chấm sai vị trí",
    emailNoDotInDomain: "tên miền sau @ không có dấu chấm",
    emailBadDomain: "tên miền sau @ không hợp lệ",
    resultAddress: (sentence: string) => `${sentence}: hãy nhập địa chỉ sẽ nhận email kết quả`,
    senderNotAnEmail: (value: string) => `“${value}” không phải là địa chỉ email`,

    severalValues: (label: string, given: number) => `${label} chỉ nhận một giá trị, nhưng có ${formatCount(given)} giá trị`,
    unknownField: (key: string) => `Không có trường “${key}”`,
    readOnly: (label: string) => `${label} do ứng dụng tự điền`,
    identificationRequired: "Hồ sơ cần ít nhất một thông tin định danh: họ và tên, số điện thoại hoặc email",
    required: (label: string) => `${label} là bắt buộc`,
    requiredNoLabel: "Đây là thông tin bắt buộc",
    tooManyValues: (label: string, max: number, given: number) =>
      `${label} có tối đa ${formatCount(max)} giá trị (đã nhập ${formatCount(given)})`,
    invalidOption: (value: string, label: string) => `“${value}” không phải là một lựa chọn của ${label}`,
    tooLong: (label: string, max: number) => `${label} tối đa ${formatCount(max)} ký tự`,
    tooLongGiven: (label: string, max: number, given: number) => `${label} tối đa ${formatCount(max)} ký tự (hiện có ${formatCount(given)})`,
    tooLongNoLabel: (max: number) => `Tối đa ${formatCount(max)} ký tự`,
    invalidNumber: (value: string) => `“${value}” không phải là số`,
    invalidBoolean: (value: string) => `“${value}” không phải là có hoặc không`,
    blockedValue: (value: string) =>
      `“${value}” nằm trong danh sách giá trị bị chặn: giá trị này không bao giờ dùng để nhận diện một người (Cài đặt → Quy tắc đồng bộ hóa)`,
    identifierLimitPhones: (max: number, given: number) =>
      `Một hồ sơ có tối đa ${formatCount(max)} số điện thoại (Cài đặt → Quy tắc đồng bộ hóa); hồ sơ này có ${formatCount(given)}`,
    identifierLimitEmails: (max: number, given: number) =>
      `Một hồ sơ có tối đa ${formatCount(max)} email (Cài đặt → Quy tắc đồng bộ hóa); hồ sơ này có ${formatCount(given)}`,
    sharedIdentifier: (value: string, profile: string, id: string) =>
      `${value} đã thuộc về ${profile} (#${id}): hãy chọn giữ cả hai hồ sơ, hoặc mở hồ sơ kia`,

    notPickable: (key: string) => `“${key}” không phải là trường một giá trị: các trường danh sách được gộp lại, không chọn`,
    emptyPick: (label: string) => `Giá trị được chọn cho ${label} đang trống; hãy chọn một cột có giá trị`,
    unknownPick: (label: string, id: string) => `Giá trị của ${label} được chọn từ hồ sơ #${id}, nhưng hồ sơ này không còn là hồ sơ khớp`,

    reasonRequired: "Hãy nhập lý do xóa (lý do được lưu trong nhật ký kiểm tra)",
    profilesRequired: "Hãy chọn ít nhất một hồ sơ để xóa",

    duplicate: (value: string) => `Đã có một mục tên “${value}”`,
    optionListedTwice: (value: string) => `Lựa chọn “${value}” bị lặp lại`,
    matchKeyListedTwice: (key: string) => `Khóa đối chiếu ${key} bị lặp lại`,
    between: (label: string, min: string, max: string) => `${label} phải từ ${min} đến ${max}`,
    betweenGiven: (label: string, min: string, max: string, value: string) => `${label} phải từ ${min} đến ${max} (bạn đã nhập ${value})`,
    betweenNoLabel: (min: string, max: string) => `Hãy nhập một số từ ${min} đến ${max}`,
    megabytes: (n: number) => `${formatCount(n)} MB`,
    rows: (n: number) => `${formatCount(n)} dòng`,
    tooMany: (max: number) => `Chỉ được có tối đa ${formatCount(max)}`,
    blockedTooLong: (max: number, value: string) => `Một giá trị bị chặn có tối đa ${formatCount(max)} ký tự: “${value}”`,
    blockedTooMany: (max: number) => `Danh sách có tối đa ${formatCount(max)} giá trị bị chặn`,
    optionsTooMany: (max: number) => `Trường lựa chọn có tối đa ${formatCount(max)} lựa chọn`,
    synonymsTooMany: (label: string, max: number) => `${label} có tối đa ${formatCount(max)} tên đồng nghĩa`,
    synonymTooLong: (max: number) => `Một tên đồng nghĩa có tối đa ${formatCount(max)} ký tự`,
    fieldsTooMany: (max: number) => `Danh mục trường có tối đa ${formatCount(max)} trường tùy chỉnh`,
    optionsRequired: (label: string) => `${label} cần ít nhất một lựa chọn`,
    matchKeysRequired: "Hãy chọn ít nhất một khóa đối chiếu",
    permissionsRequired: "Hãy cấp cho vai trò ít nhất một quyền",
    segmentNameRequired: "Hãy đặt tên cho phân khúc",
    senderRequired: "Hãy nhập địa chỉ người gửi của các email",
    kindLocked: (label: string) => `${label} là trường có sẵn: không đổi được kiểu`,
    kindInUse: (label: string, count: number) => `${label} đang có giá trị ở ${formatCount(count)} hồ sơ: không đổi được kiểu`,
    unknownKind: "Trường tùy chỉnh có kiểu văn bản, văn bản dài, số, ngày, có/không, chọn một hoặc chọn nhiều",
    identifierHidden: (label: string) => `${label} dùng để nhận diện hồ sơ nên không ẩn được`,
    systemMandatory: (label: string) => `${label} do ứng dụng tự điền`,
    hiddenMandatory: (label: string) => `${label} đang bị ẩn nên không thể bắt buộc`,
    emptyOption: (max: number) => `Mỗi lựa chọn cần một tên dài từ 1 đến ${formatCount(max)} ký tự`,
    optionInUse: (value: string, count: number) =>
      `Lựa chọn “${value}” đang được dùng ở ${formatCount(count)} hồ sơ nên không xóa được (hãy đổi tên thay vì xóa)`,
    synonymTaken: (value: string, other: string) => `“${value}” đã là tên đồng nghĩa của ${other} trong bảng ánh xạ cột; mỗi tên cột chỉ ứng với một trường`,
    unknownLimit: (value: string) => `Không có giới hạn “${value}”`,
    unknownRegion: (value: string) => `Không rõ vùng điện thoại “${value}”`,
    invalidTime: (value: string) => `“${value}” không phải là ngày giờ`,

    catalogueDuplicate: (key: string) => `Danh mục có hai trường cùng khóa ${key}`,
    builtinChanged: (key: string) => `Trường có sẵn ${key} giữ nguyên kiểu và vẫn là trường có sẵn`,
    notBuiltin: (key: string) => `${key} không phải là trường có sẵn: hãy đánh dấu là trường tùy chỉnh`,
    badKey: (key: string, max: number) =>
      `Khóa “${key}” chỉ gồm chữ thường, chữ số và _, bắt đầu bằng một chữ cái, tối đa ${formatCount(max)} ký tự`,
    badLabel: (key: string, max: number) => `Tên của ${key} phải dài từ 1 đến ${formatCount(max)} ký tự`,
    catalogueOptions: (max: number) => `Trường lựa chọn có từ 1 đến ${formatCount(max)} lựa chọn`,
    optionValues: (key: string) => `Các lựa chọn của ${key} cần giá trị khác nhau và không trống`,
    catalogueSynonyms: (key: string, max: number) => `${key} có tối đa ${formatCount(max)} tên đồng nghĩa`,
    builtinRemoved: (key: string) => `Không xóa được trường có sẵn ${key}`,

    passwordTooShort: (min: number) => `Mật khẩu cần ít nhất ${formatCount(min)} ký tự`,
    passwordTooLong: (max: number) => `Mật khẩu có tối đa ${formatCount(max)} ký tự`,
    sameAsName: "Mật khẩu không được trùng với tên đăng nhập",
    wrongPassword: "Mật khẩu hiện tại không đúng",
    invalidName: (label: string, min: number, max: number) => `${label} phải dài từ ${formatCount(min)} đến ${formatCount(max)} ký tự`,
    invalidNameNoLabel: (min: number, max: number) => `Tên phải dài từ ${formatCount(min)} đến ${formatCount(max)} ký tự`,
    controlCharacters: "Tên đăng nhập không được chứa ký tự điều khiển",
    unknownPermission: (value: string) => `Không có quyền “${value}”`,

    invalidHost: (value: string) => `“${value}” không phải là tên hay địa chỉ máy chủ`,
    invalidPort: "Hãy chọn cổng của máy chủ (1–65535)",
    invalidUserName: "Tên đăng nhập không hợp lệ",
    encryptionRequired: (host: string) =>
      `Email chứa dữ liệu khách hàng: hãy chọn STARTTLS hoặc TLS cho ${host} (chỉ máy chủ trên chính máy tính này, localhost, mới được dùng không mã hóa)`,
    domainNotAllowed: (allowed: string, address: string, domain: string) =>
      `Kết quả chỉ được gửi qua email đến địa chỉ thuộc ${allowed} (quy định của quản trị viên, Cài đặt → Email); ${address} thuộc ${domain}. Hãy đặt địa chỉ thuộc tên miền được phép (menu người dùng → Email nhận kết quả…), hoặc hỏi quản trị viên.`,
    invalidDomain: (value: string) => `“${value}” không phải là tên miền: hãy viết tên miền như congty.vn, mỗi dòng một tên hoặc cách nhau bằng dấu phẩy`,

    invalidPin: (value: string) => `“${value}” không phải là mã ghim chứng chỉ: cần sha256/ và 44 ký tự base64, như pdesk-server in ra`,

    inFilter: (label: string, sentence: string) => `${label}: ${sentence}`,
    valueRequired: (label: string) => `Hãy nhập giá trị để so sánh với ${label}`,
    lettersRequired: (label: string) => `Hãy nhập chữ hoặc số để so sánh với ${label}`,
    digitsRequired: (label: string) => `Hãy nhập các chữ số cần tìm trong ${label}`,
    invalidDays: (value: string, min: number, max: number) => `“${value}” không phải là số ngày (${formatCount(min)} đến ${formatCount(max)})`,
    unsupportedOperator: (label: string) => `Không lọc được ${label} theo cách này`,
    unknownChannel: (value: string) => `Không có kênh đồng ý “${value}”`,
    unknownJob: (value: string) => `Không có lượt nhập ${value}`,

    andMore: (first: string, more: number) => `${first} (và ${formatCount(more)} lỗi khác)`,
  },
);
