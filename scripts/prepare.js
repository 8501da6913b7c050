#!/usr/bin/env node
/*
 * npm's `prepare` step: it runs on `npm ci` / `npm install` here, before `npm pack`, and where npm
 * installs this package from a git URL or a directory. Builds dist/ when it is missing, so that an
 * install from git gets a working package; a checkout already built (the tests and the demo pack
 * it) packs at once, and `npm run build` stays the way to rebuild after a change.
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
if (!fs.existsSync(path.join(root, "dist", "sdk", "index.js"))) {
  let tsc;
  try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  } catch {
    console.error("pulumi-drprotect: dist/ is missing and TypeScript is not installed to build it: run `npm ci` in this directory first");
    process.exit(1);
  }
  // tsc's output goes to stderr: `npm pack --json` prints its JSON on stdout
  execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: ["ignore", process.stderr, "inherit"] });
}
