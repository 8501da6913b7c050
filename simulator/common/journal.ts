/** What a simulator received, in order: tests assert on it (e.g. "no mutating request"). */
export interface JournalEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: string;
  status: number;
  /** A request that changes managed objects (logins and reads are not mutations). */
  mutating: boolean;
  /** Request body, omitted for authentication routes so that no credential is ever kept. */
  body?: unknown;
  /** The fault applied, if any. */
  fault?: string;
}

export class RequestJournal {
  private entries: JournalEntry[] = [];
  private seq = 0;
  private readonly limit: number;

  constructor(limit = 20000) {
    this.limit = limit;
  }

  record(entry: Omit<JournalEntry, "seq">): void {
    this.entries.push({ ...entry, seq: ++this.seq });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(sinceSeq = 0): JournalEntry[] {
    return this.entries.filter((e) => e.seq > sinceSeq);
  }

  lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}
