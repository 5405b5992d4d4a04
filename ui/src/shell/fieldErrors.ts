// A validation error of the core (FieldError: `field`, `code`, `params`, `message`) as a
// sentence in the UI's language, worded from its code and params — never by translating the
// core's English. A sentence may depend on the field too (`required` on a delete's reason is
// not `required` on a profile's field): `field/code` is looked up before `code`, for errors
// that do not name a field by its `label` (a profile's field always does, and its key may be
// anything an administrator named: "reason", "name"…). A code this UI
// has no words for, or an error without the params its sentence needs (a newer or an older
// core), is shown as the core wrote it: never a blank. fieldErrors.test.ts reads the Rust
// sources for every code the core produces and fails on one without words here.
import { dateProblemText, type DateProblem } from "../i18n/dates";
import { locale } from "../i18n/lang";
import type { FieldError } from "../ipc/bindings/FieldError";
import { shownName } from "../ipc/builtinNames";
import { formatCount, matchKeyLabel } from "./format";
import { fe } from "./messages";

type Params = Readonly<Partial<Record<string, string>>>;

/** A param the sentence needs is missing or unreadable: the core's message is shown instead. */
class Unworded extends Error {}

/** What a sentence is built from: the params, the field's name as the screen shows it, the field. */
interface Said {
  readonly p: Params;
  /** The field's name (the caller's, else the core's `label` param), or null. */
  readonly label: string | null;
  /** The field without its list index or condition number: `phones` for `phones.1`. */
  readonly base: string;
  /** The field as the core named it (`phones.1`, `filter.2`, a catalogue key). */
  readonly field: string;
}

function text(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined) throw new Unworded(name);
  return v;
}

function count(p: Params, name: string): number {
  const n = Number(text(p, name));
  if (!Number.isFinite(n)) throw new Unworded(name);
  return n;
}

function labelOf(s: Said): string {
  if (s.label === null) throw new Unworded("label");
  return s.label;
}

/** The field's own name from the core's `label` param (what the sentence is about), shown as the UI shows names. */
function coreLabel(s: Said): string {
  return shownName(`field:${s.base}`, text(s.p, "label"));
}

// ---- phones, e-mails, dates: the lower crate's problem, named by `reason` --------------------

/** A region's name in the UI's language ("Việt Nam"), from its ISO code. */
function regionName(iso: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: "region" }).of(iso) ?? iso;
  } catch {
    return iso;
  }
}

function place(p: Params): string {
  const iso = text(p, "region");
  return p.intl === "true" ? fe.placeIntl(regionName(iso), text(p, "callingCode")) : fe.placeNational(regionName(iso), iso);
}

/** "10 digits with its leading 0", "9 to 11 digits after +65". */
function expectedDigits(p: Params): string {
  const [min, max] = [count(p, "min"), count(p, "max")];
  if (p.intl === "true") return fe.digitsAfterCode(min, max, text(p, "callingCode"));
  return p.trunk === undefined ? fe.digits(min, max) : fe.digitsWithTrunk(min, max, p.trunk);
}

function numberKind(p: Params): string {
  const kinds: Record<string, string> = { landline: fe.kindLandline, mobile: fe.kindMobile, number: fe.kindNumber };
  const kind = kinds[text(p, "kind")];
  if (kind === undefined) throw new Unworded("kind");
  return kind;
}

function tooLongAdvice(p: Params): string {
  if (p.advice === "several") return fe.phoneSeveral;
  if (p.advice === "foreign") return fe.phoneForeign;
  return "";
}

/** Why a phone is not one, by `reason` (crates/normalize/src/phone.rs, `PhoneProblem::code`). */
export const PHONE_REASONS: Readonly<Record<string, (p: Params) => string>> = {
  empty: () => fe.phoneEmpty,
  letters: () => fe.phoneLetters,
  otherCharacters: () => fe.phoneOtherCharacters,
  noDigits: () => fe.phoneNoDigits,
  oldPrefix: (p) => fe.phoneOldPrefix(text(p, "prefix")),
  tooShort: (p) => fe.phoneTooShort(count(p, "typed"), numberKind(p), place(p), expectedDigits(p)),
  tooLong: (p) => fe.phoneTooLong(count(p, "typed"), numberKind(p), place(p), expectedDigits(p)) + tooLongAdvice(p),
  notInPlan: (p) => fe.phoneNotInPlan(place(p)),
  unknownPlan: () => fe.phoneUnknownPlan,
};

