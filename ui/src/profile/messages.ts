// The profile folder's texts: the detail screen, the profile form, the create wizard (with its
// question about matching profiles), the delete dialog and the two questions an edit may ask.
// Text from the core (field labels, its messages, profile data) is shown as received.
import { messages } from "../i18n/messages";
import { formatCount, humanize, plural } from "../shell/format";

/** History entry kinds the core records (`HistoryEntry.kind`); others are shown humanized. */
const HISTORY_KINDS_VI: Readonly<Record<string, string>> = {
  created: "Tạo mới",
  updated: "Cập nhật",
  edited: "Chỉnh sửa",
  merged: "Hợp nhất",
  mergedFrom: "Hợp nhất từ hồ sơ khác",
  consent: "Đồng ý",
  undone: "Hoàn tác",
  synced: "Đồng bộ",
  conflictResolved: "Giải quyết xung đột",
};

export const m = messages(
  "profile",
  {
    // Shell: the detail screen's title
    screenTitle: "Profile",

    // Detail: header and states
    profileWhat: "profile",
    profileNotFound: "Profile not found",
    couldNotLoadProfile: "Could not load the profile",
    backToProfiles: "← Profiles",
    editTitle: "Edit this profile",
    requiresPermission: (permission: string) => `Requires the ${permission} permission`,
    deleteThisProfile: "Delete this profile",
    profileNumber: (id: number) => `Profile #${id}`,
    createdOn: "Created ",
    updatedOn: "Updated ",
    by: " by ",
    idLabel: (id: number) => `ID ${id}`,
    profileSaved: "Profile saved",
    discardEdits: (label: string) => `Your changes to ${label} have not been saved.`,
    /** The save bar at the bottom of the detail while editing. */
    editingBar: (label: string) => `Editing ${label}`,
    saveShortcut: "Save (Ctrl+S)",

    // Detail: cards
    fieldsCard: "Fields",
    historyCard: "History",
    consentCard: "Consent",
    linksCard: "Linked objects",
    primary: "primary",

    // Detail: consent
    consentHistory: "History",
    noConsentYet: "No consent recorded yet.",
    colChannel: "Channel",
    colStatus: "Status",
    colBy: "By",
    colWhen: "When",
    colSource: "Source",

    // Detail: linked objects
    linkedAccounts: "Accounts",
    linkedOpportunities: "Opportunities",
    linkedTickets: "Tickets",
    linkedTasks: "Tasks",
    colTitle: "Title",
    colUpdated: "Updated",

    // Detail: change history
    noChanges: "No changes recorded.",
    historyKind: (kind: string) => humanize(kind),
    matchedBy: (key: string) => `matched by ${key}`,
    historyAdded: (items: string) => `added ${items}`,
    changedTo: "changed to",
    empty: "(empty)",

    // Profile form
    identificationHint: "At least one of full name, phone or e-mail is required.",
    mandatoryBefore: " Fields marked ",
    mandatoryAfter: " are mandatory.",
    nounPhone: "phone",
    nounEmail: "e-mail",
    nounTag: "tag",
    nounValue: "value",
    addEntry: (noun: string) => `+ Add ${noun}`,
    removeEntry: (noun: string, n: number) => `Remove ${noun} ${n}`,
    alreadyBelongsTo: "Already belongs to ",
    guardCreate: (key: string) => ` (matched by ${key}) — Save will ask whether to update that profile or create a separate one.`,
    guardEdit: (key: string) => ` (matched by ${key}).`,

    // Create wizard
    createTitle: "Create profile",
    discardNewProfile: "The new profile has not been saved: what you typed will be lost.",
    stepProfile: "Profile",
    stepConsent: "Consent",
    continue: "Continue",
    consentHint:
      "Record what the customer agreed to. Leave a channel on Unknown when they did not say; consent already recorded for an existing profile is then kept.",
    consentPerChannel: "Consent per channel",
    consentOf: (channel: string) => `${channel} consent`,
    noChannels: "No consent channels are configured.",
    sendToReview: "Send to merge review",
    sendToReviewTitle: "Neither creates nor updates a profile now: what you typed waits in Merge review for someone to decide",
    createSeparate: "Create a separate profile",

    // Create wizard: the question about matching profiles
    reasonSeveralMatches: "It matches several profiles, so the synchronization rule alone would not pick one.",
    reasonNameDiffers: "The name is another person's, so the synchronization rule alone would not merge them.",
    reasonIdentifierLimit: "Merging would pass the most phones or e-mails a profile may hold.",
    reasonKeptApart: "These profiles were kept apart on purpose earlier.",
    nameDiffers: (existing: string, typed: string) => `The name is another person's: ${existing} ≠ ${typed}`,
    createdSeparate: (label: string, others: string) => `Created separate profile ${label} — not merged with ${others}`,
    savedCreated: (label: string) => `Created profile ${label}`,
    savedUpdated: (label: string, key: string) => `Updated existing profile ${label} — matched by ${key}`,
    savedReviewNameDiffers: (labels: string) =>
      `Matches ${labels} by a phone, e-mail or code, but the name is another person's; nothing was merged — a merge review was created`,
    savedReviewLimit: (labels: string) =>
      `Matches ${labels}, but merging would pass the limit of phones or e-mails a profile may hold; nothing was merged — a merge review was created`,
    savedReviewSeveral: (n: number, labels: string) => `Matches ${n} different profiles (${labels}); nothing was merged — a merge review was created`,
    openMergeReview: "Open merge review",
    updateThisProfile: "Update this profile",
    mayAlreadyExist: "This profile may already exist",
    matchesExisting: (n: number) => `This profile matches ${plural(n, "existing profile", "existing profiles")}`,
    nothingSavedYet:
      "Nothing is saved yet. Update the existing profile with what you typed, or create a separate profile if this is someone else.",
    sendToReviewExplained:
      "“Send to merge review” neither creates nor updates a profile now: what you typed waits in Merge review for someone to decide.",
    existingProfile: "Existing profile",
    updateWouldChange: "Update this profile would change",
    nothingToChange: "Nothing: it already holds what you typed.",
    noNameTyped: "(no name typed)",
    samePersonOnly: ". Update this profile only if they are the same person; otherwise create a separate profile.",
    colField: "Field",
    colNow: "Now",
    colAfterUpdate: "After update",
    changeAdded: (items: string) => `added ${items}`,

    // Delete dialog
    reasonRequired: "Enter the reason for deleting (it is kept in the audit log)",
    reasonTooLong: (max: number, n: number) => `The reason can have at most ${plural(max, "character", "characters")} (it has ${formatCount(n)})`,
    deleted: (n: number) => `Deleted ${plural(n, "profile", "profiles")}`,
    deleteOneTitle: "Delete profile",
    deleteManyTitle: (n: number) => `Delete ${plural(n, "profile", "profiles")}`,
    checkingLinks: "Checking linked objects…",
    reasonPlaceholder: "For example: duplicate of another profile; the customer asked to be forgotten",
    targetOneOpen: "“",
    targetOneClose: "” ",
    idInParens: (id: number) => `(ID ${id})`,
    selectedProfiles: (n: number) => plural(n, "selected profile", "selected profiles"),
    willBeDeleted: " will be deleted.",
    /** Before the list of the first few names. */
    willBeDeletedNamed: " will be deleted:",
    /** The last line of that list: the profiles not named. */
    andMore: (n: number) => `and ${formatCount(n)} more`,
    irreversible: "Deletion is irreversible. ",
    removedForGoodOne:
      "The profile, its phones, e-mails, tags, consent records, history and links are removed for good; the linked objects themselves are kept.",
    removedForGoodMany:
      "The profiles, their phones, e-mails, tags, consent records, history and links are removed for good; the linked objects themselves are kept.",
    reasonLabel: "Reason ",
    reasonKept: " — kept in the audit log",
    accounts: (n: number): string => (n === 1 ? "Account" : "Accounts"),
    opportunities: (n: number): string => (n === 1 ? "Opportunity" : "Opportunities"),
    tickets: (n: number): string => (n === 1 ? "Ticket" : "Tickets"),
    tasks: (n: number): string => (n === 1 ? "Task" : "Tasks"),
    noLinks: "No linked Accounts, Opportunities, Tickets or Tasks: nothing loses a link.",
    linksLost: (profiles: number, server: string) =>
      `These linked objects will lose their link to ${profiles === 1 ? "this profile" : `the ${formatCount(profiles)} profiles`}${server ? `, here and on ${server}` : ""}.`,
    deleteGoesToServer: (server: string, profiles: number) =>
      `This computer syncs with ${server}: the delete and its reason go there too, and colleagues' laptops remove ${profiles === 1 ? "the profile" : "the profiles"} as well.`,

    // Edit: changed by someone else meanwhile
    conflictTitle: "Changed by someone else since you opened it",
    conflictIntro: "Nothing was saved. For each field, choose the value to keep:",
    yoursNow: (yours: string, now: string) => ` — yours: ${yours}, now: ${now}`,
    whenOpened: (base: string) => ` (when you opened it: ${base})`,
    useMine: "Use mine",
    keepTheirs: "Keep theirs",
    keepTheirsAll: "Keep theirs for all",
    useMineAll: "Use mine for all",

    // Edit: a phone or e-mail another profile holds
    sharedTitle: "This would share an identifier with another profile",
    sharedIntro: "Another profile already holds what you typed:",
    belongsTo: (value: string, key: string) => `${value} (${key}) belongs to `,
    sharedAdviceOne:
      "If they are the same person, open the other profile and add what is missing there instead. If they are different people, keep both: the choice is written in the history, and later imports holding this value go to merge review.",
    sharedAdviceMany:
      "If they are different people, keep both: the choice is written in the history, and later imports holding these values go to merge review.",
    keepBoth: "Keep both profiles",
  },
  {
    // Shell: the detail screen's title
    screenTitle: "Hồ sơ",

    // Detail: header and states
    profileWhat: "hồ sơ",
    profileNotFound: "Không tìm thấy hồ sơ",
    couldNotLoadProfile: "Không tải được hồ sơ",
    backToProfiles: "← Hồ sơ",
    editTitle: "Sửa hồ sơ này",
    requiresPermission: (permission: string) => `Cần có quyền ${permission}`,
    deleteThisProfile: "Xóa hồ sơ này",
    profileNumber: (id: number) => `Hồ sơ #${id}`,
    createdOn: "Tạo lúc ",
    updatedOn: "Cập nhật lúc ",
    by: " bởi ",
    idLabel: (id: number) => `ID ${id}`,
    profileSaved: "Đã lưu hồ sơ",
    discardEdits: (label: string) => `Các thay đổi của bạn đối với ${label} chưa được lưu.`,
    editingBar: (label: string) => `Đang sửa ${label}`,
    saveShortcut: "Lưu (Ctrl+S)",

    // Detail: cards
    fieldsCard: "Trường thông tin",
    historyCard: "Lịch sử",
    consentCard: "Đồng ý",
    linksCard: "Đối tượng liên kết",
    primary: "chính",

    // Detail: consent
    consentHistory: "Lịch sử",
    noConsentYet: "Chưa ghi nhận sự đồng ý nào.",
    colChannel: "Kênh",
    colStatus: "Trạng thái",
    colBy: "Người ghi nhận",
    colWhen: "Thời gian",
    colSource: "Nguồn",

    // Detail: linked objects
    linkedAccounts: "Tài khoản",
    linkedOpportunities: "Cơ hội",
    linkedTickets: "Phiếu hỗ trợ",
    linkedTasks: "Công việc",
    colTitle: "Tiêu đề",
    colUpdated: "Cập nhật lúc",

    // Detail: change history
    noChanges: "Chưa ghi nhận thay đổi nào.",
    historyKind: (kind: string) => HISTORY_KINDS_VI[kind] ?? humanize(kind),
    matchedBy: (key: string) => `khớp theo ${key}`,
    historyAdded: (items: string) => `đã thêm ${items}`,
    changedTo: "đổi thành",
    empty: "(trống)",

    // Profile form
    identificationHint: "Cần có ít nhất một trong các thông tin: họ và tên, số điện thoại hoặc email.",
    mandatoryBefore: " Các trường có dấu ",
    mandatoryAfter: " là bắt buộc.",
    nounPhone: "số điện thoại",
    nounEmail: "email",
    nounTag: "thẻ",
    nounValue: "giá trị",
    addEntry: (noun: string) => `+ Thêm ${noun}`,
    removeEntry: (noun: string, n: number) => `Xóa ${noun} ${n}`,
    alreadyBelongsTo: "Đã thuộc về ",
    guardCreate: (key: string) => ` (khớp theo ${key}) — khi Lưu, bạn sẽ được hỏi nên cập nhật hồ sơ đó hay tạo hồ sơ riêng.`,
    guardEdit: (key: string) => ` (khớp theo ${key}).`,

    // Create wizard
    createTitle: "Tạo hồ sơ",
    discardNewProfile: "Hồ sơ mới chưa được lưu: những gì bạn đã nhập sẽ bị mất.",
    stepProfile: "Hồ sơ",
    stepConsent: "Đồng ý",
    continue: "Tiếp tục",
    consentHint:
      "Ghi lại những gì khách hàng đã đồng ý. Để kênh ở Chưa rõ nếu khách hàng không cho biết; khi đó, sự đồng ý đã ghi nhận cho hồ sơ hiện có được giữ nguyên.",
    consentPerChannel: "Đồng ý theo từng kênh",
    consentOf: (channel: string) => `Đồng ý qua kênh ${channel}`,
    noChannels: "Chưa cấu hình kênh đồng ý nào.",
    sendToReview: "Chuyển sang xem xét hợp nhất",
    sendToReviewTitle:
      "Không tạo cũng không cập nhật hồ sơ nào lúc này: thông tin bạn đã nhập sẽ chờ trong Xem xét hợp nhất để người có trách nhiệm quyết định",
    createSeparate: "Tạo hồ sơ riêng",

    // Create wizard: the question about matching profiles
    reasonSeveralMatches: "Thông tin khớp với nhiều hồ sơ nên quy tắc đồng bộ hóa không tự chọn được một hồ sơ.",
    reasonNameDiffers: "Tên là của một người khác nên quy tắc đồng bộ hóa không tự hợp nhất.",
    reasonIdentifierLimit: "Hợp nhất sẽ vượt quá số lượng số điện thoại hoặc email tối đa mà một hồ sơ được phép có.",
    reasonKeptApart: "Trước đây các hồ sơ này đã được chủ ý giữ riêng.",
    nameDiffers: (existing: string, typed: string) => `Tên là của một người khác: ${existing} ≠ ${typed}`,
    createdSeparate: (label: string, others: string) => `Đã tạo hồ sơ riêng ${label} — không hợp nhất với ${others}`,
    savedCreated: (label: string) => `Đã tạo hồ sơ ${label}`,
    savedUpdated: (label: string, key: string) => `Đã cập nhật hồ sơ có sẵn ${label} — khớp theo ${key}`,
    savedReviewNameDiffers: (labels: string) =>
      `Khớp với ${labels} theo số điện thoại, email hoặc mã khách hàng, nhưng tên là của người khác; không hợp nhất gì — đã tạo một xem xét hợp nhất`,
    savedReviewLimit: (labels: string) =>
      `Khớp với ${labels}, nhưng hợp nhất sẽ vượt giới hạn số điện thoại hoặc email của một hồ sơ; không hợp nhất gì — đã tạo một xem xét hợp nhất`,
    savedReviewSeveral: (n: number, labels: string) => `Khớp với ${n} hồ sơ khác nhau (${labels}); không hợp nhất gì — đã tạo một xem xét hợp nhất`,
    openMergeReview: "Mở xem xét hợp nhất",
    updateThisProfile: "Cập nhật hồ sơ này",
    mayAlreadyExist: "Hồ sơ này có thể đã tồn tại",
    matchesExisting: (n: number) => `Hồ sơ này khớp với ${formatCount(n)} hồ sơ hiện có`,
    nothingSavedYet:
      "Chưa có gì được lưu. Hãy cập nhật hồ sơ hiện có bằng thông tin bạn đã nhập, hoặc tạo hồ sơ riêng nếu đây là người khác.",
    sendToReviewExplained:
      "“Chuyển sang xem xét hợp nhất” không tạo cũng không cập nhật hồ sơ nào lúc này: thông tin bạn đã nhập sẽ chờ trong Xem xét hợp nhất để người có trách nhiệm quyết định.",
    existingProfile: "Hồ sơ hiện có",
    updateWouldChange: "Cập nhật hồ sơ này sẽ thay đổi",
    nothingToChange: "Không có gì: hồ sơ đã có sẵn thông tin bạn nhập.",
    noNameTyped: "(chưa nhập tên)",
    samePersonOnly: ". Chỉ cập nhật hồ sơ này nếu đây là cùng một người; nếu không, hãy tạo hồ sơ riêng.",
    colField: "Trường",
    colNow: "Hiện tại",
    colAfterUpdate: "Sau khi cập nhật",
    changeAdded: (items: string) => `thêm ${items}`,

    // Delete dialog
    reasonRequired: "Nhập lý do xóa (lý do được lưu trong nhật ký hoạt động)",
    reasonTooLong: (max: number, n: number) => `Lý do chỉ được dài tối đa ${formatCount(max)} ký tự (hiện có ${formatCount(n)})`,
    deleted: (n: number) => `Đã xóa ${formatCount(n)} hồ sơ`,
    deleteOneTitle: "Xóa hồ sơ",
    deleteManyTitle: (n: number) => `Xóa ${formatCount(n)} hồ sơ`,
    checkingLinks: "Đang kiểm tra đối tượng liên kết…",
    reasonPlaceholder: "Ví dụ: trùng lặp với một hồ sơ khác; khách hàng yêu cầu xóa dữ liệu của mình",
    targetOneOpen: "Hồ sơ “",
    targetOneClose: "” ",
    idInParens: (id: number) => `(ID ${id})`,
    selectedProfiles: (n: number) => `${formatCount(n)} hồ sơ đã chọn`,
    willBeDeleted: " sẽ bị xóa.",
    willBeDeletedNamed: " sẽ bị xóa:",
    andMore: (n: number) => `và ${formatCount(n)} hồ sơ khác`,
    irreversible: "Không thể hoàn tác thao tác xóa. ",
    removedForGoodOne:
      "Hồ sơ cùng số điện thoại, email, thẻ, bản ghi đồng ý, lịch sử và liên kết của hồ sơ sẽ bị xóa vĩnh viễn; bản thân các đối tượng liên kết vẫn được giữ lại.",
    removedForGoodMany:
      "Các hồ sơ cùng số điện thoại, email, thẻ, bản ghi đồng ý, lịch sử và liên kết của chúng sẽ bị xóa vĩnh viễn; bản thân các đối tượng liên kết vẫn được giữ lại.",
    reasonLabel: "Lý do ",
    reasonKept: " — được lưu trong nhật ký hoạt động",
    accounts: (_n: number) => "Tài khoản",
    opportunities: (_n: number) => "Cơ hội",
    tickets: (_n: number) => "Phiếu hỗ trợ",
    tasks: (_n: number) => "Công việc",
    noLinks: "Không có tài khoản, cơ hội, phiếu hỗ trợ hay công việc nào được liên kết: không liên kết nào bị mất.",
    linksLost: (profiles: number, server: string) =>
      `Các đối tượng liên kết này sẽ mất liên kết với ${profiles === 1 ? "hồ sơ này" : `${formatCount(profiles)} hồ sơ`}${server ? `, tại đây và trên ${server}` : ""}.`,
    deleteGoesToServer: (server: string, profiles: number) =>
      `Máy tính này đồng bộ với ${server}: thao tác xóa và lý do cũng được gửi lên đó, và máy của đồng nghiệp cũng sẽ xóa ${profiles === 1 ? "hồ sơ này" : "các hồ sơ này"}.`,

    // Edit: changed by someone else meanwhile
    conflictTitle: "Đã có người khác thay đổi kể từ khi bạn mở",
    conflictIntro: "Chưa có gì được lưu. Với mỗi trường, hãy chọn giá trị cần giữ:",
    yoursNow: (yours: string, now: string) => ` — của bạn: ${yours}, hiện tại: ${now}`,
    whenOpened: (base: string) => ` (lúc bạn mở: ${base})`,
    useMine: "Dùng của tôi",
    keepTheirs: "Giữ của người kia",
    keepTheirsAll: "Giữ của người kia cho tất cả",
    useMineAll: "Dùng của tôi cho tất cả",

    // Edit: a phone or e-mail another profile holds
    sharedTitle: "Hồ sơ này sẽ dùng chung thông tin định danh với một hồ sơ khác",
    sharedIntro: "Một hồ sơ khác đã có thông tin bạn nhập:",
    belongsTo: (value: string, key: string) => `${value} (${key}) thuộc về `,
    sharedAdviceOne:
      "Nếu là cùng một người, hãy mở hồ sơ kia và bổ sung thông tin còn thiếu ở đó. Nếu là những người khác nhau, hãy giữ cả hai: lựa chọn này được ghi vào lịch sử, và các lượt nhập sau có giá trị này sẽ được chuyển sang xem xét hợp nhất.",
    sharedAdviceMany:
      "Nếu là những người khác nhau, hãy giữ cả hai: lựa chọn này được ghi vào lịch sử, và các lượt nhập sau có các giá trị này sẽ được chuyển sang xem xét hợp nhất.",
    keepBoth: "Giữ cả hai hồ sơ",
  },
);
