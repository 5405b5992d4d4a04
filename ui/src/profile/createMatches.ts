// The question "Create individually" asks when the typed phone, e-mail or customer code already
// belongs to a profile (SPEC 6, issue 17): nothing is saved until the person chooses. Each
// matching profile is shown next to what "Update this profile" would change in it, with a
// warning when the names are different people's — the case where updating would merge a
// stranger. The pane only draws the question; the wizard saves the answer.
import { h } from "../shell/dom";
import { fieldText, matchKeyLabel } from "../shell/format";
import { formatLabel } from "../shell/phone";
import { showToast } from "../shell/toast";
import type { CreateMatch, CreatePreview, FieldChange, FieldDef, FieldKind, ReviewReason, SaveResult } from "../ipc";
import { appendedItems } from "./detail";
import { m as t } from "./messages";

export interface MatchStepOptions {
  preview: CreatePreview;
  /** The full name as typed (empty when none), for the name warning. */
  typedName: string;
  fields: readonly FieldDef[];
  onUpdate(profileId: number): void;
}

/** Why the rule alone would leave a merge review, said before the person picks it. */
export function reviewReasonText(reason: ReviewReason): string {
  switch (reason) {
    case "severalMatches":
      return t.reasonSeveralMatches;
    case "nameDiffers":
      return t.reasonNameDiffers;
    case "identifierLimit":
      return t.reasonIdentifierLimit;
    case "keptApart":
      return t.reasonKeptApart;
  }
}

/** "The name is another person's: Trần Thị Lan ≠ Phạm Văn Hùng". */
export function nameDiffersText(existing: string, typed: string): string {
  return t.nameDiffers(existing, typed);
}

/**
 * The toast after a save: what the rule did, in the UI's language, from the outcome (the
 * core's English sentence says the same). A separate profile is created on purpose, so the
 * toast says it was kept apart and from whom.
 */
export function savedMessage(result: SaveResult, separateFrom: readonly CreateMatch[] = []): string {
  const o = result.outcome;
  switch (o.outcome) {
    case "created":
      return separateFrom.length === 0 ? t.savedCreated(o.label) : t.createdSeparate(o.label, separateFrom.map((m) => m.label).join(", "));
    case "updated":
      return t.savedUpdated(o.label, matchKeyLabel(o.matchedBy));
    case "review": {
      const labels = o.candidates.map((c) => c.label).join(", ");
      if (o.reason === "nameDiffers") return t.savedReviewNameDiffers(labels);
      if (o.reason === "identifierLimit") return t.savedReviewLimit(labels);
      return t.savedReviewSeveral(o.candidates.length, labels);
    }
  }
}

/**
 * The toast after a create: green ✓ when the profile was created or updated; when the rule left
 * a merge review instead, a warning (nothing was saved as asked yet) with "Open merge review"
 * opening that review (`openReview`; null for a user who cannot see reviews).
 */
export function savedToast(result: SaveResult, openReview: ((reviewId: number) => void) | null): HTMLElement {
  const o = result.outcome;
  if (o.outcome !== "review") return showToast(result.message);
  return showToast(result.message, {
    tone: "warning",
    action: openReview ? { label: t.openMergeReview, run: () => openReview(o.reviewId) } : undefined,
  });
}

