// The merge review screen's logic, without DOM: which columns can be chosen,
// which value a merge keeps by default (the core's rule, shown before the
// user decides), the picks and the decision sent to the core, which actions
// apply, and the texts. The core decides and checks everything again; the
// confirmation shows the core's own preview of the decision.
import { matchKeyLabel, plural } from "../shell/format";
import type { ReviewReason } from "../ipc/bindings/ReviewReason";
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
    if (!open) return { enabled: false, title: "This review is resolved" };
    if (!can(ACTION_PERMISSION[action])) return { enabled: false, title: `Requires the ${ACTION_PERMISSION[action]} permission` };
    if (needsTarget && !target) {
      return { enabled: false, title: live.length === 0 ? "No candidate is left" : "Choose the profile to keep first" };
    }
    return { enabled: true, title: what };
  };
  return {
    attach: state("attach", "Add the incoming data to the chosen profile; the other candidates stay as they are", true),
    mergeAll: state(
      "mergeAll",
      others > 0
        ? `Merge the incoming data and ${plural(others, "other profile", "other profiles")} into the chosen one; ${others === 1 ? "it is" : "they are"} removed`
        : "Merge the incoming data into the chosen profile",
      true,
    ),
    createNew: state("createNew", "Create a new profile from the incoming data; the candidates stay as they are", false),
    dismiss: state("dismiss", "Do not import the incoming data; the candidates stay as they are", false),
  };
}

export function actionLabel(action: ReviewActionKey, survivorLabel: string | null): string {
  const who = survivorLabel ?? "the chosen profile";
  switch (action) {
    case "attach":
      return `Attach to ${who}`;
    case "mergeAll":
      return `Merge all into ${who}`;
    case "createNew":
      return "Create new profile";
    case "dismiss":
      return "Discard incoming data";
  }
}

export function confirmTitle(action: ReviewActionKey, survivorLabel: string | null): string {
  switch (action) {
    case "attach":
      return `Attach the incoming data to ${survivorLabel ?? "this profile"}?`;
    case "mergeAll":
      return `Merge into ${survivorLabel ?? "this profile"}?`;
    case "createNew":
      return "Create a new profile?";
    case "dismiss":
      return "Discard the incoming data?";
  }
}

/** The confirm button of each decision. */
export function confirmLabel(action: ReviewActionKey): string {
  switch (action) {
    case "attach":
      return "Attach";
    case "mergeAll":
      return "Merge";
    case "createNew":
      return "Create profile";
    case "dismiss":
      return "Discard";
  }
}

/** Merge all removes profiles and discard drops data: their confirm button is red. */
export function isDestructive(action: ReviewActionKey, detail: ReviewDetail): boolean {
  return action === "dismiss" || (action === "mergeAll" && liveCandidates(detail).length > 1);
}

/** "Nguyễn Văn An (phone) · Nguyễn V. An (e-mail)". */
export function candidatesText(summary: ReviewSummary): string {
  return summary.candidates
    .map((c) => `${c.label} (${c.gone ? "deleted" : matchKeyLabel(c.matchedBy)})`)
    .join(" · ");
}

/**
 * Why the rule left the review instead of deciding (issue 17's guards): a short label for the
 * list and a sentence for the side-by-side view.
 */
export function reasonText(reason: ReviewReason): { label: string; sentence: string } {
  switch (reason) {
    case "severalMatches":
      return { label: "Several matches", sentence: "The incoming data matches more than one profile." };
    case "nameDiffers":
      return {
        label: "Name differs",
        sentence: "The incoming data matches one profile, but its name is another person's: the rule does not merge strangers.",
      };
    case "identifierLimit":
      return {
        label: "Too many identifiers",
        sentence: "Merging would give the profile more phones or e-mails than a profile may hold.",
      };
    case "keptApart":
      return { label: "Kept apart", sentence: "These profiles were kept apart on purpose earlier." };
  }
}

/** How attach merges, in words (the policy of the import that created the review). */
export function policyText(policy: MergePolicy): string {
  return policy === "fillEmptyOnly"
    ? "Attach adds new phones and e-mails and fills empty fields; it keeps the profile's other values (the import chose “only fill empty fields”)."
    : "Attach adds new phones and e-mails, fills empty fields and replaces differing values with the incoming ones.";
}

export const MERGE_HINT =
  "Merge all keeps the chosen profile's values; in a highlighted row, choose another value to keep it instead. Phones, e-mails and tags are combined; links, consent and history move to the kept profile.";

export function tabLabel(status: ReviewStatus, count: number): string {
  return status === "open" ? `Open (${count})` : `Resolved, last 30 days (${count})`;
}

export function emptyText(status: ReviewStatus, jobId: number | null): { title: string; body: string } {
  const scope = jobId === null ? "" : ` for import job ${jobId}`;
  return status === "open"
    ? {
        title: `No merge reviews waiting${scope}`,
        body: "When incoming data matches several profiles, or one whose name is another person's, it waits here for a person to decide instead of being merged.",
      }
    : { title: `Nothing resolved in the last 30 days${scope}`, body: "Decisions taken here are listed for 30 days." };
}

/** The review after `current` in the list (or the one before it when it was the last). */
export function nextReviewId(ids: readonly number[], current: number): number | null {
  const at = ids.indexOf(current);
  const rest = ids.filter((id) => id !== current);
  if (rest.length === 0) return null;
  if (at < 0) return rest[0] ?? null;
  return rest[Math.min(at, rest.length - 1)] ?? null;
}
