// E-mail (SPEC 7.1): the SMTP server that sends export and import results — host, port,
// security (STARTTLS required, implicit TLS, or none for a local relay, chosen explicitly),
// user name and sender — and "Send test e-mail". The password goes to the OS keychain through
// the core; when this computer has none, the section says so and the password is not kept.
// A failure reads as a sentence of the catalogue with the system's own text under it, and a
// refused input as the catalogue's sentence for its field and code (mailProblem.ts), never as
// the raw SMTP or keychain error or the core's English alone.
import { h, uid } from "../shell/dom";
import {
  IpcError,
  mailPolicy,
  mailSettings,
  myMailAddress,
  sendTestMail,
  setMailPolicy,
  setMailSettings,
  setMyMailAddress,
  type MailPolicy,
  type MailSettings,
  type MailSettingsInput,
  type SmtpSecurity,
} from "../ipc";
import { fieldErrorText } from "../shell/fieldErrors";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsSection } from "./section";
import { common } from "../i18n/common";
import { m } from "./messages";
import { keychainProblem, mailProblem, passwordProblem, problemView } from "./mailProblem";

/** Each security mode with its usual port. */
const SECURITY: ReadonlyArray<[SmtpSecurity, number]> = [
  ["startTls", 587],
  ["tls", 465],
  ["none", 25],
];

/** How the security menu names a mode. */
function securityLabel(security: SmtpSecurity): string {
  switch (security) {
    case "startTls":
      return m.securityStartTls;
    case "tls":
      return m.securityTls;
    case "none":
      return m.securityNone;
  }
}

/** The port a security mode usually uses. */
export function defaultPort(security: SmtpSecurity): number {
  return SECURITY.find(([s]) => s === security)?.[1] ?? 587;
}

/** The form's values as the core takes them; `password` only when one was typed. */
export function mailInput(values: Record<string, string>, passwordTouched: boolean): MailSettingsInput {
  const port = Number(values.port?.trim() ?? "");
  return {
    host: values.host?.trim() ?? "",
    port: Number.isInteger(port) && port > 0 && port <= 65_535 ? port : 0,
    security: (values.security as SmtpSecurity | undefined) ?? "startTls",
    username: values.username?.trim() ?? "",
    sender: values.sender?.trim() ?? "",
    password: passwordTouched ? (values.password ?? "") : null,
  };
}

/** The allowed domains as typed (commas, spaces or one per line) → the list the core checks. */
export function domainList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
}

