// Synchronization rule (SPEC 6, 7.1): which match keys count and in which
// order, the default phone region, the default merge policy — and a live
// example that the core computes with the real rule for the settings being
// edited (before they are saved), so the administrator sees the effect. Below
// it, the guards (./guards.ts), saved on their own.
import { append, debounce, h } from "../shell/dom";
import { Latest } from "../shell/latest";
import {
  setSyncRule,
  syncRuleExample,
  syncRuleSettings,
  type ExampleProfile,
  type MatchKey,
  type MergePolicy,
  type SyncExample,
  type SyncRuleDraft,
  type SyncRuleSetting,
} from "../ipc";
import { moveColumn } from "../list/columnChooser";
import { errorMessage, showToast } from "../shell/toast";
import { failedPanel, loadingPanel, sectionHead, type SectionHandle, type SettingsSection } from "./section";
import { GuardsCard } from "./guards";
import { m } from "./messages";

const ALL_KEYS: readonly MatchKey[] = ["phone", "email", "customerCode"];

export function keyLabel(key: MatchKey): string {
  switch (key) {
    case "phone":
      return m.keyPhone;
    case "email":
      return m.keyEmail;
    case "customerCode":
      return m.keyCustomerCode;
  }
}

/** The keys in the order shown: the chosen ones in their order, then the others. */
export function keyOrder(chosen: readonly MatchKey[]): MatchKey[] {
  return [...chosen, ...ALL_KEYS.filter((k) => !chosen.includes(k))];
}

export function sameRule(a: SyncRuleDraft, b: SyncRuleDraft): boolean {
  return a.region === b.region && a.mergePolicy === b.mergePolicy && a.matchKeys.join() === b.matchKeys.join();
}

class SyncRuleForm implements SectionHandle {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly example = h("div", { class: "sync-example", "data-testid": "sync-example", "aria-live": "polite" });
  private readonly error = h("div", { class: "general-errors", role: "alert", "data-testid": "sync-error" });
  private readonly save: HTMLButtonElement;
  private readonly revert: HTMLButtonElement;
  private saved: SyncRuleDraft | null = null;
  private draft: SyncRuleDraft | null = null;
  /** Keys shown, chosen or not, in their order. */
  private order: MatchKey[] = [...ALL_KEYS];
  private regions: SyncRuleSetting["regions"] = [];
  private readonly exampleSeq = new Latest();
  /** The guards' card, once loaded; kept apart from `body`, which is redrawn on every edit. */
  private guards: GuardsCard | null = null;
  private readonly guardsSlot = h("div", { class: "guards-slot" });
  private readonly refreshExample = debounce(() => void this.loadExample(), 150);

  constructor() {
    this.body = h("div", { class: "settings-body" }, loadingPanel(m.syncWhat));
    this.save = h("button", { type: "button", class: "button button-primary", "data-testid": "sync-save", disabled: true, onclick: () => void this.submit() }, m.saveRule);
    this.revert = h(
      "button",
      {
        type: "button",
        class: "button button-secondary",
        "data-testid": "sync-revert",
        disabled: true,
        onclick: () => {
          if (this.saved) this.edit({ ...this.saved, matchKeys: [...this.saved.matchKeys] }, keyOrder(this.saved.matchKeys));
        },
      },
      m.undoChanges,
    );
    this.element = h(
      "div",
      { class: "settings-section", "data-testid": "settings-section-sync" },
      sectionHead(m.syncTitle, m.syncDescription),
      this.error,
      this.body,
      h("footer", { class: "settings-foot" }, this.revert, h("div", { class: "toolbar-spacer" }), this.save),
      this.guardsSlot,
    );
    void this.load();
  }

  hasUnsavedChanges(): boolean {
    const rule = this.saved !== null && this.draft !== null && !sameRule(this.saved, this.draft);
    return rule || (this.guards?.hasUnsavedChanges() ?? false);
  }

  dispose(): void {
    this.refreshExample.cancel();
  }

  private async load(): Promise<void> {
    try {
      const s = await syncRuleSettings();
      this.saved = s.rule;
      this.regions = s.regions;
      this.guards = new GuardsCard(s.guards);
      this.guardsSlot.replaceChildren(this.guards.element);
      this.edit({ ...s.rule, matchKeys: [...s.rule.matchKeys] }, keyOrder(s.rule.matchKeys));
    } catch (err) {
      this.body.replaceChildren(failedPanel(m.syncWhat, errorMessage(err), () => void this.load()));
    }
  }

  private edit(draft: SyncRuleDraft, order: MatchKey[]): void {
    this.draft = draft;
    this.order = order;
    this.render();
    this.paintButtons();
    this.refreshExample();
  }

  private setKeys(order: MatchKey[], chosen: Set<MatchKey>): void {
    if (!this.draft) return;
    this.edit({ ...this.draft, matchKeys: order.filter((k) => chosen.has(k)) }, order);
  }

