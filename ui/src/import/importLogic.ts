// Pure pieces of the import flow (no DOM, no IPC): what the grid state and
// the consent choices turn into, and how reasons and problems read.
import { formatCount, formatDateTime, matchKeyLabel } from "../shell/format";
import type {
  ColumnMapping,
  ConsentInput,
  ConsentStatus,
  FieldDef,
  ImportCounts,
  ImportSettings,
  JobOps,
  JobSummary,
  MappingProblem,
  SharedKey,
  SourceColumn,
  SuggestionReason,
} from "../ipc";
import { m } from "./messages";

/** A consent choice on the import's consent step; "unchanged" is left out of ConsentInput. */
export type ConsentChoice = "unchanged" | "granted" | "denied";

/** The grid's state for one file: the chosen target per column (null = do not import). */
export interface GridState {
  columns: SourceColumn[];
  /** The core's suggestion, kept to show the status chip and to tell user changes apart. */
  suggested: ColumnMapping[];
  /** Column index → chosen target. */
  targets: Map<number, string | null>;
  fillEmptyOnly: boolean;
  /** A paste whose first row names the columns (the core found it; not imported). */
  headerRow: boolean;
}

export function gridFromSuggestion(columns: SourceColumn[], suggested: ColumnMapping[], headerRow = false): GridState {
  const targets = new Map<number, string | null>();
  for (const c of columns) targets.set(c.index, null);
  for (const s of suggested) targets.set(s.column, s.target);
  return { columns, suggested, targets, fillEmptyOnly: false, headerRow };
}

/** Fields a column can be mapped to: everything but system and hidden fields, in catalogue order. */
export function mappableFields(fields: readonly FieldDef[]): FieldDef[] {
  return fields.filter((f) => f.kind !== "system" && !f.hidden).sort((a, b) => a.position - b.position);
}

/** True when the user picked something other than the core's suggestion for `column`. */
export function changedByUser(state: GridState, column: number): boolean {
  const suggestion = state.suggested.find((s) => s.column === column);
  return (state.targets.get(column) ?? null) !== (suggestion?.target ?? null);
}

/** The mapping to send: one entry per column, keeping the suggestion's reason unless the user changed it. */
export function mappingFromGrid(state: GridState): ColumnMapping[] {
  return state.columns.map((c) => {
    const target = state.targets.get(c.index) ?? null;
    const suggestion = state.suggested.find((s) => s.column === c.index);
    let reason: SuggestionReason = suggestion?.reason ?? "noMatch";
    if (target === null) reason = "noMatch";
    return { column: c.index, target, reason };
  });
}

export function consentFromChoices(choices: ReadonlyMap<string, ConsentChoice>): ConsentInput {
  const channels: Record<string, ConsentStatus> = {};
  for (const [key, choice] of choices) {
    if (choice !== "unchanged") channels[key] = choice;
  }
  return { channels };
}

/**
 * The settings the dry run and Confirm both send. `useSharedKeys`: the normalised shared values
 * the user chose to match on anyway (left out when none, so the core's default applies);
 * `headerRow` only for a paste whose first row names the columns.
 */
export function settingsFromGrid(
  state: GridState,
  consent: ReadonlyMap<string, ConsentChoice>,
  useSharedKeys: ReadonlySet<string> = new Set(),
): ImportSettings {
  const settings: ImportSettings = {
    columns: state.columns,
    mapping: mappingFromGrid(state),
    consent: consentFromChoices(consent),
    policy: state.fillEmptyOnly ? "fillEmptyOnly" : "overwrite",
  };
  if (useSharedKeys.size > 0) settings.useSharedKeys = [...useSharedKeys].sort();
  if (state.headerRow) settings.headerRow = true;
  return settings;
}

export function reasonLabel(reason: SuggestionReason): string {
  switch (reason) {
    case "remembered":
      return m.reasonRemembered;
    case "sameName":
      return m.reasonSameName;
    case "synonym":
      return m.reasonSynonym;
    case "values":
      return m.reasonValues;
    case "noMatch":
      return m.notMapped;
  }
}

