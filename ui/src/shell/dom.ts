// The only way the UI builds DOM: elements and text nodes, never HTML
// strings, so profile data can never become markup (CSP forbids inline
// scripts, but this also keeps `<img onerror>` from even being parsed).

export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Listener = (event: Event) => void;
export type AttrValue = string | number | boolean | null | undefined | Listener;
export type Attrs = Record<string, AttrValue>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      setAttr(el, name, value);
    }
  }
  append(el, ...children);
  return el;
}

function setAttr(el: HTMLElement, name: string, value: AttrValue): void {
  if (value === null || value === undefined || value === false) return;
  if (typeof value === "function") {
    if (!name.startsWith("on")) throw new Error(`attribute ${name} cannot be a function`);
    el.addEventListener(name.slice(2).toLowerCase(), value);
    return;
  }
  // `value` and `checked` must be properties: the attributes only set the
  // defaults, which a textarea or a re-rendered checkbox would ignore.
  if (name === "value" && "value" in el) {
    (el as HTMLInputElement).value = String(value);
    return;
  }
  if (name === "checked" && el instanceof HTMLInputElement) {
    el.checked = Boolean(value);
    return;
  }
  el.setAttribute(name, value === true ? "" : String(value));
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(parent, ...(child as readonly Child[]));
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child as string | number)));
    }
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Trailing-edge debounce; `cancel` drops a pending call (e.g. on close). */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): ((...args: A) => void) & { cancel(): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const run = (...args: A): void => {
    pending = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const a = pending;
      pending = undefined;
      if (a) fn(...a);
    }, ms);
  };
  run.cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  run.flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const a = pending;
    pending = undefined;
    if (a) fn(...a);
  };
  return run;
}

let idCounter = 0;
/** Unique ids tie labels and error texts to inputs (for/aria-describedby). */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * Keeps Tab and Shift+Tab inside `container` (a modal dialog over the page): from the last
 * focusable element Tab wraps to the first, and the reverse.
 */
export function trapFocus(container: HTMLElement, e: KeyboardEvent): void {
  const focusable = [
    ...container.querySelectorAll<HTMLElement>("button, input, select, textarea, [tabindex]:not([tabindex='-1'])"),
  ].filter((el) => !el.hasAttribute("disabled") && el.getClientRects().length > 0 && el.tabIndex >= 0);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
