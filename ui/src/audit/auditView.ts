// The audit log screen (SPEC 1, permission audit.view): entries newest first,
// filtered by action, user and date; the chain's state ("verified, N
// entries" or the first broken entry); export of the filtered entries to
// .xlsx. Everything is read and checked by the core.
import "./auditView.css";

import { h, uid } from "../shell/dom";
import { Latest } from "../shell/latest";
import { formatDateTime } from "../shell/format";
import { checkDate, formatDate } from "../i18n/dates";
import { common } from "../i18n/common";
import { auditSummary } from "./summaries";
import {
  auditEntries,
  auditFilters,
  exportAudit,
  verifyAudit,
  type AuditEntry,
  type AuditQuery,
  type AuditVerification,
} from "../ipc";
import { errorMessage, showError, showToast } from "../shell/toast";
import { m } from "./messages";

const PAGE = 100;

/** A local calendar day (`yyyy-mm-dd`) as the instant it starts, in UTC. */
export function dayStart(day: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The filter as the core takes it: the days as typed (dd/mm/yyyy, or yyyy-mm-dd) become
 * instants in local time; `to` is inclusive for people, exclusive for the core. A day that
 * cannot be read bounds nothing (the screen does not ask with one: `dateErrors`).
 */
export function auditQuery(f: { action: string; actor: string; from: string; to: string }, beforeId: number | null): AuditQuery {
  const from = checkDate(f.from).iso;
  const to = checkDate(f.to).iso;
  return {
    action: f.action || null,
    actor: f.actor || null,
    from: from ? dayStart(from) : null,
    to: to ? dayStart(to, 1) : null,
    beforeId,
    limit: PAGE,
  };
}

/** Why the typed From and To days cannot be read (in that order); empty when they can. */
export function dateErrors(f: { from: string; to: string }): string[] {
  return [checkDate(f.from).error, checkDate(f.to).error].filter((e): e is string => e !== null);
}

/** "profile.delete" → "Profile delete" (in Vietnamese "Xóa hồ sơ"). */
export function actionLabel(action: string): string {
  return m.actionName(action);
}

export interface AuditViewOptions {
  onBack(): void;
}

export class AuditView {
  readonly element: HTMLElement;
  private readonly chain: HTMLElement;
  private readonly count: HTMLElement;
  private readonly body: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly action: HTMLSelectElement;
  private readonly actor: HTMLSelectElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  /** Why a typed day cannot be read (the list is not asked again until it can). */
  private readonly dateError: HTMLElement;
  private entries: AuditEntry[] = [];
  private readonly seq = new Latest();

  constructor(private readonly opts: AuditViewOptions) {
    this.chain = h("span", { class: "badge audit-chain", "data-testid": "audit-chain" }, m.checkingChain);
    this.count = h("span", { class: "muted", "data-testid": "audit-count", "aria-live": "polite" });
    // A filter changed: the log is asked again once the typed days can be read.
    const changed = (): void => {
      if (this.checkDays()) void this.load(false);
    };
    this.action = h("select", { "data-testid": "audit-filter-action", "aria-label": m.action, onchange: changed }, h("option", { value: "" }, m.allActions));
    this.actor = h("select", { "data-testid": "audit-filter-user", "aria-label": m.user, onchange: changed }, h("option", { value: "" }, m.allUsers));
    // Days typed as everywhere else (dd/mm/yyyy), not a native date picker, which shows the
    // OS locale's order (mm/dd/yyyy under en-US). Checked when the field is left or on Enter.
    const dayInput = (testid: string, label: string): HTMLInputElement =>
      h("input", {
        type: "text",
        class: "audit-day",
        "data-testid": testid,
        "aria-label": label,
        placeholder: common.datePlaceholder,
        inputmode: "numeric",
        autocomplete: "off",
        spellcheck: "false",
        onchange: changed,
      });
    this.from = dayInput("audit-filter-from", m.from);
    this.to = dayInput("audit-filter-to", m.to);
    this.dateError = h("p", { id: uid("audit-date-error"), class: "field-error audit-date-error", role: "alert", "data-testid": "audit-date-error", hidden: true });
    this.body = h("tbody", null);
    this.more = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "audit-more", hidden: true, onclick: () => void this.load(true) },
      m.showOlder,
    );
    const exportButton = h(
      "button",
      { type: "button", class: "button button-secondary", "data-testid": "audit-export", onclick: () => void this.export(exportButton) },
      m.exportXlsx,
    );
    this.element = h(
      "section",
      { class: "detail-view audit-view", "data-testid": "audit-view", hidden: true },
      h(
        "header",
        { class: "detail-head" },
        h("button", { type: "button", class: "button button-ghost back", "data-testid": "audit-back", onclick: () => opts.onBack() }, m.back),
        h("div", { class: "detail-title" }, h("h1", null, m.title), this.chain),
        h("div", { class: "detail-meta" }, m.intro),
        h("div", { class: "detail-actions" }, exportButton),
      ),
      h(
        "div",
        { class: "report-body audit-body" },
        h(
          "div",
          { class: "toolbar audit-filters" },
          h("label", { class: "audit-filter" }, h("span", { class: "field-label" }, m.action), this.action),
          h("label", { class: "audit-filter" }, h("span", { class: "field-label" }, m.user), this.actor),
          h("label", { class: "audit-filter" }, h("span", { class: "field-label" }, m.from), this.from),
          h("label", { class: "audit-filter" }, h("span", { class: "field-label" }, m.to), this.to),
          h("div", { class: "toolbar-spacer" }),
          this.count,
        ),
        this.dateError,
        h(
          "div",
          { class: "card report-card" },
          h(
            "table",
            { class: "mini-table audit-table", "data-testid": "audit-table" },
            h("thead", null, h("tr", null, [m.time, m.user, m.action, m.whatHappened].map((t) => h("th", { scope: "col" }, t)))),
            this.body,
          ),
        ),
        h("div", { class: "audit-more" }, this.more),
      ),
    );
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !(e.target instanceof HTMLSelectElement)) {
        e.stopPropagation();
        opts.onBack();
      }
    });
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  /** Loads the filters, the chain's state and the first page. */
  async refresh(): Promise<void> {
    void this.checkChain();
    try {
      const f = await auditFilters();
      this.fill(this.action, m.allActions, f.actions, actionLabel);
      this.fill(this.actor, m.allUsers, f.actors, (a) => a);
    } catch (err) {
      showError(err);
    }
    await this.load(false);
  }

  private fill(select: HTMLSelectElement, all: string, values: string[], label: (v: string) => string): void {
    const current = select.value;
    select.replaceChildren(h("option", { value: "" }, all), ...values.map((v) => h("option", { value: v, selected: v === current }, label(v))));
  }

  private async checkChain(): Promise<void> {
    try {
      this.paintChain(await verifyAudit());
    } catch (err) {
      this.chain.textContent = errorMessage(err);
    }
  }

  private paintChain(v: AuditVerification): void {
    const broken = v.firstBroken !== null;
    this.chain.className = `badge audit-chain ${broken ? "audit-chain-broken" : "audit-chain-ok"}`;
    // A cut-off end names the first entry the log lost, past the entries it still walked.
    const cut = broken && Number(v.firstBroken) > Number(v.entries);
    this.chain.textContent = !broken
      ? m.chainVerified(Number(v.entries))
      : cut
        ? m.chainCut(Number(v.firstBroken))
        : m.chainBroken(Number(v.firstBroken));
    this.chain.title = [v.message, ...v.tail].join("\n");
  }

  /**
   * Checks the typed days: a readable one is written back as dd/mm/yyyy ("5/9/2026" →
   * "05/09/2026"), one that is not is marked and told; true when both can be used.
   */
  private checkDays(): boolean {
    for (const input of [this.from, this.to]) {
      const { iso, error } = checkDate(input.value);
      if (iso) input.value = formatDate(iso);
      if (error) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", this.dateError.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    }
    const errors = dateErrors(this.filter());
    this.dateError.hidden = errors.length === 0;
    this.dateError.replaceChildren(...errors.map((e) => h("span", { class: "audit-date-problem" }, e)));
    return errors.length === 0;
  }

  private filter(): { action: string; actor: string; from: string; to: string } {
    return { action: this.action.value, actor: this.actor.value, from: this.from.value, to: this.to.value };
  }

  private async load(more: boolean): Promise<void> {
    const isLatest = this.seq.begin();
    const before = more ? (this.entries[this.entries.length - 1]?.id ?? null) : null;
    try {
      const page = await auditEntries(auditQuery(this.filter(), before));
      if (!isLatest()) return;
      this.entries = more ? [...this.entries, ...page.entries] : page.entries;
      this.count.textContent = m.matching(page.total);
      this.more.hidden = !page.hasMore;
      this.render();
    } catch (err) {
      if (isLatest()) showError(err);
    }
  }

  private render(): void {
    if (this.entries.length === 0) {
      this.body.replaceChildren(h("tr", null, h("td", { colspan: 4, class: "muted", "data-testid": "audit-empty" }, m.noEntry)));
      return;
    }
    this.body.replaceChildren(...this.entries.map((e) => this.row(e)));
  }

  private row(e: AuditEntry): HTMLElement {
    const details = h("pre", { class: "audit-details", hidden: true }, `${e.target}\n${pretty(e.details)}`);
    const toggle = h(
      "button",
      {
        type: "button",
        class: "link-button small",
        "aria-expanded": "false",
        onclick: () => {
          details.hidden = !details.hidden;
          toggle.setAttribute("aria-expanded", String(!details.hidden));
          toggle.textContent = details.hidden ? m.details : m.hideDetails;
        },
      },
      m.details,
    );
    return h(
      "tr",
      { "data-testid": "audit-row", "data-action": e.action, "data-id": e.id },
      h("td", { class: "audit-time", title: e.at }, formatDateTime(e.at)),
      h("td", null, e.actor),
      h("td", null, h("span", { class: "badge" }, actionLabel(e.action))),
      h("td", { class: "audit-summary" }, h("span", { "data-testid": "audit-summary" }, auditSummary(e)), " ", toggle, details),
    );
  }

  private async export(button: HTMLButtonElement): Promise<void> {
    // An unreadable day would export the whole log instead of the days asked for.
    if (!this.checkDays()) return;
    button.disabled = true;
    try {
      const path = await exportAudit({ ...auditQuery(this.filter(), null), limit: 0 });
      if (path) {
        showToast(m.savedTo(path));
        await this.load(false);
      }
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
    }
  }
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

