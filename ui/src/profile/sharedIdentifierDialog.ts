// The question an edit asks when it gives the profile a phone or e-mail another profile already
// holds (SPEC 6 "Guards"): keep both profiles (they are different people — the core records the
// choice), open the other profile to look at it, or go back to the form. The core refuses the
// edit until the person answers, so this is the only way such an edit is saved.
import { h } from "../shell/dom";
import { matchKeyLabel } from "../shell/format";
import { Modal } from "../shell/modal";
import type { SharedIdentifier } from "../ipc";

export type SharedAnswer = { kind: "keep" } | { kind: "back" } | { kind: "open"; profileId: number };

export function askAboutSharedIdentifiers(shared: readonly SharedIdentifier[]): Promise<SharedAnswer> {
  return new Promise((resolve) => {
    let answer: SharedAnswer = { kind: "back" };
    const finish = (a: SharedAnswer): void => {
      answer = a;
      modal.close();
    };
    const owners = [...new Map(shared.map((s) => [s.profileId, s.label])).entries()];
    const body = h(
      "div",
      { class: "shared-identifiers" },
      h("p", null, "Another profile already holds what you typed:"),
      h(
        "ul",
        { "data-testid": "shared-identifier-list" },
        shared.map((s, i) =>
          h(
            "li",
            { "data-testid": `shared-identifier-${i}` },
            `${s.value} (${matchKeyLabel(s.kind)}) belongs to `,
            h(
              "button",
              {
                type: "button",
                class: "link-button",
                "data-testid": `shared-identifier-open-${s.profileId}`,
                onclick: () => finish({ kind: "open", profileId: s.profileId }),
              },
              `${s.label} (#${s.profileId})`,
            ),
          ),
        ),
      ),
      h(
        "p",
        { class: "muted" },
        owners.length === 1
          ? "If they are the same person, open the other profile and add what is missing there instead. If they are different people, keep both: the choice is written in the history, and later imports holding this value go to merge review."
          : "If they are different people, keep both: the choice is written in the history, and later imports holding these values go to merge review.",
      ),
    );
    const modal = new Modal({
      title: "This would share an identifier with another profile",
      testid: "shared-identifier-dialog",
      role: "alertdialog",
      closeButton: true,
      body,
      start: [{ key: "back", label: "Back", testid: "shared-identifier-back", onClick: () => finish({ kind: "back" }) }],
      end: [
        {
          key: "keep",
          label: "Keep both profiles",
          kind: "primary",
          testid: "shared-identifier-keep",
          onClick: () => finish({ kind: "keep" }),
        },
      ],
      onClosed: () => resolve(answer),
    });
    modal.open(document.body, modal.button("back"));
  });
}