export function matchStep(opts: MatchStepOptions): { element: HTMLElement; updateButtons: HTMLButtonElement[] } {
  const { matches, reviewReason } = opts.preview;
  const labels = new Map(opts.fields.map((f) => [f.key, f.label]));
  const kinds = new Map(opts.fields.map((f) => [f.key, f.kind]));
  const single = matches.length === 1;
  const updateButtons: HTMLButtonElement[] = [];
  const cards = matches.map((m) => {
    // Updating is the expected answer only for one match that is the same person; otherwise
    // no button is the default, so a hasty Enter or click does not merge a stranger.
    const update = h(
      "button",
      {
        type: "button",
        class: `button ${single && !m.nameDiffers ? "button-primary" : "button-secondary"}`,
        "data-testid": `create-update-${m.profileId}`,
        "aria-describedby": `create-match-label-${m.profileId}`,
        onclick: () => opts.onUpdate(m.profileId),
      },
      t.updateThisProfile,
    );
    updateButtons.push(update);
    return matchCard(m, opts.typedName, labels, kinds, update);
  });
  const element = h(
    "div",
    { class: "create-match-step", "data-testid": "create-match-step" },
    h(
      "div",
      { class: "create-match-intro" },
      h(
        "h3",
        { class: "create-match-title", tabindex: "-1" },
        single ? t.mayAlreadyExist : t.matchesExisting(matches.length),
      ),
      h(
        "p",
        { class: "muted" },
        t.nothingSavedYet,
      ),
      reviewReason
        ? h(
            "p",
            { class: "muted", "data-testid": "create-review-reason" },
            `${reviewReasonText(reviewReason)} `,
            t.sendToReviewExplained,
          )
        : null,
    ),
    cards,
  );
  return { element, updateButtons };
}

function matchCard(
  m: CreateMatch,
  typedName: string,
  labels: ReadonlyMap<string, string>,
  kinds: ReadonlyMap<string, FieldKind>,
  update: HTMLButtonElement,
): HTMLElement {
  return h(
    "section",
    { class: `create-match${m.nameDiffers ? " name-differs" : ""}`, "data-testid": `create-match-${m.profileId}` },
    h(
      "div",
      { class: "create-match-grid" },
      h(
        "div",
        { class: "create-match-existing" },
        h("div", { class: "sub-title" }, t.existingProfile),
        h("div", { class: "create-match-label", id: `create-match-label-${m.profileId}` }, formatLabel(m.label)),
        h(
          "div",
          { class: "create-match-meta" },
          h("span", { class: "muted small" }, `#${m.profileId}`),
          h("span", { class: "badge badge-match", "data-testid": `create-match-by-${m.profileId}` }, t.matchedBy(matchKeyLabel(m.matchedBy))),
        ),
      ),
      h(
        "div",
        { class: "create-match-changes" },
        h("div", { class: "sub-title" }, t.updateWouldChange),
        m.changes.length === 0
          ? h("p", { class: "muted small", "data-testid": `create-changes-${m.profileId}` }, t.nothingToChange)
          : changesTable(m.changes, labels, kinds, `create-changes-${m.profileId}`),
      ),
    ),
    m.nameDiffers
      ? h(
          "div",
          { class: "create-match-warning", role: "note", "data-testid": `create-name-differs-${m.profileId}` },
          h("strong", null, nameDiffersText(m.label, typedName.trim() || t.noNameTyped)),
          h("span", null, t.samePersonOnly),
        )
      : null,
    h("div", { class: "create-match-actions" }, update),
  );
}

function changesTable(
  changes: readonly FieldChange[],
  labels: ReadonlyMap<string, string>,
  kinds: ReadonlyMap<string, FieldKind>,
  testid: string,
): HTMLElement {
  return h(
    "table",
    { class: "mini-table create-changes", "data-testid": testid },
    h("thead", null, h("tr", null, h("th", { scope: "col" }, t.colField), h("th", { scope: "col" }, t.colNow), h("th", { scope: "col" }, t.colAfterUpdate))),
    h(
      "tbody",
      null,
      changes.map((c) => {
        // Phones and e-mails are added to the list, never replaced: say "added", as the history does.
        // What stays is then not struck through, which would read as a removal (nor is "(empty)").
        const added = appendedItems(c.before, c.after);
        // Dates and phones as every screen shows them.
        const shown = (v: string): string => (v === "" ? t.empty : fieldText(c.field, v, kinds.get(c.field)));
        return h(
          "tr",
          { "data-field": c.field },
          h("td", { class: "change-field" }, labels.get(c.field) ?? c.field),
          h("td", { class: c.before === "" ? "muted" : added === null ? "change-before" : "change-kept" }, shown(c.before)),
          added === null
            ? h("td", { class: "change-after" }, shown(c.after))
            : h("td", null, h("span", { class: "change-added" }, t.changeAdded(shown(added)))),
        );
      }),
    ),
  );
}
