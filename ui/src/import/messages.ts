// The import folder's texts: the import wizard (Upload file / Paste data), the jobs panel and
// its result pop-up, and the File Upload Connector Report. A refused file's sentence is worded
// here from the core's code and parameters (refusals.ts); the mapping's problems and the rows'
// errors are worded in ui/src/shell (mappingProblems.ts, fieldErrors.ts).
import { messages } from "../i18n/messages";
import { formatCount, plural } from "../shell/format";

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${formatCount(n)}${suffix}`;
}

/** "số điện thoại" → "Số điện thoại" at the start of a sentence. */
function upperFirst(text: string): string {
  const s = String(text);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const m = messages(
  "import",
  {
    // Shell: the report screen
    reportScreenTitle: "Import report",

    // Import logic: suggestion reasons and the grid's status chips
    reasonRemembered: "Remembered",
    reasonSameName: "Same name",
    reasonSynonym: "Synonym",
    reasonValues: "From values",
    notMapped: "Not mapped",
    chosenByYou: "Chosen by you",
    columnNumber: (n: number) => `Column ${n}`,
    pastedData: "Pasted data",
    // Import logic: durations
    durationSeconds: (s: number) => `${s} s`,
    durationMinutes: (min: number, s: number) => `${min} min ${s} s`,
    durationHours: (hours: number, min: number) => `${hours} h ${min} min`,
    // Import logic: counts of a job or a dry run
    countCreated: "Created",
    countUpdated: "Updated",
    countDuplicates: "In-file duplicates",
    countReviews: "Merge reviews",
    countFailed: "Failed",
    // Import logic: the synchronization rule's guards (dry-run tiles, then sentences)
    guardSharedKeyRows: "Rows with a shared value",
    guardNameDiffers: "Reviews: name differs",
    guardIdentifierLimit: "Reviews: identifier limit",
    guardBlockedValues: "Blocked values dropped",
    guardSharedKeyRowsText: (n: number) => `${plural(n, "row", "rows")} with a shared value not used for matching`,
    guardNameDiffersText: (n: number) => `${formatCount(n)} sent to review: name differs`,
    guardIdentifierLimitText: (n: number) => `${formatCount(n)} sent to review: too many phones or e-mails`,
    guardBlockedValuesText: (n: number) => `${plural(n, "blocked value", "blocked values")} dropped`,
    // Import logic: values shared by many people
    /** `key`: the shell's match key label. "Shared phone 028 3823 4567 in 42 rows (40 different names) — not used for matching". */
    sharedKeyLine: (key: string, value: string, rows: number, names: number, used: boolean) =>
      `Shared ${key} ${value} in ${plural(rows, "row", "rows")}${names > 0 ? ` (${plural(names, "different name", "different names")})` : ""} — ${used ? "used for matching, as chosen" : "not used for matching"}`,
    /** "rows 3, 7, 12 …": `list` is the example rows, `more` when the value is in more rows. */
    exampleRows: (n: number, list: string, more: boolean) => `${n === 1 ? "row" : "rows"} ${list}${more ? " …" : ""}`,
    countsSummary: (label: string, created: number, updated: number, failed: number) =>
      `${label}: ${formatCount(created)} created, ${formatCount(updated)} updated, ${formatCount(failed)} failed`,
    // Import logic: job states
    statusQueued: "Queued",
    statusRunning: "Running",
    statusDone: "Done",
    statusFailed: "Failed",
    statusCancelled: "Cancelled",
    statusUndone: "Undone",
    // Import logic: the Undo dialog's note when this computer syncs with a server
    undoSyncNothing: (server: string) =>
      `This computer syncs with ${server}. Profiles already sent there are kept as they are; the others are undone here only.`,
    /** `until`: the date the held changes wait until, or "". */
    undoSyncHeld: (n: number, server: string, until: string) =>
      `${plural(n, "change", "changes")} of this import ${n === 1 ? "is" : "are"} still on this computer${until ? ` (until ${until})` : ""}: undo takes ${n === 1 ? "it" : "them"} back, and ${server} never sees ${n === 1 ? "it" : "them"}.`,
    undoSyncSent: (n: number, server: string) =>
      `${plural(n, "change has", "changes have")} already gone to ${server}: the profiles ${n === 1 ? "it touched stay" : "they touched stay"} as they are and are listed.`,

    // Jobs panel
    jobsTitle: "Imports",
    jobsLabel: "Imports in progress",
    cancelImportOf: (name: string) => `Cancel the import of ${name}`,
    progressOf: (name: string) => `Progress of ${name}`,
    jobRows: (done: number, total: number) => `${formatCount(done)} / ${plural(total, "row", "rows")}`,
    cancellingImportOf: (name: string) => `Cancelling the import of ${name}`,
    /** A waiting job's place: the running one is first in line. */
    queuePosition: (n: number) => (n <= 1 ? "Next in line" : `${ordinal(n)} in line`),
    // Result pop-up
    resultTitle: "Import finished",
    openReport: "Open report",
    moreSharedValues: (n: number) => `… and ${plural(n, "more shared value", "more shared values")} in the report`,
    openMergeReview: (n: number) => `Open merge review (${formatCount(n)})`,
    /** After the file's name and state: " · 120 rows". */
    resultRows: (n: number) => ` · ${plural(n, "row", "rows")}`,
    rows: (n: number) => plural(n, "row", "rows"),

    // Wizard: frame and steps
    uploadFileTitle: "Upload file",
    pasteDataTitle: "Paste data",
    stepSource: "Source",
    stepMapping: "Mapping",
    stepConsent: "Consent",
    stepCheck: "Check",
    continue: "Continue",
    confirmImport: "Confirm import",
    // Wizard: Source (file)
    uploadFilesHeading: "Upload .xlsx files",
    fileHint:
      "Choose one or more .xlsx files, or drop them on the window (one sheet each, column names in the first row, at most 50,000 rows and 10 MB). Files that break a rule are skipped; the others go on.",
    chooseFiles: "Choose files…",
    templateRecommended: "Recommended: start from the template, whose columns map to the fields by themselves (files exported from other systems often bring format errors).",
    downloadTemplate: "Download template",
    templateSaved: (path: string) => `Template saved to ${path}`,
    fileChecking: "Checking…",
    fileReady: "Ready",
    fileSplit: (n: number) => `Split into ${plural(n, "file", "files")}, added below`,
    fileQueued: "Queued for import",
    splitPerSheet: "Split into one file per sheet",
    // Wizard: Source (paste)
    pasteInsteadHeading: "Paste data instead",
    pasteHint:
      "Paste rows copied from a spreadsheet, or read them from the clipboard. Do not paste the column names: columns are matched by their values (a first row of column names is recognised and left out). At most 1,000 rows.",
    pastePlaceholder: "Paste rows copied from Excel or Google Sheets (cells separated by tabs, without the column names)",
    readClipboard: "Read clipboard",
    reading: "Reading…",
    pasteSummary: (rows: number, columns: number) => `${plural(rows, "row", "rows")}, ${plural(columns, "column", "columns")}`,
    /** `names`: the first row's first names, quoted and joined. */
    headerRowFound: (names: string) =>
      `The first row looks like column names (${names}): it names the columns and is not imported as a customer.`,
    headerRowKeep: "It is a customer: import it",
    headerRowKept: "The first row is imported as a customer.",
    headerRowDrop: "It is column names: leave it out",
    // Wizard: Mapping
    headColumn: "Column",
    headSamples: "Sample values",
    headImportInto: "Import into",
    headStatus: "Status",
    fillEmptyOnly: "Only fill empty fields (keep values existing profiles already have)",
    fileOf: (position: number, total: number) => `File ${position} of ${total}`,
    /** The place of the pasted data (or of a file) in a line of files and a paste. */
    sourceOf: (position: number, total: number) => `${position} of ${total}`,
    importColumnInto: (column: string) => `Import ${column} into`,
    doNotImport: "Do not import",
    emptySamples: "(empty)",
    mappingOk: "The mapping meets every condition.",
    mappingOkWithWarnings: "The mapping meets every condition; see the warnings below.",
    problemsToFix: (n: number) => `${plural(n, "problem", "problems")} to fix before importing`,
    warningsGoOn: (n: number) => `${plural(n, "warning", "warnings")}: the import can go on`,
    // Wizard: Consent
    consentHint:
      "The consent to record for every imported profile. Leave a channel unchanged to keep what existing profiles already have.",
    consentPerChannel: "Consent per channel",
    channelConsent: (channel: string) => `${channel} consent`,
    consentUnchanged: "Leave unchanged",
    consentGranted: "Granted",
    consentDenied: "Denied",
    noConsentChannels: "No consent channels are configured.",
    // Wizard: Check (dry run)
    checkingMapping: "Checking the mapping…",
    confirmBlocked: "Confirm is not possible yet: the mapping does not meet these conditions",
    goBackToFix: "Go Back to the Mapping step to fix them.",
    runningDryRun: "Running a dry run (nothing is saved)…",
    updatingDryRun: "Updating the dry run (nothing is saved)…",
    dryRunFailed: (error: string) => `The dry run failed: ${error}`,
    headRow: "Row",
    dryRunOf: (rows: number) => `Dry run of ${plural(rows, "row", "rows")}; nothing has been saved yet.`,
    guardsLabel: "Synchronization rule guards",
    dryRunExplain:
      "Rows and profiles differ: rows that repeat a person inside the file merge into one profile, rows that match an existing profile update it, rows needing a merge review wait for a person, and invalid rows are skipped.",
    sharedValuesTitle: (n: number) => `Values shared by many people (${formatCount(n)})`,
    sharedValuesHint:
      "A switchboard number or a shop's e-mail would merge different people, so rows holding one are matched by their other identifiers only. Use a value anyway when it really belongs to one person.",
    useAnyway: "Use it for matching anyway",
    theFile: "the file",
    queuedNext: (name: string, next: string) => `Queued ${name}. Next: ${next}`,
    fixMappingFirst: "Fix the mapping problems first",
    waitingForDryRun: "Waiting for the dry run",
    // Wizard: Check — fix before Confirm
    rowsToCheckTitle: (n: number) => `Rows to check before Confirm (${formatCount(n)})`,
    rowsToCheckHint:
      "Correct a cell or leave the row out. Your corrections apply to this import only: your file is not changed. Rows left as they are: invalid ones are skipped, the others wait in merge review.",
    rowsToCheckFirst: (shown: number, all: number) => `Showing the first ${formatCount(shown)} of ${formatCount(all)}; correct the rest in the file itself.`,
    headToCheck: "What to check",
    headLeaveOut: "Leave out",
    columnProblem: (column: string, text: string) => `${column}: ${text}`,
    goesToReview: (reason: string, names: string) => (names ? `Goes to merge review (${reason}): matches ${names}` : `Goes to merge review (${reason})`),
    leaveOutRow: (row: number) => `Leave row ${formatCount(row)} out of this import`,
    fixedBadge: "fixed",
    cellLabel: (column: string, row: number) => `${column}, row ${formatCount(row)}`,
    yourFixesTitle: (rows: number) => `Your fixes (${plural(rows, "row", "rows")})`,
    rowLeftOut: (row: number) => `Row ${formatCount(row)}: left out of this import`,
    rowFixed: (row: number, changes: string) => `Row ${formatCount(row)}: ${changes}`,
    cellChange: (column: string, from: string, to: string) => `${column} “${from}” → “${to}”`,
    undoFix: "Undo",
    dryRunFixes: (fixed: number, excluded: number) =>
      `${plural(fixed, "row", "rows")} fixed, ${formatCount(excluded)} left out — for this import only`,
    fixesLine: (fixed: number, excluded: number) => `Fixed before Confirm: ${formatCount(fixed)} · left out: ${formatCount(excluded)}`,

    // Report
    backToProfiles: "← Back to profiles",
    reportTitle: "File Upload Connector Report",
    reportMeta: "Every file import and paste, and every file refused at upload, newest first.",
    /** For "Loading imports…". */
    theImports: "imports",
    couldNotLoadImports: "Could not load the imports",
    noImports: "No imports yet",
    noImportsHint: "Files uploaded and data pasted through Create new Profile are listed here.",
    headFile: "File",
    headUser: "User",
    headStarted: "Started",
    headDuration: "Duration",
    headRows: "Rows",
    headCreated: "Created",
    headUpdated: "Updated",
    headDuplicates: "In-file duplicates",
    headReviews: "Reviews",
    headFailed: "Failed",
    refusedAtUpload: "Refused at upload",
    noFailedRows: "No failed rows",
    saveFailedRowsHint: "Save the failed rows as .xlsx with a reason column",
    downloadFailedRows: "Download failed rows",
    undo: "Undo",
    showProfilesNone: "This import created or updated no profile",
    showProfilesHint: "Show the profiles this import created or updated",
    showProfiles: "Show profiles",
    openReviewsHint: "Open the merge reviews of this import",
    sharedValues: (n: number) => plural(n, "shared value", "shared values"),
    retry: "Retry",
    savedFailedRows: (path: string) => `Saved the failed rows to ${path}`,
    // Report: the Undo dialog
    undoTitle: (name: string) => `Undo the import of ${name}?`,
    undoBody: (created: number, updated: number) =>
      `${plural(created, "created profile", "created profiles")} will be removed and ${plural(updated, "updated profile gets its", "updated profiles get their")} previous values back. Profiles changed since the import (edited, merged, consent, deleted) are kept as they are and listed.`,
    keep: "Keep",
    undoImport: "Undo import",

    // Refusals: why a file was refused as a whole (refusals.ts words the core's code and
    // parameters, crates/xlsx/src/refusal.rs). The English is the core's own sentence, word for
    // word (the CLI and the E2E tests read it); the system's text (`detail`) goes on a line of
    // its own under the sentence.
    refusedNotXlsx: (file: string, kind: string) => `"${file}" is not an Excel .xlsx file (it looks like ${kind})`,
    /** A kind this UI has no words for yet: the core's description goes on the detail line. */
    refusedNotXlsxUnknown: (file: string) => `"${file}" is not an Excel .xlsx file`,
    /** `size`, `limit`: already formatted ("12.4 MB"). */
    refusedTooLarge: (file: string, size: string, limit: string) => `"${file}" is ${size}; the limit is ${limit} per file`,
    /** `exact`: false when counting stopped at `rows` (there are more). */
    refusedTooManyRows: (file: string, rows: number, exact: boolean, limit: number) =>
      `"${file}" has ${exact ? "" : "more than "}${plural(rows, "data row", "data rows")}; the limit is ${plural(limit, "row", "rows")} per file (the header row is not counted)`,
    /** `sheets`: the sheets' names, joined. */
    refusedSeveralSheets: (file: string, count: number, sheets: string) =>
      `"${file}" has ${plural(count, "sheet", "sheets")} with data (${sheets}): separate each sheet into its own file`,
    refusedEmptyHeader: (file: string, cell: string) =>
      `"${file}": the column name in ${cell} is empty; the first row must hold the column names`,
    refusedDuplicateHeader: (file: string, name: string, first: string, second: string) =>
      `"${file}": the column name "${name}" appears twice (${first} and ${second})`,
    refusedEmpty: (file: string) => `"${file}" is empty: the first row must hold the column names`,
    refusedZipBomb: (file: string) => `"${file}" was refused as a possible zip bomb`,
    refusedEncrypted: (file: string) =>
      `"${file}" is password-protected: open it in Excel, remove the password (File > Info > Protect Workbook) and save it again`,
    refusedDamaged: (file: string) => `"${file}" is damaged or truncated and cannot be read`,
    refusedTooManyColumns: (file: string, cell: string, limit: number) =>
      `"${file}" has a value in ${cell}, beyond the limit of ${plural(limit, "column", "columns")} per file`,
    refusedCellTooLarge: (file: string, cell: string, limit: number) =>
      `"${file}": the cell ${cell} holds more than ${plural(limit, "character", "characters")}, the limit per cell (Excel's own limit)`,
    refusedWriteFailed: (file: string, target: string) => `"${file}" could not be split: writing "${target}" failed`,
    refusedUnreadable: (file: string) => `"${file}" could not be read`,
    /** A size under 1 KB, as the core says it ("512 bytes"). */
    sizeBytes: (n: number) => plural(n, "byte", "bytes"),
    // Refusals: what a file that is not .xlsx looks like (the core's `looksLike`, from
    // crates/xlsx/src/guard.rs), with the advice the core gives
    kindXlsb: "an Excel binary workbook (.xlsb); save it as .xlsx",
    kindWord: "a Word document",
    kindPowerPoint: "a PowerPoint presentation",
    kindOpenDocument: "an OpenDocument file such as .ods; save it as .xlsx",
    kindZip: "a zip archive",
    kindXlsm: "a macro-enabled workbook (.xlsm); save it as .xlsx",
    kindXltx: "an Excel template (.xltx); save it as .xlsx",
    kindXltm: "a macro-enabled template (.xltm); save it as .xlsx",
    kindXls: "an old Excel 97-2003 .xls file; open it in Excel and save it as .xlsx",
    kindDoc: "an old Word .doc file",
    kindOldOffice: "an old-format Office file",
    kindEmptyFile: "an empty file",
    kindPdf: "a PDF document",
    kindEmptyZip: "an empty zip archive",
    kindPng: "a PNG image",
    kindJpeg: "a JPEG image",
    kindGif: "a GIF image",
    kindArchive: "a compressed archive other than .xlsx",
    kindRtf: "an RTF document",
    kindUnknown: "a file of an unknown kind",
    kindHtml: "an HTML web page (some systems export web pages named .xlsx)",
    kindXml2003: "an Excel 2003 XML spreadsheet; save it as .xlsx",
    kindXml: "an XML file",
    kindTsv: "a tab-separated text file",
    kindCsv: "a CSV text file",
    kindText: "a text file",
  },
  {
    // Shell: the report screen
    reportScreenTitle: "Báo cáo lượt nhập",

    // Import logic: suggestion reasons and the grid's status chips
    reasonRemembered: "Đã ghi nhớ",
    reasonSameName: "Cùng tên",
    reasonSynonym: "Từ đồng nghĩa",
    reasonValues: "Theo giá trị",
    notMapped: "Chưa ánh xạ",
    chosenByYou: "Do bạn chọn",
    columnNumber: (n: number) => `Cột ${n}`,
    pastedData: "Dữ liệu đã dán",
    // Import logic: durations
    durationSeconds: (s: number) => `${s} giây`,
    durationMinutes: (min: number, s: number) => `${min} phút ${s} giây`,
    durationHours: (hours: number, min: number) => `${hours} giờ ${min} phút`,
    // Import logic: counts of a job or a dry run
    countCreated: "Đã tạo",
    countUpdated: "Đã cập nhật",
    countDuplicates: "Trùng lặp trong tệp",
    countReviews: "Xem xét hợp nhất",
    countFailed: "Lỗi",
    // Import logic: the synchronization rule's guards (dry-run tiles, then sentences)
    guardSharedKeyRows: "Dòng có giá trị dùng chung",
    guardNameDiffers: "Xem xét: khác tên",
    guardIdentifierLimit: "Xem xét: vượt giới hạn định danh",
    guardBlockedValues: "Giá trị bị chặn đã bỏ",
    guardSharedKeyRowsText: (n: number) => `${formatCount(n)} dòng có giá trị dùng chung không được dùng để đối chiếu`,
    guardNameDiffersText: (n: number) => `${formatCount(n)} chuyển sang xem xét: khác tên`,
    guardIdentifierLimitText: (n: number) => `${formatCount(n)} chuyển sang xem xét: quá nhiều số điện thoại hoặc email`,
    guardBlockedValuesText: (n: number) => `Đã bỏ ${formatCount(n)} giá trị bị chặn`,
    // Import logic: values shared by many people
    sharedKeyLine: (key: string, value: string, rows: number, names: number, used: boolean) =>
      `${upperFirst(key)} ${value} dùng chung ở ${formatCount(rows)} dòng${names > 0 ? ` (${formatCount(names)} tên khác nhau)` : ""} — ${used ? "vẫn dùng để đối chiếu, theo lựa chọn của bạn" : "không dùng để đối chiếu"}`,
    exampleRows: (_n: number, list: string, more: boolean) => `dòng ${list}${more ? " …" : ""}`,
    countsSummary: (label: string, created: number, updated: number, failed: number) =>
      `${label}: ${formatCount(created)} đã tạo, ${formatCount(updated)} đã cập nhật, ${formatCount(failed)} lỗi`,
    // Import logic: job states
    statusQueued: "Đang chờ",
    statusRunning: "Đang chạy",
    statusDone: "Hoàn tất",
    statusFailed: "Thất bại",
    statusCancelled: "Đã hủy",
    statusUndone: "Đã hoàn tác",
    // Import logic: the Undo dialog's note when this computer syncs with a server
    undoSyncNothing: (server: string) =>
      `Máy tính này đồng bộ với ${server}. Các hồ sơ đã gửi lên đó được giữ nguyên; các hồ sơ còn lại chỉ được hoàn tác trên máy này.`,
    undoSyncHeld: (n: number, server: string, until: string) =>
      `${formatCount(n)} thay đổi của lượt nhập này vẫn còn trên máy tính này${until ? ` (đến ${until})` : ""}: hoàn tác sẽ thu hồi các thay đổi đó và ${server} sẽ không nhận được.`,
    undoSyncSent: (n: number, server: string) =>
      `${formatCount(n)} thay đổi đã được gửi tới ${server}: các hồ sơ liên quan được giữ nguyên và được liệt kê.`,

    // Jobs panel
    jobsTitle: "Lượt nhập",
    jobsLabel: "Lượt nhập đang chạy",
    cancelImportOf: (name: string) => `Hủy lượt nhập ${name}`,
    progressOf: (name: string) => `Tiến độ của ${name}`,
    jobRows: (done: number, total: number) => `${formatCount(done)} / ${formatCount(total)} dòng`,
    cancellingImportOf: (name: string) => `Đang hủy lượt nhập ${name}`,
    queuePosition: (n: number) => (n <= 1 ? "Tiếp theo trong hàng đợi" : `Thứ ${formatCount(n)} trong hàng đợi`),
    // Result pop-up
    resultTitle: "Đã nhập xong",
    openReport: "Mở báo cáo",
    moreSharedValues: (n: number) => `… và ${formatCount(n)} giá trị dùng chung khác trong báo cáo`,
    openMergeReview: (n: number) => `Mở xem xét hợp nhất (${formatCount(n)})`,
    resultRows: (n: number) => ` · ${formatCount(n)} dòng`,
    rows: (n: number) => `${formatCount(n)} dòng`,

    // Wizard: frame and steps
    uploadFileTitle: "Tải tệp lên",
    pasteDataTitle: "Dán dữ liệu",
    stepSource: "Nguồn",
    stepMapping: "Ánh xạ cột",
    stepConsent: "Sự đồng ý",
    stepCheck: "Kiểm tra",
    continue: "Tiếp tục",
    confirmImport: "Xác nhận nhập",
    // Wizard: Source (file)
    uploadFilesHeading: "Tải lên tệp .xlsx",
    fileHint:
      "Chọn một hoặc nhiều tệp .xlsx, hoặc kéo thả tệp vào cửa sổ (mỗi tệp một trang tính, tên cột ở dòng đầu tiên, tối đa 50.000 dòng và 10 MB). Tệp không đúng quy định sẽ bị bỏ qua; các tệp còn lại vẫn được xử lý.",
    chooseFiles: "Chọn tệp…",
    templateRecommended: "Nên dùng tệp mẫu: các cột tự khớp với trường dữ liệu (tệp xuất trực tiếp từ hệ thống khác dễ gây lỗi định dạng).",
    downloadTemplate: "Tải tệp mẫu",
    templateSaved: (path: string) => `Đã lưu tệp mẫu vào ${path}`,
    fileChecking: "Đang kiểm tra…",
    fileReady: "Sẵn sàng",
    fileSplit: (n: number) => `Đã tách thành ${formatCount(n)} tệp, thêm ở bên dưới`,
    fileQueued: "Đã xếp hàng chờ nhập",
    splitPerSheet: "Tách mỗi trang tính thành một tệp",
    // Wizard: Source (paste)
    pasteInsteadHeading: "Hoặc dán dữ liệu",
    pasteHint:
      "Dán các dòng sao chép từ bảng tính, hoặc đọc từ bộ nhớ tạm. Không dán tên cột: các cột được nhận diện theo giá trị (dòng đầu tiên chứa tên cột sẽ được nhận ra và bỏ qua). Tối đa 1.000 dòng.",
    pastePlaceholder: "Dán các dòng sao chép từ Excel hoặc Google Sheets (các ô cách nhau bằng tab, không kèm tên cột)",
    readClipboard: "Đọc bộ nhớ tạm",
    reading: "Đang đọc…",
    pasteSummary: (rows: number, columns: number) => `${formatCount(rows)} dòng, ${formatCount(columns)} cột`,
    headerRowFound: (names: string) =>
      `Dòng đầu tiên có vẻ là tên cột (${names}): dòng này dùng để đặt tên cột và không được nhập thành khách hàng.`,
    headerRowKeep: "Đây là khách hàng: nhập dòng này",
    headerRowKept: "Dòng đầu tiên được nhập thành khách hàng.",
    headerRowDrop: "Đây là tên cột: bỏ qua dòng này",
    // Wizard: Mapping
    headColumn: "Cột",
    headSamples: "Giá trị mẫu",
    headImportInto: "Nhập vào",
    headStatus: "Trạng thái",
    fillEmptyOnly: "Chỉ điền vào trường còn trống (giữ nguyên giá trị sẵn có của hồ sơ hiện có)",
    fileOf: (position: number, total: number) => `Tệp ${position}/${total}`,
    sourceOf: (position: number, total: number) => `${position}/${total}`,
    importColumnInto: (column: string) => `Nhập ${column} vào`,
    doNotImport: "Không nhập",
    emptySamples: "(trống)",
    mappingOk: "Ánh xạ cột đáp ứng mọi điều kiện.",
    mappingOkWithWarnings: "Ánh xạ cột đáp ứng mọi điều kiện; xem các cảnh báo bên dưới.",
    problemsToFix: (n: number) => `${formatCount(n)} vấn đề cần sửa trước khi nhập`,
    warningsGoOn: (n: number) => `${formatCount(n)} cảnh báo: vẫn có thể tiếp tục nhập`,
    // Wizard: Consent
    consentHint:
      "Sự đồng ý sẽ được ghi cho mọi hồ sơ được nhập. Chọn Giữ nguyên cho một kênh để giữ những gì hồ sơ hiện có đã ghi nhận.",
    consentPerChannel: "Sự đồng ý theo từng kênh",
    channelConsent: (channel: string) => `Sự đồng ý qua ${channel}`,
    consentUnchanged: "Giữ nguyên",
    consentGranted: "Đồng ý",
    consentDenied: "Từ chối",
    noConsentChannels: "Chưa cấu hình kênh đồng ý nào.",
    // Wizard: Check (dry run)
    checkingMapping: "Đang kiểm tra ánh xạ cột…",
    confirmBlocked: "Chưa thể xác nhận: ánh xạ cột chưa đáp ứng các điều kiện sau",
    goBackToFix: "Hãy Quay lại bước Ánh xạ cột để sửa.",
    runningDryRun: "Đang chạy thử (chưa lưu gì)…",
    updatingDryRun: "Đang cập nhật kết quả chạy thử (chưa lưu gì)…",
    dryRunFailed: (error: string) => `Chạy thử không thành công: ${error}`,
    headRow: "Dòng",
    dryRunOf: (rows: number) => `Chạy thử ${formatCount(rows)} dòng; chưa có gì được lưu.`,
    guardsLabel: "Các cơ chế bảo vệ của quy tắc đồng bộ hóa",
    dryRunExplain:
      "Số dòng và số hồ sơ có thể khác nhau: các dòng lặp lại cùng một người trong tệp được hợp nhất thành một hồ sơ, dòng khớp với hồ sơ hiện có sẽ cập nhật hồ sơ đó, dòng cần xem xét hợp nhất sẽ chờ người xử lý, và dòng không hợp lệ bị bỏ qua.",
    sharedValuesTitle: (n: number) => `Giá trị dùng chung của nhiều người (${formatCount(n)})`,
    sharedValuesHint:
      "Số tổng đài hay email của cửa hàng có thể khiến những người khác nhau bị hợp nhất nhầm, nên các dòng chứa giá trị đó chỉ được đối chiếu theo các định danh khác. Nếu một giá trị thực sự thuộc về một người, bạn vẫn có thể dùng nó để đối chiếu.",
    useAnyway: "Vẫn dùng để đối chiếu",
    theFile: "tệp",
    queuedNext: (name: string, next: string) => `Đã xếp hàng ${name}. Tiếp theo: ${next}`,
    fixMappingFirst: "Hãy sửa các vấn đề về ánh xạ cột trước",
    waitingForDryRun: "Đang chờ kết quả chạy thử",
    // Wizard: Check — fix before Confirm
    rowsToCheckTitle: (n: number) => `Các dòng cần kiểm tra trước khi Xác nhận (${formatCount(n)})`,
    rowsToCheckHint:
      "Sửa ô bị sai hoặc bỏ dòng khỏi lần nhập này. Các chỉnh sửa chỉ áp dụng cho lần nhập này: tệp của bạn không bị thay đổi. Dòng để nguyên: dòng không hợp lệ sẽ bị bỏ qua, các dòng khác chờ xem xét hợp nhất.",
    rowsToCheckFirst: (shown: number, all: number) => `Đang hiển thị ${formatCount(shown)} dòng đầu trong ${formatCount(all)} dòng; hãy sửa phần còn lại ngay trong tệp.`,
    headToCheck: "Cần kiểm tra",
    headLeaveOut: "Bỏ qua",
    columnProblem: (column: string, text: string) => `${column}: ${text}`,
    goesToReview: (reason: string, names: string) => (names ? `Chuyển sang xem xét hợp nhất (${reason}): khớp với ${names}` : `Chuyển sang xem xét hợp nhất (${reason})`),
    leaveOutRow: (row: number) => `Bỏ dòng ${formatCount(row)} khỏi lần nhập này`,
    fixedBadge: "đã sửa",
    cellLabel: (column: string, row: number) => `${column}, dòng ${formatCount(row)}`,
    yourFixesTitle: (rows: number) => `Các chỉnh sửa của bạn (${formatCount(rows)} dòng)`,
    rowLeftOut: (row: number) => `Dòng ${formatCount(row)}: bỏ khỏi lần nhập này`,
    rowFixed: (row: number, changes: string) => `Dòng ${formatCount(row)}: ${changes}`,
    cellChange: (column: string, from: string, to: string) => `${column} “${from}” → “${to}”`,
    undoFix: "Hoàn tác",
    dryRunFixes: (fixed: number, excluded: number) => `${formatCount(fixed)} dòng đã sửa, ${formatCount(excluded)} dòng bỏ qua — chỉ cho lần nhập này`,
    fixesLine: (fixed: number, excluded: number) => `Sửa trước khi xác nhận: ${formatCount(fixed)} · bỏ qua: ${formatCount(excluded)}`,

    // Report
    backToProfiles: "← Quay lại danh sách hồ sơ",
    reportTitle: "Báo cáo tải tệp",
    reportMeta: "Mọi lượt nhập tệp và dán dữ liệu, cùng mọi tệp bị từ chối khi tải lên, mới nhất ở trên.",
    theImports: "các lượt nhập",
    couldNotLoadImports: "Không tải được các lượt nhập",
    noImports: "Chưa có lượt nhập nào",
    noImportsHint: "Các tệp đã tải lên và dữ liệu đã dán qua Tạo hồ sơ mới được liệt kê tại đây.",
    headFile: "Tệp",
    headUser: "Người dùng",
    headStarted: "Bắt đầu",
    headDuration: "Thời lượng",
    headRows: "Dòng",
    headCreated: "Đã tạo",
    headUpdated: "Đã cập nhật",
    headDuplicates: "Trùng lặp trong tệp",
    headReviews: "Xem xét",
    headFailed: "Lỗi",
    refusedAtUpload: "Bị từ chối khi tải lên",
    noFailedRows: "Không có dòng lỗi",
    saveFailedRowsHint: "Lưu các dòng lỗi thành tệp .xlsx kèm cột lý do",
    downloadFailedRows: "Tải xuống dòng lỗi",
    undo: "Hoàn tác",
    showProfilesNone: "Lượt nhập này không tạo hay cập nhật hồ sơ nào",
    showProfilesHint: "Hiện các hồ sơ mà lượt nhập này đã tạo hoặc cập nhật",
    showProfiles: "Hiện hồ sơ",
    openReviewsHint: "Mở xem xét hợp nhất của lượt nhập này",
    sharedValues: (n: number) => `${formatCount(n)} giá trị dùng chung`,
    retry: "Thử lại",
    savedFailedRows: (path: string) => `Đã lưu các dòng lỗi vào ${path}`,
    // Report: the Undo dialog
    undoTitle: (name: string) => `Hoàn tác lượt nhập ${name}?`,
    undoBody: (created: number, updated: number) =>
      `${formatCount(created)} hồ sơ đã tạo sẽ bị xóa và ${formatCount(updated)} hồ sơ đã cập nhật sẽ trở về giá trị trước đó. Các hồ sơ đã thay đổi sau lượt nhập (đã sửa, đã hợp nhất, đổi sự đồng ý, đã xóa) được giữ nguyên và được liệt kê.`,
    keep: "Giữ lại",
    undoImport: "Hoàn tác lượt nhập",

    // Refusals
    refusedNotXlsx: (file: string, kind: string) => `Tệp “${file}” không phải là tệp Excel .xlsx (có vẻ là ${kind})`,
    refusedNotXlsxUnknown: (file: string) => `Tệp “${file}” không phải là tệp Excel .xlsx`,
    refusedTooLarge: (file: string, size: string, limit: string) =>
      `Tệp “${file}” có dung lượng ${size}, vượt giới hạn ${limit} cho mỗi tệp`,
    refusedTooManyRows: (file: string, rows: number, exact: boolean, limit: number) =>
      `Tệp “${file}” có ${exact ? "" : "hơn "}${formatCount(rows)} dòng dữ liệu, vượt giới hạn ${formatCount(limit)} dòng cho mỗi tệp (không tính dòng tên cột)`,
    refusedSeveralSheets: (file: string, count: number, sheets: string) =>
      `Tệp “${file}” có ${formatCount(count)} trang tính chứa dữ liệu (${sheets}): hãy tách mỗi trang tính thành một tệp riêng`,
    refusedEmptyHeader: (file: string, cell: string) =>
      `Tệp “${file}”: ô ${cell} chưa có tên cột; dòng đầu tiên phải chứa tên của các cột`,
    refusedDuplicateHeader: (file: string, name: string, first: string, second: string) =>
      `Tệp “${file}”: tên cột “${name}” xuất hiện hai lần (ở ${first} và ${second})`,
    refusedEmpty: (file: string) => `Tệp “${file}” không có dữ liệu: dòng đầu tiên phải chứa tên của các cột`,
    refusedZipBomb: (file: string) => `Tệp “${file}” bị từ chối vì có thể là tệp nén độc hại (zip bomb)`,
    refusedEncrypted: (file: string) =>
      `Tệp “${file}” được đặt mật khẩu: hãy mở tệp bằng Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ Sổ làm việc) rồi lưu lại`,
    refusedDamaged: (file: string) => `Tệp “${file}” bị hỏng hoặc không đầy đủ nên không đọc được`,
    refusedTooManyColumns: (file: string, cell: string, limit: number) =>
      `Tệp “${file}” có giá trị ở ô ${cell}, vượt giới hạn ${formatCount(limit)} cột cho mỗi tệp`,
    refusedCellTooLarge: (file: string, cell: string, limit: number) =>
      `Tệp “${file}”: ô ${cell} chứa hơn ${formatCount(limit)} ký tự, vượt giới hạn của một ô (giới hạn của chính Excel)`,
    refusedWriteFailed: (file: string, target: string) => `Không tách được tệp “${file}”: ghi tệp “${target}” không thành công`,
    refusedUnreadable: (file: string) => `Không đọc được tệp “${file}”`,
    sizeBytes: (n: number) => `${formatCount(n)} byte`,
    // Refusals: what a file that is not .xlsx looks like
    kindXlsb: "sổ làm việc nhị phân của Excel (.xlsb); hãy lưu lại dưới dạng .xlsx",
    kindWord: "tài liệu Word",
    kindPowerPoint: "bản trình chiếu PowerPoint",
    kindOpenDocument: "tệp OpenDocument, chẳng hạn .ods; hãy lưu lại dưới dạng .xlsx",
    kindZip: "tệp nén zip",
    kindXlsm: "sổ làm việc có macro (.xlsm); hãy lưu lại dưới dạng .xlsx",
    kindXltx: "tệp mẫu Excel (.xltx); hãy lưu lại dưới dạng .xlsx",
    kindXltm: "tệp mẫu Excel có macro (.xltm); hãy lưu lại dưới dạng .xlsx",
    kindXls: "tệp Excel 97-2003 định dạng cũ (.xls); hãy mở bằng Excel và lưu lại dưới dạng .xlsx",
    kindDoc: "tệp Word định dạng cũ (.doc)",
    kindOldOffice: "tệp Office định dạng cũ",
    kindEmptyFile: "tệp rỗng",
    kindPdf: "tài liệu PDF",
    kindEmptyZip: "tệp nén zip rỗng",
    kindPng: "ảnh PNG",
    kindJpeg: "ảnh JPEG",
    kindGif: "ảnh GIF",
    kindArchive: "một loại tệp nén khác, không phải .xlsx",
    kindRtf: "tài liệu RTF",
    kindUnknown: "tệp không rõ định dạng",
    kindHtml: "trang web HTML (một số hệ thống xuất trang web nhưng đặt đuôi .xlsx)",
    kindXml2003: "bảng tính XML của Excel 2003; hãy lưu lại dưới dạng .xlsx",
    kindXml: "tệp XML",
    kindTsv: "tệp văn bản phân cách bằng tab",
    kindCsv: "tệp văn bản CSV",
    kindText: "tệp văn bản",
  },
);
