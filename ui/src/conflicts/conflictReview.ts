// Conflict review (issue 13; SYNC.md §6.4), built like merge review: the field conflicts the
// server decided by its policy, one card per profile. Each conflict shows both values with
// who set them, on which device and when (this computer's side is marked), and Keep / Use the
// other / Edit…; an import whose changes met values set elsewhere gets "Keep all server
// values" for all of its conflicts at once. Decided conflicts stay listed below. Profile data
// is only ever set as text.
import "./conflictReview.css";

import { h, uid } from "../shell/dom";
import { Latest } from "../shell/latest";
import { fieldText, formatDateTime, humanize } from "../shell/format";
import { formatLabel } from "../shell/phone";
import { checkDate, dateForInput } from "../i18n/dates";
import { common } from "../i18n/common";
import { confirmDialog } from "../shell/confirmDialog";
import { errorMessage, showToast } from "../shell/toast";
import {
  resolveSyncConflict,
  syncConflicts,
  syncKeepServerValues,
  type ConflictDecision,
  type ConflictSide,
  type FieldDef,
  type SyncConflict,
} from "../ipc";
import { byImport, byProfile, capitalized, conflictValue, importName, keepServerText, sideOrigin, type ImportConflicts, type ProfileConflicts } from "./conflictReviewLogic";
import { m } from "./messages";

export interface ConflictReviewOptions {
  /** The field catalogue (kept current by the shell): labels for the conflicts' fields. */
  fields: readonly FieldDef[];
  /** Whether the user may decide (profile.edit; the core decides anyway). */
  canEdit: boolean;
  onBack(): void;
  /** A decision changed profiles: the list and the sync chip should refetch. */
  onChanged(): void;
  onOpenProfile(id: number): void;
}

/** Profiles shown at once; "Show more" adds as many again (10,000 conflicts stay quick to open). */
const PAGE = 100;

export class ConflictReviewView {
  readonly element: HTMLElement;
  private readonly body = h("div", { class: "report-body conflict-body" });
  private readonly notice = h("div", { class: "review-notice", role: "alert", "aria-live": "polite", "data-testid": "conflict-error" });
  private conflicts: SyncConflict[] = [];
  private shown = PAGE;
  private readonly seq = new Latest();

  constructor(private readonly opts: ConflictReviewOptions) {
    this.element = h(
      "section",
      { class: "detail-view conflict-view", "data-testid": "conflict-review", hidden: true },
      h(
        "header",
        { class: "detail-head" },
        h("button", { type: "button", class: "button button-ghost back", "data-testid": "conflict-back", onclick: () => opts.onBack() }, `← ${common.back}`),
        h("div", { class: "detail-title" }, h("h1", null, m.screenTitle)),
        h(
          "div",
          { class: "detail-meta" },
          m.intro,
        ),
        h(
          "div",
          { class: "detail-actions" },
          h("button", { type: "button", class: "button button-secondary", "data-testid": "conflict-refresh", onclick: () => void this.reload() }, common.refresh),
        ),
      ),
      this.notice,
      this.body,
    );
  }

  async open(): Promise<void> {
    this.shown = PAGE;
    await this.reload();
  }

  async reload(): Promise<void> {
    const isLatest = this.seq.begin();
    this.notice.textContent = "";
    try {
      const conflicts = await syncConflicts();
      if (!isLatest()) return;
      this.conflicts = conflicts;
      this.render();
    } catch (err) {
      if (!isLatest()) return;
      this.body.replaceChildren(h("p", { class: "review-empty" }, m.couldNotRead(errorMessage(err))));
    }
  }

  private fieldLabel(key: string): string {
    return this.opts.fields.find((f) => f.key === key)?.label ?? humanize(key);
  }

  private isDate(key: string): boolean {
    return this.opts.fields.find((f) => f.key === key)?.kind === "date";
  }

  /** A side's value in words, dates and phones as every screen shows them. */
  private valueText(key: string, json: string): string {
    const text = conflictValue(json);
    return text === m.emptyValue ? text : fieldText(key, text, this.opts.fields.find((f) => f.key === key)?.kind);
  }

