// The sentences of sign-in, first run, the lock screen, the user menu and the recovery screen.
// (Cancel, Save…: ../i18n/common.ts.)
import { messages } from "../i18n/messages";
import { formatCount, plural } from "../shell/format";

export const m = messages(
  "session",
  {
    // Passwords (first run, change password)
    passwordTooShort: (min: number) => `A password needs at least ${plural(min, "character", "characters")}`,
    passwordsDiffer: "The two passwords differ",

    // First run
    welcome: "Welcome to Profile Desk",
    welcomeIntro: "Set up the administrator of this computer's profiles. The administrator can add more users, roles and settings later.",
    userName: "User name",
    userNameHint: "What you type to sign in.",
    yourName: "Your name",
    yourNameHint: "How you appear in the app and the audit log (optional).",
    yourNamePlaceholder: "For example: Trần Thị Lan",
    password: "Password",
    passwordHint: (min: number) => `At least ${plural(min, "character", "characters")}. Asked when more users share this computer and after the session locks.`,
    passwordAgain: "Password again",
    phoneRegion: "Default phone region",
    phoneRegionHint:
      "Phone numbers written without a country code are read as numbers of this region (0912 345 678 → +84 912 345 678 for Vietnam). You can change it later in Settings.",
    createAdministrator: "Create the administrator and start",

    // Sign-in
    signIn: "Sign in",
    signInIntro: "Choose your name and enter your password.",
    user: "User",
    nobodyCanSignIn: "Nobody can sign in",
    nobodyCanSignInIntro: "No user of this store has a password. An administrator can set one with `pdesk user passwd NAME`.",

    // Lock screen
    sessionLocked: "Session locked",
    lockedIntro: (who: string) => `${who}, enter your password to go on. What you had open is kept.`,
    unlock: "Unlock",
    signOutInstead: "Sign out instead",

    // User menu
    mailForResults: "E-mail for results…",
    mailForResultsHint: "Where your imports and exports are e-mailed",
    changePassword: "Change password…",
    changePasswordHint: "Your own password",
    lockNow: "Lock now",
    lockNowHint: "Your password reopens the session",
    signOut: "Sign out",
    signOutHint: "Back to the sign-in screen",
    language: "Language",

    // User menu → E-mail for results
    mailTitle: "Your e-mail for results",
    mailIntro: "The imports and exports you run are e-mailed here when they finish. Leave empty to get no e-mail.",
    mailAddress: "E-mail address",
    mailPlaceholder: "you@example.com",
    mailSaved: (address: string) => `Results are e-mailed to ${address}`,
    mailCleared: "No e-mail for your results",

    // User menu → Change password
    passwordTitle: "Change your password",
    currentPassword: "Current password",
    newPassword: "New password",
    newPasswordAgain: "New password again",
    changePasswordButton: "Change password",
    passwordChanged: "Your password was changed",

    // Recovery screen (a damaged database)
    recoveryTitle: "Profile Desk found a problem with its database",
    /** The sentence is cut around its emphasis: before, the emphasis, after. */
    recoveryIntroBefore: "The database file failed its integrity check at start, so Profile Desk did not open it and ",
    recoveryIntroStrong: "changed nothing in it",
    recoveryIntroAfter: ". Restoring a backup brings your profiles back as they were when that backup was taken.",
    recoveryLateIntroBefore: "The database file failed its integrity check, run just after it opened. Profile Desk stopped using it at once and ",
    recoveryLateIntroStrong: "ran no import, export, sync or backup on it",
    recoveryLateIntroAfter: ". Restoring a backup brings your profiles back as they were when that backup was taken.",
    checkFound: (problem: string) => `What the check found: ${problem}`,
    newestGoodBackup: "Newest good backup",
    noGoodBackup: (count: number, folder: string) => count === 1 ? `The backup in ${folder} did not pass its check. ` : `None of the ${formatCount(count)} backups in ${folder} passed its check. `,
    noBackup: (folder: string) => `There is no backup in ${folder}. `,
    chooseElsewhere: "If you keep backups elsewhere (a USB stick, a network folder), choose one.",
    restoreThis: "Restore this backup",
    chooseBackupFile: "Choose a backup file…",
    damagedKept: "The damaged file is kept for support, renamed with “damaged” in its name next to where it is now: ",
  },
  {
    // Mật khẩu
    passwordTooShort: (min: number) => `Mật khẩu cần có ít nhất ${min} ký tự`,
    passwordsDiffer: "Hai mật khẩu không khớp",

    // Lần chạy đầu tiên
    welcome: "Chào mừng bạn đến với Profile Desk",
    welcomeIntro: "Thiết lập quản trị viên cho các hồ sơ trên máy tính này. Quản trị viên có thể thêm người dùng, vai trò và cài đặt sau.",
    userName: "Tên đăng nhập",
    userNameHint: "Tên bạn gõ khi đăng nhập.",
    yourName: "Tên của bạn",
    yourNameHint: "Tên hiển thị trong ứng dụng và nhật ký hoạt động (không bắt buộc).",
    yourNamePlaceholder: "Ví dụ: Trần Thị Lan",
    password: "Mật khẩu",
    passwordHint: (min: number) => `Ít nhất ${min} ký tự. Được hỏi khi nhiều người dùng chung máy tính này và sau khi phiên làm việc bị khóa.`,
    passwordAgain: "Nhập lại mật khẩu",
    phoneRegion: "Vùng số điện thoại mặc định",
    phoneRegionHint:
      "Số điện thoại không có mã quốc gia được hiểu là số của vùng này (0912 345 678 → +84 912 345 678 với Việt Nam). Bạn có thể đổi sau trong Cài đặt.",
    createAdministrator: "Tạo quản trị viên và bắt đầu",

    // Đăng nhập
    signIn: "Đăng nhập",
    signInIntro: "Chọn tên của bạn và nhập mật khẩu.",
    user: "Người dùng",
    nobodyCanSignIn: "Không ai có thể đăng nhập",
    nobodyCanSignInIntro: "Chưa người dùng nào của kho dữ liệu này có mật khẩu. Quản trị viên có thể đặt mật khẩu bằng lệnh `pdesk user passwd TÊN`.",

    // Màn hình khóa
    sessionLocked: "Phiên làm việc đã khóa",
    lockedIntro: (who: string) => `${who}, hãy nhập mật khẩu để tiếp tục. Những gì bạn đang mở vẫn được giữ nguyên.`,
    unlock: "Mở khóa",
    signOutInstead: "Đăng xuất thay vì mở khóa",

    // Menu người dùng
    mailForResults: "Email nhận kết quả…",
    mailForResultsHint: "Nơi nhận email về các lượt nhập và xuất dữ liệu của bạn",
    changePassword: "Đổi mật khẩu…",
    changePasswordHint: "Mật khẩu của chính bạn",
    lockNow: "Khóa ngay",
    lockNowHint: "Mật khẩu của bạn sẽ mở lại phiên làm việc",
    signOut: "Đăng xuất",
    signOutHint: "Quay lại màn hình đăng nhập",
    language: "Ngôn ngữ",

    // Menu người dùng → Email nhận kết quả
    mailTitle: "Email nhận kết quả của bạn",
    mailIntro: "Kết quả các lượt nhập và xuất dữ liệu bạn chạy sẽ được gửi đến email này khi hoàn tất. Để trống nếu không muốn nhận email.",
    mailAddress: "Địa chỉ email",
    mailPlaceholder: "ban@example.com",
    mailSaved: (address: string) => `Kết quả sẽ được gửi đến ${address}`,
    mailCleared: "Bạn sẽ không nhận email kết quả",

    // Menu người dùng → Đổi mật khẩu
    passwordTitle: "Đổi mật khẩu của bạn",
    currentPassword: "Mật khẩu hiện tại",
    newPassword: "Mật khẩu mới",
    newPasswordAgain: "Nhập lại mật khẩu mới",
    changePasswordButton: "Đổi mật khẩu",
    passwordChanged: "Đã đổi mật khẩu của bạn",

    // Màn hình khôi phục (cơ sở dữ liệu bị hỏng)
    recoveryTitle: "Profile Desk phát hiện sự cố với cơ sở dữ liệu",
    recoveryIntroBefore: "Tệp cơ sở dữ liệu không vượt qua bước kiểm tra toàn vẹn khi khởi động, vì vậy Profile Desk đã không mở tệp và ",
    recoveryIntroStrong: "không thay đổi gì trong tệp",
    recoveryIntroAfter: ". Khôi phục một bản sao lưu sẽ đưa hồ sơ của bạn về đúng như lúc tạo bản sao lưu đó.",
    recoveryLateIntroBefore: "Tệp cơ sở dữ liệu không vượt qua bước kiểm tra toàn vẹn chạy ngay sau khi mở. Profile Desk đã ngừng dùng tệp ngay lập tức và ",
    recoveryLateIntroStrong: "không chạy nhập, xuất, đồng bộ hay sao lưu nào trên tệp",
    recoveryLateIntroAfter: ". Khôi phục một bản sao lưu sẽ đưa hồ sơ của bạn về đúng như lúc tạo bản sao lưu đó.",
    checkFound: (problem: string) => `Kết quả kiểm tra: ${problem}`,
    newestGoodBackup: "Bản sao lưu tốt mới nhất",
    noGoodBackup: (count: number, folder: string) => `Không bản nào trong ${formatCount(count)} bản sao lưu ở ${folder} vượt qua bước kiểm tra. `,
    noBackup: (folder: string) => `Không có bản sao lưu nào trong ${folder}. `,
    chooseElsewhere: "Nếu bạn lưu bản sao lưu ở nơi khác (USB, thư mục mạng), hãy chọn một bản.",
    restoreThis: "Khôi phục bản sao lưu này",
    chooseBackupFile: "Chọn tệp sao lưu…",
    damagedKept: "Tệp bị hỏng được giữ lại để hỗ trợ kỹ thuật, được đổi tên có thêm chữ “damaged” và nằm cạnh vị trí hiện tại: ",
  },
);
