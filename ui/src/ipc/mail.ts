// E-mail (SPEC 7.1): SMTP settings, the user's address, the job mails.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { JobKind } from "./bindings/JobKind";
import type { JobMail } from "./bindings/JobMail";
import type { MailPolicy } from "./bindings/MailPolicy";
import type { MailSettings } from "./bindings/MailSettings";
import type { MailSettingsInput } from "./bindings/MailSettingsInput";
import type { MailSettingsSaved } from "./bindings/MailSettingsSaved";
import { call } from "./call";

export function mailSettings(): Promise<MailSettings> {
  return call("mail_settings");
}

/** Saves the SMTP settings; the password goes to the OS keychain (`warning` when it cannot). */
export function setMailSettings(input: MailSettingsInput): Promise<MailSettingsSaved> {
  return call("set_mail_settings", { input });
}

export function sendTestMail(to: string): Promise<null> {
  return call("send_test_mail", { to });
}

/** Who may receive results: the allowed domains and the attachment row cap (administrators). */
export function mailPolicy(): Promise<MailPolicy> {
  return call("mail_policy");
}

export function setMailPolicy(policy: MailPolicy): Promise<MailPolicy> {
  return call("set_mail_policy", { policy });
}

/** The signed-in user's address for result e-mails. */
export function myMailAddress(): Promise<string | null> {
  return call("my_mail_address");
}

export function setMyMailAddress(address: string): Promise<string | null> {
  return call("set_my_mail_address", { address });
}

export function jobMails(kind: JobKind): Promise<JobMail[]> {
  return call("job_mails", { kind });
}

export function retryJobMail(kind: JobKind, id: number): Promise<JobMail> {
  return call("retry_job_mail", { kind, id });
}

export function onJobMail(handler: (mail: JobMail) => void): Promise<UnlistenFn> {
  return listen<JobMail>("job-mail", (e) => handler(e.payload));
}
