import * as assert from "node:assert/strict";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator";
import { SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { assertDrift, assertRejectedAtPreview, dropAndRecreate, exampleStack, replace, simRequest, skipRestAfterFailure, tearDown, updateInPlace } from "./support";

const PASSWORD = "vcda-sim-tenant-password";
const ACME_WEB_01 = "fb3b5c4c-a03c-4a4f-819e-93a54184b142";
const ACME_WEB_02 = "09c749b4-79c1-46d0-9520-ffd0ea609f57";
const SILVER_HDD_WEST = "04632514-b19a-4be6-8200-90d2c26c3908";
/** The policy the provider administrator gives org-acme, so that its tenant may protect VMs. */
const TENANT_POLICY = "6a0c1e2f-3b4d-4c5e-8f6a-7b8c9d0e1f2a";

interface Replication {
  id: string;
  vmId: string;
  storageProfile: string | null;
  settings: { rpo: number; description: string };
}

describe("e2e: VCDA VM replications through the Pulumi CLI (examples/vcda-tenant)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let project: TestStack;
  let replicationId: string;

  const replications = async (): Promise<Replication[]> => {
    const state = (await simRequest(vcda.url, "GET", "/_admin/vcda/state")).body;
    return Object.values<{ replication: Replication }>(state.replications).map((r) => r.replication);
  };
  const onlyReplication = async (): Promise<Replication> => {
    const all = await replications();
    assert.equal(all.length, 1, `expected one replication, found ${all.length}`);
    return all[0];
  };
  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    project = await exampleStack("vcda-tenant");
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    const policy = { displayName: "tenant-e2e", minRpo: 15, maxIncoming: -1, allowIncomingProtections: true, allowOutgoingProtections: true };
    assert.equal((await simRequest(vcda.url, "PUT", `/_admin/vcda/policies/${TENANT_POLICY}`, policy)).status, 200);
    assert.equal((await simRequest(vcda.url, "PUT", "/_admin/vcda/orgs/org-acme/policy", { policyId: TENANT_POLICY })).status, 200);
    await project.setConfig({ "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "admin@org-acme" }, { "vcda:password": PASSWORD });
  });

  after(() => tearDown([project], [vcda]));

  it("replicates acme-web-01 to cloud-west", async () => {
    await project.up();
    const outputs = await project.outputs();
    const replication = await onlyReplication();
    replicationId = replication.id;
    assert.deepEqual(outputs.replicationIds, [replicationId]);
    assert.deepEqual(outputs.vmNames, ["acme-web-01"]);
    assert.equal(replication.vmId, ACME_WEB_01);
    assert.equal(replication.settings.rpo, 60);
  });

  it("finds nothing to change in a second preview or a refresh", () => project.assertNoChanges());

  it("reports an out-of-band RPO change as drift naming rpo, and puts it back", async () => {
    assert.equal((await simRequest(vcda.url, "PATCH", `/_admin/vcda/replications/${replicationId}`, { rpo: 240 })).status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /rpo/);
    const preview = await project.preview({ refresh: true, diff: true });
    assert.match(preview.output, /~ .*update/);
    assert.doesNotMatch(preview.output, /replace/);
    const up = await project.up({ refresh: true });
    assert.match(up.output, /vcda:VmReplication \S+ updated \([^)]*\) \[diff: ~rpo\]/);
    assert.equal((await onlyReplication()).settings.rpo, 60);
    await project.assertNoChanges();
  });

  it("updates the replication in place when the program changes the RPO", async () => {
    await updateInPlace(project, { rpo: 30 });
    const replication = await onlyReplication();
    assert.equal(replication.id, replicationId, "same replication");
    assert.equal(replication.settings.rpo, 30);
    await project.assertNoChanges();
  });

  it("replaces the replication when its destination storage profile changes", async () => {
    await replace(project, { storageProfile: "Silver-HDD", allowProtectionGapOnReplace: true });
    const replication = await onlyReplication();
    assert.notEqual(replication.id, replicationId, "a new replication");
    assert.equal(replication.storageProfile, SILVER_HDD_WEST);
    replicationId = replication.id;
    await project.assertNoChanges();
  });

  it("adds and removes a replicated VM", async () => {
    await project.setConfig({ vms: ["acme-web-01", "acme-web-02"] });
    await project.up();
    assert.deepEqual((await replications()).map((r) => r.vmId).sort(), [ACME_WEB_02, ACME_WEB_01].sort());
    await project.setConfig({ vms: ["acme-web-01"] });
    await project.up();
    assert.equal((await onlyReplication()).id, replicationId);
    await project.assertNoChanges();
  });

  it("rejects rpo 0 at preview, naming the property and the rule, before any API call", async () => {
    await assertRejectedAtPreview(project, vcda.url, { rpo: 0 }, [/rpo/, />= 1|at least 1|minimum/], { rpo: 30 });
  });

  it("drops a replication deleted out of band on refresh and recreates it on up", async () => {
    assert.equal((await simRequest(vcda.url, "DELETE", `/_admin/vcda/replications/${replicationId}`)).status, 204);
    await dropAndRecreate(project, "vcda:VmReplication");
    const replication = await onlyReplication();
    assert.notEqual(replication.id, replicationId);
    assert.equal(replication.settings.rpo, 30);
    await project.assertNoChanges();
  });

  it("keeps credentials out of state and CLI output", async () => {
    assert.ok(!project.backendText().includes(PASSWORD), "the backend holds the password in clear");
    assert.deepEqual(project.project.transcript.filter((text) => text.includes(PASSWORD)), []);
  });

  it("destroys every replication it created", async () => {
    await project.destroy();
    assert.deepEqual(await replications(), []);
  });
});
