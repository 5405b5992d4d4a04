// The app's keyboard shortcuts, in one place: Ctrl+N a new profile, Ctrl+S saves the edit on
// screen, Delete deletes the selected rows, Ctrl+Z undoes where the screen has an undo, and `?`
// shows the sheet that lists them. What a key does is the shown screen's business
// (`Screen.actions`, answered by the registry); this module decides when a key counts: never
// while a modal dialog is open or the window is locked, and the keys that mean something in a
// text field (Delete, Ctrl+Z, `?`) never while typing in one. (Escape, `/` and Ctrl+F:
// screens.ts.)
import { common } from "../i18n/common";
import { h, type Child } from "./dom";
import { Modal } from "./modal";
import { m } from "./messages";
import type { ScreenActions } from "./screens";

export interface ShortcutOptions {
  /** What the screen shown (or the home screen) can do. */
  actions(): ScreenActions;
  /** Ctrl+N: the create wizard; null for users who may not create profiles. */
  newProfile: (() => void) | null;
  /** False while no key may do anything (the lock screen is up). */
  enabled?(): boolean;
  /** The sheet lists only the keys this user has a use for. */
  sheet: { save: boolean; deleteSelected: boolean; undo: boolean };
}

/** Focus is in a field where keys type text (or pick an option). */
export function isTyping(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"].includes(target.type);
  }
  return target instanceof HTMLElement && target.isContentEditable;
}

export class Shortcuts {
  constructor(private readonly opts: ShortcutOptions) {}

  /** The document's keydown. */
  onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.isComposing || e.altKey || Modal.anyOpen()) return;
    if (this.opts.enabled && !this.opts.enabled()) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const typing = isTyping(e.target);
    let done = false;
    if (ctrl && !e.shiftKey && key === "n") {
      // A chord that means nothing in a text field: it works from the search box too.
      if (this.opts.newProfile && !e.repeat) {
        this.opts.newProfile();
        done = true;
      }
    } else if (ctrl && !e.shiftKey && key === "s") {
      // Saving works while typing in the form: that is where one is when it is time to save.
      done = this.opts.actions().save?.() ?? false;
    } else if (typing) {
      return;
    } else if (ctrl && !e.shiftKey && key === "z") {
      done = !e.repeat && (this.opts.actions().undo?.() ?? false);
    } else if (!ctrl && !e.shiftKey && key === "Delete") {
      done = !e.repeat && (this.opts.actions().deleteSelected?.() ?? false);
    } else if (!ctrl && key === "?") {
      this.openSheet();
      done = true;
    }
    if (done) e.preventDefault();
  }

  /** The sheet: a small dialog listing the shortcuts, in the UI's language. */
  openSheet(): Modal {
    const ctrl = (letter: string): Child[] => [kbd(m.keyCtrl), "+", kbd(letter)];
    const rows: Array<[Child[], string] | null> = [
      this.opts.newProfile ? [ctrl("N"), m.shortcutNew] : null,
      this.opts.sheet.save ? [ctrl("S"), m.shortcutSave] : null,
      this.opts.sheet.deleteSelected ? [[kbd(m.keyDelete)], m.shortcutDelete] : null,
      this.opts.sheet.undo ? [ctrl("Z"), m.shortcutUndo] : null,
      [[kbd("/"), h("span", { class: "shortcut-or" }, m.keyOr), ...ctrl("F")], m.shortcutSearch],
      [[kbd(m.keyEscape)], m.shortcutEscape],
      [[kbd("?")], m.shortcutSheet],
    ];
    const modal = new Modal({
      title: m.shortcutsTitle,
      testid: "shortcut-sheet",
      className: "modal-narrow shortcut-sheet",
      closeButton: "shortcut-sheet-close",
      closeGlyph: true,
      closeOnBackdrop: true,
      body: [
        h(
          "table",
          { class: "shortcut-table", "data-testid": "shortcut-list" },
          h(
            "tbody",
            null,
            rows.map((row) =>
              row ? h("tr", null, h("td", { class: "shortcut-keys" }, row[0]), h("td", { class: "shortcut-what" }, row[1])) : null,
            ),
          ),
        ),
        h("p", { class: "muted small shortcut-intro" }, m.shortcutsIntro),
      ],
      end: [{ key: "cancel", label: common.close, kind: "primary", testid: "shortcut-sheet-done" }],
    });
    return modal.open(document.body, modal.button("cancel"));
  }
}

function kbd(text: string): HTMLElement {
  return h("kbd", { class: "kbd" }, text);
}

/**
 * Ctrl+Z on the import report: the newest import's Undo, which asks before it undoes anything;
 * false when the newest import has none (undone already, failed, still running). The report
 * (ui/src/import) draws the button; this presses it as a click would.
 */
export function undoNewestImport(report: HTMLElement): boolean {
  const newest = report.querySelector('tr[data-testid^="report-row-"]');
  const undo = newest?.querySelector<HTMLButtonElement>('[data-testid^="report-undo-"]');
  if (!undo || undo.disabled) return false;
  undo.click();
  return true;
}
