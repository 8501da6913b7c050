import { sleep } from "./poll";

/** Requests in flight per appliance when the connection does not say (schema.json `<product>:maxConcurrentRequests`). */
export const DEFAULT_MAX_IN_FLIGHT = 8;

/**
 * The requests one appliance is sent at a time, shared by every client of the provider process
 * that addresses it (every resource, every profile): at most `limit` in flight, the rest queued in
 * order. When the appliance asks for a pause (429 or 503 with Retry-After), every request to it
 * waits, not only the one refused, so a busy appliance is not asked again before it said.
 */
export class ApplianceLimiter {
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];
  private pausedUntil = 0;

  constructor(private limit: number) {}

  /** A connection configured later with another limit: the smaller one holds, to stay polite. */
  lowerTo(limit: number): void {
    this.limit = Math.min(this.limit, Math.max(1, limit));
  }

  async run<T>(send: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) await sleep(wait);
      return await send();
    } finally {
      this.release();
    }
  }

  /** The appliance asked for `ms` of quiet. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    // the slot passes straight to the next request in line
    if (next) next();
    else this.inFlight--;
  }
}

const limiters = new Map<string, ApplianceLimiter>();

/** The limiter of the appliance at `origin` (scheme, host and port). */
export function applianceLimiter(origin: string, limit = DEFAULT_MAX_IN_FLIGHT): ApplianceLimiter {
  let limiter = limiters.get(origin);
  if (!limiter) {
    limiter = new ApplianceLimiter(Math.max(1, limit));
    limiters.set(origin, limiter);
  } else {
    limiter.lowerTo(limit);
  }
  return limiter;
}
