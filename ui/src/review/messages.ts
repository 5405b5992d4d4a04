// The merge review folder's texts: the top-bar button, the list of reviews, one review side by
// side, the decisions and their confirmation. Text from the core (its sentences about what a
// decision does, field labels, origins, profile data) is shown as received.
import { messages } from "../i18n/messages";
import { formatCount, plural } from "../shell/format";

export const m = messages(
  "review",
  {
    // Shell: the screen and its top-bar button
    screenTitle: "Merge review",
    navTitle: "Incoming data the synchronization rule would not merge on its own, waiting for a decision",
    openCount: (n: number) => `${formatCount(n)} open`,

    // Merge review: header
    backToProfiles: "← Back to profiles",
    intro: "Incoming data the synchronization rule would not merge on its own waits here for a decision.",
    reviewsWhat: "merge reviews",
    couldNotLoadReviews: "Could not load the merge reviews",

    // List: tabs, job filter, table
    tabsLabel: "Reviews",
    tabOpen: (n: number) => `Open (${n})`,
    tabResolved: (n: number) => `Resolved, last 30 days (${n})`,
    onlyJob: (job: number) => `Only import job ${job}`,
    showEveryImport: "Show the reviews of every import",
    colReview: "Review",
    colIncoming: "Incoming",
    colFrom: "From",
    colCandidates: "Candidates",
    colWhy: "Why",
    colDecision: "Decision",
    colBy: "By",
    colWhen: "When",
    colCreated: "Created",
    showingFirst: (shown: number, total: number) => `Showing the first ${formatCount(shown)} of ${plural(total, "review", "reviews")}.`,
    reviewButton: "Review",
    deleted: "deleted",

    // List: empty states
    jobScope: (job: number) => ` for import job ${job}`,
    noneWaiting: (scope: string) => `No merge reviews waiting${scope}`,
    noneWaitingBody:
      "When incoming data matches several profiles, or one whose name is another person's, it waits here for a person to decide instead of being merged.",
    noneResolved: (scope: string) => `Nothing resolved in the last 30 days${scope}`,
    noneResolvedBody: "Decisions taken here are listed for 30 days.",

    // Why the rule left a review
    reasonSeveralMatches: "Several matches",
    reasonSeveralMatchesSentence: "The incoming data matches more than one profile.",
    reasonNameDiffers: "Name differs",
    reasonNameDiffersSentence:
      "The incoming data matches one profile, but its name is another person's: the rule does not merge strangers.",
    reasonIdentifierLimit: "Too many identifiers",
    reasonIdentifierLimitSentence: "Merging would give the profile more phones or e-mails than a profile may hold.",
    reasonKeptApart: "Kept apart",
    reasonKeptApartSentence: "These profiles were kept apart on purpose earlier.",

    // One review side by side
    allReviews: "← All reviews",
    reviewTitle: (id: number, label: string) => `Review #${id}: ${label}`,
    reviewMeta: (origin: string, when: string, by: string, candidates: number) =>
      `${origin} · ${when} by ${by} · ${plural(candidates, "candidate", "candidates")}`,
    position: (at: number, of: number) => `${at} of ${of}`,
    previous: "Previous",
    mergeHint:
      "Merge all keeps the chosen profile's values; in a highlighted row, choose another value to keep it instead. Phones, e-mails and tags are combined; links, consent and history move to the kept profile.",
    policyFillEmpty:
      "Attach adds new phones and e-mails and fills empty fields; it keeps the profile's other values (the import chose “only fill empty fields”).",
    policyOverwrite: "Attach adds new phones and e-mails, fills empty fields and replaces differing values with the incoming ones.",
    colField: "Field",
    consentAndLinks: "Consent and links",
    incoming: "Incoming",
    matchedBy: (key: string) => `matched by ${key}`,
    badgeNewMatch: "new match",
    badgeChangedSince: "changed since",
    badgeNoLongerMatches: "no longer matches",
    keptProfile: "Kept profile",
    keepThisProfile: "Keep this profile",
    openThisProfile: "Open this profile",
    updatedAt: (when: string) => `Updated ${when}`,
    emptyValue: "empty",
    keepValueFor: (value: string, field: string) => `Keep ${value} for ${field}`,
    combined: "combined",

    // The action bar
    statusResolved: "This review is resolved.",
    statusNoCandidate: "No candidate is left: create a new profile or discard the incoming data.",
    statusChoose: "Choose the profile to keep.",
    statusKept: (label: string, id: number) => `Kept profile: ${label} (#${id})`,
    statusWouldRemove: (n: number) => ` · merge all would remove ${plural(n, "other profile", "other profiles")}`,

    // Decisions: why one is disabled, or what it does
    titleResolved: "This review is resolved",
    requiresPermission: (permission: string) => `Requires the ${permission} permission`,
    titleNoCandidate: "No candidate is left",
    titleChooseFirst: "Choose the profile to keep first",
    titleAttach: "Add the incoming data to the chosen profile; the other candidates stay as they are",
    titleMergeOthers: (others: number) =>
      `Merge the incoming data and ${plural(others, "other profile", "other profiles")} into the chosen one; ${others === 1 ? "it is" : "they are"} removed`,
    titleMerge: "Merge the incoming data into the chosen profile",
    titleCreateNew: "Create a new profile from the incoming data; the candidates stay as they are",
    titleDismiss: "Do not import the incoming data; the candidates stay as they are",

    // Decisions: buttons
    theChosenProfile: "the chosen profile",
    attachTo: (who: string) => `Attach to ${who}`,
    mergeAllInto: (who: string) => `Merge all into ${who}`,
    createNewProfile: "Create new profile",
    discardIncoming: "Discard incoming data",

    // Decisions: the confirmation
    thisProfile: "this profile",
    confirmAttach: (who: string) => `Attach the incoming data to ${who}?`,
    confirmMerge: (who: string) => `Merge into ${who}?`,
    confirmCreateNew: "Create a new profile?",
    confirmDismiss: "Discard the incoming data?",
    attach: "Attach",
    merge: "Merge",
    createProfile: "Create profile",
    discard: "Discard",
    theNewProfile: "The new profile",
    willHold: (label: string) => `${label} will hold`,
    removed: (profiles: string, survivor: string) =>
      `Removed: ${profiles}. Their links, consent and history move to ${survivor}; the audit log keeps a masked label.`,

    // After a decision
    openProfile: "Open profile",
    dismiss: "Dismiss",

    // Reviews the server opened (synced): the panel above the open reviews, the resolved table
    serverTitle: (n: number) => `Held by the server (${formatCount(n)})`,
    serverIntro:
      "These customers were entered on this or another computer and matched several customers on the server, so the server keeps them apart until someone decides. The server makes the merge; its result arrives with the next sync.",
    serverReasonDeletedRecently: "Deleted recently",
    serverReasonDeletedRecentlySentence: "The customer matches one deleted on the server recently, perhaps on request: it is not brought back without a decision.",
    serverReasonOther: "Held for review",
    serverReasonOtherSentence: "The server holds this customer for a person to decide.",
    notOnThisComputer: "A customer not on this computer yet",
    matchedCustomers: "Customers it matched on the server",
    addToThis: "Add to this customer",
    mergeAllIntoThis: "Merge all into this customer",
    keepSeparate: "Keep as a separate customer",
    confirmServerAttach: (held: string, target: string) => `Add ${held} to ${target}?`,
    confirmServerAttachBody: "The server merges the two customers: phones and e-mails are combined and empty fields filled. The other customers it matched stay as they are.",
    confirmServerMerge: (target: string) => `Merge all into ${target}?`,
    confirmServerMergeBody: (n: number) =>
      `The server merges ${plural(n, "other customer", "other customers")} into this one; they are removed and their links, consent and history move to it.`,
    sentToServer: "Your decision is sent with the next sync; the server makes the change.",
    decidedHere: (decision: string, by: string) => `${decision} — decided by ${by}, waiting for the server.`,
    serverDecisionAttach: (target: string) => `Added to ${target}`,
    serverDecisionAttachSomeone: "Added to one of the customers it matched",
    serverDecisionMerge: (target: string) => `All merged into ${target}`,
    serverDecisionMergeSomeone: "All merged into one customer",
    serverDecisionSeparate: "Kept as a separate customer",
    serverResolvedTitle: (n: number) => `Decided on the server (${formatCount(n)})`,
    colCustomer: "Customer",
    someone: "someone",
    couldNotLoadServerReviews: (error: string) => `The server's merge reviews could not be read: ${error}`,
  },
  {
    // Shell: the screen and its top-bar button
    screenTitle: "Xem xét hợp nhất",
    navTitle: "Dữ liệu mới mà quy tắc đồng bộ hóa không tự hợp nhất, đang chờ quyết định",
    openCount: (n: number) => `${formatCount(n)} mục đang chờ`,

    // Merge review: header
    backToProfiles: "← Quay lại danh sách hồ sơ",
    intro: "Dữ liệu mới mà quy tắc đồng bộ hóa không tự hợp nhất sẽ chờ ở đây để được quyết định.",
    reviewsWhat: "các mục xem xét hợp nhất",
    couldNotLoadReviews: "Không tải được các mục xem xét hợp nhất",

    // List: tabs, job filter, table
    tabsLabel: "Mục xem xét",
    tabOpen: (n: number) => `Đang chờ (${formatCount(n)})`,
    tabResolved: (n: number) => `Đã giải quyết, 30 ngày qua (${formatCount(n)})`,
    onlyJob: (job: number) => `Chỉ tác vụ nhập ${job}`,
    showEveryImport: "Hiện mục xem xét của mọi lượt nhập",
    colReview: "Mục",
    colIncoming: "Dữ liệu mới",
    colFrom: "Nguồn",
    colCandidates: "Hồ sơ khớp",
    colWhy: "Lý do",
    colDecision: "Quyết định",
    colBy: "Người quyết định",
    colWhen: "Thời gian",
    colCreated: "Ngày tạo",
    showingFirst: (shown: number, total: number) => `Đang hiện ${formatCount(shown)} mục đầu tiên trong tổng số ${formatCount(total)} mục.`,
    reviewButton: "Xem xét",
    deleted: "đã xóa",

    // List: empty states
    jobScope: (job: number) => ` thuộc tác vụ nhập ${job}`,
    noneWaiting: (scope: string) => `Không có mục xem xét hợp nhất nào đang chờ${scope}`,
    noneWaitingBody:
      "Khi dữ liệu mới khớp với nhiều hồ sơ, hoặc khớp với một hồ sơ mang tên của người khác, dữ liệu sẽ chờ ở đây để người dùng quyết định thay vì bị hợp nhất.",
    noneResolved: (scope: string) => `Không có mục nào được giải quyết trong 30 ngày qua${scope}`,
    noneResolvedBody: "Các quyết định đưa ra tại đây được liệt kê trong 30 ngày.",

    // Why the rule left a review
    reasonSeveralMatches: "Khớp nhiều hồ sơ",
    reasonSeveralMatchesSentence: "Dữ liệu mới khớp với nhiều hơn một hồ sơ.",
    reasonNameDiffers: "Khác tên",
    reasonNameDiffersSentence:
      "Dữ liệu mới khớp với một hồ sơ, nhưng tên lại là của người khác: quy tắc không hợp nhất những người khác nhau.",
    reasonIdentifierLimit: "Quá nhiều định danh",
    reasonIdentifierLimitSentence: "Hợp nhất sẽ khiến hồ sơ có nhiều số điện thoại hoặc email hơn mức một hồ sơ được phép có.",
    reasonKeptApart: "Đã giữ riêng",
    reasonKeptApartSentence: "Trước đây các hồ sơ này đã được chủ ý giữ riêng.",

    // One review side by side
    allReviews: "← Tất cả mục xem xét",
    reviewTitle: (id: number, label: string) => `Mục xem xét #${id}: ${label}`,
    reviewMeta: (origin: string, when: string, by: string, candidates: number) =>
      `${origin} · ${when} bởi ${by} · ${formatCount(candidates)} hồ sơ khớp`,
    position: (at: number, of: number) => `${formatCount(at)}/${formatCount(of)}`,
    previous: "Trước",
    mergeHint:
      "Hợp nhất tất cả sẽ giữ các giá trị của hồ sơ đã chọn; ở dòng được tô sáng, bạn có thể chọn một giá trị khác để giữ thay thế. Số điện thoại, email và thẻ được gộp lại; liên kết, sự đồng ý và lịch sử được chuyển sang hồ sơ được giữ.",
    policyFillEmpty:
      "Bổ sung sẽ thêm số điện thoại và email mới, điền vào các trường còn trống và giữ nguyên các giá trị khác của hồ sơ (lượt nhập đã chọn “chỉ điền vào trường trống”).",
    policyOverwrite: "Bổ sung sẽ thêm số điện thoại và email mới, điền vào các trường còn trống và thay các giá trị khác biệt bằng giá trị mới.",
    colField: "Trường",
    consentAndLinks: "Đồng ý và liên kết",
    incoming: "Dữ liệu mới",
    matchedBy: (key: string) => `khớp theo ${key}`,
    badgeNewMatch: "khớp mới",
    badgeChangedSince: "đã thay đổi sau đó",
    badgeNoLongerMatches: "không còn khớp",
    keptProfile: "Hồ sơ được giữ",
    keepThisProfile: "Giữ hồ sơ này",
    openThisProfile: "Mở hồ sơ này",
    updatedAt: (when: string) => `Cập nhật ${when}`,
    emptyValue: "trống",
    keepValueFor: (value: string, field: string) => `Giữ ${value} cho ${field}`,
    combined: "được gộp",

    // The action bar
    statusResolved: "Mục xem xét này đã được giải quyết.",
    statusNoCandidate: "Không còn hồ sơ khớp nào: hãy tạo hồ sơ mới hoặc loại bỏ dữ liệu mới.",
    statusChoose: "Hãy chọn hồ sơ cần giữ.",
    statusKept: (label: string, id: number) => `Hồ sơ được giữ: ${label} (#${id})`,
    statusWouldRemove: (n: number) => ` · hợp nhất tất cả sẽ xóa ${formatCount(n)} hồ sơ khác`,

    // Decisions: why one is disabled, or what it does
    titleResolved: "Mục xem xét này đã được giải quyết",
    requiresPermission: (permission: string) => `Cần có quyền ${permission}`,
    titleNoCandidate: "Không còn hồ sơ khớp nào",
    titleChooseFirst: "Hãy chọn hồ sơ cần giữ trước",
    titleAttach: "Bổ sung dữ liệu mới vào hồ sơ đã chọn; các hồ sơ khớp khác giữ nguyên",
    titleMergeOthers: (others: number) =>
      `Hợp nhất dữ liệu mới và ${formatCount(others)} hồ sơ khác vào hồ sơ đã chọn; ${others === 1 ? "hồ sơ đó" : "các hồ sơ đó"} sẽ bị xóa`,
    titleMerge: "Hợp nhất dữ liệu mới vào hồ sơ đã chọn",
    titleCreateNew: "Tạo hồ sơ mới từ dữ liệu mới; các hồ sơ khớp giữ nguyên",
    titleDismiss: "Không nhập dữ liệu mới; các hồ sơ khớp giữ nguyên",

    // Decisions: buttons
    theChosenProfile: "hồ sơ đã chọn",
    attachTo: (who: string) => `Bổ sung vào ${who}`,
    mergeAllInto: (who: string) => `Hợp nhất tất cả vào ${who}`,
    createNewProfile: "Tạo hồ sơ mới",
    discardIncoming: "Loại bỏ dữ liệu mới",

    // Decisions: the confirmation
    thisProfile: "hồ sơ này",
    confirmAttach: (who: string) => `Bổ sung dữ liệu mới vào ${who}?`,
    confirmMerge: (who: string) => `Hợp nhất vào ${who}?`,
    confirmCreateNew: "Tạo hồ sơ mới?",
    confirmDismiss: "Loại bỏ dữ liệu mới?",
    attach: "Bổ sung",
    merge: "Hợp nhất",
    createProfile: "Tạo hồ sơ",
    discard: "Loại bỏ",
    theNewProfile: "Hồ sơ mới",
    willHold: (label: string) => `${label} sẽ có`,
    removed: (profiles: string, survivor: string) =>
      `Bị xóa: ${profiles}. Liên kết, sự đồng ý và lịch sử của các hồ sơ này được chuyển sang ${survivor}; nhật ký hoạt động giữ lại một nhãn đã che thông tin.`,

    // After a decision
    openProfile: "Mở hồ sơ",
    dismiss: "Đóng thông báo",

    // Reviews the server opened (synced): the panel above the open reviews, the resolved table
    serverTitle: (n: number) => `Máy chủ đang giữ lại (${formatCount(n)})`,
    serverIntro:
      "Những khách hàng này được nhập trên máy này hoặc máy khác và trùng với nhiều khách hàng trên máy chủ, nên máy chủ giữ riêng cho đến khi có người quyết định. Máy chủ sẽ thực hiện việc hợp nhất; kết quả về máy bạn ở lần đồng bộ tiếp theo.",
    serverReasonDeletedRecently: "Mới bị xóa",
    serverReasonDeletedRecentlySentence: "Khách hàng này trùng với một khách hàng vừa bị xóa trên máy chủ, có thể theo yêu cầu: không được khôi phục nếu chưa có quyết định.",
    serverReasonOther: "Chờ xem xét",
    serverReasonOtherSentence: "Máy chủ giữ lại khách hàng này để một người quyết định.",
    notOnThisComputer: "Một khách hàng chưa có trên máy tính này",
    matchedCustomers: "Các khách hàng trùng trên máy chủ",
    addToThis: "Bổ sung vào khách hàng này",
    mergeAllIntoThis: "Hợp nhất tất cả vào khách hàng này",
    keepSeparate: "Giữ thành khách hàng riêng",
    confirmServerAttach: (held: string, target: string) => `Bổ sung ${held} vào ${target}?`,
    confirmServerAttachBody: "Máy chủ sẽ hợp nhất hai khách hàng: gộp số điện thoại và email, điền các trường còn trống. Các khách hàng trùng khác giữ nguyên.",
    confirmServerMerge: (target: string) => `Hợp nhất tất cả vào ${target}?`,
    confirmServerMergeBody: (n: number) =>
      `Máy chủ sẽ hợp nhất ${formatCount(n)} khách hàng khác vào khách hàng này; các khách hàng đó bị xóa, liên kết, đồng ý và lịch sử của họ được chuyển sang khách hàng này.`,
    sentToServer: "Quyết định của bạn được gửi ở lần đồng bộ tiếp theo; máy chủ sẽ thực hiện thay đổi.",
    decidedHere: (decision: string, by: string) => `${decision} — do ${by} quyết định, đang chờ máy chủ.`,
    serverDecisionAttach: (target: string) => `Đã bổ sung vào ${target}`,
    serverDecisionAttachSomeone: "Đã bổ sung vào một trong các khách hàng trùng",
    serverDecisionMerge: (target: string) => `Đã hợp nhất tất cả vào ${target}`,
    serverDecisionMergeSomeone: "Đã hợp nhất tất cả vào một khách hàng",
    serverDecisionSeparate: "Đã giữ thành khách hàng riêng",
    serverResolvedTitle: (n: number) => `Đã quyết định trên máy chủ (${formatCount(n)})`,
    colCustomer: "Khách hàng",
    someone: "một người dùng",
    couldNotLoadServerReviews: (error: string) => `Không đọc được các mục xem xét hợp nhất của máy chủ: ${error}`,
  },
);
