// The merge review screen (SPEC 6): incoming data that matched two or more
// different profiles waits here. The list shows the open reviews (or those
// resolved in the last 30 days), optionally of one import job; a review opens
// side by side — Incoming | candidate 1 | candidate 2 … — with the differences
// highlighted and the key that matched each candidate. The user chooses the
// profile to keep and a decision; the confirmation shows what the core says the
// decision will do (its own preview), and the result says what it did.
// Profile data is only ever set as text.
import "./mergeReview.css";

import { h, replace, type Child } from "../shell/dom";
import { Latest } from "../shell/latest";
import { fieldText, formatDateTime, matchKeyLabel } from "../shell/format";
import { formatLabel } from "../shell/phone";
import {
  IpcError,
  fieldCatalogue,
  mergeReview,
  mergeReviews,
  previewReviewDecision,
  resolveMergeReview,
  serverReviews,
  type FieldKind,
  type ReviewColumn,
  type ReviewDetail,
  type ReviewList,
  type ReviewResolution,
  type ReviewRow,
  type ReviewStatus,
  type ReviewSummary,
} from "../ipc";
import { confirmDialog } from "../shell/confirmDialog";
import {
  ACTIONS,
  actionLabel,
  actionStates,
  candidatesText,
  columnOf,
  confirmLabel,
  confirmTitle,
  decisionFor,
  defaultSurvivor,
  emptyText,
  isDestructive,
  isLive,
  isPickable,
  keptColumn,
  nextReviewId,
  policyText,
  reasonText,
  tabLabel,
  type ReviewActionKey,
} from "./mergeReviewLogic";
import { errorMessage, showError, showToast } from "../shell/toast";
import { ServerReviewsPanel } from "./serverReviews";
import { common } from "../i18n/common";
import { m } from "./messages";

export interface MergeReviewOptions {
  /** Whether the signed-in user holds a permission (only to disable buttons; the core decides). */
  can(permission: string): boolean;
  onBack(): void;
  /** A decision changed profiles: the list and the top bar's count should refetch. */
  onChanged(): void;
  onOpenProfile(id: number): void;
}