class EmailForm implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly general = h("div", { class: "general-errors", role: "alert", "data-testid": "mail-error" });
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly errors = new Map<string, HTMLElement>();
  private readonly save: HTMLButtonElement;
  private saved: MailSettings | null = null;
  private policy: MailPolicy = { allowedDomains: [], attachmentRows: 10_000 };
  private passwordTouched = false;
  private busy = false;

  constructor() {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.emailWhat));
    this.save = h(
      "button",
      { type: "button", class: "button button-primary", "data-testid": "mail-save", onclick: () => void this.submit() },
      common.saveChanges,
    );
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-email" },
      sectionHead(m.emailTitle, m.emailDescription),
      this.general,
      this.body,
      h("footer", { class: "settings-foot" }, h("div", { class: "toolbar-spacer" }), this.save),
    );
    void this.load();
  }

  hasUnsavedChanges(): boolean {
    if (!this.saved) return false;
    const now = this.values();
    const s = this.saved;
    return (
      this.passwordTouched ||
      now.host !== s.host ||
      Number(now.port) !== s.port ||
      now.security !== s.security ||
      now.username !== s.username ||
      now.sender !== s.sender
    );
  }

  private values(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, el] of this.inputs) out[k] = el.value;
    return out;
  }

  private async load(): Promise<void> {
    try {
      const [settings, address, policy] = await Promise.all([mailSettings(), myMailAddress(), mailPolicy()]);
      this.render(settings, address, policy);
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.emailWhat, errorMessage(err), () => void this.load()));
    }
  }

  private field(key: string, label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
    const id = uid(`mail-${key}`);
    control.id = id;
    control.setAttribute("data-testid", `mail-${key}`);
    const error = h("div", { class: "field-error", "data-testid": `mail-error-${key}` });
    control.setAttribute("aria-describedby", `${id}-hint`);
    this.inputs.set(key, control);
    this.errors.set(key, error);
    control.addEventListener("input", () => {
      error.textContent = "";
      control.removeAttribute("aria-invalid");
    });
    return h(
      "div",
      { class: "field" },
      h("label", { class: "field-label", for: id }, label),
      control,
      hint ? h("p", { class: "muted small", id: `${id}-hint` }, hint) : null,
      error,
    );
  }

  private render(s: MailSettings, address: string | null, policy: MailPolicy): void {
    this.policy = policy;
    this.saved = s;
    this.passwordTouched = false;
    this.inputs.clear();
    this.errors.clear();
    const text = (value: string, extra: Record<string, string> = {}): HTMLInputElement =>
      h("input", { type: "text", value, autocomplete: "off", spellcheck: "false", ...extra });
    const security = h(
      "select",
      {
        onchange: () => {
          const port = this.inputs.get("port");
          const known = SECURITY.map(([, p]) => String(p));
          if (port && (port.value === "" || known.includes(port.value))) port.value = String(defaultPort(security.value as SmtpSecurity));
        },
      },
      SECURITY.map(([value]) => h("option", { value }, securityLabel(value))),
    );
    security.value = s.security;
    const password = h("input", {
      type: "password",
      autocomplete: "new-password",
      placeholder: s.hasPassword ? m.passwordStored : "",
      oninput: () => {
        this.passwordTouched = true;
      },
    });
    // Without a keychain, the OS's reason (its own words) is the details under the sentence.
    const keychain = s.keychain.available
      ? h("p", { class: "muted small", "data-testid": "mail-keychain" }, s.hasPassword ? m.keychainHasPassword : m.keychainStores)
      : h(
          "div",
          { class: "mail-keychain-missing", "data-testid": "mail-keychain" },
          problemView(keychainProblem(s.keychain.message), "mail-keychain-problem"),
        );
    const removePassword = s.hasPassword
      ? h(
          "button",
          {
            type: "button",
            class: "link-button",
            "data-testid": "mail-remove-password",
            onclick: () => {
              password.value = "";
              this.passwordTouched = true;
              void this.submit();
            },
          },
          m.removeStoredPassword,
        )
      : null;
    const testTo = h("input", { type: "email", "data-testid": "mail-test-to", value: address ?? "", placeholder: "you@example.com", "aria-label": m.sendTestTo });
    // Next to the button that sent it, so the answer is where the user looks.
    const testError = h("div", { role: "alert", "data-testid": "mail-test-result" });
    const testButton = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "mail-test", onclick: () => void this.test(testTo.value, testButton, testError) },
      m.sendTest,
    );
    const myAddress = h("input", { type: "email", "data-testid": "mail-my-address", value: address ?? "", placeholder: "you@example.com" });
    const myAddressId = uid("mail-my-address");
    myAddress.id = myAddressId;
    const myNote = h("div", { class: "field-error" });
    this.body.replaceChildren(
      h(
        "div",
        { class: "card mail-form" },
        h(
          "div",
          { class: "form-grid" },
          this.field("host", m.smtpServer, text(s.host, { placeholder: "smtp.example.com" }), m.smtpServerHint),
          this.field("port", m.port, text(String(s.port), { inputmode: "numeric" })),
          this.field("security", m.security, security, m.securityHint),
          this.field("sender", m.senderAddress, text(s.sender, { placeholder: "profile-desk@example.com" }), m.senderHint),
          this.field("username", m.userName, text(s.username), m.userNameHint),
          h("div", { class: "field" }, this.field("password", m.password, password), keychain, removePassword),
        ),
      ),
      h(
        "div",
        { class: "card mail-test-card" },
        h("h3", null, m.testTitle),
        h("p", { class: "muted small" }, m.testHint),
        h("div", { class: "mail-test-row" }, testTo, testButton),
        testError,
      ),
      this.policyCard(policy),
      h(
        "div",
        { class: "card mail-test-card" },
        h("label", { class: "field-label", for: myAddressId }, m.yourAddress),
        h("p", { class: "muted small" }, m.yourAddressHint),
        h(
          "div",
          { class: "mail-test-row" },
          myAddress,
          h(
            "button",
            {
              type: "button",
              class: "button button-secondary",
              "data-testid": "mail-my-address-save",
              onclick: () => {
                myNote.textContent = "";
                void setMyMailAddress(myAddress.value).then(
                  (a) => showToast(a ? m.resultsGoTo(a) : m.noResultsAddress),
                  (err: unknown) => {
                    myNote.textContent = errorMessage(err);
                  },
                );
              },
            },
            m.saveAddress,
          ),
        ),
        myNote,
      ),
    );
  }

  /** Who may receive customers' data: the allowed domains and the attachment row cap. */
  private policyCard(policy: MailPolicy): HTMLElement {
    const domainsId = uid("mail-domains");
    const rowsId = uid("mail-rows");
    const domains = h("textarea", { id: domainsId, rows: 2, "data-testid": "mail-allowed-domains", placeholder: "congty.vn", spellcheck: "false" });
    domains.value = policy.allowedDomains.join(", ");
    const rows = h("input", { id: rowsId, type: "text", inputmode: "numeric", "data-testid": "mail-attachment-rows", value: String(policy.attachmentRows) });
    const error = h("div", { class: "field-error", role: "alert", "data-testid": "mail-policy-error" });
    const save = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "mail-policy-save",
        onclick: () => {
          error.textContent = "";
          const cap = Number(rows.value.trim());
          if (rows.value.trim() === "" || !Number.isInteger(cap) || cap < 0 || cap > 4_294_967_295) {
            error.textContent = m.notARowCount(rows.value);
            return;
          }
          save.disabled = true;
          void setMailPolicy({ allowedDomains: domainList(domains.value), attachmentRows: cap })
            .then(
              (saved) => {
                this.policy = saved;
                domains.value = saved.allowedDomains.join(", ");
                rows.value = String(saved.attachmentRows);
                showToast(saved.allowedDomains.length ? m.resultsOnlyTo(saved.allowedDomains.join(", ")) : m.resultsAnyDomain);
              },
              (err: unknown) => {
                const e = IpcError.from(err);
                error.textContent = e.fieldErrors.map((f) => fieldErrorText(f)).join(" ") || errorMessage(e);
              },
            )
            .finally(() => {
              save.disabled = false;
            });
        },
      },
      m.saveRule,
    );
    return h(
      "div",
      { class: "card mail-test-card", "data-testid": "mail-policy" },
      h("h3", null, m.whoMayReceive),
      h(
        "div",
        { class: "field" },
        h("label", { class: "field-label", for: domainsId }, m.allowedDomains),
        domains,
        h("p", { class: "muted small" }, m.allowedDomainsHint),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { class: "field-label", for: rowsId }, m.attachmentRows),
        rows,
        h("p", { class: "muted small" }, m.attachmentRowsHint),
      ),
      error,
      h("div", { class: "mail-test-row" }, save),
    );
  }

  private async test(to: string, button: HTMLButtonElement, result: HTMLElement): Promise<void> {
    button.disabled = true;
    result.replaceChildren();
    try {
      await sendTestMail(to);
      showToast(m.testSent(to.trim()));
    } catch (err) {
      result.replaceChildren(problemView(mailProblem(err, "test"), "mail-test-error"));
    } finally {
      button.disabled = false;
    }
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.save.disabled = true;
    this.general.replaceChildren();
    for (const e of this.errors.values()) e.textContent = "";
    const input = mailInput(this.values(), this.passwordTouched);
    try {
      const result = await setMailSettings(input);
      const address = await myMailAddress().catch(() => null);
      this.render(result.settings, address, this.policy);
      if (result.warning) {
        this.general.replaceChildren(problemView(passwordProblem(result.warning, input.password, input.username), "mail-warning"));
        showToast(m.mailSavedNoPassword, "info");
      } else {
        showToast(m.mailSaved);
      }
    } catch (err) {
      const e = IpcError.from(err);
      if (e.fieldErrors.length === 0) this.general.replaceChildren(problemView(mailProblem(e, "save"), "mail-save-error"));
      for (const f of e.fieldErrors) {
        const slot = this.errors.get(f.field);
        if (slot) slot.textContent = fieldErrorText(f);
        this.inputs.get(f.field)?.setAttribute("aria-invalid", "true");
      }
    } finally {
      this.busy = false;
      this.save.disabled = false;
    }
  }
}

export const emailSection: SettingsSection = {
  id: "email",
  get title() {
    return m.emailTitle;
  },
  get summary() {
    return m.emailSummary;
  },
  mount: () => new EmailForm(),
};
