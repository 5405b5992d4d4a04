// The few words the IPC layer writes itself (everything else it passes on is the core's).
import { messages } from "../i18n/messages";

export const m = messages(
  "ipc",
  {
    // A failure the core did not describe (call.ts, IpcError.from)
    unexpectedError: "Unexpected error from the application core.",
  },
  {
    unexpectedError: "Lỗi không xác định từ phần lõi của ứng dụng.",
  },
);

/**
 * The names a new store gives its built-in fields, their options, the consent channels and
 * the roles (crates/core/migrations/0002_defaults.sql, in English). A name still as the store was
 * created is shown in the UI's language; one an administrator changed is theirs, shown as
 * typed (builtinNames.ts).
 */
export const BUILTIN_NAMES_EN = {
  "field:full_name": "Full name",
  "field:phones": "Phones",
  "field:emails": "E-mails",
  "field:gender": "Gender",
  "field:birthday": "Birthday",
  "field:address": "Address",
  "field:city": "City",
  "field:company": "Company",
  "field:job_title": "Job title",
  "field:customer_code": "Customer code",
  "field:tags": "Tags",
  "field:note": "Note",
  "field:source": "Source",
  "field:created_at": "Created at",
  "field:updated_at": "Updated at",
  "field:created_by": "Created by",
  "field:updated_by": "Updated by",
  "option:gender:male": "Male",
  "option:gender:female": "Female",
  "option:gender:other": "Other",
  "option:gender:unknown": "Unknown",
  "channel:email": "E-mail",
  "channel:sms": "SMS",
  "channel:phone_call": "Phone call",
  // Roles have no key but their name, which a built-in role keeps (it cannot be renamed).
  "role:administrator": "Administrator",
  "role:sales": "Sales",
  "role:viewer": "Viewer",
};

export const builtinNames = messages("builtin-names", BUILTIN_NAMES_EN, {
  "field:full_name": "Họ và tên",
  "field:phones": "Số điện thoại",
  "field:emails": "Email",
  "field:gender": "Giới tính",
  "field:birthday": "Ngày sinh",
  "field:address": "Địa chỉ",
  "field:city": "Tỉnh/Thành phố",
  "field:company": "Công ty",
  "field:job_title": "Chức vụ",
  "field:customer_code": "Mã khách hàng",
  "field:tags": "Nhãn",
  "field:note": "Ghi chú",
  "field:source": "Nguồn",
  "field:created_at": "Ngày tạo",
  "field:updated_at": "Ngày cập nhật",
  "field:created_by": "Người tạo",
  "field:updated_by": "Người cập nhật",
  "option:gender:male": "Nam",
  "option:gender:female": "Nữ",
  "option:gender:other": "Khác",
  "option:gender:unknown": "Chưa rõ",
  "channel:email": "Email",
  "channel:sms": "SMS",
  "channel:phone_call": "Gọi điện",
  "role:administrator": "Quản trị viên",
  "role:sales": "Nhân viên kinh doanh",
  "role:viewer": "Người xem",
});
