import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { ListQuery } from "../ipc";
import { setLang } from "../i18n/lang";
import { XSS, catalogue, channels, filterFieldList, settle } from "../testFixtures";
import { utcOffsetMinutes } from "./filterModel";
import { ListView, columnWidth, columnWidthFor, effectiveColumns } from "./list";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

function mount(total: number, filtered = total): { list: ListView; listCalls: unknown[] } {
  const listCalls: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "count_profiles") return { total, filtered };
    if (cmd === "list_profiles") {
      listCalls.push(args);
      const a = args as { query: ListQuery; offset: number; limit: number; columns: string[] };
      const n = Math.max(0, Math.min(a.limit, filtered - a.offset));
      return {
        offset: a.offset,
        rows: Array.from({ length: n }, (_, k) => ({
          id: 5000 - a.offset - k,
          cells: { full_name: k === 0 ? XSS : `Person ${a.offset + k}`, phones: "0912 345 678, 0987 654 321" },
        })),
      };
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  const list = new ListView({
    fields: catalogue,
    columns: ["full_name", "phones"],
    canCreate: true,
    onOpen: () => undefined,
    onCreate: () => undefined,
  });
  document.body.appendChild(list.element);
  return { list, listCalls };
}

describe("profile list", () => {
  it("shows both counts with thousands separators", async () => {
    const { list } = mount(1_234_567, 1_234);
    await list.refresh();
    expect(q("count-total")?.textContent, "total of all profiles").toBe("1,234,567");
    expect(q("count-filtered")?.textContent, "profiles matching the search").toBe("1,234");
  });

  it("says “1 profile” for one, “profiles” for any other count", async () => {
    const { list } = mount(1, 1);
    await list.refresh();
    expect(document.querySelector(".counts")?.textContent, "one profile").toBe("1 profile·1 shown");
    const two = mount(2, 0);
    await two.list.refresh();
    expect(two.list.element.querySelector(".counts")?.textContent, "two profiles, none shown").toBe("2 profiles·0 shown");
  });

  it("Delete opens the bulk delete dialog for the selected rows, and nothing without a selection or the permission", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "count_profiles") return { total: 20, filtered: 20 };
      if (cmd === "list_profiles") {
        const a = args as { offset: number; limit: number };
        return { offset: a.offset, rows: Array.from({ length: Math.min(a.limit, 20 - a.offset) }, (_, k) => ({ id: 100 + a.offset + k, cells: { full_name: `Nguyễn Văn ${k}` } })) };
      }
      return null;
    });
    async function listWithOneSelected(canDelete: boolean): Promise<ListView> {
      const list = new ListView({ fields: catalogue, columns: ["full_name"], canCreate: true, canDelete, onOpen: () => undefined, onCreate: () => undefined });
      document.body.appendChild(list.element);
      const scroller = list.element.querySelector(".vt-scroller")!;
      Object.defineProperty(scroller, "clientHeight", { configurable: true, value: 360 });
      await list.refresh();
      await settle();
      expect(list.deleteSelected(), "nothing selected: nothing to delete").toBe(false);
      list.element.querySelector<HTMLInputElement>('[data-testid="row-checkbox"]')!.click();
      await settle();
      return list;
    }
    const viewer = await listWithOneSelected(false);
    expect(viewer.deleteSelected(), "a user without profile.delete: nothing").toBe(false);
    expect(q("delete-dialog"), "no dialog").toBeNull();
    const list = await listWithOneSelected(true);
    expect(list.deleteSelected(), "a row selected: the dialog opens").toBe(true);
    expect(q("delete-dialog"), "the same dialog as the bulk Delete button").not.toBeNull();
  });

  it("renders only the first rows, with cells per column and markup shown as text", async () => {
    const { list, listCalls } = mount(1_000_000);
    await list.refresh();
    await settle();
    await settle();
    const rows = document.querySelectorAll('[data-testid="profile-row"]');
    expect(rows.length > 0 && rows.length < 100, `a million rows render only those in view (got ${rows.length})`).toBe(true);
    expect(listCalls[0], "the first page is fetched by offset with the displayed columns").toEqual({
      query: { search: "", filter: [], sort: null, utcOffsetMinutes: utcOffsetMinutes() },
      offset: 0,
      limit: 100,
      columns: ["full_name", "phones"],
    });
    const first = rows[0] as HTMLElement;
    expect(first.dataset.id, "rows carry their profile id").toBe("5000");
    expect(first.querySelector('[data-col="full_name"]')?.textContent, "cell text is literal").toBe(XSS);
    expect(document.querySelector(".vt-layer img"), "no element comes from profile data").toBeNull();
  });

  it("shows dates dd/mm/yyyy and phones one way in its cells, in both languages", async () => {
    const rows = [
      { id: 1, cells: { full_name: "Trần Thị Lan", phones: "+84 912 345 678, 0987654321", birthday: "1990-09-05", created_at: new Date(2024, 4, 1, 14, 3).toISOString() } },
      { id: 2, cells: { full_name: "", phones: "912345678", birthday: "", created_at: "" } },
    ];
    mockIPC((cmd, args) => {
      if (cmd === "count_profiles") return { total: 2, filtered: 2 };
      if (cmd === "list_profiles") return { offset: (args as { offset: number }).offset, rows };
      throw new Error(`unexpected command ${cmd}`);
    });
    const cells = async (): Promise<string[][]> => {
      document.body.replaceChildren();
      const list = new ListView({ fields: catalogue, columns: ["full_name", "phones", "birthday", "created_at"], canCreate: true, onOpen: () => undefined, onCreate: () => undefined });
      document.body.appendChild(list.element);
      await list.refresh();
      await settle();
      return [...document.querySelectorAll('[data-testid="profile-row"]')].map((r) => [...r.querySelectorAll("[data-col]")].map((c) => c.textContent ?? ""));
    };
    const expected = [
      ["Trần Thị Lan", "0912 345 678, 0987 654 321", "05/09/1990", "01/05/2024 14:03"],
      // The list gets only what was typed: a number without its 0 could be any region's.
      ["", "912345678", "", ""],
    ];
    expect(await cells()).toEqual(expected);
    setLang("vi");
    expect(await cells(), "one format in both languages").toEqual(expected);
    setLang("en");
  });

  it("draws its rows again at once when the columns change, not at the next scroll", async () => {
    const { list, listCalls } = mount(50);
    const scroller = list.element.querySelector(".vt-scroller")!;
    Object.defineProperty(scroller, "clientHeight", { configurable: true, value: 360 });
    await list.refresh();
    await settle();
    const before = document.querySelectorAll('[data-testid="profile-row"]').length;
    expect(before, "rows are drawn").toBeGreaterThan(0);
    const fetched = listCalls.length;
    list.catalogueChanged();
    await settle();
    await settle();
    expect(document.querySelectorAll('[data-testid="profile-row"]').length, "the rows are back without a scroll").toBe(before);
    expect(listCalls.length, "fetched again with the columns now shown").toBeGreaterThan(fetched);
  });

  it("shows the empty state when there are no profiles at all", async () => {
    const { list } = mount(0);
    await list.refresh();
    expect(q("empty-state")?.textContent, "it points to the create button").toContain("Create new Profile");
    expect(q("no-match"), "not the no-match state").toBeNull();
  });

  it("the empty state points to Create individually and Upload file, and offers the demo", async () => {
    mockIPC((cmd) => {
      if (cmd === "count_profiles") return { total: 0, filtered: 0 };
      if (cmd === "list_profiles") return { offset: 0, rows: [] };
      throw new Error(`unexpected command ${cmd}`);
    });
    const calls: string[] = [];
    const list = new ListView({
      fields: catalogue,
      columns: ["full_name"],
      canCreate: true,
      canImport: true,
      onOpen: () => undefined,
      onCreate: () => calls.push("create"),
      onUpload: () => calls.push("upload"),
      onDemo: () => calls.push("demo"),
    });
    document.body.appendChild(list.element);
    await list.refresh();
    const text = q("empty-state")?.textContent ?? "";
    expect(text, "names the menu and both ways in").toMatch(/Create new Profile.*Create individually.*Upload file/);
    (q("empty-create") as HTMLButtonElement).click();
    (q("empty-upload") as HTMLButtonElement).click();
    (q("empty-demo") as HTMLButtonElement).click();
    expect(calls, "each button does what it says").toEqual(["create", "upload", "demo"]);
  });

  it("the empty state offers only what the role allows", async () => {
    mockIPC((cmd) => {
      if (cmd === "count_profiles") return { total: 0, filtered: 0 };
      if (cmd === "list_profiles") return { offset: 0, rows: [] };
      throw new Error(`unexpected command ${cmd}`);
    });
    const list = new ListView({
      fields: catalogue,
      columns: ["full_name"],
      canCreate: false,
      canImport: false,
      onOpen: () => undefined,
      onCreate: () => undefined,
      onUpload: () => undefined,
    });
    document.body.appendChild(list.element);
    await list.refresh();
    expect(q("empty-create"), "no create button without profile.create").toBeNull();
    expect(q("empty-upload"), "no upload button without profile.import").toBeNull();
    expect(q("empty-state")?.textContent, "says why").toContain("Your role cannot create profiles");
  });

  it("shows the no-match state when a search finds nothing", async () => {
    const { list } = mount(10, 0);
    await list.refresh();
    expect(q("no-match"), "profiles exist but none match").not.toBeNull();
    expect(q("empty-state"), "not the empty state").toBeNull();
  });

  it("widens a column for a long header instead of cutting it", () => {
    const city = catalogue.find((f) => f.key === "city");
    expect(columnWidthFor(city, "City"), "a short name keeps the field's width").toBe(columnWidth(city));
    expect(columnWidthFor(city, "Tỉnh/Thành phố"), "the Vietnamese name fits").toBeGreaterThan(columnWidth(city));
  });

  it("falls back to the catalogue's default columns when none are saved", () => {
    expect(effectiveColumns(catalogue, []), "fields marked displayed, by position").toEqual([
      "full_name",
      "phones",
      "emails",
      "city",
      "customer_code",
      "created_at",
    ]);
    expect(effectiveColumns(catalogue, ["gone", "city"]), "unknown saved columns are dropped").toEqual(["city"]);
  });

  it("selects with checkboxes, shift-click ranges and the header checkbox", async () => {
    const { list } = mount(1000);
    // happy-dom does no layout: give the table a 10-row viewport.
    const scroller = document.querySelector(".vt-scroller")!;
    Object.defineProperty(scroller, "clientHeight", { configurable: true, value: 360 });
    await list.refresh();
    await settle();
    const boxes = () => [...document.querySelectorAll<HTMLInputElement>('[data-testid="row-checkbox"]')];
    boxes()[1]!.click();
    await settle();
    expect(q("selection-count")?.textContent, "one row selected").toBe("1");
    boxes()[4]!.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, shiftKey: true }));
    await settle();
    expect(q("selection-count")?.textContent, "shift-click selects rows 1..4").toBe("4");
    expect(
      boxes().slice(0, 6).map((b) => b.checked),
      "the boxes show the selection, the clicked one included",
    ).toEqual([false, true, true, true, true, false]);
    const header = q("select-page-checkbox") as HTMLInputElement;
    expect(header.indeterminate, "some of the rows on screen are selected").toBe(true);
    header.click();
    await settle();
    expect(
      boxes().map((b) => b.checked),
      "select all on page selects the 10 rows on screen, not the overscan rows below",
    ).toEqual(boxes().map((_, i) => i < 10));
    header.click();
    await settle();
    expect(boxes().some((b) => b.checked), "clicking again clears them").toBe(false);
    expect(q("selection-count")?.closest(".selection-bar")?.hasAttribute("hidden"), "no count without a selection").toBe(true);
  });
});

