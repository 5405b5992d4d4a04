// The audit screen's commands (the core checks audit.view).
import type { AuditFilters } from "./bindings/AuditFilters";
import type { AuditPage } from "./bindings/AuditPage";
import type { AuditQuery } from "./bindings/AuditQuery";
import type { AuditVerification } from "./bindings/AuditVerification";
import { call } from "./call";

export type { AuditEntry } from "./bindings/AuditEntry";
export type { AuditFilters } from "./bindings/AuditFilters";
export type { AuditPage } from "./bindings/AuditPage";
export type { AuditQuery } from "./bindings/AuditQuery";
export type { AuditVerification } from "./bindings/AuditVerification";

export function auditEntries(query: AuditQuery): Promise<AuditPage> {
  return call("audit_entries", { query });
}

export function auditFilters(): Promise<AuditFilters> {
  return call("audit_filters");
}

export function verifyAudit(): Promise<AuditVerification> {
  return call("verify_audit");
}

/** Saves the filtered entries as .xlsx (native save dialog); null when cancelled. */
export function exportAudit(query: AuditQuery): Promise<string | null> {
  return call("export_audit", { query });
}
