import type { JournalEntry, LoadSettings, RequestCounts } from "../simulator/common";

/** The simulators' admin API (/_admin/...), called the way an operator script would: plain HTTP on 127.0.0.1. */
export class SimAdmin {
  constructor(readonly url: string) {}

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  journal(): Promise<JournalEntry[]> {
    return this.call("GET", "/_admin/journal");
  }

  clearJournal(): Promise<void> {
    return this.call("DELETE", "/_admin/journal");
  }

  addFault(rule: Record<string, unknown>): Promise<{ id: number }> {
    return this.call("POST", "/_admin/faults", rule);
  }

  /** Removes every rule; the `fired` history is kept so a run can total it. */
  clearFaults(): Promise<void> {
    return this.call("DELETE", "/_admin/faults");
  }

  async faultsFired(): Promise<number> {
    const { fired } = await this.call<{ fired: unknown[] }>("GET", "/_admin/faults");
    return fired.length;
  }

  /** Latency added to every answer and the 429 throttle (simulator/common/load.ts). */
  setLoad(settings: Partial<LoadSettings>): Promise<LoadSettings> {
    return this.call("PUT", "/_admin/load", settings);
  }

  /** API requests answered since the last reset, by kind. */
  counters(): Promise<RequestCounts> {
    return this.call("GET", "/_admin/counters");
  }

  resetCounters(): Promise<void> {
    return this.call("DELETE", "/_admin/counters");
  }

  advanceClock(seconds: number): Promise<void> {
    return this.call("POST", "/_admin/clock", { advanceSeconds: seconds });
  }
}

/** Mutating requests in a journal (logins and reads excluded by the simulator itself). */
export const mutations = (entries: JournalEntry[]) => entries.filter((e) => e.mutating);
