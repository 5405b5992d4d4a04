import { describe, expect, it } from "vitest";
import {
  MAX_SPACER_HEIGHT,
  PageCache,
  ROW_HEIGHT,
  isScaled,
  pageOf,
  pageOffset,
  pagesForRange,
  scrollRatio,
  scrollTopForRow,
  spacerHeight,
  virtualTop,
  visibleRange,
  type Geometry,
} from "./virtualTable";

const geo = (rowCount: number, viewportHeight = 720): Geometry => ({
  rowCount,
  rowHeight: ROW_HEIGHT,
  viewportHeight,
});

describe("visible range (unscaled)", () => {
  it("renders the rows in view plus overscan, starting at the top", () => {
    const r = visibleRange(0, geo(1000), 5);
    expect(r.start, "nothing above the first row to overscan").toBe(0);
    expect(r.end, "720px / 36px = 20 rows in view, plus 5 overscan").toBe(25);
    expect(r.offsetY, "row 0 sits at the top of the spacer").toBe(0);
  });

  it("maps scrollTop straight to rows when the list fits the height cap", () => {
    const r = visibleRange(36 * 100 + 10, geo(1000), 3);
    expect(r.start, "row 100 is at the top; 3 rows of overscan above it").toBe(97);
    expect(r.end, "rows 100..120 are partly visible (10px into row 100), plus 3").toBe(124);
    expect(r.offsetY, "unscaled rows sit at their natural position").toBe(97 * 36);
  });

  it("never renders past the last row", () => {
    const g = geo(30);
    const r = visibleRange(1e9, g, 8);
    expect(r.end, "only 30 rows exist").toBe(30);
    expect(r.start, "the last viewport shows rows 10..29, minus overscan").toBe(2);
  });

  it("renders nothing for an empty list", () => {
    expect(visibleRange(0, geo(0)), "no rows, no range").toEqual({ start: 0, end: 0, offsetY: 0 });
  });

  it("keeps the spacer at the real height for small lists", () => {
    expect(spacerHeight(geo(1000)), "1,000 x 36px is far below the cap").toBe(36_000);
    expect(isScaled(geo(1000)), "no scaling needed").toBe(false);
    expect(scrollRatio(geo(1000)), "one scrolled pixel is one content pixel").toBe(1);
  });
});

describe("visible range beyond the browsers' maximum element height", () => {
  const g = geo(1_000_000);

  it("caps the spacer at MAX_SPACER_HEIGHT for a million rows", () => {
    expect(spacerHeight(g), "36M px would exceed the ~16.7M px browser limit").toBe(MAX_SPACER_HEIGHT);
    expect(isScaled(g), "the list must be scaled").toBe(true);
    expect(scrollRatio(g), "content moves faster than the scrollbar").toBeGreaterThan(4);
  });

  it("shows the first row at the top and the last row at the bottom", () => {
    const top = visibleRange(0, g, 0);
    expect(top.start, "scrollTop 0 starts at row 0").toBe(0);
    const maxScroll = MAX_SPACER_HEIGHT - g.viewportHeight;
    const bottom = visibleRange(maxScroll, g, 0);
    expect(bottom.end, "the largest scrollTop reaches the last row").toBe(1_000_000);
    expect(bottom.start, "20 rows fit in 720px").toBe(1_000_000 - 20);
  });

  it("maps the middle of the scrollbar to the middle of the list", () => {
    const maxScroll = MAX_SPACER_HEIGHT - g.viewportHeight;
    const mid = visibleRange(maxScroll / 2, g, 0);
    const expectedFirst = Math.floor(((1_000_000 * 36 - 720) / 2) / 36);
    expect(mid.start, "proportional mapping of scrollTop to row index").toBe(expectedFirst);
  });

  it("places rendered rows inside the viewport, whatever the scale", () => {
    for (const scrollTop of [0, 1234.5, 3_999_640, MAX_SPACER_HEIGHT - 720]) {
      const r = visibleRange(scrollTop, g, 0);
      const firstRowTop = r.offsetY;
      expect(firstRowTop, `row ${r.start} starts at or above the viewport top (scrollTop ${scrollTop})`).toBeLessThanOrEqual(scrollTop + 0.001);
      expect(firstRowTop + ROW_HEIGHT, `row ${r.start} is at least partly visible (scrollTop ${scrollTop})`).toBeGreaterThan(scrollTop);
      const layerBottom = r.offsetY + (r.end - r.start) * ROW_HEIGHT;
      expect(layerBottom, "rendered rows never extend the spacer (which would break scrolling)").toBeLessThanOrEqual(MAX_SPACER_HEIGHT + 0.001);
    }
  });

  it("scrolling one real pixel moves the content by the ratio", () => {
    const ratio = scrollRatio(g);
    expect(virtualTop(1000, g) - virtualTop(999, g), "linear mapping").toBeCloseTo(ratio, 6);
  });
});

describe("keyboard scrolling", () => {
  it("leaves scrollTop alone when the row is already fully visible", () => {
    expect(scrollTopForRow(5, 0, geo(1000)), "row 5 is on screen at scrollTop 0").toBe(0);
  });

  it("scrolls down just enough to show a row below the viewport", () => {
    expect(scrollTopForRow(20, 0, geo(1000)), "row 20's bottom (756px) aligns with the viewport bottom (720px)").toBe(36);
  });

  it("scrolls up to a row above the viewport", () => {
    expect(scrollTopForRow(3, 3600, geo(1000)), "row 3's top becomes the viewport top").toBe(108);
  });

  it("reaches any row of a scaled list", () => {
    const g = geo(1_000_000);
    const st = scrollTopForRow(654_321, 0, g);
    const r = visibleRange(st, g, 0);
    expect(654_321 >= r.start && 654_321 < r.end, `row 654,321 is within ${r.start}..${r.end}`).toBe(true);
  });
});

describe("page maths", () => {
  it("finds the pages covering a row range", () => {
    expect(pagesForRange(0, 25), "rows 0..24 are all on page 0").toEqual([0]);
    expect(pagesForRange(95, 130), "rows 95..129 straddle pages 0 and 1").toEqual([0, 1]);
    expect(pagesForRange(100, 200), "end is exclusive: row 200 is not needed").toEqual([1]);
    expect(pagesForRange(10, 10), "an empty range needs no page").toEqual([]);
  });

  it("converts between rows, pages and offsets", () => {
    expect(pageOf(999_999), "the last of a million rows is on page 9,999").toBe(9_999);
    expect(pageOffset(9_999), "page 9,999 starts at offset 999,900").toBe(999_900);
  });

  it("caches pages and evicts the least recently used", () => {
    const cache = new PageCache<number>(2, 100);
    cache.set(0, [10, 11]);
    cache.set(1, [20]);
    cache.touch(0);
    cache.set(2, [30]);
    expect(cache.has(1), "page 1 was least recently used").toBe(false);
    expect(cache.row(1), "row 1 is the second row of page 0").toBe(11);
    expect(cache.row(200), "row 200 is the first row of page 2").toBe(30);
    expect(cache.row(101), "page 1 was evicted, so its rows are unknown").toBeUndefined();
  });
});
