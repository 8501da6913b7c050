import assert from "node:assert/strict";
import { openDefaultPolicy } from "../../harness/sims";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DrillTarget } from "../../provider/failoverTest";
import type { VappReplicationInputs, VmReplicationInputs } from "../../provider/inputs.generated";
import { createVcdaClient, VcdaClientOptions } from "../../provider/vcda/client";
import { createVcdaFailoverTestDriver, vcdaFailoverTestDriver } from "../../provider/vcda/failoverTest";
import { createVappReplicationHandler } from "../../provider/vcda/vappReplication";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";

const inventory = loadInventory();
const vmNamed = (name: string) => inventory.vms.find((v) => v.name === name)!;
const westVdc = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-west")!.id;
const FAST: VcdaClientOptions = { pollInitialDelayMs: 5, pollMaxDelayMs: 20, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

let sim: VcdaSimulator;
const client = () => createVcdaClient({ url: sim.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false }, FAST);

async function admin(method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}/_admin/vcda${route}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  assert.ok(response.ok, `admin ${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The tasks of a type the simulator ran, and the states each one answered (through the journal of GET /tasks/{id}). */
async function tasksOf(type: string): Promise<any[]> {
  return Object.values((await admin("GET", "/state")).tasks as Record<string, any>).map((r) => r.task).filter((t) => t.workflowInfo.type === type);
}

const destination = { type: "vcloud", site: "cloud-west", vdc: westVdc } as const;

async function vmTarget(): Promise<DrillTarget> {
  const handler = createVmReplicationHandler(client);
  const { inputs } = await handler.check({}, { source: { type: "vm", site: "cloud-east", vmId: vmNamed("acme-web-01").id }, destination, rpo: 30 } as VmReplicationInputs);
  const { id, outs } = await handler.create(inputs!);
  return { type: "drprotect:vcda:VmReplication", urn: "urn:pulumi:dev::dr::drprotect:vcda:VmReplication::web", name: "web", id, state: { ...outs } };
}

async function vappTarget(): Promise<DrillTarget> {
  const handler = createVappReplicationHandler(client);
  const { inputs } = await handler.check({}, { source: { type: "vapp", site: "cloud-east", vappId: vmNamed("acme-web-01").vappId }, destination, rpo: 30 } as VappReplicationInputs);
  const { id, outs } = await handler.create(inputs!);
  return { type: "drprotect:vcda:VappReplication", urn: "urn:pulumi:dev::dr::drprotect:vcda:VappReplication::web-vapp", name: "web-vapp", id, state: { ...outs } };
}

/** GET on the test VM's listener: what a drill's HTTP check does. */
async function reach(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return response.text();
}

before(async () => { sim = await startVcdaSimulator({ taskPolls: 2 }); });
after(async () => { await sim.close(); });
beforeEach(async () => {
  await admin("POST", "/reset");
  await admin("PUT", "/policies/default", { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 });
  sim.journal.clear();
});

describe("VCDA failover-test driver against the simulator", () => {
  it("tests a VM replication from its latest instance: start, test VM reachable, cleanup, with tasks through QUEUED", async () => {
    const driver = createVcdaFailoverTestDriver(client());
    const target = await vmTarget();
    assert.deepEqual(await driver.health(target), { ready: true, testRunning: false });
    assert.equal(await driver.testRunning(target), false);

    const point = await driver.pointInTime(target, "drill-2026-12-06");
    assert.equal(point.id, (target.state.latestInstance as { key: string }).key);
    assert.ok(!Number.isNaN(Date.parse(point.time)));

    const started = await driver.startTest(target, point);
    assert.deepEqual(started.point, point);
    const [post] = sim.journal.list().filter((e) => e.method === "POST" && /failover-test$/.test(e.path));
    assert.equal(post.query, "?site=cloud-west");
    assert.deepEqual(post.body, { type: "vcloud", instanceId: point.id, sync: false, powerOn: true });
    const [startTask] = await tasksOf("failoverTest");
    assert.equal(startTask.id, started.taskId);
    assert.equal(startTask.state, "SUCCEEDED");
    // QUEUED (first read), RUNNING, SUCCEEDED: the wait went through QUEUED (taskPolls 2 finishes a task on its second RUNNING read)
    assert.equal(sim.journal.list().filter((e) => e.method === "GET" && e.path === `/tasks/${started.taskId}`).length, 3);

    assert.equal(await driver.testRunning(target), true);
    const health = await driver.health(target);
    assert.deepEqual(health, { ready: false, reason: "a failover test is already running", testRunning: true });

    const [testVm] = await driver.testVms(target);
    assert.equal(testVm.name, "acme-web-01");
    assert.equal(testVm.poweredOn, true);
    assert.deepEqual(testVm.ips, ["127.0.0.1"]);
    const [listed] = await admin("GET", "/test-vms");
    assert.equal(listed.replicationId, target.id);
    assert.equal(listed.vcdVmId, testVm.vmId);
    assert.equal(listed.instanceKey, point.id);
    assert.match(await reach(listed.port), /test VM acme-web-01/);

    const stopped = await driver.stopTest(target, { succeeded: true, summary: "checks passed" });
    assert.deepEqual(stopped, { taskId: (await tasksOf("failoverTestCleanup"))[0].id, succeeded: true });
    assert.equal(await driver.testRunning(target), false);
    assert.deepEqual(await driver.testVms(target), []);
    assert.deepEqual(await admin("GET", "/test-vms"), []);
    await assert.rejects(reach(listed.port), "the listener closes at cleanup");
    assert.equal("recoveryReport" in driver, false, "VCDA 4.1 has no recovery report");
  });

  it("tests every VM of a vApp replication through /vapp-replications and cleans all of them up", async () => {
    const driver = createVcdaFailoverTestDriver(client());
    const target = await vappTarget();
    assert.deepEqual(await driver.health(target), { ready: true, testRunning: false });
    const point = await driver.pointInTime(target, "drill");
    assert.match(point.name!, /latest instance of each of \d+ VMs/);
    await driver.startTest(target, point);
    const [post] = sim.journal.list().filter((e) => e.method === "POST" && /failover-test$/.test(e.path));
    assert.equal(post.path, `/vapp-replications/${target.id}/failover-test`);
    assert.deepEqual(post.body, { type: "vcloud", sync: false, powerOn: true });
    const vms = await driver.testVms(target);
    const vmCount = inventory.vms.filter((v) => v.vappId === vmNamed("acme-web-01").vappId).length;
    assert.equal(vms.length, vmCount);
    assert.ok(vms.every((v) => v.poweredOn && v.ips[0] === "127.0.0.1"));
    const listeners = await admin("GET", "/test-vms");
    assert.equal(new Set(listeners.map((l: any) => l.port)).size, vmCount, "one listener per test VM");
    assert.equal((await tasksOf("failoverTest"))[0].workflowInfo.resourceType, "vappReplication");

    assert.equal((await driver.stopTest(target, { succeeded: true, summary: "" })).succeeded, true);
    assert.equal(await driver.testRunning(target), false);
    assert.deepEqual(await admin("GET", "/test-vms"), []);
  });

  it("one driver for a whole stack reaches each target through the connection of its profile", async () => {
    const asked: Array<string | undefined> = [];
    const driver = vcdaFailoverTestDriver((profile) => {
      asked.push(profile);
      return client();
    });
    const target = await vmTarget();
    assert.equal(await driver.testRunning(target), false);
    assert.equal(await driver.testRunning({ ...target, state: { ...target.state, profile: "west" } }), false);
    assert.equal(await driver.testRunning(target), false);
    assert.deepEqual(asked, [undefined, "west"], "one client per profile");
  });

  it("refuses a paused replication and one already failed over, naming why", async () => {
    const driver = createVcdaFailoverTestDriver(client());
    const target = await vmTarget();
    await admin("PATCH", `/replications/${target.id}`, { isPaused: true, dataConnectionState: "PAUSED" });
    assert.deepEqual(await driver.health(target), { ready: false, reason: "it is paused", testRunning: false });
    await admin("PATCH", `/replications/${target.id}`, { isPaused: false, dataConnectionState: "OK" });
    await admin("POST", `/replications/${target.id}/failover`);
    assert.deepEqual(await driver.health(target), { ready: false, reason: "it was failed over", testRunning: false });
    await admin("DELETE", `/replications/${target.id}`);
    assert.match((await driver.health(target)).reason!, /no longer exists in VCDA/);
  });

  it("reports a cleanup task that failed as not succeeded, the test still running", async () => {
    const driver = createVcdaFailoverTestDriver(client());
    const target = await vmTarget();
    await driver.startTest(target, await driver.pointInTime(target, "drill"));
    await admin("POST", "/task-faults", { mode: "fail", type: "failoverTestCleanup", code: "CleanupFailed", msg: "Cannot delete the test vApp." });
    const result = await driver.stopTest(target, { succeeded: false, summary: "check failed" });
    assert.equal(result.succeeded, false);
    assert.equal(await driver.testRunning(target), true);
    assert.equal((await driver.stopTest(target, { succeeded: false, summary: "retry" })).succeeded, true);
    assert.equal(await driver.testRunning(target), false);
  });
});

describe("VCDA simulator failover-test requests", () => {
  it("lists instances, refuses an unknown instance, instanceId with sync, and a second test; a test of a synced instance adds one", async () => {
    const target = await vmTarget();
    const c = client();
    const instances = await c.listInstances(target.id, "cloud-west");
    assert.equal(instances.length, 1);
    await assert.rejects(c.failoverTestTask("vm-replications", target.id, "cloud-west", { type: "vcloud", instanceId: "replica-nope", sync: false, powerOn: false }),
      /HTTP 400: InstanceNotFound/);
    await assert.rejects(c.failoverTestTask("vm-replications", target.id, "cloud-west", { type: "vcloud", instanceId: instances[0].key, sync: true, powerOn: false }),
      /instanceId cannot be used together with sync/);
    const task = await c.failoverTestTask("vm-replications", target.id, "cloud-west", { type: "vcloud", sync: true, powerOn: false });
    assert.equal((task.result as any).destinationState.recoveryInfo.recoveryState, "TEST");
    assert.equal((await c.listInstances(target.id, "cloud-west")).length, 2);
    const [powerOff] = await admin("GET", "/test-vms");
    assert.deepEqual([powerOff.powerState, powerOff.port, powerOff.ipAddresses], ["POWERED_OFF", null, []]);
    await assert.rejects(c.failoverTestTask("vm-replications", target.id, "cloud-west", { type: "vcloud", sync: false, powerOn: true }),
      /a test failover is in place; clean it up first/);
    await c.failoverTestTask("vm-replications", target.id, "cloud-west");
    await assert.rejects(c.failoverTestTask("vm-replications", target.id, "cloud-west"), /no test failover is in place/);
  });

  it("reopens the listener of a running test after a restart from its state file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vcda-test-vms-"));
    const stateFile = path.join(dir, "state.json");
    let own = await startVcdaSimulator({ stateFile });
    try {
      const ownClient = () => createVcdaClient({ url: own.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false }, FAST);
      await openDefaultPolicy(own.url, { maxIncoming: -1, minRpo: 5 });
      const handler = createVmReplicationHandler(ownClient);
      const { inputs } = await handler.check({}, { source: { type: "vm", site: "cloud-east", vmId: vmNamed("acme-web-01").id }, destination, rpo: 30 } as VmReplicationInputs);
      const { id, outs } = await handler.create(inputs!);
      const target: DrillTarget = { type: "drprotect:vcda:VmReplication", urn: "u", name: "web", id, state: { ...outs } };
      const driver = createVcdaFailoverTestDriver(ownClient());
      await driver.startTest(target, await driver.pointInTime(target, "drill"));
      await own.close();
      own = await startVcdaSimulator({ stateFile });
      const [{ port }] = await (await fetch(`${own.url}/_admin/vcda/test-vms`)).json() as any[];
      assert.match(await reach(port), /test VM acme-web-01/);
      assert.equal(await createVcdaFailoverTestDriver(ownClient()).testRunning(target), true);
    } finally {
      await own.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("closes the listener of a test whose replication is stopped", async () => {
    const target = await vmTarget();
    const driver = createVcdaFailoverTestDriver(client());
    await driver.startTest(target, await driver.pointInTime(target, "drill"));
    const [{ port }] = await admin("GET", "/test-vms");
    await admin("DELETE", `/replications/${target.id}`);
    assert.deepEqual(await admin("GET", "/test-vms"), []);
    await assert.rejects(reach(port));
  });

  it("closes test VM listeners on reset and on close", async () => {
    const target = await vmTarget();
    const driver = createVcdaFailoverTestDriver(client());
    await driver.startTest(target, await driver.pointInTime(target, "drill"));
    const [{ port }] = await admin("GET", "/test-vms");
    await reach(port);
    await admin("POST", "/reset");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await assert.rejects(reach(port));

    const own = await startVcdaSimulator();
    const ownClient = createVcdaClient({ url: own.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false }, FAST);
    await openDefaultPolicy(own.url, { maxIncoming: -1, minRpo: 5 });
    const handler = createVmReplicationHandler(() => ownClient);
    const { inputs } = await handler.check({}, { source: { type: "vm", site: "cloud-east", vmId: vmNamed("acme-web-01").id }, destination, rpo: 30 } as VmReplicationInputs);
    const { id, outs } = await handler.create(inputs!);
    const ownTarget: DrillTarget = { type: "drprotect:vcda:VmReplication", urn: "u", name: "web", id, state: { ...outs } };
    const ownDriver = createVcdaFailoverTestDriver(ownClient);
    await ownDriver.startTest(ownTarget, await ownDriver.pointInTime(ownTarget, "drill"));
    const [{ port: ownPort }] = await (await fetch(`${own.url}/_admin/vcda/test-vms`)).json() as any[];
    await reach(ownPort);
    await own.close();
    await assert.rejects(reach(ownPort));
  });
});
