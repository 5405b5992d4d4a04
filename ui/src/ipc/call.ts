// Invokes the core's commands and wraps their failures in IpcError; the other modules of
// ui/src/ipc build on `call` (so none of them imports the barrel, index.ts).
import { invoke } from "@tauri-apps/api/core";

import type { FieldError } from "./bindings/FieldError";
import { m } from "./messages";

export const IPC_ERROR_CODES = [
  "validation",
  "permission",
  "notFound",
  "limit",
  "conflict",
  "editConflict",
  "internal",
  "schema",
  "importRefused",
  "auth",
  "locked",
  "signedOut",
  "backup",
  "damaged",
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
    return new IpcError("internal", m.unexpectedError, raw ?? null);
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

/** Why the core refused an import file: the rule's code and, for `severalSheets`, the sheet names. */
export function importRefusal(err: unknown): { refusal: string; sheets: string[] } | null {
  if (!(err instanceof IpcError) || err.code !== "importRefused") return null;
  const d = (err.details ?? {}) as { refusal?: unknown; sheets?: unknown };
  const refusal = typeof d.refusal === "string" ? d.refusal : "unknown";
  const sheets = Array.isArray(d.sheets) ? d.sheets.filter((x): x is string => typeof x === "string") : [];
  return { refusal, sheets };
}

function isFieldError(x: unknown): x is FieldError {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.field === "string" && typeof o.message === "string";
}

/** Invokes a command; failures become IpcError (for the other modules of ui/src/ipc). */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    const err = IpcError.from(raw);
    if (err.code === "locked" || err.code === "signedOut") sessionLost?.(err.code);
    throw err;
  }
}

let sessionLost: ((code: "locked" | "signedOut") => void) | null = null;

/**
 * Tells the shell when a command was refused because the session is locked
 * (idle) or nobody is signed in, so it can show the lock or sign-in screen.
 */
export function onSessionLost(handler: ((code: "locked" | "signedOut") => void) | null): void {
  sessionLost = handler;
}
