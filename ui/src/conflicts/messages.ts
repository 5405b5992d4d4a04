// The conflicts folder's texts: the conflict review screen. Core texts (field labels, values,
// who set them and on which device, errors) are shown as the core sends them.
import { messages } from "../i18n/messages";
import { formatCount, plural } from "../shell/format";

export const m = messages(
  "conflicts",
  {
    // Shell: the screen
    screenTitle: "Sync conflicts",

    // Conflict logic: values, sides, imports
    emptyValue: "(empty)",
    thisComputer: "this computer",
    importName: (job: number) => `import #${job}`,
    importNameWithFile: (job: number, file: string) => `import #${job} (${file})`,
    profileNotHere: "A profile not on this computer",
    /** `name`: "import #12 (customers.xlsx)". */
    keepServerBody: (n: number, name: string) =>
      `${plural(n, "field", "fields")} that ${name} changed at the same time as someone else will take the value set elsewhere. The import's values stay listed under Decided.`,

    // Conflict review
    intro:
      "Someone changed the same field as you at the same time. The server kept one value; the other is kept here, so nothing is lost. Decide which value each profile keeps, or type the right one.",
    couldNotRead: (error: string) => `The conflicts could not be read: ${error}`,
    noConflicts: "No conflicts to review: nobody changed the same field as you at the same time.",
    summary: (open: number, profiles: number) => `${plural(open, "open conflict", "open conflicts")} on ${plural(profiles, "profile", "profiles")}`,
    showMore: (n: number) => `Show ${formatCount(n)} more profiles`,
    /** `name`: "Import #12 (customers.xlsx)", capitalized as it starts the sentence. */
    importBar: (name: string, n: number) =>
      `${name}: ${plural(n, "field", "fields")} changed at the same time as someone else. Keep all server values gives each field the value set elsewhere.`,
    keepAllServerValues: "Keep all server values",
    keepAllTitle: (name: string) => `Keep all server values for ${name}?`,
    keepServerValues: "Keep server values",
    keptServerValues: (n: number, name: string) =>
      `${plural(n, "conflict", "conflicts")} of ${name} decided: the values set elsewhere are kept.`,
    openProfile: "Open profile",
    headField: "Field",
    headKept: "Kept (in the profile now)",
    headNotKept: "Not kept",
    fromImport: (name: string) => `From ${name}`,
    keep: "Keep",
    useOther: "Use the other",
    editValue: "Edit…",
    newValueFor: (field: string) => `New value for ${field}`,
    decidedRecently: (n: number) => `Decided recently (${formatCount(n)})`,
    headProfile: "Profile",
    headKeptByServer: "Kept by the server",
    headListed: "Listed",
  },
  {
    // Shell: the screen
    screenTitle: "Xung đột đồng bộ",

    // Conflict logic: values, sides, imports
    emptyValue: "(trống)",
    thisComputer: "máy tính này",
    importName: (job: number) => `lượt nhập #${job}`,
    importNameWithFile: (job: number, file: string) => `lượt nhập #${job} (${file})`,
    profileNotHere: "Một hồ sơ không có trên máy tính này",
    keepServerBody: (n: number, name: string) =>
      `${formatCount(n)} trường mà ${name} đã thay đổi cùng lúc với người khác sẽ nhận giá trị được đặt ở nơi khác. Giá trị của lượt nhập vẫn được liệt kê trong mục Đã quyết định gần đây.`,

    // Conflict review
    intro:
      "Có người đã thay đổi cùng một trường với bạn vào cùng thời điểm. Máy chủ đã giữ một giá trị; giá trị còn lại được lưu tại đây nên không có gì bị mất. Hãy chọn giá trị mà mỗi hồ sơ giữ lại, hoặc nhập giá trị đúng.",
    couldNotRead: (error: string) => `Không đọc được các xung đột: ${error}`,
    noConflicts: "Không có xung đột cần xem xét: không ai thay đổi cùng trường với bạn vào cùng thời điểm.",
    summary: (open: number, profiles: number) => `${formatCount(open)} xung đột chưa giải quyết trên ${formatCount(profiles)} hồ sơ`,
    showMore: (n: number) => `Hiện thêm ${formatCount(n)} hồ sơ`,
    importBar: (name: string, n: number) =>
      `${name}: ${formatCount(n)} trường đã được thay đổi cùng lúc với người khác. Chọn Giữ mọi giá trị máy chủ để mỗi trường nhận giá trị đã được đặt ở nơi khác.`,
    keepAllServerValues: "Giữ mọi giá trị máy chủ",
    keepAllTitle: (name: string) => `Giữ mọi giá trị máy chủ cho ${name}?`,
    keepServerValues: "Giữ giá trị máy chủ",
    keptServerValues: (n: number, name: string) =>
      `Đã giải quyết ${formatCount(n)} xung đột của ${name}: giữ các giá trị được đặt ở nơi khác.`,
    openProfile: "Mở hồ sơ",
    headField: "Trường",
    headKept: "Được giữ (hiện có trong hồ sơ)",
    headNotKept: "Không được giữ",
    fromImport: (name: string) => `Từ ${name}`,
    keep: "Giữ",
    useOther: "Dùng giá trị kia",
    editValue: "Sửa…",
    newValueFor: (field: string) => `Giá trị mới cho ${field}`,
    decidedRecently: (n: number) => `Đã quyết định gần đây (${formatCount(n)})`,
    headProfile: "Hồ sơ",
    headKeptByServer: "Máy chủ giữ",
    headListed: "Thời điểm",
  },
);
