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
