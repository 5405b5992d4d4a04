// Words many screens share (buttons, states). A screen's own sentences live in its folder's
// messages.ts; these are here so "Cancel" is translated once.
import { messages } from "./messages";

export const common = messages(
  "common",
  {
    cancel: "Cancel",
    close: "Close",
    save: "Save",
    saveChanges: "Save changes",
    delete: "Delete",
    edit: "Edit",
    back: "Back",
    next: "Next",
    done: "Done",
    tryAgain: "Try again",
    refresh: "Refresh",
    yes: "Yes",
    no: "No",
    none: "None",
    loading: "Loading…",
    /** "Could not load the limits." — `what` comes from the same catalogue as the screen. */
    couldNotLoad: (what: string) => `Could not load ${what}.`,
    loadingWhat: (what: string) => `Loading ${what}…`,
    dismissError: "Dismiss error",
  },
  {
    cancel: "Hủy",
    close: "Đóng",
    save: "Lưu",
    saveChanges: "Lưu thay đổi",
    delete: "Xóa",
    edit: "Sửa",
    back: "Quay lại",
    next: "Tiếp",
    done: "Xong",
    tryAgain: "Thử lại",
    refresh: "Làm mới",
    yes: "Có",
    no: "Không",
    none: "Không có",
    loading: "Đang tải…",
    couldNotLoad: (what: string) => `Không tải được ${what}.`,
    loadingWhat: (what: string) => `Đang tải ${what}…`,
    dismissError: "Đóng thông báo lỗi",
  },
);
