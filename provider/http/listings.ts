/**
 * Listings read once per run and shared by every resource of the provider process. The engine
 * starts one dynamic-provider process per run (`@pulumi/pulumi/cmd/dynamic-provider`) and Node's
 * module cache hands every resource the same copy of this package, so what is cached here was read
 * during this run, never before it: an out-of-band change made before the run is seen. Within the
 * run, any write to an appliance through this process makes its listings stale (a generation
 * count), so a read after a create sees the new object; a listing read while a write was in flight
 * is used by the reads that waited for it, never stored for later ones. `maxAgeMs` bounds a long
 * run, or a process that is not a run (the CLI).
 */
export class RunListings {
  private readonly entries = new Map<string, { generation: number; readAt: number; value: Promise<unknown> }>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly maxAgeMs = 30_000) {}

  /** The listing `name` of the appliance at `origin`: the run's copy, or read now by `fetch`. */
  read<T>(origin: string, name: string, fetch: () => Promise<T>): Promise<T> {
    const key = `${origin} ${name}`;
    const generation = this.generation(origin);
    const cached = this.entries.get(key);
    if (cached && cached.generation === generation && Date.now() - cached.readAt <= this.maxAgeMs) return cached.value as Promise<T>;
    const value = fetch();
    const entry = { generation, readAt: Date.now(), value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Something at `origin` changed (or is about to): its listings are read again when next asked for. */
  invalidate(origin: string): void {
    this.generations.set(origin, this.generation(origin) + 1);
  }

  private generation(origin: string): number {
    return this.generations.get(origin) ?? 0;
  }
}

/** The provider process's listings (the run's): product clients made for resources use it; tests pass their own or none. */
export const processListings = new RunListings();
