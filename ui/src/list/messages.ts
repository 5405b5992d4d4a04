// The profile list's words, in English and Vietnamese (read at render time: `m.filter`).
// Field labels, select options and the core's filter errors come from the core and are not here.
// Messages with `…Mark` parameters are sentences around elements (a count, a button): the
// parameter is where the element goes, so the translator decides where it stands.
import { messages } from "../i18n/messages";
import { formatCount, plural } from "../shell/format";

export const m = messages(
  "list",
  {
    // List screen: title, search, counts, toolbar
    title: "Identified Profiles",
    searchPlaceholder: "Search name, phone, e-mail, customer code",
    searchLabel: "Search profiles",
    /** "1,234 profiles · 56 shown" ("1 profile · 1 shown"): the two numbers and the separator are elements. */
    counts: (total: number, totalMark: string, sepMark: string, shownMark: string) =>
      `${totalMark} ${total === 1 ? "profile" : "profiles"}${sepMark}${shownMark} shown`,
    /** "3 selected": the number is an element. */
    selected: (countMark: string) => `${countMark} selected`,
    clearSelection: "Clear selection",
    bulkDeleteTitle: "Delete the selected profiles (at most 100 at once)",
    filter: "Filter",
    filterTitle: "Narrow the list with conditions on fields, consent and source",
    segments: "Segments",
    savedSegments: "Saved segments",
    export: "Export",
    exportTitle: "Export the list (its filter, or the selected rows) to .xlsx",

    // List screen: empty state (no profile at all)
    emptyTitle: "No profiles yet",
    /** The three parameters are the bold names of the menu and its two entries. */
    emptyBody: (menuMark: string, individuallyMark: string, uploadMark: string) =>
      `Profiles you create appear here, newest first. Start with ${menuMark}: ${individuallyMark} to type one in, or ${uploadMark} to import a list from Excel.`,
    createNewProfile: "Create new Profile",
    createIndividually: "Create individually",
    uploadFile: "Upload file",
    cannotCreate: "Your role cannot create profiles (profile.create).",
    /** The parameter is the "Explore the demo" button. */
    demoLine: (buttonMark: string) =>
      `Just looking around? ${buttonMark} — generated profiles in a separate window and database; nothing is added here.`,
    exploreDemo: "Explore the demo",

    // List screen: no-match state
    noMatchTitle: "No profiles match",
    noMatchFilter: "No profile meets every condition of the filter. Remove a condition or change a value.",
    noMatchFilterSearch: (search: string) =>
      `No profile meets every condition of the filter and the search “${search}”. Remove a condition or change a value.`,
    noMatchSearch: (search: string) =>
      `Nothing matches “${search}”. Try part of a name, a phone number in any format, an e-mail or a customer code.`,
    clearSearch: "Clear search",

    // Profile table
    tableLabel: "Profiles",
    /** The header checkbox: it takes the rows on screen (`n` of them; 0 before any is loaded). */
    selectRowsOnScreen: (n: number) => (n === 0 ? "Select the rows on screen" : `Select the ${plural(n, "row", "rows")} on screen`),
    unselectRowsOnScreen: (n: number) => `Unselect the ${plural(n, "row", "rows")} on screen`,
    // Above the table once every row on screen is selected: the whole filtered list is offered.
    screenSelected: (n: number) => `The ${plural(n, "profile", "profiles")} on screen ${n === 1 ? "is" : "are"} selected.`,
    selectWholeList: (n: number) => (n === 1 ? "Select the profile in the list" : `Select all ${formatCount(n)} profiles in the list`),
    wholeListTooLarge: (n: number, limit: number) =>
      `The list has ${plural(n, "profile", "profiles")}; at most ${formatCount(limit)} can be selected at once. Narrow it with the search or a filter to select it all.`,
    wholeListSelected: (n: number) => (n === 1 ? "The profile in the list is selected." : `All ${formatCount(n)} profiles in the list are selected.`),
    sortBy: (column: string) => `Sort by ${column}`,
    selectRow: (label: string) => `Select ${label}`,
    shiftRangeLimit: (max: number) => `Shift-click selects up to ${plural(max, "row", "rows")} at a time.`,

    // Column chooser
    columns: "Columns",
    chooseColumns: "Choose columns",
    displayedColumns: "Displayed columns",
    columnsHint: "Tick the fields to show; use the arrows to order them.",
    lastColumn: "At least one column is displayed",
    moveUp: (field: string) => `Move ${field} up`,
    moveDown: (field: string) => `Move ${field} down`,

    // Filter builder
    filterConditions: "Filter conditions",
    addCondition: "Add condition",
    clearAll: "Clear all",
    combineHint: "Conditions combine with AND.",
    saveAsSegmentButton: "Save as segment…",
    /** Before the first condition. */
    where: "Where",
    /** Before every further condition. */
    and: "and",
    /** Between the two values of "is between". */
    betweenAnd: "and",
    subjectLabel: (n: number) => `Condition ${n}: what to filter on`,
    operatorLabel: (n: number) => `Condition ${n}: operator`,
    valueLabel: (n: number) => `Condition ${n}: value`,
    secondValueLabel: (n: number) => `Condition ${n}: second value`,
    removeConditionLabel: (n: number) => `Remove condition ${n}`,
    removeCondition: "Remove this condition",
    numberPlaceholder: "number",
    phonePlaceholder: "phone, any format",
    valuePlaceholder: "value",
    /** After the number of "in the last … days". */
    days: "days",

    // Filter builder: operators
    opIs: "is",
    opIsNot: "is not",
    opContains: "contains",
    opStartsWith: "starts with",
    opEmpty: "is empty",
    opNotEmpty: "is not empty",
    opBetween: "is between",
    opLastDays: "in the last",
    opHas: "has",
    opHasNot: "has not",
    opOnDate: "is on",
    opNotOnDate: "is not on",
    opBefore: "is before",
    opAfter: "is after",

    // Filter builder: subjects and values
    consentOf: (channel: string) => `Consent · ${channel}`,
    source: "Source",
    granted: "Granted",
    denied: "Denied",
    unknown: "Unknown",
    sourceManual: "Created by hand",
    sourceFile: "File import",
    sourcePaste: "Paste",
    sourceSync: "Sync",
    importJob: (id: number, fileName: string) => `Import job ${id}: ${fileName}`,

    // Segments panel
    saveCurrent: "Save current",
    saveCurrentTitle: "Save the current search, filter, sort and columns as a segment",
    noSegments: "No segments yet. Build a filter, then save it here to use it again.",
    segmentActions: (name: string) => `Actions for the segment ${name}`,
    updateSegment: "Update with the current filter",
    renameMenu: "Rename…",
    deleteMenu: "Delete…",
    segmentChangedTitle: "The filter was changed since the segment was applied",
    /** After the active segment's name (a leading space is added). */
    segmentChanged: "· changed",
    saveAsSegment: "Save as segment",
    segmentName: "Segment name",
    saveSegment: "Save segment",
    renameSegment: "Rename segment",
    rename: "Rename",
    deleteSegmentQuestion: (name: string) => `Delete the segment “${name}”?`,
    deleteSegmentBody: "The saved filter is removed. Profiles are not affected.",
    deleteSegment: "Delete segment",
    segmentSaved: (name: string) => `Saved the segment “${name}”`,
    segmentUpdated: (name: string) => `Updated the segment “${name}” with the current filter`,
    segmentDeleted: (name: string) => `Deleted the segment “${name}”`,
  },
  {
    // List screen: title, search, counts, toolbar
    title: "Hồ sơ định danh",
    searchPlaceholder: "Tìm theo họ và tên, số điện thoại, email, mã khách hàng",
    searchLabel: "Tìm kiếm hồ sơ",
    counts: (_total: number, totalMark: string, sepMark: string, shownMark: string) => `${totalMark} hồ sơ${sepMark}${shownMark} đang hiển thị`,
    selected: (countMark: string) => `Đã chọn ${countMark}`,
    clearSelection: "Bỏ chọn",
    bulkDeleteTitle: "Xóa các hồ sơ đã chọn (tối đa 100 hồ sơ mỗi lần)",
    filter: "Bộ lọc",
    filterTitle: "Thu hẹp danh sách bằng các điều kiện theo trường, sự đồng ý và nguồn",
    segments: "Phân khúc",
    savedSegments: "Phân khúc đã lưu",
    export: "Xuất dữ liệu",
    exportTitle: "Xuất danh sách (theo bộ lọc hoặc các dòng đã chọn) ra tệp .xlsx",

    // List screen: empty state (no profile at all)
    emptyTitle: "Chưa có hồ sơ nào",
    emptyBody: (menuMark: string, individuallyMark: string, uploadMark: string) =>
      `Hồ sơ bạn tạo sẽ hiển thị tại đây, mới nhất ở trên cùng. Hãy bắt đầu với ${menuMark}: ${individuallyMark} để nhập từng hồ sơ, hoặc ${uploadMark} để nhập danh sách từ Excel.`,
    createNewProfile: "Tạo hồ sơ mới",
    createIndividually: "Tạo thủ công",
    uploadFile: "Tải tệp lên",
    cannotCreate: "Vai trò của bạn không được phép tạo hồ sơ (profile.create).",
    demoLine: (buttonMark: string) =>
      `Chỉ muốn xem thử? ${buttonMark} — hồ sơ được tạo tự động, trong cửa sổ và cơ sở dữ liệu riêng; không có gì được thêm vào đây.`,
    exploreDemo: "Khám phá bản demo",

    // List screen: no-match state
    noMatchTitle: "Không có hồ sơ nào phù hợp",
    noMatchFilter: "Không có hồ sơ nào thỏa mọi điều kiện của bộ lọc. Hãy bỏ bớt một điều kiện hoặc đổi giá trị.",
    noMatchFilterSearch: (search: string) =>
      `Không có hồ sơ nào thỏa mọi điều kiện của bộ lọc và từ khóa tìm kiếm “${search}”. Hãy bỏ bớt một điều kiện hoặc đổi giá trị.`,
    noMatchSearch: (search: string) =>
      `Không có kết quả nào cho “${search}”. Hãy thử một phần của tên, số điện thoại ở định dạng bất kỳ, email hoặc mã khách hàng.`,
    clearSearch: "Xóa tìm kiếm",

    // Profile table
    tableLabel: "Hồ sơ",
    selectRowsOnScreen: (n: number) => (n === 0 ? "Chọn các dòng đang hiển thị" : `Chọn ${formatCount(n)} dòng đang hiển thị`),
    unselectRowsOnScreen: (n: number) => `Bỏ chọn ${formatCount(n)} dòng đang hiển thị`,
    screenSelected: (n: number) => `Đã chọn ${formatCount(n)} hồ sơ đang hiển thị.`,
    selectWholeList: (n: number) => `Chọn tất cả ${formatCount(n)} hồ sơ trong danh sách`,
    wholeListTooLarge: (n: number, limit: number) =>
      `Danh sách có ${formatCount(n)} hồ sơ, nhưng mỗi lần chỉ chọn được tối đa ${formatCount(limit)} hồ sơ. Hãy thu hẹp danh sách bằng ô tìm kiếm hoặc bộ lọc để chọn toàn bộ.`,
    wholeListSelected: (n: number) => `Đã chọn tất cả ${formatCount(n)} hồ sơ trong danh sách.`,
    sortBy: (column: string) => `Sắp xếp theo ${column}`,
    selectRow: (label: string) => `Chọn ${label}`,
    shiftRangeLimit: (max: number) => `Mỗi lần Shift + nhấp chỉ chọn được tối đa ${formatCount(max)} dòng.`,

    // Column chooser
    columns: "Cột",
    chooseColumns: "Chọn cột",
    displayedColumns: "Các cột hiển thị",
    columnsHint: "Đánh dấu các trường cần hiển thị; dùng mũi tên để sắp xếp thứ tự.",
    lastColumn: "Phải hiển thị ít nhất một cột",
    moveUp: (field: string) => `Chuyển ${field} lên`,
    moveDown: (field: string) => `Chuyển ${field} xuống`,

    // Filter builder
    filterConditions: "Các điều kiện lọc",
    addCondition: "Thêm điều kiện",
    clearAll: "Xóa tất cả",
    combineHint: "Hồ sơ phải thỏa tất cả các điều kiện (VÀ).",
    saveAsSegmentButton: "Lưu thành phân khúc…",
    where: "Khi",
    and: "và",
    betweenAnd: "đến",
    subjectLabel: (n: number) => `Điều kiện ${n}: lọc theo`,
    operatorLabel: (n: number) => `Điều kiện ${n}: toán tử`,
    valueLabel: (n: number) => `Điều kiện ${n}: giá trị`,
    secondValueLabel: (n: number) => `Điều kiện ${n}: giá trị thứ hai`,
    removeConditionLabel: (n: number) => `Xóa điều kiện ${n}`,
    removeCondition: "Xóa điều kiện này",
    numberPlaceholder: "số",
    phonePlaceholder: "số điện thoại, định dạng bất kỳ",
    valuePlaceholder: "giá trị",
    days: "ngày qua",

    // Filter builder: operators
    opIs: "là",
    opIsNot: "không phải là",
    opContains: "chứa",
    opStartsWith: "bắt đầu bằng",
    opEmpty: "để trống",
    opNotEmpty: "không để trống",
    opBetween: "từ",
    opLastDays: "trong",
    opHas: "có",
    opHasNot: "không có",
    opOnDate: "vào ngày",
    opNotOnDate: "không vào ngày",
    opBefore: "trước ngày",
    opAfter: "sau ngày",

    // Filter builder: subjects and values
    consentOf: (channel: string) => `Sự đồng ý · ${channel}`,
    source: "Nguồn",
    granted: "Đồng ý",
    denied: "Từ chối",
    unknown: "Chưa rõ",
    sourceManual: "Tạo thủ công",
    sourceFile: "Nhập từ tệp",
    sourcePaste: "Dán dữ liệu",
    sourceSync: "Đồng bộ",
    importJob: (id: number, fileName: string) => `Tác vụ nhập ${id}: ${fileName}`,

    // Segments panel
    saveCurrent: "Lưu hiện tại",
    saveCurrentTitle: "Lưu tìm kiếm, bộ lọc, thứ tự sắp xếp và các cột hiện tại thành một phân khúc",
    noSegments: "Chưa có phân khúc nào. Hãy tạo bộ lọc rồi lưu tại đây để dùng lại.",
    segmentActions: (name: string) => `Thao tác cho phân khúc ${name}`,
    updateSegment: "Cập nhật theo bộ lọc hiện tại",
    renameMenu: "Đổi tên…",
    deleteMenu: "Xóa…",
    segmentChangedTitle: "Bộ lọc đã thay đổi kể từ khi áp dụng phân khúc",
    segmentChanged: "· đã thay đổi",
    saveAsSegment: "Lưu thành phân khúc",
    segmentName: "Tên phân khúc",
    saveSegment: "Lưu phân khúc",
    renameSegment: "Đổi tên phân khúc",
    rename: "Đổi tên",
    deleteSegmentQuestion: (name: string) => `Xóa phân khúc “${name}”?`,
    deleteSegmentBody: "Bộ lọc đã lưu sẽ bị xóa. Các hồ sơ không bị ảnh hưởng.",
    deleteSegment: "Xóa phân khúc",
    segmentSaved: (name: string) => `Đã lưu phân khúc “${name}”`,
    segmentUpdated: (name: string) => `Đã cập nhật phân khúc “${name}” theo bộ lọc hiện tại`,
    segmentDeleted: (name: string) => `Đã xóa phân khúc “${name}”`,
  },
);
