// One profile: header, fields, consent (current + history), linked objects
// and the change history. Edit switches the fields to the shared profile
// form and the consent to selectors; Save goes through update_profile.
import { h, type Child } from "../shell/dom";
import { Latest } from "../shell/latest";
import { consentLabel, fieldText, formatDateTime, humanize, matchKeyLabel, sourceLabel, storedSourceLabel } from "../shell/format";
import { formatLabel, formatPhone } from "../shell/phone";
import { common } from "../i18n/common";
import {
  IpcError,
  editConflicts,
  getProfile,
  previewEdit,
  updateProfile,
  type ConsentChannel,
  type ConsentInput,
  type ConsentStatus,
  type FieldDef,
  type HistoryEntry,
  type DeleteResult,
  type EditDecision,
  type LinkedObject,
  type Profile,
  type ProfileDetail,
} from "../ipc";
import { consentSelect } from "./createWizard";
import { DeleteDialog } from "./deleteDialog";
import { askAboutConflicts, editBase, resolveConflicts } from "./editConflict";
import { askAboutSharedIdentifiers } from "./sharedIdentifierDialog";
import { ProfileForm, formFields } from "./profileForm";
import { errorMessage, showError, showToast } from "../shell/toast";
import { confirmDiscard } from "../shell/confirmDialog";
import { m } from "./messages";

export interface DetailViewOptions {
  fields: readonly FieldDef[];
  channels: readonly ConsentChannel[];
  canEdit: boolean;
  /** The user has profile.delete: the header shows the trash icon. */
  canDelete?: boolean;
  onBack(): void;
  /** A profile was changed here; the list should refetch. */
  onChanged(): void;
  /** The profile was deleted here (the shell closes the detail and refreshes the list). */
  onDeleted?(result: DeleteResult): void;
}

const EMPTY = "—";

/** Consent channels that changed in the editor; untouched channels are not re-recorded. */
export function changedConsent(
  current: ProfileDetail["consent"],
  chosen: ReadonlyMap<string, string>,
): ConsentInput {
  const channels: Record<string, ConsentStatus> = {};
  for (const [key, value] of chosen) {
    const before = current[key] ?? "unknown";
    if (value !== before) channels[key] = value as ConsentStatus;
  }
  return { channels };
}

export class DetailView {
  readonly element: HTMLElement;
  private detail: ProfileDetail | null = null;
  private form: ProfileForm | null = null;
  private consentEditors = new Map<string, HTMLSelectElement>();
  private readonly loadSeq = new Latest();
  private busy = false;
  /** "Discard your changes?" is on screen. */
  private asking = false;
  private readonly fieldsByKey: Map<string, FieldDef>;

