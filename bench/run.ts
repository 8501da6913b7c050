/**
 * Speed and memory figures, each measured as a ratio within one run (so they hold on any machine):
 * `npm run bench` prints a table and exits non-zero only when a ratio misses its target.
 * Everything runs in this process against the ZVM simulator on 127.0.0.1.
 */
import Ajv from "ajv";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import * as pulumi from "@pulumi/pulumi";
import { handlerFor } from "../provider";
import { delegateFor } from "../provider/dynamic";
import { packageSchema, resourceSchema } from "../provider/schema";
import { createVpgHandler } from "../provider/zerto/vpg";
import { startZvmSimulator } from "../simulator/zvm";
import { validVpg } from "../test/fixtures/badInputs";
import { vpgArgs, zvmInventoryFile, zvmVmId } from "../test/fixtures/reliability";

const VPG = "drprotect:zerto:Vpg";

interface Figure {
  name: string;
  measured: string;
  ratio: number;
  target: string;
  met: boolean;
}

/** Operations per second of `op`, run for about `ms`. */
async function throughput(op: () => unknown, ms = 1000): Promise<number> {
  for (let i = 0; i < 200; i++) await op();
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 100; i++) await op();
    count += 100;
  }
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** check() (ajv with defaults, error messages, unknown-value handling) against a bare compiled ajv validator. */
async function checkThroughput(): Promise<Figure> {
  const ajv = new Ajv({ allErrors: true, strict: false, $data: true });
  ajv.addSchema({ $id: "drprotect", definitions: packageSchema().definitions });
  const plain = ajv.compile(JSON.parse(JSON.stringify(resourceSchema(VPG).inputs).replace(/"#\/definitions\//g, '"drprotect#/definitions/')));
  const baseline = await throughput(() => plain(structuredClone(validVpg)));
  const handler = handlerFor(VPG);
  const measured = await throughput(() => handler.check({}, validVpg));
  const ratio = measured / baseline;
  return { name: "check() throughput / bare ajv validate", measured: `${Math.round(measured)}/s vs ${Math.round(baseline)}/s`, ratio, target: ">= 0.10", met: ratio >= 0.1 };
}

/** Twenty VPG creates one after another, then twenty at once: the client must not serialize them. */
async function createParallelism(): Promise<Figure> {
  const count = 20;
  const sim = await startZvmSimulator({ taskPolls: 1, listingLagMs: 50, initializingMs: 50, inventoryFile: zvmInventoryFile(2 * count) });
  try {
    Object.assign(process.env, { ZERTO_URL: sim.url, ZERTO_AUTH_MODE: "session", ZERTO_USERNAME: "admin", ZERTO_PASSWORD: "zerto-sim-password" });
    // a WAN-like delay on every request, so the comparison measures waiting, not this machine's CPU
    sim.faults.add({ kind: "latency", delayMs: 20 });
    const handler = handlerFor(VPG);
    const create = async (i: number) => handler.create((await handler.check({}, vpgArgs(`bench-${i}`, [zvmVmId(i)]))).inputs);
    let started = Date.now();
    for (let i = 0; i < count; i++) await create(i);
    const sequential = Date.now() - started;
    started = Date.now();
    await Promise.all(Array.from({ length: count }, (_, i) => create(count + i)));
    const parallel = Date.now() - started;
    const ratio = sequential / parallel;
    return { name: `${count} VPG creates: sequential / parallel time`, measured: `${sequential} ms / ${parallel} ms`, ratio, target: ">= 4", met: ratio >= 4 };
  } finally {
    await sim.close();
  }
}

/** What Pulumi stores per resource: the delegate, against capturing the provider implementation itself. */
async function serializedSize(): Promise<Figure> {
  const delegate = await pulumi.runtime.serializeFunction(() => delegateFor(VPG), { allowSecrets: true });
  const implementation = createVpgHandler();
  let captured: number;
  let measured: string;
  try {
    captured = (await pulumi.runtime.serializeFunction(() => implementation, { allowSecrets: true })).text.length;
    measured = `${delegate.text.length} B vs ${captured} B`;
  } catch (err) {
    captured = Infinity;
    measured = `${delegate.text.length} B vs not serializable (${(err as Error).message.split("\n")[0].slice(0, 60)})`;
  }
  const ratio = captured / delegate.text.length;
  return { name: "captured provider size / delegate size", measured, ratio, target: ">= 10", met: ratio >= 10 };
}

/** Heap after many reads against the heap after a few: reads must not accumulate anything. */
async function memoryPerRead(): Promise<Figure> {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const sim = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, initializingMs: 0 });
  try {
    Object.assign(process.env, { ZERTO_URL: sim.url, ZERTO_AUTH_MODE: "session", ZERTO_USERNAME: "admin", ZERTO_PASSWORD: "zerto-sim-password" });
    const handler = handlerFor(VPG);
    const { id, outs } = await handler.create((await handler.check({}, vpgArgs("bench-memory", [zvmVmId(0)]))).inputs);
    const reads = async (n: number) => {
      for (let i = 0; i < n; i++) await handler.read(id, outs);
    };
    const settledHeap = () => {
      for (let i = 0; i < 3; i++) gc();
      return process.memoryUsage().heapUsed;
    };
    await reads(100);
    sim.journal.clear();
    const before = settledHeap();
    await reads(500);
    sim.journal.clear(); // the simulator's request journal is not the provider's memory
    const after = settledHeap();
    const perHundredKb = (after - before) / 5 / 1024;
    const ratio = after / before;
    return { name: "heap after 600 reads / after 100 reads", measured: `${(perHundredKb).toFixed(1)} KB per 100 reads`, ratio, target: "<= 1.10", met: ratio <= 1.1 };
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  for (const measure of [checkThroughput, createParallelism, serializedSize, memoryPerRead]) figures.push(await measure());
  const rows = figures.map((f) => [f.name, f.measured, Number.isFinite(f.ratio) ? f.ratio.toFixed(2) : "∞", f.target, f.met ? "ok" : "MISSED"]);
  const header = ["figure", "measured", "ratio", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
  const missed = figures.filter((f) => !f.met);
  if (missed.length) {
    console.error(`bench: ${missed.length} ratio target(s) missed`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
