// Why a file was refused, in the UI's language. The core refuses a file with a stable code and
// the sentence's parameters as data (`ImportRefusal::code` and `details` in
// crates/xlsx/src/refusal.rs: the file, the sizes in bytes, the rows, the cells, the sheets…);
// this words them from the import catalogue instead of showing the core's English. The English
// sentences are the core's own, word for word (refusals.test.ts compares them), so what the CLI
// prints and what the app shows agree. `detail` — the system's or the parser's own text — is
// never translated: it is shown as is, on a line of its own under the sentence. A code this UI
// does not know, or details it cannot read (a newer core, a refusal kept before the details
// were), answer null and the caller shows the core's sentence: never a blank.
import { h } from "../shell/dom";
import { isObject, storedError, text, type Params, type StoredFailure } from "../shell/reasons";
import { errorMessage } from "../shell/toast";
import { locale } from "../i18n/lang";
import { IpcError } from "../ipc";
import { m } from "./messages";
import "./refusals.css";

/** Every refusal code the core sends (`ImportRefusal::code`); each has a sentence here. */
export const REFUSAL_CODES = [
  "notXlsx",
  "tooLarge",
  "tooManyRows",
  "severalSheets",
  "emptyHeader",
  "duplicateHeader",
  "empty",
  "zipBomb",
  "encrypted",
  "damaged",
  "tooManyColumns",
  "cellTooLarge",
  "writeFailed",
  "unreadable",
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** A refusal as shown: the sentence, and the system's own text under it (or null). */
export interface RefusalText {
  sentence: string;
  detail: string | null;
}

type Details = Params;

/** A count the core sent (a non-negative whole number), else null. */
function whole(d: Details, key: string): number | null {
  const v = d[key];
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null;
}

function texts(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? v : null;
}

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

/**
 * A size as the core's `display::bytes` says it — binary units, one decimal, a trailing ".0"
 * dropped, and rounded *up*, so a file just over a limit never reads as the limit itself ("10.1
 * MB; the limit is 10 MB") — with the UI language's decimal mark ("12,4 MB" in Vietnamese).
 * The export's and the backup's formatters round to nearest and print "10.0 MB", which would
 * turn "10 MB + 1 byte" into the limit: not usable for a refusal.
 */
export function refusalBytes(n: number): string {
  if (n < KB) return m.sizeBytes(n);
  const [unit, name] = n >= GB ? [GB, "GB"] : n >= MB ? [MB, "MB"] : [KB, "KB"];
  const tenths = Math.ceil((n * 10) / unit);
  const number = new Intl.NumberFormat(locale(), { minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(tenths / 10);
  return `${number} ${name}`;
}

/**
 * What a file that is not .xlsx looks like, in the UI's words: the core describes it in
 * English from a finite set (guard.rs `sniff`, `zip_kind`, `other_workbook_kind`, and the old
 * Office formats); refusals.test.ts reads guard.rs and fails on one missing here.
 */
function kindWords(looksLike: string): string | null {
  switch (looksLike) {
    case "an Excel binary workbook (.xlsb); save it as .xlsx":
      return m.kindXlsb;
    case "a Word document":
      return m.kindWord;
    case "a PowerPoint presentation":
      return m.kindPowerPoint;
    case "an OpenDocument file such as .ods; save it as .xlsx":
      return m.kindOpenDocument;
    case "a zip archive":
      return m.kindZip;
    case "a macro-enabled workbook (.xlsm); save it as .xlsx":
      return m.kindXlsm;
    case "an Excel template (.xltx); save it as .xlsx":
      return m.kindXltx;
    case "a macro-enabled template (.xltm); save it as .xlsx":
      return m.kindXltm;
    case "an old Excel 97-2003 .xls file; open it in Excel and save it as .xlsx":
      return m.kindXls;
    case "an old Word .doc file":
      return m.kindDoc;
    case "an old-format Office file":
      return m.kindOldOffice;
    case "an empty file":
      return m.kindEmptyFile;
    case "a PDF document":
      return m.kindPdf;
    case "an empty zip archive":
      return m.kindEmptyZip;
    case "a PNG image":
      return m.kindPng;
    case "a JPEG image":
      return m.kindJpeg;
    case "a GIF image":
      return m.kindGif;
    case "a compressed archive other than .xlsx":
      return m.kindArchive;
    case "an RTF document":
      return m.kindRtf;
    case "a file of an unknown kind":
      return m.kindUnknown;
    case "an HTML web page (some systems export web pages named .xlsx)":
      return m.kindHtml;
    case "an Excel 2003 XML spreadsheet; save it as .xlsx":
      return m.kindXml2003;
    case "an XML file":
      return m.kindXml;
    case "a tab-separated text file":
      return m.kindTsv;
    case "a CSV text file":
      return m.kindCsv;
    case "a text file":
      return m.kindText;
    default:
      return null;
  }
}

function isRefusalCode(code: string): code is RefusalCode {
  return (REFUSAL_CODES as readonly string[]).includes(code);
}

function said(sentence: string, detail: string | null = null): RefusalText {
  return { sentence, detail };
}

/** The sentence for one code, or null when a parameter it needs is missing. */
function render(code: RefusalCode, file: string, d: Details): RefusalText | null {
  switch (code) {
    case "notXlsx": {
      const looksLike = text(d, "looksLike");
      if (looksLike === null) return null;
      const kind = kindWords(looksLike);
      return kind === null ? said(m.refusedNotXlsxUnknown(file), looksLike) : said(m.refusedNotXlsx(file, kind));
    }
    case "tooLarge": {
      const size = whole(d, "size");
      const limit = whole(d, "limit");
      return size === null || limit === null ? null : said(m.refusedTooLarge(file, refusalBytes(size), refusalBytes(limit)));
    }
    case "tooManyRows": {
      const rows = whole(d, "rows");
      const limit = whole(d, "limit");
      const exact = d.exact;
      return rows === null || limit === null || typeof exact !== "boolean" ? null : said(m.refusedTooManyRows(file, rows, exact, limit));
    }
    case "severalSheets": {
      const sheets = texts(d.sheets);
      return sheets === null ? null : said(m.refusedSeveralSheets(file, sheets.length, sheets.join(", ")));
    }
    case "emptyHeader": {
      const cell = text(d, "cell");
      return cell === null ? null : said(m.refusedEmptyHeader(file, cell));
    }
    case "duplicateHeader": {
      const name = text(d, "name");
      const cells = texts(d.cells);
      const [first, second] = cells ?? [];
      return name === null || first === undefined || second === undefined ? null : said(m.refusedDuplicateHeader(file, name, first, second));
    }
    case "empty":
      return said(m.refusedEmpty(file));
    case "zipBomb": {
      const detail = text(d, "detail");
      return detail === null ? null : said(m.refusedZipBomb(file), detail);
    }
    case "encrypted":
      return said(m.refusedEncrypted(file));
    case "damaged": {
      const detail = text(d, "detail");
      return detail === null ? null : said(m.refusedDamaged(file), detail);
    }
    case "tooManyColumns": {
      const cell = text(d, "cell");
      const limit = whole(d, "limit");
      return cell === null || limit === null ? null : said(m.refusedTooManyColumns(file, cell, limit));
    }
    case "cellTooLarge": {
      const cell = text(d, "cell");
      const limit = whole(d, "limit");
      return cell === null || limit === null ? null : said(m.refusedCellTooLarge(file, cell, limit));
    }
    case "writeFailed": {
      const target = text(d, "target");
      const detail = text(d, "detail");
      return target === null || detail === null ? null : said(m.refusedWriteFailed(file, target), detail);
    }
    case "unreadable": {
      const detail = text(d, "detail");
      return detail === null ? null : said(m.refusedUnreadable(file), detail);
    }
  }
}

/**
 * A refusal in the UI's language from its code and details (`{ file, ...params }`, as the IPC
 * error and a refused upload carry them); null for an unknown code or missing parameters.
 */
export function refusalText(code: string, details: unknown): RefusalText | null {
  if (!isRefusalCode(code) || !isObject(details)) return null;
  const file = text(details, "file");
  return file === null ? null : render(code, file, details);
}

/** The sentence alone (for a one-line place); null as for `refusalText`. */
export function refusalSentence(code: string, details: unknown): string | null {
  return refusalText(code, details)?.sentence ?? null;
}

/**
 * What to show for a failure that may be a refusal: the refusal in the UI's language, else the
 * core's message as it came.
 */
export function failureText(err: unknown): RefusalText {
  if (err instanceof IpcError && err.code === "importRefused" && isObject(err.details)) {
    const code = err.details.refusal;
    const worded = typeof code === "string" ? refusalText(code, err.details) : null;
    if (worded) return worded;
  }
  return said(errorMessage(err));
}

/**
 * A job's failure in the UI's language (a file refused while the job ran as a refusal, any
 * other error as `errorMessage` words it); null when the job has none.
 */
export function jobFailure(job: StoredFailure): RefusalText | null {
  const err = storedError(job);
  return err === null ? null : failureText(err);
}

/** A job's failure as shown under the job: the sentence, the system's text under it. */
export function jobFailureView(job: StoredFailure, testid: string): HTMLElement | null {
  const failure = jobFailure(job);
  if (failure === null) return null;
  return h("div", { class: "field-error", "data-testid": testid }, failure.sentence, refusalDetail(failure.detail, `${testid}-detail`));
}

/** The system's own text under a refusal's sentence (nothing when there is none). */
export function refusalDetail(detail: string | null, testid: string): HTMLElement | null {
  return detail === null ? null : h("span", { class: "refusal-detail", "data-testid": testid }, detail);
}
