// Merge reviews the server opened (issue 13; SYNC.md §5.2), shown in the merge review screen:
// a customer entered here or on another computer matched several customers on the server, which
// keeps it apart until someone decides. Each card names the held customer and those it matched
// (as they are on this computer), why, and the three decisions — add it to one of them, merge
// them all into one, keep it separate. The decision goes to the server with the next sync; the
// server makes the merge and its result comes back like any colleague's change. Profile data
// is only ever set as text.
import { h } from "../shell/dom";
import { formatDateTime } from "../shell/format";
import { formatLabel } from "../shell/phone";
import { confirmDialog } from "../shell/confirmDialog";
import { errorMessage, showToast } from "../shell/toast";
import { common } from "../i18n/common";
import { resolveServerReview, type ServerReview, type ServerReviewDecision, type ServerReviewProfile } from "../ipc";
import { serverDecisionText, serverReasonText } from "./mergeReviewLogic";
import { m } from "./messages";

export interface ServerReviewsOptions {
  /** Whether the signed-in user holds a permission (only to disable buttons; the core decides). */
  can(permission: string): boolean;
  /** A decision was recorded: the top bar's count should refetch. */
  onChanged(): void;
  onOpenProfile(id: number): void;
}

/** The customer's name as the list shows it, or "not on this computer yet". */
function customerName(p: ServerReviewProfile): string {
  return p.label === null ? m.notOnThisComputer : formatLabel(p.label);
}

export class ServerReviewsPanel {
  /** Shown above the open reviews while the server holds customers; empty otherwise. */
  readonly open = h("div", { class: "server-reviews", "data-testid": "server-reviews" });
  /** Shown below the resolved reviews: what was decided on the server. */
  readonly resolved = h("div", { class: "server-reviews-resolved", "data-testid": "server-reviews-resolved" });
  private readonly notice = h("div", { class: "review-notice", role: "alert", "aria-live": "polite", "data-testid": "server-review-error" });

  constructor(private readonly opts: ServerReviewsOptions) {}

  /** Draws what the core answered. */
  show(reviews: ServerReview[]): void {
    const waiting = reviews.filter((r) => !r.resolved);
    const done = reviews.filter((r) => r.resolved);
    this.notice.textContent = "";
    this.open.replaceChildren(
      ...(waiting.length === 0
        ? []
        : [
            h(
              "section",
              { class: "card server-review-panel" },
              h("h2", { class: "card-title" }, m.serverTitle(waiting.length)),
              h("p", { class: "muted" }, m.serverIntro),
              this.notice,
              waiting.map((r) => this.card(r)),
            ),
          ]),
    );
    this.resolved.replaceChildren(...(done.length === 0 ? [] : [this.resolvedTable(done)]));
  }

  /** The reviews could not be read: said in place, the local reviews stay usable. */
  failed(err: unknown): void {
    this.open.replaceChildren(h("p", { class: "review-notice" }, m.couldNotLoadServerReviews(errorMessage(err))));
    this.resolved.replaceChildren();
  }

  private openButton(p: ServerReviewProfile, testid: string): HTMLElement | null {
    if (p.profileId === null) return null;
    const id = p.profileId;
    return h("button", { type: "button", class: "button button-ghost button-small", "data-testid": testid, onclick: () => this.opts.onOpenProfile(id) }, m.openProfile);
  }

