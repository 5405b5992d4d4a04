// Row selection of the profile list. Selected rows are kept by profile id,
// not by position, because positions shift as profiles are created while
// ids stay put. Positions are only used for shift-click ranges. Each id keeps
// the name its row showed when it was selected, so the delete dialog can name
// the profiles it deletes without asking the core for them again.

export type PageState = "none" | "some" | "all";

/**
 * The most profiles one bulk action takes (the core refuses a delete of more): the list
 * offers to select a whole filtered list only up to this many.
 */
export const BULK_LIMIT = 100;

export class Selection {
  /** Selected ids, in the order they were selected, with their row's name ("" if unknown). */
  private readonly ids = new Map<number, string>();
  /** List position of the last plain click: the fixed end of a shift-range. */
  private anchor: number | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  values(): number[] {
    return [...this.ids.keys()];
  }

  /** The selected rows' names, in the order of `values()` ("" where the name was not known). */
  labels(): string[] {
    return [...this.ids.values()];
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }

  /** Positions change meaning when the list is re-queried. */
  resetAnchor(): void {
    this.anchor = null;
  }

  /**
   * The positions a click at `index` will affect, inclusive: just the row,
   * or from the anchor to the row when shift is held and an anchor exists.
   */
  rangeFor(index: number, shift: boolean): { from: number; to: number } {
    if (!shift || this.anchor === null) return { from: index, to: index };
    return { from: Math.min(this.anchor, index), to: Math.max(this.anchor, index) };
  }

  /**
   * A click on the checkbox of the row at `index`. The clicked row toggles;
   * with shift every row of the range takes the clicked row's new state
   * (as in mail clients). `idAt` must know every position in the range;
   * unknown positions are skipped. `labelAt`: the row's name at a position.
   */
  click(
    index: number,
    shift: boolean,
    idAt: (index: number) => number | undefined,
    labelAt: (index: number) => string | undefined = () => undefined,
  ): void {
    const clickedId = idAt(index);
    if (clickedId === undefined) return;
    const selecting = !this.ids.has(clickedId);
    const { from, to } = this.rangeFor(index, shift);
    for (let i = from; i <= to; i++) {
      const id = idAt(i);
      if (id === undefined) continue;
      this.set(id, selecting, labelAt(i));
    }
    this.anchor = index;
  }

  /** Selects or unselects one id; a name given is kept (an unknown one keeps what was known). */
  set(id: number, selected: boolean, label?: string): void {
    if (!selected) this.ids.delete(id);
    else this.ids.set(id, label || this.ids.get(id) || "");
  }

  /** State of the header checkbox for the rows currently on screen. */
  pageState(pageIds: readonly number[]): PageState {
    if (pageIds.length === 0) return "none";
    let count = 0;
    for (const id of pageIds) if (this.ids.has(id)) count++;
    if (count === 0) return "none";
    return count === pageIds.length ? "all" : "some";
  }

  /** Header checkbox: select every row on screen, or clear them when all are. */
  togglePage(pageIds: readonly number[], labelOf: (id: number) => string | undefined = () => undefined): void {
    const selectAll = this.pageState(pageIds) !== "all";
    for (const id of pageIds) this.set(id, selectAll, labelOf(id));
  }
}
