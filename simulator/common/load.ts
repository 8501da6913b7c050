/**
 * How an appliance behaves under load, for the bench and the politeness tests: every API answer
 * takes `latencyMs` longer (a WAN), and above `throttlePerSecond` requests in the last second the
 * server answers 429 with Retry-After, as a busy appliance or its front end does. Requests are
 * counted by kind so that a run's cost can be read back.
 */
export interface LoadSettings {
  /** Added to every API answer (ms); 0 = none. */
  latencyMs: number;
  /** Requests accepted per rolling second before 429; 0 = unlimited. */
  throttlePerSecond: number;
}

export type RequestKind = "reads" | "writes" | "polls" | "logins";

export type RequestCounts = Record<RequestKind | "throttled", number>;

const WINDOW_MS = 1000;

export class LoadControl {
  private settings: LoadSettings;
  private accepted: number[] = [];
  private counts: RequestCounts = emptyCounts();

  constructor(settings: Partial<LoadSettings> = {}) {
    this.settings = { latencyMs: 0, throttlePerSecond: 0 };
    this.update(settings);
  }

  get current(): LoadSettings {
    return { ...this.settings };
  }

  update(settings: Partial<LoadSettings>): LoadSettings {
    for (const key of ["latencyMs", "throttlePerSecond"] as const) {
      const value = settings[key];
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value < 0) throw new Error(`${key} must be a whole number ≥ 0, not ${JSON.stringify(value)}`);
      this.settings[key] = value;
    }
    return this.current;
  }

  /**
   * Whether one more request fits in the rolling second; when it does not, the seconds after which
   * it would (the Retry-After to send).
   */
  admit(now = Date.now()): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    const limit = this.settings.throttlePerSecond;
    if (limit === 0) return { admitted: true };
    while (this.accepted.length > 0 && this.accepted[0] <= now - WINDOW_MS) this.accepted.shift();
    if (this.accepted.length >= limit) {
      this.counts.throttled++;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((this.accepted[0] + WINDOW_MS - now) / 1000)) };
    }
    this.accepted.push(now);
    return { admitted: true };
  }

  count(kind: RequestKind): void {
    this.counts[kind]++;
  }

  get counted(): RequestCounts {
    return { ...this.counts };
  }

  resetCounts(): void {
    this.counts = emptyCounts();
  }
}

function emptyCounts(): RequestCounts {
  return { reads: 0, writes: 0, polls: 0, logins: 0, throttled: 0 };
}

/** A task read (GET /v1/tasks/{id} at a ZVM, GET /tasks/{id} or POST /tasks/poll at VCDA): what a client polls while it waits. */
export function isTaskPoll(method: string, path: string): boolean {
  if (method === "POST") return /^\/tasks\/poll\/?$/i.test(path);
  return method === "GET" && /\/tasks\/[^/]+\/?$/i.test(path) && !/\/tasks\/types\/?$/i.test(path);
}
