// Every section of the Settings screen, in the order of the section list.
// To add a section: write ui/src/settings/<name>.ts exporting a
// SettingsSection (see ./section.ts) and add it to this list.
import { backupSection } from "./backup";
import { consentChannelsSection } from "./consentChannels";
import { emailSection } from "./email";
import { fieldsSection } from "./fields";
import { limitsSection } from "./limits";
import { remoteCdpSection } from "./remoteCdp";
import { rolesSection } from "./roles";
import type { SettingsSection } from "./section";
import { syncRuleSection } from "./syncRule";
import { usersSection } from "./users";

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  fieldsSection,
  syncRuleSection,
  limitsSection,
  consentChannelsSection,
  usersSection,
  rolesSection,
  backupSection(),
  emailSection,
  remoteCdpSection,
];
