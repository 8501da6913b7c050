/**
 * Runs the real `pulumi` CLI against the example programs, the way a user would: the package is
 * packed with `npm pack` and installed from the tarball, the stack lives in a local file:// backend,
 * and the CLI talks to simulators listening on 127.0.0.1 in this very process.
 */
import * as assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** The repository root (this file runs from dist/test/e2e). */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** Time allowed for preparing the CLI: a first run on a new machine builds it from source. */
export const SETUP_TIMEOUT_MS = 40 * 60_000;
const COMMAND_TIMEOUT_MS = 180_000;
const PASSPHRASE = "drprotect-e2e-passphrase";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what a user would see. */
  output: string;
}

/** Runs a command without blocking the event loop (the simulators answer from this process). */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout stops the CLI together with its language host and plugins.
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      reject(new Error(`${command} ${printable(args)} did not finish within ${timeoutMs / 1000}s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

/** A command line fit for messages: the value of `config set --secret <key> <value>` is masked. */
function printable(args: string[]): string {
  return (args.includes("--secret") ? [...args.slice(0, -1), "[secret]"] : args).join(" ");
}

let cliDir: Promise<string> | undefined;

/** The directory holding pulumi, the Node.js language host and the dynamic-provider plugin. */
export function pulumiBinDir(): Promise<string> {
  cliDir ??= execFileAsync("bash", [path.join(repoRoot, "scripts", "install-pulumi.sh")], { cwd: repoRoot, timeout: SETUP_TIMEOUT_MS })
    .then(({ stdout }) => stdout.trim().split("\n").pop()!.trim());
  return cliDir;
}

let installed: Promise<string> | undefined;
const sharedScratch: string[] = [];

// A root-level hook (this module loads while mocha collects the spec files): the shared install
// outlives every suite, so it goes when the whole run is over.
// Outside mocha (the benchmark), the process's exit does it.
if (typeof after === "function") after(() => sharedScratch.splice(0).forEach(removeScratch));
else process.on("exit", () => sharedScratch.splice(0).forEach(removeScratch));

/**
 * `npm pack`s the built repository once and installs the tarball (with @pulumi/pulumi) into a scratch
 * project; every suite links its copy of an example to that node_modules.
 */
export function installedPackage(): Promise<string> {
  installed ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-e2e-pkg-"));
    sharedScratch.push(dir);
    const npmEnv = { ...process.env, npm_config_update_notifier: "false", npm_config_loglevel: "error" };
    const packed = await execFileAsync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: repoRoot, env: npmEnv, timeout: 120_000 });
    const tarball = path.join(dir, JSON.parse(packed.stdout)[0].filename);
    // The SDK our own install has (the lock's), unless the CI matrix asks for another.
    const pulumiVersion = process.env.DRPROTECT_PULUMI_SDK_VERSION ?? readJson(require.resolve("@pulumi/pulumi/package.json")).version;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "drprotect-e2e", private: true }));
    await execFileAsync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `@pulumi/pulumi@${pulumiVersion}`],
      { cwd: dir, env: npmEnv, timeout: 600_000 });
    return path.join(dir, "node_modules");
  })();
  return installed;
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Removes a scratch directory, unless DRPROTECT_E2E_KEEP asks to keep it for a post-mortem. */
function removeScratch(dir: string): void {
  if (!process.env.DRPROTECT_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A copy of one example with its own local backend and Pulumi home: one per suite, so suites never
 * share state.
 */
export type ConfigValues = Record<string, string | number | boolean | string[]>;

export class PulumiProject {
  readonly root: string;
  readonly dir: string;
  /** Everything the CLI printed, for assertions such as "no credential ever shows up". */
  readonly transcript: string[] = [];
  private env: NodeJS.ProcessEnv = {};

  private constructor(readonly example: string, readonly stack: string) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `drprotect-e2e-${example}-`));
    this.dir = path.join(this.root, "project");
  }

  /** Copies examples/<example>, links the installed package and creates the stack. */
  static async create(example: string, stack = "e2e"): Promise<PulumiProject> {
    const project = new PulumiProject(example, stack);
    const source = path.join(repoRoot, "examples", example);
    fs.cpSync(source, project.dir, { recursive: true, filter: (src) => !/node_modules|package-lock\.json|Pulumi\.[^/]*\.yaml$/.test(path.relative(source, src)) });
    fs.symlinkSync(await installedPackage(), path.join(project.dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(project.root, "state"));
    const bin = await pulumiBinDir();
    // No PULUMI_SKIP_CONFIRMATIONS: it implies --yes, which the CLI refuses next to --preview-only.
    project.env = {
      ...withoutConnectionVariables(process.env),
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(project.root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(project.root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      NO_COLOR: "1",
    };
    await project.pulumiOk("stack", "init", stack);
    return project;
  }

  /** Runs `pulumi --non-interactive <args>` in the project. */
  async pulumi(...args: string[]): Promise<RunResult> {
    const result = await run("pulumi", ["--non-interactive", "--color", "never", ...args], { cwd: this.dir, env: this.env });
    // The command line itself is left out: `config set --secret` carries the secret by design.
    this.transcript.push(result.output);
    if (process.env.DRPROTECT_E2E_LOG) process.stderr.write(`$ pulumi ${printable(args)}  [exit ${result.code}]\n${result.output}\n`);
    return result;
  }

  /** Like `pulumi`, but fails the test (with the CLI's output) unless it exits 0. */
  async pulumiOk(...args: string[]): Promise<RunResult> {
    const result = await this.pulumi(...args);
    if (result.code !== 0) throw new Error(`pulumi ${printable(args)} exited ${result.code}:\n${result.output}`);
    return result;
  }

  /** `pulumi config set` for each value (lists element by element, as typed project config needs). */
  async setConfig(values: ConfigValues, secrets: Record<string, string> = {}): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      if (Array.isArray(value)) {
        await this.pulumi("config", "rm", key);
        const elements = value.flatMap((element, i) => ["--plaintext", `${key}[${i}]=${element}`]);
        await this.pulumiOk("config", "set-all", "--path", ...elements);
      } else {
        await this.pulumiOk("config", "set", key, String(value));
      }
    }
    for (const [key, value] of Object.entries(secrets)) await this.pulumiOk("config", "set", "--secret", key, value);
  }

  up(...extra: string[]): Promise<RunResult> {
    return this.pulumiOk("up", "--yes", "--skip-preview", ...extra);
  }

  async outputs(): Promise<Record<string, any>> {
    return JSON.parse((await this.pulumiOk("stack", "output", "--json")).stdout);
  }

  /** Everything the file backend wrote: checkpoints, their backups and the update history. */
  backendText(): string {
    const state = path.join(this.root, "state");
    const files = fs.readdirSync(state, { recursive: true, encoding: "utf8" }).map((f) => path.join(state, f)).filter((f) => fs.statSync(f).isFile());
    if (!files.some((f) => f.endsWith(`${path.sep}${this.stack}.json`))) throw new Error(`no checkpoint for stack ${this.stack} in ${state}`);
    return files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
  }

  /** Resources of the stack (from `pulumi stack export`), by type suffix, e.g. "zerto:Vpg". */
  async resources(typeSuffix: string): Promise<Array<{ urn: string; id: string; inputs: any; outputs: any }>> {
    const exported = JSON.parse((await this.pulumiOk("stack", "export")).stdout);
    return (exported.deployment.resources ?? []).filter((r: any) => String(r.type).endsWith(`/${typeSuffix}`));
  }

  /** Destroys whatever is left (best effort) and removes the project's directories. */
  /** The clean state every step must end in: neither preview nor refresh finds anything to change. */
  async assertNoChanges(): Promise<void> {
    const preview = await this.pulumi("preview", "--expect-no-changes");
    assert.equal(preview.code, 0, `preview found changes:\n${preview.output}`);
    const refresh = await this.pulumi("refresh", "--preview-only", "--expect-no-changes");
    assert.equal(refresh.code, 0, `refresh found drift:\n${refresh.output}`);
  }

  /**
   * Sets invalid config, expects `preview` to fail with output matching every pattern and the
   * simulator to have received no mutating request, then restores valid config.
   */
  async assertRejectedAtPreview(simulatorUrl: string, invalid: ConfigValues, patterns: RegExp[], valid: ConfigValues): Promise<void> {
    await clearJournal(simulatorUrl);
    await this.setConfig(invalid);
    const preview = await this.pulumi("preview");
    assert.notEqual(preview.code, 0, "preview accepted invalid input");
    for (const pattern of patterns) assert.match(preview.output, pattern);
    assert.deepEqual(await mutatingRequests(simulatorUrl), []);
    await this.setConfig(valid);
  }

  async dispose(): Promise<void> {
    try {
      await this.pulumi("destroy", "--yes", "--skip-preview");
    } finally {
      removeScratch(this.root);
    }
  }
}

/** The CLI must take the connection from stack config, not from the test runner's environment. */
function withoutConnectionVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^(ZERTO|VCDA)_/.test(key)));
}

/** A small JSON client for a simulator's public and admin API (real HTTP). */
export async function simRequest(baseUrl: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** Mutating requests the simulator received since the journal was cleared. */
export async function mutatingRequests(baseUrl: string): Promise<Array<{ method: string; path: string }>> {
  const { body } = await simRequest(baseUrl, "GET", "/_admin/journal");
  return (body as Array<{ method: string; path: string; mutating: boolean }>).filter((e) => e.mutating);
}

export async function clearJournal(baseUrl: string): Promise<void> {
  await simRequest(baseUrl, "DELETE", "/_admin/journal");
}

/**
 * Each e2e suite is one story (create, drift, edit, destroy): once a step fails, the later steps of
 * that suite are skipped, since they build on it; other suites still run (mocha's bail would stop them too).
 */
export function skipRestAfterFailure(): void {
  let failed = false;
  beforeEach(function () {
    if (failed) this.skip();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") failed = true;
  });
}
