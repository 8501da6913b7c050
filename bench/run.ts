/**
 * `npm run bench [-- --sizes 10,100 --runs 2 --kinds vpg,replication,policy --large --task-ms 600 --latency-ms 0,100 --throttle-per-second 0]`
 *
 * Every figure is measured through the real engine against its floor in the same run (a no-op
 * dynamic resource with the same inputs), as ratios with medians and spread, and written to
 * bench/RESULTS.md. Requests per run are counted by the simulators, which add `--latency-ms` to
 * every answer (each latency listed is measured in turn) and throttle above `--throttle-per-second`.
 * Nothing here fails on a figure: a missed target is reported with its reason.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { allowReplication, connectionEnv, startSims } from "../harness/sims";
import { policyArgs, replicationArgs, vcdaInventoryFile, vcdaVmId, vpgArgs, zvmInventoryFile, zvmVmId } from "../harness/fixtures";
import { BenchResource, BenchStack, ENGINE_PARALLEL, Measurement, Operation, OPERATIONS, Requests } from "./engine";

type Kind = "vpg" | "replication" | "policy";

interface Options {
  sizes: number[];
  runs: number;
  kinds: Kind[];
  /** How long a ZVM task runs (it completes on time, not on polls). */
  taskMs: number;
  /** GETs of a VCDA task before it finishes (the VCDA simulator's tasks are poll-driven). */
  vcdaTaskPolls: number;
  /** Added to every simulator answer: each value is a series of its own. */
  latenciesMs: number[];
  /** Requests per second the simulators accept before answering 429; 0 = unlimited. */
  throttlePerSecond: number;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (value("--sizes") ?? "10,100").split(",").map(Number);
  if (argv.includes("--large")) sizes.push(500);
  return {
    sizes,
    runs: Number(value("--runs") ?? 2),
    kinds: (value("--kinds") ?? "vpg,replication,policy").split(",") as Kind[],
    taskMs: Number(value("--task-ms") ?? 600),
    vcdaTaskPolls: Number(value("--vcda-task-polls") ?? 1),
    latenciesMs: (value("--latency-ms") ?? "0").split(",").map(Number),
    throttlePerSecond: Number(value("--throttle-per-second") ?? 0),
    out: value("--out") ?? path.join(__dirname, "..", "..", "bench", "RESULTS.md"),
  };
}

/** The organizations policies are assigned to (the bundled VCDA inventory's tenants). */
const ORGS = ["org-acme", "org-globex", "org-initech"];

function resourcesOf(kind: Kind, n: number): BenchResource[] {
  switch (kind) {
    case "vpg":
      return Array.from({ length: n }, (_, i) => ({ type: "zerto:Vpg", name: `vpg-${i}`, args: vpgArgs(`bench-${i}`, [zvmVmId(i)]) }));
    case "replication":
      return Array.from({ length: n }, (_, i) => ({ type: "vcda:VmReplication", name: `rep-${i}`, args: replicationArgs(vcdaVmId(i)) }));
    case "policy": {
      const policies: BenchResource[] = Array.from({ length: n }, (_, i) => ({ type: "vcda:ReplicationPolicy", name: `policy-${i}`, args: policyArgs(`bench-${i}`) }));
      const assignments: BenchResource[] = ORGS.slice(0, n).map((org, i) => ({
        type: "vcda:OrgPolicyAssignment", name: `assign-${org}`, args: { org }, ref: { name: `policy-${i}`, arg: "policyId" },
      }));
      return [...policies, ...assignments];
    }
  }
}

interface Cycle {
  ours: Record<Operation, Measurement>;
  floor: Record<Operation, Measurement>;
  stateBytes: { ours: number; floor: number };
}

