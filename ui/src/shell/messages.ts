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

/**
 * A refusal of the core in the UI's language, from the reason code and parameters its error's
 * details carry (`Said` in crates/core/src/error.rs; reasons.ts reads the details). The English
 * is the core's sentence, except where a parameter the core writes in English is left out.
 */
export const said = messages(
  "reasons",
  {
    // How a sentence names a job, and a job's status (job_queue.rs)
    jobName: (job: string, id: number) => (job === "export" ? `Export ${id}` : `Import job ${id}`),
    jobStatus: (status: string) =>
      ({ queued: "queued", running: "running", done: "done", failed: "failed", cancelled: "cancelled", undone: "undone" })[status] ?? `${status}`,

    // Demo mode (demo.rs, src-tauri)
    demoWhileConnected: "Demo profiles are not added to a store connected to a server",
    notDemoDatabase: (path: string) =>
      `${path} holds profiles and is not a demo database; demo mode only opens its own database of generated profiles`,
    demoWithDb: "--demo opens its own database of generated profiles; it cannot be combined with --db",

    // Settings: consent channels, fields, order, the synchronization rule, display (admin/, catalogue.rs)
    tooManyChannels: (limit: number) => `A store can have at most ${formatCount(limit)} consent channels`,
    builtinChannel: (label: string) => `${label} is a built-in consent channel and cannot be removed (you can rename it)`,
    channelHasRecords: (label: string, records: number) =>
      `${label} holds ${plural(records, "consent record", "consent records")}; consent history is kept, so the channel cannot be removed`,
    noChannel: (key: string) => `There is no consent channel “${key}”`,
    orderIncomplete: "The new order must list every item exactly once; reload and try again",
    tooManyFields: (limit: number) => `A store can have at most ${formatCount(limit)} custom fields`,
    noField: (key: string) => `There is no field “${key}”`,
    noEditableField: (key: string) => `There is no editable field “${key}”`,
    builtinField: (label: string) => `${label} is a built-in field and cannot be deleted (you can hide it)`,
    fieldHasValues: (label: string, profiles: number) =>
      `${label} holds values on ${plural(profiles, "profile", "profiles")}; confirm to delete the field and its values`,
    unknownRegion: (region: string) => `Unknown phone region “${region}”`,
    noMatchKey: "The synchronization rule needs at least one match key",
    noDisplayColumns: "Choose at least one column to display",
    managedByServer: (host: string) =>
      `This setting is managed by ${host} while this computer syncs with it: an administrator changes it on the server`,

    // Import (jobs/)
    mappingUnusable: (detail: string) => `The mapping cannot be used: ${detail}`,
    pasteTooManyRows: (rows: number, limit: number) =>
      `You pasted ${plural(rows, "row", "rows")}; at most ${plural(limit, "row", "rows")} can be pasted at once`,
    pasteTooManyColumns: (columns: number, limit: number) =>
      `You pasted ${plural(columns, "column", "columns")}; at most ${plural(limit, "column", "columns")} can be pasted at once`,
    fixesTooMany: (fixes: number, limit: number) =>
      `Too many fixes for one import: ${formatCount(fixes)} fixed cells and left-out rows, the limit is ${formatCount(limit)}. Correct the file itself and upload it again`,
    fixesTooLong: (characters: number, limit: number) =>
      `The fixed cells hold ${plural(characters, "character", "characters")} in all; one import's fixes hold at most ${formatCount(limit)}`,
    fixUnknownColumn: (row: number, column: number) => `The fix of row ${formatCount(row)} is for column ${formatCount(column)}, which the source does not have`,
    fixCellTooLong: (row: number, column: string, characters: number, limit: number) =>
      `The fix of row ${formatCount(row)}, column “${column}” is ${plural(characters, "character", "characters")} long; a cell holds at most ${formatCount(limit)}`,
    importNotCancellable: (id: number, status: string) => `Import job ${id} is ${status}; only queued or running jobs can be cancelled`,
    importNotUndoable: (id: number, status: string) => `Import job ${id} is ${status}; only a finished job can be undone`,
    fileUnreadable: (path: string, detail: string) => `${path} cannot be read: ${detail}`,
    fileChanged: (file: string) =>
      `${file} changed after the import was confirmed: nothing was imported from the changed file. Upload it again to import what it holds now`,
    importBeforeRestore: "An import is queued or running: wait for it to finish (or cancel it) before restoring a backup. Nothing was changed.",

    // Jobs of both kinds (job_queue.rs)
    noJob: (job: string, id: number) => (job === "export" ? `There is no export ${id}` : `There is no import job ${id}`),
    jobNotRunnable: (name: string, status: string) => `${name} is ${status}; it cannot run again`,
    jobHeldByOther: (name: string, runner: string) => `${name} is being run by another Profile Desk (${runner})`,
    jobTakenOver: (name: string, runner: string) =>
      `${name} was taken over by another Profile Desk (${runner}): this one stopped without writing more`,
    jobEndedMeanwhile: (name: string, status: string) => `${name} is ${status}: this run stopped without writing more`,
    jobPanicked: (job: string, what: string) => {
      const noun = job === "export" ? "export" : "import job";
      return `Profile Desk stopped this ${noun} after an internal error (${what}); the worker was restarted. Start the ${noun} again; if it stops again, send this message to support.`;
    },
    jobPausedDiskFault: (id: number, rows: number, detail: string) =>
      `Import job ${id} stopped after row ${formatCount(rows)}: the disk is full or failing (${detail}). The rows before it are saved. Free some disk space (or check the disk), then run the job again: it goes on after row ${formatCount(rows)}.`,
    exportInterrupted: "Profile Desk stopped while writing the file",
    fileBeingWritten: (path: string) => `Another Profile Desk is writing ${path} at this moment; try again when it has finished`,

    // The list: filters, segments (filter.rs, segments.rs)
    badTimeZoneOffset: (minutes: number) => `The time zone offset ${plural(minutes, "minute", "minutes")} is not a real one`,
    tooManyConditions: (limit: number, conditions: number) =>
      `A filter holds at most ${plural(limit, "condition", "conditions")} (this one has ${formatCount(conditions)})`,
    notSortable: (label: string) => `The list cannot be sorted by ${label}`,
    noFieldToDisplay: (key: string) => `There is no field “${key}” to display`,
    noSegmentColumns: "A segment displays at least one column",
    tooManySegments: (limit: number) => `You can keep at most ${plural(limit, "segment", "segments")}; delete some first`,
    noSegment: (id: number) => `There is no segment ${id}`,
    noSegmentNamed: (name: string) => `You have no segment named “${name}”`,

    // Profiles: create, delete, merge review (profiles/)
    noProfile: (id: number) => `Profile #${id} does not exist`,
    profilesMissing: (ids: string, count: number) =>
      count === 1 ? `Profile ${ids} does not exist; nothing was deleted` : `Profiles ${ids} do not exist; nothing was deleted`,
    tooManyToDelete: (selected: number, limit: number) =>
      `You selected ${plural(selected, "profile", "profiles")}; at most ${plural(limit, "profile", "profiles")} can be deleted at once`,
    profileNoLongerMatches: (id: number) => `Profile #${id} no longer matches what was typed; go back and check the identifiers`,
    updateOverIdentifierLimit: (profile: string, phones: number, emails: number) =>
      `Updating ${profile} would give it more than ${plural(phones, "phone", "phones")} or ${plural(emails, "e-mail", "e-mails")} (Settings → Synchronization rule); remove some first`,
    candidateGone: (id: number, label: string, review: number) =>
      `Profile #${id} (${label}) no longer exists, so merge review ${review} cannot go to it; choose another candidate or create a new profile`,
    notACandidate: (id: number, review: number) => `Profile #${id} is not a candidate of merge review ${review}`,
    mergedListTooLong: (values: number, label: string, limit: number) =>
      `The merged profile would have ${plural(values, "value", "values")} in ${label}; a profile holds at most ${formatCount(limit)}. Remove some from the candidates first, or attach instead`,
    reviewAlreadyResolved: (id: number) => `Merge review ${id} was already resolved`,
    reviewResolvedBy: (id: number, by: string, on: string) => `Merge review ${id} was already resolved by ${by} on ${on}`,
    someone: "someone",
    reviewChanged: (id: number) =>
      `The profiles of merge review ${id} changed since you opened it (edited, merged, deleted or newly matching); look at them again before deciding`,
    noReview: (id: number) => `There is no merge review ${id}`,

    // Export (export/)
    exportTooLargeForDirect: (limit: number, rows: number) =>
      `An export of more than ${plural(limit, "row", "rows")} runs in the background (${plural(rows, "row", "rows")} here)`,
    exportNotCancellable: (id: number, status: string) => `Export ${id} is ${status}; only queued or running exports can be cancelled`,
    exportNotFinished: (id: number) => `Export ${id} has no finished file to save`,
    exportFileGone: (id: number, path: string) => `The file of export ${id} is no longer at ${path}`,
    noFieldToExport: (key: string) => `There is no field “${key}” to export`,
    noExportColumns: "Choose at least one column to export",
    tooManySelectedToExport: (limit: number, selected: number) =>
      `An export of selected rows names at most ${plural(limit, "profile", "profiles")} (${formatCount(selected)} were selected); export the filter instead`,
    badSenderAddress: (address: string, detail: string) => `The sender address “${address}” is not an e-mail address: ${detail}`,
    badRecipientAddress: (address: string, detail: string) => `“${address}” is not an e-mail address: ${detail}`,

    // Users, roles, sign-in (auth.rs, users.rs)
    noActiveAdministrator: "The store has no active administrator",
    severalAdministrators: "The store has several administrators: name the acting user with --user",
    noSuchUser: (name: string) => `There is no user named “${name}” in this store`,
    userDeactivated: (name: string) => `The user “${name}” is deactivated`,
    noPasswordYet: (name: string) => `“${name}” has no password yet; an administrator must set one first`,
    signInPaused: (name: string, seconds: number) => `Too many wrong passwords for “${name}”; try again in ${plural(seconds, "second", "seconds")}`,
    wrongPassword: (name: string) => `Wrong password for “${name}”`,
    wrongPasswordPaused: (name: string, attempts: number, seconds: number) =>
      `Wrong password for “${name}”. After ${plural(attempts, "wrong password", "wrong passwords")}, sign-in pauses for ${plural(seconds, "second", "seconds")}, twice as long after each further one`,
    passwordNeeded: (name: string) => `“${name}” has a password: set PDESK_PASSWORD (or type it when asked)`,
    alreadySetUp: "Profile Desk is already set up; sign in instead",
    userExists: (name: string) => `A user named “${name}” already exists`,
    noRole: (name: string) => `There is no role named “${name}”`,
    lastManager: (name: string) => `“${name}” is the last active user who can manage settings; give another user that permission first`,
    noManagerLeft: "No active user could manage settings after this change; keep settings.manage for at least one active user",
    builtinRoleFixed: (role: string) => `${role} is a built-in role; its permissions are fixed (create a custom role instead)`,
    builtinRoleKept: (role: string) => `${role} is a built-in role and cannot be deleted`,
    roleInUse: (role: string, users: number) => `${role} is the role of ${plural(users, "user", "users")}; give them another role first`,

    // Sync (sync/, outbox/)
    notConnected: "This store is not connected to a server",
    alreadyConnected: "This store is already connected to a server: disconnect it first",
    notConnectedToDecide: "This store is not connected to a server: its conflicts and reviews are decided there",
    notConnectedToSend: "This store is not connected to a server: nothing can be sent",
    noRefusedChange: (opId: string) => `There is no refused change ${opId}`,
    unsentChanges: (changes: number, server: string) =>
      `${plural(changes, "change", "changes")} not yet sent to ${server} would be lost: sync first, or disconnect discarding them`,
    firstSyncUnderWay: "The first sync is still under way: everything is being downloaded already",
    importHoldTooLong: (limit: number, minutes: number) =>
      `The undo window for imports is at most ${plural(limit, "minute", "minutes")} (one day); ${formatCount(minutes)} was given`,
    noConflict: (id: string) => `There is no conflict ${id}`,
    conflictDecided: (id: string) => `Conflict ${id} is already decided`,
    noServerReview: (id: string) => `There is no review ${id} from the server`,
    serverReviewDecided: (id: string) => `Review ${id} is already decided`,
    notAServerCandidate: (id: string) => `The customer chosen is not one that review ${id} matched`,

    // The database and backups (backup/, src-tauri)
    noDatabase: (path: string) => `There is no database at ${path}`,
    databaseOpenElsewhere: (path: string) => `another program (Profile Desk or pdesk) has ${path} open; close it`,
    notDamaged: "The database is not damaged: restore a backup from Settings → Backup",
  },
  {
    jobName: (job: string, id: number) => (job === "export" ? `Lượt xuất ${id}` : `Lượt nhập ${id}`),
    jobStatus: (status: string) =>
      ({ queued: "đang chờ", running: "đang chạy", done: "đã hoàn tất", failed: "đã thất bại", cancelled: "đã hủy", undone: "đã hoàn tác" })[status] ??
      `${status}`,

    demoWhileConnected: "Không thêm hồ sơ mẫu vào kho dữ liệu đang kết nối với máy chủ",
    notDemoDatabase: (path: string) =>
      `${path} đang chứa hồ sơ và không phải cơ sở dữ liệu mẫu; chế độ mẫu chỉ mở cơ sở dữ liệu riêng gồm các hồ sơ được tạo tự động`,
    demoWithDb: "--demo mở cơ sở dữ liệu riêng gồm các hồ sơ được tạo tự động; không dùng được cùng với --db",

    tooManyChannels: (limit: number) => `Một kho dữ liệu có tối đa ${formatCount(limit)} kênh đồng ý`,
    builtinChannel: (label: string) => `${label} là kênh đồng ý có sẵn nên không xóa được (bạn có thể đổi tên)`,
    channelHasRecords: (label: string, records: number) =>
      `${label} đang có ${formatCount(records)} bản ghi đồng ý; lịch sử đồng ý được lưu giữ nên không xóa được kênh này`,
    noChannel: (key: string) => `Không có kênh đồng ý “${key}”`,
    orderIncomplete: "Thứ tự mới phải liệt kê mỗi mục đúng một lần; hãy tải lại rồi thử lại",
    tooManyFields: (limit: number) => `Một kho dữ liệu có tối đa ${formatCount(limit)} trường tùy chỉnh`,
    noField: (key: string) => `Không có trường “${key}”`,
    noEditableField: (key: string) => `Không có trường “${key}” để chỉnh sửa`,
    builtinField: (label: string) => `${label} là trường có sẵn nên không xóa được (bạn có thể ẩn trường này)`,
    fieldHasValues: (label: string, profiles: number) =>
      `${label} đang có giá trị ở ${formatCount(profiles)} hồ sơ; hãy xác nhận để xóa trường cùng các giá trị của trường`,
    unknownRegion: (region: string) => `Không có vùng điện thoại “${region}”`,
    noMatchKey: "Quy tắc đồng bộ hóa cần ít nhất một khóa đối chiếu",
    noDisplayColumns: "Hãy chọn ít nhất một cột để hiển thị",
    managedByServer: (host: string) =>
      `Cài đặt này do ${host} quản lý khi máy tính này đồng bộ với máy chủ đó: quản trị viên thay đổi trên máy chủ`,

    mappingUnusable: (detail: string) => `Không dùng được ánh xạ cột này. ${detail}`,
    pasteTooManyRows: (rows: number, limit: number) =>
      `Bạn đã dán ${formatCount(rows)} dòng; mỗi lần chỉ dán được tối đa ${formatCount(limit)} dòng`,
    pasteTooManyColumns: (columns: number, limit: number) =>
      `Bạn đã dán ${formatCount(columns)} cột; mỗi lần chỉ dán được tối đa ${formatCount(limit)} cột`,
    fixesTooMany: (fixes: number, limit: number) =>
      `Quá nhiều chỉnh sửa cho một lần nhập: ${formatCount(fixes)} ô đã sửa và dòng bỏ qua, tối đa là ${formatCount(limit)}. Hãy sửa ngay trong tệp rồi tải lên lại`,
    fixesTooLong: (characters: number, limit: number) =>
      `Các ô đã sửa có tổng cộng ${formatCount(characters)} ký tự; các chỉnh sửa của một lần nhập có tối đa ${formatCount(limit)} ký tự`,
    fixUnknownColumn: (row: number, column: number) => `Chỉnh sửa ở dòng ${formatCount(row)} ghi cột ${formatCount(column)}, nhưng nguồn dữ liệu không có cột này`,
    fixCellTooLong: (row: number, column: string, characters: number, limit: number) =>
      `Chỉnh sửa ở dòng ${formatCount(row)}, cột “${column}” dài ${formatCount(characters)} ký tự; một ô chứa tối đa ${formatCount(limit)} ký tự`,
    importNotCancellable: (id: number, status: string) =>
      `Lượt nhập ${id} ${status}; chỉ hủy được lượt nhập đang chờ hoặc đang chạy`,
    importNotUndoable: (id: number, status: string) => `Lượt nhập ${id} ${status}; chỉ hoàn tác được lượt nhập đã kết thúc`,
    fileUnreadable: (path: string, detail: string) => `Không đọc được ${path}: ${detail}`,
    fileChanged: (file: string) =>
      `${file} đã thay đổi sau khi bạn xác nhận nhập: không có gì từ tệp đã thay đổi được nhập. Hãy tải tệp lên lại để nhập nội dung hiện có của tệp`,
    importBeforeRestore:
      "Đang có lượt nhập chờ hoặc đang chạy: hãy đợi lượt nhập kết thúc (hoặc hủy lượt nhập) rồi mới khôi phục bản sao lưu. Chưa có gì thay đổi.",

    noJob: (job: string, id: number) => (job === "export" ? `Không có lượt xuất ${id}` : `Không có lượt nhập ${id}`),
    jobNotRunnable: (name: string, status: string) => `${name} ${status}; không chạy lại được`,
    jobHeldByOther: (name: string, runner: string) => `${name} đang được một Profile Desk khác chạy (${runner})`,
    jobTakenOver: (name: string, runner: string) =>
      `${name} đã được một Profile Desk khác tiếp quản (${runner}): lần chạy này đã dừng và không ghi thêm gì`,
    jobEndedMeanwhile: (name: string, status: string) => `${name} ${status}: lần chạy này đã dừng và không ghi thêm gì`,
    jobPanicked: (job: string, what: string) => {
      const noun = job === "export" ? "lượt xuất" : "lượt nhập";
      return `Profile Desk đã dừng ${noun} này do lỗi nội bộ (${what}); tiến trình xử lý đã được khởi động lại. Hãy chạy lại ${noun}; nếu lại dừng, hãy gửi thông báo này cho bộ phận hỗ trợ.`;
    },
    jobPausedDiskFault: (id: number, rows: number, detail: string) =>
      `Lượt nhập ${id} đã dừng sau dòng ${formatCount(rows)}: ổ đĩa đầy hoặc bị lỗi (${detail}). Các dòng trước đó đã được lưu. Hãy giải phóng dung lượng ổ đĩa (hoặc kiểm tra ổ đĩa), rồi chạy lại lượt nhập: lượt nhập sẽ tiếp tục sau dòng ${formatCount(rows)}.`,
    exportInterrupted: "Profile Desk đã dừng khi đang ghi tệp",
    fileBeingWritten: (path: string) => `Một Profile Desk khác đang ghi ${path}; hãy thử lại khi quá trình đó kết thúc`,

    badTimeZoneOffset: (minutes: number) => `Độ lệch múi giờ ${minutes} phút không có thật`,
    tooManyConditions: (limit: number, conditions: number) =>
      `Một bộ lọc có tối đa ${formatCount(limit)} điều kiện (bộ lọc này có ${formatCount(conditions)})`,
    notSortable: (label: string) => `Không sắp xếp được danh sách theo ${label}`,
    noFieldToDisplay: (key: string) => `Không có trường “${key}” để hiển thị`,
    noSegmentColumns: "Một phân khúc phải hiển thị ít nhất một cột",
    tooManySegments: (limit: number) => `Bạn chỉ lưu được tối đa ${formatCount(limit)} phân khúc; hãy xóa bớt trước`,
    noSegment: (id: number) => `Không có phân khúc ${id}`,
    noSegmentNamed: (name: string) => `Bạn không có phân khúc nào tên “${name}”`,

    noProfile: (id: number) => `Hồ sơ #${id} không tồn tại`,
    profilesMissing: (ids: string, _count: number) => `Không tồn tại hồ sơ ${ids}; chưa xóa hồ sơ nào`,
    tooManyToDelete: (selected: number, limit: number) =>
      `Bạn đã chọn ${formatCount(selected)} hồ sơ; mỗi lần chỉ xóa được tối đa ${formatCount(limit)} hồ sơ`,
    profileNoLongerMatches: (id: number) => `Hồ sơ #${id} không còn khớp với thông tin đã nhập; hãy quay lại và kiểm tra các thông tin nhận diện`,
    updateOverIdentifierLimit: (profile: string, phones: number, emails: number) =>
      `Nếu cập nhật, ${profile} sẽ có hơn ${formatCount(phones)} số điện thoại hoặc ${formatCount(emails)} email (Cài đặt → Quy tắc đồng bộ hóa); hãy xóa bớt trước`,
    candidateGone: (id: number, label: string, review: number) =>
      `Hồ sơ #${id} (${label}) không còn tồn tại nên mục xem xét hợp nhất ${review} không chọn được hồ sơ này; hãy chọn ứng viên khác hoặc tạo hồ sơ mới`,
    notACandidate: (id: number, review: number) => `Hồ sơ #${id} không phải ứng viên của mục xem xét hợp nhất ${review}`,
    mergedListTooLong: (values: number, label: string, limit: number) =>
      `Hồ sơ sau khi hợp nhất sẽ có ${formatCount(values)} giá trị ở ${label}; mỗi hồ sơ có tối đa ${formatCount(limit)}. Hãy bớt giá trị ở các ứng viên trước, hoặc chọn gắn vào hồ sơ`,
    reviewAlreadyResolved: (id: number) => `Mục xem xét hợp nhất ${id} đã được xử lý`,
    reviewResolvedBy: (id: number, by: string, on: string) => `Mục xem xét hợp nhất ${id} đã được ${by} xử lý ngày ${on}`,
    someone: "người khác",
    reviewChanged: (id: number) =>
      `Các hồ sơ của mục xem xét hợp nhất ${id} đã thay đổi từ lúc bạn mở (được sửa, hợp nhất, xóa hoặc có hồ sơ mới khớp); hãy xem lại trước khi quyết định`,
    noReview: (id: number) => `Không có mục xem xét hợp nhất ${id}`,

    exportTooLargeForDirect: (limit: number, rows: number) =>
      `Lượt xuất hơn ${formatCount(limit)} dòng sẽ chạy nền (ở đây có ${formatCount(rows)} dòng)`,
    exportNotCancellable: (id: number, status: string) => `Lượt xuất ${id} ${status}; chỉ hủy được lượt xuất đang chờ hoặc đang chạy`,
    exportNotFinished: (id: number) => `Lượt xuất ${id} chưa có tệp hoàn tất để lưu`,
    exportFileGone: (id: number, path: string) => `Tệp của lượt xuất ${id} không còn ở ${path}`,
    noFieldToExport: (key: string) => `Không có trường “${key}” để xuất`,
    noExportColumns: "Hãy chọn ít nhất một cột để xuất",
    tooManySelectedToExport: (limit: number, selected: number) =>
      `Khi xuất các dòng đã chọn, chỉ chọn được tối đa ${formatCount(limit)} hồ sơ (đã chọn ${formatCount(selected)}); hãy xuất theo bộ lọc`,
    badSenderAddress: (address: string, detail: string) => `Địa chỉ người gửi “${address}” không phải địa chỉ email: ${detail}`,
    badRecipientAddress: (address: string, detail: string) => `“${address}” không phải địa chỉ email: ${detail}`,

    noActiveAdministrator: "Kho dữ liệu không có quản trị viên nào đang hoạt động",
    severalAdministrators: "Kho dữ liệu có nhiều quản trị viên: hãy chỉ định người dùng bằng --user",
    noSuchUser: (name: string) => `Không có người dùng nào tên “${name}” trong kho dữ liệu này`,
    userDeactivated: (name: string) => `Người dùng “${name}” đã bị vô hiệu hóa`,
    noPasswordYet: (name: string) => `“${name}” chưa có mật khẩu; quản trị viên cần đặt mật khẩu trước`,
    signInPaused: (name: string, seconds: number) => `Nhập sai mật khẩu của “${name}” quá nhiều lần; hãy thử lại sau ${formatCount(seconds)} giây`,
    wrongPassword: (name: string) => `Sai mật khẩu của “${name}”`,
    wrongPasswordPaused: (name: string, attempts: number, seconds: number) =>
      `Sai mật khẩu của “${name}”. Sau ${formatCount(attempts)} lần nhập sai, việc đăng nhập tạm dừng ${formatCount(seconds)} giây, và gấp đôi sau mỗi lần sai tiếp theo`,
    passwordNeeded: (name: string) => `“${name}” có mật khẩu: hãy đặt PDESK_PASSWORD (hoặc nhập khi được hỏi)`,
    alreadySetUp: "Profile Desk đã được thiết lập; hãy đăng nhập",
    userExists: (name: string) => `Đã có người dùng tên “${name}”`,
    noRole: (name: string) => `Không có vai trò nào tên “${name}”`,
    lastManager: (name: string) =>
      `“${name}” là người dùng đang hoạt động cuối cùng có quyền quản lý cài đặt; hãy cấp quyền đó cho người dùng khác trước`,
    noManagerLeft:
      "Sau thay đổi này sẽ không còn người dùng đang hoạt động nào quản lý được cài đặt; hãy giữ quyền settings.manage cho ít nhất một người dùng đang hoạt động",
    builtinRoleFixed: (role: string) => `${role} là vai trò có sẵn; quyền của vai trò này cố định (hãy tạo vai trò tùy chỉnh)`,
    builtinRoleKept: (role: string) => `${role} là vai trò có sẵn nên không xóa được`,
    roleInUse: (role: string, users: number) => `${role} là vai trò của ${formatCount(users)} người dùng; hãy gán vai trò khác cho họ trước`,

    notConnected: "Kho dữ liệu này chưa kết nối với máy chủ",
    alreadyConnected: "Kho dữ liệu này đã kết nối với một máy chủ: hãy ngắt kết nối trước",
    notConnectedToDecide: "Kho dữ liệu này chưa kết nối với máy chủ: xung đột và các trường hợp cần xem xét được quyết định trên máy chủ",
    notConnectedToSend: "Kho dữ liệu này chưa kết nối với máy chủ: không gửi được gì",
    noRefusedChange: (opId: string) => `Không có thay đổi bị từ chối ${opId}`,
    unsentChanges: (changes: number, server: string) =>
      `${formatCount(changes)} thay đổi chưa gửi lên ${server} sẽ bị mất: hãy đồng bộ trước, hoặc ngắt kết nối và bỏ các thay đổi đó`,
    firstSyncUnderWay: "Lần đồng bộ đầu tiên vẫn đang chạy: mọi thứ đang được tải về",
    importHoldTooLong: (limit: number, minutes: number) =>
      `Thời gian cho phép hoàn tác lượt nhập tối đa là ${formatCount(limit)} phút (một ngày); giá trị đã nhập là ${formatCount(minutes)}`,
    noConflict: (id: string) => `Không có xung đột ${id}`,
    conflictDecided: (id: string) => `Xung đột ${id} đã được quyết định`,
    noServerReview: (id: string) => `Máy chủ không có mục xem xét ${id}`,
    serverReviewDecided: (id: string) => `Mục xem xét ${id} đã được quyết định`,
    notAServerCandidate: (id: string) => `Khách hàng được chọn không nằm trong các khách hàng trùng của mục xem xét ${id}`,

    noDatabase: (path: string) => `Không có cơ sở dữ liệu tại ${path}`,
    databaseOpenElsewhere: (path: string) => `Một chương trình khác (Profile Desk hoặc pdesk) đang mở ${path}; hãy đóng chương trình đó`,
    notDamaged: "Cơ sở dữ liệu không bị hỏng: hãy khôi phục bản sao lưu trong Cài đặt → Sao lưu",
  },
);

