// Conflict review in the shell. It has no top-bar button of its own: the sync status chip
// says "3 conflicts" and opens it, and Settings → Remote CDP links to it.
import type { Screen } from "../shell/screens";
import type { ConflictReviewView } from "./conflictReview";
import { m } from "./messages";

export const CONFLICTS_SCREEN = "conflicts";

export function conflictsScreen(view: ConflictReviewView): Screen<void> {
  return {
    id: CONFLICTS_SCREEN,
    title: m.screenTitle,
    element: view.element,
    focus: '[data-testid="conflict-back"]',
    // Settings stays underneath when the review is opened from Remote CDP.
    over: ["settings"],
    mount: () => view.open(),
    // Back from a profile opened here: the conflicts as they are now.
    resume: () => void view.reload(),
  };
}
