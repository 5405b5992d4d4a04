// Refusals as the core sends them (crates/xlsx/src/refusal.rs `details()`), one or more per
// code, each with the core's English message (its `#[error]` format filled in by hand) — for
// the renderer's tests in both languages and the screens' tests.
import type { RefusalCode } from "./refusals";

export interface RefusalSample {
  code: RefusalCode;
  details: Record<string, unknown>;
  /** The core's message for these details, word for word. */
  core: string;
}

const MB = 1024 * 1024;
const FILE = "khách-hàng-tháng-11.xlsx";

export const REFUSAL_SAMPLES: readonly RefusalSample[] = [
  {
    code: "notXlsx",
    details: { file: FILE, looksLike: "a CSV text file" },
    core: `"${FILE}" is not an Excel .xlsx file (it looks like a CSV text file)`,
  },
  {
    code: "notXlsx",
    details: { file: "danh-sach.xlsm", looksLike: "a macro-enabled workbook (.xlsm); save it as .xlsx" },
    core: `"danh-sach.xlsm" is not an Excel .xlsx file (it looks like a macro-enabled workbook (.xlsm); save it as .xlsx)`,
  },
  {
    code: "tooLarge",
    details: { file: FILE, size: 13_002_342, limit: 10 * MB },
    core: `"${FILE}" is 12.4 MB; the limit is 10 MB per file`,
  },
  {
    code: "tooLarge",
    details: { file: FILE, size: 10 * MB + 1, limit: 10 * MB },
    core: `"${FILE}" is 10.1 MB; the limit is 10 MB per file`,
  },
  {
    code: "tooManyRows",
    details: { file: FILE, rows: 50_001, exact: true, limit: 50_000 },
    core: `"${FILE}" has 50,001 data rows; the limit is 50,000 rows per file (the header row is not counted)`,
  },
  {
    code: "tooManyRows",
    details: { file: FILE, rows: 200_000, exact: false, limit: 50_000 },
    core: `"${FILE}" has more than 200,000 data rows; the limit is 50,000 rows per file (the header row is not counted)`,
  },
  {
    code: "severalSheets",
    details: { file: FILE, sheets: ["Hà Nội", "TP. Hồ Chí Minh"] },
    core: `"${FILE}" has 2 sheets with data (Hà Nội, TP. Hồ Chí Minh): separate each sheet into its own file`,
  },
  {
    code: "emptyHeader",
    details: { file: FILE, cell: "C1" },
    core: `"${FILE}": the column name in C1 is empty; the first row must hold the column names`,
  },
  {
    code: "duplicateHeader",
    details: { file: FILE, name: "Số điện thoại", cells: ["B1", "E1"] },
    core: `"${FILE}": the column name "Số điện thoại" appears twice (B1 and E1)`,
  },
  {
    code: "empty",
    details: { file: FILE },
    core: `"${FILE}" is empty: the first row must hold the column names`,
  },
  {
    code: "zipBomb",
    details: { file: FILE, part: "xl/worksheets/sheet1.xml", detail: "the part xl/worksheets/sheet1.xml inflates to more than the size its zip directory declares" },
    core: `"${FILE}" was refused as a possible zip bomb: the part xl/worksheets/sheet1.xml inflates to more than the size its zip directory declares`,
  },
  {
    code: "encrypted",
    details: { file: FILE },
    core: `"${FILE}" is password-protected: open it in Excel, remove the password (File > Info > Protect Workbook) and save it again`,
  },
  {
    code: "damaged",
    details: { file: FILE, detail: "the workbook has no relationships part" },
    core: `"${FILE}" is damaged or truncated and cannot be read (the workbook has no relationships part)`,
  },
  {
    code: "tooManyColumns",
    details: { file: FILE, cell: "AAA2", limit: 500 },
    core: `"${FILE}" has a value in AAA2, beyond the limit of 500 columns per file`,
  },
  {
    code: "cellTooLarge",
    details: { file: FILE, cell: "D17", limit: 32_767 },
    core: `"${FILE}": the cell D17 holds more than 32,767 characters, the limit per cell (Excel's own limit)`,
  },
  {
    code: "writeFailed",
    details: { file: FILE, target: "khách-hàng-tháng-11 - Hà Nội.xlsx", detail: "No space left on device (os error 28)" },
    core: `"${FILE}" could not be split: writing "khách-hàng-tháng-11 - Hà Nội.xlsx" failed (No space left on device (os error 28))`,
  },
  {
    code: "unreadable",
    details: { file: FILE, detail: "Permission denied (os error 13)" },
    core: `"${FILE}" could not be read: Permission denied (os error 13)`,
  },
];
