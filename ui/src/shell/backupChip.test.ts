import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../i18n/lang";
import { BackupChip } from "./backupChip";

afterEach(() => setLang("en"));

describe("the daily backup's chip", () => {
  it("shows only while the backup runs", () => {
    const chip = new BackupChip();
    expect(chip.element.hidden, "nothing to show before the backup starts").toBe(true);
    chip.show({ state: "running" });
    expect(chip.element.hidden).toBe(false);
    expect(chip.element.textContent).toBe("Backing up…");
    expect(chip.element.getAttribute("role"), "read out by screen readers without stealing focus").toBe("status");
    chip.show({ state: "failed", message: "disk full" });
    expect(chip.element.hidden, "a failure is the banner's to say").toBe(true);
    chip.show({ state: "running" });
    chip.show({ state: "notDue" });
    expect(chip.element.hidden).toBe(true);
  });

  it("speaks Vietnamese", () => {
    setLang("vi");
    const chip = new BackupChip();
    chip.show({ state: "running" });
    expect(chip.element.textContent).toBe("Đang sao lưu…");
    expect(chip.element.title).toContain("sao lưu hằng ngày");
  });
});
