// The merge review screen in the shell, with its top-bar button and the count of open reviews.
import { h } from "../shell/dom";
import { formatCount } from "../shell/format";
import type { Screen } from "../shell/screens";
import { openReviewCount } from "../ipc";
import type { MergeReviewView } from "./mergeReview";
import { m } from "./messages";

export const REVIEW_SCREEN = "review";

/** What the screen opens on: the open reviews of an import job (its id), one review, or all. */
export type ReviewTarget = number | { reviewId: number } | null | undefined;

export interface ReviewScreen {
  screen: Screen<ReviewTarget>;
  /** Asks the core again for the count of open reviews (hidden when there are none). */
  refreshCount: () => Promise<void>;
}

/** A number: the open reviews of that import job; `{ reviewId }`: that review; none: all open reviews. */
export function reviewScreen(view: MergeReviewView, opts: { canView: boolean }): ReviewScreen {
  const count = h("span", { class: "count-pill review-count", "data-testid": "review-count", hidden: true });
  const refreshCount = async (): Promise<void> => {
    try {
      const n = await openReviewCount();
      count.textContent = formatCount(n);
      count.hidden = n === 0;
      count.title = m.openCount(n);
    } catch {
      count.hidden = true;
    }
  };
  return {
    refreshCount,
    screen: {
      id: REVIEW_SCREEN,
      title: m.screenTitle,
      element: view.element,
      focus: '[data-testid="review-back"]',
      // The merge review screen handles its own keys (Escape goes back a level).
      escape: "own",
      mount: async (target) => {
        if (target !== null && typeof target === "object") await view.openOne(target.reviewId);
        else await view.open(target ?? null);
        void refreshCount();
      },
      // Back from a profile opened here: the reviews as they were.
      resume: () => {
        void view.reload();
        view.element.querySelector<HTMLElement>('[data-testid="review-list-back"], [data-testid="review-back"]')?.focus();
      },
      nav: {
        order: 20,
        testid: "review-button",
        label: [m.screenTitle, count],
        title: m.navTitle,
        // Reviews show profiles: they need profile.view like the list.
        hidden: !opts.canView,
      },
    },
  };
}
