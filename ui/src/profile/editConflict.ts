// Lost updates (issue 15.3): Save sends only the fields the person changed, with the version and
// the values the form was opened on; the core refuses a field someone else changed since
// (`editConflict`) and this dialog asks, per field or for all: use mine (send it again on the
// current value) or keep theirs (drop it from the edit).
import { h } from "../shell/dom";
import { Modal } from "../shell/modal";
import type { EditBase, EditConflict, EditConflicts, Profile, ProfileInput } from "../ipc";
import { common } from "../i18n/common";
import { m } from "./messages";

/** One field's text as the detail shows it — what the core compares with (`EditBase`). */
export function openedText(p: Profile, key: string): string {
  if (key === "phones") return p.phones.map((x) => x.raw).join(", ");
  if (key === "emails") return p.emails.join(", ");
  if (key === "tags") return p.tags.join(", ");
  return p.values[key] ?? "";
}

/** The base of an edit: the version opened and the opened text of every field it sends. */
export function editBase(version: string, opened: Profile, input: ProfileInput): EditBase {
  const values: Record<string, string> = {};
  for (const key of Object.keys(input.values)) values[key] = openedText(opened, key);
  return { version, values };
}

export type ConflictChoice = "mine" | "theirs";

/**
 * The edit to send again after the person chose: "mine" keeps the field, now based on the value
 * stored (and the version the refusal reported); "theirs" drops it, so the stored value stays.
 */
export function resolveConflicts(
  input: ProfileInput,
  base: EditBase,
  refusal: EditConflicts,
  choices: ReadonlyMap<string, ConflictChoice>,
): { input: ProfileInput; base: EditBase } {
  const values = { ...input.values };
  const baseValues = { ...base.values };
  for (const c of refusal.conflicts) {
    if (choices.get(c.field) === "mine") {
      baseValues[c.field] = c.theirs;
    } else {
      delete values[c.field];
      delete baseValues[c.field];
    }
  }
  return { input: { values }, base: { version: refusal.version, values: baseValues } };
}

function shown(value: string): string {
  return value === "" ? m.empty : value;
}

/**
 * Asks per conflicting field; null: back to the form, nothing saved. `display` shows a field's
 * text as the detail does (dates and phones in the UI's one format).
 */
export function askAboutConflicts(
  conflicts: readonly EditConflict[],
  display: (field: string, text: string) => string = (_field, text) => text,
): Promise<Map<string, ConflictChoice> | null> {
  return new Promise((resolve) => {
    const choices = new Map<string, ConflictChoice>(conflicts.map((c) => [c.field, "theirs"]));
    let answer: Map<string, ConflictChoice> | null = null;
    const radios: Array<{ field: string; mine: HTMLInputElement; theirs: HTMLInputElement }> = [];
    const rows = conflicts.map((c, i) => {
      const name = `edit-conflict-${i}`;
      const mine = h("input", {
        type: "radio",
        name,
        "data-testid": `edit-conflict-mine-${c.field}`,
        onchange: () => choices.set(c.field, "mine"),
      });
      const theirs = h("input", {
        type: "radio",
        name,
        checked: true,
        "data-testid": `edit-conflict-theirs-${c.field}`,
        onchange: () => choices.set(c.field, "theirs"),
      });
      radios.push({ field: c.field, mine, theirs });
      return h(
        "li",
        { "data-testid": `edit-conflict-${c.field}` },
        h("strong", null, c.label),
        m.yoursNow(shown(display(c.field, c.yours)), shown(display(c.field, c.theirs))),
        h("span", { class: "muted" }, m.whenOpened(shown(display(c.field, c.base)))),
        h(
          "div",
          { class: "edit-conflict-choice" },
          h("label", { class: "check" }, mine, m.useMine),
          h("label", { class: "check" }, theirs, m.keepTheirs),
        ),
      );
    });
    const setAll = (choice: ConflictChoice): void => {
      for (const r of radios) {
        choices.set(r.field, choice);
        r.mine.checked = choice === "mine";
        r.theirs.checked = choice === "theirs";
      }
    };
    const modal: Modal = new Modal({
      title: m.conflictTitle,
      testid: "edit-conflict-dialog",
      role: "alertdialog",
      closeButton: true,
      body: h(
        "div",
        { class: "edit-conflicts" },
        h("p", null, m.conflictIntro),
        h("ul", { "data-testid": "edit-conflict-list" }, rows),
      ),
      start: [
        { key: "back", label: common.back, testid: "edit-conflict-back", onClick: (): void => void modal.close() },
        { key: "theirs", label: m.keepTheirsAll, testid: "edit-conflict-theirs-all", onClick: () => setAll("theirs") },
        { key: "mine", label: m.useMineAll, testid: "edit-conflict-mine-all", onClick: () => setAll("mine") },
      ],
      end: [
        {
          key: "save",
          label: common.save,
          kind: "primary",
          testid: "edit-conflict-save",
          onClick: (): void => {
            answer = choices;
            modal.close();
          },
        },
      ],
      onClosed: () => resolve(answer),
    });
    modal.open(document.body, modal.button("save"));
  });
}
