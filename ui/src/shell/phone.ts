// Phone numbers as every screen shows them: one way, whatever way they were typed.
//
// - Vietnamese numbers in national form with the usual grouping: mobiles 0912 345 678;
//   landlines of Hà Nội and TP. Hồ Chí Minh 024 3825 1234 / 028 3823 4567, of the other
//   provinces 0236 3822 222.
// - Other countries' numbers with + and their calling code, the rest in groups of three or four
//   (+1 415 555 2671, +65 6123 4567, +44 791 112 3456).
//
// Only the display changes: stored values and what the form edits stay as typed. A number in
// E.164 (`PhoneValue.e164`, what the detail receives) is always formatted. The list, the reviews
// and the labels receive only the typed text (`PhoneValue.raw`, joined with ", "); it is
// formatted only when it reads as one number without knowing the store's default region —
// written with + or 00 and a calling code, or as a Vietnamese number with its leading 0 — and
// shown as typed otherwise (`912345678` whose 0 Excel dropped, `84912345678`, annotations).
import type { PhoneValue } from "../ipc";

/** Calling codes of two digits (the ITU's zones 2–9); 1 and 7 have one, all others three. */
const TWO_DIGIT_CODES = new Set([
  "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
  "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
  "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
]);

/** E.164: at most 15 digits with the calling code; fewer than 8 is no number we store. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/** The calling code `digits` (after +) starts with. */
function callingCode(digits: string): string {
  if (digits.startsWith("1") || digits.startsWith("7")) return digits.slice(0, 1);
  const two = digits.slice(0, 2);
  return TWO_DIGIT_CODES.has(two) ? two : digits.slice(0, 3);
}

/** A Vietnamese national significant number (without the 0): 9-digit mobiles, 10-digit landlines. */
function isVietnamese(nsn: string): boolean {
  if (!/^\d+$/.test(nsn)) return false;
  if (nsn.length === 9) return /^[35789]/.test(nsn);
  return nsn.length === 10 && nsn.startsWith("2");
}

function groups(digits: string, sizes: readonly number[]): string {
  const out: string[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) out.push(digits.slice(at));
  return out.filter((g) => g !== "").join(" ");
}

/** A Vietnamese national significant number in national form: 0912 345 678, 024 3825 1234. */
function vietnamese(nsn: string): string {
  const national = `0${nsn}`;
  if (nsn.length === 9) return groups(national, [4, 3, 3]);
  return /^2[48]/.test(nsn) ? groups(national, [3, 4, 4]) : groups(national, [4, 4, 3]);
}

/** Groups of three, the last one or two of four: 612 345 678, 415 555 2671, 6123 4567. */
function generic(nsn: string): string {
  const n = nsn.length;
  if (n <= 4) return nsn;
  if (n === 5) return groups(nsn, [2, 3]);
  const fours = n % 3 === 0 ? 0 : n % 3 === 1 ? 1 : 2;
  const threes = (n - 4 * fours) / 3;
  return groups(nsn, [...Array<number>(threes).fill(3), ...Array<number>(fours).fill(4)]);
}

/** The digits after + (calling code first) as shown, or null when they are no plausible number. */
function international(digits: string): string | null {
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return null;
  const cc = callingCode(digits);
  const nsn = digits.slice(cc.length);
  if (cc === "84") {
    // Some write the trunk 0 after the code: +84 0912 345 678.
    if (isVietnamese(nsn)) return vietnamese(nsn);
    if (nsn.startsWith("0") && isVietnamese(nsn.slice(1))) return vietnamese(nsn.slice(1));
    return null;
  }
  return `+${cc} ${generic(nsn)}`;
}

/** A number in E.164 (`+84912345678`) as shown; anything else as it is. */
export function formatE164(e164: string): string {
  const m = /^\+(\d+)$/.exec(e164.trim());
  return (m?.[1] && international(m[1])) || e164;
}

/**
 * A number as typed, as shown when it reads as one number without the store's region (see the
 * module's comment); otherwise exactly as typed.
 */
export function formatTypedPhone(typed: string): string {
  const value = typed.trim();
  // Digits, + before the first digit (`(+84) 912 …`), and the separators the core accepts
  // (word processors' hyphens and dashes too); a letter or anything else leaves it as typed.
  let digits = "";
  let plus = false;
  for (const ch of value) {
    if (ch >= "0" && ch <= "9") digits += ch;
    else if (ch === "+" && digits === "" && !plus) plus = true;
    else if (!/[\s.()/\u2010-\u2013-]/u.test(ch)) return typed;
  }
  if (!plus && digits.startsWith("00")) {
    plus = true;
    digits = digits.slice(2);
  }
  if (plus) return international(digits) ?? typed;
  if (digits.startsWith("0") && isVietnamese(digits.slice(1))) return vietnamese(digits.slice(1));
  return typed;
}

/** One stored phone: from its E.164 form, else from what was typed. */
export function formatPhone(phone: Pick<PhoneValue, "raw" | "e164">): string {
  return phone.e164 ? formatE164(phone.e164) : formatTypedPhone(phone.raw);
}

/** Phones as the core joins them into one text (list cells, reviews, history): each one shown. */
export function formatPhoneList(text: string): string {
  if (text === "") return text;
  return text
    .split(", ")
    .map((part) => formatTypedPhone(part))
    .join(", ");
}

/**
 * A profile's label — its name, else its first phone, else its first e-mail — as shown: a
 * label that is a phone number reads as the phone does everywhere else.
 */
export function formatLabel(label: string): string {
  return formatTypedPhone(label);
}
