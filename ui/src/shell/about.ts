// About Profile Desk: the app's identity (name, version from Cargo.toml,
// publisher, build, identifier), where its data lives, and the licence
// notices of every third-party package inside it (generated at build time
// from Cargo.lock and package-lock.json, loaded when the list is opened).
import "./system.css";

import { h } from "./dom";
import { Modal } from "./modal";
import { common } from "../i18n/common";
import { m } from "./messages";
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
  return m.packageSummary(crates, npm);
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
    const build = info.dev ? m.developmentBuild : m.releaseBuild;
    this.licences = h(
      "section",
      { class: "about-licences", "data-testid": "about-licences", "aria-label": m.licencesTitle },
      h("h3", null, m.licencesTitle),
      h("p", { class: "muted" }, m.licencesIntro),
      h(
        "button",
        { type: "button", class: "button button-secondary", "data-testid": "about-show-licences", onclick: () => void this.loadLicences() },
        m.showLicences,
      ),
    );
    this.modal = new Modal({
      title: m.aboutTitle(info.productName),
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
            h("div", { class: "about-version", "data-testid": "about-version" }, m.version(info.version)),
            h("div", { class: "muted" }, info.description),
          ),
        ),
        h(
          "dl",
          { class: "about-facts" },
          fact(m.publisher, info.publisher),
          fact(m.build, `${build} · ${info.identifier}`, "about-build"),
          fact(m.data, info.demo ? m.demoData : m.yourProfiles, "about-data-kind"),
          fact(m.databaseFile, h("span", { class: "about-path" }, info.dataPath), "about-data-path"),
          fact(
            m.encryption,
            h("span", { class: info.encryption.encrypted ? null : "field-error", "data-encrypted": String(info.encryption.encrypted) }, info.encryption.message),
            "about-encryption",
          ),
        ),
        this.licences,
      ],
      end: [{ key: "close", label: common.close, kind: "primary", testid: "about-close", onClick: () => this.close() }],
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
    this.licences.replaceChildren(h("h3", null, m.licencesTitle), h("p", { class: "muted", role: "status" }, m.loadingLicences));
    try {
      this.notices = await (this.opts.loadNotices ?? licenceNotices)();
    } catch (err) {
      this.licences.replaceChildren(
        h("h3", null, m.licencesTitle),
        h("p", { class: "field-error", role: "alert" }, m.licencesFailed(errorMessage(err))),
      );
      return;
    }
    if (!this.closed) this.renderLicences();
  }

  private renderLicences(): void {
    const notices = this.notices;
    if (!notices) return;
    const list = h("ul", { class: "licence-list", "data-testid": "licence-list" });
    const text = h("div", { class: "licence-text", "data-testid": "licence-text" }, h("p", { class: "muted" }, m.choosePackage));
    const show = (p: PackageNotice): void => {
      const texts = p.textIds.map((id) => notices.texts.find((t) => t.id === id)).filter((t) => t !== undefined);
      text.replaceChildren(
        h("h4", null, `${p.name} ${p.version}`),
        h("p", { class: "muted" }, m.licence(p.license), p.repository ? ` · ${p.repository}` : ""),
        ...(texts.length > 0
          ? texts.map((t) => h("details", { open: texts.length === 1 }, h("summary", null, t.fileName), h("pre", { class: "pre" }, t.text)))
          : [h("p", null, m.noLicenceFile(p.license))]),
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
      if (shown.length === 0) list.append(h("li", { class: "muted" }, m.noPackageMatches));
    };
    const filter = h("input", {
      type: "search",
      class: "licence-filter",
      "data-testid": "licence-filter",
      placeholder: m.filterPlaceholder,
      "aria-label": m.filterLabel,
      oninput: (e: Event) => render((e.target as HTMLInputElement).value),
    });
    render("");
    this.licences.replaceChildren(
      h("h3", null, m.licencesTitle),
      h("p", { class: "muted", "data-testid": "licence-summary" }, m.inside(packageSummary(notices.packages))),
      filter,
      h("div", { class: "licence-columns" }, list, text),
    );
    filter.focus();
  }
}

function fact(label: string, value: Node | string, testid?: string): HTMLElement[] {
  return [h("dt", null, label), h("dd", testid ? { "data-testid": testid } : null, value)];
}