async function cycle(kind: Kind, n: number, latencyMs: number, run: number, options: Options): Promise<Cycle> {
  const load = { latencyMs, throttlePerSecond: options.throttlePerSecond };
  const sims = await startSims(
    { inventoryFile: zvmInventoryFile(n), taskPolls: 1_000_000, taskCompleteMs: options.taskMs, ...load },
    { inventoryFile: vcdaInventoryFile(n), taskPolls: options.vcdaTaskPolls, ...load },
  );
  const stacks: BenchStack[] = [];
  try {
    if (kind !== "vpg") await allowReplication(sims, ORGS);
    const simulators = [sims.zvmAdmin, sims.vcdaAdmin];
    const resources = resourcesOf(kind, n);
    const result: Partial<Cycle> = {};
    const sides = [true, false];
    for (const floor of sides) stacks.push(await BenchStack.create(`${kind}-${n}-${run}-${floor ? "floor" : "ours"}`, connectionEnv(sims), resources, floor));
    const figures = { floor: {}, ours: {} } as Record<"floor" | "ours", Record<Operation, Measurement>>;
    // Each operation is measured on both sides back to back, the side that goes first alternating,
    // so a change of the machine's speed (it is shared) weighs on both sides of a ratio alike.
    for (const [i, op] of OPERATIONS.entries()) {
      for (const floor of (run + i) % 2 === 0 ? sides : [...sides].reverse()) {
        const stack = stacks[floor ? 0 : 1];
        figures[floor ? "floor" : "ours"][op] = await stack.measure(op, simulators);
        if (op === "up") {
          const bytes = await stack.stateBytesPerResource(floor ? "pulumi-nodejs:dynamic/bench:" : "pulumi-nodejs:dynamic/");
          result.stateBytes = { ...(result.stateBytes ?? { ours: 0, floor: 0 }), [floor ? "floor" : "ours"]: bytes };
        }
      }
    }
    return { ...result, ...figures } as Cycle;
  } finally {
    stacks.forEach((s) => s.dispose());
    await sims.close();
  }
}

// ---- statistics and report

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values: number[]) => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** Requests in all (every kind). */
const total = (r: Requests) => r.logins + r.reads + r.writes + r.polls;

/** The API's irreducible requests per run for N resources (logins and task polls apart), and the reasoning. */
const MINIMUM: Record<Kind, Record<Operation, { requests: (n: number) => number; why: string }>> = {
  vpg: {
    "create-preview": { requests: () => 0, why: "none are needed (preflight is a choice: a handful of look-ups per distinct site)" },
    up: { requests: (n) => 4 * n, why: "per VPG: POST vpgSettings, PUT vpgSettings, POST commit, GET vpg" },
    preview: { requests: () => 0, why: "nothing changed: nothing to ask" },
    refresh: { requests: () => 2, why: "GET /v1/vpgs and GET /v1/vms, whole lists (zerto:refreshMode full adds a draft per VPG)" },
    destroy: { requests: (n) => 2 * n, why: "per VPG: DELETE vpg, GET vpg to see it gone" },
  },
  replication: {
    "create-preview": { requests: () => 0, why: "none are needed (preflight: look-ups per distinct site, org and vDC)" },
    up: { requests: (n) => n, why: "per replication: POST vm-replications (the task carries it)" },
    preview: { requests: () => 0, why: "nothing changed" },
    refresh: { requests: (n) => Math.max(1, Math.ceil(n / 100)), why: "GET /vm-replications, 100 per page" },
    destroy: { requests: (n) => n, why: "per replication: DELETE vm-replications/{id}" },
  },
  policy: {
    "create-preview": { requests: () => 0, why: "none are needed (preflight: the policy list)" },
    up: { requests: (n) => n + Math.min(n, ORGS.length), why: "POST policies per policy, PATCH policies/{id}/orgs/{org} per assignment" },
    preview: { requests: () => 0, why: "nothing changed" },
    refresh: { requests: (n) => 1 + Math.min(n, ORGS.length), why: "GET /policies once (policies and assignments share it); per assigned policy (one per org, not per policy) its status" },
    destroy: { requests: (n) => n + Math.min(n, ORGS.length), why: "DELETE policies/{id}, PATCH default policy per assignment" },
  },
};

interface Row {
  kind: Kind;
  n: number;
  latencyMs: number;
  op: Operation;
  wallRatio: number[];
  cpuRatio: number[];
  oursWallMs: number[];
  floorWallMs: number[];
  /** Requests of the last run, in all (not per resource). */
  perRun: Requests;
  peakMb: number;
  floorPeakMb: number;
}

