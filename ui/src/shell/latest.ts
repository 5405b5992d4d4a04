// "Latest request wins": a screen that asks the core again (a new search, the next profile)
// must ignore the answers of the requests it started before. `begin()` starts a request and
// returns its check; `stamp()` checks the current round without starting one; `invalidate()`
// makes every request so far stale (a reset, a close).
export type IsLatest = () => boolean;

export class Latest {
  private generation = 0;

  /** Starts a request; the returned check says whether it is still the latest one. */
  begin(): IsLatest {
    const mine = ++this.generation;
    return () => mine === this.generation;
  }

  /**
   * A check for the requests of the current round, without starting a new one: several may run
   * together (the pages of one list) until `begin` or `invalidate` ends the round.
   */
  stamp(): IsLatest {
    const mine = this.generation;
    return () => mine === this.generation;
  }

  /** Every request begun so far is stale from now on. */
  invalidate(): void {
    this.generation++;
  }

  /**
   * Runs `task` as the latest request: resolves with its value, or with `undefined` when a later
   * request began (or `invalidate` was called) before it answered. Errors of stale requests are
   * swallowed; the latest one's errors reject.
   */
  async run<T>(task: () => Promise<T>): Promise<T | undefined> {
    const isLatest = this.begin();
    try {
      const value = await task();
      return isLatest() ? value : undefined;
    } catch (err) {
      if (isLatest()) throw err;
      return undefined;
    }
  }
}
