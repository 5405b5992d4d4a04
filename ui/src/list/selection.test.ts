import { describe, expect, it } from "vitest";
import { Selection } from "./selection";

// Position i holds profile id 1000 + i.
const idAt = (i: number): number | undefined => (i >= 0 && i < 500 ? 1000 + i : undefined);

describe("Selection", () => {
  it("toggles a single row on plain clicks", () => {
    const s = new Selection();
    s.click(3, false, idAt);
    expect(s.has(1003), "first click selects").toBe(true);
    s.click(3, false, idAt);
    expect(s.has(1003), "second click deselects").toBe(false);
    expect(s.size, "nothing else was touched").toBe(0);
  });

  it("selects a range with shift-click from the anchor, in either direction", () => {
    const s = new Selection();
    s.click(10, false, idAt);
    s.click(14, true, idAt);
    expect(s.values().sort(), "rows 10..14 inclusive").toEqual([1010, 1011, 1012, 1013, 1014]);
    s.click(7, false, idAt);
    s.click(5, true, idAt);
    expect(s.has(1005) && s.has(1006) && s.has(1007), "upward range 5..7").toBe(true);
    expect(s.size, "5 + 3 rows").toBe(8);
  });

  it("applies the clicked row's new state to the whole shift-range", () => {
    const s = new Selection();
    s.click(0, false, idAt);
    s.click(9, true, idAt);
    expect(s.size, "rows 0..9 selected").toBe(10);
    s.click(4, false, idAt);
    expect(s.has(1004), "plain click on a selected row deselects it").toBe(false);
    s.click(8, true, idAt);
    expect([1004, 1005, 1006, 1007, 1008].some((id) => s.has(id)), "row 8 was selected, so the range 4..8 is cleared").toBe(false);
    expect(s.has(1003) && s.has(1009), "rows outside the range keep their state").toBe(true);
  });

  it("treats shift-click without an anchor as a plain click", () => {
    const s = new Selection();
    s.click(6, true, idAt);
    expect(s.values(), "no anchor yet: only the clicked row").toEqual([1006]);
  });

  it("forgets the anchor when the list is re-queried", () => {
    const s = new Selection();
    s.click(2, false, idAt);
    s.resetAnchor();
    expect(s.rangeFor(8, true), "positions of the old query mean nothing now").toEqual({ from: 8, to: 8 });
    expect(s.has(1002), "selected ids survive the anchor reset").toBe(true);
  });

  it("skips positions whose id is unknown", () => {
    const s = new Selection();
    s.click(498, false, idAt);
    s.click(502, true, idAt);
    expect(s.size, "positions 500..502 do not exist").toBe(1);
  });

  it("reports and toggles the header checkbox over the rows on screen", () => {
    const s = new Selection();
    const page = [1, 2, 3, 4];
    expect(s.pageState(page), "nothing selected").toBe("none");
    s.set(2, true);
    expect(s.pageState(page), "one of four").toBe("some");
    s.togglePage(page);
    expect(s.pageState(page), "partial page becomes fully selected").toBe("all");
    s.set(99, true);
    s.togglePage(page);
    expect(s.pageState(page), "a full page is cleared").toBe("none");
    expect(s.has(99), "rows off screen are not touched by select-all-on-page").toBe(true);
    expect(s.pageState([]), "an empty screen has nothing selected").toBe("none");
  });

  it("keeps each selected row's name, in the order selected, for the delete dialog", () => {
    const s = new Selection();
    const nameAt = (i: number): string => `Person ${i}`;
    s.click(4, false, idAt, nameAt);
    s.click(2, false, idAt, nameAt);
    s.click(3, true, idAt, nameAt);
    expect(s.values(), "ids in the order selected").toEqual([1004, 1002, 1003]);
    expect(s.labels(), "their names alongside").toEqual(["Person 4", "Person 2", "Person 3"]);
    s.set(1002, true);
    expect(s.labels()[1], "selecting again without a name keeps the name known").toBe("Person 2");
    s.togglePage([1004, 1002, 1003, 1009], (id) => (id === 1009 ? "Nguyễn Văn Chín" : undefined));
    expect(s.labels(), "the page's new row brings its name").toEqual(["Person 4", "Person 2", "Person 3", "Nguyễn Văn Chín"]);
    s.set(1005, true);
    expect(s.labels()[4], "a name never known is empty").toBe("");
    s.set(1004, false);
    expect(s.values(), "unselected: gone with its name").toEqual([1002, 1003, 1009, 1005]);
  });
});
