import { describe, expect, it } from "vitest";
import { Latest } from "./latest";

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("Latest", () => {
  it("only the request begun last is the latest", () => {
    const latest = new Latest();
    const first = latest.begin();
    expect(first(), "alone, the first is the latest").toBe(true);
    const second = latest.begin();
    expect(first(), "a later request makes the first stale").toBe(false);
    expect(second(), "the second is the latest").toBe(true);
  });

  it("invalidate makes every request so far stale", () => {
    const latest = new Latest();
    const a = latest.begin();
    latest.invalidate();
    expect(a(), "stale after invalidate").toBe(false);
    expect(latest.begin()(), "a new request after it is the latest").toBe(true);
  });

  it("stamp checks the current round without ending it", () => {
    const latest = new Latest();
    const page1 = latest.stamp();
    const page2 = latest.stamp();
    expect([page1(), page2()], "requests of one round are all current").toEqual([true, true]);
    latest.invalidate();
    expect([page1(), page2()], "a reset ends the round").toEqual([false, false]);
  });

  it("run answers the latest request's value and drops earlier ones, even when they answer last", async () => {
    const latest = new Latest();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = latest.run(() => slow.promise);
    const second = latest.run(() => fast.promise);
    fast.resolve("fast");
    slow.resolve("slow");
    expect(await second, "the latest request's answer").toBe("fast");
    expect(await first, "the earlier answer is dropped").toBeUndefined();
  });

  it("run rejects with the latest request's error and swallows stale ones", async () => {
    const latest = new Latest();
    const old = deferred<string>();
    const first = latest.run(() => old.promise);
    const second = latest.run(() => Promise.reject(new Error("latest failed")));
    old.reject(new Error("stale failure"));
    await expect(first, "a stale failure is nobody's business").resolves.toBeUndefined();
    await expect(second, "the latest failure is reported").rejects.toThrow("latest failed");
  });
});