  private card(r: ServerReview): HTMLElement {
    const reason = serverReasonText(r.reason);
    const decidedHere = r.decision !== null;
    const canMerge = this.opts.can("profile.edit");
    const canCreate = this.opts.can("profile.create");
    const title = (allowed: boolean, permission: string): string | null => (allowed ? null : m.requiresPermission(permission));
    const candidateRow = (c: ServerReviewProfile): HTMLElement =>
      h(
        "tr",
        { "data-testid": `server-review-candidate-${c.gid}` },
        h("td", { class: "server-review-name" }, customerName(c), " ", this.openButton(c, `server-review-open-${c.gid}`)),
        h(
          "td",
          { class: "sync-row-actions" },
          decidedHere
            ? null
            : [
                h(
                  "button",
                  { type: "button", class: "button button-secondary button-small", disabled: !canMerge, title: title(canMerge, "profile.edit"), "data-testid": `server-review-attach-${c.gid}`, onclick: () => void this.attach(r, c) },
                  m.addToThis,
                ),
                h(
                  "button",
                  { type: "button", class: "button button-ghost button-small", disabled: !canMerge, title: title(canMerge, "profile.edit"), "data-testid": `server-review-merge-${c.gid}`, onclick: () => void this.mergeAll(r, c) },
                  m.mergeAllIntoThis,
                ),
              ],
        ),
      );
    return h(
      "article",
      { class: "server-review", "data-testid": `server-review-${r.id}` },
      h(
        "div",
        { class: "server-review-head" },
        h("h3", { class: "server-review-held" }, customerName(r.held)),
        h("span", { class: "review-reason-chip", title: reason.sentence }, reason.label),
        this.openButton(r.held, `server-review-open-held-${r.id}`),
      ),
      // "Several matches" is what the panel's introduction says; other reasons need a word.
      r.reason === "severalMatches" ? null : h("p", { class: "muted" }, reason.sentence),
      h(
        "table",
        { class: "mini-table server-review-candidates" },
        h("caption", null, m.matchedCustomers),
        h("tbody", null, r.candidates.map(candidateRow)),
      ),
      decidedHere
        ? h("p", { class: "server-review-decided", "data-testid": `server-review-decided-${r.id}` }, m.decidedHere(serverDecisionText(r), r.decidedBy ?? m.someone))
        : h(
            "div",
            { class: "report-actions" },
            h(
              "button",
              { type: "button", class: "button button-secondary", disabled: !canCreate, title: title(canCreate, "profile.create"), "data-testid": `server-review-separate-${r.id}`, onclick: () => void this.decide(r, { action: "createNew" }) },
              m.keepSeparate,
            ),
          ),
    );
  }

  private async attach(r: ServerReview, target: ServerReviewProfile): Promise<void> {
    const ok = await confirmDialog({
      title: m.confirmServerAttach(customerName(r.held), customerName(target)),
      body: m.confirmServerAttachBody,
      confirmLabel: m.addToThis,
      cancelLabel: common.cancel,
      testid: "server-review-confirm",
    });
    if (ok) await this.decide(r, { action: "attach", target: target.gid });
  }

  private async mergeAll(r: ServerReview, target: ServerReviewProfile): Promise<void> {
    const ok = await confirmDialog({
      title: m.confirmServerMerge(customerName(target)),
      body: m.confirmServerMergeBody(r.candidates.length),
      confirmLabel: m.merge,
      cancelLabel: common.cancel,
      danger: true,
      testid: "server-review-confirm",
    });
    if (ok) await this.decide(r, { action: "mergeAll", target: target.gid });
  }

  private async decide(r: ServerReview, decision: ServerReviewDecision): Promise<void> {
    try {
      this.show(await resolveServerReview(r.id, decision));
      showToast(m.sentToServer);
      this.opts.onChanged();
    } catch (err) {
      this.notice.textContent = errorMessage(err);
    }
  }

  private resolvedTable(done: ServerReview[]): HTMLElement {
    return h(
      "section",
      { class: "card report-card" },
      h("h2", { class: "card-title" }, m.serverResolvedTitle(done.length)),
      h(
        "table",
        { class: "mini-table review-list" },
        h("thead", null, h("tr", null, [m.colCustomer, m.colDecision, m.colBy, m.colWhen].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          null,
          done.map((r) =>
            h(
              "tr",
              { "data-testid": `server-review-resolved-${r.id}` },
              h("td", null, customerName(r.held)),
              h("td", null, serverDecisionText(r)),
              h("td", null, r.decidedBy ?? m.someone),
              h("td", { class: "nowrap" }, formatDateTime(r.decidedAt ?? r.at)),
            ),
          ),
        ),
      ),
    );
  }
}
