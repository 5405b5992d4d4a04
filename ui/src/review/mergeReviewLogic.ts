// The merge review screen's logic, without DOM: which columns can be chosen,
// which value a merge keeps by default (the core's rule, shown before the
// user decides), the picks and the decision sent to the core, which actions
// apply, and the texts. The core decides and checks everything again; the
// confirmation shows the core's own preview of the decision.
import { matchKeyLabel } from "../shell/format";
import { formatLabel } from "../shell/phone";
import type { ReviewReason } from "../ipc/bindings/ReviewReason";
import type { ServerReview } from "../ipc/bindings/ServerReview";
import type { ServerReviewReason } from "../ipc/bindings/ServerReviewReason";
import type {
  FieldPick,
  MergePolicy,
  ReviewColumn,
  ReviewDecision,
  ReviewDetail,
  ReviewRow,
  ReviewStatus,
  ReviewSummary,
} from "../ipc";
import { m } from "./messages";

export type ReviewActionKey = "attach" | "mergeAll" | "createNew" | "dismiss";

export const ACTIONS: readonly ReviewActionKey[] = ["attach", "mergeAll", "createNew", "dismiss"];

/** The permission each decision needs (the core refuses without it). */
export const ACTION_PERMISSION: Record<ReviewActionKey, string> = {
  attach: "profile.edit",
  mergeAll: "profile.edit",
  createNew: "profile.create",
  dismiss: "profile.edit",
};

/** A candidate column that can be chosen (not deleted since). */
export function isLive(column: ReviewColumn): boolean {
  return column.profileId !== null && !column.gone;
}

export function liveCandidates(detail: ReviewDetail): ReviewColumn[] {
  return detail.columns.filter(isLive);
}

/** The column index of profile `id` (-1 when it is not a column). */
export function columnOf(detail: ReviewDetail, id: number | null): number {
  return id === null ? -1 : detail.columns.findIndex((c) => c.profileId === id);
}

/** The profile kept by default: the first live candidate (matched by the first key). */
export function defaultSurvivor(detail: ReviewDetail): number | null {
  return liveCandidates(detail)[0]?.profileId ?? null;
}

/** Columns whose value of `row` a merge can keep: the incoming data and live candidates with a value. */
export function pickableColumns(row: ReviewRow, detail: ReviewDetail): number[] {
  return detail.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => (c.profileId === null || isLive(c)) && row.values[i] !== "")
    .map(({ i }) => i);
}

/** A single-value field whose columns hold different values: merge all keeps one, the user may pick it. */
export function isPickable(row: ReviewRow, detail: ReviewDetail): boolean {
  if (row.kind !== "single" || !row.differs) return false;
  const values = new Set(pickableColumns(row, detail).map((i) => row.values[i]));
  return values.size > 1;
}

/**
 * The column whose value merge all keeps when the user picks nothing — the
 * core's rule (`merge_all`): the survivor's value, else the first value among
 * the incoming data and then the other candidates, in column order.
 */
export function defaultPick(row: ReviewRow, detail: ReviewDetail, survivor: number): number | null {
  const columns = pickableColumns(row, detail);
  const own = columnOf(detail, survivor);
  if (columns.includes(own)) return own;
  return columns[0] ?? null;
}

/** The column kept for `row`: the user's pick when it is still a pickable column, else the default. */
export function keptColumn(
  row: ReviewRow,
  detail: ReviewDetail,
  survivor: number,
  chosen: ReadonlyMap<string, number>,
): number | null {
  const pick = chosen.get(row.field);
  if (pick !== undefined && pickableColumns(row, detail).includes(pick)) return pick;
  return defaultPick(row, detail, survivor);
}

/** The picks sent with a merge: for every pickable row, the column kept (so the core does exactly what is shown). */
export function picksFor(detail: ReviewDetail, survivor: number, chosen: ReadonlyMap<string, number>): FieldPick[] {
  const picks: FieldPick[] = [];
  for (const row of detail.rows) {
    if (!isPickable(row, detail)) continue;
    const kept = keptColumn(row, detail, survivor, chosen);
    if (kept === null) continue;
    picks.push({ field: row.field, from: detail.columns[kept]?.profileId ?? null });
  }
  return picks;
}

export function decisionFor(
  action: ReviewActionKey,
  detail: ReviewDetail,
  survivor: number | null,
  chosen: ReadonlyMap<string, number>,
): ReviewDecision | null {
  switch (action) {
    case "attach":
      return survivor === null ? null : { action: "attach", profileId: survivor };
    case "mergeAll":
      return survivor === null ? null : { action: "mergeAll", survivor, picks: picksFor(detail, survivor, chosen) };
    case "createNew":
      return { action: "createNew" };
    case "dismiss":
      return { action: "dismiss" };
  }
}

export interface ActionState {
  enabled: boolean;
  /** Why it is disabled (a tooltip), or what it does. */
  title: string;
}

