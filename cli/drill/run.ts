/**
 * Runs a drill: health of every target first (one refusal starts nothing), then each target's failover
 * test, a few at a time, with progress lines; the test is always stopped, whatever happens, and the
 * record on disk names it until the appliance shows it stopped.
 */
import type { DrillTarget, FailoverTestDriver, TestVm } from "../../provider/failoverTest";
import { runCheck } from "./checks";
import type { CheckResult } from "./checks";
import type { DrillEvidence, TargetEvidence } from "./evidence";
import { applianceName, CheckSpec, DrillFile, settingsOf, typeName } from "./plan";
import { DrillRecord, processAlive, StartedEntry } from "./record";

export type DriverFor = (target: DrillTarget) => FailoverTestDriver;

export interface DrillRun {
  stack: string;
  targets: DrillTarget[];
  file: DrillFile;
  driverFor: DriverFor;
  record: DrillRecord;
  /** The checkpoint tag, e.g. drill-20261206T173000Z. */
  tag: string;
  signal: AbortSignal;
  progress(line: string): void;
  /** How often the test VMs are polled while coming up. */
  pollMs?: number;
}

const STOP_ATTEMPTS = 3;

/** The evidence of the run, minus who ran it (the caller adds that). */
export type DrillResult = Pick<DrillEvidence, "passed" | "targets" | "startedAt" | "endedAt">;

export async function runDrill(run: DrillRun): Promise<DrillResult> {
  const startedAt = new Date().toISOString();
  const clock = Date.now();
  const say = (target: DrillTarget, phase: string, rto?: number) => {
    const elapsed = Math.round((Date.now() - clock) / 1000);
    run.progress(`[${String(elapsed).padStart(4)} s] ${target.name}: ${phase}${rto !== undefined ? ` (RTO target ${rto} s)` : ""}`);
  };
  await settleOrphans(run);

  const health = await inParallel(run.targets, run.file.parallel, async (target) => {
    say(target, "checking health");
    try {
      return await run.driverFor(target).health(target);
    } catch (err) {
      return { ready: false, testRunning: false, reason: (err as Error).message };
    }
  });
  const refused = run.targets.filter((_, i) => !health[i].ready);
  let targets: TargetEvidence[];
  if (refused.length) {
    for (const [i, target] of run.targets.entries()) if (!health[i].ready) say(target, `refused: ${health[i].reason}`);
    run.progress(`Nothing started: ${refused.map((t) => `'${t.name}'`).join(", ")} ${refused.length === 1 ? "is" : "are"} not ready for a failover test.`);
    targets = run.targets.map((target, i) => ({
      ...baseEvidence(target), outcome: "refused",
      reason: health[i].ready ? "not started: another target was refused" : health[i].reason ?? "not ready",
    }));
  } else {
    targets = await inParallel(run.targets, run.file.parallel, (target) => drillTarget(run, target, say));
  }
  return { startedAt, endedAt: new Date().toISOString(), passed: targets.length > 0 && targets.every((t) => t.outcome === "passed"), targets };
}

function baseEvidence(target: DrillTarget): TargetEvidence {
  const name = applianceName(target);
  return { name: target.name, type: typeName(target), ...(name ? { applianceName: name } : {}), id: target.id, outcome: "passed", checks: [], reports: {} };
}

