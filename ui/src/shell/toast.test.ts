import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { showToast } from "./toast";

beforeEach(() => vi.useFakeTimers());

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

function toasts(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="toast"]')].filter((t) => !t.classList.contains("leaving"));
}

describe("toasts", () => {
  it("say success in green by default and keep the old tone argument", () => {
    const done = showToast("Created profile Nguyễn Văn Ánh");
    const info = showToast("Opening the demo in its own window…", "info");
    expect(done.dataset.tone, "no tone given: success").toBe("success");
    expect(done.classList.contains("toast-success"), "styled as success").toBe(true);
    expect(info.dataset.tone, "the tone as the second argument still works").toBe("info");
    expect(done.querySelector(".toast-text")?.textContent, "the text is the message exactly").toBe("Created profile Nguyễn Văn Ánh");
    expect(done.querySelector('[data-testid="toast-action"]'), "no action unless one is given").toBeNull();
  });

  it("carries an action: the button runs it and the toast goes", () => {
    const run = vi.fn();
    const toast = showToast("Matches 2 different profiles; a merge review was created", {
      tone: "warning",
      action: { label: "Open merge review", run },
    });
    expect(toast.classList.contains("toast-warning"), "a warning is not styled as success").toBe(true);
    expect(toast.classList.contains("toast-success"), "and not green").toBe(false);
    const button = toast.querySelector<HTMLButtonElement>('[data-testid="toast-action"]')!;
    expect(button.textContent, "the action's label").toBe("Open merge review");
    button.click();
    expect(run, "the action ran once").toHaveBeenCalledTimes(1);
    expect(toasts(), "the toast leaves after its action").toEqual([]);
  });

  it("fades a plain toast after a few seconds, but keeps one with an action longer and while pointed at", () => {
    const plain = showToast("Profile saved");
    const withAction = showToast("A merge review was created", { tone: "warning", action: { label: "Open merge review", run: () => undefined } });
    vi.advanceTimersByTime(7000);
    expect(toasts(), "the plain toast is gone, the one with a button stays").toEqual([withAction]);
    expect(plain.classList.contains("leaving"), "the plain one is leaving").toBe(true);
    withAction.dispatchEvent(new Event("mouseenter"));
    vi.advanceTimersByTime(60000);
    expect(toasts(), "the pointer on it holds it").toEqual([withAction]);
    withAction.dispatchEvent(new Event("mouseleave"));
    vi.advanceTimersByTime(16000);
    expect(toasts(), "after the pointer left it fades").toEqual([]);
  });
});
