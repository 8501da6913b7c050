import * as fs from "node:fs";
import * as path from "node:path";

/** dist/reliability-figures.json: every reliability suite adds its section, so one run yields one file. */
export const FIGURES_FILE = path.join(__dirname, "..", "reliability-figures.json");
const LOCK_DIR = `${FIGURES_FILE}.lock`;

export function recordFigures(section: string, figures: Record<string, unknown>): void {
  // suites run in parallel worker processes: one writer at a time, or a section could be lost
  withLock(() => {
    let all: Record<string, unknown> = {};
    try {
      all = JSON.parse(fs.readFileSync(FIGURES_FILE, "utf8"));
    } catch {
      // first suite of the run
    }
    all[section] = { ...figures, at: new Date().toISOString() };
    fs.writeFileSync(FIGURES_FILE, JSON.stringify(all, null, 2) + "\n");
  });
  console.log(`      reliability figures [${section}]: ${Object.entries(figures)
    .filter(([, v]) => typeof v !== "object")
    .map(([k, v]) => `${k}=${v}`).join(", ")}`);
}

/** mkdir is atomic: the directory is the lock. One still there after 10 s is a crashed writer's and is taken over. */
function withLock(write: () => void): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(LOCK_DIR);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (attempt >= 200) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      Atomics.wait(pause, 0, 0, 50);
    }
  }
  try {
    write();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
