export interface PollOptions {
  /** First wait, grown by `factor` up to `maxDelayMs` (adaptive: quick tasks answer fast, long ones cost few polls). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  timeoutMs: number;
  what: string;
  /** How often a long wait says it is still waiting (default 30 s). */
  progressEveryMs?: number;
  /** Where that is said (default: the provider process's stderr, which the engine shows as it comes). */
  report?: (line: string) => void;
}

export class PollTimeoutError extends Error {}

/**
 * Calls `probe` until it returns a value other than undefined, or the timeout passes. A long wait
 * reports itself now and then: the engine gives a dynamic provider no progress channel of its own,
 * but prints what the provider process writes to stderr while the operation runs.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const every = options.progressEveryMs ?? 30_000;
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  let nextReport = started + every;
  let delay = options.initialDelayMs ?? 250;
  for (;;) {
    const result = await probe();
    if (result !== undefined) return result;
    const now = Date.now();
    const left = deadline - now;
    if (left <= 0) throw new PollTimeoutError(`timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what}`);
    if (now >= nextReport) {
      report(`pulumi-drprotect: still waiting for ${options.what}: ${duration(now - started)} so far, giving up after ${duration(options.timeoutMs)}`);
      nextReport = now + every;
    }
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * (options.factor ?? 1.5), options.maxDelayMs ?? 5000);
  }
}

/** "45s", "2m05s", "1h00m". */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
