// One profile's detail in the shell. It stacks over merge review and conflict review (a profile
// opened there goes back to it); from anywhere else it replaces the screen shown.
import type { Screen } from "../shell/screens";
import type { DetailView } from "./detail";
import { m } from "./messages";

export const DETAIL_SCREEN = "detail";

export function detailScreen(view: DetailView): Screen<number> {
  return {
    id: DETAIL_SCREEN,
    title: m.screenTitle,
    element: view.element,
    over: ["review", "conflicts"],
    // Escape leaves the profile unless it is being edited (then it ends the edit, asking first).
    escape: () => !view.editing,
    mount: async (id) => {
      await view.show(id);
      if (!view.element.contains(document.activeElement)) {
        view.element.querySelector<HTMLElement>('[data-testid="detail-back"]')?.focus();
      }
    },
    unmount: () => view.element.replaceChildren(),
    // Unsaved edits are asked about before another screen replaces the profile.
    canLeave: () => view.canLeave(),
    actions: { save: () => view.saveShortcut() },
  };
}
