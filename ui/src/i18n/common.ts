// Words many screens share (buttons, states). A screen's own sentences live in its folder's
// messages.ts; these are here so "Cancel" is translated once.
import { messages } from "./messages";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

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
    // Dates (i18n/dates.ts): one format in both languages, dd/mm/yyyy.
    datePlaceholder: "dd/mm/yyyy",
    /** Not written as a date at all. */
    dateNotWritten: (text: string) => `“${text}” is not a date: write it as dd/mm/yyyy, e.g. 05/09/1990`,
    /** Written as a date, with a month number no month has (often month and day swapped). */
    dateNoSuchMonth: (text: string, month: number) => `“${text}” is not a date: there is no month ${month} (the day comes first: dd/mm/yyyy)`,
    /** Written the right way; the day does not exist in that month. */
    dateNoSuchDay: (text: string, month: number, year: number, days: number) =>
      `“${text}” is not a date: ${MONTHS[month - 1] ?? month} ${year} has ${days} ${days === 1 ? "day" : "days"}`,
    dateYear: (text: string) => `“${text}” is not a date: the year must be between 1800 and 2200`,
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
    datePlaceholder: "dd/mm/yyyy",
    dateNotWritten: (text: string) => `“${text}” không phải là ngày: hãy viết theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/09/1990`,
    dateNoSuchMonth: (text: string, month: number) => `“${text}” không phải là ngày: không có tháng ${month} (ngày viết trước tháng: dd/mm/yyyy)`,
    dateNoSuchDay: (text: string, month: number, year: number, days: number) =>
      `“${text}” không phải là ngày có thật: tháng ${month} năm ${year} chỉ có ${days} ngày`,
    dateYear: (text: string) => `“${text}” không phải là ngày: năm phải từ 1800 đến 2200`,
  },
);
