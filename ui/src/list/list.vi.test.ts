import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { catalogue, channels, filterFieldList, settle } from "../testFixtures";
import { opLabel, sourceChoices } from "./filterModel";
import { ListView, withNodes } from "./list";

afterEach(() => {
  setLang("en");
  clearMocks();
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

function mount(total: number): ListView {
  mockIPC((cmd) => {
    if (cmd === "count_profiles") return { total, filtered: total };
    if (cmd === "list_profiles") return { offset: 0, rows: [] };
    if (cmd === "segments") return [];
    throw new Error(`unexpected command ${cmd}`);
  });
  const list = new ListView({
    fields: catalogue,
    columns: ["full_name", "phones"],
    canCreate: true,
    canImport: true,
    canDelete: true,
    onOpen: () => undefined,
    onCreate: () => undefined,
    onUpload: () => undefined,
    onDemo: () => undefined,
    onExport: () => undefined,
    filterFields: filterFieldList,
    channels,
  });
  document.body.appendChild(list.element);
  return list;
}

describe("the profile list in Vietnamese", () => {
  it("shows its title, toolbar, counts and empty state in Vietnamese, with no English left", async () => {
    setLang("vi");
    const list = mount(0);
    await list.loadSegments();
    await list.refresh();
    (q("filter-toggle") as HTMLButtonElement).click();
    await settle();
    const text = list.element.textContent ?? "";
    for (const vi of ["Hồ sơ định danh", "Bộ lọc", "Phân khúc", "Xuất dữ liệu", "Cột", "Chưa có hồ sơ nào", "Tạo hồ sơ mới", "Tạo thủ công", "Tải tệp lên", "Khám phá bản demo", "Thêm điều kiện", "Khi", "Chưa có phân khúc nào"]) {
      expect(text, vi).toContain(vi);
    }
    expect(q("empty-create")?.textContent, "the create button").toBe("Tạo thủ công");
    expect(list.element.querySelector(".counts")?.textContent, "counts read in Vietnamese order").toBe("0 hồ sơ·0 đang hiển thị");
    expect(q("search-input")?.getAttribute("placeholder"), "the search hint").toBe("Tìm theo họ và tên, số điện thoại, email, mã khách hàng");
    for (const en of ["Identified Profiles", "Filter", "Segments", "Export", "Columns", "No profiles yet", "Create individually", "Upload file", "Explore the demo", "Add condition", "Clear all", "Save as segment", "Where", "selected", "profiles", "shown"]) {
      expect(text, en).not.toContain(en);
    }
  });

  it("groups counts the Vietnamese way and puts the selected count where the sentence wants it", async () => {
    setLang("vi");
    const list = mount(1_234_567);
    await list.refresh();
    expect(q("count-total")?.textContent, "dots group thousands").toBe("1.234.567");
    const bar = q("selection-count")?.parentElement;
    expect(bar?.textContent?.startsWith("Đã chọn 0"), `the count follows “Đã chọn” (${bar?.textContent})`).toBe(true);
  });

  it("labels operators and sources in the current language", () => {
    setLang("vi");
    expect(opLabel("lt", true)).toBe("trước ngày");
    expect(opLabel("lt", false), "symbols stay symbols").toBe("<");
    expect(sourceChoices([]).map((c) => c.label)).toEqual(["Tạo thủ công", "Nhập từ tệp", "Dán dữ liệu", "Đồng bộ"]);
    setLang("en");
    expect(opLabel("lt", true)).toBe("is before");
  });

  it("places elements where the message puts them", () => {
    const strong = document.createElement("strong");
    expect(withNodes((a: string) => `Đã chọn ${a}`, strong)).toEqual(["Đã chọn ", strong, null]);
    expect(withNodes((a: string, b: string) => `${b} và ${a}`, "A", "B")).toEqual([null, "B", " và ", "A", null]);
  });

  it("says what the header checkbox takes, offers the whole list and names the profiles a delete takes, in Vietnamese", async () => {
    setLang("vi");
    mockIPC((cmd, args) => {
      if (cmd === "count_profiles") return { total: 5000, filtered: 1234 };
      if (cmd === "list_profiles") {
        const a = args as { offset: number; limit: number };
        return { offset: a.offset, rows: Array.from({ length: a.limit }, (_, k) => ({ id: 100 + a.offset + k, cells: { full_name: `Trần Thị ${a.offset + k}` } })) };
      }
      if (cmd === "delete_preview") return { profiles: 10, accounts: 0, opportunities: 0, tickets: 0, tasks: 0, server: null };
      throw new Error(`unexpected command ${cmd}`);
    });
    const list = new ListView({ fields: catalogue, columns: ["full_name"], canCreate: true, canDelete: true, onOpen: () => undefined, onCreate: () => undefined });
    document.body.appendChild(list.element);
    Object.defineProperty(list.element.querySelector(".vt-scroller")!, "clientHeight", { configurable: true, value: 360 });
    await list.refresh();
    await settle();
    const header = q("select-page-checkbox") as HTMLInputElement;
    expect(header.getAttribute("aria-label")).toBe("Chọn 10 dòng đang hiển thị");
    header.click();
    await settle();
    expect(header.getAttribute("aria-label")).toBe("Bỏ chọn 10 dòng đang hiển thị");
    expect(q("selection-scope")?.textContent).toBe(
      "Đã chọn 10 hồ sơ đang hiển thị.Danh sách có 1.234 hồ sơ, nhưng mỗi lần chỉ chọn được tối đa 100 hồ sơ. Hãy thu hẹp danh sách bằng ô tìm kiếm hoặc bộ lọc để chọn toàn bộ.",
    );
    list.deleteSelected();
    await settle();
    expect(q("delete-dialog")?.textContent).toContain("10 hồ sơ đã chọn sẽ bị xóa:");
    expect([...q("delete-names")!.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Trần Thị 0", "Trần Thị 1", "Trần Thị 2", "và 7 hồ sơ khác"]);
  });

  it("asks for dates dd/mm/yyyy and says in Vietnamese when a day does not exist", async () => {
    setLang("vi");
    mount(10);
    (q("filter-toggle") as HTMLButtonElement).click();
    const subject = q("filter-subject-0") as HTMLSelectElement;
    subject.value = "field:birthday";
    subject.dispatchEvent(new Event("change", { bubbles: true }));
    const op = q("filter-op-0") as HTMLSelectElement;
    op.value = "lt";
    op.dispatchEvent(new Event("change", { bubbles: true }));
    const input = q("filter-value-0") as HTMLInputElement;
    expect(input.placeholder).toBe("dd/mm/yyyy");
    input.value = "31/02/1990";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await settle();
    expect(q("filter-error-0")?.textContent).toBe("“31/02/1990” không phải là ngày có thật: tháng 2 năm 1990 chỉ có 28 ngày");
  });
});