  private render(): void {
    const groups = byProfile(this.conflicts);
    const decided = this.conflicts.filter((c) => !c.open);
    const parts: HTMLElement[] = [];
    if (groups.length === 0) {
      parts.push(h("p", { class: "review-empty", "data-testid": "conflict-empty" }, m.noConflicts));
    } else {
      const open = groups.reduce((n, g) => n + g.conflicts.length, 0);
      parts.push(h("p", { class: "conflict-summary", "data-testid": "conflict-summary" }, m.summary(open, groups.length)));
      for (const i of byImport(this.conflicts)) parts.push(this.importBar(i));
      for (const g of groups.slice(0, this.shown)) parts.push(this.profileCard(g));
      if (groups.length > this.shown) {
        parts.push(
          h(
            "button",
            {
              type: "button",
              class: "button button-secondary conflict-more",
              "data-testid": "conflict-more",
              onclick: () => {
                this.shown += PAGE;
                this.render();
              },
            },
            m.showMore(Math.min(PAGE, groups.length - this.shown)),
          ),
        );
      }
    }
    if (decided.length > 0) parts.push(this.decidedList(decided));
    this.body.replaceChildren(...parts);
  }

  private importBar(i: ImportConflicts): HTMLElement {
    return h(
      "div",
      { class: "card conflict-import", "data-testid": `conflict-import-${i.job}` },
      h("p", null, m.importBar(capitalized(importName(i.job, i.file)), i.count)),
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary",
          disabled: !this.opts.canEdit,
          "data-testid": `conflict-keep-import-${i.job}`,
          onclick: () => void this.keepServerValues(i),
        },
        m.keepAllServerValues,
      ),
    );
  }

  private async keepServerValues(i: ImportConflicts): Promise<void> {
    const ok = await confirmDialog({
      title: m.keepAllTitle(importName(i.job, i.file)),
      body: keepServerText(i),
      confirmLabel: m.keepServerValues,
      cancelLabel: common.cancel,
      testid: "conflict-keep-confirm",
    });
    if (!ok) return;
    try {
      this.conflicts = await syncKeepServerValues(i.job);
      showToast(m.keptServerValues(i.count, importName(i.job, i.file)));
      this.opts.onChanged();
      this.render();
    } catch (err) {
      this.notice.textContent = errorMessage(err);
    }
  }

  private profileCard(g: ProfileConflicts): HTMLElement {
    return h(
      "div",
      { class: "card conflict-profile", "data-testid": `conflict-profile-${g.gid}` },
      h(
        "div",
        { class: "conflict-profile-head" },
        h("h3", { class: "card-title" }, formatLabel(g.label)),
        g.profileId === null
          ? null
          : h("button", { type: "button", class: "button button-ghost", "data-testid": `conflict-open-${g.gid}`, onclick: () => this.opts.onOpenProfile(g.profileId as number) }, m.openProfile),
      ),
      h(
        "table",
        { class: "backup-table conflict-table" },
        h("thead", null, h("tr", null, h("th", null, m.headField), h("th", null, m.headKept), h("th", null, m.headNotKept), h("th", null, ""))),
        h("tbody", null, g.conflicts.map((c) => this.conflictRow(c))),
      ),
    );
  }

  private sideCell(c: SyncConflict, side: ConflictSide, mine: boolean): HTMLElement {
    const origin = sideOrigin(side, mine);
    return h(
      "td",
      { class: mine ? "conflict-side mine" : "conflict-side" },
      h("div", { class: "conflict-value" }, this.valueText(c.field, side.value)),
      origin ? h("div", { class: mine ? "conflict-origin conflict-mine" : "conflict-origin" }, origin) : null,
      mine && c.job !== null ? h("div", { class: "conflict-origin" }, m.fromImport(importName(c.job, c.jobFile))) : null,
    );
  }

  private conflictRow(c: SyncConflict): HTMLElement {
    const actions = h(
      "td",
      { class: "sync-row-actions" },
      h("button", { type: "button", class: "button button-secondary", disabled: !this.opts.canEdit, "data-testid": `sync-conflict-keep-${c.id}`, onclick: () => void this.decide(c, { kind: "keep" }) }, m.keep),
      h("button", { type: "button", class: "button button-secondary", disabled: !this.opts.canEdit, "data-testid": `sync-conflict-other-${c.id}`, onclick: () => void this.decide(c, { kind: "takeOther" }) }, m.useOther),
      h("button", { type: "button", class: "button button-ghost", disabled: !this.opts.canEdit, "data-testid": `sync-conflict-edit-${c.id}`, onclick: () => this.edit(c, actions) }, m.editValue),
    );
    return h(
      "tr",
      { "data-testid": `sync-conflict-${c.id}` },
      h("td", { class: "conflict-field" }, this.fieldLabel(c.field)),
      this.sideCell(c, c.kept, c.ours === "kept"),
      this.sideCell(c, c.lost, c.ours === "lost"),
      actions,
    );
  }

  private async decide(c: SyncConflict, decision: ConflictDecision, error?: HTMLElement): Promise<void> {
    try {
      this.conflicts = await resolveSyncConflict(c.id, decision);
      this.opts.onChanged();
      this.render();
    } catch (err) {
      (error ?? this.notice).textContent = errorMessage(err);
    }
  }

  /** "Edit…": the row's buttons give way to the field, filled with the kept value. */
  private edit(c: SyncConflict, cell: HTMLElement): void {
    const id = uid("sync-conflict-value");
    const kept = conflictValue(c.kept.value);
    const date = this.isDate(c.field);
    const start = kept === m.emptyValue ? "" : date ? dateForInput(kept) : kept;
    const input = h("input", { id, type: "text", value: start, placeholder: date ? common.datePlaceholder : null, "data-testid": `sync-conflict-input-${c.id}`, "aria-label": m.newValueFor(this.fieldLabel(c.field)) });
    const error = h("p", { class: "field-error", role: "alert" });
    const form = h(
      "form",
      {
        class: "sync-conflict-edit",
        onsubmit: (e: Event) => {
          e.preventDefault();
          error.textContent = "";
          // A date typed dd/mm/yyyy goes as its ISO date; one that cannot be read is told here.
          const checked = date ? checkDate(input.value) : null;
          if (checked?.error) {
            error.textContent = checked.error;
            return;
          }
          void this.decide(c, { kind: "edit", value: checked?.iso ?? input.value }, error);
        },
      },
      input,
      h("button", { type: "submit", class: "button button-primary", "data-testid": `sync-conflict-save-${c.id}` }, common.save),
      h("button", { type: "button", class: "button button-ghost", onclick: () => this.render() }, common.cancel),
      error,
    );
    cell.replaceChildren(form);
    input.focus();
    input.select();
  }

  private decidedList(decided: SyncConflict[]): HTMLElement {
    return h(
      "details",
      { class: "card conflict-decided", "data-testid": "conflict-decided" },
      h("summary", null, m.decidedRecently(decided.length)),
      h(
        "table",
        { class: "backup-table conflict-table" },
        h("thead", null, h("tr", null, h("th", null, m.headProfile), h("th", null, m.headField), h("th", null, m.headKeptByServer), h("th", null, m.headNotKept), h("th", null, m.headListed))),
        h(
          "tbody",
          null,
          decided.map((c) =>
            h(
              "tr",
              { "data-testid": `conflict-decided-${c.id}` },
              h("td", null, c.label === null ? "—" : formatLabel(c.label)),
              h("td", null, this.fieldLabel(c.field)),
              h("td", null, this.valueText(c.field, c.kept.value)),
              h("td", null, this.valueText(c.field, c.lost.value)),
              h("td", { class: "nowrap" }, formatDateTime(c.at)),
            ),
          ),
        ),
      ),
    );
  }
}
