import { strict as assert } from "node:assert";
import * as net from "node:net";
import type { DrillTarget } from "../../provider/failoverTest";
import type { VpgInputs } from "../../provider/inputs.generated";
import { createZertoClient, ZertoClient } from "../../provider/zerto/client";
import { createZertoFailoverTestDriver } from "../../provider/zerto/failoverTest";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { vpgArgs, zvmVmId } from "../../harness/fixtures";
import { SimAdmin } from "../../harness/admin";
import { CREDENTIALS, freePort } from "../../harness/sims";
import { withoutPreflight } from "../fixtures/preflight";
import { FAST_ZERTO } from "../fixtures/zertoClient";


const reachable = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.once("connect", () => { socket.destroy(); resolve(true); });
  socket.once("error", () => resolve(false));
});

for (const shape of ["10.x", "7.x"] as const) {
  describe(`Zerto failover tests: simulator life cycle and the drill's driver (real HTTP, ${shape} answers)`, function () {
    this.timeout(60_000);
    withoutPreflight();

    let zvm: ZvmSimulator;
    let admin: SimAdmin;
    let client: ZertoClient;
    let target: DrillTarget;
    let port: number;
    const vmId = zvmVmId(0);

    before(async () => {
      zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, initializingMs: 0, responseShape: shape });
      admin = new SimAdmin(zvm.url);
      client = createZertoClient({ url: zvm.url, authMode: "session", username: CREDENTIALS.zvmUser, password: CREDENTIALS.zvmPassword, insecure: false }, FAST_ZERTO);
      const handler = createVpgHandler(() => client, new IntentStore());
      const { inputs } = await handler.check({}, vpgArgs("drilled", [vmId]) as unknown as VpgInputs);
      const { id, outs } = await handler.create(inputs!);
      target = { type: "drprotect:zerto:Vpg", urn: "urn:pulumi:s::p::drprotect:zerto:Vpg::drilled", name: "drilled", id, state: outs as unknown as Record<string, unknown> };
      port = await freePort();
      await admin.call("PUT", `/_admin/zvm/vms/${vmId}/test-service`, { port });
    });
    after(() => zvm?.close());

    it("runs a test from a tagged checkpoint: the VPG shows it, its test VM answers on 127.0.0.1, the stop ends it with a recovery report", async () => {
      const driver = createZertoFailoverTestDriver(client);
      assert.deepEqual(await driver.health(target), { ready: true, testRunning: false });
      const point = await driver.pointInTime(target, "drill-1");
      assert.equal(point.name, "drill-1");
      // whatever the ZVM's shape (10.x ISO dates, or the VPGs document's CheckpointId and WCF date), an id and an ISO time
      assert.ok(point.id, "the checkpoint's id");
      assert.match(point.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      const startedAt = new Date(Date.now() - 1000);
      const started = await driver.startTest(target, point);
      assert.ok(started.taskId);
      assert.equal(await driver.testRunning(target), true);
      assert.deepEqual(await driver.health(target), { ready: false, testRunning: true, reason: "a failover test is already running" });
      const vms = await driver.testVms(target);
      assert.deepEqual(vms.map((v) => [v.vmId, v.poweredOn]), [[vmId, true]]);
      assert.equal(await reachable(port), true, "the test VM serves while the test runs");

      const stopped = await driver.stopTest(target, { succeeded: true, summary: "all checks passed" });
      assert.equal(stopped.succeeded, true);
      assert.equal(await driver.testRunning(target), false);
      assert.equal(await reachable(port), false, "the test VM is gone after the stop");
      const report = await driver.recoveryReport!(target, startedAt);
      if (shape === "10.x") assert.ok(report?.id, "a recovery report names the test");
      const tasks = await client.listTasks();
      assert.deepEqual(tasks.filter((t) => /FailOverTest/.test(String(t.Type))).map((t) => [t.Type, t.Status?.State]).sort(),
        [["FailOverTest", 6], ["StopFailOverTest", 6]]);
    });

    it("binds the checkpoint by either name and refuses a second test of the same VPG", async () => {
      const [latest] = (await client.http.request<any[]>({ method: "GET", path: `/v1/vpgs/${target.id}/checkpoints` })).body.slice(-1);
      const checkpointId = latest.checkpointIdentifier ?? latest.CheckpointIdentifier;
      const first = await client.http.request({ method: "POST", path: `/v1/vpgs/${target.id}/FailoverTest`, json: { CheckpointId: checkpointId } });
      assert.ok(first.body);
      const second = await client.http.request({ method: "POST", path: `/v1/vpgs/${target.id}/failovertest`, json: { checkpointIdentifier: checkpointId }, accept: [400] });
      assert.equal(second.status, 400);
      assert.match(JSON.stringify(second.body), /already running/);
      const driver = createZertoFailoverTestDriver(client);
      await driver.stopTest(target, { succeeded: false, summary: "binding test" });
      assert.equal(await driver.testRunning(target), false);
    });

    it("reports a VPG out of SLA as not ready, naming its status", async () => {
      await admin.call("PUT", `/_admin/zvm/vpgs/${target.id}/sla`, { meeting: false });
      const health = await createZertoFailoverTestDriver(client).health(target);
      assert.equal(health.ready, false);
      assert.match(health.reason!, /NotMeetingSLA/);
      await admin.call("PUT", `/_admin/zvm/vpgs/${target.id}/sla`, { meeting: true });
    });
  });
}
