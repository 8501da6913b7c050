/**
 * `pulumi-drprotect drill`: the I/O around the runner. Reads the stack (`pulumi stack export`) and the
 * drill file, builds one failover-test driver per product and connection, stops the tests on SIGINT
 * and SIGTERM, and writes the evidence.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { vcdaConnection, zertoConnection } from "../../provider/connection";
import type { DrillTarget, FailoverTestDriver } from "../../provider/failoverTest";
import { createVcdaClient } from "../../provider/vcda/client";
import { createVcdaFailoverTestDriver } from "../../provider/vcda/failoverTest";
import { createZertoClient } from "../../provider/zerto/client";
import { createZertoFailoverTestDriver } from "../../provider/zerto/failoverTest";
import { DrillEvidence, renderJson, renderJunit, renderMarkdown, renderSummary } from "./evidence";
import { drillTargets, DrillFile, parseDrillFile, planData, renderPlan, selectTargets, unknownTargetNames } from "./plan";
import { DrillRecord } from "./record";
import { cleanupRecorded, DriverFor, runDrill } from "./run";

export interface DrillOptions {
  cwd: string;
  stack?: string;
  patterns: string[];
  drillFile?: string;
  out: string;
  format: "text" | "json";
  dryRun: boolean;
  cleanup: boolean;
  parallel?: number;
}

export interface DrillIo {
  write(text: string): void;
  progress(text: string): void;
}

/** Exit codes: 0 every target and check passed (or, with --cleanup, every test stopped), 2 a failed or refused drill, 1 an error. */
export const DRILL_EXIT = { passed: 0, error: 1, failed: 2 } as const;

const CLIENT_OPTIONS = { retry: { attempts: 3 }, requestTimeoutMs: 60_000 };

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 512 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`\`${command} ${args.join(" ")}\` failed: ${(stderr || err.message).trim().split("\n").slice(-3).join(" ")}`));
      else resolve(stdout);
    });
  });
}

/** One driver per product and connection profile, made when first needed (a VCDA driver not built refuses only VCDA targets). */
function driversByConnection(): DriverFor {
  const drivers = new Map<string, FailoverTestDriver>();
  return (target: DrillTarget) => {
    const [, product] = target.type.split(":");
    const profile = typeof target.state.profile === "string" ? target.state.profile : undefined;
    const key = `${product}:${profile ?? ""}`;
    if (!drivers.has(key)) {
      if (product === "zerto") drivers.set(key, createZertoFailoverTestDriver(createZertoClient(zertoConnection(profile), CLIENT_OPTIONS)));
      else if (product === "vcda") drivers.set(key, createVcdaFailoverTestDriver(createVcdaClient(vcdaConnection(profile), CLIENT_OPTIONS)));
      else throw new Error(`no failover-test driver for ${target.type}`);
    }
    return drivers.get(key)!;
  };
}

/** The drill files looked for next to the program, in this order, when --drill-file names none. */
const DRILL_FILES = ["drill.yaml", "drill.yml", "drill.json"];

function readDrillFile(cwd: string, file: string | undefined): DrillFile {
  const found = DRILL_FILES.map((name) => path.join(cwd, name)).filter((candidate) => fs.existsSync(candidate));
  if (!file && found.length > 1) throw new Error(`${found.map((f) => path.basename(f)).join(" and ")} are both next to the program: keep one, or name it with --drill-file`);
  const chosen = file ?? found[0];
  if (!chosen || !fs.existsSync(chosen)) {
    if (file) throw new Error(`drill file ${file} does not exist`);
    return parseDrillFile("{}");
  }
  return parseDrillFile(fs.readFileSync(chosen, "utf8"), path.relative(process.cwd(), chosen) || chosen);
}

