// E-mail (SPEC 7.1): the SMTP server that sends export and import results — host, port,
// security (STARTTLS required, implicit TLS, or none for a local relay, chosen explicitly),
// user name and sender — and "Send test e-mail". The password goes to the OS keychain through
// the core; when this computer has none, the section says so and the password is not kept.
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
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsSection } from "./section";

const SECURITY: ReadonlyArray<[SmtpSecurity, string, number]> = [
  ["startTls", "STARTTLS (required)", 587],
  ["tls", "TLS from the start (SMTPS)", 465],
  ["none", "None — a relay on this computer or a trusted local network only", 25],
];

/** The port a security mode usually uses. */
export function defaultPort(security: SmtpSecurity): number {
  return SECURITY.find(([s]) => s === security)?.[2] ?? 587;
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
    this.body = h("div", { class: "settings-body" }, loadingPanel("the e-mail settings"));
    this.save = h(
      "button",
      { type: "button", class: "button button-primary", "data-testid": "mail-save", onclick: () => void this.submit() },
      "Save changes",
    );
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-email" },
      sectionHead(
        "E-mail",
        "The server that sends export files and import results to the users. The password is kept in this computer's keychain, never in Profile Desk's database.",
      ),
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
      this.body.replaceChildren(failedPanel("the e-mail settings", errorMessage(err), () => void this.load()));
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
          const known = SECURITY.map(([, , p]) => String(p));
          if (port && (port.value === "" || known.includes(port.value))) port.value = String(defaultPort(security.value as SmtpSecurity));
        },
      },
      SECURITY.map(([value, label]) => h("option", { value }, label)),
    );
    security.value = s.security;
    const password = h("input", {
      type: "password",
      autocomplete: "new-password",
      placeholder: s.hasPassword ? "•••••••• (stored in the keychain)" : "",
      oninput: () => {
        this.passwordTouched = true;
      },
    });
    const keychain = s.keychain.available
      ? h("p", { class: "muted small", "data-testid": "mail-keychain" }, s.hasPassword ? "A password is stored in the keychain. Type a new one to replace it, or clear it with Remove." : "The password is stored in this computer's keychain.")
      : h("p", { class: "field-error mail-keychain-missing", "data-testid": "mail-keychain" }, s.keychain.message ?? "No keychain is available: the password cannot be stored.");
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
          "Remove the stored password",
        )
      : null;
    const testTo = h("input", { type: "email", "data-testid": "mail-test-to", value: address ?? "", placeholder: "you@example.com", "aria-label": "Send the test e-mail to" });
    const testButton = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "mail-test", onclick: () => void this.test(testTo.value, testButton) },
      "Send test e-mail",
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
          this.field("host", "SMTP server", text(s.host, { placeholder: "smtp.example.com" }), "Leave empty to send no e-mail."),
          this.field("port", "Port", text(String(s.port), { inputmode: "numeric" })),
          this.field("security", "Security", security, "Chosen explicitly: an encrypted connection is never silently dropped."),
          this.field("sender", "Sender address", text(s.sender, { placeholder: "profile-desk@example.com" }), "The From address of every e-mail."),
          this.field("username", "User name", text(s.username), "Leave empty for a server that needs no sign-in."),
          h("div", { class: "field" }, this.field("password", "Password", password), keychain, removePassword),
        ),
      ),
      h(
        "div",
        { class: "card mail-test-card" },
        h("h3", null, "Test"),
        h("p", { class: "muted small" }, "Save first, then send a short e-mail to check the settings."),
        h("div", { class: "mail-test-row" }, testTo, testButton),
      ),
      this.policyCard(policy),
      h(
        "div",
        { class: "card mail-test-card" },
        h("label", { class: "field-label", for: myAddressId }, "Your address for results"),
        h("p", { class: "muted small" }, "Exports and imports you run are e-mailed here. Each user sets their own (also from the export dialog)."),
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
                  (a) => showToast(a ? `Results go to ${a}` : "No address for results"),
                  (err: unknown) => {
                    myNote.textContent = errorMessage(err);
                  },
                );
              },
            },
            "Save address",
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
            error.textContent = `“${rows.value}” is not a number of rows: type a whole number (0 never attaches customers)`;
            return;
          }
          save.disabled = true;
          void setMailPolicy({ allowedDomains: domainList(domains.value), attachmentRows: cap })
            .then(
              (saved) => {
                this.policy = saved;
                domains.value = saved.allowedDomains.join(", ");
                rows.value = String(saved.attachmentRows);
                showToast(saved.allowedDomains.length ? `Results may go to ${saved.allowedDomains.join(", ")} only` : "Results may go to any domain");
              },
              (err: unknown) => {
                const e = IpcError.from(err);
                error.textContent = e.fieldErrors.map((f) => f.message).join(" ") || e.message;
              },
            )
            .finally(() => {
              save.disabled = false;
            });
        },
      },
      "Save rule",
    );
    return h(
      "div",
      { class: "card mail-test-card", "data-testid": "mail-policy" },
      h("h3", null, "Who may receive results"),
      h(
        "div",
        { class: "field" },
        h("label", { class: "field-label", for: domainsId }, "Allowed domains"),
        domains,
        h("p", { class: "muted small" }, "Result e-mails go only to addresses at these domains (exactly: congty.vn does not allow sales.congty.vn). Leave empty to allow any. Checked when a user sets their address and again at every e-mail."),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { class: "field-label", for: rowsId }, "Most rows in an attachment"),
        rows,
        h("p", { class: "muted small" }, "A file with more customer rows is not attached: the e-mail says where it is on this computer and how many rows it has. 0 never attaches customers."),
      ),
      error,
      h("div", { class: "mail-test-row" }, save),
    );
  }

  private async test(to: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    this.general.replaceChildren();
    try {
      await sendTestMail(to);
      showToast(`Test e-mail sent to ${to.trim()}`);
    } catch (err) {
      this.general.replaceChildren(h("div", { class: "field-error", "data-testid": "mail-test-error" }, errorMessage(err)));
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
    try {
      const result = await setMailSettings(mailInput(this.values(), this.passwordTouched));
      const address = await myMailAddress().catch(() => null);
      this.render(result.settings, address, this.policy);
      if (result.warning) {
        this.general.replaceChildren(h("div", { class: "field-error", "data-testid": "mail-warning" }, result.warning));
        showToast("E-mail settings saved — the password was not stored", "info");
      } else {
        showToast("E-mail settings saved");
      }
    } catch (err) {
      const e = IpcError.from(err);
      if (e.fieldErrors.length === 0) this.general.replaceChildren(h("div", { class: "field-error" }, e.message));
      for (const f of e.fieldErrors) {
        const slot = this.errors.get(f.field);
        if (slot) slot.textContent = f.message;
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
  title: "E-mail",
  summary: "SMTP server for export and import results",
  mount: () => new EmailForm(),
};
