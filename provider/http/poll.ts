export interface PollOptions {
  /** First wait, grown by `factor` up to `maxDelayMs` (adaptive: quick tasks answer fast, long ones cost few polls). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  timeoutMs: number;
  what: string;
}

export class PollTimeoutError extends Error {}

/** Calls `probe` until it returns a value other than undefined, or the timeout passes. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 250;
  for (;;) {
    const result = await probe();
    if (result !== undefined) return result;
    const left = deadline - Date.now();
    if (left <= 0) throw new PollTimeoutError(`timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what}`);
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * (options.factor ?? 1.5), options.maxDelayMs ?? 5000);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
