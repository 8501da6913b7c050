/**
 * The one real-CLI harness of the e2e tests (test/e2e, test/e2e/reliability) and the benchmark: the pinned `pulumi`
 * CLI driven through the Automation API (a LocalWorkspace per project, a local file:// backend,
 * passphrase secrets), the package packed with `npm pack` and installed from the tarball once per
 * run, and the simulators listening on 127.0.0.1 in this very process.
 *
 * Where a test needs what the Automation API hides (an exact exit code, a process to kill, the text
 * of a command it has no option for), `TestStack.run` runs the same CLI with the same environment.
 */
import * as assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ConfigMap, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

const execFileAsync = promisify(execFile);

/** The repository root (this file runs from dist/harness). */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** Time allowed for preparing the CLI: a first run on a new machine builds it from source. */
export const SETUP_TIMEOUT_MS = 40 * 60_000;
const RUN_TIMEOUT_MS = 240_000;
const PASSPHRASE = "drprotect-test-passphrase";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what a user would see. */
  output: string;
}

export type ConfigValues = Record<string, string | number | boolean | string[]>;

/** A resource of the generic program: `drtest:resources` (JSON, or the file `drtest:resourcesFile`) lists them. */
export interface ResourceSpec {
  type: "zerto:Vpg" | "vcda:ReplicationPolicy" | "vcda:OrgPolicyAssignment" | "vcda:VmReplication" | "vcda:VappReplication";
  name: string;
  args: Record<string, unknown>;
}

/** The generic program: builds the resources its stack config lists. */
const GENERIC_PROGRAM = `"use strict";
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
  "vcda:VappReplication": dr.vcda.VappReplication,
};
const ids = {};
const idOutputs = {};
for (const spec of specs) {
  const resource = new classes[spec.type](spec.name, spec.args);
  ids[spec.name] = resource.id;
  idOutputs[spec.name] = resource.vpgId ?? resource.replicationId ?? resource.policyId;
}
module.exports = { ids, idOutputs };
`;

/** Connection variables of the developer's shell must not reach a test stack: it takes its connection from config. */
const CONNECTION_ENV = /^(ZERTO|VCDA)_/;

let cli: Promise<PulumiCommand> | undefined;

/** The pinned CLI (scripts/install-pulumi.sh prints the directory holding pulumi and its plugins). */
function pinnedCli(): Promise<PulumiCommand> {
  cli ??= execFileAsync("bash", [path.join(repoRoot, "scripts", "install-pulumi.sh")], { cwd: repoRoot, timeout: SETUP_TIMEOUT_MS })
    .then(({ stdout }) => PulumiCommand.get({ root: path.dirname(stdout.trim().split("\n").pop()!.trim()), skipVersionCheck: true }));
  return cli;
}

const scratchDirs: string[] = [];

// The shared install outlives every suite, so it goes with the process: a mocha hook would not do,
// as a parallel worker loads this module once for the several files it runs.
process.on("exit", () => scratchDirs.splice(0).forEach(removeScratch));

/** Removes a scratch directory, unless DRPROTECT_E2E_KEEP asks to keep it for a post-mortem. */
function removeScratch(dir: string): void {
  if (!process.env.DRPROTECT_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

let installed: Promise<string> | undefined;

/**
 * The package as a user installs it: from DRPROTECT_E2E_PACKAGE when the run installed it once for
 * every worker (scripts/test-e2e.js), otherwise installed here, once per process.
 */
function installedPackage(): Promise<string> {
  installed ??= process.env.DRPROTECT_E2E_PACKAGE ? Promise.resolve(process.env.DRPROTECT_E2E_PACKAGE) : (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-pkg-"));
    scratchDirs.push(dir);
    return installPackage(dir);
  })();
  return installed;
}

/** `npm pack`s the built repository and installs the tarball (with @pulumi/pulumi) into `dir`; returns that node_modules. */
export async function installPackage(dir: string): Promise<string> {
  const npmEnv = { ...process.env, npm_config_update_notifier: "false", npm_config_loglevel: "error" };
  const packed = await execFileAsync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: repoRoot, env: npmEnv, timeout: 120_000 });
  const tarball = path.join(dir, JSON.parse(packed.stdout)[0].filename);
  // the SDK our own install has (the lock's: the oldest supported), unless CI's matrix names another;
  // the package's ^range alone would pick the newest, which needs Node >= 22
  const pulumiVersion = process.env.DRPROTECT_PULUMI_SDK_VERSION ?? JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "drprotect-test", private: true }));
  await execFileAsync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `@pulumi/pulumi@${pulumiVersion}`],
    { cwd: dir, env: npmEnv, timeout: 600_000 });
  return path.join(dir, "node_modules");
}

