// The one module that talks to the Rust core. Everything else imports these
// typed functions, so command names and argument shapes live in one place.
import { invoke } from "@tauri-apps/api/core";

import type { AppInfo } from "./bindings/AppInfo";
import type { ConsentChannel } from "./bindings/ConsentChannel";
import type { ConsentInput } from "./bindings/ConsentInput";
import type { DeletePreview } from "./bindings/DeletePreview";
import type { DeleteResult } from "./bindings/DeleteResult";
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

export type { AppInfo } from "./bindings/AppInfo";
export type { ConsentChannel } from "./bindings/ConsentChannel";
export type { ConsentInput } from "./bindings/ConsentInput";
export type { ConsentRecord } from "./bindings/ConsentRecord";
export type { ConsentStatus } from "./bindings/ConsentStatus";
export type { DeletePreview } from "./bindings/DeletePreview";
export type { DeleteResult } from "./bindings/DeleteResult";
export type { FieldChange } from "./bindings/FieldChange";
export type { FieldDef } from "./bindings/FieldDef";
export type { FieldError } from "./bindings/FieldError";
export type { FieldKind } from "./bindings/FieldKind";
export type { HistoryEntry } from "./bindings/HistoryEntry";
export type { IdentifierOwner } from "./bindings/IdentifierOwner";
export type { InputValue } from "./bindings/InputValue";
export type { LinkedObject } from "./bindings/LinkedObject";
export type { LinkedObjects } from "./bindings/LinkedObjects";
export type { ListQuery } from "./bindings/ListQuery";
export type { MatchCandidate } from "./bindings/MatchCandidate";
export type { MatchKey } from "./bindings/MatchKey";
export type { PhoneValue } from "./bindings/PhoneValue";
export type { Profile } from "./bindings/Profile";
export type { ProfileCounts } from "./bindings/ProfileCounts";
export type { ProfileDetail } from "./bindings/ProfileDetail";
export type { ProfileInput } from "./bindings/ProfileInput";
export type { ProfilePage } from "./bindings/ProfilePage";
export type { ProfileRow } from "./bindings/ProfileRow";
export type { SaveOutcome } from "./bindings/SaveOutcome";
export type { SaveResult } from "./bindings/SaveResult";
export type { SelectOption } from "./bindings/SelectOption";
export type { Session } from "./bindings/Session";
export type { Source } from "./bindings/Source";

export const IPC_ERROR_CODES = [
  "validation",
  "permission",
  "notFound",
  "limit",
  "conflict",
  "internal",
  "schema",
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

function isErrorCode(code: string): code is IpcErrorCode {
  return (IPC_ERROR_CODES as readonly string[]).includes(code);
}

/**
 * A command's failure as the core reported it. The UI branches on `code`
 * only: messages are for people and may change wording.
 */
export class IpcError extends Error {
  override readonly name = "IpcError";
  readonly code: IpcErrorCode;
  readonly details: unknown;

  constructor(code: IpcErrorCode, message: string, details: unknown = null) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** Wraps whatever `invoke` rejected with into an IpcError. */
  static from(raw: unknown): IpcError {
    if (raw instanceof IpcError) return raw;
    if (typeof raw === "object" && raw !== null) {
      const obj = raw as Record<string, unknown>;
      if (typeof obj.code === "string" && typeof obj.message === "string") {
        if (isErrorCode(obj.code)) return new IpcError(obj.code, obj.message, obj.details ?? null);
        // A code this UI does not know yet (a newer core): keep the message
        // and the original code, handle it as an internal failure.
        return new IpcError("internal", obj.message, { code: obj.code, details: obj.details ?? null });
      }
    }
    if (raw instanceof Error) return new IpcError("internal", raw.message, null);
    // Tauri itself rejects with a plain string when a command is missing or
    // its arguments do not deserialise.
    if (typeof raw === "string") return new IpcError("internal", raw, null);
    return new IpcError("internal", "Unexpected error from the application core.", raw ?? null);
  }

  /** The per-field errors of a `validation` failure (empty otherwise). */
  get fieldErrors(): FieldError[] {
    if (this.code !== "validation" || !Array.isArray(this.details)) return [];
    return this.details.filter(isFieldError);
  }

  /** The permission a `permission` failure names, if any. */
  get missingPermission(): string | null {
    if (this.code !== "permission") return null;
    const d = this.details as { permission?: unknown } | null;
    return d && typeof d.permission === "string" ? d.permission : null;
  }
}

function isFieldError(x: unknown): x is FieldError {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.field === "string" && typeof o.message === "string";
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw IpcError.from(raw);
  }
}

export function session(): Promise<Session> {
  return call("session");
}

export function appInfo(): Promise<AppInfo> {
  return call("app_info");
}

export function fieldCatalogue(): Promise<FieldDef[]> {
  return call("field_catalogue");
}

export function consentChannels(): Promise<ConsentChannel[]> {
  return call("consent_channels");
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

export function createProfile(input: ProfileInput, consent: ConsentInput): Promise<SaveResult> {
  return call("create_profile", { input, consent });
}

export function updateProfile(
  id: number,
  input: ProfileInput,
  consent: ConsentInput,
): Promise<ProfileDetail> {
  return call("update_profile", { id, input, consent });
}

/** What deleting `ids` would remove: profiles and linked objects per kind. */
export function deletePreview(ids: readonly number[]): Promise<DeletePreview> {
  return call("delete_preview", { ids });
}

/** Deletes `ids` (at most 100) for `reason`; irreversible, audited by the core. */
export function deleteProfiles(ids: readonly number[], reason: string): Promise<DeleteResult> {
  return call("delete_profiles", { ids, reason });
}
