// Row and scroll maths of the virtual profile table, free of DOM so it can
// be tested directly. The table renders a spacer as tall as all rows and
// only the rows in view; when that spacer would exceed what browsers can lay
// out (~16.7M px in WebKit/Chromium, far less than 1M rows x 36 px), the
// spacer is capped and scrollTop is mapped to rows proportionally.

export const ROW_HEIGHT = 36;
export const PAGE_SIZE = 100;
/** Half the browsers' limit, leaving headroom for zoom and sub-pixel maths. */
export const MAX_SPACER_HEIGHT = 8_000_000;
export const OVERSCAN = 8;

export interface Geometry {
  rowCount: number;
  rowHeight: number;
  /** Height of the scroll container's visible area, in px. */
  viewportHeight: number;
  /** Cap for the spacer; defaults to MAX_SPACER_HEIGHT. */
  maxSpacerHeight?: number;
}

export interface VisibleRange {
  /** First rendered row (inclusive). */
  start: number;
  /** One past the last rendered row. */
  end: number;
  /** Where row `start` sits inside the spacer, in px. */
  offsetY: number;
}

export function contentHeight(g: Geometry): number {
  return g.rowCount * g.rowHeight;
}

export function spacerHeight(g: Geometry): number {
  return Math.min(contentHeight(g), g.maxSpacerHeight ?? MAX_SPACER_HEIGHT);
}

export function isScaled(g: Geometry): boolean {
  return contentHeight(g) > spacerHeight(g);
}

function maxScrollTop(g: Geometry): number {
  return Math.max(0, spacerHeight(g) - g.viewportHeight);
}

/**
 * Content pixels per scrolled pixel. Both ends must line up: scrollTop 0 shows
 * the first row and the largest scrollTop shows the last, so the ratio maps
 * the scrollable range of the spacer onto the scrollable range of the content.
 */
export function scrollRatio(g: Geometry): number {
  if (!isScaled(g)) return 1;
  const real = spacerHeight(g) - g.viewportHeight;
  const virtual = contentHeight(g) - g.viewportHeight;
  if (real <= 0 || virtual <= 0) return 1;
  return virtual / real;
}

/** The content offset (px from the first row's top) shown at the viewport's top. */
export function virtualTop(scrollTop: number, g: Geometry): number {
  const clamped = Math.min(Math.max(0, scrollTop), maxScrollTop(g));
  return clamped * scrollRatio(g);
}

export function visibleRange(scrollTop: number, g: Geometry, overscan = OVERSCAN): VisibleRange {
  if (g.rowCount <= 0 || g.rowHeight <= 0) return { start: 0, end: 0, offsetY: 0 };
  const clamped = Math.min(Math.max(0, scrollTop), maxScrollTop(g));
  const top = virtualTop(clamped, g);
  const first = Math.floor(top / g.rowHeight);
  const lastExclusive = Math.ceil((top + Math.max(g.viewportHeight, 0)) / g.rowHeight);
  const start = Math.max(0, Math.min(g.rowCount - 1, first - overscan));
  const end = Math.min(g.rowCount, Math.max(lastExclusive, first + 1) + overscan);
  // Rows are drawn relative to where the viewport really is (clamped), shifted
  // by how far into row `first` the virtual position falls.
  const offsetY = clamped + start * g.rowHeight - top;
  return { start, end, offsetY };
}

/**
 * The scrollTop that brings row `index` fully into view with the least
 * movement (keyboard navigation); the current scrollTop if it already is.
 */
export function scrollTopForRow(index: number, currentScrollTop: number, g: Geometry): number {
  if (g.rowCount <= 0) return 0;
  const i = Math.min(Math.max(0, index), g.rowCount - 1);
  const top = virtualTop(currentScrollTop, g);
  const rowTop = i * g.rowHeight;
  const rowBottom = rowTop + g.rowHeight;
  let target: number;
  if (rowTop < top) target = rowTop;
  else if (rowBottom > top + g.viewportHeight) target = rowBottom - g.viewportHeight;
  else return currentScrollTop;
  const scrollTop = target / scrollRatio(g);
  return Math.min(Math.max(0, scrollTop), maxScrollTop(g));
}

/** How many rows fit in the viewport (for Page Up / Page Down). */
export function rowsPerViewport(g: Geometry): number {
  return Math.max(1, Math.floor(g.viewportHeight / g.rowHeight));
}

export function pageOf(index: number, pageSize = PAGE_SIZE): number {
  return Math.floor(index / pageSize);
}

/** Pages (by number) holding rows [start, end). */
export function pagesForRange(start: number, end: number, pageSize = PAGE_SIZE): number[] {
  if (end <= start) return [];
  const first = pageOf(start, pageSize);
  const last = pageOf(end - 1, pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}

export function pageOffset(page: number, pageSize = PAGE_SIZE): number {
  return page * pageSize;
}

/**
 * Fetched pages, least recently used evicted first, so scrolling through a
 * million rows keeps memory flat.
 */
export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();

  constructor(
    private readonly capacity = 60,
    private readonly pageSize = PAGE_SIZE,
  ) {}

  get size(): number {
    return this.pages.size;
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  set(page: number, rows: T[]): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.capacity) {
      const oldest = this.pages.keys().next();
      if (oldest.done) break;
      this.pages.delete(oldest.value);
    }
  }

  /** Marks the page as recently used. */
  touch(page: number): void {
    const rows = this.pages.get(page);
    if (rows) {
      this.pages.delete(page);
      this.pages.set(page, rows);
    }
  }

  /** The row at a list position, or undefined while its page is not loaded. */
  row(index: number): T | undefined {
    const rows = this.pages.get(pageOf(index, this.pageSize));
    return rows?.[index % this.pageSize];
  }

  /** Whether the row's page is loaded (a loaded page may end before `index`). */
  isLoaded(index: number): boolean {
    return this.pages.has(pageOf(index, this.pageSize));
  }

  clear(): void {
    this.pages.clear();
  }
}
