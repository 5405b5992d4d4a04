// A refusal of the core in the UI's language. The core sends a conflict, a limit, a "not found"
// or a sign-in failure with a stable reason code and the sentence's parameters as data —
// `details: { reason, ...params }` (`Said` in crates/core/src/error.rs) — beside its English
// `message` (the CLI's). This words the sentence from them with the `said` catalogue; a reason
// this UI does not know (a newer core) or parameters it cannot read answer null, and the
// caller shows the core's message: never a blank. reasons.test.ts reads the core's sources and
// fails on a reason with no sentence here.
import { formatDate } from "../i18n/dates";
import { IpcError } from "../ipc";
import { shownName, shownRole } from "../ipc/builtinNames";
import { mappingProblemText } from "./mappingProblems";
import { said } from "./messages";

/** An error's details, read as data (also a refused file's: import/refusals.ts). */
export type Params = Record<string, unknown>;

export function isObject(v: unknown): v is Params {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function text(p: Params, key: string): string | null {
  const v = p[key];
  return typeof v === "string" ? v : null;
}

/** A number the core sent (a count, an id, a limit), else null. */
function count(p: Params, key: string): number | null {
  const v = p[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** `build` of the values when none is missing, else null. */
function all<T extends unknown[]>(values: { [K in keyof T]: T[K] | null }, build: (...args: T) => string): string | null {
  return values.some((v) => v === null) ? null : build(...(values as T));
}

/** A built-in field's or channel's label in the UI's language, or as the administrator named it. */
function label(p: Params, kind: "field" | "channel"): string | null {
  const shown = text(p, "label");
  const key = text(p, "key") ?? text(p, "field");
  return shown === null || key === null ? shown : shownName(`${kind}:${key}`, shown);
}

/** The `role` param as the UI names roles (a built-in one in its language). */
function role(p: Params): string | null {
  const name = text(p, "role");
  return name === null ? null : shownRole(name);
}

/** How a sentence names job `id` of kind `job` ("Import job 3", "Export 3"). */
function jobName(p: Params): string | null {
  return all([text(p, "job"), count(p, "id")], said.jobName);
}

function status(p: Params): string | null {
  const s = text(p, "status");
  return s === null ? null : said.jobStatus(s);
}

/** The sentence of each reason, from its parameters. */
const WORDS: Record<string, (p: Params) => string | null> = {
  demoWhileConnected: () => said.demoWhileConnected,
  notDemoDatabase: (p) => all([text(p, "path")], said.notDemoDatabase),
  demoWithDb: () => said.demoWithDb,

  tooManyChannels: (p) => all([count(p, "limit")], said.tooManyChannels),
  builtinChannel: (p) => all([label(p, "channel")], said.builtinChannel),
  channelHasRecords: (p) => all([label(p, "channel"), count(p, "records")], said.channelHasRecords),
  noChannel: (p) => all([text(p, "key")], said.noChannel),
  orderIncomplete: () => said.orderIncomplete,
  tooManyFields: (p) => all([count(p, "limit")], said.tooManyFields),
  noField: (p) => all([text(p, "key")], said.noField),
  noEditableField: (p) => all([text(p, "key")], said.noEditableField),
  builtinField: (p) => all([label(p, "field")], said.builtinField),
  fieldHasValues: (p) => all([label(p, "field"), count(p, "profiles")], said.fieldHasValues),
  unknownRegion: (p) => all([text(p, "region")], said.unknownRegion),
  noMatchKey: () => said.noMatchKey,
  noDisplayColumns: () => said.noDisplayColumns,
  managedByServer: (p) => all([text(p, "host")], said.managedByServer),

  // The problem's own sentence from its code and params (the core's `detail` when not worded).
  mappingUnusable: (p) =>
    all([text(p, "problem"), text(p, "detail")], (code, message) =>
      said.mappingUnusable(mappingProblemText({ code, message, params: isObject(p.params) ? p.params : {} })),
    ),
  pasteTooManyRows: (p) => all([count(p, "rows"), count(p, "limit")], said.pasteTooManyRows),
  pasteTooManyColumns: (p) => all([count(p, "columns"), count(p, "limit")], said.pasteTooManyColumns),
  fixesTooMany: (p) => all([count(p, "fixes"), count(p, "limit")], said.fixesTooMany),
  fixesTooLong: (p) => all([count(p, "characters"), count(p, "limit")], said.fixesTooLong),
  fixUnknownColumn: (p) => all([count(p, "row"), count(p, "column")], said.fixUnknownColumn),
  fixCellTooLong: (p) => all([count(p, "row"), text(p, "header"), count(p, "characters"), count(p, "limit")], said.fixCellTooLong),
  importNotCancellable: (p) => all([count(p, "id"), status(p)], said.importNotCancellable),
  importNotUndoable: (p) => all([count(p, "id"), status(p)], said.importNotUndoable),
  fileUnreadable: (p) => all([text(p, "path"), text(p, "detail")], said.fileUnreadable),
  fileChanged: (p) => all([text(p, "file")], said.fileChanged),
  importBeforeRestore: () => said.importBeforeRestore,

  noJob: (p) => all([text(p, "job"), count(p, "id")], said.noJob),
  jobNotRunnable: (p) => all([jobName(p), status(p)], said.jobNotRunnable),
  jobHeldByOther: (p) => all([jobName(p), text(p, "runner")], said.jobHeldByOther),
  jobTakenOver: (p) => all([jobName(p), text(p, "runner")], said.jobTakenOver),
  jobEndedMeanwhile: (p) => all([jobName(p), status(p)], said.jobEndedMeanwhile),
  jobPanicked: (p) => all([text(p, "job"), text(p, "what")], said.jobPanicked),
  jobPausedDiskFault: (p) => all([count(p, "id"), count(p, "rows"), text(p, "detail")], said.jobPausedDiskFault),
  exportInterrupted: () => said.exportInterrupted,
  fileBeingWritten: (p) => all([text(p, "path")], said.fileBeingWritten),

  badTimeZoneOffset: (p) => all([count(p, "minutes")], said.badTimeZoneOffset),
  tooManyConditions: (p) => all([count(p, "limit"), count(p, "conditions")], said.tooManyConditions),
  notSortable: (p) => all([label(p, "field")], said.notSortable),
  noFieldToDisplay: (p) => all([text(p, "key")], said.noFieldToDisplay),
  noSegmentColumns: () => said.noSegmentColumns,
  tooManySegments: (p) => all([count(p, "limit")], said.tooManySegments),
  noSegment: (p) => all([count(p, "id")], said.noSegment),
  noSegmentNamed: (p) => all([text(p, "name")], said.noSegmentNamed),

  noProfile: (p) => all([count(p, "id")], said.noProfile),
  profilesMissing: (p) => {
    const ids: unknown[] = Array.isArray(p.ids) ? p.ids : [];
    if (!ids.every((id) => typeof id === "number")) return null;
    return ids.length === 0 ? null : said.profilesMissing(ids.map((id) => `#${id}`).join(", "), ids.length);
  },
  tooManyToDelete: (p) => all([count(p, "selected"), count(p, "limit")], said.tooManyToDelete),
  profileNoLongerMatches: (p) => all([count(p, "id")], said.profileNoLongerMatches),
  updateOverIdentifierLimit: (p) => all([text(p, "profile"), count(p, "maxPhones"), count(p, "maxEmails")], said.updateOverIdentifierLimit),
  candidateGone: (p) => all([count(p, "id"), text(p, "label"), count(p, "review")], said.candidateGone),
  notACandidate: (p) => all([count(p, "id"), count(p, "review")], said.notACandidate),
  mergedListTooLong: (p) => all([count(p, "values"), label(p, "field"), count(p, "limit")], said.mergedListTooLong),
  reviewAlreadyResolved: (p) => all([count(p, "id")], said.reviewAlreadyResolved),
  reviewResolvedBy: (p) => {
    const on = text(p, "on");
    return all([count(p, "id"), text(p, "by") ?? said.someone, on === null ? "?" : formatDate(on)], said.reviewResolvedBy);
  },
  reviewChanged: (p) => all([count(p, "id")], said.reviewChanged),
  noReview: (p) => all([count(p, "id")], said.noReview),

  exportTooLargeForDirect: (p) => all([count(p, "limit"), count(p, "rows")], said.exportTooLargeForDirect),
  exportNotCancellable: (p) => all([count(p, "id"), status(p)], said.exportNotCancellable),
  exportNotFinished: (p) => all([count(p, "id")], said.exportNotFinished),
  exportFileGone: (p) => all([count(p, "id"), text(p, "path")], said.exportFileGone),
  noFieldToExport: (p) => all([text(p, "key")], said.noFieldToExport),
  noExportColumns: () => said.noExportColumns,
  tooManySelectedToExport: (p) => all([count(p, "limit"), count(p, "selected")], said.tooManySelectedToExport),
  badSenderAddress: (p) => all([text(p, "address"), text(p, "detail")], said.badSenderAddress),
  badRecipientAddress: (p) => all([text(p, "address"), text(p, "detail")], said.badRecipientAddress),

  noActiveAdministrator: () => said.noActiveAdministrator,
  severalAdministrators: () => said.severalAdministrators,
  noSuchUser: (p) => all([text(p, "name")], said.noSuchUser),
  userDeactivated: (p) => all([text(p, "name")], said.userDeactivated),
  noPasswordYet: (p) => all([text(p, "name")], said.noPasswordYet),
  signInPaused: (p) => all([text(p, "name"), count(p, "seconds")], said.signInPaused),
  wrongPassword: (p) => all([text(p, "name")], said.wrongPassword),
  wrongPasswordPaused: (p) => all([text(p, "name"), count(p, "attempts"), count(p, "seconds")], said.wrongPasswordPaused),
  passwordNeeded: (p) => all([text(p, "name")], said.passwordNeeded),
  alreadySetUp: () => said.alreadySetUp,
  userExists: (p) => all([text(p, "name")], said.userExists),
  noRole: (p) => all([text(p, "name")], said.noRole),
  lastManager: (p) => all([text(p, "name")], said.lastManager),
  noManagerLeft: () => said.noManagerLeft,
  builtinRoleFixed: (p) => all([role(p)], said.builtinRoleFixed),
  builtinRoleKept: (p) => all([role(p)], said.builtinRoleKept),
  roleInUse: (p) => all([role(p), count(p, "users")], said.roleInUse),

  notConnected: () => said.notConnected,
  alreadyConnected: () => said.alreadyConnected,
  notConnectedToDecide: () => said.notConnectedToDecide,
  notConnectedToSend: () => said.notConnectedToSend,
  noRefusedChange: (p) => all([text(p, "opId")], said.noRefusedChange),
  unsentChanges: (p) => all([count(p, "changes"), text(p, "server")], said.unsentChanges),
  firstSyncUnderWay: () => said.firstSyncUnderWay,
  importHoldTooLong: (p) => all([count(p, "limit"), count(p, "minutes")], said.importHoldTooLong),
  noConflict: (p) => all([text(p, "conflict")], said.noConflict),
  conflictDecided: (p) => all([text(p, "conflict")], said.conflictDecided),
  noServerReview: (p) => all([text(p, "serverReview")], said.noServerReview),
  serverReviewDecided: (p) => all([text(p, "serverReview")], said.serverReviewDecided),
  notAServerCandidate: (p) => all([text(p, "serverReview")], said.notAServerCandidate),

  noDatabase: (p) => all([text(p, "path")], said.noDatabase),
  databaseOpenElsewhere: (p) => all([text(p, "path")], said.databaseOpenElsewhere),
  notDamaged: () => said.notDamaged,
};

/** Every reason this UI words (the test compares them with the core's). */
export const REASONS: readonly string[] = Object.keys(WORDS);

/**
 * The sentence of an error's details (`{ reason, ...params }`) in the UI's language; null for a
 * reason this UI does not know, or parameters it cannot read.
 */
export function reasonText(details: unknown): string | null {
  if (!isObject(details)) return null;
  const reason = details.reason;
  if (typeof reason !== "string" || !Object.prototype.hasOwnProperty.call(WORDS, reason)) return null;
  return WORDS[reason]?.(details) ?? null;
}

/** What a job keeps of its failure (`JobSummary`, `ExportJob`: migration 0026). */
export interface StoredFailure {
  error: string | null;
  errorCode: string | null;
  errorDetails: unknown;
}

/**
 * A job's failure as the IpcError it was, for the same wording as any error (null when the
 * job has none). A job that failed before its code was kept has only its English sentence.
 */
export function storedError(job: StoredFailure): IpcError | null {
  if (!job.error) return null;
  return IpcError.from({ code: job.errorCode ?? "internal", message: job.error, details: job.errorDetails ?? null });
}
