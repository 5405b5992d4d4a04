// What an audit entry says, in the UI's language. The core keeps one English sentence per
// entry (`summary`, built by `audit_log::summary` in crates/core/src/audit_log.rs); this
// renders the same sentence from the entry's action, target and details, so a Vietnamese
// user reads Vietnamese. Each case mirrors one arm of the core's `match action` — same fields,
// same fallbacks for missing values (summaries.test.ts holds the two side by side, and fails
// when the core gains an action this file does not render). The actions the core writes but
// its `summary` does not word (it lists their raw details: settings.field, settings.mail,
// sync.config, …) get sentences of the UI's own, in both languages (actionNames.test.ts reads
// the core's `audit::append` calls and fails on an action without one). An action it does
// not know, or details it cannot read, show the core's sentence: never a blank.
import { BUILTIN_NAMES_EN } from "../ipc/messages";
import { shownName, shownRole } from "../ipc/builtinNames";
import type { AuditEntry } from "../ipc/audit";
import { exportFilter } from "./filterWords";
import { CONFIG_PARTS, said } from "./messages";

type Details = Record<string, unknown>;

function isObject(v: unknown): v is Details {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The core's `text`: a string as it is, nothing as "", anything else as JSON. */
function text(v: unknown, key: string): string {
  const value = isObject(v) ? v[key] : undefined;
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  return JSON.stringify(value);
}

/** A count to group and agree with (a number), else the core's `text` of it. */
function count(v: unknown, key: string): number | string {
  const value = isObject(v) ? v[key] : undefined;
  return typeof value === "number" ? value : text(v, key);
}

/** The core's `plain`: strings without quotes, anything else as JSON. */
function plain(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v ?? null);
}

function at(v: unknown, key: string): unknown {
  return isObject(v) ? v[key] : undefined;
}

/** An object's entries in key order: serde_json's map, which the core iterates, is sorted. */
function sortedEntries(v: unknown): Array<[string, unknown]> {
  return isObject(v) ? Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
}

function list(v: unknown, each: (item: unknown) => string = plain): string {
  return Array.isArray(v) ? v.map(each).join(", ") : "";
}

/** The core's `name_of`: what follows the first colon of a target ("user:sam" → "sam"). */
function nameOf(target: string): string {
  const colon = target.indexOf(":");
  return colon < 0 ? target : target.slice(colon + 1);
}

/** The masked label; "Profile #7" (the core's words when there was no name) translated. */
function label(d: unknown): string {
  const stored = text(d, "label");
  const number = /^Profile #(\d+)$/.exec(stored)?.[1];
  return number === undefined ? stored : said.profileNumber(number);
}

/** The core's `links`: "2 accounts, 1 opportunity", zeros left out. */
function links(v: unknown): string {
  const parts = sortedEntries(v).flatMap(([kind, n]) => {
    if (typeof n !== "number" || !Number.isInteger(n) || n <= 0) return [];
    const one = (kind.endsWith("s") ? kind.slice(0, -1) : kind).replaceAll("opportunitie", "opportunity");
    return [said.link(kind, one, n)];
  });
  return parts.length === 0 ? said.noLinks : parts.join(", ");
}

/** The core's `field_names`: the built-in fields' names in the UI's language. */
function fieldNames(v: unknown): string {
  const keys = Array.isArray(v) ? v.filter((k): k is string => typeof k === "string") : [];
  if (keys.length === 0) return said.noFields;
  return keys
    .map((key) => {
      const id = `field:${key}`;
      const builtin = Object.prototype.hasOwnProperty.call(BUILTIN_NAMES_EN, id) ? BUILTIN_NAMES_EN[id as keyof typeof BUILTIN_NAMES_EN] : key;
      return said.fieldName(key, shownName(id, builtin));
    })
    .join(", ");
}

function profileEdit(d: unknown): string {
  const fields = Array.isArray(at(d, "fields")) && (at(d, "fields") as unknown[]).some((k) => typeof k === "string");
  const channels = at(d, "consentChannels");
  const n = typeof channels === "number" && Number.isInteger(channels) && channels >= 0 ? channels : 0;
  if (n === 0) return fieldNames(at(d, "fields"));
  if (!fields) return said.consentOf(n);
  return said.fieldsAndConsent(fieldNames(at(d, "fields")), said.consentOf(n));
}

