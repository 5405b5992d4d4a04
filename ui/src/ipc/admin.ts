// The administration commands (Settings screen). The core checks
// settings.manage on each of them, validates, audits and answers with the
// section's new state.
import type { ConsentChannelSetting } from "./bindings/ConsentChannelSetting";
import type { LimitSetting } from "./bindings/LimitSetting";
import type { LimitValue } from "./bindings/LimitValue";
import { call } from "./index";

export type { ConsentChannelSetting } from "./bindings/ConsentChannelSetting";
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
