// About Profile Desk: the app's identity (name, version from Cargo.toml,
// publisher, build, identifier), where its data lives, and the licence
// notices of every third-party package inside it (generated at build time
// from Cargo.lock and package-lock.json, loaded when the list is opened).
import "./system.css";

import { h } from "./dom";
import { Modal } from "./modal";
import { formatCount } from "./format";
import { licenceNotices, type AppInfo, type LicenceNotices, type PackageNotice } from "../ipc";
import { errorMessage } from "./toast";

/** Packages whose name, licence or version contains `query` (case-insensitive), in name order. */
export function filterPackages(packages: readonly PackageNotice[], query: string): PackageNotice[] {
  const q = query.trim().toLowerCase();
  const matches = q
    ? packages.filter((p) => `${p.name} ${p.version} ${p.license}`.toLowerCase().includes(q))
    : [...packages];
  return matches.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** "364 Rust crates and 1 npm package". */
export function packageSummary(packages: readonly PackageNotice[]): string {
  const crates = packages.filter((p) => p.ecosystem === "crate").length;
  const npm = packages.length - crates;
  const n = (count: number, one: string, many: string): string => `${formatCount(count)} ${count === 1 ? one : many}`;
  return `${n(crates, "Rust crate", "Rust crates")} and ${n(npm, "npm package", "npm packages")}`;
}

export interface AboutOptions {
  info: AppInfo;
  /** Where focus goes back to. */
  returnFocus?: HTMLElement | null;
  /** Loads the notices (tests pass their own). */
  loadNotices?: () => Promise<LicenceNotices>;
}

export class AboutDialog {
  readonly element: HTMLElement;
  private readonly modal: Modal;
  private readonly licences: HTMLElement;
  private notices: LicenceNotices | null = null;
  private closed = false;

  constructor(private readonly opts: AboutOptions) {
    const { info } = opts;
    const build = info.dev ? "Development build" : "Release build";
    this.licences = h(
      "section",
      { class: "about-licences", "data-testid": "about-licences", "aria-label": "Open-source licences" },
      h("h3", null, "Open-source licences"),
      h(
        "p",
        { class: "muted" },
        "Profile Desk is built with open-source software. Their licences and notices are listed here.",
      ),
      h(
        "button",
        { type: "button", class: "button button-secondary", "data-testid": "about-show-licences", onclick: () => void this.loadLicences() },
        "Show licences",
      ),
    );
    this.modal = new Modal({
      title: `About ${info.productName}`,
      testid: "about-dialog",
      className: "about-dialog",
      closeButton: true,
      bodyClass: "about-body",
      closeOnBackdrop: true,
      returnFocus: opts.returnFocus ?? document.activeElement,
      onClosed: () => {
        this.closed = true;
      },
      body: [
        h(
          "div",
          { class: "about-identity" },
          h("span", { class: "brand-mark about-mark", "aria-hidden": "true" }, "P"),
          h(
            "div",
            null,
            h("div", { class: "about-name" }, info.productName),
            h("div", { class: "about-version", "data-testid": "about-version" }, `Version ${info.version}`),
            h("div", { class: "muted" }, info.description),
          ),
        ),
        h(
          "dl",
          { class: "about-facts" },
          fact("Publisher", info.publisher),
          fact("Build", `${build} · ${info.identifier}`, "about-build"),
          fact("Data", info.demo ? "Demo data — generated profiles in a separate database" : "Your profiles", "about-data-kind"),
          fact("Database file", h("span", { class: "about-path" }, info.dataPath), "about-data-path"),
          fact(
            "Encryption",
            h("span", { class: info.encryption.encrypted ? null : "field-error", "data-encrypted": String(info.encryption.encrypted) }, info.encryption.message),
            "about-encryption",
          ),
        ),
        this.licences,
      ],
      end: [{ key: "close", label: "Close", kind: "primary", testid: "about-close", onClick: () => this.close() }],
      onCancel: () => this.close(),
    });
    this.element = this.modal.element;
  }

  open(parent: HTMLElement): void {
    this.modal.open(parent, this.modal.button("close"));
  }

  close(): void {
    this.modal.close();
  }

  private async loadLicences(): Promise<void> {
    this.licences.replaceChildren(h("h3", null, "Open-source licences"), h("p", { class: "muted", role: "status" }, "Loading the licences…"));
    try {
      this.notices = await (this.opts.loadNotices ?? licenceNotices)();
    } catch (err) {
      this.licences.replaceChildren(
        h("h3", null, "Open-source licences"),
        h("p", { class: "field-error", role: "alert" }, `The licences could not be loaded: ${errorMessage(err)}`),
      );
      return;
    }
    if (!this.closed) this.renderLicences();
  }

  private renderLicences(): void {
    const notices = this.notices;
    if (!notices) return;
    const list = h("ul", { class: "licence-list", "data-testid": "licence-list" });
    const text = h("div", { class: "licence-text", "data-testid": "licence-text" }, h("p", { class: "muted" }, "Choose a package to read its licence."));
    const show = (p: PackageNotice): void => {
      const texts = p.textIds.map((id) => notices.texts.find((t) => t.id === id)).filter((t) => t !== undefined);
      text.replaceChildren(
        h("h4", null, `${p.name} ${p.version}`),
        h("p", { class: "muted" }, `Licence: ${p.license}`, p.repository ? ` · ${p.repository}` : ""),
        ...(texts.length > 0
          ? texts.map((t) => h("details", { open: texts.length === 1 }, h("summary", null, t.fileName), h("pre", { class: "pre" }, t.text)))
          : [h("p", null, `The package ships no licence file; it is distributed under ${p.license}.`)]),
      );
    };
    const render = (query: string): void => {
      const shown = filterPackages(notices.packages, query);
      list.replaceChildren(
        ...shown.map((p) =>
          h(
            "li",
            null,
            h(
              "button",
              { type: "button", class: "licence-item", "data-testid": "licence-item", "data-name": p.name, onclick: () => show(p) },
              h("span", { class: "licence-name" }, p.name),
              h("span", { class: "muted" }, ` ${p.version}`),
              h("span", { class: "licence-spdx" }, p.license),
            ),
          ),
        ),
      );
      if (shown.length === 0) list.append(h("li", { class: "muted" }, "No package matches."));
    };
    const filter = h("input", {
      type: "search",
      class: "licence-filter",
      "data-testid": "licence-filter",
      placeholder: "Filter by name or licence",
      "aria-label": "Filter the packages",
      oninput: (e: Event) => render((e.target as HTMLInputElement).value),
    });
    render("");
    this.licences.replaceChildren(
      h("h3", null, "Open-source licences"),
      h("p", { class: "muted", "data-testid": "licence-summary" }, `Inside Profile Desk: ${packageSummary(notices.packages)}.`),
      filter,
      h("div", { class: "licence-columns" }, list, text),
    );
    filter.focus();
  }
}

function fact(label: string, value: Node | string, testid?: string): HTMLElement[] {
  return [h("dt", null, label), h("dd", testid ? { "data-testid": testid } : null, value)];
}
