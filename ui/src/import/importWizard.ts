// "Create new Profile → Upload file / Paste data" (SPEC 4.1, 4.2): Source →
// Mapping → Consent → Check → Confirm. Several files are taken one after
// another: after Confirm the next accepted file comes up on the Mapping step.
import { debounce, h, replace, type Child } from "../shell/dom";
import { Latest } from "../shell/latest";
import { Wizard } from "../shell/wizard";
import { formatCount } from "../shell/format";
import { common } from "../i18n/common";
import {
  checkImportMapping,
  confirmImport,
  dryRunImport,
  importRefusal,
  inspectImportFile,
  inspectPaste,
  pickImportFiles,
  readClipboard,
  saveImportTemplate,
  splitImportFile,
  type ConsentChannel,
  type DryRun,
  type FieldDef,
  type ImportPreview,
  type ImportSettings,
  type ImportSourceArg,
  type JobSummary,
  type MappingProblem,
  type SharedKey,
  type SourceColumn,
} from "../ipc";
import {
  blockingProblems,
  columnTitle,
  headerNamer,
  countLabels,
  exampleRowsText,
  generalProblems,
  gridFromSuggestion,
  guardLabels,
  mappableFields,
  mappingWarnings,
  problemsFor,
  settingsFromGrid,
  sharedKeyLine,
  statusFor,
  type ConsentChoice,
  type GridState,
} from "./importLogic";
import { errorMessage, showError, showToast } from "../shell/toast";
import { m } from "./messages";
import { failureText, refusalDetail } from "./refusals";
import { FixesState, rowsToCheckSection } from "./rowsToCheck";
import { fieldErrorText } from "../shell/fieldErrors";
import { mappingProblemText } from "../shell/mappingProblems";
import { lang } from "../i18n/lang";
import "./uploadStep.css";

/** Which way in the menu item chose: the upload step offers both, and focuses this one. */
export type ImportMode = "file" | "paste";

export interface ImportWizardOptions {
  mode: ImportMode;
  fields: readonly FieldDef[];
  channels: readonly ConsentChannel[];
  /** A file or paste was queued (the shell shows it in the jobs panel). */
  onQueued(job: JobSummary): void;
  onClosed?(): void;
  returnFocus?: HTMLElement;
  /** Delay before a changed target is re-checked (tests pass 0). */
  checkDelayMs?: number;
}

type FileState = "checking" | "ready" | "refused" | "split" | "queued";

interface FileEntry {
  path: string;
  name: string;
  state: FileState;
  preview: ImportPreview | null;
  message: string;
  /** Under a refusal's sentence: the system's own text (a parser's, the disk's), or null. */
  detail: string | null;
  sheets: string[];
}

type Step = 1 | 2 | 3 | 4;
function stepNames(): string[] {
  return [m.stepSource, m.stepMapping, m.stepConsent, m.stepCheck];
}