/** The status chip of a grid row: the suggestion's reason, "Chosen by you", or "Not mapped". */
export function statusFor(state: GridState, column: number): { label: string; kind: string } {
  const target = state.targets.get(column) ?? null;
  if (changedByUser(state, column)) {
    return target === null ? { label: m.notMapped, kind: "noMatch" } : { label: m.chosenByYou, kind: "manual" };
  }
  const reason = state.suggested.find((s) => s.column === column)?.reason ?? "noMatch";
  return target === null ? { label: m.notMapped, kind: "noMatch" } : { label: reasonLabel(reason), kind: reason };
}

/** A column's name as the wizard shows it: its header, or "Cột 3" for one the source did not name. */
export function columnTitle(column: SourceColumn): string {
  return column.generated === true ? m.columnNumber(column.index + 1) : column.header.trim() || m.columnNumber(column.index + 1);
}

/** Column `index`'s name among `columns` (one the settings no longer carry: by its number). */
export function columnTitleAt(columns: readonly SourceColumn[], index: number): string {
  const column = columns.find((c) => c.index === index);
  return column === undefined ? m.columnNumber(index + 1) : columnTitle(column);
}

/**
 * A header as the core quotes it in a sentence ("Column 3" for a paste's unnamed column),
 * named as the wizard names that column.
 */
export function headerNamer(columns: readonly SourceColumn[]): (header: string) => string {
  return (header) => {
    const made = columns.find((c) => c.generated === true && c.header === header);
    return made === undefined ? header : columnTitle(made);
  };
}

export function problemsFor(problems: readonly MappingProblem[], column: number): MappingProblem[] {
  return problems.filter((p) => p.column === column);
}

/** Problems that stop Confirm; warnings (some sampled values do not fit) only inform. */
export function blockingProblems(problems: readonly MappingProblem[]): MappingProblem[] {
  return problems.filter((p) => !p.warning);
}

export function mappingWarnings(problems: readonly MappingProblem[]): MappingProblem[] {
  return problems.filter((p) => p.warning);
}

/** Problems not tied to one column (e.g. "map at least one identification field"). */
export function generalProblems(problems: readonly MappingProblem[]): MappingProblem[] {
  return problems.filter((p) => p.column === null);
}

export function jobLabel(job: Pick<JobSummary, "kind" | "fileName">): string {
  return job.kind === "paste" || !job.fileName ? m.pastedData : job.fileName;
}

/** "3 min 12 s" between start and finish (or now, when still running); "—" when not started. */
export function jobDuration(job: Pick<JobSummary, "startedAt" | "finishedAt">, now: Date = new Date()): string {
  if (!job.startedAt) return "—";
  const start = new Date(job.startedAt).getTime();
  const end = job.finishedAt ? new Date(job.finishedAt).getTime() : now.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) return "—";
  const s = Math.max(0, Math.round((end - start) / 1000));
  if (s < 60) return m.durationSeconds(s);
  const min = Math.floor(s / 60);
  if (min < 60) return m.durationMinutes(min, s % 60);
  return m.durationHours(Math.floor(min / 60), min % 60);
}

export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

/** The counts a job and a dry run show, with their labels in the UI's language. */
export function countLabels(): Array<[keyof ImportCounts, string]> {
  return [
    ["created", m.countCreated],
    ["updated", m.countUpdated],
    ["duplicates", m.countDuplicates],
    ["reviews", m.countReviews],
    ["failed", m.countFailed],
  ];
}

/** The synchronization rule's guard counts (issue 17), in the order the dry run shows them. */
export type GuardCount = "sharedKeyRows" | "nameDiffers" | "identifierLimit" | "blockedValues";

const GUARD_COUNTS: readonly GuardCount[] = ["sharedKeyRows", "nameDiffers", "identifierLimit", "blockedValues"];

