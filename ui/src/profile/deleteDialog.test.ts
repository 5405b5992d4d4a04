import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { DeletePreview, DeleteResult, ListQuery } from "../ipc";
import { catalogue, channels, detail, settle } from "../testFixtures";
import { DeleteDialog, deletedMessage, namedTargets, reasonProblem } from "./deleteDialog";
import { DetailView } from "./detail";
import { ListView } from "../list/list";

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

function q(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

const PREVIEW: DeletePreview = { profiles: 2, accounts: 3, opportunities: 1, tickets: 0, tasks: 2, server: null };

type Call = [string, Record<string, unknown>];

/** Mocks the core: the preview answers `preview` (or throws it), delete answers one entry per id. */
function mockCore(preview: DeletePreview | { code: string; message: string } = PREVIEW): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push([cmd, a]);
    if (cmd === "delete_preview") {
      if ("code" in preview) throw preview;
      return preview;
    }
    if (cmd === "delete_profiles") {
      const ids = a.ids as number[];
      return { deleted: ids.length, auditEntries: ids.map((_, i) => 10 + i) } satisfies DeleteResult;
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return calls;
}

function typeReason(text: string): void {
  const reason = q("delete-reason") as HTMLTextAreaElement;
  reason.value = text;
  reason.dispatchEvent(new Event("input", { bubbles: true }));
}

async function openDialog(ids: number[], onDeleted: (r: DeleteResult) => void = () => undefined): Promise<DeleteDialog> {
  const dialog = new DeleteDialog({ ids, onDeleted });
  await dialog.open(document.body);
  await settle();
  return dialog;
}

describe("delete dialog", () => {
  it("shows how many linked objects lose their link and warns that deletion is irreversible", async () => {
    const calls = mockCore();
    await openDialog([7, 8]);
    expect(calls[0], "the preview is asked for the selected ids").toEqual(["delete_preview", { ids: [7, 8] }]);
    const counts = q("delete-counts")!;
    const count = (kind: string): string | null | undefined =>
      counts.querySelector(`[data-kind="${kind}"] .delete-count-number`)?.textContent;
    expect(
      [count("accounts"), count("opportunities"), count("tickets"), count("tasks")],
      "one count per kind of linked object, as the core returned them",
    ).toEqual(["3", "1", "0", "2"]);
    expect(counts.textContent, "kinds are named").toContain("Accounts");
    expect(counts.textContent, "one opportunity is singular").toContain("1Opportunity");
    expect(q("delete-warning")?.textContent, "the dialog says it cannot be undone").toContain("irreversible");
    expect(q("delete-dialog")?.querySelector("h2")?.textContent, "the title names the count").toBe("Delete 2 profiles");
    expect((q("delete-confirm") as HTMLButtonElement).disabled, "Delete is offered once the counts are known").toBe(false);
    expect(q("delete-server"), "no server: nothing said of one").toBeNull();
  });

  it("says the delete and the links' removal go to the server the store syncs with", async () => {
    mockCore({ ...PREVIEW, server: "https://cdp.example.vn" });
    await openDialog([7, 8]);
    expect(q("delete-counts")?.textContent).toContain("lose their link to the 2 profiles, here and on cdp.example.vn");
    expect(q("delete-server")?.textContent).toContain("This computer syncs with cdp.example.vn: the delete and its reason go there too");
  });

  it("refuses an empty reason before calling the backend, then sends the trimmed reason", async () => {
    const calls = mockCore();
    const deleted: DeleteResult[] = [];
    await openDialog([7, 8], (r) => deleted.push(r));
    typeReason("   \n  ");
    q("delete-confirm")!.click();
    await settle();
    const error = q("delete-error")!;
    expect(error.hidden, "the inline error shows").toBe(false);
    expect(error.textContent, "it says a reason is needed").toContain("reason");
    expect(q("delete-reason")?.getAttribute("aria-invalid"), "the textarea is marked invalid").toBe("true");
    expect(
      calls.some(([cmd]) => cmd === "delete_profiles"),
      "no delete reaches the backend without a reason",
    ).toBe(false);

    typeReason("  Duplicate of #12  ");
    expect(error.hidden, "typing clears the error").toBe(true);
    q("delete-confirm")!.click();
    await settle();
    expect(calls.find(([cmd]) => cmd === "delete_profiles"), "the ids and the trimmed reason are sent").toEqual([
      "delete_profiles",
      { ids: [7, 8], reason: "Duplicate of #12" },
    ]);
    expect(deleted, "the caller learns the result").toEqual([{ deleted: 2, auditEntries: [10, 11] }]);
    expect(q("delete-dialog"), "the dialog closes after deleting").toBeNull();
    expect(deletedMessage(deleted[0]!), "the toast text").toBe("Deleted 2 profiles");
    expect(deletedMessage({ deleted: 1, auditEntries: [1] }), "singular").toBe("Deleted 1 profile");
  });

  it("refuses a reason over 500 characters before calling the backend", async () => {
    const calls = mockCore();
    await openDialog([7]);
    typeReason("x".repeat(501));
    q("delete-confirm")!.click();
    await settle();
    expect(q("delete-error")?.textContent, "the limit and the length are named").toBe(
      "The reason can have at most 500 characters (it has 501)",
    );
    expect(calls.map(([cmd]) => cmd), "only the preview was called").toEqual(["delete_preview"]);
    expect(reasonProblem("ễ".repeat(500)), "500 characters, whatever their encoding, are fine").toBeNull();
  });

  it("shows the core's refusal (e.g. the 100-profile limit) inline and offers no Delete", async () => {
    const message = "You selected 101 profiles; at most 100 profiles can be deleted at once";
    mockCore({ code: "limit", message });
    await openDialog(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(q("delete-error")?.textContent, "the core's message, verbatim").toBe(message);
    expect((q("delete-confirm") as HTMLButtonElement).disabled, "nothing can be deleted").toBe(true);
  });

  it("Cancel closes without deleting", async () => {
    const calls = mockCore();
    await openDialog([7]);
    typeReason("Duplicate");
    q("delete-cancel")!.click();
    expect(q("delete-dialog"), "closed").toBeNull();
    expect(calls.map(([cmd]) => cmd), "nothing deleted").toEqual(["delete_preview"]);
  });
});

describe("delete entry points", () => {
  function detailView(canDelete: boolean, onDeleted: (r: DeleteResult) => void = () => undefined): DetailView {
    const v = new DetailView({
      fields: catalogue,
      channels,
      canEdit: true,
      canDelete,
      onBack: () => undefined,
      onChanged: () => undefined,
      onDeleted,
    });
    v.element.hidden = false;
    document.body.appendChild(v.element);
    v.render(detail());
    return v;
  }

  it("shows no trash icon without profile.delete", () => {
    detailView(false);
    expect(q("delete-button"), "users without profile.delete do not see the trash icon").toBeNull();
    expect(q("edit-button"), "the rest of the header is there").not.toBeNull();
  });

  it("deletes one profile from its detail screen", async () => {
    const calls = mockCore({ ...PREVIEW, profiles: 1 });
    const deleted: DeleteResult[] = [];
    detailView(true, (r) => deleted.push(r));
    q("delete-button")!.click();
    await settle();
    expect(q("delete-dialog")?.textContent, "the dialog names the profile").toContain("Nguyễn Văn A");
    expect(q("delete-dialog")?.querySelector("h2")?.textContent, "one profile").toBe("Delete profile");
    typeReason("Customer asked to be forgotten");
    q("delete-confirm")!.click();
    await settle();
    expect(calls.find(([cmd]) => cmd === "delete_profiles")?.[1], "the detail's id is deleted").toEqual({
      ids: [42],
      reason: "Customer asked to be forgotten",
    });
    expect(deleted.map((r) => r.deleted), "the shell is told (it closes the detail)").toEqual([1]);
  });

  function listView(canDelete: boolean, deleted: DeleteResult[] = []): { list: ListView; calls: Call[] } {
    const calls: Call[] = [];
    let total = 50;
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push([cmd, a]);
      if (cmd === "count_profiles") return { total, filtered: total };
      if (cmd === "list_profiles") {
        const { offset, limit } = a as unknown as { query: ListQuery; offset: number; limit: number };
        const n = Math.max(0, Math.min(limit, total - offset));
        return { offset, rows: Array.from({ length: n }, (_, k) => ({ id: 100 - offset - k, cells: { full_name: `P ${k}` } })) };
      }
      if (cmd === "delete_preview") return { ...PREVIEW, profiles: (a.ids as number[]).length };
      if (cmd === "delete_profiles") {
        const ids = a.ids as number[];
        total -= ids.length;
        return { deleted: ids.length, auditEntries: ids };
      }
      throw new Error(`unexpected command ${cmd}`);
    });
    const list = new ListView({
      fields: catalogue,
      columns: ["full_name"],
      canCreate: true,
      canDelete,
      onOpen: () => undefined,
      onCreate: () => undefined,
      onDeleted: (r) => deleted.push(r),
    });
    document.body.appendChild(list.element);
    const scroller = document.querySelector(".vt-scroller")!;
    Object.defineProperty(scroller, "clientHeight", { configurable: true, value: 360 });
    return { list, calls };
  }

  it("offers no bulk delete without profile.delete", async () => {
    const { list } = listView(false);
    await list.refresh();
    await settle();
    document.querySelector<HTMLInputElement>('[data-testid="row-checkbox"]')!.click();
    await settle();
    expect(q("selection-count")?.textContent, "a row is selected").toBe("1");
    expect(q("bulk-delete-button"), "but no delete action is offered").toBeNull();
  });

  it("deletes the list selection, then clears it and refreshes the counts", async () => {
    const deleted: DeleteResult[] = [];
    const { list, calls } = listView(true, deleted);
    await list.refresh();
    await settle();
    const bulk = q("bulk-delete-button")!;
    expect(bulk.closest(".selection-bar")?.hasAttribute("hidden"), "hidden while nothing is selected").toBe(true);
    const boxes = [...document.querySelectorAll<HTMLInputElement>('[data-testid="row-checkbox"]')];
    boxes[0]!.click();
    await settle();
    boxes[1]!.click();
    await settle();
    expect(bulk.closest(".selection-bar")?.hasAttribute("hidden"), "shown with a selection").toBe(false);
    bulk.click();
    await settle();
    expect(q("delete-dialog")?.querySelector("h2")?.textContent, "the dialog counts the selection").toBe("Delete 2 profiles");
    typeReason("Duplicates");
    q("delete-confirm")!.click();
    await settle();
    await settle();
    const sent = calls.find(([cmd]) => cmd === "delete_profiles")?.[1] as { ids: number[] } | undefined;
    expect([...(sent?.ids ?? [])].sort((a, b) => a - b), "the selected ids are deleted").toEqual([99, 100]);
    expect(deleted.map((r) => r.deleted), "the shell is told (it shows the toast)").toEqual([2]);
    expect(q("selection-count")?.closest(".selection-bar")?.hasAttribute("hidden"), "the selection is cleared").toBe(true);
    expect(q("count-total")?.textContent, "the counts are refreshed").toBe("48");
  });

describe("delete dialog: the profiles by name", () => {
  it("names the first three of a selection and says how many more", async () => {
    mockCore({ ...PREVIEW, profiles: 20 });
    const ids = Array.from({ length: 20 }, (_, i) => 100 + i);
    const names = ids.map((id, i) => (i === 1 ? "<img src=x onerror=alert(1)>" : `Nguyễn Văn ${id}`));
    const dialog = new DeleteDialog({ ids, names, onDeleted: () => undefined });
    await dialog.open(document.body);
    await settle();
    const items = [...q("delete-names")!.querySelectorAll("li")].map((li) => li.textContent);
    expect(items).toEqual(["Nguyễn Văn 100", "<img src=x onerror=alert(1)>", "Nguyễn Văn 102", "and 17 more"]);
    expect(q("delete-names")!.querySelector("img"), "a name is text, never markup").toBeNull();
    expect(q("delete-dialog")?.textContent, "with the count").toContain("20 selected profiles will be deleted:");
  });

  it("names all of four (not 'and 1 more'), and a profile whose name is unknown by its id", async () => {
    mockCore();
    const dialog = new DeleteDialog({ ids: [7, 8, 9, 10], names: ["Lan", "", "Minh", "Hùng"], onDeleted: () => undefined });
    await dialog.open(document.body);
    await settle();
    expect([...q("delete-names")!.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Lan", "#8", "Minh", "Hùng"]);
    expect(namedTargets([1, 2, 3, 4, 5], ["a", "b", "c", "d", "e"]), "five: three names and 2 more").toEqual({ names: ["a", "b", "c"], more: 2 });
  });

  it("names a profile without a name by its phone, shown as everywhere", async () => {
    mockCore();
    expect(namedTargets([1, 2], ["+84912345678", "Trần Thị Lan"]).names).toEqual(["0912 345 678", "Trần Thị Lan"]);
    const dialog = new DeleteDialog({ ids: [7], label: "0912345678", onDeleted: () => undefined });
    await dialog.open(document.body);
    await settle();
    expect(q("delete-dialog")?.textContent).toContain("0912 345 678");
  });
});
});
