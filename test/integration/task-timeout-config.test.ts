import * as assert from "node:assert/strict";
import { configure, vcdaConnection, zertoConnection } from "../../provider/connection";
import type { VmReplicationInputs, VpgInputs } from "../../provider/inputs.generated";
import type { ResourceHandler } from "../../provider/types";
import { createVcdaClient } from "../../provider/vcda/client";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { createZertoClient } from "../../provider/zerto/client";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { loadInventory, startVcdaSimulator } from "../../simulator/vcda";
import { startZvmSimulator } from "../../simulator/zvm";

const fast = { pollInitialDelayMs: 20, pollMaxDelayMs: 100, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

async function checked<I>(handler: ResourceHandler<I>, news: I): Promise<I> {
  const { inputs, failures } = await handler.check({}, news);
  assert.deepEqual(failures, []);
  return inputs!;
}

async function admin(url: string, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(url + path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });
  assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
}

/** A stuck task and a one-second `<product>:taskTimeoutSeconds`: the wait ends after about a second, naming it. */
describe("task timeouts set as stack config reach the task waits", function () {
  this.timeout(60_000);
  after(() => configure({ get: () => undefined }));

  it("stops waiting for a ZVM task after zerto:taskTimeoutSeconds", async () => {
    const sim = await startZvmSimulator({ authMode: "session", taskPolls: 2, listingLagMs: 50, initializingMs: 50 });
    try {
      const config: Record<string, string> = { "zerto:url": sim.url, "zerto:authMode": "session", "zerto:username": "admin",
        "zerto:password": "zerto-sim-password", "zerto:taskTimeoutSeconds": "1" };
      configure({ get: (key) => config[key] });
      const handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), { ...fast, listingTimeoutMs: 10_000 }));
      const rid = (moref: string) => `9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d.${moref}`;
      const vpg: VpgInputs = {
        name: "patient", recoverySiteId: sim.peerSiteId,
        recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
        networks: { failoverNetworkId: rid("network-1021") },
        vms: [{ vmId: "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81.vm-101" }],
      };
      const inputs = await checked(handler, vpg);
      await admin(sim.url, "POST", "/_admin/zvm/task-faults", { mode: "stuck" });
      const started = Date.now();
      // a create still running at the timeout is recorded as pending (see the ownership tests), not orphaned
      await assert.rejects(handler.create(inputs), (err: Error & { id?: string }) =>
        /Zerto is still creating VPG 'patient' .* after the task timeout; it is recorded in the stack as pending/.test(err.message)
        && err.id?.startsWith("pending-create-task:") === true);
      const waited = Date.now() - started;
      assert.ok(waited >= 1000 && waited < 10_000, `waited ${waited} ms`);
    } finally {
      await sim.close();
    }
  });

  it("stops waiting for a VCDA task after vcda:taskTimeoutSeconds", async () => {
    const sim = await startVcdaSimulator({ taskPolls: 2 });
    try {
      const config: Record<string, string> = { "vcda:url": sim.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System",
        "vcda:password": "vcda-sim-vcd-password", "vcda:taskTimeoutSeconds": "1" };
      configure({ get: (key) => config[key] });
      await admin(sim.url, "PUT", "/_admin/vcda/policies/default", { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 });
      const handler = createVmReplicationHandler((profile) => createVcdaClient(vcdaConnection(profile), fast));
      const inventory = loadInventory();
      const web = inventory.vms.find((v) => v.name === "acme-web-01")!;
      const vdc = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-west")!;
      const replication: VmReplicationInputs = {
        source: { type: "vm", site: "cloud-east", vmId: web.id },
        destination: { type: "vcloud", site: "cloud-west", vdc: vdc.id, storageProfile: "*" },
        rpo: 30,
      };
      const inputs = await checked(handler, replication);
      await admin(sim.url, "POST", "/_admin/vcda/task-faults", { mode: "stuck", times: 1 });
      const started = Date.now();
      await assert.rejects(handler.create(inputs), /was still RUNNING after 1s \(raise VCDA_TASK_TIMEOUT_SECONDS or vcda:taskTimeoutSeconds/);
      const waited = Date.now() - started;
      assert.ok(waited >= 1000 && waited < 10_000, `waited ${waited} ms`);
    } finally {
      await sim.close();
    }
  });
});
