import { describe, expect, it } from "vitest";

import { formatCell, formatCount, serverName } from "./format";

describe("formatCell", () => {
  it("shows timestamp columns in local time, other columns as they are", () => {
    const iso = "2026-11-28T10:47:16.041Z";
    const local = formatCell("created_at", iso);
    expect(local, "an ISO timestamp becomes 'yyyy-mm-dd hh:mm'").toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(local.startsWith("2026-11-2"), "the date survives the conversion").toBe(true);
    expect(formatCell("full_name", iso), "only *_at columns are dates").toBe(iso);
    expect(formatCell("updated_at", "not a date"), "unparseable text is shown as is").toBe("not a date");
  });

  it("formats counts with thousands separators", () => {
    expect(formatCount(1000000), "the list header reads 1,000,000").toBe("1,000,000");
  });
});

describe("serverName", () => {
  it("names a server by its host", () => {
    expect(serverName("https://cdp.example.vn")).toBe("cdp.example.vn");
    expect(serverName("http://127.0.0.1:8931/")).toBe("127.0.0.1:8931");
    expect(serverName("not a url")).toBe("not a url");
  });
});
