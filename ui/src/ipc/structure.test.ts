/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";

// The ipc modules build on call.ts, never on the barrel (no import cycle), and take every type
// that crosses IPC from the generated bindings instead of declaring a copy.
const sources = import.meta.glob<string>(["./*.ts", "!./*.test.ts"], { query: "?raw", import: "default", eager: true });
const generated = new Set(
  Object.keys(import.meta.glob("./bindings/*.ts")).map((path) => path.replace(/^\.\/bindings\/|\.ts$/g, "")),
);
const modules = Object.entries(sources);

describe("ui/src/ipc", () => {
  it("finds the modules and the generated bindings", () => {
    expect(modules.length, "call.ts, the barrel and the feature modules").toBeGreaterThan(5);
    expect(generated.has("JobSummary"), "the generated bindings are listed").toBe(true);
  });

  it.each(modules.filter(([path]) => path !== "./index.ts"))("%s does not import the barrel", (path, text) => {
    expect(text, `${path} must import call/IpcError from ./call, not from ./index`).not.toMatch(/from\s+["']\.\/(index)?["']/);
  });

  it.each(modules)("%s declares no copy of a generated type", (path, text) => {
    const declared = [...text.matchAll(/export\s+(?:type|interface)\s+(\w+)\s*[=<{]/g)].map((m) => m[1] ?? "");
    expect(declared.filter((name) => generated.has(name)), `${path} redeclares generated types`).toEqual([]);
  });
});
