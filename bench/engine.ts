/**
 * The real `pulumi` CLI on a local backend, measuring one cycle (up → preview → refresh → destroy)
 * of N resources of one kind, and the same cycle of the engine's floor: a no-op dynamic resource
 * with the same inputs, installed the same way. Figures come from outside the processes: wall
 * time, CPU of the whole process tree (bash `times`), the provider process's peak RSS (VmHWM from
 * /proc), the simulators' request counters (/_admin/counters), and the exported state.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SimAdmin } from "../harness/admin";
import { Project, TestStack } from "../harness/engine";

/** "create-preview": the preview of a stack whose resources are all new (preflight's cost); "preview": one with nothing to change. */
/**
 * Resource operations the engine runs at once, set on every command so a figure does not depend on
 * the machine (the CLI's default grows with its CPUs: 8 on the two-CPU machines we bench on).
 */
export const ENGINE_PARALLEL = 8;

export const OPERATIONS = ["create-preview", "up", "preview", "refresh", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Requests of one run, as the simulators count them (simulator/common/load.ts); throttled ones (429) apart. */
export interface Requests {
  logins: number;
  reads: number;
  writes: number;
  polls: number;
  throttled: number;
}

export interface Measurement {
  wallMs: number;
  cpuMs: number;
  providerPeakMb: number;
  requests: Requests;
}

/** A resource of the generated program: `ref` names an earlier resource whose id becomes `args[refArg]`. */
export interface BenchResource {
  type: "zerto:Vpg" | "vcda:ReplicationPolicy" | "vcda:OrgPolicyAssignment" | "vcda:VmReplication";
  name: string;
  args: Record<string, unknown>;
  ref?: { name: string; arg: string };
}

/** The floor: a dynamic provider that does nothing but keep its inputs, as small as our delegate. */
const FLOOR_PROVIDER = `"use strict";
const strip = (o) => { const c = { ...o }; delete c.__provider; return c; };
let next = 0;
module.exports = {
  async check(_olds, news) { return { inputs: news }; },
  async diff(_id, olds, news) { return { changes: JSON.stringify(strip(olds)) !== JSON.stringify(strip(news)) }; },
  async create(inputs) { return { id: "floor-" + process.pid + "-" + (next++), outs: strip(inputs) }; },
  async read(id, props) { return { id, props: strip(props), inputs: strip(props) }; },
  async update(_id, _olds, news) { return { outs: strip(news) }; },
  async delete() {},
};
`;

const PROGRAM = `"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const dr = require("pulumi-drprotect");
const floor = require("drprotect-bench-floor");
class Floor extends pulumi.dynamic.Resource {
  constructor(name, args) { super(floor, name, args, undefined, "bench", "Floor"); }
}
const classes = {
  "zerto:Vpg": dr.zerto.Vpg,
  "vcda:ReplicationPolicy": dr.vcda.ReplicationPolicy,
  "vcda:OrgPolicyAssignment": dr.vcda.OrgPolicyAssignment,
  "vcda:VmReplication": dr.vcda.VmReplication,
};
const config = new pulumi.Config("bench");
const useFloor = config.getBoolean("floor");
const made = {};
for (const spec of JSON.parse(fs.readFileSync(config.require("resourcesFile"), "utf8"))) {
  const args = { ...spec.args };
  if (spec.ref) args[spec.ref.arg] = made[spec.ref.name].id;
  made[spec.name] = useFloor ? new Floor(spec.name, args) : new classes[spec.type](spec.name, args);
}
`;

/** A bench stack: the package installed as a user gets it, plus the floor provider beside it. */
export class BenchStack {
  private constructor(readonly stack: TestStack) {}

  static async create(stack: string, env: Record<string, string>, resources: BenchResource[], floor: boolean): Promise<BenchStack> {
    const project = await Project.program(PROGRAM);
    const floorDir = path.join(fs.realpathSync(path.join(project.dir, "node_modules")), "drprotect-bench-floor");
    fs.mkdirSync(floorDir, { recursive: true });
    fs.writeFileSync(path.join(floorDir, "index.js"), FLOOR_PROVIDER);
    fs.writeFileSync(path.join(floorDir, "package.json"), JSON.stringify({ name: "drprotect-bench-floor", version: "1.0.0", main: "index.js" }));
    project.extraEnv = env;
    const file = path.join(project.dir, "resources.json");
    fs.writeFileSync(file, JSON.stringify(resources));
    return new BenchStack(await project.stack(stack, { "bench:resourcesFile": file, "bench:floor": String(floor) }));
  }

  static args(op: Operation): string[] {
    const parallel = ["--parallel", String(ENGINE_PARALLEL)];
    switch (op) {
      case "create-preview": return ["preview", ...parallel];
      case "up": return ["up", "--yes", "--skip-preview", ...parallel];
      case "preview": return ["preview", "--expect-no-changes", ...parallel];
      case "refresh": return ["refresh", "--yes", "--skip-preview", "--expect-no-changes", ...parallel];
      case "destroy": return ["destroy", "--yes", "--skip-preview", ...parallel];
    }
  }

  /** Runs one operation; fails when the CLI does (a benchmark of a failing run measures nothing). */
  async measure(op: Operation, simulators: SimAdmin[]): Promise<Measurement> {
    await Promise.all(simulators.map((s) => s.resetCounters()));
    const run = await timedPulumi(this.stack, BenchStack.args(op));
    if (run.code !== 0) throw new Error(`pulumi ${op} exited ${run.code}:\n${run.output.slice(-3000)}`);
    const counted = await Promise.all(simulators.map((s) => s.counters()));
    const requests: Requests = { logins: 0, reads: 0, writes: 0, polls: 0, throttled: 0 };
    for (const counts of counted) for (const key of Object.keys(requests) as Array<keyof Requests>) requests[key] += counts[key];
    return { wallMs: run.wallMs, cpuMs: run.cpuMs, providerPeakMb: run.providerPeakKb / 1024, requests };
  }

  /** Bytes of state per resource of the given type token (the exported deployment's entry, as JSON). */
  async stateBytesPerResource(typePrefix: string): Promise<number> {
    const resources = ((await this.stack.stack.exportStack()).deployment.resources ?? []).filter((r: { type: string }) => r.type.startsWith(typePrefix));
    return resources.length ? resources.reduce((sum: number, r: unknown) => sum + JSON.stringify(r).length, 0) / resources.length : 0;
  }

  dispose(): void {
    this.stack.project.dispose();
  }
}

interface TimedRun {
  code: number;
  output: string;
  wallMs: number;
  cpuMs: number;
  providerPeakKb: number;
}

/**
 * `pulumi …` under bash, whose `times` reports the CPU of every process the CLI waited for; the
 * provider processes of the run (its session: spawned detached) are sampled from /proc for their peak resident memory.
 */
async function timedPulumi(stack: TestStack, args: string[]): Promise<TimedRun> {
  const started = process.hrtime.bigint();
  let sampler: NodeJS.Timeout | undefined;
  let providerPeakKb = 0;
  const run = await stack.run(args, {
    shell: '"$@"; code=$?; times >&2; exit $code',
    timeoutMs: 30 * 60_000,
    onStart: (sid) => (sampler = setInterval(() => (providerPeakKb = Math.max(providerPeakKb, providerPeakInSession(sid))), 100)),
  }).finally(() => clearInterval(sampler));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // `times`: the shell's own user/sys, then its children's
  const lines = run.output.trimEnd().split("\n");
  const children = (lines.pop() ?? "").trim().split(/\s+/).map(seconds);
  return { code: run.code, output: lines.join("\n"), wallMs, cpuMs: (children[0] + children[1]) * 1000, providerPeakKb };
}

/** "1m2.345s" → 62.345 */
function seconds(text: string): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
}

/** The largest VmHWM (kB) among the dynamic-provider processes of a session (plugins may get process groups of their own). */
function providerPeakInSession(sid: number): number {
  let peak = 0;
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]) !== sid) continue;
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("dynamic-provider")) continue;
      const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (hwm) peak = Math.max(peak, Number(hwm[1]));
    } catch {
      // the process ended while being read
    }
  }
  return peak;
}
