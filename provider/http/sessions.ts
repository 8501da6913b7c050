/**
 * Process-wide cache of logins, keyed by endpoint and identity: concurrent operations share one
 * login (single flight), and a 401 drops only the session that failed, so a burst of requests
 * that all see the same expired token re-authenticates once.
 */
export class SessionCache<S> {
  private readonly entries = new Map<string, { session: Promise<S>; settled?: { value: S } }>();

  get(key: string, login: () => Promise<S>): Promise<S> {
    let entry = this.entries.get(key);
    if (!entry) {
      const created: { session: Promise<S>; settled?: { value: S } } = { session: login() };
      entry = created;
      this.entries.set(key, created);
      // attached first, so `settled` is set before any caller resumes with the session
      created.session.then((value) => { created.settled = { value }; }, () => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
    }
    return entry.session;
  }

  /** The session cached for `key` once its login has finished; undefined while none is, or one is still under way. */
  peek(key: string): S | undefined {
    return this.entries.get(key)?.settled?.value;
  }

  /**
   * Forget `stale` if it is still the cached session for `key`. Synchronous on purpose: from the
   * moment a 401 is seen, no caller of `get` can be handed the refused session (a login already
   * under way, or one that produced another session, is kept).
   */
  invalidate(key: string, stale: S): void {
    const entry = this.entries.get(key);
    if (entry?.settled && entry.settled.value === stale) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