/** Why an e-mail address is not one, by `reason` (crates/normalize/src/email.rs, `EmailProblem::code`). */
export const EMAIL_REASONS: Readonly<Record<string, (p: Params) => string>> = {
  empty: () => fe.emailEmpty,
  tooLong: (p) => fe.emailTooLong(count(p, "max")),
  spaces: () => fe.emailSpaces,
  noAt: () => fe.emailNoAt,
  badLocalPart: () => fe.emailBadLocalPart,
  misplacedDot: () => fe.emailMisplacedDot,
  noDotInDomain: () => fe.emailNoDotInDomain,
  badDomain: () => fe.emailBadDomain,
};

/** Why a text is not a date, by `reason` (crates/normalize/src/date.rs, `DateError::params`). */
export const DATE_REASONS: Readonly<Record<string, (p: Params) => DateProblem>> = {
  format: () => ({ kind: "format" }),
  noSuchMonth: (p) => ({ kind: "month", month: count(p, "month") }),
  noSuchDay: (p) => ({ kind: "day", month: count(p, "month"), year: count(p, "year"), days: count(p, "days") }),
  year: () => ({ kind: "year" }),
};

function because<T>(reasons: Readonly<Record<string, (p: Params) => T>>, p: Params): T {
  const reason = reasons[text(p, "reason")];
  if (reason === undefined) throw new Unworded("reason");
  return reason(p);
}

const notAPhone = ({ p }: Said): string => fe.notAPhone(text(p, "value"), because(PHONE_REASONS, p));
const notAnEmail = ({ p }: Said): string => fe.notAnEmail(text(p, "value"), because(EMAIL_REASONS, p));
const notADate = ({ p }: Said): string => dateProblemText(text(p, "value"), because(DATE_REASONS, p));

// ---- numbers and limits --------------------------------------------------------------------

/** A bound or a value in the limit's unit (`megabytes`, `rows`), else as a count. */
function inUnit(p: Params, name: string): string {
  const n = count(p, name);
  if (p.unit === "megabytes") return fe.megabytes(n);
  if (p.unit === "rows") return fe.rows(n);
  return formatCount(n);
}

function between(s: Said): string {
  const [min, max] = [inUnit(s.p, "min"), inUnit(s.p, "max")];
  if (s.label === null) return fe.betweenNoLabel(min, max);
  return s.p.value === undefined ? fe.between(s.label, min, max) : fe.betweenGiven(s.label, min, max, inUnit(s.p, "value"));
}

function tooLong(s: Said): string {
  const max = count(s.p, "max");
  if (s.label === null) return fe.tooLongNoLabel(max);
  return s.p.given === undefined ? fe.tooLong(s.label, max) : fe.tooLongGiven(s.label, max, count(s.p, "given"));
}

/** `customer_code` (the core's text form of a match key) → `customerCode` (its IPC form). */
function matchKey(value: string): string {
  const key = value.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (key !== "phone" && key !== "email" && key !== "customerCode") throw new Unworded("value");
  return matchKeyLabel(key);
}

// ---- the sentences, by `field/code` then `code` --------------------------------------------

const value = (s: Said): string => text(s.p, "value");
const max = (s: Said): number => count(s.p, "max");