describe("filter builder in the list", () => {
  function mountFiltered(): { list: ListView; calls: Array<{ cmd: string; query: ListQuery }> } {
    const calls: Array<{ cmd: string; query: ListQuery }> = [];
    mockIPC((cmd, args) => {
      const a = args as { query: ListQuery; offset: number; limit: number };
      if (cmd === "count_profiles" || cmd === "list_profiles") calls.push({ cmd, query: a.query });
      if (cmd === "count_profiles") {
        const bad = a.query.filter.find((c) => c.kind === "field" && c.field === "city" && c.value === "x".repeat(300));
        if (bad) {
          throw {
            code: "validation",
            message: "City: the value is too long",
            details: [{ field: `filter.${a.query.filter.indexOf(bad)}`, code: "tooLong", message: "City: the value is too long" }],
          };
        }
        return { total: 100, filtered: a.query.filter.length === 0 ? 100 : 7 };
      }
      if (cmd === "list_profiles") return { offset: a.offset, rows: [] };
      if (cmd === "segments") return [];
      throw new Error(`unexpected command ${cmd}`);
    });
    const list = new ListView({
      fields: catalogue,
      columns: ["full_name", "phones", "city"],
      canCreate: true,
      onOpen: () => undefined,
      onCreate: () => undefined,
      filterFields: filterFieldList,
      channels,
    });
    document.body.appendChild(list.element);
    return { list, calls };
  }

  function select(testid: string, value: string): void {
    const el = q(testid) as HTMLSelectElement;
    el.value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  it("asks for a search's first rows before its count (the core answers one at a time)", async () => {
    const { calls } = mountFiltered();
    await settle();
    calls.length = 0;
    const input = q("search-input") as HTMLInputElement;
    input.value = "Nguyễn";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await settle();
    expect(
      calls.map((c) => `${c.cmd} ${c.query.search}`),
      "on a large store a common name's count takes longer than its first page",
    ).toEqual(["list_profiles Nguyễn", "count_profiles Nguyễn"]);
  });

  it("sends the typed conditions, shows the core's error on its row and keeps the last valid query", async () => {
    const { calls } = mountFiltered();
    (q("filter-toggle") as HTMLButtonElement).click();
    select("filter-subject-0", "field:gender");
    select("filter-value-0", "female");
    await settle();
    const last = calls.filter((c) => c.cmd === "count_profiles").at(-1);
    expect(last?.query.filter, "a select choice applies at once").toEqual([
      { kind: "field", field: "gender", op: "is", value: "female", value2: "" },
    ]);
    expect(q("count-filtered")?.textContent, "the count follows the filter").toBe("7");
    expect(q("filter-count")?.textContent, "the button counts the conditions").toBe("1");

    const type = (testid: string, value: string): void => {
      const input = q(testid) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    };
    (q("filter-add") as HTMLButtonElement).click();
    select("filter-subject-1", "field:city");
    type("filter-value-1", "x".repeat(300));
    await settle();
    expect(q("filter-error-1")?.textContent, "the core's message under the row it concerns").toBe("City: the value is too long");
    expect(q("filter-error-0"), "the other row has no error").toBeNull();
    expect(q("filter-count")?.textContent, "the list keeps the last filter that worked").toBe("1");
  });

  it("takes dates dd/mm/yyyy, tells a day that does not exist before asking the core, and sends ISO dates", async () => {
    const { calls } = mountFiltered();
    (q("filter-toggle") as HTMLButtonElement).click();
    select("filter-subject-0", "field:birthday");
    select("filter-op-0", "lt");
    const type = (testid: string, value: string): void => {
      const input = q(testid) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    };
    expect((q("filter-value-0") as HTMLInputElement).placeholder, "the format asked for").toBe("dd/mm/yyyy");
    type("filter-value-0", "31/02/1990");
    await settle();
    expect(q("filter-error-0")?.textContent, "the day does not exist: said so").toBe("“31/02/1990” is not a date: February 1990 has 28 days");
    const sent = (): unknown => calls.filter((c) => c.cmd === "count_profiles").at(-1)?.query.filter;
    expect(calls.filter((c) => c.query.filter.length > 0), "the row is not sent while its date cannot be read").toEqual([]);
    type("filter-value-0", "5/9/1990");
    await settle();
    expect(q("filter-error-0"), "fixed: the message goes").toBeNull();
    expect(sent(), "the ISO date the core compares").toEqual([{ kind: "field", field: "birthday", op: "lt", value: "1990-09-05", value2: "" }]);
    expect((q("filter-value-0") as HTMLInputElement).value, "what was typed stays in the field").toBe("5/9/1990");
    select("filter-op-0", "between");
    type("filter-value2-0", "12/31/1999");
    await settle();
    expect(q("filter-error-0")?.textContent, "the second date too: the US order has no month 31").toContain("there is no month 31");
  });

  it("sorts by a header: ascending, descending, then newest first again", async () => {
    const { calls } = mountFiltered();
    const sortOf = () => calls.filter((c) => c.cmd === "count_profiles").at(-1)?.query.sort ?? null;
    (q("sort-full_name") as HTMLButtonElement).click();
    await settle();
    expect(sortOf(), "first click").toEqual({ field: "full_name", descending: false });
    (q("sort-full_name") as HTMLButtonElement).click();
    await settle();
    expect(sortOf(), "second click").toEqual({ field: "full_name", descending: true });
    expect(document.querySelector('[data-col="full_name"]')?.getAttribute("aria-sort"), "the header says it").toBe("descending");
    (q("sort-full_name") as HTMLButtonElement).click();
    await settle();
    expect(sortOf(), "third click: default order").toBeNull();
    expect(q("sort-phones"), "phones cannot be sorted: no button").toBeNull();
  });

  it("shows an import job's profiles as a source condition", async () => {
    const { list: view, calls } = mountFiltered();
    view.showJobProfiles(12);
    await settle();
    expect(calls.at(-1)?.query.filter, "the list asks for the job's profiles").toEqual([{ kind: "source", source: { kind: "job", jobId: 12 } }]);
  });

describe("the header checkbox and the whole list", () => {
  async function shown(filtered: number, canDelete = true): Promise<ListView> {
    mockIPC((cmd, args) => {
      if (cmd === "count_profiles") return { total: 5000, filtered };
      if (cmd === "list_profiles") {
        const a = args as { offset: number; limit: number };
        const n = Math.max(0, Math.min(a.limit, filtered - a.offset));
        return { offset: a.offset, rows: Array.from({ length: n }, (_, k) => ({ id: 100 + a.offset + k, cells: { full_name: `Nguyễn Văn ${a.offset + k}` } })) };
      }
      if (cmd === "delete_preview") return { profiles: filtered, accounts: 0, opportunities: 0, tickets: 0, tasks: 0, server: null };
      throw new Error(`unexpected command ${cmd}`);
    });
    const list = new ListView({ fields: catalogue, columns: ["full_name"], canCreate: true, canDelete, onOpen: () => undefined, onCreate: () => undefined });
    document.body.appendChild(list.element);
    Object.defineProperty(list.element.querySelector(".vt-scroller")!, "clientHeight", { configurable: true, value: 360 });
    await list.refresh();
    await settle();
    return list;
  }

  it("says it takes the rows on screen; then offers the whole filtered list, whose delete names its first profiles", async () => {
    const list = await shown(57);
    const header = q("select-page-checkbox") as HTMLInputElement;
    expect(header.getAttribute("aria-label"), "what a click takes").toBe("Select the 10 rows on screen");
    expect(header.title).toBe("Select the 10 rows on screen");
    expect(q("selection-scope")?.hidden, "nothing selected: nothing said").toBe(true);

    header.click();
    await settle();
    expect(q("selection-count")?.textContent, "the 10 on screen").toBe("10");
    expect(header.getAttribute("aria-label"), "a second click unselects them").toBe("Unselect the 10 rows on screen");
    const scope = q("selection-scope")!;
    expect(scope.hidden).toBe(false);
    expect(scope.textContent, "which rows, and the whole list offered").toBe("The 10 profiles on screen are selected.Select all 57 profiles in the list");

    q("select-whole-list")!.click();
    await settle();
    expect(q("selection-count")?.textContent, "the whole filtered list").toBe("57");
    expect(scope.textContent).toBe("All 57 profiles in the list are selected.");
    expect(document.activeElement, "focus stays on what was said").toBe(scope);

    expect(list.deleteSelected()).toBe(true);
    await settle();
    const names = [...q("delete-names")!.querySelectorAll("li")].map((li) => li.textContent);
    expect(names, "the first rows by name, then how many more").toEqual(["Nguyễn Văn 0", "Nguyễn Văn 1", "Nguyễn Văn 2", "and 54 more"]);
  });

  it("says why the whole list cannot be selected past the bulk limit, and offers no button", async () => {
    await shown(1234);
    (q("select-page-checkbox") as HTMLInputElement).click();
    await settle();
    expect(q("select-whole-list"), "no offer past 100").toBeNull();
    expect(q("whole-list-too-large")?.textContent).toBe(
      "The list has 1,234 profiles; at most 100 can be selected at once. Narrow it with the search or a filter to select it all.",
    );
    expect(q("selection-count")?.textContent, "the rows on screen stay selected").toBe("10");
  });

  it("says nothing when the rows on screen are the whole list, or only some of them are selected", async () => {
    await shown(6);
    (q("select-page-checkbox") as HTMLInputElement).click();
    await settle();
    expect(q("selection-count")?.textContent).toBe("6");
    expect(q("selection-scope")?.hidden, "the whole list is on screen").toBe(true);
    document.body.replaceChildren();
    await shown(57);
    document.querySelector<HTMLInputElement>('[data-testid="row-checkbox"]')!.click();
    await settle();
    expect(q("selection-scope")?.hidden, "one row selected: no offer").toBe(true);
  });

  it("names a row selected by its own checkbox in the delete dialog", async () => {
    const list = await shown(57);
    const boxes = document.querySelectorAll<HTMLInputElement>('[data-testid="row-checkbox"]');
    boxes[4]!.click();
    await settle();
    boxes[2]!.click();
    await settle();
    list.deleteSelected();
    await settle();
    expect([...q("delete-names")!.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Nguyễn Văn 4", "Nguyễn Văn 2"]);
  });
});
});
