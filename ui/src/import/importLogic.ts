// Pure pieces of the import flow (no DOM, no IPC): what the grid state and
// the consent choices turn into, and how reasons and problems read.
import { formatCount } from "../shell/format";
import type {
  ColumnMapping,
  ConsentInput,
  ConsentStatus,
  FieldDef,
  ImportCounts,
  ImportSettings,
  JobSummary,
  MappingProblem,
  SourceColumn,
  SuggestionReason,
} from "../ipc";

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
}

export function gridFromSuggestion(columns: SourceColumn[], suggested: ColumnMapping[]): GridState {
  const targets = new Map<number, string | null>();
  for (const c of columns) targets.set(c.index, null);
  for (const m of suggested) targets.set(m.column, m.target);
  return { columns, suggested, targets, fillEmptyOnly: false };
}

/** Fields a column can be mapped to: everything but system and hidden fields, in catalogue order. */
export function mappableFields(fields: readonly FieldDef[]): FieldDef[] {
  return fields.filter((f) => f.kind !== "system" && !f.hidden).sort((a, b) => a.position - b.position);
}

/** True when the user picked something other than the core's suggestion for `column`. */
export function changedByUser(state: GridState, column: number): boolean {
  const suggestion = state.suggested.find((m) => m.column === column);
  return (state.targets.get(column) ?? null) !== (suggestion?.target ?? null);
}

/** The mapping to send: one entry per column, keeping the suggestion's reason unless the user changed it. */
export function mappingFromGrid(state: GridState): ColumnMapping[] {
  return state.columns.map((c) => {
    const target = state.targets.get(c.index) ?? null;
    const suggestion = state.suggested.find((m) => m.column === c.index);
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

export function settingsFromGrid(state: GridState, consent: ReadonlyMap<string, ConsentChoice>): ImportSettings {
  return {
    columns: state.columns,
    mapping: mappingFromGrid(state),
    consent: consentFromChoices(consent),
    policy: state.fillEmptyOnly ? "fillEmptyOnly" : "overwrite",
  };
}

export function reasonLabel(reason: SuggestionReason): string {
  switch (reason) {
    case "remembered":
      return "Remembered";
    case "sameName":
      return "Same name";
    case "synonym":
      return "Synonym";
    case "values":
      return "From values";
    case "noMatch":
      return "Not mapped";
  }
}

/** The status chip of a grid row: the suggestion's reason, "Chosen by you", or "Not mapped". */
export function statusFor(state: GridState, column: number): { label: string; kind: string } {
  const target = state.targets.get(column) ?? null;
  if (changedByUser(state, column)) {
    return target === null ? { label: "Not mapped", kind: "noMatch" } : { label: "Chosen by you", kind: "manual" };
  }
  const reason = state.suggested.find((m) => m.column === column)?.reason ?? "noMatch";
  return target === null ? { label: "Not mapped", kind: "noMatch" } : { label: reasonLabel(reason), kind: reason };
}

export function columnTitle(column: SourceColumn): string {
  return column.header.trim() || `Column ${column.index + 1}`;
}

export function problemsFor(problems: readonly MappingProblem[], column: number): MappingProblem[] {
  return problems.filter((p) => p.column === column);
}

/** Problems not tied to one column (e.g. "map at least one identification field"). */
export function generalProblems(problems: readonly MappingProblem[]): MappingProblem[] {
  return problems.filter((p) => p.column === null);
}

export function jobLabel(job: Pick<JobSummary, "kind" | "fileName">): string {
  return job.kind === "paste" || !job.fileName ? "Pasted data" : job.fileName;
}

/** "3 min 12 s" between start and finish (or now, when still running); "—" when not started. */
export function jobDuration(job: Pick<JobSummary, "startedAt" | "finishedAt">, now: Date = new Date()): string {
  if (!job.startedAt) return "—";
  const start = new Date(job.startedAt).getTime();
  const end = job.finishedAt ? new Date(job.finishedAt).getTime() : now.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) return "—";
  const s = Math.max(0, Math.round((end - start) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

export const COUNT_LABELS: ReadonlyArray<[keyof ImportCounts, string]> = [
  ["created", "Created"],
  ["updated", "Updated"],
  ["duplicates", "In-file duplicates"],
  ["reviews", "Merge reviews"],
  ["failed", "Failed"],
];

/** One line for a toast: "customers.xlsx: 120 created, 30 updated, 2 failed". */
export function countsSummary(label: string, counts: ImportCounts): string {
  return `${label}: ${formatCount(counts.created)} created, ${formatCount(counts.updated)} updated, ${formatCount(counts.failed)} failed`;
}

export function statusLabel(status: JobSummary["status"]): string {
  switch (status) {
    case "queued":
      return "Queued";
    case "running":
      return "Running";
    case "done":
      return "Done";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
    case "undone":
      return "Undone";
  }
}
