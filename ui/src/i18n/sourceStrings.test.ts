// No user-visible string outside the catalogue: every string literal in the UI's code that
// reads as words (two words, or a capitalised word) must sit where people never read it — a
// module name, a class or test id, an IPC command, a comparison with a code, a developer's
// error — or be in a folder's messages.ts. A new sentence typed straight into a screen fails
// here, naming the file and line.
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every module's text, read by Vite (keys: "../list/list.ts").
const SOURCES = import.meta.glob<string>(["../**/*.ts", "!../**/*.test.ts", "!../**/messages.ts", "!./**", "!../ipc/bindings/**", "!../**/*Fixtures.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/**
 * Text a person would read: two words, or a capitalised word of three letters or more — not a
 * list of class names ("button button-primary") nor one identifier ("IpcError").
 */
function readsAsWords(text: string): boolean {
  const trimmed = text.trim();
  if (/^[a-z0-9-]+( [a-z0-9-]+)*$/.test(trimmed) && trimmed.includes("-")) return false;
  if (/^\p{Lu}\p{Ll}+(\p{Lu}\p{Ll}*)+$/u.test(trimmed)) return false;
  return /\p{L}{2,}[ \u00a0]+\p{L}{2,}/u.test(text) || /(^|[^\p{L}.#-])\p{Lu}\p{Ll}{2,}/u.test(text);
}

/** Attributes whose values people never read. */
const CODE_ATTRIBUTES = new Set([
  "class",
  "className",
  "id",
  "for",
  "type",
  "role",
  "name",
  "autocomplete",
  "inputmode",
  "accept",
  "spellcheck",
  "href",
  "lang",
  "method",
  "target",
  "rel",
  "tone",
  "kind",
  "testid",
]);

/** Calls whose string arguments are code: DOM look-ups, IPC, events, developers' messages. */
const CODE_CALLS = new Set([
  "querySelector",
  "querySelectorAll",
  "closest",
  "matches",
  "getAttribute",
  "setAttribute",
  "removeAttribute",
  "hasAttribute",
  "toggleAttribute",
  "addEventListener",
  "removeEventListener",
  "dispatchEvent",
  "call",
  "invoke",
  "listen",
  "emit",
  "add",
  "remove",
  "toggle",
  "contains",
  "getItem",
  "setItem",
  "startsWith",
  "endsWith",
  "includes",
  "replace",
  "replaceAll",
  "split",
  "join",
  "localeCompare",
  "error",
  "warn",
  "log",
  "debug",
]);

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return "";
}

/** Whether the literal `node` stands where its text is code, not something shown. */
function inCodePosition(node: ts.Node): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  // Through parentheses, `a ?? "x"`, `c ? "x" : "y"`, template spans and arrays.
  while (
    parent &&
    (ts.isParenthesizedExpression(parent) ||
      ts.isConditionalExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isTemplateSpan(parent) ||
      ts.isTemplateExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      (ts.isBinaryExpression(parent) &&
        [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.PlusToken].includes(parent.operatorToken.kind)))
  ) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isImportTypeNode(parent)) return true;
  if (ts.isLiteralTypeNode(parent) || ts.isTypeNode(parent)) return true;
  if (ts.isCaseClause(parent)) return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if ([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.InKeyword].includes(op)) return true;
  }
  if (ts.isPropertyAssignment(parent)) {
    if (parent.name === child) return true;
    const key = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : "";
    if (CODE_ATTRIBUTES.has(key) || key.startsWith("data-") || key.startsWith("aria-controls") || key === "aria-describedby" || key === "aria-labelledby") return true;
  }
  if (ts.isElementAccessExpression(parent)) return true;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(child as ts.Expression)) {
    const name = calleeName(parent);
    if (CODE_CALLS.has(name)) return true;
    // `h("p", …)`: the tag is code, the children are what people read.
    if ((name === "h" || name === "createElement") && parent.arguments?.[0] === child) return true;
    // Developers' errors: `throw new Error("…")` is for the console, not a person.
    if (ts.isNewExpression(parent) && name === "Error") return true;
  }
  return false;
}

interface Finding {
  where: string;
  text: string;
}

function findings(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) text = node.text;
    if (text !== null && readsAsWords(text)) {
      const literal = ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) ? node.parent : node;
      const holder = ts.isTemplateSpan(literal) ? literal.parent : literal;
      if (!inCodePosition(holder)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push({ where: `${file.replace(/^\.\.\//, "")}:${line + 1}`, text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Literals that read as words but are not UI text, each with why. Keep it short: a string a
 * person reads belongs in a catalogue.
 */
const ALLOWED = new Map<string, string>([
  ["Profile Desk", "the product's name, the same in every language"],
  ["English", "each language's name is written in that language, whatever the UI's"],
  ["Tiếng Việt", "each language's name is written in that language, whatever the UI's"],
]);

describe("the UI's strings", () => {
  it("are all in a catalogue", () => {
    expect(Object.keys(SOURCES).length, "the UI's modules were read").toBeGreaterThan(50);
    const stray = Object.entries(SOURCES)
      .flatMap(([file, text]) => findings(file, text))
      .filter((f) => !ALLOWED.has(f.text));
    expect(stray.map((f) => `${f.where}: ${JSON.stringify(f.text)}`)).toEqual([]);
  });

  it("are caught when typed straight into a screen", () => {
    const screen = [
      'import { h } from "../shell/dom";',
      'const a = h("p", { class: "muted small", "data-testid": "x-hint", title: "Saved copies" }, "Choose a file");',
      'const b = h("button", { "aria-label": "Close the panel" }, `${3} rows left`);',
      'if (kind === "Field import") throw new Error("Not reachable here");',
      'el.querySelector(".sync-row button.primary");',
    ].join("\n");
    expect(findings("screen.ts", screen).map((f) => f.text)).toEqual(["Saved copies", "Choose a file", "Close the panel", " rows left"]);
    expect(readsAsWords("Hồ sơ")).toBe(true);
    expect(readsAsWords("button button-primary")).toBe(false);
    expect(readsAsWords("profile.view")).toBe(false);
    expect(readsAsWords("IpcError")).toBe(false);
  });
});
