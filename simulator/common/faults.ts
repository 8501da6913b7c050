import { SeededRandom } from "./random";

/**
 * Transport-level faults, applied before a request reaches its handler (latency, error status)
 * or after it was handled (dropped connection: the side effect happened, the client never hears).
 */
export type FaultKind = "latency" | "status" | "drop";

export interface FaultRule {
  kind: FaultKind;
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Regular expression tested against the request path (any when absent). */
  path?: string;
  /** Chance that a matching request is hit, 0..1 (default 1). Drawn from the seeded generator. */
  probability?: number;
  /** Matching requests to let through untouched before the rule starts firing. */
  skip?: number;
  /** How many times the rule fires before it retires (unbounded when absent). */
  times?: number;
  /** latency: added delay. */
  delayMs?: number;
  /** status: the status code to answer with (default 503). */
  status?: number;
  /** status: Retry-After header value in seconds. */
  retryAfterSeconds?: number;
}

interface ActiveRule extends FaultRule {
  id: number;
  seen: number;
  fired: number;
  pattern?: RegExp;
}

export interface FaultDecision {
  delayMs: number;
  status?: { status: number; retryAfterSeconds?: number; ruleId: number };
  drop: boolean;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private random: SeededRandom;
  /** Every fault that fired, for tests that count faults survived. */
  readonly fired: Array<{ ruleId: number; kind: FaultKind; method: string; path: string }> = [];

  constructor(seed = 1) {
    this.random = new SeededRandom(seed);
  }

  reset(seed?: number): void {
    this.rules = [];
    if (seed !== undefined) this.random = new SeededRandom(seed);
  }

  add(rule: FaultRule): number {
    if (!["latency", "status", "drop"].includes(rule.kind)) throw new Error(`unknown fault kind ${rule.kind}`);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, seen: 0, fired: 0, pattern: rule.path ? new RegExp(rule.path, "i") : undefined });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  list(): Array<FaultRule & { id: number; fired: number }> {
    return this.rules.map(({ pattern: _pattern, seen: _seen, ...rest }) => rest);
  }

  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, drop: false };
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.pattern && !rule.pattern.test(path)) continue;
      rule.seen++;
      if (rule.skip && rule.seen <= rule.skip) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.probability !== undefined && this.random.next() >= rule.probability) continue;
      rule.fired++;
      this.fired.push({ ruleId: rule.id, kind: rule.kind, method, path });
      if (rule.kind === "latency") decision.delayMs += rule.delayMs ?? 0;
      else if (rule.kind === "drop") decision.drop = true;
      else if (!decision.status) {
        decision.status = { status: rule.status ?? 503, retryAfterSeconds: rule.retryAfterSeconds, ruleId: rule.id };
      }
    }
    return decision;
  }
}
