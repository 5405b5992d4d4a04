// Built-in names in the UI's language: a built-in field, option, consent channel or role whose
// name is still the one the store was created with (English) reads in Vietnamese when the UI
// speaks it; a name an administrator typed is shown as typed. Applied where the catalogue
// comes in for display (profiles.ts, segments.ts) — Settings edits the stored names as they
// are, so a save never writes a translation into the store. A role is known by its name
// alone (what the core takes and sends), so only what is shown goes through `shownRole`.
import type { ConsentChannel } from "./bindings/ConsentChannel";
import type { FieldDef } from "./bindings/FieldDef";
import type { FilterField } from "./bindings/FilterField";
import type { SelectOption } from "./bindings/SelectOption";
import { BUILTIN_NAMES_EN, builtinNames } from "./messages";

type NameKey = keyof typeof BUILTIN_NAMES_EN;

function isNameKey(key: string): key is NameKey {
  return Object.prototype.hasOwnProperty.call(BUILTIN_NAMES_EN, key);
}

/** `stored` in the UI's language when it is the built-in name of `key`, else as stored. */
export function shownName(key: string, stored: string): string {
  if (!isNameKey(key) || BUILTIN_NAMES_EN[key] !== stored) return stored;
  return builtinNames[key];
}

/** A role's name as shown: a built-in role's ("Administrator") in the UI's language; any other as named. */
export function shownRole(stored: string): string {
  return shownName(`role:${stored.toLowerCase()}`, stored);
}

function options(field: string, list: SelectOption[]): SelectOption[] {
  return list.map((o) => ({ ...o, label: shownName(`option:${field}:${o.value}`, o.label) }));
}

export function shownFields(defs: FieldDef[]): FieldDef[] {
  return defs.map((d) => ({ ...d, label: shownName(`field:${d.key}`, d.label), options: options(d.key, d.options) }));
}

export function shownFilterFields(fields: FilterField[]): FilterField[] {
  return fields.map((f) => ({ ...f, label: shownName(`field:${f.key}`, f.label), options: options(f.key, f.options) }));
}

export function shownChannels(channels: ConsentChannel[]): ConsentChannel[] {
  return channels.map((c) => ({ ...c, label: shownName(`channel:${c.key}`, c.label) }));
}
