// What Settings → E-mail says when something fails. The system's own words (an SMTP server's
// answer, "Connection refused (os error 111)", the keychain's error) are English and
// technical: the section leads with a sentence of the catalogue, chosen by what failed — the
// mail reason when the core sends one, else the error's code and what the user was doing — and
// keeps the system's text under it as a "Details" line, for whoever fixes the server.
import { IpcError } from "../ipc";
import { h } from "../shell/dom";
import { m } from "./messages";

/** What the user was doing: sending the test e-mail, or saving the settings. */
export type MailAction = "test" | "save";

export interface MailProblem {
  /** The catalogue's sentence: what happened and what to do. */
  sentence: string;
  /** The system's own text ("" when it would only repeat the sentence). */
  detail: string;
}

/**
 * The MailReason (crates/core/src/mail/job_mail.rs) an error names in its details, if any: the
 * core's test e-mail fails as a `conflict` with `{ reason }` (its `Error::MailNotSent`), read
 * under a known code or (a newer core's code) under IpcError's wrapped details.
 */
function reasonOf(err: IpcError): string | null {
  const read = (d: unknown): string | null => {
    if (typeof d !== "object" || d === null) return null;
    const reason = (d as Record<string, unknown>).reason;
    return typeof reason === "string" ? reason : null;
  };
  return read(err.details) ?? read((err.details as Record<string, unknown> | null)?.details);
}

function reasonSentence(reason: string): string | null {
  switch (reason) {
    case "notConfigured":
      return m.mailNotConfigured;
    case "keychainUnavailable":
      return m.mailPasswordUnreadable;
    case "serverRefused":
      return m.mailServerRefused;
    case "serverUnreachable":
      return m.mailServerUnreachable;
    default:
      return null;
  }
}

function codeSentence(code: IpcError["code"], action: MailAction): string {
  if (code === "permission") return m.mailNotAllowed;
  if (action === "save") return m.mailNotSaved;
  // A refusal of the core (`conflict`: the server, the password or an address) is about the
  // settings; anything else is a fault of this computer.
  return code === "conflict" || code === "validation" ? m.testNotSent : m.testFailed;
}

/**
 * What the system itself said inside a keychain message of the core: the core words its own
 * sentence around the OS's text, "… (The system said: <text>)" (as `keychain::system_words` in
 * crates/core/src/keychain.rs reads it); a message without it is all the system's.
 */
export function systemWords(message: string): string {
  const parts = message.split("(The system said: ");
  // The closing parenthesis is the core's; one the OS wrote before it ("(os error 2)") stays.
  return parts.length < 2 ? message.trim() : (parts.at(-1) ?? "").trim().replace(/\)$/, "").trim();
}

/** A missing keychain: the catalogue's advice, the OS's own reason as details. */
export function keychainProblem(message: string | null): MailProblem {
  return { sentence: m.noKeychain, detail: systemWords(message ?? "") };
}

/** The sentence and the system's text for a failed test e-mail or save. */
export function mailProblem(err: unknown, action: MailAction): MailProblem {
  const e = IpcError.from(err);
  const reason = reasonOf(e);
  const sentence = (reason === null ? null : reasonSentence(reason)) ?? codeSentence(e.code, action);
  return { sentence, detail: e.message.trim() === sentence ? "" : e.message.trim() };
}

/**
 * Why the password the user typed was not stored (the core saved the rest and sent a
 * `warning`, the keychain's words): chosen from what the user asked for.
 */
export function passwordProblem(warning: string, typed: string | null, userName: string): MailProblem {
  if (typed !== null && typed !== "" && userName.trim() === "") return { sentence: m.passwordNeedsUser, detail: "" };
  return { sentence: typed === "" ? m.passwordNotRemoved : m.passwordNotStored, detail: systemWords(warning) };
}

/** A problem as the section shows it: the sentence, then the system's text, smaller. */
export function problemView(p: MailProblem, testid: string): HTMLElement {
  return h(
    "div",
    { class: "mail-problem", "data-testid": testid },
    h("p", { class: "field-error", "data-testid": `${testid}-sentence` }, p.sentence),
    p.detail ? h("p", { class: "muted small mail-problem-detail", "data-testid": `${testid}-detail` }, m.problemDetails(p.detail)) : null,
  );
}