/** Dry-run tile label and test id per guard count. */
export function guardLabels(): Array<[GuardCount, string, string]> {
  return [
    ["sharedKeyRows", m.guardSharedKeyRows, "dry-run-shared-key-rows"],
    ["nameDiffers", m.guardNameDiffers, "dry-run-name-differs"],
    ["identifierLimit", m.guardIdentifierLimit, "dry-run-identifier-limit"],
    ["blockedValues", m.guardBlockedValues, "dry-run-blocked-values"],
  ];
}

/** The sentence for one guard count of a finished job ("3 sent to review: name differs"). */
export function guardSentence(key: GuardCount, n: number): string {
  switch (key) {
    case "sharedKeyRows":
      return m.guardSharedKeyRowsText(n);
    case "nameDiffers":
      return m.guardNameDiffersText(n);
    case "identifierLimit":
      return m.guardIdentifierLimitText(n);
    case "blockedValues":
      return m.guardBlockedValuesText(n);
  }
}

/** The nonzero guard counts of a job as sentences; [] when no guard acted. */
export function guardLines(counts: ImportCounts): Array<{ key: GuardCount; text: string }> {
  return GUARD_COUNTS.filter((key) => counts[key] > 0).map((key) => ({ key, text: guardSentence(key, counts[key]) }));
}

/** "Fixed before Confirm: 3 · left out: 2" for a job whose rows were corrected; null otherwise. */
export function fixesText(counts: ImportCounts): string | null {
  return counts.fixed + counts.excluded > 0 ? m.fixesLine(counts.fixed, counts.excluded) : null;
}

/**
 * "Shared phone 028 3823 4567 in 42 rows (40 different names) — not used for matching"; the
 * core says whether the run used it anyway (`usedAnyway`), so the line tells what was done.
 */
export function sharedKeyLine(shared: SharedKey): string {
  return m.sharedKeyLine(matchKeyLabel(shared.key), shared.value, shared.rows, shared.names, shared.usedAnyway);
}

/** "rows 3, 7, 12 …": the example rows, with an ellipsis when the value is in more rows. */
export function exampleRowsText(shared: SharedKey): string {
  if (shared.exampleRows.length === 0) return "";
  const list = shared.exampleRows.map(formatCount).join(", ");
  return m.exampleRows(shared.exampleRows.length, list, shared.rows > shared.exampleRows.length);
}

/** A shared value with its example rows, as the result and the report list it. */
export function sharedKeyWithRows(shared: SharedKey): string {
  const rows = exampleRowsText(shared);
  return rows ? `${sharedKeyLine(shared)} (${rows})` : sharedKeyLine(shared);
}

/** One line for a toast: "customers.xlsx: 120 created, 30 updated, 2 failed". */
export function countsSummary(label: string, counts: ImportCounts): string {
  return m.countsSummary(label, counts.created, counts.updated, counts.failed);
}

export function statusLabel(status: JobSummary["status"]): string {
  switch (status) {
    case "queued":
      return m.statusQueued;
    case "running":
      return m.statusRunning;
    case "done":
      return m.statusDone;
    case "failed":
      return m.statusFailed;
    case "cancelled":
      return m.statusCancelled;
    case "undone":
      return m.statusUndone;
  }
}

/** What the Undo dialog says when this store syncs with `server`: what of the import is still
 * held on this computer (undo takes it back; the server never sees it) and what already went
 * (those profiles stay). `ops`: the job's ops, when they could be read. */
export function undoSyncNote(server: string, ops: JobOps | null): string {
  if (!ops || (ops.held === 0 && ops.sent === 0)) {
    return m.undoSyncNothing(server);
  }
  const held = ops.held > 0 ? m.undoSyncHeld(ops.held, server, ops.heldUntil ? formatDateTime(ops.heldUntil) : "") : "";
  const sent = ops.sent > 0 ? m.undoSyncSent(ops.sent, server) : "";
  return [held, sent].filter(Boolean).join(" ");
}