/**
 * A program directory with its own backend and Pulumi home, sharing the installed package: one per
 * suite, so suites never share state. It holds any number of stacks.
 */
export class Project {
  readonly dir: string;
  readonly home: string;
  readonly stateDir: string;
  /** Everything the CLI printed, for assertions such as "no credential ever shows up". */
  readonly transcript: string[] = [];
  /** Environment variables for every later command (e.g. credentials, DRPROTECT_PREFLIGHT). */
  extraEnv: Record<string, string> = {};
  /** The variables syncEnv put into the workspace, replaced on the next sync. */
  private applied: string[] = [];

  private constructor(readonly root: string, readonly workspace: LocalWorkspace) {
    this.dir = workspace.workDir;
    this.home = workspace.pulumiHome!;
    this.stateDir = path.join(root, "state");
  }

  /** A copy of examples/<example>. */
  static example(example: string): Promise<Project> {
    const source = path.join(repoRoot, "examples", example);
    return Project.create(example, (dir) => fs.cpSync(source, dir,
      { recursive: true, filter: (src) => !/node_modules|package-lock\.json|Pulumi\.[^/]*\.yaml$/.test(path.relative(source, src)) }));
  }

  /** A program given as JavaScript source; by default the generic one (see ResourceSpec). */
  static program(source = GENERIC_PROGRAM): Promise<Project> {
    return Project.create("program", (dir) => {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "index.js"), source);
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "drtest", private: true, main: "index.js" }));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: drtest\nruntime: nodejs\ndescription: tests of pulumi-drprotect\n");
    });
  }

  private static async create(label: string, populate: (dir: string) => void): Promise<Project> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `drprotect-${label}-`));
    const dir = path.join(root, "project");
    populate(dir);
    fs.symlinkSync(await installedPackage(), path.join(dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(root, "state"));
    const workspace = await LocalWorkspace.create({
      workDir: dir,
      pulumiHome: path.join(root, "home"),
      pulumiCommand: await pinnedCli(),
      secretsProvider: "passphrase",
      envVars: {
        PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        NO_COLOR: "1",
      },
    });
    return new Project(root, workspace);
  }

  /** Creates a stack with its config (keys may be paths, e.g. "vcda:profiles.tenant.url") and secret config. */
  async stack(name: string, config: Record<string, string> = {}, secrets: Record<string, string> = {}): Promise<TestStack> {
    this.syncEnv();
    const stack = new TestStack(this, await Stack.create(name, this.workspace));
    const values: ConfigMap = {};
    for (const [key, value] of Object.entries(config)) values[key] = { value };
    for (const [key, value] of Object.entries(secrets)) values[key] = { value, secret: true };
    if (Object.keys(values).length) await this.workspace.setAllConfig(name, values, true);
    return stack;
  }

  /**
   * The environment of the next command. The Automation API hands the CLI this process's environment
   * too: connection variables present there are blanked (the provider reads an empty one as unset).
   */
  syncEnv(): Record<string, string> {
    const vars = this.workspace.envVars;
    for (const key of this.applied) delete vars[key];
    const blanked = Object.fromEntries(Object.keys(process.env).filter((k) => CONNECTION_ENV.test(k)).map((k) => [k, ""]));
    Object.assign(vars, blanked, this.extraEnv);
    this.applied = [...Object.keys(blanked), ...Object.keys(this.extraEnv)];
    return vars;
  }

  /** Everything the file backend wrote: checkpoints, their backups and the update history. */
  backendText(stack: string): string {
    const files = fs.readdirSync(this.stateDir, { recursive: true, encoding: "utf8" }).map((f) => path.join(this.stateDir, f)).filter((f) => fs.statSync(f).isFile());
    if (!files.some((f) => f.endsWith(`${path.sep}${stack}.json`))) throw new Error(`no checkpoint for stack ${stack} in ${this.stateDir}`);
    return files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
  }

  /** Removes the project's directories. */
  dispose(): void {
    removeScratch(this.root);
  }
}

