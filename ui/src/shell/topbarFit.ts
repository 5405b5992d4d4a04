// The top bar stays one row: when its items would wrap (a longer language, the sync chip, a
// merge review count, a narrow window), it takes the steps below until they fit, and gives
// them back when the room is there again.

/** Whether `bar`'s items sit on more than one line: one starts below another's bottom. */
export function wraps(bar: HTMLElement): boolean {
  const items = [...bar.children].filter((c): c is HTMLElement => c instanceof HTMLElement && c.offsetHeight > 0);
  if (items.length === 0) return false;
  const firstRowBottom = Math.min(...items.map((i) => i.offsetTop + i.offsetHeight));
  return items.some((i) => i.offsetTop >= firstRowBottom);
}

/**
 * The steps a top bar short of room takes, one after the other until its items fit: first
 * the role line and the About label give way and buttons draw closer; then the buttons that
 * have an icon show only it (their name stays in the tooltip and for screen readers) and the
 * product's name leaves the brand mark alone.
 */
export const STEPS = ["topbar-compact", "topbar-tight"] as const;

/** Keeps `bar` on one row, taking as few [`STEPS`] as it needs; answers a function that stops watching. */
export function keepOnOneRow(bar: HTMLElement): () => void {
  if (typeof ResizeObserver === "undefined") return () => undefined;
  // From the full size each time: the result depends only on the widths, so it never flips.
  const fit = (): void => {
    bar.classList.remove(...STEPS);
    for (const step of STEPS) {
      if (!wraps(bar)) return;
      bar.classList.add(step);
    }
  };
  const observer = new ResizeObserver(fit);
  observer.observe(bar);
  // Items change size too (a language, a count in Merge review, the sync chip's text, a
  // button shown or hidden).
  for (const child of bar.children) observer.observe(child);
  const mutations = new MutationObserver(fit);
  mutations.observe(bar, { childList: true, subtree: true, characterData: true, attributeFilter: ["hidden"] });
  fit();
  return () => {
    observer.disconnect();
    mutations.disconnect();
  };
}
