import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiBinDir } from "../../e2e/harness";

/**
 * The real `pulumi` CLI on a local file:// backend, driving one generic program that builds the
 * resources listed (as JSON) in its stack config. One installed project serves every engine test:
 * the package goes in the way a user gets it (npm pack, then npm install of the tarball).
 */
/** The generic program: `drtest:resources` (JSON, or `drtest:resourcesFile`) lists {type, name, args}. */
const PROGRAM = `"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const dr = require("pulumi-drprotect");
const config = new pulumi.Config("drtest");
const file = config.get("resourcesFile");
const specs = JSON.parse(file ? fs.readFileSync(file, "utf8") : config.get("resources") || "[]");
const classes = {
  "zerto:Vpg": dr.zerto.Vpg,
  "vcda:ReplicationPolicy": dr.vcda.ReplicationPolicy,
  "vcda:OrgPolicyAssignment": dr.vcda.OrgPolicyAssignment,
  "vcda:VmReplication": dr.vcda.VmReplication,
};
const ids = {};
for (const spec of specs) ids[spec.name] = new classes[spec.type](spec.name, spec.args).id;
module.exports = { ids };
`;

export interface ResourceSpec {
  type: "zerto:Vpg" | "vcda:ReplicationPolicy" | "vcda:OrgPolicyAssignment" | "vcda:VmReplication";
  name: string;
  args: Record<string, unknown>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what a user would see. */
  output: string;
}

const repoRoot = path.join(__dirname, "..", "..", "..", "..");
let projectTemplate: Promise<string> | undefined;

/**
 * The generic program with the package installed as a user gets it (npm pack, then npm install of
 * the tarball), once per test process, in a directory of its own: the e2e suites clean up theirs.
 */
function installedTemplate(): Promise<string> {
  projectTemplate ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-rel-project-"));
    process.on("exit", () => {
      if (!process.env.DRPROTECT_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    });
    const npmEnv = { ...process.env, npm_config_update_notifier: "false", npm_config_loglevel: "error" };
    const packed = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: repoRoot, env: npmEnv, timeoutMs: 120_000 });
    const tarball = JSON.parse(packed.stdout)[0].filename;
    const pulumiVersion = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({
      name: "drtest", private: true, main: "index.js",
      dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-drprotect": `file:./${tarball}` },
    }, null, 2));
    fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: drtest\nruntime: nodejs\ndescription: reliability tests of pulumi-drprotect\n");
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, env: npmEnv, timeoutMs: 600_000 });
    return dir;
  })();
  return projectTemplate;
}

const GLOBAL_FLAGS = ["--non-interactive", "--color", "never"];

/** Environment variables that must not leak from the developer's shell into a test stack. */
const CONNECTION_ENV = /^(ZERTO|VCDA)_/;

export class PulumiProject {
  readonly home: string;
  readonly stateDir: string;
  /** Extra environment for every command (e.g. ZERTO_PASSWORD in the env-credentials stack). */
  extraEnv: Record<string, string> = {};
  /** Every command's output, for secret scans. */
  readonly transcript: string[] = [];

  private constructor(readonly dir: string, readonly root: string, private readonly binDir: string) {
    this.home = path.join(root, "home");
    this.stateDir = path.join(root, "state");
    fs.mkdirSync(this.home, { recursive: true });
    fs.mkdirSync(this.stateDir, { recursive: true });
  }

  /** A fresh project (own backend and PULUMI_HOME) sharing the installed node_modules. */
  static async create(): Promise<PulumiProject> {
    const template = await installedTemplate();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-rel-"));
    const dir = path.join(root, "project");
    fs.mkdirSync(dir);
    for (const file of ["package.json", "index.js", "Pulumi.yaml"]) fs.copyFileSync(path.join(template, file), path.join(dir, file));
    fs.symlinkSync(path.join(template, "node_modules"), path.join(dir, "node_modules"), "dir");
    return new PulumiProject(dir, root, await pulumiBinDir());
  }

  env(): NodeJS.ProcessEnv {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !CONNECTION_ENV.test(k)));
    return {
      ...base,
      PATH: `${this.binDir}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: "reliability-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      NO_COLOR: "1",
      ...this.extraEnv,
    };
  }

  /** Runs `pulumi <args> --non-interactive`; never throws on a non-zero exit (callers assert on `code`). */
  async pulumi(args: string[], options: { timeoutMs?: number; stdin?: string } = {}): Promise<RunResult> {
    const dashes = args.indexOf("--");
    const full = dashes < 0 ? [...args, ...GLOBAL_FLAGS] : [...args.slice(0, dashes), ...GLOBAL_FLAGS, ...args.slice(dashes)];
    const result = await run("pulumi", full, { cwd: this.dir, env: this.env(), timeoutMs: options.timeoutMs ?? 240_000, allowFailure: true, stdin: options.stdin });
    this.transcript.push(`$ pulumi ${args.join(" ")}\n${result.output}`);
    return result;
  }

  /** Like `pulumi`, but a non-zero exit is an error showing the output. */
  async ok(args: string[], options: { timeoutMs?: number; stdin?: string } = {}): Promise<RunResult> {
    const result = await this.pulumi(args, options);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-4000)}`);
    return result;
  }

  async initStack(stack: string, config: Record<string, string>, secrets: Record<string, string> = {}): Promise<void> {
    await this.ok(["stack", "init", stack]);
    // "vcda:profiles.tenant.url" sets a value inside a structured config entry
    const path = (key: string) => (key.split(":")[1].includes(".") ? ["--path"] : []);
    for (const [key, value] of Object.entries(config)) await this.ok(["config", "set", "--stack", stack, ...path(key), key, "--", value]);
    // secrets go through stdin, so they never appear on a command line
    for (const [key, value] of Object.entries(secrets)) await this.ok(["config", "set", "--stack", stack, ...path(key), "--secret", key], { stdin: value });
  }

  /** Removes the project's directories (kept when DRPROTECT_E2E_KEEP is set, for debugging). */
  dispose(): void {
    if (!process.env.DRPROTECT_E2E_KEEP) fs.rmSync(this.root, { recursive: true, force: true });
  }

  writeResources(stack: string, specs: ResourceSpec[]): Promise<RunResult> {
    const file = path.join(this.dir, `resources.${stack}.json`);
    fs.writeFileSync(file, JSON.stringify(specs));
    return this.ok(["config", "set", "--stack", stack, "drtest:resourcesFile", file]);
  }
}

export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; allowFailure?: boolean; stdin?: string },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // own process group, so a timeout also stops the language host and provider processes it started
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d; output += d; });
    child.stderr.on("data", (d: Buffer) => { stderr += d; output += d; });
    child.stdin.end(options.stdin ?? "");
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, "SIGKILL"); } catch { /* already gone */ }
    }, options.timeoutMs);
    child.on("error", (err) => { clearTimeout(timer); reject(err); });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) output += `\n[killed after ${options.timeoutMs} ms]`;
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr, output };
      if (result.code !== 0 && !options.allowFailure) reject(new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${output.slice(-4000)}`));
      else resolve(result);
    });
  });
}
