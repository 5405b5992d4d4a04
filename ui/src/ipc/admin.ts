// The administration commands (Settings screen). The core checks
// settings.manage on each of them, validates, audits and answers with the
// section's new state.
import type { ConsentChannelSetting } from "./bindings/ConsentChannelSetting";
import type { FieldDraft } from "./bindings/FieldDraft";
import type { Guards } from "./bindings/Guards";
import type { SyncExample } from "./bindings/SyncExample";
import type { SyncRuleDraft } from "./bindings/SyncRuleDraft";
import type { SyncRuleSetting } from "./bindings/SyncRuleSetting";
import type { FieldSetting } from "./bindings/FieldSetting";
import type { LimitSetting } from "./bindings/LimitSetting";
import type { LimitValue } from "./bindings/LimitValue";
import type { NewUser } from "./bindings/NewUser";
import type { PermissionInfo } from "./bindings/PermissionInfo";
import type { RoleSummary } from "./bindings/RoleSummary";
import type { UserSummary } from "./bindings/UserSummary";
import type { UserUpdate } from "./bindings/UserUpdate";
import { call } from "./call";

export type { ConsentChannelSetting } from "./bindings/ConsentChannelSetting";
export type { FieldDraft } from "./bindings/FieldDraft";
export type { Guards } from "./bindings/Guards";
export type { ExampleProfile } from "./bindings/ExampleProfile";
export type { SyncExample } from "./bindings/SyncExample";
export type { SyncRuleDraft } from "./bindings/SyncRuleDraft";
export type { SyncRuleSetting } from "./bindings/SyncRuleSetting";
export type { FieldLock } from "./bindings/FieldLock";
export type { FieldSetting } from "./bindings/FieldSetting";
export type { LimitSetting } from "./bindings/LimitSetting";
export type { LimitUnit } from "./bindings/LimitUnit";
export type { LimitValue } from "./bindings/LimitValue";

export function limitSettings(): Promise<LimitSetting[]> {
  return call("limit_settings");
}

/** Changes limits, all or none; out-of-bounds values come back as field errors keyed by limit. */
export function setLimits(values: LimitValue[]): Promise<LimitSetting[]> {
  return call("set_limits", { values });
}

export function consentChannelSettings(): Promise<ConsentChannelSetting[]> {
  return call("consent_channel_settings");
}

export function addConsentChannel(label: string): Promise<ConsentChannelSetting[]> {
  return call("add_consent_channel", { label });
}

export function renameConsentChannel(key: string, label: string): Promise<ConsentChannelSetting[]> {
  return call("rename_consent_channel", { key, label });
}

export function reorderConsentChannels(keys: string[]): Promise<ConsentChannelSetting[]> {
  return call("reorder_consent_channels", { keys });
}

export function removeConsentChannel(key: string): Promise<ConsentChannelSetting[]> {
  return call("remove_consent_channel", { key });
}

// ---- users and roles -------------------------------------------------------

export type { NewUser } from "./bindings/NewUser";
export type { PermissionInfo } from "./bindings/PermissionInfo";
export type { RoleSummary } from "./bindings/RoleSummary";
export type { UserSummary } from "./bindings/UserSummary";
export type { UserUpdate } from "./bindings/UserUpdate";

export function users(): Promise<UserSummary[]> {
  return call("users");
}

export function createUser(user: NewUser): Promise<UserSummary> {
  return call("create_user", { user });
}

export function updateUser(name: string, update: UserUpdate): Promise<UserSummary> {
  return call("update_user", { name, update });
}

/** An administrator sets another user's password. */
export function setUserPassword(name: string, password: string): Promise<null> {
  return call("set_user_password", { name, password });
}

export function roles(): Promise<RoleSummary[]> {
  return call("roles");
}

export function permissionCatalogue(): Promise<PermissionInfo[]> {
  return call("permission_catalogue");
}

export function createRole(name: string, permissions: string[]): Promise<RoleSummary> {
  return call("create_role", { name, permissions });
}

export function updateRole(role: string, name: string, permissions: string[]): Promise<RoleSummary> {
  return call("update_role", { role, name, permissions });
}

export function deleteRole(role: string): Promise<null> {
  return call("delete_role", { role });
}

export function idleLockMinutes(): Promise<number> {
  return call("idle_lock_minutes");
}

export function setIdleLockMinutes(minutes: number): Promise<number> {
  return call("set_idle_lock_minutes", { minutes });
}

// ---- field catalogue ---------------------------------------------------------

export function fieldSettings(): Promise<FieldSetting[]> {
  return call("field_settings");
}

export function addField(draft: FieldDraft): Promise<FieldSetting[]> {
  return call("add_field", { draft });
}

export function updateField(key: string, draft: FieldDraft): Promise<FieldSetting[]> {
  return call("update_field", { key, draft });
}

export function reorderFields(keys: string[]): Promise<FieldSetting[]> {
  return call("reorder_fields", { keys });
}

/** Deletes a custom field; `confirm` must be true when it holds values (the screen asks first). */
export function deleteField(key: string, confirm: boolean): Promise<FieldSetting[]> {
  return call("delete_field", { key, confirm });
}

// ---- synchronization rule -----------------------------------------------------

export function syncRuleSettings(): Promise<SyncRuleSetting> {
  return call("sync_rule_settings");
}

/** What the proposed rule would do with the core's sample (the real rule, in a throw-away store). */
export function syncRuleExample(draft: SyncRuleDraft): Promise<SyncExample> {
  return call("sync_rule_example", { draft });
}

export function setSyncRule(draft: SyncRuleDraft): Promise<SyncRuleSetting> {
  return call("set_sync_rule", { draft });
}

/**
 * Saves the rule's guards (most phones and e-mails per profile, the shared-value threshold, the
 * blocked values); out-of-range numbers come back as field errors keyed `maxPhones`,
 * `maxEmails`, `sharedKeyRows` or `blocked`. Answers with the section's new state.
 */
export function setRuleGuards(guards: Guards): Promise<SyncRuleSetting> {
  return call("set_rule_guards", { guards });
}
