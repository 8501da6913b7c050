import * as fs from "node:fs";
import * as path from "node:path";

/** dist/reliability-figures.json: every reliability suite adds its section, so one run yields one file. */
export const FIGURES_FILE = path.join(__dirname, "..", "..", "..", "reliability-figures.json");

export function recordFigures(section: string, figures: Record<string, unknown>): void {
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(FIGURES_FILE, "utf8"));
  } catch {
    // first suite of the run
  }
  all[section] = { ...figures, at: new Date().toISOString() };
  fs.writeFileSync(FIGURES_FILE, JSON.stringify(all, null, 2) + "\n");
  console.log(`      reliability figures [${section}]: ${Object.entries(figures)
    .filter(([, v]) => typeof v !== "object")
    .map(([k, v]) => `${k}=${v}`).join(", ")}`);
}