async function drillTarget(run: DrillRun, target: DrillTarget, say: (t: DrillTarget, phase: string, rto?: number) => void): Promise<TargetEvidence> {
  const ev = baseEvidence(target);
  const settings = settingsOf(run.file, target);
  ev.previousTest = previousTest(target, settings.maxTestIntervalDays, new Date());
  const driver = run.driverFor(target);
  const failures: string[] = [];
  let started = false;
  try {
    if (run.signal.aborted) throw new Error("interrupted before the test started");
    ev.startedAt = new Date().toISOString();
    say(target, `tagging checkpoint '${run.tag}'`);
    const point = await driver.pointInTime(target, run.tag);
    // recorded before the start request: a run killed while it is under way leaves the record behind
    run.record.add(target);
    started = true;
    say(target, "test starting", settings.rtoSeconds);
    const testStart = Date.now();
    const test = await driver.startTest(target, point);
    ev.reports.startTaskId = test.taskId;
    const age = Math.max(0, (testStart - Date.parse(point.time)) / 1000);
    ev.pointInTime = { ...point, ageSeconds: Math.round(age), ...(settings.rpoSeconds !== undefined ? { rpoSeconds: settings.rpoSeconds, withinRpo: age <= settings.rpoSeconds } : {}) };
    if (ev.pointInTime.withinRpo === false) failures.push(`the point in time is ${Math.round(age)} s old, over the RPO of ${settings.rpoSeconds} s`);
    const vms = await waitForVmsUp(run, driver, target, testStart);
    const upSeconds = Math.round((Date.now() - testStart) / 100) / 10;
    const withinRto = settings.rtoSeconds === undefined ? undefined : upSeconds <= settings.rtoSeconds;
    ev.vmsUp = { seconds: upSeconds, ...(settings.rtoSeconds !== undefined ? { rtoTargetSeconds: settings.rtoSeconds, withinRto } : {}) };
    if (withinRto === false) failures.push(`the test VMs took ${upSeconds} s, over the RTO target of ${settings.rtoSeconds} s`);
    say(target, `${vms.length} test VM(s) up after ${upSeconds} s`, settings.rtoSeconds);
    for (const { check, vm } of checksFor(settings.checks, vms)) {
      if (run.signal.aborted) throw new Error("interrupted during the checks");
      say(target, `check '${check.name}'${vm ? ` on ${vm.name}` : ""}`);
      const ip = vm ? settings.addresses[vm.name] ?? vm.ips[0] : undefined;
      const result: CheckResult = await runCheck(check, ip, run.signal);
      ev.checks.push(result);
      say(target, `check '${check.name}' ${result.passed ? "passed" : `FAILED: ${result.detail}`} in ${Math.round(result.durationMs / 100) / 10} s`);
      if (!result.passed) failures.push(`check '${check.name}' failed`);
    }
    if (run.signal.aborted) throw new Error("interrupted");
  } catch (err) {
    ev.outcome = "error";
    failures.unshift((err as Error).message);
  } finally {
    if (started) {
      const succeeded = failures.length === 0;
      say(target, "stopping the test");
      ev.cleanup = await stopAndVerify(driver, target, run.record, succeeded,
        succeeded ? `DR drill ${run.tag}: all checks passed` : `DR drill ${run.tag} failed: ${failures.join("; ")}`);
      ev.reports.stopTaskId = ev.cleanup.taskId;
      say(target, ev.cleanup.stopped ? "test stopped" : `TEST NOT STOPPED: ${ev.cleanup.detail}`);
      if (!ev.cleanup.stopped) failures.push("the test could not be stopped");
    }
    ev.endedAt = new Date().toISOString();
  }
  if (ev.startedAt && driver.recoveryReport) {
    const report = await driver.recoveryReport(target, new Date(Date.parse(ev.startedAt) - 1000)).catch(() => undefined);
    if (report) Object.assign(ev.reports, { recoveryReportId: report.id, ...(report.rtoSeconds !== undefined ? { applianceRtoSeconds: report.rtoSeconds } : {}) });
  }
  if (failures.length) {
    if (ev.outcome === "passed") ev.outcome = "failed";
    ev.reason = failures[0];
  }
  say(target, ev.outcome === "passed" ? "PASSED" : `${ev.outcome.toUpperCase()}: ${ev.reason}`);
  return ev;
}

/** The last test the state recorded (a VPG's lastTest output), and whether it lies further back than the interval policy allows. */
export function previousTest(target: DrillTarget, maxIntervalDays: number | undefined, now: Date): TargetEvidence["previousTest"] {
  const recorded = target.state.lastTest;
  if (recorded === undefined) return undefined;
  const at = typeof recorded === "string" && !Number.isNaN(Date.parse(recorded)) ? recorded : null;
  if (maxIntervalDays === undefined) return { at };
  const overdue = at === null || now.getTime() - Date.parse(at) > maxIntervalDays * 86_400_000;
  return { at, maxIntervalDays, overdue };
}

