/** Simulated wall clock: real time plus an offset that the admin API can jump forward. */
export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  iso(at: number = this.now()): string {
    return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