const SENTENCES: Readonly<Record<string, (s: Said) => string>> = {
  // A profile's values (crates/rule/src/validate.rs, guards.rs, matching.rs; crates/core/src/profiles/)
  severalValues: (s) => fe.severalValues(labelOf(s), count(s.p, "given")),
  unknownField: (s) => fe.unknownField(s.p.value ?? s.field),
  readOnly: (s) => fe.readOnly(labelOf(s)),
  identificationRequired: () => fe.identificationRequired,
  required: (s) => (s.label === null ? fe.requiredNoLabel : fe.required(s.label)),
  tooManyValues: (s) => fe.tooManyValues(labelOf(s), max(s), count(s.p, "given")),
  invalidPhone: notAPhone,
  invalidEmail: notAnEmail,
  invalidDate: notADate,
  invalidOption: (s) => fe.invalidOption(value(s), labelOf(s)),
  tooLong,
  invalidNumber: (s) => fe.invalidNumber(value(s)),
  invalidBoolean: (s) => fe.invalidBoolean(value(s)),
  blockedValue: (s) => fe.blockedValue(value(s)),
  "phones/identifierLimit": (s) => fe.identifierLimitPhones(max(s), count(s.p, "given")),
  "emails/identifierLimit": (s) => fe.identifierLimitEmails(max(s), count(s.p, "given")),
  sharedIdentifier: (s) => fe.sharedIdentifier(value(s), text(s.p, "profile"), text(s.p, "profileId")),
  notPickable: (s) => fe.notPickable(s.field),
  emptyPick: (s) => fe.emptyPick(labelOf(s)),
  unknownPick: (s) => fe.unknownPick(labelOf(s), text(s.p, "profileId")),
  "reason/required": () => fe.reasonRequired,
  "profiles/required": () => fe.profilesRequired,

  // Settings: names, lists, limits (crates/core/src/admin/, users.rs, segments.rs; crates/rule/src/guards.rs)
  duplicate: (s) => fe.duplicate(value(s)),
  "options/duplicate": (s) => fe.optionListedTwice(value(s)),
  "matchKeys/duplicate": (s) => fe.matchKeyListedTwice(matchKey(value(s))),
  outOfRange: between,
  // Only a field's synonyms name the field (`label`).
  tooMany: (s) => (s.p.label === undefined ? fe.tooMany(max(s)) : fe.synonymsTooMany(coreLabel(s), max(s))),
  "blocked/tooLong": (s) => fe.blockedTooLong(max(s), value(s)),
  "blocked/tooMany": (s) => fe.blockedTooMany(max(s)),
  "options/tooMany": (s) => fe.optionsTooMany(max(s)),
  "synonyms/tooLong": (s) => fe.synonymTooLong(max(s)),
  "fields/tooMany": (s) => fe.fieldsTooMany(max(s)),
  noOptions: (s) => fe.optionsRequired(coreLabel(s)),
  "matchKeys/required": () => fe.matchKeysRequired,
  "permissions/required": () => fe.permissionsRequired,
  "name/required": () => fe.segmentNameRequired,
  "sender/required": () => fe.senderRequired,
  kindLocked: (s) => fe.kindLocked(coreLabel(s)),
  kindInUse: (s) => fe.kindInUse(coreLabel(s), count(s.p, "count")),
  unknownKind: () => fe.unknownKind,
  identifier: (s) => fe.identifierHidden(coreLabel(s)),
  system: (s) => fe.systemMandatory(coreLabel(s)),
  hidden: (s) => fe.hiddenMandatory(coreLabel(s)),
  emptyOption: (s) => fe.emptyOption(max(s)),
  inUse: (s) => fe.optionInUse(value(s), count(s.p, "count")),
  taken: (s) => fe.synonymTaken(value(s), text(s.p, "other")),
  unknownLimit: (s) => fe.unknownLimit(value(s)),
  unknownRegion: (s) => fe.unknownRegion(value(s)),
  invalidTime: (s) => fe.invalidTime(value(s)),

  // The field catalogue as a whole (crates/rule/src/catalogue.rs): `field` is the field's key
  duplicateKey: (s) => fe.catalogueDuplicate(s.field),
  builtinChanged: (s) => fe.builtinChanged(s.field),
  notBuiltin: (s) => fe.notBuiltin(s.field),
  badKey: (s) => fe.badKey(s.field, max(s)),
  badKind: () => fe.unknownKind,
  badLabel: (s) => fe.badLabel(s.field, max(s)),
  identifierHidden: (s) => fe.identifierHidden(s.field),
  options: (s) => fe.catalogueOptions(max(s)),
  optionValues: (s) => fe.optionValues(s.field),
  synonyms: (s) => fe.catalogueSynonyms(s.field, max(s)),
  builtinRemoved: (s) => fe.builtinRemoved(s.field),

  // Users and roles (crates/core/src/users.rs)
  tooShort: (s) => fe.passwordTooShort(count(s.p, "min")),
  "password/tooLong": (s) => fe.passwordTooLong(max(s)),
  sameAsName: () => fe.sameAsName,
  wrongPassword: () => fe.wrongPassword,
  invalidName: (s) =>
    s.label === null ? fe.invalidNameNoLabel(count(s.p, "min"), max(s)) : fe.invalidName(s.label, count(s.p, "min"), max(s)),
  controlCharacters: () => fe.controlCharacters,
  unknownPermission: (s) => fe.unknownPermission(value(s)),

  // E-mail (crates/core/src/mail/)
  invalidHost: (s) => fe.invalidHost(value(s)),
  invalidPort: () => fe.invalidPort,
  invalidUserName: () => fe.invalidUserName,
  encryptionRequired: (s) => fe.encryptionRequired(text(s.p, "host")),
  "address/invalidEmail": (s) => fe.resultAddress(notAnEmail(s)),
  "sender/invalidEmail": (s) => fe.senderNotAnEmail(value(s)),
  domainNotAllowed: (s) => fe.domainNotAllowed(text(s.p, "allowed"), value(s), text(s.p, "domain")),
  invalidDomain: (s) => fe.invalidDomain(value(s)),

  // Sync (crates/core/src/sync/)
  invalidPin: (s) => fe.invalidPin(value(s)),

  // The list's filter conditions (crates/core/src/filter.rs): `field` is `filter.N`
  valueRequired: (s) => fe.valueRequired(labelOf(s)),
  lettersRequired: (s) => fe.lettersRequired(labelOf(s)),
  digitsRequired: (s) => fe.digitsRequired(labelOf(s)),
  invalidDays: (s) => fe.invalidDays(value(s), count(s.p, "min"), max(s)),
  unsupportedOperator: (s) => fe.unsupportedOperator(labelOf(s)),
  unknownChannel: (s) => fe.unknownChannel(value(s)),
  unknownJob: (s) => fe.unknownJob(value(s)),
};

