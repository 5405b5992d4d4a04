// The top bar stays one row: when its items would wrap (a longer language, the sync chip, a
// merge review count, a narrow window), it turns compact — the user's role and the About
// label give way to the avatar and an icon, and buttons draw closer — and it turns back once
// the row is wide enough again for the full size it needed (so it never flips to and fro).

/** Whether `bar`'s items sit on more than one line: one starts below another's bottom. */
export function wraps(bar: HTMLElement): boolean {
  const items = [...bar.children].filter((c): c is HTMLElement => c instanceof HTMLElement && c.offsetHeight > 0);
  if (items.length === 0) return false;
  const firstRowBottom = Math.min(...items.map((i) => i.offsetTop + i.offsetHeight));
  return items.some((i) => i.offsetTop >= firstRowBottom);
}

/** Keeps `bar` on one row, compact when needed; answers a function that stops watching. */
export function keepOnOneRow(bar: HTMLElement): () => void {
  if (typeof ResizeObserver === "undefined") return () => undefined;
  // The width the full-size bar wrapped at: below it, compact stays.
  let wrappedAt = 0;
  const fit = (): void => {
    const width = bar.clientWidth;
    if (bar.classList.contains("topbar-compact")) {
      if (width <= wrappedAt) return;
      bar.classList.remove("topbar-compact");
    }
    if (wraps(bar)) {
      wrappedAt = width;
      bar.classList.add("topbar-compact");
    }
  };
  const observer = new ResizeObserver(fit);
  observer.observe(bar);
  // Items change size too (a language, a count in Merge review, the sync chip's text).
  for (const child of bar.children) observer.observe(child);
  const mutations = new MutationObserver(() => {
    wrappedAt = 0;
    bar.classList.remove("topbar-compact");
    fit();
  });
  mutations.observe(bar, { childList: true, subtree: true, characterData: true });
  fit();
  return () => {
    observer.disconnect();
    mutations.disconnect();
  };
}