function consentChannel(d: unknown): string {
  const change = text(d, "change");
  switch (change) {
    case "added":
      return said.channelAdded(text(d, "label"));
    case "renamed":
      return said.channelRenamed(text(d, "before"), text(d, "after"));
    case "reordered":
      return said.channelsReordered(list(at(d, "order")));
    case "removed":
      return said.channelRemoved(text(d, "label"));
    default:
      return said.channelsChanged(change);
  }
}

/** The core's `review_sentence`: a merge review's decision. */
function review(target: string, d: unknown): string {
  if (target.startsWith("job:")) {
    const reviews = at(d, "reviews");
    return said.reviewsDiscarded(Array.isArray(reviews) ? reviews.length : 0, target.slice("job:".length));
  }
  const id = text(d, "profileId");
  const removed = at(d, "removed");
  const action = text(d, "action");
  let what: string;
  if (action === "attach") what = said.reviewAttached(id);
  else if (action === "mergeAll" && Array.isArray(removed) && removed.length > 0)
    what = said.reviewMergedProfiles(list(removed, (r) => `#${plain(r)}`), removed.length > 1, id);
  else if (action === "mergeAll") what = said.reviewMerged(id);
  else if (action === "createNew") what = said.reviewCreated(id);
  else if (action === "dismiss") what = said.reviewDismissed;
  else what = action;
  return said.reviewResolved(text(d, "review"), what);
}

/** A field key as its name: a built-in field's name in the UI's language, else the key. */
function fieldLabel(key: string): string {
  const id = `field:${key}`;
  return Object.prototype.hasOwnProperty.call(BUILTIN_NAMES_EN, id) ? shownName(id, BUILTIN_NAMES_EN[id as keyof typeof BUILTIN_NAMES_EN]) : key;
}

/** A field's name in an entry: the built-in name for a built-in field, else what the entry kept. */
function fieldCalled(key: string, label: string): string {
  const id = `field:${key}`;
  if (Object.prototype.hasOwnProperty.call(BUILTIN_NAMES_EN, id)) return shownName(id, label || BUILTIN_NAMES_EN[id as keyof typeof BUILTIN_NAMES_EN]);
  return label || key;
}