/** Codes a filter condition's sentence leads with the field's name ("Birthday: “31/02” is not a date…"). */
const NAMED_IN_FILTER = new Set(["invalidDate", "invalidNumber", "invalidBoolean", "invalidPhone", "invalidDays"]);

/** Whether this UI has words for `code` (on some field, or on any). */
export function hasWordsFor(code: string): boolean {
  return Object.keys(SENTENCES).some((key) => key === code || key.endsWith(`/${code}`));
}

/**
 * The error as a sentence in the UI's language. `fieldLabel`: the field's name as the screen
 * shows it (else the core's `label` param, else none: the sentence does without, or is the
 * core's).
 */
export function fieldErrorText(err: FieldError, fieldLabel?: string): string {
  const p: Params = err.params ?? {};
  const base = err.field.split(".")[0] ?? err.field;
  const label = fieldLabel ?? (p.label === undefined ? null : shownName(`field:${base}`, p.label));
  const said: Said = { p, label, base, field: err.field };
  const sentence = (p.label === undefined ? SENTENCES[`${base}/${err.code}`] : undefined) ?? SENTENCES[err.code];
  if (sentence === undefined) return err.message;
  try {
    const words = sentence(said);
    return base === "filter" && label !== null && NAMED_IN_FILTER.has(err.code) ? fe.inFilter(label, words) : words;
  } catch (e) {
    if (e instanceof Unworded) return err.message;
    throw e;
  }
}

/** Several errors as one line: the first, and how many more (a toast, a banner, a dialog's line). */
export function fieldErrorsText(errors: readonly FieldError[]): string | null {
  const [first, ...rest] = errors;
  if (first === undefined) return null;
  const words = fieldErrorText(first);
  return rest.length === 0 ? words : fe.andMore(words, rest.length);
}