export interface OperationOptions {
  /** Return the failure (code, output) instead of throwing. */
  mayFail?: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Called once the CLI runs; its pid is also its process group's id. */
  onStart?: (pid: number) => void;
  /** A bash script that runs the CLI as `"$@"` (e.g. to time it). */
  shell?: string;
}

/** One stack of a project: engine operations through the Automation API, anything else through `run`. */
export class TestStack {
  readonly name: string;

  constructor(readonly project: Project, readonly stack: Stack) {
    this.name = stack.name;
  }

  up(options: { refresh?: boolean; diff?: boolean; verbose?: boolean } & OperationOptions = {}): Promise<RunResult> {
    return this.operation(options, () => this.stack.up({ refresh: options.refresh, diff: options.diff, color: "never", ...verbosity(options.verbose) }));
  }

  preview(options: { refresh?: boolean; diff?: boolean; expectNoChanges?: boolean; verbose?: boolean } & OperationOptions = {}): Promise<RunResult> {
    return this.operation(options, () => this.stack.preview({ refresh: options.refresh, diff: options.diff, expectNoChanges: options.expectNoChanges, color: "never", ...verbosity(options.verbose) }));
  }

  refresh(options: { previewOnly?: boolean; expectNoChanges?: boolean; verbose?: boolean } & OperationOptions = {}): Promise<RunResult> {
    return this.operation(options, () => options.previewOnly
      ? this.stack.previewRefresh({ expectNoChanges: options.expectNoChanges, color: "never", ...verbosity(options.verbose) })
      : this.stack.refresh({ expectNoChanges: options.expectNoChanges, color: "never", ...verbosity(options.verbose) }));
  }

  destroy(options: { verbose?: boolean } & OperationOptions = {}): Promise<RunResult> {
    return this.operation(options, () => this.stack.destroy({ color: "never", ...verbosity(options.verbose) }));
  }

  private async operation(options: OperationOptions, op: () => Promise<{ stdout: string; stderr: string }>): Promise<RunResult> {
    this.project.syncEnv();
    let result: RunResult;
    try {
      const { stdout, stderr } = await op();
      result = { code: 0, stdout, stderr, output: `${stdout}\n${stderr}` };
    } catch (err) {
      result = failure(err);
    }
    this.project.transcript.push(result.output);
    log(`(${this.name})`, result);
    if (result.code !== 0 && !options.mayFail) throw new Error(`pulumi failed on stack ${this.name}:\n${result.output.slice(-4000)}`);
    return result;
  }

