import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..", "..");
/** A hand-written provider file longer than this is split at its seams (issue 20): one reads it whole before changing it. */
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".generated.ts") ? [file] : [];
  });
}

describe("provider/ source files", () => {
  it(`are at most ${MAX_LINES} lines each (generated files aside)`, () => {
    const files = sourceFiles(path.join(root, "provider"));
    assert.ok(files.length > 0, "no provider sources found");
    const tooLong = files
      .map((file) => ({ file: path.relative(root, file), lines: fs.readFileSync(file, "utf8").split("\n").length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES);
    assert.deepEqual(tooLong, [], "split these files at a seam");
  });
});
