// The question an edit asks when it gives the profile a phone or e-mail another profile already
// holds (SPEC 6 "Guards"): keep both profiles (they are different people — the core records the
// choice), open the other profile to look at it, or go back to the form. The core refuses the
// edit until the person answers, so this is the only way such an edit is saved.
import { h } from "../shell/dom";
import { matchKeyLabel } from "../shell/format";
import { Modal } from "../shell/modal";
import type { SharedIdentifier } from "../ipc";
import { common } from "../i18n/common";
import { m } from "./messages";

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
      h("p", null, m.sharedIntro),
      h(
        "ul",
        { "data-testid": "shared-identifier-list" },
        shared.map((s, i) =>
          h(
            "li",
            { "data-testid": `shared-identifier-${i}` },
            m.belongsTo(s.value, matchKeyLabel(s.kind)),
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
        owners.length === 1 ? m.sharedAdviceOne : m.sharedAdviceMany,
      ),
    );
    const modal = new Modal({
      title: m.sharedTitle,
      testid: "shared-identifier-dialog",
      role: "alertdialog",
      closeButton: true,
      body,
      start: [{ key: "back", label: common.back, testid: "shared-identifier-back", onClick: () => finish({ kind: "back" }) }],
      end: [
        {
          key: "keep",
          label: m.keepBoth,
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