/** Which decisions apply now, and why not. The core checks all of it again. */
export function actionStates(
  detail: ReviewDetail,
  survivor: number | null,
  can: (permission: string) => boolean,
): Record<ReviewActionKey, ActionState> {
  const open = detail.summary.status === "open";
  const live = liveCandidates(detail);
  const target = detail.columns.find((c) => c.profileId === survivor && isLive(c));
  const others = live.length - 1;
  const state = (action: ReviewActionKey, what: string, needsTarget: boolean): ActionState => {
    if (!open) return { enabled: false, title: m.titleResolved };
    if (!can(ACTION_PERMISSION[action])) return { enabled: false, title: m.requiresPermission(ACTION_PERMISSION[action]) };
    if (needsTarget && !target) {
      return { enabled: false, title: live.length === 0 ? m.titleNoCandidate : m.titleChooseFirst };
    }
    return { enabled: true, title: what };
  };
  return {
    attach: state("attach", m.titleAttach, true),
    mergeAll: state("mergeAll", others > 0 ? m.titleMergeOthers(others) : m.titleMerge, true),
    createNew: state("createNew", m.titleCreateNew, false),
    dismiss: state("dismiss", m.titleDismiss, false),
  };
}

export function actionLabel(action: ReviewActionKey, survivorLabel: string | null): string {
  const who = survivorLabel ?? m.theChosenProfile;
  switch (action) {
    case "attach":
      return m.attachTo(who);
    case "mergeAll":
      return m.mergeAllInto(who);
    case "createNew":
      return m.createNewProfile;
    case "dismiss":
      return m.discardIncoming;
  }
}

export function confirmTitle(action: ReviewActionKey, survivorLabel: string | null): string {
  switch (action) {
    case "attach":
      return m.confirmAttach(survivorLabel ?? m.thisProfile);
    case "mergeAll":
      return m.confirmMerge(survivorLabel ?? m.thisProfile);
    case "createNew":
      return m.confirmCreateNew;
    case "dismiss":
      return m.confirmDismiss;
  }
}

/** The confirm button of each decision. */
export function confirmLabel(action: ReviewActionKey): string {
  switch (action) {
    case "attach":
      return m.attach;
    case "mergeAll":
      return m.merge;
    case "createNew":
      return m.createProfile;
    case "dismiss":
      return m.discard;
  }
}

/** Merge all removes profiles and discard drops data: their confirm button is red. */
export function isDestructive(action: ReviewActionKey, detail: ReviewDetail): boolean {
  return action === "dismiss" || (action === "mergeAll" && liveCandidates(detail).length > 1);
}

/** "Nguyễn Văn An (phone) · Nguyễn V. An (e-mail)". */
export function candidatesText(summary: ReviewSummary): string {
  return summary.candidates
    .map((c) => `${formatLabel(c.label)} (${c.gone ? m.deleted : matchKeyLabel(c.matchedBy)})`)
    .join(" · ");
}

/**
 * Why the rule left the review instead of deciding (issue 17's guards): a short label for the
 * list and a sentence for the side-by-side view.
 */
export function reasonText(reason: ReviewReason): { label: string; sentence: string } {
  switch (reason) {
    case "severalMatches":
      return { label: m.reasonSeveralMatches, sentence: m.reasonSeveralMatchesSentence };
    case "nameDiffers":
      return { label: m.reasonNameDiffers, sentence: m.reasonNameDiffersSentence };
    case "identifierLimit":
      return { label: m.reasonIdentifierLimit, sentence: m.reasonIdentifierLimitSentence };
    case "keptApart":
      return { label: m.reasonKeptApart, sentence: m.reasonKeptApartSentence };
  }
}

/** Why the server held a customer: the local review's words where they mean the same. */
export function serverReasonText(reason: ServerReviewReason): { label: string; sentence: string } {
  switch (reason) {
    case "deletedRecently":
      return { label: m.serverReasonDeletedRecently, sentence: m.serverReasonDeletedRecentlySentence };
    case "other":
      return { label: m.serverReasonOther, sentence: m.serverReasonOtherSentence };
    default:
      return reasonText(reason);
  }
}

/** A server review's decision in words, naming the customer kept when this computer knows it. */
export function serverDecisionText(r: ServerReview): string {
  const target = r.candidates.find((c) => c.gid === r.target && c.label !== null);
  const name = target?.label ? formatLabel(target.label) : null;
  switch (r.decision) {
    case "attach":
      return name ? m.serverDecisionAttach(name) : m.serverDecisionAttachSomeone;
    case "mergeAll":
      return name ? m.serverDecisionMerge(name) : m.serverDecisionMergeSomeone;
    case "createNew":
      return m.serverDecisionSeparate;
    default:
      return "";
  }
}

/** How attach merges, in words (the policy of the import that created the review). */
export function policyText(policy: MergePolicy): string {
  return policy === "fillEmptyOnly" ? m.policyFillEmpty : m.policyOverwrite;
}

export function tabLabel(status: ReviewStatus, count: number): string {
  return status === "open" ? m.tabOpen(count) : m.tabResolved(count);
}

export function emptyText(status: ReviewStatus, jobId: number | null): { title: string; body: string } {
  const scope = jobId === null ? "" : m.jobScope(jobId);
  return status === "open"
    ? { title: m.noneWaiting(scope), body: m.noneWaitingBody }
    : { title: m.noneResolved(scope), body: m.noneResolvedBody };
}

/** The review after `current` in the list (or the one before it when it was the last). */
export function nextReviewId(ids: readonly number[], current: number): number | null {
  const at = ids.indexOf(current);
  const rest = ids.filter((id) => id !== current);
  if (rest.length === 0) return null;
  if (at < 0) return rest[0] ?? null;
  return rest[Math.min(at, rest.length - 1)] ?? null;
}
