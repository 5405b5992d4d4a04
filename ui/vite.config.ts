import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The config is loaded from the repo root (`--config ui/vite.config.ts`), so
// paths are anchored to this file rather than to the working directory.
const uiDir = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: uiDir,
  // Tauri serves the bundle from its own protocol; relative asset URLs keep
  // it independent of the origin.
  base: "./",
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**", "**/target/**", "**/crates/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK / WebView2 / WKWebView of Tauri 2's supported platforms.
    target: ["es2022", "safari15"],
    sourcemap: false,
  },
  test: {
    // Test paths are written from the repo root, as the scripts run there.
    root: repoRoot,
    include: ["ui/src/**/*.test.ts"],
    environment: "happy-dom",
  },
});