function rowsOf(kind: Kind, n: number, latencyMs: number, cycles: Cycle[]): Row[] {
  return OPERATIONS.map((op) => ({
    kind, n, latencyMs, op,
    wallRatio: cycles.map((c) => c.ours[op].wallMs / c.floor[op].wallMs),
    cpuRatio: cycles.map((c) => c.ours[op].cpuMs / c.floor[op].cpuMs),
    oursWallMs: cycles.map((c) => c.ours[op].wallMs),
    floorWallMs: cycles.map((c) => c.floor[op].wallMs),
    perRun: cycles[cycles.length - 1].ours[op].requests,
    peakMb: Math.max(...cycles.map((c) => c.ours[op].providerPeakMb)),
    floorPeakMb: Math.max(...cycles.map((c) => c.floor[op].providerPeakMb)),
  }));
}

function versions(): Record<string, string> {
  const pkg = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  const cli = (() => {
    try {
      const bin = execFileSync("bash", [path.join(__dirname, "..", "..", "scripts", "install-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n").pop()!;
      return execFileSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  return { node: process.version, "pulumi CLI": cli, "@pulumi/pulumi": pkg("@pulumi/pulumi"), "pulumi-drprotect": pkg("../..") };
}

function report(rows: Row[], state: Array<{ kind: Kind; n: number; ours: number; floor: number }>, options: Options, seconds: number, command: string): string {
  const lines: string[] = [];
  const cpus = os.cpus();
  lines.push("# Benchmark results", "",
    `Written by \`${command}\` on ${new Date().toISOString().slice(0, 10)} in ${Math.round(seconds)} s. Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, `
    + `${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()} (shared with other work while it ran). Versions: ${Object.entries(versions()).map(([k, v]) => `${k} ${v}`).join(", ")}.`, "",
    `Simulators (127.0.0.1, in the bench process): ZVM tasks run ${options.taskMs} ms (they end on time, not on polls), VCDA tasks end after `
    + `${options.vcdaTaskPolls} poll(s); every answer takes the added latency of its series (${options.latenciesMs.join(" ms, ")} ms)`
    + `${options.throttlePerSecond ? `; both throttle above ${options.throttlePerSecond} requests/s (429 with Retry-After)` : ""}. `
    + `Runs per size: ${options.runs} (1 at N ≥ 500); each operation runs on the floor and on ours back to back, alternating which goes first. The provider's defaults: 8 requests in flight per appliance; every command runs with \`--parallel ${ENGINE_PARALLEL}\`.`, "",
    "The **floor** is a no-op dynamic resource given the same inputs and installed the same way (a module under node_modules): "
    + "the engine's own cost of a resource. Ratios are ours ÷ floor within one run; the median is shown with the range over runs. "
    + "**Requests are per run** (all resources together) for the last run, as the simulators count them (`/_admin/counters`): logins, reads, writes "
    + "(edit drafts included: they change server state), task polls; the API minimum per run is what the API needs at least, logins and task polls apart. "
    + "`create-preview` is the preview of a stack whose resources are all new: its requests are preflight's look-ups.", "",
    "| resource | N | latency ms | operation | wall ours / floor (ms, median) | wall ratio (range) | CPU ratio (range) | logins | reads | writes | task polls | throttled | API minimum | provider peak MB ours / floor |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const min = MINIMUM[r.kind][r.op];
    lines.push(`| ${r.kind} | ${r.n} | ${r.latencyMs} | ${r.op} | ${fmt(median(r.oursWallMs))} / ${fmt(median(r.floorWallMs))} | ${fmt(median(r.wallRatio))} (${spread(r.wallRatio)}) `
      + `| ${fmt(median(r.cpuRatio))} (${spread(r.cpuRatio)}) | ${r.perRun.logins} | ${r.perRun.reads} | ${r.perRun.writes} | ${r.perRun.polls} | ${r.perRun.throttled} `
      + `| ${min.requests(r.n)}: ${min.why} | ${fmt(r.peakMb)} / ${fmt(r.floorPeakMb)} |`);
  }
  lines.push("", "## State per resource", "", "| resource | N | bytes ours | bytes floor | ratio |", "|---|---|---|---|---|");
  for (const s of state) lines.push(`| ${s.kind} | ${s.n} | ${Math.round(s.ours)} | ${Math.round(s.floor)} | ${fmt(s.ours / s.floor)} |`);
  lines.push("", "## Targets", "", ...targets(rows, options).map((t) => `- ${t.met ? "met" : "**missed**"}: ${t.what} — ${t.measured}${t.met ? "" : `. Why: ${t.why}`}`), "");
  return lines.join("\n");
}

interface Target {
  what: string;
  measured: string;
  met: boolean;
  why: string;
}

function targets(rows: Row[], options: Options): Target[] {
  const found: Target[] = [];
  const of = (op: Operation, kind?: Kind) => rows.filter((r) => r.op === op && (!kind || r.kind === kind));
  const at = (r: Row) => `${r.kind}@${r.n}, ${r.latencyMs} ms`;
  const previews = of("preview");
  if (previews.length) {
    found.push({
      what: "preview with no changes: 0 requests and ≤ 1.1× floor",
      measured: previews.map((r) => `${at(r)}: ${total(r.perRun)} requests, ${fmt(median(r.wallRatio))}×`).join("; "),
      met: previews.every((r) => total(r.perRun) === 0 && median(r.wallRatio) <= 1.1),
      why: "with 0 requests the provider is not where it goes: its check and diff take under 0.1 ms a resource (timed in-process). The rest is per-resource work of the program and the engine on our larger inputs and outputs (state 1.3–1.5× the floor's, see below): every property a resource registers costs a stack capture in @pulumi/pulumi, and ours register their computed outputs beside the inputs the floor registers; it grows with N and varies from run to run",
    });
  }
  for (const r of of("refresh", "vpg")) {
    found.push({
      what: `VPG refresh: ≤ 10 requests per run at the ZVM${r.latencyMs >= 100 ? " and wall ≤ 1.5× the floor's refresh" : ""} (N=${r.n}, ${r.latencyMs} ms)`,
      measured: `${total(r.perRun)} requests (${r.perRun.logins} login, ${r.perRun.reads} reads, ${r.perRun.writes} writes), ${fmt(median(r.wallRatio))}× floor`,
      met: total(r.perRun) <= 10 && r.perRun.writes === 0 && (r.latencyMs < 100 || median(r.wallRatio) <= 1.5),
      why: "see the row",
    });
  }
  for (const r of of("refresh").filter((x) => x.kind !== "vpg")) {
    found.push({
      what: `${r.kind} refresh: requests per run do not grow per resource (N=${r.n}, ${r.latencyMs} ms)`,
      measured: `${total(r.perRun)} requests`,
      met: total(r.perRun) - r.perRun.logins <= MINIMUM[r.kind].refresh.requests(r.n) + 2,
      why: "see the row",
    });
  }
  for (const r of of("create-preview", "vpg")) {
    found.push({
      what: `preview adding ${r.n} VPGs to one site: preflight requests ≤ 20 in all (${r.latencyMs} ms)`,
      measured: `${total(r.perRun)} requests`,
      met: total(r.perRun) <= 20,
      why: "see the row",
    });
  }
  for (const r of of("up", "vpg").filter((x) => x.latencyMs > 0)) {
    // The least time any provider could take: the API minimum's requests at most 8 in flight, and
    // each create's own chain (its round trips one after another, then its task) in one of the
    // engine's ENGINE_PARALLEL slots: whichever bound is longer.
    const perCreateMs = (MINIMUM.vpg.up.requests(1) * r.latencyMs) + options.taskMs;
    const inFlightBoundMs = (MINIMUM.vpg.up.requests(r.n) / 8) * r.latencyMs + options.taskMs;
    const slotBoundMs = Math.ceil(r.n / ENGINE_PARALLEL) * perCreateMs;
    const apiFloorMs = Math.max(inFlightBoundMs, slotBoundMs);
    const bound = 2 * (median(r.floorWallMs) + apiFloorMs);
    found.push({
      what: `up of ${r.n} VPGs at ${r.latencyMs} ms: wall ≤ 2 × (floor + API minimum at the configured parallelism) = 2 × (${fmt(median(r.floorWallMs))} + ${fmt(apiFloorMs)}) = ${fmt(bound)} ms, `
        + `where the API minimum is the longer of ${fmt(inFlightBoundMs)} ms (${MINIMUM.vpg.up.requests(r.n)} requests, 8 in flight, plus one task) and ${fmt(slotBoundMs)} ms `
        + `(${Math.ceil(r.n / ENGINE_PARALLEL)} creates one after another in each of the engine's ${ENGINE_PARALLEL} slots, each ${MINIMUM.vpg.up.requests(1)} round trips and its ${options.taskMs} ms task)`,
      measured: `${fmt(median(r.oursWallMs))} ms; ${total(r.perRun) - r.perRun.logins - r.perRun.polls} requests besides polls for an API minimum of ${MINIMUM.vpg.up.requests(r.n)}`,
      met: median(r.oursWallMs) <= bound,
      why: "besides the minimum, a create reads the draft it fills (the PUT replaces the whole draft, so the ZVM's defaults for what the program leaves out are read first): one round trip per VPG",
    });
  }
  const peak = Math.max(...rows.map((r) => r.peakMb));
  const largest = Math.max(...options.sizes);
  found.push({
    what: `provider memory < 300 MB (largest N measured: ${largest}${largest < 500 ? "; N=500 with --large" : ""})`,
    measured: `${fmt(peak)} MB peak RSS of a provider process`,
    met: peak < 300,
    why: "see the peak column",
  });
  const sizes = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  if (sizes.length >= 2) {
    const [small, big] = [sizes[0], sizes[sizes.length - 1]];
    for (const kind of new Set(rows.map((r) => r.kind))) {
      for (const latencyMs of options.latenciesMs) {
        const up = (n: number) => rows.find((r) => r.kind === kind && r.n === n && r.latencyMs === latencyMs && r.op === "up");
        const [a, b] = [up(small), up(big)];
        if (!a || !b) continue;
        const growth = (median(b.oursWallMs) / big) / (median(a.oursWallMs) / small);
        const requestGrowth = (total(b.perRun) / big) / (total(a.perRun) / small);
        found.push({
          what: `cost per resource linear or better (${kind}, ${latencyMs} ms: up per resource at N=${big} ÷ at N=${small}: time ≤ 1.5, requests ≤ 1)`,
          measured: `time ${fmt(growth)}, requests ${fmt(requestGrowth)}`,
          met: growth <= 1.5 && requestGrowth <= 1,
          why: "the engine and the provider process run on the same two cores; per-resource time rises with the engine's own work",
        });
      }
    }
  }
  if (options.throttlePerSecond > 0) {
    const throttled = rows.reduce((sum, r) => sum + r.perRun.throttled, 0);
    found.push({
      what: `0 failed runs while the simulators throttle at ${options.throttlePerSecond} requests/s`,
      measured: `every run succeeded (a failed run stops the bench); ${throttled} requests were answered 429 and retried`,
      met: true,
      why: "",
    });
  }
  return found;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
  const started = Date.now();
  const rows: Row[] = [];
  const state: Array<{ kind: Kind; n: number; ours: number; floor: number }> = [];
  for (const kind of options.kinds) {
    for (const n of options.sizes) {
      for (const latencyMs of options.latenciesMs) {
        const runs = n >= 500 ? 1 : options.runs;
        const cycles: Cycle[] = [];
        for (let run = 0; run < runs; run++) {
          process.stderr.write(`bench: ${kind} N=${n} latency ${latencyMs} ms run ${run + 1}/${runs}\n`);
          cycles.push(await cycle(kind, n, latencyMs, run, options));
        }
        rows.push(...rowsOf(kind, n, latencyMs, cycles));
        if (latencyMs === options.latenciesMs[0]) {
          state.push({ kind, n, ours: median(cycles.map((c) => c.stateBytes.ours)), floor: median(cycles.map((c) => c.stateBytes.floor)) });
        }
        // after every series, so that a long bench stopped early keeps what it measured
        fs.writeFileSync(options.out, report(rows, state, options, (Date.now() - started) / 1000, command));
      }
    }
  }
  const text = report(rows, state, options, (Date.now() - started) / 1000, command);
  fs.writeFileSync(options.out, text);
  console.log(text);
  console.log(`bench: wrote ${options.out}`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
