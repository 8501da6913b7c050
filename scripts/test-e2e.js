#!/usr/bin/env node
// The real-engine tier (`npm run test:e2e`): every test that drives the `pulumi` CLI (test/e2e/**,
// including the engine-based reliability suites in test/e2e/reliability). It runs only when
// DRPROTECT_E2E=1, the way Terraform's acceptance tests wait for TF_ACC: it needs the CLI, which
// scripts/install-pulumi.sh builds from source the first time (5-25 minutes).
//
// Builds, makes sure the CLI is there, packs and installs the package ONCE for all mocha workers
// (DRPROTECT_E2E_PACKAGE), then runs mocha --parallel (DRPROTECT_E2E_JOBS workers, default 2).
// Arguments go to mocha; file arguments (*.js or a path) replace the default spec, e.g.
//   DRPROTECT_E2E=1 npm run test:e2e -- dist/test/e2e/zerto-vpg.test.js
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const repo = path.resolve(__dirname, "..");
const DEFAULT_SPEC = "dist/test/e2e/**/*.test.js";

if (process.env.DRPROTECT_E2E !== "1") {
  console.log("e2e skipped: set DRPROTECT_E2E=1 to run the real-engine tier (needs the pulumi CLI: scripts/install-pulumi.sh)");
  process.exit(0);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repo, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function step(what, command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    console.error(`e2e: ${what} failed (exit ${status})`);
    process.exit(status);
  }
}

async function main() {
  step("the build", "npm", ["run", "--silent", "build"]);
  // the first call builds the CLI; the workers' own calls then return at once
  step("the pulumi CLI install", "bash", ["scripts/install-pulumi.sh"], { stdio: ["ignore", "ignore", "inherit"] });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-pkg-"));
  let status = 1;
  try {
    const { installPackage } = require(path.join(repo, "dist", "harness", "engine.js"));
    const started = Date.now();
    process.env.DRPROTECT_E2E_PACKAGE = await installPackage(scratch);
    console.log(`e2e: package packed and installed once in ${Math.round((Date.now() - started) / 1000)}s`);

    const args = process.argv.slice(2);
    const isFile = (a) => !a.startsWith("-") && /\.js$|\//.test(a);
    const files = args.filter(isFile);
    const options = args.filter((a) => !isFile(a));
    const jobs = process.env.DRPROTECT_E2E_JOBS || "2";
    status = run(process.execPath, [
      path.join(repo, "node_modules", "mocha", "bin", "mocha.js"), "--no-config", "--timeout", "180000", "--exit",
      "--parallel", "--jobs", jobs, ...options, ...(files.length ? files : [DEFAULT_SPEC]),
    ]);
  } finally {
    if (!process.env.DRPROTECT_E2E_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(status);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