/** A check naming a VM runs on it; one naming none runs on every test VM when it needs an address, else once. */
function checksFor(checks: CheckSpec[], vms: TestVm[]): Array<{ check: CheckSpec; vm?: TestVm }> {
  return checks.flatMap((check) => {
    if (check.vm) {
      const vm = vms.find((v) => v.name === check.vm || v.vmId === check.vm);
      return [{ check, vm: vm ?? { name: check.vm, ips: [], poweredOn: false } }];
    }
    const needsIp = check.kind === "tcp" ? !check.host : (check.kind === "http" ? check.url : check.command).includes("{ip}");
    return needsIp ? vms.map((vm) => ({ check: { ...check, name: `${check.name} on ${vm.name}` }, vm })) : [{ check }];
  });
}

async function waitForVmsUp(run: DrillRun, driver: FailoverTestDriver, target: DrillTarget, since: number): Promise<TestVm[]> {
  const deadline = since + run.file.vmsUpTimeoutSeconds * 1000;
  for (;;) {
    const vms = await driver.testVms(target);
    if (vms.length && vms.every((vm) => vm.poweredOn)) return vms;
    if (run.signal.aborted) throw new Error("interrupted while the test VMs came up");
    if (Date.now() > deadline) throw new Error(`the test VMs were not all up within ${run.file.vmsUpTimeoutSeconds} s (${vms.filter((v) => !v.poweredOn).map((v) => v.name).join(", ")})`);
    await new Promise((resolve) => setTimeout(resolve, run.pollMs ?? 1000));
  }
}

/** Stops the test and proves it stopped by reading the appliance; only then is the record's entry removed. */
async function stopAndVerify(driver: FailoverTestDriver, target: DrillTarget, record: DrillRecord, succeeded: boolean, summary: string): Promise<NonNullable<TargetEvidence["cleanup"]>> {
  let detail = "";
  let taskId: string | undefined;
  // a look at the appliance before each attempt, and after the last one
  for (let attempt = 0; attempt <= STOP_ATTEMPTS; attempt++) {
    try {
      if (!(await driver.testRunning(target))) {
        record.remove(target.urn);
        return { stopped: true, ...(taskId ? { taskId } : {}), detail: taskId ? "stopped; the appliance shows no test running" : "the appliance shows no test running" };
      }
      if (attempt === STOP_ATTEMPTS) break;
      taskId = (await driver.stopTest(target, { succeeded, summary })).taskId;
    } catch (err) {
      detail = (err as Error).message;
    }
  }
  return { stopped: false, ...(taskId ? { taskId } : {}), detail: `still running after ${STOP_ATTEMPTS} stop attempts${detail ? ` (${detail})` : ""}; run \`pulumi-drprotect drill --cleanup\`` };
}

export interface CleanupOutcome {
  name: string;
  stopped: boolean;
  detail: string;
}

/** Settles the record's entries: stops each test the appliance still shows running. `all`: also entries of live processes. */
export async function cleanupRecorded(record: DrillRecord, driverFor: DriverFor, all: boolean, summary: string): Promise<CleanupOutcome[]> {
  const outcomes: CleanupOutcome[] = [];
  for (const entry of record.entries()) {
    if (!all && processAlive(entry.pid)) continue;
    outcomes.push(await settle(entry, driverFor, record, summary));
  }
  return outcomes;
}

async function settle(entry: StartedEntry, driverFor: DriverFor, record: DrillRecord, summary: string): Promise<CleanupOutcome> {
  try {
    const cleanup = await stopAndVerify(driverFor(entry.target), entry.target, record, false, summary);
    return { name: entry.target.name, stopped: cleanup.stopped, detail: cleanup.detail };
  } catch (err) {
    return { name: entry.target.name, stopped: false, detail: (err as Error).message };
  }
}

/** What a killed drill left behind is stopped before a new one starts (a live drill's own tests are left alone). */
async function settleOrphans(run: DrillRun): Promise<void> {
  const outcomes = await cleanupRecorded(run.record, run.driverFor, false, "stopped by the next DR drill: the drill that started it did not finish");
  for (const o of outcomes) run.progress(`left by an earlier drill: ${o.name}: ${o.stopped ? o.detail : `NOT STOPPED: ${o.detail}`}`);
  const left = outcomes.filter((o) => !o.stopped);
  if (left.length) throw new Error(`tests left running by an earlier drill could not be stopped (${left.map((o) => o.name).join(", ")}): run \`pulumi-drprotect drill --cleanup\``);
}

/** Maps items with at most `limit` running at once, keeping their order. */
async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