/** A pair the core wrote as `[before, after]`. */
function pair(v: unknown): [unknown, unknown] | null {
  return Array.isArray(v) && v.length === 2 ? [v[0], v[1]] : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** `settings.field` (crates/core/src/admin/fields.rs, catalogue.rs): a field added, changed, reordered or deleted. */
function settingsField(d: unknown, target: string): string {
  const key = target.startsWith("field:") ? target.slice("field:".length) : target;
  const change = at(d, "change");
  if (change === "added") {
    const options = strings(at(d, "options"));
    return said.fieldAdded(text(d, "label"), said.fieldKind(text(d, "kind")), options.join(", "), at(d, "mandatory") === true, at(d, "hidden") === true);
  }
  if (change === "deleted") return said.fieldDeleted(fieldCalled(key, text(d, "label")), count(d, "values"));
  if (change === "reordered") return said.fieldsReordered(strings(at(d, "order")).map(fieldLabel).join(", "));
  if (change === "updated") {
    const label = pair(at(d, "label"));
    const parts = sortedEntries(d).flatMap(([name, v]): string[] => {
      const p = pair(v);
      if (!p) return [];
      const [before, after] = p;
      switch (name) {
        case "label":
          return [said.fieldRenamed(plain(before), plain(after))];
        case "kind":
          return [said.fieldKindChanged(said.fieldKind(plain(before)), said.fieldKind(plain(after)))];
        case "mandatory":
          return [after === true ? said.nowMandatory : said.noLongerMandatory];
        case "displayed":
          return [after === true ? said.nowDisplayed : said.noLongerDisplayed];
        case "hidden":
          return [after === true ? said.nowHidden : said.noLongerHidden];
        case "options":
          return [said.optionsChanged(strings(before).join(", "), strings(after).join(", "))];
        case "synonyms":
          return [said.synonymsChanged(strings(before).join(", "), strings(after).join(", "))];
        default:
          return [];
      }
    });
    if (parts.length === 0) return "";
    return said.fieldChanged(fieldCalled(key, label ? plain(label[1]) : ""), parts.join(", "));
  }
  // Settings → Fields' mandatory switch writes only the new value.
  const mandatory = at(d, "mandatory");
  if (change === undefined && typeof mandatory === "boolean") return said.fieldMandatory(fieldCalled(key, ""), mandatory);
  return "";
}

/** `settings.mail` (crates/core/src/mail/settings.rs): the SMTP server, never the password itself. */
function settingsMail(d: unknown): string {
  const host = text(d, "host");
  if (host === "") return said.mailOff;
  return said.mailSettings(
    `${host}:${text(d, "port")}`,
    said.mailSecurity(text(d, "security")),
    text(d, "sender"),
    text(d, "username"),
    said.mailPassword(text(d, "password")),
  );
}

/** `settings.mail_policy` (crates/core/src/mail/policy.rs): who may receive results, what is attached. */
function mailPolicy(d: unknown): string {
  const after = at(d, "after");
  const domains = strings(at(after, "allowedDomains"));
  return said.mailPolicy(domains.join(", "), count(after, "attachmentRows"));
}

/** `sync.config` (crates/core/src/sync/config.rs): the server's configuration taken, and what was not. */
function syncConfig(d: unknown): string {
  const refused = Array.isArray(at(d, "refused")) ? (at(d, "refused") as unknown[]).map(plain) : [];
  // Each refusal is "<part>: <why>"; the part is named in the UI's language, the reason
  // (the core's words about the server's data) is shown as kept.
  const parts = refused.map((r) => {
    const part = CONFIG_PARTS.find((p) => r.startsWith(`${p}: `));
    return part === undefined ? r : said.configPart(part, r.slice(part.length + 2));
  });
  return said.syncConfig(count(d, "version"), parts.join("; "));
}

/** `sync.conflict` (crates/core/src/sync/conflicts.rs): one conflict decided. */
function syncConflict(d: unknown): string {
  const job = at(d, "serverValuesOfImport");
  return said.syncConflict(fieldLabel(text(d, "field")), said.conflictDecision(text(d, "decision")), job === undefined || job === null ? "" : plain(job));
}

/** "#3, #5" from the ids an entry kept a profile apart from. */
function profileIds(v: unknown): string {
  return list(v, (id) => `#${plain(id)}`);
}

/** One renderer per action the core writes. */
const RENDERERS: Readonly<Record<string, (d: unknown, target: string) => string>> = {
  "profile.delete": (d) => said.profileDelete(text(d, "profileId"), label(d), text(d, "reason"), links(at(d, "removedLinks"))),
  "profile.create": (d) => said.profileCreate(text(d, "profileId"), label(d), fieldNames(at(d, "fields"))),
  "profile.edit": (d) => said.profileEdit(text(d, "profileId"), label(d), profileEdit(d)),
  "auth.first_run": (d) => said.firstRun(text(d, "region")),
  "auth.sign_in": (d) => (at(d, "automatic") === true ? said.signInAutomatic : said.signIn),
  "auth.sign_in_failed": (d, target) => said.signInFailed(nameOf(target), text(d, "attempt"), at(d, "paused") === true),
  "auth.unlock": () => said.unlock,
  "auth.lock": () => said.lock,
  "auth.sign_out": () => said.signOut,
  "user.add": (d, target) => said.userAdd(nameOf(target), shownRole(text(d, "role"))),
  "user.update": (d, target) =>
    said.userUpdate(
      nameOf(target),
      sortedEntries(d)
        .map(([key, v]) => {
          // A role is named as the UI names it (a built-in one in its language).
          const value = (x: unknown): string => (key === "role" ? shownRole(plain(x)) : said.userValue(plain(x)));
          return said.change(said.userField(key), value(Array.isArray(v) ? v[0] : undefined), value(Array.isArray(v) ? v[1] : undefined));
        })
        .join(", "),
    ),
  "user.password": (_d, target) => said.userPassword(nameOf(target)),
  "role.add": (d, target) => said.roleAdd(nameOf(target), list(at(d, "permissions"))),
  "role.update": (d, target) => said.roleUpdate(nameOf(target), list(at(at(d, "permissions"), "after"))),
  "role.delete": (_d, target) => said.roleDelete(nameOf(target)),
  "import.confirm": (d) => said.importConfirm(text(d, "file"), count(d, "rows")),
  "import.undo": (_d, target) => said.importUndo(target),
  "import.cancel": (_d, target) => said.importCancel(target),
  "settings.limits": (d) =>
    said.limits(
      sortedEntries(at(d, "changes"))
        .map(([key, v]) => said.change(said.limitName(key), JSON.stringify(at(v, "before") ?? null), JSON.stringify(at(v, "after") ?? null)))
        .join(", "),
    ),
  "settings.consent_channel": consentChannel,
  "settings.idle_lock": (d) => said.idleLock(count(d, "before"), count(d, "after")),
  "settings.sync_rule": (d) =>
    said.syncRule(list(at(d, "matchKeys"), (k) => said.matchKey(plain(k))), text(d, "region"), said.policy(text(d, "mergePolicy"))),
  "audit.export": (d) => said.auditExport(count(d, "rows")),
  // The filter from the export's query when the entry carries it; else the core's sentence as kept.
  export: (d) => said.exported(count(d, "rows"), exportFilter(d) ?? text(d, "filter"), text(d, "destination")),
  "export.save": (d, target) => said.exportSave(target.replace(/^(export:)+/, ""), count(d, "rows"), text(d, "destination")),
  "import.failed_rows": (d) => said.failedRows(count(d, "rows"), text(d, "job")),
  "mail.sent": (d) => said.mailSent(said.jobKind(text(d, "kind")), text(d, "job"), text(d, "recipient"), count(d, "attachedRows")),
  "user.mail_address": (d, target) => said.mailAddress(nameOf(target), text(d, "after")),
  "sync.connect": (d) => said.syncConnect(text(d, "server"), text(d, "user"), text(d, "device")),
  "sync.disconnect": (d) => said.syncDisconnect(text(d, "server"), count(d, "discardedOps")),
  "sync.pull": (d) => said.syncPull(count(d, "profiles"), count(d, "deleted"), count(d, "consentEvents")),
  "sync.settings": (d) => said.syncSettings(count(d, "importHoldMinutes")),
  "sync.retry": (d) => said.syncRetry(text(d, "kind"), text(d, "refusedFor")),
  "sync.discard": (d) => said.syncDiscard(text(d, "kind"), text(d, "refusedFor")),
  "import.template": (d) => said.importTemplate(count(d, "columns"), said.languageName(text(d, "language")), text(d, "destination")),
  "backup.write": (d, target) => said.backupWrite(count(d, "profiles"), target),
  "backup.restore": (d, target) => said.backupRestore(target, count(d, "profiles"), text(d, "savedCurrentAs")),
  "backup.recover": (d, target) => said.backupRecover(target, count(d, "profiles"), text(d, "damagedKeptAs")),
  "settings.backup": (d) => said.settingsBackup(text(at(d, "after"), "folder"), text(at(d, "after"), "keep"), at(at(d, "after"), "autoDaily") === true),
  "review.resolve": (d, target) => review(target, d),
  "profile.merge": (d) =>
    said.profileMerge(text(d, "profileId"), label(d), text(d, "mergedInto"), text(d, "review"), links(at(at(d, "moved"), "links"))),
  // The core's `summary` has no arm for these (it lists their raw details): their sentences are the UI's own.
  "settings.field": settingsField,
  "settings.mail": settingsMail,
  "settings.mail_policy": mailPolicy,
  "sync.config": syncConfig,
  "sync.conflict": syncConflict,
  // crates/core/src/sync/reviews.rs: a merge review the server opened, decided here.
  "sync.review": (d) => said.serverReview(text(d, "review"), text(d, "decision")),
  "profile.create_separate": (d, target) => said.createSeparate(nameOf(target), profileIds(at(d, "keptApartFrom"))),
  "profile.edit_shared": (d) => said.editShared(text(d, "profileId"), profileIds(at(d, "keptApartFrom"))),
};

/** The actions this file renders (the tests compare them with the core's arms and with the actions it writes). */
export const RENDERED_ACTIONS: readonly string[] = Object.keys(RENDERERS);

/** What happened, in the UI's language; the core's English sentence when it cannot say. */
export function auditSummary(entry: AuditEntry): string {
  const render = Object.prototype.hasOwnProperty.call(RENDERERS, entry.action) ? RENDERERS[entry.action] : undefined;
  if (!render) return entry.summary;
  let details: unknown;
  try {
    details = JSON.parse(entry.details);
  } catch {
    return entry.summary;
  }
  try {
    return render(details, entry.target) || entry.summary;
  } catch {
    return entry.summary;
  }
}
