import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDrillFile } from "../../cli/drill/plan";
import { DrillRecord } from "../../cli/drill/record";
import { cleanupRecorded, previousTest, runDrill } from "../../cli/drill/run";
import type { DrillTarget, FailoverTestDriver, Health } from "../../provider/failoverTest";

/** An appliance in memory: which targets run a test, and every call the runner made. */
function fakeAppliance(health: Record<string, Health> = {}, stopFailures = 0) {
  const running = new Set<string>();
  const calls: string[] = [];
  let failuresLeft = stopFailures;
  const driver: FailoverTestDriver = {
    async health(t) {
      calls.push(`health ${t.name}`);
      return health[t.name] ?? { ready: !running.has(t.id), testRunning: running.has(t.id) };
    },
    async pointInTime(t, tag) {
      calls.push(`tag ${t.name} ${tag}`);
      return { id: "cp-1", time: new Date().toISOString(), name: tag };
    },
    async startTest(t, point) {
      calls.push(`start ${t.name}`);
      running.add(t.id);
      return { taskId: `start-${t.id}`, point };
    },
    async testVms(t) {
      return [{ name: `${t.name}-vm`, vmId: "vm-1", ips: [], poweredOn: running.has(t.id) }];
    },
    async testRunning(t) {
      return running.has(t.id);
    },
    async stopTest(t, result) {
      calls.push(`stop ${t.name} ${result.succeeded} ${result.summary}`);
      if (failuresLeft-- > 0) throw new Error("the ZVM answered 503");
      running.delete(t.id);
      return { taskId: `stop-${t.id}`, succeeded: true };
    },
  };
  return { driver, running, calls };
}

const target = (name: string): DrillTarget => ({ type: "drprotect:zerto:Vpg", urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/zerto:Vpg::${name}`, name, id: `id-${name}`, state: {} });

describe("drill runner (an appliance in memory)", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-runner-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const drill = (appliance: ReturnType<typeof fakeAppliance>, targets: DrillTarget[], drillFile = "{}", signal = new AbortController().signal) => {
    const progress: string[] = [];
    return runDrill({
      stack: "s", targets, file: parseDrillFile(drillFile), driverFor: () => appliance.driver, record: new DrillRecord(dir, "s"),
      tag: "drill-1", signal, progress: (line) => progress.push(line), pollMs: 1,
    }).then((result) => ({ result, progress }));
  };

  it("refuses every target when one is not ready, naming it, and starts nothing", async () => {
    const appliance = fakeAppliance({ shop: { ready: false, testRunning: true, reason: "a failover test is already running" } });
    const { result, progress } = await drill(appliance, [target("payroll"), target("shop")]);
    assert.equal(result.passed, false);
    assert.deepEqual(result.targets.map((t) => [t.name, t.outcome, t.reason]), [
      ["payroll", "refused", "not started: another target was refused"], ["shop", "refused", "a failover test is already running"]]);
    assert.deepEqual(appliance.calls.filter((c) => !c.startsWith("health")), []);
    assert.ok(progress.some((l) => /shop: refused: a failover test is already running/.test(l)));
  });

  it("stops the test with the failure as its summary when a check fails, and empties the record", async () => {
    const appliance = fakeAppliance();
    const { result } = await drill(appliance, [target("payroll")], JSON.stringify({ targets: { payroll: { checks: [{ name: "smoke", command: "exit 3" }] } } }));
    assert.equal(result.targets[0].outcome, "failed");
    assert.equal(result.targets[0].checks[0].passed, false);
    assert.match(result.targets[0].checks[0].detail, /exited 3/);
    assert.ok(appliance.calls.includes("stop payroll false DR drill drill-1 failed: check 'smoke' failed"), appliance.calls.join("\n"));
    assert.equal(appliance.running.size, 0);
    assert.deepEqual(new DrillRecord(dir, "s").entries(), []);
  });

  it("retries a stop that fails, and records the cleanup only once the appliance shows the test gone", async () => {
    const appliance = fakeAppliance({}, 2);
    const { result } = await drill(appliance, [target("payroll")], JSON.stringify({ rtoSeconds: 60 }));
    assert.equal(result.passed, true, JSON.stringify(result.targets[0]));
    assert.deepEqual(result.targets[0].cleanup, { stopped: true, taskId: "stop-id-payroll", detail: "stopped; the appliance shows no test running" });
    assert.equal(appliance.calls.filter((c) => c.startsWith("stop")).length, 3);
    assert.equal(result.targets[0].vmsUp?.withinRto, true);
  });

  it("keeps the record and says so when the test cannot be stopped", async () => {
    const appliance = fakeAppliance({}, 10);
    const { result } = await drill(appliance, [target("payroll")]);
    assert.equal(result.targets[0].cleanup?.stopped, false);
    assert.match(result.targets[0].cleanup!.detail, /still running after 3 stop attempts \(the ZVM answered 503\)/);
    assert.deepEqual(new DrillRecord(dir, "s").entries().map((e) => e.target.name), ["payroll"]);
  });

  it("starts nothing once interrupted", async () => {
    const controller = new AbortController();
    controller.abort("SIGINT");
    const appliance = fakeAppliance();
    const { result } = await drill(appliance, [target("payroll")], "{}", controller.signal);
    assert.equal(result.targets[0].outcome, "error");
    assert.deepEqual(appliance.calls.filter((c) => !c.startsWith("health")), []);
  });

  it("stops, before a new drill, the tests a dead drill left running; --cleanup settles live ones too", async () => {
    const appliance = fakeAppliance();
    const record = new DrillRecord(dir, "s");
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    record.add(target("payroll"));
    appliance.running.add("id-payroll");
    fs.writeFileSync(record.file, fs.readFileSync(record.file, "utf8").replace(`"pid": ${process.pid}`, `"pid": ${dead}`));
    const { result, progress } = await drill(appliance, [target("payroll")]);
    assert.ok(progress.some((l) => /left by an earlier drill: payroll: stopped/.test(l)), progress.join("\n"));
    assert.equal(result.passed, true);

    record.add(target("shop"));
    appliance.running.add("id-shop");
    assert.deepEqual(await cleanupRecorded(record, () => appliance.driver, false, "x"), [], "a live drill's test is its own business");
    assert.deepEqual(await cleanupRecorded(record, () => appliance.driver, true, "x"), [{ name: "shop", stopped: true, detail: "stopped; the appliance shows no test running" }]);
  });

  it("judges the previous test against the test-interval policy", () => {
    const now = new Date("2026-12-06T00:00:00Z");
    const withLastTest = (lastTest: unknown) => ({ ...target("payroll"), state: { lastTest } });
    assert.deepEqual(previousTest(withLastTest("2026-10-01T00:00:00Z"), 90, now), { at: "2026-10-01T00:00:00Z", maxIntervalDays: 90, overdue: false });
    assert.deepEqual(previousTest(withLastTest("2026-08-01T00:00:00Z"), 90, now), { at: "2026-08-01T00:00:00Z", maxIntervalDays: 90, overdue: true });
    assert.deepEqual(previousTest(withLastTest(null), 90, now), { at: null, maxIntervalDays: 90, overdue: true });
    assert.equal(previousTest(target("payroll"), 90, now), undefined);
  });
});