  constructor(private readonly opts: DetailViewOptions) {
    this.fieldsByKey = new Map(opts.fields.map((f) => [f.key, f]));
    this.element = h("section", { class: "detail-view", "data-testid": "detail-view", hidden: true });
    this.element.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      // Escape while editing ends the edit, asking first when something typed would be lost.
      if (this.form) void this.cancelEdit(true);
      else this.opts.onBack();
    });
  }

  get editing(): boolean {
    return this.form !== null;
  }

  /** The edit form holds changes Save has not written (a field, or a consent choice). */
  hasUnsavedChanges(): boolean {
    if (!this.form || !this.detail) return false;
    if (this.form.hasChanges()) return true;
    const chosen = new Map([...this.consentEditors].map(([k, sel]) => [k, sel.value]));
    return Object.keys(changedConsent(this.detail.consent, chosen).channels).length > 0;
  }

  /**
   * Asked before the detail is left (Back, another screen): true when nothing typed would be
   * lost or the person discards it (the edit then ends); false keeps the edit on screen.
   */
  async canLeave(): Promise<boolean> {
    if (this.hasUnsavedChanges() && !(await this.mayDiscard())) return false;
    this.stopEditing();
    return true;
  }

  /** Ctrl+S: saves the edit when one is open; false when there is nothing to save. */
  saveShortcut(): boolean {
    if (!this.form || this.element.hidden) return false;
    if (!this.asking) void this.save();
    return true;
  }

  get profileId(): number | null {
    return this.detail?.profile.id ?? null;
  }

  async show(id: number): Promise<void> {
    const isLatest = this.loadSeq.begin();
    this.stopEditing();
    this.detail = null;
    this.element.dataset.id = String(id);
    this.element.replaceChildren(
      this.backBar(),
      h("div", { class: "detail-loading", role: "status" }, common.loadingWhat(m.profileWhat)),
    );
    try {
      const detail = await getProfile(id);
      if (!isLatest()) return;
      this.render(detail);
    } catch (err) {
      if (!isLatest()) return;
      showError(err);
      this.element.replaceChildren(
        this.backBar(),
        h(
          "div",
          { class: "state-panel compact" },
          h("h2", null, err instanceof IpcError && err.code === "notFound" ? m.profileNotFound : m.couldNotLoadProfile),
          h("p", null, errorMessage(err)),
        ),
      );
    }
  }

  /**
   * A sync round changed profiles here: the profile shown is read again in place (its linked
   * objects, a colleague's edit), unless it is being edited — saving checks for a concurrent
   * change anyway. One deleted meanwhile says so.
   */
  async refresh(): Promise<void> {
    const id = this.profileId;
    if (id === null || this.element.hidden || this.form || this.busy) return;
    const isLatest = this.loadSeq.begin();
    try {
      const detail = await getProfile(id);
      if (isLatest() && !this.form) this.render(detail);
    } catch (err) {
      if (isLatest() && err instanceof IpcError && err.code === "notFound") void this.show(id);
    }
  }

  /** Draws a detail the caller already has (e.g. returned by update_profile). */
  render(detail: ProfileDetail): void {
    this.detail = detail;
    const p = detail.profile;
    this.element.dataset.id = String(p.id);
    const editButton = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "edit-button",
        disabled: !this.opts.canEdit || this.editing,
        title: this.opts.canEdit ? m.editTitle : m.requiresPermission("profile.edit"),
        onclick: () => this.startEdit(),
      },
      common.edit,
    );
    // Users without profile.delete do not see the trash icon at all (the core refuses anyway).
    const deleteButton = this.opts.canDelete
      ? h(
          "button",
          {
            type: "button",
            class: "button button-danger-ghost icon-only",
            "data-testid": "delete-button",
            title: m.deleteThisProfile,
            "aria-label": m.deleteThisProfile,
            disabled: this.editing,
            onclick: (e: Event) => this.openDelete(e.currentTarget as HTMLElement),
          },
          h("span", { class: "button-icon icon-trash", "aria-hidden": "true" }),
        )
      : null;
    this.element.replaceChildren(
      h(
        "header",
        { class: "detail-head" },
        this.backButton(),
        h(
          "div",
          { class: "detail-title" },
          h("h1", { "data-testid": "detail-label" }, shownLabel(p) || m.profileNumber(p.id)),
          h("span", { class: "badge", "data-testid": "detail-source" }, sourceLabel(p.source)),
        ),
        h(
          "div",
          { class: "detail-meta" },
          h("span", null, m.createdOn, h("strong", null, formatDateTime(p.createdAt)), m.by, p.createdBy),
          h("span", { class: "dot", "aria-hidden": "true" }, "·"),
          h("span", null, m.updatedOn, h("strong", null, formatDateTime(p.updatedAt)), m.by, p.updatedBy),
          h("span", { class: "dot", "aria-hidden": "true" }, "·"),
          h("span", { class: "muted" }, m.idLabel(p.id)),
        ),
        h("div", { class: "detail-actions" }, editButton, deleteButton),
      ),
      h(
        "div",
        { class: "detail-body" },
        h(
          "div",
          { class: "detail-col main" },
          this.card(m.fieldsCard, "fields", this.editing ? this.editBody() : this.fieldsBody()),
          this.card(m.historyCard, "history", this.historyBody(detail.history)),
        ),
        h(
          "div",
          { class: "detail-col side" },
          this.card(m.consentCard, "consent", this.consentBody()),
          this.card(m.linksCard, "links", this.linksBody()),
        ),
      ),
    );
    if (this.editing) this.element.append(this.saveBar(shownLabel(p) || m.profileNumber(p.id)));
  }

  private openDelete(returnFocus: HTMLElement): void {
    if (!this.detail || !this.opts.canDelete || this.editing) return;
    const p = this.detail.profile;
    const dialog = new DeleteDialog({
      ids: [p.id],
      label: shownLabel(p) || m.profileNumber(p.id),
      returnFocus,
      onDeleted: (result) => this.opts.onDeleted?.(result),
    });
    void dialog.open(document.body);
  }

  private backBar(): HTMLElement {
    return h("header", { class: "detail-head" }, this.backButton());
  }

  private backButton(): HTMLElement {
    return h(
      "button",
      {
        type: "button",
        class: "button button-ghost back",
        "data-testid": "detail-back",
        onclick: () => void this.canLeave().then((ok) => ok && this.opts.onBack()),
      },
      m.backToProfiles,
    );
  }

  private card(title: string, key: string, body: Child): HTMLElement {
    return h(
      "section",
      { class: "card", "data-section": key, "aria-label": title },
      h("h2", { class: "card-title" }, title),
      body,
    );
  }

  // ---- fields -------------------------------------------------------------

  private fieldsBody(): HTMLElement {
    const p = (this.detail as ProfileDetail).profile;
    const rows = formFields(this.opts.fields).map((f) => {
      let value: Child;
      if (f.key === "phones") {
        // Each number in the one format every screen uses (from its E.164 form), with what the
        // source wrote beside it ("Zalo", "nhà").
        value = this.valueList(
          p.phones.map((ph) => [formatPhone(ph), ph.label ?? null]),
          true,
        );
      } else if (f.key === "emails") {
        value = this.valueList(p.emails.map((e) => [e, null]), true);
      } else if (f.key === "tags") {
        value = p.tags.length ? h("div", { class: "chips" }, p.tags.map((t) => h("span", { class: "chip" }, t))) : null;
      } else {
        const text = fieldText(f.key, p.values[f.key] ?? "", f.kind);
        value = text === "" ? null : h("span", { class: f.kind === "longText" ? "pre" : null }, text);
      }
      const wide = f.kind === "phones" || f.kind === "emails" || f.kind === "tags" || f.kind === "longText";
      return h(
        "div",
        { class: wide ? "kv kv-wide" : "kv" },
        h("dt", null, f.label),
        h("dd", { "data-testid": `detail-field-${f.key}` }, value ?? h("span", { class: "muted" }, EMPTY)),
      );
    });
    return h("dl", { class: "kv-list" }, rows);
  }

  private valueList(items: Array<[string, string | null]>, markPrimary: boolean): HTMLElement | null {
    if (items.length === 0) return null;
    return h(
      "ul",
      { class: "value-list" },
      items.map(([text, hint], i) =>
        h(
          "li",
          null,
          h("span", null, text),
          markPrimary && i === 0 ? h("span", { class: "badge badge-primary" }, m.primary) : null,
          hint ? h("span", { class: "muted small" }, hint) : null,
        ),
      ),
    );
  }

  private editBody(): HTMLElement {
    return h("div", { class: "edit-body" }, (this.form as ProfileForm).element);
  }

  /** Save and Cancel while editing: a bar stuck to the bottom of the detail, always in view. */
  private saveBar(label: string): HTMLElement {
    return h(
      "div",
      { class: "edit-savebar", "data-testid": "detail-savebar" },
      h("span", { class: "edit-savebar-text" }, m.editingBar(label)),
      h(
        "div",
        { class: "edit-actions" },
        h(
          "button",
          { type: "button", class: "button button-secondary", "data-testid": "detail-cancel", onclick: () => void this.cancelEdit(false) },
          common.cancel,
        ),
        h(
          "button",
          { type: "button", class: "button button-primary", "data-testid": "detail-save", title: m.saveShortcut, onclick: () => void this.save() },
          common.save,
        ),
      ),
    );
  }

  private startEdit(): void {
    if (!this.detail || !this.opts.canEdit || this.form) return;
    const id = this.detail.profile.id;
    this.form = new ProfileForm({
      fields: this.opts.fields,
      mode: "edit",
      profile: this.detail.profile,
      excludeId: id,
      onOpenProfile: (other) => void this.show(other),
      onSubmit: () => void this.save(),
    });
    this.consentEditors = new Map();
    this.render(this.detail);
    this.form.focusFirst();
  }

  private stopEditing(): void {
    this.form?.destroy();
    this.form = null;
    this.consentEditors = new Map();
  }

  /** Whether the edit may be thrown away: nothing typed, or the person says discard. */
  private async mayDiscard(): Promise<boolean> {
    if (!this.hasUnsavedChanges()) return true;
    if (this.asking) return false;
    const p = (this.detail as ProfileDetail).profile;
    this.asking = true;
    try {
      return await confirmDiscard(m.discardEdits(shownLabel(p) || m.profileNumber(p.id)));
    } finally {
      this.asking = false;
    }
  }

  /** Back to the read-only view; `ask`: first "Discard your changes?" when something was typed (Escape). */
  private async cancelEdit(ask: boolean): Promise<void> {
    if (this.busy || !this.form) return;
    const form = this.form;
    // Nothing typed: ends at once (no await), as before.
    if (ask && this.hasUnsavedChanges() && !(await this.mayDiscard())) return;
    if (this.busy || this.form !== form) return;
    this.stopEditing();
    if (this.detail) this.render(this.detail);
    this.element.querySelector<HTMLElement>('[data-testid="edit-button"]')?.focus();
  }

  private async save(): Promise<void> {
    if (!this.detail || !this.form || this.busy) return;
    const form = this.form;
    const opened = this.detail;
    const id = opened.profile.id;
    this.setBusy(true);
    try {
      const errors = await form.validate();
      if (errors.length > 0) {
        form.focusFirstError();
        return;
      }
      const chosen = new Map([...this.consentEditors].map(([k, s]) => [k, s.value]));
      let input = form.collect();
      let base = editBase(opened.version, opened.profile, input);
      // Sharing a phone or e-mail with another profile is a question, not a warning.
      const { shared } = await previewEdit(id, input);
      let decision: EditDecision = "ask";
      if (shared.length > 0) {
        const answer = await askAboutSharedIdentifiers(shared);
        if (answer.kind === "open") {
          this.stopEditing();
          void this.show(answer.profileId);
          return;
        }
        if (answer.kind === "back" || this.form !== form) return;
        decision = "keepSeparate";
      }
      const consent = changedConsent(opened.consent, chosen);
      let updated: ProfileDetail | null = null;
      while (updated === null) {
        try {
          updated = await updateProfile(id, input, consent, decision, base);
        } catch (err) {
          // Someone changed a field this edit touches: the person chooses, then Save again.
          const refusal = editConflicts(err);
          if (!refusal || this.form !== form) throw err;
          const choices = await askAboutConflicts(refusal.conflicts, (field, text) => fieldText(field, text, this.fieldsByKey.get(field)?.kind));
          if (choices === null || this.form !== form) return;
          ({ input, base } = resolveConflicts(input, base, refusal, choices));
        }
      }
      if (this.form !== form) return;
      this.stopEditing();
      this.render(updated);
      showToast(m.profileSaved);
      this.opts.onChanged();
      this.element.querySelector<HTMLElement>('[data-testid="edit-button"]')?.focus();
    } catch (err) {
      if (err instanceof IpcError && err.code === "validation") form.showErrors(err.fieldErrors);
      else showError(err);
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    for (const testid of ["detail-save", "detail-cancel"]) {
      const b = this.element.querySelector<HTMLButtonElement>(`[data-testid="${testid}"]`);
      if (b) b.disabled = busy;
    }
  }

  // ---- consent ------------------------------------------------------------

  private consentBody(): HTMLElement {
    const d = this.detail as ProfileDetail;
    const known = new Set(this.opts.channels.map((c) => c.key));
    const channels: ConsentChannel[] = [
      ...this.opts.channels,
      // Channels recorded earlier but since removed from settings still show.
      ...Object.keys(d.consent)
        .filter((k) => !known.has(k))
        .map((k) => ({ key: k, label: humanize(k) })),
    ];
    const labelOf = new Map(channels.map((c) => [c.key, c.label]));
    const current = h(
      "div",
      { class: "consent-current" },
      channels.map((c) => {
        const status = d.consent[c.key] ?? "unknown";
        let control: HTMLElement;
        if (this.editing && known.has(c.key)) {
          const select = consentSelect(c, status);
          this.consentEditors.set(c.key, select);
          control = select;
        } else {
          control = h(
            "span",
            { class: `status status-${status}`, "data-testid": `consent-status-${c.key}` },
            consentLabel(status),
          );
        }
        return h("div", { class: "consent-row" }, h("span", { class: "consent-channel" }, c.label), control);
      }),
    );
    const history = [...d.consentHistory].sort((a, b) => timeOf(b.recordedAt) - timeOf(a.recordedAt));
    return h(
      "div",
      null,
      current,
      h("h3", { class: "sub-title" }, m.consentHistory),
      history.length === 0
        ? h("p", { class: "muted" }, m.noConsentYet)
        : table(
            [m.colChannel, m.colStatus, m.colBy, m.colWhen, m.colSource],
            history.map((r) => [
              labelOf.get(r.channel) ?? humanize(r.channel),
              h("span", { class: `status status-${r.status}` }, consentLabel(r.status)),
              r.recordedBy,
              formatDateTime(r.recordedAt),
              storedSourceLabel(r.source),
            ]),
            "consent-history",
          ),
    );
  }

  // ---- links --------------------------------------------------------------

  private linksBody(): HTMLElement {
    const l = (this.detail as ProfileDetail).links;
    const group = (title: string, key: string, items: LinkedObject[]): HTMLElement =>
      h(
        "div",
        { class: "link-group", "data-testid": `links-${key}` },
        h("h3", { class: "sub-title" }, title, h("span", { class: "count-pill" }, String(items.length))),
        items.length === 0
          ? h("p", { class: "muted" }, common.none)
          : table(
              [m.colTitle, m.colStatus, m.colUpdated],
              items.map((o) => [o.title, o.status, formatDateTime(o.updatedAt)]),
              null,
            ),
      );
    return h(
      "div",
      null,
      group(m.linkedAccounts, "accounts", l.accounts),
      group(m.linkedOpportunities, "opportunities", l.opportunities),
      group(m.linkedTickets, "tickets", l.tickets),
      group(m.linkedTasks, "tasks", l.tasks),
    );
  }

  // ---- history ------------------------------------------------------------

  private historyBody(entries: HistoryEntry[]): HTMLElement {
    if (entries.length === 0) return h("p", { class: "muted" }, m.noChanges);
    const sorted = [...entries].sort((a, b) => timeOf(b.at) - timeOf(a.at));
    return h(
      "ol",
      { class: "timeline", "data-testid": "history" },
      sorted.map((e) =>
        h(
          "li",
          { class: "timeline-item" },
          h(
            "div",
            { class: "timeline-head" },
            h("strong", null, m.historyKind(e.kind)),
            h("span", { class: "muted" }, ` ${formatDateTime(e.at)} · ${e.actor}`),
            e.source ? h("span", { class: "badge" }, storedSourceLabel(e.source)) : null,
            e.matchedBy ? h("span", { class: "badge badge-match" }, m.matchedBy(matchKeyLabel(e.matchedBy))) : null,
          ),
          e.changes.length === 0
            ? null
            : h(
                "ul",
                { class: "changes" },
                e.changes.map((c) => {
                  const def = this.fieldsByKey.get(c.field);
                  // Dates and phones as every screen shows them (the history keeps the core's text).
                  const shown = (text: string): string => fieldText(c.field, text, def?.kind);
                  const label = h("span", { class: "change-field" }, def?.label ?? c.field);
                  const added = appendedItems(c.before, c.after);
                  if (added !== null) {
                    // A merge that only adds phones or e-mails keeps the old ones: say "added",
                    // not a struck-through before → after that reads as a removal.
                    return h("li", null, label, h("span", { class: "change-added" }, m.historyAdded(shown(added))));
                  }
                  return h(
                    "li",
                    null,
                    label,
                    h("span", { class: "change-before" }, c.before === "" ? m.empty : shown(c.before)),
                    h("span", { class: "arrow", "aria-label": m.changedTo }, "→"),
                    h("span", { class: "change-after" }, c.after === "" ? m.empty : shown(c.after)),
                  );
                }),
              ),
        ),
      ),
    );
  }
}

/**
 * The profile's label as shown: a name as it is; the first phone (a profile without a name) as
 * the phone list shows it, from its E.164 form.
 */
export function shownLabel(p: Profile): string {
  const phone = p.phones.find((ph) => ph.raw === p.label);
  return phone ? formatPhone(phone) : formatLabel(p.label);
}

/** The items appended to a ", "-joined list value, or null when the change is not an append. */
export function appendedItems(before: string, after: string): string | null {
  if (before === "" || !after.startsWith(`${before}, `)) return null;
  return after.slice(before.length + 2);
}

function timeOf(iso: string): number {
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? 0 : t;
}

function table(headers: string[], rows: Child[][], testid: string | null): HTMLElement {
  return h(
    "table",
    { class: "mini-table", "data-testid": testid },
    h("thead", null, h("tr", null, headers.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", null, rows.map((cells) => h("tr", null, cells.map((c) => h("td", null, c))))),
  );
}

