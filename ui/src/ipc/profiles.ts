// Session basics, the catalogue, the list and one profile: read, validate, create, update, delete.
import type { AppInfo } from "./bindings/AppInfo";
import { shownChannels, shownFields } from "./builtinNames";
import type { ConsentChannel } from "./bindings/ConsentChannel";
import type { ConsentInput } from "./bindings/ConsentInput";
import type { CreateDecision } from "./bindings/CreateDecision";
import type { CreatePreview } from "./bindings/CreatePreview";
import type { DeletePreview } from "./bindings/DeletePreview";
import type { DeleteResult } from "./bindings/DeleteResult";
import type { EditBase } from "./bindings/EditBase";
import type { EditConflicts } from "./bindings/EditConflicts";
import type { EditDecision } from "./bindings/EditDecision";
import type { EditPreview } from "./bindings/EditPreview";
import type { FieldDef } from "./bindings/FieldDef";
import type { FieldError } from "./bindings/FieldError";
import type { IdentifierOwner } from "./bindings/IdentifierOwner";
import type { ListQuery } from "./bindings/ListQuery";
import type { ProfileCounts } from "./bindings/ProfileCounts";
import type { ProfileDetail } from "./bindings/ProfileDetail";
import type { ProfileInput } from "./bindings/ProfileInput";
import type { ProfilePage } from "./bindings/ProfilePage";
import type { SaveResult } from "./bindings/SaveResult";
import type { Session } from "./bindings/Session";
import { IpcError, call } from "./call";

export function session(): Promise<Session> {
  return call("session");
}

export function appInfo(): Promise<AppInfo> {
  return call("app_info");
}

/** The field catalogue for display: built-in names in the UI's language (builtinNames.ts). */
export async function fieldCatalogue(): Promise<FieldDef[]> {
  return shownFields(await call<FieldDef[]>("field_catalogue"));
}

/** The consent channels for display: built-in names in the UI's language. */
export async function consentChannels(): Promise<ConsentChannel[]> {
  return shownChannels(await call<ConsentChannel[]>("consent_channels"));
}

export function listColumns(): Promise<string[]> {
  return call("list_columns");
}

export function setListColumns(columns: string[]): Promise<string[]> {
  return call("set_list_columns", { columns });
}

export function countProfiles(query: ListQuery): Promise<ProfileCounts> {
  return call("count_profiles", { query });
}

export function listProfiles(
  query: ListQuery,
  offset: number,
  limit: number,
  columns: string[],
): Promise<ProfilePage> {
  return call("list_profiles", { query, offset, limit, columns });
}

export function getProfile(id: number): Promise<ProfileDetail> {
  return call("get_profile", { id });
}

export function validateProfile(input: ProfileInput, forCreate: boolean): Promise<FieldError[]> {
  return call("validate_profile", { input, forCreate });
}

export function findIdentifierOwner(
  kind: "phone" | "email",
  value: string,
  excludeId: number | null,
): Promise<IdentifierOwner | null> {
  return call("find_identifier_owner", { kind, value, excludeId });
}

/**
 * What Save would do with a typed profile: the existing profiles its identifiers match, what
 * updating each would change, and whether the rule alone would leave a merge review. Nothing is
 * saved; an invalid profile is refused with the same field errors as `createProfile`.
 */
export function previewCreate(input: ProfileInput): Promise<CreatePreview> {
  return call("preview_create", { input });
}

/**
 * Saves a typed profile. `decision` is the person's answer to the preview's matches: update one
 * of them, create a separate profile anyway, or (the default) let the synchronization rule
 * decide as it does for an import row.
 */
export function createProfile(
  input: ProfileInput,
  consent: ConsentInput,
  decision: CreateDecision = { kind: "rule" },
): Promise<SaveResult> {
  return call("create_profile", { input, consent, decision });
}

/**
 * Saves an edit: `input` holds only the fields the person changed, `base` the version and the
 * values of those fields the form was opened on. A field someone else changed since is refused
 * (`editConflict`, see `editConflicts`); nothing is saved then. Without a decision the core
 * refuses an edit that gives the profile a phone or e-mail another profile holds
 * (`sharedIdentifier`); "keepSeparate" is the person's answer that they are different people.
 */
export function updateProfile(
  id: number,
  input: ProfileInput,
  consent: ConsentInput,
  decision: EditDecision,
  base: EditBase,
): Promise<ProfileDetail> {
  return call("update_profile", { id, input, consent, decision, base });
}

/** The fields an `editConflict` refusal names, with the profile's current version. */
export function editConflicts(err: unknown): EditConflicts | null {
  if (!(err instanceof IpcError) || err.code !== "editConflict") return null;
  const d = err.details as Partial<EditConflicts> | null;
  if (!d || !Array.isArray(d.conflicts) || typeof d.version !== "string") return null;
  return { conflicts: d.conflicts, version: d.version };
}

/** The phones and e-mails an edit would share with other profiles (nothing is saved). */
export function previewEdit(id: number, input: ProfileInput): Promise<EditPreview> {
  return call("preview_edit", { id, input });
}

/** What deleting `ids` would remove: profiles and linked objects per kind. */
export function deletePreview(ids: readonly number[]): Promise<DeletePreview> {
  return call("delete_preview", { ids });
}

/** Deletes `ids` (at most 100) for `reason`; irreversible, audited by the core. */
export function deleteProfiles(ids: readonly number[], reason: string): Promise<DeleteResult> {
  return call("delete_profiles", { ids, reason });
}