  /** Runs `pulumi <args> --stack <name>` with the workspace's CLI and environment; never throws on a non-zero exit. */
  run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const cli = this.project.workspace.pulumiCommand.command;
    const full = [...args, "--stack", this.name, "--non-interactive", "--color", "never"];
    const [command, commandArgs] = options.shell ? ["bash", ["-c", options.shell, "bash", cli, ...full]] : [cli, full];
    return runProcess(command, commandArgs, { ...options, cwd: this.project.dir, env: this.cliEnv() }).then((result) => {
      this.project.transcript.push(`$ pulumi ${args.join(" ")}\n${result.output}`);
      log(`${args.join(" ")} (${this.name})`, result);
      return result;
    });
  }

  /** The environment the CLI runs in (backend, Pulumi home, the pinned CLI first on PATH), for other commands a test runs beside it. */
  cliEnv(): NodeJS.ProcessEnv {
    return {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !CONNECTION_ENV.test(k))),
      ...this.project.syncEnv(),
      PULUMI_HOME: this.project.home,
      PATH: `${path.dirname(this.project.workspace.pulumiCommand.command)}${path.delimiter}${this.project.extraEnv.PATH ?? process.env.PATH}`,
    };
  }

  /** Like `run`, but a non-zero exit is an error showing the output. */
  async runOk(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-4000)}`);
    return result;
  }

  /** Sets config (lists element by element, as typed project config needs) and secret config. */
  async setConfig(values: ConfigValues, secrets: Record<string, string> = {}): Promise<void> {
    this.project.syncEnv();
    const config: ConfigMap = {};
    for (const [key, value] of Object.entries(values)) {
      if (Array.isArray(value)) {
        await this.stack.removeConfig(key).catch(() => undefined);
        value.forEach((element, i) => (config[`${key}[${i}]`] = { value: element }));
      } else {
        config[key] = { value: String(value) };
      }
    }
    for (const [key, value] of Object.entries(secrets)) config[key] = { value, secret: true };
    await this.stack.setAllConfig(config, true);
  }

  removeConfig(key: string): Promise<void> {
    this.project.syncEnv();
    return this.stack.removeConfig(key);
  }

  /** The generic program's resources, through a file (a long list does not fit a command line). */
  async writeResources(specs: ResourceSpec[]): Promise<void> {
    const file = path.join(this.project.dir, `resources.${this.name}.json`);
    fs.writeFileSync(file, JSON.stringify(specs));
    await this.setConfig({ "drtest:resourcesFile": file });
  }

  /** `pulumi preview` of the generic program declaring `specs`, kept in the stack config (as `preview --config` does). */
  async previewOf(specs: ResourceSpec[]): Promise<RunResult> {
    await this.setConfig({ "drtest:resources": JSON.stringify(specs) });
    return this.preview({ mayFail: true });
  }

  async outputs(): Promise<Record<string, any>> {
    this.project.syncEnv();
    return Object.fromEntries(Object.entries(await this.stack.outputs()).map(([k, v]) => [k, v.value]));
  }

  /** The stack's resources (from its export), by type suffix, e.g. "zerto:Vpg". */
  async resources(typeSuffix: string): Promise<Array<{ urn: string; id: string; type: string; inputs: any; outputs: any }>> {
    this.project.syncEnv();
    const exported = await this.stack.exportStack();
    return (exported.deployment.resources ?? []).filter((r: any) => String(r.type).endsWith(`/${typeSuffix}`));
  }

  backendText(): string {
    return this.project.backendText(this.name);
  }

  /** The clean state every step must end in: neither preview nor refresh finds anything to change. */
  async assertNoChanges(): Promise<void> {
    const preview = await this.preview({ expectNoChanges: true, mayFail: true });
    assert.equal(preview.code, 0, `preview found changes:\n${preview.output}`);
    const refresh = await this.refresh({ previewOnly: true, expectNoChanges: true, mayFail: true });
    assert.equal(refresh.code, 0, `refresh found drift:\n${refresh.output}`);
  }
}

function verbosity(verbose: boolean | undefined): { logVerbosity?: number; logToStdErr?: boolean; logFlow?: boolean } {
  return verbose ? { logVerbosity: 9, logToStdErr: true, logFlow: true } : {};
}

/**
 * A failed Automation API command as a RunResult. Its error's message holds the CLI's stdout and
 * stderr and, in the words of the process runner, the exit code.
 */
/** Runs a command in its own process group (a timeout also stops what it started); never throws on a non-zero exit. */
export function runProcess(command: string, args: string[], options: RunOptions & { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d; output += d; });
    child.stderr.on("data", (d: Buffer) => { stderr += d; output += d; });
    options.onStart?.(child.pid!);
    const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`;
      try { process.kill(-child.pid!, "SIGKILL"); } catch { /* already gone */ }
    }, timeoutMs);
    child.on("error", (err) => { clearTimeout(timer); reject(err); });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, output });
    });
  });
}

function failure(err: unknown): RunResult {
  if (!(err instanceof Error) || !/^code: /.test(err.message)) throw err;
  const code = Number(/exit code (\d+)/.exec(err.message)?.[1] ?? 1);
  return { code, stdout: "", stderr: err.message, output: err.message };
}

function log(what: string, result: RunResult): void {
  if (process.env.DRPROTECT_E2E_LOG) process.stderr.write(`$ pulumi ${what}  [exit ${result.code}]\n${result.output}\n`);
}
