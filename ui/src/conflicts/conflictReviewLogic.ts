// What conflict review shows, as plain functions of the core's conflicts: a value in words,
// who/where/when of each side, the open conflicts by profile, and the imports whose conflicts
// can be decided at once ("Keep all server values for import #N").
import type { ConflictSide, SyncConflict } from "../ipc";
import { formatDateTime } from "../shell/format";
import { m } from "./messages";

/** A conflict's value as stored (JSON) → text for a person. */
export function conflictValue(json: string): string {
  try {
    const v: unknown = JSON.parse(json);
    if (v === null || v === "") return m.emptyValue;
    if (typeof v === "string") return v;
    return JSON.stringify(v);
  } catch {
    return json;
  }
}

/** "Lan · Lan's laptop · 03/12/2026 10:02", or "this computer" in place of the device for our side. */
export function sideOrigin(side: ConflictSide, mine: boolean): string {
  const parts: string[] = [];
  if (side.by) parts.push(side.by);
  if (mine) parts.push(m.thisComputer);
  else if (side.device) parts.push(side.device);
  if (side.at) parts.push(formatDateTime(side.at));
  return parts.join(" · ");
}

/** "Import #12 …" at the start of a sentence. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "import #12 (customers.xlsx)". */
export function importName(job: number, file: string | null): string {
  return file ? m.importNameWithFile(job, file) : m.importName(job);
}

export interface ProfileConflicts {
  gid: string;
  profileId: number | null;
  /** The profile's name as the list shows it, or a stand-in when it is not here. */
  label: string;
  conflicts: SyncConflict[];
}

/** The open conflicts, one group per profile, in the order the core listed them. */
export function byProfile(conflicts: readonly SyncConflict[]): ProfileConflicts[] {
  const groups = new Map<string, ProfileConflicts>();
  for (const c of conflicts) {
    if (!c.open) continue;
    let group = groups.get(c.gid);
    if (!group) {
      group = { gid: c.gid, profileId: c.profileId, label: c.label ?? (c.profileId === null ? m.profileNotHere : `#${c.profileId}`), conflicts: [] };
      groups.set(c.gid, group);
    }
    group.conflicts.push(c);
  }
  return [...groups.values()];
}

export interface ImportConflicts {
  job: number;
  file: string | null;
  count: number;
}

/** The imports with open conflicts against a value set elsewhere: what the bulk decision offers. */
export function byImport(conflicts: readonly SyncConflict[]): ImportConflicts[] {
  const jobs = new Map<number, ImportConflicts>();
  for (const c of conflicts) {
    if (!c.open || c.job === null || c.ours === null) continue;
    const entry = jobs.get(c.job) ?? { job: c.job, file: c.jobFile, count: 0 };
    entry.count += 1;
    jobs.set(c.job, entry);
  }
  return [...jobs.values()].sort((a, b) => a.job - b.job);
}

/** The confirmation of "Keep all server values": what it will do, in words. */
export function keepServerText(i: ImportConflicts): string {
  return m.keepServerBody(i.count, importName(i.job, i.file));
}
