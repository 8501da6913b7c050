/**
 * The record on disk of the tests a drill started (`.drprotect/drill-<stack>.json` next to the
 * program): written before a test is started, removed once the appliance shows it stopped. A run
 * killed in between leaves its entries, which `drill --cleanup` (and the next drill) settle by asking
 * the appliance, never by guessing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DrillTarget } from "../../provider/failoverTest";

export interface StartedEntry {
  target: DrillTarget;
  /** The process that started the test. */
  pid: number;
  startedAt: string;
}

export class DrillRecord {
  readonly file: string;

  constructor(programDir: string, stack: string) {
    this.file = path.join(programDir, ".drprotect", `drill-${stack.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
  }

  entries(): StartedEntry[] {
    if (!fs.existsSync(this.file)) return [];
    const saved = JSON.parse(fs.readFileSync(this.file, "utf8"));
    return Array.isArray(saved.started) ? saved.started : [];
  }

  add(target: DrillTarget): void {
    this.write([...this.entries().filter((e) => e.target.urn !== target.urn), { target, pid: process.pid, startedAt: new Date().toISOString() }]);
  }

  remove(urn: string): void {
    this.write(this.entries().filter((e) => e.target.urn !== urn));
  }

  /** Written whole and renamed into place, so a kill never leaves half a record. */
  private write(started: StartedEntry[]): void {
    if (!started.length) {
      fs.rmSync(this.file, { force: true });
      return;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, started }, null, 2) + "\n");
    fs.renameSync(tmp, this.file);
  }
}

/** Whether the process that wrote an entry still runs (its test is then its own business). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