/**
 * The import mapping's problems (the core's MappingProblem, crates/core/src/mapping.rs) in the
 * UI's language, from their code and params: mappingProblems.ts picks the sentence. The English
 * is the core's own message. Counts come formatted; `field` is the field as the UI names it.
 */
export const mp = messages(
  "mapping-problems",
  {
    unknownField: (header: string, key: string) => `Column “${header}” is mapped to an unknown field “${key}”`,
    typeMisfits: (misfits: string, sampled: string, header: string, field: string, kind: string, samples: string) =>
      `${misfits} of ${sampled} sampled values of column “${header}” do not fit ${field} (${kind}), e.g. ${samples}; rows whose value does not fit will fail with the reason`,
    typeMismatch: (fits: string, sampled: string, header: string, field: string, kind: string, samples: string) =>
      `Only ${fits} of ${sampled} sampled values of column “${header}” fit ${field} (${kind}), e.g. not ${samples}; check the mapping`,
    mappedTwice: (field: string, columns: number, headers: string) =>
      `${field} holds one value but is mapped from ${plural(columns, "column", "columns")} (${headers}); map only one`,
    identificationUnmapped: "Map at least one identification field: full name, phone or e-mail",
    mandatoryUnmapped: (field: string) => `${field} is mandatory; map a column to it`,
    // What the values of a field's kind look like
    kindPhones: "phone numbers",
    kindEmails: "e-mail addresses",
    kindDate: "dates: dd/mm/yyyy, yyyy-mm-dd or Excel dates",
    kindNumber: "numbers",
    kindBoolean: "yes/no",
    kindOptions: "one of the options",
    kindText: "text",
  },
  {
    unknownField: (header: string, key: string) => `Cột “${header}” được ánh xạ tới trường “${key}” không tồn tại`,
    typeMisfits: (misfits: string, sampled: string, header: string, field: string, kind: string, samples: string) =>
      `${misfits} trong ${sampled} giá trị mẫu của cột “${header}” không hợp với trường ${field} (${kind}), ví dụ ${samples}; những dòng có giá trị không hợp sẽ bị báo lỗi kèm lý do`,
    typeMismatch: (fits: string, sampled: string, header: string, field: string, kind: string, samples: string) =>
      `Chỉ ${fits} trong ${sampled} giá trị mẫu của cột “${header}” hợp với trường ${field} (${kind}), còn ${samples} thì không; hãy kiểm tra lại ánh xạ`,
    mappedTwice: (field: string, columns: number, headers: string) =>
      `${field} chỉ chứa một giá trị nhưng đang được ánh xạ từ ${formatCount(columns)} cột (${headers}); hãy chỉ ánh xạ một cột`,
    identificationUnmapped: "Hãy ánh xạ ít nhất một trường nhận diện: họ và tên, số điện thoại hoặc email",
    mandatoryUnmapped: (field: string) => `${field} là trường bắt buộc; hãy ánh xạ một cột vào trường này`,
    kindPhones: "số điện thoại",
    kindEmails: "địa chỉ email",
    kindDate: "ngày: dd/mm/yyyy, yyyy-mm-dd hoặc ngày dạng Excel",
    kindNumber: "số",
    kindBoolean: "có/không",
    kindOptions: "một trong các lựa chọn",
    kindText: "văn bản",
  },
);