function consentChoices(): Array<[ConsentChoice, string]> {
  return [
    ["unchanged", m.consentUnchanged],
    ["granted", m.consentGranted],
    ["denied", m.consentDenied],
  ];
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export class ImportWizard {
  readonly element: HTMLElement;
  private readonly wizard: Wizard;
  private readonly panes: HTMLElement[];
  private readonly buttons: Record<"cancel" | "back" | "cont" | "confirm", HTMLButtonElement>;
  private step: Step = 1;
  private busy = false;
  private closed = false;

  // Source
  private readonly files: FileEntry[] = [];
  private readonly fileList = h("ul", { class: "import-files", "data-testid": "import-files" });
  private readonly pasteText: HTMLTextAreaElement;
  private readonly pasteSummary = h("p", { class: "import-paste-summary", "data-testid": "import-paste-summary", role: "status" });
  private readonly pasteError = h("p", { class: "field-error", "data-testid": "import-paste-error", role: "alert" });
  private pastePreview: ImportPreview | null = null;
  /** Said under the pasted text when its first row looked like column names. */
  private readonly pasteHeader = h("div", { class: "import-paste-header", "data-testid": "import-paste-header", hidden: true });
  /** The user said the first row, which looked like column names, is a customer. */
  private firstRowIsData = false;
  private readonly pasteSeq = new Latest();
  /** The pasted data was confirmed (it comes after the files that were ready before it). */
  private pasteQueued = false;

  /** The mapping, consent and check steps are for the pasted data (else for `current`). */
  private onPaste = false;

  // Mapping for the current file (or the paste)
  private current: FileEntry | null = null;
  private grid: GridState | null = null;
  private problems: MappingProblem[] = [];
  private readonly checkSeq = new Latest();
  private readonly runCheck: ReturnType<typeof debounce<[]>>;
  private readonly mappingHead = h("div", { class: "import-file-head", "data-testid": "import-current-file" });
  private readonly mappingProblems = h("div", { class: "mapping-problems", "data-testid": "mapping-problems", "aria-live": "polite" });
  private readonly gridBody = h("tbody");
  private readonly fillEmpty: HTMLInputElement;

  // Consent
  private readonly consent = new Map<string, ConsentChoice>();

  // Check
  private readonly checkBody = h("div", { class: "import-check", "data-testid": "import-check" });
  private dryRun: DryRun | null = null;
  private readonly dryRunSeq = new Latest();
  /** Shared values (normalised) the user chose to match on anyway, for the current file. */
  private readonly useShared = new Set<string>();
  /** Cells corrected and rows left out on the Check step, for this source only. */
  private readonly fixes = new FixesState();

  constructor(private readonly opts: ImportWizardOptions) {
    this.runCheck = debounce(() => void this.checkMapping(), opts.checkDelayMs ?? 300);
    for (const c of opts.channels) this.consent.set(c.key, "unchanged");

    this.pasteText = h("textarea", {
      "data-testid": "import-paste-text",
      class: "import-paste-text",
      rows: 6,
      spellcheck: "false",
      "aria-label": m.pastedData,
      placeholder: m.pastePlaceholder,
    });
    const reinspect = debounce(() => void this.inspectPasted(), 500);
    this.pasteText.addEventListener("input", () => {
      this.pastePreview = null;
      this.firstRowIsData = false;
      this.showPasteHeader(null);
      this.pasteSeq.invalidate();
      this.pasteError.textContent = "";
      this.pasteSummary.textContent = "";
      this.updateButtons();
      reinspect();
    });

    this.fillEmpty = h("input", {
      type: "checkbox",
      "data-testid": "import-fill-empty",
      onchange: () => {
        if (this.grid) this.grid.fillEmptyOnly = this.fillEmpty.checked;
      },
    });

    this.panes = [this.sourcePane(), this.mappingPane(), this.consentPane(), this.checkPane()];
    this.wizard = new Wizard({
      title: opts.mode === "file" ? m.uploadFileTitle : m.pasteDataTitle,
      titleId: "import-title",
      testid: "import-wizard",
      className: "modal-wide",
      steps: stepNames(),
      stepperTestid: "import-stepper",
      closeTestid: "import-close",
      body: this.panes,
      buttons: {
        cancel: { label: common.cancel, testid: "import-cancel", onClick: () => this.close() },
        back: { label: common.back, testid: "import-back", onClick: () => this.back() },
        cont: { label: m.continue, testid: "import-continue", onClick: () => void this.continue() },
        finish: { label: m.confirmImport, testid: "import-confirm", onClick: () => void this.confirm() },
      },
      onCancel: () => this.close(),
      returnFocus: opts.returnFocus ?? document.activeElement,
    });
    this.element = this.wizard.element;
    const b = this.wizard.buttons;
    this.buttons = { cancel: b.cancel, back: b.back, cont: b.cont, confirm: b.finish };
    this.goTo(1);
  }

  open(parent: HTMLElement): void {
    this.wizard.modal.open(parent, null);
    const first = this.opts.mode === "file" ? this.panes[0]?.querySelector<HTMLElement>('[data-testid="import-choose-files"]') : this.pasteText;
    first?.focus();
  }

  /** Files dropped on the window join the list and are checked one after another (whichever
   * menu item opened the wizard: its first step takes files and pasted data). False once closed. */
  addDroppedFiles(paths: readonly string[]): boolean {
    if (this.closed) return false;
    void this.addFiles(paths);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.runCheck.cancel();
    this.wizard.modal.setBusy(false);
    this.wizard.modal.close();
    this.opts.onClosed?.();
  }

  // ---- source ---------------------------------------------------------------

  /** Seed 4.2 step 3: .xlsx files chosen or dropped, or data pasted instead, on one step. */
  private sourcePane(): HTMLElement {
    return h(
      "div",
      { class: "wizard-step import-source", "data-step": "1" },
      h(
        "section",
        { class: "import-source-part import-drop-zone", "data-testid": "import-file-source", "aria-labelledby": "import-file-source-title" },
        h("h3", { class: "sub-title", id: "import-file-source-title" }, m.uploadFilesHeading),
        h(
          "p",
          { class: "form-hint" },
          m.fileHint,
        ),
        h(
          "div",
          null,
          h(
            "button",
            { type: "button", class: "button button-secondary", "data-testid": "import-choose-files", onclick: () => void this.chooseFiles() },
            m.chooseFiles,
          ),
        ),
        this.templateLine(),
        this.fileList,
      ),
      // The same paste area, header-row check and summary the "Paste data" shortcut focuses.
      h(
        "section",
        { class: "import-source-part import-paste-source", "data-testid": "import-paste-source", "aria-labelledby": "import-paste-source-title" },
        h("h3", { class: "sub-title", id: "import-paste-source-title" }, m.pasteInsteadHeading),
        h(
          "p",
          { class: "form-hint" },
          m.pasteHint,
        ),
        this.pasteText,
        h(
          "div",
          { class: "import-paste-actions" },
          h(
            "button",
            { type: "button", class: "button button-secondary", "data-testid": "import-read-clipboard", onclick: () => void this.readClipboard() },
            m.readClipboard,
          ),
          this.pasteSummary,
        ),
        this.pasteHeader,
        this.pasteError,
      ),
    );
  }

  /** The import template, recommended beside the file chooser: saved in the UI's language. */
  private templateLine(): HTMLElement {
    return h(
      "p",
      { class: "form-hint", "data-testid": "import-template" },
      m.templateRecommended,
      h(
        "button",
        { type: "button", class: "button button-secondary button-small", "data-testid": "import-download-template", onclick: () => void this.downloadTemplate() },
        m.downloadTemplate,
      ),
    );
  }

  private async downloadTemplate(): Promise<void> {
    try {
      const path = await saveImportTemplate(lang());
      if (path) showToast(m.templateSaved(path));
    } catch (err) {
      showError(err);
    }
  }

  private async chooseFiles(): Promise<void> {
    let paths: string[];
    try {
      paths = await pickImportFiles();
    } catch (err) {
      showError(err);
      return;
    }
    await this.addFiles(paths);
  }

  private async addFiles(paths: readonly string[]): Promise<void> {
    const fresh = paths
      .filter((p) => !this.files.some((f) => f.path === p))
      .map<FileEntry>((path) => ({ path, name: baseName(path), state: "checking", preview: null, message: m.fileChecking, detail: null, sheets: [] }));
    this.files.push(...fresh);
    this.renderFiles();
    // One after another: the core reads each file in full to enforce the rules.
    for (const entry of fresh) {
      try {
        const preview = await inspectImportFile(entry.path);
        entry.preview = preview;
        entry.name = preview.fileName || entry.name;
        entry.state = "ready";
        entry.message = m.fileReady;
      } catch (err) {
        const refusal = importRefusal(err);
        const said = failureText(err);
        entry.state = "refused";
        entry.message = said.sentence;
        entry.detail = said.detail;
        entry.sheets = refusal?.refusal === "severalSheets" ? refusal.sheets : [];
      }
      if (this.closed) return;
      this.renderFiles();
    }
  }

  private async split(entry: FileEntry): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    let paths: string[];
    try {
      paths = await splitImportFile(entry.path);
    } catch (err) {
      showError(err);
      return;
    } finally {
      this.setBusy(false);
    }
    entry.state = "split";
    entry.message = m.fileSplit(paths.length);
    await this.addFiles(paths);
  }

  private renderFiles(): void {
    this.fileList.replaceChildren(
      ...this.files.map((f, i) =>
        h(
          "li",
          { class: `import-file import-file-${f.state}`, "data-testid": `import-file-${i}`, "data-state": f.state },
          h("span", { class: "import-file-name" }, f.name),
          h("span", { class: "import-file-rows" }, f.preview ? m.rows(f.preview.totalRows) : ""),
          h(
            "span",
            { class: "import-file-status", "data-testid": `import-file-status-${i}` },
            f.message,
            f.state === "refused" ? refusalDetail(f.detail, `import-file-detail-${i}`) : null,
          ),
          f.state === "refused" && f.sheets.length > 1
            ? h(
                "button",
                {
                  type: "button",
                  class: "button button-secondary button-small",
                  "data-testid": `import-split-${i}`,
                  onclick: () => void this.split(f),
                },
                m.splitPerSheet,
              )
            : null,
        ),
      ),
    );
    if (this.files.length === 0) this.fileList.replaceChildren();
    this.updateButtons();
  }

  private async readClipboard(): Promise<void> {
    try {
      this.pasteText.value = await readClipboard();
    } catch (err) {
      this.pasteError.textContent = errorMessage(err);
      return;
    }
    this.pastePreview = null;
    this.firstRowIsData = false;
    await this.inspectPasted();
  }

  /** What the first row is, said under the pasted text, with the way to say otherwise. */
  private showPasteHeader(preview: ImportPreview | null): void {
    const toggle = (label: string, testid: string, firstRowIsData: boolean): HTMLElement =>
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary button-small",
          "data-testid": testid,
          onclick: () => {
            this.firstRowIsData = firstRowIsData;
            this.pastePreview = null;
            void this.inspectPasted();
          },
        },
        label,
      );
    if (preview?.headerRow) {
      const names = preview.headerRow
        .map((n) => n.trim())
        .filter((n) => n !== "")
        .slice(0, 4)
        .map((n) => `“${n}”`)
        .join(", ");
      replace(
        this.pasteHeader,
        h("p", null, m.headerRowFound(names)),
        toggle(m.headerRowKeep, "import-paste-header-keep", true),
      );
      this.pasteHeader.hidden = false;
    } else if (preview && this.firstRowIsData) {
      replace(
        this.pasteHeader,
        h("p", null, m.headerRowKept),
        toggle(m.headerRowDrop, "import-paste-header-drop", false),
      );
      this.pasteHeader.hidden = false;
    } else {
      this.pasteHeader.replaceChildren();
      this.pasteHeader.hidden = true;
    }
  }

  /** Reads the pasted text through the core; shows the row count or the refusal inline. */
  private async inspectPasted(): Promise<ImportPreview | null> {
    const text = this.pasteText.value;
    const isLatest = this.pasteSeq.begin();
    this.pasteError.textContent = "";
    if (!text.trim()) {
      this.pasteSummary.textContent = "";
      this.pastePreview = null;
      this.showPasteHeader(null);
      this.updateButtons();
      return null;
    }
    this.pasteSummary.textContent = m.reading;
    try {
      const preview = await inspectPaste(text, this.firstRowIsData);
      if (!isLatest()) return null;
      this.pastePreview = preview;
      this.pasteSummary.textContent = m.pasteSummary(preview.totalRows, preview.columns.length);
      this.showPasteHeader(preview);
      this.updateButtons();
      return preview;
    } catch (err) {
      if (!isLatest()) return null;
      this.pastePreview = null;
      this.showPasteHeader(null);
      this.pasteSummary.textContent = "";
      this.pasteError.textContent = errorMessage(err);
      this.updateButtons();
      return null;
    }
  }

  private nextReadyFile(): FileEntry | null {
    return this.files.find((f) => f.state === "ready") ?? null;
  }

  /** Pasted text that is still to be mapped and confirmed (not refused, not queued yet). */
  private pasteWaiting(): boolean {
    return !this.pasteQueued && this.pasteText.value.trim() !== "" && !this.pasteError.textContent;
  }

  /**
   * What the mapping step takes next: the ready files in the order they were given, then the
   * pasted data, so nothing given on the upload step is left out.
   */
  private nextSource(): FileEntry | "paste" | null {
    return this.nextReadyFile() ?? (this.pasteWaiting() ? "paste" : null);
  }

  /** The pasted data's preview (read again if the text changed since). */
  private async pastedPreview(): Promise<ImportPreview | null> {
    if (this.pastePreview) return this.pastePreview;
    this.setBusy(true);
    const preview = await this.inspectPasted();
    this.setBusy(false);
    return preview;
  }

  // ---- mapping --------------------------------------------------------------

  private mappingPane(): HTMLElement {
    return h(
      "div",
      { class: "wizard-step", "data-step": "2", hidden: true },
      this.mappingHead,
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "mapping-grid", "data-testid": "mapping-grid" },
          h(
            "thead",
            null,
            h("tr", null, h("th", null, m.headColumn), h("th", null, m.headSamples), h("th", null, m.headImportInto), h("th", null, m.headStatus)),
          ),
          this.gridBody,
        ),
      ),
      h("label", { class: "check" }, this.fillEmpty, m.fillEmptyOnly),
      this.mappingProblems,
    );
  }

  private startMapping(preview: ImportPreview, entry: FileEntry | null): void {
    this.current = entry;
    this.onPaste = entry === null;
    this.grid = gridFromSuggestion(preview.columns, preview.mapping, preview.headerRow !== null);
    this.problems = preview.problems;
    this.dryRun = null;
    this.useShared.clear();
    this.fixes.clear();
    this.fillEmpty.checked = false;
    // Where this source is in the line of what was given: the files, then the paste.
    const done = this.files.filter((f) => f.state === "queued").length + (this.pasteQueued ? 1 : 0);
    const pendingFiles = this.files.filter((f) => f.state === "ready").length;
    const position = done + 1;
    const total = done + pendingFiles + (this.pasteWaiting() ? 1 : 0);
    const pasteInLine = this.pasteQueued || this.pasteWaiting();
    replace(
      this.mappingHead,
      h("strong", null, entry ? preview.fileName || entry.name : m.pastedData),
      h("span", { class: "muted" }, ` · ${m.rows(preview.totalRows)}`),
      total > 1 ? h("span", { class: "badge", "data-testid": "import-position" }, pasteInLine ? m.sourceOf(position, total) : m.fileOf(position, total)) : null,
    );
    this.renderGrid();
    this.renderProblems();
  }

  private renderGrid(): void {
    const grid = this.grid;
    if (!grid) return;
    const targets = mappableFields(this.opts.fields);
    this.gridBody.replaceChildren(
      ...grid.columns.map((c) => {
        const select = h(
          "select",
          { "data-testid": `mapping-target-${c.index}`, "aria-label": m.importColumnInto(columnTitle(c)) },
          h("option", { value: "" }, m.doNotImport),
          targets.map((f) => h("option", { value: f.key }, f.label)),
        );
        select.value = grid.targets.get(c.index) ?? "";
        const chip = h("span", { class: "map-status", "data-testid": `mapping-status-${c.index}` });
        const setChip = (): void => {
          const s = statusFor(grid, c.index);
          chip.textContent = s.label;
          chip.dataset.kind = s.kind;
        };
        setChip();
        select.addEventListener("change", () => {
          grid.targets.set(c.index, select.value === "" ? null : select.value);
          setChip();
          this.dryRun = null;
          this.runCheck();
        });
        return h(
          "tr",
          { "data-testid": `mapping-row-${c.index}` },
          h("th", { scope: "row", class: "map-header" }, columnTitle(c)),
          // The chips wrap inside a div: a flex <td> would stop being a table cell.
          h(
            "td",
            null,
            h(
              "div",
              { class: "map-samples" },
              c.samples.slice(0, 3).map((s) => h("span", { class: "sample" }, s)),
              c.samples.length === 0 ? h("span", { class: "muted" }, m.emptySamples) : null,
            ),
          ),
          h("td", { class: "map-target" }, select, h("div", { class: "map-problems", "data-testid": `mapping-row-problems-${c.index}` })),
          h("td", null, chip),
        );
      }),
    );
  }

  /** How a problem's sentence names a column: as the grid does. */
  private headerNamed(): (header: string) => string {
    return headerNamer(this.grid?.columns ?? []);
  }

  private renderProblems(): void {
    const named = this.headerNamed();
    const blocking = blockingProblems(this.problems);
    const warnings = mappingWarnings(this.problems);
    for (const row of this.gridBody.querySelectorAll<HTMLElement>("[data-testid^='mapping-row-problems-']")) {
      const column = Number(row.dataset.testid?.slice("mapping-row-problems-".length));
      const mine = problemsFor(this.problems, column);
      row.replaceChildren(
        ...mine.map((p) => h("p", { class: p.warning ? "field-warning" : "field-error", "data-code": p.code }, mappingProblemText(p, named))),
      );
      const tr = row.closest("tr");
      tr?.classList.toggle("has-problem", mine.some((p) => !p.warning));
      tr?.classList.toggle("has-warning", mine.length > 0 && mine.every((p) => p.warning));
    }
    // General problems first, then the columns' in grid order.
    const ordered = (list: MappingProblem[]): MappingProblem[] => [...generalProblems(list), ...list.filter((p) => p.column !== null)];
    replace(
      this.mappingProblems,
      blocking.length === 0
        ? h("p", { class: "import-ok" }, warnings.length === 0 ? m.mappingOk : m.mappingOkWithWarnings)
        : h(
            "div",
            { class: "import-problems-box", "data-testid": "mapping-blocking" },
            h("p", { class: "import-problems-title" }, m.problemsToFix(blocking.length)),
            h("ul", null, ordered(blocking).map((p) => h("li", { "data-code": p.code }, mappingProblemText(p, named)))),
          ),
      warnings.length === 0
        ? null
        : h(
            "div",
            { class: "import-warnings-box", "data-testid": "mapping-warnings" },
            h(
              "p",
              { class: "import-problems-title" },
              m.warningsGoOn(warnings.length),
            ),
            h("ul", null, ordered(warnings).map((p) => h("li", { "data-code": p.code }, mappingProblemText(p, named)))),
          ),
    );
    this.updateButtons();
  }

  /** Re-checks the mapping conditions through the core; a later check wins over an earlier one. */
  private async checkMapping(): Promise<void> {
    const grid = this.grid;
    if (!grid) return;
    const isLatest = this.checkSeq.begin();
    try {
      const settings = settingsFromGrid(grid, this.consent);
      const problems = await checkImportMapping(settings.columns, settings.mapping);
      if (!isLatest() || grid !== this.grid) return;
      this.problems = problems;
      this.renderProblems();
    } catch (err) {
      if (isLatest()) showError(err);
    }
  }

  // ---- consent --------------------------------------------------------------

  private consentPane(): HTMLElement {
    return h(
      "div",
      { class: "wizard-step", "data-step": "3", hidden: true },
      h(
        "p",
        { class: "form-hint" },
        m.consentHint,
      ),
      h(
        "div",
        { class: "consent-grid", role: "group", "aria-label": m.consentPerChannel },
        this.opts.channels.map((c) => {
          const select = h(
            "select",
            { "data-testid": `import-consent-${c.key}`, "aria-label": m.channelConsent(c.label), class: "consent-select" },
            consentChoices().map(([value, label]) => h("option", { value }, label)),
          );
          select.value = "unchanged";
          select.addEventListener("change", () => {
            this.consent.set(c.key, select.value as ConsentChoice);
            select.dataset.status = select.value;
          });
          return h("label", { class: "consent-row" }, h("span", { class: "consent-channel" }, c.label), select);
        }),
      ),
      this.opts.channels.length === 0 ? h("p", { class: "muted" }, m.noConsentChannels) : null,
    );
  }

  // ---- check ----------------------------------------------------------------

  private checkPane(): HTMLElement {
    return h("div", { class: "wizard-step", "data-step": "4", hidden: true }, this.checkBody);
  }

  private source(): ImportSourceArg | null {
    if (this.onPaste) return { kind: "paste", text: this.pasteText.value };
    const path = this.current?.preview?.path ?? this.current?.path;
    return path ? { kind: "file", path } : null;
  }

  /** What the dry run and Confirm send: the grid, the consent, the shared values to use anyway
   * and the fixes made on the Check step. */
  private settings(): ImportSettings | null {
    if (!this.grid) return null;
    const settings = settingsFromGrid(this.grid, this.consent, this.useShared);
    const fixes = this.fixes.toSettings();
    return fixes ? { ...settings, fixes } : settings;
  }

  /** Fresh mapping check, then (when nothing blocks) the dry run. */
  private async runChecks(): Promise<void> {
    this.runCheck.cancel();
    const isLatest = this.dryRunSeq.begin();
    this.dryRun = null;
    this.checkBody.replaceChildren(h("p", { class: "muted", role: "status" }, m.checkingMapping));
    this.updateButtons();
    await this.checkMapping();
    if (!isLatest() || this.step !== 4) return;
    const blocking = blockingProblems(this.problems);
    if (blocking.length > 0) {
      const named = this.headerNamed();
      this.checkBody.replaceChildren(
        h(
          "div",
          { class: "import-problems-box", "data-testid": "import-blocking", role: "alert" },
          h("p", { class: "import-problems-title" }, m.confirmBlocked),
          h("ul", null, blocking.map((p) => h("li", { "data-code": p.code }, mappingProblemText(p, named)))),
          h("p", { class: "muted" }, m.goBackToFix),
        ),
      );
      this.updateButtons();
      return;
    }
    this.checkBody.replaceChildren(h("p", { class: "muted", role: "status" }, m.runningDryRun));
    await this.runDryRun(isLatest);
  }

  /**
   * Runs the dry run with the current settings and shows it. `refocus`: the shared value whose
   * toggle asked for the re-run, or `fix` — the control of the fix that asked for it (the counts
   * stay up meanwhile, and the control keeps the focus, or the next row to check takes it when
   * the fix sent its row off the list).
   */
  private async runDryRun(isLatest: () => boolean, refocus: string | null = null, fix?: string | null): Promise<void> {
    const source = this.source();
    const settings = this.settings();
    if (!source || !settings) return;
    // Confirm waits for the dry run of exactly these settings.
    this.dryRun = null;
    this.updateButtons();
    const status = this.checkBody.querySelector<HTMLElement>('[data-testid="dry-run-status"]');
    if ((refocus !== null || fix !== undefined) && status) {
      status.textContent = m.updatingDryRun;
      this.checkBody.dataset.state = "updating";
    }
    try {
      const result = await dryRunImport(source, settings);
      if (!isLatest() || this.step !== 4) return;
      this.dryRun = result;
      this.renderDryRun(result);
      if (refocus !== null) {
        const i = result.sharedKeys.findIndex((k) => k.normalized === refocus);
        this.checkBody.querySelector<HTMLElement>(`[data-testid="shared-key-use-${i}"]`)?.focus();
      }
      if (fix !== undefined) this.focusAfterFix(fix);
    } catch (err) {
      if (!isLatest()) return;
      // The file may have changed since it was checked: a refusal is said as at upload.
      const said = failureText(err);
      this.checkBody.replaceChildren(
        h(
          "p",
          { class: "field-error", role: "alert", "data-testid": "dry-run-error" },
          m.dryRunFailed(said.sentence),
          refusalDetail(said.detail, "dry-run-error-detail"),
        ),
      );
    }
    this.updateButtons();
  }

  /** "Use it for matching anyway": the choice goes into the settings and the dry run runs again. */
  private toggleShared(shared: SharedKey, use: boolean): void {
    if (use) this.useShared.add(shared.normalized);
    else this.useShared.delete(shared.normalized);
    void this.runDryRun(this.dryRunSeq.begin(), shared.normalized);
  }

  /** A fix was made: the dry run runs again with it. */
  private fixChanged(focus: string | null): void {
    void this.runDryRun(this.dryRunSeq.begin(), null, focus);
  }

  /** After a re-run for a fix: its control, else the next cell to fix, else the dry run's status. */
  private focusAfterFix(testid: string | null): void {
    const find = (selector: string) => this.checkBody.querySelector<HTMLElement>(selector);
    const target =
      (testid ? find(`[data-testid="${testid}"]`) : null) ?? find(".fix-cell.is-invalid") ?? find('[data-testid="dry-run-status"]');
    target?.focus();
  }

  /** The source columns a field is mapped to: the cells the Check step lets the user correct. */
  private mappedColumns(): SourceColumn[] {
    const settings = this.settings();
    if (!settings) return [];
    const mapped = new Set(settings.mapping.filter((c) => c.target).map((c) => c.column));
    return settings.columns.filter((c) => mapped.has(c.index));
  }

  /** The source columns mapped to a date field. */
  private dateColumns(): Set<number> {
    const dates = new Set(this.opts.fields.filter((f) => f.kind === "date").map((f) => f.key));
    return new Set(this.settings()?.mapping.filter((c) => c.target !== null && dates.has(c.target)).map((c) => c.column) ?? []);
  }

  private renderDryRun(result: DryRun): void {
    const c = result.counts;
    const testids: Record<string, string> = {
      created: "dry-run-created",
      updated: "dry-run-updated",
      duplicates: "dry-run-duplicates",
      reviews: "dry-run-reviews",
      failed: "dry-run-failed",
    };
    // The rows that would fail or go to review, to correct or leave out before Confirm.
    const toCheck = rowsToCheckSection({
      result,
      columns: this.mappedColumns(),
      dateColumns: this.dateColumns(),
      fixes: this.fixes,
      onChange: (focus) => this.fixChanged(focus),
      problemText: (p) => fieldErrorText(p.error),
    });
    delete this.checkBody.dataset.state;
    replace(
      this.checkBody,
      h("p", { "data-testid": "dry-run-status", role: "status", tabindex: "-1" }, m.dryRunOf(c.rows)),
      c.fixed + c.excluded > 0 ? h("p", { class: "dry-run-fixes", "data-testid": "dry-run-fixes" }, m.dryRunFixes(c.fixed, c.excluded)) : null,
      h(
        "dl",
        { class: "import-counts", "data-testid": "dry-run-counts" },
        countLabels().map(([key, label]) =>
          h(
            "div",
            { class: `import-count import-count-${key}` },
            h("dt", null, label),
            h("dd", { "data-testid": testids[key] }, formatCount(c[key])),
          ),
        ),
      ),
      // The synchronization rule's guards, always all four (0 when a guard did not act), so
      // the numbers stay in place when a shared value is toggled.
      h(
        "dl",
        { class: "import-counts import-guard-counts", "data-testid": "dry-run-guard-counts", "aria-label": m.guardsLabel },
        guardLabels().map(([key, label, testid]) =>
          h(
            "div",
            { class: `import-count import-count-guard${c[key] > 0 ? " is-active" : ""}` },
            h("dt", null, label),
            h("dd", { "data-testid": testid }, formatCount(c[key])),
          ),
        ),
      ),
      h(
        "p",
        { class: "form-hint", "data-testid": "dry-run-explain" },
        m.dryRunExplain,
      ),
      this.sharedKeysSection(result.sharedKeys),
      toCheck,
    );
  }

  /** The values the file shares among many people, each with its "use anyway" toggle. */
  private sharedKeysSection(keys: readonly SharedKey[]): Child {
    if (keys.length === 0) return null;
    return h(
      "section",
      { class: "shared-keys", "data-testid": "dry-run-shared-keys", "aria-labelledby": "shared-keys-title" },
      h("h3", { class: "sub-title", id: "shared-keys-title" }, m.sharedValuesTitle(keys.length)),
      h(
        "p",
        { class: "form-hint" },
        m.sharedValuesHint,
      ),
      h(
        "ul",
        { class: "shared-key-list" },
        keys.map((k, i) => {
          const used = this.useShared.has(k.normalized);
          const toggle = h("input", {
            type: "checkbox",
            "data-testid": `shared-key-use-${i}`,
            checked: used,
            onchange: (e: Event) => this.toggleShared(k, (e.currentTarget as HTMLInputElement).checked),
          });
          return h(
            "li",
            { class: "shared-key", "data-testid": `shared-key-${i}`, "data-used": k.usedAnyway ? "true" : "false" },
            h(
              "div",
              { class: "shared-key-text" },
              h("p", { class: "shared-key-line" }, sharedKeyLine(k)),
              h("p", { class: "shared-key-rows muted" }, exampleRowsText(k)),
            ),
            h("label", { class: "check shared-key-use" }, toggle, m.useAnyway),
          );
        }),
      ),
    );
  }

  private async confirm(): Promise<void> {
    if (this.busy || this.step !== 4 || !this.dryRun || blockingProblems(this.problems).length > 0) return;
    const source = this.source();
    const settings = this.settings();
    if (!source || !settings) return;
    this.setBusy(true);
    let job: JobSummary;
    try {
      job = await confirmImport(source, settings);
    } catch (err) {
      this.setBusy(false);
      showError(err);
      return;
    }
    this.setBusy(false);
    this.opts.onQueued(job);
    const queuedName = job.fileName || (this.onPaste ? m.pastedData : this.current?.name) || m.theFile;
    if (this.onPaste) {
      this.pasteQueued = true;
    } else if (this.current) {
      this.current.state = "queued";
      this.current.message = m.fileQueued;
    }
    this.renderFiles();
    const next = this.nextSource();
    const preview = next === "paste" ? await this.pastedPreview() : next?.preview;
    if (next && preview && !this.closed) {
      showToast(m.queuedNext(queuedName, next === "paste" ? m.pastedData : next.name), "info");
      this.startMapping(preview, next === "paste" ? null : next);
      this.goTo(2);
    } else {
      this.close();
    }
  }

  // ---- navigation -----------------------------------------------------------

  private async continue(): Promise<void> {
    if (this.busy) return;
    if (this.step === 1) {
      const next = this.nextSource();
      if (next === null) return;
      if (next !== "paste") {
        if (!next.preview) return;
        // Back → Continue on the same file keeps the choices made in the grid.
        if (this.current !== next || !this.grid) this.startMapping(next.preview, next);
        this.goTo(2);
      } else {
        const preview = await this.pastedPreview();
        if (!preview || this.step !== 1) return;
        // Keep the grid when the same paste comes back from Back → Continue.
        if (!this.grid || !this.onPaste || this.grid.columns !== preview.columns) this.startMapping(preview, null);
        this.goTo(2);
      }
    } else if (this.step === 2) {
      this.goTo(3);
    } else if (this.step === 3) {
      this.goTo(4);
    }
  }

  private back(): void {
    if (this.busy || this.step === 1) return;
    this.goTo((this.step - 1) as Step);
  }

  private goTo(step: Step): void {
    this.step = step;
    this.panes.forEach((p, i) => (p.hidden = i + 1 !== step));
    this.wizard.setStep(step);
    this.updateButtons();
    if (step === 4) void this.runChecks();
    if (step === 2) this.gridBody.querySelector("select")?.focus();
    if (step === 3) this.panes[2]?.querySelector("select")?.focus();
  }

  private updateButtons(): void {
    const b = this.buttons;
    // Back to Source is only offered before the first file (or the paste) was queued.
    const anyQueued = this.pasteQueued || this.files.some((f) => f.state === "queued");
    b.back.hidden = this.step === 1 || (this.step === 2 && anyQueued);
    b.cont.hidden = this.step === 4;
    b.confirm.hidden = this.step !== 4;
    const canLeaveSource = this.nextSource() !== null;
    b.cont.disabled = this.busy || (this.step === 1 && !canLeaveSource);
    // Warnings (some sampled values do not fit) never block: only real problems do.
    const blocked = blockingProblems(this.problems).length > 0;
    b.confirm.disabled = this.busy || blocked || this.dryRun === null;
    b.confirm.title = blocked ? m.fixMappingFirst : this.dryRun === null ? m.waitingForDryRun : "";
    b.back.disabled = this.busy;
    b.cancel.disabled = this.busy;
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.wizard.modal.setBusy(busy);
    this.updateButtons();
  }
}