  private render(): void {
    const d = this.draft;
    if (!d) return;
    const chosen = new Set(d.matchKeys);
    const keyRows = this.order.map((k, i) =>
      h(
        "li",
        { class: "settings-row", "data-testid": `sync-key-${k}` },
        h(
          "div",
          { class: "settings-row-order" },
          h("button", { type: "button", class: "icon-button", title: m.moveUp, "aria-label": m.moveNamedUp(keyLabel(k)), "data-testid": `sync-key-up-${k}`, disabled: i === 0, onclick: () => this.setKeys(moveColumn(this.order, k, -1) as MatchKey[], chosen) }, "↑"),
          h("button", { type: "button", class: "icon-button", title: m.moveDown, "aria-label": m.moveNamedDown(keyLabel(k)), "data-testid": `sync-key-down-${k}`, disabled: i === this.order.length - 1, onclick: () => this.setKeys(moveColumn(this.order, k, 1) as MatchKey[], chosen) }, "↓"),
        ),
        h(
          "label",
          { class: "check settings-row-main" },
          h("input", {
            type: "checkbox",
            "data-testid": `sync-key-on-${k}`,
            checked: chosen.has(k),
            onchange: (e: Event) => {
              const next = new Set(chosen);
              if ((e.target as HTMLInputElement).checked) next.add(k);
              else next.delete(k);
              this.setKeys(this.order, next);
            },
          }),
          h("span", { class: "settings-row-title" }, keyLabel(k)),
          chosen.has(k) ? h("span", { class: "badge" }, `${d.matchKeys.indexOf(k) + 1}.`) : h("span", { class: "muted small" }, m.notUsed),
        ),
      ),
    );
    const region = h(
      "select",
      {
        "data-testid": "sync-region",
        onchange: (e: Event) => this.edit({ ...d, region: (e.target as HTMLSelectElement).value }, this.order),
      },
      this.regions.map((r) => h("option", { value: r.iso, selected: r.iso === d.region }, `${r.name} (${r.callingCode})`)),
    );
    const policy = (value: MergePolicy, title: string, hint: string): HTMLElement =>
      h(
        "label",
        { class: "check field-editor-check" },
        h("input", {
          type: "radio",
          name: "merge-policy",
          "data-testid": `sync-policy-${value}`,
          checked: d.mergePolicy === value,
          onchange: () => this.edit({ ...d, mergePolicy: value }, this.order),
        }),
        h("span", null, h("span", { class: "field-label" }, title), h("span", { class: "muted small" }, hint)),
      );
    this.body.replaceChildren(
      h(
        "div",
        { class: "sync-grid" },
        h(
          "div",
          { class: "sync-settings" },
          h("div", { class: "card" }, h("h3", { class: "card-title" }, m.matchKeys), h("p", { class: "muted small" }, m.matchKeysHint), h("ul", { class: "settings-rows" }, keyRows)),
          h("div", { class: "card" }, h("h3", { class: "card-title" }, m.defaultRegion), region),
          h(
            "div",
            { class: "card sync-policy" },
            h("h3", { class: "card-title" }, m.whenOneMatches),
            policy("overwrite", m.policyOverwrite, m.policyOverwriteHint),
            policy("fillEmptyOnly", m.policyFillEmpty, m.policyFillEmptyHint),
          ),
        ),
        h("div", { class: "card sync-example-card" }, h("h3", { class: "card-title" }, m.liveExample), this.example),
      ),
    );
  }

  private paintButtons(): void {
    const dirty = this.hasUnsavedChanges();
    this.save.disabled = !dirty || (this.draft?.matchKeys.length ?? 0) === 0;
    this.revert.disabled = !dirty;
  }

  private async loadExample(): Promise<void> {
    const d = this.draft;
    if (!d) return;
    const isLatest = this.exampleSeq.begin();
    if (d.matchKeys.length === 0) {
      this.example.replaceChildren(h("p", { class: "field-error" }, m.chooseOneKey));
      return;
    }
    try {
      const ex = await syncRuleExample(d);
      if (isLatest()) this.paintExample(ex);
    } catch (err) {
      if (isLatest()) this.example.replaceChildren(h("p", { class: "field-error" }, errorMessage(err)));
    }
  }

  private paintExample(ex: SyncExample): void {
    const card = (p: ExampleProfile, cls = ""): HTMLElement =>
      h(
        "div",
        { class: `sync-sample ${cls}` },
        h("div", { class: "sub-title" }, p.title),
        h("dl", { class: "sync-values" }, p.values.map((v) => [h("dt", null, v.label), h("dd", null, v.value)])),
      );
    const outcome = { created: m.outcomeCreated, updated: m.outcomeUpdated, review: m.outcomeReview }[ex.outcome] ?? ex.outcome;
    this.example.replaceChildren();
    append(
      this.example,
      h("div", { class: "sync-samples" }, ex.existing.map((p) => card(p)), card(ex.incoming, "sync-incoming")),
      h(
        "div",
        { class: `sync-outcome sync-outcome-${ex.outcome}` },
        h("span", { class: "badge", "data-testid": "sync-example-outcome" }, outcome),
        h("span", { "data-testid": "sync-example-message" }, ex.message),
      ),
      ex.changes.length > 0
        ? h(
            "table",
            { class: "mini-table", "data-testid": "sync-example-changes" },
            h("thead", null, h("tr", null, h("th", null, m.columnField), h("th", null, m.columnBefore), h("th", null, m.columnAfter))),
            h("tbody", null, ex.changes.map((c) => h("tr", null, h("td", null, c.field), h("td", { class: "change-before" }, c.before || "—"), h("td", { class: "change-after" }, c.after)))),
          )
        : null,
      h("p", { class: "muted small", "data-testid": "sync-example-region" }, ex.regionNote),
    );
  }

  private async submit(): Promise<void> {
    if (!this.draft) return;
    this.error.replaceChildren();
    this.save.disabled = true;
    try {
      const s = await setSyncRule(this.draft);
      this.saved = s.rule;
      this.paintButtons();
      showToast(m.syncRuleSaved);
    } catch (err) {
      this.error.replaceChildren(h("div", { class: "field-error" }, errorMessage(err)));
      this.paintButtons();
    }
  }
}

export const syncRuleSection: SettingsSection = {
  id: "sync",
  get title() {
    return m.syncTitle;
  },
  get summary() {
    return m.syncSummary;
  },
  get managedByServer() {
    return m.syncWhat;
  },
  mount: () => new SyncRuleForm(),
};