async function whoRan(cwd: string): Promise<Pick<DrillEvidence, "commit" | "cliVersion" | "pulumiVersion">> {
  const commit = await run("git", ["rev-parse", "HEAD"], cwd).then((s) => s.trim(), () => undefined);
  const dirty = commit ? (await run("git", ["status", "--porcelain", "--", "."], cwd).catch(() => "")).trim() !== "" : false;
  const pulumiVersion = await run("pulumi", ["version"], cwd).then((s) => s.trim(), () => undefined);
  return { ...(commit ? { commit: dirty ? `${commit}+dirty` : commit } : {}), cliVersion: ownVersion(), ...(pulumiVersion ? { pulumiVersion } : {}) };
}

/** The version in this package's package.json (the nearest one above this file). */
function ownVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
      if (manifest.name === "pulumi-drprotect") return manifest.version;
    }
  }
  return "unknown";
}

const timestampTag = (d: Date) => `drill-${d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;

export async function drillCommand(options: DrillOptions, io: DrillIo): Promise<number> {
  const cwd = path.resolve(options.cwd);
  const stack = options.stack ?? (await run("pulumi", ["stack", "--show-name", "--non-interactive"], cwd)).trim();
  const record = new DrillRecord(cwd, stack);
  const driverFor = driversByConnection();

  if (options.cleanup) {
    const outcomes = await cleanupRecorded(record, driverFor, true, "stopped by `pulumi-drprotect drill --cleanup`: the drill that started it did not finish");
    if (options.format === "json") io.write(JSON.stringify({ stack, cleanup: outcomes }, null, 2) + "\n");
    else io.write(outcomes.length ? outcomes.map((o) => `${o.name}: ${o.stopped ? o.detail : `NOT STOPPED: ${o.detail}`}`).join("\n") + "\n" : `No test recorded for stack '${stack}'.\n`);
    return outcomes.every((o) => o.stopped) ? DRILL_EXIT.passed : DRILL_EXIT.failed;
  }

  const file = readDrillFile(cwd, options.drillFile);
  if (options.parallel !== undefined) file.parallel = options.parallel;
  const all = drillTargets(JSON.parse(await run("pulumi", ["stack", "export", "--stack", stack, "--non-interactive"], cwd)));
  const unknown = unknownTargetNames(file, all);
  if (unknown.length) throw new Error(`the drill file names ${unknown.map((n) => `'${n}'`).join(", ")}, which the stack does not have (it has: ${all.map((t) => t.name).join(", ") || "none"})`);
  const targets = selectTargets(all, options.patterns);
  if (!targets.length) throw new Error(`stack '${stack}' has no VPG or replication to drill`);
  io.progress(renderPlan(stack, targets, file));
  if (options.dryRun) {
    if (options.format === "json") io.write(JSON.stringify(planData(stack, targets, file), null, 2) + "\n");
    return DRILL_EXIT.passed;
  }

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    io.progress(`${signal}: stopping the tests started so far (evidence is still written)`);
    controller.abort(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let result;
  try {
    result = await runDrill({ stack, targets, file, driverFor, record, tag: timestampTag(new Date()), signal: controller.signal, progress: io.progress });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const evidence: DrillEvidence = { stack, programDir: cwd, ...(await whoRan(cwd)), ...result };
  const out = path.resolve(cwd, options.out);
  fs.mkdirSync(out, { recursive: true });
  const base = path.join(out, `drill-${stack.replace(/[^A-Za-z0-9._-]/g, "_")}`);
  fs.writeFileSync(`${base}.md`, renderMarkdown(evidence));
  fs.writeFileSync(`${base}.json`, renderJson(evidence));
  fs.writeFileSync(`${base}.xml`, renderJunit(evidence));
  io.write(options.format === "json" ? renderJson(evidence) : `${renderSummary(evidence)}Evidence: ${base}.md, .json, .xml\n`);
  if (controller.signal.aborted) return controller.signal.reason === "SIGINT" ? 130 : 143;
  return evidence.passed ? DRILL_EXIT.passed : DRILL_EXIT.failed;
}
