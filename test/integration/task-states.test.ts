import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { configure, zertoConnection } from "../../provider/connection";
import type { VmReplicationInputs, VpgInputs } from "../../provider/inputs.generated";
import { createVcdaClient, VcdaClientOptions } from "../../provider/vcda/client";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { createZertoClient } from "../../provider/zerto/client";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { withoutPreflight } from "../fixtures/preflight";
import { FAST_ZERTO } from "../fixtures/zertoClient";

async function call(url: string, method: string, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method, headers: body === undefined ? {} : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

describe("task states: only the documented success is success, every other state keeps the wait going (real HTTP)", function () {
  this.timeout(60_000);
  withoutPreflight();

  describe("VCDA: QUEUED before RUNNING", () => {
    const inventory = loadInventory();
    const web = inventory.vms.find((v) => v.name === "acme-web-01")!;
    const vdc = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-west")!;
    const program: VmReplicationInputs = {
      source: { type: "vm", site: "cloud-east", vmId: web.id },
      destination: { type: "vcloud", site: "cloud-west", vdc: vdc.id, storageProfile: "*" },
      rpo: 30,
    };
    const FAST: VcdaClientOptions = { pollInitialDelayMs: 5, pollMaxDelayMs: 20, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };
    let sim: VcdaSimulator;
    const client = (options: VcdaClientOptions = {}) =>
      createVcdaClient({ url: sim.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false }, { ...FAST, ...options });
    const admin = (method: string, route: string, body?: unknown) => call(`${sim.url}/_admin/vcda${route}`, method, body);

    before(async () => {
      sim = await startVcdaSimulator({ taskPolls: 2 });
      await admin("PUT", "/policies/default", { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 });
    });
    after(async () => {
      await sim?.close();
    });

    it("reports a replication created only once its queued start task SUCCEEDED, and the replication exists then", async () => {
      // the start takes a while: a client taking QUEUED for success would report it before it exists
      await admin("POST", "/task-faults", { mode: "slow", durationMs: 400, type: "start" });
      const handler = createVmReplicationHandler(() => client());
      const { inputs } = await handler.check({}, program);
      const { id, outs } = await handler.create(inputs!);
      assert.equal(outs.vmName, "acme-web-01");
      assert.ok((await admin("GET", "/state")).replications[id], "the replication exists when it is reported created");
      const task = (await admin("GET", "/state")).tasks;
      assert.ok(Object.values(task).every((t: any) => t.task.state === "SUCCEEDED"), "no task was left queued or running");
      await handler.delete(id, outs);
    });

    it("starts every task QUEUED (the answer to the POST), unless the simulator is told not to", async () => {
      const handler = createVmReplicationHandler(() => client());
      const { inputs } = await handler.check({}, program);
      const seq = sim.journal.lastSeq();
      const { id, outs } = await handler.create(inputs!);
      const reads = sim.journal.list(seq).filter((e) => e.method === "GET" && e.path.startsWith("/tasks/"));
      assert.equal(reads.length, 3, "QUEUED, RUNNING, then SUCCEEDED after two reads of the running task");
      await handler.delete(id, outs);
      const plain = await startVcdaSimulator({ taskPolls: 2, queuedTasks: false });
      try {
        await call(`${plain.url}/_admin/vcda/policies/default`, "PUT", { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 });
        const plainHandler = createVmReplicationHandler(() =>
          createVcdaClient({ url: plain.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false }, FAST));
        await plainHandler.create(inputs!);
        assert.equal(plain.journal.list().filter((e) => e.method === "GET" && e.path.startsWith("/tasks/")).length, 2);
      } finally {
        await plain.close();
      }
    });
  });

  describe("Zerto: states other than Completed and the documented failures", () => {
    const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
    const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
    const rid = (moref: string) => `${RECOVERY_VC}.${moref}`;
    const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-intents-")));
    let sim: ZvmSimulator;
    const definition = (name: string): VpgInputs => ({
      name,
      recoverySiteId: sim.peerSiteId,
      recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
      networks: { failoverNetworkId: rid("network-1021"), failoverTestNetworkId: rid("network-1022") },
      vms: [{ vmId: `${PROTECTED_VC}.vm-101` }],
    });
    const admin = (method: string, route: string, body?: unknown) => call(`${sim.url}/_admin/zvm${route}`, method, body);
    const handlerWith = (taskTimeoutMs: number) => createVpgHandler(() => createZertoClient(zertoConnection(), { ...FAST_ZERTO, taskTimeoutMs }), intents);

    before(async () => {
      sim = await startZvmSimulator({ authMode: "session", taskPolls: 2, listingLagMs: 0, initializingMs: 50, taskCompleteMs: 0 });
      configure({ get: (key) => ({ "zerto:url": sim.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password" })[key] });
    });
    after(async () => {
      configure({ get: () => undefined });
      await sim?.close();
      fs.rmSync(intents.dir, { recursive: true, force: true });
    });

    for (const [state, name] of [[2, "WaitingForUserInput"], [3, "Paused"], [12, undefined]] as const) {
      it(`keeps waiting through state ${state}${name ? ` (${name})` : " (no document names it)"} and succeeds when the task completes`, async () => {
        const handler = handlerWith(10_000);
        const { inputs } = await handler.check({}, definition(`states-${state}`));
        const { id, outs } = await handler.create(inputs!);
        await admin("POST", "/task-faults", { mode: "slow", durationMs: 400, answersState: state });
        await handler.delete(id, outs);
        assert.deepEqual((await admin("GET", "/vpgs")).filter((v: any) => v.VpgName === `states-${state}`), []);
      });
    }

    it("names the state the task was left in when the wait times out", async () => {
      const { inputs } = await handlerWith(10_000).check({}, definition("left-paused"));
      const { id, outs } = await handlerWith(10_000).create(inputs!);
      await admin("POST", "/task-faults", { mode: "stuck", answersState: 3 });
      await assert.rejects(handlerWith(300).delete(id, outs), /was still in state 3 \(Paused\), \d+% done after 0s \(raise ZERTO_TASK_TIMEOUT_SECONDS/);
      await admin("DELETE", "/task-faults");
      await admin("DELETE", `/vpgs/${id}`);
    });
  });
});
