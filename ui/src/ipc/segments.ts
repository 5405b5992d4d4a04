// Filters and segments (SPEC 2).
import type { FilterField } from "./bindings/FilterField";
import type { ListQuery } from "./bindings/ListQuery";
import type { Segment } from "./bindings/Segment";
import { shownFilterFields } from "./builtinNames";
import { call } from "./call";

/** The fields the filter builder offers, with their operators (decided by the core). */
export async function filterFields(): Promise<FilterField[]> {
  return shownFilterFields(await call<FilterField[]>("filter_fields"));
}

export function segments(): Promise<Segment[]> {
  return call("segments");
}

export function createSegment(name: string, query: ListQuery, columns: string[]): Promise<Segment> {
  return call("create_segment", { name, query, columns });
}

export function updateSegment(id: number, query: ListQuery, columns: string[]): Promise<Segment> {
  return call("update_segment", { id, query, columns });
}

export function renameSegment(id: number, name: string): Promise<Segment> {
  return call("rename_segment", { id, name });
}

export function deleteSegment(id: number): Promise<null> {
  return call("delete_segment", { id });
}
