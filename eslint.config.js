// Lints the UI (ui/src). Type-aware rules catch floating promises, which in
// an IPC-driven UI are errors nobody sees.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["ui/dist/**", "ui/src/ipc/bindings/**", "node_modules/**", "target/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ["ui/src/**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "no-console": "error",
      // Only ui/src/ipc talks to Tauri (ENGINEERING.md: one boundary module).
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@tauri-apps/*"], message: "Import the typed commands from ui/src/ipc instead." }] },
      ],
      // Profile data must never be parsed as HTML.
      "no-restricted-syntax": [
        "error",
        {
          selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
          message: "Build DOM with h()/textContent; never assign HTML strings.",
        },
        {
          selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]",
          message: "Build DOM with h()/textContent; never insert HTML strings.",
        },
      ],
      "no-eval": "error",
      "no-implied-eval": "off",
      "@typescript-eslint/no-implied-eval": "error",
    },
  },
  {
    files: ["ui/src/ipc/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tests (and their shared fixtures) mock the IPC layer directly, and
    // reject with plain objects because that is what the core sends.
    files: ["ui/src/**/*.test.ts", "ui/src/testFixtures.ts"],
    rules: { "no-restricted-imports": "off", "@typescript-eslint/only-throw-error": "off" },
  },
  {
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
