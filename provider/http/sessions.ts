/**
 * Process-wide cache of logins, keyed by endpoint and identity: concurrent operations share one
 * login (single flight), and a 401 drops only the session that failed, so a burst of requests
 * that all see the same expired token re-authenticates once.
 */
export class SessionCache<S> {
  private readonly entries = new Map<string, Promise<S>>();

  get(key: string, login: () => Promise<S>): Promise<S> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = login();
      this.entries.set(key, entry);
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    return entry;
  }

  /** Forget `stale` if it is still the cached session for `key`. */
  async invalidate(key: string, stale: S): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && (await entry.catch(() => undefined)) === stale) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