export class MergeReviewView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly jobChip: HTMLElement;
  private readonly notice: HTMLElement;
  private status: ReviewStatus = "open";
  private jobId: number | null = null;
  private list: ReviewList | null = null;
  private detail: ReviewDetail | null = null;
  private survivor: number | null = null;
  private readonly chosen = new Map<string, number>();
  private readonly seq = new Latest();
  private busy = false;
  /** The fields' kinds (which rows hold dates), read once per opening of the screen. */
  private kinds: Promise<Map<string, FieldKind>> | null = null;
  private kindsNow: ReadonlyMap<string, FieldKind> = new Map();
  /** The merge reviews the server opened (while connected), above and below this computer's. */
  private readonly server: ServerReviewsPanel;
  /** Server reviews nobody here decided (counted in the tab), and all not yet resolved (shown). */
  private serverWaiting = 0;
  private serverShown = 0;
  private serverResolved = 0;

  constructor(private readonly opts: MergeReviewOptions) {
    this.server = new ServerReviewsPanel({ can: (p) => opts.can(p), onChanged: () => opts.onChanged(), onOpenProfile: (id) => opts.onOpenProfile(id) });
    this.tabs = h("div", { class: "review-tabs", role: "tablist", "aria-label": m.tabsLabel });
    this.jobChip = h("div", { class: "review-job" });
    this.notice = h("div", { class: "review-notice", "aria-live": "polite" });
    this.body = h("div", { class: "report-body review-body" });
    this.element = h(
      "section",
      { class: "detail-view review-view", "data-testid": "merge-review", hidden: true },
      h(
        "header",
        { class: "detail-head" },
        h(
          "button",
          { type: "button", class: "button button-ghost back", "data-testid": "review-back", onclick: () => opts.onBack() },
          m.backToProfiles,
        ),
        h("div", { class: "detail-title" }, h("h1", null, m.screenTitle)),
        h("div", { class: "detail-meta" }, m.intro),
        h(
          "div",
          { class: "detail-actions" },
          h(
            "button",
            { type: "button", class: "button button-secondary", "data-testid": "review-refresh", onclick: () => void this.reload() },
            common.refresh,
          ),
        ),
      ),
      this.notice,
      this.body,
    );
    this.element.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || document.querySelector(".modal-backdrop")) return;
      e.stopPropagation();
      if (this.detail) this.showList();
      else opts.onBack();
    });
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  /** Opens on the open reviews, of one import job when `jobId` is given. */
  async open(jobId: number | null = null): Promise<void> {
    this.jobId = jobId;
    // The catalogue may have changed in Settings since the screen was last open.
    this.kinds = null;
    this.status = "open";
    this.detail = null;
    this.notice.replaceChildren();
    await this.loadList();
  }

  /**
   * Opens one review side by side (the toast after a create that left it): the open reviews
   * are read first, so its Previous / Next and "All reviews" work as when picked from the list.
   */
  async openOne(reviewId: number): Promise<void> {
    await this.open(null);
    await this.openReview(reviewId, true);
  }

  /** Reloads what is shown (the list, or the open review). */
  async reload(): Promise<void> {
    if (this.detail) await this.openReview(this.detail.summary.id, false);
    else await this.loadList();
  }

  // ---- the list -----------------------------------------------------------

  private async loadList(): Promise<void> {
    const isLatest = this.seq.begin();
    if (!this.body.firstChild) this.body.replaceChildren(h("div", { class: "detail-loading", role: "status" }, common.loadingWhat(m.reviewsWhat)));
    // The server's reviews are read beside this computer's; if they cannot be, the panel says
    // so and the local reviews stay usable.
    const server = serverReviews().then(
      (reviews) => () => {
        this.serverWaiting = reviews.filter((r) => !r.resolved && r.decision === null).length;
        this.serverShown = reviews.filter((r) => !r.resolved).length;
        this.serverResolved = reviews.filter((r) => r.resolved).length;
        this.server.show(reviews);
      },
      (err: unknown) => () => {
        this.serverWaiting = 0;
        this.serverShown = 0;
        this.serverResolved = 0;
        this.server.failed(err);
      },
    );
    try {
      const list = await mergeReviews({ status: this.status, jobId: this.jobId });
      const showServer = await server;
      if (!isLatest()) return;
      this.list = list;
      this.detail = null;
      showServer();
      this.renderList(list);
    } catch (err) {
      if (!isLatest()) return;
      this.body.replaceChildren(
        h("div", { class: "state-panel compact" }, h("h2", null, m.couldNotLoadReviews), h("p", null, errorMessage(err))),
      );
    }
  }

  private renderTabs(list: ReviewList): void {
    const tab = (status: ReviewStatus, count: number): HTMLElement =>
      h(
        "button",
        {
          type: "button",
          role: "tab",
          class: `review-tab${this.status === status ? " active" : ""}`,
          "aria-selected": this.status === status ? "true" : "false",
          "data-testid": `review-tab-${status}`,
          onclick: () => {
            if (this.status === status) return;
            this.status = status;
            void this.loadList();
          },
        },
        tabLabel(status, count),
      );
    // The server's reviews are counted with this computer's (as the top bar counts them).
    this.tabs.replaceChildren(tab("open", list.open + this.serverWaiting), tab("resolved", list.recentlyResolved + this.serverResolved));
    replace(
      this.jobChip,
      this.jobId === null
        ? null
        : h(
            "span",
            { class: "chip", "data-testid": "review-job-filter" },
            m.onlyJob(this.jobId),
            h("button", {
              type: "button",
              class: "icon-button close-glyph",
              "aria-label": m.showEveryImport,
              "data-testid": "review-job-filter-clear",
              onclick: () => {
                this.jobId = null;
                void this.loadList();
              },
            }),
          ),
    );
  }

  private renderList(list: ReviewList): void {
    this.renderTabs(list);
    const toolbar = h("div", { class: "toolbar review-toolbar" }, this.tabs, this.jobChip);
    // The server's reviews belong to no import: shown with every import's reviews only.
    const everyImport = this.jobId === null;
    const serverOpen = this.status === "open" && everyImport ? this.server.open : null;
    const serverResolved = this.status === "resolved" && everyImport ? this.server.resolved : null;
    if (list.items.length === 0) {
      const empty = emptyText(this.status, this.jobId);
      replace(
        this.body,
        toolbar,
        serverOpen,
        // The server's reviews are listed: "nothing waiting" or "nothing resolved" would say otherwise.
        (serverOpen && this.serverShown > 0) || (serverResolved && this.serverResolved > 0)
          ? null
          : h(
              "div",
              { class: "state-panel compact", "data-testid": "review-empty" },
              h("h2", null, empty.title),
              h("p", null, empty.body),
            ),
        serverResolved,
      );
      return;
    }
    const resolved = this.status === "resolved";
    const headers = resolved
      ? [m.colReview, m.colIncoming, m.colFrom, m.colCandidates, m.colWhy, m.colDecision, m.colBy, m.colWhen]
      : [m.colReview, m.colIncoming, m.colFrom, m.colCandidates, m.colWhy, m.colCreated, ""];
    const more =
      list.items.length < list.matching
        ? h("p", { class: "muted review-more" }, m.showingFirst(list.items.length, list.matching))
        : null;
    replace(
      this.body,
      toolbar,
      serverOpen,
      h(
        "div",
        { class: "card report-card" },
        h(
          "table",
          { class: "mini-table review-list", "data-testid": "review-list" },
          h("thead", null, h("tr", null, headers.map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", null, list.items.map((r) => this.listRow(r))),
        ),
      ),
      more,
      serverResolved,
    );
  }

  private listRow(r: ReviewSummary): HTMLElement {
    const cells: Child[] = [
      h("td", { class: "num" }, `#${r.id}`),
      h("td", { class: "review-incoming-label" }, formatLabel(r.incomingLabel)),
      h("td", null, r.origin),
      h("td", { class: "review-candidates" }, candidatesText(r)),
      h(
        "td",
        { class: "nowrap" },
        h(
          "span",
          { class: `review-reason-chip reason-${r.reason}`, "data-testid": `review-reason-${r.id}`, title: reasonText(r.reason).sentence },
          reasonText(r.reason).label,
        ),
      ),
    ];
    if (r.outcome) {
      cells.push(
        h("td", { "data-testid": `review-outcome-${r.id}` }, r.outcome.message),
        h("td", null, r.outcome.resolvedBy),
        h("td", { class: "nowrap" }, formatDateTime(r.outcome.resolvedAt)),
      );
    } else {
      cells.push(
        h("td", { class: "nowrap" }, formatDateTime(r.createdAt)),
        h(
          "td",
          null,
          h(
            "div",
            { class: "report-actions" },
            h(
              "button",
              {
                type: "button",
                class: "button button-primary button-small",
                "data-testid": `review-open-${r.id}`,
                onclick: () => void this.openReview(r.id, true),
              },
              m.reviewButton,
            ),
          ),
        ),
      );
    }
    return h("tr", { "data-testid": `review-row-${r.id}` }, cells);
  }

  private showList(): void {
    this.detail = null;
    void this.loadList();
  }

  // ---- one review side by side -----------------------------------------------

  /**
   * Which fields are dates, so their values read dd/mm/yyyy: the rows name only their field. A
   * catalogue that cannot be read leaves the values as the core wrote them.
   */
  private fieldKinds(): Promise<Map<string, FieldKind>> {
    this.kinds ??= fieldCatalogue().then(
      (fields) => new Map(fields.map((f) => [f.key, f.kind])),
      () => new Map(),
    );
    return this.kinds;
  }

  /** A row's value as shown: dates and phones in the UI's one format. */
  private valueText(field: string, value: string, kinds: ReadonlyMap<string, FieldKind>): string {
    return fieldText(field, value, kinds.get(field));
  }

  private async openReview(id: number, fresh: boolean): Promise<void> {
    const isLatest = this.seq.begin();
    try {
      const [detail, kinds] = await Promise.all([mergeReview(id), this.fieldKinds()]);
      this.kindsNow = kinds;
      if (!isLatest()) return;
      const keep = !fresh && this.detail?.summary.id === id && this.survivor !== null && columnOf(detail, this.survivor) >= 0;
      if (!keep) {
        this.survivor = defaultSurvivor(detail);
        this.chosen.clear();
      }
      this.detail = detail;
      this.renderDetail();
      this.body.querySelector<HTMLElement>('[data-testid="review-list-back"]')?.focus();
    } catch (err) {
      if (!isLatest()) return;
      showError(err);
    }
  }

  private renderDetail(): void {
    const d = this.detail;
    if (!d) return;
    const s = d.summary;
    const ids = this.list?.items.filter((r) => r.status === "open").map((r) => r.id) ?? [];
    const at = ids.indexOf(s.id);
    const nav = (label: string, testid: string, target: number | undefined): HTMLElement =>
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary button-small",
          "data-testid": testid,
          disabled: target === undefined,
          onclick: () => {
            if (target !== undefined) void this.openReview(target, true);
          },
        },
        label,
      );
    const head = h(
      "div",
      { class: "review-compare-head" },
      h(
        "button",
        { type: "button", class: "button button-ghost", "data-testid": "review-list-back", onclick: () => this.showList() },
        m.allReviews,
      ),
      h(
        "div",
        { class: "review-compare-title" },
        h("h2", { "data-testid": "review-title" }, m.reviewTitle(s.id, formatLabel(s.incomingLabel))),
        h("div", { class: "muted" }, m.reviewMeta(s.origin, formatDateTime(s.createdAt), s.createdBy, d.columns.length - 1)),
        h("div", { class: "review-reason", "data-testid": "review-reason" }, h("strong", null, `${reasonText(s.reason).label}: `), reasonText(s.reason).sentence),
      ),
      h("div", { class: "toolbar-spacer" }),
      at >= 0 ? h("span", { class: "muted", "data-testid": "review-position" }, m.position(at + 1, ids.length)) : null,
      nav(m.previous, "review-prev", at > 0 ? ids[at - 1] : undefined),
      nav(common.next, "review-next", at >= 0 && at < ids.length - 1 ? ids[at + 1] : undefined),
    );
    const notes =
      d.notes.length === 0
        ? null
        : h("div", { class: "review-notes", "data-testid": "review-notes", role: "note" }, d.notes.map((n) => h("p", null, n)));
    replace(
      this.body,
      h(
        "div",
        { class: "review-compare", "data-testid": "review-compare", "data-id": String(s.id) },
        head,
        notes,
        h("p", { class: "review-hint muted" }, m.mergeHint, " ", policyText(d.policy)),
        h("div", { class: "card review-card" }, h("div", { class: "table-scroll" }, this.table(d))),
        this.actionBar(d),
      ),
    );
  }

  private table(d: ReviewDetail): HTMLElement {
    const fields = d.rows.filter((r) => r.kind === "single" || r.kind === "list");
    const extra = d.rows.filter((r) => r.kind === "consent" || r.kind === "links");
    return h(
      "table",
      { class: "review-table", "data-testid": "review-table" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", { scope: "col", class: "review-field-head" }, m.colField),
          d.columns.map((c, i) => this.columnHead(c, i)),
        ),
      ),
      h("tbody", null, fields.map((r) => this.row(d, r))),
      extra.length === 0
        ? null
        : h(
            "tbody",
            { class: "review-extra" },
            h("tr", null, h("th", { scope: "rowgroup", colspan: String(d.columns.length + 1), class: "review-group" }, m.consentAndLinks)),
            extra.map((r) => this.row(d, r)),
          ),
    );
  }

  private columnHead(c: ReviewColumn, i: number): HTMLElement {
    if (c.profileId === null) {
      return h(
        "th",
        { scope: "col", class: "review-col review-col-incoming", "data-testid": "review-col-0" },
        h("div", { class: "review-col-kind" }, m.incoming),
        h("div", { class: "review-col-label" }, formatLabel(c.label)),
        h("div", { class: "muted small" }, c.source),
      );
    }
    const id = c.profileId;
    const survivor = this.survivor === id;
    const badges: Child[] = [
      c.matchedBy ? h("span", { class: "badge badge-match" }, m.matchedBy(matchKeyLabel(c.matchedBy))) : null,
      c.gone ? h("span", { class: "badge badge-gone" }, m.deleted) : null,
      c.newMatch ? h("span", { class: "badge badge-warn" }, m.badgeNewMatch) : null,
      c.changedSince ? h("span", { class: "badge badge-warn" }, m.badgeChangedSince) : null,
      isLive(c) && !c.stillMatches ? h("span", { class: "badge badge-warn" }, m.badgeNoLongerMatches) : null,
    ];
    const keep = isLive(c)
      ? h(
          "label",
          { class: "review-keep" },
          h("input", {
            type: "radio",
            name: "review-survivor",
            value: String(id),
            checked: survivor,
            disabled: this.detail?.summary.status !== "open",
            "data-testid": `review-survivor-${id}`,
            onchange: () => this.setSurvivor(id),
          }),
          survivor ? m.keptProfile : m.keepThisProfile,
        )
      : null;
    return h(
      "th",
      {
        scope: "col",
        class: `review-col${survivor ? " review-col-survivor" : ""}${c.gone ? " review-col-gone" : ""}`,
        "data-testid": `review-col-${i}`,
        "data-profile-id": String(id),
      },
      keep,
      h(
        "div",
        { class: "review-col-label" },
        isLive(c)
          ? h(
              "button",
              {
                type: "button",
                class: "link-button",
                title: m.openThisProfile,
                "data-testid": `review-open-profile-${id}`,
                onclick: () => this.opts.onOpenProfile(id),
              },
              formatLabel(c.label),
            )
          : formatLabel(c.label),
      ),
      h("div", { class: "muted small" }, `#${id}${c.source ? ` · ${c.source}` : ""}`),
      c.updatedAt ? h("div", { class: "muted small" }, m.updatedAt(formatDateTime(c.updatedAt))) : null,
      h("div", { class: "review-badges" }, badges),
    );
  }

  private row(d: ReviewDetail, r: ReviewRow): HTMLElement {
    const pickable = this.survivor !== null && isPickable(r, d);
    const kept = pickable && this.survivor !== null ? keptColumn(r, d, this.survivor, this.chosen) : null;
    const cells = d.columns.map((c, i) => {
      const value = r.values[i] ?? "";
      const text = this.valueText(r.field, value, this.kindsNow);
      const classes = ["review-cell"];
      if (c.profileId !== null && this.survivor === c.profileId) classes.push("review-cell-survivor");
      if (c.gone) classes.push("review-cell-gone");
      if (r.differs && value !== "") classes.push("review-cell-differs");
      if (kept === i) classes.push("review-cell-kept");
      let content: Child = value === "" ? h("span", { class: "review-empty", "aria-label": m.emptyValue }, "—") : text;
      if (pickable && value !== "" && (c.profileId === null || isLive(c))) {
        content = h(
          "label",
          { class: "review-pick" },
          h("input", {
            type: "radio",
            name: `review-pick-${r.field}`,
            checked: kept === i,
            "aria-label": m.keepValueFor(text, r.label),
            "data-testid": `review-pick-${r.field}-${i}`,
            onchange: () => {
              this.chosen.set(r.field, i);
              this.renderDetail();
            },
          }),
          h("span", null, text),
        );
      }
      return h("td", { class: classes.join(" "), "data-testid": `review-cell-${r.field}-${i}` }, content);
    });
    return h(
      "tr",
      { class: `review-row review-row-${r.kind}${r.differs ? " review-row-differs" : ""}`, "data-testid": `review-row-${r.field}`, "data-differs": r.differs ? "true" : "false" },
      h(
        "th",
        { scope: "row", class: "review-field" },
        r.label,
        r.kind === "list" && r.differs ? h("span", { class: "review-field-hint" }, m.combined) : null,
      ),
      cells,
    );
  }

  private setSurvivor(id: number): void {
    this.survivor = id;
    this.renderDetail();
    this.body.querySelector<HTMLElement>(`[data-testid="review-survivor-${id}"]`)?.focus();
  }

  private actionBar(d: ReviewDetail): HTMLElement {
    const states = actionStates(d, this.survivor, (p) => this.opts.can(p));
    const found = d.columns.find((c) => c.profileId === this.survivor && isLive(c))?.label;
    const label = found === undefined ? null : formatLabel(found);
    const klass: Record<ReviewActionKey, string> = {
      attach: "button button-secondary",
      mergeAll: "button button-primary",
      createNew: "button button-secondary",
      dismiss: "button button-danger-ghost",
    };
    const buttons = ACTIONS.map((a) =>
      h(
        "button",
        {
          type: "button",
          class: klass[a],
          "data-testid": `review-${a === "mergeAll" ? "merge-all" : a === "createNew" ? "create-new" : a}`,
          disabled: !states[a].enabled,
          title: states[a].title,
          onclick: () => void this.decide(a),
        },
        actionLabel(a, label),
      ),
    );
    const [attach, merge, create, dismiss] = buttons;
    const live = d.columns.filter(isLive).length;
    const status =
      d.summary.status !== "open"
        ? m.statusResolved
        : this.survivor === null || label === null
          ? live === 0
            ? m.statusNoCandidate
            : m.statusChoose
          : `${m.statusKept(label, this.survivor)}${live > 1 ? m.statusWouldRemove(live - 1) : ""}`;
    return h(
      "div",
      { class: "review-actions" },
      h("span", { class: "muted review-actions-status", "data-testid": "review-actions-status" }, status),
      h("div", { class: "toolbar-spacer" }),
      dismiss,
      create,
      attach,
      merge,
    );
  }

  // ---- deciding ---------------------------------------------------------------

  private async decide(action: ReviewActionKey): Promise<void> {
    const d = this.detail;
    if (!d || this.busy) return;
    const decision = decisionFor(action, d, this.survivor, this.chosen);
    if (!decision) return;
    const found = d.columns.find((c) => c.profileId === this.survivor)?.label;
    const label = found === undefined ? null : formatLabel(found);
    this.busy = true;
    try {
      const preview = await previewReviewDecision(d.summary.id, decision);
      const yes = await confirmDialog({
        title: confirmTitle(action, label),
        body: previewBody(preview, (field, value) => this.valueText(field, value, this.kindsNow)),
        confirmLabel: confirmLabel(action),
        cancelLabel: common.cancel,
        danger: isDestructive(action, d),
        testid: "review-confirm",
      });
      if (!yes) return;
      const result = await resolveMergeReview(d.summary.id, decision, d.version);
      this.resolved(result);
    } catch (err) {
      showError(err);
      // Someone changed the candidates or resolved the review meanwhile: show them as they are now.
      if (err instanceof IpcError && (err.code === "conflict" || err.code === "notFound")) await this.openReview(d.summary.id, false);
    } finally {
      this.busy = false;
    }
  }

  private resolved(result: ReviewResolution): void {
    showToast(result.message);
    const profileId = result.profileId;
    replace(
      this.notice,
      h(
        "div",
        { class: "review-result", role: "status", "data-testid": "review-result" },
        h("span", { class: "review-result-icon", "aria-hidden": "true" }),
        h("span", { class: "review-result-text" }, result.message),
        profileId === null
          ? null
          : h(
              "button",
              {
                type: "button",
                class: "button button-secondary button-small",
                "data-testid": "review-result-open",
                onclick: () => this.opts.onOpenProfile(profileId),
              },
              m.openProfile,
            ),
        h("button", {
          type: "button",
          class: "icon-button close-glyph",
          "aria-label": m.dismiss,
          onclick: () => this.notice.replaceChildren(),
        }),
      ),
    );
    this.opts.onChanged();
    const ids = this.list?.items.filter((r) => r.status === "open").map((r) => r.id) ?? [];
    const next = nextReviewId(ids, result.reviewId);
    if (this.list) this.list = { ...this.list, items: this.list.items.filter((r) => r.id !== result.reviewId) };
    if (next !== null) void this.openReview(next, true);
    else this.showList();
  }
}

/** The confirmation's body: the core's sentence, the profile as it will be, who is removed. */
function previewBody(p: ReviewResolution, shown: (field: string, value: string) => string): HTMLElement {
  return h(
    "div",
    { class: "review-preview", "data-testid": "review-preview" },
    h("p", { "data-testid": "review-preview-message" }, p.message),
    p.values.length === 0
      ? null
      : h(
          "div",
          null,
          h("div", { class: "field-label" }, p.action === "createNew" ? m.theNewProfile : m.willHold(formatLabel(p.label))),
          h(
            "dl",
            { class: "kv-list review-preview-values" },
            p.values.map((v) => h("div", { class: "kv" }, h("dt", null, v.label), h("dd", null, shown(v.field, v.value)))),
          ),
        ),
    p.removed.length === 0
      ? null
      : h(
          "p",
          { class: "review-preview-removed" },
          m.removed(p.removed.map((r) => `${formatLabel(r.label)} (#${r.profileId})`).join(", "), formatLabel(p.label)),
        ),
  );
}
