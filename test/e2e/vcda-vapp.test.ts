import * as assert from "node:assert/strict";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator";
import { Project, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { assertDrift, simRequest, skipRestAfterFailure, tearDown, updateInPlace } from "./support";

const PASSWORD = "vcda-sim-tenant-password";
const ACME_WEB_VAPP = "50a8d806-8078-4ab6-a545-4ca2b2bf878e";
const ACME_DB_01 = "98f0f0d8-72de-4fd1-bcae-da1975edf6ae";
const ACME_WEST_VDC = "637a3f27-b491-4bb9-8d88-06a0e0ae74fd";
/** The policy the provider administrator gives org-acme, so that its tenant may protect VMs. */
const TENANT_POLICY = "6a0c1e2f-3b4d-4c5e-8f6a-7b8c9d0e1f2a";

/** A vApp replication of acme-web (two VMs) and a VM replication of acme-db-01, with their health outputs. */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const dr = require("pulumi-drprotect");
const config = new pulumi.Config();
const destination = { type: "vcloud", site: "cloud-west", vdc: "${ACME_WEST_VDC}" };
const order = config.getNumber("startupOrder");
const web = new dr.vcda.VappReplication("acme-web", {
  source: { type: "vapp", site: "cloud-east", vappId: "${ACME_WEB_VAPP}" },
  destination,
  description: "acme-web tier",
  rpo: config.requireNumber("rpo"),
  sourceReconfigure: order === undefined ? undefined : {
    type: "vcVappReconfigure",
    vmStartupInfo: { order, startAction: "powerOn", startDelay: 0, stopAction: "powerOff", stopDelay: 0 },
  },
});
const db = new dr.vcda.VmReplication("acme-db-01", {
  source: { type: "vm", site: "cloud-east", vmId: config.require("dbVmId") },
  destination,
  rpo: 60,
});
module.exports = {
  vappReplicationId: web.replicationId,
  vappName: web.vappName,
  vms: web.vms,
  vappHealth: web.overallHealth,
  vappRpoViolation: web.currentRpoViolation,
  dbLatestInstance: db.latestInstance,
  dbRpoViolation: db.currentRpoViolation,
};
`;

interface SimReplication {
  id: string;
  vmName: string;
  vappReplicationId: string;
  settings: { rpo: number };
  startupInfo: { order: number };
}

describe("e2e: VCDA vApp replication through the Pulumi CLI", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let project: TestStack;
  let vappReplicationId: string;

  const replications = async (): Promise<SimReplication[]> => {
    const state = (await simRequest(vcda.url, "GET", "/_admin/vcda/state")).body;
    return Object.values<{ replication: SimReplication }>(state.replications).map((r) => r.replication);
  };
  const vappVms = async () => (await replications()).filter((r) => r.vappReplicationId === vappReplicationId);

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    project = await (await Project.program(PROGRAM)).stack("e2e");
    const policy = { displayName: "tenant-e2e", minRpo: 15, maxIncoming: -1, allowIncomingProtections: true, allowOutgoingProtections: true };
    assert.equal((await simRequest(vcda.url, "PUT", `/_admin/vcda/policies/${TENANT_POLICY}`, policy)).status, 200);
    assert.equal((await simRequest(vcda.url, "PUT", "/_admin/vcda/orgs/org-acme/policy", { policyId: TENANT_POLICY })).status, 200);
    await project.setConfig({ "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "admin@org-acme", rpo: 30, dbVmId: ACME_DB_01 },
      { "vcda:password": PASSWORD });
  });

  after(() => tearDown([project], [vcda]));

  it("replicates every VM of acme-web as one vApp replication; outputs show each VM's latest instance and no RPO violation", async () => {
    await project.up();
    const outputs = await project.outputs();
    vappReplicationId = outputs.vappReplicationId;
    assert.match(vappReplicationId, /^C4VAPP-/);
    assert.equal(outputs.vappName, "acme-web");
    assert.deepEqual((await vappVms()).map((r) => r.vmName).sort(), ["acme-web-01", "acme-web-02"]);
    assert.deepEqual(outputs.vms.map((vm: any) => vm.vmName).sort(), ["acme-web-01", "acme-web-02"]);
    for (const vm of outputs.vms) {
      assert.match(vm.latestInstance.key, /^replica-/);
      assert.equal(vm.currentRpoViolation, -1);
    }
    assert.equal(outputs.vappHealth, "GREEN");
    assert.equal(outputs.vappRpoViolation, -1);
    assert.match(outputs.dbLatestInstance.key, /^replica-/);
    assert.equal(outputs.dbRpoViolation, -1);
  });

  it("finds nothing to change in a second preview or a refresh", () => project.assertNoChanges());

  it("shows a new RPO violation and latest instance in outputs after refresh, without planning any change", async () => {
    const [first] = await vappVms();
    const instance = { key: "replica-later", sequenceNumber: 2, timestamp: 1_800_000_000_000, quiescedType: "fileSystemQuiesced" };
    const patched = await simRequest(vcda.url, "PATCH", `/_admin/vcda/replications/${first.id}`, { destinationState: { currentRpoViolation: 25, latestInstance: instance } });
    assert.equal(patched.status, 200);
    await project.refresh();
    // refresh updates the resource's state (the stack outputs are the program's, set by up)
    const [vapp] = await project.resources("vcda:VappReplication");
    assert.equal(vapp.outputs.currentRpoViolation, 25);
    assert.equal(vapp.outputs.vms.find((vm: any) => vm.replicationId === first.id).latestInstance.key, "replica-later");
    const preview = await project.run(["preview", "--expect-no-changes", "--diff"]);
    assert.equal(preview.code, 0, preview.output);
  });

  it("reports an out-of-band RPO change of a VM as drift naming rpo", async () => {
    const [first] = await vappVms();
    assert.equal((await simRequest(vcda.url, "PATCH", `/_admin/vcda/replications/${first.id}`, { rpo: 240 })).status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /rpo/);
    await project.up({ refresh: true });
    assert.ok((await vappVms()).every((r) => r.settings.rpo === 30));
  });

  it("updates RPO and sourceReconfigure of every VM in place", async () => {
    await updateInPlace(project, { rpo: 45, startupOrder: 2 });
    const vms = await vappVms();
    assert.equal(vms.length, 2, "the same vApp replication");
    assert.ok(vms.every((r) => r.settings.rpo === 45 && r.startupInfo.order === 2), JSON.stringify(vms));
    await project.assertNoChanges();
  });

  it("destroys the vApp replication and the VM replication", async () => {
    await project.destroy();
    assert.deepEqual(await replications(), []);
  });
});
